package subscriptions_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/subscriptions"
)

const secret = "s3cret-client-state"

// receiver starts a Receiver on loopback.
func receiver(t *testing.T, opts subscriptions.ReceiverOptions) (*subscriptions.Receiver, string) {
	t.Helper()
	rcv := subscriptions.NewReceiver(opts)
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	return rcv, srv.URL
}

func next(t *testing.T, rcv *subscriptions.Receiver) *subscriptions.Notification {
	t.Helper()
	select {
	case n := <-rcv.Notifications():
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("no notification arrived")
		return nil
	}
}

func TestSubscriptionsCalls(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t)
	subs := acct.Subscriptions()
	_, url := receiver(t, subscriptions.ReceiverOptions{ClientState: secret})
	exp := srv.Now().Add(time.Hour).Truncate(time.Second).UTC()

	var ids []string
	for range 3 {
		sub, err := subs.Create(ctx, &subscriptions.Subscription{
			Resource: "me/mailFolders('Inbox')/messages", ChangeType: subscriptions.Join(subscriptions.Created, subscriptions.Updated),
			NotificationURL: url, ClientState: secret, ExpirationDateTime: exp,
		})
		if err != nil {
			t.Fatal(err)
		}
		if sub.ID == "" || !sub.ExpirationDateTime.Equal(exp) || !sub.ChangeType.Has(subscriptions.Updated) || sub.ChangeType.Has(subscriptions.Deleted) {
			t.Fatalf("created %+v", sub)
		}
		ids = append(ids, sub.ID)
	}
	sort.Strings(ids)

	// Every page, not only the first (python-o365's list_subscriptions reads one page
	// unless a limit makes it paginate).
	var got []string
	for sub, err := range subs.List(ctx, &graph.ListOptions{PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, sub.ID)
	}
	sort.Strings(got)
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Fatalf("List (-want +got):\n%s", diff)
	}
	pages := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" && r.Path == "/v1.0/subscriptions" {
			pages++
		}
	}
	if pages != 3 {
		t.Fatalf("%d pages read", pages)
	}

	sub, err := subs.Get(ctx, ids[0])
	if err != nil || sub.ClientState != secret || sub.Resource != "me/mailFolders('Inbox')/messages" {
		t.Fatalf("Get: %+v %v", sub, err)
	}
	later := srv.Now().Add(48 * time.Hour).Truncate(time.Second)
	if err := sub.Renew(ctx, later); err != nil || !sub.ExpirationDateTime.Equal(later) {
		t.Fatalf("Renew: %v %v", sub.ExpirationDateTime, err)
	}
	_, err = subs.Renew(ctx, ids[0], srv.Now().Add(8*24*time.Hour))
	if !errors.Is(err, graph.ErrBadRequest) || !strings.Contains(err.Error(), "10080 minutes") {
		t.Fatalf("Renew too long: %v", err)
	}
	_, url2 := receiver(t, subscriptions.ReceiverOptions{ClientState: secret})
	if got, err := subs.SetNotificationURL(ctx, ids[0], url2); err != nil || got.NotificationURL != url2 {
		t.Fatalf("SetNotificationURL: %+v %v", got, err)
	}
	if err := sub.Reauthorize(ctx); err != nil {
		t.Fatalf("Reauthorize: %v", err)
	}
	if err := sub.Delete(ctx); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	// Failures are typed errors, not python-o365's False/None.
	for name, err := range map[string]error{
		"get":         func() error { _, err := subs.Get(ctx, ids[0]); return err }(),
		"delete":      subs.Delete(ctx, ids[0]),
		"reauthorize": subs.Reauthorize(ctx, ids[0]),
	} {
		if !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("%s after delete: %v", name, err)
		}
	}

	// Usage errors, before any I/O.
	if _, err := subs.Get(ctx, ""); !errors.Is(err, subscriptions.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
	var unbound subscriptions.Subscription
	if err := unbound.Delete(ctx); !errors.Is(err, subscriptions.ErrUnbound) {
		t.Errorf("unbound: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"id":"x"}`), &unbound); err != nil {
		t.Fatal(err)
	}
	if err := unbound.Renew(ctx, later); !errors.Is(err, subscriptions.ErrUnbound) {
		t.Errorf("decoded: %v", err)
	}
}

func TestSubscriptionsCreateErrors(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t)
	subs := acct.Subscriptions()
	_, url := receiver(t, subscriptions.ReceiverOptions{ClientState: secret})
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	defer failing.Close()
	hour := srv.Now().Add(time.Hour)
	for _, tc := range []struct {
		name string
		sub  subscriptions.Subscription
		want string
	}{
		{"bad resource", subscriptions.Subscription{Resource: "me/nothing", ChangeType: subscriptions.Created, NotificationURL: url, ExpirationDateTime: hour}, "not supported"},
		{"too long", subscriptions.Subscription{Resource: "me/messages", ChangeType: subscriptions.Created, NotificationURL: url, ExpirationDateTime: srv.Now().Add(30 * 24 * time.Hour)}, "10080 minutes"},
		{"handshake fails", subscriptions.Subscription{Resource: "me/messages", ChangeType: subscriptions.Created, NotificationURL: failing.URL, ExpirationDateTime: hour}, "validation request failed"},
		{"bad change type", subscriptions.Subscription{Resource: "me/messages", ChangeType: "moved", NotificationURL: url, ExpirationDateTime: hour}, "changeType"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := subs.Create(ctx, &tc.sub)
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.StatusCode != 400 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a 400 containing %q", err, tc.want)
			}
		})
	}
	// A zero expiry asks for the resource's maximum.
	sub, err := subs.Create(ctx, &subscriptions.Subscription{Resource: "me/messages", ChangeType: subscriptions.Created, NotificationURL: url})
	if err != nil {
		t.Fatal(err)
	}
	if d := sub.ExpirationDateTime.Sub(srv.Now()); d > subscriptions.MaxExpiry("me/messages") || d < subscriptions.MaxExpiry("me/messages")-2*time.Minute {
		t.Fatalf("default expiry in %v", d)
	}
}

