package excel_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/graphspec"
)

// The fake below answers as the Graph documentation and its request/response examples
// (the workbook ones the emulator's fidelity tests replay) show, one scripted reply per route, and
// records every request. The integration tests run the same calls on the emulator.

const itemPath = "/drives/d1/items/i1"

type seen struct {
	Method  string
	Path    string // decoded, relative to {item}/workbook; with "?"+raw query when there is one
	Session string
	Prefer  string
	Body    string
}

type reply struct {
	Status int
	Body   string
	Header map[string]string
}

type fakeGraph struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []seen
	routes map[string][]reply // "METHOD /path": replies, the last repeated
	// fallback answers routes not scripted; nil means 404 itemNotFound.
	fallback func(s seen) *reply
}

func newFake(t *testing.T) *fakeGraph {
	t.Helper()
	f := &fakeGraph{t: t, routes: map[string][]reply{}}
	f.on("POST /createSession", 201, `{"id":"sess-1","persistChanges":true}`)
	f.on("POST /refreshSession", 204, ``)
	f.on("POST /closeSession", 204, ``)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// on scripts the replies of a route; the last one repeats.
func (f *fakeGraph) on(route string, status int, body string, header ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := reply{Status: status, Body: body, Header: map[string]string{}}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header[header[i]] = header[i+1]
	}
	f.routes[route] = append(f.routes[route], r)
}

// reset drops the scripted replies of a route.
func (f *fakeGraph) reset(route string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.routes, route)
}

func (f *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	full := r.URL.Path
	if _, ok := graphspec.Match(r.Method, full); !ok {
		f.t.Errorf("%s %s is not a Microsoft Graph v1.0 path", r.Method, full)
	}
	rel := strings.TrimPrefix(full, "/v1.0"+itemPath+"/workbook")
	if r.URL.RawQuery != "" {
		rel += "?" + r.URL.RawQuery
	}
	s := seen{Method: r.Method, Path: rel, Session: r.Header.Get("workbook-session-id"), Prefer: r.Header.Get("Prefer"), Body: string(b)}
	f.mu.Lock()
	f.reqs = append(f.reqs, s)
	key := r.Method + " " + rel
	var rep *reply
	if list := f.routes[key]; len(list) > 0 {
		rep = &list[0]
		if len(list) > 1 {
			f.routes[key] = list[1:]
		}
	}
	fb := f.fallback
	f.mu.Unlock()
	if rep == nil && fb != nil {
		rep = fb(s)
	}
	if rep == nil {
		rep = &reply{Status: 404, Body: `{"error":{"code":"itemNotFound","message":"The requested resource doesn't exist."}}`}
	}
	for k, v := range rep.Header {
		w.Header().Set(k, strings.ReplaceAll(v, "{base}", f.srv.URL))
	}
	if rep.Body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rep.Status)
	io.WriteString(w, strings.ReplaceAll(rep.Body, "{base}", f.srv.URL))
}

// requests returns the requests seen, without session bookkeeping.
func (f *fakeGraph) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []seen
	for _, s := range f.reqs {
		switch s.Path {
		case "/createSession", "/refreshSession", "/closeSession":
			continue
		}
		out = append(out, s)
	}
	return out
}

func (f *fakeGraph) all() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

func (f *fakeGraph) clear() {
	f.mu.Lock()
	f.reqs = nil
	f.mu.Unlock()
}

type token string

func (t token) AccessToken(context.Context, bool) (string, error) { return string(t), nil }

func (f *fakeGraph) client() *graph.Client {
	f.t.Helper()
	c, err := graph.NewClient(token("t0k3n"), graph.WithProtocol(graph.Protocol{BaseURL: f.srv.URL}),
		graph.WithRetry(graph.RetryPolicy{MaxRetries: -1}))
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// fakeClock is a clock tests move by hand; its sleep moves it too and records waits.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func newClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func (f *fakeGraph) open(opts ...excel.Option) *excel.Workbook {
	f.t.Helper()
	clk := newClock()
	opts = append([]excel.Option{excel.WithClock(clk.Now, clk.Sleep)}, opts...)
	wb, err := excel.Open(context.Background(), excel.Item(f.client(), itemPath), opts...)
	if err != nil {
		f.t.Fatal(err)
	}
	return wb
}

func jsonEq(t *testing.T, want, got string) bool {
	t.Helper()
	if want == "" && got == "" {
		return true
	}
	var a, b any
	if err := json.Unmarshal([]byte(want), &a); err != nil {
		t.Fatalf("bad want JSON %q: %v", want, err)
	}
	if err := json.Unmarshal([]byte(got), &b); err != nil {
		return false
	}
	wa, _ := json.Marshal(a)
	gb, _ := json.Marshal(b)
	return string(wa) == string(gb)
}
