package drive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/graph"
)

func randBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestEscapePath(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"a.txt", "a.txt", false},
		{"/Docs/a b.txt/", "Docs/a%20b.txt", false},
		{"x#1/100%/what?.txt", "x%231/100%25/what%3F.txt", false},
		{"résumé 日本.docx", "r%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC.docx", false},
		{"a:b+c&d=e", "a%3Ab%2Bc&d=e", false},
		{"a//b", "a/b", false},
		{"", "", false},
		{"a/../b", "", true},
		{"./a", "", true},
		{"a\x01b", "", true},
	}
	for _, tt := range tests {
		got, err := escapePath(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("escapePath(%q) error %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err != nil && !errors.Is(err, ErrBadPath) {
			t.Errorf("escapePath(%q) error %v does not match ErrBadPath", tt.in, err)
		}
		if got != tt.want {
			t.Errorf("escapePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// python-o365 (§6.5): get_item_by_path and search did not percent-encode. Here every
// segment and the search text reach the wire encoded.
func TestPathAddressingOnTheWire(t *testing.T) {
	f, c := newFake(t)
	f.handle("GET /v1.0/drives/d1/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "x", "name": "n", "file": map[string]any{}, "value": []any{}})
	})
	d := New(c, graph.Me).DriveByID("d1")
	ctx := context.Background()
	if _, err := d.ItemByPath(ctx, "Docs/a b#1 100%?.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ItemByPath(ctx, "/"); err != nil {
		t.Fatal(err)
	}
	folder := d.ItemRef("F1")
	if _, err := folder.ItemByPath(ctx, "sub/ü.txt"); err != nil {
		t.Fatal(err)
	}
	for _, err := range d.Search(ctx, "O'Brien #1 & co", nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"GET /v1.0/drives/d1/root:/Docs/a%20b%231%20100%25%3F.txt:",
		"GET /v1.0/drives/d1/root",
		"GET /v1.0/drives/d1/items/F1:/sub/%C3%BC.txt:",
		"GET /v1.0/drives/d1/search(q='O%27%27Brien%20%231%20&%20co')",
	}
	if diff := cmp.Diff(want, f.Paths()); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

func TestDefaultDriveForResources(t *testing.T) {
	f, c := newFake(t)
	f.handle("GET ", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "d1", "driveType": "business"})
	})
	ctx := context.Background()
	for _, res := range []graph.Resource{graph.Me, graph.User("megan@contoso.com"), graph.Group("g 1"), graph.Site("contoso.sharepoint.com,a,b"), ""} {
		d, err := New(c, res).DefaultDrive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != "d1" || d.Client() != c {
			t.Errorf("drive %+v", d)
		}
	}
	want := []string{"GET /v1.0/me/drive", "GET /v1.0/users/megan@contoso.com/drive", "GET /v1.0/groups/g%201/drive", "GET /v1.0/sites/contoso.sharepoint.com,a,b/drive", "GET /v1.0/me/drive"}
	if diff := cmp.Diff(want, f.Paths()); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

func TestUnboundAndEmpty(t *testing.T) {
	ctx := context.Background()
	var it Item
	if _, err := it.Get(ctx); !errors.Is(err, ErrUnbound) {
		t.Errorf("unbound Get: %v", err)
	}
	if it.ItemPath() != "" {
		t.Errorf("unbound ItemPath %q", it.ItemPath())
	}
	if _, err := New(nil, "").DefaultDrive(ctx); !errors.Is(err, ErrUnbound) {
		t.Errorf("nil client: %v", err)
	}
	_, c := newFake(t)
	d := New(c, "").DriveByID("d1")
	if _, err := d.Item(ctx, ""); !errors.Is(err, ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
	if got := d.ItemRef("i1").ItemPath(); got != "/drives/d1/items/i1" {
		t.Errorf("ItemPath %q", got)
	}
}

// bytesReaderOnly hides io.ReaderAt, so the stream path is used.
type readerOnly struct{ io.Reader }

func TestUploadSessionWithFaults(t *testing.T) {
	data := randBytes(1, 3*ChunkMultiple+12345)
	for _, tc := range []struct {
		name   string
		src    func() io.Reader
		fail   func(n int) (int, bool)
		wantOK bool
	}{
		{"readerAt clean", func() io.Reader { return bytes.NewReader(data) }, nil, true},
		{"readerAt 503 then drop", func() io.Reader { return bytes.NewReader(data) }, func(n int) (int, bool) {
			switch n {
			case 2:
				return 503, false
			case 3:
				return 429, false
			case 5:
				return 0, true
			}
			return 0, false
		}, true},
		{"stream 429 and drop", func() io.Reader { return readerOnly{bytes.NewReader(data)} }, func(n int) (int, bool) {
			switch n {
			case 1:
				return 429, false
			case 3:
				return 0, true
			}
			return 0, false
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c := newFake(t)
			f.putFail = tc.fail
			root := New(c, "").DriveByID("d1").ItemRef("root")
			var progress []int64
			it, err := root.Upload(context.Background(), "big.bin", tc.src(), int64(len(data)), &UploadOptions{
				ChunkSize: ChunkMultiple, SimpleUploadLimit: 1024,
				Progress: func(sent, total int64) { progress = append(progress, sent) },
			})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(f.session, data) {
				t.Fatal("uploaded bytes differ")
			}
			if it.ID != "up1" || it.ItemPath() != "/drives/d1/items/up1" {
				t.Errorf("item %+v", it)
			}
			if f.authOnPut != 0 {
				t.Errorf("%d upload-URL requests carried a token", f.authOnPut)
			}
			if progress[len(progress)-1] != int64(len(data)) {
				t.Errorf("progress %v", progress)
			}
			item := f.sessionBody["item"].(map[string]any)
			if item["@microsoft.graph.conflictBehavior"] != "replace" {
				t.Errorf("session body %v", f.sessionBody)
			}
		})
	}
}

func TestUploadHashMismatch(t *testing.T) {
	f, c := newFake(t)
	f.wrongHash = true
	data := randBytes(2, ChunkMultiple+1)
	root := New(c, "").DriveByID("d1").ItemRef("root")
	it, err := root.Upload(context.Background(), "big.bin", bytes.NewReader(data), int64(len(data)), &UploadOptions{ChunkSize: ChunkMultiple, SimpleUploadLimit: -1})
	var hm *HashMismatchError
	if !errors.Is(err, ErrHashMismatch) || !errors.As(err, &hm) || hm.Op != "upload" || it == nil {
		t.Fatalf("err %v, item %v", err, it)
	}
	// NoHashCheck accepts it.
	f.wrongHash = true
	if _, err := root.Upload(context.Background(), "big.bin", bytes.NewReader(data), int64(len(data)), &UploadOptions{ChunkSize: ChunkMultiple, SimpleUploadLimit: -1, NoHashCheck: true}); err != nil {
		t.Fatal(err)
	}
}

func TestUploadOptionsValidation(t *testing.T) {
	_, c := newFake(t)
	root := New(c, "").DriveByID("d1").ItemRef("root")
	ctx := context.Background()
	for _, cs := range []int64{-1, 1000, 61 << 20, 60 << 20, 192 * ChunkMultiple} {
		_, err := root.Upload(ctx, "a", bytes.NewReader(nil), 10, &UploadOptions{ChunkSize: cs})
		if !errors.Is(err, ErrBadChunkSize) {
			t.Errorf("chunk %d: %v", cs, err)
		}
	}
	if _, err := root.Upload(ctx, "a", bytes.NewReader(nil), 0, &UploadOptions{SimpleUploadLimit: 300 << 20}); err == nil {
		t.Error("a simple upload limit over 250 MB accepted")
	}
	if _, err := root.Upload(ctx, "", bytes.NewReader(nil), 0, nil); !errors.Is(err, ErrEmptyID) {
		t.Errorf("empty name: %v", err)
	}
	file := &Item{ID: "f", File: &File{}, c: c, driveID: "d1"}
	if _, err := file.Upload(ctx, "x", bytes.NewReader(nil), 0, nil); !errors.Is(err, ErrNotFolder) {
		t.Errorf("upload into a file: %v", err)
	}
}

func TestSimpleUploadWire(t *testing.T) {
	f, c := newFake(t)
	var got []byte
	var patched map[string]any
	f.handle("PUT /v1.0/drives/d1/items/root:/", func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		it := fileItem("s1", "a b.txt", got)
		writeJSON(w, 201, it)
	})
	f.handle("PATCH /v1.0/drives/d1/items/s1", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&patched)
		writeJSON(w, 200, fileItem("s1", "a b.txt", got))
	})
	root := New(c, "").DriveByID("d1").ItemRef("root")
	data := []byte("hello, drive")
	mod := mustTime(t, "2026-01-02T03:04:05Z")
	it, err := root.Upload(context.Background(), "a b.txt", readerOnly{bytes.NewReader(data)}, int64(len(data)), &UploadOptions{Conflict: ConflictRename, Modified: mod})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) || it.ID != "s1" {
		t.Fatalf("got %q, item %+v", got, it)
	}
	paths := f.Paths()
	if paths[0] != "PUT /v1.0/drives/d1/items/root:/a%20b.txt:/content?@microsoft.graph.conflictBehavior=rename" {
		t.Errorf("PUT path %q", paths[0])
	}
	fs, _ := patched["fileSystemInfo"].(map[string]any)
	if fs["lastModifiedDateTime"] != "2026-01-02T03:04:05Z" {
		t.Errorf("patch %v", patched)
	}
	// A short reader is an error, not a truncated file.
	if _, err := root.Upload(context.Background(), "x", readerOnly{bytes.NewReader(data)}, 100, nil); err == nil {
		t.Error("short reader accepted")
	}
}

