package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Request is one call. Path is relative to the service URL ("/me/messages", a query may
// follow "?") or an absolute URL (a nextLink, an upload URL), which is used verbatim.
// Body: nil, an io.Reader (sent as is with ContentType; retried only when it is also an
// io.Seeker), []byte (sent as is), or any other value, JSON-encoded.
type Request struct {
	Method      string
	Path        string
	Query       url.Values
	Header      http.Header
	Body        any
	ContentType string // default: application/json for encoded values and json.RawMessage, application/octet-stream for other bytes and readers
	NoAuth      bool   // upload-session PUTs: no Authorization header
	// Timeout overrides the client's WithTimeout for this call; negative means no bound
	// beyond the caller's context (each attempt keeps its header timeout).
	Timeout time.Duration

	optErr     error // set by a CallOption that could not apply
	idempotent bool  // retry transient 5xx and resets whatever the method ($batch of idempotent requests)
}

func (r *Request) header() http.Header {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	return r.Header
}

func (r *Request) clone() *Request {
	c := *r
	c.Header = r.Header.Clone()
	if r.Query != nil {
		c.Query = make(url.Values, len(r.Query))
		for k, v := range r.Query {
			c.Query[k] = append([]string(nil), v...)
		}
	}
	return &c
}

// Send performs the request with token injection, retries, the throttle gate and a
// client-request-id. A non-2xx answer is returned as *Error (body consumed). On success the
// caller must close resp.Body; the call's timeout covers reading it.
//
// Every attempt of one call carries the same client-request-id (a random UUID unless the
// request sets one), so Graph's logs tie the retries together.
func (c *Client) Send(ctx context.Context, req *Request, opts ...CallOption) (*http.Response, error) {
	if req == nil {
		return nil, errors.New("graph: Send: nil *Request")
	}
	r := req.clone()
	for _, o := range opts {
		if o != nil {
			o(r)
		}
	}
	if r.optErr != nil {
		return nil, r.optErr
	}
	timeout := c.timeout
	if r.Timeout != 0 {
		timeout = r.Timeout
	}
	cancel := context.CancelFunc(func() {})
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, timeout)
	}
	resp, err := c.send(ctx, r)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// Do is Send and a JSON decode of the response into out (out may be nil; a 204 or an empty
// body leaves out untouched). out may also be a *[]byte, which receives the raw body.
func (c *Client) Do(ctx context.Context, req *Request, out any, opts ...CallOption) error {
	resp, err := c.Send(ctx, req, opts...)
	if err != nil {
		return err
	}
	defer closeBody(resp.Body)
	if out == nil || resp.StatusCode == http.StatusNoContent || resp.Request.Method == http.MethodHead {
		return nil
	}
	if raw, ok := out.(*[]byte); ok {
		*raw, err = io.ReadAll(resp.Body)
		if err != nil {
			return fmt.Errorf("graph: %s %s: reading response: %w", resp.Request.Method, displayPath(resp.Request.URL, c.service), cleanErr(err))
		}
		return nil
	}
	cr := &countingReader{r: resp.Body}
	if err := decodeJSON(cr, out); err != nil && cr.n > 0 {
		return fmt.Errorf("graph: %s %s: decoding response: %w", resp.Request.Method, displayPath(resp.Request.URL, c.service), cleanErr(err))
	}
	return nil
}

// Get sends GET path and decodes the answer into out.
func (c *Client) Get(ctx context.Context, path string, out any, opts ...CallOption) error {
	return c.Do(ctx, &Request{Method: http.MethodGet, Path: path}, out, opts...)
}

// Post sends in (JSON-encoded unless []byte or io.Reader; nil for no body) to path and
// decodes the answer into out.
func (c *Client) Post(ctx context.Context, path string, in, out any, opts ...CallOption) error {
	return c.Do(ctx, &Request{Method: http.MethodPost, Path: path, Body: in}, out, opts...)
}

// Patch sends in to path with PATCH and decodes the answer into out.
func (c *Client) Patch(ctx context.Context, path string, in, out any, opts ...CallOption) error {
	return c.Do(ctx, &Request{Method: http.MethodPatch, Path: path, Body: in}, out, opts...)
}

// Put sends in to path with PUT and decodes the answer into out.
func (c *Client) Put(ctx context.Context, path string, in, out any, opts ...CallOption) error {
	return c.Do(ctx, &Request{Method: http.MethodPut, Path: path, Body: in}, out, opts...)
}

// Delete sends DELETE path.
func (c *Client) Delete(ctx context.Context, path string, opts ...CallOption) error {
	return c.Do(ctx, &Request{Method: http.MethodDelete, Path: path}, nil, opts...)
}

