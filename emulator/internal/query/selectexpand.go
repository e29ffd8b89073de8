package query

import (
	"strconv"
	"strings"
)

// ParseSelect parses a $select value into its property names, such as
// ["id", "subject", "from"]. "*" selects everything. An empty value gives
// no names.
func ParseSelect(expr string) ([]string, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	var out []string
	pos := 0
	for item := range strings.SplitSeq(expr, ",") {
		start := pos
		pos += len(item) + 1
		name := strings.TrimSpace(item)
		if name == "" {
			return nil, errorf("$select", expr, start, "empty property name")
		}
		if name != "*" && !validPath(name) {
			return nil, errorf("$select", expr, start, "invalid property name '%s'", name)
		}
		out = append(out, name)
	}
	return out, nil
}

// Project returns a new map holding only the selected fields of item, plus
// "id", every "@odata.*" annotation, the annotations of selected fields
// (subject@odata.type) and the keep names. Field names match item keys
// without regard to case, as Graph's $select does; a path (from/emailAddress)
// keeps that branch only. No fields, or "*", gives item itself.
func Project(item map[string]any, fields []string, keep ...string) map[string]any {
	if len(fields) == 0 || item == nil {
		return item
	}
	out := make(map[string]any, len(fields)+len(keep)+2)
	for k, v := range item {
		if k == "id" || strings.HasPrefix(k, "@odata.") {
			out[k] = v
		}
	}
	for _, f := range fields {
		if f == "*" {
			return item
		}
		project(out, item, strings.Split(f, "/"))
	}
	for _, k := range keep {
		if v, ok := item[k]; ok {
			out[k] = v
		}
	}
	return out
}

func project(dst, src map[string]any, path []string) {
	key, v, ok := findKey(src, path[0])
	if !ok {
		return
	}
	for k, a := range src {
		if strings.HasPrefix(k, key+"@") {
			dst[k] = a
		}
	}
	if len(path) == 1 {
		dst[key] = v
		return
	}
	sub, ok := v.(map[string]any)
	if !ok {
		dst[key] = v
		return
	}
	d, ok := dst[key].(map[string]any)
	if !ok {
		d = map[string]any{}
		dst[key] = d
	}
	project(d, sub, path[1:])
}

func findKey(m map[string]any, name string) (string, any, bool) {
	if v, ok := m[name]; ok {
		return name, v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return k, v, true
		}
	}
	return "", nil, false
}

// ExpandItem is one navigation property of an $expand clause with its
// nested options: children($select=id,name;$top=5).
type ExpandItem struct {
	Name    string   // navigation property, or "*"
	Select  []string // nested $select
	Filter  *Filter  // nested $filter, nil when absent
	OrderBy OrderBy  // nested $orderby
	Search  *Search  // nested $search, nil when absent
	Top     int      // nested $top; 0 when absent ($top=0 is rejected)
	Skip    int      // nested $skip
	Count   bool     // nested $count=true
	Levels  int      // nested $levels: 0 when absent, -1 for max
	Expand  Expand   // nested $expand
}

// Expand is a parsed $expand clause.
type Expand []ExpandItem

// ParseExpand parses an $expand value such as
// "attachments,children($select=id,name;$top=5;$expand=thumbnails)".
// Nested option names may omit the "$". An empty value gives no items.
func ParseExpand(expr string) (Expand, error) {
	return parseExpand(expr, expr, 0, 0)
}

