package emulator

import (
	"net/url"
	"strings"
	"testing"
)

// siteFixture is an emulator with SharePoint tokens and the seeded ids.
type siteFixture struct {
	s                         *Server
	read, write, manage, none string
	mkt, campaigns, root      *spSite
	inventory, suppliers      string
}

func newSiteFixture(t *testing.T) *siteFixture {
	t.Helper()
	s := Start(t)
	u := s.DefaultUser().UPN
	f := &siteFixture{
		s:      s,
		read:   tokenFor(t, s, u, "Sites.Read.All"),
		write:  tokenFor(t, s, u, "Sites.ReadWrite.All"),
		manage: tokenFor(t, s, u, "Sites.Manage.All"),
		none:   tokenFor(t, s, u, "User.Read"),
	}
	var gerr *graphError
	if f.root, gerr = s.spResolveSite("root"); gerr != nil {
		t.Fatal(gerr)
	}
	if f.mkt, gerr = s.spSiteByPath(spHost, "/sites/marketing"); gerr != nil {
		t.Fatal(gerr)
	}
	if f.campaigns, gerr = s.spSiteByPath(spHost, "/sites/marketing/campaigns"); gerr != nil {
		t.Fatal(gerr)
	}
	s.sites.mu.Lock()
	f.inventory = s.sites.findList(f.mkt.id, "Inventory").id
	f.suppliers = s.sites.findList(f.mkt.id, "Suppliers").id
	s.sites.mu.Unlock()
	return f
}

func (f *siteFixture) site(st *spSite) string { return "/v1.0/sites/" + url.PathEscape(st.id) }

func (f *siteFixture) items() string {
	return f.site(f.mkt) + "/lists/" + f.inventory + "/items"
}

func TestSiteAddressing(t *testing.T) {
	f := newSiteFixture(t)
	tests := []struct {
		name, path, token string
		status            int
		wantName, code    string
		count             int
	}{
		{"root", "/v1.0/sites/root", f.read, 200, "Contoso", "", -1},
		{"host name", "/v1.0/sites/contoso.sharepoint.com", f.read, 200, "Contoso", "", -1},
		{"full id", f.site(f.mkt), f.read, 200, "marketing", "", -1},
		{"full id, upper case guids", "/v1.0/sites/" + strings.ToUpper(f.mkt.id), f.read, 200, "marketing", "", -1},
		{"collection id", "/v1.0/sites/" + spHost + "," + f.mkt.siteGUID, f.read, 200, "marketing", "", -1},
		{"collection guid", "/v1.0/sites/" + f.mkt.siteGUID, f.read, 200, "marketing", "", -1},
		{"by path", "/v1.0/sites/contoso.sharepoint.com:/sites/marketing", f.read, 200, "marketing", "", -1},
		{"by path, closing colon", "/v1.0/sites/contoso.sharepoint.com:/sites/Marketing:", f.read, 200, "marketing", "", -1},
		{"by path, unknown", "/v1.0/sites/contoso.sharepoint.com:/sites/nope", f.read, 404, "", "itemNotFound", -1},
		{"other tenant", "/v1.0/sites/fabrikam.sharepoint.com", f.read, 400, "", "invalidRequest", -1},
		{"unknown id", "/v1.0/sites/" + spHost + ",00000000-0000-4000-8000-000000000000,00000000-0000-4000-8000-000000000000", f.read, 404, "", "itemNotFound", -1},
		{"subsites", f.site(f.mkt) + "/sites", f.read, 200, "", "", 1},
		{"subsite", f.site(f.mkt) + "/sites/" + url.PathEscape(f.campaigns.id), f.read, 200, "campaigns", "", -1},
		{"not a subsite", f.site(f.root) + "/sites/" + url.PathEscape(f.campaigns.id), f.read, 404, "", "itemNotFound", -1},
		{"site collections", "/v1.0/sites", f.read, 200, "", "", 3},
		{"search", "/v1.0/sites?search=marketing", f.read, 200, "", "", 1},
		{"search prefix", "/v1.0/sites?search=camp", f.read, 200, "", "", 2},
		{"search empty", "/v1.0/sites?search=", f.read, 200, "", "", 4},
		{"search all", "/v1.0/sites?search=*", f.read, 200, "", "", 4},
		{"search nothing", "/v1.0/sites?search=zebra", f.read, 200, "", "", 0},
		{"no permission", "/v1.0/sites/root", f.none, 403, "", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, f.s, "GET", tt.path, tt.token, "")
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.code != "" && r.errCode() != tt.code {
				t.Errorf("code %q, want %q", r.errCode(), tt.code)
			}
			if tt.wantName != "" && r.json["name"] != tt.wantName {
				t.Errorf("name %v, want %s", r.json["name"], tt.wantName)
			}
			if tt.count >= 0 && len(r.values()) != tt.count {
				t.Errorf("%d sites, want %d: %s", len(r.values()), tt.count, r.body)
			}
		})
	}
}

