package graph

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/odata"
)

func TestSendHeaders(t *testing.T) {
	t.Parallel()
	var got http.Header
	var gotURL string
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		gotURL = r.URL.String()
		writeJSON(w, 200, `{"displayName":"Adele"}`)
	}, WithHeader("X-Default", "d"), WithUserAgent("myapp/2"), WithPrefer(`outlook.timezone="UTC"`, "IdType=\"ImmutableId\""))

	var me struct{ DisplayName string }
	err := env.c.Get(t.Context(), "/me", &me,
		Timezone("Europe/Paris"), BodyContentType("text"), ReturnMinimal(), ConsistencyEventual(), IfMatch(`W/"1"`),
		Header("X-Call", "c"), Params(map[string][]string{"$select": {"displayName,mail"}, "$search": {`"a b"`}}))
	if err != nil {
		t.Fatal(err)
	}
	if me.DisplayName != "Adele" {
		t.Errorf("decoded %+v", me)
	}
	want := map[string]string{
		"Authorization":    "Bearer tok-1",
		"User-Agent":       "myapp/2 o365-go/" + Version + " ISV|o365go|o365/" + Version,
		"Prefer":           `IdType="ImmutableId", outlook.timezone="Europe/Paris", outlook.body-content-type="text", return=minimal`,
		"Consistencylevel": "eventual",
		"If-Match":         `W/"1"`,
		"X-Default":        "d",
		"X-Call":           "c",
	}
	for k, v := range want {
		if g := got.Get(k); g != v {
			t.Errorf("%s: %q, want %q", k, g, v)
		}
	}
	if id := got.Get("client-request-id"); len(id) != 36 || id[14] != '4' {
		t.Errorf("client-request-id %q is not a v4 UUID", id)
	}
	if wantURL := `/v1.0/me?$search=%22a%20b%22&$select=displayName,mail`; gotURL != wantURL {
		t.Errorf("URL %s, want %s", gotURL, wantURL)
	}
}

func TestRequestIDsDiffer(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	ids := map[string]bool{}
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ids[r.Header.Get("client-request-id")] = true
		mu.Unlock()
		w.WriteHeader(204)
	})
	for range 5 {
		if err := env.c.Delete(t.Context(), "/me/messages/1"); err != nil {
			t.Fatal(err)
		}
	}
	if len(ids) != 5 {
		t.Errorf("%d distinct client-request-ids for 5 calls", len(ids))
	}
}

func TestAbsoluteURLsAndTokenScope(t *testing.T) {
	t.Parallel()
	var other atomic.Value
	otherSrv := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		other.Store(r.Header.Get("Authorization") + "|" + r.URL.String())
		w.WriteHeader(200)
	})
	var seen atomic.Value
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Get("Authorization") + "|" + r.URL.String())
		w.WriteHeader(200)
	})
	ctx := t.Context()
	// A nextLink on the service host is used verbatim and gets the token.
	if err := env.c.Get(ctx, env.srv.URL+"/beta/me/messages?%24skiptoken=X%2BY", nil); err != nil {
		t.Fatal(err)
	}
	if got := seen.Load(); got != "Bearer tok-1|/beta/me/messages?%24skiptoken=X%2BY" {
		t.Errorf("service host: %v", got)
	}
	// Another host never gets the token.
	if err := env.c.Do(ctx, &Request{Method: "PUT", Path: otherSrv.srv.URL + "/upload?tempauth=secret", Body: []byte("x")}, nil); err != nil {
		t.Fatal(err)
	}
	if got := other.Load(); got != "|/upload?tempauth=secret" {
		t.Errorf("other host: %v", got)
	}
	// NoAuth on the service host.
	if err := env.c.Do(ctx, &Request{Path: "/x", NoAuth: true}, nil); err != nil {
		t.Fatal(err)
	}
	if got := seen.Load(); got != "|/v1.0/x" {
		t.Errorf("NoAuth: %v", got)
	}
	// Plain http to a non-loopback host is refused.
	err := env.c.Get(ctx, "http://example.com/x", nil)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("http to example.com: %v", err)
	}
	// A caller cannot smuggle its own Authorization header.
	if err := env.c.Get(ctx, "/y", nil, Header("Authorization", "Bearer mine")); err != nil {
		t.Fatal(err)
	}
	if got := seen.Load(); got != "Bearer tok-1|/v1.0/y" {
		t.Errorf("Authorization override: %v", got)
	}
}

