package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// demoCalendar is the demo's calendar part: Adele invites Megan to a meeting, Megan
// accepts, and Adele sees the answer.
func demoCalendar(ctx context.Context, t *tour, srv *emulator.Server, acct *o365.Account, clock *skewClock) error {
	const subject = "December store walk-through"
	t.title("Schedule a meeting; the invitee accepts")
	t.code(`err := acct.Authenticate(ctx, "basic", "calendar_all", "mailbox_settings") // more scopes when they are needed
ev := acct.Schedule().NewEvent()
ev.Subject = "December store walk-through"
ev.Start = time.Date(y, m, d, 10, 0, 0, 0, time.Local) // naive: 10:00 in the mailbox's time zone
ev.End = ev.Start.Add(time.Hour)
ev.IsOnlineMeeting, ev.OnlineMeetingProvider = true, calendar.ProviderTeamsForBusiness
err = ev.Attendees.Add("Megan Bowen <MeganB@contoso.onmicrosoft.com>")
err = ev.Save(ctx) // POST /me/events: the invitation goes out

// Megan, signed in with "calendar_all":
for inv, err := range megan.Schedule().Events(ctx, &graph.ListOptions{Query: q}) {
	err = inv.Accept(ctx, "Looking forward to it") // POST /me/events/{id}/accept
}
err = ev.Refresh(ctx) // Adele sees the answer in ev.Attendees`)
	if err := acct.Authenticate(ctx, "basic", "calendar_all", "mailbox_settings"); err != nil {
		return fmt.Errorf("demo: calendar sign-in: %w", err)
	}
	day := time.Now().AddDate(0, 0, 7)
	ev := acct.Schedule().NewEvent()
	ev.Subject = subject
	ev.Start = time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, time.Local)
	ev.End = ev.Start.Add(time.Hour)
	ev.IsOnlineMeeting, ev.OnlineMeetingProvider = true, calendar.ProviderTeamsForBusiness
	if err := ev.Attendees.Add("Megan Bowen <" + demoRecipient + ">"); err != nil {
		return err
	}
	if err := ev.Save(ctx); err != nil {
		return fmt.Errorf("demo: create meeting: %w", err)
	}
	loc, err := acct.Schedule().TimeZone(ctx)
	if err != nil {
		return err
	}
	t.say("-> %q on %s (%s), invitation sent to %s", ev.Subject, ev.Start.In(loc).Format("Mon 2 Jan 15:04"), loc, demoRecipient)
	if u := ev.JoinURL(); u != "" {
		t.say("-> Teams link %s", u)
	}

	prompt := func(_ context.Context, dc auth.DeviceCode) error {
		t.say("(device code %s, approved by the emulator for %s)", dc.UserCode, demoRecipient)
		return srv.ApproveDeviceCode(dc.UserCode, demoRecipient)
	}
	megan, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithAuthFlow(o365.DeviceFlow),
		o365.WithDeviceCodePrompt(prompt),
		o365.WithTokenStore(auth.NewMemoryStore()),
		o365.WithClock(time.Now, clock.FastForward),
	)
	if err != nil {
		return err
	}
	if err := megan.Authenticate(ctx, "basic", "calendar_all"); err != nil {
		return fmt.Errorf("demo: sign-in as %s: %w", demoRecipient, err)
	}
	q := odata.New().Filter(odata.Attr("subject").Eq(subject))
	accepted := false
	for inv, err := range megan.Schedule().Events(ctx, &graph.ListOptions{Limit: 1, Query: q}) {
		if err != nil {
			return err
		}
		t.say("-> %s finds the invitation from %s", demoRecipient, inv.Organizer.Address())
		if err := inv.Accept(ctx, "Looking forward to it"); err != nil {
			return err
		}
		accepted = true
	}
	if !accepted {
		return fmt.Errorf("demo: the invitation did not reach %s", demoRecipient)
	}
	if err := ev.Refresh(ctx); err != nil {
		return err
	}
	for _, a := range ev.Attendees {
		resp := calendar.ResponseNone
		if a.Status != nil {
			resp = a.Status.Response
		}
		t.say("-> attendee %s: %s", a.Address(), resp)
	}
	return nil
}
