package contacts_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/o365go/o365/contacts"
)

func TestFolderDelta(t *testing.T) {
	acct, _ := start(t)
	ctx := context.Background()
	ab := acct.AddressBook()
	a, err := ab.CreateFolder(ctx, "Alpha")
	ok(t, err)
	b, err := ab.CreateFolder(ctx, "Beta")
	ok(t, err)
	child, err := a.Folder().CreateChildFolder(ctx, "Alpha child")
	ok(t, err)

	d := ab.FolderDelta("")
	var first []string
	for ch, err := range d.Changes(ctx) {
		ok(t, err)
		first = append(first, ch.Item.DisplayName)
	}
	slices.Sort(first)
	if !slices.Equal(first, []string{"Alpha", "Alpha child", "Beta", "Suppliers"}) || d.DeltaLink() == "" {
		t.Fatalf("initial round %v, link %q", first, d.DeltaLink())
	}

	_, err = b.Folder().Rename(ctx, "Beta 2")
	ok(t, err)
	ok(t, a.Folder().Delete(ctx))

	d2 := ab.FolderDelta(d.DeltaLink())
	var changed, removed []string
	for ch, err := range d2.Changes(ctx) {
		ok(t, err)
		if ch.Removed {
			removed = append(removed, ch.ID)
			continue
		}
		changed = append(changed, ch.Item.DisplayName)
		// Items are bound: their folder handle works.
		if _, err := ch.Item.Folder().Get(ctx); err != nil {
			t.Fatalf("bound folder: %v", err)
		}
	}
	slices.Sort(removed)
	want := []string{a.ID, child.ID}
	slices.Sort(want)
	if !slices.Equal(changed, []string{"Beta 2"}) || !slices.Equal(removed, want) {
		t.Fatalf("changes %v, removed %v", changed, removed)
	}

	// A bad token: ErrSyncStateExpired.
	bad := ab.FolderDelta(strings.Split(d2.DeltaLink(), "$deltatoken=")[0] + "$deltatoken=junk")
	var got error
	for _, err := range bad.Changes(ctx) {
		if err != nil {
			got = err
		}
	}
	if !errors.Is(got, contacts.ErrSyncStateExpired) {
		t.Fatalf("junk token: %v", got)
	}
}
