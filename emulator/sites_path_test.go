package emulator

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSitePathSplit(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"/v1.0/sites/contoso.sharepoint.com:/sites/marketing", []string{"sites", "contoso.sharepoint.com:/sites/marketing"}},
		{"/v1.0/sites/contoso.sharepoint.com:/sites/marketing:", []string{"sites", "contoso.sharepoint.com:/sites/marketing"}},
		{"/v1.0/sites/contoso.sharepoint.com:/teams/a/b", []string{"sites", "contoso.sharepoint.com:/teams/a/b"}},
		{"/v1.0/sites/contoso.sharepoint.com:/sites/a%20b:/lists/Inventory/items", []string{"sites", "contoso.sharepoint.com:/sites/a b", "lists", "Inventory", "items"}},
		{"/v1.0/sites/contoso.sharepoint.com:/sites/m:/drive", []string{"sites", "contoso.sharepoint.com:/sites/m", "drive"}},
		{"/v1.0/sites/contoso.sharepoint.com:/sites/m:/drive/root:/a/b.txt:/content", []string{"sites", "contoso.sharepoint.com:/sites/m", "drive", "items", encodeItemRef("root", "/a/b.txt"), "content"}},
		{"/v1.0/sites/contoso.sharepoint.com:", []string{"sites", "contoso.sharepoint.com:/"}},
		{"/v1.0/sites/root/lists", []string{"sites", "root", "lists"}},
		{"/v1.0/sites/root/drive/root:/x:", []string{"sites", "root", "drive", "items", encodeItemRef("root", "/x")}},
		{"/v1.0/teams/T1/channels/19:c@thread.tacv2/messages", []string{"teams", "T1", "channels", "19:c@thread.tacv2", "messages"}},
	}
	for _, tt := range tests {
		_, got, ok := splitGraphPath(tt.path)
		if !ok || !slices.Equal(got, tt.want) {
			t.Errorf("splitGraphPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
	for _, key := range []string{"root", "contoso.sharepoint.com", "contoso.sharepoint.com,a,b", "host:nopath"} {
		if _, _, ok := siteRefPath(key); ok {
			t.Errorf("siteRefPath(%q) read a path", key)
		}
	}
}

func TestSitePathAddressing(t *testing.T) {
	f := newSiteFixture(t)
	deep := f.s.spAddSite("/teams/eng/tools", "tools", "Tools", "", "", f.s.Now())
	const base = "/v1.0/sites/contoso.sharepoint.com:"
	tests := []struct {
		name, method, path string
		status             int
		key, want          string // a top-level property and its value
		count              int
	}{
		{"site", "GET", base + "/sites/marketing", 200, "name", "marketing", -1},
		{"closing colon", "GET", base + "/sites/Marketing:", 200, "name", "marketing", -1},
		{"subsite", "GET", base + "/sites/marketing/campaigns", 200, "name", "campaigns", -1},
		{"subsite, closing colon", "GET", base + "/sites/marketing/campaigns:", 200, "id", f.campaigns.id, -1},
		{"teams path", "GET", base + "/teams/eng/tools", 200, "id", deep.id, -1},
		{"root path", "GET", base + "/", 200, "name", "Contoso", -1},
		{"escaped path", "GET", base + "/sites/marketing%2Fcampaigns", 200, "name", "campaigns", -1},
		{"unknown", "GET", base + "/sites/nope", 404, "", "", -1},
		{"unknown deep", "GET", base + "/teams/x/y:", 404, "", "", -1},
		{"other tenant", "GET", "/v1.0/sites/fabrikam.sharepoint.com:/sites/marketing", 400, "", "", -1},
		{"lists", "GET", base + "/sites/marketing:/lists", 200, "", "", 3},
		{"list by name", "GET", base + "/sites/marketing:/lists/Inventory", 200, "id", f.inventory, -1},
		{"items", "GET", base + "/sites/marketing:/lists/Inventory/items?$top=5", 200, "", "", 5},
		{"item", "GET", base + "/sites/marketing:/lists/" + f.inventory + "/items/1", 200, "id", "1", -1},
		{"subsites", "GET", base + "/sites/marketing:/sites", 200, "", "", 1},
		{"drive", "GET", base + "/sites/marketing:/drive", 200, "webUrl", "https://contoso.sharepoint.com/sites/marketing/Shared%20Documents", -1},
		{"drives", "GET", base + "/sites/marketing:/drives", 200, "", "", 1},
		{"drive of a deep site", "GET", base + "/teams/eng/tools:/drive", 200, "webUrl", "https://contoso.sharepoint.com/teams/eng/tools/Shared%20Documents", -1},
		{"put by path", "PUT", base + "/sites/marketing:/drive/root:/Plans/a b.txt:/content", 201, "name", "a b.txt", -1},
		{"get by path", "GET", base + "/sites/marketing:/drive/root:/Plans/a b.txt", 200, "webUrl", "https://contoso.sharepoint.com/sites/marketing/Shared%20Documents/Plans/a%20b.txt", -1},
		{"unknown below", "GET", base + "/sites/nope:/lists", 404, "", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ""
			if tt.method == "PUT" {
				body = "hello"
			}
			r := do(t, f.s, tt.method, tt.path, f.write, body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.key != "" && r.json[tt.key] != tt.want {
				t.Errorf("%s = %v, want %s", tt.key, r.json[tt.key], tt.want)
			}
			if tt.count >= 0 && len(r.values()) != tt.count {
				t.Errorf("%d values, want %d: %.300s", len(r.values()), tt.count, r.body)
			}
		})
	}
	// The file written by path is in the site's library, by id too.
	r := do(t, f.s, "GET", f.site(f.mkt)+"/drive/root:/Plans/a b.txt", f.read, "")
	if r.status != 200 || r.json["size"] != float64(5) {
		t.Errorf("item by site id: %d %s", r.status, r.body)
	}
}

func TestSiteOfGroup(t *testing.T) {
	f := newSiteFixture(t)
	tok := tokenFor(t, f.s, f.s.DefaultUser().UPN, "Sites.Read.All Group.Read.All")
	mkt := f.s.AddGroup("Marketing", "", true, nil, nil) // its team site is /sites/Marketing
	sec := f.s.AddGroup("Leadership", "", false, nil, nil)
	tests := []struct {
		name, path string
		status     int
		id         string
		count      int
	}{
		{"team site", "/v1.0/groups/" + mkt + "/sites/root", 200, f.mkt.id, -1},
		{"team site by id", "/v1.0/groups/" + mkt + "/sites/" + url.PathEscape(f.mkt.id), 200, f.mkt.id, -1},
		{"another site", "/v1.0/groups/" + mkt + "/sites/" + url.PathEscape(f.root.id), 404, "", -1},
		{"sites", "/v1.0/groups/" + mkt + "/sites", 200, "", 1},
		{"security group", "/v1.0/groups/" + sec + "/sites/root", 404, "", -1},
		{"security group sites", "/v1.0/groups/" + sec + "/sites", 200, "", 0},
		{"unknown group", "/v1.0/groups/nope/sites/root", 404, "", -1},
		{"no permission", "/v1.0/groups/" + mkt + "/sites/root", 403, "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tok
			if tt.status == 403 {
				token = f.none
			}
			r := do(t, f.s, "GET", tt.path, token, "")
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if tt.id != "" && r.json["id"] != tt.id {
				t.Errorf("id %v, want %s", r.json["id"], tt.id)
			}
			if tt.count >= 0 && len(r.values()) != tt.count {
				t.Errorf("%d values, want %d", len(r.values()), tt.count)
			}
		})
	}
}

func TestSiteListDrive(t *testing.T) {
	f := newSiteFixture(t)
	def := do(t, f.s, "GET", f.site(f.mkt)+"/drive", f.read, "")
	docs := do(t, f.s, "GET", f.site(f.mkt)+"/lists/Documents/drive", f.read, "")
	if docs.status != 200 || def.status != 200 || docs.json["id"] != def.json["id"] {
		t.Fatalf("library drive %d %v, site drive %d %v", docs.status, docs.json["id"], def.status, def.json["id"])
	}
	if r := do(t, f.s, "GET", f.site(f.mkt)+"/lists/"+f.inventory+"/drive", f.read, ""); r.status != 404 {
		t.Errorf("generic list drive: %d", r.status)
	}
	if r := do(t, f.s, "GET", f.site(f.mkt)+"/lists/nope/drive", f.read, ""); r.status != 404 {
		t.Errorf("unknown list drive: %d", r.status)
	}
	if r := do(t, f.s, "GET", f.site(f.mkt)+"/lists/Documents/drive", f.none, ""); r.status != 403 {
		t.Errorf("no permission: %d", r.status)
	}
	lib := do(t, f.s, "POST", f.site(f.mkt)+"/lists", f.manage, `{"displayName":"Reports","list":{"template":"documentLibrary"}}`)
	if lib.status != 201 {
		t.Fatal(lib.status, string(lib.body))
	}
	r := do(t, f.s, "GET", f.site(f.mkt)+"/lists/"+lib.json["id"].(string)+"/drive", f.read, "")
	if r.status != 200 || r.json["name"] != "Reports" || r.json["webUrl"] != "https://contoso.sharepoint.com/sites/marketing/Reports" {
		t.Fatalf("new library drive: %d %s", r.status, r.body)
	}
	again := do(t, f.s, "GET", "/v1.0/sites/contoso.sharepoint.com:/sites/marketing:/lists/Reports/drive", f.read, "")
	if again.json["id"] != r.json["id"] {
		t.Errorf("library drive changed: %v then %v", r.json["id"], again.json["id"])
	}
	if n := len(do(t, f.s, "GET", f.site(f.mkt)+"/drives", f.read, "").values()); n != 2 {
		t.Errorf("%d site drives, want 2", n)
	}
}

func TestSiteDriveOwnerAndWebURL(t *testing.T) {
	f := newSiteFixture(t)
	for _, tt := range []struct {
		site        *spSite
		owner, web  string
		defaultName string
	}{
		{f.mkt, "Marketing", "https://contoso.sharepoint.com/sites/marketing/Shared%20Documents", "Documents"},
		{f.root, "Contoso", "https://contoso.sharepoint.com/Shared%20Documents", "Documents"},
		{f.campaigns, "Campaigns", "https://contoso.sharepoint.com/sites/marketing/campaigns/Shared%20Documents", "Documents"},
	} {
		r := do(t, f.s, "GET", f.site(tt.site)+"/drive", f.read, "")
		owner, _ := r.json["owner"].(map[string]any)
		g, _ := owner["group"].(map[string]any)
		if r.status != 200 || g["displayName"] != tt.owner || r.json["webUrl"] != tt.web || r.json["name"] != tt.defaultName {
			t.Errorf("%s drive: %d owner %v webUrl %v", tt.site.name, r.status, owner, r.json["webUrl"])
		}
	}
	if r := do(t, f.s, "PUT", f.site(f.mkt)+"/drive/root:/Brand/logo v2.txt:/content", f.write, "x"); r.status != 201 ||
		r.json["webUrl"] != "https://contoso.sharepoint.com/sites/marketing/Shared%20Documents/Brand/logo%20v2.txt" {
		t.Errorf("item: %d %v", r.status, r.json["webUrl"])
	}
	for _, key := range []string{f.mkt.id, strings.ToUpper(f.mkt.id), spHost + "," + f.mkt.siteGUID, "contoso.sharepoint.com:/sites/marketing"} {
		id, name, web, ok := f.s.siteInfo(key)
		if !ok || id != f.mkt.id || name != "Marketing" || web != "https://contoso.sharepoint.com/sites/marketing" {
			t.Errorf("siteInfo(%q) = %q %q %q %v", key, id, name, web, ok)
		}
	}
	if id, name, _, ok := f.s.siteInfo("root"); !ok || id != f.root.id || name != "Contoso" {
		t.Errorf("siteInfo(root) = %q %q %v", id, name, ok)
	}
	for _, key := range []string{"nope", "", "fabrikam.sharepoint.com", "contoso.sharepoint.com:/sites/nope"} {
		if _, _, _, ok := f.s.siteInfo(key); ok {
			t.Errorf("siteInfo(%q) found a site", key)
		}
	}
}

// subscribeAll creates one subscription per resource and returns their ids.
func subscribeAll(t *testing.T, s *Server, token, notifyURL string, resources []string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, res := range resources {
		r := do(t, s, "POST", "/v1.0/subscriptions", token, subBody(res, notifyURL, "updated", s.Now().Add(24*time.Hour), ""))
		if r.status != 201 {
			t.Fatalf("subscribe %s: %d %s", res, r.status, r.body)
		}
		ids[r.json["id"].(string)] = res
	}
	return ids
}

// expectEach waits for one notification per subscription.
func expectEach(t *testing.T, r *testReceiver, ids map[string]string) {
	t.Helper()
	got := map[string]bool{}
	for range ids {
		n := r.next(t)
		id, _ := n["subscriptionId"].(string)
		if _, ok := ids[id]; !ok || got[id] {
			t.Errorf("unexpected notification %v", n)
		}
		got[id] = true
	}
	for id, res := range ids {
		if !got[id] {
			t.Errorf("no notification for %s", res)
		}
	}
}

func TestSubscriptionSiteListForms(t *testing.T) {
	f := newSiteFixture(t)
	fastDelivery(f.s)
	rcv := newReceiver(t)
	mkt := subscribeAll(t, f.s, f.write, rcv.srv.URL, []string{
		"sites/" + f.mkt.id + "/lists/" + f.inventory,
		"sites/" + f.mkt.id + "/lists/Inventory",
		"/sites/" + strings.ToUpper(f.mkt.id) + "/lists/inventory",
		"sites/" + spHost + "," + f.mkt.siteGUID + "/lists/" + f.inventory,
		"sites/" + f.mkt.siteGUID + "/lists/" + f.inventory,
		"sites/contoso.sharepoint.com:/sites/marketing:/lists/Inventory",
		"/sites/contoso.sharepoint.com:/sites/Marketing:/lists/" + f.inventory,
	})
	if r := do(t, f.s, "PATCH", f.items()+"/1/fields", f.write, `{"Title":"Changed"}`); r.status != 200 {
		t.Fatal(r.status, string(r.body))
	}
	expectEach(t, rcv, mkt)

	if r := do(t, f.s, "POST", "/v1.0/sites/root/lists", f.manage, `{"displayName":"Tasks"}`); r.status != 201 {
		t.Fatal(r.status, string(r.body))
	}
	root := subscribeAll(t, f.s, f.write, rcv.srv.URL, []string{
		"sites/root/lists/Tasks",
		"sites/contoso.sharepoint.com/lists/Tasks",
		"sites/contoso.sharepoint.com:/:/lists/Tasks",
	})
	if r := do(t, f.s, "POST", "/v1.0/sites/root/lists/Tasks/items", f.write, `{"fields":{"Title":"One"}}`); r.status != 201 {
		t.Fatal(r.status, string(r.body))
	}
	expectEach(t, rcv, root)

	for _, res := range []string{"sites/root/lists/nope", "sites/nope/lists/Tasks", "sites/contoso.sharepoint.com:/sites/nope:/lists/Tasks"} {
		if r := do(t, f.s, "POST", "/v1.0/subscriptions", f.write, subBody(res, rcv.srv.URL, "updated", f.s.Now().Add(time.Hour), "")); r.status != 404 {
			t.Errorf("%s: %d %s", res, r.status, r.body)
		}
	}
}

func TestSubscriptionDriveForms(t *testing.T) {
	s := Start(t)
	fastDelivery(s)
	rcv := newReceiver(t)
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "Files.ReadWrite.All Sites.ReadWrite.All Group.Read.All")
	me := do(t, s, "GET", "/v1.0/me/drive", tok, "")
	if me.status != 200 {
		t.Fatal(me.status, string(me.body))
	}
	own := subscribeAll(t, s, tok, rcv.srv.URL, []string{
		"/me/drive/root",
		"me/drive/root",
		"/drive/root",
		"/users/" + adele.ID + "/drive/root",
		"users/" + adele.UPN + "/drive/root",
		"drives/" + me.json["id"].(string) + "/root",
	})
	if r := do(t, s, "PUT", "/v1.0/me/drive/root:/watched.txt:/content", tok, "x"); r.status != 201 {
		t.Fatal(r.status, string(r.body))
	}
	expectEach(t, rcv, own)

	mkt, _ := s.siteCanonicalID("contoso.sharepoint.com:/sites/marketing")
	site := subscribeAll(t, s, tok, rcv.srv.URL, []string{
		"/sites/" + mkt + "/drive/root",
		"sites/contoso.sharepoint.com:/sites/marketing:/drive/root",
		"sites/" + strings.ToUpper(mkt) + "/drive/root",
	})
	if r := do(t, s, "PUT", "/v1.0/sites/"+url.PathEscape(mkt)+"/drive/root:/watched.txt:/content", tok, "x"); r.status != 201 {
		t.Fatal(r.status, string(r.body))
	}
	expectEach(t, rcv, site)

	rootSite := subscribeAll(t, s, tok, rcv.srv.URL, []string{"sites/root/drive/root", "sites/contoso.sharepoint.com/drive/root"})
	if r := do(t, s, "PUT", "/v1.0/sites/root/drive/root:/watched.txt:/content", tok, "x"); r.status != 201 {
		t.Fatal(r.status, string(r.body))
	}
	expectEach(t, rcv, rootSite)

	gid := s.AddGroup("Retail", "", true, []string{adele.UPN}, []string{adele.UPN})
	group := subscribeAll(t, s, tok, rcv.srv.URL, []string{"/groups/" + gid + "/drive/root", "groups/" + strings.ToUpper(gid) + "/drive/root"})
	if r := do(t, s, "PUT", "/v1.0/groups/"+gid+"/drive/root:/watched.txt:/content", tok, "x"); r.status != 201 {
		t.Fatal(r.status, string(r.body))
	}
	expectEach(t, rcv, group)

	for _, res := range []string{"sites/nope/drive/root", "groups/nope/drive/root"} {
		if r := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody(res, rcv.srv.URL, "updated", s.Now().Add(time.Hour), "")); r.status != 404 {
			t.Errorf("%s: %d %s", res, r.status, r.body)
		}
	}
}

