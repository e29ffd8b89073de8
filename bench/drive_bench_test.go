//go:build unix

package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/quickxor"
	"github.com/o365go/o365/o365test"
)

// Drive transfer benchmarks: uploads and downloads of 256 MiB through the public API,
// against the emulator (throughput; the emulator keeps the file in this process) and
// against an in-process sink that answers like OneDrive and keeps nothing (the client's own
// cost: throughput, bytes allocated, peak heap), next to a plain io.Copy over loopback HTTP,
// the limit for one stream.
//
//	go test -run '^$' -bench Drive -benchtime 3x ./bench

const driveBenchSize = 256 << 20

// benchData is a seeded pseudo-random file served by ReadAt without holding it: blocks
// from a small pool picked by a hash of their index.
type benchData struct {
	size   int64
	blocks [][]byte
}

const benchBlock = 1<<20 + 7

func newBenchData(size int64) *benchData {
	r := rand.New(rand.NewPCG(1, 2))
	d := &benchData{size: size}
	for range 7 {
		b := make([]byte, benchBlock)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		d.blocks = append(d.blocks, b)
	}
	return d
}

func (d *benchData) ReadAt(p []byte, off int64) (int, error) {
	if off >= d.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < d.size {
		bi := uint64(off/benchBlock) * 0x9e3779b97f4a7c15
		m := copy(p[n:], d.blocks[(bi>>33)%uint64(len(d.blocks))][off%benchBlock:])
		m = int(min(int64(m), d.size-off))
		n += m
		off += int64(m)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// heapPeak samples the heap in use until stop is called and returns the peak above the
// heap at the start.
func heapPeak() (stop func() uint64) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		if p := peak.Load(); p > base.HeapInuse {
			return p - base.HeapInuse
		}
		return 0
	}
}

// driveSink answers createUploadSession, upload PUTs (hashing and discarding the bytes),
// item metadata and content downloads with Range, as OneDrive does.
type driveSink struct {
	srv  *httptest.Server
	data *benchData
	mu   sync.Mutex
	h    interface {
		Write([]byte) (int, error)
		Sum([]byte) []byte
	}
	got int64
}

func newDriveSink(b *testing.B, data *benchData) (*driveSink, *graph.Client) {
	s := &driveSink{data: data}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	b.Cleanup(s.srv.Close)
	c, err := graph.NewClient(staticToken("t"), graph.WithProtocol(graph.Protocol{BaseURL: s.srv.URL}))
	if err != nil {
		b.Fatal(err)
	}
	return s, c
}

type staticToken string

func (s staticToken) AccessToken(context.Context, bool) (string, error) { return string(s), nil }

func (s *driveSink) item() map[string]any {
	sum := quickxor.New()
	_, _ = io.Copy(sum, io.NewSectionReader(s.data, 0, s.data.size))
	return map[string]any{"id": "f1", "name": "big.bin", "size": s.data.size,
		"parentReference": map[string]any{"driveId": "d1", "id": "root"},
		"file":            map[string]any{"hashes": map[string]any{"quickXorHash": base64.StdEncoding.EncodeToString(sum.Sum(nil))}}}
}

func (s *driveSink) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/createUploadSession"):
		s.mu.Lock()
		s.h, s.got = quickxor.New(), 0
		s.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"uploadUrl": s.srv.URL + "/up/1", "nextExpectedRanges": []string{"0-"}})
	case r.Method == "PUT" && r.URL.Path == "/up/1":
		first, last, total, err := graph.ParseContentRange(r.Header.Get("Content-Range"))
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		s.mu.Lock()
		n, _ := io.Copy(s.h, r.Body)
		s.got += n
		done := s.got == total
		var sum []byte
		if done {
			sum = s.h.Sum(nil)
		}
		s.mu.Unlock()
		if n != last-first+1 {
			http.Error(w, "short", 400)
			return
		}
		if !done {
			w.WriteHeader(http.StatusAccepted)
			_ = json.NewEncoder(w).Encode(map[string]any{"nextExpectedRanges": []string{fmt.Sprintf("%d-", last+1)}})
			return
		}
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "f1", "name": "big.bin", "size": total,
			"file": map[string]any{"hashes": map[string]any{"quickXorHash": base64.StdEncoding.EncodeToString(sum)}}})
	case r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/content"):
		http.ServeContent(w, r, "", time.Time{}, io.NewSectionReader(s.data, 0, s.data.size))
	case r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/items/f1"):
		_ = json.NewEncoder(w).Encode(s.item())
	default:
		http.NotFound(w, r)
	}
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the CPU time (client and server side, both in this process) per MB
// moved: steadier than MB/s on a shared machine.
func reportCPU(b *testing.B, cpu0 time.Duration, size int64) {
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N)/(float64(size)/1e6), "cpu-ms/MB")
}

func reportPeak(b *testing.B, peak uint64, allocs0 runtime.MemStats) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(ms.TotalAlloc-allocs0.TotalAlloc)/float64(b.N)/(1<<20), "MB-alloc/op")
}

