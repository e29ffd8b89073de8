package drive

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/quickxor"
)

// PartialSuffix is added to a local file's name while DownloadFile writes it.
const PartialSuffix = ".o365part"

// DownloadOptions shape a download. The zero value fetches the whole file in one stream and
// verifies its hash.
type DownloadOptions struct {
	// Offset and Length select a range (Length 0: to the end). A ranged download is not
	// hash-checked.
	Offset, Length int64
	// Format converts the file on the service ("pdf", "html", "glb", "jpg"): the converted
	// content is not hash-checked.
	Format string
	// Workers > 1 fetches ranges of ChunkSize bytes in parallel when writing to a file (or
	// an io.WriterAt).
	Workers   int
	ChunkSize int64
	// Progress, if set, is called with the bytes written so far and the total (-1 when
	// unknown).
	Progress func(written, total int64)
	// MaxRetries is how many dropped connections in a row are resumed (default 5).
	MaxRetries int
	// Resume makes DownloadFile continue from the partial file a previous attempt left
	// (path + PartialSuffix) instead of starting over.
	Resume bool
	// NoHashCheck skips verifying the content against the service's quickXorHash (or
	// sha256Hash, sha1Hash).
	NoHashCheck bool
}

func (o *DownloadOptions) get() DownloadOptions {
	if o == nil {
		return DownloadOptions{}
	}
	return *o
}

func (o *DownloadOptions) graphOpts() []graph.DownloadOption {
	d := graph.Downloader{Offset: o.Offset, Progress: o.Progress, MaxRetries: o.MaxRetries}
	if o.Workers > 1 {
		d.Workers, d.ChunkSize = o.Workers, o.ChunkSize
	}
	return []graph.DownloadOption{d}
}

// verifier checks downloaded bytes against one of the service's hashes.
type verifier struct {
	name, want string
	h          hash.Hash
	encode     func([]byte) string
}

// newVerifier picks the service's quickXorHash, else sha256Hash, else sha1Hash; nil when
// the item reports none.
func newVerifier(hs Hashes) *verifier {
	switch {
	case hs.QuickXorHash != "":
		return &verifier{name: "quickXorHash", want: hs.QuickXorHash, h: quickxor.New(), encode: base64.StdEncoding.EncodeToString}
	case hs.SHA256Hash != "":
		return &verifier{name: "sha256Hash", want: strings.ToUpper(hs.SHA256Hash), h: sha256.New(), encode: func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }}
	case hs.SHA1Hash != "":
		return &verifier{name: "sha1Hash", want: strings.ToUpper(hs.SHA1Hash), h: sha1.New(), encode: func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }}
	}
	return nil
}

func (v *verifier) check(name string) error {
	got := v.encode(v.h.Sum(nil))
	if got != v.want {
		return &HashMismatchError{Op: "download", Name: name, Hash: v.name, Expected: v.want, Actual: got}
	}
	return nil
}

// contentPath is ".../content", with ?format= for a conversion.
func (it *Item) contentPath(format string) (string, error) {
	p, err := it.path("content")
	if err != nil {
		return "", err
	}
	if format != "" {
		p += "?format=" + escapeSegment(format)
	}
	return p, nil
}

// withMetadata reads the item when its facets are not known yet (an ItemRef).
func (it *Item) withMetadata(ctx context.Context) (*Item, error) {
	if it.File != nil || it.Folder != nil {
		return it, nil
	}
	return it.Get(ctx)
}

// errRangeDone stops a ranged download once Length bytes are written.
var errRangeDone = errors.New("drive: range complete")

type limitWriter struct {
	w    io.Writer
	left int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errRangeDone
	}
	cut := int64(len(p)) > l.left
	if cut {
		p = p[:l.left]
	}
	n, err := l.w.Write(p)
	l.left -= int64(n)
	if err == nil && cut {
		err = errRangeDone
	}
	return n, err
}

// Download streams the file's content to w (GET .../content, following the redirect to the
// download URL without the token) and returns the bytes written. A dropped connection is
// resumed from the byte reached. A whole-file download is checked against the service's
// hash while it is written: a mismatch gives an error matching ErrHashMismatch.
func (it *Item) Download(ctx context.Context, w io.Writer, o *DownloadOptions) (int64, error) {
	opt := o.get()
	if w == nil {
		return 0, errors.New("drive: nil writer")
	}
	if opt.Offset < 0 || opt.Length < 0 {
		return 0, fmt.Errorf("drive: bad range %d+%d", opt.Offset, opt.Length)
	}
	if it.Folder != nil {
		return 0, fmt.Errorf("%w: %q is a folder (use DownloadFolder)", ErrNotFile, it.Name)
	}
	whole := opt.Offset == 0 && opt.Length == 0 && opt.Format == ""
	var v *verifier
	if whole && !opt.NoHashCheck {
		meta, err := it.withMetadata(ctx)
		if err != nil {
			return 0, err
		}
		if meta.Folder != nil {
			return 0, fmt.Errorf("%w: %q is a folder (use DownloadFolder)", ErrNotFile, meta.Name)
		}
		v = newVerifier(meta.Hashes())
	}
	p, err := it.contentPath(opt.Format)
	if err != nil {
		return 0, err
	}
	dst := w
	if opt.Length > 0 {
		dst = &limitWriter{w: w, left: opt.Length}
		opt.Workers = 0
	}
	if v != nil {
		if _, isAt := w.(io.WriterAt); isAt && opt.Workers > 1 {
			// Parallel ranges arrive out of order: hash after, if w can be read back.
			n, err := it.c.Download(ctx, p, w, opt.graphOpts()...)
			if err != nil {
				return n, err
			}
			if ra, ok := w.(io.ReaderAt); ok {
				if _, err := io.Copy(v.h, io.NewSectionReader(ra, 0, n)); err != nil {
					return n, err
				}
				return n, v.check(it.Name)
			}
			return n, nil
		}
		dst = io.MultiWriter(w, v.h)
		opt.Workers = 0
	}
	n, err := it.c.Download(ctx, p, dst, opt.graphOpts()...)
	if errors.Is(err, errRangeDone) {
		err = nil
	}
	if err != nil {
		return n, err
	}
	if v != nil {
		return n, v.check(it.Name)
	}
	return n, nil
}

