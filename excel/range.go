package excel

import (
	"context"
	"encoding/json"
	"fmt"
)

// ValueType is the type Excel reports for a cell in valueTypes.
type ValueType string

// Value types.
const (
	TypeUnknown   ValueType = "Unknown"
	TypeEmpty     ValueType = "Empty"
	TypeString    ValueType = "String"
	TypeInteger   ValueType = "Integer"
	TypeDouble    ValueType = "Double"
	TypeBoolean   ValueType = "Boolean"
	TypeError     ValueType = "Error"
	TypeRichValue ValueType = "RichValue"
)

// ClearApplyTo says what Range.Clear clears.
type ClearApplyTo string

// Clear targets.
const (
	ClearAll      ClearApplyTo = "All"
	ClearFormats  ClearApplyTo = "Formats"
	ClearContents ClearApplyTo = "Contents"
)

// Shift says which way cells move when a range is deleted or inserted.
type Shift string

// Shift directions: Up and Left for Delete, Down and Right for Insert.
const (
	ShiftUp    Shift = "Up"
	ShiftLeft  Shift = "Left"
	ShiftDown  Shift = "Down"
	ShiftRight Shift = "Right"
)

// Range is a block of cells (microsoft.graph.workbookRange). Ranges read through a
// Workbook are bound to it: navigation (Cell, Row, Offset, UsedRange, ...), the
// mutations (Clear, Delete, Insert, Merge) and Save work on them. Values keep Excel's
// types; a cell whose valueTypes entry is Error reads as an error Value.
//
// Formulas, FormulasLocal and FormulasR1C1 hold a formula ("=SUM(A1:A3)") for cells
// that have one and the cell's value for the others, as Graph returns them.
type Range struct {
	Address       string        `json:"address,omitempty"`
	AddressLocal  string        `json:"addressLocal,omitempty"`
	CellCount     int           `json:"cellCount,omitempty"`
	ColumnCount   int           `json:"columnCount,omitempty"`
	RowCount      int           `json:"rowCount,omitempty"`
	ColumnIndex   int           `json:"columnIndex"`
	RowIndex      int           `json:"rowIndex"`
	ColumnHidden  bool          `json:"columnHidden"`
	RowHidden     bool          `json:"rowHidden"`
	Hidden        bool          `json:"hidden"`
	Values        Values        `json:"values,omitempty"`
	Text          [][]string    `json:"text,omitempty"`
	ValueTypes    [][]ValueType `json:"valueTypes,omitempty"`
	Formulas      Values        `json:"formulas,omitempty"`
	FormulasLocal Values        `json:"formulasLocal,omitempty"`
	FormulasR1C1  Values        `json:"formulasR1C1,omitempty"`
	NumberFormat  [][]string    `json:"numberFormat,omitempty"`

	wb   *Workbook
	path string // relative to the workbook
	err  error  // why a handle made without I/O cannot work
	snap snapshot
}

// UnmarshalJSON decodes a range and marks as errors the values whose valueTypes entry is
// Error (Graph sends an error value as its code string, "#DIV/0!").
func (r *Range) UnmarshalJSON(b []byte) error {
	type plain Range
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*r = Range(p)
	for i, row := range r.ValueTypes {
		for j, t := range row {
			if t == TypeError && i < len(r.Values) && j < len(r.Values[i]) {
				if s, ok := r.Values[i][j].Text(); ok {
					r.Values[i][j] = ErrorValue(s)
				}
			}
		}
	}
	return nil
}

type rangeWritable struct {
	Values        Values     `json:"values"`
	Formulas      Values     `json:"formulas"`
	FormulasLocal Values     `json:"formulasLocal"`
	FormulasR1C1  Values     `json:"formulasR1C1"`
	NumberFormat  [][]string `json:"numberFormat"`
	ColumnHidden  bool       `json:"columnHidden"`
	RowHidden     bool       `json:"rowHidden"`
}

