package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Test with errors.Is; an *Error matches the ones its OAuth error code and
// AADSTS numbers imply, so callers need not know the codes.
var (
	// ErrNoToken: the store holds no token for the key (nobody signed in).
	ErrNoToken = errors.New("auth: no token stored")
	// ErrLoginRequired: the user must sign in again interactively (no refresh token, or the
	// refresh token expired, was revoked, or needs MFA or consent).
	ErrLoginRequired = errors.New("auth: sign-in required")
	// ErrInvalidGrant: the identity platform rejected a code, refresh token or password.
	ErrInvalidGrant = errors.New("auth: invalid grant")
	// ErrInteractionRequired: a Conditional Access policy (MFA, new location...) needs the user.
	ErrInteractionRequired = errors.New("auth: user interaction required")
	// ErrConsentRequired: the user or an admin has not consented to the requested permissions.
	ErrConsentRequired = errors.New("auth: consent required")
	// ErrInvalidClient: the client id, secret or certificate was rejected.
	ErrInvalidClient = errors.New("auth: invalid client credentials")
	// ErrInvalidScope: a requested scope is unknown or not allowed for the flow.
	ErrInvalidScope = errors.New("auth: invalid scope")
	// ErrAuthorizationDeclined: the user declined the sign-in (device code or consent page).
	ErrAuthorizationDeclined = errors.New("auth: authorization declined by the user")
	// ErrDeviceCodeExpired: the device code expired before the user signed in.
	ErrDeviceCodeExpired = errors.New("auth: device code expired")
	// ErrStateMismatch: the redirect's state does not match the flow (possible CSRF); the code
	// was not redeemed.
	ErrStateMismatch = errors.New("auth: state mismatch in redirect")
	// ErrTenantRequired: the flow needs a specific tenant (id or domain), not common,
	// organizations or consumers.
	ErrTenantRequired = errors.New("auth: a specific tenant is required for this flow")
)

// AADSTS numbers that imply a sentinel beyond the OAuth error code.
var (
	interactionCodes = []int{50076, 50079, 50078, 50158, 50125, 50133, 50173, 50097, 16000}
	consentCodes     = []int{65001, 65004, 90094}
	reloginCodes     = []int{70008, 700082, 70000, 700084, 50173, 50133, 70043, 700222}
)

// Error is an error answer from the Microsoft identity platform (or another OAuth 2.0 server):
// the OAuth error code, the description and the AADSTS numbers. It never holds the request, so
// no secret can leak through it.
type Error struct {
	StatusCode    int    // HTTP status (0 when the error came in a redirect)
	Code          string // OAuth error: invalid_grant, interaction_required, ...
	Description   string // error_description, e.g. "AADSTS70008: The provided ..."
	Codes         []int  // error_codes, e.g. [70008]
	SubError      string // suberror, e.g. basic_action, consent_required, bad_token
	Claims        string // claims challenge for Conditional Access, if any
	TraceID       string
	CorrelationID string
	ErrorURI      string
	// Op is the step that failed: a grant type ("refresh_token", "device_code", ...),
	// "devicecode" or "authorize".
	Op string
}

// AADSTS returns the first AADSTS number, or 0.
func (e *Error) AADSTS() int {
	if e == nil {
		return 0
	}
	if len(e.Codes) > 0 {
		return e.Codes[0]
	}
	// Redirect errors carry the number only in the description.
	d := e.Description
	if strings.HasPrefix(d, "AADSTS") {
		end := len("AADSTS")
		for end < len(d) && d[end] >= '0' && d[end] <= '9' {
			end++
		}
		n, _ := strconv.Atoi(d[len("AADSTS"):end])
		return n
	}
	return 0
}

// Error reads like "auth: refresh_token: invalid_grant: AADSTS70008: The provided ...". Only the
// first line of the description is kept (the rest is trace and correlation ids).
func (e *Error) Error() string {
	if e == nil {
		return "auth: <nil>"
	}
	var b strings.Builder
	b.WriteString("auth: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Code != "" {
		b.WriteString(e.Code)
	} else {
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	}
	desc := firstLine(e.Description)
	if n := e.AADSTS(); n != 0 && !strings.HasPrefix(desc, "AADSTS") {
		fmt.Fprintf(&b, ": AADSTS%d", n)
	}
	if desc != "" {
		b.WriteString(": ")
		b.WriteString(desc)
	}
	if e.SubError != "" {
		fmt.Fprintf(&b, " (suberror %s)", e.SubError)
	}
	return b.String()
}

// Is reports whether the error matches one of the package's sentinels.
func (e *Error) Is(target error) bool {
	if e == nil {
		return false
	}
	has := func(list []int) bool {
		return slices.ContainsFunc(e.Codes, func(c int) bool { return slices.Contains(list, c) }) ||
			(len(e.Codes) == 0 && slices.Contains(list, e.AADSTS()))
	}
	switch target {
	case ErrInvalidGrant:
		return e.Code == "invalid_grant"
	case ErrInteractionRequired:
		return e.Code == "interaction_required" || e.SubError == "basic_action" || has(interactionCodes)
	case ErrConsentRequired:
		return e.Code == "consent_required" || e.SubError == "consent_required" || has(consentCodes)
	case ErrInvalidClient:
		return e.Code == "invalid_client" || e.Code == "unauthorized_client"
	case ErrInvalidScope:
		return e.Code == "invalid_scope"
	case ErrAuthorizationDeclined:
		return e.Code == "authorization_declined" || e.Code == "access_denied"
	case ErrDeviceCodeExpired:
		return e.Code == "expired_token" || e.Code == "code_expired"
	case ErrLoginRequired:
		return e.Code == "interaction_required" || e.Code == "consent_required" || e.Code == "login_required" ||
			(e.Code == "invalid_grant" && (e.Op == "refresh_token" || has(reloginCodes) || has(interactionCodes) || has(consentCodes)))
	}
	return false
}

// errorBody is the identity platform's error JSON.
type errorBody struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	SubError      string `json:"suberror"`
	Claims        string `json:"claims"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	ErrorURI      string `json:"error_uri"`
}

// parseError decodes an error answer. Bodies that are not the expected JSON (a proxy's HTML
// page, a truncated answer) still give an *Error with the status and a short snippet.
func parseError(status int, body []byte, op string) *Error {
	e := &Error{StatusCode: status, Op: op}
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil && eb.Error != "" {
		e.Code = eb.Error
		e.Description = eb.Description
		e.Codes = eb.Codes
		e.SubError = eb.SubError
		e.Claims = eb.Claims
		e.TraceID = eb.TraceID
		e.CorrelationID = eb.CorrelationID
		e.ErrorURI = eb.ErrorURI
		return e
	}
	e.Description = snippet(body, 200)
	return e
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// snippet returns at most n bytes of b as printable text on one line.
func snippet(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
		for len(b) > 0 && !utf8.Valid(b) {
			b = b[:len(b)-1]
		}
	}
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, string(b))
	return strings.TrimSpace(s)
}
