package drive

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/quickxor"
)

// Upload limits.
const (
	// DefaultSimpleUploadLimit is the largest file sent in one PUT by default; larger ones
	// go through an upload session.
	DefaultSimpleUploadLimit = 4 << 20
	// MaxSimpleUpload is the largest file Graph takes in one PUT (250 MB).
	MaxSimpleUpload = 250 << 20
	// DefaultChunkSize is the default upload chunk (10 MiB, a multiple of 320 KiB).
	DefaultChunkSize = graph.DefaultUploadChunkSize
	// MaxChunkSize is the largest chunk allowed: the largest multiple of 320 KiB under
	// Graph's 60 MiB limit per fragment.
	MaxChunkSize = graph.MaxUploadChunkSize
	// ChunkMultiple is what every chunk size must be a multiple of (320 KiB).
	ChunkMultiple = graph.UploadChunkMultiple
	// SessionFileSuffix is added to a local file's name by SessionFileFor.
	SessionFileSuffix = ".o365upload"
)

// UploadOptions shape an upload. The zero value uploads with the defaults: replace an
// existing file, one PUT up to 4 MiB, 10 MiB chunks above, hash verified.
type UploadOptions struct {
	// Conflict is what happens when the name is taken: ConflictReplace (the default),
	// ConflictFail (an error matching graph.ErrConflict) or ConflictRename.
	Conflict ConflictBehavior
	// ChunkSize is the size of each PUT of an upload session: a multiple of 320 KiB, at most
	// MaxChunkSize (default 10 MiB). Memory use is bounded by one chunk.
	ChunkSize int64
	// SimpleUploadLimit is the largest file sent in one PUT (default 4 MiB, at most
	// MaxSimpleUpload; negative: always use a session, except for empty files). A plain
	// io.Reader is buffered whole for a simple upload, so keep it small.
	SimpleUploadLimit int64
	// Created and Modified set the item's fileSystemInfo (UploadFile defaults Modified to
	// the local file's modification time).
	Created, Modified time.Time
	// Description sets the item's description.
	Description string
	// Progress, if set, is called with the bytes the service has and the file size.
	Progress func(sent, total int64)
	// SessionFile, when set, is where the upload session is saved (JSON, mode 0600) before
	// the first chunk, so that an upload cut short, even by the end of the process, resumes
	// where the service stands when called again with the same SessionFile, target and
	// size. It is removed when the upload completes. The file holds the session URL, a
	// secret: keep it private. SessionFileFor gives the conventional name.
	SessionFile string
	// MaxRetries is how many failed chunks in a row are resumed (default 5).
	MaxRetries int
	// NoHashCheck skips comparing the QuickXorHash of the bytes sent with the service's.
	NoHashCheck bool
}

// SessionFileFor returns the conventional session file of a local file: its path plus
// SessionFileSuffix.
func SessionFileFor(localPath string) string { return localPath + SessionFileSuffix }

// PendingUpload is an upload session in progress, as saved in UploadOptions.SessionFile. It
// is a plain value; its Session.URL is a secret.
type PendingUpload struct {
	// Target is the Graph path of the new item ("/drives/{d}/items/{parent}:/{name}:").
	Target  string              `json:"target"`
	Size    int64               `json:"size"`
	Session graph.UploadSession `json:"session"`
}

// LoadPendingUpload reads a session file written by an upload.
func LoadPendingUpload(path string) (*PendingUpload, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p PendingUpload
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("drive: upload session file %s: %w", path, err)
	}
	if p.Session.URL == "" || p.Target == "" {
		return nil, fmt.Errorf("drive: upload session file %s: no session", path)
	}
	return &p, nil
}

// Save writes the pending upload to path atomically with mode 0600.
func (p *PendingUpload) Save(path string) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (o *UploadOptions) settings() (UploadOptions, error) {
	var u UploadOptions
	if o != nil {
		u = *o
	}
	if u.Conflict == "" {
		u.Conflict = ConflictReplace
	}
	if u.ChunkSize == 0 {
		u.ChunkSize = DefaultChunkSize
	}
	if u.ChunkSize <= 0 || u.ChunkSize%ChunkMultiple != 0 || u.ChunkSize > MaxChunkSize {
		return u, fmt.Errorf("%w: %d is not a positive multiple of 327680 (320 KiB) no larger than %d (Graph refuses fragments of 60 MiB)", ErrBadChunkSize, u.ChunkSize, int64(MaxChunkSize))
	}
	if u.SimpleUploadLimit == 0 {
		u.SimpleUploadLimit = DefaultSimpleUploadLimit
	}
	if u.SimpleUploadLimit > MaxSimpleUpload {
		return u, fmt.Errorf("drive: SimpleUploadLimit %d is over Graph's %d bytes for one PUT", u.SimpleUploadLimit, int64(MaxSimpleUpload))
	}
	return u, nil
}