func (r *Range) writable() rangeWritable {
	return rangeWritable{Values: r.Values, Formulas: r.Formulas, FormulasLocal: r.FormulasLocal, FormulasR1C1: r.FormulasR1C1,
		NumberFormat: r.NumberFormat, ColumnHidden: r.ColumnHidden, RowHidden: r.RowHidden}
}

// bind attaches r to wb. Its later calls address it by its sheet-qualified address
// (worksheets/{sheet}/range(address='...')), which every range the service returns
// has; fallback serves when it has none.
func (r *Range) bind(wb *Workbook, fallback string) *Range {
	r.wb, r.err = wb, nil
	r.path = fallback
	if sheet, local := SplitAddress(r.Address); sheet != "" && local != "" {
		r.path = "/worksheets/" + seg(sheet) + "/" + fnString("range", "address", local)
	}
	r.snap = snap(r.writable())
	return r
}

func (r *Range) at(rest string) (string, error) {
	if r == nil || r.wb == nil {
		return "", ErrUnbound
	}
	if r.err != nil {
		return "", r.err
	}
	if rest == "" {
		return r.path, nil
	}
	return r.path + "/" + rest, nil
}

// Workbook returns the workbook the range belongs to (nil for an unbound range).
func (r *Range) Workbook() *Workbook { return r.wb }

// Sheet returns the name of the range's worksheet, from its address ("" when the
// address has none).
func (r *Range) Sheet() string {
	s, _ := SplitAddress(r.Address)
	return s
}

// Get reads the range: values, text, types, formulas, number formats.
func (r *Range) Get(ctx context.Context) (*Range, error) {
	return r.nav(ctx, "")
}

func (r *Range) nav(ctx context.Context, f string) (*Range, error) {
	p, err := r.at(f)
	if err != nil {
		return nil, err
	}
	return getRange(ctx, r.wb, p)
}

// Cell returns the cell at a zero-based row and column of the range.
func (r *Range) Cell(ctx context.Context, row, col int) (*Range, error) {
	if row < 0 || col < 0 {
		return nil, fmt.Errorf("%w: negative row or column", ErrBadAddress)
	}
	return r.nav(ctx, fnInts("cell", "row", row, "column", col))
}

// Row returns the zero-based row of the range.
func (r *Range) Row(ctx context.Context, row int) (*Range, error) {
	if row < 0 {
		return nil, fmt.Errorf("%w: negative row", ErrBadAddress)
	}
	return r.nav(ctx, fnInts("row", "row", row))
}

// Column returns the zero-based column of the range.
func (r *Range) Column(ctx context.Context, col int) (*Range, error) {
	if col < 0 {
		return nil, fmt.Errorf("%w: negative column", ErrBadAddress)
	}
	return r.nav(ctx, fnInts("column", "column", col))
}

func countFn(name string, n int) string {
	if n < 1 {
		return name
	}
	return fnInts(name, "count", n)
}

// RowsAbove returns the n rows above the range (n < 1: one).
func (r *Range) RowsAbove(ctx context.Context, n int) (*Range, error) {
	return r.nav(ctx, countFn("rowsAbove", n))
}

// RowsBelow returns the n rows below the range (n < 1: one).
func (r *Range) RowsBelow(ctx context.Context, n int) (*Range, error) {
	return r.nav(ctx, countFn("rowsBelow", n))
}

// ColumnsBefore returns the n columns left of the range (n < 1: one).
func (r *Range) ColumnsBefore(ctx context.Context, n int) (*Range, error) {
	return r.nav(ctx, countFn("columnsBefore", n))
}

// ColumnsAfter returns the n columns right of the range (n < 1: one).
func (r *Range) ColumnsAfter(ctx context.Context, n int) (*Range, error) {
	return r.nav(ctx, countFn("columnsAfter", n))
}

// EntireRow returns the whole sheet rows the range spans ("2:4").
func (r *Range) EntireRow(ctx context.Context) (*Range, error) { return r.nav(ctx, "entireRow") }

