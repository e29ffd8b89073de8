package excel

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/o365go/o365/graph"
)

// Table is an Excel table (microsoft.graph.workbookTable). Tables read through a Workbook
// are bound to it; Save PATCHes what changed.
type Table struct {
	ID                   string `json:"id,omitempty"`
	Name                 string `json:"name,omitempty"`
	ShowHeaders          bool   `json:"showHeaders"`
	ShowTotals           bool   `json:"showTotals"`
	Style                string `json:"style,omitempty"`
	HighlightFirstColumn bool   `json:"highlightFirstColumn"`
	HighlightLastColumn  bool   `json:"highlightLastColumn"`
	ShowBandedColumns    bool   `json:"showBandedColumns"`
	ShowBandedRows       bool   `json:"showBandedRows"`
	ShowFilterButton     bool   `json:"showFilterButton"`
	LegacyID             string `json:"legacyId,omitempty"`

	wb   *Workbook
	snap snapshot
}

type tableWritable struct {
	Name                 string `json:"name"`
	ShowHeaders          bool   `json:"showHeaders"`
	ShowTotals           bool   `json:"showTotals"`
	Style                string `json:"style"`
	HighlightFirstColumn bool   `json:"highlightFirstColumn"`
	HighlightLastColumn  bool   `json:"highlightLastColumn"`
	ShowBandedColumns    bool   `json:"showBandedColumns"`
	ShowBandedRows       bool   `json:"showBandedRows"`
	ShowFilterButton     bool   `json:"showFilterButton"`
}

func (t *Table) writable() tableWritable {
	return tableWritable{Name: t.Name, ShowHeaders: t.ShowHeaders, ShowTotals: t.ShowTotals, Style: t.Style,
		HighlightFirstColumn: t.HighlightFirstColumn, HighlightLastColumn: t.HighlightLastColumn,
		ShowBandedColumns: t.ShowBandedColumns, ShowBandedRows: t.ShowBandedRows, ShowFilterButton: t.ShowFilterButton}
}

func (t *Table) bind(wb *Workbook) *Table {
	t.wb = wb
	t.snap = snap(t.writable())
	return t
}

func (t *Table) path(rest ...string) (string, error) {
	if t == nil || t.wb == nil {
		return "", ErrUnbound
	}
	key := t.ID
	if key == "" {
		key = t.Name
	}
	if key == "" {
		return "", ErrEmptyName
	}
	p := "/tables/" + seg(key)
	for _, r := range rest {
		p += "/" + r
	}
	return p, nil
}

// Tables lists the workbook's tables, every page.
func (wb *Workbook) Tables(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Table, error] {
	return list(ctx, wb, "/tables", lo, func(t *Table) { t.bind(wb) })
}

// Table reads a table by id or name.
func (wb *Workbook) Table(ctx context.Context, idOrName string) (*Table, error) {
	if idOrName == "" {
		return nil, ErrEmptyName
	}
	var t Table
	if err := wb.get(ctx, "/tables/"+seg(idOrName), &t); err != nil {
		return nil, err
	}
	return t.bind(wb), nil
}

// AddTable makes a table of the range at a sheet-qualified address ("Sheet1!A1:D5");
// hasHeaders says whether its first row holds the headers.
func (wb *Workbook) AddTable(ctx context.Context, address string, hasHeaders bool) (*Table, error) {
	return addTable(ctx, wb, "/tables/add", address, hasHeaders)
}

func addTable(ctx context.Context, wb *Workbook, p, address string, hasHeaders bool) (*Table, error) {
	if address == "" {
		return nil, ErrEmptyName
	}
	var t Table
	if err := wb.post(ctx, p, map[string]any{"address": address, "hasHeaders": hasHeaders}, &t); err != nil {
		return nil, err
	}
	return t.bind(wb), nil
}

// Get reads the table again.
func (t *Table) Get(ctx context.Context) (*Table, error) {
	p, err := t.path()
	if err != nil {
		return nil, err
	}
	var got Table
	if err := t.wb.get(ctx, p, &got); err != nil {
		return nil, err
	}
	return got.bind(t.wb), nil
}

// Save PATCHes what changed (name, style, header and total rows, banding, highlights,
// filter buttons) and updates t from the answer.
func (t *Table) Save(ctx context.Context) error {
	p, err := t.path()
	if err != nil {
		return err
	}
	body, err := changes(t.writable(), t.snap)
	if err != nil || len(body) == 0 {
		return err
	}
	var got Table
	if err := t.wb.patch(ctx, p, body, &got); err != nil {
		return err
	}
	wb := t.wb
	*t = got
	t.bind(wb)
	return nil
}

// Delete deletes the table (its cells stay, without the table).
func (t *Table) Delete(ctx context.Context) error {
	p, err := t.path()
	if err != nil {
		return err
	}
	return t.wb.del(ctx, p)
}

