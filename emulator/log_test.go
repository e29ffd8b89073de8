package emulator

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	s := Start(t)
	upn := s.DefaultUser().UPN
	tok := tokenFor(t, s, upn, "User.Read offline_access")
	_ = appToken(t, s)
	do(t, s, "GET", "/v1.0/me?$select=displayName", tok, "", "client-request-id", "abc")
	do(t, s, "GET", "/v1.0/me", "", "")
	log := s.Requests()
	if len(log) != 4 {
		t.Fatalf("%d entries: %+v", len(log), log)
	}
	if log[0].GrantType != "password" || log[1].GrantType != "client_credentials" || log[0].Status != 200 {
		t.Errorf("token requests %+v %+v", log[0], log[1])
	}
	g := log[2]
	if g.Method != "GET" || g.Path != "/v1.0/me" || g.Query != "$select=displayName" || g.Status != 200 ||
		g.ClientRequestID != "abc" || !g.Authorization || g.ClientID != s.PublicClientID() {
		t.Errorf("graph request %+v", g)
	}
	if log[3].Authorization || log[3].Status != 401 {
		t.Errorf("unauthenticated request %+v", log[3])
	}
	for _, e := range log {
		if strings.Contains(e.Query+e.Path, tok[:20]) {
			t.Errorf("token in the log: %+v", e)
		}
	}
	if got := redactQuery("code=secret&state=x&client_secret=s"); strings.Contains(got, "secret&") || strings.Contains(got, "=s&") {
		t.Errorf("redacted %q", got)
	}
	q, _ := url.ParseQuery(redactQuery("code=abc&state=x"))
	if q.Get("code") != "REDACTED" || q.Get("state") != "x" {
		t.Errorf("redacted %v", q)
	}
	s.ResetLog()
	if len(s.Requests()) != 0 {
		t.Error("log not reset")
	}
}

func TestEarlyRetries(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Now = clk.Now })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	if _, err := s.Faults().Add(Fault{Path: "/me$", Count: 1, RetryAfter: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if r := do(t, s, "GET", "/v1.0/me", tok, ""); r.status != 429 {
		t.Fatalf("%d", r.status)
	}
	clk.Advance(time.Second)
	do(t, s, "GET", "/v1.0/me", tok, "") // too early
	if early := s.EarlyRetries(); len(early) != 1 || !early[0].Time.Equal(s.Now()) {
		t.Errorf("early %+v", early)
	}
	s.ResetLog()
	if _, err := s.Faults().Add(Fault{Path: "/me$", Count: 1, RetryAfter: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	do(t, s, "GET", "/v1.0/me", tok, "")
	clk.Advance(2 * time.Second)
	do(t, s, "GET", "/v1.0/me", tok, "")
	if early := s.EarlyRetries(); len(early) != 0 {
		t.Errorf("honoured Retry-After reported early: %+v", early)
	}
}
