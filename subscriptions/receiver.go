package subscriptions

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// LifecycleEvent is the event of a lifecycle notification.
type LifecycleEvent string

// Lifecycle events.
const (
	// ReauthorizationRequired: reauthorize (Subscriptions.Reauthorize) or renew the
	// subscription soon, or it is removed.
	ReauthorizationRequired LifecycleEvent = "reauthorizationRequired"
	// SubscriptionRemoved: the subscription is gone; create a new one (and catch up with
	// a delta query).
	SubscriptionRemoved LifecycleEvent = "subscriptionRemoved"
	// Missed: some notifications could not be delivered; catch up with a delta query.
	Missed LifecycleEvent = "missed"
)

// Notification is one change notification or lifecycle notification.
type Notification struct {
	ID                             string     `json:"id,omitempty"`
	SubscriptionID                 string     `json:"subscriptionId"`
	SubscriptionExpirationDateTime time.Time  `json:"subscriptionExpirationDateTime"`
	ClientState                    string     `json:"clientState,omitempty"`
	ChangeType                     ChangeType `json:"changeType,omitempty"`
	// Resource is the changed item's path relative to the service root, e.g.
	// "Users/{id}/Messages/{id}": GET it to read the item.
	Resource     string        `json:"resource,omitempty"`
	TenantID     string        `json:"tenantId,omitempty"`
	ResourceData *ResourceData `json:"resourceData,omitempty"`
	// LifecycleEvent is set on lifecycle notifications (and ChangeType is not).
	LifecycleEvent LifecycleEvent `json:"lifecycleEvent,omitempty"`
	// EncryptedContent is the encrypted resource data of a rich notification
	// (IncludeResourceData); Decrypt it with the certificate's private key.
	EncryptedContent *EncryptedContent `json:"encryptedContent,omitempty"`
}

// IsLifecycle reports whether n is a lifecycle notification.
func (n *Notification) IsLifecycle() bool { return n.LifecycleEvent != "" }

// ResourceData identifies the changed item.
type ResourceData struct {
	ODataType string `json:"@odata.type,omitempty"`
	ODataID   string `json:"@odata.id,omitempty"`
	ODataEtag string `json:"@odata.etag,omitempty"`
	ID        string `json:"id,omitempty"`
}

// notificationBatch is the body of a delivery.
type notificationBatch struct {
	Value            []*Notification `json:"value"`
	ValidationTokens []string        `json:"validationTokens,omitempty"`
}

// ReceiverOptions configure a Receiver.
type ReceiverOptions struct {
	// ClientState is the clientState every notification must carry; notifications
	// without it, or with another, are dropped and reported to OnError. Empty accepts
	// only notifications without a clientState.
	ClientState string
	// ClientStates, when set, gives the expected clientState per subscription id
	// instead (ok false drops the notification).
	ClientStates func(subscriptionID string) (clientState string, ok bool)
	// QueueSize bounds the notifications waiting for the caller; default 1000. When
	// full, new notifications are dropped and reported with ErrQueueFull.
	QueueSize int
	// MaxBodyBytes bounds a delivery's body; default 4 MiB.
	MaxBodyBytes int64
	// OnError, when set, is told about dropped notifications (*ClientStateError,
	// ErrQueueFull) and bad requests (ErrBadRequest). It runs on the request's
	// goroutine: keep it short.
	OnError func(error)
}

// Receiver is a webhook endpoint for change and lifecycle notifications, an
// http.Handler. It answers Graph's validation handshake at once (200 text/plain with the
// token), checks clientState in constant time, and queues the notifications for the
// caller, answering 202 without waiting for them to be processed.
type Receiver struct {
	opts  ReceiverOptions
	queue chan *Notification
}

// NewReceiver returns a Receiver. Read what it receives from Notifications.
func NewReceiver(opts ReceiverOptions) *Receiver {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 1000
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	return &Receiver{opts: opts, queue: make(chan *Notification, opts.QueueSize)}
}

// Notifications is the queue of received notifications (change and lifecycle), in
// arrival order.
func (r *Receiver) Notifications() <-chan *Notification { return r.queue }

func (r *Receiver) report(err error) {
	if r.opts.OnError != nil {
		r.opts.OnError(err)
	}
}

// maxTokenLen bounds an echoed validation token.
const maxTokenLen = 4096

// ServeHTTP answers the validation handshake and accepts notification batches.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if tok, ok := req.URL.Query()["validationToken"]; ok {
		if len(tok) != 1 || len(tok[0]) > maxTokenLen {
			r.report(fmt.Errorf("%w: malformed validation request", ErrBadRequest))
			http.Error(w, "bad validation request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, tok[0])
		return
	}
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var batch notificationBatch
	dec := json.NewDecoder(http.MaxBytesReader(w, req.Body, r.opts.MaxBodyBytes))
	if err := dec.Decode(&batch); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			r.report(fmt.Errorf("%w: body larger than %d bytes", ErrBadRequest, r.opts.MaxBodyBytes))
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.report(fmt.Errorf("%w: %v", ErrBadRequest, err))
		http.Error(w, "bad notification body", http.StatusBadRequest)
		return
	}
	// Answer first: Graph wants 2xx within 3 seconds and retries otherwise. The
	// queueing below never blocks.
	w.WriteHeader(http.StatusAccepted)
	for _, n := range batch.Value {
		if n == nil {
			continue
		}
		if !r.clientStateOK(n) {
			r.report(&ClientStateError{SubscriptionID: n.SubscriptionID})
			continue
		}
		select {
		case r.queue <- n:
		default:
			r.report(fmt.Errorf("%w (subscription %s)", ErrQueueFull, n.SubscriptionID))
		}
	}
}

func (r *Receiver) clientStateOK(n *Notification) bool {
	want := r.opts.ClientState
	if r.opts.ClientStates != nil {
		var ok bool
		if want, ok = r.opts.ClientStates(n.SubscriptionID); !ok {
			return false
		}
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(n.ClientState)) == 1
}
