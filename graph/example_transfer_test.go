package graph_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/o365go/o365/graph"
)

func ExampleIANAToWindows() {
	for _, zone := range []string{"America/Vancouver", "US/Pacific", "Asia/Calcutta", "Etc/UTC"} {
		w, _ := graph.IANAToWindows(zone)
		fmt.Printf("%s → %s\n", zone, w)
	}
	// Output:
	// America/Vancouver → Pacific Standard Time
	// US/Pacific → Pacific Standard Time
	// Asia/Calcutta → India Standard Time
	// Etc/UTC → UTC
}

func ExampleNewDateTimeTimeZone() {
	paris, err := graph.LoadLocation("Europe/Paris")
	if err != nil {
		log.Fatal(err)
	}
	start := graph.NewDateTimeTimeZone(time.Date(2026, 3, 15, 9, 30, 0, 0, paris))
	fmt.Printf("%s in %s\n", start.DateTime, start.TimeZone)
	// Output: 2026-03-15T09:30:00.0000000 in Romance Standard Time
}

func ExampleDateTimeTimeZone_Time() {
	// As Graph sends an event's start with Prefer: outlook.timezone="Pacific Standard Time".
	start := graph.DateTimeTimeZone{DateTime: "2026-03-15T12:00:00.0000000", TimeZone: "Pacific Standard Time"}
	t, err := start.Time()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.UTC().Format(time.RFC3339))

	_, err = graph.DateTimeTimeZone{DateTime: "2026-03-15T12:00:00", TimeZone: "Atlantis Standard Time"}.Time()
	fmt.Println(err)
	// Output:
	// 2026-03-15T19:00:00Z
	// graph: unknown time zone "Atlantis Standard Time" (neither a Windows zone name nor an IANA zone in this system's tz database)
}

// Upload a large file to OneDrive: create the session, then let Upload send it in chunks,
// resuming after failures.
func ExampleClient_Upload() {
	ctx := context.Background()
	var c *graph.Client // from o365.Account.Client() or graph.NewClient

	f, err := os.Open("video.mp4")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		log.Fatal(err)
	}
	var s graph.UploadSession
	err = c.Post(ctx, "/me/drive/root:/Videos/video.mp4:/createUploadSession",
		map[string]any{"item": map[string]any{"@microsoft.graph.conflictBehavior": "rename"}}, &s)
	if err != nil {
		log.Fatal(err)
	}
	var item struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	_, err = c.Upload(ctx, &s, f, info.Size(), &item,
		graph.ChunkSize(20*graph.UploadChunkMultiple), // 6.25 MiB
		graph.UploadProgress(func(sent, total int64) { fmt.Printf("\r%d/%d", sent, total) }))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("\nuploaded", item.Name, item.ID)
}

// Attach a large file to a draft message: Outlook answers the last chunk with the new
// attachment's Location.
func ExampleClient_UploadReader() {
	ctx := context.Background()
	var c *graph.Client
	msgID := "AAMkAGI2..."

	f, err := os.Open("report.pdf")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	var s graph.UploadSession
	err = c.Post(ctx, "/me/messages/"+msgID+"/attachments/createUploadSession", map[string]any{
		"AttachmentItem": map[string]any{"attachmentType": "file", "name": "report.pdf", "size": info.Size()},
	}, &s)
	if err != nil {
		log.Fatal(err)
	}
	// Any io.Reader will do; UploadReader holds one chunk in memory.
	res, err := c.UploadReader(ctx, &s, f, info.Size(), nil, graph.ChunkSize(12*graph.UploadChunkMultiple))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("attachment at", res.Location)
}

// Keep the session when an upload fails, save it, and finish later (even in another process).
func ExampleClient_ResumeUpload() {
	ctx := context.Background()
	var c *graph.Client
	var s graph.UploadSession // from createUploadSession
	f, _ := os.Open("backup.tar")
	defer f.Close()
	const size = 5 << 30

	_, err := c.Upload(ctx, &s, f, size, nil, graph.KeepSessionOnError())
	var ue *graph.UploadError
	if errors.As(err, &ue) && ue.Session != nil {
		// Later: the saved session (it is plain JSON) and the same file.
		if _, err := c.ResumeUpload(ctx, ue.Session, f, size, nil); err != nil {
			log.Fatal(err)
		}
	}
}

// Download a drive item to a file, with four connections at once.
func ExampleClient_Download() {
	ctx := context.Background()
	var c *graph.Client
	out, err := os.Create("video.mp4")
	if err != nil {
		log.Fatal(err)
	}
	defer out.Close()
	n, err := c.Download(ctx, "/me/drive/items/01BYE5RZ.../content", out,
		graph.ParallelDownload(4, 8<<20),
		graph.DownloadProgress(func(written, total int64) { fmt.Printf("\r%d/%d", written, total) }))
	if err != nil {
		log.Fatal(err) // out holds whatever arrived; DownloadOffset(n) resumes sequentially
	}
	fmt.Println("\ndownloaded", n, "bytes")
}
