package o365

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
)

// ErrAppOnly is returned by calls that need a signed-in user (CurrentUser, "me") on an account
// using CredentialsFlow.
var ErrAppOnly = errors.New("o365: app-only account (client credentials) has no signed-in user; use a user resource such as graph.User(\"adele@contoso.com\")")

// Account is the entry point: the app's credentials, the sign-in flow, the token store and the
// Graph client, for one identity at a time (python-o365's Account). It is safe for concurrent
// use. SetUsername switches the identity for every later call of the Account and of its
// handles; to act as several users at once, create one Account per user (they may share a
// TokenStore and an HTTP client).
type Account struct {
	cfg    config
	creds  Credentials
	app    *auth.App
	client *graph.Client

	mu       sync.Mutex
	username string
	session  *auth.Session // nil until known (delegated flows before sign-in)
}

// NewAccount validates the credentials and options and returns an Account. It does no I/O: a
// token stored by an earlier run is loaded on first use.
func NewAccount(creds Credentials, opts ...Option) (*Account, error) {
	cfg := config{}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(creds.ClientID) == "" {
		return nil, errors.New("o365: Credentials.ClientID is required (the application (client) id of your app registration)")
	}
	if creds.Tenant == "" {
		creds.Tenant = auth.TenantCommon
	}
	if creds.ClientSecret != "" && creds.Certificate != nil {
		return nil, errors.New("o365: set ClientSecret or Certificate, not both")
	}
	confidential := creds.ClientSecret != "" || creds.Certificate != nil
	if cfg.flow == "" {
		cfg.flow = PublicFlow
		if confidential {
			cfg.flow = AuthorizationFlow
		}
	}
	if !confidential && (cfg.flow == AuthorizationFlow || cfg.flow == CredentialsFlow) {
		return nil, fmt.Errorf("o365: the %s flow needs Credentials.ClientSecret or Certificate", cfg.flow)
	}
	if cfg.flow == PasswordFlow && cfg.username == "" {
		return nil, errors.New("o365: the password flow needs WithUsername")
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.store == nil {
		fs, err := auth.NewFileStore("")
		if err != nil {
			return nil, err
		}
		cfg.store = fs
	}
	if err := cfg.protocol.Validate(); err != nil {
		return nil, err
	}
	ac := auth.Config{
		ClientID:    creds.ClientID,
		Tenant:      creds.Tenant,
		Authority:   cfg.protocol.Authority(),
		ScopePrefix: cfg.protocol.ScopePrefix(),
		HTTPClient:  cfg.httpClient,
		Store:       cfg.store,
		Logger:      cfg.logger,
		RefreshSkew: cfg.refreshSkew,
		Now:         cfg.now,
		Sleep:       cfg.sleep,
	}
	// Public flows must not present the app's secret (the identity platform refuses it).
	if cfg.flow == AuthorizationFlow || cfg.flow == CredentialsFlow {
		ac.ClientSecret, ac.Certificate = creds.ClientSecret, creds.Certificate
	}
	app, err := auth.NewApp(ac)
	if err != nil {
		return nil, err
	}
	switch cfg.flow {
	case CredentialsFlow, PasswordFlow:
		if err := requireTenant(creds.Tenant, cfg.flow); err != nil {
			return nil, err
		}
	}
	a := &Account{cfg: cfg, creds: creds, app: app, username: cfg.username}
	if cfg.flow == CredentialsFlow {
		a.username = ""
		a.session = app.Session("")
	} else if cfg.username != "" {
		a.session = app.Session(cfg.username)
	}
	gopts := []graph.Option{graph.WithProtocol(cfg.protocol), graph.WithLogger(cfg.logger)}
	if cfg.httpClient != nil {
		gopts = append(gopts, graph.WithHTTPClient(cfg.httpClient))
	}
	if cfg.now != nil && cfg.sleep != nil {
		gopts = append(gopts, graph.WithClock(cfg.now, cfg.sleep))
	}
	gopts = append(gopts, cfg.clientOpts...)
	a.client, err = graph.NewClient(a, gopts...)
	if err != nil {
		return nil, err
	}
	return a, nil
}

func requireTenant(tenant string, flow AuthFlow) error {
	switch strings.ToLower(tenant) {
	case auth.TenantCommon, auth.TenantOrganizations, auth.TenantConsumers:
		return fmt.Errorf("%w: the %s flow cannot use tenant %q; set Credentials.Tenant to the directory (tenant) id or a verified domain",
			auth.ErrTenantRequired, flow, tenant)
	}
	return nil
}

// Flow returns the sign-in flow.
func (a *Account) Flow() AuthFlow { return a.cfg.flow }

// Protocol returns the cloud, API version and base URLs.
func (a *Account) Protocol() graph.Protocol { return a.cfg.protocol }

// Client returns the Graph client; its tokens come from the Account's current identity.
func (a *Account) Client() *graph.Client { return a.client }

// App returns the auth.App (client id, tenant, token store, flows) behind the Account.
func (a *Account) App() *auth.App { return a.app }

// TokenStore returns the token store.
func (a *Account) TokenStore() auth.TokenStore { return a.cfg.store }

// Username returns the identity the Account acts as ("" before sign-in and for app-only).
func (a *Account) Username() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.username
}