// BenchmarkDriveUploadSink: the client's cost of a 256 MiB upload in 10 MiB chunks, from an
// io.ReaderAt (read in place) and from a plain io.Reader (one chunk buffered).
func BenchmarkDriveUploadSink(b *testing.B) {
	data := newBenchData(driveBenchSize)
	_, c := newDriveSink(b, data)
	folder := drive.New(c, graph.Me).DriveByID("d1").ItemRef("root")
	ctx := context.Background()
	for _, kind := range []string{"readerAt", "stream"} {
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(driveBenchSize)
			var ms0 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			stop := heapPeak()
			cpu0 := cpuTime()
			for b.Loop() {
				var r io.Reader = io.NewSectionReader(data, 0, data.size)
				if kind == "stream" {
					r = struct{ io.Reader }{r}
				}
				if _, err := folder.Upload(ctx, "big.bin", r, data.size, nil); err != nil {
					b.Fatal(err)
				}
				// Collect the last upload's garbage, so the peak is one upload's.
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
			}
			b.StopTimer()
			reportCPU(b, cpu0, driveBenchSize)
			reportPeak(b, stop(), ms0)
		})
	}
}

// BenchmarkDriveDownloadSink: the client's cost of a 256 MiB download, hash verified.
func BenchmarkDriveDownloadSink(b *testing.B) {
	data := newBenchData(driveBenchSize)
	s, c := newDriveSink(b, data)
	it := drive.New(c, graph.Me).DriveByID("d1").ItemRef("f1")
	ctx := context.Background()
	full, err := it.Get(ctx) // metadata (hash) once, as a caller who listed the folder has it
	if err != nil {
		b.Fatal(err)
	}
	_ = s
	b.SetBytes(driveBenchSize)
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	stop := heapPeak()
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if n, err := full.Download(ctx, io.Discard, nil); err != nil || n != driveBenchSize {
			b.Fatal(n, err)
		}
	}
	b.StopTimer()
	reportCPU(b, cpu0, driveBenchSize)
	reportPeak(b, stop(), ms0)
}

// BenchmarkDriveLoopbackCopy is the limit: the same bytes PUT and GET over loopback HTTP
// with a plain io.Copy (256 KiB buffers) on each side, one request, no chunks, no JSON, no
// hashes.
func BenchmarkDriveLoopbackCopy(b *testing.B) {
	data := newBenchData(driveBenchSize)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "PUT" {
			_, _ = io.CopyBuffer(struct{ io.Writer }{io.Discard}, r.Body, make([]byte, 256<<10))
			return
		}
		http.ServeContent(w, r, "", time.Time{}, io.NewSectionReader(data, 0, data.size))
	}))
	b.Cleanup(srv.Close)
	for _, dir := range []string{"put", "get"} {
		b.Run(dir, func(b *testing.B) {
			b.SetBytes(driveBenchSize)
			cpu0 := cpuTime()
			defer func() { reportCPU(b, cpu0, driveBenchSize) }()
			for b.Loop() {
				if dir == "put" {
					req, _ := http.NewRequest("PUT", srv.URL, io.NewSectionReader(data, 0, data.size))
					req.ContentLength = data.size
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
					continue
				}
				resp, err := http.Get(srv.URL)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, resp.Body, make([]byte, 256<<10)); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
	}
}

// BenchmarkDriveEmulator: a 256 MiB upload then download through the emulator (Graph's
// upload session and download URL, in this process).
func BenchmarkDriveEmulator(b *testing.B) {
	acct, _ := o365test.Start(b)
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		b.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		b.Fatal(err)
	}
	data := newBenchData(driveBenchSize)
	var it *drive.Item
	b.Run("upload", func(b *testing.B) {
		b.SetBytes(driveBenchSize)
		cpu0 := cpuTime()
		defer func() { reportCPU(b, cpu0, driveBenchSize) }()
		for b.Loop() {
			if it, err = root.Upload(ctx, "big.bin", io.NewSectionReader(data, 0, data.size), data.size, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("download-%d", workers), func(b *testing.B) {
			b.SetBytes(driveBenchSize)
			cpu0 := cpuTime()
			defer func() { reportCPU(b, cpu0, driveBenchSize) }()
			for b.Loop() {
				var w io.Writer = io.Discard
				o := &drive.DownloadOptions{}
				if workers > 1 {
					w = discardAt{}
					o = &drive.DownloadOptions{Workers: workers, NoHashCheck: true}
				}
				if n, err := it.Download(ctx, w, o); err != nil || n != driveBenchSize {
					b.Fatal(n, err)
				}
			}
		})
	}
}

// discardAt is io.Discard as an io.WriterAt, for parallel downloads.
type discardAt struct{}

func (discardAt) Write(p []byte) (int, error)            { return len(p), nil }
func (discardAt) WriteAt(p []byte, _ int64) (int, error) { return len(p), nil }
