package mail_test

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
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
)

// recorded is one request the client sent, with its body when it is JSON and small.
type recorded struct {
	Method, Path string
	Body         map[string]any
	Len          int64
}

// recorder is a RoundTripper that records what the client sends to Graph.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recorded{Method: req.Method, Path: req.URL.Path, Len: req.ContentLength}
	if req.Body != nil && req.ContentLength >= 0 && req.ContentLength < 1<<20 && strings.Contains(req.Header.Get("Content-Type"), "json") {
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

// only returns the recorded requests with this method (and path suffix, if given).
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

// addUser adds a second user to the tenant and returns their UPN.
func addUser(srv *emulator.Server, name string) string {
	upn := name + "@" + strings.SplitN(srv.DefaultUser().UPN, "@", 2)[1]
	srv.AddUser(emulator.User{UPN: upn, DisplayName: name})
	return upn
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func firstInbox(t *testing.T, ctx context.Context, mb *mail.Mailbox) *mail.Message {
	t.Helper()
	for m, err := range mb.Inbox().Messages(ctx, &graph.ListOptions{Limit: 1}) {
		ok(t, err)
		return m
	}
	t.Fatal("empty inbox")
	return nil
}
