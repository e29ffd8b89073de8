package emulator

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/o365go/o365/emulator/internal/formula"
	"github.com/o365go/o365/emulator/internal/xlsx"
)

// wbRange is a range on a worksheet (ref.Sheet is the sheet's name).
type wbRange struct {
	sh  *xlsx.Sheet
	ref formula.Ref
}

// maxRangeCells bounds the cells a range answer or edit enumerates; a
// larger range (whole columns or rows) is clipped to the used area.
const maxRangeCells = 1 << 18

// sheetRange resolves a worksheet's range(), range(address=...),
// usedRange and cell(row, column).
func (x *wbCall) sheetRange(sh *xlsx.Sheet, seg wbSeg) (wbRange, *graphError) {
	whole := formula.Ref{Sheet: sh.Name, Row2: formula.MaxRows - 1, Col2: formula.MaxCols - 1}
	switch seg.name {
	case "range":
		addr, found := seg.args["address"]
		if !found {
			return wbRange{sh, whole}, nil
		}
		r, err := formula.ParseAddress(addr)
		if err != nil {
			// A defined name may stand for the address.
			if n := x.b.name(addr, sh); n != nil {
				r, err = formula.ParseAddress(n.RefersTo)
			} else if n := x.b.name(addr, nil); n != nil {
				r, err = formula.ParseAddress(n.RefersTo)
			}
			if err != nil {
				return wbRange{}, errWbArg("The argument 'address' is invalid.")
			}
		}
		target := sh
		if r.Sheet != "" {
			target = x.b.sheetByName(r.Sheet)
			if target == nil {
				return wbRange{}, errWbArg("The address names a worksheet that doesn't exist.")
			}
		}
		r.Sheet = target.Name
		return wbRange{target, r}, nil
	case "usedrange":
		return usedRange(wbRange{sh, whole}, seg.args["valuesonly"] == "true"), nil
	case "cell":
		row, gerr := intArg(seg.args, "row", -1)
		if gerr != nil {
			return wbRange{}, gerr
		}
		col, gerr := intArg(seg.args, "column", -1)
		if gerr != nil {
			return wbRange{}, gerr
		}
		return cellOf(wbRange{sh, whole}, row, col)
	}
	return wbRange{}, errSegment(seg.name)
}

func cellOf(r wbRange, row, col int) (wbRange, *graphError) {
	row, col = r.ref.Row1+row, r.ref.Col1+col
	if row < 0 || col < 0 || row >= formula.MaxRows || col >= formula.MaxCols {
		return wbRange{}, errWbArg("The cell is outside the worksheet.")
	}
	return wbRange{r.sh, formula.Ref{Sheet: r.sh.Name, Row1: row, Col1: col, Row2: row, Col2: col}}, nil
}

// usedRange is the part of r holding data (A1 of the sheet when empty).
func usedRange(r wbRange, valuesOnly bool) wbRange {
	r1, c1, r2, c2 := usedBounds(r.sh, valuesOnly)
	u := formula.Ref{Sheet: r.sh.Name, Row1: max(r1, r.ref.Row1), Col1: max(c1, r.ref.Col1), Row2: min(r2, r.ref.Row2), Col2: min(c2, r.ref.Col2)}
	if r1 < 0 || u.Row1 > u.Row2 || u.Col1 > u.Col2 {
		return wbRange{r.sh, formula.Ref{Sheet: r.sh.Name, Row1: r.ref.Row1, Col1: r.ref.Col1, Row2: r.ref.Row1, Col2: r.ref.Col1}}
	}
	return wbRange{r.sh, u}
}

// clipped returns the cells of r an answer enumerates: all of them, or
// for a huge range the part inside the used area.
func clipped(r wbRange) formula.Ref {
	n := r.ref.Normalize()
	if !n.WholeColumns && !n.WholeRows && r.ref.Rows()*r.ref.Cols() <= maxRangeCells {
		return r.ref
	}
	_, _, r2, c2 := usedBounds(r.sh, false)
	c := r.ref
	c.Row2, c.Col2 = max(min(c.Row2, r2), c.Row1), max(min(c.Col2, c2), c.Col1)
	return c
}

func (x *wbCall) values(r wbRange) [][]any {
	c := clipped(r)
	out := make([][]any, 0, c.Rows())
	for row := c.Row1; row <= c.Row2; row++ {
		line := make([]any, 0, c.Cols())
		for col := c.Col1; col <= c.Col2; col++ {
			line = append(line, jsonValue(x.cellVal(r.sh, row, col)))
		}
		out = append(out, line)
	}
	return out
}