func TestSiteShapeAndPaging(t *testing.T) {
	f := newSiteFixture(t)
	r := do(t, f.s, "GET", f.site(f.root), f.read, "")
	for _, k := range []string{"id", "name", "displayName", "webUrl", "createdDateTime", "lastModifiedDateTime", "root", "siteCollection"} {
		if _, ok := r.json[k]; !ok {
			t.Errorf("root site lacks %s: %s", k, r.body)
		}
	}
	if r.json["webUrl"] != "https://contoso.sharepoint.com" {
		t.Errorf("webUrl %v", r.json["webUrl"])
	}
	if _, ok := r.json["sharepointIds"]; ok {
		t.Error("sharepointIds returned without $select")
	}
	r = do(t, f.s, "GET", f.site(f.mkt)+"?$select=id,sharepointIds", f.read, "")
	ids, _ := r.json["sharepointIds"].(map[string]any)
	if ids["webId"] != f.mkt.webGUID || ids["siteId"] != f.mkt.siteGUID {
		t.Errorf("sharepointIds %v", ids)
	}
	if _, ok := f.s.spResolveSite(f.mkt.id); ok != nil || !f.s.siteExists(f.mkt.id) || !f.s.siteExists("root") || f.s.siteExists("nope") {
		t.Error("siteExists")
	}
	if id, ok := f.s.siteCanonicalID(spHost); !ok || id != f.root.id {
		t.Errorf("siteCanonicalID = %q", id)
	}
	// Every page of a search.
	seen := 0
	next := "/v1.0/sites?search=*&$top=1"
	for next != "" && seen < 10 {
		r := do(t, f.s, "GET", next, f.read, "")
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		seen += len(r.values())
		next, _ = r.json["@odata.nextLink"].(string)
	}
	if seen != 4 {
		t.Errorf("paged search saw %d sites", seen)
	}
}

