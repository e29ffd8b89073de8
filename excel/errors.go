package excel

import (
	"errors"
	"strings"

	"github.com/o365go/o365/graph"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound) and the other sentinels, and read Code and InnerCode
// (Excel's second-level codes, such as "invalidArgument") with errors.As.
var (
	// ErrNoSource is returned by Open without a client or an item path.
	ErrNoSource = errors.New("excel: no workbook source (client and drive item path)")
	// ErrClosed is returned by calls on a Workbook after Close.
	ErrClosed = errors.New("excel: workbook closed")
	// ErrSessionExpired is returned when a non-persistent session expired: its changes
	// are gone, so it is not replaced silently. Open the workbook again.
	ErrSessionExpired = errors.New("excel: the non-persistent workbook session expired; its changes are lost")
	// ErrOperationFailed matches the *OperationError of a long-running operation that
	// ended in failure.
	ErrOperationFailed = errors.New("excel: long-running operation failed")
	// ErrUnbound is returned by calls on a model that was not read through a Workbook
	// (for example one decoded from JSON by the caller).
	ErrUnbound = errors.New("excel: the model is not bound to a workbook")
	// ErrEmptyName is returned when a call needs a name, id or address and was given "".
	ErrEmptyName = errors.New("excel: empty name, id or address")
	// ErrShape is returned before any request when a grid of values does not fit the
	// range it is written to, or its rows differ in length.
	ErrShape = errors.New("excel: values do not fit the range")
	// ErrBadAddress is returned for an A1 address that cannot be read.
	ErrBadAddress = errors.New("excel: bad cell address")
	// ErrFunction matches the *FunctionError of a workbook function that answered with
	// an Excel error (#N/A, #VALUE!, ...).
	ErrFunction = errors.New("excel: workbook function returned an error")
)

// sessionError is ErrSessionExpired with the service's answer as its cause.
type sessionError struct{ cause error }

func (e *sessionError) Error() string {
	if e.cause == nil {
		return ErrSessionExpired.Error()
	}
	return ErrSessionExpired.Error() + ": " + e.cause.Error()
}

func (e *sessionError) Is(t error) bool { return t == ErrSessionExpired }
func (e *sessionError) Unwrap() error   { return e.cause }

// sessionExpired reports whether the service said the session is gone and a new one may
// be made: Excel's documented code invalidSessionReCreatable, at either level.
func sessionExpired(err error) bool {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		return false
	}
	for _, c := range []string{ge.Code, ge.InnerCode} {
		switch strings.ToLower(c) {
		case "invalidsessionrecreatable":
			return true
		}
	}
	return false
}

// FunctionError is a workbook function's Excel error (workbookFunctionResult.error).
type FunctionError struct {
	Function string // the function's name, e.g. "vlookup"
	Code     string // Excel's error value, e.g. "#N/A"
}

// Error reads like "excel: function vlookup returned #N/A".
func (e *FunctionError) Error() string {
	return "excel: function " + e.Function + " returned " + e.Code
}

// Is matches ErrFunction.
func (e *FunctionError) Is(t error) bool { return t == ErrFunction }
