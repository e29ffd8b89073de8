package sharepoint_test

import (
	"context"
	"testing"

	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/sharepoint"
)

// manage are the default test scopes plus Sites.Manage.All, which creating lists,
// columns and content types needs.
func manage() o365test.Option {
	return o365test.WithScopes(append(o365test.DefaultScopes(), "Sites.Manage.All")...)
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

// marketing returns the seeded Marketing site and its Inventory list.
func marketing(t *testing.T, sp *sharepoint.Sharepoint) (*sharepoint.Site, *sharepoint.List) {
	t.Helper()
	ctx := context.Background()
	site, err := sp.SiteByPath(ctx, "contoso.sharepoint.com", "/sites/marketing")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := site.List(ctx, "Inventory")
	if err != nil {
		t.Fatal(err)
	}
	return site, inv
}
