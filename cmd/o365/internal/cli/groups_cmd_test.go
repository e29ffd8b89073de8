package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// loginDirectory signs in the "emu" profile with directory and group scopes.
func (h *harness) loginDirectory() {
	h.t.Helper()
	h.mustRun("--profile", "emu", "login", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(),
		"--client-id", h.srv.PublicClientID(), "--scopes", "basic,User.Read.All,GroupMember.ReadWrite.All,Group.Read.All")
}

func TestUsersCommands(t *testing.T) {
	h := newHarness(t)
	h.loginDirectory()
	u := func(args ...string) run {
		h.t.Helper()
		return h.mustRun(append([]string{"--profile", "emu", "users"}, args...)...)
	}

	names := decodeJSON[[]string](t, u("list", "--query", "[].displayName").stdout)
	if len(names) != 11 {
		t.Errorf("users list = %v", names)
	}
	got := decodeJSON[[]string](t, u("list", "--filter", "department eq 'Marketing'", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"Alex Wilber", "Megan Bowen"}, got); diff != "" {
		t.Errorf("--filter (-want +got):\n%s", diff)
	}
	got = decodeJSON[[]string](t, u("list", "--search", "displayName:meg", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"Megan Bowen"}, got); diff != "" {
		t.Errorf("--search (-want +got):\n%s", diff)
	}
	if me := u("show", "me", "--query", "userPrincipalName").stdout; me != "\""+adele+"\"\n" {
		t.Errorf("show me = %q", me)
	}
	if m := u("show", "me", "--manager", "--query", "displayName").stdout; m != "\"Miriam Graham\"\n" {
		t.Errorf("show --manager = %q", m)
	}
	text := u("show", megan, "-o", "text").stdout
	if !strings.Contains(text, "Megan Bowen") || !strings.Contains(text, "userPrincipalName") {
		t.Errorf("show -o text = %q", text)
	}
	got = decodeJSON[[]string](t, u("search", "adele", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"Adele Vance"}, got); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	if r := h.run("--profile", "emu", "users", "show", "nobody@contoso.onmicrosoft.com"); r.code != 1 || !strings.Contains(r.stderr, "404") {
		t.Errorf("show missing: %d %s", r.code, r.stderr)
	}
	if r := h.run("--profile", "emu", "users", "show"); r.code != 2 {
		t.Errorf("show without an argument: exit %d", r.code)
	}
}

func TestGroupsCommands(t *testing.T) {
	h := newHarness(t)
	h.loginDirectory()
	g := func(args ...string) run {
		h.t.Helper()
		return h.mustRun(append([]string{"--profile", "emu", "groups"}, args...)...)
	}

	names := decodeJSON[[]string](t, g("list", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"All Company", "Leadership", "Marketing", "Retail"}, names); diff != "" {
		t.Errorf("groups list (-want +got):\n%s", diff)
	}
	members := decodeJSON[[]string](t, g("members", "Retail", "--query", "[].displayName").stdout)
	slices.Sort(members)
	if diff := cmp.Diff([]string{"Adele Vance", "Isaiah Langer"}, members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	all := decodeJSON[[]string](t, g("members", "All Company", "--transitive", "--query", "[].displayName").stdout)
	if len(all) != 12 {
		t.Errorf("transitive members = %v", all)
	}
	owners := decodeJSON[[]string](t, g("members", "Retail", "--owners", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"Adele Vance"}, owners); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	g("add-member", "Retail", megan)
	members = decodeJSON[[]string](t, g("members", "Retail", "--query", "[].displayName").stdout)
	if !slices.Contains(members, "Megan Bowen") {
		t.Errorf("after add-member: %v", members)
	}
	r := h.run("--profile", "emu", "groups", "add-member", "Retail", megan)
	if r.code != 1 || !strings.Contains(r.stderr, "already exist") {
		t.Errorf("add twice: exit %d %s", r.code, r.stderr)
	}
	g("remove-member", "Retail", megan)
	if r := h.run("--profile", "emu", "groups", "members", "No Such Group"); r.code != 1 || !strings.Contains(r.stderr, "No Such Group") {
		t.Errorf("unknown group: exit %d %s", r.code, r.stderr)
	}
	if r := h.run("--profile", "emu", "groups", "members", "Retail", "--owners", "--transitive"); r.code != 2 {
		t.Errorf("--owners --transitive: exit %d", r.code)
	}
}
