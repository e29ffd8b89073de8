package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
)

func driveArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "drive"}, args...)
}

func TestDriveCommands(t *testing.T) {
	h := newHarness(t)
	h.login()
	dr := func(args ...string) run { h.t.Helper(); return h.mustRun(driveArgs(args...)...) }
	dir := t.TempDir()
	small := filepath.Join(dir, "small note.txt")
	big := filepath.Join(dir, "big.bin")
	bigData := deterministic(6<<20 + 5)
	if err := os.WriteFile(small, []byte("a small note"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, bigData, 0o644); err != nil {
		t.Fatal(err)
	}

	if got := decodeJSON[string](t, dr("mkdir", "CLI test/sub", "-p", "--query", "name").stdout); got != "sub" {
		t.Errorf("mkdir -p: %q", got)
	}
	dr("mkdir", "CLI test/sub", "-p") // exists: fine with -p
	if r := h.run(driveArgs("mkdir", "CLI test/sub")...); r.code != 1 {
		t.Errorf("mkdir of an existing folder: %d %s", r.code, r.stderr)
	}
	if got := decodeJSON[string](t, dr("put", small, "CLI test/", "--query", "name").stdout); got != "small note.txt" {
		t.Errorf("put small: %q", got)
	}
	if got := decodeJSON[float64](t, dr("put", big, "CLI test/big.bin", "--resume", "--chunk-size", "1.25", "--query", "size").stdout); int(got) != len(bigData) {
		t.Errorf("put big: size %v", got)
	}
	if _, err := os.Stat(big + drive.SessionFileSuffix); !os.IsNotExist(err) {
		t.Errorf("session file left: %v", err)
	}
	names := decodeJSON[[]string](t, dr("ls", "CLI test", "--query", "[].name").stdout)
	slices.Sort(names)
	if want := []string{"big.bin", "small note.txt", "sub"}; !slices.Equal(names, want) {
		t.Errorf("ls: %v", names)
	}
	driveID := decodeJSON[string](t, dr("ls", "CLI test", "--query", "[0].parentReference.driveId").stdout)
	if got := decodeJSON[[]string](t, dr("ls", "CLI test", "--drive", driveID, "--query", "[].name").stdout); len(got) != 3 {
		t.Errorf("ls --drive %s: %v", driveID, got)
	}
	if r := h.run(driveArgs("ls", "--drive", "b!nope")...); r.code != 1 {
		t.Errorf("ls --drive of a missing drive: %d", r.code)
	}
	if text := dr("ls", "CLI test", "-o", "text").stdout; !strings.HasPrefix(text, "name") {
		t.Errorf("ls -o text: %q", text)
	}

	out := filepath.Join(dir, "got.bin")
	dr("get", "CLI test/big.bin", out, "--parallel", "3")
	if b, _ := os.ReadFile(out); !bytes.Equal(b, bigData) {
		t.Error("get --parallel: content differs")
	}
	// --resume continues a partial file.
	os.Remove(out)
	if err := os.WriteFile(out+drive.PartialSuffix, bigData[:1<<20], 0o644); err != nil {
		t.Fatal(err)
	}
	dr("get", "CLI test/big.bin", out, "--resume")
	if b, _ := os.ReadFile(out); !bytes.Equal(b, bigData) {
		t.Error("get --resume: content differs")
	}
	tree := filepath.Join(dir, "tree")
	dr("get", "CLI test", tree)
	if b, err := os.ReadFile(filepath.Join(tree, "small note.txt")); err != nil || string(b) != "a small note" {
		t.Errorf("get folder: %q %v", b, err)
	}

	dr("mv", "CLI test/small note.txt", "CLI test/sub/")
	if got := decodeJSON[[]string](t, dr("ls", "CLI test/sub", "--query", "[].name").stdout); !slices.Equal(got, []string{"small note.txt"}) {
		t.Errorf("after mv: %v", got)
	}
	dr("mv", "CLI test/sub/small note.txt", "CLI test/sub/renamed.txt")
	if got := decodeJSON[string](t, dr("cp", "CLI test/big.bin", "CLI test/copy.bin", "--query", "name").stdout); got != "copy.bin" {
		t.Errorf("cp: %q", got)
	}
	link := decodeJSON[map[string]any](t, dr("share", "CLI test/big.bin", "--type", "edit", "--scope", "organization").stdout)
	if l, _ := link["link"].(map[string]any); l == nil || l["webUrl"] == "" || l["type"] != "edit" {
		t.Errorf("share: %v", link)
	}
	dr("share", "CLI test/big.bin", "--invite", "MeganB@contoso.onmicrosoft.com", "--role", "write")
	if n := decodeJSON[int](t, dr("share", "CLI test/big.bin", "--list", "--query", "length(@)").stdout); n < 2 {
		t.Errorf("share --list: %d permissions", n)
	}
	dr("put", small, "CLI test/big.bin") // a new version of big.bin
	vs := decodeJSON[[]string](t, dr("versions", "CLI test/big.bin", "--query", "[].id").stdout)
	if len(vs) < 2 {
		t.Fatalf("versions: %v", vs)
	}
	vfile := filepath.Join(dir, "v.bin")
	dr("versions", "CLI test/big.bin", "--download", vs[len(vs)-1], "--to", vfile)
	if b, _ := os.ReadFile(vfile); !bytes.Equal(b, bigData) {
		t.Error("versions --download: content differs")
	}
	dr("versions", "CLI test/big.bin", "--restore", vs[len(vs)-1])
	if got := decodeJSON[float64](t, dr("ls", "CLI test/big.bin", "--query", "[0].size").stdout); int(got) != len(bigData) {
		t.Errorf("after restore: size %v", got)
	}
	if got := decodeJSON[[]string](t, dr("search", "copy", "--query", "[].name").stdout); !slices.Contains(got, "copy.bin") {
		t.Errorf("search: %v", got)
	}
	dr("rm", "CLI test/copy.bin")
	if r := h.run(driveArgs("ls", "CLI test/copy.bin")...); r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("ls after rm: %d %s", r.code, r.stderr)
	}

	for _, bad := range [][]string{
		{"put", small, "--conflict", "maybe"},
		{"put", small, "--chunk-size", "1"},
		{"put", small, "--chunk-size", "61"},
		{"put", dir},
		{"rm", "/"},
		{"ls", "--user", "a", "--group", "b"},
		{"share", "x", "--type", "print"},
		{"share", "x", "--role", "owner"},
		{"get", "x", "--parallel", "99"},
		{"mv", "only-one"},
	} {
		if r := h.run(driveArgs(bad...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", bad, r.code, r.stderr)
		}
	}
	if r := h.run(driveArgs("get", "nope/missing.txt", filepath.Join(dir, "x"))...); r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("get missing: %d %s", r.code, r.stderr)
	}
	if r := h.run(driveArgs("put", small, "CLI test/sub/renamed.txt", "--conflict", "fail")...); r.code != 1 {
		t.Errorf("put --conflict fail on a taken name: %d", r.code)
	}
}

