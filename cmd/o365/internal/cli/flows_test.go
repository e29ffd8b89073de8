package cli

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/emulator"
)

func TestLoginBrowser(t *testing.T) {
	h := newHarness(t)
	var out, errOut syncBuffer
	// The "browser" follows the sign-in URL; the emulator auto-approves and redirects to
	// the CLI's loopback listener.
	browser := func(ctx context.Context, u string) error {
		go func() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				return
			}
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code := Main(ctx, []string{"--profile", "web", "login", "--auth", "browser", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", h.srv.PublicClientID()},
		Env{Stdout: &out, Stderr: &errOut, OpenBrowser: browser, Getenv: func(string) string { return "" }})
	if code != 0 {
		t.Fatalf("browser login: exit %d\n%s", code, errOut.String())
	}
	st := decodeJSON[statusInfo](t, out.String())
	if !st.SignedIn || st.Account != "AdeleV@contoso.onmicrosoft.com" || st.AuthType != "browser" {
		t.Errorf("status = %+v", st)
	}
	if r := h.mustRun("--profile", "web", "whoami", "--query", "displayName"); r.stdout != "\"Adele Vance\"\n" {
		t.Errorf("whoami after browser login = %q", r.stdout)
	}
}

func TestLoginPassword(t *testing.T) {
	h := newHarness(t)
	args := []string{"--profile", "pw", "login", "--auth", "password", "--username", "MeganB@contoso.onmicrosoft.com", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", h.srv.PublicClientID()}
	if r := h.run(args...); r.code != ExitError || !strings.Contains(r.stderr, "O365_PASSWORD") {
		t.Errorf("no password: exit %d %q", r.code, r.stderr)
	}
	h.env["O365_PASSWORD"] = "wrong"
	if r := h.run(args...); r.code != ExitError || strings.Contains(r.stderr, "wrong") {
		t.Errorf("wrong password: exit %d %q (the password must not be echoed)", r.code, r.stderr)
	}
	h.env["O365_PASSWORD"] = "Passw0rd!"
	h.mustRun(args...)
	if r := h.mustRun("--profile", "pw", "whoami", "--query", "displayName"); r.stdout != "\"Megan Bowen\"\n" {
		t.Errorf("whoami = %q", r.stdout)
	}
}

// selfSigned writes a PEM file with a new certificate and its key.
func selfSigned(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "o365 cli test"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})...)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestLoginCertificate(t *testing.T) {
	h := newHarness(t)
	pemFile := filepath.Join(t.TempDir(), "app.pem")
	cert := selfSigned(t, pemFile)
	const appID = "5b0c4a4e-1f0e-4c3b-9d7a-6e5f4d3c2b1a"
	h.srv.RegisterApp(emulator.App{ClientID: appID, Name: "cert app", Certificates: []*x509.Certificate{cert}, Roles: []string{"User.Read.All"}})
	r := h.mustRun("--profile", "cert", "login", "--auth", "certificate", "--certificate", pemFile, "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", appID)
	if st := decodeJSON[statusInfo](t, r.stdout); !st.SignedIn || st.AuthType != "certificate" {
		t.Errorf("status = %+v", st)
	}
	if r := h.mustRun("--profile", "cert", "request", "GET", "/users/LeeG@contoso.onmicrosoft.com", "--query", "displayName"); r.stdout != "\"Lee Gu\"\n" {
		t.Errorf("app-only request = %q", r.stdout)
	}
	if r := h.run("--profile", "cert2", "login", "--auth", "certificate", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", appID); r.code == 0 || !strings.Contains(r.stderr, "--certificate") {
		t.Errorf("certificate login without a file: exit %d %q", r.code, r.stderr)
	}
}
