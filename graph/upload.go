package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Upload sessions carry large files to OneDrive/SharePoint (driveItem createUploadSession)
// and large attachments to messages and events (attachment createUploadSession). The two
// services answer differently, and this one mechanism handles both:
//
//	         a chunk accepted                                          the last chunk
//	drive    202 {"expirationDateTime","nextExpectedRanges":["26-"]}      200 or 201, the driveItem
//	Outlook  200 {"ExpirationDateTime","NextExpectedRanges":["2097152"]}  201, a Location header, no body
//
// Chunks are PUT to the session URL without an Authorization header (the URL is
// pre-authenticated; Graph answers 401 if a token is sent), with Content-Range and
// Content-Length. After a failed chunk the client asks the session where to go on (GET on
// the session URL) and resumes there, so bytes the service already has are not sent again.

// Chunk-size limits (Graph: fragments are multiples of 320 KiB and each under 60 MiB).
const (
	UploadChunkMultiple    = 320 << 10      // 327,680 bytes
	DefaultUploadChunkSize = 32 * 320 << 10 // 10 MiB, for drive items
	// DefaultAttachmentChunkSize is the default for attachment sessions (URLs with
	// "/AttachmentSessions("), under the 4 MiB per PUT that Outlook recommends.
	DefaultAttachmentChunkSize = 12 * 320 << 10   // 3.75 MiB
	MaxUploadChunkSize         = 60<<20 - 320<<10 // the largest multiple of 320 KiB under 60 MiB
	DefaultUploadRetries       = 5                // failed chunks in a row before giving up
	cancelUploadTimeout        = 30 * time.Second // for the DELETE after a failure
	maxFinalResponseBytes      = 16 << 20         // the final driveItem
	uploadContentType          = "application/octet-stream"
)

// ErrUploadSessionExpired is matched (errors.Is) by an upload's error when the service no
// longer knows the session (404: it expired, was cancelled or already completed). Such an
// error also matches ErrNotFound. Start a new session.
var ErrUploadSessionExpired = errors.New("graph: upload session expired or not found")

// UploadSession is an upload session as createUploadSession returns it. It is a plain value:
// save it (it marshals to JSON) and resume the upload later, even in another process, with
// ResumeUpload. The URL is a secret: anyone who has it can write to the file until it
// expires.
//
// It decodes from both shapes Graph uses: camelCase ("uploadUrl", "expirationDateTime",
// "nextExpectedRanges") from Graph and PascalCase ("UploadUrl", "ExpirationDateTime",
// "NextExpectedRanges") from Outlook's upload endpoint.
type UploadSession struct {
	URL                string    `json:"uploadUrl"`
	Expiration         time.Time `json:"expirationDateTime,omitzero"`
	NextExpectedRanges []string  `json:"nextExpectedRanges,omitempty"`
}

// UnmarshalJSON accepts either casing of the session's properties and leaves fields that the
// document lacks unchanged (a chunk's answer carries no uploadUrl).
func (s *UploadSession) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("graph: upload session: %w", err)
	}
	get := func(camel string) (json.RawMessage, bool) {
		if v, ok := m[camel]; ok {
			return v, true
		}
		v, ok := m[strings.ToUpper(camel[:1])+camel[1:]]
		return v, ok
	}
	if v, ok := get("uploadUrl"); ok {
		if err := json.Unmarshal(v, &s.URL); err != nil {
			return fmt.Errorf("graph: upload session uploadUrl: %w", err)
		}
	}
	if v, ok := get("expirationDateTime"); ok {
		var str string
		if err := json.Unmarshal(v, &str); err != nil {
			return fmt.Errorf("graph: upload session expirationDateTime: %w", err)
		}
		t, err := parseExpiration(str)
		if err != nil {
			return err
		}
		s.Expiration = t
	}
	if v, ok := get("nextExpectedRanges"); ok {
		var r []string
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("graph: upload session nextExpectedRanges: %w", err)
		}
		s.NextExpectedRanges = r
	}
	return nil
}

// parseExpiration reads an expirationDateTime: RFC 3339, or without an offset (UTC).
func parseExpiration(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("graph: upload session expirationDateTime %q: %w", s, err)
	}
	return t, nil
}

