package formula

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Context gives a formula access to the workbook.
type Context interface {
	// Sheet is the sheet of the cell being evaluated.
	Sheet() string
	// SheetExists reports whether a sheet of that name exists.
	SheetExists(name string) bool
	// Cell returns a cell's value, evaluating its formula if needed.
	Cell(sheet string, row, col int) Value
	// Bounds returns the last used row and column of a sheet (-1 when
	// empty), so whole-column references stay cheap.
	Bounds(sheet string) (lastRow, lastCol int)
	// Name resolves a defined name to its range.
	Name(name string) (Ref, bool)
}

// Eval evaluates f. A result that is a range yields its top-left cell
// when it is one cell and #VALUE! otherwise.
func (f *Formula) Eval(ctx Context) Value {
	if f == nil || f.root == nil {
		return Value{}
	}
	e := &evaluator{ctx: ctx}
	return e.scalar(f.root)
}

// Arg is an argument of Call: a value, a range or an array.
type Arg struct {
	Value *Value
	Ref   *Ref
	Array [][]Value
}

// Call invokes a function by its Excel name (case-insensitive) with
// arguments, as the workbook functions API does.
func Call(ctx Context, name string, args []Arg) Value {
	nodes := make([]node, len(args))
	for i, a := range args {
		switch {
		case a.Ref != nil:
			nodes[i] = refNode{*a.Ref}
		case a.Array != nil:
			nodes[i] = arrayNode{a.Array}
		case a.Value != nil:
			nodes[i] = litNode{*a.Value}
		default:
			nodes[i] = litNode{}
		}
	}
	e := &evaluator{ctx: ctx}
	return e.call(strings.ToUpper(name), nodes)
}

// Known reports whether name is a function the evaluator implements.
func Known(name string) bool {
	_, ok := functions[strings.ToUpper(name)]
	return ok || strings.EqualFold(name, "IF")
}

type evaluator struct {
	ctx Context
}

// resolve returns the range a node names, if it is a reference.
func (e *evaluator) resolve(n node) (Ref, bool, Value) {
	switch x := n.(type) {
	case refNode:
		r := x.ref
		if r.Sheet == "" {
			r.Sheet = e.ctx.Sheet()
		} else if !e.ctx.SheetExists(r.Sheet) {
			return Ref{}, false, ErrorValue(ErrRef)
		}
		return r, true, Value{}
	case nameNode:
		r, ok := e.ctx.Name(x.name)
		if !ok {
			if nv, isNV := e.ctx.(NameValuer); isNV {
				if _, found := nv.NameValue(x.name); found {
					return Ref{}, false, Value{} // evaluated by scalar
				}
			}
			return Ref{}, false, ErrorValue(ErrName)
		}
		if r.Sheet == "" {
			r.Sheet = e.ctx.Sheet()
		}
		if !e.ctx.SheetExists(r.Sheet) {
			return Ref{}, false, ErrorValue(ErrRef)
		}
		return r, true, Value{}
	}
	return Ref{}, false, Value{}
}

// scalar evaluates n to one value.
func (e *evaluator) scalar(n node) Value {
	if r, ok, errv := e.resolve(n); ok {
		if r.Rows() == 1 && r.Cols() == 1 {
			return e.ctx.Cell(r.Sheet, r.Row1, r.Col1)
		}
		return ErrorValue(ErrValue)
	} else if errv.Kind == Error {
		return errv
	}
	switch x := n.(type) {
	case litNode:
		return x.v
	case arrayNode:
		if len(x.rows) > 0 && len(x.rows[0]) > 0 {
			return x.rows[0][0]
		}
		return Value{}
	case unaryNode:
		v := toNumber(e.scalar(x.x))
		if v.Kind == Error {
			return v
		}
		switch x.op {
		case '-':
			return NumberValue(-v.Num)
		case '%':
			return NumberValue(v.Num / 100)
		}
		return v
	case binNode:
		return e.binary(x)
	case nameNode:
		if nv, isNV := e.ctx.(NameValuer); isNV {
			if v, found := nv.NameValue(x.name); found {
				return v
			}
		}
		return ErrorValue(ErrName)
	case callNode:
		return e.call(x.name, x.args)
	}
	return ErrorValue(ErrValue)
}

