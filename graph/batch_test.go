package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type batchCall struct {
	Requests []struct {
		ID        string            `json:"id"`
		Method    string            `json:"method"`
		URL       string            `json:"url"`
		DependsOn []string          `json:"dependsOn"`
		Headers   map[string]string `json:"headers"`
		Body      json.RawMessage   `json:"body"`
	} `json:"requests"`
}

// batchServer answers each item with answer(id, attempt) (status, headers, body).
type batchServer struct {
	mu       sync.Mutex
	calls    []batchCall
	attempts map[string]int
	answer   func(id, url string, attempt int) (int, map[string]string, string)
}

func (b *batchServer) handler(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/v1.0/$batch" {
			t.Errorf("%s %s, want POST /v1.0/$batch", r.Method, r.URL.Path)
		}
		var call batchCall
		if err := json.NewDecoder(r.Body).Decode(&call); err != nil {
			t.Error(err)
		}
		b.mu.Lock()
		b.calls = append(b.calls, call)
		if b.attempts == nil {
			b.attempts = map[string]int{}
		}
		var out []string
		// Answer in reverse order: Graph may answer in any order.
		for i := len(call.Requests) - 1; i >= 0; i-- {
			it := call.Requests[i]
			b.attempts[it.ID]++
			status, hdr, body := 200, map[string]string(nil), `{"id":"`+it.ID+`"}`
			if b.answer != nil {
				status, hdr, body = b.answer(it.ID, it.URL, b.attempts[it.ID])
			}
			h, _ := json.Marshal(hdr)
			out = append(out, fmt.Sprintf(`{"id":%q,"status":%d,"headers":%s,"body":%s}`, it.ID, status, h, body))
		}
		b.mu.Unlock()
		writeJSON(w, 200, `{"responses":[`+strings.Join(out, ",")+`]}`)
	}
}

