package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Download defaults.
const (
	DefaultDownloadRetries   = 5        // dropped connections in a row before giving up
	DefaultDownloadChunkSize = 10 << 20 // range size of a parallel download
	downloadBufferSize       = 32 << 10
)

// Downloader holds the settings of a download. Like Uploader, it is itself a DownloadOption;
// zero fields keep their defaults.
type Downloader struct {
	// Offset is the first byte to fetch (Range: bytes=Offset-); the writer receives the file
	// from there.
	Offset int64
	// Progress, if set, is called as data arrives with the bytes written so far and the
	// bytes this download will write in all (the file size minus Offset; -1 while unknown).
	// Values never decrease and calls never overlap.
	Progress func(written, total int64)
	// MaxRetries is how many dropped connections in a row are resumed (default
	// DefaultDownloadRetries; negative: none). A retry that makes progress resets the count.
	MaxRetries int
	// Workers > 1 fetches ranges of ChunkSize bytes in parallel when the writer is an
	// io.WriterAt (an *os.File): byte Offset+i of the file is written at offset i. With
	// other writers the download is sequential.
	Workers int
	// ChunkSize is the range each parallel request fetches (default DefaultDownloadChunkSize).
	ChunkSize int64
}

// DownloadOption changes a download's settings. DownloadOffset, DownloadProgress,
// DownloadRetries, ParallelDownload and a Downloader value are DownloadOptions.
type DownloadOption interface {
	applyDownload(*Downloader)
}

type downloadOptionFunc func(*Downloader)

func (f downloadOptionFunc) applyDownload(d *Downloader) { f(d) }

func (d Downloader) applyDownload(dst *Downloader) {
	if d.Offset != 0 {
		dst.Offset = d.Offset
	}
	if d.Progress != nil {
		dst.Progress = d.Progress
	}
	if d.MaxRetries != 0 {
		dst.MaxRetries = d.MaxRetries
	}
	if d.Workers != 0 {
		dst.Workers = d.Workers
	}
	if d.ChunkSize != 0 {
		dst.ChunkSize = d.ChunkSize
	}
}

// DownloadOffset starts the download at byte off (see Downloader.Offset).
func DownloadOffset(off int64) DownloadOption {
	return downloadOptionFunc(func(d *Downloader) { d.Offset = off })
}

// DownloadProgress sets a progress callback (see Downloader.Progress).
func DownloadProgress(fn func(written, total int64)) DownloadOption {
	return downloadOptionFunc(func(d *Downloader) { d.Progress = fn })
}

// DownloadRetries sets how many dropped connections in a row are resumed.
func DownloadRetries(n int) DownloadOption {
	return downloadOptionFunc(func(d *Downloader) {
		d.MaxRetries = n
		if n == 0 {
			d.MaxRetries = -1
		}
	})
}

// ParallelDownload fetches ranges of chunkSize bytes with this many workers when the writer
// is an io.WriterAt (see Downloader.Workers).
func ParallelDownload(workers int, chunkSize int64) DownloadOption {
	return downloadOptionFunc(func(d *Downloader) { d.Workers, d.ChunkSize = workers, chunkSize })
}

// Download streams a file to w and returns the number of bytes written. path is a Graph path
// that answers with the content or with a 302 to a pre-authenticated download URL (e.g.
// "/me/drive/items/{id}/content"), or such a URL itself (@microsoft.graph.downloadUrl).
//
// Nothing is buffered beyond a small copy buffer. The redirect is followed by the client's
// http.Client, which drops the Authorization header when the scheme, host or port changes
// (as it does for Graph's download hosts); later requests go straight to the download URL
// without one. When the connection drops mid-body, Download asks again from the byte reached
// (Range: bytes=N-), checks the Content-Range of the answer, and goes on, up to MaxRetries
// times in a row; if the download URL has expired it goes back to path for a fresh one.
func (c *Client) Download(ctx context.Context, path string, w io.Writer, opts ...DownloadOption) (int64, error) {
	d := Downloader{MaxRetries: DefaultDownloadRetries, ChunkSize: DefaultDownloadChunkSize}
	for _, o := range opts {
		if o != nil {
			o.applyDownload(&d)
		}
	}
	switch {
	case w == nil:
		return 0, errors.New("graph: Download: nil io.Writer")
	case d.Offset < 0:
		return 0, fmt.Errorf("graph: Download: negative offset %d", d.Offset)
	case d.ChunkSize <= 0:
		return 0, fmt.Errorf("graph: Download: chunk size %d must be positive", d.ChunkSize)
	}
	if d.MaxRetries < 0 {
		d.MaxRetries = 0
	}
	dl := &download{c: c, path: path, d: d, total: -1}
	if wa, ok := w.(io.WriterAt); ok && d.Workers > 1 {
		return dl.parallel(ctx, wa)
	}
	buf := make([]byte, downloadBufferSize)
	err := dl.fetch(ctx, d.Offset, -1, nil, buf, func(p []byte, _ int64) error {
		n, err := w.Write(p)
		if err == nil && n < len(p) {
			err = io.ErrShortWrite
		}
		return err
	})
	return dl.written, err
}

