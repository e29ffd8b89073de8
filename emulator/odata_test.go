package emulator

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestUsersOData(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read.All")
	ev := []string{"ConsistencyLevel", "eventual"}
	tests := []struct {
		name   string
		query  string
		hdr    []string
		status int
		code   string
		check  func(t *testing.T, r *result)
	}{
		{name: "all", query: "", status: 200, check: wantCount(demoUserCount)},
		{name: "filter eq", query: "$filter=department eq 'Marketing'", status: 200, check: wantNames("Alex Wilber", "Megan Bowen")},
		{name: "filter startswith", query: "$filter=startswith(displayName,'M')", status: 200, check: wantNames("Miriam Graham", "Megan Bowen")},
		{name: "orderby", query: "$orderby=displayName&$top=3", status: 200, check: wantNames("Adele Vance", "Alex Wilber", "Contoso Sales")},
		{name: "orderby desc", query: "$orderby=displayName desc&$top=2", status: 200, check: wantNames("Patti Fernandez", "Nestor Wilke")},
		{name: "select", query: "$select=displayName,department", status: 200, check: func(t *testing.T, r *result) {
			u := r.values()[0]
			if len(u) != 3 || u["department"] == nil || u["id"] == nil {
				t.Errorf("selected user %v", u)
			}
			if !strings.HasSuffix(r.json["@odata.context"].(string), "#users(displayName,department)") {
				t.Errorf("context %v", r.json["@odata.context"])
			}
		}},
		{name: "select unknown property", query: "$select=nope", status: 400, code: "Request_BadRequest"},
		{name: "select mailbox property in list", query: "$select=skills", status: 501, code: "NotImplemented"},
		{name: "top too large", query: "$top=1000", status: 400, code: "Request_BadRequest"},
		{name: "top not a number", query: "$top=x", status: 400},
		{name: "count without eventual", query: "$count=true", status: 400, code: "Request_UnsupportedQuery"},
		{name: "count", query: "$count=true&$top=2", hdr: ev, status: 200, check: func(t *testing.T, r *result) {
			if r.json["@odata.count"] != float64(demoUserCount) || len(r.values()) != 2 {
				t.Errorf("count %v, %d values", r.json["@odata.count"], len(r.values()))
			}
		}},
		{name: "search without eventual", query: `$search="displayName:meg"`, status: 400, code: "Request_UnsupportedQuery"},
		{name: "search", query: `$search="displayName:meg"`, hdr: ev, status: 200, check: wantNames("Megan Bowen")},
		{name: "bad filter", query: "$filter=displayName eq", status: 400, code: "Request_BadRequest"},
		{name: "filter unknown property", query: "$filter=nope eq 'x'", status: 400, code: "Request_BadRequest"},
		{name: "filter guid literal", query: "$filter=assignedLicenses/any(u:u/skuId eq c7df2760-2c81-4ef7-b578-5b5392b571df)", status: 200, check: wantCount(demoUserCount)},
		{name: "skip unsupported", query: "$skip=2", status: 400, code: "Request_BadRequest"},
		{name: "expand manager", query: "$expand=manager&$filter=userPrincipalName eq 'AlexW@contoso.onmicrosoft.com'", status: 200, check: func(t *testing.T, r *result) {
			m, _ := r.values()[0]["manager"].(map[string]any)
			if m["displayName"] != "Miriam Graham" {
				t.Errorf("manager %v", m)
			}
		}},
		{name: "expand unsupported", query: "$expand=drive", status: 400},
		{name: "ne needs eventual", query: "$filter=department ne 'Marketing'", status: 400, code: "Request_UnsupportedQuery"},
		{name: "ne", query: "$filter=department ne 'Marketing'", hdr: ev, status: 200, check: wantCount(demoUserCount - 2)},
		{name: "endswith needs eventual", query: "$filter=endswith(mail,'@contoso.onmicrosoft.com')", status: 400, code: "Request_UnsupportedQuery"},
		{name: "ne inside a literal is fine", query: "$filter=department eq 'ne not endswith'", status: 200, check: wantCount(0)},
		{name: "filter and orderby need eventual", query: "$filter=department eq 'Marketing'&$orderby=displayName", status: 400, code: "Request_UnsupportedQuery"},
		{name: "filter and orderby", query: "$filter=department eq 'Marketing'&$orderby=displayName desc", hdr: ev, status: 200, check: wantNames("Megan Bowen", "Alex Wilber")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, "GET", "/v1.0/users?"+encodeQuery(tc.query), tok, "", tc.hdr...)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.code != "" && r.errCode() != tc.code {
				t.Errorf("code %q, want %q", r.errCode(), tc.code)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}

	t.Run("$count segment", func(t *testing.T) {
		if r := do(t, s, "GET", "/v1.0/users/$count", tok, ""); r.status != 400 || r.errCode() != "Request_UnsupportedQuery" {
			t.Errorf("without eventual: %d %s", r.status, r.body)
		}
		r := do(t, s, "GET", "/v1.0/users/$count", tok, "", ev...)
		if r.status != 200 || string(r.body) != strconv.Itoa(demoUserCount) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") {
			t.Errorf("with eventual: %d %q %v", r.status, r.body, r.header)
		}
	})
	t.Run("user $select extra property", func(t *testing.T) {
		r := do(t, s, "GET", "/v1.0/users/AlexW@contoso.onmicrosoft.com?$select=displayName,city,skills,accountEnabled", tok, "")
		if r.status != 200 || r.json["city"] != "San Diego" || r.json["accountEnabled"] != true || r.json["skills"] == nil {
			t.Errorf("%d %s", r.status, r.body)
		}
		if !strings.HasSuffix(r.json["@odata.context"].(string), "#users(displayName,city,skills,accountEnabled)/$entity") {
			t.Errorf("context %v", r.json["@odata.context"])
		}
	})
}

