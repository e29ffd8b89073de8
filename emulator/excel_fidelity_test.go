package emulator

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

func init() {
	fidelitySkip["/workbook/"] = "replayed by TestExcelFidelity (Files scopes, the seeded workbook)"
	fidelitySkip["/workbook?"] = "replayed by TestExcelFidelity (Files scopes, the seeded workbook)"
}

// excelExamplePath puts the seeded workbook's names in a documented path.
func excelExamplePath(p, item string) string {
	r := strings.NewReplacer(
		"/me/drive/root/workbook", "/me/drive/items/"+item+"/workbook",
		"/items/{id}/", "/items/"+item+"/", "/items/{drive-item-id}/", "/items/"+item+"/",
		"worksheets/{id|name}", "worksheets/Budget", "worksheets/{sheet-id}", "worksheets/Budget",
		"worksheets/{id}", "worksheets/Budget", "worksheets({id})", "worksheets('Budget')",
		"tables/{id|name}", "tables/Expenses", "tables/{table-id}", "tables/Expenses", "tables/Table1", "tables/Expenses",
		"columns/{id|name}", "columns/Amount", "rows/{index}", "rows/0", "names/{name}", "names/BudgetTotal",
		"borders/{sideIndex}", "borders/EdgeTop", "{n}", "1", "Sheet1!", "Notes!",
		// The neighbours of a whole sheet are outside it: the docs mean a range.
		"/range/columnsAfter", "/range(address='C3:D4')/columnsAfter", "/range/columnsBefore", "/range(address='C3:D4')/columnsBefore",
		"/range/rowsAbove", "/range(address='C3:D4')/rowsAbove", "/range/rowsBelow", "/range(address='C3:D4')/rowsBelow",
	)
	return r.Replace(p)
}

// excelExampleBody replaces the docs' placeholder values ("applyTo-value")
// with valid ones.
func excelExampleBody(path string, body any) any {
	real := map[string]any{
		"applyTo": "All", "shift": "Up", "style": "Continuous", "weight": "Thin", "color": "#FF0000",
		"sideIndex": "EdgeTop", "name": "Renamed", "visibility": "Visible", "position": 0.0,
	}
	if strings.HasSuffix(path, "/insert") {
		real["shift"] = "Down"
	}
	var fix func(v any, key string) any
	fix = func(v any, key string) any {
		switch t := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, e := range t {
				out[k] = fix(e, k)
			}
			return out
		case []any:
			out := make([]any, len(t))
			for i, e := range t {
				out[i] = fix(e, key)
			}
			return out
		case string:
			if strings.HasSuffix(t, "-value") {
				if r, ok := real[key]; ok {
					return r
				}
			}
			return strings.ReplaceAll(t, "Sheet1!", "Notes!")
		case float64:
			if t == 99 {
				if r, ok := real[key]; ok {
					return r
				}
			}
		}
		return v
	}
	return fix(body, "")
}

// withoutPlaceholders drops the docs' placeholder values from a documented
// response, so only real shapes are compared.
func withoutPlaceholders(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range t {
			if isEmptyObject(e) {
				continue
			}
			out[k] = withoutPlaceholders(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = withoutPlaceholders(e)
		}
		return out
	case string:
		if strings.HasSuffix(t, "-value") {
			return nil
		}
	}
	return v
}

// isEmptyObject reports a documented {} (an untyped value's placeholder).
func isEmptyObject(v any) bool {
	m, ok := v.(map[string]any)
	return ok && len(m) == 0
}

// TestExcelFidelity replays the documented Excel examples the workbook
// engine serves against the seeded Budget.xlsx and compares the status and
// the shape of the answers with the docs.
func TestExcelFidelity(t *testing.T) {
	skip := map[string]string{
		"workbook-best-practice.md:78": "documented without a response; functions: TestExcelLookupFunctions",
		"range-row.md":                 "documented as POST with a body; row is a function (GET row(row=n))",
		"tablerowcollection-itemat.md": "documented as POST with a body; itemAt is a function (GET itemAt(index=n))",
		"workbookrange-resizedrange":   "documented as POST; resizedRange is a function (GET)",
		"workbook-post-tables.md":      "documented path tables/{id}/add is not a Graph path",
		"worksheet-post-tables.md":     "documented path tables/{id}/add is not a Graph path",
		"/createSession":               "sessions: TestExcelSessions",
		"/operations/":                 "operations: TestExcelCreateSessionAsync",
		"tables/Table1/rows/add":       "documented body is not JSON (typographic quotes)",
		"/intersection":                "documented without the anotherRange argument",
		"/worksheets/Budget/range\x00": "",
	}
	replayed := 0
	w := newWorkbookTest(t)
	for _, ex := range graphspec.Examples("excel") {
		if ex.Host != "" || !strings.Contains(ex.Path, "/workbook") || strings.HasPrefix(ex.Path, "/v1.0/drive/") {
			continue
		}
		name := exampleName(ex, ex.Method, ex.Path)
		path := excelExamplePath(ex.Path, w.item)
		p, rawQuery, _ := strings.Cut(path, "?")
		rt, ok := routeExample(w.s, ex.Method, p, w.s.DefaultUser().ID)
		if !ok {
			continue
		}
		if rt.route == nil || !strings.Contains(rt.route.template, "/workbook") {
			continue // charts, pivot tables, comments, protection, sort: not served
		}
		if why := skipFor(skip, name); why != "" {
			t.Logf("skipped %s: %s", name, why)
			continue
		}
		// A fresh budget for each example, and what the example needs.
		w.s.seedExcel("demo")
		var hdr []string
		if strings.Contains(p, "Session") || strings.Contains(p, "sessionInfoResource") {
			r := w.want(w.call("POST", "/createSession", `{"persistChanges":true}`), 201)
			id := r.json["id"].(string)
			hdr = []string{"workbook-session-id", id}
			p = strings.ReplaceAll(p, "{key}", strings.ReplaceAll(id, "'", "''"))
		}
		if strings.Contains(p, "totalRowRange") {
			w.want(w.call("PATCH", "/tables/Expenses", `{"showTotals":true}`), 200)
		}
		target := escapeExamplePath(p)
		if rawQuery != "" {
			target += "?" + escapeExampleQuery(rawQuery)
		}
		body := ""
		if ex.RequestBody != nil && ex.RequestBodyFormat == "json" {
			b, _ := json.Marshal(excelExampleBody(p, ex.RequestBody))
			body = string(b)
		}
		if strings.HasSuffix(p, "/columns/add") {
			body = `{"index":3}` // the documented values are placeholders
		}
		t.Run(name, func(t *testing.T) {
			r := do(t, w.s, ex.Method, target, w.tok, body, hdr...)
			replayCheck{}.check(t, ex.Method, target, r, ex.ResponseStatus, withoutPlaceholders(ex.ResponseBody))
		})
		replayed++
	}
	logReplayed(t, replayed, 30, "examples")
}