// download is one Download call.
type download struct {
	c      *Client
	path   string
	d      Downloader
	mu     sync.Mutex
	target string // the pre-authenticated URL path redirected to, once known
	total  int64  // file size, -1 until known

	written  int64 // guarded by mu
	reported int64 // guarded by mu
}

// get requests bytes [first, last] (last -1: to the end), from the download URL when known.
func (dl *download) get(ctx context.Context, first, last int64) (*http.Response, error) {
	dl.mu.Lock()
	target := dl.target
	dl.mu.Unlock()
	req := &Request{Method: http.MethodGet, Path: dl.path, Header: http.Header{}}
	if target != "" {
		req.Path, req.NoAuth = target, true
	}
	if first > 0 || last >= 0 {
		v := "bytes=" + strconv.FormatInt(first, 10) + "-"
		if last >= 0 {
			v += strconv.FormatInt(last, 10)
		}
		req.Header.Set("Range", v)
	}
	resp, err := dl.c.Send(ctx, req)
	if err != nil && target != "" && (errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrGone)) {
		// The download URL expired: ask Graph for a new one.
		dl.mu.Lock()
		dl.target = ""
		dl.mu.Unlock()
		return dl.get(ctx, first, last)
	}
	if err != nil {
		return nil, err
	}
	if u := resp.Request.URL; u != nil && !sameOrigin(u, dl.c.service) {
		dl.mu.Lock()
		dl.target = u.String()
		dl.mu.Unlock()
	}
	return resp, nil
}

// fetch writes bytes [first, last] (last -1: to the end of the file) through write,
// re-requesting from the byte reached when the connection drops. resp, when not nil, is an
// answer already received for exactly this range.
func (dl *download) fetch(ctx context.Context, first, last int64, resp *http.Response, buf []byte, write func(p []byte, off int64) error) error {
	pos := first
	failures := 0
	for {
		if last >= 0 && pos > last {
			return nil
		}
		if t := dl.size(); t >= 0 && pos >= t && pos > first {
			return nil
		}
		var err error
		if resp == nil {
			resp, err = dl.get(ctx, pos, last)
		}
		var n int64
		if err == nil {
			n, err = dl.copy(resp, pos, last, buf, write)
			resp = nil
		}
		pos += n
		if err == nil {
			return nil
		}
		var pe permanentError
		if errors.As(err, &pe) || ctx.Err() != nil || !retryableDownload(err) {
			return err
		}
		if n > 0 {
			failures = 0
		}
		failures++
		if failures > dl.d.MaxRetries {
			return fmt.Errorf("graph: download stopped at byte %d after %d failed attempts in a row: %w", pos, failures, err)
		}
		if err := sleepCtx(ctx, dl.c.clock, dl.c.retry.backoff(failures, nil)); err != nil {
			return err
		}
	}
}

