package teams_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/teams"
)

func TestTeamsJoinedChannelsSend(t *testing.T) {
	acct, srv, ctx := start(t)
	tm := acct.Teams()
	var names []string
	for team, err := range tm.JoinedTeams(ctx, nil) {
		ok(t, err)
		names = append(names, team.DisplayName)
	}
	if diff := cmp.Diff([]string{"All Company", "Retail"}, names); diff != "" {
		t.Fatalf("joined teams (-want +got):\n%s", diff)
	}
	team, err := tm.TeamByName(ctx, "all company")
	ok(t, err)
	got, err := tm.GetTeam(ctx, team.ID)
	ok(t, err)
	if got.DisplayName != "All Company" || got.MessagingSettings == nil || !got.MessagingSettings.AllowChannelMentions {
		t.Fatalf("GetTeam: %+v", got)
	}
	chans := collect(t, team.Channels(ctx, nil))
	if len(chans) != 2 || chans[0].DisplayName != "General" {
		t.Fatalf("channels %v", chans)
	}
	general, err := team.ChannelByName(ctx, "GENERAL")
	ok(t, err)
	primary, err := team.PrimaryChannel(ctx)
	ok(t, err)
	byID, err := team.GetChannel(ctx, general.ID)
	ok(t, err)
	if primary.ID != general.ID || byID.DisplayName != "General" {
		t.Fatalf("primary %s, by id %s, by name %s", primary.ID, byID.ID, general.ID)
	}
	if got := general.MessagesResource(); got != "/teams/"+team.ID+"/channels/"+general.ID+"/messages" {
		t.Errorf("MessagesResource %s", got)
	}
	if got := teams.PresenceResource("abc"); got != "/communications/presences/abc" {
		t.Errorf("PresenceResource %s", got)
	}
	if got := tm.Chat("19:x@thread.v2").MessagesResource(); got != "/chats/19:x@thread.v2/messages" {
		t.Errorf("chat MessagesResource %s", got)
	}
	msg, err := general.SendText(ctx, "Hello from Go")
	ok(t, err)
	if msg.Body.Content != "Hello from Go" || msg.Sender() != "Adele Vance" || msg.ChannelIdentity.ChannelID != general.ID {
		t.Fatalf("sent %+v", msg)
	}
	again, err := general.Message(ctx, msg.ID)
	ok(t, err)
	ok(t, again.Refresh(ctx))
	if again.ID != msg.ID {
		t.Fatalf("read back %s", again.ID)
	}
	srv.ResetLog()
	_, err = team.ChannelByName(ctx, "Nope")
	if !errors.Is(err, teams.ErrNotFound) || !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing channel: %v", err)
	}
	_, err = tm.TeamByName(ctx, "Marketing")
	if !errors.Is(err, teams.ErrNotFound) {
		t.Fatalf("missing team: %v", err)
	}
}