// target is the address of a new child named name: "/drives/{d}/items/{id}:/{name}:".
func (it *Item) target(name string) (string, error) {
	if name == "" {
		return "", ErrEmptyID
	}
	if it.File != nil {
		return "", fmt.Errorf("%w: %q is a file; upload into its parent folder", ErrNotFolder, it.Name)
	}
	p, err := it.path()
	if err != nil {
		return "", err
	}
	return p + ":/" + escapeSegment(name) + ":", nil
}

// Upload uploads size bytes from r as the file name in this folder and returns the new
// item. Files up to SimpleUploadLimit go in one PUT; larger ones through an upload
// session, in chunks (see UploadOptions). When r is an io.ReaderAt (an *os.File, a
// *bytes.Reader) a failed chunk is resent from any point the service asks for; a plain
// io.Reader is read once, one chunk buffered at a time.
//
// The QuickXorHash of the bytes is computed while they are read and compared with the one
// the service reports: a mismatch returns the item with an error matching ErrHashMismatch.
func (it *Item) Upload(ctx context.Context, name string, r io.Reader, size int64, o *UploadOptions) (*Item, error) {
	t, err := it.target(name)
	if err != nil {
		return nil, err
	}
	return it.Drive().upload(ctx, t, name, r, size, o)
}

// UploadFile uploads a local file into this folder under name ("" keeps the local name).
// Its modification time becomes the item's fileSystemInfo unless o sets one.
func (it *Item) UploadFile(ctx context.Context, localPath, name string, o *UploadOptions) (*Item, error) {
	f, err := os.Open(localPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("drive: %s is a directory", localPath)
	}
	if name == "" {
		name = filepath.Base(localPath)
	}
	var u UploadOptions
	if o != nil {
		u = *o
	}
	if u.Modified.IsZero() {
		u.Modified = fi.ModTime()
	}
	return it.Upload(ctx, name, f, fi.Size(), &u)
}

// UploadPath uploads to a path from the drive's root ("Reports/2026/q3.pdf"); the parent
// folders must exist. See Item.Upload.
func (d *Drive) UploadPath(ctx context.Context, remotePath string, r io.Reader, size int64, o *UploadOptions) (*Item, error) {
	t, err := d.pathAddress(remotePath)
	if err != nil {
		return nil, err
	}
	if ep, _ := escapePath(remotePath); ep == "" {
		return nil, ErrEmptyID
	}
	return d.upload(ctx, t, filepath.Base(remotePath), r, size, o)
}

// hashedReaderAt feeds a hash with the bytes of the underlying io.ReaderAt in order, once
// each, as the upload reads them. A read past the bytes hashed so far first hashes the gap
// (after a resume, the part the service already has).
type hashedReaderAt struct {
	r    io.ReaderAt
	mu   sync.Mutex
	h    hash.Hash
	next int64 // bytes hashed so far
	buf  []byte
}

func (hr *hashedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	hr.mu.Lock()
	defer hr.mu.Unlock()
	if off > hr.next {
		if err := hr.fill(off); err != nil {
			return 0, err
		}
	}
	n, err := hr.r.ReadAt(p, off)
	if end := off + int64(n); off <= hr.next && end > hr.next {
		hr.h.Write(p[hr.next-off : n])
		hr.next = end
	}
	return n, err
}

// fill hashes bytes [next, off).
func (hr *hashedReaderAt) fill(off int64) error {
	if hr.buf == nil {
		hr.buf = make([]byte, 256<<10)
	}
	for hr.next < off {
		b := hr.buf[:min(int64(len(hr.buf)), off-hr.next)]
		n, err := hr.r.ReadAt(b, hr.next)
		hr.h.Write(b[:n])
		hr.next += int64(n)
		if err != nil && hr.next < off {
			return err
		}
	}
	return nil
}

// finish hashes any bytes not read yet up to size (none after a complete upload).
func (hr *hashedReaderAt) finish(size int64) error {
	hr.mu.Lock()
	defer hr.mu.Unlock()
	return hr.fill(size)
}

