package identity

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// oauthError is an identity platform error answer.
type oauthError struct {
	status   int    // HTTP status
	code     string // OAuth error, e.g. "invalid_grant"
	aadsts   int    // AADSTS number
	msg      string // text after "AADSTSnnnn: "
	suberror string // e.g. "basic_action"
	claims   string // claims challenge for Conditional Access
}

func (e *oauthError) Error() string { return fmt.Sprintf("%s: AADSTS%d: %s", e.code, e.aadsts, e.msg) }

func newErr(status int, code string, aadsts int, format string, args ...any) *oauthError {
	return &oauthError{status: status, code: code, aadsts: aadsts, msg: fmt.Sprintf(format, args...)}
}

// The error catalogue. Texts follow the identity platform's wording.

func errTenantNotFound(t string) *oauthError {
	return newErr(400, "invalid_request", 90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", t)
}

func errMissingParam(name string) *oauthError {
	return newErr(400, "invalid_request", 900144, "The request body must contain the following parameter: '%s'.", name)
}

func errUnknownApp(clientID, tenant string) *oauthError {
	return newErr(400, "unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, tenant)
}

func errRedirectMismatch(uri, clientID string) *oauthError {
	return newErr(400, "invalid_request", 50011, "The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.", uri, clientID)
}

func errNoReplyAddress(clientID string) *oauthError {
	return newErr(400, "invalid_request", 500113, "No reply address is registered for the application '%s'.", clientID)
}

func errBadSecret(clientID string) *oauthError {
	return newErr(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID)
}

func errNoClientAuth() *oauthError {
	return newErr(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
}

func errPublicWithSecret() *oauthError {
	return newErr(401, "invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
}

func errAssertion(aadsts int, format string, args ...any) *oauthError {
	return newErr(401, "invalid_client", aadsts, format, args...)
}

func errCodeExpired() *oauthError {
	return newErr(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
}

func errRefreshInactive(issued time.Time, inactive time.Duration) *oauthError {
	return newErr(400, "invalid_grant", 700082, "The refresh token has expired due to inactivity. The token was issued on %s and was inactive for %s.",
		issued.UTC().Format("2006-01-02T15:04:05.0000000Z07:00"), formatSpan(inactive))
}

func errCodeRedeemed() *oauthError {
	return newErr(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
}

func errGrantInvalid(what string) *oauthError {
	return newErr(400, "invalid_grant", 70000, "The provided value for the '%s' is not valid.", what)
}

func errMalformedGrant() *oauthError {
	return newErr(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.")
}

func errPKCEMismatch() *oauthError {
	return newErr(400, "invalid_grant", 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.")
}

func errPKCEMissing() *oauthError {
	return newErr(400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
}

func errRedirectMismatchAtToken(got, want string) *oauthError {
	return newErr(400, "invalid_grant", 500112, "The reply address '%s' does not match the reply address '%s' provided when requesting Authorization code.", got, want)
}

func errConsent(a *App) *oauthError {
	return newErr(400, "invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '%s' named '%s'. Send an interactive authorization request for this user and resource.", a.ClientID, a.Name)
}

func errBadCredentials() *oauthError {
	return newErr(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.")
}

func errInvalidScope(s string) *oauthError {
	return newErr(400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope '%s' is not valid.", s)
}

func errClientCredentialsScope(s string) *oauthError {
	return newErr(400, "invalid_scope", 1002012, "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", s)
}

func errUnsupportedGrant(g string) *oauthError {
	return newErr(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'.", g)
}

func errPostOnly(method string) *oauthError {
	return newErr(400, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a %s request.", method)
}

func errDevicePending() *oauthError {
	return newErr(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
}

func errDeviceSlowDown() *oauthError {
	return newErr(400, "slow_down", 70016, "OAuth 2.0 device flow error. Authorization is pending. Polling too frequently; wait for the interval before polling again.")
}

func errDeviceExpired() *oauthError {
	return newErr(400, "expired_token", 70019, "Verification code expired.")
}

func errDeviceDeclined() *oauthError {
	return newErr(400, "authorization_declined", 65004, "User declined to consent to access the app.")
}

func errDeviceBadCode() *oauthError {
	return newErr(400, "bad_verification_code", 70018, "Invalid verification code. The device code was not recognized.")
}

// mfaClaims is the claims challenge sent with AADSTS50076; clients pass it
// back on the interactive request.
const mfaClaims = `{"access_token":{"capolids":{"essential":true,"values":["00000000-0000-0000-0000-00000000c0a1"]}}}`

func errMFARequired() *oauthError {
	e := newErr(400, "invalid_grant", 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '%s'.", GraphAppID)
	e.suberror, e.claims = "basic_action", mfaClaims
	return e
}

func errGrantRevoked() *oauthError {
	return newErr(400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
}

func errUserNotFound(upn, tenant string) *oauthError {
	return newErr(400, "invalid_grant", 50034, "The user account %s does not exist in the %s directory. To sign into this application, the account must be added to the directory.", upn, tenant)
}

// formatSpan renders d like .NET's TimeSpan ("90.00:00:00"), as AADSTS
// messages do.
func formatSpan(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	days := int64(d / (24 * time.Hour))
	d -= time.Duration(days) * 24 * time.Hour
	h := int64(d / time.Hour)
	d -= time.Duration(h) * time.Hour
	m := int64(d / time.Minute)
	d -= time.Duration(m) * time.Minute
	s := int64(d / time.Second)
	if days > 0 {
		return fmt.Sprintf("%d.%02d:%02d:%02d", days, h, m, s)
	}
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
}

// errorBody is the JSON the token, devicecode and discovery endpoints use.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
	Suberror         string `json:"suberror,omitempty"`
	Claims           string `json:"claims,omitempty"`
}

// describe renders the error_description with its trace lines, as the
// service does, and returns the ids it used.
func (p *Provider) describe(r *http.Request, e *oauthError) (desc, trace, corr, ts string) {
	trace = newGUID()
	corr = r.Header.Get("client-request-id")
	if !validGUID(corr) {
		corr = newGUID()
	}
	ts = p.now().UTC().Format("2006-01-02 15:04:05Z")
	desc = "AADSTS" + strconv.Itoa(e.aadsts) + ": " + e.msg +
		"\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + corr + "\r\nTimestamp: " + ts
	return desc, trace, corr, ts
}

// writeError answers with the identity platform's JSON error.
func (p *Provider) writeError(w http.ResponseWriter, r *http.Request, e *oauthError) {
	desc, trace, corr, ts := p.describe(r, e)
	body := errorBody{
		Error:            e.code,
		ErrorDescription: desc,
		ErrorCodes:       []int{e.aadsts},
		Timestamp:        ts,
		TraceID:          trace,
		CorrelationID:    corr,
		ErrorURI:         p.issuerBase(r) + "/error?code=" + strconv.Itoa(e.aadsts),
		Suberror:         e.suberror,
		Claims:           e.claims,
	}
	h := w.Header()
	h.Set("x-ms-request-id", trace)
	h.Set("client-request-id", corr)
	if e.status == http.StatusUnauthorized {
		// RFC 6749 §5.2: invalid_client answered 401 names the scheme.
		h.Set("WWW-Authenticate", `Basic realm="`+p.cfg.TenantID+`"`)
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// validGUID reports whether s looks like 8-4-4-4-12 hex.
func validGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// tenantNotFound answers an unknown tenant segment: an HTML page on the
// browser routes, JSON elsewhere.
func (p *Provider) tenantNotFound(w http.ResponseWriter, r *http.Request, tenant, route string) {
	e := errTenantNotFound(tenant)
	if route == routeAuthorize || route == routeLogout {
		p.renderErrorPage(w, r, e)
		return
	}
	p.writeError(w, r, e)
}
