package calendar_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

func TestCalendars(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	sch := acct.Schedule()

	def, err := sch.DefaultCalendar().Get(ctx)
	ok(t, err)
	if def.ID == "" || def.Name == "" {
		t.Fatalf("default calendar = %+v", def)
	}
	cal, err := sch.CreateCalendar(ctx, "Project X", calendar.ColorLightGreen)
	ok(t, err)
	if cal.Name != "Project X" || cal.Color != calendar.ColorLightGreen {
		t.Fatalf("created %+v", cal)
	}
	var names []string
	for c, err := range sch.Calendars(ctx, nil) {
		ok(t, err)
		names = append(names, c.Name)
	}
	if !slices.Contains(names, "Project X") || !slices.Contains(names, def.Name) {
		t.Fatalf("calendars = %v", names)
	}
	ev := cal.NewEvent()
	ev.Subject = "In project calendar"
	ev.Start = time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	ok(t, ev.Save(ctx))
	var inCal []string
	for e, err := range cal.Events(ctx, nil) {
		ok(t, err)
		inCal = append(inCal, e.Subject)
	}
	for e, err := range sch.DefaultCalendar().Events(ctx, nil) {
		ok(t, err)
		if e.ID == ev.ID {
			t.Fatal("event of another calendar listed in the default calendar")
		}
	}
	if !slices.Equal(inCal, []string{"In project calendar"}) {
		t.Fatalf("events of the new calendar = %v", inCal)
	}
	got0, err := cal.Event(ctx, ev.ID)
	ok(t, err)
	if !got0.End.Equal(ev.Start.Add(30 * time.Minute)) {
		t.Fatalf("default end %v", got0.End)
	}

	ok(t, cal.Rename(ctx, "Project Y"))
	ok(t, cal.Recolor(ctx, calendar.ColorLightRed))
	got, err := sch.Calendar(cal.ID).Get(ctx)
	ok(t, err)
	if got.Name != "Project Y" || got.Color != calendar.ColorLightRed {
		t.Fatalf("after rename/recolor: %+v", got)
	}
	byName, err := sch.CalendarByName(ctx, "Project Y")
	ok(t, err)
	if byName.ID != cal.ID {
		t.Fatalf("by name: %s, want %s", byName.ID, cal.ID)
	}
	if _, err := sch.CalendarByName(ctx, "nope"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing by name: %v", err)
	}
	ok(t, cal.Delete(ctx))
	if _, err := sch.Calendar(cal.ID).Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted calendar: %v", err)
	}
	if err := sch.Calendar("").Delete(ctx); err == nil {
		t.Fatal("delete without id succeeded")
	}
	var unbound calendar.Calendar
	if err := unbound.Save(ctx); err == nil {
		t.Fatal("unbound save succeeded")
	}
}

