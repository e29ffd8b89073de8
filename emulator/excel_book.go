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
	// filterHidden holds the body rows each table's filters hide.
	filterHidden map[*xlsx.Table]map[int]bool
	// now is the clock of TODAY and NOW.
	now func() time.Time
}

func newBook(wb *xlsx.Workbook, now func() time.Time) *wbBook {
	b := &wbBook{wb: wb, sheetIDs: map[*xlsx.Sheet]string{}, filters: map[*xlsx.Table]map[int]any{},
		calcMode: "Automatic", parsed: map[string]*formula.Formula{}, filterHidden: map[*xlsx.Table]map[int]bool{}, now: now}
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
		nextSheet: b.nextSheet, nextTable: b.nextTable, calcMode: b.calcMode, parsed: map[string]*formula.Formula{},
		filterHidden: map[*xlsx.Table]map[int]bool{}, now: b.now}
	for _, sh := range b.wb.Sheets {
		ns := &xlsx.Sheet{Name: sh.Name, State: sh.State, Cells: make(map[xlsx.Pos]*xlsx.Cell, len(sh.Cells)),
			ColWidths: maps.Clone(sh.ColWidths), RowHeights: maps.Clone(sh.RowHeights), Merges: slices.Clone(sh.Merges),
			HiddenCols: maps.Clone(sh.HiddenCols), HiddenRows: maps.Clone(sh.HiddenRows)}
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
			if h := b.filterHidden[t]; h != nil {
				nb.filterHidden[&nt] = maps.Clone(h)
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
	b *wbBook
	// now, when set, is the time TODAY and NOW see (else the book's
	// clock).
	now time.Time
	cur *xlsx.Sheet
	// nameDepth bounds names referring to names.
	nameDepth int
	memo      map[cellKey]formula.Value
	visiting  map[cellKey]bool
	bounds    map[*xlsx.Sheet][2]int
}

func (e *evalCtx) Sheet() string { return e.cur.Name }

// Now is the clock of TODAY and NOW.
func (e *evalCtx) Now() time.Time {
	if e.now.IsZero() && e.b.now != nil {
		return e.b.now()
	}
	return e.now
}

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

// changed recalculates after an edit unless calculation is manual, and
// takes the tables' column names from their header rows (editing a
// header cell renames the column, as in Excel).
func (b *wbBook) changed() {
	if b.calcMode != "Manual" {
		b.recalc()
	}
	for _, sh := range b.wb.Sheets {
		for _, t := range sh.Tables {
			if !t.HeaderRow {
				continue
			}
			all := tableRef(t, sh)
			for i := range t.Columns {
				if c := sh.Cells[xlsx.Pos{Row: all.Row1, Col: all.Col1 + i}]; c != nil {
					if name := cellValue(c).Text(); name != "" {
						t.Columns[i] = name
					}
				}
			}
		}
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
		if d, ok := parseDate(t); ok {
			return d, ""
		}
		return x, ""
	}
	return fmt.Sprint(v), ""
}

// parseDate reads the dates Excel recognises when typed (1/31/2024,
// 2024-01-31) as date serial numbers.
func parseDate(s string) (float64, bool) {
	for _, layout := range []string{"1/2/2006", "2006-01-02", "1/2/2006 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return dateSerial(t), true
		}
	}
	return 0, false
}

func dateSerial(t time.Time) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return t.Sub(base).Hours() / 24
}

// isDateInput reports whether a typed value is a date, which gets a date
// format when its cell has none.
func isDateInput(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	_, ok = parseDate(strings.TrimSpace(s))
	return ok
}

