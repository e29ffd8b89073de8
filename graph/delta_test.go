package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/odata"
)

// deltaServer serves a delta function at /v1.0/items/delta: an initial round of three
// pages (with removals), then, from the round's deltaLink, a round of one page.
// $deltatoken=gone answers 410 with code (SyncStateNotFound unless set).
type deltaServer struct {
	code string

	mu       sync.Mutex
	requests []string // path?query as received
	headers  []http.Header
}

var deltaPages = map[string]string{
	"": `{"@odata.nextLink":"BASE/v1.0/items/delta?$skiptoken=p1","value":[{"id":"a","subject":"A"},{"id":"b","subject":"B"},{"id":"c","subject":"C"}]}`,
	"$skiptoken=p1": `{"@odata.nextLink":"BASE/v1.0/items/delta?$skiptoken=p2","value":[` +
		`{"id":"b","@removed":{"reason":"deleted"}},{"id":"d","subject":"D"}]}`,
	"$skiptoken=p2": `{"@odata.deltaLink":"BASE/v1.0/items/delta?$deltatoken=t1","value":[` +
		`{"id":"e","subject":"E"},{"@odata.type":"#microsoft.graph.message","id":"f","@removed":{"reason":"changed"}}]}`,
	"$deltatoken=t1": `{"@odata.deltaLink":"BASE/v1.0/items/delta?$deltatoken=t2","value":[{"id":"a","subject":"A2"}]}`,
}

func (s *deltaServer) handler(base func() string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.Path+"?"+r.URL.RawQuery)
		s.headers = append(s.headers, r.Header.Clone())
		s.mu.Unlock()
		if r.URL.Path != "/v1.0/items/delta" {
			writeJSON(w, 404, `{"error":{"code":"itemNotFound","message":"no"}}`)
			return
		}
		key := r.URL.RawQuery
		if strings.HasPrefix(key, "%24select") || strings.HasPrefix(key, "$select") {
			key = ""
		}
		if key == "$deltatoken=gone" {
			code := s.code
			if code == "" {
				code = "SyncStateNotFound"
			}
			w.Header().Set("Location", base()+"/v1.0/items/delta")
			writeJSON(w, 410, `{"error":{"code":"`+code+`","message":"The sync state generation is not found."}}`)
			return
		}
		body, ok := deltaPages[key]
		if !ok {
			writeJSON(w, 400, `{"error":{"code":"badRequest","message":"unknown token `+key+`"}}`)
			return
		}
		writeJSON(w, 200, strings.ReplaceAll(body, "BASE", base()))
	}
}

func (s *deltaServer) log() ([]string, []http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...), append([]http.Header(nil), s.headers...)
}

type deltaMsg struct {
	ID      string `json:"id"`
	Subject string `json:"subject"`
	bound   bool
}

func newDeltaEnv(t *testing.T, ds *deltaServer) *testEnv {
	t.Helper()
	var env *testEnv
	env = newTestEnv(t, ds.handler(func() string { return env.srv.URL }))
	return env
}

// summary renders changes as "id" for items (with their subject) and "-id(reason)" for removals.
func summary(t *testing.T, seq func(func(Change[deltaMsg], error) bool)) []string {
	t.Helper()
	var out []string
	for ch, err := range seq {
		if err != nil {
			t.Fatalf("after %v: %v", out, err)
		}
		out = append(out, render(ch))
	}
	return out
}

func render(ch Change[deltaMsg]) string {
	if ch.Removed {
		if ch.Item != nil {
			return "-" + ch.ID + "(" + ch.Reason + ") with item"
		}
		return "-" + ch.ID + "(" + ch.Reason + ")"
	}
	if ch.Item == nil || ch.Item.ID != ch.ID {
		return "bad " + ch.ID
	}
	return ch.ID + ":" + ch.Item.Subject
}

