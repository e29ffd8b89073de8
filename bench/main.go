//go:build unix

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// serverInfo is what a server process tells the orchestrator on its first line.
type serverInfo struct {
	URL      string  `json:"url"`
	Tenant   string  `json:"tenant"`
	ClientID string  `json:"clientId"`
	UPN      string  `json:"upn"`
	PID      int     `json:"pid"`
	SeedSecs float64 `json:"seedSeconds"`
}

// result is what a client process measures and prints as JSON.
type result struct {
	N                  int     `json:"n"`
	Listed             int     `json:"listed"`
	PageSize           int     `json:"pageSize"`
	SignInSecs         float64 `json:"signInSeconds"`
	WallSecs           float64 `json:"wallSeconds"`
	ItemsPerSec        float64 `json:"itemsPerSecond"`
	CPUSecs            float64 `json:"cpuSeconds"` // user+sys of the client while listing
	CPUPerItemUS       float64 `json:"cpuPerItemMicros"`
	AllocsPerItem      float64 `json:"allocsPerItem"`
	BytesPerItem       float64 `json:"bytesPerItem"`
	MaxRSSMB           float64 `json:"maxRSSMB"`   // client process peak resident set
	PeakHeapMB         float64 `json:"peakHeapMB"` // sampled live heap objects
	ServerCPUPerItemUS float64 `json:"serverCpuPerItemMicros,omitempty"`
}