// TestSiteGroupDriveIsTeamSiteLibrary: a group's drive is its team site's
// default library, whichever way it is reached.
func TestSiteGroupDriveIsTeamSiteLibrary(t *testing.T) {
	f := newSiteFixture(t)
	gid := f.s.AddGroup("Marketing", "", true, nil, nil)
	tok := tokenFor(t, f.s, f.s.DefaultUser().UPN, "Sites.ReadWrite.All Group.Read.All")
	byGroup := do(t, f.s, "GET", "/v1.0/groups/"+gid+"/drive", tok, "")
	bySite := do(t, f.s, "GET", f.site(f.mkt)+"/drive", tok, "")
	byTeamSite := do(t, f.s, "GET", "/v1.0/groups/"+gid+"/sites/root", tok, "")
	if byGroup.status != 200 || byGroup.json["id"] != bySite.json["id"] || byTeamSite.json["id"] != f.mkt.id {
		t.Errorf("group drive %d %v, site drive %v, team site %v", byGroup.status, byGroup.json["id"], bySite.json["id"], byTeamSite.json["id"])
	}
	if byGroup.json["webUrl"] != "https://contoso.sharepoint.com/sites/marketing/Shared%20Documents" {
		t.Errorf("webUrl %v", byGroup.json["webUrl"])
	}
}