// ByteRange is a range of bytes, both ends included. End is -1 for "to the end of the file".
type ByteRange struct {
	Start, End int64
}

// ParseExpectedRanges reads a session's nextExpectedRanges: "26-" (from 26 on), "0-1023"
// (both ends included) and Outlook's bare "2097152" (from there on).
func ParseExpectedRanges(ranges []string) ([]ByteRange, error) {
	out := make([]ByteRange, 0, len(ranges))
	for _, r := range ranges {
		br, err := parseExpectedRange(r)
		if err != nil {
			return nil, err
		}
		out = append(out, br)
	}
	return out, nil
}

func parseExpectedRange(r string) (ByteRange, error) {
	s := strings.TrimSpace(r)
	first, last, dash := strings.Cut(s, "-")
	start, err := parseOffset(first)
	if err != nil {
		return ByteRange{}, fmt.Errorf("graph: bad expected range %q", r)
	}
	br := ByteRange{Start: start, End: -1}
	if dash && last != "" {
		end, err := parseOffset(last)
		if err != nil || end < start {
			return ByteRange{}, fmt.Errorf("graph: bad expected range %q", r)
		}
		br.End = end
	}
	return br, nil
}

// parseOffset reads a non-negative decimal byte offset (digits only).
func parseOffset(s string) (int64, error) {
	if s == "" || len(s) > 19 {
		return 0, errors.New("bad offset")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("bad offset")
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

// ParseContentRange reads a Content-Range header: "bytes 0-99/1000" gives 0, 99, 1000;
// "bytes 0-99/*" gives total -1; "bytes */1000" (the form of a 416) gives first and last -1.
func ParseContentRange(v string) (first, last, total int64, err error) {
	bad := func() (int64, int64, int64, error) {
		return 0, 0, 0, fmt.Errorf("graph: bad Content-Range %q", v)
	}
	unit, spec, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(unit, "bytes") {
		return bad()
	}
	rng, size, ok := strings.Cut(strings.TrimSpace(spec), "/")
	if !ok {
		return bad()
	}
	total = -1
	if size != "*" {
		if total, err = parseOffset(size); err != nil {
			return bad()
		}
	}
	if rng == "*" {
		if total < 0 {
			return bad()
		}
		return -1, -1, total, nil
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return bad()
	}
	if first, err = parseOffset(a); err != nil {
		return bad()
	}
	if last, err = parseOffset(b); err != nil || last < first || (total >= 0 && last >= total) {
		return bad()
	}
	return first, last, total, nil
}

// UploadResult is what a completed upload returns.
type UploadResult struct {
	// StatusCode is 200 or 201 when the file is complete, 202 when the session was made
	// with deferCommit and the file waits for CommitUpload.
	StatusCode int
	Location   string // the Location header: the new attachment of an Outlook upload
	Size       int64  // bytes in the file
}

// CommitUpload completes an upload session made with "deferCommit": true once every byte
// has been uploaded (Upload returned StatusCode 202): an empty POST to the session URL. The
// driveItem is decoded into out, which may be nil.
func (c *Client) CommitUpload(ctx context.Context, s *UploadSession, out any) (*UploadResult, error) {
	if err := checkSession(s); err != nil {
		return nil, err
	}
	resp, err := c.Send(ctx, &Request{Method: http.MethodPost, Path: s.URL, Body: []byte{}, ContentType: uploadContentType, NoAuth: true})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, &UploadError{Expired: true, Err: err}
		}
		return nil, err
	}
	defer closeBody(resp.Body)
	res := &UploadResult{StatusCode: resp.StatusCode, Location: resp.Header.Get("Location")}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFinalResponseBytes))
	if err != nil {
		return res, fmt.Errorf("graph: upload committed, but reading the item failed: %w", cleanErr(err))
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := unmarshalJSON(data, out); err != nil {
			return res, fmt.Errorf("graph: upload committed, but decoding the item failed: %w", err)
		}
	}
	s.NextExpectedRanges = nil
	return res, nil
}