// TestNotificationEndToEnd: mail delivered to the user shows up at the Receiver.
func TestNotificationEndToEnd(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t)
	subs := acct.Subscriptions()
	rcv, url := receiver(t, subscriptions.ReceiverOptions{ClientState: secret})
	sub, err := subs.Create(ctx, &subscriptions.Subscription{
		Resource: "me/mailFolders('Inbox')/messages", ChangeType: subscriptions.Created,
		NotificationURL: url, ClientState: secret, ExpirationDateTime: srv.Now().Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	m := acct.Mailbox().NewMessage()
	m.Subject = "Quarterly numbers"
	m.ToRecipients = []graph.Recipient{graph.NewRecipient(srv.DefaultUser().UPN, "")}
	if err := m.Send(ctx); err != nil {
		t.Fatal(err)
	}
	n := next(t, rcv)
	if n.SubscriptionID != sub.ID || n.ChangeType != subscriptions.Created || n.IsLifecycle() || n.ResourceData == nil ||
		n.ResourceData.ODataType != "#Microsoft.Graph.Message" || n.TenantID != srv.TenantID() {
		t.Fatalf("notification %+v", n)
	}
	got, err := acct.Mailbox().Message(ctx, n.ResourceData.ID)
	if err != nil || got.Subject != "Quarterly numbers" {
		t.Fatalf("reading the notified message: %v", err)
	}
}

func TestReceiver(t *testing.T) {
	var mu sync.Mutex
	var errs []error
	rcv, url := receiver(t, subscriptions.ReceiverOptions{
		ClientState: secret, QueueSize: 2,
		OnError: func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() },
	})
	post := func(method, target, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, target, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	lastErr := func() error {
		mu.Lock()
		defer mu.Unlock()
		if len(errs) == 0 {
			return nil
		}
		return errs[len(errs)-1]
	}

	// The handshake: the decoded token, as text/plain, 200.
	token := "Validation: Testing client application reachability for subscription Request-Id: 1 & <b>"
	req, _ := http.NewRequest("POST", url+"?validationToken="+strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(token, " ", "%20"), "&", "%26"), ":", "%3A"), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := new(strings.Builder)
	_, _ = io_copy(body, resp)
	if resp.StatusCode != 200 || body.String() != token || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("handshake: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}

	if r := post("GET", url, ""); r.StatusCode != 405 {
		t.Fatalf("GET: %d", r.StatusCode)
	}
	if r := post("POST", url, "{"); r.StatusCode != 400 || !errors.Is(lastErr(), subscriptions.ErrBadRequest) {
		t.Fatalf("bad body: %d %v", r.StatusCode, lastErr())
	}

	good := `{"subscriptionId":"s1","clientState":"` + secret + `","changeType":"created","resource":"Users/u/Messages/m","resourceData":{"@odata.type":"#Microsoft.Graph.Message","id":"m"}}`
	bad := `{"subscriptionId":"s2","clientState":"guess","changeType":"created"}`
	none := `{"subscriptionId":"s3","changeType":"created"}`
	life := `{"subscriptionId":"s1","clientState":"` + secret + `","lifecycleEvent":"reauthorizationRequired","subscriptionExpirationDateTime":"2026-11-27T10:00:00.0000000Z"}`
	if r := post("POST", url, `{"value":[`+good+`,`+bad+`,`+none+`,`+life+`]}`); r.StatusCode != 202 {
		t.Fatalf("batch: %d", r.StatusCode)
	}
	n := next(t, rcv)
	if n.SubscriptionID != "s1" || n.ResourceData.ID != "m" || n.IsLifecycle() {
		t.Fatalf("first %+v", n)
	}
	n = next(t, rcv)
	if !n.IsLifecycle() || n.LifecycleEvent != subscriptions.ReauthorizationRequired || n.SubscriptionExpirationDateTime.Hour() != 10 {
		t.Fatalf("lifecycle %+v", n)
	}
	mu.Lock()
	var cs *subscriptions.ClientStateError
	nCS := 0
	for _, e := range errs {
		if errors.As(e, &cs) && errors.Is(e, subscriptions.ErrClientState) {
			nCS++
			if strings.Contains(e.Error(), "guess") || strings.Contains(e.Error(), secret) {
				t.Errorf("error shows a clientState: %v", e)
			}
		}
	}
	mu.Unlock()
	if nCS != 2 {
		t.Fatalf("%d clientState errors, want 2", nCS)
	}

	// A full queue drops (and says so) instead of blocking the answer.
	if r := post("POST", url, `{"value":[`+good+`,`+good+`,`+good+`]}`); r.StatusCode != 202 {
		t.Fatalf("flood: %d", r.StatusCode)
	}
	if !errors.Is(lastErr(), subscriptions.ErrQueueFull) {
		t.Fatalf("queue full: %v", lastErr())
	}

	// Per-subscription client states.
	rcv2, url2 := receiver(t, subscriptions.ReceiverOptions{ClientStates: func(id string) (string, bool) { return "per-" + id, id == "a" }})
	post("POST", url2, `{"value":[{"subscriptionId":"a","clientState":"per-a"},{"subscriptionId":"b","clientState":"per-b"}]}`)
	if n := next(t, rcv2); n.SubscriptionID != "a" {
		t.Fatalf("per-subscription %+v", n)
	}
	select {
	case n := <-rcv2.Notifications():
		t.Fatalf("unknown subscription accepted: %+v", n)
	default:
	}
}

func io_copy(b *strings.Builder, resp *http.Response) (int64, error) {
	defer resp.Body.Close()
	buf := make([]byte, 4096)
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		b.Write(buf[:k])
		n += int64(k)
		if err != nil {
			return n, nil
		}
	}
}

