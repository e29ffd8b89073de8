package identity

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxFormBytes bounds request bodies of the identity endpoints.
const maxFormBytes = 1 << 20

// authCode is an issued authorization code.
type authCode struct {
	clientID    string
	redirectURI string
	scopes      []string
	challenge   string
	method      string // "S256" or "plain"
	userID      string
	nonce       string
	expires     time.Time
	redeemed    bool
}

// refreshGrant is an issued refresh token.
type refreshGrant struct {
	clientID string
	userID   string
	scopes   []string
	issued   time.Time
	expires  time.Time
	family   string // every token refreshed from the same sign-in
	used     bool
	revoked  bool
	// adminRevoked marks a revocation by RevokeSignInSessions (AADSTS50173)
	// rather than by replay detection.
	adminRevoked bool
}

// tokenResponse is the token endpoint's success answer.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

// clientCreds are the client's id and secret from the body or HTTP Basic.
type clientCreds struct {
	id        string
	secret    string
	hasSecret bool
}

// readClient takes the client id and secret from HTTP Basic (form-encoded
// as RFC 6749 §2.3.1 says) or from the body.
func readClient(r *http.Request, form url.Values) clientCreds {
	if u, pw, ok := r.BasicAuth(); ok {
		id, err1 := url.QueryUnescape(u)
		sec, err2 := url.QueryUnescape(pw)
		if err1 == nil && err2 == nil {
			return clientCreds{id: id, secret: sec, hasSecret: sec != ""}
		}
	}
	sec, has := form["client_secret"]
	c := clientCreds{id: form.Get("client_id"), hasSecret: has && len(sec) > 0 && sec[0] != ""}
	if c.hasSecret {
		c.secret = sec[0]
	}
	return c
}

// parsePost reads a form body; query parameters are ignored as the
// service ignores them.
func parsePost(w http.ResponseWriter, r *http.Request) (url.Values, *oauthError) {
	if r.Method != http.MethodPost {
		return nil, errPostOnly(r.Method)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, errMalformedGrant()
	}
	return r.PostForm, nil
}

// tenantName is the tenant as error messages name it.
func (p *Provider) tenantName(tenant string) string {
	if isMultiTenant(tenant) {
		return p.cfg.TenantID
	}
	return tenant
}

func (p *Provider) app(clientID string) *App {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.apps[clientID]
}

// serveToken is POST /{tenant}/oauth2/v2.0/token.
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request, tenant string) {
	form, e := parsePost(w, r)
	if e == nil {
		e = p.token(w, r, tenant, form)
	}
	if e != nil {
		p.writeError(w, r, e)
	}
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request, tenant string, form url.Values) *oauthError {
	gt := form.Get("grant_type")
	if gt == "" {
		return errMissingParam("grant_type")
	}
	cc := readClient(r, form)
	if cc.id == "" {
		return errMissingParam("client_id")
	}
	app := p.app(cc.id)
	if app == nil {
		return errUnknownApp(cc.id, p.tenantName(tenant))
	}
	switch gt {
	case "authorization_code", "refresh_token", "client_credentials", grantDeviceCode, "password":
	default:
		return errUnsupportedGrant(gt)
	}
	if e := p.authenticateClient(r, tenant, form, app, cc); e != nil {
		return e
	}
	switch gt {
	case "authorization_code":
		return p.grantAuthCode(w, r, form, app)
	case "refresh_token":
		return p.grantRefresh(w, r, form, app)
	case "client_credentials":
		return p.grantClientCredentials(w, r, form, app)
	case grantDeviceCode:
		return p.grantDevice(w, r, form, app)
	default:
		return p.grantPassword(w, r, form, app)
	}
}

// authenticateClient checks the client's secret or assertion: public
// clients must present neither, confidential ones one of them.
func (p *Provider) authenticateClient(r *http.Request, tenant string, form url.Values, app *App, cc clientCreds) *oauthError {
	assertion := form.Get("client_assertion")
	atype := form.Get("client_assertion_type")
	if app.Public {
		if cc.hasSecret || assertion != "" {
			return errPublicWithSecret()
		}
		return nil
	}
	if assertion != "" || atype != "" {
		if cc.hasSecret {
			return newErr(400, "invalid_request", 90023, "Only one client authentication method may be presented: 'client_secret' or 'client_assertion'.")
		}
		if atype == "" {
			return errMissingParam("client_assertion_type")
		}
		if atype != clientAssertionJWT {
			return newErr(400, "invalid_request", 90023, "The client_assertion_type '%s' is not supported.", atype)
		}
		if assertion == "" {
			return errMissingParam("client_assertion")
		}
		return p.checkAssertion(r, tenant, app, assertion)
	}
	if !cc.hasSecret {
		return errNoClientAuth()
	}
	if app.Secret == "" || subtle.ConstantTimeCompare([]byte(cc.secret), []byte(app.Secret)) != 1 {
		return errBadSecret(app.ClientID)
	}
	return nil
}

