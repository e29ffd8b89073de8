package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o365", "config.json")
	f, err := Load(path)
	if err != nil {
		t.Fatalf("Load of a missing file: %v", err)
	}
	if len(f.Profiles) != 0 || f.Name("") != DefaultProfile {
		t.Fatalf("missing file: got %+v", f)
	}
	f.Set("emu", &Profile{Tenant: "t", ClientID: "c", BaseURL: "http://127.0.0.1:1", LoginURL: "http://127.0.0.1:1", AuthType: AuthDevice, Scopes: []string{"User.Read"}})
	f.Default = "emu"
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, g); diff != "" {
		t.Errorf("round trip (-saved +loaded):\n%s", diff)
	}
	if g.Name("") != "emu" || g.Name("x") != "x" {
		t.Errorf("Name: got %q, %q", g.Name(""), g.Name("x"))
	}
	if diff := cmp.Diff([]string{"emu"}, g.Names()); diff != "" {
		t.Error(diff)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestLoadBad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil {
		t.Error("want an error for a broken file")
	}
}

func TestDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(filepath.Dir(p)) != dir {
		t.Errorf("DefaultPath = %q, want it under %q", p, dir)
	}
}

func TestValidName(t *testing.T) {
	for _, ok := range []string{"default", "emu", "work.tenant-2", "A_b"} {
		if err := ValidName(ok); err != nil {
			t.Errorf("ValidName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "../x", "a b", "-x", "a/b"} {
		if err := ValidName(bad); err == nil {
			t.Errorf("ValidName(%q): want error", bad)
		}
	}
}
