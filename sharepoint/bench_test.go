package sharepoint_test

import (
	"context"
	"testing"

	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/sharepoint"
)

// BenchmarkItems lists the seeded 120-item list with every field (two pages), and with
// a filter on a column that is not indexed, through the emulator in the same process.
func BenchmarkItems(b *testing.B) {
	ctx := context.Background()
	acct, _ := o365test.Start(b)
	site, err := acct.Sharepoint().SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		b.Fatal(err)
	}
	inv := site.ListRef("Inventory")
	for _, bc := range []struct {
		name string
		o    *sharepoint.ItemOptions
	}{
		{"all-fields", nil},
		{"filter-non-indexed", &sharepoint.ItemOptions{Query: odata.New().Filter(odata.Attr("fields/Color").Eq("Red")), AllowNonIndexed: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for _, err := range inv.Items(ctx, bc.o) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n == 0 {
					b.Fatal("no items")
				}
			}
		})
	}
}
