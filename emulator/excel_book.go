package emulator

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/o365go/o365/emulator/internal/formula"
	"github.com/o365go/o365/emulator/internal/xlsx"
)

// wbBook is one loaded workbook: the xlsx model the engine edits, with
// the ids Graph gives worksheets and tables.
type wbBook struct {
	wb        *xlsx.Workbook
	sheetIDs  map[*xlsx.Sheet]string
	nextSheet int
	nextTable int
	// filters holds the criteria applied to table columns, by table and
	// column index (kept for the session; not written to the file).
	filters  map[*xlsx.Table]map[int]any
	calcMode string
	parsed   map[string]*formula.Formula
}

func newBook(wb *xlsx.Workbook) *wbBook {
	b := &wbBook{wb: wb, sheetIDs: map[*xlsx.Sheet]string{}, filters: map[*xlsx.Table]map[int]any{},
		calcMode: "Automatic", parsed: map[string]*formula.Formula{}}
	for _, sh := range wb.Sheets {
		b.assignSheetID(sh)
		for _, t := range sh.Tables {
			b.nextTable = max(b.nextTable, t.ID)
		}
	}
	b.recalc()
	return b
}

func (b *wbBook) assignSheetID(sh *xlsx.Sheet) {
	b.nextSheet++
	b.sheetIDs[sh] = fmt.Sprintf("{00000000-%04X-0000-0000-000000000000}", b.nextSheet)
}

// clone deep-copies the book, for a non-persistent session.
func (b *wbBook) clone() *wbBook {
	nb := &wbBook{wb: &xlsx.Workbook{}, sheetIDs: map[*xlsx.Sheet]string{}, filters: map[*xlsx.Table]map[int]any{},
		nextSheet: b.nextSheet, nextTable: b.nextTable, calcMode: b.calcMode, parsed: map[string]*formula.Formula{}}
	for _, sh := range b.wb.Sheets {
		ns := &xlsx.Sheet{Name: sh.Name, State: sh.State, Cells: make(map[xlsx.Pos]*xlsx.Cell, len(sh.Cells)),
			ColWidths: maps.Clone(sh.ColWidths), RowHeights: maps.Clone(sh.RowHeights), Merges: slices.Clone(sh.Merges)}
		for p, c := range sh.Cells {
			cc := *c
			ns.Cells[p] = &cc
		}
		for _, t := range sh.Tables {
			nt := *t
			nt.Columns = slices.Clone(t.Columns)
			ns.Tables = append(ns.Tables, &nt)
			if f := b.filters[t]; f != nil {
				nb.filters[&nt] = maps.Clone(f)
			}
		}
		nb.sheetIDs[ns] = b.sheetIDs[sh]
		nb.wb.Sheets = append(nb.wb.Sheets, ns)
	}
	for _, n := range b.wb.Names {
		nn := *n
		nb.wb.Names = append(nb.wb.Names, &nn)
	}
	return nb
}

// sheet finds a worksheet by id or (case-insensitive) name.
func (b *wbBook) sheet(key string) *xlsx.Sheet {
	for _, sh := range b.wb.Sheets {
		if b.sheetIDs[sh] == key || strings.EqualFold(sh.Name, key) {
			return sh
		}
	}
	return nil
}

func (b *wbBook) sheetIndex(sh *xlsx.Sheet) int { return slices.Index(b.wb.Sheets, sh) }

// table finds a table by id or name, with its sheet.
func (b *wbBook) table(key string) (*xlsx.Table, *xlsx.Sheet) {
	for _, sh := range b.wb.Sheets {
		for _, t := range sh.Tables {
			if strconv.Itoa(t.ID) == key || strings.EqualFold(t.Name, key) {
				return t, sh
			}
		}
	}
	return nil, nil
}

// name finds a defined name (workbook scope, or scoped to sheet when
// sheet is set).
func (b *wbBook) name(key string, sheet *xlsx.Sheet) *xlsx.Name {
	for _, n := range b.wb.Names {
		if !strings.EqualFold(n.Name, key) {
			continue
		}
		if sheet == nil && n.Sheet == "" || sheet != nil && strings.EqualFold(n.Sheet, sheet.Name) {
			return n
		}
	}
	return nil
}

// nameExists reports whether key is taken by a name or a table.
func (b *wbBook) nameTaken(key string) bool {
	for _, n := range b.wb.Names {
		if strings.EqualFold(n.Name, key) {
			return true
		}
	}
	t, _ := b.table(key)
	return t != nil
}

// usedBounds returns the last used row and column of a sheet (-1, -1
// when empty); valuesOnly ignores cells that only carry formatting.
func usedBounds(sh *xlsx.Sheet, valuesOnly bool) (r1, c1, r2, c2 int) {
	r1, c1, r2, c2 = -1, -1, -1, -1
	for p, c := range sh.Cells {
		if valuesOnly && c.Value == nil && c.Formula == "" {
			continue
		}
		if c.Value == nil && c.Formula == "" && c.Style == (xlsx.Style{}) {
			continue
		}
		if r1 < 0 || p.Row < r1 {
			r1 = p.Row
		}
		if c1 < 0 || p.Col < c1 {
			c1 = p.Col
		}
		r2, c2 = max(r2, p.Row), max(c2, p.Col)
	}
	return
}

