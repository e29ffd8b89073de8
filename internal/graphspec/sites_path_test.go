package graphspec

import "testing"

// TestMatchSitePaths: a site addressed by host name and server-relative
// path (/sites/{hostname}:/{path}, any depth, with or without the closing
// colon) is /sites/{site-id}, and what follows the closing colon is
// matched below it.
func TestMatchSitePaths(t *testing.T) {
	tests := []struct {
		method, path, want string
	}{
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing", "/sites/{site-id}"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing:", "/sites/{site-id}"},
		{"GET", "/v1.0/sites/contoso.sharepoint.com:/teams/x", "/sites/{site-id}"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/a/b", "/sites/{site-id}"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/a%20b/c:", "/sites/{site-id}"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing:/lists", "/sites/{site-id}/lists"},
		{"POST", "/sites/contoso.sharepoint.com:/sites/marketing:/lists", "/sites/{site-id}/lists"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing:/lists/Inventory/items", "/sites/{site-id}/lists/{list-id}/items"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing:/lists/Documents/drive", "/sites/{site-id}/lists/{list-id}/drive"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing:/drive", "/sites/{site-id}/drive"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing:/drives", "/sites/{site-id}/drives"},
		{"PUT", "/sites/contoso.sharepoint.com:/sites/marketing:/drive/root:/a b.txt:/content", "/drives/{drive-id}/items/{driveItem-id}/content"},
		{"GET", "/sites/contoso.sharepoint.com:/sites/marketing:/sites", "/sites/{site-id}/sites"},
		{"GET", "/groups/g/sites/root", "/groups/{group-id}/sites/{site-id}"},
		{"GET", "/sites/s/lists/l/drive", "/sites/{site-id}/lists/{list-id}/drive"},
	}
	for _, tt := range tests {
		got, ok := Match(tt.method, tt.path)
		if !ok || got != tt.want {
			t.Errorf("Match(%q, %q) = %q, %v; want %q", tt.method, tt.path, got, ok, tt.want)
		}
	}
	if _, ok := Match("GET", "/sites/contoso.sharepoint.com:/sites/marketing:/bogus"); ok {
		t.Error("an unknown segment below a site path matched")
	}
}
