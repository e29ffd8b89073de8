package emulator

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/emulator/internal/xlsx"
	"github.com/o365go/o365/internal/graphspec"
)

// wbTest is a demo emulator with the seeded budget workbook.
type wbTest struct {
	t     *testing.T
	s     *Server
	clock *Clock
	tok   string
	base  string // .../workbook
	drive string
	item  string
}

func newWorkbookTest(t *testing.T) *wbTest {
	t.Helper()
	clock := NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Seed = "demo"; o.Now = clock.Now })
	w := &wbTest{t: t, s: s, clock: clock, tok: tokenFor(t, s, "AdeleV@contoso.onmicrosoft.com", "Files.ReadWrite")}
	r := do(t, s, "GET", "/v1.0/me/drive/root:/Documents/Budget.xlsx", w.tok, "")
	if r.status != 200 {
		t.Fatalf("budget item: %d %s", r.status, r.body)
	}
	w.item = r.json["id"].(string)
	w.drive = r.json["parentReference"].(map[string]any)["driveId"].(string)
	w.base = "/v1.0/me/drive/items/" + w.item + "/workbook"
	return w
}

// call sends a workbook request; path is below .../workbook.
func (w *wbTest) call(method, path, body string, hdr ...string) *result {
	w.t.Helper()
	return do(w.t, w.s, method, w.base+path, w.tok, body, hdr...)
}

func (w *wbTest) want(r *result, status int) *result {
	w.t.Helper()
	if r.status != status {
		w.t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

func (w *wbTest) values(addr string, hdr ...string) []any {
	w.t.Helper()
	r := w.want(w.call("GET", "/worksheets('Budget')/range(address='"+url.PathEscape(addr)+"')", "", hdr...), 200)
	v, _ := r.json["values"].([]any)
	return v
}

// file reads the workbook's current file from the drive.
func (w *wbTest) file() *xlsx.Workbook {
	w.t.Helper()
	_, content, _, gerr := w.s.driveFile(w.drive, w.item)
	if gerr != nil {
		w.t.Fatal(gerr)
	}
	wb, err := xlsx.Read(content)
	if err != nil {
		w.t.Fatal(err)
	}
	return wb
}

func TestExcelSeededBudget(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("GET", "/worksheets", ""), 200)
	var names []string
	for _, v := range r.values() {
		names = append(names, v["name"].(string))
	}
	if diff := cmp.Diff([]string{"Budget", "Notes"}, names); diff != "" {
		t.Fatal(diff)
	}
	got := w.values("A8:C8")
	if diff := cmp.Diff([]any{[]any{"Total", "", 3545.75}}, got); diff != "" {
		t.Fatal(diff)
	}
	r = w.want(w.call("GET", "/names/BudgetTotal", ""), 200)
	if r.json["value"] != "Budget!$C$8" || r.json["type"] != "Range" {
		t.Fatalf("name: %s", r.body)
	}
	r = w.want(w.call("GET", "/tables/Expenses/dataBodyRange", ""), 200)
	if r.json["address"] != "Budget!A2:C6" {
		t.Fatalf("body range: %s", r.body)
	}
}

func TestExcelRangePatchRecalculatesAndSaves(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("PATCH", "/worksheets/Budget/range(address='C2')", `{"values":[[1000]]}`), 200)
	if fmt.Sprint(r.json["values"]) != "[[1000]]" {
		t.Fatalf("patched: %s", r.body)
	}
	if got := w.values("C8"); fmt.Sprint(got) != "[[3345.75]]" {
		t.Fatalf("total after edit: %v", got)
	}
	// The file on the drive has the edit and the new total.
	wb := w.file()
	c := wb.Sheets[0].Cells[xlsx.Pos{Row: 7, Col: 2}]
	if c.Formula != "SUM(C2:C6)" || c.Value != 3345.75 {
		t.Fatalf("saved total: %+v", c)
	}
	r = w.want(w.call("GET", "/worksheets('Notes')/range(address='B2')", ""), 200)
	if fmt.Sprint(r.json["values"]) != "[[3345.75]]" {
		t.Fatalf("cross-sheet: %s", r.body)
	}
}

func TestExcelRoutesServeGraphPaths(t *testing.T) {
	s := Start(t)
	n := 0
	for _, r := range s.router.routes {
		p := strings.Join(r.pattern, "/")
		if !strings.Contains(p, "/workbook") {
			continue
		}
		n++
		path := "/v1.0/" + strings.NewReplacer("{user}", "AdeleV@contoso.onmicrosoft.com").Replace(p)
		if _, ok := graphspec.Match(r.method, path); !ok {
			t.Errorf("%s %s is not a Graph path", r.method, path)
		}
	}
	if n != 2*len(workbookRoutes()) {
		t.Fatalf("%d workbook routes, want %d", n, 2*len(workbookRoutes()))
	}
}

