package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
)

// Integration tests against the emulator's identity platform.

func emulatorApp(t *testing.T, srv *emulator.Server, cfg auth.Config) *auth.App {
	t.Helper()
	cfg.Authority = srv.URL()
	if cfg.Tenant == "" {
		cfg.Tenant = srv.TenantID()
	}
	a, err := auth.NewApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestEmulatorCertificateCredential(t *testing.T) {
	srv := emulator.Start(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "daemon"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	const clientID = "0f0e0d0c-0b0a-4909-8807-060504030201"
	srv.RegisterApp(emulator.App{ClientID: clientID, Name: "cert daemon", Certificates: []*x509.Certificate{cert}, Roles: []string{"User.Read.All"}})

	a := emulatorApp(t, srv, auth.Config{ClientID: clientID, Certificate: &auth.Certificate{Chain: []*x509.Certificate{cert}, Key: key}})
	s := a.Session("")
	at, err := s.AccessToken(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.URL()+"/v1.0/users", nil)
	req.Header.Set("Authorization", "Bearer "+at)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET /users with the app token: %s", resp.Status)
	}

	// Another key for the same app is refused.
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	der2, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &other.PublicKey, other)
	cert2, _ := x509.ParseCertificate(der2)
	b := emulatorApp(t, srv, auth.Config{ClientID: clientID, Certificate: &auth.Certificate{Chain: []*x509.Certificate{cert2}, Key: other}})
	if _, err := b.ClientCredentials(context.Background()); !errors.Is(err, auth.ErrInvalidClient) {
		t.Errorf("wrong certificate: %v", err)
	}
}

func TestEmulatorSecretAndErrors(t *testing.T) {
	ctx := context.Background()
	srv := emulator.Start(t)
	id, secret := srv.ConfidentialClient()
	a := emulatorApp(t, srv, auth.Config{ClientID: id, ClientSecret: secret})
	tok, err := a.ClientCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Expiry.IsZero() || tok.RefreshToken != "" {
		t.Errorf("token %v", tok)
	}
	bad := emulatorApp(t, srv, auth.Config{ClientID: id, ClientSecret: "wrong-secret-value"})
	_, err = bad.ClientCredentials(ctx)
	var ae *auth.Error
	if !errors.As(err, &ae) || !errors.Is(err, auth.ErrInvalidClient) || ae.AADSTS() == 0 {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") || strings.Contains(err.Error(), secret) {
		t.Error("secret in error")
	}
}

func TestEmulatorLoopbackAndRefresh(t *testing.T) {
	ctx := context.Background()
	clk := emulator.NewClock(time.Now())
	srv := emulator.Start(t, func(o *emulator.Options) { o.Now = clk.Now })
	store := auth.NewMemoryStore()
	a := emulatorApp(t, srv, auth.Config{ClientID: srv.PublicClientID(), Store: store, Now: clk.Now})
	opener := func(_ context.Context, u string) error {
		go func() {
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	tctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tok, err := a.LoopbackLogin(tctx, auth.LoopbackOptions{OpenBrowser: opener}, "basic", "mailbox")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(tok.Username, srv.DefaultUser().UPN) || tok.RefreshToken == "" {
		t.Fatalf("token %v", tok)
	}
	s, err := a.NewSession(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Hour)
	at, err := s.AccessToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if at == tok.AccessToken {
		t.Error("expired token not refreshed")
	}
	stored, _ := store.Load(ctx, s.Key())
	if stored.RefreshToken == tok.RefreshToken {
		t.Error("the rotated refresh token was not saved")
	}
	// The emulator's refresh tokens are single use: reusing the first one fails and says so.
	_, err = a.Refresh(ctx, tok)
	if err != nil && !errors.Is(err, auth.ErrLoginRequired) {
		t.Errorf("reusing a spent refresh token: %v", err)
	}
}

func TestEmulatorDeviceCodeDeclined(t *testing.T) {
	srv := emulator.Start(t)
	srv.SetAutoApprove(false, "")
	a := emulatorApp(t, srv, auth.Config{ClientID: srv.PublicClientID(), Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	_, err := a.DeviceLogin(context.Background(), func(_ context.Context, dc auth.DeviceCode) error {
		return srv.DeclineDeviceCode(dc.UserCode)
	}, "basic")
	if !errors.Is(err, auth.ErrAuthorizationDeclined) {
		t.Fatalf("err = %v", err)
	}
}
