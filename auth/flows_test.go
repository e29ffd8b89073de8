package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

func TestAuthCodeURLPKCE(t *testing.T) {
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), nil)
	authURL, flow, err := a.AuthCodeURL([]string{"mailbox", "Calendars.Read"}, "http://localhost:1234/")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	sum := sha256.Sum256([]byte(flow.Verifier))
	want := map[string]string{
		"client_id":             testClient,
		"response_type":         "code",
		"redirect_uri":          "http://localhost:1234/",
		"code_challenge_method": "S256",
		"code_challenge":        base64.RawURLEncoding.EncodeToString(sum[:]),
		"state":                 flow.State,
		"response_mode":         "query",
		"scope":                 "https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/Calendars.Read offline_access openid profile",
	}
	got := map[string]string{}
	for k := range want {
		got[k] = q.Get(k)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("authorize query (-want +got):\n%s", d)
	}
	if u.Path != "/"+testTenant+"/oauth2/v2.0/authorize" {
		t.Errorf("path %q", u.Path)
	}
	if len(flow.Verifier) < 43 || len(flow.State) < 20 {
		t.Errorf("verifier/state too short: %d/%d", len(flow.Verifier), len(flow.State))
	}
	_, flow2, _ := a.AuthCodeURL(nil, "")
	if flow2.State == flow.State || flow2.Verifier == flow.Verifier {
		t.Error("state and verifier must be random per flow")
	}
	if flow2.RedirectURL != f.srv.URL+"/common/oauth2/nativeclient" {
		t.Errorf("default redirect %q", flow2.RedirectURL)
	}
	for _, s := range []string{flow.String(), flow.GoString()} {
		if strings.Contains(s, flow.Verifier) || strings.Contains(s, flow.State) {
			t.Errorf("Flow string leaks secrets: %s", s)
		}
	}
}

// browse follows an authorize URL to its redirect without fetching the redirect target.
func browse(t *testing.T, f *fakeIdP, authURL string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %s", resp.Status)
	}
	return resp.Header.Get("Location")
}

func TestExchangeRedirect(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), nil)

	t.Run("state mismatch is rejected before redeeming", func(t *testing.T) {
		authURL, flow, _ := a.AuthCodeURL([]string{"basic"}, "http://localhost/cb")
		redirected := browse(t, f, authURL)
		bad := strings.Replace(redirected, "state=", "state=x", 1)
		_, err := a.ExchangeRedirect(ctx, flow, bad)
		if !errors.Is(err, ErrStateMismatch) {
			t.Fatalf("err = %v, want ErrStateMismatch", err)
		}
		if n := f.grantCount("authorization_code"); n != 0 {
			t.Errorf("code redeemed %d times despite the state mismatch", n)
		}
		tok, err := a.ExchangeRedirect(ctx, flow, redirected)
		if err != nil {
			t.Fatal(err)
		}
		if tok.Username != testUser || tok.RefreshToken == "" || tok.HomeAccountID != "oid-"+testUser+".tid-1" {
			t.Errorf("token = %v (home %q)", tok, tok.HomeAccountID)
		}
		form := f.lastForm()
		if form.Get("client_secret") != "" || form.Get("code_verifier") != flow.Verifier {
			t.Error("public client must send the verifier and no secret")
		}
	})
	t.Run("wrong verifier", func(t *testing.T) {
		authURL, flow, _ := a.AuthCodeURL([]string{"basic"}, "http://localhost/cb")
		redirected := browse(t, f, authURL)
		flow.Verifier = oauth2.GenerateVerifier()
		_, err := a.ExchangeRedirect(ctx, flow, redirected)
		var ae *Error
		if !errors.As(err, &ae) || ae.AADSTS() != 501481 || !errors.Is(err, ErrInvalidGrant) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("error in redirect", func(t *testing.T) {
		_, flow, _ := a.AuthCodeURL([]string{"basic"}, "http://localhost/cb")
		redirected := "http://localhost/cb?error=consent_required&error_description=AADSTS65001%3A+The+user+or+administrator+has+not+consented&state=" + url.QueryEscape(flow.State)
		_, err := a.ExchangeRedirect(ctx, flow, redirected)
		if !errors.Is(err, ErrConsentRequired) || !errors.Is(err, ErrLoginRequired) {
			t.Fatalf("err = %v", err)
		}
		var ae *Error
		if !errors.As(err, &ae) || ae.AADSTS() != 65001 {
			t.Fatalf("AADSTS = %v", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		_, flow, _ := a.AuthCodeURL([]string{"basic"}, "http://localhost/cb")
		if _, err := a.ExchangeRedirect(ctx, flow, "not a url"); err == nil {
			t.Fatal("want error")
		}
		if _, err := a.ExchangeRedirect(ctx, nil, "http://x/?code=1"); err == nil {
			t.Fatal("want error for nil flow")
		}
	})
}

// lineWriter calls fn for every line written.
type lineWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
	fn  func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for _, l := range strings.Split(string(p), "\n") {
		w.fn(l)
	}
	return len(p), nil
}

func TestConsoleLogin(t *testing.T) {
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), func(c *Config) { c.ClientSecret = testSecret })
	pr, pw := io.Pipe()
	out := &lineWriter{fn: func(l string) {
		if strings.HasPrefix(l, f.srv.URL) && strings.Contains(l, "/authorize?") {
			loc := browse(t, f, l)
			go io.WriteString(pw, loc+"\n")
		}
	}}
	tok, err := a.ConsoleLogin(context.Background(), pr, out, "", "basic")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != testUser {
		t.Errorf("username %q", tok.Username)
	}
	if f.lastForm().Get("client_secret") != testSecret {
		t.Error("confidential client must send its secret")
	}
	if strings.Contains(out.buf.String(), testSecret) {
		t.Error("secret printed")
	}
}

