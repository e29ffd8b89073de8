package odata

import (
	"fmt"
	"strings"
)

// invalidToken replaces a piece of a query that could not be rendered
// safely. '#' starts no OData token, so the whole option is rejected.
const invalidToken = "#invalid#"

// propertyPath converts a "/"-separated attribute path to Graph's camelCase
// names and checks that each segment is a plain name, so that an attribute
// can never change the structure of the expression around it.
func propertyPath(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("odata: empty attribute name")
	}
	segs := strings.Split(name, "/")
	for i, s := range segs {
		if !validSegment(s) {
			return "", fmt.Errorf("odata: invalid attribute name %q", name)
		}
		segs[i] = camelSegment(s)
	}
	return strings.Join(segs, "/"), nil
}

// validSegment accepts identifiers, namespace-qualified names
// (microsoft.graph.user), annotations (@odata.type) and the $count and
// $value segments.
func validSegment(s string) bool {
	if s == "" {
		return false
	}
	start := 0
	if s[0] == '@' || s[0] == '$' {
		start = 1
		if len(s) == 1 {
			return false
		}
	}
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
		case c == '.' && i > start && i < len(s)-1 && s[i-1] != '.':
		default:
			return false
		}
	}
	return true
}

// camelSegment turns snake_case into camelCase and leaves annotations,
// qualified names and names that are already camelCase alone.
func camelSegment(s string) string {
	if s[0] == '@' || s[0] == '$' || strings.Contains(s, ".") || !strings.Contains(s, "_") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' && i > 0 && b.Len() > 0 {
			upper = true
			continue
		}
		if upper && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		upper = false
		b.WriteByte(c)
	}
	if upper { // trailing underscore: keep it rather than lose it
		b.WriteByte('_')
	}
	return b.String()
}

// validIdent reports whether s is a lambda variable name.
func validIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
