package formula

import (
	"strconv"
	"strings"
)

// RewriteRefs returns formula (with its "=") with every reference passed
// through f, which gets the reference (Sheet as written, "" when none)
// and returns its replacement, or false when the reference no longer
// exists (it becomes #REF!). Absolute markers ($) are kept. A formula
// that does not parse is returned unchanged.
func RewriteRefs(formula string, f func(r Ref) (Ref, bool)) string {
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
	changed := false
	for _, t := range toks {
		if t.kind != tRef {
			continue
		}
		nr, ok := f(t.ref)
		if nr == t.ref && ok {
			continue
		}
		changed = true
		b.WriteString(body[last:t.pos])
		if ok {
			b.WriteString(refText(nr, t.text))
		} else {
			b.WriteString(ErrRef)
		}
		last = t.pos + len(t.text)
	}
	if !changed {
		return formula
	}
	b.WriteString(body[last:])
	return b.String()
}

// refText writes r in the style of the original reference text (its
// absolute markers and its whole-row or whole-column form).
func refText(r Ref, orig string) string {
	prefix := ""
	if r.Sheet != "" {
		prefix = QuoteSheet(r.Sheet) + "!"
	}
	if _, rest, ok := SplitSheet(orig); ok {
		orig = rest
	}
	a, b, two := strings.Cut(orig, ":")
	if !two {
		b = a
	}
	absCol := func(s string) bool { return strings.HasPrefix(s, "$") }
	absRow := func(s string) bool {
		return strings.Contains(strings.TrimPrefix(s, "$"), "$") || isDigits(strings.TrimPrefix(s, "$")) && strings.HasPrefix(s, "$")
	}
	col := func(c int, abs bool) string {
		if abs {
			return "$" + ColumnName(c)
		}
		return ColumnName(c)
	}
	row := func(n int, abs bool) string {
		if abs {
			return "$" + strconv.Itoa(n+1)
		}
		return strconv.Itoa(n + 1)
	}
	switch {
	case r.WholeColumns:
		return prefix + col(r.Col1, absCol(a)) + ":" + col(r.Col2, absCol(b))
	case r.WholeRows:
		return prefix + row(r.Row1, strings.HasPrefix(a, "$")) + ":" + row(r.Row2, strings.HasPrefix(b, "$"))
	}
	first := col(r.Col1, absCol(a)) + row(r.Row1, absRow(a))
	if !two && r.Row1 == r.Row2 && r.Col1 == r.Col2 {
		return prefix + first
	}
	return prefix + first + ":" + col(r.Col2, absCol(b)) + row(r.Row2, absRow(b))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Shift moves the part of r at or beyond from (rows when vertical,
// columns otherwise) by delta, as inserting (delta > 0) or deleting
// (delta < 0) cells does; band is the span on the other axis the cells
// moved in, and only references inside it follow. ok is false when the
// whole reference was deleted.
func Shift(r Ref, vertical bool, from, delta, lo, hi int) (Ref, bool) {
	a1, a2, c1, c2, limit := r.Row1, r.Row2, r.Col1, r.Col2, MaxRows
	if !vertical {
		a1, a2, c1, c2, limit = r.Col1, r.Col2, r.Row1, r.Row2, MaxCols
	}
	if c1 < lo || c2 > hi || a2 < from {
		return r, true
	}
	if delta > 0 {
		if a1 >= from {
			a1 += delta
		}
		a2 += delta
		if a2 >= limit {
			a2 = limit - 1
		}
		if a1 >= limit {
			return r, false
		}
	} else {
		end := from - delta // first position after the deleted cells
		if a1 >= from && a2 < end {
			return r, false
		}
		switch {
		case a1 >= end:
			a1 += delta
		case a1 >= from:
			a1 = from
		}
		if a2 >= end {
			a2 += delta
		} else {
			a2 = from - 1
		}
	}
	if vertical {
		r.Row1, r.Row2 = a1, a2
	} else {
		r.Col1, r.Col2 = a1, a2
	}
	return r, true
}

// Translate moves the relative parts of formula's references (with or
// without its "=") by dr rows and dc columns, as copying the formula to
// another cell does; a reference moved off the sheet becomes #REF!. It
// expands the shared formulas of .xlsx files.
func Translate(formula string, dr, dc int) string {
	eq := strings.HasPrefix(formula, "=")
	body := strings.TrimPrefix(formula, "=")
	toks, err := tokenize(body)
	if err != nil {
		return formula
	}
	var b strings.Builder
	if eq {
		b.WriteByte('=')
	}
	last := 0
	for _, t := range toks {
		if t.kind != tRef {
			continue
		}
		b.WriteString(body[last:t.pos])
		b.WriteString(translateRef(t.text, dr, dc))
		last = t.pos + len(t.text)
	}
	b.WriteString(body[last:])
	return b.String()
}

func translateRef(text string, dr, dc int) string {
	prefix := ""
	if i := strings.LastIndexByte(text, '!'); i >= 0 {
		prefix, text = text[:i+1], text[i+1:]
	}
	parts := strings.Split(text, ":")
	for i, p := range parts {
		out, ok := translatePart(p, dr, dc)
		if !ok {
			return ErrRef
		}
		parts[i] = out
	}
	return prefix + strings.Join(parts, ":")
}

// translatePart moves one corner ("B$3", "$C", "7").
func translatePart(s string, dr, dc int) (string, bool) {
	var b strings.Builder
	i := 0
	if i < len(s) && s[i] == '$' {
		b.WriteByte('$')
		i++
		j := i
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		b.WriteString(s[i:j])
		i = j
	} else {
		j := i
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		if j > i {
			c, ok := parseCol(s[i:j])
			if !ok || c+dc < 0 || c+dc >= MaxCols {
				return "", false
			}
			b.WriteString(ColumnName(c + dc))
			i = j
		}
	}
	rest := s[i:]
	switch {
	case rest == "":
	case rest[0] == '$':
		b.WriteString(rest)
	default:
		r, ok := parseRow(rest)
		if !ok || r+dr < 0 || r+dr >= MaxRows {
			return "", false
		}
		b.WriteString(strconv.Itoa(r + dr + 1))
	}
	return b.String(), true
}