// ConvertToRange turns the table into a plain range and returns it.
func (t *Table) ConvertToRange(ctx context.Context) (*Range, error) {
	p, err := t.path("convertToRange")
	if err != nil {
		return nil, err
	}
	var r Range
	if err := t.wb.post(ctx, p, nil, &r); err != nil {
		return nil, err
	}
	return r.bind(t.wb, ""), nil
}

func (t *Table) rangeAt(ctx context.Context, f string) (*Range, error) {
	p, err := t.path(f)
	if err != nil {
		return nil, err
	}
	return getRange(ctx, t.wb, p)
}

// Range reads the table's whole range, headers and totals included.
func (t *Table) Range(ctx context.Context) (*Range, error) { return t.rangeAt(ctx, "range") }

// HeaderRowRange reads the header row.
func (t *Table) HeaderRowRange(ctx context.Context) (*Range, error) {
	return t.rangeAt(ctx, "headerRowRange")
}

// DataBodyRange reads the data rows.
func (t *Table) DataBodyRange(ctx context.Context) (*Range, error) {
	return t.rangeAt(ctx, "dataBodyRange")
}

// TotalRowRange reads the total row.
func (t *Table) TotalRowRange(ctx context.Context) (*Range, error) {
	return t.rangeAt(ctx, "totalRowRange")
}

// ClearFilters clears every filter of the table.
func (t *Table) ClearFilters(ctx context.Context) error {
	p, err := t.path("clearFilters")
	if err != nil {
		return err
	}
	return t.wb.post(ctx, p, nil, nil)
}

// ReapplyFilters applies the table's filters again (after its data changed).
func (t *Table) ReapplyFilters(ctx context.Context) error {
	p, err := t.path("reapplyFilters")
	if err != nil {
		return err
	}
	return t.wb.post(ctx, p, nil, nil)
}

// Worksheet reads the table's worksheet (python-o365's Table.get_worksheet, which fails
// there).
func (t *Table) Worksheet(ctx context.Context) (*Worksheet, error) {
	p, err := t.path("worksheet")
	if err != nil {
		return nil, err
	}
	var ws Worksheet
	if err := t.wb.get(ctx, p, &ws); err != nil {
		return nil, err
	}
	return ws.bind(t.wb), nil
}

// TableColumn is a column of a table (microsoft.graph.workbookTableColumn): its name,
// zero-based index and values, header first.
type TableColumn struct {
	ID     string `json:"id,omitempty"`
	Index  int    `json:"index"`
	Name   string `json:"name,omitempty"`
	Values Values `json:"values,omitempty"`

	wb    *Workbook
	table string // the table's path
}

func (c *TableColumn) bind(wb *Workbook, table string) *TableColumn {
	c.wb, c.table = wb, table
	return c
}

// Columns lists the table's columns, every page (python-o365 reads only the first).
func (t *Table) Columns(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*TableColumn, error] {
	p, err := t.path()
	if err != nil {
		return errSeq[TableColumn](err)
	}
	return list(ctx, t.wb, p+"/columns", lo, func(c *TableColumn) { c.bind(t.wb, p) })
}

// Column reads a column by id or name.
func (t *Table) Column(ctx context.Context, idOrName string) (*TableColumn, error) {
	if idOrName == "" {
		return nil, ErrEmptyName
	}
	return t.column(ctx, seg(idOrName))
}

// ColumnAt reads the column at a zero-based index (GET .../columns/itemAt(index=n);
// python-o365 sends a POST body there instead).
func (t *Table) ColumnAt(ctx context.Context, index int) (*TableColumn, error) {
	if index < 0 {
		return nil, fmt.Errorf("excel: negative column index %d", index)
	}
	return t.column(ctx, fnInts("itemAt", "index", index))
}

func (t *Table) column(ctx context.Context, key string) (*TableColumn, error) {
	p, err := t.path()
	if err != nil {
		return nil, err
	}
	var c TableColumn
	if err := t.wb.get(ctx, p+"/columns/"+key, &c); err != nil {
		return nil, err
	}
	return c.bind(t.wb, p), nil
}

// AddColumn adds a column named name (optional) at a zero-based index (-1: at the end)
// with values, header first (optional).
func (t *Table) AddColumn(ctx context.Context, name string, index int, values Values) (*TableColumn, error) {
	p, err := t.path()
	if err != nil {
		return nil, err
	}
	body := map[string]any{}
	if name != "" {
		body["name"] = name
	}
	if index >= 0 {
		body["index"] = index
	}
	if values != nil {
		body["values"] = values
	}
	var c TableColumn
	if err := t.wb.post(ctx, p+"/columns/add", body, &c); err != nil {
		return nil, err
	}
	return c.bind(t.wb, p), nil
}

