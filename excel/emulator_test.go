package excel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// A *drive.Item is a workbook source.
var _ excel.Source = (*drive.Item)(nil)

// A nil or unbound drive item is refused, not a panic.
func TestOpenNilDriveItem(t *testing.T) {
	ctx := context.Background()
	for _, it := range []*drive.Item{nil, {}} {
		if _, err := excel.Open(ctx, it); !errors.Is(err, excel.ErrNoSource) {
			t.Errorf("Open(%v) = %v", it, err)
		}
	}
}

// The seeded Documents/Budget.xlsx in Adele's OneDrive: a "Budget" sheet with the
// Expenses table (A1:C6: Category, Month, Amount), a total in C8 (=SUM(C2:C6), 3545.75,
// named BudgetTotal) and a "Notes" sheet whose B2 is =Budget!C8.

type emu struct {
	t     *testing.T
	srv   *emulator.Server
	clock *emulator.Clock
	item  *drive.Item
}

func startEmu(t *testing.T) *emu {
	t.Helper()
	clock := emulator.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	acct, srv := o365test.Start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo"; o.Now = clock.Now }))
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	it, err := d.ItemByPath(ctx, "Documents/Budget.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	return &emu{t: t, srv: srv, clock: clock, item: it}
}

func (e *emu) open(opts ...excel.Option) *excel.Workbook {
	e.t.Helper()
	opts = append([]excel.Option{excel.WithPollInterval(time.Millisecond)}, opts...)
	wb, err := excel.Open(context.Background(), e.item, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = wb.Close(context.Background()) })
	return wb
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func collect[T any](t *testing.T, seq func(func(*T, error) bool)) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func values(t *testing.T, r *excel.Range) string {
	t.Helper()
	return fmt.Sprint(r.Values.Strings())
}

func TestEmulatorWorksheets(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	var names []string
	for _, ws := range collect(t, wb.Worksheets(ctx, nil)) {
		names = append(names, ws.Name)
	}
	if diff := cmp.Diff([]string{"Budget", "Notes"}, names); diff != "" {
		t.Fatalf("sheets (-want +got):\n%s", diff)
	}
	budget := must[*excel.Worksheet](t)(wb.Worksheet(ctx, "Budget"))
	byID := must[*excel.Worksheet](t)(wb.Worksheet(ctx, budget.ID))
	if byID.Name != "Budget" || budget.Position != 0 || budget.Visibility != excel.Visible {
		t.Errorf("by id: %+v", byID)
	}
	if r, err := byID.Range("A1").Get(ctx); err != nil || r.Values[0][0].String() != "Category" {
		t.Errorf("a range of a sheet addressed by id: %v %v", err, r)
	}
	ws := must[*excel.Worksheet](t)(wb.AddWorksheet(ctx, "Q2"))
	if err := ws.Rename(ctx, "Q2 plan"); err != nil {
		t.Fatal(err)
	}
	if err := ws.Move(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := ws.SetVisibility(ctx, excel.Hidden); err != nil {
		t.Fatal(err)
	}
	got := must[*excel.Worksheet](t)(wb.Worksheet(ctx, "Q2 plan"))
	if got.Position != 0 || got.Visibility != excel.Hidden {
		t.Errorf("after move and hide: %+v", got)
	}
	got.Visibility = excel.Visible
	if err := got.Save(ctx); err != nil || got.Visibility != excel.Visible {
		t.Errorf("Save: %v %+v", err, got)
	}
	if err := got.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Worksheet(ctx, "Q2 plan"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleted sheet: %v", err)
	}
	if err := wb.DeleteWorksheet(ctx, "No such"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("delete missing: %v", err)
	}
	if _, err := wb.AddWorksheet(ctx, "Budget"); err == nil {
		t.Error("a second sheet named Budget")
	}
}

func TestEmulatorRanges(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	ws := wb.Sheet("Budget")

	r := must[*excel.Range](t)(ws.Range("A1:C3").Get(ctx))
	if r.Address != "Budget!A1:C3" || r.RowCount != 3 || r.ColumnCount != 3 {
		t.Fatalf("range %+v", r)
	}
	if got := values(t, r); got != "[[Category Month Amount] [Rent January 1200] [Groceries January 345.5]]" {
		t.Errorf("values %s", got)
	}
	if r.Values[1][2].Kind() != excel.KindNumber || r.Values[0][0].Kind() != excel.KindString {
		t.Errorf("kinds %v %v", r.Values[1][2].Kind(), r.Values[0][0].Kind())
	}
	total := must[*excel.Range](t)(wb.Range("Budget!C8").Get(ctx))
	if f, _ := total.Values[0][0].Float(); f != 3545.75 || total.Formulas[0][0].String() != "=SUM(C2:C6)" {
		t.Errorf("total %v formula %v", total.Values, total.Formulas)
	}

	// Writing recalculates: the total and the other sheet follow.
	c2 := ws.Range("C2")
	if err := c2.SetValues(ctx, excel.MustValues([]any{1000})); err != nil {
		t.Fatal(err)
	}
	total = must[*excel.Range](t)(total.Get(ctx))
	notes := must[*excel.Range](t)(wb.Range("Notes!B2").Get(ctx))
	if values(t, total) != "[[3345.75]]" || values(t, notes) != "[[3345.75]]" {
		t.Errorf("recalculated: %s %s", values(t, total), values(t, notes))
	}
	// Formulas, number formats, errors.
	e1 := ws.Range("E1:F1")
	if err := e1.SetFormulas(ctx, excel.MustValues([]any{"=C2*2", "=1/0"})); err != nil {
		t.Fatal(err)
	}
	if e1.Values[0][0].String() != "2000" || e1.Values[0][1].Kind() != excel.KindError {
		t.Errorf("formulas gave %v (%v)", e1.Values, e1.ValueTypes)
	}
	if err := e1.SetNumberFormat(ctx, [][]string{{"0.00", "General"}}); err != nil {
		t.Fatal(err)
	}
	e1 = must[*excel.Range](t)(e1.Get(ctx))
	if e1.NumberFormat[0][0] != "0.00" || e1.Text[0][0] != "2000.00" {
		t.Errorf("number format %v text %v", e1.NumberFormat, e1.Text)
	}
	// Save sends what changed.
	e1.Values[0][0] = excel.Number(7)
	e1.Formulas, e1.FormulasLocal, e1.FormulasR1C1 = nil, nil, nil
	if err := e1.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if v := must[*excel.Range](t)(ws.Range("E1").Get(ctx)); values(t, v) != "[[7]]" {
		t.Errorf("after Save: %s", values(t, v))
	}

	// Navigation.
	base := must[*excel.Range](t)(ws.Range("A1:C6").Get(ctx))
	for _, tc := range []struct {
		name string
		got  func() (*excel.Range, error)
		want string
	}{
		{"Cell", func() (*excel.Range, error) { return base.Cell(ctx, 1, 2) }, "Budget!C2"},
		{"Row", func() (*excel.Range, error) { return base.Row(ctx, 2) }, "Budget!A3:C3"},
		{"Column", func() (*excel.Range, error) { return base.Column(ctx, 1) }, "Budget!B1:B6"},
		{"RowsAbove", func() (*excel.Range, error) { return ws.Range("A3:C3").RowsAbove(ctx, 2) }, "Budget!A1:C2"},
		{"RowsBelow", func() (*excel.Range, error) { return base.RowsBelow(ctx, 1) }, "Budget!A7:C7"},
		{"ColumnsBefore", func() (*excel.Range, error) { return ws.Range("B1:B2").ColumnsBefore(ctx, 1) }, "Budget!A1:A2"},
		{"ColumnsAfter", func() (*excel.Range, error) { return base.ColumnsAfter(ctx, 2) }, "Budget!D1:E6"},
		{"EntireRow", func() (*excel.Range, error) { return ws.Range("B2").EntireRow(ctx) }, "Budget!2:2"},
		{"EntireColumn", func() (*excel.Range, error) { return ws.Range("B2").EntireColumn(ctx) }, "Budget!B:B"},
		{"LastCell", func() (*excel.Range, error) { return base.LastCell(ctx) }, "Budget!C6"},
		{"LastRow", func() (*excel.Range, error) { return base.LastRow(ctx) }, "Budget!A6:C6"},
		{"LastColumn", func() (*excel.Range, error) { return base.LastColumn(ctx) }, "Budget!C1:C6"},
		{"Offset", func() (*excel.Range, error) { return ws.Range("A1:B2").Offset(ctx, 2, 1) }, "Budget!B3:C4"},
		{"Resize", func() (*excel.Range, error) { return ws.Range("A1").Resize(ctx, 2, 1) }, "Budget!A1:B3"},
		{"Intersection", func() (*excel.Range, error) { return base.Intersection(ctx, "B5:D9") }, "Budget!B5:C6"},
		{"BoundingRect", func() (*excel.Range, error) { return ws.Range("A1").BoundingRect(ctx, "C3") }, "Budget!A1:C3"},
		{"UsedRange", func() (*excel.Range, error) { return ws.UsedRange(ctx, true) }, "Budget!A1:F8"},
		{"Worksheet.Cell", func() (*excel.Range, error) { return ws.Cell(ctx, 7, 2) }, "Budget!C8"},
	} {
		got, err := tc.got()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got.Address != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, got.Address, tc.want)
		}
	}
	if ws2, err := base.Worksheet(ctx); err != nil || ws2.Name != "Budget" {
		t.Errorf("Range.Worksheet: %v %v", err, ws2)
	}
	if _, err := ws.Range("A1").Row(ctx, -1); err == nil {
		t.Error("negative row")
	}
	if _, err := wb.Range("Nope!A1").Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing sheet: %v", err)
	}
	if _, err := ws.Range("A1:ZZZZ9").Get(ctx); err == nil {
		t.Error("bad address accepted")
	}
}

