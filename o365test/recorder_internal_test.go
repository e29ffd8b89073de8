package o365test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The recorder reads bodies without taking them from the request sent on, with and without
// GetBody, and decodes only JSON.
func TestRecordingBodies(t *testing.T) {
	const body = `{"subject":"hi","isRead":false}`
	for _, tt := range []struct {
		name, contentType string
		body              func() io.Reader
		want              map[string]any
	}{
		{"GetBody", "application/json", func() io.Reader { return strings.NewReader(body) }, map[string]any{"subject": "hi", "isRead": false}},
		{"no GetBody", "application/json; charset=utf-8", func() io.Reader { return io.MultiReader(strings.NewReader(body)) }, map[string]any{"subject": "hi", "isRead": false}},
		{"not JSON", "application/octet-stream", func() io.Reader { return strings.NewReader(body) }, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var forwarded string
			next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				b, err := io.ReadAll(r.Body)
				forwarded = string(b)
				return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: r}, err
			})
			a, b := new(Recorder), new(Recorder)
			rt := &recording{recs: []*Recorder{a, b}, next: next}
			req, err := http.NewRequest(http.MethodPost, "https://graph.example/v1.0/me/messages?%24select=id", tt.body())
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.contentType)
			if _, err := rt.RoundTrip(req); err != nil {
				t.Fatal(err)
			}
			if forwarded != body {
				t.Errorf("forwarded body %q, want %q", forwarded, body)
			}
			for _, rec := range []*Recorder{a, b} {
				got := rec.Take()
				if len(got) != 1 || got[0].Method != "POST" || got[0].Path != "/v1.0/me/messages" || got[0].Query != "%24select=id" {
					t.Fatalf("recorded %+v", got)
				}
				if diff := cmp.Diff(tt.want, got[0].Body); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestRecordingBodyError(t *testing.T) {
	rt := &recording{recs: []*Recorder{new(Recorder)}, next: roundTripFunc(func(*http.Request) (*http.Response, error) {
		t.Error("a request whose body failed was sent")
		return nil, nil
	})}
	req, _ := http.NewRequest(http.MethodPost, "https://graph.example/v1.0/me/messages", io.MultiReader(bytes.NewReader(nil), errReader{}))
	req.Header.Set("Content-Type", "application/json")
	if _, err := rt.RoundTrip(req); err == nil {
		t.Error("no error for a body that failed to read")
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
