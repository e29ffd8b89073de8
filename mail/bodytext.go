package mail

import (
	"html"
	"strings"

	"github.com/o365go/o365/graph"
)

// BodyText returns the body as plain text: a text body as it is, an HTML body rendered
// readably (tags removed, entities decoded, line breaks for <br>, paragraphs, divs, list
// items, table rows and headings, <style>, <script> and <head> dropped, runs of spaces
// collapsed as a browser would).
func (m *Message) BodyText() string { return bodyText(m.Body) }

// UniqueBodyText is BodyText for UniqueBody (select uniqueBody to get it).
func (m *Message) UniqueBodyText() string { return bodyText(m.UniqueBody) }

func bodyText(b graph.ItemBody) string {
	if !strings.EqualFold(string(b.ContentType), string(graph.BodyHTML)) {
		return b.Content
	}
	return HTMLToText(b.Content)
}

// blockTags start and end on their own line.
var blockTags = map[string]bool{
	"p": true, "div": true, "li": true, "tr": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "ul": true, "ol": true, "table": true, "blockquote": true, "pre": true,
	"hr": true, "section": true, "article": true, "header": true, "footer": true, "dt": true, "dd": true,
	"address": true, "figure": true, "form": true, "main": true, "nav": true,
}

// skipTags have content that is not text.
var skipTags = map[string]bool{"style": true, "script": true, "head": true, "title": true, "noscript": true, "template": true}

// HTMLToText renders HTML as readable plain text (see Message.BodyText). It never fails:
// broken markup gives its best reading.
func HTMLToText(s string) string {
	var out strings.Builder
	out.Grow(len(s) / 2)
	pendingSpace := false
	atLineStart := true
	newlines := 2 // consecutive newlines written (start counts as a paragraph break)
	pre := 0
	skip := ""
	writeText := func(t string) {
		t = html.UnescapeString(t)
		if pre > 0 {
			for _, r := range t {
				out.WriteRune(r)
				if r == '\n' {
					newlines++
					atLineStart = true
				} else {
					newlines, atLineStart = 0, false
				}
			}
			return
		}
		for _, r := range t {
			if isHTMLSpace(r) {
				pendingSpace = !atLineStart
				continue
			}
			if r == '\u00a0' {
				r = ' '
			}
			if pendingSpace {
				out.WriteByte(' ')
			}
			out.WriteRune(r)
			pendingSpace, atLineStart, newlines = false, false, 0
		}
	}
	newline := func(max int) {
		for newlines < max {
			out.WriteByte('\n')
			newlines++
		}
		atLineStart, pendingSpace = true, false
	}
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			if skip == "" {
				writeText(s)
			}
			break
		}
		if lt > 0 {
			if skip == "" {
				writeText(s[:lt])
			}
			s = s[lt:]
		}
		// s starts with '<'.
		if skip != "" {
			// Raw content (script, style) may hold '<': jump to the closing tag.
			i := indexFold(s, "</"+skip)
			if i < 0 {
				break
			}
			s = s[i:]
			if j := strings.IndexByte(s, '>'); j >= 0 {
				s = s[j+1:]
			} else {
				s = ""
			}
			skip = ""
			continue
		}
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s[4:], "-->")
			if end < 0 {
				break
			}
			s = s[4+end+3:]
			continue
		}
		end := tagEnd(s)
		if end < 0 {
			if skip == "" {
				writeText(s)
			}
			break
		}
		tag := s[1:end]
		s = s[end+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.TrimPrefix(tag, "/")
		if i := strings.IndexFunc(name, func(r rune) bool { return isHTMLSpace(r) || r == '/' }); i >= 0 {
			name = name[:i]
		}
		name = strings.ToLower(name)
		if name == "" || name[0] == '!' || name[0] == '?' {
			continue
		}
		if !closing && skipTags[name] && !strings.HasSuffix(tag, "/") {
			skip = name
			continue
		}
		switch {
		case name == "br":
			out.WriteByte('\n')
			newlines++
			atLineStart, pendingSpace = true, false
		case name == "pre":
			newline(1)
			if closing {
				pre = max(0, pre-1)
			} else {
				pre++
			}
		case name == "p" || strings.HasPrefix(name, "h") && len(name) == 2 && name[1] >= '1' && name[1] <= '6':
			newline(1)
			if closing || newlines < 2 && out.Len() > 0 {
				newline(2)
			}
		case blockTags[name]:
			newline(1)
			if name == "li" && !closing {
				out.WriteString("- ")
				atLineStart, newlines = false, 0
			}
		case name == "td" || name == "th":
			if closing {
				pendingSpace = true
			}
		case name == "img" && !closing:
			if alt := attr(tag, "alt"); alt != "" {
				writeText(alt)
			}
		}
	}
	return strings.TrimSpace(out.String())
}

func isHTMLSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

// tagEnd returns the index of the '>' closing the tag at the start of s, skipping quoted
// attribute values, or -1.
func tagEnd(s string) int {
	var quote byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return -1
}

// attr returns the value of a tag's attribute (a rough reading, enough for alt text).
func attr(tag, name string) string {
	low := strings.ToLower(tag)
	i := strings.Index(low, " "+name+"=")
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+2:]
	if v == "" {
		return ""
	}
	if q := v[0]; q == '"' || q == '\'' {
		if j := strings.IndexByte(v[1:], q); j >= 0 {
			return v[1 : 1+j]
		}
		return ""
	}
	if j := strings.IndexFunc(v, func(r rune) bool { return isHTMLSpace(r) || r == '>' || r == '/' }); j >= 0 {
		return v[:j]
	}
	return v
}

// indexFold is strings.Index ignoring ASCII case of s (sub is lower case).
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
