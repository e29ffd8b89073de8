package excel

import (
	"context"
	"fmt"
	"iter"

	"github.com/o365go/o365/graph"
)

// Visibility is a worksheet's visibility.
type Visibility string

// Visibility values.
const (
	Visible    Visibility = "Visible"
	Hidden     Visibility = "Hidden"
	VeryHidden Visibility = "VeryHidden" // hidden, and only code can show it again
)

// Worksheet is a sheet of the workbook (microsoft.graph.workbookWorksheet). Worksheets
// read through a Workbook are bound to it; Save PATCHes what changed (name, position,
// visibility).
type Worksheet struct {
	ID         string     `json:"id,omitempty"`
	Name       string     `json:"name,omitempty"`
	Position   int        `json:"position"`
	Visibility Visibility `json:"visibility,omitempty"`

	wb   *Workbook
	key  string // the id or name the path uses
	snap snapshot
}

type worksheetWritable struct {
	Name       string     `json:"name"`
	Position   int        `json:"position"`
	Visibility Visibility `json:"visibility"`
}

func (ws *Worksheet) writable() worksheetWritable {
	return worksheetWritable{Name: ws.Name, Position: ws.Position, Visibility: ws.Visibility}
}

func (ws *Worksheet) bind(wb *Workbook) *Worksheet {
	ws.wb = wb
	ws.key = ws.ID
	if ws.key == "" {
		ws.key = ws.Name
	}
	ws.snap = snap(ws.writable())
	return ws
}

func (ws *Worksheet) path(rest ...string) (string, error) {
	if ws == nil || ws.wb == nil {
		return "", ErrUnbound
	}
	if ws.key == "" {
		return "", ErrEmptyName
	}
	p := "/worksheets/" + seg(ws.key)
	for _, r := range rest {
		p += "/" + r
	}
	return p, nil
}

// Worksheets lists the worksheets (GET /workbook/worksheets), every page.
func (wb *Workbook) Worksheets(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Worksheet, error] {
	return list(ctx, wb, "/worksheets", lo, func(ws *Worksheet) { ws.bind(wb) })
}

// Worksheet reads a worksheet by id or name (GET /workbook/worksheets/{id|name}).
func (wb *Workbook) Worksheet(ctx context.Context, idOrName string) (*Worksheet, error) {
	if idOrName == "" {
		return nil, ErrEmptyName
	}
	var ws Worksheet
	if err := wb.get(ctx, "/worksheets/"+seg(idOrName), &ws); err != nil {
		return nil, err
	}
	return ws.bind(wb), nil
}

// Sheet returns a handle on the worksheet with the id or name, without I/O: its Range,
// Cell, Tables and other calls work; its fields other than the one given are empty until
// Get.
func (wb *Workbook) Sheet(idOrName string) *Worksheet {
	ws := &Worksheet{wb: wb, key: idOrName}
	if len(idOrName) > 0 && idOrName[0] == '{' {
		ws.ID = idOrName
	} else {
		ws.Name = idOrName
	}
	return ws
}

// AddWorksheet adds a worksheet named name at the end (POST /workbook/worksheets/add); an
// empty name lets Excel pick one ("Sheet2").
func (wb *Workbook) AddWorksheet(ctx context.Context, name string) (*Worksheet, error) {
	body := map[string]any{}
	if name != "" {
		body["name"] = name
	}
	var ws Worksheet
	if err := wb.post(ctx, "/worksheets/add", body, &ws); err != nil {
		return nil, err
	}
	return ws.bind(wb), nil
}

// DeleteWorksheet deletes the worksheet with the id or name.
func (wb *Workbook) DeleteWorksheet(ctx context.Context, idOrName string) error {
	if idOrName == "" {
		return ErrEmptyName
	}
	return wb.del(ctx, "/worksheets/"+seg(idOrName))
}

// Get reads the worksheet again (GET /workbook/worksheets/{id}).
func (ws *Worksheet) Get(ctx context.Context) (*Worksheet, error) {
	p, err := ws.path()
	if err != nil {
		return nil, err
	}
	var got Worksheet
	if err := ws.wb.get(ctx, p, &got); err != nil {
		return nil, err
	}
	return got.bind(ws.wb), nil
}

