package excel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
)

// Library calls checked end to end against the emulator's workbook engine, on the
// seeded Budget.xlsx.

func TestEmulatorWorksheetNames(t *testing.T) {
	ctx := context.Background()
	wb := startEmu(t).open()
	for _, ws := range []*excel.Worksheet{wb.Sheet("Budget"), wb.Sheet("{00000000-0001-0000-0000-000000000000}")} {
		n, err := ws.AddName(ctx, "Rents", "=Budget!$C$2:$C$3", "two rents")
		if err != nil {
			t.Fatal(err)
		}
		if n.Scope != "Budget" || n.Type != "Range" {
			t.Errorf("added %+v", n)
		}
		if _, err := ws.AddName(ctx, "Rents", "=Budget!$C$2", ""); err == nil {
			t.Error("duplicate name accepted")
		}
		got := must[*excel.NamedItem](t)(ws.NamedItem(ctx, "Rents"))
		r := must[*excel.Range](t)(got.Range(ctx))
		if s := values(t, r); s != "[[1200] [345.5]]" {
			t.Errorf("name range %s", s)
		}
		got.Comment = "rents"
		if err := got.Save(ctx); err != nil {
			t.Fatal(err)
		}
		f := must[*excel.NamedItem](t)(ws.AddNameFormula(ctx, "Twice", "=SUM(Budget!$C$2:$C$3)*2", ""))
		if f.Scope != "Budget" {
			t.Errorf("formula name %+v", f)
		}
		var names []string
		for _, n := range collect(t, ws.Names(ctx, nil)) {
			names = append(names, n.Name+":"+n.Comment)
		}
		if fmt.Sprint(names) != "[Rents:rents Twice:]" {
			t.Errorf("sheet names %v", names)
		}
		if _, err := wb.NamedItem(ctx, "Rents"); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("sheet name seen in workbook scope: %v", err)
		}
		for _, n := range []*excel.NamedItem{got, f} {
			if err := n.Delete(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := ws.NamedItem(ctx, "Rents"); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("deleted sheet name: %v", err)
		}
	}
}

func TestEmulatorAddNameFormula(t *testing.T) {
	ctx := context.Background()
	wb := startEmu(t).open()
	n := must[*excel.NamedItem](t)(wb.AddNameFormula(ctx, "Doubled", "=BudgetTotal*2", "x2"))
	if n.Scope != "Workbook" || n.Comment != "x2" {
		t.Errorf("added %+v", n)
	}
	rg := wb.Sheet("Budget").Range("E1")
	if err := rg.SetFormulas(ctx, excel.MustValues([]any{"=Doubled"})); err != nil {
		t.Fatal(err)
	}
	if s := values(t, must[*excel.Range](t)(rg.Get(ctx))); s != "[[7091.5]]" {
		t.Errorf("=Doubled is %s", s)
	}
	if _, err := wb.AddNameFormula(ctx, "Bad", "=SUM(", ""); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("bad formula: %v", err)
	}
}

func TestEmulatorTableNavigation(t *testing.T) {
	ctx := context.Background()
	wb := startEmu(t).open()
	tb := must[*excel.Table](t)(wb.Table(ctx, "Expenses"))
	col := must[*excel.TableColumn](t)(tb.ColumnAt(ctx, 1))
	if col.Name != "Month" || col.Index != 1 {
		t.Errorf("ColumnAt(1) = %+v", col)
	}
	if _, err := tb.ColumnAt(ctx, 7); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("ColumnAt(7): %v", err)
	}
	ws := must[*excel.Worksheet](t)(tb.Worksheet(ctx))
	if ws.Name != "Budget" {
		t.Errorf("table worksheet %+v", ws)
	}
	row := must[*excel.TableRow](t)(tb.RowAt(ctx, 3))
	r := must[*excel.Range](t)(row.Range(ctx))
	if r.Address != "Budget!A5:C5" || values(t, r) != "[[Travel February 620]]" {
		t.Errorf("row range %s %s", r.Address, values(t, r))
	}
	for _, row := range collect(t, tb.Rows(ctx, nil)) {
		r := must[*excel.Range](t)(row.Range(ctx))
		if want := fmt.Sprintf("Budget!A%d:C%d", row.Index+2, row.Index+2); r.Address != want {
			t.Errorf("row %d range %s", row.Index, r.Address)
		}
	}
}

