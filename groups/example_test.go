package groups_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/groups"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

// exampleAccount starts a demo emulator and signs in to it with the scopes given.
// Against Microsoft 365, acct comes from o365.NewAccount and Authenticate.
func exampleAccount(scopes ...string) (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{Seed: "demo"}, scopes...)
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// Everyone in "All Company", through its nested groups.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount("Group.Read.All")
	defer srv.Close()
	gs := acct.Groups()

	q := odata.New().Filter(odata.Attr("displayName").Eq("All Company"))
	for g, err := range gs.List(ctx, &graph.ListOptions{Query: q}) {
		if err != nil {
			log.Fatal(err)
		}
		users, nested := 0, 0
		for m, err := range g.TransitiveMembers(ctx, nil) {
			if err != nil {
				log.Fatal(err)
			}
			switch {
			case m.IsUser():
				users++
			case m.IsGroup():
				nested++
			}
		}
		fmt.Printf("%s: %d people, %d nested groups\n", g.DisplayName, users, nested)
	}
	// Output:
	// All Company: 10 people, 2 nested groups
}

// Adding a member twice is an error that says so.
func ExampleGroup_AddMember() {
	ctx := context.Background()
	acct, srv := exampleAccount("GroupMember.ReadWrite.All", "Group.Read.All", "User.Read.All")
	defer srv.Close()

	megan, err := acct.Directory().User(ctx, "MeganB@contoso.onmicrosoft.com", nil)
	if err != nil {
		log.Fatal(err)
	}
	for g, err := range acct.Groups().List(ctx, &graph.ListOptions{Query: odata.New().Filter(odata.Attr("displayName").Eq("Retail"))}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(g.AddMember(ctx, megan.ID))
		err = g.AddMember(ctx, megan.ID)
		fmt.Println(errors.Is(err, groups.ErrAlreadyMember))
	}
	// Output:
	// <nil>
	// true
}
