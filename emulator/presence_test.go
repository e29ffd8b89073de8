package emulator

import (
	"testing"
	"time"
)

func TestPresenceRoutes(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	s, tok := teamsServer(t, func(o *Options) { o.Now = clk.Now })
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	nestor, _ := s.lookupUser("NestorW@contoso.onmicrosoft.com")
	readOwn := tokenFor(t, s, s.DefaultUser().UPN, "Presence.Read")
	app := teamsAppToken(t, s, "Presence.ReadWrite.All", "Presence.Read.All")
	tests := []struct {
		name, method, path, token, body string
		status                          int
		avail                           string
	}{
		{"mine", "GET", "/v1.0/me/presence", tok, "", 200, "Available"},
		{"mine with Presence.Read", "GET", "/v1.0/me/presence", readOwn, "", 200, "Available"},
		{"other without Read.All", "GET", "/v1.0/users/" + megan.ID + "/presence", readOwn, "", 403, ""},
		{"other by UPN", "GET", "/v1.0/users/" + megan.UPN + "/presence", tok, "", 200, "Busy"},
		{"communications", "GET", "/v1.0/communications/presences/" + megan.ID, tok, "", 200, "Busy"},
		{"no session is offline", "GET", "/v1.0/users/" + nestor.ID + "/presence", tok, "", 200, "Offline"},
		{"unknown user", "GET", "/v1.0/users/ghost@contoso.onmicrosoft.com/presence", tok, "", 404, ""},
		{"app on me", "GET", "/v1.0/me/presence", app, "", 400, ""},
		{"app sets another", "POST", "/v1.0/users/" + nestor.ID + "/presence/setPresence", app, `{"sessionId":"a","availability":"Busy","activity":"InACall","expirationDuration":"PT10M"}`, 200, ""},
		{"now busy", "GET", "/v1.0/users/" + nestor.ID + "/presence", app, "", 200, "Busy"},
		{"delegated sets another", "POST", "/v1.0/users/" + nestor.ID + "/presence/setPresence", tok, `{"sessionId":"a","availability":"Busy","activity":"InACall"}`, 403, ""},
		{"no session id", "POST", "/v1.0/me/presence/setPresence", tok, `{"availability":"Busy","activity":"InACall"}`, 400, ""},
		{"misspelled expiration", "POST", "/v1.0/me/presence/setPresence", tok, `{"sessionId":"a","availability":"Busy","activity":"InACall","expirationDutaion":"PT1H"}`, 400, ""},
		{"not a duration", "POST", "/v1.0/me/presence/setPresence", tok, `{"sessionId":"a","availability":"Busy","activity":"InACall","expirationDuration":"1 hour"}`, 400, ""},
		{"preferred with session", "POST", "/v1.0/me/presence/setUserPreferredPresence", tok, `{"sessionId":"a","availability":"Busy","activity":"Busy"}`, 400, ""},
		{"bulk empty", "POST", "/v1.0/communications/getPresencesByUserId", tok, `{"ids":[]}`, 400, ""},
		{"bulk without Read.All", "POST", "/v1.0/communications/getPresencesByUserId", readOwn, `{"ids":["` + megan.ID + `"]}`, 403, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, tc.method, tc.path, tc.token, tc.body)
			if r.status != tc.status {
				t.Fatalf("%d %s, want %d", r.status, r.body, tc.status)
			}
			if tc.avail != "" && r.json["availability"] != tc.avail {
				t.Fatalf("availability %v, want %s", r.json["availability"], tc.avail)
			}
		})
	}
	clk.Advance(11 * time.Minute)
	app = teamsAppToken(t, s, "Presence.ReadWrite.All", "Presence.Read.All")
	if r := do(t, s, "GET", "/v1.0/users/"+nestor.ID+"/presence", app, ""); r.json["availability"] != "Offline" {
		t.Fatalf("expired session: %s", r.body)
	}
	// setPresence and clearPresence of an existing session, then preferred
	// presence only while a session lives.
	if r := do(t, s, "POST", "/v1.0/users/"+nestor.ID+"/presence/setUserPreferredPresence", app, `{"availability":"DoNotDisturb","activity":"DoNotDisturb"}`); r.status != 200 {
		t.Fatalf("preferred: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/users/"+nestor.ID+"/presence", app, ""); r.json["availability"] != "Offline" {
		t.Fatalf("preferred without a session: %s", r.body)
	}
	s.SetPresenceSession(nestor.UPN, "client", "Available", "Available", time.Time{})
	if r := do(t, s, "GET", "/v1.0/users/"+nestor.ID+"/presence", app, ""); r.json["availability"] != "DoNotDisturb" {
		t.Fatalf("preferred with a session: %s", r.body)
	}
	if r := do(t, s, "POST", "/v1.0/users/"+nestor.ID+"/presence/clearUserPreferredPresence", app, ""); r.status != 200 {
		t.Fatalf("clear preferred: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/users/"+nestor.ID+"/presence", app, ""); r.json["availability"] != "Available" {
		t.Fatalf("after clearing: %s", r.body)
	}
	if s.SetPresenceSession("ghost", "x", "Busy", "Busy", time.Time{}) {
		t.Fatal("session set for an unknown user")
	}
}

// An Available application session fades when not set again: AvailableInactive after
// five minutes, Away after ten; setting it again keeps it alive.
func TestPresenceTimeout(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	s, _ := teamsServer(t, func(o *Options) { o.Now = clk.Now })
	app := teamsAppToken(t, s, "Presence.ReadWrite.All", "Presence.Read.All")
	nestor, _ := s.lookupUser("NestorW@contoso.onmicrosoft.com")
	set := func() {
		t.Helper()
		if r := do(t, s, "POST", "/v1.0/users/"+nestor.ID+"/presence/setPresence", app, `{"sessionId":"a","availability":"Available","activity":"Available","expirationDuration":"PT1H"}`); r.status != 200 {
			t.Fatalf("set: %d %s", r.status, r.body)
		}
	}
	state := func() string {
		t.Helper()
		r := do(t, s, "GET", "/v1.0/users/"+nestor.ID+"/presence", app, "")
		return r.json["availability"].(string) + "/" + r.json["activity"].(string)
	}
	set()
	for _, step := range []struct {
		advance time.Duration
		want    string
	}{{4 * time.Minute, "Available/Available"}, {2 * time.Minute, "Available/AvailableInactive"}, {5 * time.Minute, "Away/Away"}} {
		clk.Advance(step.advance)
		if got := state(); got != step.want {
			t.Fatalf("after %v more: %s, want %s", step.advance, got, step.want)
		}
	}
	set()
	if got := state(); got != "Available/Available" {
		t.Fatalf("kept alive: %s", got)
	}
}
