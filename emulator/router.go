package emulator

import (
	"net/http"
	"net/url"
	"strings"
)

// router maps Graph paths (below the version segment) to handlers. Literal
// segments match case-insensitively, as Graph's do; "{name}" captures a
// segment. "me" is rewritten to users/{user} with the caller's id before
// matching, so each route is written once.
type router struct {
	routes []*route
}

// route is one Graph endpoint.
type route struct {
	method  string
	pattern []string
	// template is the route as written in the Graph path list
	// ("/users/{user-id}/messages"), for tests.
	template string
	perm     *permission
	// mailbox marks Outlook routes: throttled per target mailbox.
	mailbox bool
	handle  func(c *call)
}

// add registers a route; pattern is like "users/{user}/messages/{id}".
func (rt *router) add(method, pattern string, perm *permission, mailbox bool, h func(c *call)) {
	rt.routes = append(rt.routes, &route{
		method:   method,
		pattern:  strings.Split(pattern, "/"),
		template: graphTemplate(pattern),
		perm:     perm,
		mailbox:  mailbox,
		handle:   h,
	})
}

// graphTemplate writes a route pattern the way the Graph OpenAPI path list
// does ("users/{user}/messages" -> "/users/{user-id}/messages").
func graphTemplate(pattern string) string {
	r := strings.NewReplacer("{user}", "{user-id}", "{message}", "{message-id}", "{folder}", "{mailFolder-id}",
		"{child}", "{mailFolder-id1}", "{attachment}", "{attachment-id}", "{rule}", "{messageRule-id}")
	return "/" + r.Replace(pattern)
}

// matchResult is the outcome of routing.
type matchResult struct {
	route  *route
	params map[string]string
	// methodNotAllowed is set when the path exists for other methods.
	methodNotAllowed bool
	// badSegment is the first segment no route knows, for the 400.
	badSegment string
}

func (rt *router) match(method string, segs []string) matchResult {
	var res matchResult
	best := -1 // length of the longest matched prefix
	for _, r := range rt.routes {
		n, params := matchPattern(r.pattern, segs)
		if n == len(segs) && n == len(r.pattern) {
			if r.method == method {
				return matchResult{route: r, params: params}
			}
			res.methodNotAllowed = true
			continue
		}
		if n > best {
			best = n
		}
	}
	if res.methodNotAllowed {
		return res
	}
	if best < 0 {
		best = 0
	}
	if best < len(segs) {
		res.badSegment = segs[best]
	} else if len(segs) > 0 {
		res.badSegment = segs[len(segs)-1]
	}
	return res
}

// matchPattern returns how many leading segments match and the captures.
func matchPattern(pat, segs []string) (int, map[string]string) {
	var params map[string]string
	n := 0
	for n < len(pat) && n < len(segs) {
		p := pat[n]
		if strings.HasPrefix(p, "{") {
			if segs[n] == "" {
				break
			}
			if params == nil {
				params = map[string]string{}
			}
			params[p[1:len(p)-1]] = segs[n]
		} else if !strings.EqualFold(p, segs[n]) {
			break
		}
		n++
	}
	return n, params
}

// splitGraphPath splits the escaped path below the version into unescaped
// segments, turning key syntax ("mailFolders('Inbox')") into a segment of
// its own. ok is false for a path that is not under /v1.0 or /beta.
func splitGraphPath(escaped string) (version string, segs []string, ok bool) {
	p := strings.TrimPrefix(escaped, "/")
	v, rest, _ := strings.Cut(p, "/")
	if v != "v1.0" && v != "beta" {
		return "", nil, false
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" {
		return v, nil, true
	}
	parts := strings.Split(rest, "/")
	segs, parts = splitSitePath(parts) // site and drive paths, drive functions (sites_path.go, drive_path.go)
	for _, s := range parts {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		if w, ok := workbookSeg(s); ok { // workbook functions (excel_path.go)
			segs = append(segs, w)
			continue
		}
		if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
			key := s[i+1 : len(s)-1]
			if key == "" { // a function call without arguments: delta()
				segs = append(segs, s[:i])
				continue
			}
			key = strings.TrimSuffix(strings.TrimPrefix(key, "'"), "'")
			segs = append(segs, s[:i], strings.ReplaceAll(key, "''", "'"))
			continue
		}
		segs = append(segs, s)
	}
	return v, segs, true
}

// methodNotAllowed is Graph's answer for a known path with the wrong verb.
func errMethodNotAllowed() *graphError {
	return errorf(http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
}
