package sharepoint_test

import (
	"context"
	"fmt"
	"log"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/sharepoint"
)

// exampleAccount signs in to a local emulator (its SharePoint seed is in every tenant). Against Microsoft
// 365, acct comes from o365.NewAccount with your app's client id and Authenticate.
func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{}, append(o365test.DefaultScopes(), "Sites.Manage.All")...)
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// Sites by path and by search, a list by name, and its items with some fields.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	sp := acct.Sharepoint()

	site, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(site.DisplayName, site.WebURL)

	for s, err := range sp.Search(ctx, "marketing", nil) { // every page
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("found:", s.DisplayName)
	}

	inv, err := site.List(ctx, "Inventory") // by display name or id
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for it, err := range inv.Items(ctx, &sharepoint.ItemOptions{Fields: []string{"Title", "Quantity"}}) {
		if err != nil {
			log.Fatal(err)
		}
		if n == 0 {
			q, _ := it.Fields.Number("Quantity")
			fmt.Printf("first: %s (%v)\n", it.Fields.String("Title"), q)
		}
		n++
	}
	fmt.Println(n, "items")
	// Output:
	// Marketing https://contoso.sharepoint.com/sites/marketing
	// found: Marketing
	// first: Red Mug #1 (3)
	// 120 items
}

// Filtering on a column that is not indexed needs SharePoint's Prefer header
// (python-o365 issue #593); AllowNonIndexed sends it on every page.
func ExampleList_Items_nonIndexed() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	site, err := acct.Sharepoint().SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		log.Fatal(err)
	}
	inv := site.ListRef("Inventory")
	q := odata.New().Filter(odata.Attr("fields/Color").Eq("Fuchsia").And(odata.Attr("fields/Name").Eq("Mug")))
	for it, err := range inv.Items(ctx, &sharepoint.ItemOptions{Query: q, AllowNonIndexed: true}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(it.ID, it.Fields.String("Title"))
	}
	// Output:
	// 61 Fuchsia Mug #61
}

// Save sends only the fields that changed.
func ExampleListItem_Save() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	site, err := acct.Sharepoint().SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		log.Fatal(err)
	}
	it, err := site.ListRef("Inventory").Item(ctx, "1")
	if err != nil {
		log.Fatal(err)
	}
	it.Fields["Quantity"] = 0.0 // zero values are sent too
	it.Fields["InStock"] = false
	if err := it.Save(ctx); err != nil { // PATCH .../items/1/fields {"InStock":false,"Quantity":0}
		log.Fatal(err)
	}
	q, _ := it.Fields.Number("Quantity")
	fmt.Println(it.Fields.String("Title"), q, it.Fields.Bool("InStock"), it.Fields.String("_UIVersionString"))
	// Output:
	// Red Mug #1 0 false 2.0
}

// A list created with columns, an item added, and a delta round that sees it.
func ExampleSite_CreateList() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	site, err := acct.Sharepoint().RootSite(ctx)
	if err != nil {
		log.Fatal(err)
	}
	books, err := site.CreateList(ctx, sharepoint.NewList{
		DisplayName: "Books",
		Columns: []sharepoint.Column{
			{Name: "Writer", Text: &sharepoint.TextColumn{}},
			{Name: "PageCount", Number: &sharepoint.NumberColumn{}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	link, err := books.LatestDeltaLink(ctx) // only later changes
	if err != nil {
		log.Fatal(err)
	}
	if _, err := books.CreateItem(ctx, sharepoint.Fields{"Title": "Dune", "Writer": "Frank Herbert", "PageCount": 412}); err != nil {
		log.Fatal(err)
	}
	d := books.Delta(link)
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		pages, _ := ch.Item.Fields.Number("PageCount")
		fmt.Println(ch.Item.Fields.String("Title"), ch.Item.Fields.String("Writer"), pages)
	}
	// Output:
	// Dune Frank Herbert 412
}

// A site's document libraries are drives.
func ExampleSite_DefaultDocumentLibrary() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	site, err := acct.Sharepoint().SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		log.Fatal(err)
	}
	lib, err := site.DefaultDocumentLibrary(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(lib.Name, lib.DriveType)
	// Output:
	// Documents documentLibrary
}
