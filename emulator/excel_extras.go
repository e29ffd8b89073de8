package emulator

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/o365go/o365/emulator/internal/formula"
	"github.com/o365go/o365/emulator/internal/xlsx"
)

// Argument names of the workbook functions with fixed parameters, as the
// workbookFunctions reference documents them (functions/vlookup takes
// lookupValue, tableArray, colIndexNum, rangeLookup, ...).
var functionParams = map[string][]string{
	"vlookup":   {"lookupValue", "tableArray", "colIndexNum", "rangeLookup"},
	"hlookup":   {"lookupValue", "tableArray", "rowIndexNum", "rangeLookup"},
	"index":     {"array", "rowNum", "columnNum"},
	"match":     {"lookupValue", "lookupArray", "matchType"},
	"countif":   {"range", "criteria"},
	"sumif":     {"range", "criteria", "sumRange"},
	"averageif": {"range", "criteria", "averageRange"},
	"today":     {},
	"now":       {},
}

// requiredParams is how many leading parameters of a function must be
// present; the others are optional.
func requiredParams(name string, n int) int {
	switch name {
	case "if":
		return 1
	case "vlookup", "hlookup":
		return 3
	case "index", "match", "countif", "sumif", "averageif":
		return 2
	}
	return n
}

// ---- hidden rows and columns ----

// allHidden reports whether every index in [a, b] is in m.
func allHidden(m map[int]bool, a, b int) bool {
	if b-a+1 > len(m) {
		return false
	}
	for i := a; i <= b; i++ {
		if !m[i] {
			return false
		}
	}
	return true
}

func rowHidden(r wbRange) bool { return allHidden(r.sh.HiddenRows, r.ref.Row1, r.ref.Row2) }

func columnHidden(r wbRange) bool { return allHidden(r.sh.HiddenCols, r.ref.Col1, r.ref.Col2) }

func setHidden(m *map[int]bool, a, b int, hide bool) {
	if *m == nil {
		*m = map[int]bool{}
	}
	for i := a; i <= b; i++ {
		if hide {
			(*m)[i] = true
		} else {
			delete(*m, i)
		}
	}
}

// hiddenArgs checks the columnHidden and rowHidden members of a range
// update and returns the edit to apply (nil when there is none).
func hiddenArgs(r wbRange, body map[string]any) (func(), *graphError) {
	var edits []func()
	for _, k := range []string{"columnHidden", "rowHidden"} {
		v, found := body[k]
		if !found || v == nil {
			continue
		}
		hide, isBool := v.(bool)
		if !isBool {
			return nil, errWbArg(k + " must be a boolean.")
		}
		if k == "rowHidden" {
			if r.ref.Rows() > maxRangeCells {
				return nil, errWbArg("The range has too many rows to hide.")
			}
			edits = append(edits, func() { setHidden(&r.sh.HiddenRows, r.ref.Row1, r.ref.Row2, hide) })
		} else {
			edits = append(edits, func() { setHidden(&r.sh.HiddenCols, r.ref.Col1, r.ref.Col2, hide) })
		}
	}
	if len(edits) == 0 {
		return nil, nil
	}
	return func() {
		for _, e := range edits {
			e()
		}
	}, nil
}

// r1c1Grid converts a formulasR1C1 grid to A1 formulas, each relative to
// its cell (a JSON-shaped grid, as the other members are).
func r1c1Grid(r wbRange, v any) ([]any, *graphError) {
	if r.ref.Rows()*r.ref.Cols() > maxRangeCells {
		return nil, errWbArg("The range is too large to write.")
	}
	g, gerr := gridOf(v, r.ref.Rows(), r.ref.Cols())
	if gerr != nil {
		return nil, gerr
	}
	out := make([]any, len(g))
	for i, row := range g {
		line := make([]any, len(row))
		for j, e := range row {
			s, isStr := e.(string)
			if !isStr || !strings.HasPrefix(s, "=") {
				line[j] = e
				continue
			}
			a1, ok := formula.FromR1C1(s, r.ref.Row1+i, r.ref.Col1+j)
			if !ok {
				return nil, errWbArg("The formula '" + s + "' refers outside the worksheet.")
			}
			line[j] = a1
		}
		out[i] = line
	}
	return out, nil
}