func (x *wbCall) cellVal(sh *xlsx.Sheet, row, col int) formula.Value {
	if c := sh.Cells[xlsx.Pos{Row: row, Col: col}]; c != nil {
		return cellValue(c)
	}
	return formula.Value{}
}

func valueType(v formula.Value) string {
	switch v.Kind {
	case formula.Number:
		return "Double"
	case formula.String:
		return "String"
	case formula.Boolean:
		return "Boolean"
	case formula.Error:
		return "Error"
	}
	return "Empty"
}

// rangeJSON is a workbookRange.
func (x *wbCall) rangeJSON(r wbRange) map[string]any {
	c := clipped(r)
	grid := func(f func(cell *xlsx.Cell, row, col int) any) [][]any {
		out := make([][]any, 0, c.Rows())
		for row := c.Row1; row <= c.Row2; row++ {
			line := make([]any, 0, c.Cols())
			for col := c.Col1; col <= c.Col2; col++ {
				line = append(line, f(r.sh.Cells[xlsx.Pos{Row: row, Col: col}], row, col))
			}
			out = append(out, line)
		}
		return out
	}
	formulas := grid(func(cell *xlsx.Cell, _, _ int) any {
		if cell == nil {
			return ""
		}
		if cell.Formula != "" {
			return "=" + cell.Formula
		}
		return jsonValue(cellValue(cell))
	})
	r1c1 := grid(func(cell *xlsx.Cell, row, col int) any {
		if cell == nil {
			return ""
		}
		if cell.Formula != "" {
			return formula.ToR1C1("="+cell.Formula, row, col)
		}
		return jsonValue(cellValue(cell))
	})
	addr := r.ref
	addr.Sheet = r.sh.Name
	addr = addr.Normalize()
	return map[string]any{
		"@odata.type":   "#microsoft.graph.workbookRange",
		"address":       addr.String(),
		"addressLocal":  addr.String(),
		"cellCount":     r.ref.Rows() * r.ref.Cols(),
		"columnCount":   r.ref.Cols(),
		"columnHidden":  columnHidden(r),
		"columnIndex":   r.ref.Col1,
		"formulas":      formulas,
		"formulasLocal": formulas,
		"formulasR1C1":  r1c1,
		"hidden":        rowHidden(r) || columnHidden(r),
		"numberFormat": grid(func(cell *xlsx.Cell, _, _ int) any {
			if cell == nil || cell.Style.NumFmt == "" {
				return "General"
			}
			return cell.Style.NumFmt
		}),
		"rowCount":  r.ref.Rows(),
		"rowHidden": rowHidden(r),
		"rowIndex":  r.ref.Row1,
		"text": grid(func(cell *xlsx.Cell, _, _ int) any {
			if cell == nil {
				return ""
			}
			return formatText(cellValue(cell), cell.Style.NumFmt)
		}),
		"values": x.values(r),
		"valueTypes": grid(func(cell *xlsx.Cell, _, _ int) any {
			if cell == nil {
				return "Empty"
			}
			return valueType(cellValue(cell))
		}),
	}
}

// rangeOps serves a range and what lies below it.
func (x *wbCall) rangeOps(r wbRange, rest []wbSeg) (wbResult, *graphError) {
	m := x.r.Method
	if len(rest) == 0 {
		if m == http.MethodPatch {
			return x.patchRange(r)
		}
		return okFn(func() any { return x.rangeJSON(r) }), nil
	}
	seg := rest[0]
	switch seg.name {
	case "worksheet":
		return okFn(func() any { return x.sheetJSON(r.sh) }), nil
	case "clear":
		return x.clearRange(r)
	case "delete":
		return x.deleteRange(r, false)
	case "insert":
		return x.deleteRange(r, true)
	case "merge":
		return x.merge(r)
	case "unmerge":
		r.sh.Merges = slices.DeleteFunc(r.sh.Merges, func(a string) bool {
			ref, err := formula.ParseAddress(a)
			return err == nil && overlaps(ref, r.ref)
		})
		x.dirty = true
		return okEmpty(), nil
	case "format":
		return x.format(r, rest[1:])
	}
	nr, gerr := x.navigate(r, seg)
	if gerr != nil {
		return nil, gerr
	}
	if nr == nil {
		return ok(nil), nil
	}
	return x.rangeOps(*nr, rest[1:])
}

