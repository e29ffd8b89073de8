package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/go-cmp/cmp"
)

func storeKey(acct string) Key { return Key{Tenant: testTenant, ClientID: testClient, Account: acct} }

// testStore runs the TokenStore contract on a store.
func testStore(t *testing.T, s TokenStore) {
	ctx := context.Background()
	if _, err := s.Load(ctx, storeKey("a@x")); !errors.Is(err, ErrNoToken) {
		t.Fatalf("Load of missing key: %v", err)
	}
	if err := s.Delete(ctx, storeKey("missing@x")); err != nil {
		t.Fatalf("Delete of missing key: %v", err)
	}
	tokA := &Token{AccessToken: "a", RefreshToken: "ra", Username: "a@x", Scopes: []string{"User.Read"}}
	tokB := &Token{AccessToken: "b", RefreshToken: "rb", Username: "B@x"}
	app := &Token{AccessToken: "app"}
	for k, tok := range map[Key]*Token{storeKey("a@x"): tokA, storeKey("B@x"): tokB, storeKey(""): app} {
		if err := s.Save(ctx, k, tok); err != nil {
			t.Fatal(err)
		}
	}
	other := Key{Tenant: "other", ClientID: testClient, Account: "c@x"}
	if err := s.Save(ctx, other, tokA); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, storeKey("A@X")) // keys are case-insensitive
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(tokA, got); d != "" {
		t.Errorf("Load (-want +got):\n%s", d)
	}
	got.Scopes[0] = "changed" // a copy
	again, _ := s.Load(ctx, storeKey("a@x"))
	if again.Scopes[0] != "User.Read" {
		t.Error("Load returned the stored token, not a copy")
	}
	accts, err := s.Accounts(ctx, testTenant, testClient)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"B@x", "a@x"}, accts); d != "" {
		t.Errorf("Accounts (-want +got):\n%s", d)
	}
	tokA2 := &Token{AccessToken: "a2", RefreshToken: "ra2", Username: "a@x"}
	if err := s.Save(ctx, storeKey("a@x"), tokA2); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Load(ctx, storeKey("a@x")); got.AccessToken != "a2" {
		t.Errorf("Save did not replace: %v", got)
	}
	if err := s.Delete(ctx, storeKey("a@x")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, storeKey("a@x")); !errors.Is(err, ErrNoToken) {
		t.Errorf("after Delete: %v", err)
	}
	if got, _ := s.Load(ctx, storeKey("b@x")); got == nil || got.AccessToken != "b" {
		t.Errorf("Delete removed another account")
	}
}

func TestMemoryStore(t *testing.T) { testStore(t, NewMemoryStore()) }

func TestEnvStore(t *testing.T) {
	t.Setenv("O365_TEST_TOKEN", "")
	s := NewEnvStore("O365_TEST_TOKEN")
	testStore(t, s)
	if os.Getenv("O365_TEST_TOKEN") == "" {
		t.Error("Save did not update the environment")
	}
	t.Setenv("O365_TEST_TOKEN", "{not json")
	_, err := s.Load(context.Background(), storeKey("a@x"))
	if err == nil || errors.Is(err, ErrNoToken) {
		t.Errorf("bad JSON: %v", err)
	}
	if NewEnvStore("").Name() != DefaultTokenEnv {
		t.Error("default name")
	}
}

func TestFileStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "tokens.json")
	s, err := NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, s)
	if runtime.GOOS == "windows" {
		return
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700 | os.ModeDir, path + ".lock": 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s mode %v, want %v", filepath.Base(p), fi.Mode(), want)
		}
	}
	// A pre-existing, too open file becomes 0600 on the next write.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), storeKey("z@x"), &Token{AccessToken: "z"}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode() != 0o600 {
		t.Errorf("mode after rewrite %v", fi.Mode())
	}
}

func TestFileStoreDefaultPath(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AppData", t.TempDir())
	s, err := NewFileStore("")
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := os.UserConfigDir()
	if want := filepath.Join(dir, "o365", "tokens.json"); s.Path() != want {
		t.Errorf("path %q, want %q", s.Path(), want)
	}
}

func TestFileStoreAtomicReplace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "tokens.json")
	s, _ := NewFileStore(path)
	if err := s.Save(ctx, storeKey("a@x"), &Token{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	s.writeFile = func(f *os.File, b []byte) error {
		f.Write(b[:len(b)/2])
		return errors.New("disk full")
	}
	err := s.Save(ctx, storeKey("b@x"), &Token{AccessToken: "b"})
	if err == nil {
		t.Fatal("failing write reported success")
	}
	after, _ := os.ReadFile(path)
	if d := cmp.Diff(string(before), string(after)); d != "" {
		t.Errorf("file changed by a failed write:\n%s", d)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if d := cmp.Diff([]string{"tokens.json", "tokens.json.lock"}, names); d != "" {
		t.Errorf("leftover files (-want +got):\n%s", d)
	}
	s.writeFile = nil
	if got, err := s.Load(ctx, storeKey("a@x")); err != nil || got.AccessToken != "a" {
		t.Errorf("Load after failed write: %v %v", got, err)
	}
}

func TestFileStoreCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.json")
	os.WriteFile(path, []byte(`{"version":1,"entries":[{"token":{"access_token":"SECRET`), 0o600)
	s, _ := NewFileStore(path)
	_, err := s.Load(context.Background(), storeKey("a@x"))
	if err == nil || errors.Is(err, ErrNoToken) || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("err = %v", err)
	}
	os.WriteFile(path, []byte(`{"version":99}`), 0o600)
	if _, err := s.Load(context.Background(), storeKey("a@x")); err == nil {
		t.Error("newer version accepted")
	}
}

