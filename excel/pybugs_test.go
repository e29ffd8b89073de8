package excel_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
)

// python-o365's known Excel bugs (inventory §6.1, §6.6, issues #511, #795): each one,
// done right here.
func TestPythonO365Bugs(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	wb := f.open()

	t.Run("Range.get_worksheet raises TypeError", func(t *testing.T) {
		f.on("GET "+sheetR+"/worksheet", 200, `{"id":"{S1}","name":"Sheet1","position":0,"visibility":"Visible"}`)
		r, err := loadRange(ctx, wb)
		if err != nil {
			t.Fatal(err)
		}
		ws, err := r.Worksheet(ctx)
		if err != nil || ws.Name != "Sheet1" {
			t.Fatalf("%v %+v", err, ws)
		}
	})
	t.Run("Table.get_worksheet raises TypeError", func(t *testing.T) {
		f.on("GET /tables/7/worksheet", 200, `{"id":"{S1}","name":"Sheet1"}`)
		tbl, _ := loadTable(ctx, wb)
		ws, err := tbl.Worksheet(ctx)
		if err != nil || ws.Name != "Sheet1" {
			t.Fatalf("%v %+v", err, ws)
		}
	})
	t.Run("TableColumn.get_filter raises TypeError", func(t *testing.T) {
		f.on("GET /tables/7/columns/2/filter", 200, `{"criteria":{"filterOn":"Values","values":["10","12"]}}`)
		c, err := loadColumn(ctx, wb)
		if err != nil {
			t.Fatal(err)
		}
		flt, err := c.Filter(ctx)
		if err != nil || flt.Criteria == nil || !cmp.Equal(flt.Criteria.Values, []string{"10", "12"}) {
			t.Fatalf("%v %+v", err, flt)
		}
	})
	t.Run("RangeFormatFont loads from a URL ending in None", func(t *testing.T) {
		f.clear()
		fm, err := loadFormat(ctx, wb)
		if err != nil {
			t.Fatal(err)
		}
		font, err := fm.Font(ctx)
		if err != nil || font.Name != "Calibri" {
			t.Fatalf("%v %+v", err, font)
		}
		last := f.requests()[len(f.requests())-1]
		if last.Path != fmtR+"/font" || strings.Contains(last.Path, "None") {
			t.Errorf("font read from %s", last.Path)
		}
	})
	t.Run("RangeFormat.set_borders is a stub", func(t *testing.T) {
		f.clear()
		fm, _ := loadFormat(ctx, wb)
		for _, side := range []string{"EdgeTop", "EdgeBottom", "EdgeLeft", "EdgeRight"} {
			f.on("PATCH "+fmtR+"/borders/"+side, 200, `{"id":"`+side+`","sideIndex":"`+side+`","style":"Continuous","weight":"Medium","color":"#0000FF"}`)
		}
		if err := fm.SetBorders(ctx, excel.Border{Style: excel.BorderContinuous, Weight: excel.WeightMedium, Color: "#0000FF"}); err != nil {
			t.Fatal(err)
		}
		var sides []string
		for _, r := range f.requests() {
			if r.Method == "PATCH" {
				sides = append(sides, r.Path[strings.LastIndex(r.Path, "/")+1:])
				if !jsonEq(t, `{"style":"Continuous","weight":"Medium","color":"#0000FF"}`, r.Body) {
					t.Errorf("border body %s", r.Body)
				}
			}
		}
		if diff := cmp.Diff([]string{"EdgeTop", "EdgeBottom", "EdgeLeft", "EdgeRight"}, sides); diff != "" {
			t.Errorf("sides (-want +got):\n%s", diff)
		}
		if _, err := fm.SetBorder(ctx, excel.EdgeTop, excel.Border{}); err == nil {
			t.Error("an empty border was sent")
		}
	})
	t.Run("Table.get_column_at_index sends a POST body instead of itemAt(index=n)", func(t *testing.T) {
		f.clear()
		f.on("GET /tables/7/columns/itemAt(index=1)", 200, `{"id":"2","index":1,"name":"Amount"}`)
		tbl, _ := loadTable(ctx, wb)
		c, err := tbl.ColumnAt(ctx, 1)
		if err != nil || c.Name != "Amount" {
			t.Fatalf("%v %+v", err, c)
		}
		last := f.requests()[len(f.requests())-1]
		if last.Method != "GET" || last.Body != "" {
			t.Errorf("%s with body %q", last.Method, last.Body)
		}
	})
	t.Run("Table.delete_row uses rows/$/itemAt (#795)", func(t *testing.T) {
		f.clear()
		f.on("DELETE /tables/7/rows/4", 204, ``)
		tbl, _ := loadTable(ctx, wb)
		if err := tbl.DeleteRow(ctx, 4); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("row update not working (#511)", func(t *testing.T) {
		f.clear()
		f.on("PATCH /tables/7/rows/0", 200, `{"index":0,"values":[["new",2]]}`)
		tbl, _ := loadTable(ctx, wb)
		row, _ := tbl.RowAt(ctx, 0)
		if err := row.Update(ctx, excel.MustValues([]any{"new", 2})); err != nil {
			t.Fatal(err)
		}
		if row.Values[0][0].String() != "new" {
			t.Errorf("row after update %+v", row)
		}
		if err := row.Update(ctx, excel.MustValues([]any{1}, []any{2})); !errors.Is(err, excel.ErrShape) {
			t.Errorf("two rows for one: %v", err)
		}
	})
	t.Run("tables, rows and columns: only the first page", func(t *testing.T) {
		// nextLink pages.
		f.on("GET /tables", 200, `{"value":[{"id":"1","name":"A"}],"@odata.nextLink":"{base}/v1.0`+itemPath+`/workbook/tables?$skiptoken=2"}`)
		f.on("GET /tables?$skiptoken=2", 200, `{"value":[{"id":"2","name":"B"}]}`)
		var names []string
		for tbl, err := range wb.Tables(ctx, nil) {
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, tbl.Name)
		}
		if diff := cmp.Diff([]string{"A", "B"}, names); diff != "" {
			t.Errorf("tables (-want +got):\n%s", diff)
		}
		// $top/$skip pages, as Excel's collections document them.
		f.on("GET /tables/7/rows?$top=2", 200, `{"value":[{"index":0},{"index":1}]}`)
		f.on("GET /tables/7/rows?$skip=2&$top=2", 200, `{"value":[{"index":2},{"index":3}]}`)
		f.on("GET /tables/7/rows?$skip=4&$top=2", 200, `{"value":[{"index":4}]}`)
		tbl, _ := loadTable(ctx, wb)
		var idx []int
		for r, err := range tbl.Rows(ctx, &graph.ListOptions{PageSize: 2}) {
			if err != nil {
				t.Fatal(err)
			}
			idx = append(idx, r.Index)
		}
		if diff := cmp.Diff([]int{0, 1, 2, 3, 4}, idx); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		// Links followed to a full last page: no extra $skip request after it.
		f.on("GET /tables/7/columns?$top=2", 200, `{"value":[{"id":"1"},{"id":"2"}],"@odata.nextLink":"{base}/v1.0`+itemPath+`/workbook/tables/7/columns?$skip=2&$top=2"}`)
		f.on("GET /tables/7/columns?$skip=2&$top=2", 200, `{"value":[{"id":"3"},{"id":"4"}]}`)
		var ids []string
		for c, err := range tbl.Columns(ctx, &graph.ListOptions{PageSize: 2}) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		if diff := cmp.Diff([]string{"1", "2", "3", "4"}, ids); diff != "" {
			t.Errorf("columns (-want +got):\n%s", diff)
		}
		// A limit stops early.
		f.on("GET /tables/7/columns?$top=1", 200, `{"value":[{"id":"1","index":0}]}`)
		n := 0
		for _, err := range tbl.Columns(ctx, &graph.ListOptions{PageSize: 5, Limit: 1}) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 1 {
			t.Errorf("limit 1: %d columns", n)
		}
	})
}

func TestUpdateCellsShape(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	wb := f.open()
	ws := wb.Sheet("Sheet1")
	f.clear()
	for _, tc := range []struct {
		addr string
		v    excel.Values
	}{
		{"A1:B2", excel.MustValues([]any{1, 2})},
		{"A1:B2", excel.MustValues([]any{1, 2, 3}, []any{4, 5, 6})},
		{"A1:B2", excel.MustValues([]any{1, 2}, []any{3})},
		{"A1:B2", nil},
	} {
		if _, err := ws.UpdateCells(ctx, tc.addr, tc.v); !errors.Is(err, excel.ErrShape) {
			t.Errorf("UpdateCells(%s, %v) = %v", tc.addr, tc.v, err)
		}
	}
	if _, err := ws.UpdateCells(ctx, "nonsense", excel.MustValues([]any{1})); !errors.Is(err, excel.ErrBadAddress) {
		t.Errorf("bad address: %v", err)
	}
	if err := ws.Range("A1:B2").SetValues(ctx, excel.MustValues([]any{1})); !errors.Is(err, excel.ErrShape) {
		t.Errorf("SetValues of the wrong shape: %v", err)
	}
	if n := len(f.requests()); n != 0 {
		t.Errorf("%d requests for refused shapes", n)
	}
	// Whole columns take any number of rows.
	f.on("PATCH /worksheets/Sheet1/range(address='A:B')", 200, rangeJSON("Sheet1!A1:B3"))
	if _, err := ws.UpdateCells(ctx, "A:B", excel.MustValues([]any{1, 2}, []any{3, 4}, []any{5, 6})); err != nil {
		t.Error(err)
	}
}

func TestAppendRows(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	wb := f.open()
	ws := wb.Sheet("Sheet1")
	rows := excel.MustValues([]any{"Travel", 1200.5}, []any{"Food", 300})

	// Below the used range, in its first column.
	f.on("GET /worksheets/Sheet1/usedRange(valuesOnly=true)", 200, `{"address":"Sheet1!B2:C5","cellCount":8,"values":[["a",1],["b",2],["c",3],["d",4]]}`)
	f.on("PATCH /worksheets/Sheet1/range(address='B6:C7')", 200, `{"address":"Sheet1!B6:C7","values":[["Travel",1200.5],["Food",300]]}`)
	r, err := ws.AppendRows(ctx, rows)
	if err != nil {
		t.Fatal(err)
	}
	if r.Address != "Sheet1!B6:C7" {
		t.Errorf("appended at %s", r.Address)
	}
	last := f.requests()[len(f.requests())-1]
	if !jsonEq(t, `{"values":[["Travel",1200.5],["Food",300]]}`, last.Body) {
		t.Errorf("body %s", last.Body)
	}
	// An empty sheet: from A1.
	f.reset("GET /worksheets/Sheet1/usedRange(valuesOnly=true)")
	f.on("GET /worksheets/Sheet1/usedRange(valuesOnly=true)", 200, `{"address":"Sheet1!A1","cellCount":1,"values":[[""]],"valueTypes":[["Empty"]]}`)
	f.on("PATCH /worksheets/Sheet1/range(address='A1:B2')", 200, `{"address":"Sheet1!A1:B2"}`)
	if r, err := ws.AppendRows(ctx, rows); err != nil || r.Address != "Sheet1!A1:B2" {
		t.Errorf("empty sheet: %v %v", err, r)
	}
	for _, bad := range []excel.Values{nil, {{}}, excel.MustValues([]any{1, 2}, []any{3})} {
		if _, err := ws.AppendRows(ctx, bad); !errors.Is(err, excel.ErrShape) {
			t.Errorf("AppendRows(%v) = %v", bad, err)
		}
	}
	f.reset("GET /worksheets/Sheet1/usedRange(valuesOnly=true)")
	if _, err := ws.AppendRows(ctx, rows); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("used range missing: %v", err)
	}
}