// formatDate renders a date serial with an Excel date format (the
// common tokens: yyyy yy mmmm mmm mm m dddd ddd dd d hh h mm ss AM/PM).
func formatDate(f float64, format string) string {
	t := serialTime(f)
	var b strings.Builder
	lower := strings.ToLower(format)
	ampm := strings.Contains(lower, "am/pm")
	lastWasHour := false
	for i := 0; i < len(lower); {
		run := func(c byte) int {
			n := 0
			for i+n < len(lower) && lower[i+n] == c {
				n++
			}
			return n
		}
		c := lower[i]
		switch {
		case c == 'y':
			n := run('y')
			if n <= 2 {
				b.WriteString(t.Format("06"))
			} else {
				b.WriteString(t.Format("2006"))
			}
			i += n
		case c == 'm':
			n := run('m')
			switch {
			case lastWasHour && n <= 2:
				b.WriteString(fmt.Sprintf("%0*d", n, t.Minute()))
			case n == 1:
				b.WriteString(strconv.Itoa(int(t.Month())))
			case n == 2:
				b.WriteString(t.Format("01"))
			case n == 3:
				b.WriteString(t.Format("Jan"))
			default:
				b.WriteString(t.Format("January"))
			}
			i += n
			lastWasHour = false
			continue
		case c == 'd':
			n := run('d')
			switch n {
			case 1:
				b.WriteString(strconv.Itoa(t.Day()))
			case 2:
				b.WriteString(t.Format("02"))
			case 3:
				b.WriteString(t.Format("Mon"))
			default:
				b.WriteString(t.Format("Monday"))
			}
			i += n
		case c == 'h':
			n := run('h')
			h := t.Hour()
			if ampm {
				h = (h+11)%12 + 1
			}
			b.WriteString(fmt.Sprintf("%0*d", n, h))
			i += n
			lastWasHour = true
			continue
		case c == 's':
			n := run('s')
			b.WriteString(fmt.Sprintf("%0*d", n, t.Second()))
			i += n
		case strings.HasPrefix(lower[i:], "am/pm"):
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
			i += 5
		case c == '\\' && i+1 < len(format):
			b.WriteByte(format[i+1])
			i += 2
		case c == '"':
			j := strings.IndexByte(format[i+1:], '"')
			if j < 0 {
				i = len(format)
				continue
			}
			b.WriteString(format[i+1 : i+1+j])
			i += j + 2
		default:
			b.WriteByte(format[i])
			i++
		}
		if c != ' ' && c != ':' {
			lastWasHour = false
		}
	}
	return b.String()
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
	if l := strings.ToLower(format); strings.ContainsAny(l, "ydh") || strings.Contains(l, "ss") {
		return formatDate(f, format)
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

// rewriteFormulas passes every reference of every formula and defined
// name through f, which gets the sheet the reference points at.
func (b *wbBook) rewriteFormulas(f func(target string, r formula.Ref) (formula.Ref, bool)) {
	for _, sh := range b.wb.Sheets {
		for _, c := range sh.Cells {
			if c.Formula == "" {
				continue
			}
			home := sh.Name
			out := formula.RewriteRefs("="+c.Formula, func(r formula.Ref) (formula.Ref, bool) {
				target := r.Sheet
				if target == "" {
					target = home
				}
				return f(target, r)
			})
			c.Formula = strings.TrimPrefix(out, "=")
		}
	}
	for _, n := range b.wb.Names {
		if r, err := formula.ParseAddress(n.RefersTo); err == nil {
			if nr, ok := f(r.Sheet, r); !ok {
				n.RefersTo = formula.ErrRef
			} else if nr != r {
				n.RefersTo = absolute(nr)
			}
		}
	}
}

// renameSheet points references at a renamed sheet.
func (b *wbBook) renameSheet(old, name string) {
	b.rewriteFormulas(func(target string, r formula.Ref) (formula.Ref, bool) {
		if r.Sheet != "" && strings.EqualFold(r.Sheet, old) {
			r.Sheet = name
		}
		return r, true
	})
}

// dropSheet turns references to a deleted sheet into #REF!.
func (b *wbBook) dropSheet(name string) {
	b.rewriteFormulas(func(target string, r formula.Ref) (formula.Ref, bool) {
		return r, !strings.EqualFold(target, name)
	})
}

// shift moves cells as an insert or delete does (see shiftCells) and
// updates the references, names, merges and the other tables of the
// sheet that follow them (except, the table being edited, updates
// itself).
func (b *wbBook) shift(sh *xlsx.Sheet, vertical bool, from, delta, lo, hi int, except *xlsx.Table) {
	shiftCells(sh, vertical, from, delta, lo, hi)
	shiftHidden(sh, vertical, from, delta, lo, hi)
	if vertical && lo == 0 && hi == formula.MaxCols-1 {
		for _, t := range sh.Tables {
			if h := b.filterHidden[t]; h != nil {
				b.filterHidden[t] = shiftSet(h, from, delta)
			}
		}
	}
	b.rewriteFormulas(func(target string, r formula.Ref) (formula.Ref, bool) {
		if !strings.EqualFold(target, sh.Name) {
			return r, true
		}
		return formula.Shift(r, vertical, from, delta, lo, hi)
	})
	var merges []string
	for _, m := range sh.Merges {
		r, err := formula.ParseAddress(m)
		if err != nil {
			continue
		}
		if nr, ok := formula.Shift(r, vertical, from, delta, lo, hi); ok {
			merges = append(merges, nr.String())
		}
	}
	sh.Merges = merges
	for _, t := range slices.Clone(sh.Tables) {
		if t == except {
			continue
		}
		r, err := formula.ParseAddress(t.Ref)
		if err != nil {
			continue
		}
		if nr, ok := formula.Shift(r, vertical, from, delta, lo, hi); ok && nr.Rows() > boolToInt(t.HeaderRow) {
			t.Ref = nr.String()
		} else {
			sh.Tables = slices.DeleteFunc(sh.Tables, func(o *xlsx.Table) bool { return o == t })
		}
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