func TestDeltaRounds(t *testing.T) {
	t.Parallel()
	ds := &deltaServer{}
	env := newDeltaEnv(t, ds)
	ctx := context.Background()

	d := NewDelta[deltaMsg](env.c, "/items/delta", &ListOptions{PageSize: 3, Query: odata.New().Select("subject")},
		Header("X-Test", "kept"), ImmutableIDs())
	if reqs, _ := ds.log(); len(reqs) != 0 {
		t.Fatalf("NewDelta did I/O: %v", reqs)
	}
	got := summary(t, d.Changes(ctx))
	want := []string{"a:A", "b:B", "c:C", "-b(deleted)", "d:D", "e:E", "-f(changed)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("initial round (-want +got):\n%s", diff)
	}
	if d.DeltaLink() != env.srv.URL+"/v1.0/items/delta?$deltatoken=t1" || d.NextLink() != "" {
		t.Errorf("after the round: delta %q next %q", d.DeltaLink(), d.NextLink())
	}

	// Ranging again runs the next round, from the deltaLink.
	if diff := cmp.Diff([]string{"a:A2"}, summary(t, d.Changes(ctx))); diff != "" {
		t.Errorf("second round (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(d.DeltaLink(), "$deltatoken=t2") {
		t.Errorf("second round delta link %q", d.DeltaLink())
	}

	reqs, hdrs := ds.log()
	wantReqs := []string{
		"/v1.0/items/delta?$select=subject",
		"/v1.0/items/delta?$skiptoken=p1",
		"/v1.0/items/delta?$skiptoken=p2",
		"/v1.0/items/delta?$deltatoken=t1",
	}
	if diff := cmp.Diff(wantReqs, reqs); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	for i, h := range hdrs {
		if h.Get("X-Test") != "kept" || h.Get("Prefer") != `odata.maxpagesize=3, IdType="ImmutableId"` {
			t.Errorf("request %d headers: X-Test %q Prefer %q", i, h.Get("X-Test"), h.Get("Prefer"))
		}
		if strings.Contains(reqs[i], "top") {
			t.Errorf("request %d sent $top: %s", i, reqs[i])
		}
	}
}

func TestDeltaResume(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	all := []string{"a:A", "b:B", "c:C", "-b(deleted)", "d:D", "e:E", "-f(changed)"}
	tests := []struct {
		name      string
		stopAfter int    // changes taken before breaking
		wantNext  string // NextLink suffix after the break ("" for none)
		wantRest  []string
	}{
		{"inside the first page", 2, "", all},
		{"at the end of the first page", 3, "$skiptoken=p1", all[3:]},
		{"inside the second page", 4, "$skiptoken=p1", all[3:]},
		{"inside the last page", 6, "$skiptoken=p2", all[5:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, fresh := range []bool{false, true} {
				ds := &deltaServer{}
				env := newDeltaEnv(t, ds)
				d := NewDelta[deltaMsg](env.c, "/items/delta", nil, Header("X-Test", "kept"))
				n := 0
				for ch, err := range d.Changes(ctx) {
					if err != nil {
						t.Fatal(err)
					}
					if n++; n == tt.stopAfter {
						if render(ch) != all[n-1] {
							t.Fatalf("change %d = %s", n, render(ch))
						}
						break
					}
				}
				if next := d.NextLink(); !strings.HasSuffix(next, tt.wantNext) || (tt.wantNext == "") != (next == "") {
					t.Errorf("NextLink after %d = %q, want …%s", n, next, tt.wantNext)
				}
				if d.DeltaLink() != "" {
					t.Errorf("DeltaLink before the round ended: %q", d.DeltaLink())
				}
				// Resume in place, or (fresh) in a new process from the saved NextLink.
				resumed := d
				if fresh && d.NextLink() != "" {
					resumed = NewDelta[deltaMsg](env.c, d.NextLink(), nil, Header("X-Test", "kept"))
				}
				if diff := cmp.Diff(tt.wantRest, summary(t, resumed.Changes(ctx))); diff != "" {
					t.Errorf("fresh=%v: resumed round (-want +got):\n%s", fresh, diff)
				}
				if !strings.HasSuffix(resumed.DeltaLink(), "$deltatoken=t1") {
					t.Errorf("fresh=%v: DeltaLink after resuming = %q", fresh, resumed.DeltaLink())
				}
				_, hdrs := ds.log()
				for i, h := range hdrs {
					if h.Get("X-Test") != "kept" {
						t.Errorf("request %d lost the header", i)
					}
				}
			}
		})
	}
}

func TestDeltaSyncStateExpired(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, code := range []string{"SyncStateNotFound", "syncStateNotFound", "resyncRequired", "someNewCode"} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			ds := &deltaServer{code: code}
			env := newDeltaEnv(t, ds)
			d := NewDelta[deltaMsg](env.c, env.srv.URL+"/v1.0/items/delta?$deltatoken=gone", nil)
			var errs []error
			for ch, err := range d.Changes(ctx) {
				if err == nil {
					t.Fatalf("change %+v from an expired link", ch)
				}
				errs = append(errs, err)
			}
			if len(errs) != 1 {
				t.Fatalf("%d errors", len(errs))
			}
			err := errs[0]
			if !errors.Is(err, ErrSyncStateExpired) || !errors.Is(err, ErrGone) {
				t.Errorf("error %v does not match ErrSyncStateExpired and ErrGone", err)
			}
			var ge *Error
			if !errors.As(err, &ge) || ge.StatusCode != 410 || ge.Code != code {
				t.Fatalf("errors.As: %#v", ge)
			}
			if ge.Location != env.srv.URL+"/v1.0/items/delta" {
				t.Errorf("Location %q", ge.Location)
			}
			// Starting over works.
			if got := summary(t, NewDelta[deltaMsg](env.c, "/items/delta", nil).Changes(ctx)); len(got) != 7 {
				t.Errorf("resync: %v", got)
			}
		})
	}
}