// retryableDownload reports whether asking again may help: no answer or a cut body, or an
// answer Send already retried as far as its policy goes (throttling, 5xx).
func retryableDownload(err error) bool {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.StatusCode == http.StatusTooManyRequests || ge.StatusCode >= 500
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

func (dl *download) size() int64 {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	return dl.total
}

// copy checks that resp starts at pos and copies its body through write, stopping after last.
// It returns the bytes written; a write failure is permanent, a read failure is not.
func (dl *download) copy(resp *http.Response, pos, last int64, buf []byte, write func(p []byte, off int64) error) (int64, error) {
	defer closeBody(resp.Body)
	body := io.Reader(resp.Body)
	switch resp.StatusCode {
	case http.StatusPartialContent:
		first, end, total, err := ParseContentRange(resp.Header.Get("Content-Range"))
		switch {
		case err != nil:
			return 0, permanent(err)
		case first != pos || (last >= 0 && end > last):
			return 0, permanent(fmt.Errorf("graph: asked for bytes %d-, got Content-Range %q", pos, resp.Header.Get("Content-Range")))
		}
		dl.setTotal(total)
		body = io.LimitReader(body, end-first+1)
	case http.StatusOK:
		// The whole file: the server ignored Range (or none was sent).
		if resp.ContentLength >= 0 {
			dl.setTotal(resp.ContentLength)
		}
		if pos > 0 {
			if _, err := io.CopyN(io.Discard, body, pos); err != nil {
				return 0, fmt.Errorf("graph: skipping to byte %d: %w", pos, cleanErr(err))
			}
		}
		if last >= 0 {
			body = io.LimitReader(body, last-pos+1)
		}
	default:
		return 0, permanent(fmt.Errorf("graph: unexpected status %d for a download", resp.StatusCode))
	}
	var n int64
	for {
		m, rerr := body.Read(buf)
		if m > 0 {
			if err := write(buf[:m], pos+n); err != nil {
				return n, permanent(fmt.Errorf("graph: writing the download: %w", err))
			}
			n += int64(m)
			dl.progress(int64(m))
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return n, fmt.Errorf("graph: download interrupted at byte %d: %w", pos+n, cleanErr(rerr))
		}
	}
	// A body that ends early without an error (a proxy that closes cleanly) is a drop too.
	want := int64(-1)
	if last >= 0 {
		want = last + 1
	}
	if t := dl.size(); t >= 0 && (want < 0 || t < want) {
		want = t
	}
	if want >= 0 && pos+n < want {
		return n, fmt.Errorf("graph: download interrupted at byte %d of %d: %w", pos+n, want, io.ErrUnexpectedEOF)
	}
	return n, nil
}

func (dl *download) setTotal(t int64) {
	if t < 0 {
		return
	}
	dl.mu.Lock()
	defer dl.mu.Unlock()
	if dl.total < 0 {
		dl.total = t
	}
}

// progress records n more bytes written and reports the new count.
func (dl *download) progress(n int64) {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	dl.written += n
	if dl.d.Progress != nil && dl.written > dl.reported {
		dl.reported = dl.written
		total := int64(-1)
		if dl.total >= 0 {
			total = dl.total - dl.d.Offset
		}
		dl.d.Progress(dl.written, total)
	}
}

// parallel fetches the first range to learn the size, then the rest with several workers.
func (dl *download) parallel(ctx context.Context, wa io.WriterAt) (int64, error) {
	off, chunk := dl.d.Offset, dl.d.ChunkSize
	writeAt := func(p []byte, pos int64) error {
		n, err := wa.WriteAt(p, pos-off)
		if err == nil && n < len(p) {
			err = io.ErrShortWrite
		}
		return err
	}
	resp, err := dl.get(ctx, off, off+chunk-1)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, downloadBufferSize)
	_, _, total, _ := ParseContentRange(resp.Header.Get("Content-Range"))
	if resp.StatusCode != http.StatusPartialContent || total < 0 {
		// No range support, or no size to split: one sequential stream.
		last := int64(-1)
		if resp.StatusCode == http.StatusPartialContent {
			last = off + chunk - 1
		}
		err := dl.fetch(ctx, off, last, resp, buf, writeAt)
		if err == nil && last >= 0 {
			err = dl.fetch(ctx, last+1, -1, nil, buf, writeAt)
		}
		return dl.written, err
	}
	dl.setTotal(total)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan [2]int64)
	var wg sync.WaitGroup
	var once sync.Once
	var firstErr error
	fail := func(err error) {
		once.Do(func() { firstErr = err; cancel(err) })
	}
	// The first range, already answered, goes on this goroutine's side.
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := dl.fetch(ctx, off, min(off+chunk, total)-1, resp, buf, writeAt); err != nil {
			fail(err)
		}
	}()
	for range dl.d.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, downloadBufferSize)
			for j := range jobs {
				if err := dl.fetch(ctx, j[0], j[1], nil, buf, writeAt); err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	// Hand out the remaining ranges until done or a worker fails.
send:
	for p := off + chunk; p < total; p += chunk {
		select {
		case jobs <- [2]int64{p, min(p+chunk, total) - 1}:
		case <-ctx.Done():
			break send
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = context.Cause(ctx)
	}
	dl.mu.Lock()
	defer dl.mu.Unlock()
	return dl.written, firstErr
}
