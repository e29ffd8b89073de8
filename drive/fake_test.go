package drive

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/quickxor"
)

// fakeGraph is a small Graph drive service following the documented behaviour, for unit
// tests of the wire format and of failure handling. Integration tests use the emulator.
type fakeGraph struct {
	t   *testing.T
	srv *httptest.Server
	mu  sync.Mutex

	// paths records "METHOD escaped-path?query" of every request.
	paths []string
	// handlers answer requests whose "METHOD escaped-path" starts with the key.
	handlers map[string]http.HandlerFunc

	// Upload session state.
	session     []byte // bytes received, nil until created
	sessionSize int64
	sessionHave int64 // contiguous bytes from 0
	sessionBody map[string]any
	putCount    int
	putFail     func(n int) (status int, drop bool) // per PUT number, 1-based
	wrongHash   bool
	authOnPut   int
	content     map[string][]byte // item id -> content, for downloads
}

func newFake(t *testing.T) (*fakeGraph, *graph.Client) {
	t.Helper()
	f := &fakeGraph{t: t, handlers: map[string]http.HandlerFunc{}, content: map[string][]byte{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	c, err := graph.NewClient(tokenFunc(func(context.Context, bool) (string, error) { return "tok", nil }),
		graph.WithProtocol(graph.Protocol{BaseURL: f.srv.URL}),
		graph.WithClock(nil, func(ctx context.Context, d time.Duration) error { return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

type tokenFunc func(context.Context, bool) (string, error)

func (f tokenFunc) AccessToken(ctx context.Context, force bool) (string, error) { return f(ctx, force) }

func (f *fakeGraph) handle(prefix string, h http.HandlerFunc) { f.handlers[prefix] = h }

func (f *fakeGraph) Paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

func (f *fakeGraph) serve(w http.ResponseWriter, r *http.Request) {
	key := r.Method + " " + r.URL.EscapedPath()
	f.mu.Lock()
	rec := key
	if r.URL.RawQuery != "" {
		rec += "?" + r.URL.RawQuery
	}
	f.paths = append(f.paths, rec)
	f.mu.Unlock()
	switch {
	case strings.HasPrefix(key, "POST ") && strings.HasSuffix(key, ":/createUploadSession"):
		f.createSession(w, r)
		return
	case strings.HasPrefix(r.URL.Path, "/up/"):
		f.uploadURL(w, r)
		return
	}
	best := ""
	for k := range f.handlers {
		if strings.HasPrefix(key, k) && len(k) > len(best) {
			best = k
		}
	}
	if best == "" {
		writeErr(w, http.StatusNotFound, "itemNotFound", "no such path in the fake: "+key)
		return
	}
	f.handlers[best](w, r)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

func qxh(b []byte) string {
	s := quickxor.Sum(b)
	return base64.StdEncoding.EncodeToString(s[:])
}

func fileItem(id, name string, content []byte) map[string]any {
	return map[string]any{
		"id": id, "name": name, "size": len(content),
		"parentReference": map[string]any{"driveId": "d1", "id": "root"},
		"file":            map[string]any{"mimeType": "application/octet-stream", "hashes": map[string]any{"quickXorHash": qxh(content)}},
	}
}

func (f *fakeGraph) createSession(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	f.session, f.sessionHave, f.sessionSize, f.sessionBody, f.putCount = []byte{}, 0, -1, body, 0
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"uploadUrl": f.srv.URL + "/up/s1?tempauth=secret", "expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": []string{"0-"}})
}

func (f *fakeGraph) uploadURL(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.session == nil {
		writeErr(w, http.StatusNotFound, "itemNotFound", "no session")
		return
	}
	if r.Header.Get("Authorization") != "" {
		f.authOnPut++
	}
	switch r.Method {
	case http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": []string{strconv.FormatInt(f.sessionHave, 10) + "-"}})
		return
	case http.MethodDelete:
		f.session = nil
		w.WriteHeader(http.StatusNoContent)
		return
	}
	f.putCount++
	if f.putFail != nil {
		if st, drop := f.putFail(f.putCount); drop {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		} else if st != 0 {
			w.Header().Set("Retry-After", "1")
			writeErr(w, st, "serviceNotAvailable", "injected")
			return
		}
	}
	first, last, total, err := graph.ParseContentRange(r.Header.Get("Content-Range"))
	if err != nil {
		writeErr(w, http.StatusBadRequest, "invalidRange", err.Error())
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil || int64(len(data)) != last-first+1 {
		writeErr(w, http.StatusBadRequest, "fragmentLengthMismatch", "length")
		return
	}
	if first != f.sessionHave {
		writeErr(w, http.StatusRequestedRangeNotSatisfiable, "invalidRange", fmt.Sprintf("expected %d", f.sessionHave))
		return
	}
	f.session = append(f.session, data...)
	f.sessionHave = last + 1
	f.sessionSize = total
	if f.sessionHave < total {
		writeJSON(w, http.StatusAccepted, map[string]any{"expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": []string{strconv.FormatInt(f.sessionHave, 10) + "-"}})
		return
	}
	it := fileItem("up1", "big.bin", f.session)
	if f.wrongHash {
		it["file"].(map[string]any)["hashes"] = map[string]any{"quickXorHash": qxh([]byte("other"))}
	}
	f.content["up1"] = f.session
	writeJSON(w, http.StatusCreated, it)
}

// serveContent answers GET .../content with Range support.
func (f *fakeGraph) serveContent(id string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		data := f.content[id]
		f.mu.Unlock()
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(data)))
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