// Save PATCHes the properties that changed since the worksheet was read (name, position,
// visibility) and updates ws from the answer. Nothing changed: no request.
func (ws *Worksheet) Save(ctx context.Context) error {
	p, err := ws.path()
	if err != nil {
		return err
	}
	body, err := changes(ws.writable(), ws.snap)
	if err != nil || len(body) == 0 {
		return err
	}
	var got Worksheet
	if err := ws.wb.patch(ctx, p, body, &got); err != nil {
		return err
	}
	wb := ws.wb
	*ws = got
	ws.bind(wb)
	return nil
}

func (ws *Worksheet) update(ctx context.Context, field string, v any) error {
	p, err := ws.path()
	if err != nil {
		return err
	}
	var got Worksheet
	if err := ws.wb.patch(ctx, p, map[string]any{field: v}, &got); err != nil {
		return err
	}
	wb := ws.wb
	*ws = got
	ws.bind(wb)
	return nil
}

// Rename renames the worksheet.
func (ws *Worksheet) Rename(ctx context.Context, name string) error {
	if name == "" {
		return ErrEmptyName
	}
	return ws.update(ctx, "name", name)
}

// Move moves the worksheet to a zero-based position among the sheets.
func (ws *Worksheet) Move(ctx context.Context, position int) error {
	if position < 0 {
		return fmt.Errorf("excel: negative worksheet position %d", position)
	}
	return ws.update(ctx, "position", position)
}

// SetVisibility shows or hides the worksheet.
func (ws *Worksheet) SetVisibility(ctx context.Context, v Visibility) error {
	return ws.update(ctx, "visibility", v)
}

// Delete deletes the worksheet.
func (ws *Worksheet) Delete(ctx context.Context) error {
	p, err := ws.path()
	if err != nil {
		return err
	}
	return ws.wb.del(ctx, p)
}

// Range returns a handle on the range at a local address ("A1:C3"; a sheet prefix is
// dropped), without I/O: call Get for its values, or a setter to write.
func (ws *Worksheet) Range(address string) *Range {
	_, local := SplitAddress(address)
	p, err := ws.path(fnString("range", "address", local))
	r := &Range{Address: local, wb: wbOf(ws), path: p, err: err}
	if local == "" {
		r.err = ErrEmptyName
	}
	return r
}

func wbOf(ws *Worksheet) *Workbook {
	if ws == nil {
		return nil
	}
	return ws.wb
}

// Cell reads one cell by zero-based row and column (GET .../cell(row=,column=)).
func (ws *Worksheet) Cell(ctx context.Context, row, col int) (*Range, error) {
	if row < 0 || col < 0 {
		return nil, fmt.Errorf("%w: negative row or column", ErrBadAddress)
	}
	p, err := ws.path(fnInts("cell", "row", row, "column", col))
	if err != nil {
		return nil, err
	}
	return getRange(ctx, ws.wb, p)
}

// UsedRange reads the smallest range holding every used cell (GET .../usedRange); with
// valuesOnly, only cells with values count (formatting alone does not).
func (ws *Worksheet) UsedRange(ctx context.Context, valuesOnly bool) (*Range, error) {
	f := "usedRange"
	if valuesOnly {
		f = "usedRange(valuesOnly=true)"
	}
	p, err := ws.path(f)
	if err != nil {
		return nil, err
	}
	return getRange(ctx, ws.wb, p)
}

// UpdateCells writes a grid of values to the range at address, after checking that the
// grid is rectangular and has the range's shape (python-o365's update_cells); a mismatch
// is ErrShape, before any request.
func (ws *Worksheet) UpdateCells(ctx context.Context, address string, values Values) (*Range, error) {
	b, err := ParseAddress(address)
	if err != nil {
		return nil, err
	}
	if err := checkShape(values, b); err != nil {
		return nil, err
	}
	r := ws.Range(address)
	if err := r.SetValues(ctx, values); err != nil {
		return nil, err
	}
	return r, nil
}

func checkShape(values Values, b Bounds) error {
	if len(values) == 0 || len(values[0]) == 0 {
		return fmt.Errorf("%w: no values", ErrShape)
	}
	if !values.Rectangular() {
		return fmt.Errorf("%w: rows of different lengths", ErrShape)
	}
	rows, cols := values.Size()
	if (b.Rows() != 0 && rows != b.Rows()) || (b.Cols() != 0 && cols != b.Cols()) {
		return fmt.Errorf("%w: %d×%d values for %s (%d×%d)", ErrShape, rows, cols, b, b.Rows(), b.Cols())
	}
	return nil
}

