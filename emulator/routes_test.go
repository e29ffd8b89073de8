package emulator

import (
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// TestRoutesAreGraphPaths checks that every route the emulator serves is
// a real Graph v1.0 path and method, for users and for /me.
func TestRoutesAreGraphPaths(t *testing.T) {
	s := Start(t)
	sample := strings.NewReplacer("{user}", "AdeleV@contoso.onmicrosoft.com", "{message}", "AAMkAGI2TQAAA=", "{folder}", "inbox")
	for _, r := range s.router.routes {
		path := "/v1.0/" + sample.Replace(strings.Join(r.pattern, "/"))
		if _, ok := graphspec.Match(r.method, path); !ok {
			t.Errorf("%s %s (%s) is not a Graph path", r.method, path, r.template)
		}
		if me, ok := strings.CutPrefix(strings.Join(r.pattern, "/"), "users/{user}"); ok {
			path := "/v1.0/me" + sample.Replace(me)
			if _, ok := graphspec.Match(r.method, path); !ok {
				t.Errorf("%s %s is not a Graph path", r.method, path)
			}
		}
	}
}