func TestEmulatorRangeEdits(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	ws := wb.Sheet("Notes")
	if _, err := ws.UpdateCells(ctx, "D1:E2", excel.MustValues([]any{"a", 1}, []any{"b", 2})); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.UpdateCells(ctx, "D1:E2", excel.MustValues([]any{"a"})); !errors.Is(err, excel.ErrShape) {
		t.Errorf("shape: %v", err)
	}
	// Insert shifts the cells down, Delete brings them back up.
	ins := must[*excel.Range](t)(ws.Range("D1:E1").Insert(ctx, excel.ShiftDown))
	if ins.Address != "Notes!D1:E1" {
		t.Errorf("inserted %s", ins.Address)
	}
	if v := must[*excel.Range](t)(ws.Range("D2:E3").Get(ctx)); values(t, v) != "[[a 1] [b 2]]" {
		t.Errorf("after insert %s", values(t, v))
	}
	if err := ws.Range("D1:E1").Delete(ctx, excel.ShiftUp); err != nil {
		t.Fatal(err)
	}
	if v := must[*excel.Range](t)(ws.Range("D1:E1").Get(ctx)); values(t, v) != "[[a 1]]" {
		t.Errorf("after delete %s", values(t, v))
	}
	if err := ws.Range("D1:E1").Merge(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := ws.Range("D1:E1").Unmerge(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ws.Range("D1:E2").Clear(ctx, excel.ClearContents); err != nil {
		t.Fatal(err)
	}
	if v := must[*excel.Range](t)(ws.Range("D1:E2").Get(ctx)); values(t, v) != "[[ ] [ ]]" {
		t.Errorf("after clear %s", values(t, v))
	}
	// Append below the used range.
	r := must[*excel.Range](t)(wb.Sheet("Budget").AppendRows(ctx, excel.MustValues([]any{"Books", "March", 42})))
	if r.Address != "Budget!A9:C9" {
		t.Errorf("appended at %s", r.Address)
	}
}

func TestEmulatorFormats(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	r := wb.Sheet("Budget").Range("A1:C1")
	f := must[*excel.RangeFormat](t)(r.Format(ctx))
	f.HorizontalAlignment, f.WrapText, f.ColumnWidth = excel.AlignCenter, true, 120
	if err := f.Save(ctx); err != nil {
		t.Fatal(err)
	}
	f = must[*excel.RangeFormat](t)(r.Format(ctx))
	if f.HorizontalAlignment != excel.AlignCenter || !f.WrapText {
		t.Errorf("format %+v", f)
	}
	font := must[*excel.Font](t)(f.Font(ctx))
	if !font.Bold {
		t.Errorf("header font %+v", font)
	}
	font.Bold, font.Color, font.Size = false, "#FF0000", 14
	if err := font.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if got := must[*excel.Font](t)(f.Font(ctx)); got.Bold || got.Color != "#FF0000" || got.Size != 14 {
		t.Errorf("font after Save %+v", got)
	}
	fill := must[*excel.Fill](t)(f.Fill(ctx))
	if err := fill.SetColor(ctx, "#FFFF00"); err != nil {
		t.Fatal(err)
	}
	if got := must[*excel.Fill](t)(f.Fill(ctx)); got.Color != "#FFFF00" {
		t.Errorf("fill %+v", got)
	}
	if err := fill.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.SetBorders(ctx, excel.Border{Style: excel.BorderContinuous, Weight: excel.WeightThick, Color: "#0000FF"}); err != nil {
		t.Fatal(err)
	}
	b := must[*excel.Border](t)(f.Border(ctx, excel.EdgeBottom))
	if b.Style != excel.BorderContinuous || b.Weight != excel.WeightThick {
		t.Errorf("bottom border %+v", b)
	}
	bs, err := f.Borders(ctx)
	if err != nil || len(bs) == 0 {
		t.Errorf("borders %v %v", bs, err)
	}
	if err := f.AutofitColumns(ctx); err != nil {
		t.Error(err)
	}
	if err := f.AutofitRows(ctx); err != nil {
		t.Error(err)
	}
}

func TestEmulatorTables(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	tables := collect(t, wb.Tables(ctx, nil))
	if len(tables) != 1 || tables[0].Name != "Expenses" {
		t.Fatalf("tables %+v", tables)
	}
	tbl := must[*excel.Table](t)(wb.Table(ctx, "Expenses"))
	if got := collect(t, wb.Sheet("Budget").Tables(ctx, nil)); len(got) != 1 {
		t.Errorf("sheet tables %d", len(got))
	}
	for name, f := range map[string]func(context.Context) (*excel.Range, error){
		"Budget!A1:C6": tbl.Range, "Budget!A1:C1": tbl.HeaderRowRange, "Budget!A2:C6": tbl.DataBodyRange,
	} {
		if r, err := f(ctx); err != nil || r.Address != name {
			t.Errorf("%s: %v %v", name, r, err)
		}
	}
	cols := collect(t, tbl.Columns(ctx, &graph.ListOptions{PageSize: 2}))
	if len(cols) != 3 || cols[2].Name != "Amount" {
		t.Fatalf("columns %+v", cols)
	}
	amount := must[*excel.TableColumn](t)(tbl.Column(ctx, "Amount"))
	if amount.Values[0][0].String() != "Amount" || len(amount.Values) != 6 {
		t.Errorf("amount column %v", amount.Values)
	}
	if r, err := amount.DataBodyRange(ctx); err != nil || r.Address != "Budget!C2:C6" {
		t.Errorf("column body %v %v", r, err)
	}
	rows := collect(t, tbl.Rows(ctx, &graph.ListOptions{PageSize: 2}))
	if len(rows) != 5 || rows[4].Values[0][0].String() != "Rent" {
		t.Fatalf("rows %+v", rows)
	}
	row := must[*excel.TableRow](t)(tbl.RowAt(ctx, 1))
	if err := row.Update(ctx, excel.MustValues([]any{"Food", "January", 400})); err != nil {
		t.Fatal(err)
	}
	if got := must[*excel.TableRow](t)(tbl.RowAt(ctx, 1)); values(t, &excel.Range{Values: got.Values}) != "[[Food January 400]]" {
		t.Errorf("row after update %v", got.Values)
	}
	added := must[*excel.TableRow](t)(tbl.AddRows(ctx, excel.MustValues([]any{"Books", "March", 42.5}, []any{"Taxi", "March", 18})))
	_ = added
	if n := len(collect(t, tbl.Rows(ctx, nil))); n != 7 {
		t.Errorf("%d rows after adding two", n)
	}
	if err := tbl.DeleteRow(ctx, 6); err != nil {
		t.Fatal(err)
	}
	// Filters.
	month := must[*excel.TableColumn](t)(tbl.Column(ctx, "Month"))
	if err := month.ApplyValuesFilter(ctx, "January"); err != nil {
		t.Fatal(err)
	}
	if err := tbl.ReapplyFilters(ctx); err != nil {
		t.Fatal(err)
	}
	if err := month.ClearFilter(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tbl.ClearFilters(ctx); err != nil {
		t.Fatal(err)
	}
	// Update, add a column, convert.
	tbl.Style, tbl.ShowTotals = "TableStyleLight9", true
	if err := tbl.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if got := must[*excel.Table](t)(tbl.Get(ctx)); got.Style != "TableStyleLight9" || !got.ShowTotals {
		t.Errorf("after Save %+v", got)
	}
	col := must[*excel.TableColumn](t)(tbl.AddColumn(ctx, "Note", -1, nil))
	if col.Name != "Note" {
		t.Errorf("added column %+v", col)
	}
	if err := tbl.DeleteColumn(ctx, "Note"); err != nil {
		t.Fatal(err)
	}
	nt := must[*excel.Table](t)(wb.Sheet("Notes").AddTable(ctx, "D1:E3", true))
	if nt.ShowHeaders != true {
		t.Errorf("new table %+v", nt)
	}
	if _, err := nt.ConvertToRange(ctx); err != nil {
		t.Fatal(err)
	}
	nt2 := must[*excel.Table](t)(wb.AddTable(ctx, "Notes!G1:H2", false))
	if err := nt2.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := wb.Table(ctx, "NoSuchTable"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing table: %v", err)
	}
}

func TestEmulatorNamesFunctionsApplication(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	names := collect(t, wb.Names(ctx, nil))
	if len(names) != 1 || names[0].Name != "BudgetTotal" {
		t.Fatalf("names %+v", names)
	}
	n := must[*excel.NamedItem](t)(wb.NamedItem(ctx, "BudgetTotal"))
	r := must[*excel.Range](t)(n.Range(ctx))
	if r.Address != "Budget!C8" || values(t, r) != "[[3545.75]]" {
		t.Errorf("BudgetTotal %s %s", r.Address, values(t, r))
	}
	added := must[*excel.NamedItem](t)(wb.AddName(ctx, "Rents", "=Budget!$C$2:$C$3", "two rents"))
	if added.Comment != "two rents" {
		t.Errorf("added %+v", added)
	}
	added.Comment = "rents"
	if err := added.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := added.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := wb.NamedItem(ctx, "Rents"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleted name: %v", err)
	}

	v, err := wb.InvokeFunction(ctx, "sum", excel.A("values", []any{excel.Ref("Budget!C2:C6"), 4.25}))
	if err != nil || v.String() != "3550" {
		t.Errorf("sum = %v, %v", v, err)
	}
	a := must[*excel.Application](t)(wb.Application(ctx))
	if a.CalculationMode != excel.CalculationAutomatic {
		t.Errorf("application %+v", a)
	}
	if err := wb.Calculate(ctx, excel.CalculateFull); err != nil {
		t.Error(err)
	}
}

// Sessions against the emulator: expiry recreates a persistent session and retries;
// non-persistent changes never reach the file.
func TestEmulatorSessions(t *testing.T) {
	ctx := context.Background()
	e := startEmu(t)
	wb := e.open()
	first := wb.Session().ID
	e.clock.Advance(30 * time.Minute) // the library's own clock did not move: no refresh first
	if _, err := wb.Sheet("Budget").Range("C2").Get(ctx); err != nil {
		t.Fatalf("after the session expired: %v", err)
	}
	if wb.Session().ID == first || wb.Session().ID == "" {
		t.Errorf("session not replaced: %q", wb.Session().ID)
	}
	if err := wb.Close(ctx); err != nil {
		t.Fatal(err)
	}

	tmp := e.open(excel.WithSession(excel.NonPersistent))
	if err := tmp.Sheet("Budget").Range("C2").SetValues(ctx, excel.MustValues([]any{1})); err != nil {
		t.Fatal(err)
	}
	if v := must[*excel.Range](t)(tmp.Range("Budget!C8").Get(ctx)); values(t, v) != "[[2346.75]]" {
		t.Errorf("what-if total %s", values(t, v))
	}
	if err := tmp.Close(ctx); err != nil {
		t.Fatal(err)
	}
	plain := e.open(excel.WithSession(excel.NoSession))
	if v := must[*excel.Range](t)(plain.Range("Budget!C8").Get(ctx)); values(t, v) != "[[3545.75]]" {
		t.Errorf("file total after a non-persistent session %s", values(t, v))
	}
	e.clock.Advance(30 * time.Minute)
	tmp = e.open(excel.WithSession(excel.NonPersistent))
	e.clock.Advance(30 * time.Minute)
	if _, err := tmp.Range("Budget!C8").Get(ctx); !errors.Is(err, excel.ErrSessionExpired) {
		t.Errorf("expired non-persistent session: %v", err)
	}
}