func TestLoopbackLogin(t *testing.T) {
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), nil)
	pages := make(chan string, 1)
	opener := func(ctx context.Context, authURL string) error {
		// A stray request with a wrong state must be refused and not end the wait.
		u, _ := url.Parse(authURL)
		redirect := u.Query().Get("redirect_uri")
		resp, err := http.Get(redirect + "?code=evil&state=wrong")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("wrong state answered %s", resp.Status)
		}
		// The browser: follow the authorize redirect to the listener.
		go func() {
			resp, err := http.Get(authURL)
			if err != nil {
				pages <- err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			pages <- string(b)
		}()
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok, err := a.LoopbackLogin(ctx, LoopbackOptions{OpenBrowser: opener, Host: "127.0.0.1"}, "mailbox")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != testUser {
		t.Errorf("username %q", tok.Username)
	}
	form := f.lastForm()
	if !strings.HasPrefix(form.Get("redirect_uri"), "http://127.0.0.1:") {
		t.Errorf("redirect_uri %q", form.Get("redirect_uri"))
	}
	if page := <-pages; !strings.Contains(page, "You may close this window") {
		t.Errorf("page = %q", page)
	}
}

func TestLoopbackLoginTimeout(t *testing.T) {
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := a.LoopbackLogin(ctx, LoopbackOptions{OpenBrowser: func(context.Context, string) error { cancel(); return nil }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	_, err = a.LoopbackLogin(context.Background(), LoopbackOptions{OpenBrowser: func(context.Context, string) error { return errors.New("no browser") }})
	if err == nil || !strings.Contains(err.Error(), "no browser") {
		t.Fatalf("err = %v", err)
	}
}

func TestDeviceLogin(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		script []string
		want   error
		slept  []time.Duration
	}{
		{"slow_down adds 5s", []string{"pending", "slow_down", "pending", "ok"}, nil, []time.Duration{5 * time.Second, 5 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"declined", []string{"pending", "declined"}, ErrAuthorizationDeclined, []time.Duration{5 * time.Second, 5 * time.Second}},
		{"expired by the server", []string{"expired"}, ErrDeviceCodeExpired, []time.Duration{5 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeIdP(t)
			f.device = tt.script
			a, slept := newTestApp(t, f, newClock(), nil)
			var shown DeviceCode
			tok, err := a.DeviceLogin(ctx, func(_ context.Context, dc DeviceCode) error { shown = dc; return nil }, "basic")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err == nil && tok.Username != testUser {
				t.Errorf("username %q", tok.Username)
			}
			if shown.UserCode != "ABCD-EFGH" || shown.VerificationURI != "https://microsoft.com/devicelogin" || !strings.Contains(shown.Message, "ABCD-EFGH") {
				t.Errorf("device code shown = %+v", shown)
			}
			if d := cmp.Diff(tt.slept, *slept); d != "" {
				t.Errorf("poll intervals (-want +got):\n%s", d)
			}
		})
	}
	t.Run("expires locally", func(t *testing.T) {
		f := newFakeIdP(t)
		f.device = make([]string, 1000)
		for i := range f.device {
			f.device[i] = "pending"
		}
		a, slept := newTestApp(t, f, newClock(), nil)
		_, err := a.DeviceLogin(ctx, PrintDeviceCode(io.Discard))
		if !errors.Is(err, ErrDeviceCodeExpired) {
			t.Fatalf("err = %v", err)
		}
		if len(*slept) != 180 { // 900 s / 5 s
			t.Errorf("polled %d times", len(*slept))
		}
	})
	t.Run("secret never sent", func(t *testing.T) {
		f := newFakeIdP(t)
		a, _ := newTestApp(t, f, newClock(), func(c *Config) { c.ClientSecret = testSecret })
		if _, err := a.DeviceLogin(ctx, PrintDeviceCode(io.Discard)); err != nil {
			t.Fatal(err)
		}
		if f.lastForm().Get("client_secret") != "" {
			t.Error("secret sent in the device flow")
		}
	})
	t.Run("devicecode error", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			oauthErr(w, 400, "invalid_request", 90002, "Tenant 'bad' not found.")
		}))
		defer srv.Close()
		a, err := NewApp(Config{ClientID: testClient, Tenant: "bad", Authority: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.DeviceLogin(ctx, PrintDeviceCode(io.Discard))
		var ae *Error
		if !errors.As(err, &ae) || ae.AADSTS() != 90002 || ae.Op != "devicecode" {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestPasswordLogin(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), nil)
	tok, err := a.PasswordLogin(ctx, testUser, testPass, "basic")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != testUser || tok.RefreshToken == "" {
		t.Errorf("token %v", tok)
	}
	_, err = a.PasswordLogin(ctx, testUser, "wrong")
	if !errors.Is(err, ErrInvalidGrant) || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("err = %v", err)
	}
	common, _ := newTestApp(t, f, newClock(), func(c *Config) { c.Tenant = TenantCommon })
	if _, err := common.PasswordLogin(ctx, testUser, testPass); !errors.Is(err, ErrTenantRequired) {
		t.Fatalf("err = %v", err)
	}
}

func TestClientCredentialsSecret(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), func(c *Config) { c.ClientSecret = testSecret })
	tok, err := a.ClientCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.lastForm().Get("scope"); got != "https://graph.microsoft.com/.default" {
		t.Errorf("scope %q", got)
	}
	if tok.Username != "" || tok.RefreshToken != "" {
		t.Errorf("app token %v", tok)
	}
	if _, err := a.ClientCredentials(ctx, "Mail.Read"); !errors.Is(err, ErrInvalidScope) {
		t.Errorf("err = %v", err)
	}
	bad, _ := newTestApp(t, f, newClock(), func(c *Config) { c.ClientSecret = "nope-secret" })
	_, err = bad.ClientCredentials(ctx)
	if !errors.Is(err, ErrInvalidClient) || strings.Contains(err.Error(), "nope-secret") {
		t.Errorf("err = %v", err)
	}
	common, _ := newTestApp(t, f, newClock(), func(c *Config) { c.ClientSecret = testSecret; c.Tenant = "organizations" })
	if _, err := common.ClientCredentials(ctx); !errors.Is(err, ErrTenantRequired) {
		t.Errorf("err = %v", err)
	}
	public, _ := newTestApp(t, f, newClock(), nil)
	if _, err := public.ClientCredentials(ctx); err == nil {
		t.Error("public client must not use client credentials")
	}
}