// DownloadFile downloads the file to localPath: into localPath+PartialSuffix first, renamed
// into place once complete and verified, with the item's modification time. With
// o.Resume a partial file left by an earlier attempt is continued; its bytes are read
// once for the hash. A failed download leaves the partial file for a later Resume; a hash
// mismatch removes it.
func (it *Item) DownloadFile(ctx context.Context, localPath string, o *DownloadOptions) (int64, error) {
	opt := o.get()
	meta, err := it.withMetadata(ctx)
	if err != nil {
		return 0, err
	}
	if meta.Folder != nil {
		return 0, fmt.Errorf("%w: %q is a folder (use DownloadFolder)", ErrNotFile, meta.Name)
	}
	if opt.Offset != 0 || opt.Length != 0 {
		return 0, errors.New("drive: DownloadFile fetches whole files; use Download for a range")
	}
	part := localPath + PartialSuffix
	var off int64
	flags := os.O_RDWR | os.O_CREATE | os.O_TRUNC
	if opt.Resume {
		if fi, err := os.Stat(part); err == nil && fi.Mode().IsRegular() && (opt.Format != "" || fi.Size() <= meta.Size) {
			off = fi.Size()
			flags = os.O_RDWR | os.O_CREATE
		}
	}
	f, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return 0, err
	}
	closed := false
	defer func() {
		if !closed {
			f.Close()
		}
	}()
	var v *verifier
	if !opt.NoHashCheck && opt.Format == "" {
		v = newVerifier(meta.Hashes())
	}
	if v != nil && off > 0 {
		if _, err := io.Copy(v.h, io.NewSectionReader(f, 0, off)); err != nil {
			return 0, err
		}
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	p, err := meta.contentPath(opt.Format)
	if err != nil {
		return 0, err
	}
	var n int64
	parallel := opt.Workers > 1 && off == 0
	if opt.Format == "" && off >= meta.Size && meta.Size >= 0 && off > 0 {
		// Already complete.
	} else if parallel {
		n, err = meta.c.Download(ctx, p, f, opt.graphOpts()...)
		if err == nil && v != nil {
			_, err = io.Copy(v.h, io.NewSectionReader(f, 0, n))
		}
	} else {
		g := opt
		g.Offset, g.Workers = off, 0
		var w io.Writer = f
		if v != nil {
			w = io.MultiWriter(f, v.h)
		}
		n, err = meta.c.Download(ctx, p, w, g.graphOpts()...)
	}
	if err != nil {
		return off + n, err
	}
	if v != nil {
		if err := v.check(meta.Name); err != nil {
			f.Close()
			closed = true
			os.Remove(part)
			return off + n, err
		}
	}
	if err := f.Close(); err != nil {
		closed = true
		return off + n, err
	}
	closed = true
	mt := meta.LastModifiedDateTime
	if meta.FileSystemInfo != nil && !meta.FileSystemInfo.LastModifiedDateTime.IsZero() {
		mt = meta.FileSystemInfo.LastModifiedDateTime
	}
	if !mt.IsZero() {
		_ = os.Chtimes(part, mt, mt)
	}
	if err := os.Rename(part, localPath); err != nil {
		return off + n, err
	}
	return off + n, nil
}

// DownloadFolder downloads a folder and everything below it into dir (created as needed):
// each child folder becomes a directory, each file is fetched with DownloadFile (so Resume
// continues partial files). Names that are not safe as local names ("..", names with a
// path separator) are refused.
func (it *Item) DownloadFolder(ctx context.Context, dir string, o *DownloadOptions) error {
	if it.File != nil {
		return fmt.Errorf("%w: %q is a file", ErrNotFolder, it.Name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for c, err := range it.Children(ctx, nil) {
		if err != nil {
			return err
		}
		if c.Name == "" || c.Name == "." || c.Name == ".." || strings.ContainsAny(c.Name, `/\`) || strings.ContainsRune(c.Name, 0) {
			return fmt.Errorf("%w: unsafe name %q", ErrBadPath, c.Name)
		}
		local := filepath.Join(dir, c.Name)
		switch {
		case c.IsFolder():
			if err := c.DownloadFolder(ctx, local, o); err != nil {
				return err
			}
		case c.IsFile():
			if _, err := c.DownloadFile(ctx, local, o); err != nil {
				return err
			}
		}
	}
	return nil
}