// navigate applies a range function; a nil range (no intersection)
// answers null.
func (x *wbCall) navigate(r wbRange, seg wbSeg) (*wbRange, *graphError) {
	ref := r.ref
	at := func(r1, c1, r2, c2 int) (*wbRange, *graphError) {
		if r1 < 0 || c1 < 0 || r2 >= formula.MaxRows || c2 >= formula.MaxCols || r1 > r2 || c1 > c2 {
			return nil, errWbArg("The resulting range is outside the worksheet.")
		}
		return &wbRange{r.sh, formula.Ref{Sheet: r.sh.Name, Row1: r1, Col1: c1, Row2: r2, Col2: c2}.Normalize()}, nil
	}
	count := func() (int, *graphError) {
		n, gerr := intArg(seg.args, "count", 1)
		if gerr == nil && n < 1 {
			gerr = errWbArg("count must be at least 1.")
		}
		return n, gerr
	}
	other := func() (formula.Ref, *graphError) {
		o, err := formula.ParseAddress(seg.args["anotherrange"])
		if err != nil || o.Sheet != "" && !strings.EqualFold(o.Sheet, r.sh.Name) {
			return o, errWbArg("The argument 'anotherRange' is invalid.")
		}
		return o, nil
	}
	switch seg.name {
	case "cell":
		row, gerr := intArg(seg.args, "row", -1)
		if gerr != nil {
			return nil, gerr
		}
		col, gerr := intArg(seg.args, "column", -1)
		if gerr != nil {
			return nil, gerr
		}
		c, gerr := cellOf(r, row, col)
		return &c, gerr
	case "row":
		n, gerr := intArg(seg.args, "row", -1)
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row1+n, ref.Col1, ref.Row1+n, ref.Col2)
	case "column":
		n, gerr := intArg(seg.args, "column", -1)
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row1, ref.Col1+n, ref.Row2, ref.Col1+n)
	case "entirerow":
		return at(ref.Row1, 0, ref.Row2, formula.MaxCols-1)
	case "entirecolumn":
		return at(0, ref.Col1, formula.MaxRows-1, ref.Col2)
	case "usedrange":
		u := usedRange(r, seg.args["valuesonly"] == "true")
		return &u, nil
	case "offsetrange":
		dr, gerr := intArg(seg.args, "rowOffset", 0)
		if gerr != nil {
			return nil, gerr
		}
		dc, gerr := intArg(seg.args, "columnOffset", 0)
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row1+dr, ref.Col1+dc, ref.Row2+dr, ref.Col2+dc)
	case "resizedrange":
		dr, gerr := intArg(seg.args, "deltaRows", 0)
		if gerr != nil {
			return nil, gerr
		}
		dc, gerr := intArg(seg.args, "deltaColumns", 0)
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row1, ref.Col1, ref.Row2+dr, ref.Col2+dc)
	case "intersection":
		o, gerr := other()
		if gerr != nil {
			return nil, gerr
		}
		if !overlaps(ref, o) {
			return nil, nil
		}
		return at(max(ref.Row1, o.Row1), max(ref.Col1, o.Col1), min(ref.Row2, o.Row2), min(ref.Col2, o.Col2))
	case "boundingrect":
		o, gerr := other()
		if gerr != nil {
			return nil, gerr
		}
		return at(min(ref.Row1, o.Row1), min(ref.Col1, o.Col1), max(ref.Row2, o.Row2), max(ref.Col2, o.Col2))
	case "lastcell":
		return at(ref.Row2, ref.Col2, ref.Row2, ref.Col2)
	case "lastrow":
		return at(ref.Row2, ref.Col1, ref.Row2, ref.Col2)
	case "lastcolumn":
		return at(ref.Row1, ref.Col2, ref.Row2, ref.Col2)
	case "columnsafter":
		n, gerr := count()
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row1, ref.Col2+1, ref.Row2, ref.Col2+n)
	case "columnsbefore":
		n, gerr := count()
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row1, ref.Col1-n, ref.Row2, ref.Col1-1)
	case "rowsabove":
		n, gerr := count()
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row1-n, ref.Col1, ref.Row1-1, ref.Col2)
	case "rowsbelow":
		n, gerr := count()
		if gerr != nil {
			return nil, gerr
		}
		return at(ref.Row2+1, ref.Col1, ref.Row2+n, ref.Col2)
	}
	return nil, errSegment(seg.name)
}