func (e *evaluator) binary(x binNode) Value {
	l, r := e.scalar(x.l), e.scalar(x.r)
	if l.Kind == Error {
		return l
	}
	if r.Kind == Error {
		return r
	}
	switch x.op {
	case "&":
		return StringValue(l.Text() + r.Text())
	case "=", "<>", "<", ">", "<=", ">=":
		c := compare(l, r)
		var b bool
		switch x.op {
		case "=":
			b = c == 0
		case "<>":
			b = c != 0
		case "<":
			b = c < 0
		case ">":
			b = c > 0
		case "<=":
			b = c <= 0
		case ">=":
			b = c >= 0
		}
		return BoolValue(b)
	}
	l, r = toNumber(l), toNumber(r)
	if l.Kind == Error {
		return l
	}
	if r.Kind == Error {
		return r
	}
	switch x.op {
	case "+":
		return NumberValue(l.Num + r.Num)
	case "-":
		return NumberValue(l.Num - r.Num)
	case "*":
		return NumberValue(l.Num * r.Num)
	case "/":
		if r.Num == 0 {
			return ErrorValue(ErrDiv0)
		}
		return NumberValue(l.Num / r.Num)
	case "^":
		if l.Num == 0 && r.Num == 0 {
			return ErrorValue(ErrNum)
		}
		return NumberValue(math.Pow(l.Num, r.Num))
	}
	return ErrorValue(ErrValue)
}

// item is one value an aggregate sees, and whether it came from a range
// (range cells skip text and logicals where Excel's functions do).
type item struct {
	v         Value
	fromRange bool
}

// each flattens arguments: ranges cell by cell (only used cells), arrays
// element by element, anything else as one value. fn returning false
// stops early.
func (e *evaluator) each(args []node, fn func(it item) bool) Value {
	for _, a := range args {
		if r, ok, errv := e.resolve(a); ok {
			lastRow, lastCol := e.ctx.Bounds(r.Sheet)
			for row := r.Row1; row <= min(r.Row2, lastRow); row++ {
				for col := r.Col1; col <= min(r.Col2, lastCol); col++ {
					if !fn(item{v: e.ctx.Cell(r.Sheet, row, col), fromRange: true}) {
						return Value{}
					}
				}
			}
			continue
		} else if errv.Kind == Error {
			return errv
		}
		if arr, ok := a.(arrayNode); ok {
			for _, row := range arr.rows {
				for _, v := range row {
					if !fn(item{v: v, fromRange: true}) {
						return Value{}
					}
				}
			}
			continue
		}
		if !fn(item{v: e.scalar(a)}) {
			return Value{}
		}
	}
	return Value{}
}

// numbers collects the numeric values of aggregate arguments; the first
// error met is returned.
func (e *evaluator) numbers(args []node) ([]float64, Value) {
	var out []float64
	var bad Value
	errv := e.each(args, func(it item) bool {
		v := it.v
		if v.Kind == Error {
			bad = v
			return false
		}
		if it.fromRange {
			if v.Kind == Number {
				out = append(out, v.Num)
			}
			return true
		}
		n := toNumber(v)
		if n.Kind == Error {
			bad = n
			return false
		}
		out = append(out, n.Num)
		return true
	})
	if errv.Kind == Error {
		return nil, errv
	}
	return out, bad
}

type function func(e *evaluator, args []node) Value

var functions map[string]function

func init() {
	functions = map[string]function{
		"SUM":         fnSum,
		"AVERAGE":     fnAverage,
		"MIN":         fnMinMax(false),
		"MAX":         fnMinMax(true),
		"COUNT":       fnCount,
		"COUNTA":      fnCountA,
		"ROUND":       fnRound,
		"ABS":         fnABS,
		"CONCATENATE": fnConcatenate,
		"CONCAT":      fnConcat,
		"LEN":         fnText(func(s string) Value { return NumberValue(float64(utf8.RuneCountInString(s))) }),
		"UPPER":       fnText(func(s string) Value { return StringValue(strings.ToUpper(s)) }),
		"LOWER":       fnText(func(s string) Value { return StringValue(strings.ToLower(s)) }),
		"AND":         fnLogical(true),
		"OR":          fnLogical(false),
		"NOT":         fnNot,
	}
	for name, f := range lookupFunctions() {
		functions[name] = f
	}
}

func (e *evaluator) call(name string, args []node) Value {
	if name == "IF" {
		return e.ifFn(args)
	}
	f, ok := functions[name]
	if !ok {
		return ErrorValue(ErrName)
	}
	return f(e, args)
}

func (e *evaluator) ifFn(args []node) Value {
	if len(args) < 1 || len(args) > 3 {
		return ErrorValue(ErrValue)
	}
	c := toBool(e.scalar(args[0]))
	if c.Kind == Error {
		return c
	}
	if c.Bool {
		if len(args) < 2 {
			return BoolValue(true)
		}
		return e.orZero(args[1])
	}
	if len(args) < 3 {
		return BoolValue(false)
	}
	return e.orZero(args[2])
}

// orZero evaluates a result argument; an empty cell or omitted
// argument gives 0, as in Excel.
func (e *evaluator) orZero(n node) Value {
	v := e.scalar(n)
	if v.Kind == Empty {
		return NumberValue(0)
	}
	return v
}

func fnSum(e *evaluator, args []node) Value {
	nums, bad := e.numbers(args)
	if bad.Kind == Error {
		return bad
	}
	s := 0.0
	for _, n := range nums {
		s += n
	}
	return NumberValue(s)
}