// An upload cut short keeps its session in the session file; the next call resumes where
// the service stands, sending no byte twice (python-o365 had no resume at all).
func TestUploadSessionFileResume(t *testing.T) {
	f, c := newFake(t)
	data := randBytes(3, 4*ChunkMultiple)
	dir := t.TempDir()
	sf := filepath.Join(dir, "big.bin"+SessionFileSuffix)
	f.putFail = func(n int) (int, bool) {
		if n >= 3 {
			return 400, false // not resumable: the upload stops
		}
		return 0, false
	}
	root := New(c, "").DriveByID("d1").ItemRef("root")
	o := &UploadOptions{ChunkSize: ChunkMultiple, SessionFile: sf, SimpleUploadLimit: -1}
	_, err := root.Upload(context.Background(), "big.bin", bytes.NewReader(data), int64(len(data)), o)
	if err == nil {
		t.Fatal("upload did not fail")
	}
	p, err := LoadPendingUpload(sf)
	if err != nil {
		t.Fatal(err)
	}
	if p.Size != int64(len(data)) || !strings.HasSuffix(p.Target, "/items/root:/big.bin:") {
		t.Errorf("pending %+v", p)
	}
	if fi, _ := os.Stat(sf); fi.Mode().Perm() != 0o600 {
		t.Errorf("session file mode %v", fi.Mode())
	}
	have := f.sessionHave
	if have != 2*ChunkMultiple {
		t.Fatalf("service has %d bytes", have)
	}
	f.putFail = nil
	f.putCount = 0
	it, err := root.Upload(context.Background(), "big.bin", bytes.NewReader(data), int64(len(data)), o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.session, data) || it.ID != "up1" {
		t.Fatal("resumed upload differs")
	}
	if f.putCount != 2 {
		t.Errorf("resume sent %d chunks, want 2", f.putCount)
	}
	if _, err := os.Stat(sf); !os.IsNotExist(err) {
		t.Errorf("session file left behind: %v", err)
	}
}