// grid reads a JSON value for a range: a 2-D array of the range's shape,
// or one value applied to every cell.
func gridOf(v any, rows, cols int) ([][]any, *graphError) {
	arr, isArr := v.([]any)
	if !isArr {
		out := make([][]any, rows)
		for i := range out {
			out[i] = make([]any, cols)
			for j := range out[i] {
				out[i][j] = v
			}
		}
		return out, nil
	}
	if len(arr) == 1 {
		if row, isRow := arr[0].([]any); isRow && len(row) == 1 {
			return gridOf(row[0], rows, cols)
		}
	}
	if len(arr) != rows {
		return nil, errWbArg("The number of rows or columns in the input array doesn't match the size or dimensions of the range.")
	}
	out := make([][]any, rows)
	for i, e := range arr {
		row, isRow := e.([]any)
		if !isRow || len(row) != cols {
			return nil, errWbArg("The number of rows or columns in the input array doesn't match the size or dimensions of the range.")
		}
		out[i] = row
	}
	return out, nil
}

// writeGrid writes values (or formulas) to a range; null elements leave
// cells unchanged.
func (x *wbCall) writeGrid(r wbRange, v any, _ bool) *graphError {
	if r.ref.Rows()*r.ref.Cols() > maxRangeCells {
		return errWbArg("The range is too large to write.")
	}
	g, gerr := checkGrid(v, r.ref.Rows(), r.ref.Cols())
	if gerr != nil {
		return gerr
	}
	for i, row := range g {
		for j, e := range row {
			if e == nil {
				continue
			}
			val, f := parseInput(e)
			x.setCell(r.sh, r.ref.Row1+i, r.ref.Col1+j, val, f)
			if isDateInput(e) {
				row, col := r.ref.Row1+i, r.ref.Col1+j
				x.style(r.sh, row, col, func(st *xlsx.Style) {
					if st.NumFmt == "" {
						st.NumFmt = "m/d/yyyy"
					}
				})
			}
		}
	}
	x.dirty = true
	return nil
}

// checkGrid is gridOf that also checks every element is a value or a
// formula that parses, so a bad request changes nothing.
func checkGrid(v any, rows, cols int) ([][]any, *graphError) {
	g, gerr := gridOf(v, rows, cols)
	if gerr != nil {
		return nil, gerr
	}
	for _, row := range g {
		for _, e := range row {
			switch e.(type) {
			case nil, string, float64, bool:
			default:
				return nil, errWbArg("A value must be a number, a string or a boolean.")
			}
			if _, f := parseInput(e); f != "" {
				if _, err := formula.Parse(f); err != nil {
					return nil, errWbArg("The formula '=" + f + "' is invalid.")
				}
			}
		}
	}
	return g, nil
}

func (x *wbCall) patchRange(r wbRange) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	// Check everything before writing anything.
	if v, found := body["formulasR1C1"]; found {
		g, gerr := r1c1Grid(r, v)
		if gerr != nil {
			return nil, gerr
		}
		body["formulasR1C1"] = g
	}
	hidden, gerr := hiddenArgs(r, body)
	if gerr != nil {
		return nil, gerr
	}
	for _, k := range []string{"values", "formulas", "formulasLocal", "formulasR1C1"} {
		if v, found := body[k]; found {
			if _, gerr := checkGrid(v, r.ref.Rows(), r.ref.Cols()); gerr != nil {
				return nil, gerr
			}
		}
	}
	if v, found := body["numberFormat"]; found {
		g, gerr := gridOf(v, r.ref.Rows(), r.ref.Cols())
		if gerr != nil {
			return nil, gerr
		}
		for _, row := range g {
			for _, e := range row {
				if _, isStr := e.(string); e != nil && !isStr {
					return nil, errWbArg("A number format must be a string.")
				}
			}
		}
	}
	if hidden != nil {
		hidden()
		x.dirty = true
	}
	for _, k := range []string{"values", "formulas", "formulasLocal", "formulasR1C1"} {
		if v, found := body[k]; found {
			if gerr := x.writeGrid(r, v, false); gerr != nil {
				return nil, gerr
			}
		}
	}
	if v, found := body["numberFormat"]; found {
		g, gerr := gridOf(v, r.ref.Rows(), r.ref.Cols())
		if gerr != nil {
			return nil, gerr
		}
		for i, row := range g {
			for j, e := range row {
				if e == nil {
					continue
				}
				s, isStr := e.(string)
				if !isStr {
					return nil, errWbArg("A number format must be a string.")
				}
				if s == "General" {
					s = ""
				}
				x.style(r.sh, r.ref.Row1+i, r.ref.Col1+j, func(st *xlsx.Style) { st.NumFmt = s })
			}
		}
		x.dirty = true
	}
	return okFn(func() any { return x.rangeJSON(r) }), nil
}

