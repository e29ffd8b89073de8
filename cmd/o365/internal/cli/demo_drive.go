package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/o365go/o365"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
)

// demoDriveSize is the demo file's size: above the 4 MiB of a simple PUT, so it goes
// through an upload session in chunks.
const demoDriveSize = 12 << 20

// demoDrive is the demo's OneDrive part: a 12 MiB upload through an upload session with a
// progress line, a sharing link, and a download whose hash matches.
func demoDrive(ctx context.Context, t *tour, srv *emulator.Server, acct *o365.Account, _ *skewClock) error {
	_ = srv
	t.title("Upload 12 MiB to OneDrive in chunks, share it, download it verified")
	t.code(`d, err := acct.Storage().DefaultDrive(ctx)          // GET /me/drive
root, err := d.Root(ctx)
up, err := root.Upload(ctx, "Q4 report (final).bin", f, size, &drive.UploadOptions{
	ChunkSize: 16 * drive.ChunkMultiple,    // 5 MiB chunks: createUploadSession, then PUTs without a token
	Progress:  func(sent, total int64) { ... },
})                                                  // QuickXorHash checked against the service's
link, err := up.CreateLink(ctx, drive.LinkOptions{Type: drive.LinkView, Scope: drive.ScopeOrganization})
n, err := up.Download(ctx, w, nil)                  // streamed, hash verified while writing`)
	if err := acct.Authenticate(ctx, "basic", "onedrive_all"); err != nil {
		return fmt.Errorf("demo: drive sign-in: %w", err)
	}
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		return fmt.Errorf("demo: default drive: %w", err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		return fmt.Errorf("demo: drive root: %w", err)
	}
	data := make([]byte, demoDriveSize)
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i+8 <= len(data); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			data[i+j] = byte(v >> (8 * j))
		}
	}
	last := -1
	progress := func(sent, total int64) {
		pct := int(sent * 100 / total)
		if pct/25 != last/25 || sent == total {
			last = pct
			fmt.Fprintf(t.w, "\r   uploading %5.1f / %.1f MiB [%-20s] %3d%%", float64(sent)/(1<<20), float64(total)/(1<<20), strings.Repeat("=", pct/5), pct)
		}
	}
	up, err := root.Upload(ctx, "Q4 report (final).bin", bytes.NewReader(data), int64(len(data)), &drive.UploadOptions{
		ChunkSize: 16 * drive.ChunkMultiple,
		Progress:  progress,
	})
	fmt.Fprintln(t.w)
	if err != nil {
		return fmt.Errorf("demo: upload: %w", err)
	}
	t.say("-> %q, %.1f MiB, quickXorHash %s (matches the bytes sent)", up.Name, float64(up.Size)/(1<<20), up.Hashes().QuickXorHash)
	link, err := up.CreateLink(ctx, drive.LinkOptions{Type: drive.LinkView, Scope: drive.ScopeOrganization})
	if err != nil {
		return fmt.Errorf("demo: sharing link: %w", err)
	}
	if link.Link != nil {
		t.say("-> sharing link (%s, %s): %s", link.Link.Type, link.Link.Scope, link.Link.WebURL)
	}
	var got countingWriter
	n, err := up.Download(ctx, &got, nil)
	if err != nil {
		return fmt.Errorf("demo: download: %w", err)
	}
	t.say("-> downloaded %.1f MiB; its hash matches the service's", float64(n)/(1<<20))
	return nil
}

// countingWriter counts and discards.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)