// ---- filters ----

// checkCriteria validates workbookFilterCriteria.
func checkCriteria(c map[string]any) *graphError {
	// Unknown kinds are kept (and hide no rows), as the documented
	// example's placeholders are accepted.
	on, _ := c["filterOn"].(string)
	switch on {
	case "Values":
		if _, isArr := c["values"].([]any); !isArr {
			return errWbArg("A values filter needs 'values'.")
		}
	case "Custom", "TopItems", "BottomItems", "TopPercent", "BottomPercent":
		if s, _ := c["criterion1"].(string); s == "" {
			return errWbArg("The filter needs 'criterion1'.")
		}
	}
	if op, isStr := c["operator"].(string); isStr && op != "And" && op != "Or" {
		return errWbArg("operator must be And or Or.")
	}
	return nil
}

func (x *wbCall) filterJSON(t *xlsx.Table, i int) map[string]any {
	var crit any
	if c, found := x.b.filters[t][i]; found {
		crit = c
	}
	return map[string]any{"@odata.type": "#microsoft.graph.workbookFilter", "criteria": crit}
}

// applyFilters hides the body rows of a table that its column filters
// leave out and shows the rows they no longer hide, as Excel's
// AutoFilter does (hidden rows are saved in the file).
func (x *wbCall) applyFilters(t *xlsx.Table, sh *xlsx.Sheet) {
	x.dirty = true
	for row := range x.b.filterHidden[t] {
		delete(sh.HiddenRows, row)
	}
	delete(x.b.filterHidden, t)
	if !slices.Contains(sh.Tables, t) || len(x.b.filters[t]) == 0 {
		return
	}
	all, _, bf, bl, _ := tableParts(t, sh)
	hidden := map[int]bool{}
	for i, c := range x.b.filters[t] {
		crit, _ := c.(map[string]any)
		if i >= all.Cols() || crit == nil {
			continue
		}
		col := all.Col1 + i
		keep := x.filterKeep(sh, col, bf, bl, crit)
		for row := bf; row <= bl; row++ {
			if !keep(row) {
				hidden[row] = true
			}
		}
	}
	if len(hidden) == 0 {
		return
	}
	if sh.HiddenRows == nil {
		sh.HiddenRows = map[int]bool{}
	}
	for row := range hidden {
		sh.HiddenRows[row] = true
	}
	x.b.filterHidden[t] = hidden
}

// filterKeep returns whether a row passes one column's criteria. Colour,
// icon and dynamic filters keep every row.
func (x *wbCall) filterKeep(sh *xlsx.Sheet, col, bf, bl int, crit map[string]any) func(row int) bool {
	val := func(row int) formula.Value { return x.cellVal(sh, row, col) }
	text := func(row int) string {
		if c := sh.Cells[xlsx.Pos{Row: row, Col: col}]; c != nil {
			return formatText(cellValue(c), c.Style.NumFmt)
		}
		return ""
	}
	on, _ := crit["filterOn"].(string)
	c1, _ := crit["criterion1"].(string)
	c2, _ := crit["criterion2"].(string)
	if on == "" {
		if _, isArr := crit["values"].([]any); isArr {
			on = "Values"
		} else if c1 != "" {
			on = "Custom"
		}
	}
	switch on {
	case "Values":
		want := map[string]bool{}
		vals, _ := crit["values"].([]any)
		for _, v := range vals {
			if s, isStr := v.(string); isStr {
				want[strings.ToLower(s)] = true
			}
		}
		return func(row int) bool { return want[strings.ToLower(text(row))] }
	case "Custom":
		op, _ := crit["operator"].(string)
		return func(row int) bool {
			v := val(row)
			a := formula.MatchCriterion(v, c1)
			if c2 == "" {
				return a
			}
			b := formula.MatchCriterion(v, c2)
			if op == "Or" {
				return a || b
			}
			return a && b
		}
	case "TopItems", "BottomItems", "TopPercent", "BottomPercent":
		n, err := strconv.ParseFloat(strings.TrimSpace(c1), 64)
		if err != nil || n < 0 {
			return func(int) bool { return true }
		}
		type num struct {
			row int
			v   float64
		}
		var nums []num
		for row := bf; row <= bl; row++ {
			if v := val(row); v.Kind == formula.Number {
				nums = append(nums, num{row, v.Num})
			}
		}
		top := strings.HasPrefix(on, "Top")
		slices.SortStableFunc(nums, func(a, b num) int {
			if top {
				return cmp.Compare(b.v, a.v)
			}
			return cmp.Compare(a.v, b.v)
		})
		count := int(n)
		if strings.HasSuffix(on, "Percent") {
			count = int(math.Ceil(float64(len(nums)) * n / 100))
		}
		keep := map[int]bool{}
		for i := 0; i < min(count, len(nums)); i++ {
			keep[nums[i].row] = true
		}
		return func(row int) bool { return keep[row] }
	}
	return func(int) bool { return true }
}