// Uploader holds the settings of an upload. It is itself an UploadOption, so a shared
// configuration can be passed whole: c.Upload(ctx, s, f, size, &item, graph.Uploader{ChunkSize: 5 << 20}).
// Zero fields keep their defaults.
type Uploader struct {
	// ChunkSize is the size of each PUT: a multiple of UploadChunkMultiple (320 KiB), at most
	// MaxUploadChunkSize. The default is DefaultUploadChunkSize (10 MiB), or
	// DefaultAttachmentChunkSize (3.75 MiB) for an Outlook attachment session.
	ChunkSize int64
	// Progress, if set, is called after each chunk the service accepts with the bytes it has
	// so far and the file size. Values never decrease; calls come from the uploading goroutine.
	Progress func(sent, total int64)
	// MaxRetries is how many failed chunks in a row are resumed before giving up (default
	// DefaultUploadRetries; negative: none).
	MaxRetries int
	// KeepSession leaves the session open when the upload fails, so that ResumeUpload can
	// finish it later (the error is an *UploadError carrying the session). By default a
	// failed or cancelled upload deletes its session, as CancelUpload does.
	KeepSession bool
}

// UploadOption changes an upload's settings. ChunkSize, UploadProgress, UploadRetries,
// KeepSessionOnError and an Uploader value are UploadOptions.
type UploadOption interface {
	applyUpload(*Uploader)
}

type uploadOptionFunc func(*Uploader)

func (f uploadOptionFunc) applyUpload(u *Uploader) { f(u) }

func (u Uploader) applyUpload(dst *Uploader) {
	if u.ChunkSize != 0 {
		dst.ChunkSize = u.ChunkSize
	}
	if u.Progress != nil {
		dst.Progress = u.Progress
	}
	if u.MaxRetries != 0 {
		dst.MaxRetries = u.MaxRetries
	}
	if u.KeepSession {
		dst.KeepSession = true
	}
}

// ChunkSize sets the size of each PUT (see Uploader.ChunkSize).
func ChunkSize(n int64) UploadOption { return uploadOptionFunc(func(u *Uploader) { u.ChunkSize = n }) }

// UploadProgress sets a progress callback (see Uploader.Progress).
func UploadProgress(fn func(sent, total int64)) UploadOption {
	return uploadOptionFunc(func(u *Uploader) { u.Progress = fn })
}

// UploadRetries sets how many failed chunks in a row are resumed (see Uploader.MaxRetries).
func UploadRetries(n int) UploadOption {
	return uploadOptionFunc(func(u *Uploader) {
		u.MaxRetries = n
		if n == 0 {
			u.MaxRetries = -1
		}
	})
}

// KeepSessionOnError leaves the session open after a failure, for ResumeUpload (see
// Uploader.KeepSession).
func KeepSessionOnError() UploadOption {
	return uploadOptionFunc(func(u *Uploader) { u.KeepSession = true })
}

// uploadSettings applies opts to the defaults for the session at url.
func uploadSettings(url string, opts []UploadOption) (Uploader, error) {
	u := Uploader{MaxRetries: DefaultUploadRetries}
	for _, o := range opts {
		if o != nil {
			o.applyUpload(&u)
		}
	}
	if u.ChunkSize == 0 {
		u.ChunkSize = DefaultUploadChunkSize
		if isOutlookSession(url) {
			u.ChunkSize = DefaultAttachmentChunkSize
		}
	}
	if u.ChunkSize <= 0 || u.ChunkSize%UploadChunkMultiple != 0 || u.ChunkSize > MaxUploadChunkSize {
		return u, fmt.Errorf("graph: upload chunk size %d: must be a positive multiple of 327680 (320 KiB) no larger than %d (Graph rejects fragments of 60 MiB or more)", u.ChunkSize, MaxUploadChunkSize)
	}
	if u.MaxRetries < 0 {
		u.MaxRetries = 0
	}
	return u, nil
}

// UploadError is the error of a failed upload. It wraps the cause (an *Error for a service
// answer, so errors.Is(err, ErrNotFound) and errors.As work through it).
type UploadError struct {
	// Session is the session, with the service's last known state, when it was kept
	// (KeepSessionOnError) and can be resumed with ResumeUpload; nil otherwise.
	Session *UploadSession
	// Committed is how many bytes from the start of the file the service had confirmed.
	Committed int64
	// Expired is set when the service no longer knows the session (404).
	Expired bool
	// Cancelled is set when the session was deleted after the failure.
	Cancelled bool
	Err       error
}

