package emulator

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// The fidelity tests of every area replay Microsoft's documented examples
// with the pieces below. An area passes in what is its own: the scopes of
// its token, the ids standing for its route placeholders, its skip list
// with reasons, and the differences it accepts.

// docResponse is a documented response body, the lenient parse when the
// docs' JSON needed one.
func docResponse(ex graphspec.Example) any {
	if ex.ResponseBodyFormat == "json-lenient" {
		return ex.ResponseBodyLenient
	}
	return ex.ResponseBody
}

// docRequest is a documented request body, the lenient parse when the
// docs' JSON needed one.
func docRequest(ex graphspec.Example) any {
	if ex.RequestBodyFormat == "json-lenient" {
		return ex.RequestBodyLenient
	}
	return ex.RequestBody
}

// exampleName names an example's subtest: its page and line, then parts.
func exampleName(ex graphspec.Example, parts ...string) string {
	return strings.Join(append([]string{fmt.Sprintf("%s:%d", ex.Source, ex.Line)}, parts...), " ")
}

// skipFor returns the reason of a skip-list key found in one of texts, or "".
func skipFor(skips map[string]string, texts ...string) string {
	for k, why := range skips {
		for _, x := range texts {
			if strings.Contains(x, k) {
				return why
			}
		}
	}
	return ""
}

// exampleHeaders are an example's request headers but the dropped ones,
// as pairs for do.
func exampleHeaders(ex graphspec.Example, drop ...string) []string {
	var hdr []string
	for k, v := range ex.RequestHeaders {
		kept := true
		for _, d := range drop {
			kept = kept && !strings.EqualFold(k, d)
		}
		if kept {
			hdr = append(hdr, k, v)
		}
	}
	return hdr
}

// servedGETs holds the templates of the emulator's GET routes, and their
// forms without the /users/{user-id} prefix (for the docs' /me paths).
func servedGETs(s *Server) map[string]bool {
	served := map[string]bool{}
	for _, r := range s.router.routes {
		if r.method == "GET" {
			served[lower(r.template)] = true
			served[strings.TrimPrefix(lower(r.template), "/users/{user-id}")] = true
		}
	}
	return served
}

// routeServedGET routes a documented GET answered with an object, when
// its template, or its /me form, is one of served; it reports false for
// other examples.
func routeServedGET(s *Server, served map[string]bool, ex graphspec.Example, meID string) (rt *replayTarget, tmpl string, ok bool) {
	if ex.Method != "GET" || ex.Host != "" || ex.ResponseStatus == 0 {
		return nil, "", false
	}
	if _, isObj := docResponse(ex).(map[string]any); !isObj {
		return nil, "", false
	}
	if rt, ok = routeExample(s, "GET", ex.Path, meID); !ok {
		return nil, "", false
	}
	// Only the endpoints the emulator serves: the documented path's
	// template must be one of the emulator's routes.
	tmpl, ok = graphspec.Match("GET", strings.Split(ex.Path, "?")[0])
	if !ok || !served[strings.TrimPrefix(lower(tmpl), "/me")] && !served[lower(tmpl)] {
		return nil, "", false
	}
	return rt, tmpl, true
}

// replayTarget is a documented request path routed to the emulator.
type replayTarget struct {
	version, rawQuery string
	segs              []string
	// route is nil when the emulator does not serve the path.
	route *route
}

// routeExample routes a documented path (with its query) for method, /me
// standing for the user meID. It reports false for paths that are not
// Graph paths.
func routeExample(s *Server, method, docPath, meID string) (*replayTarget, bool) {
	path, rawQuery, _ := strings.Cut(docPath, "?")
	version, segs, ok := splitGraphPath(escapeExamplePath(path))
	if !ok || len(segs) == 0 {
		return nil, false
	}
	if strings.EqualFold(segs[0], "me") {
		segs = append([]string{"users", meID}, segs[1:]...)
	}
	return &replayTarget{version: version, rawQuery: rawQuery, segs: segs, route: s.router.match(method, segs).route}, true
}

