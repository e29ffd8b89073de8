package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sitesArgs prefixes a sites subcommand with the signed-in test profile.
func sitesArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "sites"}, args...)
}

func TestSitesCommands(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,sharepoint_all")
	sites := func(args ...string) run { h.t.Helper(); return h.mustRun(sitesArgs(args...)...) }

	names := decodeJSON[[]string](t, sites("search", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"Contoso", "Marketing", "Campaigns", "Retail"}, names); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	if got := decodeJSON[[]string](t, sites("search", "retail", "--query", "[].webUrl").stdout); len(got) != 1 || got[0] != "https://contoso.sharepoint.com/sites/retail" {
		t.Errorf("search retail = %v", got)
	}
	if n := decodeJSON[int](t, sites("search", "--limit", "2", "--query", "length(@)").stdout); n != 2 {
		t.Errorf("--limit 2: %d", n)
	}
	text := sites("search", "-o", "text").stdout
	if first := strings.SplitN(text, "\n", 2)[0]; !strings.HasPrefix(first, "name") || !strings.Contains(first, "url") {
		t.Errorf("search -o text header: %q", first)
	}
	for _, spec := range []string{"https://contoso.sharepoint.com/sites/marketing", "contoso.sharepoint.com:/sites/marketing", "contoso.sharepoint.com/sites/marketing"} {
		got := decodeJSON[[]string](t, sites("lists", spec, "--query", "[].displayName").stdout)
		if diff := cmp.Diff([]string{"Documents", "Suppliers", "Inventory"}, got); diff != "" {
			t.Errorf("lists %s (-want +got):\n%s", spec, diff)
		}
	}
	if got := decodeJSON[[]string](t, sites("lists", "root", "--query", "[].list.template").stdout); len(got) != 1 || got[0] != "documentLibrary" {
		t.Errorf("lists root = %v", got)
	}
	mkt := "contoso.sharepoint.com:/sites/marketing"
	// Every page: the list holds more items than one page.
	if n := decodeJSON[int](t, sites("items", mkt, "Inventory", "--query", "length(@)").stdout); n != 120 {
		t.Errorf("items: %d", n)
	}
	fields := decodeJSON[[]map[string]any](t, sites("items", mkt, "Inventory", "--fields", "Title,Quantity", "--limit", "3", "--query", "[].fields").stdout)
	if len(fields) != 3 || len(fields[0]) != 2 {
		t.Errorf("--fields: %v", fields)
	}
	if r := h.run(sitesArgs("items", mkt, "Inventory", "--filter", "fields/Color eq 'Red'")...); r.code != 1 || !strings.Contains(r.stderr, "--allow-non-indexed") {
		t.Errorf("non-indexed filter without the flag: %d %s", r.code, r.stderr)
	}
	colors := decodeJSON[[]string](t, sites("items", mkt, "Inventory", "--filter", "fields/Color eq 'Red'", "--allow-non-indexed", "--query", "[].fields.Color").stdout)
	if len(colors) == 0 {
		t.Error("no red items")
	}
	for _, c := range colors {
		if c != "Red" {
			t.Errorf("color %s", c)
		}
	}
	top := decodeJSON[[]float64](t, sites("items", mkt, "Inventory", "--orderby", "fields/Quantity desc", "--limit", "2", "--query", "[].fields.Quantity").stdout)
	if len(top) != 2 || top[0] < top[1] {
		t.Errorf("--orderby: %v", top)
	}
	added := decodeJSON[map[string]any](t, sites("add-item", mkt, "Inventory", "--field", "Title=Blue mug", "--field", "Color=Blue",
		"--field", "Quantity=12", "--field", "InStock=true", "--field", "SupplierLookupId=2").stdout)
	f, _ := added["fields"].(map[string]any)
	if added["id"] != "121" || f["Quantity"] != 12.0 || f["InStock"] != true || f["Title"] != "Blue mug" || f["SupplierLookupId"] != "2" {
		t.Errorf("add-item = %v", added)
	}
	viaJSON := decodeJSON[map[string]any](t, sites("add-item", mkt, "Inventory", "--json", `{"Title":"Green cap","Color":"Green"}`).stdout)
	if viaJSON["id"] != "122" {
		t.Errorf("add-item --json = %v", viaJSON)
	}
	for _, bad := range [][]string{
		{"add-item", mkt, "Inventory"},
		{"add-item", mkt, "Inventory", "--field", "novalue"},
		{"add-item", mkt, "Inventory", "--json", "[1]"},
		{"items", mkt},
		{"items", mkt, "Inventory", "--limit", "-1"},
		{"search", "a", "b"},
		{"lists", ""},
	} {
		if r := h.run(sitesArgs(bad...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", bad, r.code, r.stderr)
		}
	}
	for _, bad := range [][]string{
		{"lists", "contoso.sharepoint.com:/sites/nope"},
		{"items", mkt, "No such list"},
		{"add-item", mkt, "Inventory", "--field", "Color=Purple"},
	} {
		if r := h.run(sitesArgs(bad...)...); r.code != 1 {
			t.Errorf("%v: exit %d, want 1: %s", bad, r.code, r.stderr)
		}
	}
}

// Without the SharePoint scope the error says how to sign in.
func TestSitesNeedScope(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,message_all")
	r := h.run(sitesArgs("search")...)
	if r.code != 1 || !strings.Contains(r.stderr, "sharepoint_all") {
		t.Errorf("search without the scope: %d %s", r.code, r.stderr)
	}
}

func TestSiteSpec(t *testing.T) {
	tests := []struct{ in, id, host, path string }{
		{"root", "root", "", ""},
		{"contoso.sharepoint.com,a,b", "contoso.sharepoint.com,a,b", "", ""},
		{"contoso.sharepoint.com", "contoso.sharepoint.com", "", ""},
		{"https://contoso.sharepoint.com/sites/x", "", "contoso.sharepoint.com", "/sites/x"},
		{"contoso.sharepoint.com:/sites/x", "", "contoso.sharepoint.com", "sites/x"},
		{"contoso.sharepoint.com/sites/x", "", "contoso.sharepoint.com", "sites/x"},
	}
	for _, tt := range tests {
		id, host, path := parseSiteSpec(tt.in)
		if id != tt.id || host != tt.host || path != tt.path {
			t.Errorf("parseSiteSpec(%q) = %q %q %q", tt.in, id, host, path)
		}
	}
	for in, want := range map[string]any{"12": 12.0, "true": true, "false": false, "null": nil, "Blue": "Blue", `"7"`: `"7"`, "[1]": "[1]"} {
		if got := parseFieldValue(in); got != want {
			t.Errorf("parseFieldValue(%q) = %#v", in, got)
		}
	}
}