func TestDownload(t *testing.T) {
	f, c := newFake(t)
	data := randBytes(4, 1<<20+17)
	f.content["f1"] = data
	meta := fileItem("f1", "a.bin", data)
	f.handle("GET /v1.0/drives/d1/items/f1/content", f.serveContent("f1"))
	f.handle("GET /v1.0/drives/d1/items/f1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, meta) })
	f.handle("GET /v1.0/drives/d1/items/bad/content", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("not the content")) })
	f.handle("GET /v1.0/drives/d1/items/bad", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, fileItem("bad", "bad.bin", data)) })
	d := New(c, "").DriveByID("d1")
	ctx := context.Background()
	it, err := d.Item(ctx, "f1")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if n, err := it.Download(ctx, &buf, nil); err != nil || n != int64(len(data)) || !bytes.Equal(buf.Bytes(), data) {
		t.Fatalf("download: %d %v", n, err)
	}
	buf.Reset()
	if _, err := it.Download(ctx, &buf, &DownloadOptions{Offset: 1000, Length: 5000}); err != nil || !bytes.Equal(buf.Bytes(), data[1000:6000]) {
		t.Fatalf("range: %v (%d bytes)", err, buf.Len())
	}
	// Hash mismatch: an error, never a silent false (python-o365's download swallowed errors).
	if _, err := d.ItemRef("bad").Download(ctx, io.Discard, nil); !errors.Is(err, ErrHashMismatch) {
		t.Errorf("bad content: %v", err)
	}
	if _, err := d.ItemRef("missing").Download(ctx, io.Discard, nil); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	// To a file, in parallel ranges.
	dir := t.TempDir()
	out := filepath.Join(dir, "a.bin")
	if _, err := it.DownloadFile(ctx, out, &DownloadOptions{Workers: 3, ChunkSize: 256 << 10}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
		t.Fatal("parallel file differs")
	}
	// Resume from a partial file: only the rest is fetched.
	os.Remove(out)
	if err := os.WriteFile(out+PartialSuffix, data[:300000], 0o644); err != nil {
		t.Fatal(err)
	}
	before := len(f.Paths())
	if _, err := it.DownloadFile(ctx, out, &DownloadOptions{Resume: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
		t.Fatal("resumed file differs")
	}
	if _, err := os.Stat(out + PartialSuffix); !os.IsNotExist(err) {
		t.Error("partial file left behind")
	}
	if n := len(f.Paths()) - before; n != 1 {
		t.Errorf("resume made %d requests", n)
	}
	// A corrupt partial file is caught by the hash and removed.
	os.WriteFile(out+PartialSuffix, make([]byte, 1000), 0o644)
	if _, err := it.DownloadFile(ctx, out, &DownloadOptions{Resume: true}); !errors.Is(err, ErrHashMismatch) {
		t.Errorf("corrupt partial: %v", err)
	}
	if _, err := os.Stat(out + PartialSuffix); !os.IsNotExist(err) {
		t.Error("corrupt partial file kept")
	}
}