// send is the one retry loop.
func (c *Client) send(ctx context.Context, r *Request) (*http.Response, error) {
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	u, err := c.resolve(r.Path, r.Query)
	if err != nil {
		return nil, err
	}
	where := method + " " + displayPath(u, c.service)
	b, err := newBody(r)
	if err != nil {
		return nil, fmt.Errorf("graph: %s: %w", where, err)
	}
	hdr := c.headers(r, b)
	auth := !r.NoAuth && c.ts != nil && sameOrigin(u, c.service)
	var token string
	if auth {
		if token, err = c.ts.AccessToken(ctx, false); err != nil {
			return nil, fmt.Errorf("graph: %s: getting an access token: %w", where, err)
		}
	}
	refreshed := false
	retries := 0
	var waited time.Duration
	// retry decides whether to try again after waiting wait; it logs the decision.
	retry := func(reason string, status int, wait time.Duration, requestID string) bool {
		if retries >= c.retry.MaxRetries || !b.rewindable() || waited+wait > c.retry.MaxWait {
			c.logRetry(ctx, slog.LevelInfo, "graph: giving up", where, u, reason, status, retries+1, wait, requestID, hdr)
			return false
		}
		c.logRetry(ctx, slog.LevelInfo, "graph: retrying", where, u, reason, status, retries+1, wait, requestID, hdr)
		return true
	}
	for {
		if _, err := c.gate.wait(ctx, c.clock); err != nil {
			return nil, fmt.Errorf("graph: %s: waiting for the throttle gate: %w", where, err)
		}
		if err := b.release(ctx); err != nil {
			return nil, fmt.Errorf("graph: %s: %w", where, err)
		}
		body, err := b.open()
		if err != nil {
			return nil, fmt.Errorf("graph: %s: %w", where, err)
		}
		hreq, err := http.NewRequestWithContext(ctx, method, u.String(), body)
		if err != nil {
			return nil, fmt.Errorf("graph: %s: %w", where, cleanErr(err))
		}
		hreq.Header = hdr.Clone()
		hreq.ContentLength = b.length
		if b.data != nil {
			data := b.data
			hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		}
		if auth {
			hreq.Header.Set("Authorization", "Bearer "+token)
		}
		start := c.clock.Now()
		resp, stop, err := c.attempt(ctx, hreq)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("graph: %s: %w", where, context.Cause(ctx))
			}
			c.logAttempt(ctx, where, u, 0, start, err)
			if (r.idempotent || c.retry.idempotent(method)) && retryableNetError(err) {
				wait := c.retry.backoff(retries+1, nil)
				if retry(cleanErr(err).Error(), 0, wait, "") {
					if err := sleepCtx(ctx, c.clock, wait); err != nil {
						return nil, fmt.Errorf("graph: %s: %w", where, err)
					}
					retries++
					waited += wait
					continue
				}
			}
			_ = b.release(ctx) // net/http closes the body on errors too; let go of it first
			return nil, fmt.Errorf("graph: %s: %w", where, cleanErr(err))
		}
		c.logAttempt(ctx, where, u, resp.StatusCode, start, nil)
		if resp.StatusCode < 400 {
			resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: stop}
			if err := b.release(ctx); err != nil {
				closeBody(resp.Body)
				return nil, fmt.Errorf("graph: %s: %w", where, err)
			}
			return resp, nil
		}
		if resp.StatusCode == http.StatusUnauthorized && auth && !refreshed && b.rewindable() {
			// The token may have been revoked or expired early: ask for a new one, once.
			closeBody(resp.Body)
			stop()
			refreshed = true
			c.logRetry(ctx, slog.LevelInfo, "graph: 401, refreshing the token and retrying once", where, u, "unauthorized", resp.StatusCode, retries+1, 0, resp.Header.Get("request-id"), hdr)
			if token, err = c.ts.AccessToken(ctx, true); err != nil {
				return nil, fmt.Errorf("graph: %s: refreshing the access token after a 401: %w", where, err)
			}
			continue
		}
		gerr := errorFromResponse(resp, method, u, c.service, c.clock.Now())
		stop()
		if gerr.ClientRequestID == "" {
			gerr.ClientRequestID = hdr.Get("client-request-id")
		}
		_, hasRA := parseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
		if hasRA && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			c.closeGate(gerr.RetryAfter)
		}
		if c.retry.retryStatus(resp.StatusCode, method) || (r.idempotent && retryableStatus(resp.StatusCode)) {
			wait := gerr.RetryAfter
			if !hasRA {
				wait = c.retry.backoff(retries+1, nil)
			}
			if retry(http.StatusText(resp.StatusCode), resp.StatusCode, wait, gerr.RequestID) {
				if err := sleepCtx(ctx, c.clock, wait); err != nil {
					return nil, fmt.Errorf("graph: %s: waiting to retry: %w", where, errors.Join(err, gerr))
				}
				retries++
				waited += wait
				continue
			}
		}
		if err := b.release(ctx); err != nil {
			return nil, fmt.Errorf("graph: %s: %w", where, errors.Join(err, gerr))
		}
		return nil, gerr
	}
}