// tableRef returns a table's area.
func tableRef(t *xlsx.Table, sh *xlsx.Sheet) formula.Ref {
	r, err := formula.ParseAddress(t.Ref)
	if err != nil {
		return formula.Ref{Sheet: sh.Name}
	}
	r.Sheet = sh.Name
	return r
}

// tableParts splits a table's area into header, body and totals rows
// (bodyRows may be 0).
func tableParts(t *xlsx.Table, sh *xlsx.Sheet) (all formula.Ref, headerRow, bodyFirst, bodyLast, totalRow int) {
	all = tableRef(t, sh)
	headerRow, totalRow = -1, -1
	bodyFirst, bodyLast = all.Row1, all.Row2
	if t.HeaderRow {
		headerRow = all.Row1
		bodyFirst++
	}
	if t.TotalsRow {
		totalRow = all.Row2
		bodyLast--
	}
	return
}

// ---- recalculation ----

type cellKey struct {
	sheet    *xlsx.Sheet
	row, col int
}

// evalCtx evaluates formulas on demand, in dependency order, memoising
// results; a cell met again while being evaluated is a cycle.
type evalCtx struct {
	b        *wbBook
	cur      *xlsx.Sheet
	memo     map[cellKey]formula.Value
	visiting map[cellKey]bool
	bounds   map[*xlsx.Sheet][2]int
}

func (e *evalCtx) Sheet() string { return e.cur.Name }

func (e *evalCtx) SheetExists(name string) bool { return e.b.sheetByName(name) != nil }

func (b *wbBook) sheetByName(name string) *xlsx.Sheet {
	for _, sh := range b.wb.Sheets {
		if strings.EqualFold(sh.Name, name) {
			return sh
		}
	}
	return nil
}

func (e *evalCtx) Bounds(name string) (int, int) {
	sh := e.b.sheetByName(name)
	if sh == nil {
		return -1, -1
	}
	if bd, ok := e.bounds[sh]; ok {
		return bd[0], bd[1]
	}
	_, _, r2, c2 := usedBounds(sh, true)
	e.bounds[sh] = [2]int{r2, c2}
	return r2, c2
}

func (e *evalCtx) Name(name string) (formula.Ref, bool) {
	n := e.b.name(name, e.cur)
	if n == nil {
		n = e.b.name(name, nil)
	}
	if n != nil {
		r, err := formula.ParseAddress(n.RefersTo)
		return r, err == nil
	}
	// Table names refer to the table's body.
	if t, sh := e.b.table(name); t != nil {
		all, _, bf, bl, _ := tableParts(t, sh)
		all.Row1, all.Row2 = bf, max(bf, bl)
		return all, true
	}
	return formula.Ref{}, false
}

func (e *evalCtx) Cell(sheet string, row, col int) formula.Value {
	sh := e.b.sheetByName(sheet)
	if sh == nil {
		return formula.ErrorValue(formula.ErrRef)
	}
	c := sh.Cells[xlsx.Pos{Row: row, Col: col}]
	if c == nil {
		return formula.Value{}
	}
	if c.Formula == "" {
		return cellValue(c)
	}
	k := cellKey{sh, row, col}
	if v, ok := e.memo[k]; ok {
		return v
	}
	if e.visiting[k] || len(e.visiting) > 10000 {
		return formula.ErrorValue(formula.ErrRef)
	}
	e.visiting[k] = true
	f := e.b.parse(c.Formula)
	var v formula.Value
	if f == nil {
		v = formula.ErrorValue(formula.ErrName)
	} else {
		prev := e.cur
		e.cur = sh
		v = f.Eval(e)
		e.cur = prev
	}
	delete(e.visiting, k)
	e.memo[k] = v
	return v
}

func (b *wbBook) parse(src string) *formula.Formula {
	if f, ok := b.parsed[src]; ok {
		return f
	}
	f, err := formula.Parse(src)
	if err != nil {
		f = nil
	}
	if len(b.parsed) > 10000 {
		clear(b.parsed)
	}
	b.parsed[src] = f
	return f
}

// cellValue converts a stored cell value.
func cellValue(c *xlsx.Cell) formula.Value {
	switch v := c.Value.(type) {
	case float64:
		return formula.NumberValue(v)
	case string:
		return formula.StringValue(v)
	case bool:
		return formula.BoolValue(v)
	case xlsx.ErrorValue:
		return formula.ErrorValue(string(v))
	}
	return formula.Value{}
}

func storeValue(v formula.Value) any {
	switch v.Kind {
	case formula.Number:
		return v.Num
	case formula.String:
		return v.Str
	case formula.Boolean:
		return v.Bool
	case formula.Error:
		return xlsx.ErrorValue(v.Str)
	}
	return nil
}