func TestCopyOperation(t *testing.T) {
	f, c := newFake(t)
	polls := 0
	var monitorAuth []string
	f.handle("POST /v1.0/drives/d1/items/f1/copy", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["name"] != "copy.txt" || body["parentReference"].(map[string]any)["driveId"] != "d2" {
			writeErr(w, 400, "invalidRequest", "body")
			return
		}
		w.Header().Set("Location", f.srv.URL+"/monitor/m1")
		w.WriteHeader(http.StatusAccepted)
	})
	f.handle("GET /monitor/m1", func(w http.ResponseWriter, r *http.Request) {
		monitorAuth = append(monitorAuth, r.Header.Get("Authorization"))
		polls++
		if polls < 3 {
			writeJSON(w, 202, map[string]any{"status": "inProgress", "percentageComplete": 50})
			return
		}
		writeJSON(w, 200, map[string]any{"status": "completed", "percentageComplete": 100, "resourceId": "n1"})
	})
	f.handle("GET /monitor/m2", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"status": "failed", "statusDescription": "name taken"})
	})
	f.handle("GET /v1.0/drives/d2/items/n1", func(w http.ResponseWriter, r *http.Request) {
		it := fileItem("n1", "copy.txt", nil)
		it["parentReference"] = map[string]any{"driveId": "d2", "id": "F2"}
		writeJSON(w, 200, it)
	})
	ctx := context.Background()
	src := New(c, "").DriveByID("d1").ItemRef("f1")
	dest := New(c, "").DriveByID("d2").ItemRef("F2")
	op, err := src.Copy(ctx, dest, "copy.txt", "")
	if err != nil {
		t.Fatal(err)
	}
	st, err := op.Status(ctx)
	if err != nil || st.Status != "inProgress" || st.Done() {
		t.Fatalf("status %+v %v", st, err)
	}
	op.PollInterval = 1
	it, err := op.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if it.ID != "n1" || it.DriveID() != "d2" {
		t.Errorf("new item %+v", it)
	}
	for _, a := range monitorAuth {
		if a != "" {
			t.Error("the monitor was sent a token")
		}
	}
	// A saved operation, rebuilt, that fails.
	op2 := New(c, "").DriveByID("d2").CopyOperation(CopyOperation{MonitorURL: f.srv.URL + "/monitor/m2"})
	if _, err := op2.Wait(ctx); !errors.Is(err, ErrCopyFailed) || !strings.Contains(err.Error(), "name taken") {
		t.Errorf("failed copy: %v", err)
	}
}

