package identity

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2/clientcredentials"
)

func TestNewValidates(t *testing.T) {
	for _, tenant := range []string{"", "common", "a/b", " "} {
		if _, err := New(Config{TenantID: tenant, SigningKey: testKey()}); err == nil {
			t.Errorf("New(%q) succeeded", tenant)
		}
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err == nil {
		if _, err := New(Config{TenantID: testTenant, SigningKey: small}); err == nil {
			t.Error("1024-bit key accepted")
		}
	}
}

func TestHandles(t *testing.T) {
	p, err := New(Config{TenantID: testTenant, SigningKey: testKey()})
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"/common/oauth2/v2.0/authorize":                 true,
		"/" + testTenant + "/oauth2/v2.0/token":         true,
		"/contoso.test/oauth2/v2.0/devicecode":          true,
		"/organizations/oauth2/v2.0/logout":             true,
		"/common/v2.0/.well-known/openid-configuration": true,
		"/" + testTenant + "/discovery/v2.0/keys":       true,
		"/devicelogin":                      true,
		"/unknown-tenant/oauth2/v2.0/token": true, // answered with AADSTS90002
		"/v1.0/me":                          false,
		"/v1.0/users/x/oauth2/v2.0/token":   false,
		"//oauth2/v2.0/token":               false,
		"/common/oauth2/v2.0/other":         false,
		"/common/oauth2/v1.0/token":         false,
		"/":                                 false,
		"/beta/$batch":                      false,
		"/common/v2.0/.well-known/openid-configuration/x": false,
	} {
		if got := p.Handles(path); got != want {
			t.Errorf("Handles(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestDiscoveryAndJWKS(t *testing.T) {
	e := newEnv(t)
	for _, tenant := range []string{testTenant, "common"} {
		resp, err := http.Get(e.srv.URL + "/" + tenant + "/v2.0/.well-known/openid-configuration")
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		err = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		wantIssuer := e.srv.URL + "/" + testTenant + "/v2.0"
		if tenant == "common" {
			wantIssuer = e.srv.URL + "/{tenantid}/v2.0"
		}
		got := map[string]any{"issuer": doc["issuer"], "token_endpoint": doc["token_endpoint"], "authorization_endpoint": doc["authorization_endpoint"],
			"device_authorization_endpoint": doc["device_authorization_endpoint"], "jwks_uri": doc["jwks_uri"]}
		want := map[string]any{"issuer": wantIssuer, "token_endpoint": e.endpoint(tenant, "token"), "authorization_endpoint": e.endpoint(tenant, "authorize"),
			"device_authorization_endpoint": e.endpoint(tenant, "devicecode"), "jwks_uri": e.srv.URL + "/" + tenant + "/discovery/v2.0/keys"}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tenant, d)
		}
	}

	resp, err := http.Get(e.srv.URL + "/" + testTenant + "/discovery/v2.0/keys")
	if err != nil {
		t.Fatal(err)
	}
	var jwks struct{ Keys []jwk }
	err = json.NewDecoder(resp.Body).Decode(&jwks)
	resp.Body.Close()
	if err != nil || len(jwks.Keys) != 1 {
		t.Fatalf("jwks: %v %v", jwks, err)
	}
	k := jwks.Keys[0]
	nb, _ := base64.RawURLEncoding.DecodeString(k.N)
	eb, _ := base64.RawURLEncoding.DecodeString(k.E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
	der, _ := base64.StdEncoding.DecodeString(k.X5c[0])
	cert, err := x509.ParseCertificate(der)
	if err != nil || !cert.PublicKey.(*rsa.PublicKey).Equal(pub) {
		t.Fatalf("x5c does not hold the JWK: %v", err)
	}

	// A client can check an access token with the published key alone.
	cc := clientcredentials.Config{ClientID: confID, ClientSecret: confSecret, TokenURL: e.endpoint(testTenant, "token"), Scopes: []string{graphDefaultScope}}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jwt.Parse(tok.AccessToken, func(t *jwt.Token) (any, error) {
		if t.Header["kid"] != k.Kid {
			return nil, jwt.ErrTokenUnverifiable
		}
		return pub, nil
	}, jwt.WithTimeFunc(e.clock.Now), jwt.WithAudience(GraphAudience), jwt.WithIssuer(e.srv.URL+"/"+testTenant+"/v2.0"))
	if err != nil || !parsed.Valid {
		t.Fatalf("token does not verify with the JWKS: %v", err)
	}
}

// TestConcurrent exercises the provider from many goroutines (run with
// -race).
func TestConcurrent(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 4 {
			case 0:
				r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"client_credentials"}, "client_id": {confID}, "client_secret": {confSecret}, "scope": {graphDefaultScope}})
				if _, err := e.p.Verify(r.str("access_token")); err != nil {
					t.Error(err)
				}
			case 1:
				r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"password"}, "client_id": {pubID}, "username": {aliceUPN}, "password": {alicePass}, "scope": {"User.Read offline_access"}})
				e.post(tokenPath(testTenant), url.Values{"grant_type": {"refresh_token"}, "client_id": {pubID}, "refresh_token": {r.str("refresh_token")}})
			case 2:
				d := e.post("/"+testTenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {pubID}, "scope": {"User.Read"}})
				_ = e.p.ApproveDeviceCode(d.str("user_code"), aliceUPN)
				_ = e.p.PendingDeviceCodes()
			case 3:
				e.p.SetAccessTokenLifetime(0)
				e.p.SetAutoApprove(true, aliceUPN)
				e.p.AddUser(User{UPN: "user" + string(rune('a'+i)) + "@contoso.test"})
				e.clock.Advance(1)
			}
		}()
	}
	wg.Wait()
}