func fnAverage(e *evaluator, args []node) Value {
	nums, bad := e.numbers(args)
	if bad.Kind == Error {
		return bad
	}
	if len(nums) == 0 {
		return ErrorValue(ErrDiv0)
	}
	s := 0.0
	for _, n := range nums {
		s += n
	}
	return NumberValue(s / float64(len(nums)))
}

func fnMinMax(max bool) function {
	return func(e *evaluator, args []node) Value {
		nums, bad := e.numbers(args)
		if bad.Kind == Error {
			return bad
		}
		if len(nums) == 0 {
			return NumberValue(0)
		}
		m := nums[0]
		for _, n := range nums[1:] {
			if max && n > m || !max && n < m {
				m = n
			}
		}
		return NumberValue(m)
	}
}

func fnCount(e *evaluator, args []node) Value {
	n := 0
	errv := e.each(args, func(it item) bool {
		if it.v.Kind == Number || !it.fromRange && toNumber(it.v).Kind == Number && it.v.Kind != Empty {
			n++
		}
		return true
	})
	if errv.Kind == Error {
		return errv
	}
	return NumberValue(float64(n))
}

func fnCountA(e *evaluator, args []node) Value {
	n := 0
	errv := e.each(args, func(it item) bool {
		if it.v.Kind != Empty || !it.fromRange {
			n++
		}
		return true
	})
	if errv.Kind == Error {
		return errv
	}
	return NumberValue(float64(n))
}

func fnRound(e *evaluator, args []node) Value {
	if len(args) != 2 {
		return ErrorValue(ErrValue)
	}
	x, d := toNumber(e.scalar(args[0])), toNumber(e.scalar(args[1]))
	if x.Kind == Error {
		return x
	}
	if d.Kind == Error {
		return d
	}
	digits := math.Trunc(d.Num)
	if digits > 15 {
		return x
	}
	if digits < -308 {
		return NumberValue(0)
	}
	p := math.Pow(10, digits)
	v := x.Num * p
	// Half away from zero, tolerant of binary representation error.
	r := math.Round(v)
	if math.Abs(v-math.Trunc(v)) >= 0.5-1e-9 && math.Abs(r) < math.Abs(v) {
		r += math.Copysign(1, v)
	}
	return NumberValue(r / p)
}

func fnABS(e *evaluator, args []node) Value {
	if len(args) != 1 {
		return ErrorValue(ErrValue)
	}
	x := toNumber(e.scalar(args[0]))
	if x.Kind == Error {
		return x
	}
	return NumberValue(math.Abs(x.Num))
}

func fnConcatenate(e *evaluator, args []node) Value {
	if len(args) == 0 {
		return ErrorValue(ErrValue)
	}
	var b strings.Builder
	for _, a := range args {
		v := e.scalar(a)
		if v.Kind == Error {
			return v
		}
		b.WriteString(v.Text())
	}
	return StringValue(b.String())
}

func fnConcat(e *evaluator, args []node) Value {
	if len(args) == 0 {
		return ErrorValue(ErrValue)
	}
	var b strings.Builder
	var bad Value
	errv := e.each(args, func(it item) bool {
		if it.v.Kind == Error {
			bad = it.v
			return false
		}
		b.WriteString(it.v.Text())
		return true
	})
	if errv.Kind == Error {
		return errv
	}
	if bad.Kind == Error {
		return bad
	}
	return StringValue(b.String())
}

func fnText(f func(string) Value) function {
	return func(e *evaluator, args []node) Value {
		if len(args) != 1 {
			return ErrorValue(ErrValue)
		}
		v := e.scalar(args[0])
		if v.Kind == Error {
			return v
		}
		return f(v.Text())
	}
}

func fnLogical(and bool) function {
	return func(e *evaluator, args []node) Value {
		if len(args) == 0 {
			return ErrorValue(ErrValue)
		}
		seen := false
		result := and
		var bad Value
		errv := e.each(args, func(it item) bool {
			v := it.v
			if v.Kind == Error {
				bad = v
				return false
			}
			if it.fromRange && v.Kind != Boolean && v.Kind != Number {
				return true
			}
			b := toBool(v)
			if b.Kind == Error {
				bad = b
				return false
			}
			seen = true
			if and {
				result = result && b.Bool
			} else {
				result = result || b.Bool
			}
			return true
		})
		if errv.Kind == Error {
			return errv
		}
		if bad.Kind == Error {
			return bad
		}
		if !seen {
			return ErrorValue(ErrValue)
		}
		return BoolValue(result)
	}
}

func fnNot(e *evaluator, args []node) Value {
	if len(args) != 1 {
		return ErrorValue(ErrValue)
	}
	b := toBool(e.scalar(args[0]))
	if b.Kind == Error {
		return b
	}
	return BoolValue(!b.Bool)
}
