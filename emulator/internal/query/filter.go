package query

import (
	"math"
	"strconv"
	"strings"
)

// Filter is a parsed $filter expression, compiled once and safe to
// evaluate from many goroutines. A nil *Filter matches every item.
type Filter struct {
	src  string
	root expr
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 100

// ParseFilter parses a $filter expression. It supports the comparison
// operators eq ne gt ge lt le and in, boolean logic with and, or, not and
// parentheses (has and arithmetic are rejected), the functions contains, startswith, endswith, tolower,
// toupper, trim, length, indexof, substring, concat, year, month, day,
// hour, minute and second, any/all lambdas (categories/any(c:c eq 'Red')),
// and literals: strings, numbers, true/false/null, date-times, GUIDs and
// enum members (microsoft.graph.importance'high', compared by member name).
func ParseFilter(expr string) (*Filter, error) {
	p := &parser{lx: lexer{src: expr}, src: expr}
	p.advance()
	if p.err != nil {
		return nil, p.err
	}
	if p.tok.kind == tEOF {
		return nil, errorf("$filter", expr, -1, "the expression is empty")
	}
	root := p.parseOr()
	if p.err == nil && p.tok.kind != tEOF {
		p.fail(p.tok.pos, "unexpected '%s'", p.tok.text)
	}
	if p.err != nil {
		return nil, p.err
	}
	if !root.boolean() {
		return nil, errorf("$filter", expr, -1, "the expression must evaluate to a boolean value")
	}
	return &Filter{src: expr, root: root}, nil
}

// String returns the expression the filter was parsed from.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	return f.src
}

// Match reports whether item satisfies the filter. A property that is
// missing is null. The error is reserved for evaluation failures; the
// current operators cannot fail once parsed, so it is always nil.
func (f *Filter) Match(item map[string]any) (bool, error) {
	if f == nil || f.root == nil {
		return true, nil
	}
	v := f.root.eval(&env{item: item})
	return v.k == kBool && v.b, nil
}

// env is the evaluation context: the item and the lambda variables in
// scope, innermost last.
type env struct {
	item map[string]any
	vars []value
}

type expr interface {
	eval(e *env) value
	// boolean reports whether the expression can yield a boolean, for the
	// check that a filter is a condition.
	boolean() bool
}

type (
	litExpr  struct{ v value }
	pathExpr struct{ path []string } // from the item
	varExpr  struct {
		idx  int
		path []string
	} // from a lambda variable
	notExpr struct{ x expr }
	andExpr struct{ l, r expr }
	orExpr  struct{ l, r expr }
	cmpExpr struct {
		op   string
		l, r expr
	}
	inExpr struct {
		x    expr
		list []expr
	}
	lambdaExpr struct {
		coll expr
		all  bool
		body expr // nil for any()
	}
	callExpr struct {
		fn   string
		args []expr
	}
)

func (x litExpr) eval(*env) value { return x.v }
func (x litExpr) boolean() bool   { return x.v.k == kBool || x.v.k == kNull }

func (x pathExpr) eval(e *env) value { return lookup(e.item, x.path) }
func (pathExpr) boolean() bool       { return true }

func (x varExpr) eval(e *env) value { return walk(e.vars[x.idx], x.path) }
func (varExpr) boolean() bool       { return true }

func (x notExpr) eval(e *env) value {
	v := x.x.eval(e)
	if v.k != kBool {
		return null
	}
	return boolVal(!v.b)
}
func (notExpr) boolean() bool { return true }

func (x andExpr) eval(e *env) value {
	l := x.l.eval(e)
	if l.k == kBool && !l.b {
		return boolVal(false)
	}
	r := x.r.eval(e)
	return boolVal(l.k == kBool && l.b && r.k == kBool && r.b)
}
func (andExpr) boolean() bool { return true }

