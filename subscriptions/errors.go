package subscriptions

import (
	"errors"
	"fmt"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound) and the other sentinels of package graph.
var (
	// ErrEmptyID is returned when a call needs a subscription id and was given "".
	ErrEmptyID = errors.New("subscriptions: empty id")
	// ErrUnbound is returned by calls on a Subscription that was not read through a
	// Subscriptions handle (for example one decoded from JSON by the caller).
	ErrUnbound = errors.New("subscriptions: the subscription is not bound to a Subscriptions handle")
	// ErrQueueFull is reported through ReceiverOptions.OnError when the Receiver's queue
	// is full and a notification is dropped.
	ErrQueueFull = errors.New("subscriptions: receiver queue full, notification dropped")
	// ErrClientState matches (errors.Is) a *ClientStateError.
	ErrClientState = errors.New("subscriptions: clientState mismatch")
	// ErrBadRequest is reported through ReceiverOptions.OnError for a request that is
	// neither a validation handshake nor a notification batch.
	ErrBadRequest = errors.New("subscriptions: bad notification request")
)

// ClientStateError reports a notification dropped because its clientState did not match
// the expected one. It never carries either value.
type ClientStateError struct {
	// SubscriptionID is the subscription the notification claimed to be for.
	SubscriptionID string
}

// Error names the subscription, never the clientState values.
func (e *ClientStateError) Error() string {
	return fmt.Sprintf("subscriptions: notification for subscription %q dropped: clientState does not match", e.SubscriptionID)
}

// Is makes errors.Is(err, ErrClientState) true.
func (e *ClientStateError) Is(target error) bool { return target == ErrClientState }
