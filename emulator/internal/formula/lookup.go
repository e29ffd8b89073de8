package formula

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Clock is implemented by a Context that knows the current time, for
// TODAY and NOW; without it they answer #N/A.
type Clock interface {
	Now() time.Time
}

// NameValuer is implemented by a Context whose defined names may stand
// for a formula or a constant rather than a range.
type NameValuer interface {
	// NameValue evaluates the name; found is false when there is none.
	NameValue(name string) (v Value, found bool)
}

// lookupFunctions are the lookup, conditional and date functions.
func lookupFunctions() map[string]function {
	return map[string]function{
		"VLOOKUP":   fnLookup(true),
		"HLOOKUP":   fnLookup(false),
		"INDEX":     fnIndex,
		"MATCH":     fnMatch,
		"COUNTIF":   fnIfAggregate("COUNT"),
		"SUMIF":     fnIfAggregate("SUM"),
		"AVERAGEIF": fnIfAggregate("AVERAGE"),
		"TODAY":     fnNow(true),
		"NOW":       fnNow(false),
	}
}

// area is a 2-D argument: a range (read cell by cell) or an array.
type area struct {
	rows, cols int
	at         func(i, j int) Value
}

// areaOf reads a range or array argument; a scalar is a 1x1 grid.
func (e *evaluator) areaOf(n node) (area, Value) {
	if r, ok, errv := e.resolve(n); ok {
		r = r.Normalize()
		lastRow, lastCol := e.ctx.Bounds(r.Sheet)
		rows, cols := r.Rows(), r.Cols()
		// Huge ranges (whole columns or rows) are clipped to the used
		// area: the cells beyond it are empty.
		if rows*cols > 1<<16 {
			rows = max(0, min(rows, lastRow-r.Row1+1))
			cols = max(0, min(cols, lastCol-r.Col1+1))
		}
		sheet, r1, c1 := r.Sheet, r.Row1, r.Col1
		return area{rows, cols, func(i, j int) Value { return e.ctx.Cell(sheet, r1+i, c1+j) }}, Value{}
	} else if errv.Kind == Error {
		return area{}, errv
	}
	if a, ok := n.(arrayNode); ok {
		cols := 0
		for _, row := range a.rows {
			cols = max(cols, len(row))
		}
		return area{len(a.rows), cols, func(i, j int) Value {
			if j < len(a.rows[i]) {
				return a.rows[i][j]
			}
			return Value{}
		}}, Value{}
	}
	v := e.scalar(n)
	if v.Kind == Error {
		return area{}, v
	}
	return area{1, 1, func(int, int) Value { return v }}, Value{}
}

// intArg evaluates an integer argument (truncated).
func (e *evaluator) intArg(n node) (int, Value) {
	v := toNumber(e.scalar(n))
	if v.Kind == Error {
		return 0, v
	}
	if math.Abs(v.Num) > 1<<30 {
		return 0, ErrorValue(ErrValue)
	}
	return int(math.Trunc(v.Num)), Value{}
}

// equalValues is the equality lookups use: case-insensitive text,
// numbers by value, no coercion between kinds.
func equalValues(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	return compare(a, b) == 0
}

// findIn searches n values (got by at) for v: exact (mode 0, with
// wildcards for text), the largest value <= v (mode 1, sorted
// ascending) or the smallest value >= v (mode -1, sorted descending).
// It returns the index or -1.
func findIn(v Value, n int, at func(int) Value, mode int) int {
	if mode == 0 {
		var pat *wildcard
		if v.Kind == String && strings.ContainsAny(v.Str, "*?~") {
			pat = newWildcard(v.Str)
		}
		for i := 0; i < n; i++ {
			c := at(i)
			if pat != nil {
				if c.Kind == String && pat.match(c.Str) {
					return i
				}
				continue
			}
			if equalValues(c, v) {
				return i
			}
		}
		return -1
	}
	found := -1
	for i := 0; i < n; i++ {
		c := at(i)
		if c.Kind == Empty || c.Kind != v.Kind {
			continue
		}
		d := compare(c, v)
		if mode > 0 {
			if d > 0 {
				break
			}
			found = i
		} else {
			if d < 0 {
				break
			}
			found = i
		}
	}
	return found
}