func (x orExpr) eval(e *env) value {
	l := x.l.eval(e)
	if l.k == kBool && l.b {
		return boolVal(true)
	}
	r := x.r.eval(e)
	return boolVal(r.k == kBool && r.b)
}
func (orExpr) boolean() bool { return true }

func (x cmpExpr) eval(e *env) value {
	l, r := x.l.eval(e), x.r.eval(e)
	switch x.op {
	case "eq":
		return boolVal(equal(l, r))
	case "ne":
		return boolVal(!equal(l, r))
	}
	// Ordering with null is false, as in SQL.
	if l.k == kNull || r.k == kNull {
		return boolVal(false)
	}
	c, ok := compare(l, r)
	if !ok {
		return boolVal(false)
	}
	switch x.op {
	case "gt":
		return boolVal(c > 0)
	case "ge":
		return boolVal(c >= 0)
	case "lt":
		return boolVal(c < 0)
	}
	return boolVal(c <= 0) // le
}
func (cmpExpr) boolean() bool { return true }

func (x inExpr) eval(e *env) value {
	v := x.x.eval(e)
	for _, it := range x.list {
		if equal(v, it.eval(e)) {
			return boolVal(true)
		}
	}
	return boolVal(false)
}
func (inExpr) boolean() bool { return true }

func (x lambdaExpr) eval(e *env) value {
	c := x.coll.eval(e)
	if c.k != kList {
		// A missing collection has no members: any is false, all is true.
		return boolVal(x.all)
	}
	if x.body == nil {
		return boolVal(len(c.l) > 0)
	}
	e.vars = append(e.vars, null)
	defer func() { e.vars = e.vars[:len(e.vars)-1] }()
	for _, m := range c.l {
		e.vars[len(e.vars)-1] = fromAny(m)
		v := x.body.eval(e)
		ok := v.k == kBool && v.b
		if ok && !x.all {
			return boolVal(true)
		}
		if !ok && x.all {
			return boolVal(false)
		}
	}
	return boolVal(x.all)
}
func (lambdaExpr) boolean() bool { return true }

// functions maps each supported function to its arity and whether it
// yields a boolean.
var functions = map[string]struct {
	arity   []int
	boolean bool
}{
	"contains":   {[]int{2}, true},
	"startswith": {[]int{2}, true},
	"endswith":   {[]int{2}, true},
	"tolower":    {[]int{1}, false},
	"toupper":    {[]int{1}, false},
	"trim":       {[]int{1}, false},
	"length":     {[]int{1}, false},
	"indexof":    {[]int{2}, false},
	"substring":  {[]int{2, 3}, false},
	"concat":     {[]int{2}, false},
	"year":       {[]int{1}, false},
	"month":      {[]int{1}, false},
	"day":        {[]int{1}, false},
	"hour":       {[]int{1}, false},
	"minute":     {[]int{1}, false},
	"second":     {[]int{1}, false},
}

func (x callExpr) boolean() bool { return functions[x.fn].boolean }

