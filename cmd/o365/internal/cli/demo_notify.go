package cli

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/subscriptions"
	"github.com/o365go/o365/teams"
)

// demoNotify is the demo's change-notification part: a webhook receiver on loopback, a
// subscription to a team channel's messages, a message posted there, and the
// notification arriving at the receiver.
func demoNotify(ctx context.Context, t *tour, srv *emulator.Server, acct *o365.Account, _ *skewClock) error {
	t.title("Change notifications: a webhook sees a Teams message arrive")
	t.code(`rcv := subscriptions.NewReceiver(subscriptions.ReceiverOptions{ClientState: secret})
go http.Serve(ln, rcv)                             // answers Graph's validation handshake
sub, err := acct.Subscriptions().Create(ctx, &subscriptions.Subscription{
	Resource:        "/teams/{id}/channels/{id}/messages",
	ChangeType:      subscriptions.Created,
	NotificationURL: hookURL,                      // https in production
	ClientState:     secret,
	ExpirationDateTime: time.Now().Add(50 * time.Minute), // channel messages: 60 min at most
})
msg, err := channel.SendText(ctx, "Launch is on Friday")
n := <-rcv.Notifications()                         // clientState checked, 202 answered at once`)
	if err := acct.Authenticate(ctx, "basic", "teams_all", "channel_messages"); err != nil {
		return fmt.Errorf("demo: teams sign-in: %w", err)
	}
	const secret = "demo-client-state"
	rcv := subscriptions.NewReceiver(subscriptions.ReceiverOptions{ClientState: secret})
	hook := httptest.NewServer(rcv)
	defer hook.Close()

	var ch *teams.Channel
	var team, teamID string
	for tt, err := range acct.Teams().JoinedTeams(ctx, nil) {
		if err != nil {
			return fmt.Errorf("demo: joined teams: %w", err)
		}
		if c, err := tt.ChannelByName(ctx, "General"); err == nil {
			ch, team, teamID = c, tt.DisplayName, tt.ID
			break
		}
	}
	if ch == nil {
		return fmt.Errorf("demo: no joined team with a General channel")
	}
	subs := acct.Subscriptions()
	sub, err := subs.Create(ctx, &subscriptions.Subscription{
		Resource:        "/teams/" + teamID + "/channels/" + ch.ID + "/messages",
		ChangeType:      subscriptions.Created,
		NotificationURL: hook.URL, ClientState: secret,
		ExpirationDateTime: srv.Now().Add(50 * time.Minute),
	})
	if err != nil {
		return fmt.Errorf("demo: subscribe: %w", err)
	}
	defer func() { _ = subs.Delete(context.WithoutCancel(ctx), sub.ID) }()
	t.say("-> receiver at %s validated; subscription %s on %s > %s", hook.URL, sub.ID, team, ch.DisplayName)
	msg, err := ch.SendText(ctx, "Launch is on Friday")
	if err != nil {
		return fmt.Errorf("demo: send: %w", err)
	}
	t.say("-> posted message %s", msg.ID)
	select {
	case n := <-rcv.Notifications():
		t.say("-> notification: %s %s (clientState checked)", n.ChangeType, n.Resource)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("demo: no change notification within 10 s")
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}
