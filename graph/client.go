package graph

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is the library version sent in the User-Agent header.
const Version = "0.1.0"

// Defaults for timeouts. They keep every call bounded even when the caller's context has
// no deadline.
const (
	// DefaultTimeout bounds one call (all attempts, waits between them and, for Do and its
	// helpers, reading the body). It leaves room for a Retry-After of several minutes.
	DefaultTimeout = 15 * time.Minute
	// DefaultAttemptTimeout bounds the wait for the response headers of one attempt.
	DefaultAttemptTimeout = 100 * time.Second
)

// TokenSource supplies bearer tokens. force=true asks for a fresh token (after a 401).
type TokenSource interface {
	AccessToken(ctx context.Context, force bool) (string, error)
}

// Client talks to Microsoft Graph: it resolves paths against the Protocol's service URL,
// injects tokens, adds default headers, retries throttled and transient failures, holds
// every caller back while Graph asks the client to wait, and turns failures into *Error.
// A Client is safe for concurrent use; make one and share it.
type Client struct {
	ts          TokenSource
	proto       Protocol
	service     *url.URL // parsed ServiceURL, path without trailing slash
	hc          *http.Client
	log         *slog.Logger
	userAgent   string
	header      http.Header // default headers
	prefer      []string    // default Prefer values
	timeout     time.Duration
	attemptTime time.Duration
	retry       RetryPolicy
	clock       clock
	gate        gate
	zones       Zones
}

// Option configures a Client in NewClient.
type Option func(*Client) error

// NewClient returns a Client that gets tokens from ts. A nil ts sends no Authorization
// header (for an emulator without auth, or pre-authorised URLs).
func NewClient(ts TokenSource, opts ...Option) (*Client, error) {
	c := &Client{
		ts:          ts,
		hc:          defaultHTTPClient(),
		userAgent:   defaultUserAgent(),
		header:      http.Header{},
		timeout:     DefaultTimeout,
		attemptTime: DefaultAttemptTimeout,
		clock:       realClock{},
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if err := c.proto.Validate(); err != nil {
		return nil, err
	}
	u, err := url.Parse(c.proto.ServiceURL())
	if err != nil {
		return nil, fmt.Errorf("graph: service URL: %w", err)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	c.service = u
	c.retry = c.retry.withDefaults()
	return c, nil
}

// Protocol returns the Protocol the client was made with.
func (c *Client) Protocol() Protocol { return c.proto }

// Zones returns the client's time-zone cache, for converting the DateTimeTimeZone values
// of its responses without reading a zone's data more than once:
//
//	start, err := c.Zones().Time(event.Start)
func (c *Client) Zones() *Zones { return &c.zones }

// ServiceURL returns the root relative paths are joined to, e.g. "https://graph.microsoft.com/v1.0".
func (c *Client) ServiceURL() string { return c.service.String() }

// WithProtocol sets the cloud, API version and base URLs (default: Graph v1.0, global cloud).
func WithProtocol(p Protocol) Option {
	return func(c *Client) error {
		if err := p.Validate(); err != nil {
			return err
		}
		c.proto = p
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for every request. Its Timeout, if any, applies
// too; the default client has none because the Client bounds each call itself. The Client
// uses a copy of hc whose CheckRedirect first removes the Authorization header from any
// redirect that leaves the original scheme, host and port, then calls hc's own
// CheckRedirect (or applies net/http's limit of 10 redirects); hc itself is not changed.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return fmt.Errorf("graph: WithHTTPClient(nil)")
		}
		cp := *hc
		cp.CheckRedirect = stripAuthOnRedirect(hc.CheckRedirect)
		c.hc = &cp
		return nil
	}
}

// WithLogger logs requests (Debug) and retry decisions (Info) to l. Authorization headers,
// tokens and secret query values are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error { c.log = l; return nil }
}

// WithUserAgent puts product (e.g. "myapp/1.2") in front of the library's own User-Agent.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		if product = strings.TrimSpace(product); product != "" {
			c.userAgent = product + " " + defaultUserAgent()
		}
		return nil
	}
}

// WithHeader adds a header sent on every request (a request's own header wins).
func WithHeader(key, value string) Option {
	return func(c *Client) error { c.header.Add(key, value); return nil }
}

// WithTimeout bounds each call: every attempt, every wait between attempts and, for Do and
// its helpers, reading the body (default DefaultTimeout). The caller's context may end it
// sooner. d <= 0 removes the bound (each attempt still has its header timeout).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error { c.timeout = d; return nil }
}

// WithAttemptTimeout bounds the wait for the response headers of one attempt (default
// DefaultAttemptTimeout). A timed-out idempotent attempt is retried.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("graph: WithAttemptTimeout(%v): must be positive", d)
		}
		c.attemptTime = d
		return nil
	}
}

// WithRetry sets the retry policy; zero fields take their defaults (see RetryPolicy).
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error { c.retry = p; return nil }
}

// WithPrefer adds default Prefer values, e.g. `outlook.timezone="Europe/Paris"`. A request
// that sets the same preference overrides it.
func WithPrefer(values ...string) Option {
	return func(c *Client) error {
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" {
				c.prefer = append(c.prefer, v)
			}
		}
		return nil
	}
}

// WithClock replaces the clock used for Retry-After deadlines, the throttle gate and the
// sleeps between attempts, so tests need not wait. sleep must return ctx.Err() when ctx
// ends first. Either may be nil to keep the real one.
func WithClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) error {
		c.clock = funcClock{now: now, sleep: sleep}
		return nil
	}
}

func defaultUserAgent() string {
	return "o365-go/" + Version + " ISV|o365go|o365/" + Version
}

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16 // Outlook allows 4 concurrent per mailbox; several mailboxes share a host
	return &http.Client{Transport: t, CheckRedirect: stripAuthOnRedirect(nil)}
}

// stripAuthOnRedirect returns a CheckRedirect that removes the Authorization header when a
// redirect leaves the origin (scheme, host and port) of the first request, then defers to
// next (nil: net/http's default of at most 10 redirects). net/http alone keeps the header
// for a redirect to another port or scheme of the same host and to a subdomain, which would
// hand the bearer token to a service that never asked for it. Once a chain has left the
// origin the header stays off, even if a later hop comes back: net/http rebuilds each
// redirect's headers from the first request, so the check looks at the whole chain.
func stripAuthOnRedirect(next func(req *http.Request, via []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 {
			origin := via[0].URL
			left := !sameOriginPort(req.URL, origin)
			for _, r := range via[1:] {
				left = left || !sameOriginPort(r.URL, origin)
			}
			if left {
				req.Header.Del("Authorization")
			}
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// sameOriginPort reports whether a and b have the same scheme, host and port, with default
// ports made explicit ("https://h" and "https://h:443" are the same origin).
func sameOriginPort(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// newRequestID returns a random (version 4) UUID for client-request-id.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	var out [36]byte
	j := 0
	for i, v := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j] = hex[v>>4]
		out[j+1] = hex[v&0x0f]
		j += 2
	}
	return string(out[:])
}

// clock is the source of time for retries and the gate.
type clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type funcClock struct {
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func (f funcClock) Now() time.Time {
	if f.now == nil {
		return time.Now()
	}
	return f.now()
}

func (f funcClock) Sleep(ctx context.Context, d time.Duration) error {
	if f.sleep == nil {
		return realClock{}.Sleep(ctx, d)
	}
	return f.sleep(ctx, d)
}
