package graphspec

import (
	"bufio"
	_ "embed"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed testdata/openapi-v1.0-paths.tsv
var pathsTSV string

//go:embed extra-paths.tsv
var extraTSV string

// node is one segment position of the path tree built from the templates.
type node struct {
	lit      map[string]*node // literal segments, lower-cased
	fn       []fnEdge         // function segments such as delta() or range(address='{address}')
	param    *node            // a {placeholder} segment
	template string           // set on nodes that end a template
	methods  []string         // methods the template allows
}

type fnEdge struct {
	name string // lower-cased, without a microsoft.graph. prefix
	args string // lower-cased argument names, sorted, comma-joined
	next *node
}

// tree is built once from the embedded data and never changes after.
var tree = sync.OnceValue(func() *node {
	root := &node{}
	add := func(data string, mirrorMe bool) {
		sc := bufio.NewScanner(strings.NewReader(data))
		for sc.Scan() {
			line := sc.Text()
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			method, path, ok := strings.Cut(line, "\t")
			if !ok {
				continue
			}
			root.insert(method, path)
			if rest, ok := strings.CutPrefix(path, "/users/{user-id}/"); ok && mirrorMe {
				root.insert(method, "/me/"+rest)
			}
		}
	}
	add(pathsTSV, false)
	add(extraTSV, true)
	return root
})

func (n *node) insert(method, template string) {
	cur := n
	for _, seg := range splitPath(strings.TrimPrefix(template, "/")) {
		switch {
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
			if cur.param == nil {
				cur.param = &node{}
			}
			cur = cur.param
		case isCall(seg):
			name, args := parseCall(seg)
			var next *node
			for _, e := range cur.fn {
				if e.name == name && e.args == args {
					next = e.next
				}
			}
			if next == nil {
				next = &node{}
				cur.fn = append(cur.fn, fnEdge{name: name, args: args, next: next})
			}
			cur = next
		default:
			key := strings.ToLower(seg)
			if cur.lit == nil {
				cur.lit = map[string]*node{}
			}
			next := cur.lit[key]
			if next == nil {
				next = &node{}
				cur.lit[key] = next
			}
			cur = next
		}
	}
	cur.template = template
	if !slices.Contains(cur.methods, method) {
		cur.methods = append(cur.methods, method)
	}
}

// Match reports whether method and path form a request Graph v1.0 serves,
// and returns the OpenAPI template the path matches, such as
// "/users/{user-id}/messages/{message-id}".
//
// path may be absolute or relative, with or without the /v1.0 or /beta
// prefix and a query. Segments compare case-insensitively; a {placeholder}
// template segment matches any one segment. Functions match with or without
// parentheses and a microsoft.graph. prefix (delta, delta(),
// microsoft.graph.delta()), and with named arguments when the argument
// names agree (range(address='A1')). Key syntax such as mailFolders('Inbox')
// is read as mailFolders/Inbox.
//
// Drive aliases are normalised as Graph defines them: /me/drive,
// /users/{id}/drive, /groups/{id}/drive, /sites/{id}/drive and /drive are
// /drives/{drive-id}; root, root:/a/b: and items/{id}:/a/b: are
// items/{driveItem-id}. A site addressed by path (/sites/host:/path) is
// /sites/{site-id}.
//
// When the path is known but the method is not allowed, Match returns the
// template and false.
func Match(method, path string) (template string, ok bool) {
	segs, ok := requestSegments(path)
	if !ok {
		return "", false
	}
	method = strings.ToUpper(method)
	if method == "" {
		method = "-" // no template allows it; the path is still looked up
	}
	root := tree()
	found := ""
	for _, cand := range [][]string{segs, driveAlias(segs)} {
		if cand == nil {
			continue
		}
		if n := root.find(cand, method); n != nil {
			return n.template, true
		}
		if found == "" {
			if n := root.find(cand, ""); n != nil {
				found = n.template
			}
		}
	}
	return found, false
}

// find walks the tree, preferring literal segments to functions and
// functions to placeholders, and backtracks until it reaches a template
// that allows method ("" allows any).
func (n *node) find(segs []string, method string) *node {
	if len(segs) == 0 {
		if n.template != "" && (method == "" || slices.Contains(n.methods, method)) {
			return n
		}
		return nil
	}
	seg, rest := segs[0], segs[1:]
	if isCall(seg) {
		name, args := parseCall(seg)
		name = strings.TrimPrefix(name, "microsoft.graph.")
		for _, e := range n.fn {
			if e.name == name && e.args == args {
				if m := e.next.find(rest, method); m != nil {
					return m
				}
			}
		}
	} else {
		lower := strings.ToLower(seg)
		if next := n.lit[lower]; next != nil {
			if m := next.find(rest, method); m != nil {
				return m
			}
		}
		// The list names type casts graph.group where requests say
		// microsoft.graph.group.
		if cast, ok := strings.CutPrefix(lower, "microsoft."); ok {
			if next := n.lit[cast]; next != nil {
				if m := next.find(rest, method); m != nil {
					return m
				}
			}
		}
		// A function may be called without parentheses: always when it
		// takes no arguments, and in the docs' examples even when it does
		// (range/intersection), which is tried last.
		name := strings.TrimPrefix(lower, "microsoft.graph.")
		for _, withArgs := range []bool{false, true} {
			for _, e := range n.fn {
				if e.name == name && (e.args != "") == withArgs {
					if m := e.next.find(rest, method); m != nil {
						return m
					}
				}
			}
		}
	}
	if n.param != nil && !isCall(seg) {
		return n.param.find(rest, method)
	}
	return nil
}

// requestSegments turns a request path or URL into segments ready to match:
// host, version prefix and query removed, path-addressed items collapsed and
// key syntax split.
func requestSegments(path string) ([]string, bool) {
	if i := strings.Index(path, "://"); i >= 0 && !strings.ContainsAny(path[:i], "/?#") {
		rest := path[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return nil, false
		}
		path = rest[j:]
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	path = strings.TrimPrefix(path, "/")
	if v, rest, _ := strings.Cut(path, "/"); strings.EqualFold(v, "v1.0") || strings.EqualFold(v, "beta") {
		path = rest
	}
	if path == "" {
		return nil, false
	}
	raw := splitPath(path)
	segs := make([]string, 0, len(raw)+2)
	for i := 0; i < len(raw); i++ {
		seg := raw[i]
		if seg == "" {
			continue
		}
		if u, err := url.PathUnescape(seg); err == nil {
			seg = u
		}
		if key, ok := strings.CutSuffix(seg, ":"); ok && !isCall(seg) {
			// Path addressing: key:/a/b: (or key:/a/b to the end) names
			// the item at that path below key.
			for i+1 < len(raw) {
				i++
				if strings.HasSuffix(raw[i], ":") {
					break
				}
			}
			if strings.EqualFold(key, "root") {
				segs = append(segs, "items", "{driveItem-id}")
			} else if key != "" {
				segs = append(segs, key)
			}
			continue
		}
		if name, key, ok := keySyntax(seg); ok {
			segs = append(segs, name, key)
			continue
		}
		segs = append(segs, seg)
	}
	return segs, len(segs) > 0
}

// driveAlias rewrites the drive aliases to /drives/{drive-id}/..., or
// returns nil when segs has none.
func driveAlias(segs []string) []string {
	lower := func(i int) string {
		if i < len(segs) {
			return strings.ToLower(segs[i])
		}
		return ""
	}
	var rest []string
	switch {
	case lower(0) == "me" && lower(1) == "drive":
		rest = segs[2:]
	case lower(0) == "drive":
		rest = segs[1:]
	case (lower(0) == "users" || lower(0) == "groups" || lower(0) == "sites") && lower(2) == "drive" && len(segs) > 2:
		rest = segs[3:]
	case lower(0) == "drives" && lower(2) == "root":
		rest = segs[2:]
	default:
		return nil
	}
	out := append([]string{"drives", "{drive-id}"}, rest...)
	if len(out) > 2 && strings.EqualFold(out[2], "root") {
		out = slices.Insert(slices.Delete(out, 2, 3), 2, "items", "{driveItem-id}")
	}
	return out
}

// splitPath splits on "/" outside parentheses and quotes, so that
// getByPath(path='/a/b') stays one segment.
func splitPath(p string) []string {
	var segs []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case c == '/' && depth == 0:
			segs = append(segs, p[start:i])
			start = i + 1
		}
	}
	return append(segs, p[start:])
}

