package calendar_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

func TestRecurringEventAndView(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	sch := acct.Schedule().In(berlin)
	cal := sch.DefaultCalendar()

	// Weekly on Monday and Wednesday across the end of DST (25 Oct 2026) : the local time
	// stays 09:00.
	ev := cal.NewEvent()
	ev.Subject = "Stand-up"
	ev.Start = time.Date(2026, 10, 19, 9, 0, 0, 0, berlin) // a Monday
	ev.End = ev.Start.Add(15 * time.Minute)
	ev.Recurrence = calendar.Weekly(1, time.Monday, time.Wednesday).Until(time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC))
	ok(t, ev.Save(ctx))
	if ev.Type != calendar.SeriesMaster || ev.Recurrence == nil || ev.Recurrence.Range.StartDate != "2026-10-19" {
		t.Fatalf("saved series %+v / %+v", ev.Type, ev.Recurrence)
	}
	from, to := time.Date(2026, 10, 18, 0, 0, 0, 0, berlin), time.Date(2026, 11, 1, 0, 0, 0, 0, berlin)
	var starts []string
	for o, err := range cal.View(ctx, from, to, nil) {
		ok(t, err)
		if o.SeriesMasterID == ev.ID {
			starts = append(starts, o.Start.In(berlin).Format("Mon 02 15:04"))
		}
	}
	want := []string{"Mon 19 09:00", "Wed 21 09:00", "Mon 26 09:00", "Wed 28 09:00"}
	if !slices.Equal(starts, want) {
		t.Fatalf("view = %v, want %v", starts, want)
	}
	var inst []time.Time
	for o, err := range ev.Instances(ctx, from, to, nil) {
		ok(t, err)
		inst = append(inst, o.Start)
	}
	if len(inst) != 4 || inst[2].Sub(inst[0]) != 7*24*time.Hour+time.Hour {
		t.Fatalf("instances = %v (the DST change adds an hour of absolute time)", inst)
	}
	var total int
	for _, err := range sch.View(ctx, from, to, &graph.ListOptions{Limit: 2}) {
		ok(t, err)
		total++
	}
	if total != 2 {
		t.Fatalf("limited view yielded %d", total)
	}

	// Stopping the series sends recurrence: null.
	ev.Recurrence = nil
	ok(t, ev.Save(ctx))
	if got, err := sch.Event(ctx, ev.ID); err != nil || got.Recurrence != nil || got.Type != calendar.SingleInstance {
		t.Fatalf("after clearing the recurrence: %v %+v", err, got)
	}

	// Counted and open-ended recurrences round-trip.
	for _, r := range []*calendar.Recurrence{
		calendar.Daily(2).Count(3),
		calendar.Monthly(1, 15).NoEnd(),
		calendar.MonthlyOn(1, calendar.Last, time.Friday).Count(2),
		calendar.Yearly(1, time.March, 15).Count(2),
		calendar.YearlyOn(1, time.September, calendar.First, time.Monday).Count(2),
	} {
		e := cal.NewEvent()
		e.Subject = string(r.Pattern.Type)
		e.Start = time.Date(2026, 1, 5, 8, 0, 0, 0, berlin)
		e.End = e.Start.Add(time.Hour)
		e.Recurrence = r
		ok(t, e.Save(ctx))
		got, err := sch.Event(ctx, e.ID)
		ok(t, err)
		if got.Recurrence == nil || got.Recurrence.Pattern.Type != r.Pattern.Type || got.Recurrence.Range.Type != r.Range.Type {
			t.Fatalf("%s: read back %+v", r.Pattern.Type, got.Recurrence)
		}
	}
}

