package drive_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// setup starts an emulator and returns the signed-in user's default drive and a fresh
// folder to work in.
func setup(t *testing.T, opts ...o365test.Option) (*drive.Storage, *drive.Drive, *drive.Item) {
	t.Helper()
	acct, _ := o365test.Start(t, opts...)
	st := acct.Storage()
	ctx := context.Background()
	d, err := st.DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		t.Fatal(err)
	}
	work, err := root.CreateFolder(ctx, "work "+strings.ReplaceAll(t.Name(), "/", "_"), drive.ConflictRename)
	if err != nil {
		t.Fatal(err)
	}
	return st, d, work
}

func mustUpload(t *testing.T, folder *drive.Item, name string, data []byte, o *drive.UploadOptions) *drive.Item {
	t.Helper()
	it, err := folder.Upload(context.Background(), name, bytes.NewReader(data), int64(len(data)), o)
	if err != nil {
		t.Fatalf("upload %q: %v", name, err)
	}
	return it
}

func TestDrives(t *testing.T) {
	st, d, _ := setup(t)
	ctx := context.Background()
	if d.ID == "" || d.DriveType == "" {
		t.Errorf("default drive %+v", d)
	}
	var ids []string
	for dr, err := range st.Drives(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, dr.ID)
	}
	if len(ids) == 0 || ids[0] != d.ID {
		t.Errorf("drives %v, default %s", ids, d.ID)
	}
	byID, err := st.Drive(ctx, d.ID)
	if err != nil || byID.ID != d.ID {
		t.Fatalf("Drive(id): %v %v", byID, err)
	}
	if err := byID.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Drive(ctx, "b!nope"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing drive: %v", err)
	}
}

func TestItemsByPathAndID(t *testing.T) {
	// The wire path is checked byte for byte in TestPathAddressingOnTheWire.
	_, d, work := setup(t)
	ctx := context.Background()
	// '?' is not allowed in OneDrive names (the service answers 400); its encoding is
	// tested in TestEscapePath.
	names := []string{"a b.txt", "x#1.txt", "100%.txt", "résumé 日本.txt", "semi;colon,comma+plus=eq&amp's.txt"}
	sub, err := work.CreateFolder(ctx, "Sub #1 ü", drive.ConflictFail)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		data := []byte("content of " + n)
		up := mustUpload(t, sub, n, data, nil)
		if up.Name != n {
			t.Errorf("uploaded name %q, want %q", up.Name, n)
		}
		p := work.Name + "/" + sub.Name + "/" + n
		got, err := d.ItemByPath(ctx, p)
		if err != nil {
			t.Errorf("ItemByPath(%q): %v", p, err)
			continue
		}
		if got.ID != up.ID || got.Size != int64(len(data)) {
			t.Errorf("ItemByPath(%q) = %s, want %s", p, got.ID, up.ID)
		}
		rel, err := work.ItemByPath(ctx, sub.Name+"/"+n)
		if err != nil || rel.ID != up.ID {
			t.Errorf("relative ItemByPath(%q): %v", n, err)
		}
		byID, err := d.Item(ctx, up.ID)
		if err != nil || byID.Name != n {
			t.Errorf("Item(%s): %v", up.ID, err)
		}
		var buf bytes.Buffer
		if _, err := byID.Download(ctx, &buf, nil); err != nil || !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("download %q: %v", n, err)
		}
	}
	root, err := d.ItemByPath(ctx, "/")
	if err != nil || !root.IsRoot() {
		t.Errorf("root by path: %v %+v", err, root)
	}
	if _, err := d.ItemByPath(ctx, work.Name+"/nope.txt"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing path: %v", err)
	}
	if _, err := d.ItemByPath(ctx, "a/../b"); !errors.Is(err, drive.ErrBadPath) {
		t.Errorf("dot-dot: %v", err)
	}
	if _, err := d.Item(ctx, "nope"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing id: %v", err)
	}
	parent, err := (&drive.Item{}).Parent(ctx)
	if !errors.Is(err, drive.ErrUnbound) || parent != nil {
		t.Errorf("unbound parent: %v", err)
	}
	p, err := sub.Parent(ctx)
	if err != nil || p.ID != work.ID {
		t.Errorf("parent: %v %v", p, err)
	}
	if it := sub; it.ItemPath() != "/drives/"+d.ID+"/items/"+sub.ID || it.Client() == nil {
		t.Errorf("ItemPath %q", it.ItemPath())
	}
}

