package o365test_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

func TestRecord(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	if got := rec.Take(); len(got) != 0 {
		t.Fatalf("sign-in recorded: %+v", got)
	}

	if err := acct.Client().Patch(ctx, graph.Me.Path("mailboxSettings"), map[string]any{"timeZone": "UTC", "dateFormat": "yyyy-MM-dd"}, nil,
		graph.Header("Prefer", "return=minimal")); err != nil {
		t.Fatal(err)
	}
	_ = acct.Client().Get(ctx, graph.Me.Path("mailFolders", "a b#c"), nil, graph.Query(odata.New().Top(2)))

	sent := rec.Sent()
	if len(sent) != 2 || len(rec.Sent()) != 2 {
		t.Fatalf("Sent: %d requests, then %d, want 2 twice", len(sent), len(rec.Sent()))
	}
	reqs := rec.Take()
	if diff := cmp.Diff(sent, reqs); diff != "" {
		t.Errorf("Take differs from Sent (-sent +take):\n%s", diff)
	}
	if got := rec.Take(); len(got) != 0 {
		t.Errorf("second Take: %d requests, want 0", len(got))
	}

	p := reqs.Only("PATCH", "/mailboxSettings")
	if len(p) != 1 {
		t.Fatalf("PATCHes: %+v", reqs)
	}
	if p[0].Path != "/v1.0/me/mailboxSettings" || p[0].Header.Get("Prefer") != "return=minimal" || p[0].Header.Get("Authorization") == "" {
		t.Errorf("PATCH %s, Prefer %q, Authorization set: %v", p[0].Path, p[0].Header.Get("Prefer"), p[0].Header.Get("Authorization") != "")
	}
	if diff := cmp.Diff(map[string]any{"timeZone": "UTC", "dateFormat": "yyyy-MM-dd"}, p[0].Body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}

	g := reqs.Only("GET", "")
	if len(g) != 1 {
		t.Fatalf("%d GETs, want 1", len(g))
	}
	if g[0].Path != "/v1.0/me/mailFolders/a%20b%23c" || g[0].Query != "$top=2" || g[0].Body != nil {
		t.Errorf("GET %s ? %s, body %v", g[0].Path, g[0].Query, g[0].Body)
	}
}

func TestRequestsFilters(t *testing.T) {
	rs := o365test.Requests{
		{Method: "POST", Path: "/v1.0/me/messages"},
		{Method: "PUT", Path: "/api/v2.0/Users('a')/AttachmentSessions('s')"},
		{Method: "PATCH", Path: "/beta/me/messages/m1"},
		{Method: "POST", Path: "/v1.0/me/messages/m1/send"},
	}
	paths := func(rs o365test.Requests) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Path)
		}
		return out
	}
	for _, tt := range []struct {
		name string
		got  o365test.Requests
		want []string
	}{
		{"method and suffix", rs.Only("POST", "/messages"), []string{"/v1.0/me/messages"}},
		{"any suffix", rs.Only("POST", ""), []string{"/v1.0/me/messages", "/v1.0/me/messages/m1/send"}},
		{"any method", rs.Only("", "/m1"), []string{"/beta/me/messages/m1"}},
		{"none", rs.Only("DELETE", ""), nil},
		{"graph", rs.Graph(), []string{"/v1.0/me/messages", "/beta/me/messages/m1", "/v1.0/me/messages/m1/send"}},
	} {
		if diff := cmp.Diff(tt.want, paths(tt.got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
