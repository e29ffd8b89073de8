package teams_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/teams"
)

// Joined teams, a channel by name, a message with a mention and a reply. Against Microsoft
// 365, acct comes from o365.NewAccount with your app's client id and Authenticate; here it
// is signed in to a local emulator with the demo tenant.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	tm := acct.Teams()

	for team, err := range tm.JoinedTeams(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("team:", team.DisplayName)
	}
	team, err := tm.TeamByName(ctx, "All Company")
	if err != nil {
		log.Fatal(err)
	}
	general, err := team.ChannelByName(ctx, "general") // any case; every page of channels
	if err != nil {
		log.Fatal(err)
	}
	msg, err := general.Send(ctx, teams.Compose().
		Text("Stock count on Friday, ").
		Mention("d8b7d008-4c0c-4d4b-82e4-b1784b12da5e", "Megan Bowen").
		Text(" can you join?").
		Message())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Body.Content)
	if _, err := msg.Reply(ctx, teams.Text("Count me in")); err != nil {
		log.Fatal(err)
	}
	for r, err := range msg.ListReplies(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("reply:", r.PlainText())
	}
	// Output:
	// team: All Company
	// team: Retail
	// Stock count on Friday, <at id="0">Megan Bowen</at> can you join?
	// reply: Count me in
}

// Every message of a channel, newest first, page after page (python-o365 read only the
// first page).
func ExampleChannel_Messages() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	team, err := acct.Teams().TeamByName(ctx, "All Company")
	if err != nil {
		log.Fatal(err)
	}
	ch, err := team.ChannelByName(ctx, "General")
	if err != nil {
		log.Fatal(err)
	}
	for m, err := range ch.Messages(ctx, &graph.ListOptions{PageSize: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", m.Sender(), m.PlainText())
	}
	// Output:
	// Megan Bowen: Adele Vance the spring campaign assets are ready for the stores.
	// Patti Fernandez: Welcome to the All Company team! Say hello in this channel.
}

// Chats with their members, and the one-on-one chat with a colleague (the existing one
// is returned, not a duplicate).
func ExampleTeams_Chats() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	tm := acct.Teams()
	for c, err := range tm.Chats(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s, %d members, topic %q\n", c.ChatType, len(c.Members), c.Topic)
	}
	chat, err := tm.CreateOneOnOneChat(ctx, "MeganB@contoso.onmicrosoft.com")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := chat.SendText(ctx, "Lunch?"); err != nil {
		log.Fatal(err)
	}
	for m, err := range chat.Messages(ctx, &graph.ListOptions{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Sender()+":", m.PlainText())
	}
	// Output:
	// oneOnOne, 2 members, topic ""
	// group, 3 members, topic "Mark 8 launch"
	// Adele Vance: Lunch?
	// Megan Bowen: Great, thanks!
}

// Presence: mine, others' in bulk, and an application session that expires.
func ExampleTeams_SetPresence() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	tm := acct.Teams()
	if err := tm.SetPresence(ctx, "00000000-0000-4000-8000-00000000a001", teams.DoNotDisturb, teams.ActivityPresenting, time.Hour); err != nil {
		log.Fatal(err)
	}
	me, err := tm.Presence(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("me:", me.Availability, me.Activity)
	others, err := tm.Presences(ctx, []string{"d8b7d008-4c0c-4d4b-82e4-b1784b12da5e", "3488f205-c39b-4257-b467-d899d6572295"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range others {
		fmt.Println(p.Availability, p.Activity)
	}
	// Output:
	// me: DoNotDisturb Presenting
	// Busy InACall
	// Away Away
}

func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{Seed: "demo"}, scopes...)
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}
