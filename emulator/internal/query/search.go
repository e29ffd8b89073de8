package query

import (
	"strings"
)

// Search is a parsed $search expression in the KQL subset Graph accepts:
// terms, "quoted phrases", property:term restrictions, AND, OR, NOT
// (upper case), implicit AND between adjacent terms, and parentheses. The
// usual Graph form wraps the whole query in double quotes
// ($search="from:bob AND subject:report"); the text inside a top-level
// quoted string is read as KQL again, so both forms work.
type Search struct {
	src  string
	root searchNode
}

type searchNode interface {
	match(item map[string]any, defaults []string) bool
}

type (
	searchTerm struct {
		prop string // "" for the default fields
		text string // phrase to find, at the start of a word
	}
	searchAnd struct{ l, r searchNode }
	searchOr  struct{ l, r searchNode }
	searchNot struct{ x searchNode }
)

// ParseSearch parses a $search value. An empty value (or "") is an error,
// as in Graph.
func ParseSearch(expr string) (*Search, error) {
	p := &searchParser{src: expr, full: expr}
	if err := p.lex(expr, 0, true); err != nil {
		return nil, err
	}
	if len(p.toks) == 0 {
		return nil, errorf("$search", expr, -1, "the search query is empty")
	}
	root := p.parseOr()
	if p.err == nil && p.i < len(p.toks) {
		p.failTok("unexpected '%s'", p.toks[p.i].text)
	}
	if p.err != nil {
		return nil, p.err
	}
	return &Search{src: expr, root: root}, nil
}

// String returns the expression the search was parsed from.
func (s *Search) String() string {
	if s == nil {
		return ""
	}
	return s.src
}

// Match reports whether item matches. A term without a property looks in
// defaultFields (for messages Graph uses "from", "subject" and "body"); with
// none given, in every string of the item. A term matches when it occurs,
// case-insensitively, at the start of a word, so "piz" finds "Pizza party"
// but "izza" does not: Graph's search is word-prefix based. Properties
// understand Outlook's search names: from, to, cc, bcc, participants
// (from, to, cc and bcc), body, subject, attachment, category. A nil *Search
// matches everything.
func (s *Search) Match(item map[string]any, defaultFields ...string) bool {
	if s == nil || s.root == nil {
		return true
	}
	return s.root.match(item, defaultFields)
}

func (x searchAnd) match(it map[string]any, d []string) bool {
	return x.l.match(it, d) && x.r.match(it, d)
}

func (x searchOr) match(it map[string]any, d []string) bool {
	return x.l.match(it, d) || x.r.match(it, d)
}

func (x searchNot) match(it map[string]any, d []string) bool { return !x.x.match(it, d) }

func (x searchTerm) match(it map[string]any, defaults []string) bool {
	found := false
	visit := func(s string) bool {
		if wordPrefix(s, x.text) {
			found = true
		}
		return found
	}
	if x.prop != "" {
		visitField(it, x.prop, visit)
		return found
	}
	if len(defaults) == 0 {
		visitStrings(it, visit)
		return found
	}
	for _, f := range defaults {
		if visitField(it, f, visit) {
			return true
		}
	}
	return found
}

// searchAliases maps Outlook's search property names to message paths.
var searchAliases = map[string][]string{
	"from":         {"from"},
	"to":           {"toRecipients"},
	"cc":           {"ccRecipients"},
	"bcc":          {"bccRecipients"},
	"participants": {"from", "toRecipients", "ccRecipients", "bccRecipients"},
	"body":         {"body", "bodyPreview"},
	"attachment":   {"attachments/name"},
	"attachments":  {"attachments/name"},
	"category":     {"categories"},
	"received":     {"receivedDateTime"},
	"sent":         {"sentDateTime"},
}

// visitField calls fn on every string under the field (or its alias)
// until fn returns true.
func visitField(item map[string]any, field string, fn func(string) bool) bool {
	paths, ok := searchAliases[strings.ToLower(field)]
	if !ok {
		paths = []string{field}
	}
	for _, p := range paths {
		if visitPath(item, strings.Split(p, "/"), fn) {
			return true
		}
	}
	return false
}

func visitPath(v any, path []string, fn func(string) bool) bool {
	if len(path) == 0 {
		return visitStrings(v, fn)
	}
	switch x := v.(type) {
	case map[string]any:
		sub, ok := get(x, path[0])
		return ok && visitPath(sub, path[1:], fn)
	case []any:
		for _, m := range x {
			if visitPath(m, path, fn) {
				return true
			}
		}
	}
	return false
}

// visitStrings calls fn on every scalar under v rendered as text.
func visitStrings(v any, fn func(string) bool) bool {
	switch x := v.(type) {
	case string:
		return fn(x)
	case bool:
		if x {
			return fn("true")
		}
		return fn("false")
	case map[string]any:
		for k, m := range x {
			if strings.HasPrefix(k, "@odata.") {
				continue
			}
			if visitStrings(m, fn) {
				return true
			}
		}
	case []any:
		for _, m := range x {
			if visitStrings(m, fn) {
				return true
			}
		}
	}
	return false
}

