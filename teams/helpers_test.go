package teams_test

import (
	"context"
	"testing"

	o365 "github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
)

// scopes are the delegated scopes the tests sign in with.
var scopes = []string{
	"User.Read", "Team.ReadBasic.All", "Channel.ReadBasic.All", "Channel.Create", "ChannelMessage.Read.All",
	"ChannelMessage.Send", "TeamMember.Read.All", "Chat.ReadWrite", "Presence.Read.All", "Presence.ReadWrite",
	"TeamsAppInstallation.ReadForTeam", "TeamsAppInstallation.ReadForUser",
}

// start signs Adele in to a demo emulator.
func start(t *testing.T, opts ...o365test.Option) (*o365.Account, *emulator.Server, context.Context) {
	t.Helper()
	base := []o365test.Option{
		o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }),
		o365test.WithScopes(scopes...),
	}
	acct, srv := o365test.Start(t, append(base, opts...)...)
	return acct, srv, context.Background()
}

func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func collect[T any](t testing.TB, seq func(func(*T, error) bool)) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		ok(t, err)
		out = append(out, v)
	}
	return out
}
