package todo

import (
	"errors"

	"github.com/o365go/o365/graph"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound), graph.ErrPreconditionFailed and the other sentinels.
var (
	// ErrEmptyID is returned when a call needs an id and was given "".
	ErrEmptyID = errors.New("todo: empty id")
	// ErrUnbound is returned by calls on a model that was not read through a ToDo handle
	// (for example one decoded from JSON by the caller).
	ErrUnbound = errors.New("todo: the model is not bound to a To Do handle")
	// ErrNotSaved is returned by calls that need a task or checklist item the service
	// knows: Save it first.
	ErrNotSaved = errors.New("todo: not saved yet")
	// ErrListNotFound matches (errors.Is) the error of ToDo.ListByName when no list has
	// the name, and of ToDo.DefaultList when there is no default list; it also matches
	// graph.ErrNotFound.
	ErrListNotFound = errors.New("todo: list not found")
	// ErrAmbiguousList is returned by ToDo.ListByName when several lists have the name.
	ErrAmbiguousList = errors.New("todo: several lists have this name")
	// ErrSyncStateExpired matches the error of a delta round whose deltaLink the service
	// no longer knows (410 Gone); start over with a delta without a link.
	ErrSyncStateExpired = graph.ErrSyncStateExpired
)

// notFoundError is ErrListNotFound that also matches graph.ErrNotFound.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }

func (e *notFoundError) Is(t error) bool { return t == ErrListNotFound || t == graph.ErrNotFound }
