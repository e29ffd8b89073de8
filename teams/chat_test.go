package teams_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/teams"
)

func TestChats(t *testing.T) {
	acct, srv, ctx := start(t)
	tm := acct.Teams()
	chats := collect(t, tm.Chats(ctx, nil))
	if len(chats) != 2 || chats[0].ChatType != teams.OneOnOne || len(chats[0].Members) != 2 || chats[1].Topic != "Mark 8 launch" {
		t.Fatalf("chats %+v", chats)
	}
	seeded := chats[0]
	one, err := tm.CreateOneOnOneChat(ctx, "MeganB@contoso.onmicrosoft.com")
	ok(t, err)
	if one.ID != seeded.ID {
		t.Fatalf("the existing one-on-one chat was not returned: %s vs %s", one.ID, seeded.ID)
	}
	msgs := collect(t, one.Messages(ctx, nil))
	if len(msgs) != 3 || msgs[0].PlainText() != "Great, thanks!" {
		t.Fatalf("seeded chat messages %d", len(msgs))
	}
	alex, err := tm.CreateOneOnOneChat(ctx, "AlexW@contoso.onmicrosoft.com")
	ok(t, err)
	alex2, err := tm.CreateOneOnOneChat(ctx, "AlexW@contoso.onmicrosoft.com")
	ok(t, err)
	if alex.ID != alex2.ID || alex.ChatType != teams.OneOnOne {
		t.Fatalf("one-on-one created twice: %s %s", alex.ID, alex2.ID)
	}
	group, err := tm.CreateGroupChat(ctx, "Window displays", []string{"MeganB@contoso.onmicrosoft.com", "IsaiahL@contoso.onmicrosoft.com"})
	ok(t, err)
	if group.Topic != "Window displays" || group.ChatType != teams.Group {
		t.Fatalf("group %+v", group)
	}
	members := collect(t, group.ListMembers(ctx, nil))
	if len(members) != 3 {
		t.Fatalf("%d members", len(members))
	}
	m1, err := group.Member(ctx, members[1].ID)
	ok(t, err)
	if m1.DisplayName != members[1].DisplayName {
		t.Fatalf("member %+v", m1)
	}
	for i := range 55 {
		_, err := group.SendText(ctx, fmt.Sprintf("line %d", i))
		ok(t, err)
	}
	urgent, err := group.Send(ctx, &teams.NewMessage{Body: graph.Text("now!"), Importance: teams.Urgent})
	ok(t, err)
	if urgent.ChatID != group.ID || urgent.Importance != teams.Urgent {
		t.Fatalf("urgent %+v", urgent)
	}
	got, err := group.Message(ctx, urgent.ID)
	ok(t, err)
	ok(t, got.Refresh(ctx))
	if all := collect(t, group.Messages(ctx, nil)); len(all) != 56 {
		t.Fatalf("every page: %d messages", len(all))
	}
	read, err := tm.GetChat(ctx, group.ID)
	ok(t, err)
	if len(read.Members) != 3 {
		t.Fatalf("GetChat members %d", len(read.Members))
	}
	if _, err := got.Reply(ctx, teams.Text("x")); !errors.Is(err, teams.ErrNotChannelMessage) {
		t.Fatalf("a chat message took a reply: %v", err)
	}
	// Chats list every page too.
	for i := range 25 {
		_, err := tm.CreateGroupChat(ctx, fmt.Sprintf("chat %d", i), []string{"AlexW@contoso.onmicrosoft.com"})
		ok(t, err)
	}
	srv.ResetLog()
	if all := collect(t, tm.Chats(ctx, nil)); len(all) != 2+1+1+25 {
		t.Fatalf("%d chats", len(all))
	}
	if n := len(srv.Requests()); n != 2 {
		t.Fatalf("%d requests for the chats, want 2 pages", n)
	}

	errs := []struct {
		name string
		err  error
		want error
	}{
		{"unknown chat", second(tm.GetChat(ctx, "19:nope@thread.v2")), graph.ErrNotFound},
		{"unknown member", second(group.Member(ctx, "nobody")), graph.ErrNotFound},
		{"unknown message", second(group.Message(ctx, "1")), graph.ErrNotFound},
		{"unknown user", second(tm.CreateOneOnOneChat(ctx, "ghost@contoso.onmicrosoft.com")), graph.ErrNotFound},
		{"no members", second(tm.CreateGroupChat(ctx, "x", nil)), teams.ErrNoMembers},
		{"empty member", second(tm.CreateGroupChat(ctx, "x", []string{""})), teams.ErrEmptyID},
		{"empty message", second(group.SendText(ctx, "")), teams.ErrEmptyMessage},
		{"send to unknown chat", second(tm.Chat("19:nope@thread.v2").SendText(ctx, "x")), graph.ErrNotFound},
	}
	for _, c := range errs {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
}