// style edits the style of one cell, creating the cell.
func (x *wbCall) style(sh *xlsx.Sheet, row, col int, f func(*xlsx.Style)) {
	p := xlsx.Pos{Row: row, Col: col}
	c := sh.Cells[p]
	if c == nil {
		c = &xlsx.Cell{}
	}
	f(&c.Style)
	if c.Value == nil && c.Formula == "" && c.Style == (xlsx.Style{}) {
		delete(sh.Cells, p)
		return
	}
	sh.Cells[p] = c
}

// eachStyled applies f to the style of every cell of r: all of them when
// the range is small, the existing ones otherwise.
func (x *wbCall) eachStyled(r wbRange, f func(*xlsx.Style, int, int)) {
	x.dirty = true
	if r.ref.Rows()*r.ref.Cols() > maxRangeCells {
		for p, c := range r.sh.Cells {
			if r.ref.Contains(p.Row, p.Col) {
				f(&c.Style, p.Row, p.Col)
			}
		}
		return
	}
	for row := r.ref.Row1; row <= r.ref.Row2; row++ {
		for col := r.ref.Col1; col <= r.ref.Col2; col++ {
			x.style(r.sh, row, col, func(st *xlsx.Style) { f(st, row, col) })
		}
	}
}

func (x *wbCall) clearRange(r wbRange) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	applyTo, _ := body["applyTo"].(string)
	if applyTo == "" {
		applyTo = "All"
	}
	switch applyTo {
	case "All", "Contents", "Formats", "Hyperlinks", "RemoveHyperlinks":
	default:
		return nil, errWbArg("applyTo must be All, Formats, Contents, Hyperlinks or RemoveHyperlinks.")
	}
	for p, c := range r.sh.Cells {
		if !r.ref.Contains(p.Row, p.Col) {
			continue
		}
		if applyTo == "All" || applyTo == "Contents" {
			c.Value, c.Formula = nil, ""
		}
		if applyTo == "All" || applyTo == "Formats" {
			c.Style = xlsx.Style{}
		}
		if c.Value == nil && c.Formula == "" && c.Style == (xlsx.Style{}) {
			delete(r.sh.Cells, p)
		}
	}
	x.dirty = true
	return noContent(), nil
}

// deleteRange deletes (or, insert true, inserts) cells, shifting the
// others as the shift argument says.
func (x *wbCall) deleteRange(r wbRange, insert bool) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	shift, _ := body["shift"].(string)
	ref := r.ref
	var vertical bool
	switch {
	case !insert && shift == "Up", insert && shift == "Down":
		vertical = true
	case !insert && shift == "Left", insert && shift == "Right":
	default:
		if insert {
			return nil, errWbArg("shift must be Down or Right.")
		}
		return nil, errWbArg("shift must be Up or Left.")
	}
	if vertical {
		n := ref.Rows()
		if insert {
			x.b.shift(r.sh, true, ref.Row1, n, ref.Col1, ref.Col2, nil)
		} else {
			x.b.shift(r.sh, true, ref.Row1, -n, ref.Col1, ref.Col2, nil)
		}
	} else {
		n := ref.Cols()
		if insert {
			x.b.shift(r.sh, false, ref.Col1, n, ref.Row1, ref.Row2, nil)
		} else {
			x.b.shift(r.sh, false, ref.Col1, -n, ref.Row1, ref.Row2, nil)
		}
	}
	x.dirty = true
	if insert {
		return okFn(func() any { return x.rangeJSON(r) }), nil
	}
	return okEmpty(), nil
}

func (x *wbCall) merge(r wbRange) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	across, _ := body["across"].(bool)
	var areas []formula.Ref
	if across {
		for row := r.ref.Row1; row <= r.ref.Row2; row++ {
			a := r.ref
			a.Row1, a.Row2 = row, row
			areas = append(areas, a)
		}
	} else {
		areas = append(areas, r.ref)
	}
	for _, m := range r.sh.Merges {
		if o, err := formula.ParseAddress(m); err == nil && overlaps(o, r.ref) {
			return nil, errorf(http.StatusBadRequest, "InvalidOperation", "The range overlaps a merged area.")
		}
	}
	for _, a := range areas {
		if a.Rows()*a.Cols() < 2 {
			continue
		}
		// Merging keeps the top-left value only.
		for p, c := range r.sh.Cells {
			if a.Contains(p.Row, p.Col) && (p.Row != a.Row1 || p.Col != a.Col1) {
				c.Value, c.Formula = nil, ""
			}
		}
		r.sh.Merges = append(r.sh.Merges, localRef(a))
	}
	x.dirty = true
	return okEmpty(), nil
}