func TestChildrenEveryPage(t *testing.T) {
	_, _, work := setup(t)
	ctx := context.Background()
	var want []string
	for i := range 7 {
		n := string(rune('a'+i)) + ".txt"
		mustUpload(t, work, n, []byte(n), nil)
		want = append(want, n)
	}
	if _, err := work.CreateFolder(ctx, "zfolder", ""); err != nil {
		t.Fatal(err)
	}
	var got []string
	for c, err := range work.Children(ctx, &graph.ListOptions{PageSize: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		if c.IsFile() {
			got = append(got, c.Name)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("children (-want +got):\n%s", diff)
	}
	var folders []string
	for c, err := range work.ChildFolders(ctx, &graph.ListOptions{PageSize: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		folders = append(folders, c.Name)
	}
	if diff := cmp.Diff([]string{"zfolder"}, folders); diff != "" {
		t.Errorf("child folders: %s", diff)
	}
}

func TestCreateRenameMoveDelete(t *testing.T) {
	_, d, work := setup(t)
	ctx := context.Background()
	a, err := work.CreateFolder(ctx, "A", drive.ConflictFail)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := work.CreateFolder(ctx, "A", drive.ConflictFail); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("taken name with fail: %v", err)
	}
	renamed, err := work.CreateFolder(ctx, "A", drive.ConflictRename)
	if err != nil || renamed.Name == "A" {
		t.Errorf("rename conflict: %v %v", renamed, err)
	}
	f := mustUpload(t, work, "f.txt", []byte("hello"), nil)
	if err := f.Rename(ctx, "g.txt"); err != nil || f.Name != "g.txt" {
		t.Fatalf("rename: %v %s", err, f.Name)
	}
	if err := f.SetDescription(ctx, "described"); err != nil {
		t.Fatal(err)
	}
	got, err := d.Item(ctx, f.ID)
	if err != nil || got.Description != "described" {
		t.Errorf("description %q %v", got.Description, err)
	}
	got.Description = ""
	if err := got.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := got.Refresh(ctx); err != nil || got.Description != "" {
		t.Errorf("cleared description %q %v", got.Description, err)
	}
	if err := f.Move(ctx, a, "h.txt"); err != nil {
		t.Fatal(err)
	}
	moved, err := d.ItemByPath(ctx, work.Name+"/A/h.txt")
	if err != nil || moved.ID != f.ID {
		t.Errorf("moved: %v", err)
	}
	if err := f.Rename(ctx, ""); !errors.Is(err, drive.ErrEmptyID) {
		t.Errorf("empty rename: %v", err)
	}
	if err := moved.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Item(ctx, f.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := moved.Delete(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}

func TestCopy(t *testing.T) {
	_, d, work := setup(t)
	ctx := context.Background()
	src := mustUpload(t, work, "src.txt", []byte("copy me"), nil)
	dest, err := work.CreateFolder(ctx, "dest", "")
	if err != nil {
		t.Fatal(err)
	}
	op, err := src.Copy(ctx, dest, "copied.txt", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := op.Status(ctx); err != nil {
		t.Fatal(err)
	}
	op.PollInterval = 10 * time.Millisecond
	it, err := op.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if it.Name != "copied.txt" || it.Size != src.Size || it.ID == src.ID {
		t.Errorf("copy %+v", it)
	}
	var buf bytes.Buffer
	if _, err := it.Download(ctx, &buf, nil); err != nil || buf.String() != "copy me" {
		t.Errorf("copy content %q %v", buf.String(), err)
	}
	// A folder with its children.
	op, err = dest.Copy(ctx, work, "dest2", "")
	if err != nil {
		t.Fatal(err)
	}
	op.PollInterval = 10 * time.Millisecond
	if _, err := op.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ItemByPath(ctx, work.Name+"/dest2/copied.txt"); err != nil {
		t.Errorf("copied folder: %v", err)
	}
	if _, err := src.Copy(ctx, nil, "", ""); !errors.Is(err, drive.ErrEmptyID) {
		t.Errorf("nil dest: %v", err)
	}
}

func TestUploadConflictsAndTimestamps(t *testing.T) {
	_, _, work := setup(t)
	ctx := context.Background()
	big := make([]byte, 5<<20+3)
	for i := range big {
		big[i] = byte(i * 7)
	}
	mod := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	created := time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		name string
		data []byte
	}{{"small", []byte("small file")}, {"session", big}, {"empty", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.name + ".bin"
			it := mustUpload(t, work, n, tc.data, &drive.UploadOptions{Modified: mod, Created: created, ChunkSize: 8 * drive.ChunkMultiple})
			if it.Size != int64(len(tc.data)) {
				t.Errorf("size %d", it.Size)
			}
			if it.FileSystemInfo == nil || !it.FileSystemInfo.LastModifiedDateTime.Equal(mod) || !it.FileSystemInfo.CreatedDateTime.Equal(created) {
				t.Errorf("fileSystemInfo %+v", it.FileSystemInfo)
			}
			_, err := work.Upload(ctx, n, bytes.NewReader(tc.data), int64(len(tc.data)), &drive.UploadOptions{Conflict: drive.ConflictFail})
			if !errors.Is(err, graph.ErrConflict) {
				t.Errorf("fail on a taken name: %v", err)
			}
			r, err := work.Upload(ctx, n, bytes.NewReader(tc.data), int64(len(tc.data)), &drive.UploadOptions{Conflict: drive.ConflictRename})
			if err != nil || r.Name == n {
				t.Errorf("rename: %v %v", r, err)
			}
			rep, err := work.Upload(ctx, n, bytes.NewReader(tc.data), int64(len(tc.data)), &drive.UploadOptions{Conflict: drive.ConflictReplace})
			if err != nil || rep.ID != it.ID {
				t.Errorf("replace: %v %v", rep, err)
			}
		})
	}
}

func TestUploadFileAndDownloadFile(t *testing.T) {
	_, _, work := setup(t)
	ctx := context.Background()
	dir := t.TempDir()
	local := filepath.Join(dir, "local file.bin")
	data := make([]byte, 6<<20+11)
	if _, err := newPRNGData(7, int64(len(data))).ReadAt(data, 0); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var last int64
	up, err := work.UploadFile(ctx, local, "", &drive.UploadOptions{ChunkSize: 4 * drive.ChunkMultiple, Progress: func(s, total int64) { last = s }})
	if err != nil {
		t.Fatal(err)
	}
	if up.Name != "local file.bin" || last != int64(len(data)) || up.Hashes().QuickXorHash == "" {
		t.Errorf("upload %+v, progress %d", up, last)
	}
	for _, o := range []*drive.DownloadOptions{nil, {Workers: 3, ChunkSize: 1 << 20}} {
		out := filepath.Join(dir, "out.bin")
		if _, err := up.DownloadFile(ctx, out, o); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(out)
		if !bytes.Equal(got, data) {
			t.Fatal("downloaded file differs")
		}
		os.Remove(out)
	}
	// Ranged.
	var buf bytes.Buffer
	if _, err := up.Download(ctx, &buf, &drive.DownloadOptions{Offset: 3 << 20, Length: 1000}); err != nil || !bytes.Equal(buf.Bytes(), data[3<<20:3<<20+1000]) {
		t.Errorf("range: %v", err)
	}
	// Folder, recursively.
	sub, _ := work.CreateFolder(ctx, "sub", "")
	mustUpload(t, sub, "inner.txt", []byte("inner"), nil)
	into := filepath.Join(dir, "tree")
	if err := work.DownloadFolder(ctx, into, nil); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(into, "sub", "inner.txt")); err != nil || string(b) != "inner" {
		t.Errorf("tree: %q %v", b, err)
	}
	if err := up.DownloadFolder(ctx, into, nil); !errors.Is(err, drive.ErrNotFolder) {
		t.Errorf("DownloadFolder of a file: %v", err)
	}
	if _, err := work.Download(ctx, io.Discard, nil); !errors.Is(err, drive.ErrNotFile) {
		t.Errorf("Download of a folder: %v", err)
	}
}