// Error describes the failure, how far the upload got and what became of the session.
func (e *UploadError) Error() string {
	var b strings.Builder
	b.WriteString("graph: upload failed after ")
	b.WriteString(strconv.FormatInt(e.Committed, 10))
	b.WriteString(" bytes")
	switch {
	case e.Expired:
		b.WriteString(" (the upload session expired or no longer exists; start a new one)")
	case e.Session != nil:
		b.WriteString(" (session kept: resume with ResumeUpload)")
	case e.Cancelled:
		b.WriteString(" (session cancelled)")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *UploadError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUploadSessionExpired) true for an expired session.
func (e *UploadError) Is(target error) bool { return target == ErrUploadSessionExpired && e.Expired }

// chunkSource gives the bytes of [off, off+n) for one PUT.
type chunkSource interface {
	chunk(off, n int64) (io.Reader, error)
}

// readerAtSource reads chunks straight from an io.ReaderAt: nothing is buffered.
type readerAtSource struct{ r io.ReaderAt }

func (s readerAtSource) chunk(off, n int64) (io.Reader, error) {
	return io.NewSectionReader(s.r, off, n), nil
}

// streamSource reads an io.Reader sequentially into one reusable buffer of one chunk, so
// memory stays at one chunk whatever the file size. It can re-send any part of the chunk it
// holds and skip forward, but not go back before it.
type streamSource struct {
	r     io.Reader
	buf   []byte
	start int64 // file offset of buf[0]
	n     int   // valid bytes in buf
	pos   int64 // bytes consumed from r
}

func (s *streamSource) chunk(off, n int64) (io.Reader, error) {
	if off < s.start {
		return nil, permanent(fmt.Errorf("graph: the service asks for byte %d again, but the reader has moved past it (it holds %d-%d); upload from an io.ReaderAt to resume from anywhere", off, s.start, s.pos))
	}
	if off+n > s.start+int64(s.n) {
		// Keep what is still needed, drop the rest, read on.
		if off < s.start+int64(s.n) {
			keep := copy(s.buf, s.buf[off-s.start:s.n])
			s.start, s.n = off, keep
		} else {
			if skip := off - s.pos; skip > 0 {
				if _, err := io.CopyN(io.Discard, s.r, skip); err != nil {
					return nil, fmt.Errorf("graph: skipping to byte %d of the source: %w", off, err)
				}
				s.pos += skip
			}
			s.start, s.n = off, 0
		}
		if n > int64(len(s.buf)) {
			return nil, permanent(fmt.Errorf("graph: internal error: chunk of %d bytes exceeds the buffer", n))
		}
		m, err := io.ReadFull(s.r, s.buf[s.n:int(n)])
		s.n += m
		s.pos += int64(m)
		if err != nil {
			return nil, fmt.Errorf("graph: reading the source at byte %d: %w", s.pos, noEOF(err))
		}
	}
	i := off - s.start
	return bytes.NewReader(s.buf[i : i+n]), nil
}

// noEOF reports a source that ended before its stated size as such.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Upload sends the size bytes of r through the session s and returns when the service has
// the whole file. s.NextExpectedRanges, when set, says where to start (a fresh session says
// "0-"). For a drive item the final answer (the driveItem) is decoded into out, which may be
// nil; for an Outlook attachment there is no body and the result's Location names the new
// attachment.
//
// r is read in chunks through io.SectionReader, so nothing is held in memory. After a failed
// chunk (a dropped connection, a 5xx, 429 or 416) Upload asks the session which bytes it
// still needs and goes on from there, up to Uploader.MaxRetries failures in a row, waiting
// between them as the client's retry policy does. An error is an *UploadError; unless
// KeepSessionOnError was given the session is then deleted.
func (c *Client) Upload(ctx context.Context, s *UploadSession, r io.ReaderAt, size int64, out any, opts ...UploadOption) (*UploadResult, error) {
	if r == nil {
		return nil, errors.New("graph: Upload: nil io.ReaderAt")
	}
	return c.upload(ctx, s, readerAtSource{r}, size, out, opts)
}

// UploadReader is Upload for a source that can only be read once, in order (a pipe, a
// network stream, a compressor). r must be at the start of the file. It holds one chunk in
// memory at a time and can therefore resume only within the last chunk read or later;
// bytes before the session's first expected range are read and discarded, so a saved session
// can be finished from a fresh reader (call UploadStatus first to learn where it stands).
func (c *Client) UploadReader(ctx context.Context, s *UploadSession, r io.Reader, size int64, out any, opts ...UploadOption) (*UploadResult, error) {
	if r == nil {
		return nil, errors.New("graph: UploadReader: nil io.Reader")
	}
	if err := checkSession(s); err != nil {
		return nil, err
	}
	u, err := uploadSettings(s.URL, opts)
	if err != nil {
		return nil, err
	}
	n := u.ChunkSize
	if size < n {
		n = size
	}
	if n < 0 {
		n = 0
	}
	return c.upload(ctx, s, &streamSource{r: r, buf: make([]byte, n)}, size, out, opts)
}

// ResumeUpload finishes an upload begun earlier, possibly by another process: it asks the
// session which bytes the service still needs (UploadStatus), then continues as Upload.
func (c *Client) ResumeUpload(ctx context.Context, s *UploadSession, r io.ReaderAt, size int64, out any, opts ...UploadOption) (*UploadResult, error) {
	if err := c.UploadStatus(ctx, s); err != nil {
		return nil, err
	}
	return c.Upload(ctx, s, r, size, out, opts...)
}

// UploadStatus asks the service for the session's state (GET on its URL) and updates s's
// Expiration and NextExpectedRanges. A session the service no longer knows gives an error
// matching ErrUploadSessionExpired and ErrNotFound.
func (c *Client) UploadStatus(ctx context.Context, s *UploadSession) error {
	if err := checkSession(s); err != nil {
		return err
	}
	var body []byte
	err := c.Do(ctx, &Request{Method: http.MethodGet, Path: s.URL, NoAuth: true}, &body)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return &UploadError{Expired: true, Err: err}
		}
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("graph: upload session status: empty answer")
	}
	var st UploadSession
	if err := json.Unmarshal(body, &st); err != nil {
		return err
	}
	if !st.Expiration.IsZero() {
		s.Expiration = st.Expiration
	}
	s.NextExpectedRanges = st.NextExpectedRanges
	return nil
}

