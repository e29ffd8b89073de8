package o365

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/graph"
)

// Credentials identify the app registration. ClientSecret or Certificate make it confidential
// (needed by AuthorizationFlow and CredentialsFlow); the public flows ignore them.
type Credentials struct {
	ClientID     string
	ClientSecret string
	Certificate  *auth.Certificate
	// Tenant is "common" (default), "organizations", "consumers", a tenant id or a verified
	// domain. CredentialsFlow and PasswordFlow need a specific tenant.
	Tenant string
}

// String hides the secret and the key.
func (c Credentials) String() string {
	secret := ""
	if c.ClientSecret != "" {
		secret = " ClientSecret:[redacted]"
	}
	cert := ""
	if c.Certificate != nil {
		cert = " Certificate:" + c.Certificate.Thumbprint()
	}
	return fmt.Sprintf("o365.Credentials{ClientID:%s Tenant:%s%s%s}", c.ClientID, c.Tenant, secret, cert)
}

// GoString makes %#v hide the secret too.
func (c Credentials) GoString() string { return c.String() }

// AuthFlow is how an Account signs in (python-o365's auth_flow_type, plus device code).
type AuthFlow string

// Sign-in flows.
const (
	// AuthorizationFlow: authorization code with PKCE for a confidential app (secret or
	// certificate), the default when Credentials has one.
	AuthorizationFlow AuthFlow = "authorization"
	// PublicFlow: authorization code with PKCE for a public client (no secret), the default
	// otherwise.
	PublicFlow AuthFlow = "public"
	// CredentialsFlow: app-only tokens (client credentials); no user, so no "me".
	CredentialsFlow AuthFlow = "credentials"
	// DeviceFlow: device code, for CLIs and machines without a browser.
	DeviceFlow AuthFlow = "device"
	// PasswordFlow: username and password (ROPC). Legacy and discouraged: it fails with MFA,
	// federated and personal accounts; prefer DeviceFlow.
	PasswordFlow AuthFlow = "password"
)

func (f AuthFlow) valid() bool {
	switch f {
	case AuthorizationFlow, PublicFlow, CredentialsFlow, DeviceFlow, PasswordFlow:
		return true
	}
	return false
}

// config is what the options set.
type config struct {
	protocol     graph.Protocol
	store        auth.TokenStore
	flow         AuthFlow
	username     string
	password     string
	httpClient   *http.Client
	logger       *slog.Logger
	redirectURL  string
	mainResource graph.Resource
	clientOpts   []graph.Option
	devicePrompt func(context.Context, auth.DeviceCode) error
	in           io.Reader
	out          io.Writer
	openBrowser  func(context.Context, string) error
	refreshSkew  time.Duration
	now          func() time.Time
	sleep        func(context.Context, time.Duration) error
}

// Option configures NewAccount.
type Option func(*config) error

// WithProtocol sets the cloud, API version and base URLs (emulator); default Graph v1.0 in the
// global cloud.
func WithProtocol(p graph.Protocol) Option {
	return func(c *config) error {
		if err := p.Validate(); err != nil {
			return err
		}
		c.protocol = p
		return nil
	}
}

// WithTokenStore sets where tokens are kept; default an auth.FileStore under the user config
// directory.
func WithTokenStore(s auth.TokenStore) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("o365: WithTokenStore(nil)")
		}
		c.store = s
		return nil
	}
}

// WithAuthFlow sets the sign-in flow.
func WithAuthFlow(f AuthFlow) Option {
	return func(c *config) error {
		if !f.valid() {
			return fmt.Errorf("o365: unknown auth flow %q", f)
		}
		c.flow = f
		return nil
	}
}

// WithUsername selects the signed-in user to act as when the store holds several (python-o365's
// username), and is the username of PasswordFlow.
func WithUsername(u string) Option {
	return func(c *config) error { c.username = u; return nil }
}

// WithPassword sets the password of PasswordFlow (legacy; see PasswordFlow).
func WithPassword(p string) Option {
	return func(c *config) error { c.password = p; return nil }
}

// WithHTTPClient sets the HTTP client used for sign-in and Graph calls.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("o365: WithHTTPClient(nil)")
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger sets the logger for sign-in and Graph calls (tokens are never logged).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithRedirectURL sets the redirect URI of the authorization code flows; default the
// native-client page "https://login.microsoftonline.com/common/oauth2/nativeclient" (in the
// protocol's cloud) for the console flow, and a loopback URL for WithBrowser.
func WithRedirectURL(u string) Option {
	return func(c *config) error { c.redirectURL = u; return nil }
}

// WithMainResource sets the resource area handles use by default: graph.Me (default for
// delegated flows), graph.User("upn"), a shared mailbox, graph.Group(id), graph.Site(id).
// App-only accounts have no "me" and should set one.
func WithMainResource(r graph.Resource) Option {
	return func(c *config) error { c.mainResource = r; return nil }
}

// WithClientOptions passes options to graph.NewClient (retry policy, timeouts, headers...).
func WithClientOptions(opts ...graph.Option) Option {
	return func(c *config) error { c.clientOpts = append(c.clientOpts, opts...); return nil }
}

// WithDeviceCodePrompt sets how DeviceFlow shows the code; default it prints the message to
// standard error.
func WithDeviceCodePrompt(f func(ctx context.Context, dc auth.DeviceCode) error) Option {
	return func(c *config) error { c.devicePrompt = f; return nil }
}

// WithConsole sets where the console authorization code flow prints the sign-in URL and reads
// the redirected URL; default standard error and standard input.
func WithConsole(in io.Reader, out io.Writer) Option {
	return func(c *config) error { c.in, c.out = in, out; return nil }
}

// WithBrowser makes the authorization code flows open a browser and receive the redirect on a
// loopback listener instead of the console copy-and-paste. open nil means the system browser
// (auth.OpenBrowser). Register "http://localhost" as a redirect URI of the app.
func WithBrowser(open func(ctx context.Context, url string) error) Option {
	return func(c *config) error {
		if open == nil {
			open = auth.OpenBrowser
		}
		c.openBrowser = open
		return nil
	}
}

// WithRefreshSkew sets how long before expiry access tokens are refreshed (default 5 minutes).
func WithRefreshSkew(d time.Duration) Option {
	return func(c *config) error { c.refreshSkew = d; return nil }
}

// WithClock replaces the clock and sleeps of sign-in and of the Graph client (tests).
func WithClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error { c.now, c.sleep = now, sleep; return nil }
}