func TestEventLifecycle(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	paris, _ := time.LoadLocation("Europe/Paris")
	sch := acct.Schedule()

	ev := sch.DefaultCalendar().NewEvent()
	ev.Subject = "Design review"
	ev.Body = graph.HTML("<p>Agenda</p>")
	ev.Start = time.Date(2026, 3, 2, 10, 0, 0, 0, paris)
	ev.End = ev.Start.Add(time.Hour)
	ev.Location = calendar.Location{DisplayName: "Room 1"}
	ev.Categories = []string{"Blue category"}
	ev.ShowAs = calendar.Tentative
	ev.Importance = calendar.ImportanceHigh
	ok(t, ev.Attendees.Add("Adele <adele@contoso.com>", "alex@contoso.com"))
	ok(t, ev.Attendees.AddAs(calendar.Optional, "megan@contoso.com"))
	ev.IsOnlineMeeting = true
	ev.OnlineMeetingProvider = calendar.ProviderTeamsForBusiness
	rec.Take()
	ok(t, ev.Save(ctx))
	posts := rec.Take().Only("POST", "/calendar/events")
	if len(posts) != 1 {
		t.Fatalf("creates = %d", len(posts))
	}
	if posts[0].Body["transactionId"] == "" || posts[0].Body["transactionId"] == nil {
		t.Fatalf("no transactionId in %v", posts[0].Body)
	}
	if diff := cmp.Diff(map[string]any{"dateTime": "2026-03-02T10:00:00.0000000", "timeZone": "Romance Standard Time"}, posts[0].Body["start"]); diff != "" {
		t.Fatalf("start sent (-want +got):\n%s", diff)
	}
	if ev.ID == "" || !ev.Start.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("saved event: id %q start %v", ev.ID, ev.Start)
	}
	if len(ev.Attendees) != 3 || ev.Attendees[2].Type != calendar.Optional {
		t.Fatalf("attendees = %+v", ev.Attendees)
	}

	// Unchanged: no request. Changed: only the changed fields, zero values included.
	ok(t, ev.Save(ctx))
	if n := len(rec.Take()); n != 0 {
		t.Fatalf("save without change sent %d requests", n)
	}
	ev.Subject = "Design review (moved)"
	ev.IsReminderOn = false
	ev.Attendees.Remove("alex@contoso.com")
	ok(t, ev.Save(ctx))
	patches := rec.Take().Only("PATCH", ev.ID)
	if len(patches) != 1 {
		t.Fatalf("patches = %d", len(patches))
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range patches[0].Body {
			if !yield(k) {
				return
			}
		}
	})
	if diff := cmp.Diff([]string{"attendees", "isReminderOn", "subject"}, keys); diff != "" {
		t.Fatalf("patched keys (-want +got):\n%s", diff)
	}

	got, err := sch.Event(ctx, ev.ID)
	ok(t, err)
	if got.Subject != "Design review (moved)" || got.IsReminderOn || len(got.Attendees) != 2 || got.Attendees.Contains("alex@contoso.com") {
		t.Fatalf("read back %+v", got)
	}
	if !got.Start.Equal(ev.Start) || !got.End.Equal(ev.End) {
		t.Fatalf("times %v-%v, want %v-%v", got.Start, got.End, ev.Start, ev.End)
	}
	// Clearing categories sends [].
	got.Categories = nil
	ok(t, got.Save(ctx))
	p := rec.Take().Only("PATCH", ev.ID)
	if len(p) != 1 || cmp.Diff([]any{}, p[0].Body["categories"]) != "" {
		t.Fatalf("clear categories sent %+v", p)
	}

	// Listing with a query.
	q := odata.New().Filter(odata.Attr("subject").StartsWith("Design"))
	var n int
	for e, err := range sch.DefaultCalendar().Events(ctx, &graph.ListOptions{Query: q}) {
		ok(t, err)
		if e.ID == ev.ID {
			n++
		}
	}
	for e, err := range sch.Events(ctx, nil) {
		ok(t, err)
		if e.ID == ev.ID {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("event listed %d times, want 2", n)
	}

	ok(t, ev.Delete(ctx))
	if _, err := sch.Event(ctx, ev.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted event: %v", err)
	}
	if err := ev.Delete(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestEventValidation(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	sch := acct.Schedule()
	ev := sch.NewEvent()
	if err := ev.Save(ctx); err == nil {
		t.Fatal("event without times saved")
	}
	ev.Start = time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(-time.Hour)
	if err := ev.Save(ctx); err == nil {
		t.Fatal("event ending before its start saved")
	}
	ev.End = time.Time{}
	ev.Recurrence = calendar.Daily(0).Count(-1)
	if err := ev.Save(ctx); err == nil || !ev.End.Equal(ev.Start.Add(30*time.Minute)) {
		t.Fatalf("end not defaulted to start + 30 min (%v), or a bad count saved (%v)", ev.End, err)
	}
	ev.Recurrence = nil
	ev.End = ev.Start.Add(-time.Hour)
	if err := ev.Save(ctx); err == nil {
		t.Fatal("event ending before its start saved")
	}
	ev.End = ev.Start.Add(time.Hour)
	ev.Recurrence = calendar.Weekly(1) // no days
	if err := ev.Save(ctx); err == nil {
		t.Fatal("weekly recurrence without days saved")
	}
	if n := len(rec.Take()); n != 0 {
		t.Fatalf("invalid events sent %d requests", n)
	}
	var unbound calendar.Event
	if err := unbound.Save(ctx); err == nil {
		t.Fatal("unbound event saved")
	}
	if err := unbound.Accept(ctx, ""); err == nil {
		t.Fatal("unbound accept")
	}
	if _, err := sch.Event(ctx, "AAMkNoSuchEvent"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing event: %v", err)
	}
}

func TestNaiveTimesUseScheduleZone(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	sch := acct.Schedule().In(tokyo)
	ev := sch.NewEvent()
	ev.Subject = "Naive"
	ev.Start = time.Date(2026, 7, 1, 9, 0, 0, 0, time.Local)
	ev.End = time.Date(2026, 7, 1, 10, 0, 0, 0, time.Local)
	rec.Take()
	ok(t, ev.Save(ctx))
	post := rec.Take().Only("POST", "/events")
	if len(post) != 1 {
		t.Fatal("no create")
	}
	if diff := cmp.Diff(map[string]any{"dateTime": "2026-07-01T09:00:00.0000000", "timeZone": "Tokyo Standard Time"}, post[0].Body["start"]); diff != "" {
		t.Fatalf("naive start sent (-want +got):\n%s", diff)
	}
	if !ev.Start.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("start = %v", ev.Start)
	}
	if got := post[0].Header.Get("Prefer"); got == "" {
		t.Fatal("no Prefer: outlook.timezone with a schedule zone")
	}
	if ev.Start.Location().String() != "Asia/Tokyo" {
		t.Fatalf("start read back in %v, want Asia/Tokyo", ev.Start.Location())
	}

	// Without a zone the mailbox's is used.
	ev2 := acct.Schedule().NewEvent()
	ev2.Start = time.Date(2026, 7, 1, 9, 0, 0, 0, time.Local)
	ev2.End = ev2.Start.Add(time.Hour)
	ok(t, ev2.Save(ctx))
	if len(rec.Take().Only("GET", "/mailboxSettings")) != 1 {
		t.Fatal("mailbox zone not read")
	}
	loc, err := acct.Schedule().TimeZone(ctx)
	ok(t, err)
	if ev2.Start.Location().String() != loc.String() && graph.NewDateTimeTimeZone(ev2.Start).TimeZone == "" {
		t.Fatalf("start zone %v, mailbox %v", ev2.Start.Location(), loc)
	}
}

func TestAllDayEvent(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	ny, _ := time.LoadLocation("America/New_York")
	sch := acct.Schedule().In(ny)
	ev := sch.NewEvent()
	ev.Subject = "Holiday"
	ev.IsAllDay = true
	ev.Start = time.Date(2026, 11, 26, 13, 30, 0, 0, ny) // snapped to midnight
	ev.End = ev.Start
	ok(t, ev.Save(ctx))
	got, err := sch.Event(ctx, ev.ID)
	ok(t, err)
	if !got.IsAllDay || got.StartTimeZone().DateTime != "2026-11-26T00:00:00.0000000" || got.EndTimeZone().DateTime != "2026-11-27T00:00:00.0000000" {
		t.Fatalf("all-day event %v %v", got.StartTimeZone(), got.EndTimeZone())
	}
}

func TestTransactionIDMakesCreateIdempotent(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	sch := acct.Schedule()
	mk := func() *calendar.Event {
		ev := sch.NewEvent()
		ev.Subject = "Once"
		ev.Start = time.Date(2026, 8, 3, 9, 0, 0, 0, time.UTC)
		ev.TransactionID = "retry-1"
		ok(t, ev.Save(ctx))
		return ev
	}
	a, b := mk(), mk()
	if a.ID != b.ID {
		t.Fatalf("same transactionId made two events: %s, %s", a.ID, b.ID)
	}
	n := 0
	for e, err := range sch.Events(ctx, &graph.ListOptions{Query: odata.New().Filter(odata.Attr("subject").Eq("Once"))}) {
		ok(t, err)
		if e.Subject == "Once" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d events, want 1", n)
	}
}
