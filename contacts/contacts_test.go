package contacts_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/contacts"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

func names(t *testing.T, seq func(func(*contacts.Contact, error) bool)) []string {
	t.Helper()
	var out []string
	for c, err := range seq {
		ok(t, err)
		out = append(out, c.DisplayName)
	}
	return out
}

func TestListAndLookups(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	ab := acct.AddressBook()

	got := names(t, ab.Contacts(ctx, nil))
	if diff := cmp.Diff([]string{"Garth Fort", "Rob Young", "Yasmin Ouedraogo"}, got); diff != "" {
		t.Fatalf("root contacts (-want +got):\n%s", diff)
	}
	q := odata.New().Filter(odata.Attr("companyName").StartsWith("Tailspin"))
	if got := names(t, ab.Contacts(ctx, &graph.ListOptions{Query: q})); !slices.Equal(got, []string{"Yasmin Ouedraogo"}) {
		t.Fatalf("filtered: %v", got)
	}

	c, err := ab.ContactByEmail(ctx, "garth.fort@fabrikam.com")
	ok(t, err)
	if c.Surname != "Fort" || c.Birthday.String() != "1974-07-22" || c.MainEmail() != "garth.fort@fabrikam.com" ||
		c.BusinessAddress.City != "Seattle" || c.FullName() != "Garth Fort" {
		t.Fatalf("contact: %+v", c)
	}
	if up, err := ab.ContactByEmail(ctx, "GARTH.Fort@Fabrikam.com"); err != nil || up.ID != c.ID {
		t.Fatalf("addresses compare case-insensitively: %v", err)
	}
	if _, err := ab.ContactByEmail(ctx, "nobody@example.com"); !errors.Is(err, contacts.ErrNotFound) || !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing address: %v", err)
	}
	// O'Brien-style quotes are escaped, not injected.
	if _, err := ab.ContactByEmail(ctx, "o'brien@example.com"); !errors.Is(err, contacts.ErrNotFound) {
		t.Fatalf("quoted address: %v", err)
	}

	byID, err := ab.Contact(ctx, c.ID)
	ok(t, err)
	if byID.ID != c.ID {
		t.Fatal("Contact by id")
	}
	if _, err := ab.Contact(ctx, "AAMkADnope"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing id: %v", err)
	}
	if _, err := ab.Contact(ctx, ""); !errors.Is(err, contacts.ErrEmptyID) {
		t.Fatalf("empty id: %v", err)
	}

	root, err := ab.Root().Get(ctx)
	ok(t, err)
	if root.ID != c.ParentFolderID {
		t.Fatalf("root id %q, contact's parent %q", root.ID, c.ParentFolderID)
	}

	sup, err := ab.FolderByName(ctx, "suppliers")
	ok(t, err)
	if sup.ParentFolderID != root.ID {
		t.Fatalf("Suppliers parent %q", sup.ParentFolderID)
	}
	if got := names(t, sup.Folder().Contacts(ctx, nil)); !slices.Equal(got, []string{"Aiko Tanaka", "Ken Myer"}) {
		t.Fatalf("Suppliers contacts: %v", got)
	}
	if _, err := sup.Folder().ContactByEmail(ctx, "ken.myer@northwindtraders.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := ab.FolderByName(ctx, "Nope"); !errors.Is(err, contacts.ErrNotFound) {
		t.Fatalf("missing folder: %v", err)
	}
}