// ---- formats ----

func (x *wbCall) topLeft(r wbRange) xlsx.Style {
	if c := r.sh.Cells[xlsx.Pos{Row: r.ref.Row1, Col: r.ref.Col1}]; c != nil {
		return c.Style
	}
	return xlsx.Style{}
}

const defaultColumnWidth = 48.0 // points (8.43 characters)
const defaultRowHeight = 15.0

func (x *wbCall) formatJSON(r wbRange) map[string]any {
	st := x.topLeft(r)
	h, v := st.HAlign, st.VAlign
	if h == "" {
		h = "General"
	}
	if v == "" {
		v = "Bottom"
	}
	w, ok := r.sh.ColWidths[r.ref.Col1]
	if !ok {
		w = defaultColumnWidth
	}
	ht, ok := r.sh.RowHeights[r.ref.Row1]
	if !ok {
		ht = defaultRowHeight
	}
	return map[string]any{
		"@odata.type":         "#microsoft.graph.workbookRangeFormat",
		"columnWidth":         w,
		"horizontalAlignment": h,
		"rowHeight":           ht,
		"verticalAlignment":   v,
		"wrapText":            st.Wrap,
	}
}

var (
	hAligns = []string{"General", "Left", "Center", "Right", "Fill", "Justify", "CenterAcrossSelection", "Distributed"}
	vAligns = []string{"Top", "Center", "Bottom", "Justify", "Distributed"}
)

func (x *wbCall) format(r wbRange, rest []wbSeg) (wbResult, *graphError) {
	m := x.r.Method
	if len(rest) == 0 {
		if m == http.MethodGet {
			return okFn(func() any { return x.formatJSON(r) }), nil
		}
		body, gerr := x.body()
		if gerr != nil {
			return nil, gerr
		}
		var edits []func(*xlsx.Style)
		str := func(k string, allowed []string, set func(*xlsx.Style, string)) *graphError {
			v, found := body[k]
			if !found {
				return nil
			}
			s, _ := v.(string)
			if !slices.Contains(allowed, s) {
				return errWbArg("The value of '" + k + "' is invalid.")
			}
			edits = append(edits, func(st *xlsx.Style) { set(st, s) })
			return nil
		}
		if gerr := str("horizontalAlignment", hAligns, func(st *xlsx.Style, s string) { st.HAlign = strings.TrimPrefix(s, "General") }); gerr != nil {
			return nil, gerr
		}
		if gerr := str("verticalAlignment", vAligns, func(st *xlsx.Style, s string) { st.VAlign = strings.TrimPrefix(s, "Bottom") }); gerr != nil {
			return nil, gerr
		}
		if v, found := body["wrapText"]; found {
			b, isBool := v.(bool)
			if !isBool {
				return nil, errWbArg("wrapText must be a boolean.")
			}
			edits = append(edits, func(st *xlsx.Style) { st.Wrap = b })
		}
		size := func(k string, limit float64) (float64, bool, *graphError) {
			v, found := body[k]
			if !found {
				return 0, false, nil
			}
			f, isNum := v.(float64)
			if !isNum || f < 0 || f > limit {
				return 0, false, errWbArg("The value of '" + k + "' is invalid.")
			}
			return f, true, nil
		}
		w, setW, gerr := size("columnWidth", 255*5.25)
		if gerr != nil {
			return nil, gerr
		}
		h, setH, gerr := size("rowHeight", 409)
		if gerr != nil {
			return nil, gerr
		}
		if setW {
			for c := r.ref.Col1; c <= min(r.ref.Col2, r.ref.Col1+16383); c++ {
				r.sh.ColWidths[c] = w
			}
		}
		if setH && r.ref.Rows() <= maxRangeCells {
			for row := r.ref.Row1; row <= r.ref.Row2; row++ {
				r.sh.RowHeights[row] = h
			}
		}
		if len(edits) > 0 {
			x.eachStyled(r, func(st *xlsx.Style, _, _ int) {
				for _, e := range edits {
					e(st)
				}
			})
		}
		x.dirty = true
		return okFn(func() any { return x.formatJSON(r) }), nil
	}
	switch rest[0].name {
	case "font":
		return x.font(r)
	case "fill":
		if len(rest) == 2 && rest[1].name == "clear" {
			x.eachStyled(r, func(st *xlsx.Style, _, _ int) { st.Fill = "" })
			return noContent(), nil
		}
		if m == http.MethodPatch {
			body, gerr := x.body()
			if gerr != nil {
				return nil, gerr
			}
			if v, found := body["color"]; found {
				c, gerr := colorArg(v)
				if gerr != nil {
					return nil, gerr
				}
				x.eachStyled(r, func(st *xlsx.Style, _, _ int) { st.Fill = c })
			}
		}
		return okFn(func() any {
			var color any
			if c := x.topLeft(r).Fill; c != "" {
				color = c
			}
			return map[string]any{"@odata.type": "#microsoft.graph.workbookRangeFill", "color": color}
		}), nil
	case "borders":
		return x.borders(r, rest[1:])
	case "autofitcolumns":
		for c := r.ref.Col1; c <= min(r.ref.Col2, r.ref.Col1+16383); c++ {
			widest := 0
			for p, cell := range r.sh.Cells {
				if p.Col == c && r.ref.Contains(p.Row, p.Col) {
					widest = max(widest, utf8.RuneCountInString(formatText(cellValue(cell), cell.Style.NumFmt)))
				}
			}
			if widest > 0 {
				r.sh.ColWidths[c] = math.Min(255*5.25, math.Round((float64(widest)*7+5)*0.75*100)/100)
			} else {
				delete(r.sh.ColWidths, c)
			}
		}
		x.dirty = true
		return okEmpty(), nil
	case "autofitrows":
		for p := range r.sh.Cells {
			if r.ref.Contains(p.Row, p.Col) {
				delete(r.sh.RowHeights, p.Row)
			}
		}
		x.dirty = true
		return okEmpty(), nil
	}
	return nil, errSegment(rest[0].name)
}

