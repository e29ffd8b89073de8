package query

import (
	"fmt"
	"strings"
)

// Error is a malformed or unsupported query option. Its text is suitable as
// the message of a Graph 400 BadRequest answer, for example
//
//	Invalid filter clause: expected a value after 'eq' at position 10 in 'subject eq'.
type Error struct {
	// Option is the system query option: "$filter", "$orderby", "$select",
	// "$search" or "$expand".
	Option string
	// Expr is the option's value.
	Expr string
	// Pos is the byte offset in Expr where the problem was found, or -1
	// when it concerns the whole value.
	Pos int
	// Msg says what is wrong.
	Msg string
}

// Error returns the message, naming the option, the position and the value.
func (e *Error) Error() string {
	kind := "query option"
	switch e.Option {
	case "$filter":
		kind = "filter clause"
	case "$orderby":
		kind = "orderby clause"
	case "$select":
		kind = "select clause"
	case "$search":
		kind = "search request"
	case "$expand":
		kind = "expand clause"
	}
	expr := e.Expr
	if len(expr) > 200 {
		expr = expr[:200] + "..."
	}
	if e.Pos >= 0 {
		return fmt.Sprintf("Invalid %s: %s at position %d in '%s'.", kind, e.Msg, e.Pos, expr)
	}
	return fmt.Sprintf("Invalid %s: %s in '%s'.", kind, e.Msg, expr)
}

func errorf(option, expr string, pos int, format string, args ...any) *Error {
	return &Error{Option: option, Expr: expr, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// validPath reports whether p is a "/"-separated property path whose
// segments are names, annotations (@odata.type), casts
// (microsoft.graph.user) or $count/$value/$ref.
func validPath(p string) bool {
	if p == "" {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if !validName(seg) {
			return false
		}
	}
	return true
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	start := 0
	if s[0] == '@' || s[0] == '$' {
		start = 1
	}
	if start == len(s) {
		return false
	}
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9', c == '.':
			if i == start {
				return false
			}
		case c >= 0x80:
			// Open extensions and SharePoint columns may use any letters.
		default:
			return false
		}
	}
	return true
}