func TestTeamsCreateChannel(t *testing.T) {
	acct, _, ctx := start(t)
	team, err := acct.Teams().TeamByName(ctx, "Retail")
	ok(t, err)
	ch, err := team.CreateChannel(ctx, "Promotions", "Weekly offers")
	ok(t, err)
	if ch.DisplayName != "Promotions" || ch.MembershipType != teams.Standard || ch.Description != "Weekly offers" {
		t.Fatalf("created %+v", ch)
	}
	if _, err := ch.SendText(ctx, "first"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, channel string
		want          error
	}{
		{"taken", "promotions", graph.ErrConflict},
		{"bad characters", "a/b", graph.ErrBadRequest},
		{"empty", "", teams.ErrEmptyID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := team.CreateChannel(ctx, tc.channel, ""); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestTeamsEveryPage: python-o365 read only the first page of channel messages, replies
// and chats; every listing here follows nextLink.
func TestTeamsEveryPage(t *testing.T) {
	acct, srv, ctx := start(t)
	team, err := acct.Teams().TeamByName(ctx, "All Company")
	ok(t, err)
	ch, err := team.CreateChannel(ctx, "Busy", "")
	ok(t, err)
	var root *teams.Message
	for i := range 45 {
		m, err := ch.SendText(ctx, fmt.Sprintf("message %d", i))
		ok(t, err)
		root = m
	}
	for i := range 23 {
		_, err := root.Reply(ctx, teams.Text(fmt.Sprintf("reply %d", i)))
		ok(t, err)
	}
	srv.ResetLog()
	msgs := collect(t, ch.Messages(ctx, nil))
	replies := collect(t, root.ListReplies(ctx, nil))
	if len(msgs) != 45 || len(replies) != 23 {
		t.Fatalf("%d messages, %d replies", len(msgs), len(replies))
	}
	if pages := len(srv.Requests()); pages != 3+2 {
		t.Errorf("%d requests, want 5 pages", pages)
	}
	if msgs[0].PlainText() != "message 44" || replies[0].ReplyToID != root.ID {
		t.Errorf("newest first: %q, reply to %s", msgs[0].PlainText(), replies[0].ReplyToID)
	}
	one, err := root.GetReply(ctx, replies[0].ID)
	ok(t, err)
	ok(t, one.Refresh(ctx))
	limited := collect(t, ch.Messages(ctx, &graph.ListOptions{Limit: 7, PageSize: 5}))
	if len(limited) != 7 {
		t.Errorf("limit 7: %d", len(limited))
	}
	if _, err := collectErr(ch.Messages(ctx, &graph.ListOptions{PageSize: 51})); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("page size 51: %v", err)
	}
	chans := collect(t, team.Channels(ctx, &graph.ListOptions{PageSize: 1}))
	if len(chans) != 3 {
		t.Errorf("channels page by page: %d", len(chans))
	}
}

func collectErr[T any](seq func(func(*T, error) bool)) ([]*T, error) {
	var out []*T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

func TestTeamsMentions(t *testing.T) {
	acct, _, ctx := start(t)
	team, err := acct.Teams().TeamByName(ctx, "All Company")
	ok(t, err)
	megan := memberNamed(t, team, "Megan Bowen")
	general, err := team.ChannelByName(ctx, "General")
	ok(t, err)
	nm := teams.Compose().Text("Hi ").Mention(megan.UserID, "Megan Bowen").Text(" & ").MentionChannel(general).Text(", see <this>").
		Subject("Launch").Importance(teams.High).Message()
	wantHTML := `Hi <at id="0">Megan Bowen</at> &amp; <at id="1">General</at>, see &lt;this&gt;`
	if nm.Body.Content != wantHTML || nm.Body.ContentType != graph.BodyHTML {
		t.Fatalf("composed %q", nm.Body.Content)
	}
	m, err := general.Send(ctx, nm)
	ok(t, err)
	if len(m.Mentions) != 2 || m.Mentions[0].Mentioned.User.ID != megan.UserID || m.Importance != teams.High || m.Subject != "Launch" {
		t.Fatalf("sent %+v", m)
	}
	if m.PlainText() != "Hi Megan Bowen & General, see <this>" {
		t.Errorf("plain text %q", m.PlainText())
	}
	bad := []struct {
		name string
		nm   *teams.NewMessage
		want error
	}{
		{"nil", nil, teams.ErrEmptyMessage},
		{"empty", teams.Text("  "), teams.ErrEmptyMessage},
		{"tag without mention", teams.HTML(`<at id="0">x</at>`), teams.ErrMentions},
		{"mention without tag", &teams.NewMessage{Body: graph.HTML("x"), Mentions: []teams.Mention{{ID: 0}}}, teams.ErrMentions},
		{"mention in text", &teams.NewMessage{Body: graph.Text(`<at id="0">x</at>`), Mentions: []teams.Mention{{ID: 0}}}, teams.ErrMentions},
		{"unknown user", teams.Compose().Mention("00000000-0000-4000-8000-000000000000", "Ghost").Message(), graph.ErrBadRequest},
		{"urgent in a channel", &teams.NewMessage{Body: graph.Text("x"), Importance: teams.Urgent}, graph.ErrBadRequest},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := general.Send(ctx, tc.nm); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTeamsApps(t *testing.T) {
	acct, _, ctx := start(t)
	team, err := acct.Teams().TeamByName(ctx, "All Company")
	ok(t, err)
	var names []string
	for a, err := range team.InstalledApps(ctx, nil) {
		ok(t, err)
		names = append(names, a.TeamsAppDefinition.DisplayName)
	}
	var mine []string
	for a, err := range acct.Teams().InstalledApps(ctx, &graph.ListOptions{PageSize: 1}) {
		ok(t, err)
		mine = append(mine, a.TeamsAppDefinition.DisplayName)
	}
	if !slices.Equal(names, []string{"OneNote", "Tasks by Planner and To Do"}) || !slices.Equal(mine, names) {
		t.Fatalf("team apps %v, mine %v", names, mine)
	}
	members := collect(t, team.Members(ctx, nil))
	if len(members) < 5 {
		t.Fatalf("%d members", len(members))
	}
}

func TestTeamsUnboundAndEmpty(t *testing.T) {
	ctx := t.Context()
	var zero teams.Teams
	var tm teams.Team
	var ch teams.Channel
	var chat teams.Chat
	var m teams.Message
	checks := []struct {
		name string
		err  error
		want error
	}{
		{"team get", tm.Get(ctx), teams.ErrUnbound},
		{"channels", first(tm.Channels(ctx, nil)), teams.ErrUnbound},
		{"messages", first(ch.Messages(ctx, nil)), teams.ErrUnbound},
		{"send", second(ch.SendText(ctx, "x")), teams.ErrUnbound},
		{"chat messages", first(chat.Messages(ctx, nil)), teams.ErrUnbound},
		{"chat send", second(chat.SendText(ctx, "x")), teams.ErrUnbound},
		{"replies", first(m.ListReplies(ctx, nil)), teams.ErrUnbound},
		{"reply", second(m.Reply(ctx, teams.Text("x"))), teams.ErrUnbound},
		{"refresh", m.Refresh(ctx), teams.ErrUnbound},
		{"joined", first(zero.JoinedTeams(ctx, nil)), teams.ErrUnbound},
		{"presence", second(zero.Presence(ctx)), teams.ErrUnbound},
		{"set presence", zero.SetPresence(ctx, "s", teams.Available, teams.ActivityAvailable, 0), teams.ErrUnbound},
		{"chats", first(zero.Chats(ctx, nil)), teams.ErrUnbound},
		{"one on one", second(zero.CreateOneOnOneChat(ctx, "x")), teams.ErrUnbound},
	}
	for _, c := range checks {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
	acct, _, ctx := start(t)
	h := acct.Teams()
	empties := []struct {
		name string
		err  error
	}{
		{"team", h.Team("").Get(ctx)},
		{"channel", second(h.Team("x").GetChannel(ctx, ""))},
		{"message", second(h.Team("x").Channel("y").Message(ctx, ""))},
		{"team by name", second(h.TeamByName(ctx, ""))},
		{"channel by name", second(h.Team("x").ChannelByName(ctx, ""))},
		{"chat", second(h.GetChat(ctx, ""))},
		{"one on one", second(h.CreateOneOnOneChat(ctx, ""))},
		{"user presence", second(h.UserPresence(ctx, ""))},
		{"presences", second(h.Presences(ctx, []string{""}))},
		{"set presence", h.SetPresence(ctx, "", teams.Available, teams.ActivityAvailable, 0)},
		{"clear presence", h.ClearPresence(ctx, "")},
	}
	for _, c := range empties {
		if !errors.Is(c.err, teams.ErrEmptyID) {
			t.Errorf("%s: %v", c.name, c.err)
		}
	}
	if _, err := h.GetTeam(ctx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown team: %v", err)
	}
	if _, err := h.Team("00000000-0000-4000-8000-000000000000").Channel("19:x@thread.tacv2").SendText(ctx, "x"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown team send: %v", err)
	}
}

func first[T any](seq func(func(*T, error) bool)) error {
	var e error
	for _, err := range seq {
		e = err
		break
	}
	return e
}

func second[T any](_ T, err error) error { return err }

// memberNamed finds a team member by display name.
func memberNamed(t *testing.T, team *teams.Team, name string) *teams.Member {
	t.Helper()
	for m, err := range team.Members(t.Context(), nil) {
		ok(t, err)
		if m.DisplayName == name {
			return m
		}
	}
	t.Fatalf("no member %s", name)
	return nil
}