// NameValue evaluates a defined name that is a formula or a constant
// (range names resolve through Name).
func (e *evalCtx) NameValue(name string) (formula.Value, bool) {
	n := e.b.name(name, e.cur)
	if n == nil {
		n = e.b.name(name, nil)
	}
	if n == nil {
		return formula.Value{}, false
	}
	if e.nameDepth > 32 {
		return formula.ErrorValue(formula.ErrRef), true
	}
	f := e.b.parse(n.RefersTo)
	if f == nil {
		return formula.ErrorValue(formula.ErrName), true
	}
	e.nameDepth++
	defer func() { e.nameDepth-- }()
	return f.Eval(e), true
}

// keepFilters carries the column filters of a workbook over to the same
// workbook read again from its file (after a failed edit), by table id.
func keepFilters(old, nb *wbBook) {
	byID := map[int]*xlsx.Table{}
	for _, sh := range nb.wb.Sheets {
		for _, t := range sh.Tables {
			byID[t.ID] = t
		}
	}
	for t, f := range old.filters {
		if nt := byID[t.ID]; nt != nil {
			nb.filters[nt] = f
		}
	}
	for t, h := range old.filterHidden {
		if nt := byID[t.ID]; nt != nil {
			nb.filterHidden[nt] = h
		}
	}
}

// shiftHidden moves hidden rows (or columns) with an insert or delete of
// whole rows (columns); a partial band leaves them in place, as Excel
// does.
func shiftHidden(sh *xlsx.Sheet, vertical bool, from, delta, lo, hi int) {
	m, limit := &sh.HiddenRows, formula.MaxCols
	if !vertical {
		m, limit = &sh.HiddenCols, formula.MaxRows
	}
	if len(*m) == 0 || lo > 0 || hi < limit-1 {
		return
	}
	*m = shiftSet(*m, from, delta)
}

// shiftSet moves the indexes at or beyond from by delta; on delete
// (delta < 0) the deleted ones are dropped.
func shiftSet(m map[int]bool, from, delta int) map[int]bool {
	moved := map[int]bool{}
	for i := range m {
		switch {
		case i < from:
			moved[i] = true
		case delta < 0 && i < from-delta:
			// deleted
		default:
			moved[i+delta] = true
		}
	}
	return moved
}

// formulaNameValue evaluates a name that stands for a formula, in its
// scope; ok is false when the name is not a formula that evaluates (a
// bare word is kept as written).
func (x *wbCall) formulaNameValue(n *xlsx.Name) (string, bool) {
	f := x.b.parse(n.RefersTo)
	if f == nil || len(x.b.wb.Sheets) == 0 {
		return "", false
	}
	ctx := x.b.newCtx()
	ctx.now = x.now
	ctx.cur = x.b.wb.Sheets[0]
	if sh := x.b.sheetByName(n.Sheet); sh != nil {
		ctx.cur = sh
	}
	v := f.Eval(ctx)
	if v.Kind == formula.Error && v.Str == formula.ErrName {
		return "", false
	}
	return v.Text(), true
}
