package identity

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

var (
	actionRE = regexp.MustCompile(`<form method="post" action="([^"]*)"`)
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
)

// page is an HTML answer with its form, if any.
type page struct {
	status int
	body   string
	action string
	hidden url.Values
	loc    *url.URL
}

func readPage(t *testing.T, resp *http.Response) page {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	pg := page{status: resp.StatusCode, body: string(b), hidden: url.Values{}}
	if resp.StatusCode == http.StatusFound {
		loc, err := resp.Location()
		if err != nil {
			t.Fatal(err)
		}
		pg.loc = loc
		return pg
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if m := actionRE.FindStringSubmatch(pg.body); m != nil {
		pg.action = html.UnescapeString(m[1])
	}
	for _, m := range hiddenRE.FindAllStringSubmatch(pg.body, -1) {
		pg.hidden.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return pg
}

// submit posts the page's form, resolved against base, with its hidden
// fields and extra.
func (e *env) submit(t *testing.T, pg page, extra url.Values) page {
	t.Helper()
	if pg.action == "" {
		t.Fatalf("no form in page: %.300s", pg.body)
	}
	u, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	target, err := u.Parse(pg.action)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for k, v := range pg.hidden {
		form[k] = v
	}
	for k, v := range extra {
		form[k] = v
	}
	resp, err := noRedirect.PostForm(target.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	return readPage(t, resp)
}

func (e *env) open(t *testing.T, u string) page {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return readPage(t, resp)
}

func TestSignInPage(t *testing.T) {
	e := newEnv(t)
	e.p.RegisterApp(App{ClientID: pubID, Name: `Contoso <script>alert("x")</script>`, Public: true, RedirectURIs: []string{redirectReg}})
	conf := e.oauthConfig(pubID)
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(`st"<&>`, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("login_hint", `a"><b>@x`))
	pg := e.open(t, authURL)
	if pg.status != 200 {
		t.Fatalf("status %d: %.300s", pg.status, pg.body)
	}
	for _, want := range []string{
		"Contoso &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;",
		"Read your mail", "Mail.Read", "Maintain access to data you have given it access to",
		`name="username" value="a&#34;&gt;&lt;b&gt;@x"`, `type="password"`,
		`value="accept"`, `value="cancel"`,
	} {
		if !strings.Contains(pg.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Enter submits the first button: it must be Accept, not Cancel.
	if strings.Index(pg.body, `value="accept"`) > strings.Index(pg.body, `value="cancel"`) {
		t.Error("Cancel is the form's default button")
	}
	if strings.Contains(pg.body, "<script>") || strings.Contains(pg.body, "<b>") {
		t.Error("unescaped markup in page")
	}

	// Wrong password: the page again, with the error.
	bad := e.submit(t, pg, url.Values{"username": {aliceUPN}, "password": {"nope"}, "action": {"accept"}})
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "Your account or password is incorrect.") {
		t.Fatalf("wrong password: %d", bad.status)
	}
	if strings.Contains(bad.body, "nope") {
		t.Error("password echoed in page")
	}

	// Accept: back to the app with code and state.
	ok := e.submit(t, bad, url.Values{"username": {aliceUPN}, "password": {alicePass}, "action": {"accept"}})
	if ok.loc == nil || ok.loc.Host != "localhost:53123" || ok.loc.Path != "/callback" || ok.loc.Query().Get("state") != `st"<&>` {
		t.Fatalf("accept: %d %v", ok.status, ok.loc)
	}
	tok, err := conf.Exchange(context.Background(), ok.loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if c, err := e.p.Verify(tok.AccessToken); err != nil || c.ObjectID != aliceID {
		t.Fatalf("%+v %v", c, err)
	}

	// Cancel: access_denied with AADSTS65004.
	pg = e.open(t, authURL)
	no := e.submit(t, pg, url.Values{"action": {"cancel"}})
	q := no.loc.Query()
	if q.Get("error") != "access_denied" || !strings.HasPrefix(q.Get("error_description"), "AADSTS65004: ") || q.Get("state") != `st"<&>` || q.Get("code") != "" {
		t.Fatalf("cancel: %v", q)
	}
}

func TestAuthorizeErrors(t *testing.T) {
	e := newEnv(t, autoApprove)
	authz := func(tenant string, kv ...string) string {
		v := url.Values{"client_id": {pubID}, "response_type": {"code"}, "redirect_uri": {redirectUse}, "scope": {"User.Read"},
			"state": {"s"}, "code_challenge": {strings.Repeat("a", 43)}, "code_challenge_method": {"S256"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return e.endpoint(tenant, "authorize") + "?" + v.Encode()
	}
	// Shown to the user, never sent to the redirect URI.
	pageCases := []struct {
		name string
		url  string
		code string
	}{
		{"unknown tenant", authz("fabrikam.test"), "AADSTS90002"},
		{"unknown app", authz(testTenant, "client_id", "nope"), "AADSTS700016"},
		{"missing client", authz(testTenant, "client_id", ""), "AADSTS900144"},
		{"redirect not registered", authz(testTenant, "redirect_uri", "https://evil.test/callback"), "AADSTS50011"},
		{"loopback path differs", authz(testTenant, "redirect_uri", "http://localhost:8080/other"), "AADSTS50011"},
		{"https loopback port", authz(testTenant, "redirect_uri", "https://app.contoso.test:8443/cb"), "AADSTS50011"},
		{"loopback host differs", authz(testTenant, "redirect_uri", "http://127.0.0.1:8080/callback"), "AADSTS50011"},
	}
	for _, c := range pageCases {
		t.Run(c.name, func(t *testing.T) {
			pg := e.open(t, c.url)
			if pg.status != http.StatusBadRequest || !strings.Contains(pg.body, c.code+": ") {
				t.Fatalf("%d %v %.300s", pg.status, pg.loc, pg.body)
			}
		})
	}
	// Sent back to the app.
	redirectCases := []struct {
		name string
		url  string
		err  string
		code string
	}{
		{"response type", authz(testTenant, "response_type", "token"), "unsupported_response_type", "AADSTS700054"},
		{"no scope", authz(testTenant, "scope", ""), "invalid_request", "AADSTS900144"},
		{"bad scope", authz(testTenant, "scope", "https://outlook.office.com/Mail.Read"), "invalid_scope", "AADSTS70011"},
		{"consent", authz(testTenant, "client_id", limitedID, "scope", "Mail.Read"), "consent_required", "AADSTS65001"},
		{"pkce required", authz(testTenant, "code_challenge", "", "code_challenge_method", ""), "invalid_request", "AADSTS9002325"},
		{"pkce method", authz(testTenant, "code_challenge_method", "S512"), "invalid_request", "AADSTS501491"},
		{"pkce size", authz(testTenant, "code_challenge", "short"), "invalid_request", "AADSTS501491"},
	}
	for _, c := range redirectCases {
		t.Run(c.name, func(t *testing.T) {
			pg := e.open(t, c.url)
			if pg.loc == nil {
				t.Fatalf("no redirect: %d %.300s", pg.status, pg.body)
			}
			q := pg.loc.Query()
			if q.Get("error") != c.err || !strings.HasPrefix(q.Get("error_description"), c.code+": ") || q.Get("state") != "s" {
				t.Fatalf("%v", q)
			}
		})
	}
	// Loopback redirect URIs match on any port, registered ones exactly.
	for _, ok := range []string{"http://localhost:1/callback", "http://localhost/callback", "https://app.contoso.test/cb"} {
		if pg := e.open(t, authz(testTenant, "redirect_uri", ok)); pg.loc == nil || pg.loc.Query().Get("code") == "" {
			t.Errorf("%s: %d %v", ok, pg.status, pg.loc)
		}
	}
}

func TestAuthorizeResponseModesAndPrompt(t *testing.T) {
	e := newEnv(t)
	conf := e.oauthConfig(confID)
	conf.RedirectURL = "https://daemon.contoso.test/cb"
	// Confidential clients may skip PKCE; prompt=none without auto-approve
	// needs interaction.
	pg := e.open(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("prompt", "none")))
	if q := pg.loc.Query(); q.Get("error") != "login_required" || !strings.HasPrefix(q.Get("error_description"), "AADSTS50058") {
		t.Fatalf("prompt=none: %v", pg.loc)
	}
	e.p.SetAutoApprove(true, aliceUPN)
	pg = e.open(t, conf.AuthCodeURL("s", oauth2.SetAuthURLParam("response_mode", "fragment")))
	frag, err := url.ParseQuery(pg.loc.Fragment)
	if err != nil || frag.Get("code") == "" || pg.loc.RawQuery != "" {
		t.Fatalf("fragment: %v", pg.loc)
	}
	pg = e.open(t, conf.AuthCodeURL("s<", oauth2.SetAuthURLParam("response_mode", "form_post")))
	if pg.status != 200 || pg.action != "https://daemon.contoso.test/cb" || pg.hidden.Get("code") == "" || pg.hidden.Get("state") != "s<" {
		t.Fatalf("form_post: %d %q %v", pg.status, pg.action, pg.hidden)
	}
	tok, err := conf.Exchange(context.Background(), pg.hidden.Get("code"), oauth2.SetAuthURLParam("client_secret", confSecret))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Verify(tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	// Auto-approve as a user that does not exist: an error page.
	e.p.SetAutoApprove(true, "ghost@contoso.test")
	if pg := e.open(t, conf.AuthCodeURL("s")); pg.status != 400 || !strings.Contains(pg.body, "AADSTS50034") {
		t.Fatalf("ghost: %d", pg.status)
	}
}

func TestDeviceLoginPage(t *testing.T) {
	e := newEnv(t)
	start := func() result {
		return e.post("/"+testTenant+"/oauth2/v2.0/devicecode", url.Values{"client_id": {pubID}, "scope": {"User.Read Mail.Read"}})
	}
	poll := func(dc string) result {
		e.clock.Advance(time.Minute)
		return e.post(tokenPath(testTenant), url.Values{"grant_type": {grantDeviceCode}, "client_id": {pubID}, "device_code": {dc}})
	}
	d := start()
	entry := e.open(t, d.str("verification_uri"))
	if entry.status != 200 || entry.action != "/devicelogin" || !strings.Contains(entry.body, `name="otc"`) {
		t.Fatalf("entry page: %d %q", entry.status, entry.action)
	}
	wrong := e.submit(t, entry, url.Values{"otc": {"WRONGCODE"}})
	if wrong.status != 400 || !strings.Contains(wrong.body, "That code didn&#39;t work.") {
		t.Fatalf("wrong code: %d", wrong.status)
	}
	uc := d.str("user_code")
	signIn := e.submit(t, entry, url.Values{"otc": {strings.ToLower(uc[:4] + "-" + uc[4:])}})
	if signIn.status != 200 || signIn.hidden.Get("otc") != uc || !strings.Contains(signIn.body, "Read your mail") || !strings.Contains(signIn.body, "Contoso CLI") {
		t.Fatalf("sign-in page: %d %v", signIn.status, signIn.hidden)
	}
	bad := e.submit(t, signIn, url.Values{"username": {aliceUPN}, "password": {"x"}, "action": {"accept"}})
	if bad.status != 400 || !strings.Contains(bad.body, "incorrect") {
		t.Fatalf("bad password: %d", bad.status)
	}
	if r := poll(d.str("device_code")); r.str("error") != "authorization_pending" {
		t.Fatalf("before approval: %v", r.body)
	}
	done := e.submit(t, bad, url.Values{"username": {aliceUPN}, "password": {alicePass}, "action": {"accept"}})
	if done.status != 200 || !strings.Contains(done.body, "You have signed in to the Contoso CLI application on your device.") {
		t.Fatalf("accept: %d %.300s", done.status, done.body)
	}
	r := poll(d.str("device_code"))
	c, err := e.p.Verify(r.str("access_token"))
	if err != nil || c.UPN != aliceUPN {
		t.Fatalf("%v %v", r.body, err)
	}
	// A used code cannot be entered again.
	if again := e.submit(t, entry, url.Values{"otc": {uc}}); again.status != 400 {
		t.Errorf("reuse: %d", again.status)
	}

	// Cancel declines.
	d2 := start()
	signIn = e.submit(t, entry, url.Values{"otc": {d2.str("user_code")}})
	if pg := e.submit(t, signIn, url.Values{"action": {"cancel"}}); pg.status != 200 || !strings.Contains(pg.body, "declined") {
		t.Fatalf("cancel: %d", pg.status)
	}
	if r := poll(d2.str("device_code")); r.str("error") != "authorization_declined" {
		t.Fatalf("after cancel: %v", r.body)
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t)
	pg := e.open(t, e.endpoint(testTenant, "logout")+"?post_logout_redirect_uri="+url.QueryEscape("http://localhost:9999/callback"))
	if pg.loc == nil || pg.loc.String() != "http://localhost:9999/callback" {
		t.Errorf("registered: %v", pg.loc)
	}
	pg = e.open(t, e.endpoint(testTenant, "logout")+"?post_logout_redirect_uri="+url.QueryEscape("https://evil.test/"))
	if pg.loc != nil || pg.status != 200 {
		t.Errorf("unregistered: %d %v", pg.status, pg.loc)
	}
}