// SetUsername switches to another user signed in earlier with the same app (python-o365's
// account.username = ...). "" goes back to the first user in the store. App-only accounts have
// no users.
func (a *Account) SetUsername(u string) error {
	if a.cfg.flow == CredentialsFlow {
		return ErrAppOnly
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.username = u
	a.session = nil
	if u != "" {
		a.session = a.app.Session(u)
	}
	return nil
}

// Usernames lists the users signed in with this app and tenant in the token store
// (python-o365's get_authenticated_usernames).
func (a *Account) Usernames(ctx context.Context) ([]string, error) {
	return a.cfg.store.Accounts(ctx, a.app.Tenant(), a.app.ClientID())
}

// currentSession returns the session of the current identity; without a username it picks the
// first user in the store.
func (a *Account) currentSession(ctx context.Context) (*auth.Session, error) {
	a.mu.Lock()
	s := a.session
	a.mu.Unlock()
	if s != nil {
		return s, nil
	}
	users, err := a.Usernames(ctx)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("%w: nobody is signed in with client %s in tenant %s; call Authenticate", auth.ErrLoginRequired, a.app.ClientID(), a.app.Tenant())
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.session == nil {
		a.username = users[0]
		a.session = a.app.Session(users[0])
	}
	return a.session, nil
}

// AccessToken returns an access token of the current identity, refreshing it when needed; it
// makes the Account a graph.TokenSource.
func (a *Account) AccessToken(ctx context.Context, force bool) (string, error) {
	s, err := a.currentSession(ctx)
	if err != nil {
		return "", err
	}
	return s.AccessToken(ctx, force)
}

// IsAuthenticated reports whether a token usable without the user exists: a refresh token or
// an unexpired access token (app-only accounts can always get one).
func (a *Account) IsAuthenticated(ctx context.Context) bool {
	s, err := a.currentSession(ctx)
	if err != nil {
		return false
	}
	return s.Authenticated(ctx)
}

// Authenticate runs the configured flow and stores the token: the console authorization code
// flow (print the URL, read the redirected URL; WithBrowser for a loopback redirect), device
// code (WithDeviceCodePrompt), username/password, or client credentials. scopes are auth helper
// names ("basic", "message_all", ...) or raw permissions, prefixed for the protocol's cloud;
// offline_access is added for users. With no scopes users get "basic" and apps ".default".
func (a *Account) Authenticate(ctx context.Context, scopes ...string) error {
	var tok *auth.Token
	var err error
	switch a.cfg.flow {
	case AuthorizationFlow, PublicFlow:
		if a.cfg.openBrowser != nil {
			opts := auth.LoopbackOptions{OpenBrowser: a.cfg.openBrowser, Out: a.out()}
			tok, err = a.app.LoopbackLogin(ctx, opts, scopes...)
		} else {
			in := a.cfg.in
			if in == nil {
				in = os.Stdin
			}
			tok, err = a.app.ConsoleLogin(ctx, in, a.out(), a.redirectURL(), scopes...)
		}
	case DeviceFlow:
		prompt := a.cfg.devicePrompt
		if prompt == nil {
			prompt = auth.PrintDeviceCode(a.out())
		}
		tok, err = a.app.DeviceLogin(ctx, prompt, scopes...)
	case PasswordFlow:
		tok, err = a.app.PasswordLogin(ctx, a.cfg.username, a.cfg.password, scopes...)
	case CredentialsFlow:
		tok, err = a.app.ClientCredentials(ctx, scopes...)
	}
	if err != nil {
		return err
	}
	return a.adopt(ctx, tok)
}

func (a *Account) out() io.Writer {
	if a.cfg.out != nil {
		return a.cfg.out
	}
	return os.Stderr
}

func (a *Account) redirectURL() string {
	if a.cfg.redirectURL != "" {
		return a.cfg.redirectURL
	}
	return a.app.DefaultRedirectURL()
}

// adopt stores a new token and makes its identity current.
func (a *Account) adopt(ctx context.Context, tok *auth.Token) error {
	if a.cfg.flow == CredentialsFlow {
		tok.Username = ""
	}
	s, err := a.app.NewSession(ctx, tok)
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.session = s
	a.username = tok.Username
	a.mu.Unlock()
	return nil
}

// AuthorizationURL starts the authorization code flow of a web app (python-o365's
// get_authorization_url): send the user to the URL and keep the flow (it holds the PKCE
// verifier) until the redirect comes back, then call RequestToken. redirectURL "" means
// WithRedirectURL's, or the native-client page.
func (a *Account) AuthorizationURL(scopes []string, redirectURL string) (string, *auth.Flow, error) {
	if a.cfg.flow != AuthorizationFlow && a.cfg.flow != PublicFlow {
		return "", nil, fmt.Errorf("o365: AuthorizationURL needs the authorization or public flow, not %s", a.cfg.flow)
	}
	if redirectURL == "" {
		redirectURL = a.redirectURL()
	}
	return a.app.AuthCodeURL(scopes, redirectURL)
}

// RequestToken finishes the flow begun by AuthorizationURL with the URL the user was redirected
// to (python-o365's request_token): it checks the state, redeems the code, stores the token and
// makes the user current.
func (a *Account) RequestToken(ctx context.Context, redirectedURL string, flow *auth.Flow) error {
	tok, err := a.app.ExchangeRedirect(ctx, flow, redirectedURL)
	if err != nil {
		return err
	}
	return a.adopt(ctx, tok)
}

// Logout deletes the current identity's token from the store.
func (a *Account) Logout(ctx context.Context) error {
	a.mu.Lock()
	s := a.session
	if a.cfg.flow != CredentialsFlow {
		a.session, a.username = nil, ""
	}
	a.mu.Unlock()
	if s == nil {
		return nil
	}
	return s.Delete(ctx)
}

// MainResource returns the resource handles use when none is given.
func (a *Account) MainResource() graph.Resource {
	if a.cfg.mainResource != "" {
		return a.cfg.mainResource
	}
	return graph.Me
}

func (a *Account) resource(res []graph.Resource) graph.Resource {
	if len(res) > 0 && res[0] != "" {
		return res[0]
	}
	return a.MainResource()
}

// User is the signed-in user's profile as GET /me returns it.
type User struct {
	ID                string   `json:"id"`
	DisplayName       string   `json:"displayName"`
	GivenName         string   `json:"givenName"`
	Surname           string   `json:"surname"`
	UserPrincipalName string   `json:"userPrincipalName"`
	Mail              string   `json:"mail"`
	JobTitle          string   `json:"jobTitle"`
	MobilePhone       string   `json:"mobilePhone"`
	OfficeLocation    string   `json:"officeLocation"`
	PreferredLanguage string   `json:"preferredLanguage"`
	BusinessPhones    []string `json:"businessPhones"`
}

// CurrentUser returns the signed-in user (GET /me; python-o365's get_current_user_data).
// App-only accounts get ErrAppOnly.
func (a *Account) CurrentUser(ctx context.Context) (*User, error) {
	if a.cfg.flow == CredentialsFlow {
		return nil, ErrAppOnly
	}
	var u User
	if err := a.client.Get(ctx, "/me", &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// Mailbox returns a handle on a mailbox: res, or the main resource (the signed-in user's by
// default; a shared mailbox with graph.User("shared@contoso.com")).
func (a *Account) Mailbox(res ...graph.Resource) *mail.Mailbox {
	return mail.New(a.client, a.resource(res))
}
