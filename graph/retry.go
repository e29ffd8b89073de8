package graph

import (
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy says how the Client retries. Zero fields take the defaults shown.
//
// What is retried: 429 on any method (a throttled request was rejected, not processed);
// 500, 502, 503, 504, 509 (bandwidth limit, sent by SharePoint and OneDrive) and connection
// resets, early EOFs and header timeouts on idempotent methods (GET, HEAD, PUT, DELETE,
// OPTIONS, and PATCH unless NoPatchRetry). Graph's own guidance is to retry transient 5xx
// answers, and a 500 or 502 is often one bad front end. Graph has no idempotency keys, so a
// POST is never re-sent after a failure that may have reached the service.
// A request whose body is an io.Reader that is not an io.Seeker is never retried.
//
// How long: Retry-After when Graph sends it (seconds, fractional too, or an HTTP date),
// however long, as long as the total wait stays within MaxWait; otherwise exponential
// backoff with full jitter from BaseDelay, capped at MaxDelay.
type RetryPolicy struct {
	MaxRetries   int           // retries after the first attempt (default 4); negative: never retry
	MaxWait      time.Duration // total wait between attempts of one call (default 10 min); a Retry-After beyond it fails at once
	BaseDelay    time.Duration // first backoff step (default 1 s)
	MaxDelay     time.Duration // backoff cap (default 60 s); does not cap Retry-After
	NoPatchRetry bool          // treat PATCH as not idempotent (Graph's PATCH sets fields, so by default it is retried)
}

// Retry defaults.
const (
	DefaultMaxRetries = 4
	DefaultMaxWait    = 10 * time.Minute
	DefaultBaseDelay  = time.Second
	DefaultMaxDelay   = 60 * time.Second
)

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = DefaultMaxRetries
	}
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultMaxWait
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	return p
}

// idempotent reports whether re-sending method cannot do the work twice.
func (p RetryPolicy) idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	case http.MethodPatch:
		return !p.NoPatchRetry
	}
	return false
}

// retryStatus reports whether a response with this status may be retried for method.
func (p RetryPolicy) retryStatus(status int, method string) bool {
	switch status {
	case http.StatusTooManyRequests:
		return true
	}
	return retryableStatus(status) && p.idempotent(method)
}

// statusBandwidthLimitExceeded is SharePoint's and OneDrive's "509 Bandwidth Limit Exceeded",
// a throttling answer that net/http has no constant for.
const statusBandwidthLimitExceeded = 509

// retryableStatus reports the statuses retried for idempotent requests.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, statusBandwidthLimitExceeded:
		return true
	}
	return false
}

// backoff returns the wait before retry n (n >= 1): a uniform random duration in
// [0, min(MaxDelay, BaseDelay*2^(n-1))) ("full jitter"), so many clients spread out.
func (p RetryPolicy) backoff(n int, rnd func(int64) int64) time.Duration {
	ceiling := float64(p.BaseDelay) * math.Pow(2, float64(n-1))
	if ceiling > float64(p.MaxDelay) || math.IsInf(ceiling, 0) {
		ceiling = float64(p.MaxDelay)
	}
	c := int64(ceiling)
	if c <= 0 {
		return 0
	}
	if rnd == nil {
		rnd = rand.Int64N
	}
	return time.Duration(rnd(c))
}

// RetryAfter reads the Retry-After header of h the way the client does for its own
// retries, for callers that poll on their own schedule (long-running operations, copy
// monitors): delay seconds (fractional accepted) or an HTTP date relative to now. ok is
// false when the header is absent or unreadable.
func RetryAfter(h http.Header, now time.Time) (d time.Duration, ok bool) {
	return parseRetryAfter(h.Get("Retry-After"), now)
}

// parseRetryAfter reads a Retry-After value: delay seconds (fractional accepted, rounded up
// to the millisecond) or an HTTP date, relative to now. ok is false when the value is absent
// or unreadable; a date in the past gives 0 and ok.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		const maxSeconds = 1 << 30 // about 34 years: far beyond any budget, far from overflow
		if f > maxSeconds {
			f = maxSeconds
		}
		return time.Duration(math.Ceil(f*1000)) * time.Millisecond, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// retryableNetError reports a transport failure after which an idempotent request may be
// re-sent: the connection was reset or closed early, or the attempt timed out waiting for
// the response headers.
func retryableNetError(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errAttemptTimeout) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// net/http reports a server that closed a kept-alive connection this way.
	return strings.Contains(err.Error(), "server closed idle connection") ||
		strings.Contains(err.Error(), "connection reset by peer")
}

var errAttemptTimeout = errors.New("graph: no response headers within the attempt timeout")
