package excel

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/o365go/o365/graph"
)

// OperationStatus is the state of a long-running workbook operation.
type OperationStatus string

// Operation states.
const (
	OperationNotStarted OperationStatus = "notStarted"
	OperationRunning    OperationStatus = "running"
	OperationSucceeded  OperationStatus = "succeeded"
	OperationFailed     OperationStatus = "failed"
)

// Operation is a long-running workbook operation (microsoft.graph.workbookOperation),
// as the Location of a 202 answer reports it.
type Operation struct {
	ID               string          `json:"id,omitempty"`
	Status           OperationStatus `json:"status,omitempty"`
	ResourceLocation string          `json:"resourceLocation,omitempty"`
	Error            *OperationError `json:"error,omitempty"`
}

// OperationError is why a long-running operation failed
// (microsoft.graph.workbookOperationError). It matches ErrOperationFailed with errors.Is.
type OperationError struct {
	Code       string          `json:"code,omitempty"`
	Message    string          `json:"message,omitempty"`
	InnerError *OperationError `json:"innerError,omitempty"`
	// OperationID is the failed operation's id (not part of the service's JSON).
	OperationID string `json:"-"`
}

// Error reads like "excel: operation op-1 failed: internalServerError/GenericFileOpenError:
// The workbook cannot be opened."
func (e *OperationError) Error() string {
	if e == nil {
		return "excel: operation failed"
	}
	var b strings.Builder
	b.WriteString("excel: operation ")
	if e.OperationID != "" {
		b.WriteString(e.OperationID + " ")
	}
	b.WriteString("failed")
	codes := []string{}
	msg := ""
	for x, depth := e, 0; x != nil && depth < 16; x, depth = x.InnerError, depth+1 {
		if x.Code != "" {
			codes = append(codes, x.Code)
		}
		if x.Message != "" {
			msg = x.Message
		}
	}
	if len(codes) > 0 {
		b.WriteString(": " + strings.Join(codes, "/"))
	}
	if msg != "" {
		b.WriteString(": " + msg)
	}
	return b.String()
}

// Is matches ErrOperationFailed.
func (e *OperationError) Is(target error) bool { return target == ErrOperationFailed }

// HasCode reports whether code (any case) is the error's code or one of its inner codes.
func (e *OperationError) HasCode(code string) bool {
	for x, depth := e, 0; x != nil && depth < 16; x, depth = x.InnerError, depth+1 {
		if strings.EqualFold(x.Code, code) {
			return true
		}
	}
	return false
}

// maxPoll caps the wait between two polls; the documentation asks for no more than 4
// minutes and suggests about 30 seconds.
const maxPoll = 30 * time.Second

// await polls the operation at loc until it ends. A success with a resourceLocation is
// followed (GET, with the session) into out; a failure is an *OperationError.
func (wb *Workbook) await(ctx context.Context, loc string, wait time.Duration, session string, out any) error {
	next := wb.poll
	for {
		if wait <= 0 {
			wait = next
			next = min(next*2, maxPoll)
		}
		if err := wb.sleep(ctx, wait); err != nil {
			return err
		}
		var op Operation
		// The status poll goes without the session header (the documented exception).
		resp, err := wb.c.Send(ctx, &graph.Request{Method: http.MethodGet, Path: loc})
		if err != nil {
			return err
		}
		wait = retryAfter(resp.Header, wb.now())
		err = decodeBody(resp, &op)
		resp.Body.Close()
		if err != nil {
			return err
		}
		switch op.Status {
		case OperationSucceeded:
			if op.ResourceLocation == "" || out == nil {
				return nil
			}
			return wb.send(ctx, call{method: http.MethodGet, path: op.ResourceLocation, out: out, session: session})
		case OperationFailed:
			e := op.Error
			if e == nil {
				e = &OperationError{Code: "failed"}
			}
			e.OperationID = op.ID
			return e
		}
	}
}

// retryAfter is the wait a Retry-After header asks for, capped at eight times the longest
// poll interval so that an odd header cannot stall the operation's polling for hours.
func retryAfter(h http.Header, now time.Time) time.Duration {
	d, _ := graph.RetryAfter(h, now)
	return min(d, maxPoll*8)
}
