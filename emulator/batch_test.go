package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func batchBody(items ...string) string {
	return `{"requests":[` + strings.Join(items, ",") + `]}`
}

func TestBatch(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read Mail.Read")
	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf(`{"id":"%d","method":"GET","url":"/me"}`, i+1)
	}
	tests := []struct {
		name   string
		body   string
		status int
		check  func(t *testing.T, byID map[string]batchResponse, order []string)
	}{
		{name: "two requests", body: batchBody(`{"id":"1","method":"GET","url":"/me"}`, `{"id":"2","method":"GET","url":"me/messages?$top=2"}`), status: 200,
			check: func(t *testing.T, byID map[string]batchResponse, _ []string) {
				if byID["1"].Status != 200 || byID["2"].Status != 200 {
					t.Errorf("statuses %d %d", byID["1"].Status, byID["2"].Status)
				}
				var page struct{ Value []any }
				_ = json.Unmarshal(byID["2"].Body, &page)
				if len(page.Value) != 2 {
					t.Errorf("item 2 body %s", byID["2"].Body)
				}
				if !strings.HasPrefix(byID["1"].Headers["Content-Type"], "application/json") {
					t.Errorf("headers %v", byID["1"].Headers)
				}
			}},
		{name: "item errors stay inside a 200", body: batchBody(`{"id":"1","method":"GET","url":"/users"}`, `{"id":"2","method":"GET","url":"/nothing"}`), status: 200,
			check: func(t *testing.T, byID map[string]batchResponse, _ []string) {
				if byID["1"].Status != 403 || byID["2"].Status != 400 {
					t.Errorf("statuses %d %d", byID["1"].Status, byID["2"].Status)
				}
				if !strings.Contains(string(byID["1"].Body), "Authorization_RequestDenied") {
					t.Errorf("body %s", byID["1"].Body)
				}
			}},
		{name: "dependsOn, failed dependency", body: batchBody(
			`{"id":"1","method":"GET","url":"/users"}`,
			`{"id":"2","method":"GET","url":"/me","dependsOn":["1"]}`,
			`{"id":"3","method":"GET","url":"/me","dependsOn":["2"]}`,
			`{"id":"4","method":"GET","url":"/me"}`), status: 200,
			check: func(t *testing.T, byID map[string]batchResponse, _ []string) {
				if byID["2"].Status != 424 || byID["3"].Status != 424 || byID["4"].Status != 200 {
					t.Errorf("statuses 2:%d 3:%d 4:%d", byID["2"].Status, byID["3"].Status, byID["4"].Status)
				}
			}},
		{name: "dependsOn forward reference runs in dependency order", body: batchBody(
			`{"id":"a","method":"GET","url":"/me","dependsOn":["b"]}`,
			`{"id":"b","method":"GET","url":"/me"}`), status: 200,
			check: func(t *testing.T, byID map[string]batchResponse, _ []string) {
				if byID["a"].Status != 200 || byID["b"].Status != 200 {
					t.Errorf("statuses %d %d", byID["a"].Status, byID["b"].Status)
				}
			}},
		{name: "unencoded query in url", body: batchBody(`{"id":"1","method":"GET","url":"/me/messages?$filter=isRead eq false&$select=subject&$top=1"}`), status: 200,
			check: func(t *testing.T, byID map[string]batchResponse, _ []string) {
				var page struct{ Value []map[string]any }
				_ = json.Unmarshal(byID["1"].Body, &page)
				if byID["1"].Status != 200 || len(page.Value) != 1 || len(page.Value[0]) != 3 {
					t.Errorf("%d %s", byID["1"].Status, byID["1"].Body)
				}
			}},
		{name: "body with content type", body: batchBody(`{"id":"1","method":"GET","url":"/me","headers":{"Content-Type":"application/json"},"body":{"x":1}}`), status: 200},
		{name: "too many", body: batchBody(many...), status: 400},
		{name: "empty", body: `{"requests":[]}`, status: 400},
		{name: "not json", body: `{"requests":`, status: 400},
		{name: "trailing data", body: `{"requests":[{"id":"1","method":"GET","url":"/me"}]} {}`, status: 400},
		{name: "duplicate ids", body: batchBody(`{"id":"1","method":"GET","url":"/me"}`, `{"id":"1","method":"GET","url":"/me"}`), status: 400},
		{name: "missing id", body: batchBody(`{"method":"GET","url":"/me"}`), status: 400},
		{name: "bad method", body: batchBody(`{"id":"1","method":"TRACE","url":"/me"}`), status: 400},
		{name: "absolute url", body: batchBody(`{"id":"1","method":"GET","url":"https://graph.microsoft.com/v1.0/me"}`), status: 400},
		{name: "nested batch", body: batchBody(`{"id":"1","method":"POST","url":"/$batch","headers":{"Content-Type":"application/json"},"body":{"requests":[]}}`), status: 400},
		{name: "body without content type", body: batchBody(`{"id":"1","method":"POST","url":"/me/messages","body":{"subject":"x"}}`), status: 400},
		{name: "unknown dependency", body: batchBody(`{"id":"1","method":"GET","url":"/me","dependsOn":["9"]}`), status: 400},
		{name: "dependency cycle", body: batchBody(`{"id":"1","method":"GET","url":"/me","dependsOn":["2"]}`, `{"id":"2","method":"GET","url":"/me","dependsOn":["1"]}`), status: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, "POST", "/v1.0/$batch", tok, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.400s", r.status, tc.status, r.body)
			}
			if tc.status != 200 {
				if r.errCode() != "BadRequest" {
					t.Errorf("code %q", r.errCode())
				}
				return
			}
			var out struct{ Responses []batchResponse }
			if err := json.Unmarshal(r.body, &out); err != nil {
				t.Fatal(err)
			}
			byID := map[string]batchResponse{}
			var order []string
			for _, x := range out.Responses {
				byID[x.ID] = x
				order = append(order, x.ID)
			}
			if tc.check != nil {
				tc.check(t, byID, order)
			}
		})
	}
}

