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
)

// TestTeamsThrottled: the emulator applies Teams' per-app limits (here two sends and
// three reads per second) with 429 and Retry-After; the core waits and the calls succeed,
// never retrying early. The clock is fake, so nothing sleeps.
func TestTeamsThrottled(t *testing.T) {
	clk := emulator.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	sleep := func(ctx context.Context, d time.Duration) error { clk.Advance(d); return ctx.Err() }
	acct, srv, ctx := start(t,
		o365test.WithEmulatorOptions(func(o *emulator.Options) {
			o.Now = clk.Now
			o.TeamsThrottling = emulator.TeamsThrottling{Enabled: true, ChannelMessageSends: 2, ChannelMessageReads: 3, PerChannel: 4}
		}),
		o365test.WithAccountOptions(o365.WithClientOptions(graph.WithClock(clk.Now, sleep))))
	team, err := acct.Teams().TeamByName(ctx, "All Company")
	ok(t, err)
	general, err := team.ChannelByName(ctx, "General")
	ok(t, err)
	srv.ResetLog()
	for range 6 {
		_, err := general.SendText(ctx, "hello")
		ok(t, err)
	}
	n := 0
	for _, err := range general.Messages(ctx, &graph.ListOptions{PageSize: 2, NoPrefetch: true}) {
		ok(t, err)
		n++
	}
	throttled := 0
	for _, r := range srv.Requests() {
		if r.Status == 429 {
			throttled++
		}
	}
	if n != 8 || throttled == 0 {
		t.Fatalf("read %d messages through %d throttled answers", n, throttled)
	}
	if early := srv.EarlyRetries(); len(early) != 0 {
		t.Fatalf("retried before Retry-After: %v", early)
	}
	// Beyond the retry budget the error is graph.ErrThrottled.
	srv.SetTeamsThrottling(emulator.TeamsThrottling{Enabled: true, ChannelMessageSends: 1, Window: time.Hour})
	acct2, _ := o365test.Start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }), o365test.WithScopes(scopes...),
		o365test.BeforeSignIn(func(s *emulator.Server) {
			s.SetTeamsThrottling(emulator.TeamsThrottling{Enabled: true, ChannelMessageSends: 1, Window: time.Hour})
		}),
		o365test.WithAccountOptions(o365.WithClientOptions(graph.WithRetry(graph.RetryPolicy{MaxWait: time.Minute}))))
	team2, err := acct2.Teams().TeamByName(ctx, "All Company")
	ok(t, err)
	ch2, err := team2.ChannelByName(ctx, "General")
	ok(t, err)
	_, err = ch2.SendText(ctx, "one")
	ok(t, err)
	if _, err := ch2.SendText(ctx, "two"); !errors.Is(err, graph.ErrThrottled) {
		t.Fatalf("over the budget: %v", err)
	}
}
