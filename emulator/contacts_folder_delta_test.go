package emulator

import (
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

func TestContactFolderDelta(t *testing.T) {
	if _, ok := graphspec.Match("GET", "/v1.0/users/x/contactFolders/delta"); !ok {
		t.Fatal("contactFolders/delta is not a Graph path")
	}
	s := Start(t)
	rw := tokenFor(t, s, s.DefaultUser().UPN, "Contacts.ReadWrite")
	ro := tokenFor(t, s, s.DefaultUser().UPN, "Contacts.Read")
	none := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	mk := func(path, name string) string {
		t.Helper()
		r := do(t, s, "POST", path, rw, `{"displayName":"`+name+`"}`)
		if r.status != 201 {
			t.Fatalf("create %s: %d %s", name, r.status, r.body)
		}
		return r.json["id"].(string)
	}
	a := mk("/v1.0/me/contactFolders", "A")
	b := mk("/v1.0/me/contactFolders", "B")
	child := mk("/v1.0/me/contactFolders/"+a+"/childFolders", "A1")
	if r := do(t, s, "GET", "/v1.0/me/contactFolders/delta", none, ""); r.status != 403 {
		t.Fatalf("no scope: %d", r.status)
	}
	// The first round pages (Prefer: odata.maxpagesize) through every folder.
	var ids []string
	next := "/v1.0/me/contactFolders/delta"
	var delta string
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		r := do(t, s, "GET", next, ro, "", "Prefer", "odata.maxpagesize=2")
		if r.status != 200 {
			t.Fatalf("delta: %d %s", r.status, r.body)
		}
		if !strings.HasSuffix(r.json["@odata.context"].(string), "contactFolders/delta") {
			t.Fatalf("context: %s", r.body)
		}
		for _, v := range r.values() {
			ids = append(ids, v["id"].(string)+" "+v["displayName"].(string))
		}
		next, _ = r.json["@odata.nextLink"].(string)
		delta, _ = r.json["@odata.deltaLink"].(string)
		if (next == "") == (delta == "") {
			t.Fatalf("want one of nextLink and deltaLink: %s", r.body)
		}
	}
	all := strings.Join(ids, ",")
	for _, want := range []string{a + " A", b + " B", child + " A1"} {
		if !strings.Contains(all, want) {
			t.Fatalf("first round %v misses %s", ids, want)
		}
	}
	// Nothing changed: an empty round.
	r := do(t, s, "GET", delta, ro, "")
	if r.status != 200 || len(r.values()) != 0 || r.json["@odata.deltaLink"] == nil {
		t.Fatalf("unchanged round: %d %s", r.status, r.body)
	}
	delta = r.json["@odata.deltaLink"].(string)
	// A rename and a delete (with its child) show up.
	if r := do(t, s, "PATCH", "/v1.0/me/contactFolders/"+b, rw, `{"displayName":"B2"}`); r.status != 200 {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	if r := do(t, s, "DELETE", "/v1.0/me/contactFolders/"+a, rw, ""); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	r = do(t, s, "GET", delta, ro, "")
	got := map[string]string{}
	for _, v := range r.values() {
		if _, gone := v["@removed"]; gone {
			got[v["id"].(string)] = "removed"
		} else {
			got[v["id"].(string)] = v["displayName"].(string)
		}
	}
	if len(got) != 3 || got[b] != "B2" || got[a] != "removed" || got[child] != "removed" {
		t.Fatalf("changes: %v (%s)", got, r.body)
	}
	// Bad tokens: 410 SyncStateNotFound.
	for _, q := range []string{"$deltatoken=bogus", "$skiptoken=CFxx", "$deltatoken=" + folderDeltaToken{User: "someone-else", Later: true}.encode(),
		"$skiptoken=" + folderDeltaToken{User: s.DefaultUser().ID, Offset: -5}.encode(), "$deltatoken=" + folderDeltaToken{User: s.DefaultUser().ID, Since: 1 << 40, Later: true}.encode()} {
		if r := do(t, s, "GET", "/v1.0/me/contactFolders/delta?"+q, ro, ""); r.status != 410 || r.errCode() != "SyncStateNotFound" {
			t.Fatalf("%s: %d %s", q, r.status, r.body)
		}
	}
}
