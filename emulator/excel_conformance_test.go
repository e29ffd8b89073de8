package emulator

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/emulator/internal/xlsx"
)

// Calls the excel library makes that the workbook engine used to refuse or
// ignore, each with its documented path, method and status.

func TestExcelWorksheetNames(t *testing.T) {
	w := newWorkbookTest(t)
	for _, sheet := range []string{"Budget", "{00000000-0001-0000-0000-000000000000}"} {
		w.s.seedExcel("demo")
		ws := "/worksheets/" + url.PathEscape(sheet)
		r := w.want(w.call("POST", ws+"/names/add", `{"name":"Rents","reference":"=Budget!$C$2:$C$3","comment":"rent"}`), 200)
		if r.json["scope"] != "Budget" || r.json["value"] != "Budget!$C$2:$C$3" || r.json["type"] != "Range" {
			t.Fatalf("add: %s", r.body)
		}
		// A name is taken once per scope.
		w.want(w.call("POST", ws+"/names/add", `{"name":"Rents","reference":"=Budget!$C$2"}`), 409)
		w.want(w.call("POST", ws+"/names/add", `{"name":"Bad Name","reference":"=Budget!$C$2"}`), 400)
		r = w.want(w.call("GET", ws+"/names/Rents", ""), 200)
		if r.json["comment"] != "rent" {
			t.Fatalf("get: %s", r.body)
		}
		r = w.want(w.call("GET", ws+"/names/Rents/range", ""), 200)
		if diff := cmp.Diff([]any{[]any{1200.0}, []any{345.5}}, r.json["values"]); diff != "" {
			t.Fatalf("range: %s", diff)
		}
		w.want(w.call("PATCH", ws+"/names/Rents", `{"comment":"two rows"}`), 200)
		r = w.want(w.call("GET", ws+"/names", ""), 200)
		if v := r.values(); len(v) != 1 || v[0]["comment"] != "two rows" {
			t.Fatalf("list: %s", r.body)
		}
		// Workbook-scoped names are not the sheet's.
		w.want(w.call("GET", ws+"/names/BudgetTotal", ""), 404)
		w.want(w.call("GET", "/names/Rents", ""), 404)
		r = w.want(w.call("POST", ws+"/names/addFormulaLocal", `{"name":"Twice","formula":"=SUM(Budget!$C$2:$C$3)*2"}`), 200)
		if r.json["scope"] != "Budget" || r.json["value"] != "3091" || r.json["type"] != "String" {
			t.Fatalf("addFormulaLocal: %s", r.body)
		}
		w.want(w.call("DELETE", ws+"/names/Rents", ""), 200)
		w.want(w.call("GET", ws+"/names/Rents", ""), 404)
		// Saved as local names.
		var local []string
		for _, n := range w.file().Names {
			if n.Sheet == "Budget" {
				local = append(local, n.Name)
			}
		}
		if diff := cmp.Diff([]string{"Twice"}, local); diff != "" {
			t.Fatalf("saved names: %s", diff)
		}
	}
}

func TestExcelAddFormulaLocal(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("POST", "/names/addFormulaLocal", `{"name":"Doubled","formula":"=BudgetTotal*2","comment":"x2"}`), 200)
	if r.json["scope"] != "Workbook" || r.json["value"] != "7091.5" || r.json["type"] != "String" || r.json["comment"] != "x2" {
		t.Fatalf("addFormulaLocal: %s", r.body)
	}
	r = w.want(w.call("POST", "/names/addFormulaLocal", `{"name":"Area","formula":"=Budget!A1:B2"}`), 200)
	if r.json["type"] != "Range" || r.json["value"] != "Budget!$A$1:$B$2" {
		t.Fatalf("range formula: %s", r.body)
	}
	for _, body := range []string{`{"name":"X1y","formula":"=SUM("}`, `{"name":"Nope"}`, `{"name":"","formula":"=1"}`} {
		w.want(w.call("POST", "/names/addFormulaLocal", body), 400)
	}
	w.want(w.call("POST", "/names/addFormulaLocal", `{"name":"Doubled","formula":"=1"}`), 409)
	// The name works in formulas.
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='E1')", `{"formulas":[["=Doubled"]]}`), 200)
	if diff := cmp.Diff([]any{[]any{7091.5}}, w.values("E1")); diff != "" {
		t.Fatal(diff)
	}
}

