package graph

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors matched by *Error through errors.Is, e.g. errors.Is(err, graph.ErrNotFound).
var (
	ErrBadRequest         = errors.New("graph: bad request")         // 400
	ErrUnauthorized       = errors.New("graph: unauthorized")        // 401
	ErrForbidden          = errors.New("graph: forbidden")           // 403
	ErrNotFound           = errors.New("graph: not found")           // 404
	ErrConflict           = errors.New("graph: conflict")            // 409
	ErrGone               = errors.New("graph: gone")                // 410 (e.g. an expired delta token)
	ErrPreconditionFailed = errors.New("graph: precondition failed") // 412 (ETag mismatch)
	ErrThrottled          = errors.New("graph: throttled")           // 429
	ErrServiceUnavailable = errors.New("graph: service unavailable") // 503

	// ErrSyncStateExpired matches a 410 Gone that says the service forgot a delta
	// query's sync state (codes syncStateNotFound, syncStateInvalid, resyncRequired and
	// the resync* inner codes), and every 410 of Delta.Changes. Such errors also match
	// ErrGone. Start a new round without a deltaLink (Error.Location, when set, is where
	// the service says to start) and reconcile what you hold by id.
	ErrSyncStateExpired = errors.New("graph: delta sync state expired: start a new round without a deltaLink")
)

var sentinelStatus = map[error]int{
	ErrBadRequest:         http.StatusBadRequest,
	ErrUnauthorized:       http.StatusUnauthorized,
	ErrForbidden:          http.StatusForbidden,
	ErrNotFound:           http.StatusNotFound,
	ErrConflict:           http.StatusConflict,
	ErrGone:               http.StatusGone,
	ErrPreconditionFailed: http.StatusPreconditionFailed,
	ErrThrottled:          http.StatusTooManyRequests,
	ErrServiceUnavailable: http.StatusServiceUnavailable,
}

// Error is a failure answered by Graph (a non-2xx response, or a failed $batch item).
// Use errors.Is with the Err* sentinels for the common cases and errors.As for the details.
// Code against Code and InnerCode, never Message.
type Error struct {
	StatusCode      int
	Code            string        // Graph's error code, e.g. "ErrorItemNotFound", "itemNotFound"
	Message         string        // human-readable message from Graph
	InnerCode       string        // the innermost innerError code, when Graph nests them
	Target          string        // error.target, when present
	RequestID       string        // request-id: quote it to Microsoft support
	ClientRequestID string        // the client-request-id the client sent
	Date            time.Time     // when Graph answered
	RetryAfter      time.Duration // the Retry-After Graph asked for (0 when absent)
	Method          string        // the request's method
	Path            string        // the request path relative to the service URL (or host+path for other hosts), no query
	URL             string        // the full request URL with secret query values removed
	Details         []ErrorDetail // error.details
	Snippet         string        // the start of a body that was not a Graph error (an HTML page, a cut connection), at most 200 characters
	Hint            string        // what to do about it, when known
	Location        string        // the Location header, when sent (a 410 for an expired delta may name where to start over); not part of Error()
}

// ErrorDetail is one entry of a Graph error's details.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target,omitempty"`
}