// attempt sends one HTTP request, bounding the wait for its response headers. stop releases
// the attempt's context; it must be called once the body is done with.
func (c *Client) attempt(ctx context.Context, req *http.Request) (resp *http.Response, stop func(), err error) {
	actx, cancel := context.WithCancelCause(ctx)
	timer := time.AfterFunc(c.attemptTime, func() { cancel(errAttemptTimeout) })
	resp, err = c.hc.Do(req.WithContext(actx))
	timer.Stop()
	if err != nil {
		if errors.Is(context.Cause(actx), errAttemptTimeout) && ctx.Err() == nil {
			err = errAttemptTimeout
		}
		cancel(nil)
		return nil, nil, err
	}
	return resp, func() { cancel(nil) }, nil
}

// resolve turns a request path into a URL: absolute URLs verbatim (after a scheme check),
// relative ones joined to the service URL. q is merged into the query.
func (c *Client) resolve(path string, q url.Values) (*url.URL, error) {
	var u *url.URL
	lower := strings.ToLower(path)
	if strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
		parsed, err := url.Parse(path)
		if err != nil {
			return nil, fmt.Errorf("graph: bad URL: %w", cleanErr(err))
		}
		if err := checkScheme(parsed, "request URL"); err != nil {
			return nil, err
		}
		if parsed.Host == "" {
			return nil, fmt.Errorf("graph: request URL has no host")
		}
		u = parsed
	} else {
		if strings.Contains(lower, "://") {
			return nil, fmt.Errorf("graph: unsupported URL scheme in %q", redactPathForError(path))
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		parsed, err := url.Parse(c.service.String() + path)
		if err != nil {
			return nil, fmt.Errorf("graph: bad path %q: %w", redactPathForError(path), cleanErr(err))
		}
		u = parsed
	}
	u.Fragment, u.RawFragment = "", ""
	if len(q) > 0 {
		merged := u.Query()
		for k, vs := range q {
			merged[k] = vs
		}
		u.RawQuery = encodeQuery(merged)
	}
	return u, nil
}

func redactPathForError(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		return p[:i] + "?" + redactQuery(p[i+1:])
	}
	return p
}

// encodeQuery is url.Values.Encode with spaces as %20 (not '+', which Graph may read
// literally) and OData's "$" and punctuation left readable.
func encodeQuery(v url.Values) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, val := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(queryEscape(k))
			b.WriteByte('=')
			b.WriteString(queryEscape(val))
		}
	}
	return b.String()
}

var queryUnescaper = strings.NewReplacer("+", "%20", "%24", "$", "%2C", ",", "%27", "'", "%28", "(", "%29", ")", "%3A", ":", "%2F", "/", "%40", "@")

func queryEscape(s string) string { return queryUnescaper.Replace(url.QueryEscape(s)) }

// headers builds the headers every attempt of r carries (Authorization is added per attempt).
func (c *Client) headers(r *Request, b *body) http.Header {
	h := make(http.Header, len(c.header)+len(r.Header)+4)
	for k, v := range c.header {
		h[k] = append([]string(nil), v...)
	}
	for k, v := range r.Header {
		h[k] = append([]string(nil), v...)
	}
	if h.Get("User-Agent") == "" {
		h.Set("User-Agent", c.userAgent)
	}
	if p := mergePrefer(c.prefer, r.Header.Values("Prefer")); p != "" {
		h.Set("Prefer", p)
	}
	if h.Get("client-request-id") == "" {
		h.Set("client-request-id", newRequestID())
	}
	if b.present && h.Get("Content-Type") == "" {
		h.Set("Content-Type", b.contentType)
	}
	h.Del("Authorization") // only the TokenSource supplies it
	return h
}

// sameOrigin reports whether u is on the service's scheme and host, the only place the
// client sends its token (nextLinks are; pre-authenticated upload URLs are not).
func sameOrigin(u, service *url.URL) bool {
	return strings.EqualFold(u.Scheme, service.Scheme) && strings.EqualFold(u.Host, service.Host)
}

// body is a request body that can be re-sent when it is in memory or seekable.
type body struct {
	present     bool
	data        []byte
	reader      io.Reader
	seeker      io.Seeker
	start       int64
	length      int64 // -1 when unknown
	used        bool
	inFlight    *trackedBody // the caller's reader as handed to net/http for the last attempt
	contentType string
}

