package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Tenants with a special meaning. Any other value is a tenant id (GUID) or a verified domain.
const (
	TenantCommon        = "common"        // work, school and personal accounts
	TenantOrganizations = "organizations" // work and school accounts
	TenantConsumers     = "consumers"     // personal Microsoft accounts
)

// DefaultAuthority is the global cloud's login host.
const DefaultAuthority = "https://login.microsoftonline.com"

// defaultHTTPTimeout bounds each identity platform request when no HTTP client is given.
const defaultHTTPTimeout = 60 * time.Second

// DefaultRefreshSkew is how long before expiry a Session refreshes an access token.
const DefaultRefreshSkew = 5 * time.Minute

// Config describes an app registration and where it signs in. Only ClientID is required.
type Config struct {
	ClientID string
	// ClientSecret, Certificate or Assertion make the app confidential; at most one may be set.
	// Public flows (public auth code, device code, password) must leave them empty.
	ClientSecret string
	Certificate  *Certificate
	// Assertion returns a signed client assertion (JWT) for federated credentials, e.g. a
	// workload identity token read from a file.
	Assertion func(ctx context.Context) (string, error)

	Tenant      string // default TenantCommon
	Authority   string // login base URL, default DefaultAuthority (graph.Protocol.Authority())
	ScopePrefix string // default DefaultScopePrefix (graph.Protocol.ScopePrefix())

	HTTPClient  *http.Client  // default a client with a 60 s timeout
	Store       TokenStore    // default a new MemoryStore
	Logger      *slog.Logger  // default discards
	RefreshSkew time.Duration // default DefaultRefreshSkew; negative means 0

	// Now and Sleep replace the clock (tests).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// App is an app registration bound to a tenant and a token store: it runs the sign-in flows and
// hands out Sessions. It is safe for concurrent use.
type App struct {
	cfg       Config
	authority string
}

// NewApp validates cfg and fills in defaults.
func NewApp(cfg Config) (*App, error) {
	if strings.TrimSpace(cfg.ClientID) == "" {
		return nil, errors.New("auth: Config.ClientID is required")
	}
	n := 0
	for _, set := range []bool{cfg.ClientSecret != "", cfg.Certificate != nil, cfg.Assertion != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, errors.New("auth: set only one of ClientSecret, Certificate and Assertion")
	}
	if cfg.Certificate != nil {
		if err := cfg.Certificate.validate(); err != nil {
			return nil, err
		}
	}
	if cfg.Tenant == "" {
		cfg.Tenant = TenantCommon
	}
	if strings.ContainsAny(cfg.Tenant, "/?#% ") {
		return nil, fmt.Errorf("auth: invalid tenant %q", cfg.Tenant)
	}
	if cfg.Authority == "" {
		cfg.Authority = DefaultAuthority
	}
	authority, err := checkAuthority(cfg.Authority)
	if err != nil {
		return nil, err
	}
	if cfg.ScopePrefix == "" {
		cfg.ScopePrefix = DefaultScopePrefix
	}
	if !strings.HasSuffix(cfg.ScopePrefix, "/") {
		cfg.ScopePrefix += "/"
	}
	if cfg.HTTPClient == nil {
		// Bounded, unlike http.DefaultClient: a sign-in must not hang on a dead connection.
		cfg.HTTPClient = &http.Client{Timeout: defaultHTTPTimeout}
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RefreshSkew == 0 {
		cfg.RefreshSkew = DefaultRefreshSkew
	} else if cfg.RefreshSkew < 0 {
		cfg.RefreshSkew = 0
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return &App{cfg: cfg, authority: authority}, nil
}

// checkAuthority requires https, except plain http on a loopback host (the emulator).
func checkAuthority(s string) (string, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("auth: invalid authority %q", s)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("auth: authority %q must use https (plain http is allowed on loopback only)", s)
		}
	default:
		return "", fmt.Errorf("auth: authority %q must use https", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("auth: authority %q must not have a query or fragment", s)
	}
	return u.String(), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ClientID returns the app's client id.
func (a *App) ClientID() string { return a.cfg.ClientID }

// Tenant returns the tenant the app signs in to.
func (a *App) Tenant() string { return a.cfg.Tenant }

// Store returns the token store.
func (a *App) Store() TokenStore { return a.cfg.Store }

// ScopePrefix returns the resource prefix used for scopes.
func (a *App) ScopePrefix() string { return a.cfg.ScopePrefix }

// Confidential reports whether the app authenticates itself (secret, certificate or assertion).
func (a *App) Confidential() bool {
	return a.cfg.ClientSecret != "" || a.cfg.Certificate != nil || a.cfg.Assertion != nil
}

// Endpoint returns the tenant's OAuth endpoints: {authority}/{tenant}/oauth2/v2.0/authorize,
// token and devicecode.
func (a *App) Endpoint() oauth2.Endpoint {
	base := a.authority + "/" + url.PathEscape(a.cfg.Tenant) + "/oauth2/v2.0/"
	return oauth2.Endpoint{
		AuthURL:       base + "authorize",
		TokenURL:      base + "token",
		DeviceAuthURL: base + "devicecode",
		AuthStyle:     oauth2.AuthStyleInParams,
	}
}

// Key returns the store key for account in this app's tenant.
func (a *App) Key(account string) Key {
	return Key{Tenant: a.cfg.Tenant, ClientID: a.cfg.ClientID, Account: account}
}

func (a *App) requireTenant(flow string) error {
	switch strings.ToLower(a.cfg.Tenant) {
	case TenantCommon, TenantOrganizations, TenantConsumers:
		return fmt.Errorf("%w: the %s flow cannot use tenant %q; pass the directory (tenant) id or a verified domain",
			ErrTenantRequired, flow, a.cfg.Tenant)
	}
	return nil
}

func (a *App) oauth2Config(scopes []string, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: a.cfg.ClientID, Endpoint: a.Endpoint(), RedirectURL: redirectURL, Scopes: scopes}
}

// tokenResponse is a successful token endpoint answer.
type tokenResponse struct {
	AccessToken  string          `json:"access_token"`
	TokenType    string          `json:"token_type"`
	ExpiresIn    json.RawMessage `json:"expires_in"` // a number, or a string on some servers
	RefreshToken string          `json:"refresh_token"`
	IDToken      string          `json:"id_token"`
	Scope        string          `json:"scope"`
}

func parseSeconds(raw json.RawMessage) int64 {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 {
		return 0
	}
	return int64(n)
}

// exchange posts a token request. The confidential app's credentials are added unless public is
// set. requested are the scopes asked for (kept when the answer has no "scope").
func (a *App) exchange(ctx context.Context, form url.Values, requested []string, public bool) (*Token, error) {
	grant := form.Get("grant_type")
	form.Set("client_id", a.cfg.ClientID)
	endpoint := a.Endpoint().TokenURL
	if !public {
		if err := a.addClientAuth(ctx, form, endpoint); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", grant, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	start := a.cfg.Now()
	resp, err := a.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %w", grant, redactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("auth: %s: reading the answer: %w", grant, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, parseError(resp.StatusCode, body, grant)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || tr.AccessToken == "" {
		return nil, &Error{StatusCode: resp.StatusCode, Op: grant, Description: "the token endpoint's answer has no access_token"}
	}
	t := &Token{
		AccessToken:  tr.AccessToken,
		RefreshToken: tr.RefreshToken,
		IDToken:      tr.IDToken,
		TokenType:    tr.TokenType,
		Scopes:       strings.Fields(tr.Scope),
	}
	if len(t.Scopes) == 0 {
		t.Scopes = append(t.Scopes, requested...)
	}
	if secs := parseSeconds(tr.ExpiresIn); secs > 0 {
		t.Expiry = start.Add(time.Duration(secs) * time.Second)
	}
	t.fillIdentity()
	a.cfg.Logger.DebugContext(ctx, "auth: token acquired", "grant", grant, "token", t)
	return t, nil
}

// redactURLError drops the URL from a transport error; it holds no secret today (the form is in
// the body) but query strings of custom authorities might.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, stripQuery(ue.URL), ue.Err)
	}
	return err
}

