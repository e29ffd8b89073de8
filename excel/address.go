package excel

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Addresses. Graph names ranges in A1 notation, with the sheet before a "!" when it
// matters ("Sheet1!A1:B2", "'Q1 Budget'!C3", "Sheet1!A:C", "Sheet1!2:4").

// SplitAddress separates a sheet-qualified address into the sheet name (unquoted) and the
// local address: "'Q1 Budget'!A1:B2" gives ("Q1 Budget", "A1:B2"); "A1" gives ("", "A1").
// python-o365's WorkSheet.remove_sheet_name_from_address is the second result.
func SplitAddress(addr string) (sheet, local string) {
	addr = strings.TrimSpace(addr)
	if strings.HasPrefix(addr, "'") {
		// A quoted sheet name; '' inside stands for one quote.
		for i := 1; i < len(addr); i++ {
			if addr[i] != '\'' {
				continue
			}
			if i+1 < len(addr) && addr[i+1] == '\'' {
				i++
				continue
			}
			if i+1 < len(addr) && addr[i+1] == '!' {
				return strings.ReplaceAll(addr[1:i], "''", "'"), addr[i+2:]
			}
			break
		}
		return "", addr
	}
	if i := strings.LastIndex(addr, "!"); i >= 0 {
		return addr[:i], addr[i+1:]
	}
	return "", addr
}

// JoinAddress qualifies a local address with a sheet name, quoting the name when Excel
// needs it: JoinAddress("Q1 Budget", "A1") is "'Q1 Budget'!A1".
func JoinAddress(sheet, local string) string {
	if sheet == "" {
		return local
	}
	plain := true
	for _, r := range sheet {
		if !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127) {
			plain = false
			break
		}
	}
	if plain && !(sheet[0] >= '0' && sheet[0] <= '9') {
		return sheet + "!" + local
	}
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'!" + local
}

// Bounds is a rectangle of cells, 1-based. A whole-column reference ("A:C") has Row1 and
// Row2 0; a whole-row reference ("2:4") has Col1 and Col2 0.
type Bounds struct {
	Row1, Col1, Row2, Col2 int
}

// Rows returns the number of rows (0 for whole columns).
func (b Bounds) Rows() int {
	if b.Row1 == 0 {
		return 0
	}
	return b.Row2 - b.Row1 + 1
}

// Cols returns the number of columns (0 for whole rows).
func (b Bounds) Cols() int {
	if b.Col1 == 0 {
		return 0
	}
	return b.Col2 - b.Col1 + 1
}

// String returns the bounds in A1 notation, without a sheet.
func (b Bounds) String() string {
	cell := func(r, c int) string {
		s := ""
		if c > 0 {
			s = ColumnName(c)
		}
		if r > 0 {
			s += strconv.Itoa(r)
		}
		return s
	}
	a, z := cell(b.Row1, b.Col1), cell(b.Row2, b.Col2)
	if a == z && b.Row1 > 0 && b.Col1 > 0 {
		return a
	}
	return a + ":" + z
}

// Excel's sheet size.
const (
	MaxRows    = 1048576
	MaxColumns = 16384
)

// ParseAddress reads an A1 address, with or without a sheet and $ signs: "B2", "A1:C3",
// "Sheet1!$A$1:$B$2", "A:C", "2:4". Multiple areas ("A1:B2,D4") are not a rectangle and
// are refused.
func ParseAddress(addr string) (Bounds, error) {
	_, local := SplitAddress(addr)
	local = strings.ReplaceAll(strings.TrimSpace(local), "$", "")
	if local == "" || strings.Contains(local, ",") {
		return Bounds{}, fmt.Errorf("%w: %q", ErrBadAddress, addr)
	}
	first, last, isRange := strings.Cut(local, ":")
	if !isRange {
		last = first
	}
	r1, c1, err1 := parseCell(first)
	r2, c2, err2 := parseCell(last)
	if err1 != nil || err2 != nil || (r1 == 0) != (r2 == 0) || (c1 == 0) != (c2 == 0) || (r1 == 0 && c1 == 0) {
		return Bounds{}, fmt.Errorf("%w: %q", ErrBadAddress, addr)
	}
	if !isRange && (r1 == 0 || c1 == 0) {
		return Bounds{}, fmt.Errorf("%w: %q", ErrBadAddress, addr)
	}
	b := Bounds{Row1: min(r1, r2), Row2: max(r1, r2), Col1: min(c1, c2), Col2: max(c1, c2)}
	return b, nil
}

// parseCell reads "B12" (row 12, column 2), "B" (column only) or "12" (row only).
func parseCell(s string) (row, col int, err error) {
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		col = col*26 + int(s[i]|0x20-'a'+1)
		if col > MaxColumns {
			return 0, 0, ErrBadAddress
		}
		i++
	}
	if i < len(s) {
		n, err := strconv.Atoi(s[i:])
		if err != nil || n < 1 || n > MaxRows || s[i] == '+' || s[i] == '-' {
			return 0, 0, ErrBadAddress
		}
		row = n
	}
	if row == 0 && col == 0 {
		return 0, 0, ErrBadAddress
	}
	return row, col, nil
}

// ColumnName returns a 1-based column number's letters: 1 is "A", 28 is "AB". Numbers
// outside 1..MaxColumns give "".
func ColumnName(n int) string {
	if n < 1 || n > MaxColumns {
		return ""
	}
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// CellAddress returns the A1 address of a 1-based row and column: CellAddress(2, 3) is "C2".
func CellAddress(row, col int) string { return ColumnName(col) + strconv.Itoa(row) }

// seg escapes one path segment (a worksheet, table or name id).
func seg(s string) string { return url.PathEscape(s) }

// fn builds an OData function segment with string arguments quoted as literals, e.g.
// fn("range", "address", "A1:B2") is "range(address='A1:B2')".
func fnString(name, param, value string) string {
	return name + "(" + param + "='" + url.PathEscape(strings.ReplaceAll(value, "'", "''")) + "')"
}

// fnInts builds a function segment with integer arguments: cell(row=1,column=2).
func fnInts(name string, kv ...any) string {
	var b strings.Builder
	b.WriteString(name + "(")
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%v=%v", kv[i], kv[i+1])
	}
	b.WriteByte(')')
	return b.String()
}