func TestSiteLists(t *testing.T) {
	f := newSiteFixture(t)
	lists := f.site(f.mkt) + "/lists"
	r := do(t, f.s, "GET", lists, f.read, "")
	if r.status != 200 || len(r.values()) != 3 {
		t.Fatalf("lists: %d %s", r.status, r.body)
	}
	for _, key := range []string{"Inventory", "inventory", f.inventory} {
		r := do(t, f.s, "GET", lists+"/"+url.PathEscape(key), f.read, "")
		if r.status != 200 || r.json["id"] != f.inventory {
			t.Errorf("GET list %q: %d %s", key, r.status, r.body)
		}
		if l, _ := r.json["list"].(map[string]any); l["template"] != "genericList" {
			t.Errorf("list facet %v", r.json["list"])
		}
	}
	r = do(t, f.s, "GET", lists+"/Inventory?$expand=columns", f.read, "")
	if cols, _ := r.json["columns"].([]any); len(cols) < 10 {
		t.Errorf("expanded columns: %s", r.body)
	}
	body := `{"displayName":"Books","columns":[{"name":"Author","text":{}},{"name":"PageCount","number":{}}],"list":{"template":"genericList"}}`
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"unknown list", "GET", lists + "/Nope", f.read, "", 404, "itemNotFound"},
		{"unknown site", "GET", "/v1.0/sites/contoso.sharepoint.com:/sites/nope", f.read, "", 404, "itemNotFound"},
		{"create needs Sites.Manage.All", "POST", lists, f.write, body, 403, ""},
		{"create", "POST", lists, f.manage, body, 201, ""},
		{"duplicate", "POST", lists, f.manage, body, 409, "nameAlreadyExists"},
		{"no name", "POST", lists, f.manage, `{"list":{"template":"genericList"}}`, 400, "invalidRequest"},
		{"bad template", "POST", lists, f.manage, `{"displayName":"X","list":{"template":"spaceship"}}`, 400, "invalidRequest"},
		{"two facets", "POST", lists, f.manage, `{"displayName":"X","columns":[{"name":"A","text":{},"number":{}}]}`, 400, "invalidRequest"},
		{"no facet", "POST", lists, f.manage, `{"displayName":"X","columns":[{"name":"A"}]}`, 400, "invalidRequest"},
		{"column name with space", "POST", lists, f.manage, `{"displayName":"X","columns":[{"name":"A B","text":{}}]}`, 400, "invalidRequest"},
		{"duplicate column", "POST", lists, f.manage, `{"displayName":"X","columns":[{"name":"Title","text":{}}]}`, 409, "nameAlreadyExists"},
		{"unknown property", "POST", lists, f.manage, `{"displayName":"X","colour":"red"}`, 400, "RequestBodyRead"},
		{"rename", "PATCH", lists + "/Books", f.manage, `{"displayName":"Novels","description":"Fiction"}`, 200, ""},
		{"rename to a taken name", "PATCH", lists + "/Novels", f.manage, `{"displayName":"Inventory"}`, 409, "nameAlreadyExists"},
		{"patch read-only", "PATCH", lists + "/Novels", f.manage, `{"webUrl":"x"}`, 400, "invalidRequest"},
		{"delete", "DELETE", lists + "/Novels", f.manage, "", 204, ""},
		{"deleted", "GET", lists + "/Novels", f.read, "", 404, "itemNotFound"},
		{"delete needs Sites.Manage.All", "DELETE", lists + "/Suppliers", f.write, "", 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, f.s, tt.method, tt.path, tt.token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.code != "" && r.errCode() != tt.code {
				t.Errorf("code %q, want %q", r.errCode(), tt.code)
			}
		})
	}
}