// colorArg validates a colour: "#RRGGBB" or a name Excel knows.
func colorArg(v any) (string, *graphError) {
	s, _ := v.(string)
	named := map[string]string{"black": "#000000", "white": "#FFFFFF", "red": "#FF0000", "green": "#008000", "blue": "#0000FF",
		"yellow": "#FFFF00", "orange": "#FFA500", "purple": "#800080", "gray": "#808080", "grey": "#808080"}
	if c, found := named[strings.ToLower(s)]; found {
		return c, nil
	}
	if len(s) == 7 && s[0] == '#' {
		for _, r := range s[1:] {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return "", errWbArg("The color is invalid.")
			}
		}
		return strings.ToUpper(s), nil
	}
	return "", errWbArg("The color is invalid.")
}

func (x *wbCall) font(r wbRange) (wbResult, *graphError) {
	if x.r.Method == http.MethodPatch {
		body, gerr := x.body()
		if gerr != nil {
			return nil, gerr
		}
		var edits []func(*xlsx.Font)
		for k, v := range body {
			switch k {
			case "bold", "italic":
				b, isBool := v.(bool)
				if !isBool {
					return nil, errWbArg(k + " must be a boolean.")
				}
				if k == "bold" {
					edits = append(edits, func(f *xlsx.Font) { f.Bold = b })
				} else {
					edits = append(edits, func(f *xlsx.Font) { f.Italic = b })
				}
			case "color":
				c, gerr := colorArg(v)
				if gerr != nil {
					return nil, gerr
				}
				if c == "#000000" {
					c = ""
				}
				edits = append(edits, func(f *xlsx.Font) { f.Color = c })
			case "name":
				n, _ := v.(string)
				if n == "" {
					return nil, errWbArg("name must be a font name.")
				}
				if n == "Calibri" {
					n = ""
				}
				edits = append(edits, func(f *xlsx.Font) { f.Name = n })
			case "size":
				s, isNum := v.(float64)
				if !isNum || s < 1 || s > 409 {
					return nil, errWbArg("size must be between 1 and 409.")
				}
				if s == 11 {
					s = 0
				}
				edits = append(edits, func(f *xlsx.Font) { f.Size = s })
			case "underline":
				u, _ := v.(string)
				switch u {
				case "None":
					u = ""
				case "Single", "Double":
				default:
					return nil, errWbArg("underline must be None, Single or Double.")
				}
				edits = append(edits, func(f *xlsx.Font) { f.Underline = u })
			case "@odata.type":
			default:
				return nil, errUnknownProperty(k, "microsoft.graph.workbookRangeFont")
			}
		}
		x.eachStyled(r, func(st *xlsx.Style, _, _ int) {
			for _, e := range edits {
				e(&st.Font)
			}
		})
	}
	return okFn(func() any {
		f := x.topLeft(r).Font
		name, size, color, u := f.Name, f.Size, f.Color, f.Underline
		if name == "" {
			name = "Calibri"
		}
		if size == 0 {
			size = 11
		}
		if color == "" {
			color = "#000000"
		}
		if u == "" {
			u = "None"
		}
		return map[string]any{"@odata.type": "#microsoft.graph.workbookRangeFont", "bold": f.Bold, "color": color,
			"italic": f.Italic, "name": name, "size": size, "underline": u}
	}), nil
}

