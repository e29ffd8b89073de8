package emulator

import (
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// TestGroupCalendarRoutesAreGraphPaths: every group calendar route is a Graph v1.0 path.
func TestGroupCalendarRoutesAreGraphPaths(t *testing.T) {
	s := Start(t)
	sample := strings.NewReplacer("{group-id}", "02bd9fd6-8f93-4758-87c3-1fb73740a315", "{event}", "AAMkAGI2TQAAB=")
	n := 0
	for _, r := range s.router.routes {
		p := strings.Join(r.pattern, "/")
		rest, ok := strings.CutPrefix(p, "groups/{group-id}/")
		if !ok || !strings.HasPrefix(rest, "calendar") && !strings.HasPrefix(rest, "events") {
			continue
		}
		n++
		if _, ok := graphspec.Match(r.method, "/v1.0/"+sample.Replace(p)); !ok {
			t.Errorf("%s %s is not a Graph path", r.method, p)
		}
	}
	if n != 14 {
		t.Fatalf("%d group calendar routes, want 14", n)
	}
}

// TestGroupCalendarMembers: an event one member creates in the group calendar is seen by
// another member and by an app; a non-member and a caller without Group.* scopes are refused.
func TestGroupCalendarMembers(t *testing.T) {
	s := Start(t)
	adele := s.DefaultUser()
	bob := s.AddUser(User{UPN: "bob@" + strings.SplitN(adele.UPN, "@", 2)[1], DisplayName: "Bob"})
	eve := s.AddUser(User{UPN: "eve@" + strings.SplitN(adele.UPN, "@", 2)[1], DisplayName: "Eve"})
	g := s.AddGroup("Team", "", true, []string{adele.UPN}, []string{bob.UPN})
	scopes := "Group.ReadWrite.All User.Read"
	atok, btok, etok := tokenFor(t, s, adele.UPN, scopes), tokenFor(t, s, bob.UPN, scopes), tokenFor(t, s, eve.UPN, scopes)

	r := cdo(t, s, "POST", "/v1.0/groups/"+g+"/events", atok, `{"subject":"Offsite","start":{"dateTime":"2026-05-04T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-05-04T17:00:00","timeZone":"UTC"}}`)
	calStatus(t, r, 201)
	id, _ := r.json["id"].(string)
	for _, tok := range []string{btok, appToken(t, s)} {
		r = cdo(t, s, "GET", "/v1.0/groups/"+g+"/events", tok, "")
		calStatus(t, r, 200)
		if v := r.values(); len(v) != 1 || v[0]["id"] != id {
			t.Fatalf("group events = %v", v)
		}
	}
	calStatus(t, cdo(t, s, "GET", "/v1.0/groups/"+g+"/calendar/events/"+id, btok, ""), 200)
	calStatus(t, cdo(t, s, "GET", "/v1.0/groups/"+g+"/events", etok, ""), 403)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/groups/"+g+"/events/"+id, etok, ""), 403)
	calStatus(t, cdo(t, s, "GET", "/v1.0/groups/"+g+"/events", tokenFor(t, s, bob.UPN, "Calendars.ReadWrite"), ""), 403)
	// The event is the group's: not in the member's own calendar.
	r = cdo(t, s, "GET", "/v1.0/me/events", tokenFor(t, s, adele.UPN, "Calendars.Read"), "")
	calStatus(t, r, 200)
	for _, v := range r.values() {
		if v["id"] == id {
			t.Fatal("group event listed in the member's calendar")
		}
	}
}
