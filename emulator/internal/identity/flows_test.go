package identity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func autoApprove(c *Config) { c.AutoApprove, c.AutoApproveUser = true, aliceUPN }

func TestAuthCodePKCE(t *testing.T) {
	e := newEnv(t, autoApprove)
	ctx := context.Background()
	conf := e.oauthConfig(pubID)
	verifier := oauth2.GenerateVerifier()
	q := e.authorize(conf.AuthCodeURL("state-42", oauth2.S256ChallengeOption(verifier)))
	if got := q.Get("state"); got != "state-42" {
		t.Fatalf("state = %q", got)
	}
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.RefreshToken == "" {
		t.Fatalf("token type %q, refresh token present %v", tok.TokenType, tok.RefreshToken != "")
	}
	wantScope := "https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/User.Read offline_access openid profile"
	if got := tok.Extra("scope"); got != wantScope {
		t.Errorf("scope = %q, want %q", got, wantScope)
	}
	if got := tok.Extra("expires_in"); got != float64(3600) {
		t.Errorf("expires_in = %v", got)
	}
	c, err := e.p.Verify(tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	want := &Claims{
		TenantID: testTenant, ClientID: pubID, ObjectID: aliceID, UPN: aliceUPN, Name: "Alice Example",
		AppName: "Contoso CLI", Scopes: []string{"Mail.Read", "User.Read", "openid", "profile"},
		ExpiresAt: e.clock.Now().Add(time.Hour),
	}
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("claims (-want +got):\n%s", d)
	}

	// The id token is a signed JWT about Alice for the client.
	idt, _ := tok.Extra("id_token").(string)
	mc := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(idt, mc, func(*jwt.Token) (any, error) { return &testKey().PublicKey, nil },
		jwt.WithTimeFunc(e.clock.Now), jwt.WithAudience(pubID)); err != nil {
		t.Fatalf("id token: %v", err)
	}
	for k, v := range map[string]string{"oid": aliceID, "tid": testTenant, "preferred_username": aliceUPN, "name": "Alice Example", "iss": e.srv.URL + "/" + testTenant + "/v2.0"} {
		if mc[k] != v {
			t.Errorf("id token %s = %v, want %v", k, mc[k], v)
		}
	}
	// An id token is not an access token for Graph.
	if _, err := e.p.Verify(idt); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("Verify(id token) = %v, want invalid", err)
	}

	// Codes are single use.
	_, err = conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
	wantRetrieveError(t, err, "invalid_grant", 54005)
}

func TestAuthCodeClientInfoAndNoRefreshWithoutOfflineAccess(t *testing.T) {
	e := newEnv(t, autoApprove)
	conf := e.oauthConfig(pubID, "Mail.Read")
	verifier := oauth2.GenerateVerifier()
	q := e.authorize(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
	r := e.post(tokenPath(testTenant), url.Values{
		"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {q.Get("code")},
		"redirect_uri": {redirectUse}, "code_verifier": {verifier}, "client_info": {"1"},
	})
	if r.status != 200 {
		t.Fatalf("status %d: %v", r.status, r.body)
	}
	for _, k := range []string{"refresh_token", "id_token"} {
		if _, ok := r.body[k]; ok {
			t.Errorf("%s issued without its scope", k)
		}
	}
	if got := r.str("scope"); got != "https://graph.microsoft.com/Mail.Read" {
		t.Errorf("scope = %q", got)
	}
	b, err := base64.RawURLEncoding.DecodeString(r.str("client_info"))
	if err != nil {
		t.Fatal(err)
	}
	var ci map[string]string
	if err := json.Unmarshal(b, &ci); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"uid": aliceID, "utid": testTenant}, ci); d != "" {
		t.Error(d)
	}
}

func TestAuthCodePlainAndTenantAliases(t *testing.T) {
	e := newEnv(t, autoApprove)
	verifier := oauth2.GenerateVerifier()
	for _, tenant := range []string{testTenant, testDomain, "common", "organizations", "consumers"} {
		conf := e.oauthConfig(pubID)
		conf.Endpoint.AuthURL = e.endpoint(tenant, "authorize")
		conf.Endpoint.TokenURL = e.endpoint(tenant, "token")
		q := e.authorize(conf.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", verifier), oauth2.SetAuthURLParam("code_challenge_method", "plain")))
		tok, err := conf.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatalf("%s: %v", tenant, err)
		}
		if c, err := e.p.Verify(tok.AccessToken); err != nil || c.TenantID != testTenant {
			t.Fatalf("%s: claims %+v, %v", tenant, c, err)
		}
	}
}

