package sharepoint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/sharepoint"
)

// recorded is one request the client sent, with its JSON body and headers.
type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                map[string]any
}

// recorder is a RoundTripper that records what the client sends to Graph.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recorded{Method: req.Method, Path: req.URL.EscapedPath(), Query: req.URL.RawQuery, Header: req.Header.Clone()}
	if req.Body != nil && strings.Contains(req.Header.Get("Content-Type"), "json") {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		_ = json.Unmarshal(b, &rec.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, rec)
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// take returns the Graph requests recorded since the last take.
func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []recorded
	for _, q := range r.reqs {
		if strings.HasPrefix(q.Path, "/v1.0/") {
			out = append(out, q)
		}
	}
	r.reqs = nil
	return out
}

// manage are the default test scopes plus Sites.Manage.All, which creating lists,
// columns and content types needs.
func manage() o365test.Option {
	return o365test.WithScopes(append(o365test.DefaultScopes(), "Sites.Manage.All")...)
}

// start is o365test.Start with a request recorder.
func start(t *testing.T, opts ...o365test.Option) (*o365.Account, *emulator.Server, *recorder) {
	t.Helper()
	rec := &recorder{next: http.DefaultTransport.(*http.Transport).Clone()}
	opts = append(opts, o365test.WithAccountOptions(o365.WithClientOptions(graph.WithHTTPClient(&http.Client{Transport: rec}))))
	acct, srv := o365test.Start(t, opts...)
	return acct, srv, rec
}

func collect[T any](t *testing.T, seq func(func(*T, error) bool)) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// marketing returns the seeded Marketing site and its Inventory list.
func marketing(t *testing.T, sp *sharepoint.Sharepoint) (*sharepoint.Site, *sharepoint.List) {
	t.Helper()
	ctx := context.Background()
	site, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := site.List(ctx, "Inventory")
	if err != nil {
		t.Fatal(err)
	}
	return site, inv
}
