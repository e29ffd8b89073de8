package teams

import (
	"errors"

	"github.com/o365go/o365/graph"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound), graph.ErrForbidden, graph.ErrThrottled and the other
// sentinels.
var (
	// ErrEmptyID is returned when a call needs an id or a name and was given "".
	ErrEmptyID = errors.New("teams: empty id")
	// ErrUnbound is returned by calls on a model that was not read through a Teams handle
	// (for example one decoded from JSON by the caller).
	ErrUnbound = errors.New("teams: the model is not bound to a Teams handle")
	// ErrNotFound matches (errors.Is) the error of the by-name lookups (TeamByName,
	// ChannelByName) when nothing has the name; it also matches graph.ErrNotFound.
	ErrNotFound = errors.New("teams: not found")
	// ErrAmbiguous is returned by the by-name lookups when several items have the name.
	ErrAmbiguous = errors.New("teams: several items have this name")
	// ErrNoMembers is returned by CreateGroupChat without other members.
	ErrNoMembers = errors.New("teams: a chat needs other members")
	// ErrBadExpiration is returned for a negative presence expiration.
	ErrBadExpiration = errors.New("teams: the expiration must not be negative")
)

// notFoundError is ErrNotFound that also matches graph.ErrNotFound.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }

func (e *notFoundError) Is(t error) bool { return t == ErrNotFound || t == graph.ErrNotFound }
