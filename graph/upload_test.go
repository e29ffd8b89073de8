package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// upTokenSource is a TokenSource for these tests; its token must never reach an upload or
// download URL.
type upTokenSource struct{}

const upSecretToken = "upload-test-token"

func (upTokenSource) AccessToken(context.Context, bool) (string, error) { return upSecretToken, nil }

// upClock is a fake clock: sleeps return at once and move time on.
type upClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *upClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *upClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return ctx.Err()
}

func (c *upClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// newUpClient returns a client on base with a fake clock.
func newUpClient(t *testing.T, base string) (*Client, *upClock) {
	t.Helper()
	clk := &upClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	c, err := NewClient(upTokenSource{}, WithProtocol(Protocol{BaseURL: base}), WithClock(clk.Now, clk.Sleep))
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// Upload shapes the fake serves.
const (
	shapeDrive   = "drive"
	shapeOutlook = "outlook"
)

// fault is what the fake does to one PUT.
type fault int

const (
	faultNone          fault = iota
	faultDropBefore          // close the connection without reading the chunk
	faultDropAfter           // accept the chunk, then close the connection before answering
	fault503                 // answer 503 without accepting the chunk
	fault429                 // answer 429 with Retry-After: 7 without accepting
	faultCommitThen500       // accept the chunk, then answer 500
	fault400                 // answer 400 invalidRequest (not resumable)
)

// upPut is one PUT the fake saw.
type upPut struct {
	First, Last, Total int64
	Status             int
}

// uploadServer is a faithful upload-session endpoint for both Graph shapes: sequential
// fragments, 320 KiB multiples except the last, under 60 MiB, 416 on overlap, status on GET,
// 204 on DELETE, 404 once gone, no Authorization accepted.
type uploadServer struct {
	t     *testing.T
	shape string
	srv   *httptest.Server

	mu        sync.Mutex
	size      int64 // -1 until the first PUT
	received  int64 // bytes accepted, all sequential from 0
	hash      io.Writer
	sum       []byte
	puts      []upPut
	gets      int
	deletes   int
	gone      bool
	authSeen  []string // method+path of requests that carried Authorization
	faults    map[int]fault
	bodyBytes int64 // all PUT body bytes that reached the server
	copyBuf   []byte
	defer_    bool // a deferCommit session: the last chunk answers 202, a POST commits
	pending   bool // all bytes in, waiting for the commit
	posts     int
}

func newUploadServer(t *testing.T, shape string) *uploadServer {
	u := &uploadServer{t: t, shape: shape, size: -1, hash: sha256.New(), faults: map[int]fault{}, copyBuf: make([]byte, 32<<10)}
	u.srv = httptest.NewServer(http.HandlerFunc(u.serve))
	t.Cleanup(u.srv.Close)
	return u
}

// session returns a fresh session on this server, as createUploadSession would.
func (u *uploadServer) session() *UploadSession {
	return &UploadSession{
		URL:                u.srv.URL + "/upload/sess-1?authtoken=pre-authenticated",
		Expiration:         time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
		NextExpectedRanges: []string{"0-"},
	}
}

func (u *uploadServer) errorJSON(w http.ResponseWriter, status int, code, inner string) {
	writeUpJSON(w, status, fmt.Sprintf(`{"error":{"code":%q,"message":"%s","innerError":{"code":%q}}}`, code, code, inner))
}

func writeUpJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// statusJSON is the session's state in the server's casing (locked).
func (u *uploadServer) statusJSON() string {
	exp := "2030-01-01T00:00:00.0000000Z"
	if u.shape == shapeOutlook {
		return fmt.Sprintf(`{"@odata.context":"https://outlook.office.com/api/v2.0/$metadata#Users('x')/Messages('y')/AttachmentSessions/$entity","ExpirationDateTime":%q,"NextExpectedRanges":["%d"]}`, exp, u.received)
	}
	return fmt.Sprintf(`{"expirationDateTime":%q,"nextExpectedRanges":["%d-"]}`, exp, u.received)
}

func (u *uploadServer) serve(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if r.Header.Get("Authorization") != "" {
		u.authSeen = append(u.authSeen, r.Method+" "+r.URL.Path)
		u.errorJSON(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "")
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/upload/") || r.URL.Query().Get("authtoken") != "pre-authenticated" {
		u.errorJSON(w, http.StatusNotFound, "itemNotFound", "")
		return
	}
	if u.gone {
		u.errorJSON(w, http.StatusNotFound, "itemNotFound", "uploadSessionNotFound")
		return
	}
	switch r.Method {
	case http.MethodGet:
		u.gets++
		writeUpJSON(w, http.StatusOK, u.statusJSON())
	case http.MethodDelete:
		u.deletes++
		u.gone = true
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		u.put(w, r)
	case http.MethodPost:
		u.posts++
		if !u.pending || r.ContentLength > 0 {
			u.errorJSON(w, http.StatusBadRequest, "invalidRequest", "")
			return
		}
		u.gone = true
		writeUpJSON(w, http.StatusCreated, fmt.Sprintf(`{"id":"item-1","name":"big.bin","size":%d}`, u.size))
	default:
		u.errorJSON(w, http.StatusMethodNotAllowed, "invalidRequest", "")
	}
}

func (u *uploadServer) put(w http.ResponseWriter, r *http.Request) {
	n := len(u.puts)
	first, last, total, err := ParseContentRange(r.Header.Get("Content-Range"))
	rec := upPut{First: first, Last: last, Total: total}
	defer func() { u.puts = append(u.puts, rec) }()
	fail := func(status int, code, inner string) {
		// Read the refused chunk first: a server that answers before reading makes
		// net/http wait 500 ms before closing, which only slows the tests.
		io.CopyBuffer(io.Discard, r.Body, u.copyBuf)
		rec.Status = status
		u.errorJSON(w, status, code, inner)
	}
	switch {
	case err != nil || first < 0 || total <= 0:
		fail(http.StatusBadRequest, "invalidRequest", "invalidContentRange")
		return
	case r.ContentLength != last-first+1:
		fail(http.StatusBadRequest, "invalidRequest", "invalidContentLength")
		return
	case u.size >= 0 && total != u.size:
		fail(http.StatusBadRequest, "invalidRequest", "fragmentLengthMismatch")
		return
	case last-first+1 >= 60<<20:
		fail(http.StatusRequestEntityTooLarge, "invalidRequest", "fragmentTooLarge")
		return
	case last != total-1 && (last-first+1)%UploadChunkMultiple != 0:
		fail(http.StatusBadRequest, "invalidRequest", "fragmentNotMultipleOf320KiB")
		return
	case first < u.received:
		fail(http.StatusRequestedRangeNotSatisfiable, "invalidRange", "fragmentOverlap")
		return
	case first > u.received:
		fail(http.StatusBadRequest, "invalidRange", "fragmentOutOfOrder")
		return
	}
	u.size = total
	switch u.faults[n] {
	case faultDropBefore:
		rec.Status = -1
		panic(http.ErrAbortHandler)
	case fault503:
		fail(http.StatusServiceUnavailable, "serviceNotAvailable", "")
		return
	case fault429:
		rec.Status = http.StatusTooManyRequests
		io.CopyBuffer(io.Discard, r.Body, u.copyBuf)
		w.Header().Set("Retry-After", "7")
		u.errorJSON(w, http.StatusTooManyRequests, "activityLimitReached", "throttledRequest")
		return
	case fault400:
		fail(http.StatusBadRequest, "invalidRequest", "")
		return
	}
	// Accept the fragment, unless it arrives cut.
	saved, err := u.hash.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		u.t.Fatal(err)
	}
	nb, err := io.CopyBuffer(u.hash, r.Body, u.copyBuf)
	u.bodyBytes += nb
	if err != nil || nb != last-first+1 {
		// The client stopped mid-chunk: nothing is accepted.
		rec.Status = -3
		if err := u.hash.(encoding.BinaryUnmarshaler).UnmarshalBinary(saved); err != nil {
			u.t.Error(err)
		}
		panic(http.ErrAbortHandler)
	}
	u.received = last + 1
	switch u.faults[n] {
	case faultDropAfter:
		rec.Status = -2
		panic(http.ErrAbortHandler)
	case faultCommitThen500:
		fail(http.StatusInternalServerError, "generalException", "")
		return
	}
	if u.received < u.size {
		rec.Status = http.StatusAccepted
		if u.shape == shapeOutlook {
			rec.Status = http.StatusOK
		}
		writeUpJSON(w, rec.Status, u.statusJSON())
		return
	}
	// Complete.
	u.sum = u.hash.(interface{ Sum([]byte) []byte }).Sum(nil)
	if u.defer_ {
		u.pending = true
		rec.Status = http.StatusAccepted
		writeUpJSON(w, http.StatusAccepted, `{"expirationDateTime":"2030-01-01T00:00:00Z","nextExpectedRanges":[]}`)
		return
	}
	u.gone = true
	rec.Status = http.StatusCreated
	if u.shape == shapeOutlook {
		w.Header().Set("Location", "https://outlook.office.com/api/v2.0/Users('x')/Messages('y')/Attachments('att-1')")
		w.WriteHeader(http.StatusCreated)
		return
	}
	writeUpJSON(w, http.StatusCreated, fmt.Sprintf(`{"id":"item-1","name":"big.bin","size":%d,"file":{"mimeType":"application/octet-stream"}}`, u.size))
}

func (u *uploadServer) snapshot() (puts []upPut, gets, deletes int, sum []byte, auth []string, bodyBytes int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]upPut(nil), u.puts...), u.gets, u.deletes, u.sum, append([]string(nil), u.authSeen...), u.bodyBytes
}