func TestExcelTableItemAtWorksheetAndRowRange(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("GET", "/tables/Expenses/columns/itemAt(index=1)", ""), 200)
	if r.json["name"] != "Month" || r.json["index"] != 1.0 {
		t.Fatalf("column itemAt: %s", r.body)
	}
	for _, bad := range []string{"itemAt(index=3)", "itemAt(index=-1)"} {
		w.want(w.call("GET", "/tables/Expenses/columns/"+bad, ""), 404)
	}
	w.want(w.call("GET", "/tables/Expenses/columns/itemAt(index=x)", ""), 400)
	r = w.want(w.call("GET", "/tables/Expenses/columns/itemAt(index=2)/dataBodyRange", ""), 200)
	if r.json["address"] != "Budget!C2:C6" {
		t.Fatalf("itemAt range: %s", r.body)
	}
	r = w.want(w.call("GET", "/tables/Expenses/rows/itemAt(index=3)", ""), 200)
	if diff := cmp.Diff([]any{[]any{"Travel", "February", 620.0}}, r.json["values"]); diff != "" {
		t.Fatalf("row itemAt: %s", diff)
	}
	for _, p := range []string{"/tables/Expenses/rows/3/range", "/tables/Expenses/rows/itemAt(index=3)/range", "/tables/1/rows/3/range"} {
		r = w.want(w.call("GET", p, ""), 200)
		if r.json["address"] != "Budget!A5:C5" || r.json["@odata.type"] != "#microsoft.graph.workbookRange" {
			t.Fatalf("%s: %s", p, r.body)
		}
	}
	w.want(w.call("GET", "/tables/Expenses/rows/5/range", ""), 404)
	w.want(w.call("GET", "/tables/Expenses/rows/itemAt(index=9)/range", ""), 404)
	for _, key := range []string{"Expenses", "1"} {
		r = w.want(w.call("GET", "/tables/"+key+"/worksheet", ""), 200)
		if r.json["name"] != "Budget" || r.json["@odata.type"] != "#microsoft.graph.workbookWorksheet" {
			t.Fatalf("worksheet: %s", r.body)
		}
	}
	w.want(w.call("GET", "/tables/Nope/worksheet", ""), 404)
}

func TestExcelFilterHidesRows(t *testing.T) {
	w := newWorkbookTest(t)
	hidden := func() []bool {
		t.Helper()
		var out []bool
		for row := 2; row <= 6; row++ {
			r := w.want(w.call("GET", "/worksheets/Budget/range(address='A"+string(rune('0'+row))+"')", ""), 200)
			out = append(out, r.json["rowHidden"] == true)
		}
		return out
	}
	r := w.want(w.call("GET", "/tables/Expenses/columns/Category/filter", ""), 200)
	if c, found := r.json["criteria"]; !found || c != nil {
		t.Fatalf("unfiltered: %s", r.body)
	}
	w.want(w.call("POST", "/tables/Expenses/columns/Category/filter/apply", `{"criteria":{"filterOn":"Values","values":["Rent"]}}`), 200)
	if diff := cmp.Diff([]bool{false, true, true, true, false}, hidden()); diff != "" {
		t.Fatalf("values filter: %s", diff)
	}
	r = w.want(w.call("GET", "/tables/Expenses/columns/1/filter", ""), 200)
	crit, _ := r.json["criteria"].(map[string]any)
	if crit["filterOn"] != "Values" {
		t.Fatalf("filter: %s", r.body)
	}
	// Saved as hidden rows.
	if f := w.file().Sheets[0]; !f.HiddenRows[2] || f.HiddenRows[1] {
		t.Fatalf("saved hidden rows: %v", f.HiddenRows)
	}
	// A second column's filter combines with the first.
	w.want(w.call("POST", "/tables/Expenses/columns/Month/filter/apply", `{"criteria":{"filterOn":"Custom","criterion1":"=Feb*"}}`), 200)
	if diff := cmp.Diff([]bool{true, true, true, true, false}, hidden()); diff != "" {
		t.Fatalf("two filters: %s", diff)
	}
	w.want(w.call("POST", "/tables/Expenses/columns/Category/filter/clear", ""), 200)
	if diff := cmp.Diff([]bool{true, true, true, false, false}, hidden()); diff != "" {
		t.Fatalf("after clear: %s", diff)
	}
	w.want(w.call("POST", "/tables/Expenses/clearFilters", ""), 200)
	if diff := cmp.Diff([]bool{false, false, false, false, false}, hidden()); diff != "" {
		t.Fatalf("after clearFilters: %s", diff)
	}
	// Custom with two criteria, top items; reapply follows edits.
	w.want(w.call("POST", "/tables/Expenses/columns/Amount/filter/apply", `{"criteria":{"filterOn":"Custom","criterion1":">200","criterion2":"<1000","operator":"And"}}`), 200)
	if diff := cmp.Diff([]bool{true, false, true, false, true}, hidden()); diff != "" {
		t.Fatalf("custom: %s", diff)
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='C2')", `{"values":[[500]]}`), 200)
	w.want(w.call("POST", "/tables/Expenses/reapplyFilters", ""), 200)
	if diff := cmp.Diff([]bool{false, false, true, false, true}, hidden()); diff != "" {
		t.Fatalf("reapply: %s", diff)
	}
	w.want(w.call("POST", "/tables/Expenses/columns/Amount/filter/apply", `{"criteria":{"filterOn":"TopItems","criterion1":"2"}}`), 200)
	if diff := cmp.Diff([]bool{true, true, true, false, false}, hidden()); diff != "" {
		t.Fatalf("top items: %s", diff)
	}
	for _, bad := range []string{`{"criteria":{"filterOn":"Values"}}`, `{"criteria":{"filterOn":"Custom"}}`, `{"criteria":{"criterion1":">1","operator":"Xor"}}`, `{}`} {
		w.want(w.call("POST", "/tables/Expenses/columns/Amount/filter/apply", bad), 400)
	}
	w.want(w.call("GET", "/tables/Expenses/columns/9/filter", ""), 404)
	// Deleting the table shows its rows again.
	w.want(w.call("DELETE", "/tables/Expenses", ""), 200)
	if f := w.file().Sheets[0]; len(f.HiddenRows) != 0 {
		t.Fatalf("hidden rows after delete: %v", f.HiddenRows)
	}
}

