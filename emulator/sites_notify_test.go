package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestSiteListItemNotifications: creating, changing and deleting list items
// notifies the subscriptions on the list (which Graph supports with the
// "updated" change type only).
func TestSiteListItemNotifications(t *testing.T) {
	f := newSiteFixture(t)
	fastDelivery(f.s)
	r := newReceiver(t)
	resource := "sites/" + f.mkt.id + "/lists/" + f.inventory
	body := subBody(resource, r.srv.URL, "updated", f.s.Now().Add(24*time.Hour), "")
	if res := do(t, f.s, "POST", "/v1.0/subscriptions", f.write, body); res.status != 201 {
		t.Fatalf("subscription: %d %s", res.status, res.body)
	}
	items := "/v1.0/sites/" + url.PathEscape(f.mkt.id) + "/lists/" + f.inventory + "/items"
	if res := do(t, f.s, "POST", items, f.write, `{"fields":{"Title":"Notify me"}}`); res.status != 201 {
		t.Fatal(res.status, string(res.body))
	}
	if res := do(t, f.s, "PATCH", items+"/121/fields", f.write, `{"Title":"Changed"}`); res.status != 200 {
		t.Fatal(res.status, string(res.body))
	}
	if res := do(t, f.s, "DELETE", items+"/121", f.write, ""); res.status != 204 {
		t.Fatal(res.status)
	}
	for range 3 {
		n := r.next(t)
		res, _ := n["resource"].(string)
		if n["changeType"] != "updated" || !strings.Contains(res, f.inventory) {
			t.Errorf("notification %v", n)
		}
	}
}
