package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// loopbackHost reports whether a URL host is a loopback name or address.
func loopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// deliverable reports whether the emulator may send to u: plain http on a
// loopback host, nothing else, ever.
func deliverable(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || !loopbackHost(u.Hostname()) {
		return nil, false
	}
	return u, true
}

// newDeliveryClient is the HTTP client of deliveries: no proxy, no
// redirects, no kept-alive connections, and a dialer that refuses any
// address that is not loopback (whatever a name resolves to).
func newDeliveryClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy:             nil,
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
			if err != nil {
				return nil, err
			}
			for _, ip := range ips {
				if ip.IP.IsLoopback() {
					return d.DialContext(ctx, network, net.JoinHostPort(ip.IP.String(), port))
				}
			}
			return nil, errors.New("emulator: notifications go to loopback addresses only")
		},
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// httpClient returns the delivery client, making it once; st.mu must be held.
func (st *subsState) httpClient() *http.Client {
	if st.client == nil {
		st.client = newDeliveryClient()
	}
	return st.client
}

func errValidationFailed() *graphError {
	return errorf(http.StatusBadRequest, "InvalidRequest",
		"Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.")
}

// validateEndpoint performs the validation handshake: POST
// url?validationToken=... (text/plain); the endpoint must answer 200 with
// the decoded token as text/plain within the handshake timeout.
func (s *Server) validateEndpoint(c *call, raw string) *graphError {
	u, ok := deliverable(raw)
	if !ok {
		e := errValidationFailed()
		e.message += " (The emulator sends notifications only to http URLs on loopback hosts.)"
		return e
	}
	st := &s.subs
	st.mu.Lock()
	cfg := st.config()
	client := st.httpClient()
	st.mu.Unlock()
	token := "Validation: Testing client application reachability for subscription Request-Id: " + newUUID()
	q := u.Query()
	q.Set("validationToken", token)
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(c.r.Context(), cfg.HandshakeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
	if err != nil {
		return errValidationFailed()
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return errorf(http.StatusBadRequest, "InvalidRequest", "Subscription validation request timed out.")
		}
		return errValidationFailed()
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(len(token))+1024))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return errorf(http.StatusBadRequest, "InvalidRequest", "Subscription validation request timed out.")
		}
		return errValidationFailed()
	}
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode != http.StatusOK || string(body) != token || (ct != "" && !strings.HasPrefix(strings.ToLower(ct), "text/plain")) {
		return errValidationFailed()
	}
	return nil
}

// changeNotification is one notification in a delivery.
type changeNotification struct {
	ID                             string              `json:"id"`
	SubscriptionID                 string              `json:"subscriptionId"`
	SubscriptionExpirationDateTime string              `json:"subscriptionExpirationDateTime"`
	ClientState                    *string             `json:"clientState"`
	ChangeType                     string              `json:"changeType"`
	Resource                       string              `json:"resource"`
	TenantID                       string              `json:"tenantId"`
	ResourceData                   changeNotifResource `json:"resourceData"`
	EncryptedContent               *encryptedContent   `json:"encryptedContent,omitempty"`
}

type changeNotifResource struct {
	ODataType string `json:"@odata.type"`
	ODataID   string `json:"@odata.id"`
	ODataEtag string `json:"@odata.etag,omitempty"`
	ID        string `json:"id"`
}