func stripQuery(s string) string {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i]
	}
	return s
}

func (a *App) addClientAuth(ctx context.Context, form url.Values, audience string) error {
	switch {
	case a.cfg.ClientSecret != "":
		form.Set("client_secret", a.cfg.ClientSecret)
	case a.cfg.Certificate != nil:
		jwt, err := a.cfg.Certificate.Assertion(a.cfg.ClientID, audience, a.cfg.Now())
		if err != nil {
			return err
		}
		form.Set("client_assertion_type", ClientAssertionType)
		form.Set("client_assertion", jwt)
	case a.cfg.Assertion != nil:
		jwt, err := a.cfg.Assertion(ctx)
		if err != nil {
			return fmt.Errorf("auth: client assertion: %w", err)
		}
		form.Set("client_assertion_type", ClientAssertionType)
		form.Set("client_assertion", jwt)
	}
	return nil
}

// ClientCredentials gets an app-only token (client credentials grant). The app must be
// confidential and the tenant specific; scopes may be empty or ".default" (see AppScopes).
func (a *App) ClientCredentials(ctx context.Context, scopes ...string) (*Token, error) {
	if !a.Confidential() {
		return nil, errors.New("auth: the client credentials flow needs a client secret, certificate or assertion")
	}
	if err := a.requireTenant("client credentials"); err != nil {
		return nil, err
	}
	sc, err := AppScopes(a.cfg.ScopePrefix, scopes...)
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {strings.Join(sc, " ")}}
	tok, err := a.exchange(ctx, form, sc, false)
	if err != nil {
		return nil, err
	}
	tok.RefreshToken = "" // none is issued; never keep a stray one
	tok.Username = ""
	return tok, nil
}

