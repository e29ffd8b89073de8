package drive

import (
	"fmt"
	"net/url"
	"strings"
)

// escapeSegment percent-encodes one path segment for Graph's path addressing
// (root:/a/b.txt:): spaces, '#', '%', '?', ':' and non-ASCII characters are escaped, so a
// name is never read as a query, a fragment or the end of the path.
func escapeSegment(s string) string {
	e := url.PathEscape(s)
	e = strings.ReplaceAll(e, ":", "%3A")
	e = strings.ReplaceAll(e, "+", "%2B")
	return e
}

// escapePath splits a slash-separated item path into segments and escapes each one.
// Leading, trailing and doubled slashes are ignored; "." and ".." are refused, as is any
// control character.
func escapePath(p string) (string, error) {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			continue
		case ".", "..":
			return "", fmt.Errorf("%w: %q has a %q segment", ErrBadPath, p, seg)
		}
		for _, r := range seg {
			if r < 0x20 || r == 0x7f {
				return "", fmt.Errorf("%w: %q has a control character", ErrBadPath, p)
			}
		}
		out = append(out, escapeSegment(seg))
	}
	return strings.Join(out, "/"), nil
}

// odataString quotes s as an OData string literal: single quotes doubled, then
// percent-encoded as a path segment (search(q='...') sits in the path).
func odataString(s string) string {
	return "'" + escapeSegment(strings.ReplaceAll(s, "'", "''")) + "'"
}

// joinPath builds "/a/b/c" from segments, each percent-encoded as a path segment but
// keeping '!' (drive ids are "b!...", and '!' is legal in a path).
func joinPath(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(escapeSegment(s), "%21", "!"))
	}
	return b.String()
}
