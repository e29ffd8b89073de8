package auth

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testTenant = "contoso.onmicrosoft.com"
	testClient = "11111111-2222-3333-4444-555555555555"
	testSecret = "s3cr3t-value-never-printed"
	testUser   = "adele@contoso.com"
	testPass   = "p4ssw0rd-never-printed"
)

// clock is a fake clock shared by the App and the fake identity platform.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type codeGrant struct {
	challenge, redirect, scope string
}

// fakeIdP is a small Microsoft identity platform: authorize (auto-approve), token (all grants,
// PKCE, rotating refresh tokens, secret or assertion), devicecode (scripted answers).
type fakeIdP struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	n        int
	codes    map[string]codeGrant
	refresh  map[string]bool // live refresh tokens
	grants   []string        // grant_type of every token request
	forms    []url.Values
	cert     *x509.Certificate
	device   []string // answers to successive device polls: "pending", "slow_down", "declined", "expired", "ok"
	failNext *errorBody
	gate     chan struct{} // if set, refresh grants wait on it

	refreshes atomic.Int32
	expiresIn int
}

func newFakeIdP(t *testing.T) *fakeIdP {
	f := &fakeIdP{t: t, codes: map[string]codeGrant{}, refresh: map[string]bool{}, expiresIn: 3600}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{tenant}/oauth2/v2.0/authorize", f.authorize)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/token", f.token)
	mux.HandleFunc("POST /{tenant}/oauth2/v2.0/devicecode", f.devicecode)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeIdP) next(prefix string) string {
	f.n++
	return fmt.Sprintf("%s-%d", prefix, f.n)
}

func (f *fakeIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "pkce required", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	code := f.next("code")
	f.codes[code] = codeGrant{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), scope: q.Get("scope")}
	f.mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	v := url.Values{"code": {code}, "state": {q.Get("state")}}
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthErr(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	writeJSON(w, status, map[string]any{
		"error": code, "error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: x\r\nCorrelation ID: y", aadsts, desc),
		"error_codes": []int{aadsts}, "trace_id": "trace", "correlation_id": "corr",
	})
}

func fakeIDToken(user string) string {
	enc := base64.RawURLEncoding.EncodeToString
	claims, _ := json.Marshal(map[string]string{"preferred_username": user, "oid": "oid-" + user, "tid": "tid-1"})
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(claims) + "."
}

func (f *fakeIdP) issue(w http.ResponseWriter, user, scope string, withRefresh bool) {
	f.mu.Lock()
	resp := map[string]any{
		"token_type": "Bearer", "access_token": f.next("at"), "expires_in": f.expiresIn, "scope": scope,
	}
	if withRefresh {
		rt := f.next("rt")
		f.refresh[rt] = true
		resp["refresh_token"] = rt
	}
	f.mu.Unlock()
	if user != "" {
		resp["id_token"] = fakeIDToken(user)
	}
	writeJSON(w, http.StatusOK, resp)
}

func (f *fakeIdP) checkClient(w http.ResponseWriter, form url.Values, tokenURL string) bool {
	if form.Get("client_id") != testClient {
		oauthErr(w, 400, "unauthorized_client", 700016, "Application not found")
		return false
	}
	switch {
	case form.Get("client_secret") != "":
		if form.Get("client_secret") != testSecret {
			oauthErr(w, 401, "invalid_client", 7000215, "Invalid client secret provided.")
			return false
		}
	case form.Get("client_assertion") != "":
		if err := verifyAssertion(form.Get("client_assertion"), f.cert, tokenURL); err != nil {
			oauthErr(w, 401, "invalid_client", 700027, "Client assertion failed signature validation: "+err.Error())
			return false
		}
	}
	return true
}