// CancelUpload deletes the session (DELETE on its URL); the service discards what it has
// received. A session that is already gone is not an error.
func (c *Client) CancelUpload(ctx context.Context, s *UploadSession) error {
	if err := checkSession(s); err != nil {
		return err
	}
	err := c.Do(ctx, &Request{Method: http.MethodDelete, Path: s.URL, NoAuth: true}, nil)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// isOutlookSession reports an attachment upload session (Outlook's REST endpoint:
// .../AttachmentSessions('...')), which wants smaller chunks than OneDrive.
func isOutlookSession(url string) bool {
	return strings.Contains(strings.ToLower(url), "/attachmentsessions(")
}

func checkSession(s *UploadSession) error {
	if s == nil || s.URL == "" {
		return errors.New("graph: upload session has no URL")
	}
	return nil
}

// upload is the one chunk loop behind Upload and UploadReader.
func (c *Client) upload(ctx context.Context, s *UploadSession, src chunkSource, size int64, out any, opts []UploadOption) (*UploadResult, error) {
	if err := checkSession(s); err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, fmt.Errorf("graph: upload size %d: an upload session needs at least one byte (send empty files with a simple PUT)", size)
	}
	u, err := uploadSettings(s.URL, opts)
	if err != nil {
		return nil, err
	}
	st := uploadState{c: c, s: s, u: u, size: size, reported: -1}
	next, limit, err := st.nextRange()
	if err != nil {
		return nil, st.fail(ctx, err)
	}
	failures := 0
	for {
		end := min(next+u.ChunkSize, size) - 1
		if limit >= 0 && limit < end {
			end = limit
		}
		body, err := src.chunk(next, end-next+1)
		if err != nil {
			return nil, st.fail(ctx, err)
		}
		res, done, err := st.put(ctx, body, next, end, out)
		if err == nil {
			if done {
				st.progress(size)
				return res, nil
			}
			prev := next
			if next, limit, err = st.nextRange(); err != nil {
				return nil, st.fail(ctx, err)
			}
			if next > prev {
				failures = 0
			} else if failures++; failures > u.MaxRetries {
				// Accepted, yet the service wants the same bytes again: do not loop forever.
				return nil, st.fail(ctx, permanent(fmt.Errorf("graph: the service keeps asking for byte %d", next)))
			}
			continue
		}
		// A failed chunk: is it worth resuming?
		if ctx.Err() != nil || !resumable(err) {
			return nil, st.fail(ctx, err)
		}
		failures++
		if failures > u.MaxRetries {
			return nil, st.fail(ctx, fmt.Errorf("giving up after %d failed chunks in a row: %w", failures, err))
		}
		if err := st.wait(ctx, failures, err); err != nil {
			return nil, st.fail(ctx, err)
		}
		// Ask the session where it stands; a failed query counts as another failure.
		for {
			err := c.UploadStatus(ctx, s)
			if err == nil {
				break
			}
			if ctx.Err() != nil || !resumable(err) {
				return nil, st.fail(ctx, err)
			}
			failures++
			if failures > u.MaxRetries {
				return nil, st.fail(ctx, fmt.Errorf("giving up after %d failures in a row: %w", failures, err))
			}
			if err := st.wait(ctx, failures, err); err != nil {
				return nil, st.fail(ctx, err)
			}
		}
		if next, limit, err = st.nextRange(); err != nil {
			return nil, st.fail(ctx, err)
		}
	}
}