// testData returns n deterministic bytes.
func testData(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>9)
	}
	return b
}

type driveItem struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

const kib320 = UploadChunkMultiple

func TestUploadShapes(t *testing.T) {
	for _, shape := range []string{shapeDrive, shapeOutlook} {
		t.Run(shape, func(t *testing.T) {
			srv := newUploadServer(t, shape)
			c, _ := newUpClient(t, srv.srv.URL)
			data := testData(3*kib320 + 1000)
			var progress []int64
			var item driveItem
			s := srv.session()
			res, err := c.Upload(context.Background(), s, bytes.NewReader(data), int64(len(data)), &item,
				ChunkSize(kib320), UploadProgress(func(sent, total int64) {
					if total != int64(len(data)) {
						t.Errorf("progress total %d", total)
					}
					progress = append(progress, sent)
				}))
			if err != nil {
				t.Fatal(err)
			}
			puts, _, deletes, sum, auth, _ := srv.snapshot()
			wantPuts := []upPut{
				{0, kib320 - 1, int64(len(data)), 0},
				{kib320, 2*kib320 - 1, int64(len(data)), 0},
				{2 * kib320, 3*kib320 - 1, int64(len(data)), 0},
				{3 * kib320, int64(len(data)) - 1, int64(len(data)), http.StatusCreated},
			}
			mid := http.StatusAccepted
			if shape == shapeOutlook {
				mid = http.StatusOK
			}
			for i := range 3 {
				wantPuts[i].Status = mid
			}
			if diff := cmp.Diff(wantPuts, puts); diff != "" {
				t.Errorf("PUTs (-want +got):\n%s", diff)
			}
			if want := sha256.Sum256(data); !bytes.Equal(sum, want[:]) {
				t.Error("server's content differs from the source")
			}
			if len(auth) > 0 || deletes > 0 {
				t.Errorf("Authorization sent on %v; deletes %d", auth, deletes)
			}
			if diff := cmp.Diff([]int64{0, kib320, 2 * kib320, 3 * kib320, int64(len(data))}, progress); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
			want := &UploadResult{StatusCode: http.StatusCreated, Size: int64(len(data))}
			if shape == shapeOutlook {
				want.Location = "https://outlook.office.com/api/v2.0/Users('x')/Messages('y')/Attachments('att-1')"
			} else if diff := cmp.Diff(driveItem{"item-1", "big.bin", int64(len(data))}, item); diff != "" {
				t.Errorf("item (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUploadResume injects failures mid-upload and checks that the upload resumes from the
// session's nextExpectedRanges: chunks the service already has are never sent again.
func TestUploadResume(t *testing.T) {
	tests := []struct {
		name   string
		faults map[int]fault
		// resent is how many chunk bodies reach the server twice (a chunk dropped before the
		// server read it is not counted: it never arrived).
		resent int64
		sleeps int
	}{
		{"drop before reading", map[int]fault{1: faultDropBefore}, 0, 1},
		{"drop after accepting", map[int]fault{1: faultDropAfter}, 0, 1},
		{"503", map[int]fault{2: fault503}, 0, 1},
		{"429", map[int]fault{0: fault429}, 0, 1},
		{"accepted then 500", map[int]fault{2: faultCommitThen500}, 0, 1},
		{"several", map[int]fault{0: fault503, 2: faultDropAfter, 3: faultDropBefore, 5: faultCommitThen500}, 0, 4},
	}
	for _, shape := range []string{shapeDrive, shapeOutlook} {
		for _, tt := range tests {
			t.Run(shape+"/"+tt.name, func(t *testing.T) {
				srv := newUploadServer(t, shape)
				srv.faults = tt.faults
				c, sleeps := newUpClient(t, srv.srv.URL)
				data := testData(4*kib320 + 5)
				var progress []int64
				_, err := c.Upload(context.Background(), srv.session(), bytes.NewReader(data), int64(len(data)), nil,
					ChunkSize(kib320), UploadProgress(func(sent, _ int64) { progress = append(progress, sent) }))
				if err != nil {
					t.Fatal(err)
				}
				puts, gets, _, sum, auth, _ := srv.snapshot()
				if want := sha256.Sum256(data); !bytes.Equal(sum, want[:]) {
					t.Fatal("server's content differs from the source")
				}
				// Every accepted range was sent exactly once: resume skipped what the
				// service had.
				var accepted int64
				seen := map[int64]int{}
				for _, p := range puts {
					seen[p.First]++
					if p.Status >= 200 && p.Status < 300 || p.Status == -2 || p.Status == http.StatusInternalServerError {
						accepted += p.Last - p.First + 1
					}
				}
				if accepted != int64(len(data)) {
					t.Errorf("the service accepted %d bytes for a %d-byte file: %+v", accepted, len(data), puts)
				}
				for _, p := range puts {
					if p.Status == http.StatusRequestedRangeNotSatisfiable {
						t.Errorf("a chunk the service had was sent again: %+v", puts)
					}
				}
				if gets != len(tt.faults) {
					t.Errorf("%d status queries, want one per failure (%d)", gets, len(tt.faults))
				}
				if got := sleeps.Sleeps(); len(got) != tt.sleeps {
					t.Errorf("slept %d times, want %d", len(got), tt.sleeps)
				} else if tt.faults[0] == fault429 && got[0] != 7*time.Second {
					t.Errorf("after 429 slept %v, want Retry-After 7s", got[0])
				}
				if len(auth) > 0 {
					t.Errorf("Authorization sent on %v", auth)
				}
				checkMonotonic(t, progress, int64(len(data)))
			})
		}
	}
}

func checkMonotonic(t *testing.T, progress []int64, total int64) {
	t.Helper()
	for i := 1; i < len(progress); i++ {
		if progress[i] <= progress[i-1] {
			t.Errorf("progress not increasing: %v", progress)
			break
		}
	}
	if len(progress) == 0 || progress[len(progress)-1] != total {
		t.Errorf("progress %v does not end at %d", progress, total)
	}
}

// TestUploadStaleSession starts from a session that claims "0-" while the service already has
// two chunks: the 416 leads to a status query and the upload goes on from there.
func TestUploadStaleSession(t *testing.T) {
	srv := newUploadServer(t, shapeDrive)
	c, _ := newUpClient(t, srv.srv.URL)
	data := testData(4 * kib320)
	s := srv.session()
	// First process: two chunks, then it stops (a source that fails mid-way), keeping the session.
	_, err := c.Upload(context.Background(), s, &failingReaderAt{data: data, failAt: 2 * kib320}, int64(len(data)), nil,
		ChunkSize(kib320), KeepSessionOnError())
	var ue *UploadError
	if !errors.As(err, &ue) || ue.Session == nil || ue.Committed != 2*kib320 {
		t.Fatalf("err = %#v, want an *UploadError keeping the session after %d bytes", err, 2*kib320)
	}
	// The saved session goes through JSON, to another process that still believes "0-".
	saved, _ := json.Marshal(UploadSession{URL: s.URL, Expiration: s.Expiration, NextExpectedRanges: []string{"0-"}})
	var s2 UploadSession
	if err := json.Unmarshal(saved, &s2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Upload(context.Background(), &s2, bytes.NewReader(data), int64(len(data)), nil, ChunkSize(kib320)); err != nil {
		t.Fatal(err)
	}
	puts, gets, _, sum, _, _ := srv.snapshot()
	if want := sha256.Sum256(data); !bytes.Equal(sum, want[:]) {
		t.Fatal("content differs")
	}
	var firsts []int64
	var statuses []int
	cut := 0
	for _, p := range puts {
		if p.Status == -3 {
			// The PUT whose source failed: cut, not accepted. The server may log it after
			// the next upload's first PUT, so it is counted apart.
			cut++
			continue
		}
		firsts = append(firsts, p.First)
		statuses = append(statuses, p.Status)
	}
	if cut != 1 {
		t.Errorf("%d cut PUTs, want 1", cut)
	}
	if diff := cmp.Diff([]int64{0, kib320, 0, 2 * kib320, 3 * kib320}, firsts); diff != "" {
		t.Errorf("PUT offsets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{202, 202, 416, 202, 201}, statuses); diff != "" {
		t.Errorf("PUT statuses (-want +got):\n%s", diff)
	}
	if gets != 1 {
		t.Errorf("%d status queries, want 1", gets)
	}
}

// TestResumeUpload resumes a kept session from its saved JSON: the status query comes first,
// so no chunk is refused.
func TestResumeUpload(t *testing.T) {
	for _, shape := range []string{shapeDrive, shapeOutlook} {
		t.Run(shape, func(t *testing.T) {
			srv := newUploadServer(t, shape)
			srv.faults = map[int]fault{1: fault400}
			c, _ := newUpClient(t, srv.srv.URL)
			data := testData(3*kib320 + 17)
			_, err := c.Upload(context.Background(), srv.session(), bytes.NewReader(data), int64(len(data)), nil,
				Uploader{ChunkSize: kib320, KeepSession: true})
			var ue *UploadError
			if !errors.As(err, &ue) || ue.Session == nil || !errors.Is(err, ErrBadRequest) {
				t.Fatalf("err = %v, want a kept session and a 400", err)
			}
			saved, err := json.Marshal(ue.Session)
			if err != nil {
				t.Fatal(err)
			}
			var s UploadSession
			if err := json.Unmarshal(saved, &s); err != nil {
				t.Fatal(err)
			}
			var out driveItem
			if _, err := c.ResumeUpload(context.Background(), &s, bytes.NewReader(data), int64(len(data)), &out, ChunkSize(kib320)); err != nil {
				t.Fatal(err)
			}
			puts, gets, deletes, sum, _, _ := srv.snapshot()
			if want := sha256.Sum256(data); !bytes.Equal(sum, want[:]) {
				t.Fatal("content differs")
			}
			var firsts []int64
			for _, p := range puts {
				firsts = append(firsts, p.First)
			}
			if diff := cmp.Diff([]int64{0, kib320, kib320, 2 * kib320, 3 * kib320}, firsts); diff != "" {
				t.Errorf("PUT offsets (-want +got):\n%s", diff)
			}
			if gets != 1 || deletes != 0 {
				t.Errorf("gets %d deletes %d, want 1 and 0", gets, deletes)
			}
		})
	}
}

type failingReaderAt struct {
	data   []byte
	failAt int64
}

func (f *failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.failAt {
		return 0, errors.New("disk on fire")
	}
	return copy(p, f.data[off:]), nil
}

// TestUploadFailureCancels: a non-resumable failure deletes the session unless asked to keep it.
func TestUploadFailureCancels(t *testing.T) {
	srv := newUploadServer(t, shapeDrive)
	srv.faults = map[int]fault{1: fault400}
	c, _ := newUpClient(t, srv.srv.URL)
	data := testData(3 * kib320)
	_, err := c.Upload(context.Background(), srv.session(), bytes.NewReader(data), int64(len(data)), nil, ChunkSize(kib320))
	var ue *UploadError
	if !errors.As(err, &ue) || !ue.Cancelled || ue.Session != nil || ue.Committed != kib320 {
		t.Fatalf("err = %#v, want a cancelled session after one chunk", err)
	}
	if !errors.Is(err, ErrBadRequest) {
		t.Errorf("err %v does not match ErrBadRequest", err)
	}
	if _, _, deletes, _, _, _ := srv.snapshot(); deletes != 1 {
		t.Errorf("deletes = %d, want 1", deletes)
	}
}

// TestUploadRetriesBounded: a service that keeps failing is given up on after MaxRetries.
func TestUploadRetriesBounded(t *testing.T) {
	srv := newUploadServer(t, shapeDrive)
	for i := range 20 {
		srv.faults[i] = fault503
	}
	c, sleeps := newUpClient(t, srv.srv.URL)
	data := testData(2 * kib320)
	_, err := c.Upload(context.Background(), srv.session(), bytes.NewReader(data), int64(len(data)), nil, ChunkSize(kib320), UploadRetries(3))
	if !errors.Is(err, ErrServiceUnavailable) {
		t.Fatalf("err = %v, want 503", err)
	}
	puts, gets, deletes, _, _, _ := srv.snapshot()
	if len(puts) != 4 || gets != 3 || deletes != 1 || len(sleeps.Sleeps()) != 3 {
		t.Errorf("puts %d gets %d deletes %d sleeps %d; want 4, 3, 1, 3", len(puts), gets, deletes, len(sleeps.Sleeps()))
	}
}

func TestUploadSessionExpired(t *testing.T) {
	srv := newUploadServer(t, shapeOutlook)
	srv.faults = map[int]fault{1: faultDropBefore}
	c, _ := newUpClient(t, srv.srv.URL)
	data := testData(3 * kib320)
	s := srv.session()
	// The session vanishes while the client waits to resume.
	c.clock = funcClock{sleep: func(ctx context.Context, d time.Duration) error {
		srv.mu.Lock()
		srv.gone = true
		srv.mu.Unlock()
		return nil
	}}
	_, err := c.Upload(context.Background(), s, bytes.NewReader(data), int64(len(data)), nil, ChunkSize(kib320), KeepSessionOnError())
	if !errors.Is(err, ErrUploadSessionExpired) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrUploadSessionExpired and ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), "expired") {
		t.Errorf("error %q does not say the session expired", err)
	}
	var ue *UploadError
	if !errors.As(err, &ue) || ue.Session != nil || !ue.Expired {
		t.Errorf("err = %#v", err)
	}
	if _, _, deletes, _, _, _ := srv.snapshot(); deletes != 0 {
		t.Errorf("deleted an expired session")
	}
}

func TestUploadContextCancelDeletesSession(t *testing.T) {
	srv := newUploadServer(t, shapeDrive)
	c, _ := newUpClient(t, srv.srv.URL)
	data := testData(4 * kib320)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := c.Upload(ctx, srv.session(), bytes.NewReader(data), int64(len(data)), nil, ChunkSize(kib320),
		UploadProgress(func(sent, _ int64) {
			if sent == 2*kib320 {
				cancel()
			}
		}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if _, _, deletes, _, _, _ := srv.snapshot(); deletes != 1 {
		t.Errorf("deletes = %d: the session must be deleted even though ctx is done", deletes)
	}
}

func TestCancelUpload(t *testing.T) {
	srv := newUploadServer(t, shapeOutlook)
	c, _ := newUpClient(t, srv.srv.URL)
	s := srv.session()
	if err := c.CancelUpload(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelUpload(context.Background(), s); err != nil {
		t.Errorf("second cancel: %v, want nil (already gone)", err)
	}
	if err := c.UploadStatus(context.Background(), s); !errors.Is(err, ErrUploadSessionExpired) {
		t.Errorf("status after cancel: %v", err)
	}
	_, _, deletes, _, auth, _ := srv.snapshot()
	if deletes != 1 || len(auth) > 0 {
		t.Errorf("deletes %d (want 1), Authorization on %v", deletes, auth)
	}
}

func TestUploadStatusBothCasings(t *testing.T) {
	for _, shape := range []string{shapeDrive, shapeOutlook} {
		srv := newUploadServer(t, shape)
		c, _ := newUpClient(t, srv.srv.URL)
		srv.received = 2 * kib320
		s := srv.session()
		s.Expiration = time.Time{}
		if err := c.UploadStatus(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		rs, err := ParseExpectedRanges(s.NextExpectedRanges)
		if err != nil || len(rs) != 1 || rs[0].Start != 2*kib320 || rs[0].End != -1 {
			t.Errorf("%s: ranges %v → %v, %v", shape, s.NextExpectedRanges, rs, err)
		}
		if !s.Expiration.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: expiration %v", shape, s.Expiration)
		}
	}
}

func TestUploadSessionJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     UploadSession
	}{
		{"drive", `{"uploadUrl":"https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337","expirationDateTime":"2015-01-29T09:21:55.523Z","nextExpectedRanges":["0-"]}`,
			UploadSession{"https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337", time.Date(2015, 1, 29, 9, 21, 55, 523e6, time.UTC), []string{"0-"}}},
		{"attachment session", `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.uploadSession","uploadUrl":"https://outlook.office.com/api/v2.0/Users('a')/Messages('b')/AttachmentSessions('c')?authtoken=eyJ","expirationDateTime":"2019-09-25T01:09:30.7671707Z","nextExpectedRanges":["0-"]}`,
			UploadSession{"https://outlook.office.com/api/v2.0/Users('a')/Messages('b')/AttachmentSessions('c')?authtoken=eyJ", time.Date(2019, 9, 25, 1, 9, 30, 767170700, time.UTC), []string{"0-"}}},
		{"outlook chunk answer", `{"@odata.context":"x","ExpirationDateTime":"2019-09-25T01:09:30.7671707Z","NextExpectedRanges":["2097152"]}`,
			UploadSession{"", time.Date(2019, 9, 25, 1, 9, 30, 767170700, time.UTC), []string{"2097152"}}},
		{"several ranges", `{"nextExpectedRanges":["12345-55232","77829-99375"]}`,
			UploadSession{NextExpectedRanges: []string{"12345-55232", "77829-99375"}}},
	}
	for _, tt := range tests {
		var got UploadSession
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, bad := range []string{`[]`, `{"uploadUrl":5}`, `{"expirationDateTime":"yesterday"}`, `{"nextExpectedRanges":"0-"}`} {
		var s UploadSession
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
}

func TestUploadChunkSizeValidation(t *testing.T) {
	c, _ := newUpClient(t, "http://127.0.0.1:1")
	s := &UploadSession{URL: "http://127.0.0.1:1/up"}
	for _, n := range []int64{-1, 1, 4 << 20, 60 << 20, 61 << 20, kib320 + 1} {
		if _, err := c.Upload(context.Background(), s, bytes.NewReader(nil), 10, nil, ChunkSize(n)); err == nil || !strings.Contains(err.Error(), "chunk size") {
			t.Errorf("ChunkSize(%d): err = %v", n, err)
		}
	}
	if _, err := c.Upload(context.Background(), s, bytes.NewReader(nil), 0, nil); err == nil {
		t.Error("size 0: no error")
	}
	if _, err := c.Upload(context.Background(), &UploadSession{}, bytes.NewReader(nil), 10, nil); err == nil {
		t.Error("no URL: no error")
	}
	for _, n := range []int64{kib320, DefaultUploadChunkSize, MaxUploadChunkSize} {
		if _, err := uploadSettings("", []UploadOption{ChunkSize(n)}); err != nil {
			t.Errorf("ChunkSize(%d): %v", n, err)
		}
	}
}

// patternReader yields n deterministic bytes without holding them.
type patternReader struct{ off, n int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n-p.off)]
	for i := range b {
		j := p.off + int64(i)
		b[i] = byte(j*7 + j>>9)
	}
	p.off += int64(len(b))
	return len(b), nil
}

// TestUploadReaderMemory uploads 25 MiB from a plain io.Reader in 640 KiB chunks, with
// failures to resume from, and checks that the heap allocated during the whole upload (client
// and test server together) stays far below the file size: the reader is buffered one chunk
// at a time in a single reused buffer. (Buffering the file, or a new buffer per chunk, would
// allocate at least the file size.)
func TestUploadReaderMemory(t *testing.T) {
	const chunk = 2 * kib320
	const size = 40 * chunk // 25 MiB
	srv := newUploadServer(t, shapeDrive)
	srv.faults = map[int]fault{10: faultDropAfter, 30: fault503}
	c, _ := newUpClient(t, srv.srv.URL)
	var progress []int64
	// Warm up connections and pools so that one-time costs do not count.
	if _, err := c.UploadReader(context.Background(), newUploadServer(t, shapeDrive).session(), &patternReader{n: kib320}, kib320, nil, ChunkSize(kib320)); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.UploadReader(context.Background(), srv.session(), &patternReader{n: size}, size, nil,
		ChunkSize(chunk), UploadProgress(func(sent, _ int64) { progress = append(progress, sent) }))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes (%.1f%% of the file) for a %d-byte upload", allocated, 100*float64(allocated)/size, size)
	if allocated > size/4 {
		t.Errorf("allocated %d bytes uploading %d: memory is not bounded by one chunk", allocated, size)
	}
	_, _, _, sum, _, bodyBytes := srv.snapshot()
	want := sha256.Sum256(testData(size))
	if !bytes.Equal(sum, want[:]) {
		t.Error("content differs")
	}
	if bodyBytes != size {
		t.Errorf("server received %d body bytes, want exactly %d (no chunk sent twice)", bodyBytes, size)
	}
	checkMonotonic(t, progress, size)
}

// TestUploadReaderCannotRewind: a sequential reader cannot go back before its buffer.
func TestUploadReaderSkipsAndRefusesRewind(t *testing.T) {
	data := testData(4 * kib320)
	src := &streamSource{r: bytes.NewReader(data), buf: make([]byte, kib320)}
	read := func(off, n int64) []byte {
		t.Helper()
		r, err := src.chunk(off, n)
		if err != nil {
			t.Fatalf("chunk(%d, %d): %v", off, n, err)
		}
		b, _ := io.ReadAll(r)
		return b
	}
	if got := read(0, kib320); !bytes.Equal(got, data[:kib320]) {
		t.Error("chunk 0 differs")
	}
	if got := read(100, kib320-100); !bytes.Equal(got, data[100:kib320]) {
		t.Error("re-read within the buffer differs")
	}
	if got := read(200, kib320); !bytes.Equal(got, data[200:kib320+200]) {
		t.Error("overlapping read differs")
	}
	if got := read(3*kib320, 100); !bytes.Equal(got, data[3*kib320:3*kib320+100]) {
		t.Error("skip forward differs")
	}
	if _, err := src.chunk(kib320, 10); err == nil || !strings.Contains(err.Error(), "io.ReaderAt") {
		t.Errorf("rewind: err = %v", err)
	}
}

func TestUploadReaderShortSource(t *testing.T) {
	srv := newUploadServer(t, shapeDrive)
	c, _ := newUpClient(t, srv.srv.URL)
	_, err := c.UploadReader(context.Background(), srv.session(), bytes.NewReader(testData(kib320+10)), 2*kib320, nil, ChunkSize(kib320))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v, want io.ErrUnexpectedEOF", err)
	}
	if _, _, deletes, _, _, _ := srv.snapshot(); deletes != 1 {
		t.Errorf("deletes = %d, want 1", deletes)
	}
}

func TestParseContentRange(t *testing.T) {
	tests := []struct {
		in                 string
		first, last, total int64
		ok                 bool
	}{
		{"bytes 0-99/1000", 0, 99, 1000, true},
		{"bytes 0-0/1", 0, 0, 1, true},
		{"bytes 100-199/*", 100, 199, -1, true},
		{"bytes */1000", -1, -1, 1000, true},
		{"BYTES 1-2/3", 1, 2, 3, true},
		{"bytes 0-99/99", 0, 0, 0, false},
		{"bytes 5-4/10", 0, 0, 0, false},
		{"bytes -5/10", 0, 0, 0, false},
		{"bytes 0-5", 0, 0, 0, false},
		{"items 0-5/10", 0, 0, 0, false},
		{"bytes */*", 0, 0, 0, false},
		{"bytes +1-2/3", 0, 0, 0, false},
		{"", 0, 0, 0, false},
		{"bytes 0-99999999999999999999/1", 0, 0, 0, false},
	}
	for _, tt := range tests {
		f, l, n, err := ParseContentRange(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseContentRange(%q): err = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && (f != tt.first || l != tt.last || n != tt.total) {
			t.Errorf("ParseContentRange(%q) = %d, %d, %d", tt.in, f, l, n)
		}
	}
}

func TestParseExpectedRanges(t *testing.T) {
	got, err := ParseExpectedRanges([]string{"0-", "26-", "12345-55232", "2097152", " 7 "})
	if err != nil {
		t.Fatal(err)
	}
	want := []ByteRange{{0, -1}, {26, -1}, {12345, 55232}, {2097152, -1}, {7, -1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "-", "-5", "a-", "5-4", "1-2-3", "0x10-"} {
		if r, err := ParseExpectedRanges([]string{bad}); err == nil {
			t.Errorf("ParseExpectedRanges(%q) = %v, want an error", bad, r)
		}
	}
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-99/1000", "bytes */5", "bytes 1-2/*", "bytes 9223372036854775806-9223372036854775806/9223372036854775807", "bytes 0-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		first, last, total, err := ParseContentRange(s)
		if err != nil {
			return
		}
		switch {
		case first == -1:
			if last != -1 || total < 0 {
				t.Fatalf("%q: %d %d %d", s, first, last, total)
			}
		case first < 0 || last < first || (total >= 0 && last >= total) || total < -1:
			t.Fatalf("%q: inconsistent %d %d %d", s, first, last, total)
		}
		// What parses prints back to the same values.
		size := "*"
		if total >= 0 {
			size = strconv.FormatInt(total, 10)
		}
		rng := "*"
		if first >= 0 {
			rng = fmt.Sprintf("%d-%d", first, last)
		}
		f2, l2, t2, err := ParseContentRange("bytes " + rng + "/" + size)
		if err != nil || f2 != first || l2 != last || t2 != total {
			t.Fatalf("%q: re-parse gives %d %d %d %v", s, f2, l2, t2, err)
		}
	})
}

func FuzzParseExpectedRanges(f *testing.F) {
	for _, s := range []string{"0-", "26-", "12345-55232", "2097152", "-", "9223372036854775807-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := ParseExpectedRanges([]string{s})
		if err != nil {
			return
		}
		r := rs[0]
		if r.Start < 0 || (r.End != -1 && r.End < r.Start) {
			t.Fatalf("%q: %+v", s, r)
		}
	})
}

// TestUploadNoProgressGuard: a service that accepts chunks but keeps asking for the same bytes
// is given up on instead of being fed forever.
func TestUploadNoProgressGuard(t *testing.T) {
	var puts int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		if r.Method == http.MethodPut {
			puts++
		}
		mu.Unlock()
		writeUpJSON(w, http.StatusAccepted, `{"nextExpectedRanges":["0-"]}`)
	}))
	defer srv.Close()
	c, _ := newUpClient(t, srv.URL)
	data := testData(2 * kib320)
	_, err := c.Upload(context.Background(), &UploadSession{URL: srv.URL + "/up"}, bytes.NewReader(data), int64(len(data)), nil, ChunkSize(kib320), UploadRetries(2))
	if err == nil || !strings.Contains(err.Error(), "keeps asking for byte 0") {
		t.Fatalf("err = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if puts != 3 {
		t.Errorf("%d PUTs, want 3", puts)
	}
}

func TestUploadDeferCommit(t *testing.T) {
	srv := newUploadServer(t, shapeDrive)
	srv.defer_ = true
	c, _ := newUpClient(t, srv.srv.URL)
	data := testData(2*kib320 + 3)
	s := srv.session()
	res, err := c.Upload(context.Background(), s, bytes.NewReader(data), int64(len(data)), nil, ChunkSize(kib320))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusAccepted {
		t.Errorf("status %d, want 202 (waiting for the commit)", res.StatusCode)
	}
	var item driveItem
	res, err = c.CommitUpload(context.Background(), s, &item)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusCreated || item.ID != "item-1" || item.Size != int64(len(data)) {
		t.Errorf("commit: %+v, item %+v", res, item)
	}
	if _, _, deletes, _, auth, _ := srv.snapshot(); deletes != 0 || len(auth) != 0 || srv.posts != 1 {
		t.Errorf("deletes %d, auth %v, posts %d", deletes, auth, srv.posts)
	}
}

// TestUploadAttachmentDefaultChunk: attachment sessions default to chunks under Outlook's
// recommended 4 MiB.
func TestUploadAttachmentDefaultChunk(t *testing.T) {
	srv := newUploadServer(t, shapeOutlook)
	c, _ := newUpClient(t, srv.srv.URL)
	data := testData(DefaultAttachmentChunkSize + 100)
	s := srv.session()
	s.URL = srv.srv.URL + "/upload/api/v2.0/Users('a')/Messages('b')/AttachmentSessions('c')?authtoken=pre-authenticated"
	res, err := c.UploadReader(context.Background(), s, bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	puts, _, _, _, _, _ := srv.snapshot()
	want := []upPut{
		{0, DefaultAttachmentChunkSize - 1, int64(len(data)), http.StatusOK},
		{DefaultAttachmentChunkSize, int64(len(data)) - 1, int64(len(data)), http.StatusCreated},
	}
	if diff := cmp.Diff(want, puts); diff != "" {
		t.Errorf("PUTs (-want +got):\n%s", diff)
	}
	if res.Location == "" {
		t.Error("no Location")
	}
}