// EntireColumn returns the whole sheet columns the range spans ("A:C").
func (r *Range) EntireColumn(ctx context.Context) (*Range, error) {
	return r.nav(ctx, "entireColumn")
}

// LastCell returns the range's bottom-right cell.
func (r *Range) LastCell(ctx context.Context) (*Range, error) { return r.nav(ctx, "lastCell") }

// LastRow returns the range's last row.
func (r *Range) LastRow(ctx context.Context) (*Range, error) { return r.nav(ctx, "lastRow") }

// LastColumn returns the range's last column.
func (r *Range) LastColumn(ctx context.Context) (*Range, error) { return r.nav(ctx, "lastColumn") }

// Offset returns the range of the same size moved by rows and columns (negative: up,
// left).
func (r *Range) Offset(ctx context.Context, rows, cols int) (*Range, error) {
	return r.nav(ctx, fnInts("offsetRange", "rowOffset", rows, "columnOffset", cols))
}

// Resize returns the range with the same top-left cell grown (or shrunk) by deltaRows
// and deltaCols.
func (r *Range) Resize(ctx context.Context, deltaRows, deltaCols int) (*Range, error) {
	return r.nav(ctx, fnInts("resizedRange", "deltaRows", deltaRows, "deltaColumns", deltaCols))
}

// Intersection returns the cells the range shares with another ("B2:D4").
func (r *Range) Intersection(ctx context.Context, other string) (*Range, error) {
	if other == "" {
		return nil, ErrEmptyName
	}
	return r.nav(ctx, fnString("intersection", "anotherRange", other))
}

// BoundingRect returns the smallest range holding this one and another.
func (r *Range) BoundingRect(ctx context.Context, other string) (*Range, error) {
	if other == "" {
		return nil, ErrEmptyName
	}
	return r.nav(ctx, fnString("boundingRect", "anotherRange", other))
}

// UsedRange returns the used part of the range; with valuesOnly only cells with values
// count.
func (r *Range) UsedRange(ctx context.Context, valuesOnly bool) (*Range, error) {
	if valuesOnly {
		return r.nav(ctx, "usedRange(valuesOnly=true)")
	}
	return r.nav(ctx, "usedRange")
}

// Worksheet reads the range's worksheet (python-o365's Range.get_worksheet, which fails
// there).
func (r *Range) Worksheet(ctx context.Context) (*Worksheet, error) {
	p, err := r.at("worksheet")
	if err != nil {
		return nil, err
	}
	var ws Worksheet
	if err := r.wb.get(ctx, p, &ws); err != nil {
		return nil, err
	}
	return ws.bind(r.wb), nil
}

// Clear clears the range's contents, formats or both.
func (r *Range) Clear(ctx context.Context, what ClearApplyTo) error {
	if what == "" {
		what = ClearAll
	}
	return r.action(ctx, "clear", map[string]any{"applyTo": what})
}

// Delete deletes the cells, shifting the others up or left.
func (r *Range) Delete(ctx context.Context, shift Shift) error {
	if shift != ShiftUp && shift != ShiftLeft {
		return fmt.Errorf("excel: Delete shifts Up or Left, not %q", shift)
	}
	return r.action(ctx, "delete", map[string]any{"shift": shift})
}

// Insert inserts blank cells where the range is, shifting the others down or right, and
// returns the new cells.
func (r *Range) Insert(ctx context.Context, shift Shift) (*Range, error) {
	if shift != ShiftDown && shift != ShiftRight {
		return nil, fmt.Errorf("excel: Insert shifts Down or Right, not %q", shift)
	}
	p, err := r.at("insert")
	if err != nil {
		return nil, err
	}
	var got Range
	if err := r.wb.post(ctx, p, map[string]any{"shift": shift}, &got); err != nil {
		return nil, err
	}
	return got.bind(r.wb, r.path), nil
}

