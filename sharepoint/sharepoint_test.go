package sharepoint_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/sharepoint"
)

func TestSites(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	sp := acct.Sharepoint()
	root, err := sp.RootSite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if root.Root == nil || root.SiteCollection == nil || root.SiteCollection.Hostname != "contoso.sharepoint.com" || root.WebURL != "https://contoso.sharepoint.com" {
		t.Fatalf("root site = %+v", root)
	}
	mkt, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "sites/marketing")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		get  func() (*sharepoint.Site, error)
		want string
		err  error
	}{
		{"by id", func() (*sharepoint.Site, error) { return sp.Site(ctx, mkt.ID) }, "Marketing", nil},
		{"by host name", func() (*sharepoint.Site, error) { return sp.Site(ctx, "contoso.sharepoint.com") }, "Contoso", nil},
		{"by path with slashes", func() (*sharepoint.Site, error) {
			return sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing/")
		}, "Marketing", nil},
		{"by empty path", func() (*sharepoint.Site, error) { return sp.SiteByPath(ctx, "contoso.sharepoint.com", "") }, "Contoso", nil},
		{"unknown path", func() (*sharepoint.Site, error) { return sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/nope") }, "", graph.ErrNotFound},
		{"other tenant", func() (*sharepoint.Site, error) { return sp.Site(ctx, "fabrikam.sharepoint.com") }, "", graph.ErrBadRequest},
		{"empty id", func() (*sharepoint.Site, error) { return sp.Site(ctx, "") }, "", sharepoint.ErrEmptyID},
		{"empty host", func() (*sharepoint.Site, error) { return sp.SiteByPath(ctx, "", "/sites/x") }, "", sharepoint.ErrEmptyID},
		{"unbound", func() (*sharepoint.Site, error) { return (&sharepoint.Sharepoint{}).RootSite(ctx) }, "", sharepoint.ErrUnbound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.get()
			if !errors.Is(err, tt.err) || tt.err == nil && err != nil {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err == nil && s.DisplayName != tt.want {
				t.Errorf("site %q, want %q", s.DisplayName, tt.want)
			}
		})
	}
	subs := collect(t, mkt.Subsites(ctx, nil))
	if len(subs) != 1 || subs[0].DisplayName != "Campaigns" || subs[0].Root != nil {
		t.Errorf("subsites = %+v", subs)
	}
	if got := collect(t, sp.Sites(ctx, nil)); len(got) != 3 {
		t.Errorf("%d site collections", len(got))
	}
	for _, err := range sp.SiteRef("").Lists(ctx, nil) {
		if !errors.Is(err, sharepoint.ErrEmptyID) {
			t.Errorf("lists of a site without id: %v", err)
		}
	}
}

// TestSearchEveryPage: python-o365's search_site followed every page; so does Search,
// with small pages too.
func TestSearchEveryPage(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	sp := acct.Sharepoint()
	rec.Take().Graph()
	all := collect(t, sp.Search(ctx, "*", &graph.ListOptions{PageSize: 1}))
	if len(all) != 4 {
		t.Fatalf("%d sites", len(all))
	}
	if n := len(rec.Take().Graph()); n < 4 {
		t.Errorf("%d requests for 4 one-site pages", n)
	}
	var names []string
	for _, s := range collect(t, sp.Search(ctx, "marketing", nil)) {
		names = append(names, s.DisplayName)
	}
	if !slices.Equal(names, []string{"Marketing"}) {
		t.Errorf("search marketing = %v", names)
	}
	if got := collect(t, sp.Search(ctx, "zebra", nil)); len(got) != 0 {
		t.Errorf("search zebra = %d", len(got))
	}
	if got := collect(t, sp.Search(ctx, "*", &graph.ListOptions{Limit: 2})); len(got) != 2 {
		t.Errorf("limit 2 gave %d", len(got))
	}
}

// TestListsEveryPage: python-o365 read only the first page of lists, columns and
// subsites; these iterators follow every nextLink.
func TestListsEveryPage(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	site, inv := marketing(t, acct.Sharepoint())
	if got := collect(t, site.Lists(ctx, &graph.ListOptions{PageSize: 1})); len(got) != 3 {
		t.Errorf("%d lists", len(got))
	}
	cols := collect(t, inv.Columns(ctx, &graph.ListOptions{PageSize: 2}))
	if len(cols) < 15 {
		t.Errorf("%d columns", len(cols))
	}
	types := map[string]sharepoint.ColumnType{}
	for _, c := range cols {
		types[c.Name] = c.Type()
	}
	want := map[string]sharepoint.ColumnType{
		"Title": sharepoint.ColumnText, "Color": sharepoint.ColumnChoice, "Quantity": sharepoint.ColumnNumber,
		"Price": sharepoint.ColumnCurrency, "InStock": sharepoint.ColumnBoolean, "Restocked": sharepoint.ColumnDateTime,
		"Owner": sharepoint.ColumnPersonOrGroup, "Supplier": sharepoint.ColumnLookup,
	}
	for n, ty := range want {
		if types[n] != ty {
			t.Errorf("%s: %q, want %q", n, types[n], ty)
		}
	}
	names, err := inv.ColumnNames(ctx)
	if err != nil || names["In stock"] != "InStock" {
		t.Errorf("ColumnNames = %v, %v", names, err)
	}
	if got := collect(t, inv.ContentTypes(ctx, nil)); len(got) != 2 || got[0].Name != "Item" {
		t.Errorf("list content types = %+v", got)
	}
	if got := collect(t, site.ContentTypes(ctx, &graph.ListOptions{PageSize: 2})); len(got) != 5 {
		t.Errorf("%d site content types", len(got))
	}
	if ct, err := site.ContentType(ctx, "0x0101"); err != nil || ct.Name != "Document" || ct.Base == nil {
		t.Errorf("content type = %+v, %v", ct, err)
	}
	if _, err := site.ContentType(ctx, "0x0199"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown content type: %v", err)
	}
	if got := collect(t, site.Columns(ctx, nil)); len(got) == 0 {
		t.Error("no site columns")
	}
	byID, err := site.List(ctx, inv.ID)
	if err != nil || byID.DisplayName != "Inventory" || byID.List == nil || byID.List.Template != sharepoint.TemplateGenericList {
		t.Errorf("list by id = %+v, %v", byID, err)
	}
	if _, err := site.List(ctx, "Nope"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown list: %v", err)
	}
	if _, err := site.List(ctx, ""); !errors.Is(err, sharepoint.ErrEmptyID) {
		t.Errorf("empty name: %v", err)
	}
}

func TestCreateListWithColumns(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, manage(), o365test.Record(rec))
	site, _ := marketing(t, acct.Sharepoint())
	books, err := site.CreateList(ctx, sharepoint.NewList{
		DisplayName: "Books",
		Description: "Reading list",
		Columns: []sharepoint.Column{
			{Name: "Writer", Text: &sharepoint.TextColumn{}},
			{Name: "PageCount", Number: &sharepoint.NumberColumn{}, Indexed: true},
			{Name: "Genre", Choice: &sharepoint.ChoiceColumn{Choices: []string{"Fiction", "History"}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if books.DisplayName != "Books" || books.List == nil || books.List.Template != sharepoint.TemplateGenericList {
		t.Fatalf("created %+v", books)
	}
	if _, err := site.CreateList(ctx, sharepoint.NewList{DisplayName: "Books"}); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("duplicate list: %v", err)
	}
	if _, err := site.CreateList(ctx, sharepoint.NewList{DisplayName: " "}); !errors.Is(err, sharepoint.ErrEmptyID) {
		t.Errorf("blank name: %v", err)
	}
	if _, err := site.CreateList(ctx, sharepoint.NewList{DisplayName: "Bad", Columns: []sharepoint.Column{{Name: "NoType"}}}); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("column without type: %v", err)
	}
	col, err := books.AddColumn(ctx, sharepoint.Column{Name: "Read", Boolean: &sharepoint.BooleanColumn{}})
	if err != nil || col.Type() != sharepoint.ColumnBoolean || col.ID == "" {
		t.Fatalf("AddColumn = %+v, %v", col, err)
	}
	if _, err := books.AddColumn(ctx, sharepoint.Column{Name: "Read", Boolean: &sharepoint.BooleanColumn{}}); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("duplicate column: %v", err)
	}
	if err := books.DeleteColumn(ctx, col.ID); err != nil {
		t.Fatal(err)
	}
	if err := books.DeleteColumn(ctx, ""); !errors.Is(err, sharepoint.ErrEmptyID) {
		t.Errorf("empty column id: %v", err)
	}
	it, err := books.CreateItem(ctx, sharepoint.Fields{"Title": "Dune", "Writer": "Frank Herbert", "PageCount": 412, "Genre": "Fiction"})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := it.Fields.Number("PageCount"); n != 412 || it.Fields.String("Writer") != "Frank Herbert" {
		t.Errorf("created item fields %v", it.Fields)
	}
	// Save on a list sends only what changed.
	rec.Take().Graph()
	books.Description = "Books to read"
	if err := books.Save(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := rec.Take().Graph()
	if len(reqs) != 1 || reqs[0].Method != "PATCH" || len(reqs[0].Body) != 1 || reqs[0].Body["description"] != "Books to read" {
		t.Errorf("list save sent %+v", reqs)
	}
	if err := books.Save(ctx); err != nil || len(rec.Take().Graph()) != 0 {
		t.Errorf("unchanged list save sent a request (%v)", err)
	}
	ct, err := site.CreateContentType(ctx, sharepoint.ContentType{Name: "Campaign", Group: "Marketing", Base: &sharepoint.ContentType{ID: "0x01", Name: "Item"}})
	if err != nil || !strings.HasPrefix(ct.ID, "0x0100") || ct.ParentID != "0x01" {
		t.Errorf("CreateContentType = %+v, %v", ct, err)
	}
	if sc, err := site.AddColumn(ctx, sharepoint.Column{Name: "Region", Choice: &sharepoint.ChoiceColumn{Choices: []string{"EMEA"}}}); err != nil || sc.Choice == nil {
		t.Errorf("site AddColumn = %+v, %v", sc, err)
	}
	if err := books.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := site.List(ctx, "Books"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleted list: %v", err)
	}
}

// TestCreateListNeedsManage: without Sites.Manage.All the service refuses, and the error
// says so through the 403 sentinel.
func TestCreateListNeedsManage(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	site, _ := marketing(t, acct.Sharepoint())
	if _, err := site.CreateList(ctx, sharepoint.NewList{DisplayName: "X"}); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("err = %v", err)
	}
}

func TestItems(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	_, inv := marketing(t, acct.Sharepoint())
	rec.Take().Graph()
	// Every page, with all fields by default (python-o365 read one page).
	all := collect(t, inv.Items(ctx, nil))
	if len(all) != 120 {
		t.Fatalf("%d items", len(all))
	}
	if n := len(rec.Take().Graph()); n != 2 {
		t.Errorf("%d requests for 120 items (2 pages expected)", n)
	}
	if all[0].Fields.String("Title") == "" || all[0].Fields.String("Color") == "" {
		t.Errorf("fields not expanded: %v", all[0].Fields)
	}
	some := collect(t, inv.Items(ctx, &sharepoint.ItemOptions{Fields: []string{"Title", "Quantity"}, Limit: 5}))
	if len(some) != 5 {
		t.Fatalf("%d items with limit 5", len(some))
	}
	for _, it := range some {
		if len(it.Fields) != 2 {
			t.Errorf("selected fields: %v", it.Fields)
		}
	}
	if q, _ := url.QueryUnescape(rec.Take().Graph()[0].Query); !strings.Contains(q, "$expand=fields($select=Title,Quantity)") {
		t.Errorf("query %s", q)
	}
	bare := collect(t, inv.Items(ctx, &sharepoint.ItemOptions{NoFields: true, Limit: 3}))
	if len(bare) != 3 || bare[0].Fields != nil {
		t.Errorf("NoFields items: %+v", bare[0])
	}
	it, err := inv.Item(ctx, "7")
	if err != nil || it.ID != "7" || it.Fields.String("Name") == "" || it.ContentType == nil || it.CreatedBy == nil {
		t.Fatalf("item 7 = %+v, %v", it, err)
	}
	if _, err := inv.Item(ctx, "9999"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("unknown item: %v", err)
	}
	if _, err := inv.Item(ctx, ""); !errors.Is(err, sharepoint.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
	only, err := inv.Item(ctx, "7", "Quantity")
	if err != nil || len(only.Fields) != 1 {
		t.Errorf("item 7 with Quantity = %v, %v", only, err)
	}
}

// TestItemSaveSendsOnlyChanges: Save PATCHes .../fields with the changed fields only,
// zero values included, and a removed field as null.
func TestItemSaveSendsOnlyChanges(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	_, inv := marketing(t, acct.Sharepoint())
	it, err := inv.Item(ctx, "3")
	if err != nil {
		t.Fatal(err)
	}
	oldEtag := it.ETag
	rec.Take().Graph()
	if err := it.Save(ctx); err != nil || len(rec.Take().Graph()) != 0 {
		t.Fatalf("unchanged Save sent a request (%v)", err)
	}
	it.Fields["Quantity"] = 0.0
	it.Fields["InStock"] = false
	it.Fields["Name"] = ""
	delete(it.Fields, "Price")
	delete(it.Fields, "Modified") // read-only: not a change
	if err := it.Save(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := rec.Take().Graph()
	if len(reqs) != 1 || reqs[0].Method != "PATCH" || !strings.HasSuffix(reqs[0].Path, "/items/3/fields") {
		t.Fatalf("sent %+v", reqs)
	}
	body := reqs[0].Body
	want := map[string]any{"Quantity": 0.0, "InStock": false, "Name": "", "Price": nil}
	if len(body) != len(want) {
		t.Errorf("body %v, want %v", body, want)
	}
	for k, v := range want {
		if got, ok := body[k]; !ok || got != v {
			t.Errorf("body[%s] = %v, want %v", k, got, v)
		}
	}
	if n, ok := it.Fields.Number("Quantity"); !ok || n != 0 || it.Fields.Bool("InStock") {
		t.Errorf("fields after save %v", it.Fields)
	}
	if _, ok := it.Fields["Price"]; ok {
		t.Error("Price not cleared")
	}
	if it.ETag == oldEtag {
		t.Error("etag not updated")
	}
	// A stale etag fails with ErrPreconditionFailed.
	it.Fields["Quantity"] = 5.0
	if err := it.Save(ctx, graph.IfMatch(oldEtag)); !errors.Is(err, graph.ErrPreconditionFailed) {
		t.Errorf("stale etag: %v", err)
	}
	// Unknown fields fail with the service's 400.
	it.Fields["Colour"] = "Red"
	if err := it.Save(ctx); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("unknown field: %v", err)
	}
	if err := it.Refresh(ctx); err != nil || it.Fields["Colour"] != nil {
		t.Errorf("refresh: %v %v", err, it.Fields)
	}
}

func TestItemCreateAndDelete(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	_, inv := marketing(t, acct.Sharepoint())
	it := inv.NewItem(sharepoint.Fields{"Title": "Fuchsia Mug", "Color": "Fuchsia", "Quantity": 3, "SupplierLookupId": "2"})
	if err := it.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if it.ID == "" || it.Fields.String("SupplierLookupId") != "2" {
		t.Fatalf("created %+v", it)
	}
	if _, err := inv.CreateItem(ctx, sharepoint.Fields{"Color": "Purple"}); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("bad choice: %v", err)
	}
	if err := it.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := it.Delete(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if err := inv.DeleteItem(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	if err := inv.DeleteItem(ctx, ""); !errors.Is(err, sharepoint.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
	if err := inv.NewItem(nil).Delete(ctx); !errors.Is(err, sharepoint.ErrNotSaved) {
		t.Errorf("unsaved delete: %v", err)
	}
	var unbound sharepoint.ListItem
	if err := unbound.Save(ctx); !errors.Is(err, sharepoint.ErrUnbound) {
		t.Errorf("unbound save: %v", err)
	}
}

// TestNonIndexedFilter is python-o365 issue #593: filtering on a column that is not
// indexed needs Prefer: HonorNonIndexedQueriesWarningMayFailRandomly, which
// AllowNonIndexed sends on every page.
func TestNonIndexedFilter(t *testing.T) {
	ctx := context.Background()
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	_, inv := marketing(t, acct.Sharepoint())
	red := odata.New().Filter(odata.Attr("fields/Color").Eq("Red"))
	var err error
	for _, e := range inv.Items(ctx, &sharepoint.ItemOptions{Query: red}) {
		err = e
	}
	if !errors.Is(err, graph.ErrBadRequest) || !strings.Contains(err.Error(), "HonorNonIndexedQueriesWarningMayFailRandomly") {
		t.Fatalf("without Prefer: %v", err)
	}
	rec.Take().Graph()
	items := collect(t, inv.Items(ctx, &sharepoint.ItemOptions{Query: red, AllowNonIndexed: true, PageSize: 5}))
	if len(items) == 0 {
		t.Fatal("no red items")
	}
	for _, it := range items {
		if it.Fields.String("Color") != "Red" {
			t.Errorf("item %s is %s", it.ID, it.Fields.String("Color"))
		}
	}
	reqs := rec.Take().Graph()
	if len(reqs) < 2 {
		t.Errorf("%d pages", len(reqs))
	}
	for _, r := range reqs {
		if !strings.Contains(r.Header.Get("Prefer"), "HonorNonIndexedQueriesWarningMayFailRandomly") {
			t.Errorf("page without Prefer: %s", r.Query)
		}
	}
	// Indexed columns need no header.
	big := collect(t, inv.Items(ctx, &sharepoint.ItemOptions{Query: odata.New().Filter(odata.Attr("fields/Quantity").Gt(450))}))
	if len(big) == 0 {
		t.Error("no item with Quantity > 450")
	}
}

func TestDelta(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	_, inv := marketing(t, acct.Sharepoint())
	d := inv.Delta("")
	n := 0
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Item == nil || ch.Item.Fields.String("Title") == "" {
			t.Fatalf("change %+v", ch)
		}
		n++
	}
	if n != 120 || d.DeltaLink() == "" {
		t.Fatalf("initial round: %d, link %q", n, d.DeltaLink())
	}
	latest, err := inv.LatestDeltaLink(ctx)
	if err != nil || latest == "" {
		t.Fatalf("LatestDeltaLink: %q %v", latest, err)
	}
	it, err := inv.Item(ctx, "10")
	if err != nil {
		t.Fatal(err)
	}
	it.Fields["Quantity"] = 1.0
	if err := it.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := inv.DeleteItem(ctx, "11"); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{d.DeltaLink(), latest} {
		d2 := inv.Delta(link)
		got := map[string]string{}
		for ch, err := range d2.Changes(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if ch.Removed {
				got[ch.ID] = "removed"
			} else {
				got[ch.ID] = "changed"
				if n, _ := ch.Item.Fields.Number("Quantity"); n != 1 {
					t.Errorf("changed item fields %v", ch.Item.Fields)
				}
				// Items from a delta are bound: they can be saved.
				if ch.Item.List() == nil {
					t.Error("delta item not bound")
				}
			}
		}
		if len(got) != 2 || got["10"] != "changed" || got["11"] != "removed" {
			t.Errorf("changes = %v", got)
		}
	}
	bad := inv.Delta(strings.Split(d.DeltaLink(), "?")[0] + "?token=garbage")
	for _, err := range bad.Changes(ctx) {
		if !errors.Is(err, graph.ErrGone) && !errors.Is(err, sharepoint.ErrSyncStateExpired) {
			t.Errorf("bad token: %v", err)
		}
	}
}

func TestUnboundCalls(t *testing.T) {
	ctx := context.Background()
	var site sharepoint.Site
	var list sharepoint.List
	checks := map[string]error{}
	_, checks["site.List"] = site.List(ctx, "x")
	_, checks["site.CreateList"] = site.CreateList(ctx, sharepoint.NewList{DisplayName: "x"})
	_, checks["site.DefaultDocumentLibrary"] = site.DefaultDocumentLibrary(ctx)
	_, checks["list.Item"] = list.Item(ctx, "1")
	checks["list.Delete"] = list.Delete(ctx)
	_, checks["list.CreateItem"] = list.CreateItem(ctx, nil)
	for _, err := range site.Lists(ctx, nil) {
		checks["site.Lists"] = err
	}
	for _, err := range list.Items(ctx, nil) {
		checks["list.Items"] = err
	}
	for _, err := range list.Delta("").Changes(ctx) {
		checks["list.Delta"] = err
		break
	}
	for name, err := range checks {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if !errors.Is(checks["site.List"], sharepoint.ErrUnbound) || !errors.Is(checks["list.Items"], sharepoint.ErrUnbound) {
		t.Errorf("not ErrUnbound: %v / %v", checks["site.List"], checks["list.Items"])
	}
	// A reference made by the handle does no I/O and works.
	acct, _ := o365test.Start(t)
	site2, inv := marketing(t, acct.Sharepoint())
	ref := acct.Sharepoint().SiteRef(site2.ID).ListRef(inv.ID)
	if got := collect(t, ref.Items(ctx, &sharepoint.ItemOptions{Limit: 1})); len(got) != 1 {
		t.Error("ListRef items")
	}
}