func (f *fakeIdP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", 400)
		return
	}
	form := r.PostForm
	grant := form.Get("grant_type")
	f.mu.Lock()
	f.grants = append(f.grants, grant)
	f.forms = append(f.forms, form)
	fail := f.failNext
	f.failNext = nil
	gate := f.gate
	f.mu.Unlock()
	if fail != nil {
		writeJSON(w, 400, fail)
		return
	}
	if !f.checkClient(w, form, "http://"+r.Host+r.URL.Path) {
		return
	}
	switch grant {
	case "authorization_code":
		f.mu.Lock()
		g, ok := f.codes[form.Get("code")]
		delete(f.codes, form.Get("code"))
		f.mu.Unlock()
		if !ok {
			oauthErr(w, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired.")
			return
		}
		sum := sha256.Sum256([]byte(form.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			oauthErr(w, 400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
			return
		}
		if form.Get("redirect_uri") != g.redirect {
			oauthErr(w, 400, "invalid_grant", 50148, "redirect_uri mismatch")
			return
		}
		f.issue(w, testUser, g.scope, true)
	case "refresh_token":
		f.refreshes.Add(1)
		if gate != nil {
			<-gate
		}
		f.mu.Lock()
		ok := f.refresh[form.Get("refresh_token")]
		delete(f.refresh, form.Get("refresh_token")) // rotation: the old one is spent
		f.mu.Unlock()
		if !ok {
			oauthErr(w, 400, "invalid_grant", 70008, "The refresh token has expired or was revoked.")
			return
		}
		f.issue(w, testUser, form.Get("scope"), true)
	case "client_credentials":
		if form.Get("client_secret") == "" && form.Get("client_assertion") == "" {
			oauthErr(w, 401, "invalid_client", 7000218, "client_assertion or client_secret required")
			return
		}
		f.issue(w, "", form.Get("scope"), false)
	case "password":
		if form.Get("username") != testUser || form.Get("password") != testPass {
			oauthErr(w, 400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.")
			return
		}
		f.issue(w, testUser, form.Get("scope"), true)
	case "urn:ietf:params:oauth:grant-type:device_code":
		f.mu.Lock()
		ans := "ok"
		if len(f.device) > 0 {
			ans, f.device = f.device[0], f.device[1:]
		}
		f.mu.Unlock()
		switch ans {
		case "pending":
			oauthErr(w, 400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending.")
		case "slow_down":
			oauthErr(w, 400, "slow_down", 70016, "slow down")
		case "declined":
			oauthErr(w, 400, "authorization_declined", 70002, "The user declined.")
		case "expired":
			oauthErr(w, 400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid.")
		default:
			f.issue(w, testUser, form.Get("scope"), true)
		}
	default:
		oauthErr(w, 400, "unsupported_grant_type", 70003, "unsupported")
	}
}

func (f *fakeIdP) devicecode(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	if r.PostForm.Get("client_secret") != "" {
		oauthErr(w, 400, "invalid_request", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
		return
	}
	writeJSON(w, 200, map[string]any{
		"device_code": "dev-code-secret", "user_code": "ABCD-EFGH", "verification_uri": "https://microsoft.com/devicelogin",
		"expires_in": 900, "interval": 5, "message": "To sign in, ...",
	})
}

func (f *fakeIdP) grantCount(grant string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, g := range f.grants {
		if g == grant {
			n++
		}
	}
	return n
}

func (f *fakeIdP) lastForm() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.forms) == 0 {
		return nil
	}
	return f.forms[len(f.forms)-1]
}

// verifyAssertion checks a client assertion as Entra ID does.
func verifyAssertion(jwt string, cert *x509.Certificate, tokenURL string) error {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return fmt.Errorf("not a JWS")
	}
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	var h map[string]string
	if err := json.Unmarshal(hb, &h); err != nil {
		return err
	}
	if cert == nil {
		return fmt.Errorf("no certificate registered")
	}
	sum := sha256.Sum256(cert.Raw)
	if h["alg"] != "RS256" || h["x5t#S256"] != base64.RawURLEncoding.EncodeToString(sum[:]) || h["x5t"] == "" {
		return fmt.Errorf("bad header %v", h)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), 5 /* crypto.SHA256 */, digest[:], sig); err != nil {
		return err
	}
	var c map[string]any
	if err := json.Unmarshal(cb, &c); err != nil {
		return err
	}
	if c["aud"] != tokenURL || c["iss"] != testClient || c["sub"] != testClient || c["jti"] == "" {
		return fmt.Errorf("bad claims %v", c)
	}
	return nil
}

// newTestApp returns an App on the fake with the fake clock and an instant Sleep that records
// its durations.
func newTestApp(t *testing.T, f *fakeIdP, c *clock, mod func(*Config)) (*App, *[]time.Duration) {
	t.Helper()
	var mu sync.Mutex
	slept := &[]time.Duration{}
	cfg := Config{
		ClientID:   testClient,
		Tenant:     testTenant,
		Authority:  f.srv.URL,
		HTTPClient: f.srv.Client(),
		Now:        c.Now,
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			*slept = append(*slept, d)
			mu.Unlock()
			c.Add(d)
			return ctx.Err()
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	a, err := NewApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a, slept
}
