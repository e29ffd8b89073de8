package emulator

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFaultStatuses(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 1, 12, 0, 0, 250e6, time.UTC))
	s := Start(t, func(o *Options) { o.Now = clk.Now })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	tests := []struct {
		name       string
		fault      Fault
		status     int
		code       string
		retryAfter string
		retryAt    time.Time
	}{
		{"429 seconds", Fault{RetryAfter: 2500 * time.Millisecond}, 429, "TooManyRequests", "3", clk.Now().Add(3 * time.Second)},
		{"429 default wait", Fault{}, 429, "TooManyRequests", "1", clk.Now().Add(time.Second)},
		{"429 fractional", Fault{RetryAfter: 2128 * time.Millisecond, RetryAfterForm: RetryAfterFractional}, 429, "TooManyRequests", "2.128", clk.Now().Add(2128 * time.Millisecond)},
		{"429 date", Fault{RetryAfter: 5 * time.Second, RetryAfterForm: RetryAfterDate}, 429, "TooManyRequests", "Sun, 01 Nov 2026 12:00:06 GMT", time.Date(2026, 11, 1, 12, 0, 6, 0, time.UTC)},
		{"429 without header", Fault{RetryAfterForm: RetryAfterNone}, 429, "TooManyRequests", "", time.Time{}},
		{"503", Fault{Status: 503, RetryAfter: 4 * time.Second}, 503, "serviceNotAvailable", "4", clk.Now().Add(4 * time.Second)},
		{"504", Fault{Status: 504}, 504, "GatewayTimeout", "", time.Time{}},
		{"custom code", Fault{Status: 500, Code: "generalException", Message: "boom"}, 500, "generalException", "", time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.Faults().Clear()
			s.ResetLog()
			tc.fault.Path = "/v1.0/me$"
			tc.fault.Count = 1
			rule, err := s.Faults().Add(tc.fault)
			if err != nil {
				t.Fatal(err)
			}
			r := do(t, s, "GET", "/v1.0/me", tok, "")
			if r.status != tc.status || r.errCode() != tc.code {
				t.Fatalf("got %d %q, want %d %q", r.status, r.errCode(), tc.status, tc.code)
			}
			if got := r.header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
			}
			log := s.Requests()
			if len(log) != 1 || !log[0].RetryAt.Equal(tc.retryAt) || log[0].Status != tc.status || log[0].Fault == "" {
				t.Errorf("log %+v, want RetryAt %v", log, tc.retryAt)
			}
			if r := do(t, s, "GET", "/v1.0/me", tok, ""); r.status != 200 {
				t.Errorf("after Count=1: %d", r.status)
			}
			if rule.Fired() != 1 {
				t.Errorf("fired %d", rule.Fired())
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read Mail.Read")
	statuses := func(path string, n int) string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, strconv.Itoa(do(t, s, "GET", path, tok, "").status))
		}
		return strings.Join(out, ",")
	}
	rule, err := s.Faults().Add(Fault{Method: "GET", Path: "/me/messages", Status: 503, Nth: 2, Count: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses("/v1.0/me/messages", 5), "200,503,503,200,200"; got != want {
		t.Errorf("nth/count: %s, want %s", got, want)
	}
	if got := statuses("/v1.0/me", 2); got != "200,200" {
		t.Errorf("other path affected: %s", got)
	}
	rule.Remove()

	// Probability is seeded: two servers see the same sequence.
	seq := func() string {
		s := Start(t, func(o *Options) { o.RandSeed = 42 })
		tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
		if _, err := s.Faults().Add(Fault{Path: "/me", Probability: 0.5}); err != nil {
			t.Fatal(err)
		}
		var out []byte
		for i := 0; i < 20; i++ {
			out = append(out, byte('0'+do(t, s, "GET", "/v1.0/me", tok, "").status/100))
		}
		return string(out)
	}
	a, b := seq(), seq()
	if a != b || !strings.Contains(a, "2") || !strings.Contains(a, "4") {
		t.Errorf("probability sequences %s %s", a, b)
	}

	// Faults apply to the identity platform too.
	if _, err := s.Faults().Add(Fault{Method: "POST", Path: "/token$", Status: 503, Count: 1}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.PostForm(s.URL()+"/"+s.TenantID()+"/oauth2/v2.0/token", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("token endpoint: %d", resp.StatusCode)
	}
	if _, err := s.Faults().Add(Fault{Path: "("}); err == nil {
		t.Error("bad regexp accepted")
	}
}

func TestFaultConnections(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	get := func() (*http.Response, []byte, error) {
		req, _ := http.NewRequest("GET", s.URL()+"/v1.0/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		// A fresh transport so a dropped connection is not retried on another.
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, b, err
	}
	t.Run("drop", func(t *testing.T) {
		s.Faults().Clear()
		s.ResetLog()
		if _, err := s.Faults().Add(Fault{Kind: FaultDrop, Path: "/me", Count: 1}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := get(); err == nil {
			t.Fatal("dropped connection answered")
		}
		if log := s.Requests(); len(log) != 1 || log[0].Status != 0 || log[0].Fault != "drop" {
			t.Errorf("log %+v", log)
		}
		if resp, _, err := get(); err != nil || resp.StatusCode != 200 {
			t.Errorf("after the drop: %v", err)
		}
	})
	t.Run("truncate", func(t *testing.T) {
		s.Faults().Clear()
		if _, err := s.Faults().Add(Fault{Kind: FaultTruncate, Path: "/me", Count: 1}); err != nil {
			t.Fatal(err)
		}
		resp, body, err := get()
		if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("truncated body read without an unexpected EOF: %v", err)
		}
		_ = resp
		_ = body
	})
	t.Run("latency", func(t *testing.T) {
		s.Faults().Clear()
		if _, err := s.Faults().Add(Fault{Kind: FaultLatency, Latency: time.Millisecond, Path: "/me", Count: 1}); err != nil {
			t.Fatal(err)
		}
		if resp, _, err := get(); err != nil || resp.StatusCode != 200 {
			t.Fatalf("latency: %v", err)
		}
		if log := s.Requests(); log[len(log)-1].Fault != "latency" {
			t.Errorf("log %+v", log[len(log)-1])
		}
	})
}

func TestParseFault(t *testing.T) {
	tests := []struct {
		spec string
		want Fault
		err  bool
	}{
		{"429,path=/me/messages,retry-after=2s,count=3", Fault{Kind: FaultStatus, Status: 429, Path: "/me/messages", RetryAfter: 2 * time.Second, Count: 3}, false},
		{"503,method=get,p=0.1,retry-form=date", Fault{Status: 503, Method: "GET", Probability: 0.1, RetryAfterForm: RetryAfterDate}, false},
		{"drop,path=/users,nth=2,count=1", Fault{Kind: FaultDrop, Path: "/users", Nth: 2, Count: 1}, false},
		{"truncate", Fault{Kind: FaultTruncate}, false},
		{"latency=150ms,path=/v1.0/", Fault{Kind: FaultLatency, Latency: 150 * time.Millisecond, Path: "/v1.0/"}, false},
		{"status=429,retry-after=2.5,retry-form=fractional,name=slow", Fault{Status: 429, RetryAfter: 2500 * time.Millisecond, RetryAfterForm: RetryAfterFractional, Name: "slow"}, false},
		{"kind=latency,latency=1", Fault{Kind: FaultLatency, Latency: time.Second}, false},
		{"retry-form=none,code=X,message=y", Fault{RetryAfterForm: RetryAfterNone, Code: "X", Message: "y"}, false},
		{"999", Fault{}, true},
		{"bogus", Fault{}, true},
		{"p=2", Fault{}, true},
		{"path=(", Fault{}, true},
		{"retry-after=-1s", Fault{}, true},
		{"kind=fire", Fault{}, true},
		{"nth=x", Fault{}, true},
	}
	for _, tc := range tests {
		got, err := ParseFault(tc.spec)
		if (err != nil) != tc.err {
			t.Errorf("%q: err %v", tc.spec, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); !tc.err && diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.spec, diff)
		}
	}
}

func FuzzParseFault(f *testing.F) {
	for _, s := range []string{"429,path=/me,retry-after=2s", "drop", "latency=1ms", "p=0.5,nth=3,count=1", "retry-form=date"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		ft, err := ParseFault(spec)
		if err != nil {
			return
		}
		var fs Faults
		fs.rng = newFaults(1).rng
		if _, err := fs.Add(ft); err != nil {
			t.Fatalf("ParseFault accepted %q but Add refused it: %v", spec, err)
		}
	})
}