func (x callExpr) eval(e *env) value {
	a := x.args[0].eval(e)
	switch x.fn {
	case "contains", "startswith", "endswith":
		s, ok1 := text(a)
		sub, ok2 := text(x.args[1].eval(e))
		if !ok1 || !ok2 {
			return boolVal(false)
		}
		switch x.fn {
		case "contains":
			return boolVal(indexFold(s, sub) >= 0)
		case "startswith":
			return boolVal(hasPrefixFold(s, sub))
		}
		return boolVal(hasSuffixFold(s, sub))
	case "tolower", "toupper", "trim":
		s, ok := text(a)
		if !ok {
			return null
		}
		switch x.fn {
		case "tolower":
			s = strings.ToLower(s)
		case "toupper":
			s = strings.ToUpper(s)
		default:
			s = strings.TrimSpace(s)
		}
		return value{k: kStr, s: s}
	case "length":
		if a.k == kList {
			return value{k: kNum, n: float64(len(a.l))}
		}
		s, ok := text(a)
		if !ok {
			return null
		}
		return value{k: kNum, n: float64(len([]rune(s)))}
	case "indexof":
		s, ok1 := text(a)
		sub, ok2 := text(x.args[1].eval(e))
		if !ok1 || !ok2 {
			return null
		}
		return value{k: kNum, n: float64(indexFold(s, sub))}
	case "concat":
		s, ok1 := text(a)
		t, ok2 := text(x.args[1].eval(e))
		if !ok1 || !ok2 {
			return null
		}
		return value{k: kStr, s: s + t}
	case "substring":
		s, ok := text(a)
		from := x.args[1].eval(e)
		if !ok || from.k != kNum {
			return null
		}
		r := []rune(s)
		i := clampIndex(from.n, len(r))
		j := len(r)
		if len(x.args) == 3 {
			n := x.args[2].eval(e)
			if n.k != kNum {
				return null
			}
			j = i + clampIndex(n.n, len(r)-i)
		}
		return value{k: kStr, s: string(r[i:j])}
	}
	// year, month, ...
	t, ok := asTime(a)
	if !ok {
		return null
	}
	t = t.UTC()
	var n int
	switch x.fn {
	case "year":
		n = t.Year()
	case "month":
		n = int(t.Month())
	case "day":
		n = t.Day()
	case "hour":
		n = t.Hour()
	case "minute":
		n = t.Minute()
	default:
		n = t.Second()
	}
	return value{k: kNum, n: float64(n)}
}

func clampIndex(f float64, n int) int {
	switch {
	case math.IsNaN(f) || f < 0:
		return 0
	case f > float64(n):
		return n
	}
	return int(f)
}

// parser is a recursive-descent parser over the lexer's tokens, following
// OData's precedence: or < and < comparison < not < primary.
type parser struct {
	lx    lexer
	src   string
	tok   token
	err   *Error
	vars  []string // lambda variables in scope, innermost last
	depth int
}

func (p *parser) fail(pos int, format string, args ...any) {
	if p.err == nil {
		p.err = errorf("$filter", p.src, pos, format, args...)
	}
	p.tok = token{kind: tEOF, pos: len(p.src)}
}

func (p *parser) advance() {
	if p.err != nil {
		return
	}
	start := p.lx.pos
	t, msg := p.lx.next()
	if msg != "" {
		pos := p.lx.pos
		if pos == start {
			for pos < len(p.src) && p.src[pos] == ' ' {
				pos++
			}
		}
		p.fail(pos, "%s", msg)
		return
	}
	p.tok = t
}

// isWord reports whether the current token is the keyword w.
func (p *parser) isWord(w string) bool { return p.tok.kind == tName && p.tok.text == w }

func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.tok.pos, "the expression is nested too deeply")
		return false
	}
	return true
}

func (p *parser) parseOr() expr {
	if !p.enter() {
		return litExpr{}
	}
	defer func() { p.depth-- }()
	l := p.parseAnd()
	for p.err == nil && p.isWord("or") {
		p.advance()
		l = orExpr{l, p.parseAnd()}
	}
	return l
}

func (p *parser) parseAnd() expr {
	l := p.parseCmp()
	for p.err == nil && p.isWord("and") {
		p.advance()
		l = andExpr{l, p.parseCmp()}
	}
	return l
}

var cmpOps = map[string]bool{"eq": true, "ne": true, "gt": true, "ge": true, "lt": true, "le": true}

var unsupported = map[string]bool{"has": true, "add": true, "sub": true, "mul": true, "div": true, "divby": true, "mod": true}