func parseExpand(full, expr string, base, depth int) (Expand, error) {
	if depth > maxDepth {
		return nil, errorf("$expand", full, base, "the clause is nested too deeply")
	}
	if strings.TrimSpace(expr) == "" {
		if depth > 0 {
			return nil, errorf("$expand", full, base, "empty $expand")
		}
		return nil, nil
	}
	parts, err := splitTop(full, expr, base, ',')
	if err != nil {
		return nil, err
	}
	var out Expand
	for _, part := range parts {
		item, err := parseExpandItem(full, part.s, part.pos, depth)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

func parseExpandItem(full, s string, pos, depth int) (ExpandItem, error) {
	trimmed := strings.TrimSpace(s)
	pos += strings.Index(s, trimmed)
	name, opts, hasOpts := strings.Cut(trimmed, "(")
	name = strings.TrimSpace(name)
	it := ExpandItem{Name: name}
	if name == "" {
		return it, errorf("$expand", full, pos, "empty navigation property")
	}
	if name != "*" && !validPath(name) {
		return it, errorf("$expand", full, pos, "invalid navigation property '%s'", name)
	}
	if !hasOpts {
		return it, nil
	}
	if !strings.HasSuffix(opts, ")") {
		return it, errorf("$expand", full, pos, "expected ')' after the options of '%s'", name)
	}
	opts = opts[:len(opts)-1]
	optBase := pos + len(trimmed) - len(opts) - 1
	parts, err := splitTop(full, opts, optBase, ';')
	if err != nil {
		return it, err
	}
	seen := map[string]bool{}
	for _, part := range parts {
		k, v, ok := strings.Cut(part.s, "=")
		k = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(k), "$"))
		if !ok || k == "" {
			return it, errorf("$expand", full, part.pos, "expected 'option=value' in the options of '%s'", name)
		}
		if seen[k] {
			return it, errorf("$expand", full, part.pos, "the option '$%s' is given twice", k)
		}
		seen[k] = true
		vpos := part.pos + strings.IndexByte(part.s, '=') + 1
		var err error
		switch k {
		case "select":
			it.Select, err = ParseSelect(v)
		case "filter":
			it.Filter, err = ParseFilter(v)
		case "orderby":
			it.OrderBy, err = ParseOrderBy(v)
		case "search":
			it.Search, err = ParseSearch(v)
		case "expand":
			it.Expand, err = parseExpand(full, v, vpos, depth+1)
		case "top", "skip":
			n, convErr := strconv.Atoi(strings.TrimSpace(v))
			if convErr != nil || n < 0 || (k == "top" && n == 0) {
				return it, errorf("$expand", full, vpos, "invalid $%s value '%s'", k, v)
			}
			if k == "top" {
				it.Top = n
			} else {
				it.Skip = n
			}
		case "count":
			switch strings.TrimSpace(v) {
			case "true":
				it.Count = true
			case "false":
			default:
				return it, errorf("$expand", full, vpos, "invalid $count value '%s'", v)
			}
		case "levels":
			v = strings.TrimSpace(v)
			if v == "max" {
				it.Levels = -1
				break
			}
			n, convErr := strconv.Atoi(v)
			if convErr != nil || n < 1 {
				return it, errorf("$expand", full, vpos, "invalid $levels value '%s'", v)
			}
			it.Levels = n
		default:
			return it, errorf("$expand", full, part.pos, "the query option '$%s' is not allowed in $expand", k)
		}
		if err != nil {
			if e, ok := err.(*Error); ok && e.Option != "$expand" {
				// Report nested errors against the whole $expand value.
				if e.Pos >= 0 {
					e.Pos += vpos
				}
				e.Expr, e.Option = full, "$expand"
			}
			return it, err
		}
	}
	return it, nil
}

type part struct {
	s   string
	pos int // offset in the full expression
}

// splitTop splits s on sep outside parentheses and single-quoted strings.
func splitTop(full, s string, base int, sep byte) ([]part, error) {
	var parts []part
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return nil, errorf("$expand", full, base+i, "unbalanced ')'")
			}
		case c == sep && depth == 0:
			parts = append(parts, part{s[start:i], base + start})
			start = i + 1
		}
	}
	if quoted {
		return nil, errorf("$expand", full, base+len(s), "unterminated string literal")
	}
	if depth != 0 {
		return nil, errorf("$expand", full, base+len(s), "expected ')'")
	}
	return append(parts, part{s[start:], base + start}), nil
}
