package sharepoint

import (
	"errors"
	"iter"

	"github.com/o365go/o365/graph"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound), graph.ErrBadRequest and the other sentinels.
var (
	// ErrEmptyID is returned when a call needs an id, name or host and was given "".
	ErrEmptyID = errors.New("sharepoint: empty id")
	// ErrUnbound is returned by calls on a model that was not read through a Sharepoint
	// handle (for example one decoded from JSON by the caller).
	ErrUnbound = errors.New("sharepoint: the model is not bound to a Sharepoint handle")
	// ErrNotSaved is returned by calls that need an item the service knows: Save it first.
	ErrNotSaved = errors.New("sharepoint: item not saved yet")
	// ErrSyncStateExpired matches the error of a delta round whose deltaLink the service
	// no longer knows (410 Gone); start over with a delta without a link.
	ErrSyncStateExpired = graph.ErrSyncStateExpired
)

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
