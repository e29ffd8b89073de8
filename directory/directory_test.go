package directory_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365"
	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

var writeScopes = []string{"User.ReadWrite.All", "Group.ReadWrite.All", "User.Invite.All"}

func start(t *testing.T, scopes ...string) (*o365.Account, *emulator.Server) {
	t.Helper()
	if len(scopes) == 0 {
		scopes = writeScopes
	}
	return o365test.Start(t, o365test.WithScopes(scopes...),
		o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }))
}

func collect[T any](t *testing.T, seq func(func(*T, error) bool)) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func displayNames[T any](items []*T, name func(*T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

func TestUsersListGetMe(t *testing.T) {
	acct, srv := start(t)
	ctx := context.Background()
	dir := acct.Directory()
	all := collect(t, dir.Users(ctx, &graph.ListOptions{PageSize: 4}))
	if len(all) != 11 {
		t.Fatalf("users = %d", len(all))
	}
	me, err := dir.Me(ctx, nil)
	if err != nil || me.ID != srv.DefaultUser().ID || me.DisplayName != "Adele Vance" {
		t.Fatalf("me = %+v, %v", me, err)
	}
	u, err := dir.User(ctx, "MeganB@contoso.onmicrosoft.com", odata.New().Select("displayName", "department", "accountEnabled"))
	if err != nil || u.Department != "Marketing" || u.AccountEnabled == nil || !*u.AccountEnabled {
		t.Fatalf("user = %+v, %v", u, err)
	}
	if _, err := dir.User(ctx, "nobody@contoso.onmicrosoft.com", nil); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing user: %v", err)
	}
	if _, err := dir.User(ctx, "", nil); !errors.Is(err, directory.ErrNoID) {
		t.Errorf("empty id: %v", err)
	}
	// An advanced query (endswith) gets ConsistencyLevel and $count added.
	q := odata.New().Filter(odata.Attr("mail").EndsWith("B@contoso.onmicrosoft.com")).OrderBy("displayName", odata.Asc)
	got := displayNames(collect(t, dir.Users(ctx, &graph.ListOptions{Query: q})), func(u *directory.User) string { return u.DisplayName })
	if diff := cmp.Diff([]string{"Megan Bowen"}, got); diff != "" {
		t.Errorf("endswith (-want +got):\n%s", diff)
	}
	got = displayNames(collect(t, dir.Search(ctx, "ad", nil)), func(u *directory.User) string { return u.DisplayName })
	if diff := cmp.Diff([]string{"Adele Vance"}, got); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	n, err := dir.Count(ctx, odata.New().Filter(odata.Attr("department").Eq("Marketing")))
	if err != nil || n != 2 {
		t.Errorf("count = %d, %v", n, err)
	}
}

func TestManagerReportsMemberOf(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	dir := acct.Directory()
	me, err := dir.Me(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := me.Manager(ctx)
	if err != nil || m.DisplayName != "Miriam Graham" {
		t.Fatalf("manager = %+v, %v", m, err)
	}
	reports := collect(t, m.DirectReports(ctx, nil))
	names := displayNames(reports, func(o *directory.Object) string { return o.DisplayName })
	slices.Sort(names)
	if diff := cmp.Diff([]string{"Adele Vance", "Alex Wilber", "Isaiah Langer", "Megan Bowen"}, names); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if !reports[0].IsUser() {
		t.Errorf("report type %q", reports[0].Type)
	}
	ru, err := reports[0].User()
	if err != nil || ru.ID != reports[0].ID {
		t.Errorf("Object.User = %+v, %v", ru, err)
	}
	patti, err := dir.User(ctx, "PattiF@contoso.onmicrosoft.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := patti.Manager(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("no manager: %v", err)
	}
	groups := displayNames(collect(t, me.MemberOf(ctx, nil)), func(o *directory.Object) string { return o.DisplayName })
	if diff := cmp.Diff([]string{"Retail"}, groups); diff != "" {
		t.Errorf("memberOf (-want +got):\n%s", diff)
	}
	groups = displayNames(collect(t, me.TransitiveMemberOf(ctx, nil)), func(o *directory.Object) string { return o.DisplayName })
	slices.Sort(groups)
	if diff := cmp.Diff([]string{"All Company", "Retail"}, groups); diff != "" {
		t.Errorf("transitiveMemberOf (-want +got):\n%s", diff)
	}
	// Manager set and removed.
	if err := patti.SetManager(ctx, me.ID); err != nil {
		t.Fatal(err)
	}
	if m, err := patti.Manager(ctx); err != nil || m.ID != me.ID {
		t.Errorf("after SetManager: %+v, %v", m, err)
	}
	if err := patti.RemoveManager(ctx); err != nil {
		t.Fatal(err)
	}
	if err := patti.RemoveManager(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("remove twice: %v", err)
	}
}

func TestCreateSaveDelete(t *testing.T) {
	acct, srv := start(t)
	ctx := context.Background()
	dir := acct.Directory()
	u := dir.NewUser()
	u.AccountEnabled = new(true)
	u.DisplayName = "Ada Lovelace"
	u.MailNickname = "AdaL"
	u.UserPrincipalName = "AdaL@contoso.onmicrosoft.com"
	u.PasswordProfile = &directory.PasswordProfile{Password: "xWwvJ]6NMw+bWH-d", ForceChangePasswordNextSignIn: true}
	u.JobTitle = "Analyst"
	if err := u.Create(ctx); err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || u.JobTitle != "Analyst" {
		t.Fatalf("created %+v", u)
	}
	if u.Changed() {
		t.Error("a created user reports changes")
	}
	if err := u.Save(ctx); err != nil { // nothing to send
		t.Fatal(err)
	}
	srv.ResetLog()
	u.JobTitle = ""               // cleared: sent as null
	u.AccountEnabled = new(false) // false must be sent
	u.Department = "Research"
	if err := u.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests for one Save", n)
	}
	got, err := dir.User(ctx, u.ID, odata.New().Select("jobTitle", "department", "accountEnabled", "displayName"))
	if err != nil {
		t.Fatal(err)
	}
	if got.JobTitle != "" || got.Department != "Research" || got.AccountEnabled == nil || *got.AccountEnabled || got.DisplayName != "Ada Lovelace" {
		t.Errorf("after Save: %+v", got)
	}
	// Photo.
	if _, _, err := got.Photo(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("no photo: %v", err)
	}
	jpeg := []byte("\xff\xd8\xff\xe0 a tiny photo")
	if err := got.SetPhoto(ctx, "image/jpeg", jpeg); err != nil {
		t.Fatal(err)
	}
	data, ct, err := got.Photo(ctx)
	if err != nil || ct != "image/jpeg" || string(data) != string(jpeg) {
		t.Errorf("photo = %q %q %v", data, ct, err)
	}
	if data, _, err := got.PhotoOfSize(ctx, "48x48"); err != nil || string(data) != string(jpeg) {
		t.Errorf("photo 48x48 = %q %v", data, err)
	}
	if err := got.DeletePhoto(ctx); err != nil {
		t.Fatal(err)
	}
	if err := got.DeletePhoto(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("delete photo twice: %v", err)
	}
	if err := got.SetPhoto(ctx, "text/plain", jpeg); err == nil {
		t.Error("text photo accepted")
	}
	// A duplicate UPN fails.
	dup := dir.NewUser()
	dup.AccountEnabled, dup.DisplayName, dup.MailNickname, dup.UserPrincipalName = new(true), "x", "AdaL", "AdaL@contoso.onmicrosoft.com"
	dup.PasswordProfile = &directory.PasswordProfile{Password: "xWwvJ]6NMw+bWH-d"}
	if err := dup.Create(ctx); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("duplicate: %v", err)
	}
	if err := got.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := dir.DeleteUser(ctx, u.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	var unbound directory.User
	if err := unbound.Save(ctx); !errors.Is(err, directory.ErrUnbound) {
		t.Errorf("unbound: %v", err)
	}
}

func TestWritesNeedPermission(t *testing.T) {
	acct, _ := start(t, "User.Read.All")
	ctx := context.Background()
	u, err := acct.Directory().User(ctx, "MeganB@contoso.onmicrosoft.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	u.JobTitle = "x"
	if err := u.Save(ctx); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("save without User.ReadWrite.All: %v", err)
	}
}

func TestInvite(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	dir := acct.Directory()
	inv, err := dir.Invite(ctx, &directory.Invitation{InvitedUserEmailAddress: "guest@fabrikam.com", InviteRedirectURL: "https://myapp.contoso.com", InvitedUserDisplayName: "Fab Guest"})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != "PendingAcceptance" || inv.InviteRedeemURL == "" || inv.InvitedUser == nil {
		t.Fatalf("invitation %+v", inv)
	}
	g, err := dir.User(ctx, inv.InvitedUser.ID, odata.New().Select("userType", "displayName"))
	if err != nil || g.UserType != directory.UserGuest || g.DisplayName != "Fab Guest" {
		t.Errorf("guest = %+v, %v", g, err)
	}
	if _, err := dir.Invite(ctx, &directory.Invitation{}); err == nil {
		t.Error("empty invitation accepted")
	}
}

// TestUserModelRoundTrip: a user with every kind of field survives JSON.
func TestUserModelRoundTrip(t *testing.T) {
	in := `{"id":"1","accountEnabled":false,"businessPhones":[],"displayName":"A","identities":[{"signInType":"emailAddress","issuer":"contoso.com","issuerAssignedId":"a@contoso.com"}],` +
		`"assignedLicenses":[{"disabledPlans":[],"skuId":"s"}],"employeeOrgData":{"costCenter":"1","division":"d"},"createdDateTime":"2021-03-14T09:26:53Z",` +
		`"onPremisesExtensionAttributes":{"extensionAttribute1":"x","extensionAttribute2":null},"userType":"Guest","manager":{"id":"2","displayName":"M"},` +
		`"memberOf":[{"@odata.type":"#microsoft.graph.group","id":"g","displayName":"G"}],"skills":["go"]}`
	var u directory.User
	if err := json.Unmarshal([]byte(in), &u); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(&u)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	_ = json.Unmarshal([]byte(in), &a)
	_ = json.Unmarshal(out, &b)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("round trip (-in +out):\n%s", diff)
	}
}

