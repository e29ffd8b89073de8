package emulator

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// TestContactsRoutesAreGraphPaths: every contacts and categories route is
// a real Graph v1.0 path and method, for users and for /me.
func TestContactsRoutesAreGraphPaths(t *testing.T) {
	s := Start(t)
	sample := strings.NewReplacer("{user}", "AdeleV@contoso.onmicrosoft.com", "{contact}", "AAMkADct1=",
		"{contactFolder}", "AAMkADcf1=", "{contactFolder1}", "AAMkADcf2=", "{outlookCategory}", "5a9a6aa8-b65f-4357-b1f9-60c6bf6330d8")
	n := 0
	for _, r := range s.router.routes {
		pat := strings.Join(r.pattern, "/")
		if !strings.Contains(pat, "contact") && !strings.Contains(pat, "masterCategories") {
			continue
		}
		n++
		for _, p := range []string{"/v1.0/" + pat, "/v1.0/me" + strings.TrimPrefix(pat, "users/{user}")} {
			if _, ok := graphspec.Match(r.method, sample.Replace(p)); !ok {
				t.Errorf("%s %s is not a Graph path", r.method, sample.Replace(p))
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d contacts/categories routes", n)
	}
}

// contactFixture makes a folder with a child folder and three contacts in
// the folder, and a category; it returns their ids.
func contactFixture(t *testing.T, s *Server, tok string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	f := do(t, s, "POST", "/v1.0/me/contactFolders", tok, `{"displayName":"Finance"}`)
	if f.status != 201 {
		t.Fatalf("create folder: %d %s", f.status, f.body)
	}
	ids["contactFolder"] = f.json["id"].(string)
	ch := do(t, s, "POST", "/v1.0/me/contactFolders/"+ids["contactFolder"]+"/childFolders", tok, `{"displayName":"Audit"}`)
	ids["contactFolder1"] = ch.json["id"].(string)
	for i, name := range []string{"Garth", "Rob", "Yasmin"} {
		c := do(t, s, "POST", "/v1.0/me/contactFolders/"+ids["contactFolder"]+"/contacts", tok,
			fmt.Sprintf(`{"givenName":%q,"surname":"Fort","emailAddresses":[{"name":%q,"address":"%s@contoso.com"}]}`, name, name, strings.ToLower(name)))
		if c.status != 201 {
			t.Fatalf("create contact: %d %s", c.status, c.body)
		}
		if i == 0 {
			ids["contact"] = c.json["id"].(string)
		}
	}
	child := do(t, s, "POST", "/v1.0/me/contactFolders/"+ids["contactFolder"]+"/childFolders/"+ids["contactFolder1"]+"/contacts", tok, `{"givenName":"Deep"}`)
	if child.status != 201 {
		t.Fatalf("create contact in child: %d %s", child.status, child.body)
	}
	cat := do(t, s, "POST", "/v1.0/me/outlook/masterCategories", tok, `{"displayName":"Fixture","color":"preset2"}`)
	ids["outlookCategory"] = cat.json["id"].(string)
	return ids
}

// TestFidelityContactsAndCategories replays the documented contacts and
// Outlook category examples the emulator serves (a fresh server each) and
// compares the status and the documented response properties.
func TestFidelityContactsAndCategories(t *testing.T) {
	replayed := 0
	for _, area := range []string{"contacts", "outlook"} {
		for _, ex := range graphspec.Examples(area) {
			name := fmt.Sprintf("%s:%d", ex.Source, ex.Line)
			if ex.Host != "" || ex.Method == "" {
				continue
			}
			path, rawQuery, _ := strings.Cut(ex.Path, "?")
			if !strings.HasPrefix(path, "/v1.0") && !strings.HasPrefix(path, "/beta") {
				path = "/v1.0" + path
			}
			s := Start(t)
			tok := tokenFor(t, s, s.DefaultUser().UPN, "Contacts.ReadWrite MailboxSettings.ReadWrite User.Read")
			_, segs, ok := splitGraphPath(escapeExamplePath(path))
			if !ok || len(segs) == 0 {
				continue
			}
			if strings.EqualFold(segs[0], "me") {
				segs = append([]string{"users", s.DefaultUser().ID}, segs[1:]...)
			}
			m := s.router.match(ex.Method, segs)
			if m.route == nil {
				t.Logf("not served: %s %s (%s)", ex.Method, ex.Path, name)
				continue
			}
			ids := contactFixture(t, s, tok)
			for i, p := range m.route.pattern {
				switch p {
				case "{user}":
					segs[i] = s.DefaultUser().ID
				case "{contact}", "{contactFolder}", "{contactFolder1}", "{outlookCategory}":
					segs[i] = ids[p[1:len(p)-1]]
				}
			}
			for i := range segs {
				segs[i] = url.PathEscape(segs[i])
			}
			target := "/v1.0/" + strings.Join(segs, "/")
			if rawQuery != "" {
				q, err := url.ParseQuery(rawQuery)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if f := q.Get("$filter"); strings.Contains(f, "emailAddresses") {
					q.Set("$filter", "emailAddresses/any(a:a/address eq 'garth@contoso.com')")
				}
				target += "?" + q.Encode()
			}
			body := ""
			if ex.RequestBody != nil {
				body = string(encodeJSON(ex.RequestBody))
			}
			var hdr []string
			for k, v := range ex.RequestHeaders {
				if strings.EqualFold(k, "Prefer") {
					hdr = append(hdr, k, v)
				}
			}
			r := do(t, s, ex.Method, target, tok, body, hdr...)
			replayed++
			want := ex.ResponseStatus
			switch {
			case want == 0 && (r.status < 200 || r.status > 299):
				t.Errorf("%s: %s %s answered %d %s", name, ex.Method, target, r.status, r.body)
				continue
			case want != 0 && r.status != want:
				t.Errorf("%s: %s %s answered %d, docs %d: %s", name, ex.Method, target, r.status, want, r.body)
				continue
			}
			doc, _ := ex.ResponseBody.(map[string]any)
			if _, isErr := doc["error"]; doc == nil || isErr || strings.Contains(ex.Path, "/delta") {
				// The known-issues page shows the error of a user without a
				// mailbox; every emulated user has one.
				continue
			}
			check := func(want, got map[string]any) {
				for k := range want {
					if strings.HasPrefix(k, "@odata.") {
						continue
					}
					if _, ok := got[k]; !ok {
						t.Errorf("%s: property %q missing from %s", name, k, r.body)
					}
				}
			}
			if vs, ok := doc["value"].([]any); ok {
				got := r.values()
				if len(vs) > 0 && len(got) > 0 {
					w, _ := vs[0].(map[string]any)
					check(w, got[0])
				}
				continue
			}
			check(doc, r.json)
		}
	}
	if replayed < 10 {
		t.Fatalf("only %d examples replayed", replayed)
	}
}

// TestCategoriesDefaultsMatchDocs: the documented list of a mailbox's
// categories is Outlook's defaults, which the emulator seeds.
func TestCategoriesDefaultsMatchDocs(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, "MailboxSettings.Read")
	r := do(t, s, "GET", "/v1.0/me/outlook/masterCategories", tok, "")
	var got []string
	for _, v := range r.values() {
		got = append(got, fmt.Sprint(v["displayName"], "/", v["color"]))
	}
	var want []string
	for _, ex := range graphspec.Examples("outlook") {
		if ex.Method == "GET" && strings.HasSuffix(ex.Path, "/masterCategories") {
			doc, _ := ex.ResponseBody.(map[string]any)
			vs, _ := doc["value"].([]any)
			for _, v := range vs {
				m := v.(map[string]any)
				want = append(want, fmt.Sprint(m["displayName"], "/", m["color"]))
			}
		}
	}
	if strings.Join(got, ",") != strings.Join(want, ",") || len(want) != 6 {
		t.Fatalf("defaults %v, docs %v", got, want)
	}
	if w := do(t, s, "POST", "/v1.0/me/outlook/masterCategories", tok, `{"displayName":"X","color":"preset1"}`); w.status != 403 || w.errCode() != "ErrorAccessDenied" {
		t.Fatalf("write with MailboxSettings.Read: %d %s", w.status, w.body)
	}
	rw := tokenFor(t, s, s.DefaultUser().UPN, "MailboxSettings.ReadWrite")
	for body, status := range map[string]int{
		`{"displayName":"red CATEGORY","color":"preset1"}`: 409,
		`{"displayName":"Z","color":"preset25"}`:           400,
		`{"displayName":"Z","colour":"preset2"}`:           400,
		`{"color":"preset2"}`:                              400,
		`{"displayName":"Z","color":"none"}`:               201,
	} {
		if r := do(t, s, "POST", "/v1.0/me/outlook/masterCategories", rw, body); r.status != status {
			t.Errorf("POST %s: %d %s", body, r.status, r.body)
		}
	}
	id := r.values()[0]["id"].(string)
	if r := do(t, s, "PATCH", "/v1.0/me/outlook/masterCategories/"+id, rw, `{"displayName":"Renamed"}`); r.status != 400 {
		t.Errorf("rename: %d %s", r.status, r.body)
	}
	if r := do(t, s, "PATCH", "/v1.0/me/outlook/masterCategories/"+id, rw, `{"color":"preset24"}`); r.status != 200 || r.json["color"] != "preset24" {
		t.Errorf("recolour: %d %s", r.status, r.body)
	}
	other := s.AddUser(User{UPN: "ann@contoso.onmicrosoft.com"})
	if r := do(t, s, "GET", "/v1.0/users/"+other.UPN+"/outlook/masterCategories", rw, ""); r.status != 403 {
		t.Errorf("another user's categories, delegated: %d", r.status)
	}
	app := appToken(t, s)
	if r := do(t, s, "GET", "/v1.0/users/"+other.UPN+"/outlook/masterCategories", app, ""); r.status != 200 || len(r.values()) != 6 {
		t.Errorf("app-only: %d %s", r.status, r.body)
	}
}

// TestContactsHTTP covers what the library tests cannot see: permissions,
// @removed entries, bad input and the folder rules.
func TestContactsHTTP(t *testing.T) {
	s := Start(t)
	rw := tokenFor(t, s, s.DefaultUser().UPN, "Contacts.ReadWrite")
	ro := tokenFor(t, s, s.DefaultUser().UPN, "Contacts.Read")
	none := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	ids := contactFixture(t, s, tokenFor(t, s, s.DefaultUser().UPN, "Contacts.ReadWrite MailboxSettings.ReadWrite"))
	if r := do(t, s, "GET", "/v1.0/me/contacts", none, ""); r.status != 403 || r.errCode() != "ErrorAccessDenied" {
		t.Fatalf("no scope: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/v1.0/me/contacts", ro, `{"givenName":"x"}`); r.status != 403 {
		t.Fatalf("read scope write: %d", r.status)
	}
	f := "/v1.0/me/contactFolders/" + ids["contactFolder"]
	d := do(t, s, "GET", f+"/contacts/delta", ro, "")
	if len(d.values()) != 3 || d.json["@odata.deltaLink"] == nil {
		t.Fatalf("initial delta: %s", d.body)
	}
	if r := do(t, s, "DELETE", "/v1.0/me/contacts/"+ids["contact"], rw, ""); r.status != 204 {
		t.Fatalf("delete: %d", r.status)
	}
	d2 := do(t, s, "GET", d.json["@odata.deltaLink"].(string), ro, "")
	vs := d2.values()
	if len(vs) != 1 || vs[0]["id"] != ids["contact"] || fmt.Sprint(vs[0]["@removed"]) != "map[reason:deleted]" {
		t.Fatalf("delta after delete: %s", d2.body)
	}
	if r := do(t, s, "GET", f+"/contacts/delta?$deltatoken=bogus", ro, ""); r.status != 410 {
		t.Fatalf("bogus token: %d", r.status)
	}
	for _, c := range []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/v1.0/me/contacts", `{"nope":1}`, 400},
		{"POST", "/v1.0/me/contacts", `{"birthday":"yesterday"}`, 400},
		{"POST", "/v1.0/me/contacts", `[1]`, 400},
		{"GET", "/v1.0/me/contacts?$select=nope", "", 400},
		{"GET", "/v1.0/me/contacts?$filter=emailAddresses/any(a:a/address eq ", "", 400},
		{"GET", "/v1.0/me/contactFolders/nope", "", 404},
		{"GET", "/v1.0/me/contactFolders/" + ids["contactFolder1"] + "/contacts/" + ids["contact"], "", 404},
		{"PATCH", f, `{"displayName":""}`, 400},
		{"PATCH", f, `{"parentFolderId":"` + ids["contactFolder1"] + `"}`, 400},
		{"POST", f + "/childFolders", `{"displayName":"audit"}`, 409},
		{"PUT", "/v1.0/me/contactFolders/" + ids["contactFolder"] + "/childFolders/" + ids["contactFolder1"] + "/contacts/nope/photo/$value", "x", 404},
		{"GET", "/v1.0/me/contactFolders/" + ids["contactFolder"] + "/childFolders/" + ids["contactFolder1"] + "/contacts", "", 200},
		{"GET", "/v1.0/me/contactFolders/" + ids["contactFolder"] + "/contacts/$count", "", 200},
	} {
		if r := do(t, s, c.method, c.path, rw, c.body); r.status != c.status {
			t.Errorf("%s %s %s: %d, want %d: %s", c.method, c.path, c.body, r.status, c.status, r.body)
		}
	}
	if r := do(t, s, "DELETE", f, rw, ""); r.status != 204 {
		t.Fatalf("delete folder: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/me/contactFolders/"+ids["contactFolder1"], rw, ""); r.status != 404 {
		t.Fatalf("child of deleted folder: %d", r.status)
	}
}

// FuzzCategoryColor: only "none" and preset0..preset24 are colours.
func FuzzCategoryColor(f *testing.F) {
	for _, s := range []string{"none", "preset0", "preset24", "preset25", "preset01", "preset", "Preset1", ""} {
		f.Add(s)
	}
	valid := map[string]bool{"none": true}
	for i := 0; i <= 24; i++ {
		valid[fmt.Sprintf("preset%d", i)] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := validCategoryColor(s); got != valid[s] {
			t.Fatalf("validCategoryColor(%q) = %v", s, got)
		}
	})
}

// FuzzContactDeltaToken: any skip or delta token is either decoded or
// refused, never a panic, and encoding round-trips.
func FuzzContactDeltaToken(f *testing.F) {
	f.Add(contactDeltaToken{Folder: "AAMk", Since: 3, Select: "displayName"}.encode())
	f.Add("CTbm90IGpzb24")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		tok, ok := decodeContactDeltaToken(s)
		if !ok {
			return
		}
		again, ok := decodeContactDeltaToken(tok.encode())
		if !ok || again != tok {
			t.Fatalf("%q: %+v then %+v", s, tok, again)
		}
	})
}