// AppendRows writes rows below the sheet's used range (values only), starting in its
// first column, and returns the range written (python-o365's append_rows; no table
// needed). On an empty sheet the rows start at A1. Table.AddRows appends to a table.
func (ws *Worksheet) AppendRows(ctx context.Context, rows Values) (*Range, error) {
	if len(rows) == 0 || len(rows[0]) == 0 {
		return nil, fmt.Errorf("%w: no rows", ErrShape)
	}
	if !rows.Rectangular() {
		return nil, fmt.Errorf("%w: rows of different lengths", ErrShape)
	}
	used, err := ws.UsedRange(ctx, true)
	if err != nil {
		return nil, err
	}
	b, err := ParseAddress(used.Address)
	if err != nil {
		return nil, fmt.Errorf("excel: reading the used range %q: %w", used.Address, err)
	}
	start := b.Row2 + 1
	if usedEmpty(used) {
		start = b.Row1
	}
	n, w := rows.Size()
	if start+n-1 > MaxRows || b.Col1+w-1 > MaxColumns {
		return nil, fmt.Errorf("%w: the rows do not fit below %s", ErrShape, used.Address)
	}
	target := Bounds{Row1: start, Col1: b.Col1, Row2: start + n - 1, Col2: b.Col1 + w - 1}
	r := ws.Range(target.String())
	if err := r.SetValues(ctx, rows); err != nil {
		return nil, err
	}
	return r, nil
}

// usedEmpty reports whether a used range is the single empty cell an empty sheet has.
func usedEmpty(r *Range) bool {
	for _, row := range r.Values {
		for _, v := range row {
			if !v.IsEmpty() {
				return false
			}
		}
	}
	return r.CellCount <= 1
}

// getRange reads a range at path and binds it.
func getRange(ctx context.Context, wb *Workbook, p string) (*Range, error) {
	var r Range
	if err := wb.get(ctx, p, &r); err != nil {
		return nil, err
	}
	return r.bind(wb, p), nil
}

// Range returns a handle on a range by sheet-qualified address ("Sheet1!A1:B2",
// "'Q1 Budget'!C3"), without I/O.
func (wb *Workbook) Range(address string) *Range {
	sheet, local := SplitAddress(address)
	if sheet == "" {
		return &Range{Address: address, wb: wb, err: fmt.Errorf("%w: %q has no sheet (write Sheet1!%s)", ErrBadAddress, address, address)}
	}
	return wb.Sheet(sheet).Range(local)
}

// AddTable makes a table of the range at address on this sheet (POST
// .../worksheets/{id}/tables/add); hasHeaders says whether its first row holds headers.
func (ws *Worksheet) AddTable(ctx context.Context, address string, hasHeaders bool) (*Table, error) {
	p, err := ws.path("tables", "add")
	if err != nil {
		return nil, err
	}
	_, local := SplitAddress(address)
	return addTable(ctx, ws.wb, p, local, hasHeaders)
}

// Tables lists the sheet's tables, every page.
func (ws *Worksheet) Tables(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Table, error] {
	p, err := ws.path("tables")
	if err != nil {
		return errSeq[Table](err)
	}
	return list(ctx, ws.wb, p, lo, func(t *Table) { t.bind(ws.wb) })
}

// Names lists the names scoped to this sheet, every page.
func (ws *Worksheet) Names(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*NamedItem, error] {
	p, err := ws.path("names")
	if err != nil {
		return errSeq[NamedItem](err)
	}
	return list(ctx, ws.wb, p, lo, func(n *NamedItem) { n.bind(ws.wb, p) })
}

// AddName adds a name scoped to this sheet for a reference ("=Sheet1!$A$1:$B$2", or a
// constant) with an optional comment.
func (ws *Worksheet) AddName(ctx context.Context, name, reference, comment string) (*NamedItem, error) {
	p, err := ws.path("names")
	if err != nil {
		return nil, err
	}
	return addName(ctx, ws.wb, p, "add", map[string]any{"name": name, "reference": reference, "comment": comment})
}

// AddNameFormula adds a name scoped to this sheet for a formula in the user's locale.
func (ws *Worksheet) AddNameFormula(ctx context.Context, name, formula, comment string) (*NamedItem, error) {
	p, err := ws.path("names")
	if err != nil {
		return nil, err
	}
	return addName(ctx, ws.wb, p, "addFormulaLocal", map[string]any{"name": name, "formula": formula, "comment": comment})
}

// NamedItem reads a name scoped to this sheet.
func (ws *Worksheet) NamedItem(ctx context.Context, name string) (*NamedItem, error) {
	p, err := ws.path("names")
	if err != nil {
		return nil, err
	}
	return getName(ctx, ws.wb, p, name)
}
