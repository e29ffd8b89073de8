package identity

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

const (
	testTenant  = "11111111-2222-4333-8444-555555555555"
	testDomain  = "contoso.test"
	pubID       = "aaaaaaaa-0000-4000-8000-000000000001"
	confID      = "aaaaaaaa-0000-4000-8000-000000000002"
	certAppID   = "aaaaaaaa-0000-4000-8000-000000000003"
	limitedID   = "aaaaaaaa-0000-4000-8000-000000000004"
	confSecret  = "s3cret~value"
	aliceID     = "bbbbbbbb-0000-4000-8000-000000000001"
	aliceUPN    = "alice@contoso.test"
	alicePass   = "Pa55w.rd!"
	redirectReg = "http://localhost/callback"
	redirectUse = "http://localhost:53123/callback"
)

var graphScopes = []string{"https://graph.microsoft.com/Mail.Read", "https://graph.microsoft.com/User.Read", "offline_access", "openid", "profile"}

// Keys are slow to generate under -race; tests share them (read only).
var (
	testKey  = sync.OnceValue(func() *rsa.PrivateKey { return mustKey() })
	certKey  = sync.OnceValue(func() *rsa.PrivateKey { return mustKey() })
	otherKey = sync.OnceValue(func() *rsa.PrivateKey { return mustKey() })
)

func mustKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func selfSigned(t testing.TB, key *rsa.PrivateKey) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7),
		Subject:      pkix.Name{CommonName: "client"},
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	t     testing.TB
	p     *Provider
	srv   *httptest.Server
	clock *fakeClock
	cert  *x509.Certificate
}

func newEnv(t testing.TB, mutate ...func(*Config)) *env {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	cfg := Config{
		TenantID:           testTenant,
		Now:                clock.Now,
		DevicePollInterval: time.Second,
		SigningKey:         testKey(),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cert := selfSigned(t, certKey())
	p.RegisterApp(App{ClientID: pubID, Name: "Contoso CLI", Public: true, RedirectURIs: []string{redirectReg, "https://app.contoso.test/cb"}})
	p.RegisterApp(App{ClientID: confID, Name: "Contoso Daemon", Secret: confSecret, Roles: []string{"User.Read.All", "Mail.Read"}, RedirectURIs: []string{"https://daemon.contoso.test/cb"}})
	p.RegisterApp(App{ClientID: certAppID, Name: "Contoso Cert", Certificates: []*x509.Certificate{cert}, Roles: []string{"Mail.Read"}})
	p.RegisterApp(App{ClientID: limitedID, Name: "Limited", Public: true, DelegatedScopes: []string{"User.Read"}, RedirectURIs: []string{redirectReg}})
	p.AddUser(User{ID: aliceID, UPN: aliceUPN, DisplayName: "Alice Example", Password: alicePass})
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return &env{t: t, p: p, srv: srv, clock: clock, cert: cert}
}

func (e *env) endpoint(tenant, name string) string {
	return e.srv.URL + "/" + tenant + "/oauth2/v2.0/" + name
}

func (e *env) oauthConfig(clientID string, scopes ...string) *oauth2.Config {
	if scopes == nil {
		scopes = graphScopes
	}
	return &oauth2.Config{
		ClientID: clientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:       e.endpoint(testTenant, "authorize"),
			TokenURL:      e.endpoint(testTenant, "token"),
			DeviceAuthURL: e.endpoint(testTenant, "devicecode"),
		},
		RedirectURL: redirectUse,
		Scopes:      scopes,
	}
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// result is a decoded JSON answer.
type result struct {
	status int
	header http.Header
	body   map[string]any
}

func (r result) str(k string) string { s, _ := r.body[k].(string); return s }

// aadsts returns the first error code.
func (r result) aadsts() int {
	codes, _ := r.body["error_codes"].([]any)
	if len(codes) == 0 {
		return 0
	}
	f, _ := codes[0].(float64)
	return int(f)
}

func (e *env) post(path string, form url.Values, hdr ...string) result {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := result{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(b, &r.body); err != nil {
		e.t.Fatalf("POST %s: %d, not JSON: %.200s", path, resp.StatusCode, b)
	}
	return r
}

func (e *env) get(u string) (*http.Response, string) {
	e.t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func tokenPath(tenant string) string { return "/" + tenant + "/oauth2/v2.0/token" }

// assertion builds a client assertion signed by key with thumbprint headers
// of cert.
func assertion(t testing.TB, key *rsa.PrivateKey, cert *x509.Certificate, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	sum := sha1.Sum(cert.Raw)
	tok.Header["x5t"] = base64.RawURLEncoding.EncodeToString(sum[:])
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) assertionClaims() jwt.MapClaims {
	now := e.clock.Now()
	return jwt.MapClaims{
		"aud": e.srv.URL + tokenPath(testTenant),
		"iss": certAppID,
		"sub": certAppID,
		"jti": "j1",
		"nbf": now.Unix(),
		"exp": now.Add(10 * time.Minute).Unix(),
	}
}

// signIn runs the authorize request with auto-approve and returns the
// redirect's query.
func (e *env) authorize(authURL string) url.Values {
	e.t.Helper()
	resp, body := e.get(authURL)
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("authorize: status %d, want 302: %.300s", resp.StatusCode, body)
	}
	loc, err := resp.Location()
	if err != nil {
		e.t.Fatal(err)
	}
	return loc.Query()
}

func thumbS256(der []byte) string {
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