// Merge merges the cells into one; with across, each row is merged separately.
func (r *Range) Merge(ctx context.Context, across bool) error {
	return r.action(ctx, "merge", map[string]any{"across": across})
}

// Unmerge splits merged cells.
func (r *Range) Unmerge(ctx context.Context) error { return r.action(ctx, "unmerge", nil) }

func (r *Range) action(ctx context.Context, name string, body any) error {
	p, err := r.at(name)
	if err != nil {
		return err
	}
	return r.wb.post(ctx, p, body, nil)
}

// Save PATCHes what changed since the range was read: values, formulas (any flavour),
// number formats, hidden rows or columns. On a handle made without I/O
// (Worksheet.Range) it sends the grids that are set. r is updated from the answer.
func (r *Range) Save(ctx context.Context) error {
	if _, err := r.at(""); err != nil {
		return err
	}
	body, err := changes(r.writable(), r.snap)
	if err != nil || len(body) == 0 {
		return err
	}
	return r.patch(ctx, body)
}

func (r *Range) patch(ctx context.Context, body any) error {
	p, err := r.at("")
	if err != nil {
		return err
	}
	var got Range
	if err := r.wb.patch(ctx, p, body, &got); err != nil {
		return err
	}
	wb, old := r.wb, r.path
	*r = got
	r.bind(wb, old)
	return nil
}

func (r *Range) setGrid(ctx context.Context, field string, grid any, rows, cols int) error {
	if b, err := ParseAddress(r.Address); err == nil && r.err == nil {
		if (b.Rows() != 0 && rows != b.Rows() && rows > 0) || (b.Cols() != 0 && cols != b.Cols() && cols > 0) {
			return fmt.Errorf("%w: %d×%d values for %s (%d×%d)", ErrShape, rows, cols, b, b.Rows(), b.Cols())
		}
	}
	return r.patch(ctx, map[string]any{field: grid})
}

// SetValues writes values (a grid of the range's shape; a mismatch is ErrShape before
// any request). Text starting with "=" becomes a formula, as typed text would.
func (r *Range) SetValues(ctx context.Context, v Values) error {
	if !v.Rectangular() {
		return fmt.Errorf("%w: rows of different lengths", ErrShape)
	}
	n, m := v.Size()
	return r.setGrid(ctx, "values", v, n, m)
}

// SetFormulas writes formulas in A1 notation ("=SUM(A1:A3)"); other values are written
// as constants.
func (r *Range) SetFormulas(ctx context.Context, f Values) error {
	n, m := f.Size()
	return r.setGrid(ctx, "formulas", f, n, m)
}

// SetFormulasLocal writes formulas in the user's language and locale ("=SUMME(A1:A3)").
func (r *Range) SetFormulasLocal(ctx context.Context, f Values) error {
	n, m := f.Size()
	return r.setGrid(ctx, "formulasLocal", f, n, m)
}

// SetFormulasR1C1 writes formulas in R1C1 notation ("=SUM(R[-3]C:R[-1]C)").
func (r *Range) SetFormulasR1C1(ctx context.Context, f Values) error {
	n, m := f.Size()
	return r.setGrid(ctx, "formulasR1C1", f, n, m)
}

// SetNumberFormat writes number format codes ("0.00", "yyyy-mm-dd", "General").
func (r *Range) SetNumberFormat(ctx context.Context, nf [][]string) error {
	rows, cols := len(nf), 0
	for _, row := range nf {
		cols = max(cols, len(row))
	}
	return r.setGrid(ctx, "numberFormat", nf, rows, cols)
}

// SetColumnHidden hides or shows the range's columns.
func (r *Range) SetColumnHidden(ctx context.Context, hidden bool) error {
	return r.patch(ctx, map[string]any{"columnHidden": hidden})
}

// SetRowHidden hides or shows the range's rows.
func (r *Range) SetRowHidden(ctx context.Context, hidden bool) error {
	return r.patch(ctx, map[string]any{"rowHidden": hidden})
}