// Error reads like
// "graph: GET /me/messages/AAMkAGI2…: 404 ErrorItemNotFound: The specified object was not found. (request-id …)".
// It never panics, even on a nil or zero *Error.
func (e *Error) Error() string {
	if e == nil {
		return "graph: <nil>"
	}
	var b strings.Builder
	b.WriteString("graph: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method)
		if e.Path != "" {
			if e.Method != "" {
				b.WriteByte(' ')
			}
			b.WriteString(shortPath(e.Path))
		}
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	switch {
	case e.Code != "":
		b.WriteByte(' ')
		b.WriteString(e.Code)
	case http.StatusText(e.StatusCode) != "":
		b.WriteByte(' ')
		b.WriteString(http.StatusText(e.StatusCode))
	}
	if e.InnerCode != "" && e.InnerCode != e.Code {
		b.WriteString(" (")
		b.WriteString(e.InnerCode)
		b.WriteByte(')')
	}
	if msg := strings.TrimSpace(e.Message); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.Snippet != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(e.Snippet))
	}
	if e.RequestID != "" {
		b.WriteString(" (request-id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Is reports whether target is the sentinel for e's status (ErrThrottled also matches
// Graph's throttling codes sent with other statuses).
func (e *Error) Is(target error) bool {
	if e == nil {
		return false
	}
	if target == ErrSyncStateExpired {
		return e.StatusCode == http.StatusGone && (isSyncStateCode(e.Code) || isSyncStateCode(e.InnerCode))
	}
	st, ok := sentinelStatus[target]
	if !ok {
		return false
	}
	if target == ErrThrottled && (strings.EqualFold(e.Code, "activityLimitReached") || strings.EqualFold(e.InnerCode, "throttledRequest")) {
		return true
	}
	return e.StatusCode == st
}

// isSyncStateCode reports whether code says a delta sync state is gone: Outlook's
// SyncStateNotFound and SyncStateInvalid, and resyncRequired with OneDrive's
// resyncChangesApplyDifferences and resyncChangesUploadDifferences.
func isSyncStateCode(code string) bool {
	c := strings.ToLower(code)
	return c == "syncstatenotfound" || c == "syncstateinvalid" || strings.HasPrefix(c, "resync")
}

// shortPath shortens long path segments (Graph ids are 100+ characters) for messages.
func shortPath(p string) string {
	const keep, max = 8, 24
	if len(p) <= max {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if utf8.RuneCountInString(s) > max {
			r := []rune(s)
			segs[i] = string(r[:keep]) + "…"
		}
	}
	return strings.Join(segs, "/")
}

// maxErrorBody bounds how much of an error body is read.
const maxErrorBody = 64 << 10

// maxSnippet bounds Error.Snippet.
const maxSnippet = 200

// wireError is Graph's error body. The identity platform sends "error" as a string with
// "error_description"; both shapes are accepted.
type wireError struct {
	Error            rawJSON `json:"error"`
	ErrorDescription string  `json:"error_description"`
}

type wireErrorObject struct {
	Code       string        `json:"code"`
	Message    string        `json:"message"`
	Target     string        `json:"target"`
	Details    []ErrorDetail `json:"details"`
	InnerError *wireInner    `json:"innerError"`
}

type wireInner struct {
	Code            string     `json:"code"`
	RequestID       string     `json:"request-id"`
	ClientRequestID string     `json:"client-request-id"`
	Date            string     `json:"date"`
	InnerError      *wireInner `json:"innerError"`
}

// errorFromResponse reads (at most maxErrorBody of) resp's body, closes it, and returns the
// *Error for it.
func errorFromResponse(resp *http.Response, method string, u *url.URL, service *url.URL, now time.Time) *Error {
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	e := &Error{
		StatusCode:      resp.StatusCode,
		Method:          method,
		RequestID:       resp.Header.Get("request-id"),
		ClientRequestID: resp.Header.Get("client-request-id"),
	}
	if u != nil {
		e.Path = displayPath(u, service)
		e.URL = redactURL(u)
	}
	if e.ClientRequestID == "" && resp.Request != nil {
		e.ClientRequestID = resp.Request.Header.Get("client-request-id")
	}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		e.Date = d
	}
	if ra, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		e.RetryAfter = ra
	}
	e.Location = resp.Header.Get("Location")
	decodeErrorBody(e, body, resp.Header.Get("Content-Type"), readErr)
	e.Hint = hintFor(e)
	return e
}

// decodeErrorBody fills e from a Graph error body. Bodies that are not Graph errors (HTML
// from a proxy, a body cut short) leave a snippet and say so in Message.
func decodeErrorBody(e *Error, body []byte, contentType string, readErr error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		if readErr != nil {
			e.Message = "error body cut short: " + readErr.Error()
		}
		return
	}
	var w wireError
	if err := unmarshalJSON(trimmed, &w); err == nil && len(w.Error) > 0 {
		var obj wireErrorObject
		var s string
		switch {
		case unmarshalJSON(w.Error, &obj) == nil:
			e.Code, e.Message, e.Target, e.Details = obj.Code, obj.Message, obj.Target, obj.Details
			for in, depth := obj.InnerError, 0; in != nil && depth < 32; in, depth = in.InnerError, depth+1 {
				if in.Code != "" {
					e.InnerCode = in.Code
				}
				if in.RequestID != "" && e.RequestID == "" {
					e.RequestID = in.RequestID
				}
				if in.ClientRequestID != "" && e.ClientRequestID == "" {
					e.ClientRequestID = in.ClientRequestID
				}
				if t, ok := parseGraphDate(in.Date); ok && e.Date.IsZero() {
					e.Date = t
				}
			}
			return
		case unmarshalJSON(w.Error, &s) == nil:
			e.Code, e.Message = s, w.ErrorDescription
			return
		}
	}
	// Not a Graph error: describe what came instead.
	e.Snippet = snippet(trimmed)
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case readErr != nil:
		e.Message = "error body cut short (" + readErr.Error() + ")"
	case looksLikeJSON(trimmed):
		e.Message = "truncated or malformed JSON error body"
	case mt != "":
		e.Message = "unexpected " + mt + " error body (not a Graph error; a proxy or gateway may have answered)"
	default:
		e.Message = "unexpected error body (not a Graph error)"
	}
}

func looksLikeJSON(b []byte) bool { return len(b) > 0 && (b[0] == '{' || b[0] == '[') }