// Versions and permissions follow every page (python-o365 returned only the first).
func TestEveryPage(t *testing.T) {
	f, c := newFake(t)
	page := func(next string, ids ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var v []map[string]any
			for _, id := range ids {
				v = append(v, map[string]any{"id": id, "roles": []string{"read"}})
			}
			body := map[string]any{"value": v}
			if next != "" {
				body["@odata.nextLink"] = f.srv.URL + next
			}
			writeJSON(w, 200, body)
		}
	}
	f.handle("GET /v1.0/drives/d1/items/f1/versions", page("/v1.0/drives/d1/items/f1/versions2", "1.0", "2.0"))
	f.handle("GET /v1.0/drives/d1/items/f1/versions2", page("", "3.0"))
	f.handle("GET /v1.0/drives/d1/items/f1/permissions", page("/v1.0/drives/d1/items/f1/permissions2", "p1"))
	f.handle("GET /v1.0/drives/d1/items/f1/permissions2", page("", "p2"))
	it := New(c, "").DriveByID("d1").ItemRef("f1")
	ctx := context.Background()
	var vs, ps []string
	for v, err := range it.Versions(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v.ID)
	}
	for p, err := range it.Permissions(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p.ID)
	}
	if diff := cmp.Diff([]string{"1.0", "2.0", "3.0"}, vs); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"p1", "p2"}, ps); diff != "" {
		t.Error(diff)
	}
}

// ChildFolders filters folders itself (python-o365's get_child_folders crashed on a
// half-migrated query branch).
func TestChildFolders(t *testing.T) {
	f, c := newFake(t)
	f.handle("GET /v1.0/drives/d1/items/root/children", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"value": []any{
			map[string]any{"id": "a", "name": "A", "folder": map[string]any{"childCount": 1}},
			map[string]any{"id": "b", "name": "b.txt", "file": map[string]any{}},
			map[string]any{"id": "c", "name": "C", "folder": map[string]any{"childCount": 0}},
		}})
	})
	root := New(c, "").DriveByID("d1").ItemRef("root")
	var got []string
	for it, err := range root.ChildFolders(context.Background(), &graph.ListOptions{Limit: 5}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it.Name)
	}
	if diff := cmp.Diff([]string{"A", "C"}, got); diff != "" {
		t.Error(diff)
	}
}

func TestSaveSendsOnlyChanges(t *testing.T) {
	f, c := newFake(t)
	var bodies []map[string]any
	f.handle("GET /v1.0/drives/d1/items/i1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "i1", "name": "a.txt", "description": "old", "file": map[string]any{}, "parentReference": map[string]any{"driveId": "d1", "id": "root"}})
	})
	f.handle("PATCH /v1.0/drives/d1/items/i1", func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		bodies = append(bodies, b)
		writeJSON(w, 200, map[string]any{"id": "i1", "name": "b.txt", "description": "", "file": map[string]any{}})
	})
	ctx := context.Background()
	it, err := New(c, "").DriveByID("d1").Item(ctx, "i1")
	if err != nil {
		t.Fatal(err)
	}
	if err := it.Save(ctx); err != nil {
		t.Fatal(err)
	}
	it.Name, it.Description = "b.txt", ""
	if err := it.Save(ctx); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"name": "b.txt", "description": ""}}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("PATCH bodies (-want +got):\n%s", diff)
	}
}

func TestSyncResyncsAfter410(t *testing.T) {
	f, c := newFake(t)
	f.handle("GET /v1.0/drives/d1/root/delta", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") == "old" {
			writeErr(w, http.StatusGone, "resyncRequired", "resync")
			return
		}
		if r.URL.Query().Get("token") == "latest" {
			writeJSON(w, 200, map[string]any{"value": []any{}, "@odata.deltaLink": f.srv.URL + "/v1.0/drives/d1/root/delta?token=now"})
			return
		}
		writeJSON(w, 200, map[string]any{"value": []any{map[string]any{"id": "a", "name": "A", "file": map[string]any{}}}, "@odata.deltaLink": f.srv.URL + "/v1.0/drives/d1/root/delta?token=t2"})
	})
	d := New(c, "").DriveByID("d1")
	ctx := context.Background()
	var seen []string
	next, resynced, err := d.Sync(ctx, f.srv.URL+"/v1.0/drives/d1/root/delta?token=old", func(ch graph.Change[Item]) error {
		seen = append(seen, ch.ID)
		if ch.Item.DriveID() != "d1" {
			t.Errorf("unbound delta item")
		}
		return nil
	})
	if err != nil || !resynced || !strings.HasSuffix(next, "token=t2") || len(seen) != 1 {
		t.Fatalf("next %q resynced %v err %v seen %v", next, resynced, err, seen)
	}
	link, err := d.LatestDeltaLink(ctx)
	if err != nil || !strings.HasSuffix(link, "token=now") {
		t.Fatalf("latest %q %v", link, err)
	}
}

