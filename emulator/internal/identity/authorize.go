package identity

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// authRequest is a validated authorization request.
type authRequest struct {
	app          *App
	redirectURI  string
	scopes       []string
	responseMode string
	state        string
	nonce        string
	challenge    string
	method       string
	loginHint    string
	prompt       string
}

// loopbackHost reports whether h is a loopback name for which the
// registered port is ignored (RFC 8252 §7.3).
func loopbackHost(h string) bool {
	switch strings.ToLower(h) {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

// redirectAllowed matches got against the registered URIs: exactly, or for
// http loopback URIs with any port.
func redirectAllowed(registered []string, got string) bool {
	for _, reg := range registered {
		if reg == got {
			return true
		}
	}
	gu, err := url.Parse(got)
	if err != nil || gu.Scheme != "http" || gu.User != nil || gu.Fragment != "" || !loopbackHost(gu.Hostname()) {
		return false
	}
	for _, reg := range registered {
		ru, err := url.Parse(reg)
		if err != nil || ru.Scheme != "http" || ru.User != nil {
			continue
		}
		if strings.EqualFold(ru.Hostname(), gu.Hostname()) &&
			strings.TrimSuffix(ru.EscapedPath(), "/") == strings.TrimSuffix(gu.EscapedPath(), "/") &&
			ru.RawQuery == gu.RawQuery {
			return true
		}
	}
	return false
}

// parseAuthorize validates the query of an authorization request. An
// error with redirect=false must be shown to the user, never sent to the
// redirect URI (it could be anyone's).
func (p *Provider) parseAuthorize(tenant string, q url.Values) (ar *authRequest, e *oauthError, redirect bool) {
	clientID := q.Get("client_id")
	if clientID == "" {
		return nil, errMissingParam("client_id"), false
	}
	app := p.app(clientID)
	if app == nil {
		return nil, errUnknownApp(clientID, p.tenantName(tenant)), false
	}
	ar = &authRequest{
		app:          app,
		redirectURI:  q.Get("redirect_uri"),
		responseMode: q.Get("response_mode"),
		state:        q.Get("state"),
		nonce:        q.Get("nonce"),
		challenge:    q.Get("code_challenge"),
		method:       q.Get("code_challenge_method"),
		loginHint:    q.Get("login_hint"),
		prompt:       q.Get("prompt"),
	}
	if ar.redirectURI == "" {
		if len(app.RedirectURIs) == 0 {
			return nil, errNoReplyAddress(clientID), false
		}
		ar.redirectURI = app.RedirectURIs[0]
	} else if !redirectAllowed(app.RedirectURIs, ar.redirectURI) {
		return nil, errRedirectMismatch(ar.redirectURI, clientID), false
	}
	switch ar.responseMode {
	case "":
		ar.responseMode = "query"
	case "query", "fragment", "form_post":
	default:
		ar.responseMode = "query"
		return ar, newErr(400, "invalid_request", 900144, "The provided value for the input parameter 'response_mode' is not valid. Expected values are 'query', 'fragment' or 'form_post'."), true
	}
	switch rt := q.Get("response_type"); rt {
	case "code":
	case "":
		return ar, errMissingParam("response_type"), true
	default:
		return ar, newErr(400, "unsupported_response_type", 700054, "response_type '%s' is not enabled for the application.", clipped(rt, 100)), true
	}
	s := strings.TrimSpace(q.Get("scope"))
	if s == "" {
		return ar, errMissingParam("scope"), true
	}
	rs, bad := parseScopes(s)
	if bad != "" {
		return ar, errInvalidScope(clipped(bad, 200)), true
	}
	scopes, ok := resolveDelegated(app, rs)
	if !ok {
		e := errConsent(app)
		e.code = "consent_required"
		return ar, e, true
	}
	ar.scopes = scopes
	if ar.challenge == "" {
		if ar.method != "" {
			return ar, errMissingParam("code_challenge"), true
		}
		if app.Public {
			return ar, newErr(400, "invalid_request", 9002325, "Proof Key for Code Exchange is required for public client authorization code redemption."), true
		}
		return ar, nil, true
	}
	switch ar.method {
	case "":
		ar.method = "plain" // RFC 7636 §4.3 default
	case "S256", "plain":
	default:
		return ar, newErr(400, "invalid_request", 501491, "Invalid code_challenge_method '%s'. Supported values are 'S256' and 'plain'.", clipped(ar.method, 50)), true
	}
	if !validPKCEString(ar.challenge) {
		return ar, newErr(400, "invalid_request", 501491, "Invalid size of Code_Challenge parameter."), true
	}
	return ar, nil, true
}

// validPKCEString checks RFC 7636's 43-128 unreserved characters.
func validPKCEString(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// serveAuthorize is GET and POST /{tenant}/oauth2/v2.0/authorize. GET
// shows the sign-in and consent page (or, with auto-approve, redirects at
// once); the page POSTs back to the same URL.
func (p *Provider) serveAuthorize(w http.ResponseWriter, r *http.Request, tenant string) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	ar, e, canRedirect := p.parseAuthorize(tenant, r.URL.Query())
	if e != nil {
		if canRedirect {
			p.redirectError(w, r, ar, e)
		} else {
			p.renderErrorPage(w, r, e)
		}
		return
	}
	p.mu.Lock()
	u, autoUser, auto := p.autoApproveUserLocked()
	p.mu.Unlock()
	if r.Method == http.MethodGet {
		if auto {
			if u == nil {
				p.renderErrorPage(w, r, errUserNotFound(autoUser, p.cfg.TenantID))
				return
			}
			p.redirectCode(w, r, ar, u)
			return
		}
		if ar.prompt == "none" {
			p.redirectError(w, r, ar, newErr(400, "login_required", 50058, "A silent sign-in request was sent but no user is signed in."))
			return
		}
		p.renderSignIn(w, r, ar, ar.loginHint, "")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		p.renderSignIn(w, r, ar, "", "The request could not be read. Try again.")
		return
	}
	f := r.PostForm
	switch f.Get("action") {
	case "cancel":
		p.redirectError(w, r, ar, newErr(400, "access_denied", 65004, "User declined to consent to access the app."))
	case "accept":
		u := p.checkPassword(f.Get("username"), f.Get("password"))
		if u == nil {
			p.renderSignIn(w, r, ar, f.Get("username"), "Your account or password is incorrect. (AADSTS50126)")
			return
		}
		p.redirectCode(w, r, ar, u)
	default:
		p.renderSignIn(w, r, ar, f.Get("username"), "Choose Accept or Cancel.")
	}
}

func (p *Provider) renderSignIn(w http.ResponseWriter, r *http.Request, ar *authRequest, username, errMsg string) {
	name := ar.app.Name
	if name == "" {
		name = ar.app.ClientID
	}
	status := http.StatusOK
	if errMsg != "" {
		status = http.StatusBadRequest
	}
	render(w, status, "signin", pageData{
		Title:    "Sign in to your account",
		Heading:  "Permissions requested",
		AppName:  name,
		Scopes:   scopeLines(ar.scopes),
		Action:   r.URL.RequestURI(),
		Username: username,
		Users:    p.userUPNs(),
		Error:    errMsg,
	})
}

// redirectCode issues a code for u and sends the browser back to the app.
func (p *Provider) redirectCode(w http.ResponseWriter, r *http.Request, ar *authRequest, u *User) {
	code := "1.A" + randomToken(96)
	now := p.now()
	p.mu.Lock()
	for k, c := range p.codes {
		if now.Sub(c.expires) > time.Hour {
			delete(p.codes, k)
		}
	}
	p.codes[code] = &authCode{
		clientID:    ar.app.ClientID,
		redirectURI: ar.redirectURI,
		scopes:      ar.scopes,
		challenge:   ar.challenge,
		method:      ar.method,
		userID:      u.ID,
		nonce:       ar.nonce,
		expires:     now.Add(authCodeLifetime),
	}
	p.mu.Unlock()
	v := url.Values{"code": {code}}
	if ar.state != "" {
		v.Set("state", ar.state)
	}
	p.sendToApp(w, r, ar, v)
}

// redirectError sends an OAuth error to the app's redirect URI.
func (p *Provider) redirectError(w http.ResponseWriter, r *http.Request, ar *authRequest, e *oauthError) {
	desc, _, _, _ := p.describe(r, e)
	v := url.Values{
		"error":             {e.code},
		"error_description": {desc},
		"error_uri":         {p.issuerBase(r) + "/error?code=" + strconv.Itoa(e.aadsts)},
	}
	if ar.state != "" {
		v.Set("state", ar.state)
	}
	p.sendToApp(w, r, ar, v)
}

// sendToApp delivers v to the redirect URI in the response mode asked for.
func (p *Provider) sendToApp(w http.ResponseWriter, r *http.Request, ar *authRequest, v url.Values) {
	switch ar.responseMode {
	case "form_post":
		fields := make([]field, 0, len(v))
		for _, k := range []string{"code", "state", "error", "error_description", "error_uri"} {
			if val := v.Get(k); val != "" {
				fields = append(fields, field{k, val})
			}
		}
		render(w, http.StatusOK, "formpost", pageData{Target: ar.redirectURI, Fields: fields})
	case "fragment":
		u, err := url.Parse(ar.redirectURI)
		if err != nil {
			p.renderErrorPage(w, r, errRedirectMismatch(ar.redirectURI, ar.app.ClientID))
			return
		}
		u.Fragment = ""
		u.RawFragment = ""
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, u.String()+"#"+v.Encode(), http.StatusFound)
	default:
		u, err := url.Parse(ar.redirectURI)
		if err != nil {
			p.renderErrorPage(w, r, errRedirectMismatch(ar.redirectURI, ar.app.ClientID))
			return
		}
		q := u.Query()
		for k, vs := range v {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
}

// serveLogout is GET /{tenant}/oauth2/v2.0/logout. The emulator keeps no
// browser session, so it only confirms, or returns to a registered
// post_logout_redirect_uri.
func (p *Provider) serveLogout(w http.ResponseWriter, r *http.Request) {
	if target := r.URL.Query().Get("post_logout_redirect_uri"); target != "" {
		p.mu.Lock()
		ok := false
		for _, a := range p.apps {
			if redirectAllowed(a.RedirectURIs, target) {
				ok = true
				break
			}
		}
		p.mu.Unlock()
		if ok {
			http.Redirect(w, r, target, http.StatusFound)
			return
		}
	}
	render(w, http.StatusOK, "message", pageData{
		Title:   "Sign out",
		Heading: "You signed out of your account",
		Message: "It's a good idea to close all browser windows.",
	})
}
