package subscriptions

import (
	"context"
	"iter"
	"strings"
	"time"

	"github.com/o365go/o365/graph"
)

// ChangeType is the kind of change a subscription reports: one of the constants, or
// several joined with Join ("created,updated").
type ChangeType string

// Change types.
const (
	Created ChangeType = "created"
	Updated ChangeType = "updated"
	Deleted ChangeType = "deleted"
)

// Join combines change types into Graph's comma-separated form, e.g.
// Join(Created, Updated) is "created,updated".
func Join(types ...ChangeType) ChangeType {
	parts := make([]string, 0, len(types))
	for _, t := range types {
		if t != "" {
			parts = append(parts, string(t))
		}
	}
	return ChangeType(strings.Join(parts, ","))
}

// Has reports whether c (possibly a joined list) includes t.
func (c ChangeType) Has(t ChangeType) bool {
	for _, p := range strings.Split(string(c), ",") {
		if strings.EqualFold(strings.TrimSpace(p), string(t)) {
			return true
		}
	}
	return false
}

// TLSVersion is the latest TLS version a notification endpoint supports.
type TLSVersion string

// TLS versions.
const (
	TLS10 TLSVersion = "v1_0"
	TLS11 TLSVersion = "v1_1"
	TLS12 TLSVersion = "v1_2"
	TLS13 TLSVersion = "v1_3"
)

// Subscription is a change-notification subscription (microsoft.graph.subscription).
// Fill Resource, ChangeType, NotificationURL (and usually ClientState and
// ExpirationDateTime) to create one.
type Subscription struct {
	ID string `json:"id,omitempty"`
	// Resource is the watched resource relative to the service root, e.g.
	// "me/mailFolders('Inbox')/messages" or "/teams/{id}/channels/{id}/messages".
	Resource   string     `json:"resource,omitempty"`
	ChangeType ChangeType `json:"changeType,omitempty"`
	// NotificationURL receives the notifications; Graph requires https.
	NotificationURL string `json:"notificationUrl,omitempty"`
	// LifecycleNotificationURL receives reauthorizationRequired, subscriptionRemoved and
	// missed events; Graph requires it for Teams resources lasting more than an hour.
	LifecycleNotificationURL string `json:"lifecycleNotificationUrl,omitempty"`
	// ExpirationDateTime is when the subscription ends; zero on Create means the
	// longest the resource allows (MaxExpiry).
	ExpirationDateTime time.Time `json:"expirationDateTime"`
	// ClientState is echoed in every notification so the receiver can check where it
	// came from; at most 128 characters.
	ClientState               string     `json:"clientState,omitempty"`
	ApplicationID             string     `json:"applicationId,omitempty"`
	CreatorID                 string     `json:"creatorId,omitempty"`
	IncludeResourceData       bool       `json:"includeResourceData,omitempty"`
	EncryptionCertificate     string     `json:"encryptionCertificate,omitempty"`
	EncryptionCertificateID   string     `json:"encryptionCertificateId,omitempty"`
	LatestSupportedTLSVersion TLSVersion `json:"latestSupportedTlsVersion,omitempty"`
	NotificationQueryOptions  string     `json:"notificationQueryOptions,omitempty"`
	NotificationContentType   string     `json:"notificationContentType,omitempty"`
	NotificationURLAppID      string     `json:"notificationUrlAppId,omitempty"`

	s *Subscriptions
}

// Subscriptions is a handle on the calling app's subscriptions (/subscriptions). It does
// no I/O until a call, is cheap to copy and safe for concurrent use.
type Subscriptions struct {
	c   *graph.Client
	now func() time.Time
}

// Option configures a Subscriptions handle.
type Option func(*Subscriptions)

// WithClock sets the clock used to fill a zero ExpirationDateTime and by Renewers made
// from the handle; default time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Subscriptions) {
		if now != nil {
			s.now = now
		}
	}
}