func TestFolders(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	ab := acct.AddressBook()

	fin, err := ab.CreateFolder(ctx, "Finance")
	ok(t, err)
	if _, err := ab.CreateFolder(ctx, "finance"); !errors.Is(err, graph.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := ab.CreateFolder(ctx, " "); !errors.Is(err, contacts.ErrEmptyName) {
		t.Fatalf("empty name: %v", err)
	}
	child, err := fin.Folder().CreateChildFolder(ctx, "Auditors")
	ok(t, err)
	if child.ParentFolderID != fin.ID {
		t.Fatalf("child parent %q", child.ParentFolderID)
	}
	var kids []string
	for f, err := range fin.Folder().ChildFolders(ctx, nil) {
		ok(t, err)
		kids = append(kids, f.DisplayName)
	}
	if !slices.Equal(kids, []string{"Auditors"}) {
		t.Fatalf("children: %v", kids)
	}
	got, err := ab.Folder(child.ID).Get(ctx)
	ok(t, err)
	if got.DisplayName != "Auditors" {
		t.Fatal(got)
	}

	renamed, err := child.Folder().Rename(ctx, "External auditors")
	ok(t, err)
	if renamed.DisplayName != "External auditors" {
		t.Fatal(renamed)
	}
	sup, err := ab.FolderByName(ctx, "Suppliers")
	ok(t, err)
	moved, err := child.Folder().MoveTo(ctx, sup.ID)
	ok(t, err)
	if moved.ParentFolderID != sup.ID {
		t.Fatalf("moved parent %q", moved.ParentFolderID)
	}
	if _, err := fin.Folder().MoveTo(ctx, fin.ID); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("move into itself: %v", err)
	}

	for _, err := range []error{
		ab.Root().Delete(ctx),
		func() error { _, err := ab.Root().Rename(ctx, "x"); return err }(),
	} {
		if !errors.Is(err, contacts.ErrRootFolder) {
			t.Fatalf("root: %v", err)
		}
	}

	// Deleting a folder deletes its contacts.
	n := fin.Folder().NewContact()
	n.GivenName = "Temp"
	ok(t, n.Save(ctx))
	ok(t, fin.Folder().Delete(ctx))
	if _, err := ab.Folder(fin.ID).Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted folder: %v", err)
	}
	if _, err := ab.Contact(ctx, n.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("contact of deleted folder: %v", err)
	}
}

