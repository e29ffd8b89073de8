package categories_test

import (
	"context"
	"fmt"
	"log"

	"github.com/o365go/o365"
	"github.com/o365go/o365/categories"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
)

// exampleAccount starts an emulator and signs in to it, as o365test.Start does in tests.
func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// Create a category, recolour it and list the master list.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()

	cats := acct.Categories()
	c, err := cats.Create(ctx, "Project expenses", categories.Cranberry)
	if err != nil {
		log.Fatal(err)
	}
	if err := c.SetColor(ctx, categories.DarkGreen); err != nil {
		log.Fatal(err)
	}
	for c, err := range cats.List(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-16s %s\n", c.DisplayName, c.Color)
	}
	// Output:
	// Red category     Red (preset0)
	// Orange category  Orange (preset1)
	// Yellow category  Yellow (preset3)
	// Green category   Green (preset4)
	// Blue category    Blue (preset7)
	// Purple category  Purple (preset8)
	// Project expenses DarkGreen (preset19)
}

// Colours by name or by Graph value.
func ExampleParseColor() {
	c, _ := categories.ParseColor("dark cranberry")
	fmt.Println(c, c.Name(), string(c))
	// Output: DarkCranberry (preset24) DarkCranberry preset24
}