func TestSiteColumnsAndContentTypes(t *testing.T) {
	f := newSiteFixture(t)
	list := f.site(f.mkt) + "/lists/" + f.inventory
	r := do(t, f.s, "GET", list+"/columns", f.read, "")
	types := map[string]string{}
	var quantityID string
	for _, c := range r.values() {
		types[c["name"].(string)] = spColumnType(c)
		if c["name"] == "Quantity" {
			quantityID = c["id"].(string)
			if c["indexed"] != true {
				t.Error("Quantity is not indexed")
			}
		}
	}
	want := map[string]string{"Title": "text", "Name": "text", "Color": "choice", "Quantity": "number", "Price": "currency",
		"InStock": "boolean", "Restocked": "dateTime", "Owner": "personOrGroup", "Supplier": "lookup"}
	for n, ty := range want {
		if types[n] != ty {
			t.Errorf("column %s is %q, want %q", n, types[n], ty)
		}
	}
	if r := do(t, f.s, "GET", list+"/columns/"+quantityID, f.read, ""); r.status != 200 || r.json["name"] != "Quantity" {
		t.Errorf("column by id: %d %s", r.status, r.body)
	}
	r = do(t, f.s, "POST", list+"/columns", f.manage, `{"name":"Notes","text":{"allowMultipleLines":true}}`)
	if r.status != 201 || r.json["displayName"] != "Notes" || r.json["columnGroup"] != "Custom Columns" {
		t.Fatalf("add column: %d %s", r.status, r.body)
	}
	notes := r.json["id"].(string)
	tests := []struct {
		name, method, path, token, body string
		status                          int
	}{
		{"add column needs manage", "POST", list + "/columns", f.write, `{"name":"X","text":{}}`, 403},
		{"duplicate column", "POST", list + "/columns", f.manage, `{"name":"Notes","text":{}}`, 409},
		{"bad choice facet", "POST", list + "/columns", f.manage, `{"name":"C","choice":{"choices":"a"}}`, 400},
		{"unknown column", "GET", list + "/columns/nope", f.read, "", 404},
		{"delete built-in", "DELETE", list + "/columns/Title", f.manage, "", 403},
		{"delete column", "DELETE", list + "/columns/" + notes, f.manage, "", 204},
		{"deleted column", "GET", list + "/columns/" + notes, f.read, "", 404},
		{"list content types", "GET", list + "/contentTypes", f.read, "", 200},
		{"site content types", "GET", f.site(f.mkt) + "/contentTypes", f.read, "", 200},
		{"site content type", "GET", f.site(f.mkt) + "/contentTypes/0x0101", f.read, "", 200},
		{"unknown content type", "GET", f.site(f.mkt) + "/contentTypes/0x0199", f.read, "", 404},
		{"site columns", "GET", f.site(f.mkt) + "/columns", f.read, "", 200},
		{"add site column", "POST", f.site(f.mkt) + "/columns", f.manage, `{"name":"Region","choice":{"choices":["EMEA","APAC"]}}`, 201},
		{"duplicate site column", "POST", f.site(f.mkt) + "/columns", f.manage, `{"name":"Region","text":{}}`, 409},
		{"create content type", "POST", f.site(f.mkt) + "/contentTypes", f.manage, `{"name":"Campaign","base":{"id":"0x01","name":"Item"},"group":"Marketing"}`, 201},
		{"duplicate content type", "POST", f.site(f.mkt) + "/contentTypes", f.manage, `{"name":"Campaign","base":{"id":"0x01"}}`, 409},
		{"content type without name", "POST", f.site(f.mkt) + "/contentTypes", f.manage, `{"base":{"id":"0x01"}}`, 400},
		{"content type with unknown base", "POST", f.site(f.mkt) + "/contentTypes", f.manage, `{"name":"Z","base":{"id":"0x0199"}}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, f.s, tt.method, tt.path, tt.token, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
		})
	}
	r = do(t, f.s, "GET", f.site(f.mkt)+"/contentTypes?$filter=name%20eq%20'Campaign'", f.read, "")
	if v := r.values(); len(v) != 1 || !strings.HasPrefix(v[0]["id"].(string), "0x0100") || v[0]["parentId"] != "0x01" {
		t.Errorf("created content type: %s", r.body)
	}
}

func TestSiteListItems(t *testing.T) {
	f := newSiteFixture(t)
	items := f.items()
	// Every page, 100 at a time by default.
	total, pages := 0, 0
	next := items
	for next != "" && pages < 10 {
		r := do(t, f.s, "GET", next, f.read, "")
		if r.status != 200 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		for _, it := range r.values() {
			if _, ok := it["fields"]; ok {
				t.Fatal("fields returned without $expand")
			}
		}
		total += len(r.values())
		pages++
		next, _ = r.json["@odata.nextLink"].(string)
	}
	if total != 120 || pages != 2 {
		t.Errorf("%d items in %d pages", total, pages)
	}
	r := do(t, f.s, "GET", items+"?$expand=fields($select=Title,Color)&$top=3", f.read, "")
	for _, it := range r.values() {
		fields := it["fields"].(map[string]any)
		if len(fields) != 2 || fields["Title"] == nil || fields["Color"] == nil {
			t.Errorf("selected fields: %v", fields)
		}
	}
	r = do(t, f.s, "GET", items+"/5?expand=fields", f.read, "")
	fields, _ := r.json["fields"].(map[string]any)
	if r.status != 200 || r.json["id"] != "5" || fields["Name"] != "Cap" && fields["Name"] == nil || fields["SupplierLookupId"] == nil {
		t.Errorf("item 5: %d %s", r.status, r.body)
	}
	r = do(t, f.s, "POST", items, f.write, `{"fields":{"Title":"Blue Mug #121","Name":"Mug","Color":"Blue","Quantity":12,"InStock":true,"Restocked":"2026-11-01T00:00:00Z","SupplierLookupId":2}}`)
	if r.status != 201 || r.json["id"] != "121" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	created := r.json["fields"].(map[string]any)
	if created["Quantity"] != 12.0 || created["SupplierLookupId"] != "2" || created["Color"] != "Blue" {
		t.Errorf("created fields: %v", created)
	}
	etag := r.json["eTag"].(string)
	tests := []struct {
		name, method, path, token, body string
		hdr                             []string
		status                          int
		code                            string
	}{
		{"create needs write", "POST", items, f.read, `{"fields":{"Title":"x"}}`, nil, 403, ""},
		{"unknown field", "POST", items, f.write, `{"fields":{"Colour":"Red"}}`, nil, 400, "invalidRequest"},
		{"not a choice", "POST", items, f.write, `{"fields":{"Color":"Purple"}}`, nil, 400, "invalidRequest"},
		{"number as text", "POST", items, f.write, `{"fields":{"Quantity":"many"}}`, nil, 400, "invalidRequest"},
		{"boolean as text", "POST", items, f.write, `{"fields":{"InStock":"yes"}}`, nil, 400, "invalidRequest"},
		{"bad date", "POST", items, f.write, `{"fields":{"Restocked":"yesterday"}}`, nil, 400, "invalidRequest"},
		{"read-only field", "POST", items, f.write, `{"fields":{"Created":"2020-01-01T00:00:00Z"}}`, nil, 400, "invalidRequest"},
		{"lookup without LookupId", "POST", items, f.write, `{"fields":{"Supplier":"Fabrikam"}}`, nil, 400, "invalidRequest"},
		{"fields not an object", "POST", items, f.write, `{"fields":[1]}`, nil, 400, "invalidRequest"},
		{"unknown item property", "POST", items, f.write, `{"colour":1}`, nil, 400, "RequestBodyRead"},
		{"update", "PATCH", items + "/121/fields", f.write, `{"Quantity":0,"InStock":false}`, nil, 200, ""},
		{"update with a stale etag", "PATCH", items + "/121/fields", f.write, `{"Quantity":1}`, []string{"If-Match", etag}, 412, ""},
		{"update unknown field", "PATCH", items + "/121/fields", f.write, `{"Colour":"Red"}`, nil, 400, "invalidRequest"},
		{"update unknown item", "PATCH", items + "/999/fields", f.write, `{"Quantity":1}`, nil, 404, "itemNotFound"},
		{"fields", "GET", items + "/121/fields", f.read, "", nil, 200, ""},
		{"delete needs write", "DELETE", items + "/121", f.read, "", nil, 403, ""},
		{"delete", "DELETE", items + "/121", f.write, "", nil, 204, ""},
		{"deleted", "GET", items + "/121", f.read, "", nil, 404, "itemNotFound"},
		{"delete again", "DELETE", items + "/121", f.write, "", nil, 404, "itemNotFound"},
		{"unknown list", "GET", f.site(f.mkt) + "/lists/Nope/items", f.read, "", nil, 404, "itemNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, f.s, tt.method, tt.path, tt.token, tt.body, tt.hdr...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.code != "" && r.errCode() != tt.code {
				t.Errorf("code %q, want %q", r.errCode(), tt.code)
			}
			if tt.name == "update" {
				if r.json["Quantity"] != 0.0 || r.json["InStock"] != false || r.json["Color"] != "Blue" || r.json["_UIVersionString"] != "2.0" {
					t.Errorf("updated fields: %s", r.body)
				}
			}
		})
	}
}

// TestSiteListItemNonIndexedFilter: SharePoint refuses $filter and
// $orderby on columns that are not indexed unless the request has
// Prefer: HonorNonIndexedQueriesWarningMayFailRandomly (python-o365 #593).
func TestSiteListItemNonIndexedFilter(t *testing.T) {
	f := newSiteFixture(t)
	items := f.items() + "?$expand=fields&"
	prefer := []string{"Prefer", "HonorNonIndexedQueriesWarningMayFailRandomly"}
	tests := []struct {
		name, query string
		hdr         []string
		status      int
		check       func(fields map[string]any) bool
	}{
		{"non-indexed filter", "$filter=fields/Color%20eq%20'Red'", nil, 400, nil},
		{"non-indexed filter with Prefer", "$filter=fields/Color%20eq%20'Red'", prefer, 200, func(f map[string]any) bool { return f["Color"] == "Red" }},
		{"Prefer among others", "$filter=fields/Color%20eq%20'Red'", []string{"Prefer", "odata.maxpagesize=10, HonorNonIndexedQueriesWarningMayFailRandomly"}, 200, nil},
		{"indexed filter", "$filter=fields/Quantity%20gt%20400", nil, 200, func(f map[string]any) bool { return f["Quantity"].(float64) > 400 }},
		{"non-indexed orderby", "$orderby=fields/Price%20desc", nil, 400, nil},
		{"non-indexed orderby with Prefer", "$orderby=fields/Price%20desc", prefer, 200, nil},
		{"unknown column", "$filter=fields/Colour%20eq%20'Red'", prefer, 400, nil},
		{"field name inside a literal", "$filter=fields/Quantity%20gt%201%20and%20fields/Quantity%20ne%20'fields/Color'", nil, 200, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, f.s, "GET", items+tt.query, f.read, "", tt.hdr...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if r.status == 400 {
				if r.errCode() != "invalidRequest" {
					t.Errorf("code %q", r.errCode())
				}
				if strings.Contains(tt.name, "non-indexed") && !strings.Contains(r.errMessage(), "HonorNonIndexedQueriesWarningMayFailRandomly") {
					t.Errorf("message does not say what to do: %s", r.errMessage())
				}
				return
			}
			if len(r.values()) == 0 {
				t.Fatal("nothing matched")
			}
			for _, it := range r.values() {
				if fields := it["fields"].(map[string]any); tt.check != nil && !tt.check(fields) {
					t.Errorf("unexpected item %v", fields)
				}
			}
		})
	}
}

func TestSiteListItemDelta(t *testing.T) {
	f := newSiteFixture(t)
	delta := f.items() + "/delta"
	round := func(link string) (items []map[string]any, deltaLink string) {
		t.Helper()
		for pages := 0; link != "" && pages < 20; pages++ {
			r := do(t, f.s, "GET", link, f.read, "", "Prefer", "odata.maxpagesize=50")
			if r.status != 200 {
				t.Fatalf("delta: %d %s", r.status, r.body)
			}
			items = append(items, r.values()...)
			link, _ = r.json["@odata.nextLink"].(string)
			deltaLink, _ = r.json["@odata.deltaLink"].(string)
		}
		return items, deltaLink
	}
	first, dl := round(delta)
	if len(first) != 120 || dl == "" {
		t.Fatalf("initial round: %d items, deltaLink %q", len(first), dl)
	}
	if _, ok := first[0]["fields"]; !ok {
		t.Error("delta items lack fields")
	}
	latest := do(t, f.s, "GET", delta+"?token=latest", f.read, "")
	latestLink, _ := latest.json["@odata.deltaLink"].(string)
	if latest.status != 200 || len(latest.values()) != 0 || latestLink == "" {
		t.Fatalf("token=latest: %d %s", latest.status, latest.body)
	}
	if r := do(t, f.s, "PATCH", f.items()+"/3/fields", f.write, `{"Quantity":1}`); r.status != 200 {
		t.Fatal(r.status, string(r.body))
	}
	if r := do(t, f.s, "DELETE", f.items()+"/4", f.write, ""); r.status != 204 {
		t.Fatal(r.status)
	}
	if r := do(t, f.s, "POST", f.items(), f.write, `{"fields":{"Title":"New"}}`); r.status != 201 {
		t.Fatal(r.status)
	}
	for _, link := range []string{dl, latestLink} {
		changes, next := round(link)
		got := map[string]string{}
		for _, c := range changes {
			id := c["id"].(string)
			if _, removed := c["@removed"]; removed {
				got[id] = "removed"
			} else {
				got[id] = "changed"
			}
		}
		want := map[string]string{"3": "changed", "4": "removed", "121": "changed"}
		if len(got) != len(want) || got["3"] != want["3"] || got["4"] != want["4"] || got["121"] != want["121"] {
			t.Errorf("changes since %s: %v", link, got)
		}
		if again, _ := round(next); len(again) != 0 {
			t.Errorf("no changes expected, got %d", len(again))
		}
	}
	for _, bad := range []string{"garbage", "SPeyJsIjoieCJ9"} {
		if r := do(t, f.s, "GET", delta+"?token="+bad, f.read, ""); r.status != 410 {
			t.Errorf("token %s: %d", bad, r.status)
		}
	}
}