// placeholderIDs maps a route placeholder ("{message}") to the id that
// replaces the documented segment.
type placeholderIDs map[string]func(seg string) string

// fixedID replaces every documented segment with id.
func fixedID(id string) func(string) string { return func(string) string { return id } }

// knownUserOr keeps a documented user the tenant knows, and replaces others
// with id.
func knownUserOr(s *Server, id string) func(string) string {
	return func(seg string) string {
		if _, ok := s.lookupUser(seg); ok {
			return seg
		}
		return id
	}
}

// target substitutes ids for the route's placeholders and returns the
// escaped request URI, query included.
func (rt *replayTarget) target(ids placeholderIDs) string {
	for i, p := range rt.route.pattern {
		if id := ids[p]; id != nil {
			rt.segs[i] = id(rt.segs[i])
		}
	}
	segs := make([]string, len(rt.segs))
	for i, seg := range rt.segs {
		segs[i] = url.PathEscape(seg)
	}
	target := "/" + rt.version + "/" + strings.Join(segs, "/")
	if rt.rawQuery != "" {
		target += "?" + escapeExampleQuery(rt.rawQuery)
	}
	return target
}

// documentedStatus is the status ex documents, or got when overrides has
// a reason for ex's page (pages printing a status their own text
// contradicts) and got is a success.
func documentedStatus(t *testing.T, ex graphspec.Example, got int, overrides map[string]string) int {
	t.Helper()
	if reason, ok := overrides[ex.Source[strings.LastIndex(ex.Source, "/")+1:]]; ok && got/100 == 2 {
		t.Logf("status %d, documented %d: %s", got, ex.ResponseStatus, reason)
		return got
	}
	return ex.ResponseStatus
}

// replayCheck is how an area compares a replayed answer with the docs.
type replayCheck struct {
	// absent reports documented keys the answer may leave out; nil means
	// absentAllowed.
	absent func(key string) bool
	// excused reports other shape differences the area accepts.
	excused func(problem string) bool
	// shape rewrites both bodies before they are compared.
	shape func(any) any
	// noBodyFails compares an answer without a JSON body too (and so
	// fails it), where the others accept a $count, $value or 204.
	noBodyFails bool
}

// check fails t unless the answer has status want and the shape of doc.
func (c replayCheck) check(t *testing.T, method, target string, r *result, want int, doc any) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s %s: status %d, documented %d: %.400s", method, target, r.status, want, r.body)
	}
	if problems := c.problems(doc, r.json); len(problems) > 0 {
		t.Errorf("%s %s: shape differs from the documented response:\n  %s", method, target, strings.Join(problems, "\n  "))
	}
}

// problems lists, sorted, the differences of got's shape from a documented
// object that the area does not accept.
func (c replayCheck) problems(doc any, got map[string]any) []string {
	docObj, ok := doc.(map[string]any)
	if !ok || got == nil && !c.noBodyFails {
		return nil
	}
	var d, g any = docObj, got
	if c.shape != nil {
		d, g = c.shape(d), c.shape(g)
	}
	absent := c.absent
	if absent == nil {
		absent = absentAllowed
	}
	var problems, kept []string
	compareShapeAbsent("", d, g, absent, &problems)
	for _, p := range problems {
		if c.excused == nil || !c.excused(p) {
			kept = append(kept, p)
		}
	}
	sort.Strings(kept)
	return kept
}

// excuseMentions returns a problem filter excusing problems that mention one
// of keys.
func excuseMentions(keys ...string) func(string) bool {
	return func(problem string) bool {
		for _, k := range keys {
			if strings.Contains(problem, k) {
				return true
			}
		}
		return false
	}
}

// logReplayed fails t when fewer than least examples were replayed.
func logReplayed(t *testing.T, replayed, least int, what string) {
	t.Helper()
	if replayed < least {
		t.Errorf("only %d documented %s replayed", replayed, what)
	}
	t.Logf("%d documented %s replayed", replayed, what)
}
