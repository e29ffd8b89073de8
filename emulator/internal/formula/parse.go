package formula

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of a formula, so hostile input cannot
// exhaust the stack.
const maxDepth = 128

// node is a parsed expression.
type node interface{}

type (
	litNode   struct{ v Value }
	refNode   struct{ ref Ref }
	nameNode  struct{ name string }
	unaryNode struct {
		op byte // '-', '+' or '%'
		x  node
	}
	binNode struct {
		op   string
		l, r node
	}
	callNode struct {
		name string
		args []node
	}
	// arrayNode is a 2-D array argument (from the functions API).
	arrayNode struct{ rows [][]Value }
)

// Formula is a parsed formula.
type Formula struct {
	root node
}

// tokKind is the kind of a token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tStr
	tBool
	tErr
	tRef
	tName
	tFunc // a name directly followed by "("
	tOp
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string
	pos  int
	ref  Ref
}

// Parse parses a formula, with or without its leading "=".
func Parse(src string) (*Formula, error) {
	src = strings.TrimPrefix(strings.TrimSpace(src), "=")
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, fmt.Errorf("unexpected %q at %d", p.peek().text, p.peek().pos)
	}
	return &Formula{root: n}, nil
}

func tokenize(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						b.WriteByte('"')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteByte(s[i])
				i++
			}
			if !closed {
				return nil, errors.New("unterminated string")
			}
			toks = append(toks, token{kind: tStr, text: b.String(), pos: start})
		case c == '#':
			j := i + 1
			for j < len(s) && (isLetter(s[j]) || s[j] == '/' || s[j] == '0' || s[j] == '!' || s[j] == '?') {
				j++
				if s[j-1] == '!' || s[j-1] == '?' {
					break
				}
			}
			code := strings.ToUpper(s[i:j])
			if code == "#N/A" || IsErrorCode(code) {
				toks = append(toks, token{kind: tErr, text: code, pos: start})
				i = j
				continue
			}
			return nil, fmt.Errorf("unknown error value at %d", i)
		case c >= '0' && c <= '9' || c == '.':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && s[k] >= '0' && s[k] <= '9' {
					for k < len(s) && s[k] >= '0' && s[k] <= '9' {
						k++
					}
					j = k
				}
			}
			// Whole rows: 1:3.
			if j < len(s) && s[j] == ':' && !strings.Contains(s[i:j], ".") {
				k := j + 1
				for k < len(s) && (s[k] >= '0' && s[k] <= '9' || s[k] == '$') {
					k++
				}
				if r, err := ParseAddress(s[i:k]); err == nil {
					toks = append(toks, token{kind: tRef, text: s[i:k], pos: start, ref: r})
					i = k
					continue
				}
			}
			if j < len(s) && (isLetter(s[j]) || s[j] == '_') {
				return nil, fmt.Errorf("bad number at %d", i)
			}
			if _, err := strconv.ParseFloat(s[i:j], 64); err != nil {
				return nil, fmt.Errorf("bad number at %d", i)
			}
			toks = append(toks, token{kind: tNum, text: s[i:j], pos: start})
			i = j
		case c == '\'' || isLetter(c) || c == '_' || c == '$' || c == '\\':
			tok, n, err := scanWord(s[i:])
			if err != nil {
				return nil, fmt.Errorf("%w at %d", err, i)
			}
			tok.pos = start
			toks = append(toks, tok)
			i += n
		case c == '(':
			toks = append(toks, token{kind: tLParen, text: "(", pos: start})
			i++
		case c == ')':
			toks = append(toks, token{kind: tRParen, text: ")", pos: start})
			i++
		case c == ',' || c == ';':
			toks = append(toks, token{kind: tComma, text: ",", pos: start})
			i++
		case c == '<' || c == '>':
			op := string(c)
			if i+1 < len(s) && (s[i+1] == '=' || c == '<' && s[i+1] == '>') {
				op += string(s[i+1])
			}
			toks = append(toks, token{kind: tOp, text: op, pos: start})
			i += len(op)
		case strings.IndexByte("+-*/^&=%", c) >= 0:
			toks = append(toks, token{kind: tOp, text: string(c), pos: start})
			i++
		default:
			return nil, fmt.Errorf("unexpected character %q at %d", c, i)
		}
	}
	return append(toks, token{kind: tEOF, pos: len(s)}), nil
}

// scanWord reads a reference, a name, a function name or a logical.
func scanWord(s string) (token, int, error) {
	i := 0
	sheet := ""
	hasSheet := false
	if s[0] == '\'' {
		name, rest, ok := SplitSheet(s)
		if !ok {
			return token{}, 0, errors.New("bad sheet name")
		}
		sheet, hasSheet = name, true
		i = len(s) - len(rest)
	}
	word := func(j int) int {
		for j < len(s) && (isLetter(s[j]) || s[j] >= '0' && s[j] <= '9' || s[j] == '_' || s[j] == '.' || s[j] == '$' || s[j] == '\\') {
			j++
		}
		return j
	}
	j := word(i)
	if !hasSheet && j < len(s) && s[j] == '!' {
		sheet, hasSheet = s[i:j], true
		i = j + 1
		j = word(i)
	}
	w := s[i:j]
	if w == "" {
		return token{}, 0, errors.New("missing reference")
	}
	if !hasSheet && j < len(s) && s[j] == '(' {
		return token{kind: tFunc, text: strings.ToUpper(w)}, j, nil
	}
	// A range continues after ":".
	end := j
	text := w
	if j < len(s) && s[j] == ':' {
		k := word(j + 1)
		if k > j+1 {
			if _, err := ParseAddress(s[i:k]); err == nil {
				end, text = k, s[i:k]
			}
		}
	}
	if r, err := ParseAddress(text); err == nil {
		r.Sheet = sheet
		return token{kind: tRef, text: s[:end], ref: r}, end, nil
	}
	if hasSheet {
		return token{}, 0, errors.New("bad reference")
	}
	switch strings.ToUpper(w) {
	case "TRUE", "FALSE":
		return token{kind: tBool, text: strings.ToUpper(w)}, j, nil
	}
	return token{kind: tName, text: w}, j, nil
}

