package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Throttling configures Outlook's per-mailbox limits. They apply per app
// and mailbox to the mail routes, as Exchange Online does.
type Throttling struct {
	// Enabled switches throttling on.
	Enabled bool
	// MaxConcurrent is the number of requests one app may have in flight
	// against one mailbox (Outlook: 4); 0 means no concurrency limit.
	MaxConcurrent int
	// Window and MaxRequests form the sliding request window (Outlook:
	// 10,000 requests per 10 minutes); 0 means no window limit.
	Window      time.Duration
	MaxRequests int
	// RetryAfter is the wait announced in Retry-After; zero means the
	// time until the window admits a request again (at least 1s).
	RetryAfter time.Duration
	// RetryAfterForm selects how Retry-After is written; default seconds.
	RetryAfterForm RetryAfterForm
}

// OutlookThrottling is Exchange Online's documented limits.
func OutlookThrottling() Throttling {
	return Throttling{Enabled: true, MaxConcurrent: 4, Window: 10 * time.Minute, MaxRequests: 10000}
}

type throttleKey struct{ app, mailbox string }

type throttleState struct {
	inflight int
	times    []time.Time // request times in the window, oldest first
}

type throttler struct {
	now   func() time.Time
	mu    sync.Mutex
	cfg   Throttling
	state map[throttleKey]*throttleState
}

func newThrottler(now func() time.Time) *throttler {
	return &throttler{now: now, state: map[throttleKey]*throttleState{}}
}

func (t *throttler) set(cfg Throttling) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cfg = cfg
	t.state = map[throttleKey]*throttleState{}
}

// acquire admits a mailbox request or answers 429 ApplicationThrottled.
// The caller must call release when the request is done.
func (t *throttler) acquire(c *call, mailbox string) (release func(), _ *graphError) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.cfg.Enabled {
		return func() {}, nil
	}
	if u, ok := c.s.lookupUser(mailbox); ok {
		mailbox = u.ID
	}
	k := throttleKey{app: c.claims.ClientID, mailbox: strings.ToLower(mailbox)}
	st := t.state[k]
	if st == nil {
		st = &throttleState{}
		t.state[k] = st
	}
	now := t.now()
	if t.cfg.Window > 0 {
		cut := 0
		for cut < len(st.times) && !st.times[cut].After(now.Add(-t.cfg.Window)) {
			cut++
		}
		st.times = st.times[cut:]
	}
	wait := t.cfg.RetryAfter
	switch {
	case t.cfg.MaxConcurrent > 0 && st.inflight >= t.cfg.MaxConcurrent:
		if wait <= 0 {
			wait = time.Second
		}
		return nil, c.throttled(wait, t.cfg.RetryAfterForm, "Application is over its MailboxConcurrency limit.")
	case t.cfg.Window > 0 && t.cfg.MaxRequests > 0 && len(st.times) >= t.cfg.MaxRequests:
		if wait <= 0 {
			wait = st.times[0].Add(t.cfg.Window).Sub(now)
			if wait < time.Second {
				wait = time.Second
			}
		}
		return nil, c.throttled(wait, t.cfg.RetryAfterForm, "Application is over its MailboxRequests limit.")
	}
	st.inflight++
	st.times = append(st.times, now)
	return func() {
		t.mu.Lock()
		st.inflight--
		t.mu.Unlock()
	}, nil
}

// throttled builds a 429 ApplicationThrottled answer and notes when the
// client may retry.
func (c *call) throttled(wait time.Duration, form RetryAfterForm, msg string) *graphError {
	e := errorf(http.StatusTooManyRequests, "ApplicationThrottled", msg)
	if v, ok, at := retryAfterValue(form, wait, c.now); ok {
		e.header = http.Header{"Retry-After": {v}}
		c.setRetryAt(at)
	}
	return e
}

// ParseThrottling reads Throttling from its flag form: "off", "outlook"
// (Exchange Online's limits: 4 concurrent, 10,000 requests per 10
// minutes), or comma-separated key=value items: concurrent, window,
// requests, retry-after, retry-form (seconds, fractional, date, none),
// e.g. "concurrent=2,window=1m,requests=100,retry-after=5s".
func ParseThrottling(spec string) (Throttling, error) {
	spec = strings.TrimSpace(spec)
	switch strings.ToLower(spec) {
	case "", "off", "none", "false":
		return Throttling{}, nil
	case "outlook", "on", "true":
		return OutlookThrottling(), nil
	}
	t := Throttling{Enabled: true}
	for _, item := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return Throttling{}, fmt.Errorf("emulator: throttling %q: item %q is not key=value", spec, item)
		}
		var err error
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "concurrent":
			t.MaxConcurrent, err = strconv.Atoi(v)
		case "window":
			t.Window, err = parseDurationOrSeconds(v)
		case "requests":
			t.MaxRequests, err = strconv.Atoi(v)
		case "retry-after":
			t.RetryAfter, err = parseDurationOrSeconds(v)
		case "retry-form":
			f, e := ParseFault("retry-form=" + v)
			t.RetryAfterForm, err = f.RetryAfterForm, e
		default:
			err = fmt.Errorf("unknown key %q", k)
		}
		if err == nil && (t.MaxConcurrent < 0 || t.MaxRequests < 0) {
			err = fmt.Errorf("negative limit")
		}
		if err != nil {
			return Throttling{}, fmt.Errorf("emulator: throttling %q: %w", spec, err)
		}
	}
	return t, nil
}