func TestMaxExpiry(t *testing.T) {
	for res, want := range map[string]int{
		"me/mailFolders('Inbox')/messages":     10080,
		"/me/messages":                         10080,
		"users/{id}/events":                    10080,
		"me/contacts":                          10080,
		"/teams/{id}/channels/{id}/messages":   60,
		"/chats/{id}/messages":                 60,
		"communications/presences/{id}":        60,
		"/me/drive/root":                       42300,
		"/drives/{id}/root":                    42300,
		"sites/{id}/lists/{id}":                42300,
		"users":                                41760,
		"groups/{id}":                          41760,
		"me/todo/lists/{id}/tasks":             4230,
		"groups/{id}/conversations":            4230,
		"security/alerts?$filter=status eq 1":  43200,
		"/communications/presences?$filter=id": 60,
	} {
		if got := subscriptions.MaxExpiry(res); got != time.Duration(want)*time.Minute {
			t.Errorf("MaxExpiry(%q) = %v, want %d minutes", res, got, want)
		}
	}
}

// TestModelsDecodeExamples: the documented subscriptions and notifications decode
// without loss.
func TestModelsDecodeExamples(t *testing.T) {
	n := 0
	for _, ex := range graphspec.Examples("subscriptions") {
		for _, body := range []any{ex.RequestBody, ex.ResponseBody} {
			m, ok := body.(map[string]any)
			if !ok {
				continue
			}
			raw, _ := json.Marshal(m)
			if v, ok := m["value"].([]any); ok {
				for _, item := range v {
					b, _ := json.Marshal(item)
					var got subscriptions.Notification
					roundTrip(t, b, &got)
					n++
				}
				continue
			}
			if strings.Contains(string(raw), "{") && m["expirationDateTime"] != nil {
				if _, err := time.Parse(time.RFC3339Nano, m["expirationDateTime"].(string)); err != nil {
					continue // placeholder values in the docs
				}
			}
			var got subscriptions.Subscription
			roundTrip(t, raw, &got)
			n++
		}
	}
	if n < 6 {
		t.Fatalf("only %d documented bodies decoded", n)
	}
}