func (p *parser) parseCmp() expr {
	l := p.parseUnary()
	if p.err != nil || p.tok.kind != tName {
		return l
	}
	op := p.tok.text
	switch {
	case cmpOps[op]:
		p.advance()
		if p.tok.kind == tEOF || p.tok.kind == tRParen || p.tok.kind == tComma {
			p.fail(p.tok.pos, "expected a value after '%s'", op)
			return l
		}
		r := p.parseUnary()
		return cmpExpr{op: op, l: l, r: r}
	case op == "in":
		p.advance()
		if p.tok.kind != tLParen {
			p.fail(p.tok.pos, "expected '(' after 'in'")
			return l
		}
		p.advance()
		var list []expr
		for p.err == nil && p.tok.kind != tRParen {
			if len(list) > 0 {
				if p.tok.kind != tComma {
					p.fail(p.tok.pos, "expected ',' or ')' in the 'in' list")
					return l
				}
				p.advance()
			}
			list = append(list, p.parseUnary())
		}
		p.advance()
		return inExpr{x: l, list: list}
	case unsupported[op]:
		p.fail(p.tok.pos, "the operator '%s' is not supported", op)
	}
	return l
}

func (p *parser) parseUnary() expr {
	if p.isWord("not") {
		p.advance()
		if !p.enter() {
			return litExpr{}
		}
		defer func() { p.depth-- }()
		x := p.parseUnary()
		if p.err == nil && !x.boolean() {
			p.fail(p.tok.pos, "'not' needs a boolean operand")
		}
		return notExpr{x}
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() expr {
	t := p.tok
	switch t.kind {
	case tLParen:
		p.advance()
		x := p.parseOr()
		if p.err == nil && p.tok.kind != tRParen {
			p.fail(p.tok.pos, "expected ')'")
		}
		p.advance()
		return x
	case tString:
		p.advance()
		return litExpr{value{k: kStr, s: t.val}}
	case tEnum:
		p.advance()
		return p.typedLiteral(t)
	case tGUID:
		p.advance()
		return litExpr{value{k: kStr, s: t.text}}
	case tTime:
		p.advance()
		tm, ok := parseTime(t.text)
		if !ok {
			p.fail(t.pos, "invalid date-time literal '%s'", t.text)
			return litExpr{}
		}
		return litExpr{value{k: kTime, t: tm, s: t.text}}
	case tNumber:
		p.advance()
		return p.number(t)
	case tName:
		switch t.text {
		case "true", "false":
			p.advance()
			return litExpr{boolVal(t.text == "true")}
		case "null":
			p.advance()
			return litExpr{null}
		case "INF", "NaN":
			p.advance()
			return p.number(t)
		case "and", "or", "eq", "ne", "gt", "ge", "lt", "le", "in":
			p.fail(t.pos, "expected a value, found '%s'", t.text)
			return litExpr{}
		}
		p.advance()
		if p.tok.kind == tLParen {
			return p.call(t)
		}
		return p.path(t)
	case tEOF:
		p.fail(t.pos, "unexpected end of expression")
	default:
		p.fail(t.pos, "unexpected '%s'", t.text)
	}
	return litExpr{}
}

func (p *parser) number(t token) expr {
	switch t.text {
	case "INF":
		return litExpr{value{k: kNum, n: math.Inf(1)}}
	case "-INF":
		return litExpr{value{k: kNum, n: math.Inf(-1)}}
	case "NaN":
		return litExpr{value{k: kNum, n: math.NaN()}}
	}
	f, err := strconv.ParseFloat(t.text, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		p.fail(t.pos, "invalid number '%s'", t.text)
		return litExpr{}
	}
	return litExpr{value{k: kNum, n: f}}
}

// typedLiteral handles name'text' literals: enum members compare by their
// member name; duration, date-time and GUID forms by their content.
func (p *parser) typedLiteral(t token) expr {
	prefix := strings.ToLower(t.text[:strings.IndexByte(t.text, '\'')])
	switch prefix {
	case "datetime", "datetimeoffset":
		tm, ok := parseTime(t.val)
		if !ok {
			p.fail(t.pos, "invalid date-time literal '%s'", t.val)
			return litExpr{}
		}
		return litExpr{value{k: kTime, t: tm, s: t.val}}
	case "binary", "geography", "geometry":
		p.fail(t.pos, "%s literals are not supported", prefix)
		return litExpr{}
	}
	return litExpr{value{k: kStr, s: t.val}}
}

func (p *parser) call(name token) expr {
	fn := strings.ToLower(name.text)
	spec, ok := functions[fn]
	if !ok {
		p.fail(name.pos, "an unknown function with name '%s' was found", name.text)
		return litExpr{}
	}
	p.advance() // (
	if !p.enter() {
		return litExpr{}
	}
	defer func() { p.depth-- }()
	var args []expr
	for p.err == nil && p.tok.kind != tRParen {
		if len(args) > 0 {
			if p.tok.kind != tComma {
				p.fail(p.tok.pos, "expected ',' or ')' in the arguments of '%s'", name.text)
				return litExpr{}
			}
			p.advance()
		}
		args = append(args, p.parseOr())
	}
	if p.err != nil {
		return litExpr{}
	}
	p.advance() // )
	okArity := false
	for _, n := range spec.arity {
		okArity = okArity || n == len(args)
	}
	if !okArity {
		p.fail(name.pos, "the function '%s' takes %d arguments, not %d", fn, spec.arity[0], len(args))
		return litExpr{}
	}
	return callExpr{fn: fn, args: args}
}

// path reads name(/name)* and an optional trailing any/all lambda. The
// first name may be a lambda variable.
func (p *parser) path(first token) expr {
	segs := []string{first.text}
	for p.err == nil && p.tok.kind == tSlash {
		p.advance()
		if p.tok.kind != tName {
			p.fail(p.tok.pos, "expected a property name after '/'")
			return litExpr{}
		}
		seg := p.tok
		p.advance()
		if (seg.text == "any" || seg.text == "all") && p.tok.kind == tLParen {
			return p.lambda(p.pathExpr(segs), seg)
		}
		segs = append(segs, seg.text)
	}
	for _, s := range segs {
		if !validName(s) {
			p.fail(first.pos, "invalid property name '%s'", s)
			return litExpr{}
		}
	}
	return p.pathExpr(segs)
}

func (p *parser) pathExpr(segs []string) expr {
	for i := len(p.vars) - 1; i >= 0; i-- {
		if p.vars[i] == segs[0] {
			return varExpr{idx: i, path: segs[1:]}
		}
	}
	return pathExpr{path: segs}
}

func (p *parser) lambda(coll expr, fn token) expr {
	p.advance() // (
	if !p.enter() {
		return litExpr{}
	}
	defer func() { p.depth-- }()
	l := lambdaExpr{coll: coll, all: fn.text == "all"}
	if p.tok.kind == tRParen {
		if l.all {
			p.fail(p.tok.pos, "all() needs a condition")
			return litExpr{}
		}
		p.advance()
		return l
	}
	if p.tok.kind != tName || !validIdent(p.tok.text) {
		p.fail(p.tok.pos, "expected a lambda variable name")
		return litExpr{}
	}
	v := p.tok.text
	p.advance()
	if p.tok.kind != tColon {
		p.fail(p.tok.pos, "expected ':' after the lambda variable '%s'", v)
		return litExpr{}
	}
	p.advance()
	p.vars = append(p.vars, v)
	l.body = p.parseOr()
	p.vars = p.vars[:len(p.vars)-1]
	if p.err != nil {
		return litExpr{}
	}
	if !l.body.boolean() {
		p.fail(fn.pos, "the condition of '%s' must be boolean", fn.text)
		return litExpr{}
	}
	if p.tok.kind != tRParen {
		p.fail(p.tok.pos, "expected ')' to close '%s'", fn.text)
		return litExpr{}
	}
	p.advance()
	return l
}

func validIdent(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || isDigit(c)) {
			return false
		}
	}
	return true
}