func TestMessagesOData(t *testing.T) {
	s := Start(t)
	upn := s.DefaultUser().UPN
	if err := s.SeedMessages(upn, 300); err != nil {
		t.Fatal(err)
	}
	tok := tokenFor(t, s, upn, "Mail.Read")
	tests := []struct {
		name   string
		path   string
		query  string
		status int
		code   string
		check  func(t *testing.T, r *result)
	}{
		{name: "default page", query: "", status: 200, check: func(t *testing.T, r *result) {
			if len(r.values()) != 10 || r.json["@odata.nextLink"] == nil {
				t.Errorf("%d values, nextLink %v", len(r.values()), r.json["@odata.nextLink"])
			}
			assertSorted(t, r.values(), "receivedDateTime", true)
		}},
		{name: "top", query: "$top=25", status: 200, check: wantCount(25)},
		{name: "top max", query: "$top=1000", status: 200, check: wantCount(300)},
		{name: "top over max", query: "$top=1001", status: 400},
		{name: "filter isRead", query: "$filter=isRead eq false&$top=1000", status: 200, check: func(t *testing.T, r *result) {
			for _, m := range r.values() {
				if m["isRead"] != false {
					t.Fatalf("read message in result: %v", m["id"])
				}
			}
			if n := len(r.values()); n == 0 || n == 300 {
				t.Errorf("%d unread of 300", n)
			}
		}},
		{name: "filter date", query: "$filter=receivedDateTime ge 2026-11-01T00:00:00Z&$top=1000", status: 200, check: func(t *testing.T, r *result) {
			for _, m := range r.values() {
				if m["receivedDateTime"].(string) < "2026-11-01T00:00:00Z" {
					t.Fatalf("old message %v", m["receivedDateTime"])
				}
			}
		}},
		{name: "filter from (indexed nested)", query: "$filter=from/emailAddress/address eq 'MeganB@contoso.onmicrosoft.com'", status: 200},
		{name: "filter body (full decode)", query: "$filter=contains(bodyPreview,'Bellevue')&$top=1000", status: 200, check: func(t *testing.T, r *result) {
			for _, m := range r.values() {
				if !strings.Contains(m["bodyPreview"].(string), "Bellevue") {
					t.Fatalf("non-matching %v", m["bodyPreview"])
				}
			}
		}},
		{name: "categories any", query: "$filter=categories/any(c:c eq 'Red category')&$top=1000", status: 200, check: func(t *testing.T, r *result) {
			for _, m := range r.values() {
				if !strings.Contains(strings.Join(toStrings(m["categories"]), ","), "Red category") {
					t.Fatalf("non-matching %v", m["categories"])
				}
			}
		}},
		{name: "orderby subject", query: "$orderby=subject&$top=50", status: 200, check: func(t *testing.T, r *result) { assertSorted(t, r.values(), "subject", false) }},
		{name: "filter and orderby, same property first", query: "$filter=receivedDateTime ge 2026-01-01T00:00:00Z and isRead eq true&$orderby=receivedDateTime asc", status: 200, check: func(t *testing.T, r *result) {
			assertSorted(t, r.values(), "receivedDateTime", false)
		}},
		{name: "filter and orderby, inefficient", query: "$filter=isRead eq true&$orderby=receivedDateTime desc", status: 400, code: "InefficientFilter"},
		{name: "select", query: "$select=subject,from", status: 200, check: func(t *testing.T, r *result) {
			m := r.values()[0]
			if len(m) != 4 || m["@odata.etag"] == nil || m["subject"] == nil || m["from"] == nil {
				t.Errorf("selected %v", m)
			}
		}},
		{name: "select uniqueBody and headers", query: "$select=uniqueBody,internetMessageHeaders&$top=1", status: 200, check: func(t *testing.T, r *result) {
			m := r.values()[0]
			if _, ok := m["uniqueBody"].(map[string]any); !ok {
				t.Errorf("uniqueBody %v", m["uniqueBody"])
			}
			if hs, ok := m["internetMessageHeaders"].([]any); !ok || len(hs) == 0 {
				t.Errorf("internetMessageHeaders %v", m["internetMessageHeaders"])
			}
		}},
		{name: "select unknown", query: "$select=nope", status: 400, code: "RequestBroker--ParseUri"},
		{name: "filter on flag (full decode)", query: "$filter=flag/flagStatus eq 'flagged'&$top=1000", status: 200, check: func(t *testing.T, r *result) {
			if len(r.values()) == 0 {
				t.Error("no flagged message")
			}
			for _, m := range r.values() {
				if f := m["flag"].(map[string]any); f["flagStatus"] != "flagged" || f["dueDateTime"] == nil {
					t.Fatalf("flag %v", f)
				}
			}
		}},
		{name: "filter unknown", query: "$filter=nope eq 1", status: 400, code: "RequestBroker--ParseUri"},
		{name: "filter lambda variable", query: "$filter=toRecipients/any(r:r/emailAddress/address eq 'AdeleV@contoso.onmicrosoft.com')&$top=1", status: 200, check: wantCount(1)},
		{name: "count", query: "$count=true&$top=1", status: 200, check: func(t *testing.T, r *result) {
			if r.json["@odata.count"] != float64(300) {
				t.Errorf("count %v", r.json["@odata.count"])
			}
		}},
		{name: "search", query: `$search="Falcon"&$top=1000`, status: 200, check: func(t *testing.T, r *result) {
			if len(r.values()) == 0 {
				t.Error("nothing found")
			}
			for _, m := range r.values() {
				if !strings.Contains(strings.ToLower(m["subject"].(string)+m["body"].(map[string]any)["content"].(string)), "falcon") {
					t.Fatalf("non-matching %v", m["subject"])
				}
			}
		}},
		{name: "search with orderby", query: `$search="Falcon"&$orderby=subject`, status: 400},
		{name: "expand attachments", query: "$expand=attachments&$filter=hasAttachments eq true&$top=1", status: 200, check: func(t *testing.T, r *result) {
			atts, _ := r.values()[0]["attachments"].([]any)
			if len(atts) != 1 {
				t.Errorf("attachments %v", r.values()[0]["attachments"])
			}
		}},
		{name: "expand unknown", query: "$expand=nope", status: 400},
		{name: "folder", path: "/v1.0/me/mailFolders/inbox/messages", query: "$top=5", status: 200, check: wantCount(5)},
		{name: "folder by key syntax", path: "/v1.0/me/mailFolders('Inbox')/messages", query: "$top=5", status: 200, check: wantCount(5)},
		{name: "empty folder", path: "/v1.0/me/mailFolders/sentitems/messages", status: 200, check: wantCount(0)},
		{name: "unknown folder", path: "/v1.0/me/mailFolders/nope/messages", status: 404, code: "ErrorItemNotFound"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.path
			if p == "" {
				p = "/v1.0/me/messages"
			}
			r := do(t, s, "GET", p+"?"+encodeQuery(tc.query), tok, "")
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.400s", r.status, tc.status, r.body)
			}
			if tc.code != "" && r.errCode() != tc.code {
				t.Errorf("code %q, want %q", r.errCode(), tc.code)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestMessageItem(t *testing.T) {
	s := Start(t)
	upn := s.DefaultUser().UPN
	if err := s.SeedMessages(upn, 20); err != nil {
		t.Fatal(err)
	}
	tok := tokenFor(t, s, upn, "Mail.Read")
	list := do(t, s, "GET", "/v1.0/me/messages?$top=1", tok, "")
	m := list.values()[0]
	id := m["id"].(string)
	etag := m["@odata.etag"].(string)

	r := do(t, s, "GET", "/v1.0/me/messages/"+url.PathEscape(id), tok, "")
	if r.status != 200 || r.json["id"] != id || r.json["@odata.etag"] != etag {
		t.Fatalf("get: %d %.300s", r.status, r.body)
	}
	if got := r.json["@odata.context"].(string); !strings.HasSuffix(got, "/messages/$entity") || !strings.Contains(got, "users('") {
		t.Errorf("context %q", got)
	}
	if r.header.Get("ETag") != etag {
		t.Errorf("ETag header %q, want %q", r.header.Get("ETag"), etag)
	}
	if r := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages/"+url.PathEscape(id), tok, ""); r.status != 200 {
		t.Errorf("in folder: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/me/mailFolders/drafts/messages/"+url.PathEscape(id), tok, ""); r.status != 404 {
		t.Errorf("in the wrong folder: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/me/messages/"+url.PathEscape(id), tok, "", "If-Match", etag); r.status != 200 {
		t.Errorf("If-Match current etag: %d", r.status)
	}
	r = do(t, s, "GET", "/v1.0/me/messages/"+url.PathEscape(id), tok, "", "If-Match", `W/"stale"`)
	if r.status != 412 || r.errCode() != "ErrorIrresolvableConflict" {
		t.Errorf("If-Match stale etag: %d %s", r.status, r.body)
	}
	r = do(t, s, "GET", "/v1.0/me/messages/"+url.PathEscape(id)+"?$select=subject", tok, "")
	if r.status != 200 || len(r.json) != 4 { // context, etag, id, subject
		t.Errorf("select: %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", "/v1.0/me/messages/AAMkAGNoSuchMessageAAA=", tok, ""); r.status != 404 || r.errCode() != "ErrorItemNotFound" {
		t.Errorf("unknown id: %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", "/v1.0/me/messages/not%20an%20id", tok, ""); r.status != 400 || r.errCode() != "ErrorInvalidIdMalformed" {
		t.Errorf("malformed id: %d %s", r.status, r.body)
	}
}

func TestMailFolders(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "Mail.ReadBasic")
	r := do(t, s, "GET", "/v1.0/me/mailFolders", tok, "")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	names := map[string]float64{}
	for _, f := range r.values() {
		names[f["displayName"].(string)] = f["totalItemCount"].(float64)
	}
	if names["Inbox"] != 180 || names["Sent Items"] != 40 || len(r.values()) != 8 {
		t.Errorf("folders %v", names)
	}
	for _, key := range []string{"inbox", "Inbox", "SENTITEMS", "msgfolderroot"} {
		r := do(t, s, "GET", "/v1.0/me/mailFolders/"+key, tok, "")
		if r.status != 200 || r.json["id"] == nil {
			t.Errorf("%s: %d %s", key, r.status, r.body)
		}
	}
	in := do(t, s, "GET", "/v1.0/me/mailFolders/inbox", tok, "")
	byID := do(t, s, "GET", "/v1.0/me/mailFolders/"+url.PathEscape(in.json["id"].(string)), tok, "")
	if byID.json["displayName"] != "Inbox" {
		t.Errorf("by id: %s", byID.body)
	}
	if r := do(t, s, "GET", "/v1.0/me/mailFolders?"+encodeQuery("$filter=displayName eq 'Inbox'"), tok, ""); len(r.values()) != 1 {
		t.Errorf("filter: %s", r.body)
	}
	if r := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/childFolders", tok, ""); r.status != 200 || len(r.values()) != 0 {
		t.Errorf("childFolders: %d %s", r.status, r.body)
	}
}

// demoUserCount is the number of users of the demo seed (the people and
// the shared mailbox).
var demoUserCount = len(demoUsers) + 1

func encodeQuery(q string) string {
	if q == "" {
		return ""
	}
	v := url.Values{}
	for _, kv := range strings.Split(q, "&") {
		k, val, _ := strings.Cut(kv, "=")
		v.Add(k, val)
	}
	return v.Encode()
}

func wantCount(n int) func(t *testing.T, r *result) {
	return func(t *testing.T, r *result) {
		t.Helper()
		if got := len(r.values()); got != n {
			t.Errorf("%d values, want %d", got, n)
		}
	}
}

func wantNames(names ...string) func(t *testing.T, r *result) {
	return func(t *testing.T, r *result) {
		t.Helper()
		var got []string
		for _, v := range r.values() {
			got = append(got, v["displayName"].(string))
		}
		if strings.Join(got, "|") != strings.Join(names, "|") {
			t.Errorf("got %v, want %v", got, names)
		}
	}
}

func assertSorted(t *testing.T, items []map[string]any, key string, desc bool) {
	t.Helper()
	for i := 1; i < len(items); i++ {
		a, b := strings.ToLower(items[i-1][key].(string)), strings.ToLower(items[i][key].(string))
		if desc && a < b || !desc && a > b {
			t.Fatalf("not sorted by %s at %d: %q, %q", key, i, a, b)
		}
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestMessagePreferences(t *testing.T) {
	s := Start(t)
	upn := s.DefaultUser().UPN
	if err := s.SeedMessages(upn, 3); err != nil {
		t.Fatal(err)
	}
	tok := tokenFor(t, s, upn, "Mail.Read")
	r := do(t, s, "GET", "/v1.0/me/messages?$top=1", tok, "", "Prefer", `outlook.body-content-type="text", IdType="ImmutableId"`)
	body := r.values()[0]["body"].(map[string]any)
	if body["contentType"] != "text" || strings.Contains(body["content"].(string), "<") || !strings.HasPrefix(body["content"].(string), "Hi Adele,") {
		t.Errorf("text body %q", body)
	}
	if got := r.header.Values("Preference-Applied"); len(got) != 2 {
		t.Errorf("Preference-Applied %v", got)
	}
	id := r.values()[0]["id"].(string)
	one := do(t, s, "GET", "/v1.0/me/messages/"+url.PathEscape(id)+"?$select=body,uniqueBody", tok, "", "Prefer", `outlook.body-content-type="text"`)
	if one.json["uniqueBody"].(map[string]any)["contentType"] != "text" || one.json["body"].(map[string]any)["contentType"] != "text" {
		t.Errorf("item %s", one.body)
	}
	html := do(t, s, "GET", "/v1.0/me/messages?$top=1", tok, "")
	if html.values()[0]["body"].(map[string]any)["contentType"] != "html" {
		t.Error("html by default")
	}
}

func TestManagerAndReports(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.ReadBasic.All")
	r := do(t, s, "GET", "/v1.0/me/manager", tok, "")
	if r.status != 200 || r.json["displayName"] != "Miriam Graham" || r.json["@odata.type"] != "#microsoft.graph.user" ||
		!strings.HasSuffix(r.json["@odata.context"].(string), "#directoryObjects/$entity") {
		t.Errorf("manager: %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", "/v1.0/users/PattiF@contoso.onmicrosoft.com/manager", tok, ""); r.status != 404 {
		t.Errorf("no manager: %d", r.status)
	}
	r = do(t, s, "GET", "/v1.0/users/MiriamG@contoso.onmicrosoft.com/directReports?$select=displayName", tok, "")
	if r.status != 200 {
		t.Fatalf("directReports: %d %s", r.status, r.body)
	}
	var names []string
	for _, v := range r.values() {
		names = append(names, v["displayName"].(string))
		if v["@odata.type"] != "#microsoft.graph.user" {
			t.Errorf("item type %v", v["@odata.type"])
		}
	}
	if strings.Join(names, ",") != "Adele Vance,Alex Wilber,Megan Bowen,Isaiah Langer" {
		t.Errorf("reports %v", names)
	}
	r = do(t, s, "GET", "/v1.0/users/MiriamG@contoso.onmicrosoft.com?"+encodeQuery("$expand=directReports($select=displayName)"), tok, "")
	if reps, _ := r.json["directReports"].([]any); len(reps) != 4 || len(reps[0].(map[string]any)) != 3 {
		t.Errorf("expand with select: %s", r.body)
	}
	if r := do(t, s, "GET", "/v1.0/users/nobody@x.com/directReports", tok, ""); r.status != 404 {
		t.Errorf("unknown user: %d", r.status)
	}
}