func TestRefresh(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(map[bool]string{false: "default", true: "strict"}[strict], func(t *testing.T) {
			e := newEnv(t, autoApprove, func(c *Config) { c.StrictRefreshRotation = strict })
			ctx := context.Background()
			conf := e.oauthConfig(pubID)
			verifier := oauth2.GenerateVerifier()
			q := e.authorize(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
			tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			rt1 := tok.RefreshToken
			e.clock.Advance(2 * time.Hour) // the access token has expired
			if _, err := e.p.Verify(tok.AccessToken); !errors.Is(err, ErrTokenExpired) {
				t.Fatalf("Verify after expiry = %v", err)
			}
			tok2, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: rt1}).Token()
			if err != nil {
				t.Fatal(err)
			}
			if tok2.RefreshToken == "" || tok2.RefreshToken == rt1 {
				t.Fatal("refresh did not return a new refresh token")
			}
			c, err := e.p.Verify(tok2.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]string{"Mail.Read", "User.Read", "openid", "profile"}, c.Scopes); d != "" {
				t.Error(d)
			}
			_, err = conf.TokenSource(ctx, &oauth2.Token{RefreshToken: rt1}).Token()
			if !strict {
				if err != nil {
					t.Fatalf("old refresh token rejected: %v", err)
				}
				return
			}
			wantRetrieveError(t, err, "invalid_grant", 70000)
			// Replay revokes the whole family, the newest token too.
			_, err = conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok2.RefreshToken}).Token()
			wantRetrieveError(t, err, "invalid_grant", 70000)
		})
	}
}

func TestRefreshScopeChange(t *testing.T) {
	e := newEnv(t)
	r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"password"}, "client_id": {pubID},
		"username": {aliceUPN}, "password": {alicePass}, "scope": {"User.Read offline_access"}})
	if r.status != 200 {
		t.Fatalf("ROPC: %d %v", r.status, r.body)
	}
	r2 := e.post(tokenPath(testTenant), url.Values{"grant_type": {"refresh_token"}, "client_id": {pubID},
		"refresh_token": {r.str("refresh_token")}, "scope": {"https://graph.microsoft.com/Calendars.Read"}})
	if r2.status != 200 {
		t.Fatalf("refresh: %d %v", r2.status, r2.body)
	}
	if got := r2.str("scope"); got != "https://graph.microsoft.com/Calendars.Read offline_access" {
		t.Errorf("scope = %q", got)
	}
	if r2.str("refresh_token") == "" {
		t.Error("no refresh token")
	}
}

func TestClientCredentialsSecret(t *testing.T) {
	e := newEnv(t)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		cc := clientcredentials.Config{ClientID: confID, ClientSecret: confSecret, TokenURL: e.endpoint(testTenant, "token"),
			Scopes: []string{"https://graph.microsoft.com/.default"}, AuthStyle: style}
		tok, err := cc.Token(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if tok.RefreshToken != "" || tok.Extra("scope") != nil || tok.Extra("id_token") != nil {
			t.Error("app-only answer carries delegated fields")
		}
		c, err := e.p.Verify(tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		want := &Claims{TenantID: testTenant, ClientID: confID, AppName: "Contoso Daemon", Roles: []string{"User.Read.All", "Mail.Read"}, AppOnly: true, ExpiresAt: e.clock.Now().Add(time.Hour)}
		if d := cmp.Diff(want, c); d != "" {
			t.Errorf("claims (-want +got):\n%s", d)
		}
	}
}

func TestClientCredentialsCertificate(t *testing.T) {
	e := newEnv(t)
	for _, aud := range []string{e.srv.URL + tokenPath(testTenant), e.srv.URL + tokenPath(testTenant) + "", e.srv.URL + "/" + testTenant + "/v2.0"} {
		claims := e.assertionClaims()
		claims["aud"] = aud
		cc := clientcredentials.Config{ClientID: certAppID, TokenURL: e.endpoint(testTenant, "token"),
			Scopes: []string{"00000003-0000-0000-c000-000000000000/.default"}, AuthStyle: oauth2.AuthStyleInParams,
			EndpointParams: url.Values{"client_assertion_type": {clientAssertionJWT}, "client_assertion": {assertion(t, certKey(), e.cert, claims)}}}
		tok, err := cc.Token(context.Background())
		if err != nil {
			t.Fatalf("aud %s: %v", aud, err)
		}
		c, err := e.p.Verify(tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if !c.AppOnly || c.ClientID != certAppID || !c.HasScope("mail.read") {
			t.Errorf("claims %+v", c)
		}
	}
	// x5t#S256 works as well as x5t.
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, e.assertionClaims())
	tok.Header["x5t#S256"] = thumbS256(e.cert.Raw)
	s, err := tok.SignedString(certKey())
	if err != nil {
		t.Fatal(err)
	}
	r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"client_credentials"}, "client_id": {certAppID},
		"scope": {graphDefaultScope}, "client_assertion_type": {clientAssertionJWT}, "client_assertion": {s}})
	if r.status != 200 {
		t.Fatalf("x5t#S256: %d %v", r.status, r.body)
	}
}