// DeleteColumn deletes a column by id or name.
func (t *Table) DeleteColumn(ctx context.Context, idOrName string) error {
	if idOrName == "" {
		return ErrEmptyName
	}
	p, err := t.path()
	if err != nil {
		return err
	}
	return t.wb.del(ctx, p+"/columns/"+seg(idOrName))
}

func (c *TableColumn) path(rest string) (string, error) {
	if c == nil || c.wb == nil {
		return "", ErrUnbound
	}
	if c.ID == "" {
		return "", ErrEmptyName
	}
	p := c.table + "/columns/" + seg(c.ID)
	if rest != "" {
		p += "/" + rest
	}
	return p, nil
}

// Delete deletes the column.
func (c *TableColumn) Delete(ctx context.Context) error {
	p, err := c.path("")
	if err != nil {
		return err
	}
	return c.wb.del(ctx, p)
}

// SetValues writes the column's values, header first, and updates c.
func (c *TableColumn) SetValues(ctx context.Context, v Values) error {
	p, err := c.path("")
	if err != nil {
		return err
	}
	var got TableColumn
	if err := c.wb.patch(ctx, p, map[string]any{"values": v}, &got); err != nil {
		return err
	}
	wb, table := c.wb, c.table
	*c = got
	c.bind(wb, table)
	return nil
}

func (c *TableColumn) rangeAt(ctx context.Context, f string) (*Range, error) {
	p, err := c.path(f)
	if err != nil {
		return nil, err
	}
	return getRange(ctx, c.wb, p)
}

// Range reads the column's whole range.
func (c *TableColumn) Range(ctx context.Context) (*Range, error) { return c.rangeAt(ctx, "range") }

// HeaderRowRange reads the column's header cell.
func (c *TableColumn) HeaderRowRange(ctx context.Context) (*Range, error) {
	return c.rangeAt(ctx, "headerRowRange")
}

// DataBodyRange reads the column's data cells.
func (c *TableColumn) DataBodyRange(ctx context.Context) (*Range, error) {
	return c.rangeAt(ctx, "dataBodyRange")
}

// TotalRowRange reads the column's total cell.
func (c *TableColumn) TotalRowRange(ctx context.Context) (*Range, error) {
	return c.rangeAt(ctx, "totalRowRange")
}

// FilterOn says what a filter selects on.
type FilterOn string

// Filter kinds.
const (
	FilterBottomItems   FilterOn = "BottomItems"
	FilterBottomPercent FilterOn = "BottomPercent"
	FilterCellColor     FilterOn = "CellColor"
	FilterDynamic       FilterOn = "Dynamic"
	FilterFontColor     FilterOn = "FontColor"
	FilterValues        FilterOn = "Values"
	FilterTopItems      FilterOn = "TopItems"
	FilterTopPercent    FilterOn = "TopPercent"
	FilterIcon          FilterOn = "Icon"
	FilterCustom        FilterOn = "Custom"
)

// Icon is a cell icon a filter selects on.
type Icon struct {
	Set   string `json:"set,omitempty"`
	Index int    `json:"index"`
}

// FilterCriteria is a column filter (microsoft.graph.workbookFilterCriteria). For a
// custom filter set FilterOn Custom with Criterion1 (">50"), optionally Operator ("And",
// "Or") and Criterion2; for a values filter FilterOn Values and Values.
type FilterCriteria struct {
	FilterOn        FilterOn `json:"filterOn,omitempty"`
	Criterion1      string   `json:"criterion1,omitempty"`
	Criterion2      string   `json:"criterion2,omitempty"`
	Operator        string   `json:"operator,omitempty"`
	Color           string   `json:"color,omitempty"`
	DynamicCriteria string   `json:"dynamicCriteria,omitempty"`
	Icon            *Icon    `json:"icon,omitempty"`
	Values          []string `json:"values,omitempty"`
}

// Filter is a column's filter (microsoft.graph.workbookFilter); Criteria is nil when the
// column is not filtered.
type Filter struct {
	Criteria *FilterCriteria `json:"criteria,omitempty"`
}