// isCall reports whether seg has the form name(...).
func isCall(seg string) bool {
	i := strings.IndexByte(seg, '(')
	return i > 0 && strings.HasSuffix(seg, ")")
}

// parseCall returns a call's lower-cased name and its sorted, lower-cased
// argument names.
func parseCall(seg string) (name, args string) {
	i := strings.IndexByte(seg, '(')
	name = strings.ToLower(seg[:i])
	var names []string
	for _, a := range splitArgs(seg[i+1 : len(seg)-1]) {
		if n, _, ok := strings.Cut(a, "="); ok {
			names = append(names, strings.ToLower(strings.TrimSpace(n)))
		} else if strings.TrimSpace(a) != "" {
			names = append(names, "")
		}
	}
	sort.Strings(names)
	return name, strings.Join(names, ",")
}

// keySyntax splits name('key') or name(key) into name and key. A call with
// named arguments is a function, not a key.
func keySyntax(seg string) (name, key string, ok bool) {
	if !isCall(seg) {
		return "", "", false
	}
	i := strings.IndexByte(seg, '(')
	args := splitArgs(seg[i+1 : len(seg)-1])
	if len(args) != 1 || args[0] == "" || isNamedArg(args[0]) {
		return "", "", false
	}
	return seg[:i], strings.Trim(args[0], "'"), true
}

func isNamedArg(a string) bool {
	n, _, ok := strings.Cut(a, "=")
	if !ok || n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ' ') {
			return false
		}
	}
	return true
}

// splitArgs splits an argument list on commas outside quotes.
func splitArgs(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}
