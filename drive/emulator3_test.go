package drive_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

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
