package identity

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// TestTokenErrors checks the identity platform's error answers, one per
// AADSTS code the emulator reproduces.
func TestTokenErrors(t *testing.T) {
	e := newEnv(t, autoApprove, func(c *Config) { c.StrictRefreshRotation = false })
	// A fresh code for the code-grant cases.
	newCode := func(verifier string) string {
		conf := e.oauthConfig(pubID)
		return e.authorize(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier))).Get("code")
	}
	ver := oauth2.GenerateVerifier()
	redeemed := newCode(ver)
	if r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {redeemed}, "redirect_uri": {redirectUse}, "code_verifier": {ver}}); r.status != 200 {
		t.Fatalf("redeem: %v", r.body)
	}
	otherCert := selfSigned(t, otherKey())

	type tc struct {
		name   string
		path   string
		form   func() url.Values
		status int
		err    string
		code   int
	}
	cases := []tc{
		{name: "unknown tenant", path: tokenPath("fabrikam.test"), form: func() url.Values {
			return url.Values{"grant_type": {"client_credentials"}, "client_id": {confID}}
		}, status: 400, err: "invalid_request", code: 90002},
		{name: "missing grant_type", form: func() url.Values { return url.Values{"client_id": {pubID}} }, status: 400, err: "invalid_request", code: 900144},
		{name: "missing client_id", form: func() url.Values { return url.Values{"grant_type": {"password"}} }, status: 400, err: "invalid_request", code: 900144},
		{name: "unknown app", form: func() url.Values {
			return url.Values{"grant_type": {"client_credentials"}, "client_id": {"nope"}}
		}, status: 400, err: "unauthorized_client", code: 700016},
		{name: "unsupported grant", form: func() url.Values {
			return url.Values{"grant_type": {"implicit"}, "client_id": {pubID}}
		}, status: 400, err: "unsupported_grant_type", code: 70003},
		{name: "bad secret", form: func() url.Values {
			return url.Values{"grant_type": {"client_credentials"}, "client_id": {confID}, "client_secret": {"wrong"}, "scope": {graphDefaultScope}}
		}, status: 401, err: "invalid_client", code: 7000215},
		{name: "confidential without credentials", form: func() url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "client_id": {confID}, "refresh_token": {"x"}}
		}, status: 401, err: "invalid_client", code: 7000218},
		{name: "public client with secret", form: func() url.Values {
			return url.Values{"grant_type": {"password"}, "client_id": {pubID}, "client_secret": {"x"}}
		}, status: 401, err: "invalid_client", code: 700025},
		{name: "client credentials scope", form: func() url.Values {
			return url.Values{"grant_type": {"client_credentials"}, "client_id": {confID}, "client_secret": {confSecret}, "scope": {"https://graph.microsoft.com/Mail.Read"}}
		}, status: 400, err: "invalid_scope", code: 1002012},
		{name: "code reused", form: func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {redeemed}, "redirect_uri": {redirectUse}, "code_verifier": {ver}}
		}, status: 400, err: "invalid_grant", code: 54005},
		{name: "code expired", form: func() url.Values {
			c := newCode(ver)
			e.clock.Advance(10 * time.Minute)
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {c}, "redirect_uri": {redirectUse}, "code_verifier": {ver}}
		}, status: 400, err: "invalid_grant", code: 70008},
		{name: "pkce mismatch", form: func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {newCode(ver)}, "redirect_uri": {redirectUse}, "code_verifier": {oauth2.GenerateVerifier()}}
		}, status: 400, err: "invalid_grant", code: 50148},
		{name: "pkce verifier missing", form: func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {newCode(ver)}, "redirect_uri": {redirectUse}}
		}, status: 400, err: "invalid_grant", code: 501481},
		{name: "redirect differs from authorize", form: func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {newCode(ver)}, "redirect_uri": {"http://localhost:1/callback"}, "code_verifier": {ver}}
		}, status: 400, err: "invalid_grant", code: 500112},
		{name: "unknown code", form: func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {"garbage"}, "redirect_uri": {redirectUse}}
		}, status: 400, err: "invalid_grant", code: 9002313},
		{name: "refresh expired", form: func() url.Values {
			r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"password"}, "client_id": {pubID}, "username": {aliceUPN}, "password": {alicePass}, "scope": {"User.Read offline_access"}})
			e.clock.Advance(90 * 24 * time.Hour)
			return url.Values{"grant_type": {"refresh_token"}, "client_id": {pubID}, "refresh_token": {r.str("refresh_token")}}
		}, status: 400, err: "invalid_grant", code: 700082},
		{name: "refresh of another client", form: func() url.Values {
			r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"password"}, "client_id": {pubID}, "username": {aliceUPN}, "password": {alicePass}, "scope": {"User.Read offline_access"}})
			return url.Values{"grant_type": {"refresh_token"}, "client_id": {limitedID}, "refresh_token": {r.str("refresh_token")}}
		}, status: 400, err: "invalid_grant", code: 70000},
		{name: "missing refresh token", form: func() url.Values {
			return url.Values{"grant_type": {"refresh_token"}, "client_id": {pubID}}
		}, status: 400, err: "invalid_request", code: 900144},
		{name: "consent required", form: func() url.Values {
			return url.Values{"grant_type": {"password"}, "client_id": {limitedID}, "username": {aliceUPN}, "password": {alicePass}, "scope": {"Mail.Read"}}
		}, status: 400, err: "invalid_grant", code: 65001},
		{name: "bad password", form: func() url.Values {
			return url.Values{"grant_type": {"password"}, "client_id": {pubID}, "username": {aliceUPN}, "password": {"nope"}, "scope": {"User.Read"}}
		}, status: 400, err: "invalid_grant", code: 50126},
		{name: "unknown user", form: func() url.Values {
			return url.Values{"grant_type": {"password"}, "client_id": {pubID}, "username": {"bob@contoso.test"}, "password": {"x"}, "scope": {"User.Read"}}
		}, status: 400, err: "invalid_grant", code: 50126},
		{name: "other resource scope", form: func() url.Values {
			return url.Values{"grant_type": {"password"}, "client_id": {pubID}, "username": {aliceUPN}, "password": {alicePass}, "scope": {"https://outlook.office.com/Mail.Read"}}
		}, status: 400, err: "invalid_scope", code: 70011},
		{name: "assertion with unregistered certificate", form: func() url.Values {
			return e.assertionForm(assertion(t, otherKey(), otherCert, e.assertionClaims()))
		}, status: 401, err: "invalid_client", code: 700027},
		{name: "assertion with bad signature", form: func() url.Values {
			return e.assertionForm(assertion(t, otherKey(), e.cert, e.assertionClaims()))
		}, status: 401, err: "invalid_client", code: 700027},
		{name: "assertion audience", form: func() url.Values {
			c := e.assertionClaims()
			c["aud"] = "https://login.microsoftonline.com/" + testTenant + "/oauth2/v2.0/token"
			return e.assertionForm(assertion(t, certKey(), e.cert, c))
		}, status: 401, err: "invalid_client", code: 700212},
		{name: "assertion issuer", form: func() url.Values {
			c := e.assertionClaims()
			c["iss"] = confID
			return e.assertionForm(assertion(t, certKey(), e.cert, c))
		}, status: 401, err: "invalid_client", code: 700021},
		{name: "assertion expired", form: func() url.Values {
			s := assertion(t, certKey(), e.cert, e.assertionClaims())
			e.clock.Advance(11 * time.Minute)
			return e.assertionForm(s)
		}, status: 401, err: "invalid_client", code: 700024},
		{name: "assertion without exp", form: func() url.Values {
			c := e.assertionClaims()
			delete(c, "exp")
			return e.assertionForm(assertion(t, certKey(), e.cert, c))
		}, status: 401, err: "invalid_client", code: 50027},
		{name: "assertion alg none", form: func() url.Values {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodNone, e.assertionClaims()).SignedString(jwt.UnsafeAllowNoneSignatureType)
			return e.assertionForm(s)
		}, status: 401, err: "invalid_client", code: 700027},
		{name: "assertion garbage", form: func() url.Values { return e.assertionForm("a.b.c") }, status: 401, err: "invalid_client", code: 50027},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.path
			if path == "" {
				path = tokenPath(testTenant)
			}
			r := e.post(path, c.form())
			checkError(t, r, c.status, c.err, c.code)
		})
	}
}

