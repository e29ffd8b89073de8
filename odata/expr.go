package odata

import (
	"errors"
	"strings"
)

// Precedence of the outermost operator of an expression, lowest first.
// An operand is parenthesised when its precedence is lower than its
// operator needs, which is what keeps the text faithful to the Go tree.
const (
	precRaw  = iota // Raw text: unknown structure, always grouped when combined
	precOr          // a or b
	precAnd         // a and b
	precCmp         // a eq b, a in (...)
	precNot         // not a
	precPrim        // f(a), a/any(...), (a)
)

// Expr is a boolean $filter expression. Build one with Attr, And, Or, Not
// and Raw. The zero Expr is empty: And and Or skip it, which makes
// conditional filters easy to assemble.
type Expr struct {
	s    string
	prec int
	err  error
}

// String returns the expression as $filter text.
func (e Expr) String() string { return e.s }

// IsZero reports whether e is the empty expression.
func (e Expr) IsZero() bool { return e.s == "" && e.err == nil }

// Err returns the first mistake made while building e, or nil.
func (e Expr) Err() error { return e.err }

// And returns e and o.
func (e Expr) And(o Expr) Expr { return And(e, o) }

// Or returns e or o.
func (e Expr) Or(o Expr) Expr { return Or(e, o) }

// And joins conditions with "and", skipping empty ones. Operands joined by
// "or" are parenthesised.
func And(es ...Expr) Expr { return join("and", precAnd, es) }

// Or joins conditions with "or", skipping empty ones.
func Or(es ...Expr) Expr { return join("or", precOr, es) }

func join(op string, prec int, es []Expr) Expr {
	var b strings.Builder
	var errs []error
	n := 0
	last := Expr{}
	for _, e := range es {
		if e.IsZero() {
			continue
		}
		if e.err != nil {
			errs = append(errs, e.err)
		}
		if n > 0 {
			b.WriteString(" " + op + " ")
		}
		writeOperand(&b, e, prec)
		n++
		last = e
	}
	if n == 1 {
		return last
	}
	if n == 0 {
		return Expr{}
	}
	return Expr{s: b.String(), prec: prec, err: errors.Join(errs...)}
}

// writeOperand writes e, grouped when it binds less tightly than prec. An
// operand with the same operator needs no parentheses: and and or are
// associative.
func writeOperand(b *strings.Builder, e Expr, prec int) {
	if e.prec < prec {
		b.WriteString("(" + e.s + ")")
		return
	}
	b.WriteString(e.s)
}

// Not negates e. Anything but a function call, lambda or group is
// parenthesised, because OData's not binds tighter than comparisons:
// "not a eq b" would mean "(not a) eq b".
func Not(e Expr) Expr {
	if e.IsZero() {
		return e
	}
	if e.prec >= precPrim {
		return Expr{s: "not " + e.s, prec: precNot, err: e.err}
	}
	return Expr{s: "not (" + e.s + ")", prec: precNot, err: e.err}
}

// Raw is a $filter expression written by hand, for what the builder cannot
// express. It is used as is, without any escaping, and is parenthesised
// whenever it is combined with other conditions. Never put untrusted input
// in it.
func Raw(filter string) Expr {
	if filter == "" {
		return Expr{}
	}
	return Expr{s: filter, prec: precRaw}
}

// Attribute is a property path in a filter, such as "subject" or
// "from/emailAddress/address", or a lambda variable.
type Attribute struct {
	path string
	err  error
}

// Attr names a property. Snake_case segments become camelCase; a path may
// cross complex and navigation properties with "/". An invalid name is
// reported by Query.Err (see the package documentation).
func Attr(name string) Attribute {
	p, err := propertyPath(name)
	return Attribute{path: p, err: err}
}

// Attr names a property below a, typically of a lambda variable:
// r.Attr("email_address/address") is r/emailAddress/address.
func (a Attribute) Attr(name string) Attribute {
	p, err := propertyPath(name)
	if a.err != nil {
		err = a.err
	}
	return Attribute{path: a.path + "/" + p, err: err}
}

