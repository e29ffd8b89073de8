package contacts_test

import (
	"context"
	"fmt"
	"log"

	"github.com/o365go/o365"
	"github.com/o365go/o365/contacts"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
)

// exampleAccount starts an emulator with the demo tenant and signs in to it.
func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{Seed: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// List the address book, find a contact by e-mail and add one to a folder.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	ab := acct.AddressBook()

	for c, err := range ab.Contacts(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-17s %s\n", c.DisplayName, c.MainEmail())
	}

	garth, err := ab.ContactByEmail(ctx, "garth.fort@fabrikam.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(garth.CompanyName, garth.Birthday)

	suppliers, err := ab.FolderByName(ctx, "Suppliers")
	if err != nil {
		log.Fatal(err)
	}
	c := suppliers.Folder().NewContact()
	c.GivenName, c.Surname = "Nora", "Quinn"
	c.EmailAddresses = []contacts.EmailAddress{{Address: "nora@contoso-suppliers.com"}}
	if err := c.Save(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.DisplayName, c.ParentFolderID == suppliers.ID)
	// Output:
	// Garth Fort        garth.fort@fabrikam.com
	// Rob Young         rob.young@adatum.com
	// Yasmin Ouedraogo  yasmin@tailspintoys.com
	// Fabrikam, Inc. 1974-07-22
	// Nora Quinn true
}

// Write to every contact of a folder.
func ExampleFolder_NewMessage() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()

	suppliers, err := acct.AddressBook().FolderByName(ctx, "Suppliers")
	if err != nil {
		log.Fatal(err)
	}
	m, err := suppliers.Folder().NewMessage(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	m.Subject = "Price list 2027"
	fmt.Println(m.ToRecipients)
	// Output: Aiko Tanaka <aiko.tanaka@wingtiptoys.com>, Ken Myer <ken.myer@northwindtraders.com>
}