func TestInvitationFlow(t *testing.T) {
	ctx := context.Background()
	// App-only, so that one account works in both mailboxes.
	rec := new(o365test.Recorder)
	acct, srv := o365test.Start(t, o365test.AppOnly(), o365test.Record(rec))
	bob := addUser(srv, "bob")
	org := acct.Schedule()
	ev := org.NewEvent()
	ev.Subject = "Planning"
	ev.Start = time.Date(2026, 4, 1, 14, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	ok(t, ev.Attendees.Add(bob))
	ok(t, ev.Save(ctx))

	// The invitee's copy of the meeting.
	inv := acct.Schedule(graph.User(bob))
	var copyEv *calendar.Event
	q := odata.New().Filter(odata.Attr("subject").Eq("Planning"))
	for e, err := range inv.Events(ctx, &graph.ListOptions{Query: q}) {
		skipMissing(t, err, "invitee calendars")
		copyEv = e
	}
	if copyEv == nil {
		t.Skip("emulator: invitations not delivered to attendees")
	}
	// The invitation message leads to the event.
	if _, err := calendar.EventOf(ctx, &mail.Message{}); err == nil {
		t.Fatal("EventOf an unbound message")
	}
	found := false
	for m, err := range acct.Mailbox(graph.User(bob)).Inbox().Messages(ctx, nil) {
		ok(t, err)
		if !m.IsEventMessage() {
			continue
		}
		e, err := calendar.EventOf(ctx, m)
		skipMissing(t, err, "$expand=microsoft.graph.eventMessage/event")
		if e.ID != copyEv.ID || e.Subject != "Planning" {
			t.Fatalf("event of the meeting request: %s %q, want %s", e.ID, e.Subject, copyEv.ID)
		}
		found = true
		break
	}
	if !found {
		t.Fatal("no meeting request in the invitee's inbox")
	}
	rec.Take()
	ok(t, copyEv.Accept(ctx, "See you there"))
	acc := rec.Take().Only("POST", "/accept")
	if len(acc) != 1 || acc[0].Body["comment"] != "See you there" || acc[0].Body["sendResponse"] != true {
		t.Fatalf("accept sent %+v", acc)
	}
	ok(t, ev.Refresh(ctx))
	a, found := ev.Attendees.Get(bob)
	if !found || a.Status == nil || a.Status.Response != calendar.ResponseAccepted {
		t.Fatalf("organizer sees %+v", a)
	}
	ok(t, copyEv.TentativelyAccept(ctx, "maybe", &calendar.TimeSlot{
		Start: graph.NewDateTimeTimeZone(ev.Start.Add(time.Hour)), End: graph.NewDateTimeTimeZone(ev.End.Add(time.Hour)),
	}))
	if ta := rec.Take().Only("POST", "/tentativelyAccept"); len(ta) != 1 || ta[0].Body["proposedNewTime"] == nil {
		t.Fatalf("tentativelyAccept sent %+v", ta)
	}
	ok(t, copyEv.Decline(ctx, "", calendar.NoResponse()))
	dec := rec.Take().Only("POST", "/decline")
	if len(dec) != 1 || dec[0].Body["sendResponse"] != false {
		t.Fatalf("decline sent %+v", dec)
	}
	ok(t, ev.Forward(ctx, "FYI", "Carol <carol@contoso.com>"))
	if err := ev.Forward(ctx, ""); err == nil {
		t.Fatal("forward without recipients")
	}
	ok(t, ev.SnoozeReminder(ctx, ev.Start.Add(-5*time.Minute)))
	ok(t, ev.DismissReminder(ctx))
	ok(t, ev.Cancel(ctx, "Postponed"))
	if err := ev.Cancel(ctx, "again"); err == nil {
		t.Log("cancel of a cancelled meeting accepted")
	}

}

func TestAvailabilityAndFindMeetingTimes(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t, o365test.AppOnly())
	bob := addUser(srv, "bob")
	sch := acct.Schedule()
	day := time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
	ev := acct.Schedule(graph.User(bob)).NewEvent()
	ev.Subject = "Busy"
	ev.Start, ev.End = day.Add(9*time.Hour), day.Add(10*time.Hour)
	ev.ShowAs = calendar.OutOfOffice
	ok(t, ev.Save(ctx))

	info, err := sch.Availability(ctx, []string{bob}, day.Add(8*time.Hour), day.Add(11*time.Hour), time.Hour)
	skipMissing(t, err, "getSchedule")
	if len(info) != 1 || info[0].ScheduleID != bob {
		t.Fatalf("availability = %+v", info)
	}
	if got := info[0].Slots(); !slices.Equal(got, []calendar.FreeBusyStatus{calendar.Free, calendar.OutOfOffice, calendar.Free}) {
		t.Fatalf("slots = %v (view %q)", got, info[0].AvailabilityView)
	}
	if len(info[0].ScheduleItems) != 1 {
		t.Fatalf("items = %+v", info[0].ScheduleItems)
	}
	s, e, err := info[0].ScheduleItems[0].Times()
	ok(t, err)
	if !s.Equal(ev.Start) || !e.Equal(ev.End) {
		t.Fatalf("item %v-%v", s, e)
	}
	if _, err := sch.Availability(ctx, nil, day, day.Add(time.Hour), 0); err == nil {
		t.Fatal("availability without schedules")
	}
	if _, err := sch.Availability(ctx, []string{bob}, day, day, 0); err == nil {
		t.Fatal("availability of an empty span")
	}
	if _, err := sch.Availability(ctx, []string{bob}, day, day.Add(time.Hour), time.Minute); err == nil {
		t.Fatal("availability with a 1 minute interval")
	}

	res, err := sch.FindMeetingTimes(ctx, calendar.MeetingTimesRequest{
		Attendees:      []calendar.AttendeeBase{{EmailAddress: graph.EmailAddress{Address: bob}, Type: calendar.Required}},
		TimeConstraint: &calendar.TimeConstraint{ActivityDomain: "unrestricted", TimeSlots: []calendar.TimeSlot{calendar.NewTimeSlot(day.Add(9*time.Hour), day.Add(12*time.Hour))}},
		Duration:       time.Hour,
		MaxCandidates:  5,
	})
	skipMissing(t, err, "findMeetingTimes")
	if len(res.MeetingTimeSuggestions) == 0 {
		t.Fatalf("no suggestions: %q", res.EmptySuggestionsReason)
	}
	for _, sg := range res.MeetingTimeSuggestions {
		st, err := sg.MeetingTimeSlot.Start.Time()
		ok(t, err)
		if st.Before(ev.End) && st.Add(time.Hour).After(ev.Start) {
			t.Fatalf("suggested %v overlaps bob's busy time", st)
		}
	}
}

