package directory_test

import (
	"context"
	"fmt"
	"log"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
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

// The signed-in user, their manager and the people in a department.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount("User.Read.All")
	defer srv.Close()
	dir := acct.Directory()

	me, err := dir.Me(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	boss, err := me.Manager(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.DisplayName, "reports to", boss.DisplayName)

	q := odata.New().Filter(odata.Attr("department").Eq("Marketing")).Select("displayName", "jobTitle")
	for u, err := range dir.Users(ctx, &graph.ListOptions{Query: q}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s (%s)\n", u.DisplayName, u.JobTitle)
	}
	// Output:
	// Adele Vance reports to Miriam Graham
	// Alex Wilber (Marketing Assistant)
	// Megan Bowen (Marketing Manager)
}

// Search and count need ConsistencyLevel: eventual; the library adds it.
func ExampleDirectory_Search() {
	ctx := context.Background()
	acct, srv := exampleAccount("User.Read.All")
	defer srv.Close()
	dir := acct.Directory()

	for u, err := range dir.Search(ctx, "meg", nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.DisplayName, u.UserPrincipalName)
	}
	n, err := dir.Count(ctx, odata.New().Filter(odata.Attr("city").Eq("San Diego")))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "users in San Diego")
	// Output:
	// Megan Bowen MeganB@contoso.onmicrosoft.com
	// 2 users in San Diego
}

// Save sends only the properties that changed.
func ExampleUser_Save() {
	ctx := context.Background()
	acct, srv := exampleAccount("User.ReadWrite.All")
	defer srv.Close()
	dir := acct.Directory()

	u, err := dir.User(ctx, "AlexW@contoso.onmicrosoft.com", nil)
	if err != nil {
		log.Fatal(err)
	}
	u.JobTitle = "Marketing Lead"
	if err := u.Save(ctx); err != nil { // PATCH {"jobTitle":"Marketing Lead"}
		log.Fatal(err)
	}
	u, err = dir.User(ctx, "AlexW@contoso.onmicrosoft.com", nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.DisplayName, "is now", u.JobTitle)
	// Output:
	// Alex Wilber is now Marketing Lead
}