func (d *Drive) upload(ctx context.Context, target, name string, r io.Reader, size int64, o *UploadOptions) (*Item, error) {
	u, err := o.settings()
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errors.New("drive: nil reader")
	}
	if size < 0 {
		return nil, fmt.Errorf("drive: upload size %d", size)
	}
	if d.c == nil {
		return nil, ErrUnbound
	}
	h := quickxor.New()
	var item *Item
	var hr *hashedReaderAt
	if size == 0 || (u.SimpleUploadLimit > 0 && size <= u.SimpleUploadLimit) {
		item, err = d.simpleUpload(ctx, target, r, size, h, &u)
	} else {
		item, hr, err = d.sessionUpload(ctx, target, r, size, h, &u)
	}
	if err != nil {
		return item, err
	}
	if hr != nil {
		if err := hr.finish(size); err != nil {
			return item, fmt.Errorf("drive: hashing %q: %w", name, err)
		}
	}
	if !u.NoHashCheck && item != nil && item.File != nil && item.File.Hashes != nil && item.File.Hashes.QuickXorHash != "" {
		got := base64.StdEncoding.EncodeToString(h.Sum(nil))
		if got != item.File.Hashes.QuickXorHash {
			return item, &HashMismatchError{Op: "upload", Name: item.Name, Hash: "quickXorHash", Expected: item.File.Hashes.QuickXorHash, Actual: got}
		}
	}
	return item, nil
}

func (u *UploadOptions) fsInfo() map[string]any {
	fs := map[string]any{}
	if !u.Created.IsZero() {
		fs["createdDateTime"] = u.Created.UTC().Format(time.RFC3339Nano)
	}
	if !u.Modified.IsZero() {
		fs["lastModifiedDateTime"] = u.Modified.UTC().Format(time.RFC3339Nano)
	}
	return fs
}

// simpleUpload sends the file in one PUT to {target}/content, then PATCHes the
// fileSystemInfo and description if asked.
func (d *Drive) simpleUpload(ctx context.Context, target string, r io.Reader, size int64, h hash.Hash, u *UploadOptions) (*Item, error) {
	var body io.Reader
	if ra, ok := r.(io.ReaderAt); ok {
		// Seekable: the core can resend it on a retry.
		body = io.NewSectionReader(&hashedReaderAt{r: ra, h: h}, 0, size)
		if size == 0 {
			body = bytes.NewReader(nil)
		}
	} else {
		data, err := io.ReadAll(io.LimitReader(r, size+1))
		if err != nil {
			return nil, fmt.Errorf("drive: reading the upload source: %w", err)
		}
		if int64(len(data)) != size {
			return nil, fmt.Errorf("drive: the upload source has %d bytes, not %d", len(data), size)
		}
		h.Write(data)
		body = bytes.NewReader(data)
	}
	if u.Progress != nil {
		u.Progress(0, size)
	}
	hdr := http.Header{}
	hdr.Set("Content-Length", strconv.FormatInt(size, 10))
	req := &graph.Request{
		Method:      http.MethodPut,
		Path:        target + "/content",
		Query:       map[string][]string{"@microsoft.graph.conflictBehavior": {string(u.Conflict)}},
		Header:      hdr,
		Body:        body,
		ContentType: "application/octet-stream",
	}
	var it Item
	if err := d.c.Do(ctx, req, &it); err != nil {
		return nil, err
	}
	item := d.bind(&it)
	if u.Progress != nil {
		u.Progress(size, size)
	}
	patch := map[string]any{}
	if fs := u.fsInfo(); len(fs) > 0 {
		patch["fileSystemInfo"] = fs
	}
	if u.Description != "" {
		patch["description"] = u.Description
	}
	if len(patch) > 0 {
		if err := item.patch(ctx, patch, nil); err != nil {
			return item, err
		}
	}
	return item, nil
}

// createSession makes an upload session for target (POST {target}/createUploadSession).
func (d *Drive) createSession(ctx context.Context, target string, u *UploadOptions) (*graph.UploadSession, error) {
	item := map[string]any{"@microsoft.graph.conflictBehavior": string(u.Conflict)}
	if fs := u.fsInfo(); len(fs) > 0 {
		item["fileSystemInfo"] = fs
	}
	if u.Description != "" {
		item["description"] = u.Description
	}
	var s graph.UploadSession
	if err := d.c.Post(ctx, target+"/createUploadSession", map[string]any{"item": item}, &s); err != nil {
		return nil, err
	}
	if s.URL == "" {
		return nil, errors.New("drive: createUploadSession answered without an uploadUrl")
	}
	return &s, nil
}