func TestPassword(t *testing.T) {
	e := newEnv(t)
	r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"password"}, "client_id": {pubID},
		"username": {"ALICE@contoso.test"}, "password": {alicePass}, "scope": {"openid Mail.Send"}})
	if r.status != 200 {
		t.Fatalf("%d %v", r.status, r.body)
	}
	c, err := e.p.Verify(r.str("access_token"))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Mail.Send", "openid"}, c.Scopes); d != "" {
		t.Error(d)
	}
	if r.str("id_token") == "" || r.str("refresh_token") != "" {
		t.Error("id token missing or refresh token without offline_access")
	}
	// Only OIDC scopes: the service adds User.Read.
	r = e.post(tokenPath(testTenant), url.Values{"grant_type": {"password"}, "client_id": {pubID},
		"username": {aliceUPN}, "password": {alicePass}, "scope": {"openid profile"}})
	if got := r.str("scope"); got != "https://graph.microsoft.com/User.Read openid profile" {
		t.Errorf("scope = %q", got)
	}
}

func TestDefaultScopeDelegated(t *testing.T) {
	e := newEnv(t)
	for id, want := range map[string][]string{pubID: defaultDelegated, limitedID: {"User.Read"}} {
		r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"password"}, "client_id": {id},
			"username": {aliceUPN}, "password": {alicePass}, "scope": {"https://graph.microsoft.com/.default"}})
		c, err := e.p.Verify(r.str("access_token"))
		if err != nil {
			t.Fatalf("%s: %v %v", id, err, r.body)
		}
		if d := cmp.Diff(want, c.Scopes); d != "" {
			t.Errorf("%s: %s", id, d)
		}
	}
}

func TestDeviceCodeOAuth2(t *testing.T) {
	e := newEnv(t, autoApprove)
	ctx := context.Background()
	conf := e.oauthConfig(pubID)
	da, err := conf.DeviceAuth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if da.VerificationURI != e.srv.URL+"/devicelogin" || len(da.UserCode) != 9 || da.Interval != 1 {
		t.Fatalf("device auth %+v", da)
	}
	// Approved on creation; the first poll after one interval succeeds.
	e.clock.Advance(time.Second)
	tok, err := conf.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := e.p.Verify(tok.AccessToken); err != nil || c.UPN != aliceUPN {
		t.Fatalf("claims %+v, %v", c, err)
	}
}

func TestDeviceCodePolling(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.DevicePollInterval = 5 * time.Second })
	dr := e.post("/"+testTenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {pubID}, "scope": {"User.Read offline_access"}})
	if dr.status != 200 {
		t.Fatalf("%d %v", dr.status, dr.body)
	}
	userCode := dr.str("user_code")
	wantMsg := "To sign in, use a web browser to open the page " + e.srv.URL + "/devicelogin and enter the code " + userCode + " to authenticate."
	if dr.str("message") != wantMsg || dr.body["expires_in"] != float64(900) || dr.body["interval"] != float64(5) {
		t.Fatalf("devicecode answer %v", dr.body)
	}
	if d := cmp.Diff([]string{userCode}, e.p.PendingDeviceCodes()); d != "" {
		t.Error(d)
	}
	poll := func() result {
		return e.post(tokenPath(testTenant), url.Values{"grant_type": {grantDeviceCode}, "client_id": {pubID}, "device_code": {dr.str("device_code")}})
	}
	steps := []struct {
		advance time.Duration
		approve bool
		want    string
		code    int
	}{
		{5 * time.Second, false, "authorization_pending", 70016},
		{time.Second, false, "slow_down", 70016},     // too soon; the interval becomes 10s
		{6 * time.Second, false, "slow_down", 70016}, // still too soon; now 15s
		{15 * time.Second, false, "authorization_pending", 70016},
		{15 * time.Second, true, "", 0},
	}
	for i, s := range steps {
		e.clock.Advance(s.advance)
		if s.approve {
			if err := e.p.ApproveDeviceCode(strings.ToLower(userCode), aliceUPN); err != nil {
				t.Fatal(err)
			}
		}
		r := poll()
		if r.str("error") != s.want || r.aadsts() != s.code {
			t.Fatalf("step %d: %d %v, want %q", i, r.status, r.body, s.want)
		}
	}
	if len(e.p.PendingDeviceCodes()) != 0 {
		t.Error("code still pending")
	}
	// Spent.
	if r := poll(); r.str("error") != "bad_verification_code" {
		t.Errorf("reuse: %v", r.body)
	}
}