// put --resume after a failed chunk: the session survives in LOCAL.o365upload and the
// same command finishes the upload.
func TestDrivePutResume(t *testing.T) {
	h := newHarness(t)
	h.login()
	big := filepath.Join(t.TempDir(), "resume.bin")
	data := deterministic(5 << 20)
	if err := os.WriteFile(big, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rule, err := h.srv.Faults().Add(emulator.Fault{Method: "PUT", Path: "uploadSession", Status: 400, Nth: 3, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := h.run(driveArgs("put", big, "--resume", "--chunk-size", "0.3125")...)
	if r.code != 1 || rule.Fired() != 1 || !strings.Contains(r.stderr, "resume") {
		t.Fatalf("first put: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(big + drive.SessionFileSuffix); err != nil {
		t.Fatalf("no session file: %v", err)
	}
	before := len(h.srv.Requests())
	got := decodeJSON[float64](t, h.mustRun(driveArgs("put", big, "--resume", "--chunk-size", "0.3125", "--query", "size")...).stdout)
	if int(got) != len(data) {
		t.Errorf("size %v", got)
	}
	puts := 0
	for _, rq := range h.srv.Requests()[before:] {
		if rq.Method == "PUT" {
			puts++
		}
	}
	if puts != 16-2 {
		t.Errorf("resume sent %d chunks, want 14", puts)
	}
	if strings.Contains(r.stderr, "tempauth") {
		t.Error("the upload URL leaked into stderr")
	}
}

func TestDrivePutProgressBar(t *testing.T) {
	h := newHarness(t)
	h.login()
	p := filepath.Join(t.TempDir(), "video.bin")
	if err := os.WriteFile(p, deterministic(5<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut syncBuffer
	code := Main(context.Background(), driveArgs("put", p), Env{
		Stdout: &out, Stderr: &errOut, StderrTerminal: true,
		Getenv: func(k string) string { return h.env[k] },
	})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if s := errOut.String(); !strings.Contains(s, "video.bin") || !strings.Contains(s, "100%") {
		t.Errorf("no progress bar on a terminal stderr: %q", s)
	}
}