// fnLookup is VLOOKUP (vertical) and HLOOKUP.
func fnLookup(vertical bool) function {
	return func(e *evaluator, args []node) Value {
		if len(args) < 3 || len(args) > 4 {
			return ErrorValue(ErrValue)
		}
		v := e.scalar(args[0])
		if v.Kind == Error {
			return v
		}
		g, errv := e.areaOf(args[1])
		if errv.Kind == Error {
			return errv
		}
		idx, errv := e.intArg(args[2])
		if errv.Kind == Error {
			return errv
		}
		approx := true
		if len(args) == 4 {
			b := toBool(e.scalar(args[3]))
			if b.Kind == Error {
				return b
			}
			approx = b.Bool
		}
		n, width := g.rows, g.cols
		if !vertical {
			n, width = g.cols, g.rows
		}
		if idx < 1 {
			return ErrorValue(ErrValue)
		}
		if idx > width {
			return ErrorValue(ErrRef)
		}
		key := func(i int) Value {
			if vertical {
				return g.at(i, 0)
			}
			return g.at(0, i)
		}
		mode := 0
		if approx {
			mode = 1
		}
		i := findIn(v, n, key, mode)
		if i < 0 {
			return ErrorValue(ErrNA)
		}
		if vertical {
			return g.at(i, idx-1)
		}
		return g.at(idx-1, i)
	}
}

// fnMatch is MATCH(lookup_value, lookup_array, [match_type]).
func fnMatch(e *evaluator, args []node) Value {
	if len(args) < 2 || len(args) > 3 {
		return ErrorValue(ErrValue)
	}
	v := e.scalar(args[0])
	if v.Kind == Error {
		return v
	}
	g, errv := e.areaOf(args[1])
	if errv.Kind == Error {
		return errv
	}
	mode := 1
	if len(args) == 3 {
		m, errv := e.intArg(args[2])
		if errv.Kind == Error {
			return errv
		}
		mode = max(-1, min(1, m))
	}
	if g.rows > 1 && g.cols > 1 {
		return ErrorValue(ErrNA)
	}
	n := max(g.rows, g.cols)
	at := func(i int) Value {
		if g.rows > 1 {
			return g.at(i, 0)
		}
		return g.at(0, i)
	}
	i := findIn(v, n, at, mode)
	if i < 0 {
		return ErrorValue(ErrNA)
	}
	return NumberValue(float64(i + 1))
}

// fnIndex is INDEX(array, row_num, [column_num]); a 0 row or column
// needs a single row or column.
func fnIndex(e *evaluator, args []node) Value {
	if len(args) < 2 || len(args) > 3 {
		return ErrorValue(ErrValue)
	}
	g, errv := e.areaOf(args[0])
	if errv.Kind == Error {
		return errv
	}
	row, errv := e.intArg(args[1])
	if errv.Kind == Error {
		return errv
	}
	col := 0
	if len(args) == 3 {
		if col, errv = e.intArg(args[2]); errv.Kind == Error {
			return errv
		}
	}
	if len(args) == 2 && g.rows == 1 {
		// INDEX of a single row takes the one index as the column.
		row, col = 1, row
	}
	if row < 0 || col < 0 {
		return ErrorValue(ErrValue)
	}
	if row == 0 {
		if g.rows != 1 {
			return ErrorValue(ErrValue)
		}
		row = 1
	}
	if col == 0 {
		if g.cols != 1 {
			return ErrorValue(ErrValue)
		}
		col = 1
	}
	if row > g.rows || col > g.cols {
		return ErrorValue(ErrRef)
	}
	return g.at(row-1, col-1)
}

// criterion is a COUNTIF/SUMIF condition: an operator and an operand.
type criterion struct {
	op  string
	v   Value
	pat *wildcard
}

func parseCriterion(c Value) criterion {
	if c.Kind != String {
		return criterion{op: "=", v: c}
	}
	s := c.Str
	op := "="
	for _, o := range []string{"<=", ">=", "<>", "<", ">", "="} {
		if rest, ok := strings.CutPrefix(s, o); ok {
			op, s = o, rest
			break
		}
	}
	cr := criterion{op: op}
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && strings.TrimSpace(s) != "" {
		cr.v = NumberValue(f)
		return cr
	}
	switch strings.ToUpper(s) {
	case "TRUE":
		cr.v = BoolValue(true)
		return cr
	case "FALSE":
		cr.v = BoolValue(false)
		return cr
	}
	cr.v = StringValue(s)
	if (op == "=" || op == "<>") && strings.ContainsAny(s, "*?~") {
		cr.pat = newWildcard(s)
	}
	return cr
}

