package odata

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Direction is the sort direction of an $orderby key.
type Direction int

const (
	// Asc sorts ascending, Graph's default.
	Asc Direction = iota
	// Desc sorts descending.
	Desc
)

type orderKey struct {
	path string
	dir  Direction
}

type expansion struct {
	name   string
	nested *Query
}

// Query is a set of OData system query options. Build one with New and the
// methods below; each returns a new *Query and never modifies its receiver.
// A nil *Query is valid and has no options.
type Query struct {
	filter  Expr
	join    string // operator joining the next condition: "and" (default) or "or"
	negate  bool   // the next condition is negated
	search  []string
	orderBy []orderKey
	selects []string
	expand  []expansion
	top     *int
	skip    *int
	count   bool
	errs    []error
}

// New returns an empty query.
func New() *Query { return &Query{} }

// Clone returns a copy of q. Because builder methods already copy, Clone is
// only needed to hand out an independent value explicitly.
func (q *Query) Clone() *Query {
	if q == nil {
		return New()
	}
	c := *q
	// Slices are shared until the next append, which clips first, so the
	// shallow copy is safe.
	return &c
}

func (q *Query) addErr(err error) {
	if err != nil {
		q.errs = append(slices.Clip(q.errs), err)
	}
}

// Err returns the mistakes made while building q (invalid names, values of
// unsupported types, negative $top), joined, or nil. Their pieces are
// rendered so that the service rejects the query.
func (q *Query) Err() error {
	if q == nil {
		return nil
	}
	return errors.Join(q.errs...)
}

// Filter adds a condition to $filter. It is joined to the conditions
// already there with "and", or with "or" after Or().
func (q *Query) Filter(e Expr) *Query {
	c := q.Clone()
	if c.negate {
		e = Not(e)
	}
	c.addErr(e.err)
	if c.join == "or" {
		c.filter = Or(c.filter, e)
	} else {
		c.filter = And(c.filter, e)
	}
	c.join, c.negate = "", false
	return c
}

// And makes the next condition join the filter with "and" (the default).
func (q *Query) And() *Query {
	c := q.Clone()
	c.join = "and"
	return c
}

// Or makes the next condition join the filter with "or". The filter so far
// is grouped: New().On("a").Eq(1).Or().On("b").Eq(2).And().On("c").Eq(3)
// is "(a eq 1 or b eq 2) and c eq 3", conditions combining left to right.
func (q *Query) Or() *Query {
	c := q.Clone()
	c.join = "or"
	return c
}

// Not negates the next condition.
func (q *Query) Not() *Query {
	c := q.Clone()
	c.negate = !c.negate
	return c
}

// On starts a condition on attribute name in the seed-like chain;
// finish it with one of Clause's operators.
func (q *Query) On(name string) *Clause {
	return &Clause{q: q, attr: Attr(name)}
}

// FilterString returns the $filter text, or "".
func (q *Query) FilterString() string {
	if q == nil {
		return ""
	}
	return q.filter.s
}

// Search adds a $search term, written as Graph expects: "term", with
// double quotes and backslashes inside escaped by a backslash. Several
// terms are joined with AND.
func (q *Query) Search(term string) *Query {
	c := q.Clone()
	c.search = append(slices.Clip(c.search), searchQuote(term))
	return c
}

// SearchProperty adds a $search term restricted to a property, as in
// "subject:report" or, for directory objects, "displayName:wa".
func (q *Query) SearchProperty(name, term string) *Query {
	c := q.Clone()
	p, err := propertyPath(name)
	if err != nil {
		c.addErr(err)
		c.search = append(slices.Clip(c.search), invalidToken)
		return c
	}
	c.search = append(slices.Clip(c.search), searchQuote(p+":"+term))
	return c
}

func searchQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// OrderBy adds a sort key. Keys apply in the order they are added.
func (q *Query) OrderBy(name string, dir Direction) *Query {
	c := q.Clone()
	p, err := propertyPath(name)
	if err != nil {
		c.addErr(err)
		p = invalidToken
	}
	c.orderBy = append(slices.Clip(c.orderBy), orderKey{path: p, dir: dir})
	return c
}

// Select adds properties to $select. "*" selects every property.
func (q *Query) Select(names ...string) *Query {
	c := q.Clone()
	c.selects = slices.Clip(c.selects)
	for _, n := range names {
		if n == "*" {
			c.selects = append(c.selects, n)
			continue
		}
		p, err := propertyPath(n)
		if err != nil {
			c.addErr(err)
			p = invalidToken
		}
		c.selects = append(c.selects, p)
	}
	return c
}

// Expand adds navigation properties to $expand.
func (q *Query) Expand(names ...string) *Query {
	c := q
	for _, n := range names {
		c = c.ExpandWith(n, nil)
	}
	if c == q {
		return q.Clone()
	}
	return c
}

// ExpandWith expands a navigation property with nested options:
//
//	q.ExpandWith("children", odata.New().Select("id", "name").Top(5))
//
// gives $expand=children($select=id,name;$top=5).
func (q *Query) ExpandWith(name string, nested *Query) *Query {
	c := q.Clone()
	p, err := propertyPath(name)
	if err != nil {
		c.addErr(err)
		p = invalidToken
	}
	c.addErr(nested.Err())
	c.expand = append(slices.Clip(c.expand), expansion{name: p, nested: nested})
	return c
}

// Top sets $top, the number of items (or the page size, for Graph lists
// that page).
func (q *Query) Top(n int) *Query {
	c := q.Clone()
	if n < 0 {
		c.addErr(fmt.Errorf("odata: negative $top %d", n))
	}
	c.top = &n
	return c
}