// New returns a handle on the subscriptions of the client's app.
func New(c *graph.Client, opts ...Option) *Subscriptions {
	s := &Subscriptions{c: c, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Subscriptions) path(id ...string) string {
	return graph.Resource("").Path(append([]string{"subscriptions"}, id...)...)
}

func (s *Subscriptions) bind(sub *Subscription) *Subscription {
	sub.s = s
	return sub
}

// createBody is what Create sends: the settable properties only.
type createBody struct {
	ChangeType                ChangeType `json:"changeType"`
	NotificationURL           string     `json:"notificationUrl"`
	Resource                  string     `json:"resource"`
	ExpirationDateTime        string     `json:"expirationDateTime"`
	ClientState               string     `json:"clientState,omitempty"`
	LifecycleNotificationURL  string     `json:"lifecycleNotificationUrl,omitempty"`
	IncludeResourceData       bool       `json:"includeResourceData,omitempty"`
	EncryptionCertificate     string     `json:"encryptionCertificate,omitempty"`
	EncryptionCertificateID   string     `json:"encryptionCertificateId,omitempty"`
	LatestSupportedTLSVersion TLSVersion `json:"latestSupportedTlsVersion,omitempty"`
	NotificationQueryOptions  string     `json:"notificationQueryOptions,omitempty"`
	NotificationContentType   string     `json:"notificationContentType,omitempty"`
}

// graphTime formats a time as Graph expects it in subscriptions.
func graphTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// Create creates a subscription (POST /subscriptions). Graph first sends a validation
// request to NotificationURL (and LifecycleNotificationURL), which must answer within 10
// seconds (a Receiver does). A zero ExpirationDateTime asks for the longest the resource
// allows (MaxExpiry, less a minute).
func (s *Subscriptions) Create(ctx context.Context, sub *Subscription, opts ...graph.CallOption) (*Subscription, error) {
	if s == nil || s.c == nil {
		return nil, ErrUnbound
	}
	exp := sub.ExpirationDateTime
	if exp.IsZero() {
		// A minute short of the maximum, so clock skew cannot make it too long.
		exp = s.now().Add(MaxExpiry(sub.Resource) - time.Minute)
	}
	body := createBody{
		ChangeType: sub.ChangeType, NotificationURL: sub.NotificationURL, Resource: sub.Resource,
		ExpirationDateTime: graphTime(exp), ClientState: sub.ClientState,
		LifecycleNotificationURL: sub.LifecycleNotificationURL, IncludeResourceData: sub.IncludeResourceData,
		EncryptionCertificate: sub.EncryptionCertificate, EncryptionCertificateID: sub.EncryptionCertificateID,
		LatestSupportedTLSVersion: sub.LatestSupportedTLSVersion, NotificationQueryOptions: sub.NotificationQueryOptions,
		NotificationContentType: sub.NotificationContentType,
	}
	var out Subscription
	if err := s.c.Post(ctx, s.path(), body, &out, opts...); err != nil {
		return nil, err
	}
	return s.bind(&out), nil
}

// List lists the app's active subscriptions (GET /subscriptions), every page; with a
// delegated token, those the app created for the signed-in user.
func (s *Subscriptions) List(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Subscription, error] {
	if s == nil || s.c == nil {
		return func(yield func(*Subscription, error) bool) { yield(nil, ErrUnbound) }
	}
	return func(yield func(*Subscription, error) bool) {
		for sub, err := range graph.List[Subscription](ctx, s.c, s.path(), lo, opts...) {
			if sub != nil {
				s.bind(sub)
			}
			if !yield(sub, err) {
				return
			}
		}
	}
}

// Get reads one subscription (GET /subscriptions/{id}).
func (s *Subscriptions) Get(ctx context.Context, id string, opts ...graph.CallOption) (*Subscription, error) {
	if err := s.check(id); err != nil {
		return nil, err
	}
	var out Subscription
	if err := s.c.Get(ctx, s.path(id), &out, opts...); err != nil {
		return nil, err
	}
	return s.bind(&out), nil
}

// Renew moves a subscription's expiry to exp (PATCH /subscriptions/{id} with
// expirationDateTime). Graph refuses an expiry beyond the resource's maximum
// (MaxExpiry).
func (s *Subscriptions) Renew(ctx context.Context, id string, exp time.Time, opts ...graph.CallOption) (*Subscription, error) {
	return s.patch(ctx, id, map[string]any{"expirationDateTime": graphTime(exp)}, opts...)
}

// SetNotificationURL points a subscription at a new notification URL (PATCH
// notificationUrl); Graph validates the new URL first.
func (s *Subscriptions) SetNotificationURL(ctx context.Context, id, notificationURL string, opts ...graph.CallOption) (*Subscription, error) {
	return s.patch(ctx, id, map[string]any{"notificationUrl": notificationURL}, opts...)
}

func (s *Subscriptions) patch(ctx context.Context, id string, body map[string]any, opts ...graph.CallOption) (*Subscription, error) {
	if err := s.check(id); err != nil {
		return nil, err
	}
	var out Subscription
	if err := s.c.Patch(ctx, s.path(id), body, &out, opts...); err != nil {
		return nil, err
	}
	return s.bind(&out), nil
}

// Delete deletes a subscription (DELETE /subscriptions/{id}); notifications stop.
func (s *Subscriptions) Delete(ctx context.Context, id string, opts ...graph.CallOption) error {
	if err := s.check(id); err != nil {
		return err
	}
	return s.c.Delete(ctx, s.path(id), opts...)
}

// Reauthorize answers a reauthorizationRequired lifecycle event (POST
// /subscriptions/{id}/reauthorize). It does not move the expiry: Renew does.
func (s *Subscriptions) Reauthorize(ctx context.Context, id string, opts ...graph.CallOption) error {
	if err := s.check(id); err != nil {
		return err
	}
	return s.c.Post(ctx, s.path(id, "reauthorize"), nil, nil, opts...)
}

func (s *Subscriptions) check(id string) error {
	if s == nil || s.c == nil {
		return ErrUnbound
	}
	if id == "" {
		return ErrEmptyID
	}
	return nil
}

// Renew moves the subscription's expiry to exp and updates sub.
func (sub *Subscription) Renew(ctx context.Context, exp time.Time, opts ...graph.CallOption) error {
	got, err := sub.s.Renew(ctx, sub.ID, exp, opts...)
	if err != nil {
		return err
	}
	*sub = *got
	return nil
}

// Delete deletes the subscription.
func (sub *Subscription) Delete(ctx context.Context, opts ...graph.CallOption) error {
	return sub.s.Delete(ctx, sub.ID, opts...)
}

// Reauthorize reauthorizes the subscription.
func (sub *Subscription) Reauthorize(ctx context.Context, opts ...graph.CallOption) error {
	return sub.s.Reauthorize(ctx, sub.ID, opts...)
}

// MaxExpiry is the documented maximum length of a subscription to resource
// (subscription resource type, "Maximum length of subscription per resource type"):
// Outlook messages, events and contacts 10,080 minutes; OneDrive items and SharePoint
// lists 42,300; users and groups 41,760; Teams chat and channel messages and presence
// 60; security alerts 43,200; others (To Do tasks, group conversations, ...) 4,230.
// Subscriptions with resource data (IncludeResourceData) to Outlook resources get 1,440.
func MaxExpiry(resource string) time.Duration {
	p, _, _ := strings.Cut(strings.ToLower(strings.TrimPrefix(strings.TrimSpace(resource), "/")), "?")
	segs := strings.Split(p, "/")
	last := ""
	for i := len(segs) - 1; i >= 0; i-- {
		if s := segs[i]; s != "" {
			last, _, _ = strings.Cut(s, "(")
			break
		}
	}
	first, _, _ := strings.Cut(segs[0], "(")
	minutes := 4230
	switch {
	case strings.Contains(p, "communications/presences"):
		minutes = 60
	case (first == "teams" || first == "chats") && (last == "messages" || last == "getallmessages"):
		minutes = 60
	case last == "messages" || last == "events" || last == "contacts":
		minutes = 10080
	case last == "root" || first == "drives" || strings.Contains(p, "/drive/"):
		minutes = 42300
	case first == "sites" && strings.Contains(p, "/lists"):
		minutes = 42300
	case p == "users" || p == "groups" || (first == "users" || first == "groups") && len(segs) == 2:
		minutes = 41760
	case strings.HasPrefix(p, "security/alerts"):
		minutes = 43200
	}
	return time.Duration(minutes) * time.Minute
}
