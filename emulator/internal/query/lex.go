package query

import (
	"strings"
)

type tokKind uint8

const (
	tEOF    tokKind = iota
	tName           // identifier or keyword: subject, eq, and, microsoft.graph.user, @odata.type, $count
	tString         // 'text' with '' for a quote; val holds the decoded text
	tNumber         // 42, -1.5, 1e+21, INF, NaN are names until parsed
	tTime           // 2024-01-02T03:04:05Z, 2024-01-02
	tGUID           // 8-4-4-4-12 hex digits
	tEnum           // microsoft.graph.importance'high'; val holds the member
	tLParen
	tRParen
	tComma
	tColon
	tSlash
)

type token struct {
	kind tokKind
	pos  int
	text string // source text
	val  string // decoded string value for tString and tEnum
}

// lexer splits a $filter expression into tokens. It never panics and
// reports the first malformed token.
type lexer struct {
	src string
	pos int
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@' || c == '$' || c >= 0x80
}

func isNameChar(c byte) bool {
	return isNameStart(c) || c >= '0' && c <= '9' || c == '.'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// guidAt reports whether a GUID starts at s[0].
func guidAt(s string) bool {
	if len(s) < 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return len(s) == 36 || !isNameChar(s[36])
}

// next returns the next token, or an error message and its position.
func (l *lexer) next() (token, string) {
	for l.pos < len(l.src) && (l.src[l.pos] == ' ' || l.src[l.pos] == '\t' || l.src[l.pos] == '\n' || l.src[l.pos] == '\r') {
		l.pos++
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tEOF, pos: start}, ""
	}
	c := l.src[l.pos]
	switch c {
	case '(':
		l.pos++
		return token{kind: tLParen, pos: start, text: "("}, ""
	case ')':
		l.pos++
		return token{kind: tRParen, pos: start, text: ")"}, ""
	case ',':
		l.pos++
		return token{kind: tComma, pos: start, text: ","}, ""
	case ':':
		l.pos++
		return token{kind: tColon, pos: start, text: ":"}, ""
	case '/':
		l.pos++
		return token{kind: tSlash, pos: start, text: "/"}, ""
	case '\'':
		s, msg := l.str()
		if msg != "" {
			return token{}, msg
		}
		return token{kind: tString, pos: start, text: l.src[start:l.pos], val: s}, ""
	}
	rest := l.src[l.pos:]
	if guidAt(rest) {
		l.pos += 36
		return token{kind: tGUID, pos: start, text: rest[:36]}, ""
	}
	if strings.HasPrefix(rest, "-INF") && (len(rest) == 4 || !isNameChar(rest[4])) {
		l.pos += 4
		return token{kind: tNumber, pos: start, text: "-INF"}, ""
	}
	if isDigit(c) || (c == '-' || c == '+') && len(rest) > 1 && isDigit(rest[1]) {
		if looksLikeTime(rest) {
			n := 10
			if len(rest) > 10 && (rest[10] == 'T' || rest[10] == 't') {
				for n < len(rest) && strings.IndexByte("0123456789:.TtZz+-", rest[n]) >= 0 {
					n++
				}
			}
			l.pos += n
			return token{kind: tTime, pos: start, text: rest[:n]}, ""
		}
		n := 1
		for n < len(rest) {
			ch := rest[n]
			if isDigit(ch) || ch == '.' || ch == 'e' || ch == 'E' ||
				(ch == '-' || ch == '+') && (rest[n-1] == 'e' || rest[n-1] == 'E') {
				n++
				continue
			}
			break
		}
		if n < len(rest) && isNameChar(rest[n]) {
			return token{}, "unexpected character '" + string(rest[n]) + "' in a number"
		}
		l.pos += n
		return token{kind: tNumber, pos: start, text: rest[:n]}, ""
	}
	if isNameStart(c) {
		n := 1
		for n < len(rest) && isNameChar(rest[n]) {
			n++
		}
		name := rest[:n]
		l.pos += n
		if l.pos < len(l.src) && l.src[l.pos] == '\'' {
			// A typed literal: microsoft.graph.importance'high',
			// duration'PT1H', datetime'...'.
			s, msg := l.str()
			if msg != "" {
				return token{}, msg
			}
			return token{kind: tEnum, pos: start, text: l.src[start:l.pos], val: s}, ""
		}
		return token{kind: tName, pos: start, text: name}, ""
	}
	return token{}, "unexpected character '" + printable(c) + "'"
}

// str reads a quoted string at l.pos.
func (l *lexer) str() (string, string) {
	var b strings.Builder
	i := l.pos + 1
	for i < len(l.src) {
		c := l.src[i]
		if c == '\'' {
			if i+1 < len(l.src) && l.src[i+1] == '\'' {
				b.WriteByte('\'')
				i += 2
				continue
			}
			l.pos = i + 1
			return b.String(), ""
		}
		b.WriteByte(c)
		i++
	}
	return "", "unterminated string literal"
}

func printable(c byte) string {
	if c < 0x20 || c >= 0x7f {
		return "\\x" + string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15])
	}
	return string(c)
}