func TestExcelWorksheets(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("POST", "/worksheets/add", `{"name":"Q1 Plan"}`), 200)
	id := r.json["id"].(string)
	if r.json["position"] != 2.0 || r.json["visibility"] != "Visible" {
		t.Fatalf("added: %s", r.body)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		check                    func(*result) bool
	}{
		{"get by name", "GET", "/worksheets('q1 plan')", "", 200, func(r *result) bool { return r.json["id"] == id }},
		{"get by id", "GET", "/worksheets/" + url.PathEscape(id), "", 200, func(r *result) bool { return r.json["name"] == "Q1 Plan" }},
		{"missing", "GET", "/worksheets('Nope')", "", 404, func(r *result) bool { return r.errCode() == "ItemNotFound" }},
		{"duplicate", "POST", "/worksheets/add", `{"name":"budget"}`, 409, nil},
		{"bad name", "POST", "/worksheets/add", `{"name":"a/b"}`, 400, nil},
		{"default name", "POST", "/worksheets", `{}`, 201, func(r *result) bool { return r.json["name"] == "Sheet4" }},
		{"rename", "PATCH", "/worksheets('Q1 Plan')", `{"name":"Q2 Plan"}`, 200, func(r *result) bool { return r.json["name"] == "Q2 Plan" }},
		{"rename clash", "PATCH", "/worksheets('Q2 Plan')", `{"name":"Notes"}`, 409, nil},
		{"move", "PATCH", "/worksheets('Q2 Plan')", `{"position":0}`, 200, func(r *result) bool { return r.json["position"] == 0.0 }},
		{"bad position", "PATCH", "/worksheets('Q2 Plan')", `{"position":9}`, 400, nil},
		{"hide", "PATCH", "/worksheets('Notes')", `{"visibility":"Hidden"}`, 200, func(r *result) bool { return r.json["visibility"] == "Hidden" }},
		{"bad visibility", "PATCH", "/worksheets('Notes')", `{"visibility":"Gone"}`, 400, nil},
		{"delete", "DELETE", "/worksheets('Sheet4')", "", 200, nil},
		{"deleted", "GET", "/worksheets('Sheet4')", "", 404, nil},
		{"sheet tables", "GET", "/worksheets('Budget')/tables", "", 200, func(r *result) bool { return len(r.values()) == 1 }},
		{"sheet names", "GET", "/worksheets('Budget')/names", "", 200, func(r *result) bool { return len(r.values()) == 0 }},
	}
	for _, tc := range tests {
		r := w.call(tc.method, tc.path, tc.body)
		if r.status != tc.status || tc.check != nil && !tc.check(r) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	// The order and the hidden state reach the file.
	wb := w.file()
	if wb.Sheets[0].Name != "Q2 Plan" || wb.Sheets[2].State != xlsx.Hidden {
		t.Fatalf("file sheets: %q %q", wb.Sheets[0].Name, wb.Sheets[2].State)
	}
	// The last visible sheet cannot be hidden or deleted.
	w.want(w.call("DELETE", "/worksheets('Q2 Plan')", ""), 200)
	w.want(w.call("PATCH", "/worksheets('Budget')", `{"visibility":"Hidden"}`), 400)
}

func TestExcelRangeReadAndWrite(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("GET", "/worksheets/Budget/range(address='A1:C2')", ""), 200)
	want := map[string]any{
		"address": "Budget!A1:C2", "addressLocal": "Budget!A1:C2", "cellCount": 6.0, "columnCount": 3.0, "rowCount": 2.0,
		"columnIndex": 0.0, "rowIndex": 0.0,
		"values":       []any{[]any{"Category", "Month", "Amount"}, []any{"Rent", "January", 1200.0}},
		"text":         []any{[]any{"Category", "Month", "Amount"}, []any{"Rent", "January", "1,200.00"}},
		"numberFormat": []any{[]any{"General", "General", "General"}, []any{"General", "General", "#,##0.00"}},
		"valueTypes":   []any{[]any{"String", "String", "String"}, []any{"String", "String", "Double"}},
	}
	for k, v := range want {
		if diff := cmp.Diff(v, r.json[k]); diff != "" {
			t.Errorf("%s: %s", k, diff)
		}
	}
	r = w.want(w.call("GET", "/worksheets/Budget/range(address='C8')", ""), 200)
	if fmt.Sprint(r.json["formulas"], r.json["formulasR1C1"]) != "[[=SUM(C2:C6)]] [[=SUM(R[-6]C:R[-2]C)]]" {
		t.Fatalf("formulas: %v %v", r.json["formulas"], r.json["formulasR1C1"])
	}

	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string // fmt of values after, "" to skip
	}{
		{"values and null", "PATCH", "/worksheets/Budget/range(address='D1:E2')", `{"values":[["Hello","100"],[null,true]]}`, 200, "[[Hello 100] [ true]]"},
		{"formula", "PATCH", "/worksheets/Budget/range(address='E2')", `{"formulas":[["=E1*2"]]}`, 200, "[[200]]"},
		{"broadcast", "PATCH", "/worksheets/Budget/range(address='F1:G1')", `{"values":7}`, 200, "[[7 7]]"},
		{"number format", "PATCH", "/worksheets/Budget/range(address='F1')", `{"numberFormat":[["0.00%"]]}`, 200, ""},
		{"shape mismatch", "PATCH", "/worksheets/Budget/range(address='A1:B2')", `{"values":[[1,2,3]]}`, 400, ""},
		{"bad formula", "PATCH", "/worksheets/Budget/range(address='A20')", `{"formulas":[["=SUM("]]}`, 400, ""},
		{"bad address", "GET", "/worksheets/Budget/range(address='A0')", "", 400, ""},
		{"other sheet", "GET", "/worksheets/Budget/range(address='Nope!A1')", "", 400, ""},
		{"div0", "PATCH", "/worksheets/Budget/range(address='H1')", `{"formulas":[["=1/0"]]}`, 200, "[[#DIV/0!]]"},
		{"name error", "PATCH", "/worksheets/Budget/range(address='H2')", `{"formulas":[["=FOO(1)"]]}`, 200, "[[#NAME?]]"},
		{"cycle", "PATCH", "/worksheets/Budget/range(address='H3:H4')", `{"formulas":[["=H4+1"],["=H3+1"]]}`, 200, "[[#REF!] [#REF!]]"},
		{"by name", "GET", "/worksheets/Budget/range(address='BudgetTotal')", "", 200, "[[3545.75]]"},
	}
	for _, tc := range tests {
		r := w.call(tc.method, tc.path, tc.body)
		if r.status != tc.status {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
			continue
		}
		if tc.want != "" && fmt.Sprint(r.json["values"]) != tc.want {
			t.Errorf("%s: values %v, want %s", tc.name, r.json["values"], tc.want)
		}
	}
	r = w.want(w.call("GET", "/worksheets/Budget/range(address='F1')", ""), 200)
	if fmt.Sprint(r.json["text"], r.json["numberFormat"]) != "[[700%]] [[0.00%]]" && fmt.Sprint(r.json["text"]) != "[[700.00%]]" {
		t.Fatalf("percent text: %v %v", r.json["text"], r.json["numberFormat"])
	}
	// Whole columns and rows, and a sheet-qualified address.
	r = w.want(w.call("GET", "/worksheets/Notes/range(address='"+url.PathEscape("'Budget'!A:A")+"')", ""), 200)
	if r.json["address"] != "Budget!A:A" || r.json["rowCount"] != 1048576.0 || len(r.json["values"].([]any)) != 8 {
		t.Fatalf("whole column: %v %v %d", r.json["address"], r.json["rowCount"], len(r.json["values"].([]any)))
	}
	r = w.want(w.call("GET", "/worksheets/Budget/range(address='2:3')", ""), 200)
	if r.json["address"] != "Budget!2:3" || r.json["columnCount"] != 16384.0 {
		t.Fatalf("whole rows: %v", r.json["address"])
	}
}