// Filter reads the column's filter (python-o365's TableColumn.get_filter, which fails
// there).
func (c *TableColumn) Filter(ctx context.Context) (*Filter, error) {
	p, err := c.path("filter")
	if err != nil {
		return nil, err
	}
	var f Filter
	if err := c.wb.get(ctx, p, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// ApplyFilter filters the table on this column.
func (c *TableColumn) ApplyFilter(ctx context.Context, criteria FilterCriteria) error {
	p, err := c.path("filter/apply")
	if err != nil {
		return err
	}
	return c.wb.post(ctx, p, map[string]any{"criteria": criteria}, nil)
}

// ApplyValuesFilter shows only the rows whose cell in this column is one of values.
func (c *TableColumn) ApplyValuesFilter(ctx context.Context, values ...string) error {
	return c.ApplyFilter(ctx, FilterCriteria{FilterOn: FilterValues, Values: values})
}

// ClearFilter removes the column's filter.
func (c *TableColumn) ClearFilter(ctx context.Context) error {
	p, err := c.path("filter/clear")
	if err != nil {
		return err
	}
	return c.wb.post(ctx, p, nil, nil)
}

// TableRow is a data row of a table (microsoft.graph.workbookTableRow). Index is
// zero-based among the data rows and moves when rows above it are added or deleted.
type TableRow struct {
	Index  int    `json:"index"`
	Values Values `json:"values,omitempty"`

	wb    *Workbook
	table string
}

func (r *TableRow) bind(wb *Workbook, table string) *TableRow {
	r.wb, r.table = wb, table
	return r
}

// Rows lists the table's data rows, every page (python-o365 reads only the first).
func (t *Table) Rows(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*TableRow, error] {
	p, err := t.path()
	if err != nil {
		return errSeq[TableRow](err)
	}
	return list(ctx, t.wb, p+"/rows", lo, func(r *TableRow) { r.bind(t.wb, p) })
}

// RowAt reads the data row at a zero-based index (GET .../rows/itemAt(index=n)).
func (t *Table) RowAt(ctx context.Context, index int) (*TableRow, error) {
	if index < 0 {
		return nil, fmt.Errorf("excel: negative row index %d", index)
	}
	p, err := t.path()
	if err != nil {
		return nil, err
	}
	var r TableRow
	if err := t.wb.get(ctx, p+"/rows/"+fnInts("itemAt", "index", index), &r); err != nil {
		return nil, err
	}
	return r.bind(t.wb, p), nil
}

// AddRows appends rows to the table (POST .../rows/add) and returns what the service
// reports of them. Excel may run it as a long-running operation; it is followed to the
// end. The rows must be as wide as the table.
func (t *Table) AddRows(ctx context.Context, values Values) (*TableRow, error) {
	return t.addRows(ctx, -1, values)
}

// InsertRows inserts rows at a zero-based data-row index, moving the rows below down.
func (t *Table) InsertRows(ctx context.Context, index int, values Values) (*TableRow, error) {
	if index < 0 {
		return nil, fmt.Errorf("excel: negative row index %d", index)
	}
	return t.addRows(ctx, index, values)
}

func (t *Table) addRows(ctx context.Context, index int, values Values) (*TableRow, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("%w: no rows", ErrShape)
	}
	if !values.Rectangular() {
		return nil, fmt.Errorf("%w: rows of different lengths", ErrShape)
	}
	p, err := t.path()
	if err != nil {
		return nil, err
	}
	body := map[string]any{"values": values}
	if index >= 0 {
		body["index"] = index
	}
	var r TableRow
	err = t.wb.doCall(ctx, call{method: http.MethodPost, path: t.wb.base + p + "/rows/add", body: body, out: &r, async: true})
	if err != nil {
		return nil, err
	}
	return r.bind(t.wb, p), nil
}

// DeleteRow deletes the data row at a zero-based index.
func (t *Table) DeleteRow(ctx context.Context, index int) error {
	r := &TableRow{Index: index}
	p, err := t.path()
	if err != nil {
		return err
	}
	return r.bind(t.wb, p).Delete(ctx)
}

func (r *TableRow) path(rest string) (string, error) {
	if r == nil || r.wb == nil {
		return "", ErrUnbound
	}
	if r.Index < 0 {
		return "", fmt.Errorf("excel: negative row index %d", r.Index)
	}
	p := r.table + "/rows/" + strconv.Itoa(r.Index)
	if rest != "" {
		p += "/" + rest
	}
	return p, nil
}

// Update writes the row's values (PATCH .../rows/{index}; a one-row grid as wide as the
// table) and updates r.
func (r *TableRow) Update(ctx context.Context, values Values) error {
	p, err := r.path("")
	if err != nil {
		return err
	}
	if len(values) != 1 {
		return fmt.Errorf("%w: a table row takes one row of values, not %d", ErrShape, len(values))
	}
	var got TableRow
	if err := r.wb.patch(ctx, p, map[string]any{"values": values}, &got); err != nil {
		return err
	}
	wb, table := r.wb, r.table
	*r = got
	r.bind(wb, table)
	return nil
}

// Delete deletes the row; the rows below move up (their indexes drop by one).
func (r *TableRow) Delete(ctx context.Context) error {
	p, err := r.path("")
	if err != nil {
		return err
	}
	return r.wb.del(ctx, p)
}

// Range reads the row's cells.
func (r *TableRow) Range(ctx context.Context) (*Range, error) {
	p, err := r.path("range")
	if err != nil {
		return nil, err
	}
	return getRange(ctx, r.wb, p)
}