func TestModelsRoundTrip(t *testing.T) {
	in := `{"id":"01","name":"photo.jpg","eTag":"e","cTag":"c","size":42,"webUrl":"https://x","createdDateTime":"2026-01-02T03:04:05Z","lastModifiedDateTime":"2026-01-02T03:04:06Z","parentReference":{"driveId":"d1","driveType":"business","id":"root","path":"/drive/root:"},"file":{"mimeType":"image/jpeg","hashes":{"quickXorHash":"AAA="}},"image":{"width":640,"height":480},"photo":{"takenDateTime":"2025-06-01T10:00:00Z","cameraMake":"Canon","cameraModel":"EOS","exposureDenominator":250,"exposureNumerator":1,"fNumber":2.8,"focalLength":50,"iso":100},"fileSystemInfo":{"createdDateTime":"2025-06-01T10:00:00Z","lastModifiedDateTime":"2025-06-01T10:00:00Z"},"shared":{"scope":"users"},"@microsoft.graph.downloadUrl":"https://dl"}`
	var it Item
	if err := json.Unmarshal([]byte(in), &it); err != nil {
		t.Fatal(err)
	}
	if !it.IsImage() || !it.IsPhoto() || !it.IsFile() || it.IsFolder() || it.Image.Width != 640 || it.Photo.ISO != 100 || it.MimeType() != "image/jpeg" {
		t.Errorf("facets %+v", it)
	}
	out, err := json.Marshal(&it)
	if err != nil {
		t.Fatal(err)
	}
	var a, b map[string]any
	_ = json.Unmarshal([]byte(in), &a)
	_ = json.Unmarshal(out, &b)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
}

func TestSharingWire(t *testing.T) {
	f, c := newFake(t)
	var bodies []map[string]any
	f.handle("POST /v1.0/drives/d1/items/i1/createLink", func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		bodies = append(bodies, b)
		writeJSON(w, 201, map[string]any{"id": "p1", "roles": []string{"write"}, "link": map[string]any{"type": b["type"], "scope": b["scope"], "webUrl": "https://x"}})
	})
	f.handle("POST /v1.0/drives/d1/items/i1/invite", func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		_ = json.NewDecoder(r.Body).Decode(&b)
		bodies = append(bodies, b)
		writeJSON(w, 200, map[string]any{"value": []any{map[string]any{"id": "p2", "roles": []string{"read"}}}})
	})
	it := New(c, "").DriveByID("d1").ItemRef("i1")
	ctx := context.Background()
	exp := mustTime(t, "2026-12-31T00:00:00Z")
	p, err := it.CreateLink(ctx, LinkOptions{Type: LinkEdit, Scope: ScopeAnonymous, Password: "s3cret", Expiration: exp})
	if err != nil || p.Link.Type != LinkEdit || p.Kind() != "link" {
		t.Fatalf("link %+v %v", p, err)
	}
	if _, err := it.CreateLink(ctx, LinkOptions{}); err != nil {
		t.Fatal(err)
	}
	ps, err := it.Invite(ctx, Invitation{Recipients: []string{"a@b.c", "d@e.f"}, Message: "hi", SendInvitation: true, Expiration: exp})
	if err != nil || len(ps) != 1 || ps[0].item != it {
		t.Fatalf("invite %v %v", ps, err)
	}
	want := []map[string]any{
		{"type": "edit", "scope": "anonymous", "password": "s3cret", "expirationDateTime": "2026-12-31T00:00:00Z"},
		{"type": "view"},
		{"recipients": []any{map[string]any{"email": "a@b.c"}, map[string]any{"email": "d@e.f"}}, "roles": []any{"read"},
			"requireSignIn": false, "sendInvitation": true, "message": "hi", "expirationDateTime": "2026-12-31T00:00:00Z"},
	}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
}