// wordPrefix reports whether term occurs in s, case-insensitively, where
// a word starts.
func wordPrefix(s, term string) bool {
	if term == "" {
		return true
	}
	for off := 0; off <= len(s); {
		i := indexFold(s[off:], term)
		if i < 0 {
			return false
		}
		i += off
		if i == 0 || !isWordByte(s[i-1]) || !isASCII(s) {
			return true
		}
		off = i + 1
	}
	return false
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

type stokKind uint8

const (
	sWord stokKind = iota
	sPhrase
	sAnd
	sOr
	sNot
	sLParen
	sRParen
)

type stok struct {
	kind stokKind
	text string // decoded text for words and phrases
	prop string // property before ':', if any
	pos  int
}

type searchParser struct {
	src, full string
	toks      []stok
	i         int
	err       *Error
	depth     int
}

func (p *searchParser) failAt(pos int, format string, args ...any) {
	if p.err == nil {
		p.err = errorf("$search", p.full, pos, format, args...)
	}
	p.i = len(p.toks)
}

func (p *searchParser) failTok(format string, args ...any) {
	pos := len(p.full)
	if p.i < len(p.toks) {
		pos = p.toks[p.i].pos
	}
	p.failAt(pos, format, args...)
}

// lex tokenises s (found at offset base of the full value). At the top
// level a quoted string without a property is KQL in its own right and is
// tokenised again.
func (p *searchParser) lex(s string, base int, top bool) *Error {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			p.toks = append(p.toks, stok{kind: sLParen, text: "(", pos: base + i})
			i++
		case c == ')':
			p.toks = append(p.toks, stok{kind: sRParen, text: ")", pos: base + i})
			i++
		case c == '"':
			text, n, err := p.quoted(s[i:], base+i)
			if err != nil {
				return err
			}
			if top {
				if strings.TrimSpace(text) == "" {
					return errorf("$search", p.full, base+i, "empty search term")
				}
				// Re-read the inside as KQL; the positions are approximate
				// once escapes were removed.
				p.toks = append(p.toks, stok{kind: sLParen, text: "(", pos: base + i})
				if err := p.lex(text, base+i+1, false); err != nil {
					return err
				}
				p.toks = append(p.toks, stok{kind: sRParen, text: ")", pos: base + i + n - 1})
			} else {
				p.toks = append(p.toks, stok{kind: sPhrase, text: text, pos: base + i})
			}
			i += n
		default:
			start := i
			for i < len(s) && !strings.ContainsRune(" \t\n\r()\"", rune(s[i])) {
				i++
			}
			word := s[start:i]
			switch word {
			case "AND":
				p.toks = append(p.toks, stok{kind: sAnd, text: word, pos: base + start})
				continue
			case "OR":
				p.toks = append(p.toks, stok{kind: sOr, text: word, pos: base + start})
				continue
			case "NOT":
				p.toks = append(p.toks, stok{kind: sNot, text: word, pos: base + start})
				continue
			}
			t := stok{kind: sWord, text: word, pos: base + start}
			if prop, rest, ok := strings.Cut(word, ":"); ok && prop != "" && validPath(prop) {
				t.prop = prop
				t.text = rest
				if rest == "" {
					// property:"a phrase"
					if i < len(s) && s[i] == '"' {
						text, n, err := p.quoted(s[i:], base+i)
						if err != nil {
							return err
						}
						t.text = text
						i += n
					} else {
						return errorf("$search", p.full, base+start, "expected a value after '%s'", word)
					}
				}
			}
			p.toks = append(p.toks, t)
		}
	}
	return nil
}

// quoted reads a double-quoted string at s[0], with \" and \\ escapes,
// and returns its text and length.
func (p *searchParser) quoted(s string, pos int) (string, int, *Error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
				i++
			}
			b.WriteByte(s[i])
		case '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, errorf("$search", p.full, pos, "unterminated quoted string")
}

func (p *searchParser) peek() (stok, bool) {
	if p.i < len(p.toks) {
		return p.toks[p.i], true
	}
	return stok{}, false
}

func (p *searchParser) parseOr() searchNode {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		p.failTok("the search query is nested too deeply")
		return nil
	}
	l := p.parseAnd()
	for p.err == nil {
		t, ok := p.peek()
		if !ok || t.kind != sOr {
			break
		}
		p.i++
		l = searchOr{l, p.parseAnd()}
	}
	return l
}

func (p *searchParser) parseAnd() searchNode {
	l := p.parseNot()
	for p.err == nil {
		t, ok := p.peek()
		if !ok || t.kind == sOr || t.kind == sRParen {
			break
		}
		if t.kind == sAnd {
			p.i++
		}
		l = searchAnd{l, p.parseNot()}
	}
	return l
}

func (p *searchParser) parseNot() searchNode {
	t, ok := p.peek()
	if ok && t.kind == sNot {
		p.i++
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			p.failTok("the search query is nested too deeply")
			return nil
		}
		return searchNot{p.parseNot()}
	}
	return p.parsePrimary()
}

func (p *searchParser) parsePrimary() searchNode {
	t, ok := p.peek()
	if !ok {
		p.failTok("unexpected end of the search query")
		return nil
	}
	switch t.kind {
	case sWord, sPhrase:
		p.i++
		return searchTerm{prop: t.prop, text: t.text}
	case sLParen:
		p.i++
		x := p.parseOr()
		if p.err != nil {
			return nil
		}
		if t, ok := p.peek(); !ok || t.kind != sRParen {
			p.failTok("expected ')'")
			return nil
		}
		p.i++
		return x
	}
	p.failTok("unexpected '%s'", t.text)
	return nil
}
