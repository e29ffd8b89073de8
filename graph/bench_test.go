package graph

import (
	"context"
	stdjson "encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// benchMessage is a full Graph message (every v1.0 property a list returns), typed like an
// area model would be.
type benchMessage struct {
	ODataEtag                  string       `json:"@odata.etag"`
	ID                         string       `json:"id"`
	CreatedDateTime            time.Time    `json:"createdDateTime"`
	LastModifiedDateTime       time.Time    `json:"lastModifiedDateTime"`
	ChangeKey                  string       `json:"changeKey"`
	Categories                 []string     `json:"categories"`
	ReceivedDateTime           time.Time    `json:"receivedDateTime"`
	SentDateTime               time.Time    `json:"sentDateTime"`
	HasAttachments             bool         `json:"hasAttachments"`
	InternetMessageID          string       `json:"internetMessageId"`
	Subject                    string       `json:"subject"`
	BodyPreview                string       `json:"bodyPreview"`
	Importance                 string       `json:"importance"`
	ParentFolderID             string       `json:"parentFolderId"`
	ConversationID             string       `json:"conversationId"`
	ConversationIndex          string       `json:"conversationIndex"`
	IsDeliveryReceiptRequested bool         `json:"isDeliveryReceiptRequested"`
	IsReadReceiptRequested     bool         `json:"isReadReceiptRequested"`
	IsRead                     bool         `json:"isRead"`
	IsDraft                    bool         `json:"isDraft"`
	WebLink                    string       `json:"webLink"`
	InferenceClassification    string       `json:"inferenceClassification"`
	Body                       benchBody    `json:"body"`
	UniqueBody                 *benchBody   `json:"uniqueBody,omitempty"`
	Sender                     benchRecip   `json:"sender"`
	From                       benchRecip   `json:"from"`
	ToRecipients               []benchRecip `json:"toRecipients"`
	CcRecipients               []benchRecip `json:"ccRecipients"`
	BccRecipients              []benchRecip `json:"bccRecipients"`
	ReplyTo                    []benchRecip `json:"replyTo"`
	Flag                       benchFlag    `json:"flag"`
	InternetMessageHeaders     []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"internetMessageHeaders"`
}

type benchBody struct {
	ContentType string `json:"contentType"`
	Content     string `json:"content"`
}

type benchRecip struct {
	EmailAddress struct {
		Name    string `json:"name"`
		Address string `json:"address"`
	} `json:"emailAddress"`
}

type benchFlag struct {
	FlagStatus        string     `json:"flagStatus"`
	StartDateTime     *benchDTTZ `json:"startDateTime,omitempty"`
	DueDateTime       *benchDTTZ `json:"dueDateTime,omitempty"`
	CompletedDateTime *benchDTTZ `json:"completedDateTime,omitempty"`
}

type benchDTTZ struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

// benchMessageJSON returns a realistic message of about 3.6 KB.
func benchMessageJSON(i int) string {
	id := fmt.Sprintf("AAMkAGI2THVSAAA%08dAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAAAAEJAACAF6-XJ8Y4TRyKHH9VdsY7%08d", i, i)
	t := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
	recip := func(n int) string {
		return fmt.Sprintf(`{"emailAddress":{"name":"Person %d Example","address":"person%d@contoso.onmicrosoft.com"}}`, n, n)
	}
	content := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div dir=\"ltr\"><p>Hello team,</p><p>" +
		strings.Repeat("Please find the quarterly figures attached and review them before the meeting on Thursday. ", 12) +
		"</p><p>Thanks,<br>Adele</p></div></body></html>"
	return `{"@odata.etag":"W/\"CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAAAAAAA\"",` +
		`"id":"` + id + `",` +
		`"createdDateTime":"` + t + `","lastModifiedDateTime":"` + t + `",` +
		`"changeKey":"CQAAABYAAAAiIsqMbYjsT5e/T7KzowPTAAAAAAAA","categories":["Blue category","Project X"],` +
		`"receivedDateTime":"` + t + `","sentDateTime":"` + t + `","hasAttachments":false,` +
		`"internetMessageId":"<BYAPR03MB4` + strconv.Itoa(i) + `@BYAPR03MB4.namprd03.prod.outlook.com>",` +
		`"subject":"Quarterly figures ` + strconv.Itoa(i) + `","bodyPreview":"Hello team, Please find the quarterly figures attached and review them before the meeting on Thursday. Please find the quarterly figures attached and review them before the meeting",` +
		`"importance":"normal","parentFolderId":"AQMkAGI2TAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEMAAAA=",` +
		`"conversationId":"AAQkAGI2TAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","conversationIndex":"AQHXAAAAAAAAAAAAAAAAAAAAAAAAAA==",` +
		`"isDeliveryReceiptRequested":false,"isReadReceiptRequested":false,"isRead":` + strconv.FormatBool(i%2 == 0) + `,"isDraft":false,` +
		`"webLink":"https://outlook.office365.com/owa/?ItemID=` + id + `&exvsurl=1&viewmodel=ReadMessageItem","inferenceClassification":"focused",` +
		`"body":{"contentType":"html","content":` + strconv.Quote(content) + `},` +
		`"sender":` + recip(1) + `,"from":` + recip(1) + `,` +
		`"toRecipients":[` + recip(2) + `,` + recip(3) + `,` + recip(4) + `],"ccRecipients":[` + recip(5) + `,` + recip(6) + `],"bccRecipients":[],"replyTo":[` + recip(1) + `],` +
		`"flag":{"flagStatus":"notFlagged"}}`
}

// benchServer serves total messages in pages of pageSize at /v1.0/me/messages.
func benchServer(tb testing.TB, total, pageSize int) *httptest.Server {
	return benchServerLatency(tb, total, pageSize, 0)
}

// benchServerLatency is benchServer answering each page after latency, as the real
// service does (10-300 ms a page).
func benchServerLatency(tb testing.TB, total, pageSize int, latency time.Duration) *httptest.Server {
	pages := map[int][]byte{}
	var mu sync.Mutex
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		skip, _ := strconv.Atoi(r.URL.Query().Get("$skip"))
		mu.Lock()
		body, ok := pages[skip]
		if !ok {
			var b strings.Builder
			b.WriteString(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('me')/messages",`)
			if skip+pageSize < total {
				b.WriteString(`"@odata.nextLink":"` + srv.URL + `/v1.0/me/messages?%24top=` + strconv.Itoa(pageSize) + `&%24skip=` + strconv.Itoa(skip+pageSize) + `",`)
			}
			b.WriteString(`"value":[`)
			for i := skip; i < min(total, skip+pageSize); i++ {
				if i > skip {
					b.WriteByte(',')
				}
				b.WriteString(benchMessageJSON(i))
			}
			b.WriteString("]}")
			body = []byte(b.String())
			pages[skip] = body
		}
		mu.Unlock()
		time.Sleep(latency)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkListPages lists 5 pages of 999 full messages per op through List, and through