// String returns the property path as it appears in a query.
func (a Attribute) String() string {
	if a.err != nil {
		return invalidToken
	}
	return a.path
}

func (a Attribute) compare(op string, v any) Expr {
	lit, err := Literal(v)
	if err != nil {
		lit = invalidToken
	}
	return Expr{s: a.String() + " " + op + " " + lit, prec: precCmp, err: errors.Join(a.err, err)}
}

// Eq is "a eq v". v is written by Literal.
func (a Attribute) Eq(v any) Expr { return a.compare("eq", v) }

// Ne is "a ne v".
func (a Attribute) Ne(v any) Expr { return a.compare("ne", v) }

// Gt is "a gt v".
func (a Attribute) Gt(v any) Expr { return a.compare("gt", v) }

// Ge is "a ge v".
func (a Attribute) Ge(v any) Expr { return a.compare("ge", v) }

// Lt is "a lt v".
func (a Attribute) Lt(v any) Expr { return a.compare("lt", v) }

// Le is "a le v".
func (a Attribute) Le(v any) Expr { return a.compare("le", v) }

// IsNull is "a eq null".
func (a Attribute) IsNull() Expr { return a.compare("eq", nil) }

// NotNull is "a ne null".
func (a Attribute) NotNull() Expr { return a.compare("ne", nil) }

func (a Attribute) call(fn, s string) Expr {
	return Expr{s: fn + "(" + a.String() + "," + quote(s) + ")", prec: precPrim, err: a.err}
}

// StartsWith is "startswith(a,'s')".
func (a Attribute) StartsWith(s string) Expr { return a.call("startswith", s) }

// EndsWith is "endswith(a,'s')". Graph supports it on few properties
// (mail, userPrincipalName with ConsistencyLevel: eventual).
func (a Attribute) EndsWith(s string) Expr { return a.call("endswith", s) }

// Contains is "contains(a,'s')".
func (a Attribute) Contains(s string) Expr { return a.call("contains", s) }

// In is "a in (v1,v2,...)". With no values it is "a in ()", which matches
// nothing.
func (a Attribute) In(vs ...any) Expr {
	var b strings.Builder
	errs := []error{a.err}
	b.WriteString(a.String() + " in (")
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		lit, err := Literal(v)
		if err != nil {
			lit = invalidToken
			errs = append(errs, err)
		}
		b.WriteString(lit)
	}
	b.WriteByte(')')
	return Expr{s: b.String(), prec: precCmp, err: errors.Join(errs...)}
}

// Any is the lambda "a/any(v:cond)": true when some member of the
// collection a satisfies cond. cond receives the variable v as an
// Attribute:
//
//	odata.Attr("categories").Any("c", func(c odata.Attribute) odata.Expr { return c.Eq("Red") })
//
// gives categories/any(c:c eq 'Red').
func (a Attribute) Any(v string, cond func(Attribute) Expr) Expr {
	return a.lambda("any", v, cond)
}

// All is the lambda "a/all(v:cond)": true when every member of a satisfies
// cond.
func (a Attribute) All(v string, cond func(Attribute) Expr) Expr {
	return a.lambda("all", v, cond)
}

func (a Attribute) lambda(fn, v string, cond func(Attribute) Expr) Expr {
	errs := []error{a.err}
	name := v
	if !validIdent(v) {
		errs = append(errs, errors.New("odata: invalid lambda variable "+quote(v)))
		name = invalidToken
	}
	var body Expr
	if cond != nil {
		body = cond(Attribute{path: name})
	}
	if body.IsZero() {
		// any() with no condition: "the collection is not empty".
		if fn == "any" {
			return Expr{s: a.String() + "/any()", prec: precPrim, err: errors.Join(errs...)}
		}
		errs = append(errs, errors.New("odata: all() needs a condition"))
		body = Expr{s: invalidToken}
	}
	errs = append(errs, body.err)
	return Expr{s: a.String() + "/" + fn + "(" + name + ":" + body.s + ")", prec: precPrim, err: errors.Join(errs...)}
}