func (b *wbBook) newCtx() *evalCtx {
	return &evalCtx{b: b, memo: map[cellKey]formula.Value{}, visiting: map[cellKey]bool{}, bounds: map[*xlsx.Sheet][2]int{}}
}

// recalc computes every formula cell, in dependency order.
func (b *wbBook) recalc() {
	e := b.newCtx()
	for _, sh := range b.wb.Sheets {
		e.cur = sh
		for p, c := range sh.Cells {
			if c.Formula == "" {
				continue
			}
			// Compute first, store after: a formula cell's stored value
			// is never read while evaluating.
			e.Cell(sh.Name, p.Row, p.Col)
		}
	}
	for k, v := range e.memo {
		if c := k.sheet.Cells[xlsx.Pos{Row: k.row, Col: k.col}]; c != nil {
			c.Value = storeValue(v)
		}
	}
}

// changed recalculates after an edit unless calculation is manual.
func (b *wbBook) changed() {
	if b.calcMode != "Manual" {
		b.recalc()
	}
}

// ---- cell text and input ----

// parseInput interprets a value written to a cell as Excel does when
// typing: numbers, logicals, formulas, text.
func parseInput(v any) (val any, formulaText string) {
	switch x := v.(type) {
	case nil:
		return nil, ""
	case float64:
		return x, ""
	case bool:
		return x, ""
	case string:
		if strings.HasPrefix(x, "=") && len(x) > 1 {
			return nil, x[1:]
		}
		if x == "" {
			return nil, ""
		}
		if formula.IsErrorCode(strings.ToUpper(x)) {
			return xlsx.ErrorValue(strings.ToUpper(x)), ""
		}
		t := strings.TrimSpace(x)
		if f, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64); err == nil && !strings.ContainsAny(t, "xXpP_") && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, ""
		}
		if p, ok := strings.CutSuffix(t, "%"); ok {
			if f, err := strconv.ParseFloat(p, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return f / 100, ""
			}
		}
		switch strings.ToUpper(t) {
		case "TRUE":
			return true, ""
		case "FALSE":
			return false, ""
		}
		return x, ""
	}
	return fmt.Sprint(v), ""
}

// formatText renders a value with a number format (the common formats;
// others fall back to General).
func formatText(v formula.Value, format string) string {
	if v.Kind != formula.Number {
		return v.Text()
	}
	f := v.Num
	switch format {
	case "", "General", "@":
		return formula.FormatNumber(f)
	case "0":
		return strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	case "0.00":
		return strconv.FormatFloat(f, 'f', 2, 64)
	case "#,##0":
		return group(strconv.FormatFloat(math.Round(f), 'f', 0, 64))
	case "#,##0.00":
		return group(strconv.FormatFloat(f, 'f', 2, 64))
	case "0%":
		return strconv.FormatFloat(f*100, 'f', 0, 64) + "%"
	case "0.00%":
		return strconv.FormatFloat(f*100, 'f', 2, 64) + "%"
	case "$#,##0.00", "\"$\"#,##0.00":
		if f < 0 {
			return "-$" + group(strconv.FormatFloat(-f, 'f', 2, 64))
		}
		return "$" + group(strconv.FormatFloat(f, 'f', 2, 64))
	}
	if strings.Contains(format, "y") || strings.Contains(format, "d") {
		t := serialTime(f)
		switch format {
		case "m/d/yyyy":
			return t.Format("1/2/2006")
		case "yyyy-mm-dd":
			return t.Format("2006-01-02")
		case "d-mmm-yy":
			return t.Format("2-Jan-06")
		case "m/d/yyyy h:mm":
			return t.Format("1/2/2006 15:04")
		}
		return t.Format("1/2/2006")
	}
	return formula.FormatNumber(f)
}

// serialTime converts an Excel date serial (1900 system) to a time.
func serialTime(f float64) time.Time {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if f < 0 || f > 2958465 {
		return base
	}
	return base.Add(time.Duration(f * 24 * float64(time.Hour)))
}

func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// ---- shifting cells (insert and delete) ----

// shiftCells moves the cells of sh inside the band [lo, hi] of the other
// axis that sit at or beyond from, by delta rows (vertical) or columns.
// Cells moved before from (on delete) are dropped.
func shiftCells(sh *xlsx.Sheet, vertical bool, from, delta, lo, hi int) {
	moved := map[xlsx.Pos]*xlsx.Cell{}
	for p, c := range sh.Cells {
		along, across := p.Row, p.Col
		if !vertical {
			along, across = p.Col, p.Row
		}
		if across < lo || across > hi || along < from {
			continue
		}
		delete(sh.Cells, p)
		n := along + delta
		if delta < 0 && along < from-delta {
			continue // deleted
		}
		limit := formula.MaxRows
		if !vertical {
			limit = formula.MaxCols
		}
		if n < 0 || n >= limit {
			continue
		}
		np := xlsx.Pos{Row: n, Col: across}
		if !vertical {
			np = xlsx.Pos{Row: across, Col: n}
		}
		moved[np] = c
	}
	for p, c := range moved {
		sh.Cells[p] = c
	}
}
