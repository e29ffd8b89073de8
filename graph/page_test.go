package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/odata"
)

type item struct {
	ID string `json:"id"`
}

// pagedServer serves items 0..total-1 in pages of size at /v1.0/items, recording each
// request's page index and headers. failAt (if > 0) answers that page index with 500.
type pagedServer struct {
	total, size, failAt int
	mu                  sync.Mutex
	pages               []int
	headers             []http.Header
	queries             []string
	block               map[int]chan struct{} // page index -> released when closed
	started             map[int]chan struct{} // page index -> closed when requested
	cancelled           atomic.Int32
}

func (p *pagedServer) handler(base func() string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		p.mu.Lock()
		p.pages = append(p.pages, page)
		p.headers = append(p.headers, r.Header.Clone())
		p.queries = append(p.queries, r.URL.RawQuery)
		started, block := p.started[page], p.block[page]
		p.mu.Unlock()
		if started != nil {
			close(started)
		}
		if block != nil {
			select {
			case <-block:
			case <-r.Context().Done():
				p.cancelled.Add(1)
				return
			}
		}
		if p.failAt > 0 && page == p.failAt {
			writeJSON(w, 500, `{"error":{"code":"generalException","message":"boom"}}`)
			return
		}
		var b strings.Builder
		b.WriteString(`{"@odata.context":"x",`)
		if (page+1)*p.size < p.total {
			fmt.Fprintf(&b, `"@odata.nextLink":"%s/v1.0/items?page=%d&%%24skiptoken=a%%2Bb",`, base(), page+1)
		} else {
			b.WriteString(`"@odata.deltaLink":"` + base() + `/v1.0/items/delta?token=d",`)
		}
		b.WriteString(`"@odata.count":` + strconv.Itoa(p.total) + `,"value":[`)
		for i := page * p.size; i < min(p.total, (page+1)*p.size); i++ {
			if i > page*p.size {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"%d"}`, i)
		}
		b.WriteString("]}")
		writeJSON(w, 200, b.String())
	}
}

func newPaged(t *testing.T, ps *pagedServer) *testEnv {
	var env *testEnv
	env = newTestEnv(t, ps.handler(func() string { return env.srv.URL }))
	return env
}

func ids(t *testing.T, seq func(func(*item, error) bool)) ([]string, error) {
	t.Helper()
	var out []string
	for it, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, it.ID)
	}
	return out, nil
}

func seqIDs(from, to int) []string {
	var s []string
	for i := from; i < to; i++ {
		s = append(s, strconv.Itoa(i))
	}
	return s
}

func TestListPages(t *testing.T) {
	t.Parallel()
	for _, noPrefetch := range []bool{false, true} {
		t.Run(fmt.Sprintf("NoPrefetch=%v", noPrefetch), func(t *testing.T) {
			t.Parallel()
			ps := &pagedServer{total: 10, size: 3}
			env := newPaged(t, ps)
			seq := List[item](t.Context(), env.c, "/items", &ListOptions{NoPrefetch: noPrefetch, PageSize: 3,
				Query: odata.New().Select("id")}, ConsistencyEventual(), Timezone("UTC"))
			ps.mu.Lock()
			if len(ps.pages) != 0 {
				t.Error("List sent a request before the range")
			}
			ps.mu.Unlock()
			got, err := ids(t, seq)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(seqIDs(0, 10), got); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]int{0, 1, 2, 3}, ps.pages); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
			// Every page carries the same headers; nextLinks are used verbatim.
			for i, h := range ps.headers {
				if h.Get("ConsistencyLevel") != "eventual" || h.Get("Prefer") != `outlook.timezone="UTC"` || h.Get("Authorization") != "Bearer tok-1" {
					t.Errorf("page %d headers: %v", i, h)
				}
			}
			if ps.queries[0] != "$select=id&$top=3" {
				t.Errorf("first query %q", ps.queries[0])
			}
			if ps.queries[1] != "page=1&%24skiptoken=a%2Bb" {
				t.Errorf("nextLink query %q, want it verbatim", ps.queries[1])
			}
			// A second range lists afresh.
			if got2, _ := ids(t, seq); len(got2) != 10 {
				t.Errorf("second range: %d items", len(got2))
			}
		})
	}
}

func TestListErrorPartway(t *testing.T) {
	t.Parallel()
	ps := &pagedServer{total: 10, size: 3, failAt: 2}
	env := newPaged(t, ps)
	var got []string
	var errs []error
	for it, err := range List[item](t.Context(), env.c, "/items", nil) {
		if err != nil {
			errs = append(errs, err)
			continue // the iterator must stop by itself after yielding the error
		}
		got = append(got, it.ID)
	}
	if diff := cmp.Diff(seqIDs(0, 6), got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "500 generalException") {
		t.Errorf("errors %v", errs)
	}
}

func TestListLimit(t *testing.T) {
	t.Parallel()
	ps := &pagedServer{total: 10, size: 3}
	env := newPaged(t, ps)
	got, err := ids(t, List[item](t.Context(), env.c, "/items", &ListOptions{Limit: 5, PageSize: 3}))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(seqIDs(0, 5), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Limit 3 with page size 3: the second page is never fetched.
	ps2 := &pagedServer{total: 10, size: 3}
	env2 := newPaged(t, ps2)
	if got, _ := ids(t, List[item](t.Context(), env2.c, "/items", &ListOptions{Limit: 3, PageSize: 50})); len(got) != 3 {
		t.Errorf("got %v", got)
	}
	if len(ps2.pages) != 1 || ps2.queries[0] != "$top=3" {
		t.Errorf("pages %v queries %v", ps2.pages, ps2.queries)
	}
}

// TestListPrefetch checks that page 2 is requested while the caller still holds page 1's
// first item, and that breaking out cancels that fetch and waits for it.
func TestListPrefetch(t *testing.T) {
	t.Parallel()
	ps := &pagedServer{total: 10, size: 3,
		started: map[int]chan struct{}{1: make(chan struct{})},
		block:   map[int]chan struct{}{1: make(chan struct{})},
	}
	env := newPaged(t, ps)
	for it, err := range List[item](t.Context(), env.c, "/items", nil) {
		if err != nil {
			t.Fatal(err)
		}
		if it.ID != "0" {
			t.Fatalf("first item %s", it.ID)
		}
		select {
		case <-ps.started[1]:
		case <-time.After(10 * time.Second):
			t.Fatal("page 2 was not prefetched")
		}
		break
	}
	// After the break List has returned, so the prefetch must already be cancelled.
	deadline := time.Now().Add(10 * time.Second)
	for ps.cancelled.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // the server notices the cancelled request asynchronously
	}
	if ps.cancelled.Load() != 1 {
		t.Error("the prefetch request was not cancelled")
	}
}

func TestListNoPrefetchWaits(t *testing.T) {
	t.Parallel()
	ps := &pagedServer{total: 10, size: 3}
	env := newPaged(t, ps)
	n := 0
	for _, err := range List[item](t.Context(), env.c, "/items", &ListOptions{NoPrefetch: true}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		ps.mu.Lock()
		if pages := len(ps.pages); pages != (n+2)/3 {
			t.Errorf("after %d items %d pages were requested", n, pages)
		}
		ps.mu.Unlock()
	}
}

func TestListBreakEarly(t *testing.T) {
	t.Parallel()
	ps := &pagedServer{total: 10, size: 3}
	env := newPaged(t, ps)
	n := 0
	for _, err := range List[item](t.Context(), env.c, "/items", &ListOptions{NoPrefetch: true}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 4 {
			break
		}
	}
	if diff := cmp.Diff([]int{0, 1}, ps.pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestListContextCanceled(t *testing.T) {
	t.Parallel()
	ps := &pagedServer{total: 10, size: 3}
	env := newPaged(t, ps)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var err error
	for _, e := range List[item](ctx, env.c, "/items", nil) {
		if e != nil {
			err = e
			break
		}
		cancel()
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestGetPage(t *testing.T) {
	t.Parallel()
	ps := &pagedServer{total: 5, size: 3}
	env := newPaged(t, ps)
	p, err := GetPage[item](t.Context(), env.c, "/items", &ListOptions{PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 3 || p.Count != 5 || p.DeltaLink != "" || !strings.Contains(p.NextLink, "page=1") {
		t.Fatalf("page 1: %+v", p)
	}
	p2, err := GetPage[item](t.Context(), env.c, p.NextLink, &ListOptions{PageSize: 99})
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Items) != 2 || p2.NextLink != "" || !strings.HasSuffix(p2.DeltaLink, "/items/delta?token=d") {
		t.Fatalf("page 2: %+v", p2)
	}
	if ps.queries[1] != "page=1&%24skiptoken=a%2Bb" {
		t.Errorf("link not used verbatim: %q", ps.queries[1])
	}
}

func TestListBadJSON(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"value":[{"id":"1"},{"id":`)
	})
	_, err := ids(t, List[item](t.Context(), env.c, "/items", nil))
	if err == nil || !strings.Contains(err.Error(), "decoding page") {
		t.Errorf("error %v", err)
	}
}