func TestBodies(t *testing.T) {
	t.Parallel()
	type rec struct{ ct, body string }
	var got []rec
	var mu sync.Mutex
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, rec{r.Header.Get("Content-Type"), string(b)})
		mu.Unlock()
		writeJSON(w, 201, `{"id":"1"}`)
	})
	ctx := t.Context()
	var out struct{ ID string }
	if err := env.c.Post(ctx, "/me/messages", map[string]any{"subject": "hi"}, &out); err != nil || out.ID != "1" {
		t.Fatal(err, out)
	}
	if err := env.c.Post(ctx, "/x", []byte("raw"), nil); err != nil {
		t.Fatal(err)
	}
	if err := env.c.Do(ctx, &Request{Method: "POST", Path: "/x", Body: strings.NewReader("mime"), ContentType: "text/plain"}, nil); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := env.c.Post(ctx, "/x", nil, &raw); err != nil || string(raw) != `{"id":"1"}` {
		t.Fatal(err, string(raw))
	}
	want := []rec{
		{"application/json", `{"subject":"hi"}`},
		{"application/octet-stream", "raw"},
		{"text/plain", "mime"},
		{"", ""},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(rec{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRetries drives the retry loop with scripted answers.
func TestRetries(t *testing.T) {
	t.Parallel()
	type answer struct {
		status int
		header string // Retry-After
	}
	tests := []struct {
		name       string
		method     string
		body       func() any
		policy     RetryPolicy
		answers    []answer
		wantCalls  int
		wantStatus int // 0: success
		wantSleeps []time.Duration
	}{
		{"429 then ok", "POST", nil, RetryPolicy{}, []answer{{429, "3"}, {200, ""}}, 2, 0, []time.Duration{3 * time.Second}},
		{"fractional Retry-After", "GET", nil, RetryPolicy{}, []answer{{429, "0.25"}, {200, ""}}, 2, 0, []time.Duration{250 * time.Millisecond}},
		{"long Retry-After is honoured", "GET", nil, RetryPolicy{}, []answer{{429, "315"}, {200, ""}}, 2, 0, []time.Duration{315 * time.Second}},
		{"Retry-After beyond MaxWait fails at once", "GET", nil, RetryPolicy{MaxWait: time.Minute}, []answer{{429, "315"}, {200, ""}}, 1, 429, nil},
		{"503 on GET retried", "GET", nil, RetryPolicy{}, []answer{{503, "1"}, {504, "2"}, {200, ""}}, 3, 0, []time.Duration{time.Second, 2 * time.Second}},
		{"503 on POST not retried", "POST", nil, RetryPolicy{}, []answer{{503, "1"}, {200, ""}}, 1, 503, nil},
		{"504 on PATCH retried", "PATCH", nil, RetryPolicy{}, []answer{{504, "1"}, {200, ""}}, 2, 0, []time.Duration{time.Second}},
		{"504 on PATCH with NoPatchRetry", "PATCH", nil, RetryPolicy{NoPatchRetry: true}, []answer{{504, "1"}, {200, ""}}, 1, 504, nil},
		{"500 and 502 on GET retried", "GET", nil, RetryPolicy{}, []answer{{500, "1"}, {502, "2"}, {200, ""}}, 3, 0, []time.Duration{time.Second, 2 * time.Second}},
		{"509 on DELETE retried", "DELETE", nil, RetryPolicy{}, []answer{{509, "4"}, {200, ""}}, 2, 0, []time.Duration{4 * time.Second}},
		{"500 on PUT retried", "PUT", func() any { return []byte("payload") }, RetryPolicy{}, []answer{{500, "1"}, {200, ""}}, 2, 0, []time.Duration{time.Second}},
		{"500 on POST not retried", "POST", nil, RetryPolicy{}, []answer{{500, "1"}, {200, ""}}, 1, 500, nil},
		{"502 on POST not retried", "POST", nil, RetryPolicy{}, []answer{{502, ""}, {200, ""}}, 1, 502, nil},
		{"509 on POST not retried", "POST", nil, RetryPolicy{}, []answer{{509, "1"}, {200, ""}}, 1, 509, nil},
		{"502 on PATCH with NoPatchRetry", "PATCH", nil, RetryPolicy{NoPatchRetry: true}, []answer{{502, "1"}, {200, ""}}, 1, 502, nil},
		{"501 not retried", "GET", nil, RetryPolicy{}, []answer{{501, "1"}, {200, ""}}, 1, 501, nil},
		{"max retries", "GET", nil, RetryPolicy{MaxRetries: 2}, []answer{{429, "1"}, {429, "1"}, {429, "1"}, {200, ""}}, 3, 429, []time.Duration{time.Second, time.Second}},
		{"retries disabled", "GET", nil, RetryPolicy{MaxRetries: -1}, []answer{{429, "1"}, {200, ""}}, 1, 429, nil},
		{"bytes body rewound", "PUT", func() any { return []byte("payload") }, RetryPolicy{}, []answer{{503, "1"}, {200, ""}}, 2, 0, []time.Duration{time.Second}},
		{"seekable body rewound", "PUT", func() any { return bytes.NewReader([]byte("payload")) }, RetryPolicy{}, []answer{{429, "1"}, {200, ""}}, 2, 0, []time.Duration{time.Second}},
		{"one-shot reader not retried", "PUT", func() any { return io.MultiReader(strings.NewReader("payload")) }, RetryPolicy{}, []answer{{429, "1"}, {200, ""}}, 1, 429, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			var badBody atomic.Bool
			env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1)) - 1
				if b, _ := io.ReadAll(r.Body); tt.body != nil && string(b) != "payload" {
					badBody.Store(true)
				}
				a := tt.answers[n]
				if a.header != "" {
					w.Header().Set("Retry-After", a.header)
				}
				writeJSON(w, a.status, `{"error":{"code":"c","message":"m"}}`)
			}, WithRetry(tt.policy))
			req := &Request{Method: tt.method, Path: "/me/drive/items/1"}
			if tt.body != nil {
				req.Body = tt.body()
			}
			err := env.c.Do(t.Context(), req, nil)
			if int(calls.Load()) != tt.wantCalls {
				t.Errorf("%d calls, want %d", calls.Load(), tt.wantCalls)
			}
			var ge *Error
			switch {
			case tt.wantStatus == 0 && err != nil:
				t.Errorf("error %v", err)
			case tt.wantStatus != 0 && (!errors.As(err, &ge) || ge.StatusCode != tt.wantStatus):
				t.Errorf("error %v, want status %d", err, tt.wantStatus)
			}
			if badBody.Load() {
				t.Error("a retry sent a different body")
			}
			// Sleeps: the Retry-After waits (the gate adds none once they have passed).
			if diff := cmp.Diff(tt.wantSleeps, env.clock.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBackoffWithoutRetryAfter(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	statuses := []int{503, 500, 502, 509} // without Retry-After: backoff
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if n := int(calls.Add(1)); n <= len(statuses) {
			w.WriteHeader(statuses[n-1])
			return
		}
		w.WriteHeader(200)
	})
	if err := env.c.Get(t.Context(), "/me", nil); err != nil {
		t.Fatal(err)
	}
	sleeps := env.clock.Sleeps()
	if len(sleeps) != len(statuses) {
		t.Fatalf("sleeps %v, want %d", sleeps, len(statuses))
	}
	for i, d := range sleeps {
		if ceiling := time.Second << i; d < 0 || d >= ceiling {
			t.Errorf("backoff %d = %v, outside [0, %v)", i+1, d, ceiling)
		}
	}
}

func TestUnauthorizedRefreshesOnce(t *testing.T) {
	t.Parallel()
	var auths []string
	var mu sync.Mutex
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		writeJSON(w, 401, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}`)
	})
	err := env.c.Get(t.Context(), "/me", nil)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("error %v, want ErrUnauthorized", err)
	}
	if diff := cmp.Diff([]string{"Bearer tok-1", "Bearer tok-2"}, auths); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if env.ts.Forced() != 1 {
		t.Errorf("%d forced refreshes, want 1", env.ts.Forced())
	}

	// NoAuth requests never refresh.
	auths = nil
	_ = env.c.Do(t.Context(), &Request{Path: "/x", NoAuth: true}, nil)
	if env.ts.Forced() != 1 || len(auths) != 1 {
		t.Errorf("NoAuth: %d refreshes, %d calls", env.ts.Forced(), len(auths))
	}

	// A refreshed token that works ends the call well.
	var n atomic.Int32
	env2 := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(401)
			return
		}
		writeJSON(w, 200, `{}`)
	})
	if err := env2.c.Get(t.Context(), "/me", nil); err != nil {
		t.Errorf("after refresh: %v", err)
	}
}

func TestTokenError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) { t.Error("request sent without a token") })
	env.ts.err = errors.New("no refresh token")
	err := env.c.Get(t.Context(), "/me", nil)
	if err == nil || !strings.Contains(err.Error(), "no refresh token") {
		t.Errorf("error %v", err)
	}
}

// TestGate checks that after a 429 with Retry-After no request of the client reaches the
// server before the deadline, whoever sends it.
func TestGate(t *testing.T) {
	t.Parallel()
	var env *testEnv
	var mu sync.Mutex
	var deadline time.Time
	var early []string
	env = newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		now := env.clock.Now()
		mu.Lock()
		defer mu.Unlock()
		if now.Before(deadline) {
			early = append(early, r.URL.Path+" at "+now.Format(time.TimeOnly))
		}
		if r.URL.Path == "/v1.0/throttled" && deadline.IsZero() {
			deadline = now.Add(30 * time.Second)
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(429)
			return
		}
		w.WriteHeader(200)
	}, WithRetry(RetryPolicy{MaxRetries: -1}))
	ctx := t.Context()
	if err := env.c.Get(ctx, "/throttled", nil); !errors.Is(err, ErrThrottled) {
		t.Fatalf("first call: %v", err)
	}
	// Other callers, concurrently, must wait for the deadline.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if err := env.c.Get(ctx, "/other", nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(early) > 0 {
		t.Errorf("requests before the Retry-After deadline: %v", early)
	}
	if sl := env.clock.Sleeps(); len(sl) == 0 || sl[0] != 30*time.Second {
		t.Errorf("sleeps %v, want a first wait of 30s", sl)
	}
}

func TestGateWaitBeyondDeadlineFailsFast(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "300")
		w.WriteHeader(429)
	})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	err := env.c.Get(ctx, "/me", nil)
	if !errors.Is(err, ErrThrottled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want throttled and deadline exceeded", err)
	}
	if len(env.clock.Sleeps()) != 0 {
		t.Errorf("slept %v in vain", env.clock.Sleeps())
	}
}

func TestConnectionResetRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				if tc, ok := conn.(*net.TCPConn); ok {
					_ = tc.SetLinger(0) // RST
				}
				conn.Close()
			}
			return
		}
		writeJSON(w, 200, `{}`)
	})
	if err := env.c.Get(t.Context(), "/me", nil); err != nil {
		t.Fatalf("GET: %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
	calls.Store(0)
	err := env.c.Post(t.Context(), "/me/sendMail", map[string]string{}, nil)
	if err == nil || calls.Load() != 1 {
		t.Errorf("POST after reset: err %v, %d calls; want an error after 1 call", err, calls.Load())
	}
}

func TestAttemptTimeout(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	release := make(chan struct{})
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select { // hang until the client gives up on this attempt
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		writeJSON(w, 200, `{}`)
	}, WithAttemptTimeout(50*time.Millisecond))
	defer close(release)
	if err := env.c.Get(t.Context(), "/me", nil); err != nil {
		t.Fatalf("GET: %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
}

func TestContextCanceled(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithCancel(t.Context())
	go cancel()
	if err := env.c.Get(ctx, "/me", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestErrorFromServer(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "rid-9")
		writeJSON(w, 404, `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}`)
	})
	err := env.c.Get(t.Context(), "/me/messages/AAMkAGI2THVSAAA1234567890abcdefghijklmnop?$select=id", nil)
	var ge *Error
	if !errors.As(err, &ge) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("error %v", err)
	}
	want := "graph: GET /me/messages/AAMkAGI2…: 404 ErrorItemNotFound: The specified object was not found in the store. (request-id rid-9)"
	if err.Error() != want {
		t.Errorf("Error() = %s\nwant      %s", err, want)
	}
	if ge.ClientRequestID == "" || !strings.HasSuffix(ge.URL, "?$select=id") {
		t.Errorf("ClientRequestID %q URL %q", ge.ClientRequestID, ge.URL)
	}
}

func TestLogsRedacted(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var calls atomic.Int32
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			return
		}
		w.WriteHeader(200)
	}, WithLogger(logger))
	if err := env.c.Get(t.Context(), "/me/x?authtoken=SECRETA&code=SECRETB&access_token=SECRETC", nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	if !strings.Contains(out, "graph: retrying") {
		t.Errorf("no retry decision logged:\n%s", out)
	}
	for _, secret := range []string{"SECRET", "tok-1", "Bearer"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestMergePrefer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		defaults, request []string
		want              string
	}{
		{nil, nil, ""},
		{[]string{`outlook.timezone="UTC"`}, nil, `outlook.timezone="UTC"`},
		{[]string{`outlook.timezone="UTC"`, "return=minimal"}, []string{`outlook.timezone="Pacific Standard Time", odata.maxpagesize=10`}, `return=minimal, outlook.timezone="Pacific Standard Time", odata.maxpagesize=10`},
		{nil, []string{`a="x, y"`, `a="x, y"`}, `a="x, y"`},
	}
	for _, tt := range tests {
		if got := mergePrefer(tt.defaults, tt.request); got != tt.want {
			t.Errorf("mergePrefer(%q, %q) = %q, want %q", tt.defaults, tt.request, got, tt.want)
		}
	}
}

func TestCallTimeout(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		WithTimeout(50*time.Millisecond), WithAttemptTimeout(time.Hour))
	if err := env.c.Get(t.Context(), "/me", nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want DeadlineExceeded", err)
	}
	// A request's own Timeout wins.
	err := env.c.Do(t.Context(), &Request{Path: "/me", Timeout: 20 * time.Millisecond}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want DeadlineExceeded", err)
	}
}

func TestQueryOption(t *testing.T) {
	t.Parallel()
	var got string
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.RawQuery + " | " + r.Header.Get("Prefer")
		writeJSON(w, 200, `{}`)
	})
	q := odata.New().Filter(odata.Attr("subject").Eq("it's")).Select("id").Top(5)
	if err := env.c.Get(t.Context(), "/me/messages?$count=true", nil, Query(q), ImmutableIDs()); err != nil {
		t.Fatal(err)
	}
	want := `$count=true&$filter=subject%20eq%20'it''s'&$select=id&$top=5 | IdType="ImmutableId"`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// A query that failed to build fails the call before anything is sent.
	got = ""
	if err := env.c.Get(t.Context(), "/me", nil, Query(odata.New().Top(-1))); err == nil || !strings.Contains(err.Error(), "graph: query:") || got != "" {
		t.Errorf("bad query: error %v, request %q", err, got)
	}
}

// plainReader is a seekable body with unsynchronised state: the race detector reports any
// read by net/http that overlaps a rewind or the caller's use after Send returns.
type plainReader struct {
	data  []byte
	pos   int
	reads int
}

func (p *plainReader) Read(b []byte) (int, error) {
	p.reads++
	if p.pos >= len(p.data) {
		return 0, io.EOF
	}
	n := copy(b, p.data[p.pos:])
	p.pos += n
	return n, nil
}

func (p *plainReader) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		p.pos = int(off)
	case io.SeekCurrent:
		p.pos += int(off)
	case io.SeekEnd:
		p.pos = len(p.data) + int(off)
	}
	return int64(p.pos), nil
}

func TestBodyReleasedBeforeReturn(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		// Answer without reading the (large) body, as a proxy or a fast failure does.
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(503)
			return
		}
		w.WriteHeader(200)
	})
	body := &plainReader{data: bytes.Repeat([]byte("x"), 4<<20)}
	resp, err := env.c.Send(t.Context(), &Request{Method: "PUT", Path: "/me/drive/items/1/content", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_ = body.reads // the caller may use its reader again at once
	body.pos = 0
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
}