func (d *Drive) sessionUpload(ctx context.Context, target string, r io.Reader, size int64, h hash.Hash, u *UploadOptions) (*Item, *hashedReaderAt, error) {
	var s *graph.UploadSession
	if u.SessionFile != "" {
		if p, err := LoadPendingUpload(u.SessionFile); err == nil && p.Target == target && p.Size == size {
			s = &p.Session
			if err := d.c.UploadStatus(ctx, s); err != nil {
				if !errors.Is(err, graph.ErrUploadSessionExpired) {
					return nil, nil, err
				}
				s = nil // expired: start over
			}
		} else if err == nil {
			// A session for another target or size: it will not be finished; free it.
			_ = d.c.CancelUpload(ctx, &p.Session)
		}
	}
	if s == nil {
		var err error
		if s, err = d.createSession(ctx, target, u); err != nil {
			return nil, nil, err
		}
		if u.SessionFile != "" {
			if err := (&PendingUpload{Target: target, Size: size, Session: *s}).Save(u.SessionFile); err != nil {
				_ = d.c.CancelUpload(context.WithoutCancel(ctx), s)
				return nil, nil, fmt.Errorf("drive: saving the upload session: %w", err)
			}
		}
	}
	opts := []graph.UploadOption{graph.ChunkSize(u.ChunkSize)}
	if u.Progress != nil {
		opts = append(opts, graph.UploadProgress(u.Progress))
	}
	if u.MaxRetries != 0 {
		opts = append(opts, graph.UploadRetries(u.MaxRetries))
	}
	if u.SessionFile != "" {
		opts = append(opts, graph.KeepSessionOnError())
	}
	var it Item
	var hr *hashedReaderAt
	var err error
	hashed := &countingWriter{w: h}
	if ra, ok := r.(io.ReaderAt); ok {
		hr = &hashedReaderAt{r: ra, h: h}
		_, err = d.c.Upload(ctx, s, hr, size, &it, opts...)
	} else {
		_, err = d.c.UploadReader(ctx, s, io.TeeReader(r, hashed), size, &it, opts...)
	}
	if err != nil && errors.Is(err, graph.ErrUploadSessionExpired) {
		if got, ok := d.landed(ctx, target, size, hr, hashed.n, h); ok {
			it, err = *got, nil
		}
	}
	if err != nil {
		if u.SessionFile != "" && errors.Is(err, graph.ErrUploadSessionExpired) {
			_ = os.Remove(u.SessionFile)
		}
		return nil, nil, err
	}
	if u.SessionFile != "" {
		_ = os.Remove(u.SessionFile)
	}
	return d.bind(&it), hr, nil
}

// landed reports whether the whole file is at target although its upload ended with the
// session gone. That happens when the answer to the last chunk is lost: the service has
// stored the file and forgotten the session, so the status check finds nothing. The same
// size and QuickXorHash as the bytes sent make it our file.
func (d *Drive) landed(ctx context.Context, target string, size int64, hr *hashedReaderAt, hashed int64, h hash.Hash) (*Item, bool) {
	if hr != nil {
		if hr.finish(size) != nil {
			return nil, false
		}
	} else if hashed != size {
		return nil, false // the stream was not read to its end: the last chunk was never sent
	}
	var it Item
	if err := d.c.Get(ctx, target, &it); err != nil {
		return nil, false
	}
	if it.Size != size || it.File == nil || it.File.Hashes == nil {
		return nil, false
	}
	return &it, it.File.Hashes.QuickXorHash == base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ResumeUpload finishes a pending upload (one saved in a session file, perhaps by another
// process) from r, which holds the whole file; the bytes the service already has are read
// for the hash only. It returns the new item.
func (d *Drive) ResumeUpload(ctx context.Context, p *PendingUpload, r io.ReaderAt, o *UploadOptions) (*Item, error) {
	if p == nil {
		return nil, errors.New("drive: nil pending upload")
	}
	if d == nil || d.c == nil {
		return nil, ErrUnbound
	}
	u, err := o.settings()
	if err != nil {
		return nil, err
	}
	s := p.Session
	h := quickxor.New()
	hr := &hashedReaderAt{r: r, h: h}
	opts := []graph.UploadOption{graph.ChunkSize(u.ChunkSize), graph.KeepSessionOnError()}
	if u.Progress != nil {
		opts = append(opts, graph.UploadProgress(u.Progress))
	}
	var it Item
	if _, err := d.c.ResumeUpload(ctx, &s, hr, p.Size, &it, opts...); err != nil {
		return nil, err
	}
	if err := hr.finish(p.Size); err != nil {
		return nil, err
	}
	item := d.bind(&it)
	if !u.NoHashCheck && item.File != nil && item.File.Hashes != nil && item.File.Hashes.QuickXorHash != "" {
		got := base64.StdEncoding.EncodeToString(h.Sum(nil))
		if got != item.File.Hashes.QuickXorHash {
			return item, &HashMismatchError{Op: "upload", Name: item.Name, Hash: "quickXorHash", Expected: item.File.Hashes.QuickXorHash, Actual: got}
		}
	}
	return item, nil
}

// CancelUpload deletes a pending upload's session; the service discards what it received.
func (d *Drive) CancelUpload(ctx context.Context, p *PendingUpload) error {
	if p == nil {
		return errors.New("drive: nil pending upload")
	}
	if d == nil || d.c == nil {
		return ErrUnbound
	}
	s := p.Session
	return d.c.CancelUpload(ctx, &s)
}