func (e *env) assertionForm(a string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {certAppID}, "scope": {graphDefaultScope},
		"client_assertion_type": {clientAssertionJWT}, "client_assertion": {a}}
}

var descRE = regexp.MustCompile(`^AADSTS(\d+): [^\r\n]+\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$`)

func checkError(t *testing.T, r result, status int, errCode string, aadsts int) {
	t.Helper()
	if r.status != status || r.str("error") != errCode || r.aadsts() != aadsts {
		t.Fatalf("got %d %q %d, want %d %q %d: %q", r.status, r.str("error"), r.aadsts(), status, errCode, aadsts, r.str("error_description"))
	}
	m := descRE.FindStringSubmatch(r.str("error_description"))
	if m == nil || m[1] != strconv.Itoa(aadsts) {
		t.Errorf("error_description %q", r.str("error_description"))
	}
	for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
		if r.str(k) == "" || !strings.Contains(r.str("error_description"), r.str(k)) {
			t.Errorf("%s %q missing or not in the description", k, r.str(k))
		}
	}
	if !strings.HasSuffix(r.str("error_uri"), "/error?code="+strconv.Itoa(aadsts)) {
		t.Errorf("error_uri %q", r.str("error_uri"))
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestCorrelationIDEchoed(t *testing.T) {
	e := newEnv(t)
	const id = "0e0b1d9a-6a53-4a4a-9c5b-0d1e2f3a4b5c"
	r := e.post(tokenPath(testTenant), url.Values{"client_id": {pubID}}, "client-request-id", id)
	if r.str("correlation_id") != id {
		t.Errorf("correlation_id %q", r.str("correlation_id"))
	}
}

func TestTokenEndpointRejectsGet(t *testing.T) {
	e := newEnv(t)
	resp, body := e.get(e.endpoint(testTenant, "token") + "?grant_type=client_credentials")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "AADSTS900561") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

func TestDeviceCodeEndpointErrors(t *testing.T) {
	e := newEnv(t)
	path := "/" + testTenant + "/oauth2/v2.0/devicecode"
	checkError(t, e.post(path, url.Values{"client_id": {"nope"}, "scope": {"User.Read"}}), 400, "unauthorized_client", 700016)
	checkError(t, e.post(path, url.Values{"client_id": {pubID}}), 400, "invalid_request", 900144)
	checkError(t, e.post(path, url.Values{"client_id": {limitedID}, "scope": {"Mail.Read"}}), 400, "invalid_grant", 65001)
	checkError(t, e.post("/nowhere/oauth2/v2.0/devicecode", url.Values{"client_id": {pubID}, "scope": {"User.Read"}}), 400, "invalid_request", 90002)
}