func TestCreateInFolderAndSaveChanges(t *testing.T) {
	rec := new(o365test.Recorder)
	acct, _ := start(t, o365test.Record(rec))
	ctx := context.Background()
	ab := acct.AddressBook()
	sup, err := ab.FolderByName(ctx, "Suppliers")
	ok(t, err)
	rec.Take()

	c := sup.Folder().NewContact()
	c.GivenName, c.Surname = "Nora", "Quinn"
	c.EmailAddresses = []contacts.EmailAddress{{Name: "Nora", Address: "nora@contoso-suppliers.com"}}
	c.BusinessPhones = []string{"+1 555 0100"}
	c.Birthday = contacts.NewDate(1990, time.March, 4)
	c.HomeAddress = contacts.PhysicalAddress{City: "Oslo", CountryOrRegion: "Norway"}
	c.Categories = []string{"Blue category"}
	ok(t, c.Save(ctx))
	reqs := rec.Take()
	if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Path != "/v1.0/me/contactFolders/"+sup.ID+"/contacts" {
		t.Fatalf("create request: %+v", reqs)
	}
	if _, ok := reqs[0].Body["jobTitle"]; ok {
		t.Fatalf("empty fields sent on create: %v", reqs[0].Body)
	}
	if c.ID == "" || c.ParentFolderID != sup.ID || c.DisplayName != "Nora Quinn" || c.Birthday.String() != "1990-03-04" {
		t.Fatalf("created: %+v", c)
	}

	// Nothing changed: no request.
	ok(t, c.Save(ctx))
	if reqs := rec.Take(); len(reqs) != 0 {
		t.Fatalf("save without changes sent %+v", reqs)
	}

	c.JobTitle = "Buyer"
	c.BusinessPhones = nil       // cleared: []
	c.Birthday = contacts.Date{} // cleared: null
	c.HomeAddress.City = "Bergen"
	ok(t, c.Save(ctx))
	reqs = rec.Take()
	want := map[string]any{"jobTitle": "Buyer", "businessPhones": []any{}, "birthday": nil,
		"homeAddress": map[string]any{"city": "Bergen", "countryOrRegion": "Norway"}}
	if len(reqs) != 1 || reqs[0].Method != "PATCH" {
		t.Fatalf("update requests: %+v", reqs)
	}
	if diff := cmp.Diff(want, reqs[0].Body); diff != "" {
		t.Fatalf("PATCH body (-want +got):\n%s", diff)
	}
	got, err := ab.Contact(ctx, c.ID)
	ok(t, err)
	if got.JobTitle != "Buyer" || len(got.BusinessPhones) != 0 || !got.Birthday.IsZero() || got.HomeAddress.City != "Bergen" {
		t.Fatalf("after update: %+v", got)
	}

	// A new contact of the address book goes to the root folder.
	rec.Take()
	r := ab.NewContact()
	r.DisplayName = "Root Person"
	ok(t, r.Save(ctx))
	if reqs := rec.Take(); reqs[0].Path != "/v1.0/me/contacts" {
		t.Fatalf("root create path %s", reqs[0].Path)
	}

	// Failures: too many addresses, unbound, unsaved.
	bad := ab.NewContact()
	bad.EmailAddresses = make([]contacts.EmailAddress, 4)
	for i := range bad.EmailAddresses {
		bad.EmailAddresses[i].Address = "x@example.com"
	}
	if err := bad.Save(ctx); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("4 addresses: %v", err)
	}
	var loose contacts.Contact
	if err := loose.Save(ctx); !errors.Is(err, contacts.ErrUnbound) {
		t.Fatalf("unbound: %v", err)
	}
	if err := ab.NewContact().Delete(ctx); !errors.Is(err, contacts.ErrNotSaved) {
		t.Fatalf("unsaved delete: %v", err)
	}

	ok(t, c.Delete(ctx))
	if err := c.Delete(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestPhoto(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	c, err := acct.AddressBook().ContactByEmail(ctx, "rob.young@adatum.com")
	ok(t, err)
	if _, _, err := c.Photo(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("no photo yet: %v", err)
	}
	img := []byte("\xff\xd8\xff\xe0 fake jpeg")
	ok(t, c.SetPhoto(ctx, img, ""))
	data, ct, err := c.Photo(ctx)
	ok(t, err)
	if !bytes.Equal(data, img) || ct != "image/jpeg" {
		t.Fatalf("photo %q %q", data, ct)
	}
	if err := c.SetPhoto(ctx, img, "text/plain"); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("bad type: %v", err)
	}
	if _, _, err := acct.AddressBook().NewContact().Photo(ctx); !errors.Is(err, contacts.ErrNotSaved) {
		t.Fatalf("unsaved: %v", err)
	}
}

func TestNewMessage(t *testing.T) {
	acct, srv := start(t)
	ctx := context.Background()
	ab := acct.AddressBook()
	c, err := ab.ContactByEmail(ctx, "garth.fort@fabrikam.com")
	ok(t, err)
	m, err := c.NewMessage()
	ok(t, err)
	m.Subject = "Hello Garth"
	ok(t, m.Save(ctx))
	if got := m.ToRecipients.Addresses(); !slices.Equal(got, []string{"garth.fort@fabrikam.com"}) {
		t.Fatalf("to: %v", got)
	}
	if n := srv.MailboxMessageCount(srv.DefaultUser().UPN, "drafts"); n < 1 {
		t.Fatalf("drafts: %d", n)
	}

	sup, err := ab.FolderByName(ctx, "Suppliers")
	ok(t, err)
	all, err := sup.Folder().NewMessage(ctx, nil)
	ok(t, err)
	if got := all.ToRecipients.Addresses(); !slices.Equal(got, []string{"aiko.tanaka@wingtiptoys.com", "ken.myer@northwindtraders.com"}) {
		t.Fatalf("folder recipients: %v", got)
	}

	none := ab.NewContact()
	if _, err := none.NewMessage(); !errors.Is(err, contacts.ErrNoEmail) {
		t.Fatalf("no email: %v", err)
	}
}

