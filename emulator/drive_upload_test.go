package emulator

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/o365go/o365/graph"
)

// staticToken is a graph.TokenSource with one token.
type staticToken string

func (s staticToken) AccessToken(context.Context, bool) (string, error) { return string(s), nil }

func driveClient(t testing.TB, s *Server, tok string) *graph.Client {
	t.Helper()
	c, err := graph.NewClient(staticToken(tok),
		graph.WithProtocol(graph.Protocol{BaseURL: s.URL()}),
		graph.WithClock(s.Now, func(ctx context.Context, d time.Duration) error { return ctx.Err() }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDriveUploadThroughFaults pushes a file through the library's upload
// and download against upload and download URLs that fail one request in
// ten (drops, 503 and 429 with Retry-After), and checks the bytes and the
// QuickXorHash.
func TestDriveUploadThroughFaults(t *testing.T) {
	s, _, tok := driveServer(t, "")
	ctx := context.Background()
	c := driveClient(t, s, tok)
	data := make([]byte, 12<<20+12345)
	r := rand.New(rand.NewPCG(7, 7))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	var sess graph.UploadSession
	if err := c.Post(ctx, "/me/drive/root:/Big/data.bin:/createUploadSession", map[string]any{"item": map[string]any{"@microsoft.graph.conflictBehavior": "replace"}}, &sess); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Fault{
		{Path: "^/_api/v2.0/drives/", Kind: FaultDrop, Probability: 0.04},
		{Path: "^/_api/v2.0/drives/", Kind: FaultStatus, Status: 503, Probability: 0.03, RetryAfter: time.Second},
		{Path: "^/_api/v2.0/drives/", Kind: FaultStatus, Status: 429, Probability: 0.03, RetryAfter: 2 * time.Second},
		{Path: "^/_layouts/15/download", Kind: FaultTruncate, Probability: 0.1},
	} {
		if _, err := s.Faults().Add(f); err != nil {
			t.Fatal(err)
		}
	}
	var item map[string]any
	res, err := c.Upload(ctx, &sess, bytes.NewReader(data), int64(len(data)), &item, graph.ChunkSize(960<<10), graph.UploadRetries(50))
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if res.StatusCode != 201 || item["size"].(float64) != float64(len(data)) {
		t.Fatalf("result %+v %v", res, item["size"])
	}
	fired := 0
	for _, e := range s.Requests() {
		if e.Fault != "" {
			fired++
		}
	}
	if fired == 0 {
		t.Fatal("no fault fired")
	}
	var buf bytes.Buffer
	if _, err := c.Download(ctx, "/me/drive/items/"+item["id"].(string)+"/content", &buf, graph.DownloadRetries(50)); err != nil {
		t.Fatalf("download: %v", err)
	}
	if !bytes.Equal(buf.Bytes(), data) {
		t.Fatal("downloaded bytes differ")
	}
}

// BenchmarkDriveUploadSession measures upload-session throughput in the
// emulator alone (10 MiB fragments of a 100 MiB file, one session per
// iteration).
func BenchmarkDriveUploadSession(b *testing.B) {
	s := Start(b)
	tok := tokenFor(b, s, s.DefaultUser().UPN, driveScopes)
	ctx := context.Background()
	c := driveClient(b, s, tok)
	data := make([]byte, 100<<20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var sess graph.UploadSession
		if err := c.Post(ctx, "/me/drive/root:/bench.bin:/createUploadSession", map[string]any{}, &sess); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Upload(ctx, &sess, bytes.NewReader(data), int64(len(data)), nil); err != nil {
			b.Fatal(err)
		}
	}
}
