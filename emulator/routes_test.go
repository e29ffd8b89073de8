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
	sample := strings.NewReplacer("{user}", "AdeleV@contoso.onmicrosoft.com", "{message}", "AAMkAGI2TQAAA=", "{folder}", "inbox",
		"{child}", "AAMkAGI2TQAAB=", "{attachment}", "AAMkAGI2TQAAC=", "{rule}", "AQAAAJ5dZqA=")
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

// TestUploadHostIsNotGraph: the Outlook upload host's paths (/api/v2.0/)
// are served outside the Graph router and are not Graph paths, so they
// are excluded from the check above on purpose.
func TestUploadHostIsNotGraph(t *testing.T) {
	p := "/api/v2.0/Users('u@t')/Messages('m')/AttachmentSessions('s')"
	if !isOutlookUpload(p) {
		t.Fatal("upload path not recognised")
	}
	if _, ok := graphspec.Match("PUT", p); ok {
		t.Fatal("the upload host path matched a Graph path")
	}
	if _, _, ok := splitGraphPath(p); ok {
		t.Fatal("the upload host path reached the Graph router")
	}
}