func TestDeviceCodeDeclinedAndExpired(t *testing.T) {
	e := newEnv(t)
	start := func() result {
		return e.post("/"+testTenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {pubID}, "scope": {"User.Read"}})
	}
	poll := func(dc string) result {
		return e.post(tokenPath(testTenant), url.Values{"grant_type": {grantDeviceCode}, "client_id": {pubID}, "device_code": {dc}})
	}
	a := start()
	if err := e.p.DeclineDeviceCode(a.str("user_code")); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if r := poll(a.str("device_code")); r.str("error") != "authorization_declined" || r.status != 400 {
		t.Errorf("declined: %d %v", r.status, r.body)
	}
	b := start()
	e.clock.Advance(15 * time.Minute)
	if r := poll(b.str("device_code")); r.str("error") != "expired_token" || r.aadsts() != 70019 {
		t.Errorf("expired: %v", r.body)
	}
	if err := e.p.ApproveDeviceCode(b.str("user_code"), aliceUPN); !errors.Is(err, ErrUnknownUserCode) {
		t.Errorf("approve expired = %v", err)
	}
	c := start()
	if err := e.p.ApproveDeviceCode(c.str("user_code"), "nobody@contoso.test"); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("approve unknown user = %v", err)
	}
	if r := poll("nonsense"); r.str("error") != "bad_verification_code" || r.aadsts() != 70018 {
		t.Errorf("bad code: %v", r.body)
	}
}

func TestAccessTokenLifetime(t *testing.T) {
	e := newEnv(t)
	e.p.SetAccessTokenLifetime(5 * time.Minute)
	cc := clientcredentials.Config{ClientID: confID, ClientSecret: confSecret, TokenURL: e.endpoint(testTenant, "token"), Scopes: []string{graphDefaultScope}}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.Extra("expires_in") != float64(300) {
		t.Errorf("expires_in = %v", tok.Extra("expires_in"))
	}
	e.clock.Advance(5*time.Minute - time.Second)
	if _, err := e.p.Verify(tok.AccessToken); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	e.clock.Advance(time.Second)
	_, err = e.p.Verify(tok.AccessToken)
	var te *TokenError
	if !errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrTokenInvalid) || !errors.As(err, &te) || te.Message != "Lifetime validation failed, the token is expired." {
		t.Fatalf("after expiry: %v", err)
	}
}

func wantRetrieveError(t *testing.T, err error, code string, aadsts int) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want *oauth2.RetrieveError", err)
	}
	if re.ErrorCode != code || !strings.HasPrefix(re.ErrorDescription, "AADSTS"+strconv.Itoa(aadsts)+":") {
		t.Fatalf("error %q %q, want %s AADSTS%d", re.ErrorCode, re.ErrorDescription, code, aadsts)
	}
}

func TestInteractionRequiredAndRevocation(t *testing.T) {
	e := newEnv(t)
	ropc := url.Values{"grant_type": {"password"}, "client_id": {pubID}, "username": {aliceUPN}, "password": {alicePass}, "scope": {"User.Read offline_access"}}
	r := e.post(tokenPath(testTenant), ropc)
	rt := r.str("refresh_token")
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {pubID}, "refresh_token": {rt}}

	if !e.p.SetInteractionRequired(aliceUPN, true) || e.p.SetInteractionRequired("ghost@contoso.test", true) {
		t.Fatal("SetInteractionRequired result")
	}
	for _, form := range []url.Values{ropc, refresh} {
		r := e.post(tokenPath(testTenant), form)
		checkError(t, r, 400, "invalid_grant", 50076)
		if r.str("suberror") != "basic_action" || !json.Valid([]byte(r.str("claims"))) {
			t.Errorf("suberror %q claims %q", r.str("suberror"), r.str("claims"))
		}
	}
	e.p.SetInteractionRequired(aliceUPN, false)
	if r := e.post(tokenPath(testTenant), refresh); r.status != 200 {
		t.Fatalf("after MFA cleared: %v", r.body)
	}

	if n := e.p.RevokeSignInSessions(aliceUPN); n != 2 {
		t.Errorf("revoked %d tokens, want 2", n)
	}
	checkError(t, e.post(tokenPath(testTenant), refresh), 400, "invalid_grant", 50173)
}