// Save sends only what changed; nothing changed, nothing sent.
func TestSaveSendsOnlyChanges(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	wb := f.open()
	r, _ := loadRange(ctx, wb)
	tbl, _ := loadTable(ctx, wb)
	fm, _ := loadFormat(ctx, wb)
	font, _ := fm.Font(ctx)
	n, _ := wb.NamedItem(ctx, "Total")
	ws, _ := wb.Worksheet(ctx, "Sheet1")
	f.clear()
	for _, save := range []func(context.Context) error{r.Save, tbl.Save, fm.Save, font.Save, n.Save, ws.Save} {
		if err := save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if reqs := f.requests(); len(reqs) != 0 {
		t.Errorf("unchanged models sent %v", paths(reqs))
	}
	// false and "" are changes like any other.
	tbl.ShowHeaders, tbl.Style = false, ""
	f.on("PATCH /tables/7", 200, `{"id":"7","name":"Table1","showHeaders":false}`)
	if err := tbl.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if last := f.requests()[0]; !jsonEq(t, `{"showHeaders":false,"style":""}`, last.Body) {
		t.Errorf("body %s", last.Body)
	}
	// Number formats and formulas are tracked too; an edit in place is seen.
	f.clear()
	r.NumberFormat[1][1] = "0.00"
	r.Formulas[1][1] = excel.String("=A1*2")
	f.on("PATCH "+sheetR, 200, rangeJSON("Sheet1!A1:B2"))
	if err := r.Save(ctx); err != nil {
		t.Fatal(err)
	}
	var body map[string]json.RawMessage
	_ = json.Unmarshal([]byte(f.requests()[0].Body), &body)
	if len(body) != 2 || body["numberFormat"] == nil || body["formulas"] == nil {
		t.Errorf("body %s", f.requests()[0].Body)
	}
}

// Models decoded by the caller, and handles with empty names, fail cleanly.
func TestUnboundAndEmpty(t *testing.T) {
	ctx := context.Background()
	var r excel.Range
	var tbl excel.Table
	var c excel.TableColumn
	var row excel.TableRow
	var n excel.NamedItem
	var ws excel.Worksheet
	var fm excel.RangeFormat
	var font excel.Font
	var fill excel.Fill
	for name, err := range map[string]error{
		"range": r.Save(ctx), "table": tbl.Save(ctx), "column": c.Delete(ctx), "row": row.Delete(ctx), "name": n.Delete(ctx),
		"worksheet": ws.Save(ctx), "format": fm.Save(ctx), "font": font.Save(ctx), "fill": fill.Clear(ctx),
	} {
		if !errors.Is(err, excel.ErrUnbound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := r.Cell(ctx, 0, 0); !errors.Is(err, excel.ErrUnbound) {
		t.Errorf("unbound navigation: %v", err)
	}

	f := newFake(t)
	wb := f.open()
	f.clear()
	for name, err := range map[string]error{
		"Worksheet":       func() error { _, err := wb.Worksheet(ctx, ""); return err }(),
		"DeleteWorksheet": wb.DeleteWorksheet(ctx, ""),
		"Table":           func() error { _, err := wb.Table(ctx, ""); return err }(),
		"NamedItem":       func() error { _, err := wb.NamedItem(ctx, ""); return err }(),
		"AddName":         func() error { _, err := wb.AddName(ctx, "", "=A1", ""); return err }(),
		"Range":           func() error { _, err := wb.Sheet("Sheet1").Range("").Get(ctx); return err }(),
		"Sheet":           func() error { _, err := wb.Sheet("").Get(ctx); return err }(),
		"Rename":          wb.Sheet("Sheet1").Rename(ctx, ""),
		"Intersection":    func() error { _, err := wb.Sheet("S").Range("A1").Intersection(ctx, ""); return err }(),
		"InvokeFunction":  func() error { _, err := wb.InvokeFunction(ctx, ""); return err }(),
	} {
		if !errors.Is(err, excel.ErrEmptyName) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := wb.Range("A1").Get(ctx); !errors.Is(err, excel.ErrBadAddress) {
		t.Errorf("Range without a sheet: %v", err)
	}
	for name, err := range map[string]error{
		"Cell":   func() error { _, err := wb.Sheet("S").Cell(ctx, -1, 0); return err }(),
		"Row":    func() error { _, err := wb.Sheet("S").Range("A1").Row(ctx, -1); return err }(),
		"Column": func() error { _, err := wb.Sheet("S").Range("A1").Column(ctx, -1); return err }(),
		"Move":   wb.Sheet("S").Move(ctx, -1),
		"Delete": wb.Sheet("S").Range("A1").Delete(ctx, excel.ShiftDown),
		"Insert": func() error { _, err := wb.Sheet("S").Range("A1").Insert(ctx, excel.ShiftUp); return err }(),
	} {
		if err == nil {
			t.Errorf("%s accepted a bad argument", name)
		}
	}
	if reqs := f.requests(); len(reqs) != 0 {
		t.Errorf("requests for refused calls: %v", paths(reqs))
	}
}

func TestInvokeFunctionErrors(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	wb := f.open()
	f.on("POST /functions/vlookup", 200, `{"error":"#N/A","value":null}`)
	_, err := wb.InvokeFunction(ctx, "vlookup", excel.A("lookupValue", "kiwi"))
	var fe *excel.FunctionError
	if !errors.Is(err, excel.ErrFunction) || !errors.As(err, &fe) || fe.Code != "#N/A" {
		t.Errorf("err = %v", err)
	}
	f.on("POST /functions/pmt", 200, `{"error":null,"value":-98.74}`)
	v, err := wb.InvokeFunction(ctx, "pmt", excel.A("rate", 0.035/12), excel.A("nper", 120), excel.A("pv", excel.Int(-10000)))
	if err != nil || v.String() != "-98.74" {
		t.Errorf("pmt = %v, %v", v, err)
	}
	if !jsonEq(t, `{"rate":0.0029166666666666668,"nper":120,"pv":-10000}`, f.requests()[len(f.requests())-1].Body) {
		t.Errorf("body %s", f.requests()[len(f.requests())-1].Body)
	}
	f.on("POST /functions/today", 200, `{"value":[1,2]}`)
	if _, err := wb.InvokeFunction(ctx, "today"); err == nil {
		t.Error("an array decoded as one value")
	}
	if _, err := wb.InvokeFunction(ctx, "abs", excel.A("", 1)); err == nil {
		t.Error("an argument without a name was sent")
	}
}