func TestNewAccessToken(t *testing.T) {
	e := newEnv(t)
	tok, err := e.p.NewAccessToken(e.srv.URL, pubID, aliceUPN, "Mail.Read", "https://graph.microsoft.com/Mail.Send")
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.p.Verify(tok)
	if err != nil || c.ObjectID != aliceID || !c.HasScope("Mail.Send") || !c.HasScope("mail.read") || c.AppOnly {
		t.Fatalf("%+v %v", c, err)
	}
	tok, err = e.p.NewAccessToken(e.srv.URL+"/", confID, "")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := e.p.Verify(tok); err != nil || !c.AppOnly || len(c.Roles) != 2 {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := e.p.NewAccessToken(e.srv.URL, "nope", ""); err == nil {
		t.Error("unknown app accepted")
	}
	if _, err := e.p.NewAccessToken(e.srv.URL, pubID, "ghost@contoso.test"); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestAutoApproveDefaultsToFirstUser(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AutoApprove = true })
	e.p.AddUser(User{UPN: "zed@contoso.test", Password: "x"})
	d := e.post("/"+testTenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {pubID}, "scope": {"User.Read"}})
	e.clock.Advance(time.Second)
	r := e.post(tokenPath(testTenant), url.Values{"grant_type": {grantDeviceCode}, "client_id": {pubID}, "device_code": {d.str("device_code")}})
	if c, err := e.p.Verify(r.str("access_token")); err != nil || c.UPN != aliceUPN {
		t.Fatalf("%v %v", r.body, err)
	}
}

func TestAddUserReplaces(t *testing.T) {
	e := newEnv(t)
	e.p.AddUser(User{ID: aliceID, UPN: "alice.new@contoso.test", DisplayName: "Alice", Password: "pw"})
	if e.p.userByUPN(aliceUPN) != nil {
		t.Error("old UPN still signs in")
	}
	if u := e.p.userByID(aliceID); u == nil || u.UPN != "alice.new@contoso.test" {
		t.Errorf("by id: %+v", u)
	}
}
