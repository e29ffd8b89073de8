package identity

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The audiences Graph accepts in access tokens: its URI (what the emulator
// issues) and its application id.
const (
	GraphAudience = "https://graph.microsoft.com"
	GraphAppID    = "00000003-0000-0000-c000-000000000000"
)

const (
	graphScopePrefix   = GraphAudience + "/"
	graphAppIDPrefix   = GraphAppID + "/"
	graphDefaultScope  = graphScopePrefix + ".default"
	clientAssertionJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	grantDeviceCode    = "urn:ietf:params:oauth:grant-type:device_code"
)

// grant is what a token is issued for.
type grant struct {
	app    *App
	user   *User    // nil for app-only
	scopes []string // short Graph scopes and OIDC scopes, for delegated grants
	nonce  string
}

// sign signs claims with the provider key.
func (p *Provider) sign(claims jwt.MapClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = p.kid
	t.Header["x5t"] = p.kid
	return t.SignedString(p.key)
}

// issuerFor is the v2.0 issuer for a base URL.
func (p *Provider) issuerFor(base string) string {
	return base + "/" + p.cfg.TenantID + "/v2.0"
}

// accessToken mints the Graph access token for g.
func (p *Provider) accessToken(base string, g grant, now time.Time, life time.Duration) (string, error) {
	c := jwt.MapClaims{
		"aud":   GraphAudience,
		"iss":   p.issuerFor(base),
		"iat":   now.Unix(),
		"nbf":   now.Unix(),
		"exp":   now.Add(life).Unix(),
		"tid":   p.cfg.TenantID,
		"appid": g.app.ClientID,
		"azp":   g.app.ClientID,
		"ver":   "2.0",
		"uti":   randomToken(16),
	}
	if g.app.Name != "" {
		c["app_displayname"] = g.app.Name
	}
	if g.user == nil {
		c["idtyp"] = "app"
		c["sub"] = g.app.ClientID
		roles := g.app.Roles
		if roles == nil {
			roles = []string{}
		}
		c["roles"] = roles
	} else {
		c["idtyp"] = "user"
		c["oid"] = g.user.ID
		c["sub"] = g.user.ID
		c["upn"] = g.user.UPN
		c["preferred_username"] = g.user.UPN
		c["unique_name"] = g.user.UPN
		c["name"] = g.user.DisplayName
		c["scp"] = strings.Join(tokenScopes(g.scopes), " ")
	}
	return p.sign(c)
}

// idToken mints the OpenID Connect id token for g.
func (p *Provider) idToken(base string, g grant, now time.Time) (string, error) {
	c := jwt.MapClaims{
		"aud":                g.app.ClientID,
		"iss":                p.issuerFor(base),
		"iat":                now.Unix(),
		"nbf":                now.Unix(),
		"exp":                now.Add(time.Hour).Unix(),
		"tid":                p.cfg.TenantID,
		"oid":                g.user.ID,
		"sub":                g.user.ID,
		"preferred_username": g.user.UPN,
		"name":               g.user.DisplayName,
		"ver":                "2.0",
	}
	if hasScope(g.scopes, "email") {
		c["email"] = g.user.UPN
	}
	if g.nonce != "" {
		c["nonce"] = g.nonce
	}
	return p.sign(c)
}

// Graph's messages for rejected tokens.
const (
	msgEmpty      = "Access token is empty."
	msgNoDots     = "IDX14100: JWT is not well formed, there are no dots (.). The token needs to be in JWS or JWE Compact Serialization Format."
	msgMalformed  = "Invalid JWT token. The token is malformed."
	msgValidation = "Access token validation failure."
	msgAudience   = "Access token validation failure. Invalid audience."
	msgIssuer     = "Access token validation failure. Invalid issuer."
	msgExpired    = "Lifetime validation failed, the token is expired."
	msgNotYet     = "Lifetime validation failed, the token is not yet valid."
)

func invalid(msg string) error { return &TokenError{Message: msg} }

// Verify checks a Graph access token issued by this provider: the RS256
// signature with the provider key (any other algorithm, "none" included,
// is refused), exp and nbf against the provider clock, the Graph audience
// and the tenant. bearer may carry the "Bearer " prefix. Failures are
// *TokenError values matching ErrTokenExpired or ErrTokenInvalid.
func (p *Provider) Verify(bearer string) (*Claims, error) {
	tok := strings.TrimSpace(bearer)
	if len(tok) >= 6 && strings.EqualFold(tok[:6], "bearer") && (len(tok) == 6 || tok[6] == ' ') {
		tok = strings.TrimSpace(tok[6:])
	}
	if tok == "" {
		return nil, invalid(msgEmpty)
	}
	if !strings.Contains(tok, ".") {
		return nil, invalid(msgNoDots)
	}
	if strings.Count(tok, ".") != 2 {
		return nil, invalid(msgMalformed)
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithoutClaimsValidation(),
		jwt.WithJSONNumber(),
	)
	mc := jwt.MapClaims{}
	_, err := parser.ParseWithClaims(tok, mc, func(t *jwt.Token) (any, error) {
		if kid, ok := t.Header["kid"].(string); ok && kid != p.kid {
			return nil, errors.New("unknown key")
		}
		return &p.key.PublicKey, nil
	})
	if err != nil {
		if errors.Is(err, jwt.ErrTokenMalformed) {
			return nil, invalid(msgMalformed)
		}
		return nil, invalid(msgValidation)
	}
	if !audienceOK(mc["aud"]) {
		return nil, invalid(msgAudience)
	}
	tid, _ := mc["tid"].(string)
	iss, _ := mc["iss"].(string)
	if !strings.EqualFold(tid, p.cfg.TenantID) || !strings.HasSuffix(iss, "/"+tid+"/v2.0") {
		return nil, invalid(msgIssuer)
	}
	now := p.now()
	exp, err := mc.GetExpirationTime()
	if err != nil || exp == nil {
		return nil, invalid(msgValidation)
	}
	if !now.Before(exp.Time) {
		return nil, &TokenError{Expired: true, Message: msgExpired}
	}
	if nbf, err := mc.GetNotBefore(); err != nil {
		return nil, invalid(msgValidation)
	} else if nbf != nil && now.Before(nbf.Time) {
		return nil, invalid(msgNotYet)
	}
	c := &Claims{TenantID: tid, ExpiresAt: exp.Time}
	c.ClientID, _ = mc["appid"].(string)
	if c.ClientID == "" {
		c.ClientID, _ = mc["azp"].(string)
	}
	c.ObjectID, _ = mc["oid"].(string)
	c.UPN, _ = mc["upn"].(string)
	if c.UPN == "" {
		c.UPN, _ = mc["preferred_username"].(string)
	}
	c.Name, _ = mc["name"].(string)
	c.AppName, _ = mc["app_displayname"].(string)
	if scp, _ := mc["scp"].(string); scp != "" {
		c.Scopes = strings.Fields(scp)
	}
	if roles, ok := mc["roles"].([]any); ok {
		for _, r := range roles {
			if s, ok := r.(string); ok {
				c.Roles = append(c.Roles, s)
			}
		}
	}
	c.AppOnly = c.ObjectID == ""
	if c.ClientID == "" || (c.AppOnly && c.Scopes != nil) {
		return nil, invalid(msgValidation)
	}
	return c, nil
}

func audienceOK(v any) bool {
	ok := func(s string) bool {
		s = strings.TrimSuffix(s, "/")
		return s == GraphAudience || s == GraphAppID
	}
	switch a := v.(type) {
	case string:
		return ok(a)
	case []any:
		for _, x := range a {
			if s, _ := x.(string); ok(s) {
				return true
			}
		}
	}
	return false
}

// NewAccessToken mints an access token without going through a flow, for
// tests and seeding. base is the server's scheme://host (the issuer's
// prefix). With upn empty the token is app-only and carries the app's
// Roles; otherwise it is delegated for that user with scopes (short names
// like "Mail.Read" or full URIs; none means User.Read).
func (p *Provider) NewAccessToken(base, clientID, upn string, scopes ...string) (string, error) {
	app := p.app(clientID)
	if app == nil {
		return "", fmt.Errorf("identity: unknown client id %q", clientID)
	}
	g := grant{app: app}
	if upn != "" {
		if g.user = p.userByUPN(upn); g.user == nil {
			return "", fmt.Errorf("%w: %q", ErrUnknownUser, upn)
		}
		rs, bad := parseScopes(strings.Join(scopes, " "))
		if bad != "" {
			return "", fmt.Errorf("identity: invalid scope %q", bad)
		}
		g.scopes, _ = resolveDelegated(&App{}, rs)
	}
	p.mu.Lock()
	life := p.accessLife
	p.mu.Unlock()
	return p.accessToken(strings.TrimRight(base, "/"), g, p.now(), life)
}
