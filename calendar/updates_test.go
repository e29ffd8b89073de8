package calendar_test

import (
	"context"
	"testing"
	"time"

	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

// TestMeetingTimeChangeUpdatesAttendee: the organizer moves a meeting the
// attendee accepted; the attendee gets an updated meeting request and
// their copy is back to notResponded at the new time.
func TestMeetingTimeChangeUpdatesAttendee(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t, o365test.AppOnly())
	bob := addUser(srv, "bob")
	ev := acct.Schedule().NewEvent()
	ev.Subject = "Roadmap"
	ev.Start = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	ev.End = ev.Start.Add(time.Hour)
	ok(t, ev.Attendees.Add(bob))
	ok(t, ev.Save(ctx))

	inv := acct.Schedule(graph.User(bob))
	copyOf := func() *calendar.Event {
		t.Helper()
		var c *calendar.Event
		for e, err := range inv.Events(ctx, &graph.ListOptions{Query: odata.New().Filter(odata.Attr("subject").Eq("Roadmap"))}) {
			ok(t, err)
			c = e
		}
		if c == nil {
			t.Fatal("no attendee copy")
		}
		return c
	}
	ok(t, copyOf().Accept(ctx, ""))
	requests := func() int {
		t.Helper()
		n := 0
		for m, err := range acct.Mailbox(graph.User(bob)).Inbox().Messages(ctx, nil) {
			ok(t, err)
			if m.MeetingMessageType == mail.MeetingRequest && m.Subject == "Roadmap" {
				n++
			}
		}
		return n
	}
	if n := requests(); n != 1 {
		t.Fatalf("%d meeting requests before the change", n)
	}

	ev.Start = ev.Start.Add(2 * time.Hour)
	ev.End = ev.End.Add(2 * time.Hour)
	ok(t, ev.Save(ctx))
	if n := requests(); n != 2 {
		t.Fatalf("%d meeting requests after the change, want 2", n)
	}
	c := copyOf()
	if c.ResponseStatus == nil || c.ResponseStatus.Response != calendar.ResponseNotResponded {
		t.Fatalf("copy response after the change: %+v", c.ResponseStatus)
	}
	if !c.Start.Equal(ev.Start) {
		t.Fatalf("copy starts %v, want %v", c.Start, ev.Start)
	}
}