// PasswordLogin signs a user in with the resource owner password credentials grant.
//
// Legacy: ROPC is and discouraged (RFC 9700 says it must not be
// used); it fails for accounts with MFA, federated or personal accounts. Prefer the device
// code or auth code flows. It needs a specific tenant.
func (a *App) PasswordLogin(ctx context.Context, username, password string, scopes ...string) (*Token, error) {
	if err := a.requireTenant("password"); err != nil {
		return nil, err
	}
	if username == "" || password == "" {
		return nil, errors.New("auth: the password flow needs a username and a password")
	}
	sc := DelegatedScopes(a.cfg.ScopePrefix, scopes...)
	form := url.Values{
		"grant_type": {"password"},
		"username":   {username},
		"password":   {password},
		"scope":      {strings.Join(withOpenID(sc), " ")},
	}
	tok, err := a.exchange(ctx, form, sc, !a.Confidential())
	if err != nil {
		return nil, err
	}
	if tok.Username == "" {
		tok.Username = username
	}
	return tok, nil
}

// withOpenID adds openid and profile so an ID token (and so the username) comes back.
func withOpenID(scopes []string) []string {
	return appendUnique(append([]string(nil), scopes...), ScopeOpenID, ScopeProfile)
}

// Refresh redeems tok's refresh token for a new token. The answer's refresh token replaces the
// old one (the identity platform rotates them); fields it lacks are kept from tok.
func (a *App) Refresh(ctx context.Context, tok *Token) (*Token, error) {
	if tok == nil || tok.RefreshToken == "" {
		return nil, fmt.Errorf("%w: no refresh token", ErrLoginRequired)
	}
	var sc []string
	for _, s := range tok.Scopes {
		if !IsReservedScope(s) {
			sc = append(sc, PrefixScope(a.cfg.ScopePrefix, s))
		}
	}
	sc = appendUnique(sc, ScopeOfflineAccess)
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {tok.RefreshToken},
		"scope":         {strings.Join(withOpenID(sc), " ")},
	}
	nt, err := a.exchange(ctx, form, sc, !a.Confidential())
	if err != nil {
		return nil, err
	}
	if nt.RefreshToken == "" {
		nt.RefreshToken = tok.RefreshToken
	}
	if nt.IDToken == "" {
		nt.IDToken = tok.IDToken
	}
	if nt.Username == "" {
		nt.Username = tok.Username
	}
	if nt.HomeAccountID == "" {
		nt.HomeAccountID = tok.HomeAccountID
	}
	return nt, nil
}
