package contacts_test

import (
	"bytes"
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
)

// recorded is one request the client sent, with its JSON body.
type recorded struct {
	Method, Path string
	Body         map[string]any
}

// recorder is a RoundTripper that records what the client sends.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recorded{Method: req.Method, Path: req.URL.Path}
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

// start is o365test.Start with the demo seed and a request recorder.
func start(t *testing.T, opts ...o365test.Option) (*o365.Account, *emulator.Server, *recorder) {
	t.Helper()
	rec := &recorder{next: http.DefaultTransport.(*http.Transport).Clone()}
	opts = append([]o365test.Option{o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" })}, opts...)
	opts = append(opts, o365test.WithAccountOptions(o365.WithClientOptions(graph.WithHTTPClient(&http.Client{Transport: rec}))))
	acct, srv := o365test.Start(t, opts...)
	return acct, srv, rec
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