func testCertificate(t *testing.T) (*Certificate, []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "o365 test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	bundle := append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	c, err := ParseCertificate(bundle)
	if err != nil {
		t.Fatal(err)
	}
	return c, bundle
}

func TestClientAssertion(t *testing.T) {
	ctx := context.Background()
	cert, _ := testCertificate(t)
	f := newFakeIdP(t)
	f.cert = cert.Chain[0]
	c := newClock()
	a, _ := newTestApp(t, f, c, func(cfg *Config) { cfg.Certificate = cert })
	if _, err := a.ClientCredentials(ctx); err != nil {
		t.Fatal(err)
	}
	form := f.lastForm()
	if form.Get("client_assertion_type") != ClientAssertionType || form.Get("client_secret") != "" {
		t.Errorf("client_assertion_type %q, secret sent %v", form.Get("client_assertion_type"), form.Get("client_secret") != "")
	}
	// Claims as Entra ID checks them.
	parts := strings.Split(form.Get("client_assertion"), ".")
	cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err := json.Unmarshal(cb, &claims); err != nil {
		t.Fatal(err)
	}
	now := float64(c.Now().Unix())
	if claims["nbf"] != now || claims["iat"] != now || claims["exp"] != now+300 {
		t.Errorf("times %v", claims)
	}
	if claims["aud"] != a.Endpoint().TokenURL {
		t.Errorf("aud %v", claims["aud"])
	}
	a2, _ := cert.Assertion(testClient, "x", c.Now())
	a3, _ := cert.Assertion(testClient, "x", c.Now())
	if a2 == a3 {
		t.Error("jti must differ")
	}
	// A certificate whose key does not match is refused up front.
	other, _ := testCertificate(t)
	if _, err := NewApp(Config{ClientID: testClient, Certificate: &Certificate{Chain: cert.Chain, Key: other.Key}}); err == nil {
		t.Error("mismatched key accepted")
	}
	// Another certificate than the registered one fails at the server.
	b, _ := newTestApp(t, f, c, func(cfg *Config) { cfg.Certificate = other })
	if _, err := b.ClientCredentials(ctx); !errors.Is(err, ErrInvalidClient) {
		t.Errorf("err = %v", err)
	}
}

