package emulator

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// TestGroupsRoutesAreGraphPaths checks every directory and group route the
// emulator serves against the Graph v1.0 path list.
func TestGroupsRoutesAreGraphPaths(t *testing.T) {
	s := Start(t)
	sample := strings.NewReplacer("{user}", "AdeleV@contoso.onmicrosoft.com", "{group-id}", "02bd9fd6-8f93-4758-87c3-1fb73740a315",
		"{directoryObject-id}", "87d349ed-44d7-43e1-9a83-5f2406dee5bd")
	n := 0
	for _, r := range s.router.routes {
		p := strings.Join(r.pattern, "/")
		if !strings.HasPrefix(p, "groups") && !strings.HasPrefix(p, "invitations") && !strings.Contains(p, "memberOf") &&
			!strings.Contains(p, "photo") && !strings.Contains(p, "manager/$ref") && !(p == "users" || p == "users/{user}") {
			continue
		}
		n++
		if p == "invitations" {
			// POST /invitations is Graph v1.0 (invitation-post.md) but not in
			// the OpenAPI path list graphspec embeds.
			continue
		}
		path := "/v1.0/" + sample.Replace(p)
		if _, ok := graphspec.Match(r.method, path); !ok {
			t.Errorf("%s %s is not a Graph path", r.method, path)
		}
	}
	if n < 30 {
		t.Fatalf("only %d directory routes checked", n)
	}
}

func groupByName(t *testing.T, s *Server, tok, name string) map[string]any {
	t.Helper()
	r := do(t, s, "GET", "/v1.0/groups?$filter=displayName+eq+'"+strings.ReplaceAll(name, " ", "+")+"'", tok, "")
	if r.status != 200 || len(r.values()) != 1 {
		t.Fatalf("group %q: %d %s", name, r.status, r.body)
	}
	return r.values()[0]
}