// uploadState is one upload in progress.
type uploadState struct {
	c         *Client
	s         *UploadSession
	u         Uploader
	size      int64
	committed int64 // bytes before the first expected range
	reported  int64 // last value given to Progress
}

// nextRange returns where the next chunk starts and, for a closed range, its last byte
// (-1 when open), from the session's NextExpectedRanges ("0-" when there are none).
func (st *uploadState) nextRange() (start, last int64, err error) {
	if len(st.s.NextExpectedRanges) == 0 {
		return 0, -1, nil
	}
	rs, err := ParseExpectedRanges(st.s.NextExpectedRanges[:1])
	if err != nil {
		return 0, 0, err
	}
	r := rs[0]
	if r.Start >= st.size || (r.End >= st.size) {
		return 0, 0, fmt.Errorf("graph: the service expects bytes %q of a %d-byte file; was the session made for another file?", st.s.NextExpectedRanges[0], st.size)
	}
	st.committed = r.Start
	st.progress(r.Start)
	return r.Start, r.End, nil
}

func (st *uploadState) progress(n int64) {
	if st.u.Progress != nil && n > st.reported {
		st.reported = n
		st.u.Progress(n, st.size)
	}
}

// put sends bytes [first, last] and reads the answer: done when the file is complete.
func (st *uploadState) put(ctx context.Context, body io.Reader, first, last int64, out any) (*UploadResult, bool, error) {
	h := http.Header{}
	h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", first, last, st.size))
	h.Set("Content-Length", strconv.FormatInt(last-first+1, 10))
	src := &sourceReader{r: body}
	resp, err := st.c.Send(ctx, &Request{
		Method:      http.MethodPut,
		Path:        st.s.URL,
		Header:      h,
		Body:        src,
		ContentType: uploadContentType,
		NoAuth:      true,
	})
	if n, serr := src.detach(); serr != nil && serr != io.EOF {
		// The source failed, not the network: resuming would read it again.
		if err == nil {
			closeBody(resp.Body)
		}
		return nil, false, permanent(fmt.Errorf("graph: reading the upload source at byte %d: %w", first+n, noEOF(serr)))
	}
	if err != nil {
		return nil, false, err
	}
	defer closeBody(resp.Body)
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusAccepted {
		return nil, false, permanent(fmt.Errorf("graph: unexpected status %d for an upload chunk", resp.StatusCode))
	}
	complete := last == st.size-1
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFinalResponseBytes))
	if err != nil {
		// The answer was cut: whether the chunk landed, the session will tell.
		return nil, false, fmt.Errorf("graph: reading the upload session's answer: %w", cleanErr(err))
	}
	// Chunk accepted and more wanted: 202 (drive), or 200 (Outlook) with the ranges still
	// expected. A final answer is 200/201 with the driveItem, or 201 with no body (Outlook).
	var next UploadSession
	if resp.StatusCode == http.StatusAccepted || !complete || bytes.Contains(bytes.ToLower(data), []byte(`"nextexpectedranges"`)) {
		if len(bytes.TrimSpace(data)) > 0 {
			if err := json.Unmarshal(data, &next); err != nil {
				return nil, false, err
			}
		}
	}
	if resp.StatusCode == http.StatusAccepted || !complete || len(next.NextExpectedRanges) > 0 {
		if !next.Expiration.IsZero() {
			st.s.Expiration = next.Expiration
		}
		if len(next.NextExpectedRanges) == 0 {
			if complete && resp.StatusCode == http.StatusAccepted {
				// A deferCommit session: every byte is there, the file waits for CommitUpload.
				st.s.NextExpectedRanges = nil
				st.committed = st.size
				return &UploadResult{StatusCode: resp.StatusCode, Size: st.size}, true, nil
			}
			if complete {
				return nil, false, permanent(errors.New("graph: the service accepted the last chunk but neither completed the file nor asked for more"))
			}
			next.NextExpectedRanges = []string{strconv.FormatInt(last+1, 10) + "-"}
		}
		st.s.NextExpectedRanges = next.NextExpectedRanges
		return nil, false, nil
	}
	res := &UploadResult{StatusCode: resp.StatusCode, Location: resp.Header.Get("Location"), Size: st.size}
	st.s.NextExpectedRanges = nil
	st.committed = st.size
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := unmarshalJSON(data, out); err != nil {
			return res, true, fmt.Errorf("graph: upload complete, but decoding the item failed: %w", err)
		}
	}
	return res, true, nil
}

