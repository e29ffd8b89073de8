package drive_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

func TestVersions(t *testing.T) {
	_, _, work := setup(t)
	ctx := context.Background()
	v1 := mustUpload(t, work, "doc.txt", []byte("version one"), nil)
	mustUpload(t, work, "doc.txt", []byte("version two!"), nil)
	var vs []*drive.Version
	for v, err := range v1.Versions(ctx, &graph.ListOptions{PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	if len(vs) < 2 {
		t.Fatalf("%d versions", len(vs))
	}
	old := vs[len(vs)-1]
	var buf bytes.Buffer
	if _, err := old.Download(ctx, &buf); err != nil || buf.String() != "version one" {
		t.Errorf("old version %q %v", buf.String(), err)
	}
	got, err := v1.Version(ctx, old.ID)
	if err != nil || got.ID != old.ID {
		t.Fatalf("Version: %v", err)
	}
	if err := got.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if _, err := v1.Download(ctx, &buf, nil); err != nil || buf.String() != "version one" {
		t.Errorf("after restore %q %v", buf.String(), err)
	}
	if _, err := v1.Version(ctx, "99.0"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing version: %v", err)
	}
	if _, err := v1.Version(ctx, ""); !errors.Is(err, drive.ErrEmptyID) {
		t.Errorf("empty version: %v", err)
	}
}

func TestSharing(t *testing.T) {
	_, _, work := setup(t)
	ctx := context.Background()
	f := mustUpload(t, work, "shared.txt", []byte("share"), nil)
	exp := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	for _, lo := range []drive.LinkOptions{
		{Type: drive.LinkView, Scope: drive.ScopeOrganization},
		{Type: drive.LinkEdit, Scope: drive.ScopeAnonymous, Expiration: exp},
	} {
		p, err := f.CreateLink(ctx, lo)
		if err != nil {
			t.Fatalf("%+v: %v", lo, err)
		}
		if p.Link == nil || p.Link.WebURL == "" || p.Link.Type != lo.Type || p.Link.Scope != lo.Scope || p.Kind() != "link" {
			t.Errorf("link %+v", p)
		}
	}
	ps, err := f.Invite(ctx, drive.Invitation{Recipients: []string{"MeganB@contoso.onmicrosoft.com"}, Roles: []drive.Role{drive.RoleWrite}, RequireSignIn: true})
	if err != nil || len(ps) != 1 {
		t.Fatalf("invite: %v %v", ps, err)
	}
	if _, err := f.Invite(ctx, drive.Invitation{}); err == nil {
		t.Error("invite without recipients")
	}
	var all []*drive.Permission
	for p, err := range f.Permissions(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p)
	}
	if len(all) < 3 {
		t.Fatalf("%d permissions", len(all))
	}
	var invited *drive.Permission
	for _, p := range all {
		if p.ID == ps[0].ID {
			invited = p
		}
	}
	if invited == nil {
		t.Fatal("invitation not listed")
	}
	if err := invited.UpdateRoles(ctx, []drive.Role{drive.RoleRead}); err != nil {
		t.Fatal(err)
	}
	if len(invited.Roles) != 1 || invited.Roles[0] != drive.RoleRead {
		t.Errorf("roles %v", invited.Roles)
	}
	if err := invited.UpdateRoles(ctx, nil); err == nil {
		t.Error("no roles accepted")
	}
	if err := invited.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := invited.Delete(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}

func TestSearchRecentSpecialThumbnails(t *testing.T) {
	_, d, work := setup(t)
	ctx := context.Background()
	mustUpload(t, work, "O'Brien budget #1.txt", []byte("numbers"), nil)
	found := false
	for it, err := range d.Search(ctx, "O'Brien budget", nil) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || it.Name == "O'Brien budget #1.txt"
	}
	if !found {
		t.Error("search did not find the file")
	}
	found = false
	for it, err := range work.Search(ctx, "brien", nil) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || it.Name == "O'Brien budget #1.txt"
	}
	if !found {
		t.Error("folder search did not find the file")
	}
	for _, err := range d.Recent(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for it, err := range d.SharedWithMe(ctx, true, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if it.DriveID() == "" || it.ItemPath() == "" {
			t.Errorf("shared item unbound: %+v", it)
		}
	}
	docs, err := d.Special(ctx, drive.SpecialDocuments)
	if err != nil || docs.SpecialFolder == nil || docs.SpecialFolder.Name != "documents" {
		t.Errorf("special: %+v %v", docs, err)
	}
	if _, err := d.Special(ctx, ""); !errors.Is(err, drive.ErrEmptyID) {
		t.Errorf("empty special: %v", err)
	}
}

func TestDelta(t *testing.T) {
	_, d, work := setup(t)
	ctx := context.Background()
	dl := d.Delta("")
	n := 0
	for _, err := range dl.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 || dl.DeltaLink() == "" {
		t.Fatalf("first round: %d items, link %q", n, dl.DeltaLink())
	}
	latest, err := d.LatestDeltaLink(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f := mustUpload(t, work, "new.txt", []byte("new"), nil)
	seen := map[string]bool{}
	next, resynced, err := d.Sync(ctx, latest, func(ch graph.Change[drive.Item]) error {
		seen[ch.ID] = true
		return nil
	})
	if err != nil || resynced || next == "" {
		t.Fatalf("sync: %q %v %v", next, resynced, err)
	}
	if !seen[f.ID] {
		t.Errorf("the new file is not among the changes: %v", seen)
	}
	if err := f.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	removed := false
	_, _, err = d.Sync(ctx, next, func(ch graph.Change[drive.Item]) error {
		if ch.ID == f.ID && (ch.Removed || (ch.Item != nil && ch.Item.Deleted != nil)) {
			removed = true
		}
		return nil
	})
	if err != nil || !removed {
		t.Errorf("deletion not reported: %v", err)
	}
	stop := errors.New("stop")
	if _, _, err := d.Sync(ctx, "", func(graph.Change[drive.Item]) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("apply error: %v", err)
	}
}

// When the service forgets the sync state (410), Sync starts a full round and says so.
func TestSyncAfterExpiredToken(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	link, _, err := d.Sync(ctx, "", func(graph.Change[drive.Item]) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	srv.ExpireDriveDeltaTokens()
	dl := d.Delta(link)
	for _, err := range dl.Changes(ctx) {
		if !errors.Is(err, graph.ErrSyncStateExpired) {
			t.Errorf("expired link: %v", err)
		}
		break
	}
	n := 0
	next, resynced, err := d.Sync(ctx, link, func(graph.Change[drive.Item]) error { n++; return nil })
	if err != nil || !resynced || next == "" || n == 0 {
		t.Errorf("resync: %q %v %v, %d changes", next, resynced, err, n)
	}
}
