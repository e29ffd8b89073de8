package emulator

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// BenchmarkListMessages lists a 100,000-message mailbox in pages of 999,
// following @odata.nextLink; it reports the cost per message served
// (server and the raw HTTP read, no JSON decoding of the items).
func BenchmarkListMessages(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 100_000
	if err := s.SeedMessages(s.DefaultUser().UPN, n); err != nil {
		b.Fatal(err)
	}
	tok := tokenFor(b, s, s.DefaultUser().UPN, "Mail.Read")
	b.ResetTimer()
	cpu0 := cpuTime()
	total := 0
	for i := 0; i < b.N; i++ {
		next := s.URL() + "/v1.0/me/messages?$top=999"
		for next != "" {
			req, _ := http.NewRequest("GET", next, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("status %d: %.300s", resp.StatusCode, body)
			}
			// Only the paging link is extracted and the items counted: the
			// cost measured is the server's and the transport's.
			total += bytes.Count(body, []byte(`{"@odata.etag":`))
			next = ""
			if i := bytes.LastIndex(body, []byte(`"@odata.nextLink":"`)); i >= 0 {
				rest := body[i+len(`"@odata.nextLink":"`):]
				next = string(rest[:bytes.IndexByte(rest, '"')])
			}
		}
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	if total != n*b.N {
		b.Fatalf("listed %d, want %d", total, n*b.N)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(total)/1000, "µs/msg")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(total)/1000, "cpu-µs/msg")
}

// BenchmarkSeedMessages measures SeedMessages.
func BenchmarkSeedMessages(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.SeedMessages(s.DefaultUser().UPN, 10_000); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*10_000)/1000, "µs/msg")
}

// discardWriter is a ResponseWriter that drops the body.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkServePage measures the handler alone (no network): one page of
// 999 messages from a 100,000-message mailbox, per message served.
func BenchmarkServePage(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedMessages(s.DefaultUser().UPN, 100_000); err != nil {
		b.Fatal(err)
	}
	tok := tokenFor(b, s, s.DefaultUser().UPN, "Mail.Read")
	req, _ := http.NewRequest("GET", s.URL()+"/v1.0/me/messages?$top=999&$skip=50000", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		clear(w.h)
		s.ServeHTTP(w, req)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*999)/1000, "µs/msg")
}