func TestParseCertificate(t *testing.T) {
	_, bundle := testCertificate(t)
	if _, err := ParseCertificate(nil); err == nil {
		t.Error("empty input accepted")
	}
	// key and certificate given separately
	var certPEM, keyPEM []byte
	rest := bundle
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			certPEM = pem.EncodeToMemory(b)
		} else {
			keyPEM = pem.EncodeToMemory(b)
		}
	}
	if _, err := ParseCertificate(certPEM, keyPEM); err != nil {
		t.Error(err)
	}
	if _, err := ParseCertificate(certPEM); err == nil {
		t.Error("certificate without key accepted")
	}
}

func TestNewAppValidation(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no client", Config{}},
		{"http authority", Config{ClientID: "x", Authority: "http://login.example.com"}},
		{"ftp authority", Config{ClientID: "x", Authority: "ftp://127.0.0.1"}},
		{"two credentials", Config{ClientID: "x", ClientSecret: "a", Assertion: func(context.Context) (string, error) { return "", nil }}},
		{"bad tenant", Config{ClientID: "x", Tenant: "a/b"}},
	}
	for _, tt := range tests {
		if _, err := NewApp(tt.cfg); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	a, err := NewApp(Config{ClientID: "x", Authority: "http://127.0.0.1:8080/"})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Endpoint().TokenURL; got != "http://127.0.0.1:8080/common/oauth2/v2.0/token" {
		t.Errorf("token URL %q", got)
	}
}

func TestLoopbackPrintsURLWhenNoBrowser(t *testing.T) {
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), nil)
	out := &lineWriter{fn: func(l string) {
		if strings.Contains(l, "/authorize?") {
			go func() {
				if resp, err := http.Get(strings.TrimSpace(l)); err == nil {
					resp.Body.Close()
				}
			}()
		}
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok, err := a.LoopbackLogin(ctx, LoopbackOptions{
		OpenBrowser: func(context.Context, string) error { return errors.New("no display") },
		Out:         out,
	}, "basic")
	if err != nil {
		t.Fatal(err)
	}
	if tok.Username != testUser {
		t.Errorf("username %q", tok.Username)
	}
	if !strings.HasPrefix(f.lastForm().Get("redirect_uri"), "http://localhost:") {
		t.Errorf("default redirect %q", f.lastForm().Get("redirect_uri"))
	}
}
