package subscriptions_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/subscriptions"
)

// A receiver, a subscription to the inbox, and the notification of a message arriving.
// Against Microsoft 365 the receiver must be reachable over https; the emulator delivers
// to http on loopback. acct comes from o365.NewAccount and Authenticate; here it is signed
// in to a local emulator.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()

	rcv := subscriptions.NewReceiver(subscriptions.ReceiverOptions{ClientState: "my-secret"})
	hook := httptest.NewServer(rcv) // your https endpoint in production
	defer hook.Close()

	sub, err := acct.Subscriptions().Create(ctx, &subscriptions.Subscription{
		Resource:           "me/mailFolders('Inbox')/messages",
		ChangeType:         subscriptions.Created,
		NotificationURL:    hook.URL, // validated by Graph: the receiver answers
		ClientState:        "my-secret",
		ExpirationDateTime: time.Now().Add(time.Hour),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Delete(ctx)

	m := acct.Mailbox().NewMessage()
	m.Subject = "Lunch?"
	m.ToRecipients = []graph.Recipient{graph.NewRecipient(srv.DefaultUser().UPN, "")}
	if err := m.Send(ctx); err != nil {
		log.Fatal(err)
	}

	select {
	case n := <-rcv.Notifications():
		msg, err := acct.Mailbox().Message(ctx, n.ResourceData.ID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(n.ChangeType, n.ResourceData.ODataType, msg.Subject)
	case <-time.After(30 * time.Second):
		log.Fatal("no notification")
	}
	// Output: created #Microsoft.Graph.Message Lunch?
}

// MaxExpiry gives the longest subscription Graph allows per resource.
func ExampleMaxExpiry() {
	fmt.Println(subscriptions.MaxExpiry("me/mailFolders('Inbox')/messages"))
	fmt.Println(subscriptions.MaxExpiry("/teams/{id}/channels/{id}/messages"))
	fmt.Println(subscriptions.MaxExpiry("/drives/{id}/root"))
	// Output:
	// 168h0m0s
	// 1h0m0s
	// 705h0m0s
}

func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}
