package groups_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365"
	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/groups"
	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

func start(t *testing.T, scopes ...string) (*o365.Account, *emulator.Server) {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"Group.ReadWrite.All", "User.Read.All"}
	}
	return o365test.Start(t, o365test.WithScopes(scopes...),
		o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }))
}

func must[T any](t *testing.T, seq func(func(*T, error) bool)) []*T {
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

func objectNames(objs []*directory.Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.DisplayName)
	}
	slices.Sort(out)
	return out
}

func byName(t *testing.T, gs *groups.Groups, name string) *groups.Group {
	t.Helper()
	q := odata.New().Filter(odata.Attr("displayName").Eq(name))
	list := must(t, gs.List(context.Background(), &graph.ListOptions{Query: q}))
	if len(list) != 1 {
		t.Fatalf("group %q: %d found", name, len(list))
	}
	return list[0]
}

func TestListGetMembers(t *testing.T) {
	acct, srv := start(t)
	ctx := context.Background()
	gs := acct.Groups()
	var names []string
	for _, g := range must(t, gs.List(ctx, &graph.ListOptions{PageSize: 2})) {
		names = append(names, g.DisplayName)
	}
	if diff := cmp.Diff([]string{"All Company", "Leadership", "Marketing", "Retail"}, names); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	all := byName(t, gs, "All Company")
	if !all.IsMicrosoft365() || all.Mail != "AllCompany@contoso.onmicrosoft.com" || all.Visibility != groups.Public {
		t.Errorf("All Company = %+v", all)
	}
	got, err := gs.Get(ctx, all.ID, nil)
	if err != nil || got.DisplayName != "All Company" {
		t.Fatalf("get: %+v, %v", got, err)
	}
	if _, err := gs.Get(ctx, "00000000-0000-0000-0000-000000000000", nil); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	if g, err := gs.ByMail(ctx, "Marketing@contoso.onmicrosoft.com"); err != nil || g.DisplayName != "Marketing" {
		t.Errorf("ByMail: %+v, %v", g, err)
	}
	if _, err := gs.ByMail(ctx, "none@contoso.onmicrosoft.com"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("ByMail missing: %v", err)
	}
	members := must(t, all.Members(ctx, nil))
	if len(members) != 7 {
		t.Errorf("members = %v", objectNames(members))
	}
	// Small pages: every page is followed.
	trans := must(t, all.TransitiveMembers(ctx, &graph.ListOptions{PageSize: 2}))
	if len(trans) != 12 {
		t.Fatalf("transitive = %d %v", len(trans), objectNames(trans))
	}
	var nested []string
	for _, o := range trans {
		if o.IsGroup() {
			nested = append(nested, o.DisplayName)
		}
	}
	slices.Sort(nested)
	if diff := cmp.Diff([]string{"Marketing", "Retail"}, nested); diff != "" {
		t.Errorf("nested groups (-want +got):\n%s", diff)
	}
	n, err := all.MemberCount(ctx, true, nil)
	if err != nil || n != 12 {
		t.Errorf("transitive count = %d, %v", n, err)
	}
	owners := must(t, all.Owners(ctx, nil))
	if diff := cmp.Diff([]string{"Patti Fernandez"}, objectNames(owners)); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	retail := byName(t, gs, "Retail")
	if diff := cmp.Diff([]string{"All Company"}, objectNames(must(t, retail.MemberOf(ctx, nil)))); diff != "" {
		t.Errorf("memberOf (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"All Company"}, objectNames(must(t, retail.TransitiveMemberOf(ctx, nil)))); diff != "" {
		t.Errorf("transitiveMemberOf (-want +got):\n%s", diff)
	}
	var mine []string
	for _, g := range must(t, gs.UserGroups(ctx, srv.DefaultUser().UPN, true, nil)) {
		mine = append(mine, g.DisplayName)
	}
	slices.Sort(mine)
	if diff := cmp.Diff([]string{"All Company", "Retail"}, mine); diff != "" {
		t.Errorf("user groups (-want +got):\n%s", diff)
	}
	c, err := gs.Count(ctx, odata.New().Search("Marketing"))
	if err != nil || c != 1 {
		t.Errorf("count search = %d, %v", c, err)
	}
	// Search is an advanced query: the header and $count are added.
	found := must(t, gs.List(ctx, &graph.ListOptions{Query: odata.New().SearchProperty("displayName", "lead")}))
	if len(found) != 1 || found[0].DisplayName != "Leadership" || found[0].IsMicrosoft365() || !found[0].SecurityEnabled {
		t.Errorf("search = %+v", found)
	}
}

func TestMembershipWrites(t *testing.T) {
	acct, srv := start(t)
	ctx := context.Background()
	gs := acct.Groups()
	meg, err := acct.Directory().User(ctx, "MeganB@contoso.onmicrosoft.com", nil)
	if err != nil {
		t.Fatal(err)
	}
	retail := gs.Group(byName(t, gs, "Retail").ID) // a handle, no I/O
	if err := retail.AddMember(ctx, meg.ID); err != nil {
		t.Fatal(err)
	}
	err = retail.AddMember(ctx, meg.ID)
	if !errors.Is(err, groups.ErrAlreadyMember) || !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("add twice: %v", err)
	}
	var ge *graph.Error
	if !errors.As(err, &ge) || !strings.Contains(ge.Message, "One or more added object references already exist") {
		t.Errorf("add twice: %#v", ge)
	}
	if err := retail.AddMember(ctx, "00000000-0000-0000-0000-000000000000"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("add unknown: %v", err)
	}
	if err := retail.RemoveMember(ctx, meg.ID); err != nil {
		t.Fatal(err)
	}
	if err := retail.RemoveMember(ctx, meg.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("remove twice: %v", err)
	}
	if err := retail.AddOwner(ctx, meg.ID); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Adele Vance", "Megan Bowen"}, objectNames(must(t, retail.Owners(ctx, nil)))); diff != "" {
		t.Errorf("owners (-want +got):\n%s", diff)
	}
	if err := retail.RemoveOwner(ctx, meg.ID); err != nil {
		t.Fatal(err)
	}
	if err := retail.AddMember(ctx, ""); !errors.Is(err, groups.ErrNoID) {
		t.Errorf("empty id: %v", err)
	}

	// Create, update, delete.
	g := gs.NewMicrosoft365Group("Project X", "projectx")
	g.Description = "Secret"
	g.InitialMembers = []string{meg.ID}
	g.InitialOwners = []string{srv.DefaultUser().ID}
	if err := g.Create(ctx); err != nil {
		t.Fatal(err)
	}
	if g.ID == "" || g.Mail != "projectx@contoso.onmicrosoft.com" || g.Visibility != groups.Private || g.Changed() {
		t.Fatalf("created %+v", g)
	}
	if diff := cmp.Diff([]string{"Megan Bowen"}, objectNames(must(t, g.Members(ctx, nil)))); diff != "" {
		t.Errorf("initial members (-want +got):\n%s", diff)
	}
	srv.ResetLog()
	g.Description = "" // cleared: null
	g.DisplayName = "Project Y"
	if err := g.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests for one Save", n)
	}
	got, err := gs.Get(ctx, g.ID, nil)
	if err != nil || got.DisplayName != "Project Y" || got.Description != "" {
		t.Errorf("after save: %+v, %v", got, err)
	}
	sec := gs.NewSecurityGroup("Auditors", "auditors")
	if err := sec.Create(ctx); err != nil {
		t.Fatal(err)
	}
	if sec.MailEnabled || !sec.SecurityEnabled || sec.IsMicrosoft365() {
		t.Errorf("security group %+v", sec)
	}
	bad := gs.NewGroup()
	if err := bad.Create(ctx); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("create without names: %v", err)
	}
	if err := g.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := gs.Delete(ctx, g.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	var unbound groups.Group
	if err := unbound.Save(ctx); !errors.Is(err, groups.ErrUnbound) {
		t.Errorf("unbound: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	acct, _ := start(t, "Group.Read.All")
	ctx := context.Background()
	gs := acct.Groups()
	retail := byName(t, gs, "Retail")
	if err := retail.AddMember(ctx, retail.ID); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("add with Group.Read.All: %v", err)
	}
	acct2, _ := start(t, "User.Read")
	for _, err := range acct2.Groups().List(ctx, nil) {
		if !errors.Is(err, graph.ErrForbidden) {
			t.Errorf("list with User.Read: %v", err)
		}
		break
	}
}

// TestDecodeDocumentedGroups decodes the documented groups and checks no
// property is lost on the way back to JSON.
func TestDecodeDocumentedGroups(t *testing.T) {
	checked := 0
	for _, ex := range graphspec.Examples("groups") {
		body, ok := ex.ResponseBody.(map[string]any)
		if !ok {
			continue
		}
		ctx, _ := body["@odata.context"].(string)
		_, rest, isGroups := strings.Cut(ctx, "#groups")
		if !isGroups || strings.Contains(strings.TrimSuffix(rest, "/$entity"), "/") {
			continue
		}
		items := []any{body}
		if v, ok := body["value"].([]any); ok {
			items = v
		}
		for _, it := range items {
			m, _ := it.(map[string]any)
			raw, _ := json.Marshal(m)
			var g groups.Group
			if strings.Contains(string(raw), `"datetime-value"`) {
				continue // a placeholder, not a documented value
			}
			if err := json.Unmarshal(raw, &g); err != nil {
				t.Errorf("%s:%d: %v", ex.Source, ex.Line, err)
				continue
			}
			out, _ := json.Marshal(&g)
			var back map[string]any
			_ = json.Unmarshal(out, &back)
			for k, v := range m {
				if strings.HasPrefix(k, "@") || v == nil {
					continue
				}
				if l, ok := v.([]any); ok && len(l) == 0 {
					continue
				}
				if s, ok := v.(string); ok && s == "" {
					continue
				}
				if _, ok := back[k]; !ok {
					t.Errorf("%s:%d: property %q lost", ex.Source, ex.Line, k)
				}
			}
			checked++
		}
	}
	if checked < 5 {
		t.Errorf("only %d documented groups checked", checked)
	}
	t.Logf("%d documented groups decoded", checked)
}

func TestDelta(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	gs := acct.Groups()
	d := gs.Delta("", &graph.ListOptions{PageSize: 3, Query: odata.New().Select("displayName", "mailNickname")})
	var names []string
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, ch.Item.DisplayName)
	}
	slices.Sort(names)
	if diff := cmp.Diff([]string{"All Company", "Leadership", "Marketing", "Retail"}, names); diff != "" {
		t.Errorf("initial round (-want +got):\n%s", diff)
	}
	link := d.DeltaLink()
	if link == "" {
		t.Fatal("no deltaLink")
	}
	retail := byName(t, gs, "Retail")
	retail.Description = "Stores"
	if err := retail.Save(ctx); err != nil {
		t.Fatal(err)
	}
	lead := byName(t, gs, "Leadership")
	if err := lead.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	d = gs.Delta(link, nil)
	var got []string
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Removed {
			got = append(got, "removed "+ch.ID+" "+ch.Reason)
		} else {
			got = append(got, "changed "+ch.Item.DisplayName+" "+ch.Item.Description)
		}
	}
	want := []string{"changed Retail Stores", "removed " + lead.ID + " changed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("second round (-want +got):\n%s", diff)
	}
	d = gs.Delta(d.DeltaLink(), nil)
	for ch, err := range d.Changes(ctx) {
		t.Errorf("third round: %+v %v", ch, err)
	}
}