func TestExcelRangeNavigation(t *testing.T) {
	w := newWorkbookTest(t)
	base := "/worksheets/Budget/range(address='B2:C4')"
	tests := []struct{ path, want string }{
		{"/cell(row=1,column=1)", "Budget!C3"},
		{"/row(row=2)", "Budget!B4:C4"},
		{"/column(column=0)", "Budget!B2:B4"},
		{"/entireRow", "Budget!2:4"},
		{"/entireColumn", "Budget!B:C"},
		{"/usedRange", "Budget!B2:C4"},
		{"/usedRange(valuesOnly=true)", "Budget!B2:C4"},
		{"/offsetRange(rowOffset=1,columnOffset=-1)", "Budget!A3:B5"},
		{"/resizedRange(deltaRows=1,deltaColumns=0)", "Budget!B2:C5"},
		{"/intersection(anotherRange='C3:E9')", "Budget!C3:C4"},
		{"/boundingRect(anotherRange='A1')", "Budget!A1:C4"},
		{"/lastCell", "Budget!C4"},
		{"/lastRow", "Budget!B4:C4"},
		{"/lastColumn", "Budget!C2:C4"},
		{"/columnsAfter", "Budget!D2:D4"},
		{"/columnsAfter(count=2)", "Budget!D2:E4"},
		{"/columnsBefore(count=1)", "Budget!A2:A4"},
		{"/rowsAbove", "Budget!B1:C1"},
		{"/rowsBelow(count=2)", "Budget!B5:C6"},
	}
	for _, tc := range tests {
		r := w.call("GET", base+tc.path, "")
		if r.status != 200 || r.json["address"] != tc.want {
			t.Errorf("%s: %d %v, want %s", tc.path, r.status, r.json["address"], tc.want)
		}
	}
	for _, p := range []string{"/offsetRange(rowOffset=-5,columnOffset=0)", "/columnsBefore(count=3)", "/rowsAbove(count=0)", "/cell(row=x,column=1)", "/intersection(anotherRange='zz')"} {
		if r := w.call("GET", base+p, ""); r.status != 400 {
			t.Errorf("%s: %d", p, r.status)
		}
	}
	if r := w.want(w.call("GET", base+"/intersection(anotherRange='Z1')", ""), 200); string(r.body) != "null" {
		t.Errorf("no intersection: %s", r.body)
	}
	w.want(w.call("GET", "/worksheets/Budget/usedRange", ""), 200)
	r := w.want(w.call("GET", "/worksheets/Notes/usedRange(valuesOnly=true)", ""), 200)
	if r.json["address"] != "Notes!A1:B2" {
		t.Fatalf("used range: %v", r.json["address"])
	}
	r = w.want(w.call("GET", "/worksheets/Notes/cell(row=1,column=1)", ""), 200)
	if r.json["address"] != "Notes!B2" || fmt.Sprint(r.json["values"]) != "[[3545.75]]" {
		t.Fatalf("cell: %s", r.body)
	}
	r = w.want(w.call("GET", "/worksheets/Notes/range/worksheet", ""), 200)
	if r.json["name"] != "Notes" {
		t.Fatalf("worksheet: %s", r.body)
	}
}

func TestExcelRangeEdits(t *testing.T) {
	w := newWorkbookTest(t)
	w.want(w.call("PATCH", "/worksheets/Notes/range(address='D1:E3')", `{"values":[[1,2],[3,4],[5,6]]}`), 200)
	steps := []struct {
		name, method, path, body string
		status                   int
		check                    string // address -> values after
		want                     string
	}{
		{"clear contents", "POST", "/worksheets/Notes/range(address='D1')/clear", `{"applyTo":"Contents"}`, 204, "D1:E1", "[[ 2]]"},
		{"clear bad", "POST", "/worksheets/Notes/range(address='D1')/clear", `{"applyTo":"Everything"}`, 400, "", ""},
		{"delete up", "POST", "/worksheets/Notes/range(address='D2:E2')/delete", `{"shift":"Up"}`, 200, "D1:E3", "[[ 2] [5 6] [ ]]"},
		{"insert down", "POST", "/worksheets/Notes/range(address='D1:E1')/insert", `{"shift":"Down"}`, 200, "D1:E3", "[[ ] [ 2] [5 6]]"},
		{"insert right", "POST", "/worksheets/Notes/range(address='D3')/insert", `{"shift":"Right"}`, 200, "D3:F3", "[[ 5 6]]"},
		{"delete left", "POST", "/worksheets/Notes/range(address='D3')/delete", `{"shift":"Left"}`, 200, "D3:F3", "[[5 6 ]]"},
		{"bad shift", "POST", "/worksheets/Notes/range(address='D3')/delete", `{"shift":"Down"}`, 400, "", ""},
		{"merge", "POST", "/worksheets/Notes/range(address='D3:E3')/merge", `{"across":false}`, 200, "D3:E3", "[[5 ]]"},
		{"merge overlap", "POST", "/worksheets/Notes/range(address='E3:F3')/merge", `{}`, 400, "", ""},
		{"unmerge", "POST", "/worksheets/Notes/range(address='D3:E3')/unmerge", ``, 200, "", ""},
	}
	for _, s := range steps {
		r := w.call(s.method, s.path, s.body)
		if r.status != s.status {
			t.Fatalf("%s: %d %s", s.name, r.status, r.body)
		}
		if s.check == "" {
			continue
		}
		r = w.want(w.call("GET", "/worksheets/Notes/range(address='"+s.check+"')", ""), 200)
		if got := fmt.Sprint(r.json["values"]); got != s.want {
			t.Fatalf("%s: %s = %s, want %s", s.name, s.check, got, s.want)
		}
	}
	if len(w.file().Sheets[1].Merges) != 0 {
		t.Fatal("merge left in the file")
	}
}

