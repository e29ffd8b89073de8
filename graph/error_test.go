package graph

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func testResponse(status int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader(body))}
}

var testService, _ = url.Parse("https://graph.microsoft.com/v1.0")

func TestErrorFromResponse(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	u, _ := url.Parse("https://graph.microsoft.com/v1.0/me/messages/AAMkAGI2THVSAAA1234567890abcdefghijklmnop?$select=subject")
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   *Error
	}{
		{
			name:   "graph error with nested inner errors",
			status: 404,
			header: http.Header{"Request-Id": {"rid-1"}, "Client-Request-Id": {"crid-1"}},
			body: `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store.",
				"innerError":{"date":"2026-11-26T11:59:59","request-id":"rid-inner","client-request-id":"crid-1",
				"innerError":{"code":"outer","innerError":{"code":"deepest"}}}}}`,
			want: &Error{StatusCode: 404, Code: "ErrorItemNotFound", Message: "The specified object was not found in the store.",
				InnerCode: "deepest", RequestID: "rid-1", ClientRequestID: "crid-1", Date: time.Date(2026, 11, 26, 11, 59, 59, 0, time.UTC)},
		},
		{
			name:   "lower-case innererror and request id only inside",
			status: 409,
			body:   `{"error":{"code":"nameAlreadyExists","message":"Name already exists","innererror":{"code":"conflict","request-id":"rid-2"}}}`,
			want:   &Error{StatusCode: 409, Code: "nameAlreadyExists", Message: "Name already exists", InnerCode: "conflict", RequestID: "rid-2"},
		},
		{
			name:   "throttled with retry-after and details",
			status: 429,
			header: http.Header{"Retry-After": {"41"}},
			body:   `{"error":{"code":"activityLimitReached","message":"Too many","details":[{"code":"x","message":"y","target":"z"}],"innerError":{"code":"throttledRequest"}}}`,
			want: &Error{StatusCode: 429, Code: "activityLimitReached", Message: "Too many", InnerCode: "throttledRequest", RetryAfter: 41 * time.Second,
				Details: []ErrorDetail{{Code: "x", Message: "y", Target: "z"}}, Hint: hintFor(&Error{StatusCode: 429})},
		},
		{
			name:   "identity platform error",
			status: 400,
			body:   `{"error":"invalid_grant","error_description":"AADSTS70008: expired"}`,
			want:   &Error{StatusCode: 400, Code: "invalid_grant", Message: "AADSTS70008: expired"},
		},
		{
			name:   "html from a proxy",
			status: 502,
			header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			body:   "<html>\n<body>\n  <h1>502 Bad Gateway</h1>\n</body></html>",
			want: &Error{StatusCode: 502, Message: "unexpected text/html error body (not a Graph error; a proxy or gateway may have answered)",
				Snippet: "<html> <body> <h1>502 Bad Gateway</h1> </body></html>"},
		},
		{
			name:   "truncated json",
			status: 500,
			body:   `{"error":{"code":"generalException","mess`,
			want:   &Error{StatusCode: 500, Message: "truncated or malformed JSON error body", Snippet: `{"error":{"code":"generalException","mess`},
		},
		{
			name:   "empty body",
			status: 503,
			header: http.Header{"Retry-After": {"Wed, 26 Nov 2026 12:00:30 GMT"}},
			want:   &Error{StatusCode: 503, RetryAfter: 30 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := errorFromResponse(testResponse(tt.status, tt.header, tt.body), "GET", u, testService, now)
			tt.want.Method = "GET"
			tt.want.Path = "/me/messages/AAMkAGI2THVSAAA1234567890abcdefghijklmnop"
			tt.want.URL = u.String()
			if tt.want.Hint == "" {
				tt.want.Hint = hintFor(tt.want)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    *Error
		want string
	}{
		{nil, "graph: <nil>"},
		{&Error{}, "graph: 0"},
		{
			&Error{StatusCode: 404, Code: "ErrorItemNotFound", Message: "The specified object was not found in the store.", RequestID: "r-1",
				Method: "GET", Path: "/me/messages/AAMkAGI2THVSAAA1234567890abcdefghijklmnop"},
			"graph: GET /me/messages/AAMkAGI2…: 404 ErrorItemNotFound: The specified object was not found in the store. (request-id r-1)",
		},
		{
			&Error{StatusCode: 502, Method: "GET", Path: "/me", Message: "unexpected text/html error body", Snippet: "<html>"},
			`graph: GET /me: 502 Bad Gateway: unexpected text/html error body: "<html>" (request-id missing)`,
		},
		{
			&Error{StatusCode: 400, Code: "BadRequest", Message: "/me request is only valid with delegated authentication flow.", Method: "GET", Path: "/me"},
			"graph: GET /me: 400 BadRequest: /me request is only valid with delegated authentication flow.; " +
				`an app-only token has no signed-in user: address the user with graph.User("id or UPN") instead of graph.Me`,
		},
	}
	for _, tt := range tests {
		if tt.e != nil {
			tt.e.Hint = hintFor(tt.e)
		}
		got := tt.e.Error()
		want := strings.Replace(tt.want, " (request-id missing)", "", 1)
		if got != want {
			t.Errorf("Error() =\n%s\nwant\n%s", got, want)
		}
	}
}

func TestErrorIs(t *testing.T) {
	t.Parallel()
	for sentinel, status := range sentinelStatus {
		var err error = fmt.Errorf("wrapped: %w", &Error{StatusCode: status})
		if !errors.Is(err, sentinel) {
			t.Errorf("status %d is not %v", status, sentinel)
		}
		if errors.Is(&Error{StatusCode: 299}, sentinel) {
			t.Errorf("status 299 is %v", sentinel)
		}
	}
	if !errors.Is(&Error{StatusCode: 503, Code: "activityLimitReached"}, ErrThrottled) {
		t.Error("activityLimitReached is not ErrThrottled")
	}
	var e *Error
	if !errors.As(fmt.Errorf("x: %w", &Error{StatusCode: 404, Code: "itemNotFound"}), &e) || e.Code != "itemNotFound" {
		t.Error("errors.As failed")
	}
}

func TestHints(t *testing.T) {
	t.Parallel()
	forbidden := hintFor(&Error{StatusCode: 403, Path: "/users/shared@contoso.com/messages"})
	for _, want := range []string{"scope", "consent", "Shared"} {
		if !strings.Contains(forbidden, want) {
			t.Errorf("403 hint %q does not mention %q", forbidden, want)
		}
	}
	if h := hintFor(&Error{StatusCode: 400, Path: "/users/x"}); h != "" {
		t.Errorf("plain 400 got hint %q", h)
	}
}

func TestForbiddenHints(t *testing.T) {
	t.Parallel()
	const permission = "lacks a permission"
	tests := []struct {
		name, code, inner, path string
		want                    string // a substring of the hint; "" for no hint
	}{
		{name: "no code", want: permission},
		{name: "accessDenied", code: "accessDenied", want: permission},
		{name: "AccessDenied any case", code: "AccessDenied", want: permission},
		{name: "ErrorAccessDenied", code: "ErrorAccessDenied", want: permission},
		{name: "Authorization_RequestDenied", code: "Authorization_RequestDenied", want: permission},
		{name: "Forbidden alone", code: "Forbidden", want: permission},
		{name: "Forbidden with numeric inner", code: "Forbidden", inner: "403", want: permission},
		{name: "Forbidden with accessDenied inner", code: "Forbidden", inner: "accessDenied", want: permission},
		{name: "shared mailbox", code: "ErrorAccessDenied", path: "/users/shared@contoso.com/messages", want: ".Shared scope"},
		{name: "distinguished folder", code: "ErrorDeleteDistinguishedFolder"},
		{name: "Forbidden with a specific inner", code: "Forbidden", inner: "ErrorDeleteDistinguishedFolder"},
		{name: "quota", code: "quotaLimitReached"},
		{name: "other specific on a user path", code: "ErrorCannotDeleteObject", path: "/users/x/messages/1"},
		{name: "send as", code: "ErrorSendAsDenied", want: "Send As"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if path == "" {
				path = "/me/mailFolders/inbox"
			}
			h := hintFor(&Error{StatusCode: 403, Code: tt.code, InnerCode: tt.inner, Path: path})
			switch {
			case tt.want == "" && h != "":
				t.Errorf("hint %q, want none", h)
			case tt.want != "" && !strings.Contains(h, tt.want):
				t.Errorf("hint %q, want it to mention %q", h, tt.want)
			}
			if tt.want != permission && tt.want != ".Shared scope" && strings.Contains(h, permission) {
				t.Errorf("hint %q blames a permission", h)
			}
		})
	}
}

func TestSyncStateExpired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    *Error
		want bool
	}{
		{&Error{StatusCode: 410, Code: "syncStateNotFound"}, true},
		{&Error{StatusCode: 410, Code: "SyncStateNotFound"}, true},
		{&Error{StatusCode: 410, Code: "SyncStateInvalid"}, true},
		{&Error{StatusCode: 410, Code: "resyncRequired"}, true},
		{&Error{StatusCode: 410, Code: "Gone", InnerCode: "resyncChangesApplyDifferences"}, true},
		{&Error{StatusCode: 410, Code: "somethingElse"}, false},
		{&Error{StatusCode: 400, Code: "syncStateNotFound"}, false},
	}
	for _, tt := range tests {
		err := fmt.Errorf("wrapped: %w", tt.e)
		if got := errors.Is(err, ErrSyncStateExpired); got != tt.want {
			t.Errorf("%d %s: Is(ErrSyncStateExpired) = %v, want %v", tt.e.StatusCode, tt.e.Code, got, tt.want)
		}
		if tt.want && !errors.Is(err, ErrGone) {
			t.Errorf("%s does not match ErrGone", tt.e.Code)
		}
		if h := hintFor(tt.e); (h != "") != tt.want {
			t.Errorf("%d %s: hint %q", tt.e.StatusCode, tt.e.Code, h)
		}
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://graph.microsoft.com/v1.0/me/messages?$top=10&$skiptoken=abc", "https://graph.microsoft.com/v1.0/me/messages?$top=10&$skiptoken=abc"},
		{"https://contoso.sharepoint.com/_api/up?guid='1'&tempauth=eyJ0eXAi.secret", "https://contoso.sharepoint.com/_api/up?guid='1'&tempauth=REDACTED"},
		{"https://outlook.office.com/api/v2.0/Users('x')/AttachmentSessions('y')?authtoken=eyJ.secret", "https://outlook.office.com/api/v2.0/Users('x')/AttachmentSessions('y')?authtoken=REDACTED"},
		{"http://127.0.0.1/cb?code=0.AXYZ&state=s&access_token=t&client_secret=s3", "http://127.0.0.1/cb?code=REDACTED&state=s&access_token=REDACTED&client_secret=REDACTED"},
		{"https://user:pass@example.com/x#frag", "https://example.com/x"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := redactURL(u); got != tt.want {
			t.Errorf("redactURL(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é<b>x</b>\n\t", 200)
	s := snippet([]byte(long))
	if n := utf8.RuneCountInString(s); n > maxSnippet {
		t.Errorf("snippet has %d runes, want at most %d", n, maxSnippet)
	}
	if !strings.HasSuffix(s, "…") {
		t.Errorf("long snippet %q does not end with an ellipsis", s)
	}
	if got := snippet([]byte("a\x00b\xffc")); got != "a?b?c" {
		t.Errorf("snippet of binary = %q", got)
	}
}

// FuzzErrorDecode feeds arbitrary bodies to the error decoder: it must never panic, and
// the result must print and stay bounded.
func FuzzErrorDecode(f *testing.F) {
	f.Add(`{"error":{"code":"a","message":"b","innerError":{"code":"c","innerError":{"code":"d"}}}}`, "application/json")
	f.Add(`{"error":"invalid_grant","error_description":"x"}`, "application/json")
	f.Add(`<html><body>bad gateway</body></html>`, "text/html")
	f.Add(`{"error":{"code":`, "")
	f.Add(`{"error":{"details":[{"code":1}]}}`, "application/json")
	f.Add(`{"error":null}`, "application/json")
	f.Add("\xff\xfe\x00", "application/octet-stream")
	f.Fuzz(func(t *testing.T, body, contentType string) {
		h := http.Header{"Content-Type": {contentType}, "Retry-After": {body}}
		e := errorFromResponse(testResponse(500, h, body), "GET", nil, nil, time.Now())
		s := e.Error()
		if !strings.HasPrefix(s, "graph: ") {
			t.Fatalf("Error() = %q", s)
		}
		if utf8.RuneCountInString(e.Snippet) > maxSnippet {
			t.Fatalf("snippet too long: %d", utf8.RuneCountInString(e.Snippet))
		}
		_ = errors.Is(e, ErrNotFound)
	})
}