func TestDelta(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	dir := acct.Directory()
	d := dir.Delta("", &graph.ListOptions{PageSize: 4, Query: odata.New().Select("displayName", "jobTitle")})
	n := 0
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Item == nil || ch.Item.DisplayName == "" {
			t.Errorf("initial change %+v", ch)
		}
		n++
	}
	if n != 11 {
		t.Errorf("initial round: %d users", n)
	}
	alex, err := dir.User(ctx, "AlexW@contoso.onmicrosoft.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	alex.JobTitle = "Marketing Lead"
	if err := alex.Save(ctx); err != nil {
		t.Fatal(err)
	}
	diego, err := dir.User(ctx, "DiegoS@contoso.onmicrosoft.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := diego.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	d = dir.Delta(d.DeltaLink(), nil)
	var got []string
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Removed {
			got = append(got, "removed "+ch.ID)
		} else {
			got = append(got, "changed "+ch.Item.DisplayName+" "+ch.Item.JobTitle)
		}
	}
	if diff := cmp.Diff([]string{"changed Alex Wilber Marketing Lead", "removed " + diego.ID}, got); diff != "" {
		t.Errorf("second round (-want +got):\n%s", diff)
	}
}

// TestUnbound: calls on a user without a directory fail with ErrUnbound, never panic.
func TestUnbound(t *testing.T) {
	ctx := context.Background()
	var u directory.User
	for _, err := range u.MemberOf(ctx, nil) {
		if !errors.Is(err, directory.ErrUnbound) {
			t.Errorf("MemberOf: %v", err)
		}
	}
	if _, _, err := u.Photo(ctx); !errors.Is(err, directory.ErrUnbound) {
		t.Errorf("Photo: %v", err)
	}
	if err := u.Create(ctx); !errors.Is(err, directory.ErrUnbound) {
		t.Errorf("Create: %v", err)
	}
	var nilUser *directory.User
	if _, err := nilUser.Manager(ctx); !errors.Is(err, directory.ErrUnbound) {
		t.Errorf("nil Manager: %v", err)
	}
	o := directory.Object{Type: directory.TypeGroup}
	if !o.IsGroup() || o.IsUser() {
		t.Error("IsGroup/IsUser")
	}
}