func TestConversations(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	gs := acct.Groups()
	retail := byName(t, gs, "Retail")
	conv, err := retail.StartConversation(ctx, "Holiday hours", graph.Text("Stores open at 8."))
	if err != nil {
		t.Fatal(err)
	}
	if conv.ID == "" || conv.Topic != "Holiday hours" || conv.Preview != "Stores open at 8." {
		t.Fatalf("conversation %+v", conv)
	}
	threads := must(t, retail.Threads(ctx, nil))
	if len(threads) != 1 || threads[0].Topic != "Holiday hours" {
		t.Fatalf("threads %+v", threads)
	}
	if err := retail.Reply(ctx, threads[0].ID, graph.Text("Thanks!")); err != nil {
		t.Fatal(err)
	}
	posts := must(t, retail.Posts(ctx, threads[0].ID, nil))
	if len(posts) != 2 || posts[1].Body.Content != "Thanks!" || posts[1].From.EmailAddress.Address != "AdeleV@contoso.onmicrosoft.com" {
		t.Fatalf("posts %+v", posts)
	}
	if got := must(t, retail.Conversations(ctx, nil)); len(got) != 1 || len(got[0].UniqueSenders) != 1 {
		t.Errorf("conversations %+v", got)
	}
	if err := retail.Reply(ctx, "nope", graph.Text("x")); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("reply to unknown thread: %v", err)
	}
	if err := retail.DeleteConversation(ctx, conv.ID); err != nil {
		t.Fatal(err)
	}
	if err := retail.DeleteConversation(ctx, conv.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	lead := byName(t, gs, "Leadership") // a security group: no conversations
	for _, err := range lead.Conversations(ctx, nil) {
		if !errors.Is(err, graph.ErrBadRequest) {
			t.Errorf("security group conversations: %v", err)
		}
	}
}

// TestUnbound: calls on a group without a handle fail with ErrUnbound, never panic.
func TestUnbound(t *testing.T) {
	ctx := context.Background()
	var g groups.Group
	for _, err := range g.Members(ctx, nil) {
		if !errors.Is(err, groups.ErrUnbound) {
			t.Errorf("Members: %v", err)
		}
	}
	for _, err := range g.Conversations(ctx, nil) {
		if !errors.Is(err, groups.ErrUnbound) {
			t.Errorf("Conversations: %v", err)
		}
	}
	if err := g.AddMember(ctx, "x"); !errors.Is(err, groups.ErrUnbound) {
		t.Errorf("AddMember: %v", err)
	}
	if _, err := g.StartConversation(ctx, "t", graph.Text("x")); !errors.Is(err, groups.ErrUnbound) {
		t.Errorf("StartConversation: %v", err)
	}
	if err := g.Create(ctx); !errors.Is(err, groups.ErrUnbound) {
		t.Errorf("Create: %v", err)
	}
	var nilGroup *groups.Group
	if err := nilGroup.Delete(ctx); !errors.Is(err, groups.ErrUnbound) {
		t.Errorf("nil Delete: %v", err)
	}
}
