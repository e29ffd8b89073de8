package formula

import (
	"strconv"
	"strings"
)

// FromR1C1 converts a formula written in R1C1 notation ("=R2C3",
// "=SUM(R[-2]C:R[-1]C)") to A1 notation for the cell at row, col
// (zero-based). Text inside string literals and sheet names is kept; a
// value that is not a formula is returned unchanged. ok is false when a
// reference falls outside the sheet.
func FromR1C1(formula string, row, col int) (string, bool) {
	body, isFormula := strings.CutPrefix(formula, "=")
	if !isFormula {
		return formula, true
	}
	var b strings.Builder
	b.WriteByte('=')
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(body) {
				if body[j] == '"' {
					if j+1 < len(body) && body[j+1] == '"' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(body))
			b.WriteString(body[i:j])
			i = j
			continue
		case c == '\'':
			j := strings.IndexByte(body[i+1:], '\'')
			if j < 0 {
				b.WriteString(body[i:])
				i = len(body)
				continue
			}
			b.WriteString(body[i : i+j+2])
			i += j + 2
			continue
		case (c == 'R' || c == 'r') && (i == 0 || !identChar(body[i-1])):
			if a1, n, ok := r1c1Cell(body[i:], row, col); n > 0 {
				if !ok {
					return "", false
				}
				b.WriteString(a1)
				i += n
				continue
			}
		}
		// Copy an identifier whole so "ROUND" is not read as a reference.
		if identChar(c) {
			j := i
			for j < len(body) && identChar(body[j]) {
				j++
			}
			b.WriteString(body[i:j])
			i = j
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), true
}

func identChar(c byte) bool {
	return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// r1c1Cell reads R<n>|R[<n>]|R followed by C<n>|C[<n>]|C at the start
// of s; n is the length read (0 when s does not start with one).
func r1c1Cell(s string, row, col int) (a1 string, n int, ok bool) {
	i := 1
	r, rAbs, i, good := r1c1Part(s, i, row)
	if !good || i >= len(s) || s[i] != 'C' && s[i] != 'c' {
		return "", 0, false
	}
	c, cAbs, j, good := r1c1Part(s, i+1, col)
	if !good || j < len(s) && (identChar(s[j]) || s[j] == '(') {
		return "", 0, false
	}
	if r < 0 || r >= MaxRows || c < 0 || c >= MaxCols {
		return "", j, false
	}
	out := ""
	if cAbs {
		out += "$"
	}
	out += ColumnName(c)
	if rAbs {
		out += "$"
	}
	return out + strconv.Itoa(r+1), j, true
}

// r1c1Part reads the number after R or C at s[i:]: absolute (n, 1-based),
// relative ([n]) or none (the current row or column).
func r1c1Part(s string, i, cur int) (v int, abs bool, next int, ok bool) {
	if i < len(s) && s[i] == '[' {
		end := strings.IndexByte(s[i:], ']')
		if end < 0 {
			return 0, false, i, false
		}
		d, err := strconv.Atoi(s[i+1 : i+end])
		if err != nil {
			return 0, false, i, false
		}
		return cur + d, false, i + end + 1, true
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return cur, false, j, true
	}
	d, err := strconv.Atoi(s[i:j])
	if err != nil {
		return 0, false, i, false
	}
	return d - 1, true, j, true
}
