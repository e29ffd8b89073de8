// Command smallprog is the small program whose cold build time and binary size
// BENCHMARKS.md reports: it signs in with a device code (once; the token is kept in the
// user's config directory) and prints the newest messages of the inbox.
//
//	go run ./bench/smallprog -client-id YOUR_APP_ID -tenant YOUR_TENANT
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/o365go/o365"
	"github.com/o365go/o365/graph"
)

func main() {
	clientID := flag.String("client-id", "", "application (client) id of your app registration")
	tenant := flag.String("tenant", "common", "tenant id or domain")
	flag.Parse()
	ctx := context.Background()

	acct, err := o365.NewAccount(o365.Credentials{ClientID: *clientID, Tenant: *tenant}, o365.WithAuthFlow(o365.DeviceFlow))
	if err != nil {
		log.Fatal(err)
	}
	if !acct.IsAuthenticated(ctx) {
		if err := acct.Authenticate(ctx, "basic", "mailbox"); err != nil {
			log.Fatal(err)
		}
	}
	for m, err := range acct.Mailbox().Inbox().Messages(ctx, &graph.ListOptions{Limit: 10}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s  %-30s %s\n", m.ReceivedDateTime.Format("2006-01-02 15:04"), m.From.Address(), m.Subject)
	}
}
