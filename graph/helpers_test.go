package graph

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock whose sleeps return at once and move time forward.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// tokenSource hands out "tok-N" tokens and counts forced refreshes.
type tokenSource struct {
	mu     sync.Mutex
	n      int
	forced int
	err    error
}

func (ts *tokenSource) AccessToken(ctx context.Context, force bool) (string, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.err != nil {
		return "", ts.err
	}
	if force || ts.n == 0 {
		ts.n++
	}
	if force {
		ts.forced++
	}
	return "tok-" + string(rune('0'+ts.n)), nil
}

func (ts *tokenSource) Forced() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.forced
}

type testEnv struct {
	c     *Client
	clock *fakeClock
	ts    *tokenSource
	srv   *httptest.Server
}

// newTestEnv starts h on an httptest server and returns a Client for it (fake clock,
// counting token source). Graph paths arrive with the /v1.0 prefix.
func newTestEnv(t *testing.T, h http.HandlerFunc, opts ...Option) *testEnv {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	env := &testEnv{clock: newFakeClock(), ts: &tokenSource{}, srv: srv}
	all := append([]Option{
		WithProtocol(Protocol{BaseURL: srv.URL}),
		WithClock(env.clock.Now, env.clock.Sleep),
	}, opts...)
	c, err := NewClient(env.ts, all...)
	if err != nil {
		t.Fatal(err)
	}
	env.c = c
	return env
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
