//go:build unix

package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
)

type clientConfig struct {
	URL, Tenant, ClientID string
	N, PageSize           int
	NoPrefetch            bool
	// Work is spent (CPU spin) on every message, as a caller doing something with it.
	Work time.Duration
	// Sleep replaces the sign-in's waits (tests fast-forward an emulator clock); nil sleeps.
	Sleep func(ctx context.Context, d time.Duration) error
}

// signIn signs in through the public API with a device code (the emulator approves it
// as soon as it is issued; the client still waits one polling interval) and returns the
// inbox handle.
func signIn(ctx context.Context, cfg clientConfig) (*mail.Folder, error) {
	opts := []o365.Option{
		o365.WithProtocol(graph.Protocol{BaseURL: cfg.URL, LoginURL: cfg.URL}),
		o365.WithAuthFlow(o365.DeviceFlow),
		o365.WithDeviceCodePrompt(func(context.Context, auth.DeviceCode) error { return nil }),
		o365.WithTokenStore(auth.NewMemoryStore()),
	}
	if cfg.Sleep != nil {
		opts = append(opts, o365.WithClock(time.Now, cfg.Sleep))
	}
	acct, err := o365.NewAccount(o365.Credentials{ClientID: cfg.ClientID, Tenant: cfg.Tenant}, opts...)
	if err != nil {
		return nil, err
	}
	if err := acct.Authenticate(ctx, "mailbox"); err != nil {
		return nil, err
	}
	return acct.Mailbox().Inbox(), nil
}

// runClient signs in, then lists the whole inbox while measuring this process.
func runClient(ctx context.Context, cfg clientConfig) (*result, error) {
	t0 := time.Now()
	inbox, err := signIn(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("sign-in: %w", err)
	}
	r := &result{N: cfg.N, PageSize: cfg.PageSize, SignInSecs: sinceSecs(t0)}

	runtime.GC()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	var ru0, ru1 syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru0); err != nil {
		return nil, err
	}
	stopSampler, peakHeap := sampleHeap(10 * time.Millisecond)
	start := time.Now()

	n, chars := 0, 0
	for m, err := range inbox.Messages(ctx, &graph.ListOptions{PageSize: cfg.PageSize, NoPrefetch: cfg.NoPrefetch}) {
		if err != nil {
			return nil, err
		}
		n++
		chars += len(m.Subject) + len(m.Body.Content) // use what was decoded
		if cfg.Work > 0 {
			for t := time.Now(); time.Since(t) < cfg.Work; {
			}
		}
	}

	wall := time.Since(start)
	stopSampler()
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru1); err != nil {
		return nil, err
	}
	runtime.ReadMemStats(&ms1)
	if chars == 0 && n > 0 {
		return nil, fmt.Errorf("messages decoded without subject or body")
	}
	cpu := tv(ru1.Utime) + tv(ru1.Stime) - tv(ru0.Utime) - tv(ru0.Stime)
	r.Listed = n
	r.WallSecs = wall.Seconds()
	r.CPUSecs = cpu
	if n > 0 {
		r.ItemsPerSec = float64(n) / wall.Seconds()
		r.CPUPerItemUS = cpu / float64(n) * 1e6
		r.AllocsPerItem = float64(ms1.Mallocs-ms0.Mallocs) / float64(n)
		r.BytesPerItem = float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(n)
	}
	r.MaxRSSMB = maxRSSMB(ru1)
	r.PeakHeapMB = float64(*peakHeap) / (1 << 20)
	return r, nil
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// sampleHeap records the largest live heap (bytes in heap objects, from runtime/metrics,
// which does not stop the world) until stop is called.
func sampleHeap(every time.Duration) (stop func(), peak *uint64) {
	peak = new(uint64)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			if v := sample[0].Value.Uint64(); v > *peak {
				*peak = v
			}
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		read()
	}, peak
}
