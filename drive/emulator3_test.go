package drive_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"

	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// The demo tenant's seeded pictures carry the image and photo facets, and thumbnails.
func TestFacetsAndThumbnails(t *testing.T) {
	acct, _ := o365test.Start(t, demoSeed)
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	png, err := d.ItemByPath(ctx, "Pictures/contoso-logo.png")
	if err != nil {
		t.Fatal(err)
	}
	if !png.IsFile() || !png.IsImage() || png.Image.Width != 128 || png.Image.Height != 64 || png.MimeType() != "image/png" {
		t.Errorf("png facets: image %+v, mime %q", png.Image, png.MimeType())
	}
	if png.Hashes().QuickXorHash == "" {
		t.Error("png: no quickXorHash")
	}
	jpg, err := d.ItemByPath(ctx, "Pictures/team-offsite.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if !jpg.IsPhoto() || jpg.Photo.CameraMake == "" || jpg.Photo.TakenDateTime.IsZero() || jpg.Image == nil || jpg.Image.Width != 320 {
		t.Errorf("jpeg facets: photo %+v image %+v", jpg.Photo, jpg.Image)
	}
	sets, err := png.Thumbnails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) == 0 || sets[0].Small == nil || sets[0].Small.URL == "" || sets[0].Medium == nil || sets[0].Large == nil {
		t.Errorf("thumbnails %+v", sets)
	}
	photos, err := d.Special(ctx, drive.SpecialPhotos)
	if err != nil || photos.Name != "Pictures" {
		t.Errorf("special photos: %v %v", photos, err)
	}
	for it, err := range d.Recent(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if it.ItemPath() == "" {
			t.Errorf("recent item unbound: %+v", it)
		}
	}
}

// Download converted by the service: ?format=pdf.
func TestDownloadConverted(t *testing.T) {
	_, d, _ := setup(t, demoSeed)
	ctx := context.Background()
	it, err := d.ItemByPath(ctx, "Documents/Q4 Plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := it.Download(ctx, &buf, &drive.DownloadOptions{Format: "pdf"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Errorf("not a PDF: %q", buf.Bytes()[:min(20, buf.Len())])
	}
	if _, err := it.Download(ctx, &buf, &drive.DownloadOptions{Format: "nonsense"}); err == nil {
		t.Error("unknown format accepted")
	}
	var ge *graph.Error
	if _, err := d.ItemRef("nope").Download(ctx, &buf, &drive.DownloadOptions{Format: "pdf"}); !errors.As(err, &ge) || !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing item: %v", err)
	}
}

// demoSeed starts the emulator with the demo tenant's content.
var demoSeed = o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" })

// Megan sees the file Adele shared with her, bound to Adele's drive, and can read it.
func TestSharedWithMe(t *testing.T) {
	_, srv := o365test.Start(t, demoSeed)
	ctx := context.Background()
	megan := "MeganB@contoso.onmicrosoft.com"
	srv.SetAutoApprove(true, megan)
	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := o365test.SignIn(ctx, acct, o365test.DefaultScopes()...); err != nil {
		t.Fatal(err)
	}
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found *drive.Item
	for it, err := range d.SharedWithMe(ctx, false, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if it.Name == "Q4 Plan.txt" {
			found = it
		}
	}
	if found == nil {
		t.Fatal("Q4 Plan.txt not shared with Megan")
	}
	if found.DriveID() == d.ID || found.RemoteItem == nil {
		t.Errorf("shared item not bound to Adele's drive: %s %+v", found.DriveID(), found.RemoteItem)
	}
	var buf bytes.Buffer
	if _, err := found.Download(ctx, &buf, nil); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("Q4 retail plan")) {
		t.Errorf("download shared item: %v %q", err, buf.String())
	}
}

// An app-only account reaches any user's drive by UPN.
func TestOtherUsersDrive(t *testing.T) {
	acct, _ := o365test.Start(t, demoSeed, o365test.AppOnly())
	ctx := context.Background()
	d, err := acct.Storage(graph.User("MeganB@contoso.onmicrosoft.com")).DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	it, err := d.ItemByPath(ctx, "Marketing/Launch checklist.txt")
	if err != nil {
		t.Fatal(err)
	}
	if it.DriveID() != d.ID {
		t.Errorf("item of drive %s, want %s", it.DriveID(), d.ID)
	}
	for dr, err := range acct.Storage(graph.User("MeganB@contoso.onmicrosoft.com")).Drives(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if dr.ID != d.ID {
			t.Errorf("drives: %s", dr.ID)
		}
	}
	if _, err := acct.Storage(graph.User("nobody@contoso.onmicrosoft.com")).DefaultDrive(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
}

// A pending upload can be cancelled; the saved session then no longer resumes, and the
// next upload with the same session file starts over.
func TestCancelPendingUpload(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data := newPRNGData(9, 6*drive.ChunkMultiple)
	sf := t.TempDir() + "/c.bin" + drive.SessionFileSuffix
	rule, err := srv.Faults().Add(emulator.Fault{Method: "PUT", Path: "uploadSession", Status: 400, Nth: 3, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	o := &drive.UploadOptions{ChunkSize: drive.ChunkMultiple, SimpleUploadLimit: -1, SessionFile: sf}
	_, err = root.Upload(ctx, "c.bin", readerAtOnly{data}, data.size, o)
	var ue *graph.UploadError
	if !errors.As(err, &ue) || ue.Session == nil || ue.Committed != 2*drive.ChunkMultiple || rule.Fired() != 1 {
		t.Fatalf("first upload: %v", err)
	}
	p, err := drive.LoadPendingUpload(sf)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CancelUpload(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ResumeUpload(ctx, p, readerAtOnly{data}, nil); !errors.Is(err, graph.ErrUploadSessionExpired) {
		t.Errorf("resume of a cancelled session: %v", err)
	}
	it, err := root.Upload(ctx, "c.bin", readerAtOnly{data}, data.size, o)
	if err != nil {
		t.Fatal(err)
	}
	cw := &compareWriter{d: data}
	if _, err := it.Download(ctx, cw, nil); err != nil || cw.bad != 0 || cw.off != data.size {
		t.Errorf("content after starting over: %v", err)
	}
}