func TestBatchSplitsAndOrders(t *testing.T) {
	t.Parallel()
	bs := &batchServer{}
	env := newTestEnv(t, bs.handler(t))
	var reqs []BatchRequest
	for i := range 45 {
		reqs = append(reqs, BatchRequest{ID: "r" + strconv.Itoa(i), Method: "GET", URL: "/me/messages/" + strconv.Itoa(i)})
	}
	// A chain 17 -> 18 -> 19 -> 20 -> 21 must stay together (it crosses the first cut).
	for i := 18; i <= 21; i++ {
		reqs[i].DependsOn = []string{"R" + strconv.Itoa(i-1)} // ids compare case-insensitively
	}
	reqs[2].URL = env.srv.URL + "/v1.0/me/events?$top=1"
	reqs[3] = BatchRequest{ID: "r3", Method: "post", URL: "me/messages", Body: map[string]string{"subject": "s"}}
	reqs[4].Body = []byte("hello")
	reqs[4].Header = http.Header{"Content-Type": {"text/plain"}}
	resps, err := env.c.Batch(t.Context(), reqs)
	if err != nil {
		t.Fatal(err)
	}
	if len(resps) != 45 {
		t.Fatalf("%d responses", len(resps))
	}
	for i, r := range resps {
		if r.ID != reqs[i].ID || r.Status != 200 || r.Err != nil || string(r.Body) != `{"id":"`+reqs[i].ID+`"}` {
			t.Errorf("response %d: %+v", i, r)
		}
	}
	var sizes []int
	for _, c := range bs.calls {
		sizes = append(sizes, len(c.Requests))
	}
	if diff := cmp.Diff([]int{17, 20, 8}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	first := bs.calls[0].Requests
	if first[2].URL != "/me/events?$top=1" || first[3].URL != "/me/messages" || first[3].Method != "POST" {
		t.Errorf("urls %q %q method %q", first[2].URL, first[3].URL, first[3].Method)
	}
	if first[3].Headers["Content-Type"] != "application/json" || string(first[3].Body) != `{"subject":"s"}` {
		t.Errorf("json item: %+v", first[3])
	}
	if first[4].Headers["Content-Type"] != "text/plain" || string(first[4].Body) != `"aGVsbG8="` {
		t.Errorf("text item: %+v", first[4])
	}
	if got := bs.calls[1].Requests[1].DependsOn; len(got) != 1 || got[0] != "R17" {
		t.Errorf("dependsOn %v", got)
	}
}

func TestBatchItemErrorsAndThrottling(t *testing.T) {
	t.Parallel()
	bs := &batchServer{answer: func(id, url string, attempt int) (int, map[string]string, string) {
		switch {
		case id == "missing":
			return 404, map[string]string{"request-id": "rid"}, `{"error":{"code":"ErrorItemNotFound","message":"not found"}}`
		case id == "busy" && attempt == 1:
			return 429, map[string]string{"Retry-After": "7"}, `{"error":{"code":"TooManyRequests","message":"slow down"}}`
		case id == "busier" && attempt == 1:
			return 429, map[string]string{"Retry-After": "12"}, `{"error":{"code":"TooManyRequests","message":"slow down"}}`
		case id == "after-busy" && attempt == 1:
			return 424, nil, `{"error":{"code":"FailedDependency","message":"dependency failed"}}`
		}
		return 200, nil, `{"id":"` + id + `"}`
	}}
	env := newTestEnv(t, bs.handler(t))
	resps, err := env.c.Batch(t.Context(), []BatchRequest{
		{ID: "ok", URL: "/me"},
		{ID: "missing", URL: "/me/messages/AAMkAGI2THVSAAA1234567890abcdefghijklmnop"},
		{ID: "busy", URL: "/me/messages/b"},
		{ID: "busier", URL: "/me/messages/c"},
		{ID: "after-busy", Method: "DELETE", URL: "/me/messages/d", DependsOn: []string{"busy"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var ge *Error
	if !errors.As(resps[1].Err, &ge) || !errors.Is(resps[1].Err, ErrNotFound) {
		t.Fatalf("missing: %+v", resps[1])
	}
	if want := "graph: GET /me/messages/AAMkAGI2…: 404 ErrorItemNotFound: not found (request-id rid)"; ge.Error() != want {
		t.Errorf("item error %q, want %q", ge.Error(), want)
	}
	for _, i := range []int{0, 2, 3, 4} {
		if resps[i].Err != nil || resps[i].Status != 200 {
			t.Errorf("response %d: %+v", i, resps[i])
		}
	}
	// One retry call with exactly the throttled items and their dependant, after the
	// largest Retry-After.
	if len(bs.calls) != 2 {
		t.Fatalf("%d calls, want 2", len(bs.calls))
	}
	var retried []string
	for _, r := range bs.calls[1].Requests {
		retried = append(retried, r.ID)
	}
	if diff := cmp.Diff([]string{"busy", "busier", "after-busy"}, retried); diff != "" {
		t.Errorf("retried (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{12 * time.Second}, env.clock.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestBatchThrottlingGivesUp(t *testing.T) {
	t.Parallel()
	bs := &batchServer{answer: func(id, url string, attempt int) (int, map[string]string, string) {
		return 429, map[string]string{"Retry-After": "1"}, `{"error":{"code":"TooManyRequests","message":"x"}}`
	}}
	env := newTestEnv(t, bs.handler(t), WithRetry(RetryPolicy{MaxRetries: 2}))
	resps, err := env.c.Batch(t.Context(), []BatchRequest{{ID: "1", URL: "/me"}})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(resps[0].Err, ErrThrottled) || len(bs.calls) != 3 {
		t.Errorf("err %v after %d calls", resps[0].Err, len(bs.calls))
	}
}

func TestBatchPlanErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) { t.Error("a request was sent") })
	chain := make([]BatchRequest, 21)
	for i := range chain {
		chain[i] = BatchRequest{ID: strconv.Itoa(i), URL: "/me"}
		if i > 0 {
			chain[i].DependsOn = []string{strconv.Itoa(i - 1)}
		}
	}
	tests := []struct {
		name string
		reqs []BatchRequest
		want string
	}{
		{"unknown dependency", []BatchRequest{{ID: "a", URL: "/me", DependsOn: []string{"b"}}}, "unknown id"},
		{"duplicate id", []BatchRequest{{ID: "a", URL: "/me"}, {ID: "A", URL: "/me"}}, "same id"},
		{"chain too long", chain, "cannot fit"},
		{"cycle", []BatchRequest{{ID: "a", URL: "/me", DependsOn: []string{"b"}}, {ID: "b", URL: "/me", DependsOn: []string{"a"}}}, "cycle"},
		{"self", []BatchRequest{{ID: "a", URL: "/me", DependsOn: []string{"a"}}}, "itself"},
		{"foreign host", []BatchRequest{{ID: "a", URL: "https://example.com/v1.0/me"}}, "not under the service URL"},
		{"empty url", []BatchRequest{{ID: "a"}}, "empty URL"},
	}
	for _, tt := range tests {
		_, err := env.c.Batch(t.Context(), tt.reqs)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestBatchCallRetried(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := 0
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(503)
			return
		}
		writeJSON(w, 200, `{"responses":[{"id":"1","status":204}]}`)
	})
	resps, err := env.c.Batch(t.Context(), []BatchRequest{{ID: "1", Method: "DELETE", URL: "/me/messages/1"}})
	if err != nil || resps[0].Status != 204 || calls != 2 {
		t.Errorf("err %v resps %+v calls %d", err, resps, calls)
	}
	// A batch holding a POST is not re-sent after a 503.
	calls = 0
	_, err = env.c.Batch(t.Context(), []BatchRequest{{ID: "1", Method: "POST", URL: "/me/sendMail", Body: map[string]any{}}})
	if !errors.Is(err, ErrServiceUnavailable) || calls != 1 {
		t.Errorf("POST batch: err %v calls %d", err, calls)
	}
}
