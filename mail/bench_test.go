package mail_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
)

// sinkServer answers the calls of sending a message with a large attachment (create the
// draft, createUploadSession, the chunk PUTs in Outlook's shape, send) and throws the
// bytes away, so that a benchmark measures the client alone.
func sinkServer(tb testing.TB) (*httptest.Server, *atomic.Int64) {
	var received atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/me/messages"):
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(201)
			_, _ = io.WriteString(w, `{"id":"AAMkDraft","isDraft":true,"subject":"big"}`)
		case strings.HasSuffix(r.URL.Path, "/createUploadSession"):
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(201)
			fmt.Fprintf(w, `{"uploadUrl":%q,"expirationDateTime":"2099-01-01T00:00:00Z","nextExpectedRanges":["0-"]}`,
				srv.URL+"/api/v2.0/Users('x')/Messages('AAMkDraft')/AttachmentSessions('s1')?authtoken=t")
		case r.Method == "PUT":
			n, _ := io.Copy(io.Discard, r.Body)
			received.Add(n)
			_, last, total, err := graph.ParseContentRange(r.Header.Get("Content-Range"))
			if err != nil {
				w.WriteHeader(400)
				return
			}
			if last+1 == total {
				w.Header().Set("Location", srv.URL+"/api/v2.0/Users('x')/Messages('AAMkDraft')/Attachments('att1')")
				w.WriteHeader(201)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"ExpirationDateTime":"2099-01-01T00:00:00Z","NextExpectedRanges":["%d"]}`, last+1)
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/send"):
			w.WriteHeader(202)
		default:
			http.Error(w, `{"error":{"code":"BadRequest","message":"unexpected `+r.Method+" "+r.URL.Path+`"}}`, 400)
		}
	}))
	tb.Cleanup(srv.Close)
	return srv, &received
}

// BenchmarkSendLargeAttachment sends a message with a 100 MB attachment from a file:
// throughput (MB/s) and allocations per send, which stay near the chunk size (3.75 MiB)
// instead of the file size. peak-heap-MB samples the heap in use during the sends.
func BenchmarkSendLargeAttachment(b *testing.B) {
	const size = 100 << 20
	path := filepath.Join(b.TempDir(), "100MB.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		b.Fatal(err)
	}
	f.Close()
	srv, received := sinkServer(b)
	c, err := graph.NewClient(nil, graph.WithProtocol(graph.Protocol{BaseURL: srv.URL}))
	if err != nil {
		b.Fatal(err)
	}
	mb := mail.New(c, graph.Me)
	ctx := context.Background()

	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	go func() {
		defer close(done)
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m := mb.NewMessage()
		m.Subject = "big"
		_ = m.ToRecipients.Add("someone@example.org")
		if _, err := m.Attachments.AddFile(path); err != nil {
			b.Fatal(err)
		}
		if err := m.Send(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	if received.Load() < size {
		b.Fatalf("server received %d bytes", received.Load())
	}
	if p := peak.Load(); p > base.HeapInuse {
		b.ReportMetric(float64(p-base.HeapInuse)/(1<<20), "peak-heap-MB")
	}
}

// BenchmarkListMessages iterates an inbox of 10,000 and 100,000 messages through the
// public API (each message bound to its mailbox, with its change-tracking snapshot), with
// the emulator in the same process (ns/msg includes the server's share): per-message time,
// allocations and bytes, and the growth of the live heap while listing, which must not
// grow with the count.
func BenchmarkListMessages(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			acct, srv := o365test.Start(b, o365test.WithScopes("mailbox"))
			if err := srv.SeedMessages(srv.DefaultUser().UPN, n); err != nil {
				b.Fatal(err)
			}
			inbox := acct.Mailbox().Inbox()
			ctx := context.Background()
			var ms0, ms1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms0)
			var peak uint64
			b.ResetTimer()
			for b.Loop() {
				got := 0
				for m, err := range inbox.Messages(ctx, &graph.ListOptions{PageSize: 999}) {
					if err != nil {
						b.Fatal(err)
					}
					if m.ID != "" {
						got++
					}
					if got%10000 == 0 {
						// Live heap: collect first, or garbage the GC has not reached
						// yet would count.
						b.StopTimer()
						runtime.GC()
						var ms runtime.MemStats
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
						b.StartTimer()
					}
				}
				if got != n {
					b.Fatalf("listed %d, want %d", got, n)
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&ms1)
			msgs := float64(b.N) * float64(n)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/msgs, "ns/msg")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/msgs, "allocs/msg")
			b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/msgs, "B/msg")
			// The emulator's store is in the same heap: report the growth over the heap
			// after seeding, which is what the listing holds.
			b.ReportMetric(float64(peak-min(peak, ms0.HeapInuse))/(1<<20), "live-heap-growth-MB")
		})
	}
}