func TestExcelFormulasR1C1AndLocal(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("PATCH", "/worksheets/Budget/range(address='E1:E2')", `{"formulasR1C1":[["=R2C3"],["=R[-1]C*2"]]}`), 200)
	if diff := cmp.Diff([]any{[]any{"=$C$2"}, []any{"=E1*2"}}, r.json["formulas"]); diff != "" {
		t.Fatalf("formulas: %s", diff)
	}
	if diff := cmp.Diff([]any{[]any{1200.0}, []any{2400.0}}, w.values("E1:E2")); diff != "" {
		t.Fatalf("values: %s", diff)
	}
	r = w.want(w.call("GET", "/worksheets/Budget/range(address='E1:E2')", ""), 200)
	if diff := cmp.Diff([]any{[]any{"=R2C3"}, []any{"=R[-1]C*2"}}, r.json["formulasR1C1"]); diff != "" {
		t.Fatalf("formulasR1C1: %s", diff)
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='F1:F2')", `{"formulasR1C1":[["=SUM(R2C[-3]:R6C[-3])","=ROUND(RC[-1],0)"]]}`), 400)
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='F1:G1')", `{"formulasR1C1":[["=SUM(R2C[-3]:R6C[-3])","=ROUND(RC[-1]/7,0)"]]}`), 200)
	if diff := cmp.Diff([]any{[]any{3545.75, 507.0}}, w.values("F1:G1")); diff != "" {
		t.Fatalf("values: %s", diff)
	}
	r = w.want(w.call("GET", "/worksheets/Budget/range(address='F1:G1')", ""), 200)
	if diff := cmp.Diff([]any{[]any{"=SUM(C$2:C$6)", "=ROUND(F1/7,0)"}}, r.json["formulas"]); diff != "" {
		t.Fatalf("formulas: %s", diff)
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='A1')", `{"formulasR1C1":[["=R[-1]C"]]}`), 400)
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='H1:H2')", `{"formulasLocal":[["=SUM(C2:C3)"],["=\"R1C1\""]]}`), 200)
	if diff := cmp.Diff([]any{[]any{1545.5}, []any{"R1C1"}}, w.values("H1:H2")); diff != "" {
		t.Fatalf("formulasLocal: %s", diff)
	}
	// Saved.
	if f := w.file().Sheets[0]; f.Cells[xlsx.Pos{Row: 1, Col: 4}].Formula != "E1*2" {
		t.Fatalf("saved formula %q", f.Cells[xlsx.Pos{Row: 1, Col: 4}].Formula)
	}
}

func TestExcelHiddenRowsAndColumns(t *testing.T) {
	w := newWorkbookTest(t)
	get := func(addr string) map[string]any {
		return w.want(w.call("GET", "/worksheets/Budget/range(address='"+url.PathEscape(addr)+"')", ""), 200).json
	}
	r := w.want(w.call("PATCH", "/worksheets/Budget/range(address='B1:C2')", `{"columnHidden":true}`), 200)
	if r.json["columnHidden"] != true || r.json["rowHidden"] != false || r.json["hidden"] != true {
		t.Fatalf("patch answer: %s", r.body)
	}
	if j := get("B5"); j["columnHidden"] != true {
		t.Fatalf("B5 columnHidden: %v", j["columnHidden"])
	}
	if j := get("A1:B1"); j["columnHidden"] != false {
		t.Fatalf("A1:B1 columnHidden: %v", j["columnHidden"])
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='A3:A4')", `{"rowHidden":true}`), 200)
	if j := get("C3:D4"); j["rowHidden"] != true {
		t.Fatalf("rowHidden: %v", j)
	}
	f := w.file().Sheets[0]
	if diff := cmp.Diff(map[int]bool{1: true, 2: true}, f.HiddenCols); diff != "" {
		t.Fatalf("saved columns: %s", diff)
	}
	if diff := cmp.Diff(map[int]bool{2: true, 3: true}, f.HiddenRows); diff != "" {
		t.Fatalf("saved rows: %s", diff)
	}
	if f.ColWidths[0] < 89 || f.ColWidths[0] > 91 {
		t.Fatalf("width lost: %v", f.ColWidths)
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='C1')", `{"columnHidden":false}`), 200)
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='A3')", `{"rowHidden":false}`), 200)
	f = w.file().Sheets[0]
	if diff := cmp.Diff(map[int]bool{1: true}, f.HiddenCols); diff != "" {
		t.Fatalf("shown column: %s", diff)
	}
	if diff := cmp.Diff(map[int]bool{3: true}, f.HiddenRows); diff != "" {
		t.Fatalf("shown row: %s", diff)
	}
	// Inserting or deleting whole rows moves the hidden ones; a partial
	// band does not.
	w.want(w.call("POST", "/worksheets/Budget/range(address='2:3')/insert", `{"shift":"Down"}`), 200)
	w.want(w.call("POST", "/worksheets/Budget/range(address='A1:B1')/insert", `{"shift":"Down"}`), 200)
	w.want(w.call("POST", "/worksheets/Budget/range(address='A:A')/delete", `{"shift":"Left"}`), 200)
	f = w.file().Sheets[0]
	if diff := cmp.Diff(map[int]bool{5: true}, f.HiddenRows); diff != "" {
		t.Fatalf("rows after insert: %s", diff)
	}
	if diff := cmp.Diff(map[int]bool{0: true}, f.HiddenCols); diff != "" {
		t.Fatalf("columns after delete: %s", diff)
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='A1')", `{"rowHidden":"yes"}`), 400)
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='A:A')", `{"rowHidden":true}`), 400)
	if j := get("A:A"); j["columnHidden"] != true {
		t.Fatalf("A:A: %v", j["columnHidden"])
	}
	if j := get("B:C"); j["columnHidden"] != false {
		t.Fatalf("B:C: %v", j["columnHidden"])
	}
}

func TestExcelLookupFunctions(t *testing.T) {
	w := newWorkbookTest(t)
	fn := func(name, body string) map[string]any {
		t.Helper()
		return w.want(w.call("POST", "/functions/"+name, body), 200).json
	}
	tbl := `{"address":"Budget!A2:C6"}`
	cases := []struct {
		name, body string
		value      any
		err        any
	}{
		{"vlookup", `{"lookupValue":"travel","tableArray":` + tbl + `,"colIndexNum":3,"rangeLookup":false}`, 620.0, nil},
		{"vlookup", `{"lookupValue":"Gro*","tableArray":` + tbl + `,"colIndexNum":2,"rangeLookup":false}`, "January", nil},
		{"vlookup", `{"lookupValue":"pear","tableArray":` + tbl + `,"colIndexNum":2,"rangeLookup":false}`, nil, "#N/A"},
		{"vlookup", `{"lookupValue":"Rent","tableArray":` + tbl + `,"colIndexNum":4,"rangeLookup":false}`, nil, "#REF!"},
		{"vlookup", `{"lookupValue":5,"tableArray":[[1,"a"],[4,"b"],[9,"c"]],"colIndexNum":2}`, "b", nil},
		{"hlookup", `{"lookupValue":"Amount","tableArray":{"address":"Budget!A1:C6"},"rowIndexNum":3,"rangeLookup":false}`, 345.5, nil},
		{"match", `{"lookupValue":"Utilities","lookupArray":{"address":"Budget!A2:A6"},"matchType":0}`, 3.0, nil},
		{"match", `{"lookupValue":700,"lookupArray":[[100,500,1000]]}`, 2.0, nil},
		{"match", `{"lookupValue":50,"lookupArray":[[100,500,1000]]}`, nil, "#N/A"},
		{"countIf", `{"range":{"address":"Budget!A2:A6"},"criteria":"Rent"}`, 2.0, nil},
		{"countIf", `{"range":{"address":"Budget!C2:C6"},"criteria":">500"}`, 3.0, nil},
		{"sumIf", `{"range":{"address":"Budget!A2:A6"},"criteria":"Rent","sumRange":{"address":"Budget!C2:C6"}}`, 2400.0, nil},
		{"sumIf", `{"range":{"address":"Budget!C2:C6"},"criteria":"<500"}`, 525.75, nil},
		{"averageIf", `{"range":{"address":"Budget!B2:B6"},"criteria":"January","averageRange":{"address":"Budget!C2:C6"}}`, 575.25, nil},
		{"averageIf", `{"range":{"address":"Budget!B2:B6"},"criteria":"March","averageRange":{"address":"Budget!C2:C6"}}`, nil, "#DIV/0!"},
		{"index", `{"array":` + tbl + `,"rowNum":4,"columnNum":2}`, "February", nil},
		{"index", `{"array":[[1,2],[3,4]],"rowNum":2,"columnNum":1}`, 3.0, nil},
		{"index", `{"array":` + tbl + `,"rowNum":9,"columnNum":1}`, nil, "#REF!"},
		{"today", `{}`, 46083.0, nil},
		{"now", ``, 46083.375, nil},
	}
	for _, c := range cases {
		j := fn(c.name, c.body)
		if j["value"] != c.value || j["error"] != c.err {
			t.Errorf("%s %s = %v, %v; want %v, %v", c.name, c.body, j["value"], j["error"], c.value, c.err)
		}
	}
	w.want(w.call("POST", "/functions/vlookup", `{"lookupValue":"Rent"}`), 400)
	w.want(w.call("POST", "/functions/countIf", `{"range":{"address":"Budget!A2:A6"}}`), 400)
	w.want(w.call("POST", "/functions/index", `{"array":[[1]]}`), 400)
	// In formulas, with INDEX, and whole columns.
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='E1:E7')", `{"formulas":[["=VLOOKUP(\"Utilities\",A2:C6,3,FALSE)"],["=INDEX(A2:C6,MATCH(\"Travel\",A:A,0)-1,2)"],["=COUNTIF(A:A,\"Rent\")"],["=SUMIF(B2:B6,\"Jan*\",C2:C6)"],["=AVERAGEIF(C2:C6,\">=1000\")"],["=HLOOKUP(\"Month\",A1:C6,2,FALSE)"],["=TODAY()"]]}`), 200)
	want := []any{[]any{180.25}, []any{"February"}, []any{2.0}, []any{1725.75}, []any{1200.0}, []any{"January"}, []any{46083.0}}
	if diff := cmp.Diff(want, w.values("E1:E7")); diff != "" {
		t.Fatalf("formulas: %s", diff)
	}
	if !strings.Contains(string(w.want(w.call("GET", "/worksheets/Budget/range(address='E1')", ""), 200).body), "VLOOKUP") {
		t.Fatal("formula text lost")
	}
}

// Rows a filter hides move with whole rows inserted above the table, and
// clearing the filter shows the right ones.
func TestExcelFilterHiddenRowsFollowInserts(t *testing.T) {
	w := newWorkbookTest(t)
	w.want(w.call("POST", "/tables/Expenses/columns/Category/filter/apply", `{"criteria":{"filterOn":"Values","values":["Rent"]}}`), 200)
	w.want(w.call("POST", "/worksheets/Budget/range(address='1:2')/insert", `{"shift":"Down"}`), 200)
	r := w.want(w.call("GET", "/tables/Expenses/range", ""), 200)
	if r.json["address"] != "Budget!A3:C8" {
		t.Fatalf("table moved to %v", r.json["address"])
	}
	if diff := cmp.Diff(map[int]bool{4: true, 5: true, 6: true}, w.file().Sheets[0].HiddenRows); diff != "" {
		t.Fatalf("hidden after insert: %s", diff)
	}
	w.want(w.call("POST", "/tables/Expenses/clearFilters", ""), 200)
	if h := w.file().Sheets[0].HiddenRows; len(h) != 0 {
		t.Fatalf("hidden after clear: %v", h)
	}
}
