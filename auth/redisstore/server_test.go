package redisstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The tests share one real redis-server, started on first use and stopped by TestMain. It
// listens on a Unix socket only (--port 0 turns TCP off), so parallel test runs never collide
// on a port. Each test works under its own key prefix.
var server struct {
	once    sync.Once
	missing bool
	err     error
	sock    string
	dir     string
	cmd     *exec.Cmd
	exited  chan struct{}
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopServer()
	os.Exit(code)
}

// lockedBuffer collects the server's output for error messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startServer() {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		server.missing = true
		return
	}
	// os.MkdirTemp rather than t.TempDir: a Unix socket path must stay under ~100 bytes.
	dir, err := os.MkdirTemp("", "redisstore")
	if err != nil {
		server.err = err
		return
	}
	server.dir = dir
	server.sock = filepath.Join(dir, "redis.sock")
	var out lockedBuffer
	cmd := exec.Command(bin,
		"--port", "0", "--unixsocket", server.sock, "--unixsocketperm", "700",
		"--save", "", "--appendonly", "no", "--dir", dir, "--daemonize", "no", "--loglevel", "warning")
	cmd.Stdout, cmd.Stderr = &out, &out
	killWithParent(cmd)
	if err := cmd.Start(); err != nil {
		server.err = fmt.Errorf("starting redis-server: %w", err)
		return
	}
	server.cmd = cmd
	server.exited = make(chan struct{})
	go func() { _ = cmd.Wait(); close(server.exited) }()

	c := redis.NewClient(&redis.Options{Network: "unix", Addr: server.sock})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		if c.Ping(ctx).Err() == nil {
			return
		}
		select {
		case <-server.exited:
			server.err = fmt.Errorf("redis-server exited at start:\n%s", out.String())
			return
		case <-ctx.Done():
			server.err = fmt.Errorf("redis-server did not answer PING:\n%s", out.String())
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func stopServer() {
	if server.cmd != nil {
		_ = server.cmd.Process.Kill()
		<-server.exited
	}
	if server.dir != "" {
		_ = os.RemoveAll(server.dir)
	}
}

// newClient returns a client of the test server. Without redis-server on PATH the test is
// skipped, or fails when CI is set (CI installs it).
func newClient(t testing.TB) *redis.Client {
	t.Helper()
	server.once.Do(startServer)
	if server.missing {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not on PATH; CI must install it (apt-get install redis-server)")
		}
		t.Skip("redis-server is not on PATH: install it (apt-get install redis-server, brew install redis) to run the Redis store tests")
	}
	if server.err != nil {
		t.Fatal(server.err)
	}
	c := redis.NewClient(&redis.Options{Network: "unix", Addr: server.sock})
	t.Cleanup(func() { c.Close() })
	return c
}

// prefixes maps each test to its key prefix: the test's name and a random part, so that runs
// with -count share no keys.
var prefixes sync.Map

// testPrefix returns the key prefix of t.
func testPrefix(t testing.TB) string {
	p, _ := prefixes.LoadOrStore(t, "test:"+t.Name()+":"+rand.Text()[:8]+":")
	return p.(string)
}

// newStore returns a Store on its own client (as another process would have) under the test's
// prefix; opts come after the prefix, so they may override it.
func newStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	c := newClient(t)
	return New(c, append([]Option{WithPrefix(testPrefix(t))}, opts...)...)
}
