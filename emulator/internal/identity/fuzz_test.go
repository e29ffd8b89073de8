package identity

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

var fuzzRoutes = []string{
	"/" + testTenant + "/oauth2/v2.0/token",
	"/common/oauth2/v2.0/devicecode",
	"/devicelogin",
	"/" + testTenant + "/oauth2/v2.0/authorize?client_id=" + pubID + "&response_type=code&scope=User.Read&code_challenge=" + strings.Repeat("a", 43),
}

// FuzzToken posts arbitrary forms to the form-reading routes: no panic,
// only the documented statuses, JSON errors on the JSON routes, and any
// token that comes back verifies.
func FuzzToken(f *testing.F) {
	e := newEnv(f)
	seeds := []url.Values{
		{"grant_type": {"client_credentials"}, "client_id": {confID}, "client_secret": {confSecret}, "scope": {graphDefaultScope}},
		{"grant_type": {"password"}, "client_id": {pubID}, "username": {aliceUPN}, "password": {alicePass}, "scope": {"openid offline_access Mail.Read"}},
		{"grant_type": {"refresh_token"}, "client_id": {pubID}, "refresh_token": {"1.Axyz"}, "scope": {"https://graph.microsoft.com/.default"}},
		{"grant_type": {"authorization_code"}, "client_id": {pubID}, "code": {"1.A"}, "redirect_uri": {redirectUse}, "code_verifier": {"v"}},
		{"grant_type": {grantDeviceCode}, "client_id": {pubID}, "device_code": {"DAQ"}},
		{"grant_type": {"client_credentials"}, "client_id": {certAppID}, "client_assertion_type": {clientAssertionJWT}, "client_assertion": {"eyJhbGciOiJSUzI1NiIsIng1dCI6IkFBQSJ9.eyJpc3MiOiJ4In0.c2ln"}},
		{"client_id": {pubID}, "scope": {"User.Read"}},
		{"otc": {"ABCDEFGHJ"}, "username": {aliceUPN}, "password": {alicePass}, "action": {"accept"}},
	}
	for i, s := range seeds {
		f.Add(uint8(i), s.Encode(), "")
	}
	f.Add(uint8(0), "grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default", "Basic "+basic(confID, confSecret))
	f.Add(uint8(0), "%zz&&==;", "Basic ###")
	f.Fuzz(func(t *testing.T, route uint8, body, authz string) {
		path := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		rec := httptest.NewRecorder()
		e.p.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 302, 400, 401:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatalf("bad JSON: %v", err)
			}
			if at, _ := m["access_token"].(string); at != "" {
				if _, err := e.p.Verify(at); err != nil {
					t.Fatalf("issued token does not verify: %v", err)
				}
			}
		}
		if rec.Code == http.StatusFound {
			checkRedirectTarget(t, e, rec.Header().Get("Location"))
		}
	})
}

func basic(id, secret string) string {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}

// checkRedirectTarget fails unless loc goes to a registered redirect URI.
func checkRedirectTarget(t *testing.T, e *env, loc string) {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("bad Location %q", loc)
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	for _, id := range []string{pubID, confID, certAppID, limitedID} {
		if a := e.p.app(id); a != nil && redirectAllowed(a.RedirectURIs, u.String()) {
			return
		}
	}
	t.Fatalf("redirect to unregistered %q", loc)
}

// FuzzAuthorize sends arbitrary authorization requests: no panic, and a
// redirect only ever goes to a registered URI (no open redirector).
func FuzzAuthorize(f *testing.F) {
	e := newEnv(f, autoApprove)
	f.Add(testTenant, "client_id="+pubID+"&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcallback&scope=User.Read&code_challenge="+strings.Repeat("a", 43)+"&state=x")
	f.Add("common", "client_id="+confID+"&response_type=code&redirect_uri=https%3A%2F%2Fdaemon.contoso.test%2Fcb&scope=openid&response_mode=form_post")
	f.Add("common", "client_id="+pubID+"&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcallback%3Fa%3Db&scope=x")
	f.Add("x", "client_id=%zz&redirect_uri=//evil")
	f.Fuzz(func(t *testing.T, tenant, query string) {
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		req.URL.Path = "/" + tenant + "/oauth2/v2.0/authorize"
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		e.p.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 302, 400, 404:
		default:
			t.Fatalf("status %d", rec.Code)
		}
		if rec.Code == http.StatusFound {
			checkRedirectTarget(t, e, rec.Header().Get("Location"))
		}
		if rec.Code == 200 && strings.Contains(rec.Header().Get("Content-Type"), "html") && strings.Contains(rec.Body.String(), "<script>") {
			t.Fatal("script in page")
		}
	})
}

// FuzzVerify feeds arbitrary strings to Verify: no panic, and anything
// accepted is a token for this tenant.
func FuzzVerify(f *testing.F) {
	e := newEnv(f)
	r := e.post(tokenPath(testTenant), url.Values{"grant_type": {"client_credentials"}, "client_id": {confID}, "client_secret": {confSecret}, "scope": {graphDefaultScope}})
	tok := r.str("access_token")
	f.Add(tok)
	f.Add("Bearer " + tok)
	f.Add(tok[:len(tok)-3] + "abc")
	f.Add("eyJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.")
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := e.p.Verify(s)
		if err == nil && (c == nil || c.TenantID != testTenant || c.ClientID == "") {
			t.Fatalf("accepted %q: %+v", s, c)
		}
		if err != nil && c != nil {
			t.Fatal("claims with an error")
		}
	})
}
