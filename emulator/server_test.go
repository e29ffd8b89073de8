package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestNewOptions(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		err  string
	}{
		{Options{Addr: "0.0.0.0:0"}, "non-loopback"},
		{Options{Addr: "192.0.2.1:0"}, "non-loopback"},
		{Options{Addr: "nonsense"}, "bad address"},
		{Options{Seed: "huge"}, "unknown seed"},
	} {
		s, err := New(tc.opts)
		if err == nil {
			s.Close()
			t.Errorf("%+v: no error", tc.opts)
			continue
		}
		if !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%+v: %v, want %q", tc.opts, err, tc.err)
		}
	}
	s, err := New(Options{Addr: "localhost:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestAccessors(t *testing.T) {
	s := Start(t)
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || s.TenantID() == "" || s.PublicClientID() == "" {
		t.Errorf("URL %q tenant %q public %q", s.URL(), s.TenantID(), s.PublicClientID())
	}
	if id, secret := s.ConfidentialClient(); id == "" || secret == "" {
		t.Error("no confidential client")
	}
	u := s.AddUser(User{UPN: "new@contoso.onmicrosoft.com", GivenName: "New", Surname: "Person"})
	if u.ID == "" || u.DisplayName != "New Person" || u.Mail != u.UPN {
		t.Errorf("AddUser defaults: %+v", u)
	}
	tok := tokenFor(t, s, u.UPN, "User.Read")
	if r := do(t, s, "GET", "/v1.0/me", tok, ""); r.json["displayName"] != "New Person" {
		t.Errorf("new user /me: %s", r.body)
	}
	if err := s.SeedMessages("nobody@contoso.onmicrosoft.com", 1); err == nil {
		t.Error("seeding an unknown mailbox")
	}
	if err := s.SeedMessagesIn(u.UPN, "nofolder", 1); err == nil {
		t.Error("seeding an unknown folder")
	}
	if err := s.SeedMessages(u.UPN, -1); err == nil {
		t.Error("negative count")
	}
	if err := s.GrantMailboxAccess("nobody", u.UPN); err == nil {
		t.Error("grant on an unknown mailbox")
	}
	// The server is an http.Handler too.
	var _ http.Handler = s
}

func TestSeedDeterministic(t *testing.T) {
	a, b := Start(t), Start(t)
	for _, s := range []*Server{a, b} {
		if err := s.SeedMessages(s.DefaultUser().UPN, 50); err != nil {
			t.Fatal(err)
		}
		if err := s.SeedMessagesIn(s.DefaultUser().UPN, "archive", 5); err != nil {
			t.Fatal(err)
		}
	}
	sa, sb := a.store.messages.snapshot(), b.store.messages.snapshot()
	if len(sa) != 55 || len(sb) != 55 {
		t.Fatalf("%d and %d messages", len(sa), len(sb))
	}
	for i := range sa {
		if string(sa[i].raw) != string(sb[i].raw) {
			t.Fatalf("message %d differs", i)
		}
	}
}

func FuzzGraphPath(f *testing.F) {
	for _, p := range []string{"/v1.0/me", "/v1.0/users('a%40b.com')/messages", "/beta/me/mailFolders('Inbox')/messages/$count", "/v1.0/", "/x", "/v1.0/a(b", "/v1.0/%zz"} {
		f.Add(p)
	}
	rt := (&Server{}).routesForFuzz()
	f.Fuzz(func(t *testing.T, p string) {
		_, segs, ok := splitGraphPath(p)
		if !ok {
			return
		}
		m := rt.match("GET", segs)
		if m.route != nil && len(m.route.pattern) != len(segs) {
			t.Fatalf("%q matched %s", p, m.route.template)
		}
		_ = referencedNames(p)
		_ = filterWords(p)
		_, _ = decodeSkipToken(p)
	})
}

// routesForFuzz builds the router without a running server.
func (s *Server) routesForFuzz() *router { return s.routes() }

// FuzzServeGraph sends arbitrary paths and query strings through the
// handler: the answer may be any 2xx/4xx, never a 5xx or a panic.
func FuzzServeGraph(f *testing.F) {
	for _, seed := range []string{
		"/v1.0/me/messages?$top=5&$skip=3",
		"/v1.0/me/messages?$filter=isRead eq false&$orderby=subject",
		"/v1.0/users?$select=displayName&$expand=manager&$count=true",
		"/v1.0/users?$skiptoken=RFNwdAIAAQAAAbzo5OTk5OTk5OTk5OTk5OTk5",
		"/v1.0/me/messages?$skip=9223372036854775807&$top=1000",
		"/v1.0/me/mailFolders('Inbox')/messages?$search=\"a\"",
		"/beta/users('x')/messages/$count",
		"/v1.0/$batch",
	} {
		f.Add(seed)
	}
	s, err := New(Options{Seed: "demo"})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	tok := tokenFor(f, s, s.DefaultUser().UPN, "User.Read.All Mail.Read")
	f.Fuzz(func(t *testing.T, target string) {
		req, err := http.NewRequest("GET", "http://127.0.0.1"+target, nil)
		if err != nil || req.URL.Host != "127.0.0.1" {
			return
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("ConsistencyLevel", "eventual")
		w := &recorder{header: http.Header{}}
		s.ServeHTTP(w, req)
		if w.code() >= 500 {
			t.Fatalf("%s: %d %s", target, w.code(), w.body.String())
		}
	})
}
