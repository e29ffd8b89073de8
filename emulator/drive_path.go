package emulator

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// Drive path addressing. Graph names drive items by path as well as by id:
//
//	/me/drive/root:/Docs/a b.txt:            the item
//	/me/drive/root:/Docs/a b.txt:/content    a route below it
//	/drives/{id}/items/{parent-id}:/rel/x:   relative to an item
//
// and drive functions carry arguments in parentheses (search(q='...'),
// delta(token='...')), whose values may hold any character. The router
// works on whole segments, so splitDrivePath, called by splitGraphPath on
// the raw (escaped) segments before anything else, rewrites these forms
// into the routes' shapes: a path becomes "items/{ref}" where ref is an
// opaque encoding of the base item and the decoded relative path, and a
// function with arguments becomes one literal segment
// ("search(q='{q}')", "delta(token='{token}')") whose value the handler
// reads back from the request path. File names cannot contain ':' in
// OneDrive for Business, so the first and second colons delimit a path.

// itemRefPrefix starts an encoded path reference; item ids never start
// with it.
const itemRefPrefix = "~"

// encodeItemRef encodes base ("root" or an item id) and a relative path.
func encodeItemRef(base, rel string) string {
	return itemRefPrefix + base64.RawURLEncoding.EncodeToString([]byte(base+"\x00"+rel))
}

// decodeItemRef reverses encodeItemRef; ok is false for plain ids.
func decodeItemRef(ref string) (base, rel string, ok bool) {
	rest, found := strings.CutPrefix(ref, itemRefPrefix)
	if !found {
		return "", "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "", "", false
	}
	base, rel, ok = strings.Cut(string(b), "\x00")
	return base, rel, ok
}

// unescapeSeg percent-decodes one raw path segment (kept as is when it
// does not decode).
func unescapeSeg(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// splitDrivePath rewrites the drive forms described above. head are the
// finished segments for the leading raw parts it consumed, tail the raw
// parts left for the usual processing; head is nil when the path has no
// such form.
func splitDrivePath(parts []string) (head, tail []string) {
	// Find the drive: ".../drive/" or "drives/{id}/".
	k := -1
	for i := range parts {
		u := lower(unescapeSeg(parts[i]))
		if u == "drive" {
			k = i + 1
			break
		}
		if u == "drives" && i+2 <= len(parts)-1 && i+1 < len(parts) {
			k = i + 2
			break
		}
	}
	if k < 0 || k >= len(parts) {
		return nil, parts
	}
	sel := unescapeSeg(parts[k])
	lsel := lower(sel)
	prefix := func() []string {
		var out []string
		for _, p := range parts[:k] {
			out = appendGraphSeg(out, p)
		}
		return out
	}
	switch {
	case strings.HasPrefix(lsel, "root:"):
		rel, n := colonPath(parts[k:])
		return withFunction(append(prefix(), "items", encodeItemRef("root", rel)), parts[k+n:])
	case lsel == "items" && k+1 < len(parts) && strings.Contains(unescapeSeg(parts[k+1]), ":"):
		id, after, _ := strings.Cut(unescapeSeg(parts[k+1]), ":")
		rel, n := colonPath(append([]string{"x:" + url.PathEscape(after)}, parts[k+2:]...))
		return withFunction(append(prefix(), "items", encodeItemRef(id, rel)), parts[k+1+n:])
	case lsel == "root":
		return withFunction(append(prefix(), "root"), parts[k+1:])
	case lsel == "items" && k+1 < len(parts):
		return withFunction(append(prefix(), "items", unescapeSeg(parts[k+1])), parts[k+2:])
	case strings.HasPrefix(lsel, "search("):
		return append(prefix(), "search(q='{q}')"), parts[k+1:]
	}
	return nil, parts
}

// withFunction appends a leading drive function of rest to head.
func withFunction(head, rest []string) ([]string, []string) {
	fn, tail := functionSegs(rest)
	return append(head, fn...), tail
}

// colonPath reads "root:/a/b:" spread over raw segments starting with the
// one holding the first colon. It returns the decoded relative path
// ("/a/b") and how many segments it used.
func colonPath(parts []string) (string, int) {
	_, first, _ := strings.Cut(unescapeSeg(parts[0]), ":")
	var comps []string
	if first != "" {
		if strings.HasSuffix(first, ":") {
			return "/" + strings.TrimSuffix(first, ":"), 1
		}
		comps = append(comps, first)
	}
	for i := 1; i < len(parts); i++ {
		s := unescapeSeg(parts[i])
		if c, found := strings.CutSuffix(s, ":"); found {
			comps = append(comps, c)
			return "/" + strings.Join(comps, "/"), i + 1
		}
		comps = append(comps, s)
	}
	return "/" + strings.Join(comps, "/"), len(parts)
}

// functionSegs rewrites a leading drive function with arguments into its
// literal route segment (a finished segment, so the result is head
// segments); the rest is left for the usual processing.
func functionSegs(parts []string) (head, tail []string) {
	if len(parts) == 0 {
		return nil, parts
	}
	u := lower(unescapeSeg(parts[0]))
	switch {
	case strings.HasPrefix(u, "search(") && u != "search()":
		return []string{"search(q='{q}')"}, parts[1:]
	case strings.HasPrefix(u, "delta(") && u != "delta()":
		return []string{"delta(token='{token}')"}, parts[1:]
	}
	return nil, parts
}

// appendGraphSeg applies splitGraphPath's processing of one raw segment
// (unescape, key syntax).
func appendGraphSeg(segs []string, s string) []string {
	s = unescapeSeg(s)
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		key := s[i+1 : len(s)-1]
		if key == "" {
			return append(segs, s[:i])
		}
		key = strings.TrimSuffix(strings.TrimPrefix(key, "'"), "'")
		return append(segs, s[:i], strings.ReplaceAll(key, "''", "'"))
	}
	return append(segs, s)
}

// functionArg reads a named argument of a drive function from the raw
// request path: functionArg(path, "search", "q").
func functionArg(escapedPath, fn, arg string) (string, bool) {
	for _, raw := range strings.Split(escapedPath, "/") {
		s := unescapeSeg(raw)
		if !strings.HasPrefix(lower(s), fn+"(") || !strings.HasSuffix(s, ")") {
			continue
		}
		inner := s[len(fn)+1 : len(s)-1]
		name, val, found := strings.Cut(inner, "=")
		if !found || !strings.EqualFold(strings.TrimSpace(name), arg) {
			return "", false
		}
		val = strings.TrimSpace(val)
		if len(val) >= 2 && val[0] == '\'' && val[len(val)-1] == '\'' {
			val = val[1 : len(val)-1]
		}
		return strings.ReplaceAll(val, "''", "'"), true
	}
	return "", false
}