// borderSides are the border collection's members; the edges map to the
// cells of the range's sides, the insides to the cells between.
var borderSides = []string{"EdgeTop", "EdgeBottom", "EdgeLeft", "EdgeRight", "InsideVertical", "InsideHorizontal", "DiagonalDown", "DiagonalUp"}

// borderCells calls f with each cell of r that side touches, and which
// cell side (0 left, 1 top, 2 right, 3 bottom) it is.
func borderCells(r formula.Ref, side string, f func(row, col, i int)) {
	for row := r.Row1; row <= r.Row2; row++ {
		for col := r.Col1; col <= r.Col2; col++ {
			switch side {
			case "EdgeTop":
				if row == r.Row1 {
					f(row, col, 1)
				}
			case "EdgeBottom":
				if row == r.Row2 {
					f(row, col, 3)
				}
			case "EdgeLeft":
				if col == r.Col1 {
					f(row, col, 0)
				}
			case "EdgeRight":
				if col == r.Col2 {
					f(row, col, 2)
				}
			case "InsideHorizontal":
				if row < r.Row2 {
					f(row, col, 3)
				}
			case "InsideVertical":
				if col < r.Col2 {
					f(row, col, 2)
				}
			}
		}
	}
}

func (x *wbCall) borderJSON(r wbRange, side string) map[string]any {
	var b xlsx.Border
	found := false
	borderCells(r.ref, side, func(row, col, i int) {
		if found {
			return
		}
		found = true
		if c := r.sh.Cells[xlsx.Pos{Row: row, Col: col}]; c != nil {
			b = c.Style.Borders[i]
		}
	})
	style, weight, color := b.Style, b.Weight, b.Color
	if style == "" {
		style = "None"
	}
	if weight == "" {
		weight = "Thin"
	}
	if color == "" {
		color = "#000000"
	}
	return map[string]any{"@odata.type": "#microsoft.graph.workbookRangeBorder", "id": side, "sideIndex": side, "style": style, "weight": weight, "color": color}
}

var (
	borderStyles  = []string{"None", "Continuous", "Dash", "DashDot", "DashDotDot", "Dot", "Double", "SlantDashDot"}
	borderWeights = []string{"Hairline", "Thin", "Medium", "Thick"}
)

func (x *wbCall) borders(r wbRange, rest []wbSeg) (wbResult, *graphError) {
	if r.ref.Rows()*r.ref.Cols() > maxRangeCells {
		return nil, errWbArg("The range is too large for borders.")
	}
	if len(rest) == 0 {
		return okFn(func() any {
			out := []any{}
			for _, side := range borderSides {
				out = append(out, x.borderJSON(r, side))
			}
			return map[string]any{"value": out}
		}), nil
	}
	side := ""
	for _, s := range borderSides {
		if strings.EqualFold(s, rest[0].key) {
			side = s
		}
	}
	if side == "" || len(rest) > 1 {
		return nil, errWbNotFound()
	}
	if x.r.Method == http.MethodPatch {
		body, gerr := x.body()
		if gerr != nil {
			return nil, gerr
		}
		var edits []func(*xlsx.Border)
		if v, found := body["style"]; found {
			s, _ := v.(string)
			if !slices.Contains(borderStyles, s) {
				return nil, errWbArg("The border style is invalid.")
			}
			if s == "None" {
				s = ""
			}
			edits = append(edits, func(b *xlsx.Border) { b.Style = s })
		}
		if v, found := body["weight"]; found {
			s, _ := v.(string)
			if !slices.Contains(borderWeights, s) {
				return nil, errWbArg("The border weight is invalid.")
			}
			edits = append(edits, func(b *xlsx.Border) { b.Weight = s })
		}
		if v, found := body["color"]; found {
			c, gerr := colorArg(v)
			if gerr != nil {
				return nil, gerr
			}
			edits = append(edits, func(b *xlsx.Border) { b.Color = c })
		}
		borderCells(r.ref, side, func(row, col, i int) {
			x.style(r.sh, row, col, func(st *xlsx.Style) {
				for _, e := range edits {
					e(&st.Borders[i])
				}
				if st.Borders[i].Style == "" {
					st.Borders[i] = xlsx.Border{}
				}
			})
		})
		x.dirty = true
	}
	return okFn(func() any { return x.borderJSON(r, side) }), nil
}