func TestExcelFormats(t *testing.T) {
	w := newWorkbookTest(t)
	rg := "/worksheets/Budget/range(address='A2:B3')"
	tests := []struct {
		name, method, path, body string
		status                   int
		key                      string
		want                     any
	}{
		{"format", "GET", rg + "/format", "", 200, "horizontalAlignment", "General"},
		{"align", "PATCH", rg + "/format", `{"horizontalAlignment":"Center","verticalAlignment":"Top","wrapText":true,"columnWidth":70,"rowHeight":21}`, 200, "columnWidth", 70.0},
		{"align bad", "PATCH", rg + "/format", `{"horizontalAlignment":"Sideways"}`, 400, "", nil},
		{"font", "PATCH", rg + "/format/font", `{"bold":true,"color":"#FF0000","size":14,"name":"Arial","underline":"Single","italic":true}`, 200, "color", "#FF0000"},
		{"font get", "GET", rg + "/format/font", "", 200, "name", "Arial"},
		{"font bad", "PATCH", rg + "/format/font", `{"size":1000}`, 400, "", nil},
		{"font unknown", "PATCH", rg + "/format/font", `{"sparkle":true}`, 400, "", nil},
		{"fill", "PATCH", rg + "/format/fill", `{"color":"yellow"}`, 200, "color", "#FFFF00"},
		{"fill bad", "PATCH", rg + "/format/fill", `{"color":"#12"}`, 400, "", nil},
		{"borders", "GET", rg + "/format/borders", "", 200, "", nil},
		{"border", "PATCH", rg + "/format/borders/EdgeTop", `{"style":"Continuous","weight":"Thick","color":"#0000FF"}`, 200, "weight", "Thick"},
		{"border get", "GET", rg + "/format/borders('EdgeTop')", "", 200, "style", "Continuous"},
		{"border bad side", "GET", rg + "/format/borders/Middle", "", 404, "", nil},
		{"border bad style", "PATCH", rg + "/format/borders/EdgeLeft", `{"style":"Wavy"}`, 400, "", nil},
		{"autofit columns", "POST", rg + "/format/autofitColumns", "", 200, "", nil},
		{"autofit rows", "POST", rg + "/format/autofitRows", "", 200, "", nil},
		{"names range font", "GET", "/names/BudgetTotal/range/format/font", "", 200, "bold", true},
		{"column range fill", "GET", "/tables/Expenses/columns/1/range/format/fill", "", 200, "color", nil},
	}
	for _, tc := range tests {
		r := w.call(tc.method, tc.path, tc.body)
		if r.status != tc.status || tc.key != "" && !cmp.Equal(r.json[tc.key], tc.want) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	w.want(w.call("POST", rg+"/format/fill/clear", ""), 204)
	r := w.want(w.call("GET", rg+"/format/fill", ""), 200)
	if r.json["color"] != nil {
		t.Fatalf("fill after clear: %s", r.body)
	}
	// Formats reach the file.
	c := w.file().Sheets[0].Cells[xlsx.Pos{Row: 1, Col: 0}]
	if !c.Style.Font.Bold || c.Style.Font.Name != "Arial" || c.Style.HAlign != "Center" || c.Style.Borders[1].Weight != "Thick" {
		t.Fatalf("saved style: %+v", c.Style)
	}
}

func TestExcelNames(t *testing.T) {
	w := newWorkbookTest(t)
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"add", "POST", "/names/add", `{"name":"Rents","reference":"=Budget!$C$2:$C$6","comment":"rent"}`, 200},
		{"add constant", "POST", "/names/add", `{"name":"Rate","reference":0.2}`, 200},
		{"add duplicate", "POST", "/names/add", `{"name":"rents","reference":"=Budget!A1"}`, 409},
		{"add bad name", "POST", "/names/add", `{"name":"A1","reference":"=Budget!A1"}`, 400},
		{"add bad sheet", "POST", "/names/add", `{"name":"X","reference":"=Nope!A1"}`, 400},
		{"get", "GET", "/names('Rents')", "", 200},
		{"missing", "GET", "/names/Nope", "", 404},
		{"not a range", "GET", "/names/Rate/range", "", 400},
		{"update", "PATCH", "/names/Rate", `{"comment":"tax","visible":false}`, 200},
		{"delete", "DELETE", "/names/Rate", "", 200},
	}
	for _, tc := range tests {
		if r := w.call(tc.method, tc.path, tc.body); r.status != tc.status {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	r := w.want(w.call("GET", "/names", ""), 200)
	if len(r.values()) != 2 {
		t.Fatalf("names: %s", r.body)
	}
	r = w.want(w.call("GET", "/names/Rents/range", ""), 200)
	if r.json["address"] != "Budget!C2:C6" {
		t.Fatalf("name range: %s", r.body)
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='D1')", `{"formulas":[["=SUM(Rents)"]]}`), 200)
	if got := w.values("D1"); fmt.Sprint(got) != "[[3545.75]]" {
		t.Fatalf("formula with a name: %v", got)
	}
	// Renaming the sheet keeps the names pointing at it.
	w.want(w.call("PATCH", "/worksheets/Budget", `{"name":"Costs"}`), 200)
	r = w.want(w.call("GET", "/names/Rents", ""), 200)
	if r.json["value"] != "Costs!$C$2:$C$6" {
		t.Fatalf("renamed: %s", r.body)
	}
}

func TestExcelSessions(t *testing.T) {
	w := newWorkbookTest(t)
	// A non-persistent session keeps its edits to itself.
	r := w.want(w.call("POST", "/createSession", `{"persistChanges":false}`), 201)
	private := r.json["id"].(string)
	if r.json["persistChanges"] != false {
		t.Fatalf("session: %s", r.body)
	}
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='C2')", `{"values":[[0]]}`, "workbook-session-id", private), 200)
	if got := w.values("C8", "workbook-session-id", private); fmt.Sprint(got) != "[[2345.75]]" {
		t.Fatalf("inside the session: %v", got)
	}
	if got := w.values("C8"); fmt.Sprint(got) != "[[3545.75]]" {
		t.Fatalf("outside the session: %v", got)
	}
	if c := w.file().Sheets[0].Cells[xlsx.Pos{Row: 1, Col: 2}]; c.Value != 1200.0 {
		t.Fatalf("file changed by a non-persistent session: %v", c.Value)
	}
	// A persistent session saves.
	r = w.want(w.call("POST", "/createSession", `{"persistChanges":true}`), 201)
	persistent := r.json["id"].(string)
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='C2')", `{"values":[[1]]}`, "workbook-session-id", persistent), 200)
	if c := w.file().Sheets[0].Cells[xlsx.Pos{Row: 1, Col: 2}]; c.Value != 1.0 {
		t.Fatalf("file not saved by a persistent session: %v", c.Value)
	}
	// Refresh keeps a session alive; inactivity expires it.
	w.clock.Advance(4 * time.Minute)
	w.want(w.call("POST", "/refreshSession", "", "workbook-session-id", persistent), 204)
	w.clock.Advance(4 * time.Minute)
	w.want(w.call("GET", "/worksheets", "", "workbook-session-id", persistent), 200)
	w.clock.Advance(5 * time.Minute)
	r = w.want(w.call("GET", "/worksheets", "", "workbook-session-id", persistent), 404)
	if r.errCode() != "notFound" || !strings.Contains(string(r.body), "invalidSessionReCreatable") {
		t.Fatalf("expired: %s", r.body)
	}
	// Non-persistent sessions last 7 minutes.
	r = w.want(w.call("POST", "/createSession", `{}`), 201)
	np := r.json["id"].(string)
	w.clock.Advance(6 * time.Minute)
	w.want(w.call("GET", "/worksheets", "", "workbook-session-id", np), 200)
	w.clock.Advance(7 * time.Minute)
	w.want(w.call("GET", "/worksheets", "", "workbook-session-id", np), 404)
	// Close ends a session.
	r = w.want(w.call("POST", "/createSession", `{"persistChanges":true}`), 201)
	id := r.json["id"].(string)
	w.want(w.call("POST", "/closeSession", "", "workbook-session-id", id), 204)
	w.want(w.call("POST", "/closeSession", "", "workbook-session-id", id), 404)
	w.want(w.call("POST", "/refreshSession", ""), 404)
	w.want(w.call("GET", "/worksheets", "", "workbook-session-id", "cluster=X&session=unknown"), 404)
	w.want(w.call("POST", "/createSession", `{"persistChanges":"yes"}`), 400)
}