func main() {
	var (
		role       = flag.String("role", "", "internal: server or client (the orchestrator starts both)")
		sizes      = flag.String("n", "10000,100000", "message counts to measure, comma-separated")
		page       = flag.Int("page", 999, "page size ($top)")
		runs       = flag.Int("runs", 3, "runs per size; the median of each measure is reported")
		url        = flag.String("url", "", "use this running emulator instead of starting one (its inbox must hold the messages)")
		tenant     = flag.String("tenant", "", "tenant id of the emulator given by -url")
		clientID   = flag.String("client-id", "", "public client id of the emulator given by -url")
		asJSON     = flag.Bool("json", false, "print the results as JSON lines")
		noPrefetch = flag.Bool("no-prefetch", false, "fetch the next page only when the current one is consumed")
		latency    = flag.Duration("latency", 0, "delay every Graph response of the started emulator by this much (a slow service)")
		work       = flag.Duration("work", 0, "simulated work per message in the consuming loop (CPU spin), to show what prefetch overlaps")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch *role {
	case "server":
		n, _ := strconv.Atoi(*sizes)
		err = runServer(ctx, n, *latency)
	case "client":
		n, _ := strconv.Atoi(*sizes)
		var r *result
		r, err = runClient(ctx, clientConfig{URL: *url, Tenant: *tenant, ClientID: *clientID, N: n, PageSize: *page, NoPrefetch: *noPrefetch, Work: *work})
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(r)
		}
	case "":
		err = orchestrate(ctx, *sizes, *page, *runs, *url, *tenant, *clientID, *asJSON, runOptions{noPrefetch: *noPrefetch, latency: *latency, work: *work})
	default:
		err = fmt.Errorf("unknown -role %q", *role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// runOptions are the knobs passed on to the server and client processes.
type runOptions struct {
	noPrefetch    bool
	latency, work time.Duration
}

func orchestrate(ctx context.Context, sizes string, page, runs int, url, tenant, clientID string, asJSON bool, ro runOptions) error {
	var ns []int
	for f := range strings.SplitSeq(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("bad -n %q", sizes)
		}
		ns = append(ns, n)
	}
	if runs < 1 {
		runs = 1
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench: %s %s/%s, %d CPUs, GOMAXPROCS %d, pages of %d, %d run(s) per size, prefetch %v, latency %v\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), page, runs, !ro.noPrefetch, ro.latency)
	var all []result
	for _, n := range ns {
		var rs []result
		for run := 0; run < runs; run++ {
			info := serverInfo{URL: url, Tenant: tenant, ClientID: clientID}
			var srv *exec.Cmd
			var srvIn io.WriteCloser
			if url == "" {
				srv, srvIn, info, err = startServer(ctx, exe, n, ro.latency)
				if err != nil {
					return err
				}
				fmt.Fprintf(os.Stderr, "bench: n=%d run %d: emulator pid %d seeded in %.2fs\n", n, run+1, info.PID, info.SeedSecs)
			}
			cpu0 := procCPU(info.PID)
			r, err := startClient(ctx, exe, info, n, page, ro)
			cpu1 := procCPU(info.PID)
			if srv != nil {
				srvIn.Close()
				_ = srv.Wait()
			}
			if err != nil {
				return err
			}
			if cpu0 >= 0 && cpu1 >= 0 && r.Listed > 0 {
				r.ServerCPUPerItemUS = (cpu1 - cpu0) / float64(r.Listed) * 1e6
			}
			fmt.Fprintf(os.Stderr, "bench: n=%d run %d: %.2fs wall, %.1f µs CPU/msg, %.0f MB max RSS\n", n, run+1, r.WallSecs, r.CPUPerItemUS, r.MaxRSSMB)
			rs = append(rs, *r)
		}
		all = append(all, median(rs))
	}
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		for _, r := range all {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "messages\twall s\tmsgs/s\tclient CPU µs/msg\tserver CPU µs/msg\tallocs/msg\tKB alloc/msg\tmax RSS MB\tpeak heap MB\tsign-in s\t")
	for _, r := range all {
		server := "n/a" // an emulator given by -url: its process is not ours to measure
		if r.ServerCPUPerItemUS > 0 {
			server = fmt.Sprintf("%.1f", r.ServerCPUPerItemUS)
		}
		fmt.Fprintf(tw, "%d\t%.2f\t%.0f\t%.1f\t%s\t%.1f\t%.2f\t%.1f\t%.1f\t%.3f\t\n",
			r.Listed, r.WallSecs, r.ItemsPerSec, r.CPUPerItemUS, server, r.AllocsPerItem, r.BytesPerItem/1024, r.MaxRSSMB, r.PeakHeapMB, r.SignInSecs)
	}
	return tw.Flush()
}

// median returns, field by field, the median of the runs: on a shared machine one slow
// run (another process took the CPU) must not decide the result.
func median(rs []result) result {
	m := rs[0]
	pick := func(get func(result) float64) float64 {
		vs := make([]float64, len(rs))
		for i, r := range rs {
			vs[i] = get(r)
		}
		slices.Sort(vs)
		if len(vs)%2 == 1 {
			return vs[len(vs)/2]
		}
		return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2
	}
	m.SignInSecs = pick(func(r result) float64 { return r.SignInSecs })
	m.WallSecs = pick(func(r result) float64 { return r.WallSecs })
	m.ItemsPerSec = pick(func(r result) float64 { return r.ItemsPerSec })
	m.CPUSecs = pick(func(r result) float64 { return r.CPUSecs })
	m.CPUPerItemUS = pick(func(r result) float64 { return r.CPUPerItemUS })
	m.AllocsPerItem = pick(func(r result) float64 { return r.AllocsPerItem })
	m.BytesPerItem = pick(func(r result) float64 { return r.BytesPerItem })
	m.MaxRSSMB = pick(func(r result) float64 { return r.MaxRSSMB })
	m.PeakHeapMB = pick(func(r result) float64 { return r.PeakHeapMB })
	m.ServerCPUPerItemUS = pick(func(r result) float64 { return r.ServerCPUPerItemUS })
	return m
}

// startServer runs this program with -role server and reads its first line.
func startServer(ctx context.Context, exe string, n int, latency time.Duration) (*exec.Cmd, io.WriteCloser, serverInfo, error) {
	cmd := exec.CommandContext(ctx, exe, "-role", "server", "-n", strconv.Itoa(n), "-latency", latency.String())
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, serverInfo{}, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, serverInfo{}, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, serverInfo{}, err
	}
	line, err := bufio.NewReader(out).ReadBytes('\n')
	var info serverInfo
	if err == nil {
		err = json.Unmarshal(line, &info)
	}
	if err != nil {
		in.Close()
		_ = cmd.Wait()
		return nil, nil, serverInfo{}, fmt.Errorf("starting the emulator process: %w", err)
	}
	info.PID = cmd.Process.Pid
	return cmd, in, info, nil
}

// startClient runs this program with -role client and decodes its result.
func startClient(ctx context.Context, exe string, info serverInfo, n, page int, ro runOptions) (*result, error) {
	args := []string{"-role", "client", "-n", strconv.Itoa(n), "-page", strconv.Itoa(page),
		"-url", info.URL, "-tenant", info.Tenant, "-client-id", info.ClientID, "-work", ro.work.String()}
	if ro.noPrefetch {
		args = append(args, "-no-prefetch")
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("client process: %w", err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("client process output: %w", err)
	}
	if r.Listed != n {
		return nil, fmt.Errorf("listed %d messages, want %d", r.Listed, n)
	}
	return &r, nil
}

// procCPU returns the user+system CPU seconds of process pid from /proc (Linux), or -1.
func procCPU(pid int) float64 {
	if pid == 0 {
		return -1
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// Fields after the parenthesised command name; utime and stime are fields 14 and 15.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return -1
	}
	ut, err1 := strconv.ParseFloat(f[11], 64)
	st, err2 := strconv.ParseFloat(f[12], 64)
	if err := errors.Join(err1, err2); err != nil {
		return -1
	}
	const ticks = 100 // USER_HZ on Linux
	return (ut + st) / ticks
}

func sinceSecs(t time.Time) float64 { return time.Since(t).Seconds() }
