package emulator

import (
	"net/url"
	"strings"
	"testing"
)

// collect follows @odata.nextLink verbatim and returns every item id.
func collect(t *testing.T, s *Server, tok, first string, hdr ...string) (ids []string, pages int) {
	t.Helper()
	next := first
	for next != "" {
		r := do(t, s, "GET", next, tok, "", hdr...)
		if r.status != 200 {
			t.Fatalf("%s: %d %.300s", next, r.status, r.body)
		}
		for _, v := range r.values() {
			ids = append(ids, v["id"].(string))
		}
		pages++
		next, _ = r.json["@odata.nextLink"].(string)
		if next != "" && !strings.HasPrefix(next, s.URL()+"/") {
			t.Fatalf("nextLink %q is not absolute on the server", next)
		}
		if pages > 10000 {
			t.Fatal("paging does not end")
		}
	}
	return ids, pages
}

func TestPaging(t *testing.T) {
	s := Start(t)
	upn := s.DefaultUser().UPN
	if err := s.SeedMessages(upn, 1234); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 230; i++ {
		s.AddUser(User{UPN: "user" + itoa3(i) + "@contoso.onmicrosoft.com", GivenName: "User", Surname: itoa3(i)})
	}
	tok := tokenFor(t, s, upn, "Mail.Read User.Read.All")
	tests := []struct {
		name      string
		path      string
		hdr       []string
		want      int
		pages     int
		linkParam string
	}{
		{"messages top 100", "/v1.0/me/messages?$top=100&$select=subject", nil, 1234, 13, "$skip="},
		{"messages default page", "/v1.0/me/mailFolders/inbox/messages?$filter=" + url.QueryEscape("isRead eq true or isRead eq false"), nil, 1234, 124, "$skip="},
		{"messages maxpagesize", "/v1.0/me/messages", []string{"Prefer", "odata.maxpagesize=500"}, 1234, 3, "$skip="},
		{"messages sorted", "/v1.0/me/messages?$top=400&$orderby=subject", nil, 1234, 4, "$skip="},
		{"users top 50", "/v1.0/users?$top=50", nil, 231, 5, "$skiptoken="},
		{"users default", "/v1.0/users", nil, 231, 3, "$skiptoken="},
		{"users maxpagesize", "/v1.0/users", []string{"Prefer", "odata.maxpagesize=120"}, 231, 2, "$skiptoken="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			first := do(t, s, "GET", tc.path, tok, "", tc.hdr...)
			if link, _ := first.json["@odata.nextLink"].(string); !strings.Contains(link, tc.linkParam) && !strings.Contains(link, url.QueryEscape(tc.linkParam[:len(tc.linkParam)-1])+"=") {
				t.Errorf("nextLink %q lacks %s", link, tc.linkParam)
			}
			ids, pages := collect(t, s, tok, tc.path, tc.hdr...)
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Fatalf("item %s listed twice", id)
				}
				seen[id] = true
			}
			if len(ids) != tc.want || pages != tc.pages {
				t.Errorf("%d items in %d pages, want %d in %d", len(ids), pages, tc.want, tc.pages)
			}
		})
	}
	t.Run("nextLink keeps the query", func(t *testing.T) {
		r := do(t, s, "GET", "/v1.0/me/messages?$top=3&$select=subject&$filter="+url.QueryEscape("importance eq 'normal'"), tok, "")
		link, _ := url.Parse(r.json["@odata.nextLink"].(string))
		q := link.Query()
		if q.Get("$top") != "3" || q.Get("$select") != "subject" || q.Get("$filter") != "importance eq 'normal'" || q.Get("$skip") != "3" {
			t.Errorf("nextLink query %v", q)
		}
	})
	t.Run("bad skiptoken", func(t *testing.T) {
		if r := do(t, s, "GET", "/v1.0/users?$skiptoken=garbage", tok, ""); r.status != 400 {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
}

func itoa3(i int) string {
	return string([]byte{byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)})
}
