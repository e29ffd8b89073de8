package drive_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
)

// When the answer to the last chunk is lost (the service stored the file, but the
// connection broke before its answer arrived), the session is gone and the status check
// finds nothing: the upload still succeeds once the file at the target is found with the
// same size and QuickXorHash.
func TestUploadLastAnswerLost(t *testing.T) {
	for _, reader := range []bool{false, true} {
		name := "readerAt"
		if reader {
			name = "reader"
		}
		t.Run(name, func(t *testing.T) {
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
			data := bytes.Repeat([]byte("0123456789abcdef"), 3*20480) // 960 KiB: 3 chunks
			for _, kind := range []emulator.FaultKind{emulator.FaultTruncate, emulator.FaultDrop} {
				rule, err := srv.Faults().Add(emulator.Fault{Method: "PUT", Path: "uploadSession", Kind: kind, Nth: 3, Count: 1})
				if err != nil {
					t.Fatal(err)
				}
				var src io.Reader = bytes.NewReader(data)
				if reader {
					src = io.MultiReader(src) // hides ReadAt
				}
				it, err := root.Upload(ctx, "lost answer.bin", src, int64(len(data)), &drive.UploadOptions{ChunkSize: 320 << 10, SimpleUploadLimit: -1})
				if err != nil {
					t.Fatalf("%v: %v", kind, err)
				}
				if rule.Fired() != 1 {
					t.Fatalf("%v fired %d times", kind, rule.Fired())
				}
				rule.Remove()
				if it.Size != int64(len(data)) || it.Name != "lost answer.bin" {
					t.Errorf("%v: item %q of %d bytes", kind, it.Name, it.Size)
				}
				var got bytes.Buffer
				if _, err := it.Download(ctx, &got, nil); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), data) {
					t.Errorf("%v: content differs", kind)
				}
			}
		})
	}
}
