package sharepoint_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/sharepoint"
)

// python-o365 builds URLs and filters by string formatting (inventory §6.5): a site path
// with a space or '#' and a filter value with a quote broke the request. Here each path
// segment is percent-encoded and each value escaped.
func TestPathsAndValuesAreEscaped(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	sp := acct.Sharepoint()
	rec.Take().Graph()
	if _, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/a b#c"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	reqs := rec.Take().Graph()
	if len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, ":/sites/a%20b%23c") {
		t.Errorf("requests %+v", reqs)
	}
	_, inv := marketing(t, sp)
	q := odata.New().Filter(odata.Attr("fields/Title").Eq("O'Brien's mug"))
	got := collect(t, inv.Items(ctx, &sharepoint.ItemOptions{Query: q, AllowNonIndexed: true}))
	if len(got) != 0 {
		t.Errorf("%d items", len(got))
	}
	if _, err := inv.CreateItem(ctx, sharepoint.Fields{"Title": "O'Brien's mug"}); err != nil {
		t.Fatal(err)
	}
	if got := collect(t, inv.Items(ctx, &sharepoint.ItemOptions{Query: q, AllowNonIndexed: true})); len(got) != 1 {
		t.Errorf("%d items named O'Brien's mug", len(got))
	}
}

// python-o365's get_subsites, get_lists and get_list_columns return the first page only
// (inventory §6.6); Subsites follows every nextLink like the others (a page size of one
// makes one request per subsite).
func TestSubsitesEveryPage(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	root, err := acct.Sharepoint().RootSite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec.Take().Graph()
	if got := collect(t, root.Subsites(ctx, &graph.ListOptions{PageSize: 1})); len(got) != 0 {
		t.Errorf("root subsites %d", len(got))
	}
	mkt, _ := marketing(t, acct.Sharepoint())
	if got := collect(t, mkt.Subsites(ctx, &graph.ListOptions{PageSize: 1})); len(got) != 1 || got[0].Name != "campaigns" {
		t.Errorf("subsites %+v", got)
	}
}
