package formula

import (
	"errors"
	"strconv"
	"strings"
)

// MaxRows and MaxCols are the sheet size of Excel: rows 1..1048576,
// columns A..XFD.
const (
	MaxRows = 1048576
	MaxCols = 16384
)

// Ref is a rectangular range on one sheet, with zero-based inclusive
// bounds. Sheet is empty when the address did not name one.
type Ref struct {
	Sheet        string
	Row1, Col1   int
	Row2, Col2   int
	WholeColumns bool // written as A:C
	WholeRows    bool // written as 1:3
}

// Rows returns the number of rows of r.
func (r Ref) Rows() int { return r.Row2 - r.Row1 + 1 }

// Cols returns the number of columns of r.
func (r Ref) Cols() int { return r.Col2 - r.Col1 + 1 }

// Contains reports whether the cell (row, col) lies in r.
func (r Ref) Contains(row, col int) bool {
	return row >= r.Row1 && row <= r.Row2 && col >= r.Col1 && col <= r.Col2
}

// ErrAddress is returned for an address that is not valid A1 notation.
var ErrAddress = errors.New("invalid address")

// ColumnName returns the letters of a zero-based column (0 -> "A").
func ColumnName(col int) string {
	if col < 0 {
		return ""
	}
	var b []byte
	for col >= 0 {
		b = append([]byte{byte('A' + col%26)}, b...)
		col = col/26 - 1
	}
	return string(b)
}

// CellName returns the A1 name of a zero-based cell.
func CellName(row, col int) string { return ColumnName(col) + strconv.Itoa(row+1) }

// QuoteSheet quotes a sheet name for an address when it needs it.
func QuoteSheet(name string) string {
	plain := name != ""
	for i, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 || i > 0 && (r >= '0' && r <= '9' || r == '.')) {
			plain = false
			break
		}
	}
	if plain {
		if _, _, ok := parseCell(name); ok { // "AB1" would read as a cell
			plain = false
		}
	}
	if plain {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// String formats r the way Graph reports addresses: "Sheet1!A1:C5",
// "Sheet1!B2" for one cell, "Sheet1!A:C" and "Sheet1!1:3" for whole
// columns and rows. The sheet is omitted when r has none.
func (r Ref) String() string {
	var a string
	switch {
	case r.WholeColumns:
		a = ColumnName(r.Col1) + ":" + ColumnName(r.Col2)
	case r.WholeRows:
		a = strconv.Itoa(r.Row1+1) + ":" + strconv.Itoa(r.Row2+1)
	case r.Row1 == r.Row2 && r.Col1 == r.Col2:
		a = CellName(r.Row1, r.Col1)
	default:
		a = CellName(r.Row1, r.Col1) + ":" + CellName(r.Row2, r.Col2)
	}
	if r.Sheet == "" {
		return a
	}
	return QuoteSheet(r.Sheet) + "!" + a
}

// Normalize recomputes the whole-row and whole-column flags from the
// bounds (a range spanning every row is written as columns).
func (r Ref) Normalize() Ref {
	r.WholeColumns = r.Row1 == 0 && r.Row2 == MaxRows-1
	r.WholeRows = !r.WholeColumns && r.Col1 == 0 && r.Col2 == MaxCols-1
	return r
}

// SplitSheet splits "Sheet1!A1:B2" or "'My Sheet'!A1" into the sheet
// name and the rest. ok is false for a malformed quoted name.
func SplitSheet(s string) (sheet, rest string, ok bool) {
	if strings.HasPrefix(s, "'") {
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				if i+1 < len(s) && s[i+1] == '!' {
					return b.String(), s[i+2:], b.Len() > 0
				}
				return "", "", false
			}
			b.WriteByte(s[i])
		}
		return "", "", false
	}
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		return s[:i], s[i+1:], i > 0
	}
	return "", s, true
}

// ParseAddress parses an A1 address: "A1", "$A$1", "A1:C5", "A:A",
// "1:3", optionally sheet-qualified ("Sheet1!A1", "'My Sheet'!A1:B2").
func ParseAddress(s string) (Ref, error) {
	s = strings.TrimSpace(s)
	sheet, rest, ok := SplitSheet(s)
	if !ok || rest == "" {
		return Ref{}, ErrAddress
	}
	a, b, two := strings.Cut(rest, ":")
	if !two {
		b = a
	}
	r := Ref{Sheet: sheet}
	r1, c1, ok1 := parseCell(a)
	r2, c2, ok2 := parseCell(b)
	switch {
	case ok1 && ok2:
		r.Row1, r.Col1, r.Row2, r.Col2 = r1, c1, r2, c2
	case two:
		if ca, ok := parseCol(a); ok {
			cb, ok := parseCol(b)
			if !ok {
				return Ref{}, ErrAddress
			}
			r.Col1, r.Col2, r.Row1, r.Row2, r.WholeColumns = ca, cb, 0, MaxRows-1, true
		} else if ra, ok := parseRow(a); ok {
			rb, ok := parseRow(b)
			if !ok {
				return Ref{}, ErrAddress
			}
			r.Row1, r.Row2, r.Col1, r.Col2, r.WholeRows = ra, rb, 0, MaxCols-1, true
		} else {
			return Ref{}, ErrAddress
		}
	default:
		return Ref{}, ErrAddress
	}
	if r.Row1 > r.Row2 {
		r.Row1, r.Row2 = r.Row2, r.Row1
	}
	if r.Col1 > r.Col2 {
		r.Col1, r.Col2 = r.Col2, r.Col1
	}
	return r, nil
}

// parseCell parses "B3" or "$B$3" into zero-based row and column.
func parseCell(s string) (row, col int, ok bool) {
	s = strings.TrimPrefix(s, "$")
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	if i == 0 || i > 3 {
		return 0, 0, false
	}
	col, ok = parseCol(s[:i])
	if !ok {
		return 0, 0, false
	}
	row, ok = parseRow(strings.TrimPrefix(s[i:], "$"))
	return row, col, ok
}

func parseCol(s string) (int, bool) {
	s = strings.TrimPrefix(s, "$")
	if s == "" || len(s) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return 0, false
		}
		n = n*26 + int(upper(s[i])-'A'+1)
	}
	if n > MaxCols {
		return 0, false
	}
	return n - 1, true
}

func parseRow(s string) (int, bool) {
	s = strings.TrimPrefix(s, "$")
	if s == "" || len(s) > 7 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	if n < 1 || n > MaxRows {
		return 0, false
	}
	return n - 1, true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 32
	}
	return c
}
