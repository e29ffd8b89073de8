package drive_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// sleepRecorder replaces the client's sleeps: it records each wait (Retry-After included)
// and returns at once, so the test proves the client waits as told without waiting.
type sleepRecorder struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) count(atLeast time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.sleeps {
		if d >= atLeast {
			n++
		}
	}
	return n
}

// bigSize is the size of the fault-injection transfer: 1 GiB, or 64 MiB with -short;
// O365_DRIVE_BIG_MB overrides.
func bigSize(t *testing.T) int64 {
	if v := os.Getenv("O365_DRIVE_BIG_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("O365_DRIVE_BIG_MB=%q", v)
		}
		return int64(n) << 20
	}
	if testing.Short() {
		return 64 << 20
	}
	return 1 << 30
}

// addFaults makes about 10 % of the matching requests fail: drops, 503 and 429 (with a
// Retry-After of 3 s), seeded so that runs repeat.
func addFaults(t *testing.T, srv *emulator.Server, method, path string) []*emulator.FaultRule {
	t.Helper()
	var rules []*emulator.FaultRule
	for _, f := range []emulator.Fault{
		{Name: "drop", Method: method, Path: path, Kind: emulator.FaultDrop, Probability: 0.034},
		{Name: "503", Method: method, Path: path, Status: 503, RetryAfter: 3 * time.Second, Probability: 0.034},
		{Name: "429", Method: method, Path: path, Status: 429, RetryAfter: 3 * time.Second, Probability: 0.034},
	} {
		r, err := srv.Faults().Add(f)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	return rules
}

// A large upload and download through the emulator with about 10 % of the transfer
// requests failing (dropped connections, 503, 429 with Retry-After) complete byte-identical.
// The data come from a seeded PRNG, never held whole by the test.
func TestLargeTransferWithFaults(t *testing.T) {
	size := bigSize(t)
	rec := &sleepRecorder{}
	acct, srv := o365test.Start(t, o365test.WithAccountOptions(o365.WithClientOptions(graph.WithClock(nil, rec.sleep))))
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data := newPRNGData(42, size)
	up := addFaults(t, srv, "PUT", "uploadSession")
	start := time.Now()
	var calls int
	// About 100 chunks whatever the size, so that faults have requests to hit.
	chunk := min(max(size/100/drive.ChunkMultiple, 1), 32) * drive.ChunkMultiple
	it, err := root.Upload(ctx, "big.bin", readerAtOnly{data}, size, &drive.UploadOptions{
		ChunkSize:  chunk,
		MaxRetries: 20,
		Progress:   func(int64, int64) { calls++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	upTime := time.Since(start)
	if it.Size != size {
		t.Fatalf("uploaded size %d", it.Size)
	}
	fired, throttled := 0, 0
	for i, r := range up {
		fired += r.Fired()
		if i > 0 {
			throttled += r.Fired()
		}
		r.Remove()
	}
	if fired == 0 {
		t.Fatal("no fault fired during the upload")
	}
	down := addFaults(t, srv, "GET", "download.aspx")
	start = time.Now()
	// About 100 ranges on 4 connections, so that each range is a request faults can hit.
	cw := &compareWriterAt{d: data}
	n, err := it.Download(ctx, cw, &drive.DownloadOptions{MaxRetries: 20, Workers: 4, ChunkSize: max(size/100, 1<<20), NoHashCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	downTime := time.Since(start)
	if n != size || cw.written != size || cw.bad != 0 {
		t.Fatalf("downloaded %d bytes (%d written), first difference at %d", n, cw.written, cw.bad-1)
	}
	dfired := 0
	for i, r := range down {
		dfired += r.Fired()
		if i > 0 {
			throttled += r.Fired()
		}
	}
	// Every 429/503 made the client wait its Retry-After (3 s) before going on.
	if throttled > 0 && rec.count(3*time.Second) == 0 {
		t.Error("no wait of Retry-After's length was recorded")
	}
	t.Logf("%d MiB: upload %v (%.0f MB/s, %d faults), download %v (%.0f MB/s, %d faults), %d waits >= 3s",
		size>>20, upTime.Round(time.Millisecond), float64(size)/1e6/upTime.Seconds(), fired,
		downTime.Round(time.Millisecond), float64(size)/1e6/downTime.Seconds(), dfired, rec.count(3*time.Second))
}

// readerAtOnly hides everything but ReadAt.
type readerAtOnly struct{ r *prngData }

func (r readerAtOnly) ReadAt(p []byte, off int64) (int, error) { return r.r.ReadAt(p, off) }

func (r readerAtOnly) Read([]byte) (int, error) {
	return 0, errors.New("readerAtOnly: Read called")
}

// The child half of TestResumeAfterKill: it uploads with a session file and prints a line
// per chunk until the parent kills it.
func TestMain(m *testing.M) {
	if os.Getenv("O365_DRIVE_CHILD") == "upload" {
		if err := childUpload(); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func childUpload() error {
	env := func(k string) string { return os.Getenv("O365_DRIVE_CHILD_" + k) }
	size, _ := strconv.ParseInt(env("SIZE"), 10, 64)
	tok := env("TOKEN")
	c, err := graph.NewClient(staticToken(tok), graph.WithProtocol(graph.Protocol{BaseURL: env("URL")}))
	if err != nil {
		return err
	}
	folder := drive.New(c, graph.Me).DriveByID(env("DRIVE")).ItemRef(env("FOLDER"))
	_, err = folder.Upload(context.Background(), "resume.bin", readerAtOnly{newPRNGData(7, size)}, size, &drive.UploadOptions{
		ChunkSize:   drive.ChunkMultiple,
		SessionFile: env("SESSION"),
		Progress: func(sent, total int64) {
			fmt.Printf("sent %d\n", sent)
			time.Sleep(20 * time.Millisecond) // give the parent time to kill mid-upload
		},
	})
	return err
}

type staticToken string

func (s staticToken) AccessToken(context.Context, bool) (string, error) { return string(s), nil }

// An upload killed mid-way (the process ends without any cleanup) is finished by another
// process from the saved session: only the missing bytes are sent.
func TestResumeAfterKill(t *testing.T) {
	const size = 40 * drive.ChunkMultiple
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	root, err := d.Root(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := acct.AccessToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	sessionFile := filepath.Join(t.TempDir(), "resume.bin"+drive.SessionFileSuffix)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		"O365_DRIVE_CHILD=upload",
		"O365_DRIVE_CHILD_SIZE="+strconv.Itoa(size),
		"O365_DRIVE_CHILD_TOKEN="+tok,
		"O365_DRIVE_CHILD_URL="+srv.URL(),
		"O365_DRIVE_CHILD_DRIVE="+d.ID,
		"O365_DRIVE_CHILD_FOLDER="+root.ID,
		"O365_DRIVE_CHILD_SESSION="+sessionFile,
	)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	lines := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "sent ") {
			lines++
		}
		if lines == 8 {
			_ = cmd.Process.Kill()
			break
		}
	}
	_ = cmd.Wait()
	if lines < 8 {
		t.Fatalf("the child stopped after %d chunks: %s", lines, stderr.String())
	}
	p, err := drive.LoadPendingUpload(sessionFile)
	if err != nil {
		t.Fatal(err)
	}
	// The parent resumes: it asks the service where it stands and sends the rest.
	before := len(srv.Requests())
	data := newPRNGData(7, size)
	it, err := d.ResumeUpload(ctx, p, readerAtOnly{data}, &drive.UploadOptions{ChunkSize: drive.ChunkMultiple})
	if err != nil {
		t.Fatal(err)
	}
	puts := 0
	for _, r := range srv.Requests()[before:] {
		if r.Method == "PUT" {
			puts++
		}
	}
	if puts == 0 || puts > 40-7 {
		t.Errorf("resume sent %d chunks of 40 after 8 were acknowledged", puts)
	}
	cw := &compareWriter{d: data}
	if _, err := it.Download(ctx, cw, nil); err != nil || cw.bad != 0 || cw.off != size {
		t.Fatalf("resumed file differs: %v at %d", err, cw.bad-1)
	}
}