func names(vs []map[string]any) []string {
	var out []string
	for _, v := range vs {
		n, _ := v["displayName"].(string)
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func TestGroupsListAndMembers(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "Group.Read.All User.Read")
	r := do(t, s, "GET", "/v1.0/groups", tok, "")
	if r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	if got := names(r.values()); !slices.Equal(got, []string{"All Company", "Leadership", "Marketing", "Retail"}) {
		t.Fatalf("groups = %v", got)
	}
	all := groupByName(t, s, tok, "All Company")
	id := all["id"].(string)
	if all["mail"] != "AllCompany@contoso.onmicrosoft.com" || all["visibility"] != "Public" {
		t.Errorf("All Company = %v", all)
	}
	r = do(t, s, "GET", "/v1.0/groups/"+id+"/members", tok, "")
	if r.status != 200 || len(r.values()) != 7 {
		t.Fatalf("members: %d %s", r.status, r.body)
	}
	r = do(t, s, "GET", "/v1.0/groups/"+id+"/transitiveMembers?$top=3", tok, "")
	got := r.values()
	for next, _ := r.json["@odata.nextLink"].(string); next != ""; next, _ = r.json["@odata.nextLink"].(string) {
		r = do(t, s, "GET", next, tok, "")
		got = append(got, r.values()...)
	}
	// 2 nested groups, 5 direct users, Adele, Isaiah, Megan, Alex, Miriam.
	if len(got) != 12 {
		t.Fatalf("transitive members = %d: %v", len(got), names(got))
	}
	types := map[string]int{}
	for _, m := range got {
		types[m["@odata.type"].(string)]++
	}
	if types["#microsoft.graph.group"] != 2 || types["#microsoft.graph.user"] != 10 {
		t.Errorf("types = %v", types)
	}
	r = do(t, s, "GET", "/v1.0/groups/"+id+"/transitiveMembers/$count", tok, "", "ConsistencyLevel", "eventual")
	if r.status != 200 || strings.TrimSpace(string(r.body)) != "12" {
		t.Errorf("count = %d %s", r.status, r.body)
	}
	r = do(t, s, "GET", "/v1.0/groups/$count", tok, "")
	if r.status != 400 {
		t.Errorf("$count without ConsistencyLevel = %d", r.status)
	}
	r = do(t, s, "GET", "/v1.0/groups?$search=\"displayName:Mark\"&$count=true", tok, "", "ConsistencyLevel", "eventual")
	if got := names(r.values()); !slices.Equal(got, []string{"Marketing"}) {
		t.Errorf("search = %v (%s)", got, r.body)
	}
	// memberOf of a user, direct and transitive.
	r = do(t, s, "GET", "/v1.0/me/memberOf", tok, "")
	if got := names(r.values()); !slices.Equal(got, []string{"Retail"}) {
		t.Errorf("memberOf = %v %s", got, r.body)
	}
	r = do(t, s, "GET", "/v1.0/me/transitiveMemberOf", tok, "")
	if got := names(r.values()); !slices.Equal(got, []string{"All Company", "Retail"}) {
		t.Errorf("transitiveMemberOf = %v", got)
	}
	r = do(t, s, "GET", "/v1.0/groups/00000000-0000-0000-0000-000000000000", tok, "")
	if r.status != 404 || r.errCode() != "Request_ResourceNotFound" {
		t.Errorf("missing group: %d %s", r.status, r.body)
	}
	// Reading groups needs a group permission.
	tok2 := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	if r := do(t, s, "GET", "/v1.0/groups", tok2, ""); r.status != 403 {
		t.Errorf("without Group.Read.All: %d", r.status)
	}
}

func TestGroupsWrites(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "Group.ReadWrite.All User.Read.All")
	meg, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	body := `{"displayName":"Project X","mailNickname":"projectx","mailEnabled":true,"securityEnabled":false,"groupTypes":["Unified"],` +
		`"members@odata.bind":["https://graph.microsoft.com/v1.0/users/` + meg.ID + `"],"owners@odata.bind":["https://graph.microsoft.com/v1.0/users/` + adele.ID + `"]}`
	r := do(t, s, "POST", "/v1.0/groups", tok, body)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := r.json["id"].(string)
	if r.json["mail"] != "projectx@contoso.onmicrosoft.com" {
		t.Errorf("mail = %v", r.json["mail"])
	}
	if r := do(t, s, "POST", "/v1.0/groups", tok, `{"displayName":"x"}`); r.status != 400 {
		t.Errorf("create without required: %d", r.status)
	}
	ref := `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/` + adele.ID + `"}`
	if r := do(t, s, "POST", "/v1.0/groups/"+id+"/members/$ref", tok, ref); r.status != 204 {
		t.Fatalf("add member: %d %s", r.status, r.body)
	}
	r = do(t, s, "POST", "/v1.0/groups/"+id+"/members/$ref", tok, ref)
	if r.status != 400 || !strings.Contains(r.errMessage(), "One or more added object references already exist") {
		t.Errorf("add twice: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/v1.0/groups/"+id+"/members/$ref", tok, `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/nope"}`); r.status != 404 {
		t.Errorf("add unknown: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/groups/"+id+"/members", tok, ""); len(r.values()) != 2 {
		t.Errorf("members after add: %s", r.body)
	}
	if r := do(t, s, "DELETE", "/v1.0/groups/"+id+"/members/"+meg.ID+"/$ref", tok, ""); r.status != 204 {
		t.Errorf("remove: %d %s", r.status, r.body)
	}
	if r := do(t, s, "DELETE", "/v1.0/groups/"+id+"/members/"+meg.ID+"/$ref", tok, ""); r.status != 404 {
		t.Errorf("remove twice: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/groups/"+id+"/owners", tok, ""); len(r.values()) != 1 {
		t.Errorf("owners: %s", r.body)
	}
	if r := do(t, s, "PATCH", "/v1.0/groups/"+id, tok, `{"description":"Secret project","visibility":"Private"}`); r.status != 204 {
		t.Errorf("patch: %d %s", r.status, r.body)
	}
	if r := do(t, s, "PATCH", "/v1.0/groups/"+id, tok, `{"mail":"x@y"}`); r.status != 400 {
		t.Errorf("patch read-only: %d", r.status)
	}
	r = do(t, s, "GET", "/v1.0/groups/"+id+"?$select=description,visibility", tok, "")
	if r.json["description"] != "Secret project" || r.json["visibility"] != "Private" {
		t.Errorf("after patch: %s", r.body)
	}
	// A reader may not write members.
	ro := tokenFor(t, s, adele.UPN, "Group.Read.All")
	if r := do(t, s, "POST", "/v1.0/groups/"+id+"/members/$ref", ro, ref); r.status != http.StatusForbidden {
		t.Errorf("add with Group.Read.All: %d", r.status)
	}
	gm := tokenFor(t, s, adele.UPN, "GroupMember.ReadWrite.All")
	if r := do(t, s, "DELETE", "/v1.0/groups/"+id+"/members/"+adele.ID+"/$ref", gm, ""); r.status != 204 {
		t.Errorf("remove with GroupMember.ReadWrite.All: %d %s", r.status, r.body)
	}
	if r := do(t, s, "DELETE", "/v1.0/groups/"+id, tok, ""); r.status != 204 {
		t.Errorf("delete: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/groups/"+id, tok, ""); r.status != 404 {
		t.Errorf("after delete: %d", r.status)
	}
}

func TestDirectoryUserWrites(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "User.ReadWrite.All Group.Read.All")
	r := do(t, s, "POST", "/v1.0/users", tok, `{"accountEnabled":true,"displayName":"Adele Two","mailNickname":"AdeleT","userPrincipalName":"AdeleT@contoso.onmicrosoft.com","passwordProfile":{"forceChangePasswordNextSignIn":true,"password":"xWwvJ]6NMw+bWH-d"},"jobTitle":"Tester"}`)
	if r.status != 201 || r.json["jobTitle"] != "Tester" {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := r.json["id"].(string)
	if r := do(t, s, "POST", "/v1.0/users", tok, `{"displayName":"x"}`); r.status != 400 {
		t.Errorf("create without required: %d", r.status)
	}
	if r := do(t, s, "POST", "/v1.0/users", tok, `{"accountEnabled":true,"displayName":"Adele Two","mailNickname":"AdeleT","userPrincipalName":"AdeleT@contoso.onmicrosoft.com","passwordProfile":{"password":"x"}}`); r.status != 400 {
		t.Errorf("duplicate UPN: %d", r.status)
	}
	if r := do(t, s, "PATCH", "/v1.0/users/"+id, tok, `{"jobTitle":null,"department":"QA","accountEnabled":false}`); r.status != 204 {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	r = do(t, s, "GET", "/v1.0/users/"+id+"?$select=jobTitle,department,accountEnabled", tok, "")
	if r.json["jobTitle"] != nil || r.json["department"] != "QA" || r.json["accountEnabled"] != false {
		t.Errorf("after patch: %s", r.body)
	}
	if r := do(t, s, "PATCH", "/v1.0/users/"+id, tok, `{"createdDateTime":"2020-01-01T00:00:00Z"}`); r.status != 400 {
		t.Errorf("patch read-only: %d", r.status)
	}
	// Manager.
	if r := do(t, s, "PUT", "/v1.0/users/"+id+"/manager/$ref", tok, `{"@odata.id":"https://graph.microsoft.com/v1.0/users/`+adele.ID+`"}`); r.status != 204 {
		t.Fatalf("set manager: %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", "/v1.0/users/"+id+"/manager", tok, ""); r.json["id"] != adele.ID {
		t.Errorf("manager: %s", r.body)
	}
	r = do(t, s, "GET", "/v1.0/users/"+id+"?$select=department", tok, "")
	if r.json["department"] != "QA" {
		t.Errorf("set manager lost a property: %s", r.body)
	}
	// Photo.
	if r := do(t, s, "GET", "/v1.0/users/"+id+"/photo/$value", tok, ""); r.status != 404 || r.errCode() != "ImageNotFound" {
		t.Errorf("no photo: %d %s", r.status, r.body)
	}
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x30\x00\x00\x00\x30"
	if r := do(t, s, "PUT", "/v1.0/users/"+id+"/photo/$value", tok, png, "Content-Type", "image/png"); r.status != 200 {
		t.Fatalf("put photo: %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", "/v1.0/users/"+id+"/photo/$value", tok, ""); r.status != 200 || string(r.body) != png || r.header.Get("Content-Type") != "image/png" {
		t.Errorf("get photo: %d %q", r.status, r.body)
	}
	if r := do(t, s, "GET", "/v1.0/users/"+id+"/photo", tok, ""); r.json["width"] != float64(48) {
		t.Errorf("photo metadata: %s", r.body)
	}
	if r := do(t, s, "PUT", "/v1.0/users/"+id+"/photo/$value", tok, "text", "Content-Type", "text/plain"); r.status != 400 {
		t.Errorf("put text photo: %d", r.status)
	}
	// A user may update their own profile with User.ReadWrite, not others'.
	self := tokenFor(t, s, adele.UPN, "User.ReadWrite")
	if r := do(t, s, "PATCH", "/v1.0/me", self, `{"mobilePhone":"+1 425 555 0100"}`); r.status != 204 {
		t.Errorf("patch me: %d %s", r.status, r.body)
	}
	if r := do(t, s, "PATCH", "/v1.0/users/"+id, self, `{"mobilePhone":"1"}`); r.status != 403 {
		t.Errorf("patch other with User.ReadWrite: %d", r.status)
	}
	// Invitations.
	r = do(t, s, "POST", "/v1.0/invitations", tok, `{"invitedUserEmailAddress":"guest@fabrikam.com","inviteRedirectUrl":"https://myapp.contoso.com"}`)
	if r.status != 201 || r.json["status"] != "PendingAcceptance" {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	gid := r.json["invitedUser"].(map[string]any)["id"].(string)
	if r := do(t, s, "GET", "/v1.0/users/"+gid+"?$select=userType,mail", tok, ""); r.json["userType"] != "Guest" || r.json["mail"] != "guest@fabrikam.com" {
		t.Errorf("guest: %s", r.body)
	}
	if r := do(t, s, "POST", "/v1.0/invitations", tok, `{"invitedUserEmailAddress":"nope"}`); r.status != 400 {
		t.Errorf("bad invite: %d", r.status)
	}
	// Delete.
	if r := do(t, s, "DELETE", "/v1.0/users/"+id, tok, ""); r.status != 204 {
		t.Fatalf("delete: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/users/"+id, tok, ""); r.status != 404 {
		t.Errorf("after delete: %d", r.status)
	}
	if r := do(t, s, "DELETE", "/v1.0/users/"+id, tok, ""); r.status != 404 {
		t.Errorf("delete twice: %d", r.status)
	}
	ro := tokenFor(t, s, adele.UPN, "User.Read.All")
	if r := do(t, s, "DELETE", "/v1.0/users/"+gid, ro, ""); r.status != 403 {
		t.Errorf("delete with User.Read.All: %d", r.status)
	}
}

// FuzzDirectoryParsers: the reference and delta-token parsers never panic
// and round-trip what they encode.
func FuzzDirectoryParsers(f *testing.F) {
	f.Add("https://graph.microsoft.com/v1.0/directoryObjects/87d349ed-44d7-43e1-9a83-5f2406dee5bd", uint64(3), 7)
	f.Add("directoryObjects('x')", uint64(0), 0)
	f.Add("", uint64(1<<63), 1<<30)
	f.Fuzz(func(t *testing.T, ref string, v uint64, off int) {
		_ = refID(ref)
		_, _ = decodeGroupDeltaToken(ref)
		_ = isMePath(ref)
		if off < 0 {
			return
		}
		tok := groupDeltaToken{since: v, upto: v, offset: off}
		got, ok := decodeGroupDeltaToken(tok.encode())
		if !ok || got != tok {
			t.Fatalf("round trip %+v -> %+v %v", tok, got, ok)
		}
	})
}
