package identity

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Default lifetimes, as the identity platform documents them.
const (
	DefaultAccessTokenLifetime  = time.Hour
	DefaultRefreshTokenLifetime = 90 * 24 * time.Hour
	DefaultDeviceCodeLifetime   = 15 * time.Minute
	DefaultDevicePollInterval   = 5 * time.Second
	authCodeLifetime            = 10 * time.Minute
)

// New returns a Provider for cfg. It generates the 2048-bit RSA signing key.
func New(cfg Config) (*Provider, error) {
	t := strings.TrimSpace(cfg.TenantID)
	if t == "" || strings.ContainsAny(t, "/?#% ") || isMultiTenant(t) {
		return nil, errors.New("identity: Config.TenantID must be a tenant id")
	}
	if cfg.AccessTokenLifetime <= 0 {
		cfg.AccessTokenLifetime = DefaultAccessTokenLifetime
	}
	if cfg.RefreshTokenLifetime <= 0 {
		cfg.RefreshTokenLifetime = DefaultRefreshTokenLifetime
	}
	if cfg.DeviceCodeLifetime <= 0 {
		cfg.DeviceCodeLifetime = DefaultDeviceCodeLifetime
	}
	if cfg.DevicePollInterval <= 0 {
		cfg.DevicePollInterval = DefaultDevicePollInterval
	}
	key := cfg.SigningKey
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("identity: generating signing key: %w", err)
		}
	} else if key.N.BitLen() < 2048 {
		return nil, errors.New("identity: Config.SigningKey must be at least 2048 bits")
	}
	// A self-signed certificate for the key, published in the JWKS as x5c
	// the way Entra ID does; its thumbprint is the key id.
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "o365 emulator token signing"},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.Add(5 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("identity: creating signing certificate: %w", err)
	}
	sum := sha1.Sum(der)
	p := &Provider{
		cfg:         cfg,
		now:         cfg.Now,
		key:         key,
		kid:         base64.RawURLEncoding.EncodeToString(sum[:]),
		certDER:     der,
		apps:        map[string]*App{},
		users:       map[string]*User{},
		usersByID:   map[string]*User{},
		domains:     map[string]bool{},
		mfa:         map[string]bool{},
		codes:       map[string]*authCode{},
		refresh:     map[string]*refreshGrant{},
		devices:     map[string]*deviceGrant{},
		userCodes:   map[string]string{},
		accessLife:  cfg.AccessTokenLifetime,
		autoApprove: cfg.AutoApprove,
		autoUser:    cfg.AutoApproveUser,
	}
	p.cfg.TenantID = t
	if p.now == nil {
		p.now = time.Now
	}
	for _, d := range cfg.Domains {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			p.domains[d] = true
		}
	}
	return p, nil
}

// TenantID returns the configured tenant id.
func (p *Provider) TenantID() string { return p.cfg.TenantID }

// RegisterApp adds or replaces an application registration.
func (p *Provider) RegisterApp(a App) {
	a.Certificates = slices.Clone(a.Certificates)
	a.RedirectURIs = slices.Clone(a.RedirectURIs)
	a.Roles = slices.Clone(a.Roles)
	a.DelegatedScopes = slices.Clone(a.DelegatedScopes)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.apps[a.ClientID] = &a
}

// AddUser adds or replaces a user. A user without an ID gets a random
// GUID. The domain of the UPN becomes a name of the tenant.
func (p *Provider) AddUser(u User) {
	if u.ID == "" {
		u.ID = newGUID()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// Replace by UPN and by id, so neither index keeps a stale entry.
	if old, ok := p.users[strings.ToLower(u.UPN)]; ok {
		delete(p.usersByID, old.ID)
	}
	if old, ok := p.usersByID[u.ID]; ok {
		delete(p.users, strings.ToLower(old.UPN))
	}
	if p.firstUser == "" {
		p.firstUser = u.UPN
	}
	p.users[strings.ToLower(u.UPN)] = &u
	p.usersByID[u.ID] = &u
	if _, d, ok := strings.Cut(u.UPN, "@"); ok && d != "" {
		p.domains[strings.ToLower(d)] = true
	}
}

// SetInteractionRequired simulates a Conditional Access policy for the
// user upn: while on, the non-interactive grants (refresh_token, password)
// for that user fail with AADSTS50076 (interaction_required, with
// suberror and a claims challenge), as after a policy change; the
// interactive flows (authorization code, device code) still succeed, as
// if the user had completed multi-factor authentication. It reports
// whether the user exists.
func (p *Provider) SetInteractionRequired(upn string, on bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[strings.ToLower(strings.TrimSpace(upn))]
	if u == nil {
		return false
	}
	if on {
		p.mfa[u.ID] = true
	} else {
		delete(p.mfa, u.ID)
	}
	return true
}

// RevokeSignInSessions revokes every refresh token issued to the user upn,
// as an administrator's "revoke sessions" or a password reset does; using
// one then fails with AADSTS50173. It returns how many were revoked.
func (p *Provider) RevokeSignInSessions(upn string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[strings.ToLower(strings.TrimSpace(upn))]
	if u == nil {
		return 0
	}
	n := 0
	for _, g := range p.refresh {
		if g.userID == u.ID && !g.revoked {
			g.revoked, g.adminRevoked = true, true
			n++
		}
	}
	return n
}

// userUPNs lists the users' UPNs, sorted, for the sign-in page.
func (p *Provider) userUPNs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.users))
	for _, u := range p.users {
		if u.UPN != "" {
			out = append(out, u.UPN)
		}
	}
	slices.Sort(out)
	return out
}

// SetAccessTokenLifetime changes the lifetime of access tokens issued from
// now on; d <= 0 restores the default.
func (p *Provider) SetAccessTokenLifetime(d time.Duration) {
	if d <= 0 {
		d = DefaultAccessTokenLifetime
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.accessLife = d
}

// SetAutoApprove switches auto-approval on or off and sets the UPN it
// signs in as ("" means the first user added).
func (p *Provider) SetAutoApprove(on bool, upn string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.autoApprove = on
	p.autoUser = upn
}

// issuerBase is the scheme://host the request reached.
func (p *Provider) issuerBase(r *http.Request) string {
	if p.cfg.Issuer != nil {
		if b := strings.TrimRight(p.cfg.Issuer(r), "/"); b != "" {
			return b
		}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// autoApproveUser returns the user auto-approval signs in as, or nil
// when it is off; upn names the configured user for error messages.
// p.mu is held.
func (p *Provider) autoApproveUserLocked() (u *User, upn string, on bool) {
	if !p.autoApprove {
		return nil, "", false
	}
	upn = p.autoUser
	if upn == "" {
		upn = p.firstUser
	}
	if u := p.users[strings.ToLower(strings.TrimSpace(upn))]; u != nil {
		c := *u
		return &c, upn, true
	}
	return nil, upn, true
}

func isMultiTenant(t string) bool {
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return true
	}
	return false
}

// knownTenant reports whether t names this tenant (id, domain or a
// multi-tenant alias).
func (p *Provider) knownTenant(t string) bool {
	if t == "" {
		return false
	}
	if isMultiTenant(t) || strings.EqualFold(t, p.cfg.TenantID) {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.domains[strings.ToLower(t)]
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// randomToken returns n random bytes, base64url encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