func TestBatchOrderAndThrottling(t *testing.T) {
	var items []string
	for i := 1; i <= 20; i++ {
		items = append(items, fmt.Sprintf(`{"id":"%d","method":"GET","url":"/me"}`, i))
	}
	body := batchBody(items...)
	order := func(s *Server, tok string) string {
		r := do(t, s, "POST", "/v1.0/$batch", tok, body)
		var out struct{ Responses []batchResponse }
		_ = json.Unmarshal(r.body, &out)
		var ids []string
		for _, x := range out.Responses {
			ids = append(ids, x.ID)
		}
		return strings.Join(ids, ",")
	}
	inOrder := "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20"

	s1 := Start(t)
	tok1 := tokenFor(t, s1, s1.DefaultUser().UPN, "User.Read")
	s2 := Start(t)
	tok2 := tokenFor(t, s2, s2.DefaultUser().UPN, "User.Read")
	o1, o2 := order(s1, tok1), order(s2, tok2)
	if o1 == inOrder {
		t.Errorf("responses not shuffled by default")
	}
	if o1 != o2 {
		t.Errorf("shuffle not deterministic: %s vs %s", o1, o2)
	}
	s3 := Start(t, func(o *Options) { o.KeepBatchOrder = true })
	if o := order(s3, tokenFor(t, s3, s3.DefaultUser().UPN, "User.Read")); o != inOrder {
		t.Errorf("KeepBatchOrder: %s", o)
	}

	// Per-item throttling: the third /me inside the batch gets a 429 with
	// its own Retry-After; the batch itself is 200.
	clk := NewClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	s4 := Start(t, func(o *Options) { o.Now = clk.Now; o.KeepBatchOrder = true })
	tok4 := tokenFor(t, s4, s4.DefaultUser().UPN, "User.Read")
	if _, err := s4.Faults().Add(Fault{Path: "/v1.0/me$", Nth: 3, Count: 1, RetryAfter: 7 * time.Second}); err != nil {
		t.Fatal(err)
	}
	r := do(t, s4, "POST", "/v1.0/$batch", tok4, batchBody(items[:5]...))
	if r.status != 200 {
		t.Fatalf("batch %d", r.status)
	}
	var out struct{ Responses []batchResponse }
	_ = json.Unmarshal(r.body, &out)
	for i, x := range out.Responses {
		want := 200
		if i == 2 {
			want = 429
		}
		if x.Status != want {
			t.Errorf("item %s: %d, want %d", x.ID, x.Status, want)
		}
		if i == 2 && x.Headers["Retry-After"] != "7" {
			t.Errorf("Retry-After %q", x.Headers["Retry-After"])
		}
	}
	var logged []LoggedRequest
	for _, e := range s4.Requests() {
		if e.BatchID != "" {
			logged = append(logged, e)
		}
	}
	if len(logged) != 5 || logged[2].Status != 429 || !logged[2].RetryAt.Equal(clk.Now().Add(7*time.Second)) {
		t.Errorf("batch items in the log: %+v", logged)
	}
}

func FuzzParseBatch(f *testing.F) {
	f.Add([]byte(batchBody(`{"id":"1","method":"GET","url":"/me"}`)))
	f.Add([]byte(batchBody(`{"id":"1","method":"GET","url":"/me","dependsOn":["2"]}`, `{"id":"2","method":"post","url":"/x","headers":{"content-type":"text/plain"},"body":"aGk="}`)))
	f.Add([]byte(`{"requests":[{"id":"1","method":"GET","url":"/$batch"}]}`))
	f.Add([]byte(`{"requests":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, order, err := parseBatch(data)
		if err != nil {
			if err.status != 400 {
				t.Fatalf("status %d", err.status)
			}
			return
		}
		if len(items) == 0 || len(items) > maxBatchRequests || len(order) != len(items) {
			t.Fatalf("%d items, order %v", len(items), order)
		}
		pos := map[int]int{}
		for p, i := range order {
			pos[i] = p
		}
		ids := map[string]int{}
		for i, it := range items {
			ids[lower(it.ID)] = i
		}
		for i, it := range items {
			for _, d := range it.DependsOn {
				if pos[ids[lower(d)]] >= pos[i] {
					t.Fatalf("item %q runs before its dependency %q", it.ID, d)
				}
			}
		}
	})
}
