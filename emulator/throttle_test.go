package emulator

import (
	"sync"
	"testing"
	"time"
)

func TestThrottlingWindow(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Now = clk.Now; o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "Mail.Read User.Read")
	s.SetThrottling(Throttling{Enabled: true, Window: 10 * time.Minute, MaxRequests: 3})
	var got []int
	for i := 0; i < 4; i++ {
		clk.Advance(time.Minute)
		got = append(got, do(t, s, "GET", "/v1.0/me/messages?$top=1", tok, "").status)
	}
	if got[0] != 200 || got[2] != 200 || got[3] != 429 {
		t.Fatalf("statuses %v", got)
	}
	r := do(t, s, "GET", "/v1.0/me/messages", tok, "")
	if r.errCode() != "ApplicationThrottled" || r.header.Get("Retry-After") != "420" {
		// The oldest request (at +1m) leaves the window at +11m; now is +4m.
		t.Errorf("429 %s Retry-After %q", r.errCode(), r.header.Get("Retry-After"))
	}
	if do(t, s, "GET", "/v1.0/me", tok, "").status != 200 {
		t.Error("directory request throttled by the Outlook window")
	}
	log := s.Requests()
	last := log[len(log)-2]
	if last.Status != 429 || !last.RetryAt.Equal(clk.Now().Add(7*time.Minute)) {
		t.Errorf("log %+v", last)
	}
	clk.Advance(7 * time.Minute)
	if st := do(t, s, "GET", "/v1.0/me/messages", tok, "").status; st != 200 {
		t.Errorf("after Retry-After: %d", st)
	}
	// Another mailbox has its own window.
	app := appToken(t, s)
	if st := do(t, s, "GET", "/v1.0/users/MeganB@contoso.onmicrosoft.com/messages", app, "").status; st != 200 {
		t.Errorf("other mailbox: %d", st)
	}
	s.SetThrottling(Throttling{})
	for i := 0; i < 5; i++ {
		if st := do(t, s, "GET", "/v1.0/me/messages", tok, "").status; st != 200 {
			t.Fatalf("throttling off: %d", st)
		}
	}
}

func TestThrottlingConcurrency(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, "Mail.Read")
	s.SetThrottling(Throttling{Enabled: true, MaxConcurrent: 2, RetryAfter: 3 * time.Second})
	// Hold two slots as two requests in flight would.
	rel1, e1 := acquireFor(t, s, tok)
	rel2, e2 := acquireFor(t, s, tok)
	if e1 != nil || e2 != nil {
		t.Fatal("first two refused")
	}
	r := do(t, s, "GET", "/v1.0/me/messages", tok, "")
	if r.status != 429 || r.errCode() != "ApplicationThrottled" || r.header.Get("Retry-After") != "3" {
		t.Errorf("third concurrent: %d %s %q", r.status, r.errCode(), r.header.Get("Retry-After"))
	}
	rel1()
	rel2()
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do(t, s, "GET", "/v1.0/me/messages", tok, "")
		}()
	}
	wg.Wait()
	if st := do(t, s, "GET", "/v1.0/me/messages", tok, "").status; st != 200 {
		t.Errorf("after release: %d", st)
	}
}

// acquireFor takes a throttling slot as a request with tok would.
func acquireFor(t *testing.T, s *Server, tok string) (func(), *graphError) {
	t.Helper()
	claims, err := s.idp.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	c := &call{s: s, now: s.now(), claims: claims}
	return s.throttl.acquire(c, claims.ObjectID)
}

func TestParseThrottling(t *testing.T) {
	tests := []struct {
		spec string
		want Throttling
		err  bool
	}{
		{"", Throttling{}, false},
		{"off", Throttling{}, false},
		{"outlook", OutlookThrottling(), false},
		{"concurrent=2,window=1m,requests=100,retry-after=5s,retry-form=date", Throttling{Enabled: true, MaxConcurrent: 2, Window: time.Minute, MaxRequests: 100, RetryAfter: 5 * time.Second, RetryAfterForm: RetryAfterDate}, false},
		{"concurrent=x", Throttling{}, true},
		{"requests=-1", Throttling{}, true},
		{"bogus=1", Throttling{}, true},
		{"concurrent", Throttling{}, true},
		{"retry-form=soon", Throttling{}, true},
	}
	for _, tc := range tests {
		got, err := ParseThrottling(tc.spec)
		if (err != nil) != tc.err || err == nil && got != tc.want {
			t.Errorf("%q: %+v, %v", tc.spec, got, err)
		}
	}
}