func TestEmulatorColumnFilter(t *testing.T) {
	ctx := context.Background()
	wb := startEmu(t).open()
	tb := must[*excel.Table](t)(wb.Table(ctx, "Expenses"))
	col := must[*excel.TableColumn](t)(tb.Column(ctx, "Category"))
	hidden := func() string {
		t.Helper()
		var out []bool
		for row := 2; row <= 6; row++ {
			r := must[*excel.Range](t)(wb.Sheet("Budget").Range(fmt.Sprintf("A%d", row)).Get(ctx))
			out = append(out, r.RowHidden)
		}
		return fmt.Sprint(out)
	}
	f := must[*excel.Filter](t)(col.Filter(ctx))
	if f.Criteria != nil {
		t.Errorf("unfiltered column has %+v", f.Criteria)
	}
	if err := col.ApplyValuesFilter(ctx, "Rent"); err != nil {
		t.Fatal(err)
	}
	f = must[*excel.Filter](t)(col.Filter(ctx))
	if f.Criteria == nil || f.Criteria.FilterOn != excel.FilterValues || fmt.Sprint(f.Criteria.Values) != "[Rent]" {
		t.Errorf("filter %+v", f.Criteria)
	}
	if h := hidden(); h != "[false true true true false]" {
		t.Errorf("after the values filter: %s", h)
	}
	amount := must[*excel.TableColumn](t)(tb.ColumnAt(ctx, 2))
	if err := amount.ApplyFilter(ctx, excel.FilterCriteria{FilterOn: excel.FilterCustom, Criterion1: ">1000"}); err != nil {
		t.Fatal(err)
	}
	if err := col.ClearFilter(ctx); err != nil {
		t.Fatal(err)
	}
	if h := hidden(); h != "[false true true true false]" {
		t.Errorf("after the custom filter: %s", h)
	}
	if err := tb.ClearFilters(ctx); err != nil {
		t.Fatal(err)
	}
	if h := hidden(); h != "[false false false false false]" {
		t.Errorf("after ClearFilters: %s", h)
	}
	if err := amount.ApplyFilter(ctx, excel.FilterCriteria{FilterOn: excel.FilterTopItems, Criterion1: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := wb.Sheet("Budget").Range("C4").SetValues(ctx, excel.MustValues([]any{5000})); err != nil {
		t.Fatal(err)
	}
	if err := tb.ReapplyFilters(ctx); err != nil {
		t.Fatal(err)
	}
	if h := hidden(); h != "[true true false true true]" {
		t.Errorf("after ReapplyFilters: %s", h)
	}
}

func TestEmulatorFormulasR1C1AndLocal(t *testing.T) {
	ctx := context.Background()
	wb := startEmu(t).open()
	rg := wb.Sheet("Budget").Range("E1:E2")
	if err := rg.SetFormulasR1C1(ctx, excel.MustValues([]any{"=R2C3"}, []any{"=R[-1]C*2"})); err != nil {
		t.Fatal(err)
	}
	got := must[*excel.Range](t)(rg.Get(ctx))
	if values(t, got) != "[[1200] [2400]]" || fmt.Sprint(got.Formulas.Strings()) != "[[=$C$2] [=E1*2]]" ||
		fmt.Sprint(got.FormulasR1C1.Strings()) != "[[=R2C3] [=R[-1]C*2]]" {
		t.Errorf("R1C1: %s %s %s", values(t, got), got.Formulas.Strings(), got.FormulasR1C1.Strings())
	}
	local := wb.Sheet("Budget").Range("F1")
	if err := local.SetFormulasLocal(ctx, excel.MustValues([]any{"=SUM(C2:C3)"})); err != nil {
		t.Fatal(err)
	}
	if s := values(t, must[*excel.Range](t)(local.Get(ctx))); s != "[[1545.5]]" {
		t.Errorf("formulasLocal: %s", s)
	}
	if err := wb.Sheet("Budget").Range("A1").SetFormulasR1C1(ctx, excel.MustValues([]any{"=R[-1]C"})); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("reference above row 1: %v", err)
	}
}

func TestEmulatorHiddenRowsAndColumns(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	sh := wb.Sheet("Budget")
	if err := sh.Range("B1").SetColumnHidden(ctx, true); err != nil {
		t.Fatal(err)
	}
	if err := sh.Range("A3:C4").SetRowHidden(ctx, true); err != nil {
		t.Fatal(err)
	}
	col := must[*excel.Range](t)(sh.Range("B7").Get(ctx))
	row := must[*excel.Range](t)(sh.Range("A3:A4").Get(ctx))
	other := must[*excel.Range](t)(sh.Range("A2").Get(ctx))
	if !col.ColumnHidden || col.RowHidden || !row.RowHidden || row.ColumnHidden || !row.Hidden || other.Hidden {
		t.Errorf("hidden: B7 %v/%v, A3:A4 %v/%v/%v, A2 %v", col.ColumnHidden, col.RowHidden, row.RowHidden, row.ColumnHidden, row.Hidden, other.Hidden)
	}
	// Kept across a fresh open (read back from the saved file).
	wb2 := e.open()
	if r := must[*excel.Range](t)(wb2.Sheet("Budget").Range("B1:B2").Get(ctx)); !r.ColumnHidden {
		t.Error("hidden column not kept")
	}
	if err := sh.Range("A3:A4").SetRowHidden(ctx, false); err != nil {
		t.Fatal(err)
	}
	if r := must[*excel.Range](t)(sh.Range("A3").Get(ctx)); r.RowHidden {
		t.Error("row still hidden")
	}
}

func TestEmulatorLookupFunctions(t *testing.T) {
	ctx := context.Background()
	wb := startEmu(t).open()
	tbl := excel.Ref("Budget!A2:C6")
	cases := []struct {
		name string
		args []excel.Arg
		want string
	}{
		{"vlookup", []excel.Arg{excel.A("lookupValue", "Travel"), excel.A("tableArray", tbl), excel.A("colIndexNum", 3), excel.A("rangeLookup", false)}, "620"},
		{"hlookup", []excel.Arg{excel.A("lookupValue", "Month"), excel.A("tableArray", excel.Ref("Budget!A1:C6")), excel.A("rowIndexNum", 5), excel.A("rangeLookup", false)}, "February"},
		{"match", []excel.Arg{excel.A("lookupValue", "Utilities"), excel.A("lookupArray", excel.Ref("Budget!A2:A6")), excel.A("matchType", 0)}, "3"},
		{"countIf", []excel.Arg{excel.A("range", excel.Ref("Budget!A2:A6")), excel.A("criteria", "Rent")}, "2"},
		{"sumIf", []excel.Arg{excel.A("range", excel.Ref("Budget!A2:A6")), excel.A("criteria", "Rent"), excel.A("sumRange", excel.Ref("Budget!C2:C6"))}, "2400"},
		{"averageIf", []excel.Arg{excel.A("range", excel.Ref("Budget!C2:C6")), excel.A("criteria", "<500")}, "262.875"},
		{"index", []excel.Arg{excel.A("array", tbl), excel.A("rowNum", 2), excel.A("columnNum", 1)}, "Groceries"},
		{"today", nil, "46083"},
	}
	for _, c := range cases {
		v, err := wb.InvokeFunction(ctx, c.name, c.args...)
		if err != nil || v.String() != c.want {
			t.Errorf("%s = %v, %v; want %s", c.name, v, err, c.want)
		}
	}
	_, err := wb.InvokeFunction(ctx, "vlookup", excel.A("lookupValue", "pear"), excel.A("tableArray", tbl), excel.A("colIndexNum", 2), excel.A("rangeLookup", false))
	var fe *excel.FunctionError
	if !errors.As(err, &fe) || fe.Code != "#N/A" || !errors.Is(err, excel.ErrFunction) {
		t.Errorf("missing key: %v", err)
	}
	rg := wb.Sheet("Budget").Range("E1")
	if err := rg.SetFormulas(ctx, excel.MustValues([]any{`=INDEX(A2:C6,MATCH("Travel",A2:A6,0),3)+COUNTIF(A:A,"Rent")`})); err != nil {
		t.Fatal(err)
	}
	if s := values(t, must[*excel.Range](t)(rg.Get(ctx))); s != "[[622]]" {
		t.Errorf("INDEX/MATCH/COUNTIF: %s", s)
	}
}
