package emulator

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Helpers over encoded JSON objects, so $select can cut stored entities
// without decoding them.

// member is one encoded object member.
type member struct {
	key string
	val []byte
}

// writeJSONString writes s as a JSON string.
// Unlike encoding/json it does not escape HTML characters, as Graph does
// not ("&" in a nextLink stays "&").
func writeJSONString(buf *bytes.Buffer, s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var tmp [128]byte
	buf.Write(appendJSONStr(tmp[:0], s))
}

// eachMember calls fn for every top-level member of the encoded object
// obj, in order. It stops early when fn returns false. obj must be valid
// JSON (it always comes from encoding/json).
func eachMember(obj []byte, fn func(key string, val []byte) bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i++
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) || obj[i] == '}' {
			return
		}
		if obj[i] == ',' {
			i++
			continue
		}
		ks := i
		ke := skipValue(obj, i)
		var key string
		if err := json.Unmarshal(obj[ks:ke], &key); err != nil {
			return
		}
		i = skipSpace(obj, ke)
		if i >= len(obj) || obj[i] != ':' {
			return
		}
		i = skipSpace(obj, i+1)
		vs := i
		ve := skipValue(obj, i)
		if ve <= vs {
			return
		}
		if !fn(key, obj[vs:ve]) {
			return
		}
		i = ve
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting at i.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		i++
		for i < len(b) {
			switch b[i] {
			case '\\':
				i += 2
				continue
			case '"':
				return i + 1
			}
			i++
		}
		return i
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipValue(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default:
		for i < len(b) && !strings.ContainsRune(",}] \n\r\t", rune(b[i])) {
			i++
		}
		return i
	}
}

// project writes the object src keeping "@odata.*" annotations, "id" and
// the selected properties (case-insensitively; all when sel is empty).
// Selected properties missing from src come from extra, else null, as
// Graph answers for a known property without a value. extras are
// appended (expanded navigation properties).
func project(buf *bytes.Buffer, src []byte, sel []string, extra func(name string) ([]byte, bool), extras []member) {
	want := make(map[string]string, len(sel))
	for _, s := range sel {
		want[lower(s)] = s
	}
	buf.WriteByte('{')
	n := 0
	put := func(k string, v []byte) {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		writeJSONString(buf, k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	seen := map[string]bool{}
	eachMember(src, func(k string, v []byte) bool {
		lk := lower(k)
		if len(sel) == 0 || strings.HasPrefix(k, "@odata.") || lk == "id" || want[lk] != "" {
			put(k, v)
			seen[lk] = true
		}
		return true
	})
	for _, s := range sel {
		ls := lower(s)
		if seen[ls] || strings.HasPrefix(s, "@") {
			continue
		}
		seen[ls] = true
		if v, ok := extra(s); ok {
			put(s, v)
		} else {
			put(s, []byte("null"))
		}
	}
	for _, m := range extras {
		put(m.key, m.val)
	}
	buf.WriteByte('}')
}
