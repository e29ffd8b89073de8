package calendar_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// recorded is one request the client sent, with its JSON body.
type recorded struct {
	Method, Path string
	Query        string
	Header       http.Header
	Body         map[string]any
}

// recorder records what the client sends to Graph.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recorded{Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, Header: req.Header.Clone()}
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

// take returns the requests recorded since the last take.
func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs
	r.reqs = nil
	return out
}

func only(reqs []recorded, method, suffix string) []recorded {
	var out []recorded
	for _, r := range reqs {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// start is o365test.Start with a request recorder.
func start(t *testing.T, opts ...o365test.Option) (*o365.Account, *emulator.Server, *recorder) {
	t.Helper()
	rec := &recorder{next: http.DefaultTransport.(*http.Transport).Clone()}
	opts = append(opts, o365test.WithAccountOptions(o365.WithClientOptions(graph.WithHTTPClient(&http.Client{Transport: rec}))))
	acct, srv := o365test.Start(t, opts...)
	return acct, srv, rec
}

// addUser adds a user to the tenant and returns their UPN.
func addUser(srv *emulator.Server, name string) string {
	upn := name + "@" + strings.SplitN(srv.DefaultUser().UPN, "@", 2)[1]
	srv.AddUser(emulator.User{UPN: upn, DisplayName: name})
	return upn
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// skipMissing skips the test when err says the emulator does not serve a route yet
// (a 400/404/405 for an unknown segment), and fails it on any other error.
func skipMissing(t *testing.T, err error, what string) {
	t.Helper()
	if err == nil {
		return
	}
	var ge *graph.Error
	if errors.As(err, &ge) && (ge.StatusCode == http.StatusMethodNotAllowed ||
		ge.StatusCode == http.StatusNotFound && strings.Contains(ge.Code, "Request") ||
		ge.StatusCode == http.StatusBadRequest && (strings.Contains(ge.Message, "Resource not found for the segment") ||
			strings.Contains(ge.Message, "Could not find a property named"))) {
		t.Skip("emulator: " + what)
	}
	t.Fatal(err)
}