// Two FileStore instances (two processes) writing different accounts at once lose none.
func TestFileStoreTwoInstancesKeepAccounts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tokens.json")
	s1, _ := NewFileStore(path)
	s2, _ := NewFileStore(path)
	var wg sync.WaitGroup
	const n = 10
	var want []string
	for i := range n {
		for j, s := range []*FileStore{s1, s2} {
			acct := fmt.Sprintf("user%02d-%d@x", i, j)
			want = append(want, acct)
			wg.Go(func() {
				if err := s.Save(ctx, storeKey(acct), &Token{AccessToken: acct}); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	got, err := s1.Accounts(ctx, testTenant, testClient)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("accounts lost (-want +got):\n%s", d)
	}
}

func TestFileStoreLockContention(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tokens.json")
	s1, _ := NewFileStore(path)
	s2, _ := NewFileStore(path)
	unlock, err := s1.LockRefresh(ctx, storeKey("a@x"))
	if err != nil {
		t.Fatal(err)
	}
	// Held: another holder cannot take it...
	probe := flock.New(path + ".refresh.lock")
	if ok, err := probe.TryLock(); err != nil || ok {
		t.Fatalf("lock not exclusive (ok=%v err=%v)", ok, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s2.LockRefresh(cctx, storeKey("a@x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("second LockRefresh: %v", err)
	}
	// ...but data operations still work while a refresh is in progress.
	if err := s2.Save(ctx, storeKey("b@x"), &Token{AccessToken: "b"}); err != nil {
		t.Fatal(err)
	}
	got := make(chan error)
	go func() {
		u, err := s2.LockRefresh(ctx, storeKey("a@x"))
		if err == nil {
			err = u()
		}
		got <- err
	}()
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil { // idempotent
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatal(err)
	}
}

func TestMemoryStoreLockRefresh(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore()
	unlock, err := m.LockRefresh(ctx, storeKey("a@x"))
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.LockRefresh(cctx, storeKey("A@x")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	u2, err := m.LockRefresh(ctx, storeKey("b@x")) // another key is independent
	if err != nil {
		t.Fatal(err)
	}
	u2()
	done := make(chan error)
	go func() {
		u, err := m.LockRefresh(ctx, storeKey("a@x"))
		if err == nil {
			u()
		}
		done <- err
	}()
	unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestFileStoreProcesses runs two real processes against one file.
func TestFileStoreProcesses(t *testing.T) {
	if os.Getenv("O365_STORE_HELPER") != "" {
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "tokens.json")
	var cmds []*exec.Cmd
	for i := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFileStoreHelper$")
		cmd.Env = append(os.Environ(), "O365_STORE_HELPER="+path, fmt.Sprintf("O365_STORE_ID=%d", i))
		cmds = append(cmds, cmd)
	}
	var wg sync.WaitGroup
	for _, cmd := range cmds {
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("helper: %v\n%s", err, out)
			}
		})
	}
	wg.Wait()
	s, _ := NewFileStore(path)
	got, err := s.Accounts(context.Background(), testTenant, testClient)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2*25 {
		t.Errorf("%d accounts after two processes wrote 25 each: %v", len(got), got)
	}
}

func TestFileStoreHelper(t *testing.T) {
	path := os.Getenv("O365_STORE_HELPER")
	if path == "" {
		t.Skip("helper process only")
	}
	s, _ := NewFileStore(path)
	for i := range 25 {
		acct := fmt.Sprintf("p%s-%02d@x", os.Getenv("O365_STORE_ID"), i)
		if err := s.Save(context.Background(), storeKey(acct), &Token{AccessToken: acct}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRefreshAcrossProcesses: three processes share a token file holding an expired access
// token; exactly one refreshes (the refresh token rotates, so a second refresh with the spent
// one would fail) and all end with the same new token.
func TestRefreshAcrossProcesses(t *testing.T) {
	if os.Getenv("O365_REFRESH_HELPER") != "" {
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx := context.Background()
	f := newFakeIdP(t)
	path := filepath.Join(t.TempDir(), "tokens.json")
	fs, _ := NewFileStore(path)
	a, _ := newTestApp(t, f, newClock(), func(cfg *Config) { cfg.Store = fs })
	s := signIn(t, a)
	tok, _ := s.Stored(ctx)
	tok.Expiry = time.Now().Add(-time.Minute)
	if err := fs.Save(ctx, s.Key(), tok); err != nil {
		t.Fatal(err)
	}
	const n = 3
	outs := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRefreshHelper$")
		cmd.Env = append(os.Environ(), "O365_REFRESH_HELPER="+path, "O365_REFRESH_AUTHORITY="+f.srv.URL)
		wg.Go(func() {
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("helper: %v\n%s", err, out)
			}
			outs[i] = out
		})
	}
	wg.Wait()
	if got := f.refreshes.Load(); got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}
	stored, _ := fs.Load(ctx, s.Key())
	for i, out := range outs {
		if !strings.Contains(string(out), "token-hash="+shortHash(stored.AccessToken)) {
			t.Errorf("process %d did not end with the stored token:\n%s", i, out)
		}
	}
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

func TestRefreshHelper(t *testing.T) {
	path := os.Getenv("O365_REFRESH_HELPER")
	if path == "" {
		t.Skip("helper process only")
	}
	fs, _ := NewFileStore(path)
	a, err := NewApp(Config{ClientID: testClient, Tenant: testTenant, Authority: os.Getenv("O365_REFRESH_AUTHORITY"), Store: fs})
	if err != nil {
		t.Fatal(err)
	}
	at, err := a.Session(testUser).AccessToken(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("token-hash=%s\n", shortHash(at))
}