func newBody(r *Request) (*body, error) {
	b := &body{contentType: r.ContentType}
	def := func(t string) {
		if b.contentType == "" {
			b.contentType = t
		}
	}
	switch v := r.Body.(type) {
	case nil:
		return b, nil
	case json.RawMessage:
		b.data = v
		def("application/json")
	case []byte:
		b.data = v
		def("application/octet-stream")
	case io.Reader:
		b.reader = v
		b.length = -1
		def("application/octet-stream")
		if s, ok := v.(io.Seeker); ok {
			cur, err := s.Seek(0, io.SeekCurrent)
			if err == nil {
				end, err2 := s.Seek(0, io.SeekEnd)
				if _, err3 := s.Seek(cur, io.SeekStart); err2 == nil && err3 == nil {
					b.seeker, b.start, b.length = s, cur, end-cur
				}
			}
		}
		if cl := r.Header.Get("Content-Length"); cl != "" && b.length < 0 {
			var n int64
			if _, err := fmt.Sscan(cl, &n); err == nil && n >= 0 {
				b.length = n
			}
		}
	default:
		data, err := marshalJSON(v)
		if err != nil {
			return nil, fmt.Errorf("encoding the request body: %w", err)
		}
		b.data = data
		def("application/json")
	}
	b.present = true
	if b.data != nil {
		b.length = int64(len(b.data))
	}
	return b, nil
}

// open returns the body for one attempt, rewinding a seekable reader.
func (b *body) open() (io.Reader, error) {
	if !b.present {
		return nil, nil
	}
	if b.data != nil {
		return bytes.NewReader(b.data), nil
	}
	if b.used {
		if b.seeker == nil {
			return nil, errors.New("the request body cannot be re-sent (an io.Reader that is not an io.Seeker)")
		}
		if _, err := b.seeker.Seek(b.start, io.SeekStart); err != nil {
			return nil, fmt.Errorf("rewinding the request body: %w", err)
		}
	}
	b.used = true
	if b.length == 0 {
		return http.NoBody, nil
	}
	// net/http may go on reading a request body after the response has arrived, until it
	// closes it. The wrapper hides the Seeker (net/http must not seek the caller's reader)
	// and tells, through done, when net/http has let go of the body, so that it is neither
	// rewound nor handed back to the caller while still being read.
	b.inFlight = &trackedBody{r: b.reader, done: make(chan struct{})}
	return b.inFlight, nil
}

// release waits until net/http has closed the body of the last attempt, if it was the
// caller's reader. The wait ends with ctx.
func (b *body) release(ctx context.Context) error {
	if b.inFlight == nil {
		return nil
	}
	select {
	case <-b.inFlight.done:
		b.inFlight = nil
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// trackedBody is a request body whose Close is observed.
type trackedBody struct {
	r    io.Reader
	once sync.Once
	done chan struct{}
}

func (t *trackedBody) Read(p []byte) (int, error) { return t.r.Read(p) }

func (t *trackedBody) Close() error {
	t.once.Do(func() { close(t.done) })
	return nil
}

func (b *body) rewindable() bool { return !b.present || b.data != nil || b.seeker != nil }

// countingReader counts the bytes read, to tell an empty body (fine: nothing to decode)
// from a bad one.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// cancelBody releases a call's context once its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel func()
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
	return err
}

// closeBody drains a little of the body (so the connection can be reused) and closes it.
func closeBody(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	_ = rc.Close()
}

// cleanErr drops the URL net/http puts in its errors: it may carry pre-authenticated query
// values (upload and download URLs).
func cleanErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (c *Client) logAttempt(ctx context.Context, where string, u *url.URL, status int, start time.Time, err error) {
	if c.log == nil || !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("request", where), slog.String("url", redactURL(u)), slog.Duration("elapsed", c.clock.Now().Sub(start))}
	if err != nil {
		attrs = append(attrs, slog.String("error", cleanErr(err).Error()))
	} else {
		attrs = append(attrs, slog.Int("status", status))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "graph: attempt", attrs...)
}

func (c *Client) logRetry(ctx context.Context, level slog.Level, msg, where string, u *url.URL, reason string, status, attempt int, wait time.Duration, requestID string, hdr http.Header) {
	if c.log == nil || !c.log.Enabled(ctx, level) {
		return
	}
	c.log.LogAttrs(ctx, level, msg,
		slog.String("request", where),
		slog.String("url", redactURL(u)),
		slog.String("reason", reason),
		slog.Int("status", status),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
		slog.String("request_id", requestID),
		slog.String("client_request_id", hdr.Get("client-request-id")),
	)
}