// plain loops with encoding/json and with json v2 for comparison. Per-message figures are
// reported as ns/msg, B/msg and allocs/msg.
//
//	go test -run '^$' -bench BenchmarkListPages -benchmem ./graph/
func BenchmarkListPages(b *testing.B) {
	const pageSize, pages = 999, 5
	const total = pageSize * pages
	if n := len(benchMessageJSON(12345)); n < 3400 || n > 3900 {
		b.Fatalf("message JSON is %d bytes, want about 3.6 KB", n)
	}
	srv := benchServer(b, total, pageSize)
	ctx := context.Background()
	// cpu is the process's CPU time (client and the in-process server together).
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	var cpuStart time.Duration
	start := func() { cpuStart = cpu() }
	report := func(b *testing.B, n int) {
		msgs := float64(b.N * n)
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/msgs, "ns/msg")
		b.ReportMetric(float64((cpu()-cpuStart).Nanoseconds())/msgs, "cpu-ns/msg")
	}
	plain := func(b *testing.B, decode func(*http.Response, *pageWire[benchMessage]) error) {
		n := 0
		start()
		for b.Loop() {
			next := srv.URL + "/v1.0/me/messages?$top=999"
			for next != "" {
				resp, err := http.Get(next)
				if err != nil {
					b.Fatal(err)
				}
				var p pageWire[benchMessage]
				if err := decode(resp, &p); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				n += len(p.Value)
				next = p.NextLink
			}
		}
		if n != total*b.N {
			b.Fatalf("listed %d, want %d", n, total*b.N)
		}
		report(b, total)
	}
	b.Run("plain-encoding-json", func(b *testing.B) {
		plain(b, func(r *http.Response, p *pageWire[benchMessage]) error { return stdjson.NewDecoder(r.Body).Decode(p) })
	})
	b.Run("plain-json-v2", func(b *testing.B) {
		plain(b, func(r *http.Response, p *pageWire[benchMessage]) error { return jsonv2.UnmarshalRead(r.Body, p) })
	})
	for _, prefetch := range []bool{false, true} {
		b.Run("List/prefetch="+strconv.FormatBool(prefetch), func(b *testing.B) {
			c, err := NewClient(nil, WithProtocol(Protocol{BaseURL: srv.URL}))
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			start()
			for b.Loop() {
				for m, err := range List[benchMessage](ctx, c, "/me/messages", &ListOptions{PageSize: pageSize, NoPrefetch: !prefetch}) {
					if err != nil {
						b.Fatal(err)
					}
					if m.ID == "" {
						b.Fatal("empty id")
					}
					n++
				}
			}
			if n != total*b.N {
				b.Fatalf("listed %d, want %d", n, total*b.N)
			}
			report(b, total)
		})
	}
	// With 50 ms of latency a page and a caller that spends 20 µs on each message, the
	// prefetch hides the fetch and decode of the next page behind the caller's work.
	slow := benchServerLatency(b, total, pageSize, 50*time.Millisecond)
	for _, prefetch := range []bool{false, true} {
		b.Run("List/latency=50ms/work=20us/prefetch="+strconv.FormatBool(prefetch), func(b *testing.B) {
			c, err := NewClient(nil, WithProtocol(Protocol{BaseURL: slow.URL}))
			if err != nil {
				b.Fatal(err)
			}
			start()
			for b.Loop() {
				for _, err := range List[benchMessage](ctx, c, "/me/messages", &ListOptions{PageSize: pageSize, NoPrefetch: !prefetch}) {
					if err != nil {
						b.Fatal(err)
					}
					for t0 := time.Now(); time.Since(t0) < 20*time.Microsecond; {
					}
				}
			}
			report(b, total)
		})
	}
}
