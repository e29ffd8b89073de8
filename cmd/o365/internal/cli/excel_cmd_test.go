package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// excelArgs prefixes an excel subcommand with the signed-in test profile.
func excelArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "excel"}, args...)
}

const budget = "Documents/Budget.xlsx"

func TestExcelCommands(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,onedrive_all")
	x := func(args ...string) run { h.t.Helper(); return h.mustRun(excelArgs(args...)...) }

	if got := decodeJSON[[]string](t, x("sheets", budget, "--query", "[].name").stdout); !cmp.Equal(got, []string{"Budget", "Notes"}) {
		t.Errorf("sheets: %v", got)
	}
	if first := strings.SplitN(x("sheets", budget, "-o", "text").stdout, "\n", 2)[0]; !strings.HasPrefix(first, "name") {
		t.Errorf("sheets -o text header: %q", first)
	}

	// A range as CSV, as text with column letters and row numbers, as JSON with types.
	csv := x("get", budget, "--range", "A1:C3", "-o", "csv").stdout
	if csv != "Category,Month,Amount\nRent,January,1200\nGroceries,January,345.5\n" {
		t.Errorf("get -o csv:\n%s", csv)
	}
	text := x("get", budget, "--range", "Budget!B7:C8", "-o", "text").stdout
	if !strings.Contains(text, "B") || !strings.Contains(text, "8") || !strings.Contains(text, "3545.75") {
		t.Errorf("get -o text:\n%s", text)
	}
	md := x("get", budget, "--sheet", "Notes", "--range", "A2:B2", "-o", "md").stdout
	if !strings.HasPrefix(md, "| A | B |") || !strings.Contains(md, "| Grand total | 3545.75 |") {
		t.Errorf("get -o md:\n%s", md)
	}
	r := decodeJSON[map[string]any](t, x("get", budget, "--range", "C8").stdout)
	if r["address"] != "Budget!C8" || r["values"].([]any)[0].([]any)[0] != 3545.75 {
		t.Errorf("get JSON: %v", r)
	}
	used := decodeJSON[string](t, x("get", budget, "--sheet", "Notes", "--query", "address").stdout)
	if used != "Notes!A1:B2" {
		t.Errorf("used range: %q", used)
	}

	// set: arguments, a single cell growing to the values' size; the total recalculates.
	x("set", budget, "--range", "C2", "1000")
	if got := x("get", budget, "--range", "Notes!B2", "-o", "csv").stdout; got != "3345.75\n" {
		t.Errorf("total after set: %q", got)
	}
	x("set", budget, "--range", "E1:F1", "--json", `[["x", 2.50]]`)
	if r := h.runCtx(context.Background(), "1,TRUE\n\"=E1&\"\"!\"\"\",#N/A\n", excelArgs("set", budget, "--range", "E2", "--csv", "-")...); r.code != 0 {
		t.Fatalf("set --csv -: %d %s", r.code, r.stderr)
	}
	got := decodeJSON[map[string]any](t, x("get", budget, "--range", "E1:F3", "--query", "{v: values, t: valueTypes}").stdout)
	want := map[string]any{
		"v": []any{[]any{"x", 2.5}, []any{1.0, true}, []any{"x!", "#N/A"}},
		"t": []any{[]any{"String", "Double"}, []any{"Double", "Boolean"}, []any{"String", "Error"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("typed values (-want +got):\n%s", diff)
	}

	// append: below the used range, or to a table.
	app := decodeJSON[map[string]any](t, x("append", budget, "--sheet", "Notes", "Checked", "yes").stdout)
	if app["address"] != "Notes!A3:B3" {
		t.Errorf("append: %v", app["address"])
	}
	row := decodeJSON[map[string]any](t, x("append", budget, "--table", "Expenses", "--json", `[["Books","March",42]]`).stdout)
	if row["values"] == nil {
		t.Errorf("append --table: %v", row)
	}
	tables := decodeJSON[[]string](t, x("table", budget, "--query", "[].name").stdout)
	if !cmp.Equal(tables, []string{"Expenses"}) {
		t.Errorf("tables: %v", tables)
	}
	tcsv := x("table", budget, "Expenses", "-o", "csv").stdout
	if !strings.HasPrefix(tcsv, "Category,Month,Amount\n") || !strings.HasSuffix(tcsv, "Books,March,42\n") {
		t.Errorf("table -o csv:\n%s", tcsv)
	}

	// By item id.
	id := decodeJSON[string](t, h.mustRun("--profile", "emu", "drive", "ls", budget, "--query", "[0].id").stdout)
	if got := x("get", "id:"+id, "--range", "A1", "-o", "csv").stdout; got != "Category\n" {
		t.Errorf("by id: %q", got)
	}

	// Failures: exit 2 for the command line, 1 for the service.
	for _, bad := range [][]string{
		{"get", budget, "--range", "nonsense"}, {"set", budget, "1"}, {"set", budget, "--range", "A1"},
		{"set", budget, "--range", "A1:B2", "1", "2"}, {"set", budget, "--range", "A1", "1", "--json", "[[1]]"},
		{"set", budget, "--range", "A1", "--json", "[[1],[1,2]]"}, {"set", budget, "--range", "A1", "--json", "{}"},
		{"append", budget}, {"sheets"},
	} {
		if r := h.run(excelArgs(bad...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", bad, r.code, r.stderr)
		}
	}
	for _, bad := range [][]string{
		{"sheets", "Documents/Nope.xlsx"}, {"get", budget, "--sheet", "Nope"}, {"table", budget, "Nope"},
		{"append", budget, "--table", "Nope", "x"}, {"sheets", "Documents"},
	} {
		if r := h.run(excelArgs(bad...)...); r.code != 1 {
			t.Errorf("%v: exit %d, want 1: %s", bad, r.code, r.stderr)
		}
	}
}

// Without the files scope the error says how to sign in.
func TestExcelNeedsScope(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,message_all")
	r := h.run(excelArgs("sheets", budget)...)
	if r.code != 1 || !strings.Contains(r.stderr, "onedrive_all") {
		t.Errorf("sheets without the scope: %d %s", r.code, r.stderr)
	}
}
