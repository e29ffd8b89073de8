package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Change notifications (subscription-post-subscriptions.md, webhooks.md,
// change-notifications-delivery-webhooks.md, webhooks-lifecycle.md).
//
// Subscriptions live in subsState. Creating one performs the validation
// handshake against its notificationUrl (and lifecycleNotificationUrl).
// Areas publish changes (changes.go); matching subscriptions queue change
// notifications in an outbox per subscription, which a background goroutine
// per server delivers in batches, retrying with backoff while the receiver
// is slow or down. The goroutine starts with the first subscription and
// stops on Close. Only http URLs on loopback hosts are ever contacted.

// NotificationDelivery tunes how the emulator delivers change notifications.
// Zero fields take Graph's documented values.
type NotificationDelivery struct {
	// HandshakeTimeout bounds the validation request of a new subscription;
	// default 10s, as Graph allows.
	HandshakeTimeout time.Duration
	// Timeout bounds one delivery; a receiver slower than this is retried.
	// Default 3s, as Graph expects an answer within 3 seconds.
	Timeout time.Duration
	// RetryBackoff is the wait before the first retry of a failed delivery,
	// doubled on each further failure up to MaxBackoff; default 5s and 2min.
	RetryBackoff time.Duration
	// MaxBackoff caps the retry wait.
	MaxBackoff time.Duration
	// RetryFor is how long, on the server clock, a failing delivery is
	// retried before its notifications are dropped and a "missed"
	// lifecycle notification is sent; default 4h.
	RetryFor time.Duration
	// ReauthorizeBefore is how long before expiry a subscription gets a
	// reauthorizationRequired lifecycle notification; default 15min.
	ReauthorizeBefore time.Duration
	// BatchSize is the most notifications one delivery carries; default 100.
	BatchSize int
	// SweepInterval is how often (real time) expiry and lifecycle checks
	// run; default 1s. CheckSubscriptions runs them at once.
	SweepInterval time.Duration
}

func (d NotificationDelivery) withDefaults() NotificationDelivery {
	def := func(v *time.Duration, x time.Duration) {
		if *v <= 0 {
			*v = x
		}
	}
	def(&d.HandshakeTimeout, 10*time.Second)
	def(&d.Timeout, 3*time.Second)
	def(&d.RetryBackoff, 5*time.Second)
	def(&d.MaxBackoff, 2*time.Minute)
	def(&d.RetryFor, 4*time.Hour)
	def(&d.ReauthorizeBefore, 15*time.Minute)
	def(&d.SweepInterval, time.Second)
	if d.BatchSize <= 0 {
		d.BatchSize = 100
	}
	if d.MaxBackoff < d.RetryBackoff {
		d.MaxBackoff = d.RetryBackoff
	}
	return d
}

// subsState is the subscriptions area. The zero value is ready.
type subsState struct {
	mu    sync.Mutex
	subs  map[string]*subscription
	boxes map[string]*outbox // by subscription id + "/n" or "/l"
	cfg   NotificationDelivery
	// count mirrors len(subs) so publish returns at once when nobody listens.
	count atomic.Int32

	started bool
	closed  bool
	ctx     context.Context
	cancel  context.CancelFunc
	wake    chan struct{}
	wg      sync.WaitGroup
	client  *http.Client
	// delivered counts attempts, for tests and the request log.
	attempts atomic.Int64
}

// subscription is one stored subscription.
type subscription struct {
	ID                       string
	Resource                 string
	ChangeType               string
	changeTypes              map[string]bool
	NotificationURL          string
	LifecycleURL             string
	Expiration               time.Time
	ClientState              string
	ApplicationID            string
	CreatorID                string
	TLSVersion               string
	IncludeResourceData      bool
	EncryptionCertificateID  string
	NotificationQueryOptions string
	NotificationContentType  string
	topics                   []string
	kind                     resourceKind
	reauthSent               bool
	// rich is the encryption key of a subscription with includeResourceData.
	rich *richKey
}

// outbox is the queue of one subscription's notifications (or lifecycle
// notifications) waiting for delivery.
type outbox struct {
	subID     string
	lifecycle bool
	url       string
	items     []json.RawMessage
	inflight  bool
	retryAt   time.Time // real time of the next attempt after a failure
	backoff   time.Duration
	// failingSince is the server time of the first failed attempt of the
	// current streak; zero while deliveries succeed.
	failingSince time.Time
	// gone marks a box whose subscription was deleted: it is dropped once
	// idle.
	gone bool
	// overflowed is set when the queue was full and a "missed" lifecycle
	// notification was queued; a successful delivery clears it.
	overflowed bool
}

// maxOutbox bounds a subscription's queue; older notifications beyond it
// are dropped and reported as missed.
const maxOutbox = 10000

// resourceKind groups resources by their maximum subscription length.
type resourceKind int

const (
	kindOutlook resourceKind = iota // message, event, contact
	kindTodo
	kindDrive
	kindList
	kindTeamsMessage
	kindPresence
	kindPlanner
)

// maxMinutes is the documented maximum subscription length per resource
// (subscription.md, "Maximum length of subscription per resource type").
func (k resourceKind) maxMinutes() int {
	switch k {
	case kindOutlook:
		return 10080
	case kindDrive, kindList:
		return 42300
	case kindTeamsMessage, kindPresence:
		return 60
	default:
		return 4230
	}
}

// teams reports whether the resource is a Teams one, for which Graph needs
// a lifecycleNotificationUrl when the subscription lasts more than an hour.
func (k resourceKind) teams() bool { return k == kindTeamsMessage || k == kindPresence }

// onlyUpdated reports whether the resource supports only "updated" (drive
// roots and lists).
func (k resourceKind) onlyUpdated() bool { return k == kindDrive || k == kindList }

// SetNotificationDelivery changes how change notifications are delivered
// (timeouts, retry backoff); zero fields keep Graph's values.
func (s *Server) SetNotificationDelivery(d NotificationDelivery) {
	st := &s.subs
	st.mu.Lock()
	st.cfg = d.withDefaults()
	st.mu.Unlock()
	st.poke()
}

// config returns the delivery settings; st.mu must be held.
func (st *subsState) config() NotificationDelivery {
	if st.cfg.Timeout == 0 {
		st.cfg = st.cfg.withDefaults()
	}
	return st.cfg
}

// poke wakes the delivery goroutine without blocking.
func (st *subsState) poke() {
	st.mu.Lock()
	w := st.wake
	st.mu.Unlock()
	if w == nil {
		return
	}
	select {
	case w <- struct{}{}:
	default:
	}
}

// subscriptionJSON is the served representation of a subscription.
func (sub *subscription) json(tenantBase string) map[string]any {
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return map[string]any{
		"id":                        sub.ID,
		"resource":                  sub.Resource,
		"applicationId":             sub.ApplicationID,
		"changeType":                sub.ChangeType,
		"clientState":               nullable(sub.ClientState),
		"notificationUrl":           sub.NotificationURL,
		"notificationQueryOptions":  nullable(sub.NotificationQueryOptions),
		"lifecycleNotificationUrl":  nullable(sub.LifecycleURL),
		"expirationDateTime":        graphTime(sub.Expiration),
		"creatorId":                 sub.CreatorID,
		"includeResourceData":       sub.IncludeResourceData,
		"latestSupportedTlsVersion": sub.TLSVersion,
		"encryptionCertificate":     nil,
		"encryptionCertificateId":   nullable(sub.EncryptionCertificateID),
		"notificationUrlAppId":      nil,
		"notificationContentType":   nullable(sub.NotificationContentType),
	}
}

// graphTime formats a time as Graph's subscription dates, with seven
// fractional digits.
func graphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// lowerSegs lower-cases the literal segments of a parsed resource for
// comparison.
func lowerSegs(segs []string) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = strings.ToLower(s)
	}
	return out
}
