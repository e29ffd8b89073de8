//go:build unix

package main

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// BenchmarkListInbox lists an inbox of 10,000 full messages in pages of 999 through the
// public API, with the emulator in the same process (so ns/msg includes the server's
// share, about 3 µs; the bench program measures the client alone).
//
//	go test -run '^$' -bench ListInbox -benchtime 5x ./bench
func BenchmarkListInbox(b *testing.B) {
	const n = 10000
	acct, srv := o365test.Start(b, o365test.WithScopes("mailbox"))
	if err := srv.SeedMessages(srv.DefaultUser().UPN, n); err != nil {
		b.Fatal(err)
	}
	inbox := acct.Mailbox().Inbox()
	ctx := context.Background()
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
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
		}
		if got != n {
			b.Fatalf("listed %d, want %d", got, n)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	msgs := float64(b.N) * n
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/msgs, "ns/msg")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/msgs, "allocs/msg")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/msgs, "B/msg")
}

func TestProcCPU(t *testing.T) {
	if procCPU(0) != -1 {
		t.Error("pid 0 must give -1")
	}
	if runtime.GOOS == "linux" && procCPU(1) < 0 {
		t.Skip("no /proc/1/stat here")
	}
}

func TestMedian(t *testing.T) {
	rs := []result{{N: 1, WallSecs: 3, CPUPerItemUS: 30}, {N: 1, WallSecs: 1, CPUPerItemUS: 50}, {N: 1, WallSecs: 12, CPUPerItemUS: 20}}
	m := median(rs)
	if m.WallSecs != 3 || m.CPUPerItemUS != 30 {
		t.Errorf("median = %+v", m)
	}
	if m := median(rs[:2]); m.WallSecs != 2 || m.CPUPerItemUS != 40 {
		t.Errorf("median of two = %+v", m)
	}
}

// skew is a clock the test moves forward instead of sleeping through the device code's
// polling interval.
type skew struct{ off atomic.Int64 }

func (s *skew) now() time.Time { return time.Now().Add(time.Duration(s.off.Load())) }
func (s *skew) sleep(_ context.Context, d time.Duration) error {
	s.off.Add(int64(d))
	return nil
}

func TestRunClient(t *testing.T) {
	clock := &skew{}
	srv := emulator.Start(t, func(o *emulator.Options) { o.Now = clock.now })
	const n = 1500
	if err := srv.SeedMessages(srv.DefaultUser().UPN, n); err != nil {
		t.Fatal(err)
	}
	r, err := runClient(context.Background(), clientConfig{URL: srv.URL(), Tenant: srv.TenantID(), ClientID: srv.PublicClientID(), N: n, PageSize: 999, Sleep: clock.sleep})
	if err != nil {
		t.Fatal(err)
	}
	if r.Listed != n || r.WallSecs <= 0 || r.CPUPerItemUS <= 0 || r.AllocsPerItem <= 0 || r.MaxRSSMB <= 0 || r.PeakHeapMB <= 0 {
		t.Errorf("result = %+v", r)
	}
}
