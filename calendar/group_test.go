package calendar_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/o365test"
)

// TestGroupCalendar: a Microsoft 365 group's one calendar, through the same schedule API
// as a user's: create, list, view with a recurring event, get, update, delete.
func TestGroupCalendar(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, srv := o365test.Start(t, o365test.Record(rec))
	gid := srv.AddGroup("Project X", "", true, []string{srv.DefaultUser().UPN}, nil)
	sch := acct.Schedule(graph.Group(gid))

	// Calendars: the group's one calendar, read from /groups/{id}/calendar.
	rec.Take()
	var cals []*calendar.Calendar
	for c, err := range sch.Calendars(ctx, nil) {
		ok(t, err)
		cals = append(cals, c)
	}
	if len(cals) != 1 || !cals[0].IsDefaultCalendar || cals[0].Name == "" {
		t.Fatalf("group calendars = %+v", cals)
	}
	if reqs := rec.Take(); len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, "/groups/"+gid+"/calendar") {
		t.Fatalf("requests = %+v", reqs)
	}
	if _, err := sch.CreateCalendar(ctx, "Other", ""); !errors.Is(err, calendar.ErrGroupCalendars) {
		t.Fatalf("CreateCalendar on a group: %v", err)
	}

	// Create: one single event in the calendar, one daily series on the group.
	day := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	ev := cals[0].NewEvent()
	ev.Subject = "Kick-off"
	ev.Start, ev.End = day, day.Add(time.Hour)
	ok(t, ev.Save(ctx))
	if len(rec.Take().Only("POST", "/groups/"+gid+"/calendar/events")) != 1 || ev.ID == "" {
		t.Fatalf("create: id %q", ev.ID)
	}
	standup := sch.NewEvent()
	standup.Subject = "Stand-up"
	standup.Start, standup.End = day.Add(time.Hour), day.Add(75*time.Minute)
	standup.Recurrence = calendar.Daily(1).Count(3)
	ok(t, standup.Save(ctx))
	if len(rec.Take().Only("POST", "/groups/"+gid+"/events")) != 1 {
		t.Fatal("series not created on /groups/{id}/events")
	}

	// List: the single event and the series master.
	n := 0
	for e, err := range sch.Events(ctx, nil) {
		ok(t, err)
		if e.ID != ev.ID && e.ID != standup.ID {
			t.Fatalf("unexpected event %q", e.Subject)
		}
		n++
	}
	if n != 2 {
		t.Fatalf("events = %d", n)
	}

	// View: the single event and three occurrences, on both view routes.
	for _, view := range []func() int{
		func() int {
			n := 0
			for _, err := range sch.View(ctx, day, day.Add(72*time.Hour), nil) {
				ok(t, err)
				n++
			}
			return n
		},
		func() int {
			n := 0
			for _, err := range cals[0].View(ctx, day, day.Add(72*time.Hour), nil) {
				ok(t, err)
				n++
			}
			return n
		},
	} {
		if got := view(); got != 4 {
			t.Fatalf("view = %d items, want 4", got)
		}
	}
	if len(rec.Take().Only("GET", "/groups/"+gid+"/calendar/calendarView")) != 1 {
		t.Fatal("no GET /groups/{id}/calendar/calendarView")
	}

	// Instances of the series.
	occ := 0
	for _, err := range standup.Instances(ctx, day, day.Add(7*24*time.Hour), nil) {
		ok(t, err)
		occ++
	}
	if occ != 3 {
		t.Fatalf("instances = %d, want 3", occ)
	}

	// Get (also through the calendar), update, delete.
	viaCal, err := cals[0].Event(ctx, ev.ID)
	ok(t, err)
	if viaCal.Subject != "Kick-off" {
		t.Fatalf("get via calendar: %q", viaCal.Subject)
	}
	got, err := sch.Event(ctx, ev.ID)
	ok(t, err)
	if got.Subject != "Kick-off" || !got.Start.Equal(day) {
		t.Fatalf("get: %q %v", got.Subject, got.Start)
	}
	got.Subject = "Kick-off (moved)"
	rec.Take()
	ok(t, got.Save(ctx))
	if len(rec.Take().Only("PATCH", "/groups/"+gid+"/events/"+ev.ID)) != 1 {
		t.Fatal("no PATCH /groups/{id}/events/{id}")
	}
	again, err := sch.Event(ctx, ev.ID)
	ok(t, err)
	if again.Subject != "Kick-off (moved)" {
		t.Fatalf("after update: %q", again.Subject)
	}
	ok(t, again.Delete(ctx))
	if _, err := sch.Event(ctx, ev.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

// TestGroupCalendarAccess: a delegated caller who is not a member is refused; a security
// group has no calendar; an unknown group is not found.
func TestGroupCalendarAccess(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t)
	other := addUser(srv, "Outsider")
	closed := srv.AddGroup("Closed", "", true, []string{other}, nil)
	security := srv.AddGroup("Sec", "", false, []string{srv.DefaultUser().UPN}, nil)

	var ge *graph.Error
	_, err := acct.Schedule(graph.Group(closed)).DefaultCalendar().Get(ctx)
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusForbidden {
		t.Fatalf("non-member read: %v", err)
	}
	ev := acct.Schedule(graph.Group(closed)).NewEvent()
	ev.Subject = "x"
	ev.Start = time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	if err := ev.Save(ctx); !errors.As(err, &ge) || ge.StatusCode != http.StatusForbidden {
		t.Fatalf("non-member create: %v", err)
	}
	if _, err := acct.Schedule(graph.Group(security)).DefaultCalendar().Get(ctx); !errors.As(err, &ge) || ge.StatusCode != http.StatusBadRequest {
		t.Fatalf("security group: %v", err)
	}
	if _, err := acct.Schedule(graph.Group("00000000-0000-0000-0000-000000000000")).DefaultCalendar().Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("unknown group: %v", err)
	}
}

// TestGroupCalendarRoutes: the group calendar paths the library calls are Graph v1.0
// paths, and /groups/{id}/calendars (not in v1.0) is not.
func TestGroupCalendarRoutes(t *testing.T) {
	g := "/v1.0/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/"
	for _, r := range []struct{ method, path string }{
		{"GET", "calendar"}, {"GET", "calendar/events"}, {"POST", "calendar/events"}, {"GET", "calendar/calendarView"},
		{"GET", "events"}, {"POST", "events"}, {"GET", "calendarView"},
		{"GET", "events/AAMkAGI2TQAAB="}, {"PATCH", "events/AAMkAGI2TQAAB="}, {"DELETE", "events/AAMkAGI2TQAAB="},
		{"GET", "events/AAMkAGI2TQAAB=/instances"}, {"GET", "calendar/events/AAMkAGI2TQAAB="},
		{"PATCH", "calendar/events/AAMkAGI2TQAAB="}, {"DELETE", "calendar/events/AAMkAGI2TQAAB="},
	} {
		if _, ok := graphspec.Match(r.method, g+r.path); !ok {
			t.Errorf("%s %s is not a Graph path", r.method, g+r.path)
		}
	}
	if _, ok := graphspec.Match("GET", g+"calendars"); ok {
		t.Error("GET /groups/{id}/calendars matched a v1.0 path")
	}
}