func TestDelta(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	ab := acct.AddressBook()
	sup, err := ab.FolderByName(ctx, "Suppliers")
	ok(t, err)
	f := sup.Folder()

	d := f.Delta("", &graph.ListOptions{PageSize: 1})
	var first []string
	for ch, err := range d.Changes(ctx) {
		ok(t, err)
		first = append(first, ch.Item.DisplayName)
	}
	if len(first) != 2 || d.DeltaLink() == "" {
		t.Fatalf("initial round %v, link %q", first, d.DeltaLink())
	}

	n := f.NewContact()
	n.GivenName = "Zed"
	ok(t, n.Save(ctx))
	ken, err := f.ContactByEmail(ctx, "ken.myer@northwindtraders.com")
	ok(t, err)
	ok(t, ken.Delete(ctx))
	// A change in another folder is not reported.
	r := ab.NewContact()
	r.GivenName = "Elsewhere"
	ok(t, r.Save(ctx))

	d2 := f.Delta(d.DeltaLink(), nil)
	var changed, removed []string
	for ch, err := range d2.Changes(ctx) {
		ok(t, err)
		if ch.Removed {
			removed = append(removed, ch.ID)
			continue
		}
		changed = append(changed, ch.Item.DisplayName)
		// Items are bound: Save works on them.
		ch.Item.JobTitle = "Tester"
		ok(t, ch.Item.Save(ctx))
	}
	if !slices.Equal(changed, []string{"Zed"}) || !slices.Equal(removed, []string{ken.ID}) {
		t.Fatalf("changes %v, removed %v", changed, removed)
	}

	// The root folder's delta: /contacts/delta.
	rd := ab.Root().Delta("", nil)
	var rootNames []string
	for ch, err := range rd.Changes(ctx) {
		ok(t, err)
		rootNames = append(rootNames, ch.Item.DisplayName)
	}
	slices.Sort(rootNames)
	if !slices.Equal(rootNames, []string{"Elsewhere", "Garth Fort", "Rob Young", "Yasmin Ouedraogo"}) {
		t.Fatalf("root delta: %v", rootNames)
	}

	bad := f.Delta("http://127.0.0.1:1/v1.0/me/contactFolders/"+sup.ID+"/contacts/delta?$deltatoken=junk", nil)
	for _, err := range bad.Changes(ctx) {
		if err == nil {
			t.Fatal("junk token accepted")
		}
	}
}

func TestSharedAndPermissions(t *testing.T) {
	ctx := context.Background()
	// Read-only scope: writes are denied.
	acct, _ := o365test.Start(t, o365test.WithScopes("basic", "address_book"))
	ab := acct.AddressBook()
	for _, err := range ab.Contacts(ctx, nil) {
		ok(t, err)
	}
	n := ab.NewContact()
	n.GivenName = "Denied"
	if err := n.Save(ctx); !errors.Is(err, graph.ErrForbidden) {
		t.Fatalf("write with read scope: %v", err)
	}

	// Another user's contacts: denied without a grant, allowed with one.
	acct2, srv := o365test.Start(t, o365test.WithScopes(append(o365test.DefaultScopes(), "address_book_all_shared")...))
	other := srv.AddUser(emulator.User{UPN: "ann@" + domain(srv.DefaultUser().UPN), DisplayName: "Ann"})
	them := acct2.AddressBook(graph.User(other.UPN))
	var err error
	for _, e := range them.Contacts(ctx, nil) {
		err = e
	}
	if !errors.Is(err, graph.ErrForbidden) {
		t.Fatalf("no grant: %v", err)
	}
	ok(t, srv.GrantMailboxAccess(other.UPN, srv.DefaultUser().UPN))
	c := them.NewContact()
	c.GivenName = "Shared"
	ok(t, c.Save(ctx))
	if got := names(t, them.Contacts(ctx, nil)); !slices.Equal(got, []string{"Shared"}) {
		t.Fatalf("shared contacts: %v", got)
	}
}

func domain(upn string) string {
	for i := range upn {
		if upn[i] == '@' {
			return upn[i+1:]
		}
	}
	return upn
}
