package teams_test

import (
	"context"
	"errors"
	"testing"
	"time"

	o365 "github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/teams"
)

func TestPresenceRead(t *testing.T) {
	acct, srv, ctx := start(t)
	tm := acct.Teams()
	me, err := tm.Presence(ctx)
	ok(t, err)
	if me.Availability != teams.Available || me.ID != srv.DefaultUser().ID {
		t.Fatalf("my presence %+v", me)
	}
	// python-o365's get_user_presence took an email and ignored it: a UPN works here.
	megan, err := tm.UserPresence(ctx, "MeganB@contoso.onmicrosoft.com")
	ok(t, err)
	if megan.Availability != teams.Busy || megan.Activity != teams.ActivityInACall {
		t.Fatalf("Megan %+v", megan)
	}
	ids := []string{srv.DefaultUser().ID, megan.ID}
	for len(ids) < teams.MaxPresenceIDs+3 {
		ids = append(ids, megan.ID)
	}
	srv.ResetLog()
	all, err := tm.Presences(ctx, ids)
	ok(t, err)
	if len(all) != len(ids) || all[0].Availability != teams.Available || all[1].Availability != teams.Busy {
		t.Fatalf("bulk: %d", len(all))
	}
	if n := len(srv.Requests()); n != 2 {
		t.Fatalf("%d requests for %d ids, want 2", n, len(ids))
	}
	if _, err := tm.UserPresence(ctx, "ghost@contoso.onmicrosoft.com"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	if _, err := tm.Presences(ctx, []string{"ghost"}); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("unknown user in bulk: %v", err)
	}
	noScope, _ := o365test.Start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }), o365test.WithScopes("User.Read", "Presence.Read"))
	if _, err := noScope.Teams().UserPresence(ctx, "MeganB@contoso.onmicrosoft.com"); !errors.Is(err, graph.ErrForbidden) {
		t.Fatalf("others without Presence.Read.All: %v", err)
	}
	if _, err := noScope.Teams().Presence(ctx); err != nil {
		t.Fatalf("mine with Presence.Read: %v", err)
	}
}

// presenceAccount signs Adele in to an emulator on a fake clock.
func presenceAccount(t *testing.T) (*o365.Account, *emulator.Clock, context.Context) {
	clk := emulator.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	acct, _, ctx := start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Now = clk.Now }))
	return acct, clk, ctx
}

// TestPresenceExpiry: python-o365 sent the expiration as "expirationDutaion", so Graph
// applied its 5-minute default. Here a one-hour session is still there after 30 minutes
// and gone after the hour, on the server's clock.
func TestPresenceExpiry(t *testing.T) {
	acct, clk, ctx := presenceAccount(t)
	tm := acct.Teams()
	const session = "7c6b5a49-3827-4165-a0f9-e8d7c6b5a493"
	ok(t, tm.SetPresence(ctx, session, teams.DoNotDisturb, teams.ActivityPresenting, time.Hour))
	state := func() teams.Availability {
		p, err := tm.Presence(ctx)
		ok(t, err)
		return p.Availability
	}
	if got := state(); got != teams.DoNotDisturb {
		t.Fatalf("after set: %s", got)
	}
	clk.Advance(30 * time.Minute)
	if got := state(); got != teams.DoNotDisturb {
		t.Fatalf("after 30 minutes: %s (the expiration was not applied)", got)
	}
	clk.Advance(31 * time.Minute)
	if got := state(); got != teams.Available {
		t.Fatalf("after the hour: %s", got)
	}
	// The default is five minutes.
	ok(t, tm.SetPresence(ctx, session, teams.Busy, teams.ActivityInACall, 0))
	clk.Advance(4 * time.Minute)
	if got := state(); got != teams.Busy {
		t.Fatalf("within the default: %s", got)
	}
	clk.Advance(2 * time.Minute)
	if got := state(); got != teams.Available {
		t.Fatalf("after the default: %s", got)
	}
	errs := []struct {
		name string
		err  error
		want error
	}{
		{"too short", tm.SetPresence(ctx, session, teams.Busy, teams.ActivityInACall, time.Minute), graph.ErrBadRequest},
		{"too long", tm.SetPresence(ctx, session, teams.Busy, teams.ActivityInACall, 5*time.Hour), graph.ErrBadRequest},
		{"negative", tm.SetPresence(ctx, session, teams.Busy, teams.ActivityInACall, -time.Minute), teams.ErrBadExpiration},
		{"bad pair", tm.SetPresence(ctx, session, teams.Busy, teams.ActivityOffWork, 0), graph.ErrBadRequest},
		{"someone else's", acct.Teams(graph.User("MeganB@contoso.onmicrosoft.com")).SetPresence(ctx, session, teams.Busy, teams.ActivityInACall, 0), graph.ErrForbidden},
		{"preferred negative", tm.SetPreferredPresence(ctx, teams.Busy, teams.ActivityBusy, -1), teams.ErrBadExpiration},
		{"preferred bad pair", tm.SetPreferredPresence(ctx, teams.Busy, teams.ActivityInACall, 0), graph.ErrBadRequest},
	}
	for _, c := range errs {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
}

func TestPresencePreferredAndClear(t *testing.T) {
	acct, clk, ctx := presenceAccount(t)
	tm := acct.Teams()
	state := func() (teams.Availability, teams.Activity) {
		p, err := tm.Presence(ctx)
		ok(t, err)
		return p.Availability, p.Activity
	}
	ok(t, tm.SetPresence(ctx, "app-session", teams.Away, teams.ActivityAway, 2*time.Hour))
	if av, _ := state(); av != teams.Available {
		t.Fatalf("Available outranks Away: %s", av)
	}
	ok(t, tm.SetPreferredPresence(ctx, teams.Offline, teams.ActivityOffWork, 8*time.Hour))
	if av, ac := state(); av != teams.Offline || ac != teams.ActivityOffWork {
		t.Fatalf("preferred: %s/%s", av, ac)
	}
	clk.Advance(9 * time.Hour)
	if av, _ := state(); av != teams.Available {
		t.Fatalf("preferred expired: %s", av)
	}
	ok(t, tm.SetPreferredPresence(ctx, teams.DoNotDisturb, teams.ActivityDoNotDisturb, 0))
	clk.Advance(23 * time.Hour)
	if av, _ := state(); av != teams.DoNotDisturb {
		t.Fatalf("DoNotDisturb lasts a day by default: %s", av)
	}
	ok(t, tm.ClearPreferredPresence(ctx))
	if av, _ := state(); av != teams.Available {
		t.Fatalf("cleared preferred: %s", av)
	}
	ok(t, tm.SetPresence(ctx, "app-session", teams.DoNotDisturb, teams.ActivityPresenting, time.Hour))
	ok(t, tm.ClearPresence(ctx, "app-session"))
	if av, _ := state(); av != teams.Available {
		t.Fatalf("cleared session: %s", av)
	}
}

func TestPresenceISODuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "PT0S", time.Second: "PT1S", 1500 * time.Millisecond: "PT2S", 5 * time.Minute: "PT5M",
		time.Hour: "PT1H", 90 * time.Minute: "PT1H30M", 26*time.Hour + 61*time.Second: "PT26H1M1S",
	} {
		if got := teams.ISODuration(d); got != want {
			t.Errorf("%v: %s, want %s", d, got, want)
		}
	}
}