type parser struct {
	toks  []token
	pos   int
	depth int
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

// Binary operator levels, lowest first.
var levels = [][]string{
	{"=", "<>", "<", ">", "<=", ">="},
	{"&"},
	{"+", "-"},
	{"*", "/"},
	{"^"},
}

func (p *parser) expr(level int) (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, errors.New("formula nested too deeply")
	}
	if level == len(levels) {
		return p.unary()
	}
	l, err := p.expr(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tOp || !contains(levels[level], t.text) {
			return l, nil
		}
		p.next()
		r, err := p.expr(level + 1)
		if err != nil {
			return nil, err
		}
		l = binNode{op: t.text, l: l, r: r}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *parser) unary() (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, errors.New("formula nested too deeply")
	}
	t := p.peek()
	if t.kind == tOp && (t.text == "-" || t.text == "+") {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return unaryNode{op: t.text[0], x: x}, nil
	}
	x, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tOp && p.peek().text == "%" {
		p.next()
		x = unaryNode{op: '%', x: x}
	}
	return x, nil
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tNum:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, err
		}
		return litNode{NumberValue(f)}, nil
	case tStr:
		return litNode{StringValue(t.text)}, nil
	case tBool:
		return litNode{BoolValue(t.text == "TRUE")}, nil
	case tErr:
		return litNode{ErrorValue(t.text)}, nil
	case tRef:
		return refNode{t.ref}, nil
	case tName:
		return nameNode{t.text}, nil
	case tLParen:
		x, err := p.expr(0)
		if err != nil {
			return nil, err
		}
		if p.next().kind != tRParen {
			return nil, errors.New("missing )")
		}
		return x, nil
	case tFunc:
		p.next() // "("
		var args []node
		if p.peek().kind == tRParen {
			p.next()
			return callNode{name: t.text, args: args}, nil
		}
		for {
			if k := p.peek().kind; k == tComma || k == tRParen {
				args = append(args, litNode{}) // an omitted argument
			} else {
				a, err := p.expr(0)
				if err != nil {
					return nil, err
				}
				args = append(args, a)
			}
			switch p.next().kind {
			case tComma:
				continue
			case tRParen:
				return callNode{name: t.text, args: args}, nil
			}
			return nil, errors.New("missing ) after arguments")
		}
	case tEOF:
		return nil, errors.New("unexpected end of formula")
	}
	return nil, fmt.Errorf("unexpected %q at %d", t.text, t.pos)
}

// ToR1C1 rewrites the A1 references of formula (with its "=") as R1C1
// references relative to the zero-based cell (row, col). A formula that
// does not parse is returned unchanged.
func ToR1C1(formula string, row, col int) string {
	body, ok := strings.CutPrefix(formula, "=")
	if !ok {
		return formula
	}
	toks, err := tokenize(body)
	if err != nil {
		return formula
	}
	var b strings.Builder
	b.WriteByte('=')
	last := 0
	for _, t := range toks {
		if t.kind != tRef {
			continue
		}
		b.WriteString(body[last:t.pos])
		b.WriteString(refR1C1(t.text, row, col))
		last = t.pos + len(t.text)
	}
	b.WriteString(body[last:])
	return b.String()
}

func refR1C1(text string, row, col int) string {
	prefix := ""
	if i := strings.LastIndexByte(text, '!'); i >= 0 {
		prefix, text = text[:i+1], text[i+1:]
	}
	parts := strings.Split(text, ":")
	for i, part := range parts {
		parts[i] = partR1C1(part, row, col)
	}
	return prefix + strings.Join(parts, ":")
}

func partR1C1(s string, row, col int) string {
	absCol := strings.HasPrefix(s, "$")
	s = strings.TrimPrefix(s, "$")
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	out := ""
	rowPart := s[i:]
	absRow := strings.HasPrefix(rowPart, "$")
	if r, ok := parseRow(rowPart); ok {
		if absRow {
			out += "R" + strconv.Itoa(r+1)
		} else if r == row {
			out += "R"
		} else {
			out += "R[" + strconv.Itoa(r-row) + "]"
		}
	}
	if c, ok := parseCol(s[:i]); ok && i > 0 {
		if absCol {
			out += "C" + strconv.Itoa(c+1)
		} else if c == col {
			out += "C"
		} else {
			out += "C[" + strconv.Itoa(c-col) + "]"
		}
	}
	return out
}