// sourceReader is a chunk's body. It tells the source's own read errors from the
// network's, and, being a plain io.Reader, keeps Send from re-sending a chunk by itself:
// after a failure the session, not a blind retry, says what to send.
//
// net/http may go on reading a request body after the response has arrived, and Send does
// not pass Close through; detach cuts the reader off so that the chunk buffer can be reused.
type sourceReader struct {
	mu       sync.Mutex
	r        io.Reader
	n        int64
	err      error
	detached bool
}

func (s *sourceReader) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.detached {
		return 0, io.ErrClosedPipe
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if err != nil {
		s.err = err
	}
	return n, err
}

// detach stops all further reads of the source and returns what was read and how it ended.
func (s *sourceReader) detach() (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.detached = true
	return s.n, s.err
}

// permanentError marks a failure that resuming cannot fix.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

// resumable reports whether asking the session and going on may fix err: throttling, a
// server error, a 416 (the service has part of the chunk already) or no answer at all (a
// dropped connection, a cut body). A 404 means the session is gone.
func resumable(err error) bool {
	var ge *Error
	if errors.As(err, &ge) {
		switch s := ge.StatusCode; {
		case s == http.StatusRequestedRangeNotSatisfiable, s == http.StatusRequestTimeout, s == http.StatusTooManyRequests:
			return true
		case s >= 500:
			return s != http.StatusNotImplemented && s != http.StatusInsufficientStorage
		}
		return false
	}
	var pe permanentError
	var ue *UploadError
	return !errors.As(err, &pe) && !errors.As(err, &ue) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// wait pauses before resuming: Graph's Retry-After when it gave one, else the client's
// backoff.
func (st *uploadState) wait(ctx context.Context, failures int, err error) error {
	var d time.Duration
	var ge *Error
	if errors.As(err, &ge) && ge.RetryAfter > 0 {
		d = ge.RetryAfter
	} else {
		d = st.c.retry.backoff(failures, nil)
	}
	return sleepCtx(ctx, st.c.clock, d)
}

// fail builds the *UploadError and, unless the caller keeps sessions, deletes the session.
func (st *uploadState) fail(ctx context.Context, err error) error {
	ue := &UploadError{Committed: st.committed, Err: err}
	var prev *UploadError
	if errors.As(err, &prev) {
		ue.Expired = prev.Expired
		ue.Err = prev.Err
	} else if errors.Is(err, ErrNotFound) {
		ue.Expired = true
	}
	switch {
	case ue.Expired:
	case st.u.KeepSession:
		ue.Session = st.s
	default:
		// The caller's context may be why we stopped: cancel on a short one of our own.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelUploadTimeout)
		defer cancel()
		if cerr := st.c.CancelUpload(cctx, st.s); cerr == nil {
			ue.Cancelled = true
		}
	}
	return ue
}