func TestAttachments(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	ev := acct.Schedule().NewEvent()
	ev.Subject = "With files"
	ev.Start = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	if _, err := ev.Attach(ctx, "a.txt", "", []byte("x")); err == nil {
		t.Fatal("attach to an unsaved event")
	}
	ok(t, ev.Save(ctx))
	a, err := ev.Attach(ctx, "notes.txt", "", []byte("hello"))
	skipMissing(t, err, "event attachments")
	if a.ID == "" || a.Name != "notes.txt" {
		t.Fatalf("attached %+v", a)
	}
	var names []string
	for x, err := range ev.ListAttachments(ctx, nil) {
		ok(t, err)
		names = append(names, x.Name)
	}
	if !slices.Equal(names, []string{"notes.txt"}) {
		t.Fatalf("attachments = %v", names)
	}
	full, err := ev.Attachment(ctx, a.ID)
	ok(t, err)
	if string(full.ContentBytes) != "hello" || full.ContentType != "text/plain; charset=utf-8" && full.ContentType != "text/plain" {
		t.Fatalf("content %q type %q", full.ContentBytes, full.ContentType)
	}
	ok(t, full.Delete(ctx))
	for range ev.ListAttachments(ctx, nil) {
		t.Fatal("attachment left after delete")
	}

	big := make([]byte, calendar.SmallAttachmentLimit+10)
	for i := range big {
		big[i] = byte(i * 7 >> 3)
	}
	la, err := ev.Attach(ctx, "big.bin", "", big)
	ok(t, err)
	if la.ID == "" {
		t.Fatal("no id for the large attachment")
	}
	got, err := ev.Attachment(ctx, la.ID)
	ok(t, err)
	if got.Name != "big.bin" || got.Size != int64(len(big)) || !bytes.Equal(got.ContentBytes, big) {
		t.Fatalf("large attachment: name %q size %d, %d bytes back", got.Name, got.Size, len(got.ContentBytes))
	}
}

