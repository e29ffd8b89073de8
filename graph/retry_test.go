package graph

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 315 ", 315 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"1.0001", 1001 * time.Millisecond, true},
		{"3600", time.Hour, true},
		{"-1", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"soon", 0, false},
		{"Wed, 26 Nov 2026 12:02:00 GMT", 2 * time.Minute, true},
		{"Wednesday, 26-Nov-26 12:00:10 GMT", 10 * time.Second, true},
		{"Wed, 26 Nov 2026 11:00:00 GMT", 0, true},
		{"1e400", 0, false},
		{"1e12", time.Duration(1<<30) * time.Second, true},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
		// The exported form reads the same value from a header.
		h := http.Header{}
		if tt.in != "" {
			h.Set("Retry-After", tt.in)
		}
		if got, ok := RetryAfter(h, now); got != tt.want || ok != tt.wantOK {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{}.withDefaults()
	maxRnd := func(n int64) int64 { return n - 1 }
	tests := []struct {
		n    int
		want time.Duration
	}{
		{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {7, 60 * time.Second}, {100, 60 * time.Second}, {10000, 60 * time.Second},
	}
	for _, tt := range tests {
		if got := p.backoff(tt.n, maxRnd) + 1; got != tt.want {
			t.Errorf("backoff(%d) ceiling = %v, want %v", tt.n, got, tt.want)
		}
		if got := p.backoff(tt.n, func(int64) int64 { return 0 }); got != 0 {
			t.Errorf("backoff(%d) floor = %v, want 0", tt.n, got)
		}
		if got := p.backoff(tt.n, nil); got < 0 || got >= tt.want {
			t.Errorf("backoff(%d) = %v, outside [0, %v)", tt.n, got, tt.want)
		}
	}
}

func TestRetryDecisions(t *testing.T) {
	t.Parallel()
	def := RetryPolicy{}.withDefaults()
	noPatch := RetryPolicy{NoPatchRetry: true}.withDefaults()
	tests := []struct {
		p      RetryPolicy
		status int
		method string
		want   bool
	}{
		{def, 429, "POST", true},
		{def, 503, "POST", false},
		{def, 504, "POST", false},
		{def, 503, "GET", true},
		{def, 504, "DELETE", true},
		{def, 503, "PUT", true},
		{def, 503, "PATCH", true},
		{noPatch, 503, "PATCH", false},
		{noPatch, 429, "PATCH", true},
		{def, 500, "GET", true},
		{def, 500, "POST", false},
		{def, 500, "PUT", true},
		{def, 502, "GET", true},
		{def, 502, "DELETE", true},
		{def, 502, "POST", false},
		{def, 509, "GET", true},
		{def, 509, "PATCH", true},
		{def, 509, "POST", false},
		{noPatch, 500, "PATCH", false},
		{noPatch, 502, "PATCH", false},
		{def, 501, "GET", false},
		{def, 505, "GET", false},
		{def, 507, "PUT", false},
		{def, 404, "GET", false},
		{def, 409, "PUT", false},
	}
	for _, tt := range tests {
		if got := tt.p.retryStatus(tt.status, tt.method); got != tt.want {
			t.Errorf("retryStatus(%d, %s) NoPatchRetry=%v = %v, want %v", tt.status, tt.method, tt.p.NoPatchRetry, got, tt.want)
		}
	}
	if p := (RetryPolicy{MaxRetries: -1}).withDefaults(); p.MaxRetries != 0 {
		t.Errorf("MaxRetries -1 gave %d", p.MaxRetries)
	}
	for _, err := range []error{io.EOF, io.ErrUnexpectedEOF, fmt.Errorf("read: %w", syscall.ECONNRESET), errAttemptTimeout} {
		if !retryableNetError(err) {
			t.Errorf("%v is not retryable", err)
		}
	}
	for _, err := range []error{errors.New("x509: certificate signed by unknown authority"), http.ErrUseLastResponse} {
		if retryableNetError(err) {
			t.Errorf("%v is retryable", err)
		}
	}
}
