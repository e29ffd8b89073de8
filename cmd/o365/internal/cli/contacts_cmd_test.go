package cli

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// contactsLogin signs the "emu" profile in with the contacts and settings scopes.
func contactsLogin(h *harness) {
	h.t.Helper()
	h.mustRun("--profile", "emu", "login", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", h.srv.PublicClientID(),
		"--scopes", "basic,users,mailbox_settings,address_book_all")
}

func TestContactsCommands(t *testing.T) {
	h := newHarness(t)
	contactsLogin(h)
	c := func(args ...string) run {
		h.t.Helper()
		return h.mustRun(append([]string{"--profile", "emu", "contacts"}, args...)...)
	}

	names := decodeJSON[[]string](t, c("list", "--query", "[].displayName").stdout)
	if !slices.Equal(names, []string{"Garth Fort", "Rob Young", "Yasmin Ouedraogo"}) {
		t.Fatalf("list: %v", names)
	}
	text := c("list", "-o", "text").stdout
	if first := strings.SplitN(text, "\n", 2)[0]; !strings.Contains(first, "email") || !strings.Contains(text, "garth.fort@fabrikam.com") {
		t.Fatalf("list -o text:\n%s", text)
	}
	sup := decodeJSON[[]string](t, c("list", "--folder", "suppliers", "--query", "[].email").stdout)
	if !slices.Equal(sup, []string{"aiko.tanaka@wingtiptoys.com", "ken.myer@northwindtraders.com"}) {
		t.Fatalf("list --folder: %v", sup)
	}

	added := decodeJSON[map[string]any](t, c("add", "--given", "Nora", "--surname", "Quinn", "--email", "Nora Quinn <nora@example.com>",
		"--company", "Example", "--phone", "+1 425 555 0100", "--category", "Red category", "--birthday", "1990-03-04", "--folder", "Suppliers").stdout)
	if added["displayName"] != "Nora Quinn" || added["email"] != "nora@example.com" || added["birthday"] != "1990-03-04T00:00:00Z" {
		t.Fatalf("add: %v", added)
	}
	shown := decodeJSON[map[string]any](t, c("show", "nora@example.com", "--folder", "Suppliers").stdout)
	if shown["id"] != added["id"] || shown["companyName"] != "Example" ||
		fmt.Sprint(shown["businessPhones"]) != "[+1 425 555 0100]" || fmt.Sprint(shown["categories"]) != "[Red category]" {
		t.Fatalf("show by email: %v", shown)
	}
	byID := decodeJSON[map[string]any](t, c("show", added["id"].(string)).stdout)
	if byID["displayName"] != "Nora Quinn" {
		t.Fatalf("show by id: %v", byID)
	}
	del := decodeJSON[[]map[string]any](t, c("delete", added["id"].(string)).stdout)
	if len(del) != 1 || del[0]["action"] != "deleted" || del[0]["name"] != "Nora Quinn" {
		t.Fatalf("delete: %v", del)
	}

	for _, bad := range [][]string{
		{"add"},
		{"add", "X", "--birthday", "March"},
		{"show"},
		{"delete"},
		{"add", "X", "--email", "a@b.c", "--email", "d@e.f", "--email", "g@h.i", "--email", "j@k.l"},
	} {
		if r := h.run(append([]string{"--profile", "emu", "contacts"}, bad...)...); r.code != 2 {
			t.Errorf("contacts %v: exit %d, want 2 (%s)", bad, r.code, r.stderr)
		}
	}
	for _, bad := range [][]string{
		{"show", added["id"].(string)},
		{"show", "nobody@example.com"},
		{"list", "--folder", "Nope"},
	} {
		if r := h.run(append([]string{"--profile", "emu", "contacts"}, bad...)...); r.code != 1 {
			t.Errorf("contacts %v: exit %d, want 1 (%s)", bad, r.code, r.stderr)
		}
	}
}

func TestContactsNeedScope(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,message_all") // no contacts scope
	r := h.run("--profile", "emu", "contacts", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "address_book_all") {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestCategoriesCommands(t *testing.T) {
	h := newHarness(t)
	h.login() // mailbox_settings is part of the default scopes
	c := func(args ...string) run {
		h.t.Helper()
		return h.mustRun(append([]string{"--profile", "emu", "categories"}, args...)...)
	}

	names := decodeJSON[[]string](t, c("list", "--query", "[].colorName").stdout)
	if !slices.Equal(names, []string{"Red", "Orange", "Yellow", "Green", "Blue", "Purple"}) {
		t.Fatalf("list: %v", names)
	}
	added := decodeJSON[map[string]any](t, c("add", "Project expenses", "--color", "dark cranberry").stdout)
	if added["color"] != "preset24" || added["colorName"] != "DarkCranberry" {
		t.Fatalf("add: %v", added)
	}
	if r := h.run("--profile", "emu", "categories", "add", "project expenses"); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("duplicate: %d %s", r.code, r.stderr)
	}
	if r := h.run("--profile", "emu", "categories", "add", "X", "--color", "mauve"); r.code != 2 {
		t.Fatalf("bad colour: %d %s", r.code, r.stderr)
	}
	text := c("list", "-o", "text").stdout
	if !strings.Contains(text, "Project expenses") || !strings.Contains(text, "DarkCranberry") {
		t.Fatalf("list -o text:\n%s", text)
	}
	del := decodeJSON[[]map[string]any](t, c("delete", "Project expenses", "Red category").stdout)
	if len(del) != 2 {
		t.Fatalf("delete: %v", del)
	}
	if r := h.run("--profile", "emu", "categories", "delete", "Project expenses"); r.code != 1 {
		t.Fatalf("delete missing: %d %s", r.code, r.stderr)
	}
	left := decodeJSON[[]string](t, c("list", "--query", "[].displayName").stdout)
	if len(left) != 5 || slices.Contains(left, "Red category") {
		t.Fatalf("after delete: %v", left)
	}
}