// TestLargeAttachmentResumes attaches 10 MB to an event while the emulator
// drops the connection of one upload chunk: the upload resumes from the
// session's next expected range and the bytes arrive intact.
func TestLargeAttachmentResumes(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t)
	ev := acct.Schedule().NewEvent()
	ev.Subject = "Big file"
	ev.Start = time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	ok(t, ev.Save(ctx))
	data := make([]byte, 10<<20)
	for i := range data {
		data[i] = byte(i * 13 >> 2)
	}
	rule, err := srv.Faults().Add(emulator.Fault{Method: "PUT", Path: "/api/v2.0/", Kind: emulator.FaultDrop, Nth: 2, Count: 1})
	ok(t, err)
	a, err := ev.Attach(ctx, "big.bin", "", data)
	ok(t, err)
	if rule.Fired() != 1 {
		t.Errorf("fault fired %d times", rule.Fired())
	}
	got, err := ev.Attachment(ctx, a.ID)
	ok(t, err)
	if !bytes.Equal(got.ContentBytes, data) {
		t.Fatalf("uploaded bytes differ (%d bytes back)", len(got.ContentBytes))
	}
}

func TestVerbsOnDeletedEvent(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	sch := acct.Schedule()
	ev := sch.NewEvent()
	ev.Subject = "Gone"
	ev.Start = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	ok(t, ev.Save(ctx))
	stale := *ev
	ok(t, ev.Delete(ctx))
	from, to := ev.Start.Add(-time.Hour), ev.End.Add(time.Hour)
	calls := map[string]func() error{
		"Accept":            func() error { return stale.Accept(ctx, "") },
		"TentativelyAccept": func() error { return stale.TentativelyAccept(ctx, "", nil) },
		"Decline":           func() error { return stale.Decline(ctx, "") },
		"Cancel":            func() error { return stale.Cancel(ctx, "") },
		"Forward":           func() error { return stale.Forward(ctx, "", "x@contoso.com") },
		"SnoozeReminder":    func() error { return stale.SnoozeReminder(ctx, from) },
		"DismissReminder":   func() error { return stale.DismissReminder(ctx) },
		"Refresh":           func() error { return stale.Refresh(ctx) },
		"Save": func() error {
			stale.Subject = "changed"
			return stale.Save(ctx)
		},
		"Attach": func() error { _, err := stale.Attach(ctx, "a.txt", "", []byte("a")); return err },
		"Instances": func() error {
			for _, err := range stale.Instances(ctx, from, to, nil) {
				return err
			}
			return nil
		},
		"ListAttachments": func() error {
			for _, err := range stale.ListAttachments(ctx, nil) {
				return err
			}
			return nil
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("%s on a deleted event: %v, want graph.ErrNotFound", name, err)
		}
	}
	if _, err := sch.Calendar("AAMkNoSuchCalendar").Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing calendar: %v", err)
	}
	for _, err := range sch.Calendar("AAMkNoSuchCalendar").View(ctx, from, to, nil) {
		if !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("view of a missing calendar: %v", err)
		}
	}
	var unbound calendar.Calendar
	for _, err := range unbound.Events(ctx, nil) {
		if err == nil {
			t.Error("events of an unbound calendar")
		}
	}
}