// lookupUser finds a user by id.
func (p *Provider) userByID(id string) *User {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u := p.usersByID[id]; u != nil {
		c := *u
		return &c
	}
	return nil
}

// userByUPN finds a user by UPN, ignoring case.
func (p *Provider) userByUPN(upn string) *User {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u := p.users[strings.ToLower(strings.TrimSpace(upn))]; u != nil {
		c := *u
		return &c
	}
	return nil
}

// checkPassword returns the user when upn and password match.
func (p *Provider) checkPassword(upn, password string) *User {
	u := p.userByUPN(upn)
	if u == nil || u.Password == "" || subtle.ConstantTimeCompare([]byte(password), []byte(u.Password)) != 1 {
		return nil
	}
	return u
}

func (p *Provider) grantAuthCode(w http.ResponseWriter, r *http.Request, form url.Values, app *App) *oauthError {
	code := form.Get("code")
	if code == "" {
		return errMissingParam("code")
	}
	redirect := form.Get("redirect_uri")
	verifier := form.Get("code_verifier")
	now := p.now()
	p.mu.Lock()
	ac := p.codes[code]
	var e *oauthError
	switch {
	case ac == nil:
		e = errMalformedGrant()
	case ac.clientID != app.ClientID:
		e = errGrantInvalid("code")
	case ac.redeemed:
		e = errCodeRedeemed()
	case !now.Before(ac.expires):
		e = errCodeExpired()
	case redirect == "":
		e = errMissingParam("redirect_uri")
	case redirect != ac.redirectURI:
		e = errRedirectMismatchAtToken(redirect, ac.redirectURI)
	case ac.challenge != "" && verifier == "":
		e = errPKCEMissing()
	case ac.challenge != "" && !pkceMatches(ac.method, ac.challenge, verifier):
		e = errPKCEMismatch()
	default:
		ac.redeemed = true
	}
	p.mu.Unlock()
	if e != nil {
		return e
	}
	u := p.userByID(ac.userID)
	if u == nil {
		return errGrantInvalid("code")
	}
	return p.issue(w, r, form, grant{app: app, user: u, scopes: ac.scopes, nonce: ac.nonce}, "")
}

