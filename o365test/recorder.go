package o365test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
)

// A Recorder keeps the requests an Account's Graph client sends, as they go on the wire, so a
// test can assert exact bodies ("Save sends only what changed") and headers:
//
//	rec := new(o365test.Recorder)
//	acct, _ := o365test.Start(t, o365test.Record(rec))
//	msg.Subject = "x"
//	msg.Save(ctx)
//	p := rec.Take().Only("PATCH", msg.ID)
//	// p[0].Body is map[string]any{"subject": "x"}
//
// It sees Graph calls and the upload and download URLs the client follows, not sign-in. The
// zero value is ready to use; it is safe for concurrent use.
type Recorder struct {
	mu   sync.Mutex
	reqs Requests
}

// Request is one recorded request.
type Request struct {
	Method string
	// Path is escaped as it was sent, e.g. "/v1.0/sites/contoso.sharepoint.com:/sites/a%20b",
	// so a test sees what Graph would see.
	Path string
	// Query is the raw query without '?', e.g. "$top=5".
	Query string
	// Header is a copy of the request's headers (Authorization included).
	Header http.Header
	// Body is the JSON object sent, decoded by encoding/json (numbers as float64); nil when the
	// Content-Type is not JSON or the body is not an object.
	Body map[string]any
}

// Requests is a list of recorded requests, oldest first.
type Requests []Request

// Record makes Start record, in rec, every request the Account's Graph client sends. It sets
// the Graph client's HTTP client (after the options of WithAccountOptions), so sign-in keeps its
// own.
func Record(rec *Recorder) Option { return func(o *options) { o.recorders = append(o.recorders, rec) } }

// Take returns the requests recorded since the last Take and forgets them, so the next Take
// shows only what a later call sent.
func (r *Recorder) Take() Requests {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs
	r.reqs = nil
	return out
}

// Sent returns the requests recorded since the last Take without forgetting them.
func (r *Recorder) Sent() Requests {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append(Requests(nil), r.reqs...)
}

// Only returns the requests with this method whose path ends with suffix; an empty method or
// suffix matches any.
func (rs Requests) Only(method, suffix string) Requests {
	var out Requests
	for _, r := range rs {
		if (method == "" || r.Method == method) && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// Graph returns the requests to Graph's API (paths under /v1.0/ or /beta/), leaving out the
// upload and download URLs the service handed out.
func (rs Requests) Graph() Requests {
	var out Requests
	for _, r := range rs {
		if strings.HasPrefix(r.Path, "/v1.0/") || strings.HasPrefix(r.Path, "/beta/") {
			out = append(out, r)
		}
	}
	return out
}

// recording is the RoundTripper Record installs: it records req in every recorder, then
// sends it with next.
type recording struct {
	recs []*Recorder
	next http.RoundTripper
}

func (t *recording) RoundTrip(req *http.Request) (*http.Response, error) {
	r := Request{Method: req.Method, Path: req.URL.EscapedPath(), Query: req.URL.RawQuery, Header: req.Header.Clone()}
	if req.Body != nil && req.Body != http.NoBody && strings.Contains(req.Header.Get("Content-Type"), "json") {
		b, sent, err := readBody(req)
		if err != nil {
			return nil, err
		}
		req = sent
		_ = json.Unmarshal(b, &r.Body)
	}
	for _, rec := range t.recs {
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r)
		rec.mu.Unlock()
	}
	return t.next.RoundTrip(req)
}

// readBody returns req's body and the request to send on. It reads a copy from GetBody when
// there is one, leaving req as it is (a RoundTripper must not change it); otherwise it reads
// and closes req.Body and sends a clone with the bytes read.
func readBody(req *http.Request) ([]byte, *http.Request, error) {
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			b, err := io.ReadAll(rc)
			rc.Close()
			if err == nil {
				return b, req, nil
			}
		}
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, nil, err
	}
	sent := req.Clone(req.Context())
	sent.Body = io.NopCloser(bytes.NewReader(b))
	sent.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return b, sent, nil
}