func TestDeltaOnItem(t *testing.T) {
	t.Parallel()
	env := newDeltaEnv(t, &deltaServer{})
	calls := 0
	d := NewDelta[deltaMsg](env.c, "/items/delta", nil).
		OnItem(func(m *deltaMsg) { m.bound = true; calls++ }).
		OnItem(nil)
	for ch, err := range d.Changes(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Removed != (ch.Item == nil) || ch.Item != nil && !ch.Item.bound {
			t.Errorf("change %s: %+v", ch.ID, ch.Item)
		}
	}
	if calls != 5 {
		t.Errorf("OnItem called %d times, want 5 (items, not removals)", calls)
	}
}

func TestDeltaBadInput(t *testing.T) {
	t.Parallel()
	env := newDeltaEnv(t, &deltaServer{})
	tests := []struct {
		name string
		d    *Delta[deltaMsg]
		want string
	}{
		{"nil client", NewDelta[deltaMsg](nil, "/items/delta", nil), "nil *Client"},
		{"empty path", NewDelta[deltaMsg](env.c, "", nil), "empty path"},
		{"negative page size", NewDelta[deltaMsg](env.c, "/items/delta", &ListOptions{PageSize: -1}), "negative"},
		{"service error", NewDelta[deltaMsg](env.c, "/other/delta", nil), "itemNotFound"},
	}
	for _, tt := range tests {
		n := 0
		for ch, err := range tt.d.Changes(context.Background()) {
			n++
			if err == nil || !strings.Contains(err.Error(), tt.want) || ch.Item != nil {
				t.Errorf("%s: %+v, %v", tt.name, ch, err)
			}
		}
		if n != 1 {
			t.Errorf("%s: %d yields", tt.name, n)
		}
	}
}

func TestDeltaBadJSON(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"value":[{"id":"a","subject":7}]}`)
	})
	for _, err := range NewDelta[deltaMsg](env.c, "/items/delta", nil).Changes(context.Background()) {
		if err == nil || !strings.Contains(err.Error(), "decoding page") {
			t.Errorf("bad item: %v", err)
		}
	}
}
