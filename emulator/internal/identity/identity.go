package identity

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
)

// App is an application registration.
type App struct {
	// ClientID is the application (client) id.
	ClientID string
	// Name is the display name shown on the consent page.
	Name string
	// Secret is the client secret of a confidential app.
	Secret string
	// Certificates authenticate client assertions (matched by thumbprint).
	Certificates []*x509.Certificate
	// RedirectURIs are the registered reply URLs. http://localhost and
	// http://127.0.0.1 entries match any port, as for native apps.
	RedirectURIs []string
	// Public marks a public client (no secret; PKCE required).
	Public bool
	// Roles are the application permissions granted to the app, such as
	// "User.Read.All" or "Mail.Read", put in app-only tokens.
	Roles []string
	// DelegatedScopes limits the delegated Graph scopes the app may be
	// granted; empty means any Graph scope.
	DelegatedScopes []string
}

// User is a tenant user who can sign in.
type User struct {
	ID, UPN, DisplayName, Password string
}

// Config configures a Provider.
type Config struct {
	// TenantID is the directory (tenant) id; required.
	TenantID string
	// Domains are further names accepted for the tenant in paths, such as
	// "contoso.onmicrosoft.com". Domains of added users' UPNs are
	// accepted as well.
	Domains []string
	// Issuer returns the base URL of the server (scheme://host) for a
	// request; nil derives it from the request.
	Issuer func(r *http.Request) string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Lifetimes; zero means the default (1h, 90 days, 15m).
	AccessTokenLifetime, RefreshTokenLifetime, DeviceCodeLifetime time.Duration
	// DevicePollInterval is the device flow polling interval; default 5s.
	DevicePollInterval time.Duration
	// AutoApprove signs AutoApproveUser in without a browser: the
	// authorize endpoint redirects at once and device codes are approved
	// when created. An empty AutoApproveUser means the first user added.
	AutoApprove     bool
	AutoApproveUser string
	// StrictRefreshRotation makes refresh tokens single use: presenting a
	// used one fails and revokes every token of its family. Microsoft
	// keeps old refresh tokens valid, which is the default.
	StrictRefreshRotation bool
	// SigningKey signs tokens; nil generates a 2048-bit RSA key. Setting
	// it keeps tokens valid across restarts and makes tests faster.
	SigningKey *rsa.PrivateKey
}

// Claims are the verified claims of an access token.
type Claims struct {
	// TenantID is the tid claim (always the provider's tenant).
	TenantID string
	// ClientID is the appid/azp claim.
	ClientID string
	// ObjectID is the user's id; empty for app-only tokens.
	ObjectID string
	// UPN is the user's principal name; empty for app-only tokens.
	UPN string
	// Name is the user's display name.
	Name string
	// AppName is the app's display name (app_displayname).
	AppName string
	// Scopes are the delegated scopes (scp), short names like "Mail.Read".
	Scopes []string
	// Roles are the application permissions of an app-only token.
	Roles []string
	// AppOnly is true for tokens from the client credentials grant.
	AppOnly bool
	// ExpiresAt is the exp claim.
	ExpiresAt time.Time
}

// HasScope reports whether the token carries the delegated scope or
// application role s (case-insensitive).
func (c *Claims) HasScope(s string) bool {
	for _, v := range c.Scopes {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	for _, v := range c.Roles {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// Provider is the emulated identity platform. It is safe for concurrent use.
type Provider struct {
	cfg     Config
	now     func() time.Time
	key     *rsa.PrivateKey
	kid     string
	certDER []byte

	mu          sync.Mutex
	apps        map[string]*App  // by client id
	users       map[string]*User // by lower-case UPN
	usersByID   map[string]*User
	domains     map[string]bool // lower-case
	codes       map[string]*authCode
	refresh     map[string]*refreshGrant
	devices     map[string]*deviceGrant // by device code
	userCodes   map[string]string       // user code -> device code
	accessLife  time.Duration
	autoApprove bool
	autoUser    string
	mfa         map[string]bool // user ids whose silent grants need MFA
	firstUser   string          // UPN of the first user added, the auto-approve default
	rtIssued    int             // refresh tokens issued, to prune now and then
}

// Errors returned by Verify; use errors.Is. The concrete error is a
// *TokenError whose Message is the text Graph puts in its 401 answer.
var (
	ErrTokenExpired = errors.New("identity: access token expired")
	ErrTokenInvalid = errors.New("identity: access token invalid")
)

// TokenError describes why an access token was rejected.
type TokenError struct {
	// Expired is true when the token is well formed and correctly signed
	// but outside its lifetime.
	Expired bool
	// Message is the Graph error message for the 401
	// InvalidAuthenticationToken answer, e.g. "Lifetime validation
	// failed, the token is expired."
	Message string
}

func (e *TokenError) Error() string { return "identity: " + e.Message }

// Is makes errors.Is(err, ErrTokenExpired) and errors.Is(err,
// ErrTokenInvalid) work.
func (e *TokenError) Is(target error) bool {
	if e.Expired {
		return target == ErrTokenExpired
	}
	return target == ErrTokenInvalid
}