// Skip sets $skip.
func (q *Query) Skip(n int) *Query {
	c := q.Clone()
	if n < 0 {
		c.addErr(fmt.Errorf("odata: negative $skip %d", n))
	}
	c.skip = &n
	return c
}

// Count asks for @odata.count with $count=true. Directory objects also
// need the ConsistencyLevel: eventual header.
func (q *Query) Count() *Query {
	c := q.Clone()
	c.count = true
	return c
}

// options lists q's options in the canonical order used by Encode, String
// and nested $expand options.
func (q *Query) options() [][2]string {
	if q == nil {
		return nil
	}
	var o [][2]string
	if q.filter.s != "" {
		o = append(o, [2]string{"$filter", q.filter.s})
	}
	if len(q.search) > 0 {
		o = append(o, [2]string{"$search", strings.Join(q.search, " AND ")})
	}
	if len(q.orderBy) > 0 {
		keys := make([]string, len(q.orderBy))
		for i, k := range q.orderBy {
			keys[i] = k.path
			if k.dir == Desc {
				keys[i] += " desc"
			}
		}
		o = append(o, [2]string{"$orderby", strings.Join(keys, ",")})
	}
	if len(q.selects) > 0 {
		o = append(o, [2]string{"$select", strings.Join(q.selects, ",")})
	}
	if len(q.expand) > 0 {
		items := make([]string, len(q.expand))
		for i, e := range q.expand {
			items[i] = e.name
			if opts := e.nested.options(); len(opts) > 0 {
				parts := make([]string, len(opts))
				for j, kv := range opts {
					parts[j] = kv[0] + "=" + kv[1]
				}
				items[i] += "(" + strings.Join(parts, ";") + ")"
			}
		}
		o = append(o, [2]string{"$expand", strings.Join(items, ",")})
	}
	if q.top != nil {
		o = append(o, [2]string{"$top", strconv.Itoa(*q.top)})
	}
	if q.skip != nil {
		o = append(o, [2]string{"$skip", strconv.Itoa(*q.skip)})
	}
	if q.count {
		o = append(o, [2]string{"$count", "true"})
	}
	return o
}

// Values returns the options as URL query values keyed "$filter",
// "$search", "$orderby", "$select", "$expand", "$top", "$skip" and
// "$count". A nil or empty query gives empty (non-nil) values.
func (q *Query) Values() url.Values {
	v := url.Values{}
	for _, kv := range q.options() {
		v.Set(kv[0], kv[1])
	}
	return v
}

// Encode returns the options as a URL query string in a fixed order
// ($filter, $search, $orderby, $select, $expand, $top, $skip, $count).
// Keys keep their "$"; values are percent-encoded as RFC 3986 asks, with
// spaces as %20 (not "+") and the characters OData uses often
// ('(),:/@$*) left readable.
func (q *Query) Encode() string {
	var b strings.Builder
	for i, kv := range q.options() {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[0])
		b.WriteByte('=')
		b.WriteString(escape(kv[1]))
	}
	return b.String()
}

// String returns the options unencoded, for logs and tests.
func (q *Query) String() string {
	var b strings.Builder
	for i, kv := range q.options() {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(kv[0] + "=" + kv[1])
	}
	return b.String()
}

// escape percent-encodes everything but unreserved characters and a few
// sub-delimiters that are safe in a query value. ';' is encoded because
// Go's net/url rejects it as a separator; '+' because many servers read it
// as a space.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("-._~'(),:/@$*!", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// Clause is a condition being written in the seed-like chain started by
// Query.On. Each operator finishes it and returns the query.
type Clause struct {
	q    *Query
	attr Attribute
}

// Eq adds "attr eq v".
func (c *Clause) Eq(v any) *Query { return c.q.Filter(c.attr.Eq(v)) }

// Ne adds "attr ne v".
func (c *Clause) Ne(v any) *Query { return c.q.Filter(c.attr.Ne(v)) }

// Gt adds "attr gt v".
func (c *Clause) Gt(v any) *Query { return c.q.Filter(c.attr.Gt(v)) }

// Ge adds "attr ge v".
func (c *Clause) Ge(v any) *Query { return c.q.Filter(c.attr.Ge(v)) }

// Lt adds "attr lt v".
func (c *Clause) Lt(v any) *Query { return c.q.Filter(c.attr.Lt(v)) }

// Le adds "attr le v".
func (c *Clause) Le(v any) *Query { return c.q.Filter(c.attr.Le(v)) }

// In adds "attr in (vs...)".
func (c *Clause) In(vs ...any) *Query { return c.q.Filter(c.attr.In(vs...)) }

// StartsWith adds "startswith(attr,'s')".
func (c *Clause) StartsWith(s string) *Query { return c.q.Filter(c.attr.StartsWith(s)) }

// EndsWith adds "endswith(attr,'s')".
func (c *Clause) EndsWith(s string) *Query { return c.q.Filter(c.attr.EndsWith(s)) }

// Contains adds "contains(attr,'s')".
func (c *Clause) Contains(s string) *Query { return c.q.Filter(c.attr.Contains(s)) }

// Any adds the lambda "attr/any(v:cond)".
func (c *Clause) Any(v string, cond func(Attribute) Expr) *Query {
	return c.q.Filter(c.attr.Any(v, cond))
}

// All adds the lambda "attr/all(v:cond)".
func (c *Clause) All(v string, cond func(Attribute) Expr) *Query {
	return c.q.Filter(c.attr.All(v, cond))
}
