package mail_test

import (
	"context"
	"fmt"
	"log"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

// The newest messages of the inbox. Against Microsoft 365, acct comes from
// o365.NewAccount with your app's client id and Authenticate; here it is signed in to
// a local emulator.
func Example() {
	ctx := context.Background()
	srv, err := emulator.New(emulator.Options{Seed: "demo", AutoApprove: true})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()),
	)
	if err != nil {
		log.Fatal(err)
	}
	if err := o365test.SignIn(ctx, acct, "mailbox"); err != nil {
		log.Fatal(err)
	}

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
