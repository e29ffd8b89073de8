package emulator

import (
	"slices"
	"sync"
	"time"
)

// LoggedRequest is one request the emulator served, for tests to assert
// on. It never holds token values.
type LoggedRequest struct {
	// Time is when the request arrived, by the server's clock.
	Time time.Time
	// Method and Path of the request; Path is the URL path (for $batch
	// items, the item's path).
	Method, Path string
	// Query is the raw query with secret-looking parameters redacted.
	Query string
	// Status is the HTTP status answered (0 for a dropped connection).
	Status int
	// ClientRequestID is the client-request-id header the client sent.
	ClientRequestID string
	// Authorization reports whether an Authorization header was sent.
	Authorization bool
	// ClientID is the app the access token was issued to (Graph requests).
	ClientID string
	// GrantType is the grant_type of a token request.
	GrantType string
	// RetryAt is, for a 429 or 503 with Retry-After, the instant from
	// which the answer allowed a retry.
	RetryAt time.Time
	// Fault names the injected fault that answered, if any.
	Fault string
	// BatchID is the $batch item id for requests run inside a batch.
	BatchID string
}

// requestLog is the server's request log.
type requestLog struct {
	mu      sync.Mutex
	entries []LoggedRequest
}

// maxLogEntries bounds the log of a long-running server.
const maxLogEntries = 100_000

func (l *requestLog) add(e LoggedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) >= maxLogEntries {
		l.entries = slices.Delete(l.entries, 0, len(l.entries)/2)
	}
	l.entries = append(l.entries, e)
}

func (l *requestLog) all() []LoggedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = nil
}

// EarlyRetries returns the logged requests that came before an earlier
// answer allowed them: a request to the same method and path logged
// before the RetryAt of a previous 429 or 503. An empty result means every
// Retry-After was honoured.
func (s *Server) EarlyRetries() []LoggedRequest {
	type key struct{ method, path string }
	until := map[key]time.Time{}
	var early []LoggedRequest
	for _, e := range s.Requests() {
		k := key{e.Method, e.Path}
		if t, ok := until[k]; ok && e.Time.Before(t) {
			early = append(early, e)
		}
		if !e.RetryAt.IsZero() && e.RetryAt.After(until[k]) {
			until[k] = e.RetryAt
		}
	}
	return early
}