// TestListMemoryFlat lists about 55 MB of full messages and checks that the heap stays far
// below that: pages are decoded one at a time and released.
func TestListMemoryFlat(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("lists 15,000 messages; slow under -race, whose shadow memory also skews the heap")
	}
	const pageSize, pages = 500, 30
	var items []string
	for i := range pageSize {
		items = append(items, benchMessageJSON(i))
	}
	value := []byte(strings.Join(items, ",") + "]}") // the server holds one page's items
	var env *testEnv
	env = newTestEnv(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		w.Header().Set("Content-Type", "application/json")
		if page+1 < pages {
			fmt.Fprintf(w, `{"@odata.nextLink":"%s/v1.0/me/messages?page=%d","value":[`, env.srv.URL, page+1)
		} else {
			fmt.Fprint(w, `{"value":[`)
		}
		_, _ = w.Write(value)
	})
	// Measure what stays reachable, not what awaits collection: garbage left by earlier
	// tests and GC pacing would otherwise make the peak depend on the test order.
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var maxHeap uint64
	n := 0
	for m, err := range List[benchMessage](t.Context(), env.c, "/me/messages", nil) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Body.Content == "" {
			t.Fatal("empty body")
		}
		if n++; n%1000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base {
				maxHeap = max(maxHeap, ms.HeapAlloc-base)
			}
		}
	}
	if n != pageSize*pages {
		t.Fatalf("listed %d, want %d", n, pageSize*pages)
	}
	total := uint64(len(benchMessageJSON(1)) * n)
	t.Logf("listed %d messages (%d MB of JSON); peak live heap %d MB", n, total>>20, maxHeap>>20)
	if maxHeap > total/2 {
		t.Errorf("peak live heap %d MB for %d MB of JSON: pages are not released", maxHeap>>20, total>>20)
	}
}