// pkceMatches checks an RFC 7636 verifier against the challenge.
func pkceMatches(method, challenge, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func (p *Provider) grantRefresh(w http.ResponseWriter, r *http.Request, form url.Values, app *App) *oauthError {
	rt := form.Get("refresh_token")
	if rt == "" {
		return errMissingParam("refresh_token")
	}
	var scopes []string
	if s := strings.TrimSpace(form.Get("scope")); s != "" {
		rs, bad := parseScopes(s)
		if bad != "" {
			return errInvalidScope(bad)
		}
		var ok bool
		if scopes, ok = resolveDelegated(app, rs); !ok {
			return errConsent(app)
		}
	}
	now := p.now()
	p.mu.Lock()
	rg := p.refresh[rt]
	var e *oauthError
	switch {
	case rg == nil:
		e = errMalformedGrant()
	case rg.adminRevoked:
		e = errGrantRevoked()
	case rg.revoked:
		e = errGrantInvalid("refresh_token")
	case rg.clientID != app.ClientID:
		e = errGrantInvalid("refresh_token")
	case !now.Before(rg.expires):
		e = errRefreshInactive(rg.issued, now.Sub(rg.issued))
	case rg.used && p.cfg.StrictRefreshRotation:
		// Reuse of a rotated token: treat as theft and end the family
		// (RFC 9700 §4.14.2).
		for _, g := range p.refresh {
			if g.family == rg.family {
				g.revoked = true
			}
		}
		e = errGrantInvalid("refresh_token")
	case p.mfa[rg.userID]:
		e = errMFARequired()
	default:
		rg.used = true
	}
	var userID, family string
	if e == nil {
		userID, family = rg.userID, rg.family
		if scopes == nil {
			scopes = rg.scopes
		}
	}
	p.mu.Unlock()
	if e != nil {
		return e
	}
	// The refresh token stands for the sign-in, not for one scope set:
	// keep offline_access so the answer carries the next refresh token.
	scopes = appendUnique(append([]string(nil), scopes...), "offline_access")
	u := p.userByID(userID)
	if u == nil {
		return errGrantInvalid("refresh_token")
	}
	return p.issue(w, r, form, grant{app: app, user: u, scopes: scopes}, family)
}

func (p *Provider) grantClientCredentials(w http.ResponseWriter, r *http.Request, form url.Values, app *App) *oauthError {
	if app.Public {
		return errNoClientAuth()
	}
	s := strings.TrimSpace(form.Get("scope"))
	if s == "" {
		return errMissingParam("scope")
	}
	f := strings.Fields(s)
	if len(f) != 1 || !(strings.EqualFold(f[0], graphDefaultScope) || strings.EqualFold(f[0], graphAppIDPrefix+".default")) {
		return errClientCredentialsScope(s)
	}
	return p.issue(w, r, form, grant{app: app}, "")
}

func (p *Provider) grantPassword(w http.ResponseWriter, r *http.Request, form url.Values, app *App) *oauthError {
	user, pw := form.Get("username"), form.Get("password")
	if user == "" {
		return errMissingParam("username")
	}
	if pw == "" {
		return errMissingParam("password")
	}
	s := strings.TrimSpace(form.Get("scope"))
	if s == "" {
		return errMissingParam("scope")
	}
	rs, bad := parseScopes(s)
	if bad != "" {
		return errInvalidScope(bad)
	}
	u := p.checkPassword(user, pw)
	if u == nil {
		return errBadCredentials()
	}
	p.mu.Lock()
	mfa := p.mfa[u.ID]
	p.mu.Unlock()
	if mfa {
		return errMFARequired()
	}
	scopes, ok := resolveDelegated(app, rs)
	if !ok {
		return errConsent(app)
	}
	return p.issue(w, r, form, grant{app: app, user: u, scopes: scopes}, "")
}

// issue writes the token response for g. family continues a refresh
// token family; "" starts one.
func (p *Provider) issue(w http.ResponseWriter, r *http.Request, form url.Values, g grant, family string) *oauthError {
	now := p.now()
	base := p.issuerBase(r)
	p.mu.Lock()
	life := p.accessLife
	p.mu.Unlock()
	at, err := p.accessToken(base, g, now, life)
	if err != nil {
		return newErr(500, "server_error", 90033, "A transient error has occurred. Please try again.")
	}
	secs := int64(life / time.Second)
	resp := tokenResponse{TokenType: "Bearer", ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: at}
	if g.user != nil {
		resp.Scope = responseScope(g.scopes)
		if hasScope(g.scopes, "offline_access") {
			resp.RefreshToken = p.newRefreshToken(g, family, now)
		}
		if hasScope(g.scopes, "openid") || hasScope(g.scopes, "profile") {
			if resp.IDToken, err = p.idToken(base, g, now); err != nil {
				return newErr(500, "server_error", 90033, "A transient error has occurred. Please try again.")
			}
		}
		if form.Get("client_info") == "1" {
			ci, _ := json.Marshal(map[string]string{"uid": g.user.ID, "utid": p.cfg.TenantID})
			resp.ClientInfo = base64.RawURLEncoding.EncodeToString(ci)
		}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// newRefreshToken stores and returns an opaque refresh token.
func (p *Provider) newRefreshToken(g grant, family string, now time.Time) string {
	tok := "1.A" + randomToken(48)
	if family == "" {
		family = tok
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// Forget long-expired tokens now and then so a long-running emulator
	// does not grow without bound; an expired one still answers 700082
	// for a day.
	if p.rtIssued++; p.rtIssued%256 == 0 {
		for k, g := range p.refresh {
			if now.Sub(g.expires) > 24*time.Hour {
				delete(p.refresh, k)
			}
		}
	}
	p.refresh[tok] = &refreshGrant{
		clientID: g.app.ClientID,
		userID:   g.user.ID,
		scopes:   append([]string(nil), g.scopes...),
		issued:   now,
		expires:  now.Add(p.cfg.RefreshTokenLifetime),
		family:   family,
	}
	return tok
}
