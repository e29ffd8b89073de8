package planner

import (
	"errors"
	"fmt"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound), graph.ErrForbidden (not a member of the plan's
// group) and the other sentinels.
var (
	// ErrEmptyID is returned when a call needs an id and was given "".
	ErrEmptyID = errors.New("planner: empty id")
	// ErrEmptyTitle is returned when a plan, bucket or task would get an empty title or
	// name.
	ErrEmptyTitle = errors.New("planner: empty title")
	// ErrUnbound is returned by calls on a model that was not read through a Planner (for
	// example one decoded from JSON by the caller).
	ErrUnbound = errors.New("planner: the model is not bound to a Planner handle")
	// ErrNotSaved is returned by calls that need a task the service knows: Save it first.
	ErrNotSaved = errors.New("planner: task not saved yet")
	// ErrNoETag is returned by a write on a model without an ETag: Planner refuses
	// updates and deletes without one (428), so read the object first.
	ErrNoETag = errors.New("planner: the object has no ETag (read it from the service first)")
)

// StaleError is the error of a write refused because the object changed on the service
// since the caller read it (412 Precondition Failed: its ETag no longer matches). It
// matches graph.ErrPreconditionFailed with errors.Is, and *graph.Error with errors.As.
// Read the object again and reapply the change, or let Update do it.
type StaleError struct {
	Kind string // "task", "bucket", "plan", "task details", "plan details"
	ID   string
	ETag string // the ETag that was sent
	Err  error  // the service's *graph.Error
}

// Error says what happened and what to do.
func (e *StaleError) Error() string {
	return fmt.Sprintf("planner: %s %s changed since it was read (ETag %s is stale; planner.Update re-reads and re-applies a change): %v",
		e.Kind, e.ID, e.ETag, e.Err)
}

// Unwrap returns the service's error.
func (e *StaleError) Unwrap() error { return e.Err }