func TestExcelCreateSessionAsync(t *testing.T) {
	w := newWorkbookTest(t)
	r := w.want(w.call("POST", "/createSession", `{"persistChanges":true}`, "Prefer", "respond-async"), 202)
	loc := r.header.Get("Location")
	if !strings.Contains(loc, "/workbook/operations/") {
		t.Fatalf("location: %q", loc)
	}
	op := do(t, w.s, "GET", loc, w.tok, "")
	if op.status != 200 || op.json["status"] != "running" {
		t.Fatalf("first poll: %s", op.body)
	}
	op = do(t, w.s, "GET", loc, w.tok, "")
	if op.json["status"] != "succeeded" {
		t.Fatalf("second poll: %s", op.body)
	}
	info := do(t, w.s, "GET", op.json["resourceLocation"].(string), w.tok, "")
	if info.status != 200 || info.json["persistChanges"] != true {
		t.Fatalf("session info: %d %s", info.status, info.body)
	}
	w.want(w.call("GET", "/worksheets", "", "workbook-session-id", info.json["id"].(string)), 200)
	w.want(w.call("GET", "/operations/nope", ""), 404)
	w.want(w.call("GET", "/sessionInfoResource(key='nope')", ""), 404)
}

func TestExcelTables(t *testing.T) {
	w := newWorkbookTest(t)
	w.want(w.call("PATCH", "/worksheets/Notes/range(address='D1:E3')", `{"values":[["Name","Qty"],["pear",4],["fig",2]]}`), 200)
	r := w.want(w.call("POST", "/tables/add", `{"address":"Notes!D1:E3","hasHeaders":true}`), 200)
	id := r.json["id"].(string)
	if r.json["name"] != "Table2" || r.json["showHeaders"] != true {
		t.Fatalf("added: %s", r.body)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		key                      string
		want                     any
	}{
		{"list", "GET", "/tables", "", 200, "", nil},
		{"get by id", "GET", "/tables/" + id, "", 200, "name", "Table2"},
		{"overlap", "POST", "/tables/add", `{"address":"Notes!E2:F3","hasHeaders":true}`, 400, "", nil},
		{"bad add", "POST", "/tables/add", `{"address":"Notes!D1:E3"}`, 400, "", nil},
		{"missing", "GET", "/tables/Nope", "", 404, "", nil},
		{"rename", "PATCH", "/tables/Table2", `{"name":"Fruit","style":"TableStyleLight1"}`, 200, "name", "Fruit"},
		{"rename clash", "PATCH", "/tables/Fruit", `{"name":"Expenses"}`, 409, "", nil},
		{"header", "GET", "/tables/Fruit/headerRowRange", "", 200, "address", "Notes!D1:E1"},
		{"body", "GET", "/tables/Fruit/dataBodyRange", "", 200, "address", "Notes!D2:E3"},
		{"range", "GET", "/tables/Fruit/range", "", 200, "address", "Notes!D1:E3"},
		{"no totals", "GET", "/tables/Fruit/totalRowRange", "", 404, "", nil},
		{"columns", "GET", "/tables/Fruit/columns", "", 200, "", nil},
		{"column", "GET", "/tables/Fruit/columns/Qty", "", 200, "index", 1.0},
		{"column body", "GET", "/tables/Fruit/columns('2')/dataBodyRange", "", 200, "address", "Notes!E2:E3"},
		{"column header", "GET", "/tables/Fruit/columns/1/headerRowRange", "", 200, "values", []any{[]any{"Name"}}},
		{"add column", "POST", "/tables/Fruit/columns/add", `{"index":1,"values":[["Color"],["green"],["purple"]]}`, 200, "name", "Color"},
		{"add column bad", "POST", "/tables/Fruit/columns/add", `{"index":9}`, 400, "", nil},
		{"rename column", "PATCH", "/tables/Fruit/columns/Color", `{"name":"Colour"}`, 200, "name", "Colour"},
		{"filter", "POST", "/tables/Fruit/columns/Qty/filter/apply", `{"criteria":{"filterOn":"Values","values":["4"]}}`, 200, "", nil},
		{"filter bad", "POST", "/tables/Fruit/columns/Qty/filter/apply", `{}`, 400, "", nil},
		{"filter clear", "POST", "/tables/Fruit/columns/Qty/filter/clear", "", 200, "", nil},
		{"reapply", "POST", "/tables/Fruit/reapplyFilters", "", 200, "", nil},
		{"clear filters", "POST", "/tables/Fruit/clearFilters", "", 200, "", nil},
		{"rows", "GET", "/tables/Fruit/rows", "", 200, "", nil},
		{"row", "GET", "/tables/Fruit/rows/1", "", 200, "values", []any{[]any{"fig", "purple", 2.0}}},
		{"row itemAt", "GET", "/tables/Fruit/rows/itemAt(index=0)", "", 200, "values", []any{[]any{"pear", "green", 4.0}}},
		{"row missing", "GET", "/tables/Fruit/rows/7", "", 404, "", nil},
		{"add rows", "POST", "/tables/Fruit/rows/add", `{"values":[["kiwi","brown",7],["lime","green",1]]}`, 200, "index", 2.0},
		{"insert row", "POST", "/tables/Fruit/rows/add", `{"index":0,"values":[["apple","red",3]]}`, 200, "index", 0.0},
		{"add rows bad", "POST", "/tables/Fruit/rows/add", `{"values":[["too","many","cells","here"]]}`, 400, "", nil},
		{"update row", "PATCH", "/tables/Fruit/rows/0", `{"values":[[null,null,30]]}`, 200, "values", []any{[]any{"apple", "red", 30.0}}},
		{"delete row", "DELETE", "/tables/Fruit/rows/4", "", 200, "", nil},
		{"body after", "GET", "/tables/Fruit/dataBodyRange", "", 200, "values", []any{
			[]any{"apple", "red", 30.0}, []any{"pear", "green", 4.0}, []any{"fig", "purple", 2.0}, []any{"kiwi", "brown", 7.0}}},
		{"delete column", "DELETE", "/tables/Fruit/columns/Colour", "", 200, "", nil},
		{"totals on", "PATCH", "/tables/Fruit", `{"showTotals":true}`, 200, "showTotals", true},
		{"totals", "GET", "/tables/Fruit/totalRowRange", "", 200, "address", "Notes!D6:E6"},
		{"column totals", "GET", "/tables/Fruit/columns/1/totalRowRange", "", 200, "values", []any{[]any{"Total"}}},
		{"bad bool", "PATCH", "/tables/Fruit", `{"showTotals":"yes"}`, 400, "", nil},
		{"sheet add", "POST", "/worksheets/Notes/tables/add", `{"address":"H1:H2","hasHeaders":false}`, 201, "name", "Table3"},
		{"no header data", "GET", "/tables/Table3/range", "", 200, "address", "Notes!H1:H3"},
		{"convert", "POST", "/tables/Table3/convertToRange", "", 200, "address", "Notes!H1:H3"},
		{"converted", "GET", "/tables/Table3", "", 404, "", nil},
	}
	for _, tc := range tests {
		r := w.call(tc.method, tc.path, tc.body)
		if r.status != tc.status || tc.key != "" && !cmp.Equal(r.json[tc.key], tc.want) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	// Paging of rows and columns with $top and $skip.
	r = w.want(w.call("GET", "/tables/Fruit/rows?$top=2", ""), 200)
	next, _ := r.json["@odata.nextLink"].(string)
	if len(r.values()) != 2 || next == "" {
		t.Fatalf("page 1: %s", r.body)
	}
	r = w.want(do(t, w.s, "GET", next, w.tok, ""), 200)
	if len(r.values()) != 2 || r.values()[0]["index"] != 2.0 || r.json["@odata.nextLink"] != nil {
		t.Fatalf("page 2: %s", r.body)
	}
	r = w.want(w.call("GET", "/tables/Fruit/columns?$top=1&$skip=1", ""), 200)
	if len(r.values()) != 1 || r.values()[0]["name"] != "Qty" {
		t.Fatalf("columns page: %s", r.body)
	}
	w.want(w.call("GET", "/tables/Fruit/rows?$top=x", ""), 400)
	// Tables reach the file; deleting one removes its cells.
	wb := w.file()
	if len(wb.Sheets[1].Tables) != 1 || wb.Sheets[1].Tables[0].Ref != "D1:E6" {
		t.Fatalf("saved tables: %+v", wb.Sheets[1].Tables)
	}
	w.want(w.call("DELETE", "/tables/Fruit", ""), 200)
	if got := w.values("'Notes'!D1:E2"); fmt.Sprint(got) != "[[ ] [ ]]" {
		t.Fatalf("after delete: %v", got)
	}
	// A formula over the table body follows added rows.
	w.want(w.call("PATCH", "/worksheets/Notes/range(address='J1')", `{"formulas":[["=SUM(Expenses)"]]}`), 200)
	w.want(w.call("POST", "/tables/Expenses/rows/add", `{"values":[["Books","March",100]]}`), 200)
	if got := w.values("Notes!J1"); fmt.Sprint(got) != "[[3645.75]]" {
		t.Fatalf("table formula: %v", got)
	}
	if got := w.values("C9"); fmt.Sprint(got) != "[[3545.75]]" {
		t.Fatalf("total moved with the rows: %v", got)
	}
}

func TestExcelFunctionsAndApplication(t *testing.T) {
	w := newWorkbookTest(t)
	tests := []struct {
		name, body string
		status     int
		value, err any
	}{
		{"sum", `{"values":[1,2,[3,4],{"address":"Budget!C2:C3"}]}`, 200, 1555.5, nil},
		{"average", `{"values":[[2,4]]}`, 200, 3.0, nil},
		{"min", `{"values":[5,3]}`, 200, 3.0, nil},
		{"max", `{"values":[5,3]}`, 200, 5.0, nil},
		{"count", `{"values":[{"address":"Budget!A1:C3"}]}`, 200, 2.0, nil},
		{"countA", `{"values":[{"address":"Budget!A1:C3"}]}`, 200, 9.0, nil},
		{"if", `{"logicalTest":false,"valueIfTrue":"yes","valueIfFalse":"no"}`, 200, "no", nil},
		{"round", `{"number":2.345,"numDigits":2}`, 200, 2.35, nil},
		{"abs", `{"number":-3}`, 200, 3.0, nil},
		{"concatenate", `{"values":["a","b",1]}`, 200, "ab1", nil},
		{"len", `{"text":"hello"}`, 200, 5.0, nil},
		{"upper", `{"text":"abc"}`, 200, "ABC", nil},
		{"lower", `{"text":"ABC"}`, 200, "abc", nil},
		{"and", `{"values":[true,false]}`, 200, false, nil},
		{"or", `{"values":[true,false]}`, 200, true, nil},
		{"not", `{"logical":true}`, 200, false, nil},
		{"average", `{"values":[]}`, 200, nil, "#DIV/0!"},
		{"abs", `{"number":"x"}`, 200, nil, "#VALUE!"},
		{"abs", `{}`, 400, nil, nil},
		{"sum", `{"values":5}`, 400, nil, nil},
		{"sum", `{"values":[{"address":"bad"}]}`, 400, nil, nil},
	}
	for _, tc := range tests {
		r := w.call("POST", "/functions/"+tc.name, tc.body)
		if r.status != tc.status {
			t.Errorf("%s %s: %d %s", tc.name, tc.body, r.status, r.body)
			continue
		}
		if tc.status == 200 && (!cmp.Equal(r.json["value"], tc.value) || !cmp.Equal(r.json["error"], tc.err)) {
			t.Errorf("%s %s: %s", tc.name, tc.body, r.body)
		}
	}
	r := w.want(w.call("GET", "/application", ""), 200)
	if r.json["calculationMode"] != "Automatic" {
		t.Fatalf("application: %s", r.body)
	}
	w.want(w.call("POST", "/application/calculate", `{"calculationType":"Full"}`), 200)
	w.want(w.call("POST", "/application/calculate", `{"calculationType":"Sometimes"}`), 400)
}

func TestExcelUnsupportedFiles(t *testing.T) {
	w := newWorkbookTest(t)
	u, _ := w.s.lookupUser("AdeleV@contoso.onmicrosoft.com")
	_, blank, err := w.s.seedDriveFile("user", u.ID, "Documents/Blank.xlsx", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, text, err := w.s.seedDriveFile("user", u.ID, "Documents/notes.txt", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"blank":   "/v1.0/me/drive/items/" + blank + "/workbook/worksheets",
		"text":    "/v1.0/me/drive/items/" + text + "/workbook/worksheets",
		"missing": "/v1.0/me/drive/items/nope/workbook/worksheets",
		"drives":  "/v1.0/drives/nope/items/" + w.item + "/workbook/worksheets",
	} {
		r := do(t, w.s, "GET", path, w.tok, "")
		want := 400
		if name == "missing" || name == "drives" {
			want = 404
		}
		if r.status != want {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	// The /drives/{id}/items/{id} form reaches the same workbook.
	r := do(t, w.s, "GET", "/v1.0/drives/"+w.drive+"/items/"+w.item+"/workbook/worksheets('Budget')", w.tok, "")
	if r.status != 200 {
		t.Fatalf("drives form: %d %s", r.status, r.body)
	}
	// Read-only scopes can read but not write.
	ro := tokenFor(t, w.s, "AdeleV@contoso.onmicrosoft.com", "Files.Read")
	if r := do(t, w.s, "GET", w.base+"/worksheets", ro, ""); r.status != 200 {
		t.Fatalf("read: %d", r.status)
	}
	if r := do(t, w.s, "POST", w.base+"/worksheets/add", ro, `{}`); r.status != 403 {
		t.Fatalf("write with Files.Read: %d", r.status)
	}
	// A new upload of the file is picked up.
	data, err := xlsx.Write(&xlsx.Workbook{Sheets: []*xlsx.Sheet{xlsx.NewSheet("Fresh")}})
	if err != nil {
		t.Fatal(err)
	}
	if gerr := w.s.writeDriveFile(w.drive, w.item, data); gerr != nil {
		t.Fatal(gerr)
	}
	r = w.want(w.call("GET", "/worksheets", ""), 200)
	if len(r.values()) != 1 || r.values()[0]["name"] != "Fresh" {
		t.Fatalf("reloaded: %s", r.body)
	}
}

func TestExcelReferencesFollowEdits(t *testing.T) {
	w := newWorkbookTest(t)
	formulaOf := func(sheet, addr string) string {
		r := w.want(w.call("GET", "/worksheets/"+sheet+"/range(address='"+addr+"')", ""), 200)
		return fmt.Sprint(r.json["formulas"], r.json["values"])
	}
	// Inserting rows above the data moves the total and its references.
	w.want(w.call("POST", "/worksheets/Budget/range(address='1:1')/insert", `{"shift":"Down"}`), 200)
	if got := formulaOf("Budget", "C9"); got != "[[=SUM(C3:C7)]] [[3545.75]]" {
		t.Fatalf("after insert: %s", got)
	}
	if got := formulaOf("Notes", "B2"); got != "[[=Budget!C9]] [[3545.75]]" {
		t.Fatalf("cross-sheet after insert: %s", got)
	}
	r := w.want(w.call("GET", "/names/BudgetTotal", ""), 200)
	if r.json["value"] != "Budget!$C$9" {
		t.Fatalf("name after insert: %s", r.body)
	}
	r = w.want(w.call("GET", "/tables/Expenses/range", ""), 200)
	if r.json["address"] != "Budget!A2:C7" {
		t.Fatalf("table after insert: %v", r.json["address"])
	}
	// Deleting a data row shrinks the sum.
	w.want(w.call("POST", "/worksheets/Budget/range(address='3:3')/delete", `{"shift":"Up"}`), 200)
	if got := formulaOf("Budget", "C8"); got != "[[=SUM(C3:C6)]] [[2345.75]]" {
		t.Fatalf("after delete: %s", got)
	}
	// Renaming a sheet rewrites the references to it.
	w.want(w.call("PATCH", "/worksheets/Budget", `{"name":"My Costs"}`), 200)
	if got := formulaOf("Notes", "B2"); got != "[[='My Costs'!C8]] [[2345.75]]" {
		t.Fatalf("after rename: %s", got)
	}
	// Deleting it leaves #REF!.
	w.want(w.call("DELETE", "/worksheets('My Costs')", ""), 200)
	if got := formulaOf("Notes", "B2"); got != "[[=#REF!]] [[#REF!]]" {
		t.Fatalf("after delete: %s", got)
	}
}

func TestExcelDatesAndNumberFormats(t *testing.T) {
	w := newWorkbookTest(t)
	// The documented range update: a date typed as text, with a format.
	r := w.want(w.call("PATCH", "/worksheets/Notes/range(address='D1:E2')",
		`{"values":[["Hello","100"],["1/1/2016",null]],"formulas":[[null,null],[null,"=E1*2"]],"numberFormat":[[null,null],["m-ddd",null]]}`), 200)
	want := `[[Hello 100] [42370 200]] [[Hello 100] [1-Fri 200]] [[String Double] [Double Double]]`
	if got := fmt.Sprint(r.json["values"], r.json["text"], r.json["valueTypes"]); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
	w.want(w.call("PATCH", "/worksheets/Notes/range(address='F1:F6')", `{"values":[["2024-02-29"],[1234.5],[0.256],[-3],[45351.75],["abc"]],"numberFormat":[[null],["#,##0.00"],["0.0%"],["$#,##0.00"],["yyyy-mm-dd hh:mm AM/PM"],["@"]]}`), 200)
	r = w.want(w.call("GET", "/worksheets/Notes/range(address='F1:F6')", ""), 200)
	if got := fmt.Sprint(r.json["text"]); got != "[[2/29/2024] [1,234.50] [0.256] [-$3.00] [2024-02-29 06:00 PM] [abc]]" {
		t.Fatalf("text: %s", got)
	}
}

func TestExcelTableFromHeadersOnly(t *testing.T) {
	w := newWorkbookTest(t)
	w.want(w.call("PATCH", "/worksheets/Notes/range(address='A10:B10')", `{"values":[["Item","Cost"]]}`), 200)
	r := w.want(w.call("POST", "/tables/add", `{"address":"Notes!A10:B10","hasHeaders":true}`), 200)
	name := r.json["name"].(string)
	r = w.want(w.call("GET", "/tables/"+name+"/range", ""), 200)
	if r.json["address"] != "Notes!A10:B11" {
		t.Fatalf("a table gets one empty body row: %v", r.json["address"])
	}
	// The first added row fills the empty body row.
	r = w.want(w.call("POST", "/tables/"+name+"/rows/add", `{"values":[["pen",2]]}`), 200)
	if r.json["index"] != 0.0 {
		t.Fatalf("added: %s", r.body)
	}
	w.want(w.call("POST", "/tables/"+name+"/rows/add", `{"values":[["ink",5]]}`), 200)
	r = w.want(w.call("GET", "/tables/"+name+"/dataBodyRange", ""), 200)
	if r.json["address"] != "Notes!A11:B12" || fmt.Sprint(r.json["values"]) != "[[pen 2] [ink 5]]" {
		t.Fatalf("body: %v %v", r.json["address"], r.json["values"])
	}
	// Inside a non-persistent session the table is private too.
	s := w.want(w.call("POST", "/createSession", `{"persistChanges":false}`), 201).json["id"].(string)
	w.want(w.call("POST", "/tables/"+name+"/rows/add", `{"values":[["cap",1]]}`, "workbook-session-id", s), 200)
	if n := len(w.want(w.call("GET", "/tables/"+name+"/rows", "", "workbook-session-id", s), 200).values()); n != 3 {
		t.Fatalf("session rows: %d", n)
	}
	if n := len(w.want(w.call("GET", "/tables/"+name+"/rows", ""), 200).values()); n != 2 {
		t.Fatalf("rows outside the session: %d", n)
	}
}

func TestExcelItemByPath(t *testing.T) {
	w := newWorkbookTest(t)
	byPath := "/v1.0/me/drive/root:/Documents/Budget.xlsx:/workbook"
	r := w.want(do(t, w.s, "POST", byPath+"/createSession", w.tok, `{"persistChanges":false}`), 201)
	id := r.json["id"].(string)
	w.want(do(t, w.s, "PATCH", byPath+"/worksheets('Budget')/range(address='C2')", w.tok, `{"values":[[0]]}`, "workbook-session-id", id), 200)
	// The session made through the path is the item's session.
	if got := w.values("C8", "workbook-session-id", id); fmt.Sprint(got) != "[[2345.75]]" {
		t.Fatalf("by id in the session: %v", got)
	}
}

func TestExcelHeaderCellRenamesColumn(t *testing.T) {
	w := newWorkbookTest(t)
	w.want(w.call("PATCH", "/worksheets/Budget/range(address='C1')", `{"values":[["Cost"]]}`), 200)
	r := w.want(w.call("GET", "/tables/Expenses/columns/3", ""), 200)
	if r.json["name"] != "Cost" {
		t.Fatalf("column: %s", r.body)
	}
	w.want(w.call("GET", "/tables/Expenses/columns/Cost", ""), 200)
}