// roundTrip decodes data into v and checks that encoding v gives back every non-null,
// non-empty property with the same value.
func roundTrip(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var want, got map[string]any
	_ = json.Unmarshal(data, &want)
	_ = json.Unmarshal(out, &got)
	for k, w := range want {
		if w == nil || w == "" || w == false || strings.HasPrefix(k, "@odata.context") {
			continue
		}
		g := got[k]
		if ws, ok := w.(string); ok {
			if wt, err := time.Parse(time.RFC3339Nano, ws); err == nil {
				gt, err := time.Parse(time.RFC3339Nano, g.(string))
				if err != nil || !gt.Equal(wt) {
					t.Errorf("%s: %v, documented %v", k, g, w)
				}
				continue
			}
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s lost (-documented +encoded):\n%s", k, diff)
		}
	}
}

// fakeClock is a Clock tests move by hand: After registers a waiter, Advance fires the
// waiters whose time has come.
type fakeClock struct {
	mu      sync.Mutex
	c       *emulator.Clock
	waiters []waiter
	waiting chan struct{}
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func (f *fakeClock) Now() time.Time { return f.c.Now() }

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan time.Time, 1)
	f.waiters = append(f.waiters, waiter{f.c.Now().Add(d), ch})
	select {
	case f.waiting <- struct{}{}:
	default:
	}
	return ch
}

// advanceToNext waits until the Renewer sleeps, then moves the clock to its wake-up time.
func (f *fakeClock) advanceToNext(t *testing.T) {
	t.Helper()
	select {
	case <-f.waiting:
	case <-time.After(20 * time.Second):
		t.Fatal("the renewer never slept")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	w := f.waiters[len(f.waiters)-1]
	f.waiters = nil
	if w.at.After(f.c.Now()) {
		f.c.Set(w.at)
	}
	w.ch <- f.c.Now()
}

func TestRenewer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := emulator.NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	acct, srv := o365test.Start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) {
		o.Now = clock.Now
		o.AccessTokenLifetime = 365 * 24 * time.Hour
	}))
	fc := &fakeClock{c: clock, waiting: make(chan struct{}, 1)}
	subs := acct.Subscriptions(subscriptions.WithClock(clock.Now))
	_, url := receiver(t, subscriptions.ReceiverOptions{})
	mk := func() *subscriptions.Subscription {
		sub, err := subs.Create(ctx, &subscriptions.Subscription{Resource: "me/contacts", ChangeType: subscriptions.Created,
			NotificationURL: url, ExpirationDateTime: clock.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return sub
	}
	a, b := mk(), mk()
	renewed := make(chan *subscriptions.Subscription, 10)
	failed := make(chan error, 10)
	r := &subscriptions.Renewer{
		Subscriptions: subs, Clock: fc, Margin: 10 * time.Minute,
		Lifetime: func(string) time.Duration { return 2 * time.Hour },
		OnRenew:  func(s *subscriptions.Subscription) { renewed <- s },
		OnError:  func(id string, err error) { failed <- err },
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, a.ID, b.ID, "missing-id") }()
	if err := <-failed; !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing id: %v", err)
	}

	fc.advanceToNext(t) // to 50 minutes: both are renewed
	for range 2 {
		got := <-renewed
		if want := clock.Now().Add(2 * time.Hour); !got.ExpirationDateTime.Equal(want) {
			t.Fatalf("renewed to %v, want %v", got.ExpirationDateTime, want)
		}
	}
	if now := clock.Now(); !now.Equal(time.Date(2026, 11, 27, 9, 50, 0, 0, time.UTC)) {
		t.Fatalf("renewed at %v", now)
	}
	got, err := subs.Get(ctx, a.ID)
	if err != nil || got.ExpirationDateTime.Sub(clock.Now()) != 2*time.Hour {
		t.Fatalf("server expiry %v %v", got, err)
	}

	// A subscription deleted meanwhile is reported and dropped.
	if err := subs.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	fc.advanceToNext(t)
	<-renewed
	if err := <-failed; !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	_ = srv
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
}