// lifecycleNotification is one lifecycle notification.
type lifecycleNotification struct {
	SubscriptionID                 string  `json:"subscriptionId"`
	SubscriptionExpirationDateTime string  `json:"subscriptionExpirationDateTime"`
	TenantID                       string  `json:"tenantId"`
	ClientState                    *string `json:"clientState"`
	LifecycleEvent                 string  `json:"lifecycleEvent"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// addSubscription stores a validated subscription and starts the engine.
func (s *Server) addSubscription(sub *subscription) {
	st := &s.subs
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.subs == nil {
		st.subs = map[string]*subscription{}
		st.boxes = map[string]*outbox{}
	}
	st.subs[sub.ID] = sub
	st.count.Store(int32(len(st.subs)))
	s.startDeliveries()
}

// startDeliveries starts the delivery goroutine once; st.mu must be held.
func (s *Server) startDeliveries() {
	st := &s.subs
	if st.started || st.closed {
		return
	}
	st.started = true
	st.ctx, st.cancel = context.WithCancel(context.Background())
	st.wake = make(chan struct{}, 1)
	st.httpClient()
	st.wg.Add(1)
	go s.deliveryLoop(st.ctx, st.wake)
}

// stopDeliveries stops the delivery goroutine and waits for deliveries in
// flight to end; Close calls it.
func (s *Server) stopDeliveries() {
	st := &s.subs
	st.mu.Lock()
	st.closed = true
	if st.cancel != nil {
		st.cancel()
	}
	st.mu.Unlock()
	st.wg.Wait()
}

// box returns a subscription's outbox, creating it; st.mu must be held.
func (st *subsState) box(sub *subscription, lifecycle bool) *outbox {
	key, url := sub.ID+"/n", sub.NotificationURL
	if lifecycle {
		key, url = sub.ID+"/l", sub.LifecycleURL
	}
	b := st.boxes[key]
	if b == nil {
		b = &outbox{subID: sub.ID, lifecycle: lifecycle, url: url}
		st.boxes[key] = b
	}
	return b
}

// enqueueLifecycle queues a lifecycle event; st.mu must be held.
func (st *subsState) enqueueLifecycle(sub *subscription, event, tenant string) {
	if sub.LifecycleURL == "" {
		return
	}
	b, _ := json.Marshal(lifecycleNotification{
		SubscriptionID: sub.ID, SubscriptionExpirationDateTime: graphTime(sub.Expiration),
		TenantID: tenant, ClientState: optional(sub.ClientState), LifecycleEvent: event,
	})
	box := st.box(sub, true)
	box.gone = false
	box.items = append(box.items, b)
}

// removeSubscription deletes a subscription. An expired one gets a
// subscriptionRemoved lifecycle notification; a deleted one drops what it
// had queued.
func (s *Server) removeSubscription(id string, expired bool) {
	st := &s.subs
	st.mu.Lock()
	s.removeSubscriptionLocked(id, expired)
	st.mu.Unlock()
	st.poke()
}

func (s *Server) removeSubscriptionLocked(id string, expired bool) {
	st := &s.subs
	sub, ok := st.subs[id]
	if !ok {
		return
	}
	delete(st.subs, id)
	st.count.Store(int32(len(st.subs)))
	undelivered := false
	if b := st.boxes[id+"/n"]; b != nil {
		undelivered = len(b.items) > 0
		b.items, b.gone = nil, true
	}
	if expired {
		if undelivered {
			st.enqueueLifecycle(sub, "missed", s.tenant)
		}
		st.enqueueLifecycle(sub, "subscriptionRemoved", s.tenant)
		if b := st.boxes[id+"/l"]; b != nil {
			b.gone = true // delivered, then dropped
		}
	} else if b := st.boxes[id+"/l"]; b != nil {
		b.items, b.gone = nil, true
	}
}

// CheckSubscriptions runs the subscription checks at once, on the server
// clock: expired subscriptions are removed (with a subscriptionRemoved
// lifecycle notification) and those about to expire get
// reauthorizationRequired. The delivery goroutine runs them every
// NotificationDelivery.SweepInterval; tests with a fake clock call this
// after Advance.
func (s *Server) CheckSubscriptions() { s.expireSubscriptions() }

func (s *Server) expireSubscriptions() {
	st := &s.subs
	if st.count.Load() == 0 {
		return
	}
	now := s.now()
	st.mu.Lock()
	cfg := st.config()
	for id, sub := range st.subs {
		switch {
		case !now.Before(sub.Expiration):
			s.removeSubscriptionLocked(id, true)
		case !sub.reauthSent && sub.Expiration.Sub(now) <= cfg.ReauthorizeBefore:
			sub.reauthSent = true
			st.enqueueLifecycle(sub, "reauthorizationRequired", s.tenant)
		}
	}
	st.mu.Unlock()
	st.poke()
}

// deliverChange queues a change for the subscriptions that watch one of
// its topics (publish in changes.go calls it).
func (s *Server) deliverChange(ch change) {
	st := &s.subs
	if st.count.Load() == 0 {
		return
	}
	now := s.now()
	typ := strings.ToLower(ch.Type)
	st.mu.Lock()
	queued := false
	for _, sub := range st.subs {
		typ := typ
		if sub.kind.onlyUpdated() {
			typ = "updated" // drive roots and lists report every change as updated
		}
		if !sub.changeTypes[typ] || !now.Before(sub.Expiration) || !sharesTopic(sub.topics, ch.Topics) {
			continue
		}
		n := changeNotification{
			ID: newUUID(), SubscriptionID: sub.ID, SubscriptionExpirationDateTime: graphTime(sub.Expiration),
			ClientState: optional(sub.ClientState), ChangeType: typ, Resource: ch.Resource, TenantID: s.tenant,
			ResourceData: changeNotifResource{ODataType: ch.ODataType, ODataID: ch.Resource, ODataEtag: ch.ETag, ID: ch.ID},
		}
		if sub.rich != nil && len(ch.Data) > 0 {
			ec, err := sub.rich.encrypt(ch.Data, sub.EncryptionCertificateID)
			if err != nil {
				continue
			}
			n.EncryptedContent = ec
		}
		b, err := json.Marshal(n)
		if err != nil {
			continue
		}
		box := st.box(sub, false)
		if len(box.items) >= maxOutbox {
			if !box.overflowed { // one missed event per overflow, not one per dropped item
				box.overflowed = true
				st.enqueueLifecycle(sub, "missed", s.tenant)
			}
			continue
		}
		box.items = append(box.items, b)
		queued = true
	}
	st.mu.Unlock()
	if queued {
		st.poke()
	}
}

func sharesTopic(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// deliveryLoop is the server's delivery goroutine.
func (s *Server) deliveryLoop(ctx context.Context, wake <-chan struct{}) {
	st := &s.subs
	defer st.wg.Done()
	t := time.NewTimer(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
		s.expireSubscriptions()
		wait := s.dispatch(ctx)
		t.Stop()
		select {
		case <-t.C:
		default:
		}
		t.Reset(wait)
	}
}

// dispatch starts a delivery for each outbox that has notifications, none
// in flight and no retry pending; it returns how long to sleep before the
// next retry or sweep.
func (s *Server) dispatch(ctx context.Context) time.Duration {
	st := &s.subs
	st.mu.Lock()
	defer st.mu.Unlock()
	cfg := st.config()
	wait := cfg.SweepInterval
	now := time.Now()
	for key, b := range st.boxes {
		if b.inflight {
			continue
		}
		if len(b.items) == 0 {
			if b.gone {
				delete(st.boxes, key)
			}
			continue
		}
		if d := b.retryAt.Sub(now); d > 0 {
			wait = min(wait, d)
			continue
		}
		n := min(len(b.items), cfg.BatchSize)
		batch := b.items[:n:n]
		b.inflight = true
		st.wg.Add(1)
		go s.attempt(ctx, b, batch, b.url, cfg, st.httpClient())
	}
	return max(wait, time.Millisecond)
}

// attempt POSTs one batch and records the outcome.
func (s *Server) attempt(ctx context.Context, b *outbox, batch []json.RawMessage, target string, cfg NotificationDelivery, client *http.Client) {
	st := &s.subs
	defer st.wg.Done()
	err := post(ctx, client, target, batch, cfg.Timeout)
	st.attempts.Add(1)
	st.mu.Lock()
	b.inflight = false
	if err == nil {
		if len(b.items) >= len(batch) {
			b.items = b.items[len(batch):]
		}
		b.backoff, b.retryAt, b.failingSince = 0, time.Time{}, time.Time{}
		b.overflowed = false
	} else if ctx.Err() == nil {
		now := s.now()
		if b.failingSince.IsZero() {
			b.failingSince = now
		}
		if now.Sub(b.failingSince) >= cfg.RetryFor {
			// Give up: drop what is queued and say so.
			b.items = nil
			b.backoff, b.retryAt, b.failingSince = 0, time.Time{}, time.Time{}
			if sub, ok := st.subs[b.subID]; ok && !b.lifecycle {
				st.enqueueLifecycle(sub, "missed", s.tenant)
			}
		} else {
			if b.backoff == 0 {
				b.backoff = cfg.RetryBackoff
			} else {
				b.backoff = min(2*b.backoff, cfg.MaxBackoff)
			}
			b.retryAt = time.Now().Add(b.backoff)
		}
	}
	st.mu.Unlock()
	st.poke()
}

// post delivers {"value":[...]} to target; any 2xx within timeout is success.
func post(ctx context.Context, client *http.Client, target string, batch []json.RawMessage, timeout time.Duration) error {
	if _, ok := deliverable(target); !ok {
		return errors.New("emulator: not a loopback http URL")
	}
	var buf bytes.Buffer
	buf.WriteString(`{"value":[`)
	for i, item := range batch {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(item)
	}
	buf.WriteString(`]}`)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("emulator: receiver answered %d", resp.StatusCode)
	}
	return nil
}

// NotificationAttempts is how many deliveries (change and lifecycle
// notifications, successful or not) the server has attempted.
func (s *Server) NotificationAttempts() int64 { return s.subs.attempts.Load() }
