package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dlReq is one request the download fake saw.
type dlReq struct {
	Where string // "graph" or "dl"
	Range string
	Auth  bool
}

// downloadServer serves a file the way OneDrive does: the Graph /content path answers 302 to
// a pre-authenticated URL on another host name ("localhost" instead of "127.0.0.1"), which
// serves ranges (206 + Content-Range) and refuses tokens.
type downloadServer struct {
	t       *testing.T
	content []byte
	srv     *httptest.Server

	mu       sync.Mutex
	reqs     []dlReq
	dlCount  int
	drops    map[int]int   // dl request index → bytes to send before dropping the connection
	statuses map[int]int   // dl request index → error status to answer instead
	shift    map[int]int64 // dl request index → answer with a Content-Range this far off
	noRange  bool          // ignore Range headers (answer 200 with everything)
}

func newDownloadServer(t *testing.T, size int) *downloadServer {
	d := &downloadServer{t: t, content: testData(size), drops: map[int]int{}, statuses: map[int]int{}, shift: map[int]int64{}}
	d.srv = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.srv.Close)
	return d
}

func (d *downloadServer) serve(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	d.mu.Lock()
	switch {
	case r.URL.Path == "/v1.0/me/drive/items/item-1/content":
		d.reqs = append(d.reqs, dlReq{"graph", r.Header.Get("Range"), auth != ""})
		d.mu.Unlock()
		if auth != "Bearer "+upSecretToken {
			writeUpJSON(w, http.StatusUnauthorized, `{"error":{"code":"InvalidAuthenticationToken","message":"no token"}}`)
			return
		}
		u, _ := url.Parse(d.srv.URL)
		u.Host = "localhost:" + u.Port()
		u.Path = "/dl/item-1"
		u.RawQuery = "tempauth=pre-authenticated"
		http.Redirect(w, r, u.String(), http.StatusFound)
		return
	case r.URL.Path == "/dl/item-1" && r.URL.Query().Get("tempauth") == "pre-authenticated":
	default:
		d.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	n := d.dlCount
	d.dlCount++
	d.reqs = append(d.reqs, dlReq{"dl", r.Header.Get("Range"), auth != ""})
	drop, dropping := d.drops[n]
	status := d.statuses[n]
	shift := d.shift[n]
	noRange := d.noRange
	d.mu.Unlock()
	if auth != "" {
		writeUpJSON(w, http.StatusUnauthorized, `{"error":{"code":"invalidRequest","message":"tokens are not accepted here"}}`)
		return
	}
	if status != 0 {
		writeUpJSON(w, status, `{"error":{"code":"accessDenied","message":"the URL expired"}}`)
		return
	}
	size := int64(len(d.content))
	first, last := int64(0), size-1
	code := http.StatusOK
	if rng := r.Header.Get("Range"); rng != "" && !noRange {
		spec, ok := strings.CutPrefix(rng, "bytes=")
		a, b, _ := strings.Cut(spec, "-")
		var err error
		if first, err = strconv.ParseInt(a, 10, 64); !ok || err != nil || first >= size {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", size))
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		if b != "" {
			if last, err = strconv.ParseInt(b, 10, 64); err != nil {
				http.Error(w, "bad range", http.StatusBadRequest)
				return
			}
			last = min(last, size-1)
		}
		code = http.StatusPartialContent
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", first+shift, last+shift, size))
	}
	w.Header().Set("Content-Length", strconv.FormatInt(last-first+1, 10))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(code)
	body := d.content[first : last+1]
	if dropping {
		w.Write(body[:min(drop, len(body))])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	w.Write(body)
}

func (d *downloadServer) requests() []dlReq {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]dlReq(nil), d.reqs...)
}

const dlPath = "/me/drive/items/item-1/content"

func TestDownload(t *testing.T) {
	d := newDownloadServer(t, 300_000)
	c, _ := newUpClient(t, d.srv.URL)
	var buf bytes.Buffer
	var progress []int64
	n, err := c.Download(context.Background(), dlPath, &buf, DownloadProgress(func(written, total int64) {
		if total != 300_000 {
			t.Errorf("progress total %d", total)
		}
		progress = append(progress, written)
	}))
	if err != nil {
		t.Fatal(err)
	}
	if n != 300_000 || !bytes.Equal(buf.Bytes(), d.content) {
		t.Fatalf("got %d bytes, content equal %v", n, bytes.Equal(buf.Bytes(), d.content))
	}
	want := []dlReq{{"graph", "", true}, {"dl", "", false}}
	if diff := cmp.Diff(want, d.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	checkMonotonic(t, progress, 300_000)
}

// TestDownloadResume drops the connection mid-body twice: each time the download goes on from
// the byte reached, straight at the download URL, without a token.
func TestDownloadResume(t *testing.T) {
	d := newDownloadServer(t, 300_000)
	d.drops[0] = 1000
	d.drops[1] = 50_000
	c, clk := newUpClient(t, d.srv.URL)
	var buf bytes.Buffer
	var progress []int64
	n, err := c.Download(context.Background(), dlPath, &buf, DownloadProgress(func(written, _ int64) { progress = append(progress, written) }))
	if err != nil {
		t.Fatal(err)
	}
	if n != 300_000 || !bytes.Equal(buf.Bytes(), d.content) {
		t.Fatalf("got %d bytes, content equal %v", n, bytes.Equal(buf.Bytes(), d.content))
	}
	want := []dlReq{{"graph", "", true}, {"dl", "", false}, {"dl", "bytes=1000-", false}, {"dl", "bytes=51000-", false}}
	if diff := cmp.Diff(want, d.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if len(clk.Sleeps()) != 2 {
		t.Errorf("slept %d times, want 2", len(clk.Sleeps()))
	}
	checkMonotonic(t, progress, 300_000)
}

func TestDownloadOffset(t *testing.T) {
	d := newDownloadServer(t, 100_000)
	d.drops[0] = 10
	c, _ := newUpClient(t, d.srv.URL)
	var buf bytes.Buffer
	var lastTotal int64
	n, err := c.Download(context.Background(), dlPath, &buf, DownloadOffset(5000), DownloadProgress(func(_, total int64) { lastTotal = total }))
	if err != nil {
		t.Fatal(err)
	}
	if n != 95_000 || !bytes.Equal(buf.Bytes(), d.content[5000:]) {
		t.Fatalf("got %d bytes", n)
	}
	if lastTotal != 95_000 {
		t.Errorf("progress total %d, want 95000", lastTotal)
	}
	want := []dlReq{{"graph", "bytes=5000-", true}, {"dl", "bytes=5000-", false}, {"dl", "bytes=5010-", false}}
	if diff := cmp.Diff(want, d.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestDownloadExpiredURL: when the download URL stops working, Graph is asked for a new one.
func TestDownloadExpiredURL(t *testing.T) {
	d := newDownloadServer(t, 100_000)
	d.drops[0] = 100
	d.statuses[1] = http.StatusForbidden
	c, _ := newUpClient(t, d.srv.URL)
	var buf bytes.Buffer
	if _, err := c.Download(context.Background(), dlPath, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), d.content) {
		t.Fatal("content differs")
	}
	want := []dlReq{{"graph", "", true}, {"dl", "", false}, {"dl", "bytes=100-", false}, {"graph", "bytes=100-", true}, {"dl", "bytes=100-", false}}
	if diff := cmp.Diff(want, d.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestDownloadNoRangeSupport(t *testing.T) {
	d := newDownloadServer(t, 100_000)
	d.noRange = true
	d.drops[0] = 30_000
	c, _ := newUpClient(t, d.srv.URL)
	var buf bytes.Buffer
	n, err := c.Download(context.Background(), dlPath, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != 100_000 || !bytes.Equal(buf.Bytes(), d.content) {
		t.Fatalf("got %d bytes, content equal %v", n, bytes.Equal(buf.Bytes(), d.content))
	}
}

func TestDownloadWrongContentRange(t *testing.T) {
	d := newDownloadServer(t, 100_000)
	d.drops[0] = 100
	d.shift[1] = 1 // the resumed answer starts one byte off
	c, _ := newUpClient(t, d.srv.URL)
	var buf bytes.Buffer
	n, err := c.Download(context.Background(), dlPath, &buf)
	if err == nil || !strings.Contains(err.Error(), "Content-Range") {
		t.Fatalf("err = %v, want a Content-Range mismatch", err)
	}
	if n != 100 || len(d.requests()) != 3 {
		t.Errorf("n = %d, %d requests; want 100 and 3 (no retry of a wrong answer)", n, len(d.requests()))
	}
}

func TestDownloadRetriesBounded(t *testing.T) {
	d := newDownloadServer(t, 100_000)
	for i := range 10 {
		d.drops[i] = 0
	}
	c, _ := newUpClient(t, d.srv.URL)
	_, err := c.Download(context.Background(), dlPath, io.Discard, DownloadRetries(2))
	if err == nil || !strings.Contains(err.Error(), "3 failed attempts") {
		t.Fatalf("err = %v", err)
	}
	if got := len(d.requests()); got != 4 { // graph + 3 dl
		t.Errorf("%d requests, want 4", got)
	}
}

type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n+len(p) > 5000 {
		return 0, errors.New("disk full")
	}
	f.n += len(p)
	return len(p), nil
}

func TestDownloadWriterError(t *testing.T) {
	d := newDownloadServer(t, 100_000)
	c, _ := newUpClient(t, d.srv.URL)
	_, err := c.Download(context.Background(), dlPath, &failingWriter{})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	if got := len(d.requests()); got != 2 {
		t.Errorf("%d requests, want 2 (a writer failure is not retried)", got)
	}
}

func TestDownloadNotFound(t *testing.T) {
	d := newDownloadServer(t, 10)
	c, _ := newUpClient(t, d.srv.URL)
	_, err := c.Download(context.Background(), "/me/drive/items/nope/content", io.Discard)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

// memWriterAt is an in-memory io.WriterAt; its Write fails so that only WriteAt is used.
type memWriterAt struct {
	mu sync.Mutex
	b  []byte
}

func (m *memWriterAt) WriteAt(p []byte, off int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if off < 0 || off+int64(len(p)) > int64(len(m.b)) {
		return 0, fmt.Errorf("write at %d+%d beyond %d", off, len(p), len(m.b))
	}
	return copy(m.b[off:], p), nil
}

func (m *memWriterAt) Write([]byte) (int, error) { return 0, errors.New("sequential write") }

func TestDownloadParallel(t *testing.T) {
	const size = 1<<20 + 123
	d := newDownloadServer(t, size)
	d.drops[2] = 1000
	d.drops[5] = 0
	c, _ := newUpClient(t, d.srv.URL)
	w := &memWriterAt{b: make([]byte, size-1000)}
	var mu sync.Mutex
	var progress []int64
	n, err := c.Download(context.Background(), dlPath, w, DownloadOffset(1000), ParallelDownload(4, 64<<10),
		DownloadProgress(func(written, total int64) {
			mu.Lock()
			defer mu.Unlock()
			if total != size-1000 {
				t.Errorf("progress total %d", total)
			}
			progress = append(progress, written)
		}))
	if err != nil {
		t.Fatal(err)
	}
	if n != size-1000 || !bytes.Equal(w.b, d.content[1000:]) {
		t.Fatalf("n = %d, content equal %v", n, bytes.Equal(w.b, d.content[1000:]))
	}
	reqs := d.requests()
	if reqs[0] != (dlReq{"graph", fmt.Sprintf("bytes=1000-%d", 1000+64<<10-1), true}) {
		t.Errorf("first request %+v", reqs[0])
	}
	var ranges []string
	for _, r := range reqs[1:] {
		if r.Where != "dl" || r.Auth {
			t.Errorf("request %+v: want the download URL without a token", r)
		}
		ranges = append(ranges, r.Range)
	}
	// 16 ranges of 64 KiB cover the file after byte 1000, plus two resumed ones.
	if len(ranges) != 18 {
		t.Errorf("%d range requests, want 18: %v", len(ranges), ranges)
	}
	checkMonotonic(t, progress, size-1000)
}

// TestDownloadMemory streams 20 MiB and checks the heap allocated stays far below it.
func TestDownloadMemory(t *testing.T) {
	const size = 20 << 20
	d := newDownloadServer(t, size)
	d.drops[0] = 8 << 20
	c, _ := newUpClient(t, d.srv.URL)
	if _, err := c.Download(context.Background(), dlPath, io.Discard, DownloadOffset(size-10)); err != nil {
		t.Fatal(err) // warm-up
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n, err := c.Download(context.Background(), dlPath, io.Discard)
	runtime.ReadMemStats(&after)
	if err != nil || n != size {
		t.Fatalf("n = %d, err = %v", n, err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes for a %d-byte download", allocated, size)
	if allocated > size/8 {
		t.Errorf("allocated %d bytes downloading %d: the body is buffered", allocated, size)
	}
}

func TestDownloadOptionsValidation(t *testing.T) {
	c, _ := newUpClient(t, "http://127.0.0.1:1")
	for _, opts := range [][]DownloadOption{{DownloadOffset(-1)}, {ParallelDownload(2, 0)}} {
		if _, err := c.Download(context.Background(), dlPath, io.Discard, opts...); err == nil {
			t.Errorf("%v: no error", opts)
		}
	}
	if _, err := c.Download(context.Background(), dlPath, nil); err == nil {
		t.Error("nil writer: no error")
	}
}