// snippet returns at most maxSnippet printable characters of b, whitespace collapsed.
func snippet(b []byte) string {
	var sb strings.Builder
	n := 0
	space := false
	for len(b) > 0 && n < maxSnippet {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r == utf8.RuneError && size <= 1 {
			r = '?'
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if !unicode.IsPrint(r) {
			r = '?'
		}
		if space && n > 0 {
			sb.WriteByte(' ')
			n++
			if n >= maxSnippet {
				break
			}
		}
		space = false
		sb.WriteRune(r)
		n++
	}
	s := sb.String()
	if len(b) > 0 && n >= maxSnippet {
		r := []rune(s)
		s = string(r[:maxSnippet-1]) + "…"
	}
	return s
}

func parseGraphDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", http.TimeFormat} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// hintFor says what to do about the errors whose cause is usually the caller's setup.
func hintFor(e *Error) string {
	p := strings.ToLower(e.Path)
	msg := strings.ToLower(e.Message)
	switch e.StatusCode {
	case http.StatusBadRequest:
		if (p == "/me" || strings.HasPrefix(p, "/me/")) && (strings.Contains(msg, "delegated") || strings.Contains(msg, "/me request")) {
			return `an app-only token has no signed-in user: address the user with graph.User("id or UPN") instead of graph.Me`
		}
	case http.StatusUnauthorized:
		return "the access token was rejected (expired, revoked, or issued for another resource or cloud): sign in again"
	case http.StatusForbidden:
		if strings.EqualFold(e.Code, "ErrorSendAsDenied") {
			return "the signed-in user may not send as (or on behalf of) the From address: have Send As or Send on Behalf granted on that mailbox"
		}
		if !accessDenied(e) {
			return "" // a specific refusal (e.g. deleting a well-known folder): its message says why
		}
		h := "the token lacks a permission this call needs: request the scope (delegated) or application role and have it consented"
		if strings.HasPrefix(p, "/users/") {
			h += "; for another user's or a shared mailbox the signed-in user also needs access to it and a .Shared scope (e.g. Mail.Read.Shared)"
		}
		return h
	case http.StatusGone:
		if e.Is(ErrSyncStateExpired) {
			return "the delta sync state expired: start a new round without a deltaLink and reconcile by id"
		}
	case http.StatusPreconditionFailed:
		return "the item changed since it was read (ETag mismatch): read it again and reapply the change"
	case http.StatusTooManyRequests:
		return "throttled by Graph beyond the retry budget: slow down or raise RetryPolicy.MaxWait"
	}
	return ""
}

// accessDeniedCodes are the 403 codes that mean the caller lacks a permission, as opposed
// to a refusal of this particular operation (ErrorDeleteDistinguishedFolder,
// ErrorSendAsDenied, ...).
var accessDeniedCodes = []string{
	"accessDenied",                // Graph's generic code (OneDrive, SharePoint, ...)
	"ErrorAccessDenied",           // Exchange
	"Authorization_RequestDenied", // directory: "Insufficient privileges to complete the operation."
	"Forbidden",                   // generic, when no more specific code follows
}

// accessDenied reports whether a 403 is about permissions: its code (or, under a generic
// code, its inner code) is an access-denied code, or the service gave no code at all.
func accessDenied(e *Error) bool {
	generic := e.Code == "" || strings.EqualFold(e.Code, "Forbidden")
	if generic && (e.InnerCode == "" || isDigits(e.InnerCode)) { // inner codes like "403" add nothing
		return true
	}
	code := e.Code
	if generic {
		code = e.InnerCode
	}
	for _, c := range accessDeniedCodes {
		if strings.EqualFold(code, c) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// displayPath is u's path relative to the service root when u is on the service host, or
// host+path otherwise; never the query.
func displayPath(u, service *url.URL) string {
	p := u.EscapedPath()
	if service != nil && strings.EqualFold(u.Host, service.Host) {
		root := service.EscapedPath()
		if rest, ok := strings.CutPrefix(p, root); ok && (rest == "" || rest[0] == '/') {
			if rest == "" {
				rest = "/"
			}
			return rest
		}
		return p
	}
	return u.Host + p
}

// secretParams are query parameters whose values are credentials: pre-authenticated upload
// and download URLs (tempauth, authtoken), OAuth codes and tokens, signatures.
var secretParams = []string{
	"access_token", "refresh_token", "id_token", "token", "authtoken", "tempauth", "code",
	"client_secret", "client_assertion", "assertion", "password", "sig", "signature", "key",
	"x-amz-signature", "x-amz-credential", "x-amz-security-token",
}

func isSecretParam(k string) bool {
	k = strings.ToLower(k)
	for _, s := range secretParams {
		if k == s {
			return true
		}
	}
	return strings.Contains(k, "token") || strings.Contains(k, "secret") || strings.Contains(k, "auth")
}

// redactURL returns u as a string with the values of secret query parameters replaced,
// and any user info removed.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	c.Fragment, c.RawFragment = "", ""
	if c.RawQuery != "" {
		c.RawQuery = redactQuery(c.RawQuery)
	}
	return c.String()
}

// redactQuery works on the raw query so that the order and the encoding of the other
// parameters stay as sent.
func redactQuery(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if hasValue && name != "$skiptoken" && name != "$deltatoken" && isSecretParam(name) {
			parts[i] = k + "=REDACTED"
		}
	}
	return strings.Join(parts, "&")
}