func (cr criterion) match(v Value) bool {
	if cr.op == "=" || cr.op == "<>" {
		var eq bool
		switch {
		case cr.pat != nil:
			eq = v.Kind == String && cr.pat.match(v.Str)
		case cr.v.Kind == String && cr.v.Str == "":
			eq = v.Kind == Empty || v.Kind == String && v.Str == ""
		default:
			eq = equalValues(v, cr.v)
		}
		return eq == (cr.op == "=")
	}
	if v.Kind != cr.v.Kind {
		return false
	}
	d := compare(v, cr.v)
	switch cr.op {
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	case ">":
		return d > 0
	}
	return d >= 0
}

// fnIfAggregate is COUNTIF(range, criteria), SUMIF(range, criteria,
// [sum_range]) and AVERAGEIF(range, criteria, [average_range]); the
// second range is read from its top-left cell in the first's shape.
func fnIfAggregate(kind string) function {
	return func(e *evaluator, args []node) Value {
		if len(args) < 2 || len(args) > 3 || kind == "COUNT" && len(args) != 2 {
			return ErrorValue(ErrValue)
		}
		g, errv := e.areaOf(args[0])
		if errv.Kind == Error {
			return errv
		}
		c := e.scalar(args[1])
		if c.Kind == Error {
			return c
		}
		cr := parseCriterion(c)
		vals := g
		if len(args) == 3 {
			if vals, errv = e.areaOf(args[2]); errv.Kind == Error {
				return errv
			}
		}
		count, sum := 0, 0.0
		for i := 0; i < g.rows; i++ {
			for j := 0; j < g.cols; j++ {
				if !cr.match(g.at(i, j)) {
					continue
				}
				if kind == "COUNT" {
					count++
					continue
				}
				var v Value
				if i < vals.rows && j < vals.cols || len(args) == 2 {
					v = vals.at(i, j)
				}
				if v.Kind == Error {
					return v
				}
				if v.Kind == Number {
					count++
					sum += v.Num
				}
			}
		}
		switch kind {
		case "COUNT":
			return NumberValue(float64(count))
		case "SUM":
			return NumberValue(sum)
		}
		if count == 0 {
			return ErrorValue(ErrDiv0)
		}
		return NumberValue(sum / float64(count))
	}
}

// fnNow is TODAY (date only) and NOW, as date serials.
func fnNow(dateOnly bool) function {
	return func(e *evaluator, args []node) Value {
		if len(args) != 0 {
			return ErrorValue(ErrValue)
		}
		c, ok := e.ctx.(Clock)
		if !ok {
			return ErrorValue(ErrNA)
		}
		t := c.Now()
		if t.IsZero() {
			return ErrorValue(ErrNA)
		}
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		serial := t.UTC().Sub(base).Hours() / 24
		if dateOnly {
			serial = math.Floor(serial)
		}
		return NumberValue(serial)
	}
}

// wildcard matches Excel patterns: * any run, ? one character, ~
// escapes; case-insensitive.
type wildcard struct{ toks []wcTok }

type wcTok struct {
	kind byte // 'c' literal, '*', '?'
	r    rune
}

func newWildcard(p string) *wildcard {
	w := &wildcard{}
	rs := []rune(strings.ToLower(p))
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '~':
			if i+1 < len(rs) {
				i++
			}
			w.toks = append(w.toks, wcTok{'c', rs[i]})
		case '*', '?':
			w.toks = append(w.toks, wcTok{kind: byte(rs[i])})
		default:
			w.toks = append(w.toks, wcTok{'c', rs[i]})
		}
	}
	return w
}

func (w *wildcard) match(s string) bool {
	rs := []rune(strings.ToLower(s))
	// Iterative matching with backtracking to the last star.
	ti, si, star, mark := 0, 0, -1, 0
	for si < len(rs) {
		switch {
		case ti < len(w.toks) && (w.toks[ti].kind == '?' || w.toks[ti].kind == 'c' && w.toks[ti].r == rs[si]):
			ti++
			si++
		case ti < len(w.toks) && w.toks[ti].kind == '*':
			star, mark = ti, si
			ti++
		case star >= 0:
			ti = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for ti < len(w.toks) && w.toks[ti].kind == '*' {
		ti++
	}
	return ti == len(w.toks)
}

// MatchCriterion reports whether v meets a criterion written as
// COUNTIF and AutoFilter take it (">50", "<>done", "app*", "42").
func MatchCriterion(v Value, crit string) bool {
	return parseCriterion(StringValue(crit)).match(v)
}
