package mail_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

// The newest messages of the inbox. Against Microsoft 365, acct comes from
// o365.NewAccount with your app's client id and Authenticate; here it is signed in to
// a local emulator.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount("demo")
	defer srv.Close()

	q := odata.New().Select("from", "subject", "isRead")
	for m, err := range acct.Mailbox().Inbox().Messages(ctx, &graph.ListOptions{Limit: 3, Query: q}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-5v %-32s %s\n", m.IsRead, m.From.Address(), m.Subject)
	}
	// Output:
	// false support@tailspintoys.com         Update: New POS rollout
	// true  MeganB@contoso.onmicrosoft.com   Re: Holiday staffing
	// true  MiriamG@contoso.onmicrosoft.com  Fw: Inventory reconciliation
}

// exampleAccount starts an emulator and signs in to it, as o365test.Start does in tests.
func exampleAccount(seed string) (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{Seed: seed})
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// Compose and send a message; Send picks sendMail or a draft by itself.
func ExampleMessage_Send() {
	ctx := context.Background()
	acct, srv := exampleAccount("")
	defer srv.Close()
	bob := "bob@" + strings.SplitN(srv.DefaultUser().UPN, "@", 2)[1]
	srv.AddUser(emulator.User{UPN: bob})

	msg := acct.Mailbox().NewMessage()
	msg.Subject = "Quarterly report"
	msg.Body = graph.HTML("<p>Hi Bob,</p><p>the report is attached.</p>")
	if err := msg.ToRecipients.Add("Bob <" + bob + ">"); err != nil {
		log.Fatal(err)
	}
	msg.Attachments.AddBytes("report.csv", []byte("quarter,revenue\nQ1,100\n"))
	if err := msg.Send(ctx); err != nil {
		log.Fatal(err)
	}

	// Bob's mailbox is not delegated to us: reading it fails with a clear error.
	for _, err := range acct.Mailbox(graph.User(bob)).Inbox().Messages(ctx, nil) {
		fmt.Println(errors.Is(err, graph.ErrForbidden) || errors.Is(err, graph.ErrNotFound))
	}
	fmt.Println(srv.MailboxMessageCount(bob, "inbox"), "message in Bob's inbox")
	// Output:
	// true
	// 1 message in Bob's inbox
}

// Reply to a message with a draft to edit, or in one call.
func ExampleMessage_Reply() {
	ctx := context.Background()
	acct, srv := exampleAccount("")
	defer srv.Close()
	mb := acct.Mailbox()
	question := mb.NewMessage()
	question.Subject = "Lunch?"
	_ = question.ToRecipients.Add(srv.DefaultUser().UPN)
	if err := question.Send(ctx); err != nil {
		log.Fatal(err)
	}
	for m, err := range mb.Inbox().Messages(ctx, &graph.ListOptions{Limit: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		draft, err := m.Reply(ctx)
		if err != nil {
			log.Fatal(err)
		}
		draft.Body = graph.HTML("<p>Yes, at noon.</p>" + draft.Body.Content)
		if err := draft.Send(ctx); err != nil {
			log.Fatal(err)
		}
		fmt.Println(draft.Subject)
		if err := m.ReplyWith(ctx, "See you there."); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(srv.MailboxMessageCount(srv.DefaultUser().UPN, "inbox"), "messages in the inbox")
	// Output:
	// RE: Lunch?
	// 3 messages in the inbox
}

// Attachments of any size: small ones travel in the request, large ones (3 MB to 150 MB)
// through an upload session, read from the file in chunks.
func ExampleAttachments_AddFile() {
	ctx := context.Background()
	acct, srv := exampleAccount("")
	defer srv.Close()
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	big := filepath.Join(dir, "video.mp4")
	if err := os.WriteFile(big, make([]byte, 12<<20), 0o600); err != nil {
		log.Fatal(err)
	}

	msg := acct.Mailbox().NewMessage()
	msg.Subject = "The recording"
	_ = msg.ToRecipients.Add("partner@example.org")
	if _, err := msg.Attachments.AddFile(big); err != nil {
		log.Fatal(err)
	}
	msg.Attachments.AddInline("logo.png", []byte("\x89PNG..."), "logo")
	msg.Body = graph.HTML(`<p><img src="cid:logo"> Here it is.</p>`)
	done := 0
	err = msg.Send(ctx, mail.Progress(func(name string, sent, total int64) {
		if sent == total {
			done++
		}
	}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(done, "attachments uploaded")
	out := srv.Outbound()
	fmt.Println(out[0].Subject, out[0].Attachments)
	// Output:
	// 2 attachments uploaded
	// The recording [logo.png video.mp4]
}

// Keep a local copy of a folder in step: the first round yields every message, later
// rounds what changed since the saved deltaLink.
func ExampleFolder_Delta() {
	ctx := context.Background()
	acct, srv := exampleAccount("")
	defer srv.Close()
	if err := srv.SeedMessages(srv.DefaultUser().UPN, 3); err != nil {
		log.Fatal(err)
	}
	inbox := acct.Mailbox().Inbox()
	held := map[string]*mail.Message{}
	lo := &graph.ListOptions{Query: odata.New().Select("subject", "isRead")}
	apply := func(d *graph.Delta[mail.Message]) error {
		for ch, err := range d.Changes(ctx) {
			if err != nil {
				return err // ranging d.Changes again would resume from d.NextLink()
			}
			if ch.Removed {
				delete(held, ch.ID)
			} else {
				held[ch.ID] = ch.Item
			}
		}
		return nil
	}
	sync := func(savedLink string) string {
		d := inbox.Delta(savedLink, lo)
		err := apply(d)
		if errors.Is(err, mail.ErrSyncStateExpired) { // the service forgot the state
			clear(held)
			d = inbox.Resync(lo)
			err = apply(d)
		}
		if err != nil {
			log.Fatal(err)
		}
		return d.DeltaLink()
	}

	link := sync("")
	fmt.Println("first round:", len(held), "messages")

	var first *mail.Message
	for _, m := range held {
		first = m
		break
	}
	if err := first.Delete(ctx); err != nil { // the yielded messages are bound: their verbs work
		log.Fatal(err)
	}
	link = sync(link)
	fmt.Println("after a delete:", len(held), "messages")
	fmt.Println("link kept:", link != "")
	// Output:
	// first round: 3 messages
	// after a delete: 2 messages
	// link kept: true
}
