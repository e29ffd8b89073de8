package graph

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// authRecorder is a server that records the Authorization header of each request by path.
type authRecorder struct {
	mu   sync.Mutex
	seen map[string]string
}

func (a *authRecorder) record(r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.seen == nil {
		a.seen = map[string]string{}
	}
	a.seen[r.URL.Path] = r.Header.Get("Authorization")
}

func (a *authRecorder) get() map[string]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return maps.Clone(a.seen)
}

// TestRedirectDropsAuthorization runs a Graph server and another server on the same loopback
// host (different ports, which net/http alone treats as the same host): the token must reach
// the first only.
func TestRedirectDropsAuthorization(t *testing.T) {
	t.Parallel()
	rec := &authRecorder{}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		if r.URL.Path == "/bounce" {
			// Back to the Graph server: the header must stay off for the rest of the chain.
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
			return
		}
		writeJSON(w, 200, `{}`)
	}))
	t.Cleanup(other.Close)
	var graphURL atomic.Value
	handler := func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		switch r.URL.Path {
		case "/v1.0/away":
			http.Redirect(w, r, other.URL+"/content", http.StatusFound)
		case "/v1.0/here":
			http.Redirect(w, r, "/v1.0/final", http.StatusFound)
		case "/v1.0/roundtrip":
			http.Redirect(w, r, other.URL+"/bounce?to="+url.QueryEscape(graphURL.Load().(string)+"/v1.0/back"), http.StatusFound)
		default:
			writeJSON(w, 200, `{}`)
		}
	}

	custom := 0
	var mu sync.Mutex
	clients := []struct {
		name string
		opts []Option
	}{
		{"default client", nil},
		{"WithHTTPClient", []Option{WithHTTPClient(&http.Client{
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				mu.Lock()
				custom++
				mu.Unlock()
				return nil
			},
		})}},
		{"WithHTTPClient without CheckRedirect", []Option{WithHTTPClient(&http.Client{})}},
	}
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			rec.mu.Lock()
			rec.seen = nil
			rec.mu.Unlock()
			env := newTestEnv(t, handler, cl.opts...)
			graphURL.Store(env.srv.URL)
			for _, p := range []string{"/away", "/here", "/roundtrip"} {
				if err := env.c.Get(t.Context(), p, nil); err != nil {
					t.Fatalf("GET %s: %v", p, err)
				}
			}
			want := map[string]string{
				"/v1.0/away":      "Bearer tok-1",
				"/content":        "", // other port: dropped
				"/v1.0/here":      "Bearer tok-1",
				"/v1.0/final":     "Bearer tok-1", // same origin: kept
				"/v1.0/roundtrip": "Bearer tok-1",
				"/bounce":         "",
				"/v1.0/back":      "", // the chain left the origin once: stays off
			}
			if diff := cmp.Diff(want, rec.get()); diff != "" {
				t.Errorf("Authorization by path (-want +got):\n%s", diff)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if custom != 4 { // the caller's CheckRedirect still runs for every redirect
		t.Errorf("custom CheckRedirect ran %d times, want 4", custom)
	}
}

func TestWithHTTPClientNotModified(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	if _, err := NewClient(nil, WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil {
		t.Error("WithHTTPClient changed the caller's http.Client")
	}
}

func TestRedirectLimit(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	if err := env.c.Get(t.Context(), "/loop", nil); err == nil {
		t.Error("a redirect loop succeeded")
	}
}

func TestSameOriginPort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://graph.microsoft.com/v1.0/me", "https://graph.microsoft.com/beta/x", true},
		{"https://graph.microsoft.com/", "https://GRAPH.microsoft.com:443/", true},
		{"http://127.0.0.1/", "http://127.0.0.1:80/", true},
		{"https://graph.microsoft.com/", "http://graph.microsoft.com/", false},
		{"https://graph.microsoft.com/", "https://graph.microsoft.com:8443/", false},
		{"https://graph.microsoft.com/", "https://evil.graph.microsoft.com/", false},
		{"http://127.0.0.1:1000/", "http://127.0.0.1:1001/", false},
		{"http://127.0.0.1:1000/", "http://localhost:1000/", false},
		{"http://[::1]:1000/", "http://[::1]:1000/x", true},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := sameOriginPort(a, b); got != tt.want {
			t.Errorf("sameOriginPort(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
