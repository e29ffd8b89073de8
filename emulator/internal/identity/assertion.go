package identity

import (
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

var errNoKey = errors.New("no registered certificate matches the assertion")

// certificateFor finds the registered certificate named by the
// assertion's x5t (SHA-1) or x5t#S256 header.
func certificateFor(app *App, h map[string]any) (*x509.Certificate, string) {
	x5t, _ := h["x5t"].(string)
	x5t256, _ := h["x5t#S256"].(string)
	for _, c := range app.Certificates {
		if c == nil {
			continue
		}
		s1 := sha1.Sum(c.Raw)
		s256 := sha256.Sum256(c.Raw)
		if x5t != "" && thumbprintEqual(x5t, s1[:]) || x5t256 != "" && thumbprintEqual(x5t256, s256[:]) {
			return c, ""
		}
	}
	if x5t256 != "" {
		return nil, x5t256
	}
	return nil, x5t
}

// thumbprintEqual compares a base64url (or, leniently, standard base64 or
// hex) thumbprint with sum.
func thumbprintEqual(s string, sum []byte) bool {
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
		if b, err := enc.DecodeString(s); err == nil && string(b) == string(sum) {
			return true
		}
	}
	return strings.EqualFold(s, hexString(sum))
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// checkAssertion validates a client assertion (RFC 7523): signed with a
// registered certificate, iss = sub = client id, aud = the token endpoint,
// inside its validity window.
func (p *Provider) checkAssertion(r *http.Request, tenant string, app *App, assertion string) *oauthError {
	var thumb string
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256", "PS256"}),
		jwt.WithoutClaimsValidation(),
		jwt.WithJSONNumber(),
	)
	mc := jwt.MapClaims{}
	_, err := parser.ParseWithClaims(assertion, mc, func(t *jwt.Token) (any, error) {
		c, tp := certificateFor(app, t.Header)
		if c == nil {
			thumb = tp
			return nil, errNoKey
		}
		pub, ok := c.PublicKey.(*rsa.PublicKey)
		if !ok {
			return nil, errNoKey
		}
		return pub, nil
	})
	switch {
	case err == nil:
	case errors.Is(err, errNoKey):
		return errAssertion(700027, "The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '%s', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]", clipped(thumb, 64), app.ClientID)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return errAssertion(700027, "Client assertion failed signature validation.")
	case errors.Is(err, jwt.ErrTokenUnverifiable) || errors.Is(err, jwt.ErrTokenMalformed):
		return errAssertion(50027, "JWT token is invalid or malformed.")
	default:
		return errAssertion(700027, "Client assertion failed signature validation.")
	}
	iss, _ := mc["iss"].(string)
	sub, _ := mc["sub"].(string)
	if iss != app.ClientID || sub != app.ClientID {
		return errAssertion(700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://aka.ms/certCreds .")
	}
	if !p.assertionAudienceOK(r, tenant, mc["aud"]) {
		return errAssertion(700212, "No matching federated identity record found for presented assertion audience '%s'.", clipped(audString(mc["aud"]), 200))
	}
	now := p.now()
	exp, err := mc.GetExpirationTime()
	if err != nil || exp == nil {
		return errAssertion(50027, "JWT token is invalid or malformed. The 'exp' claim is missing.")
	}
	nbf, err := mc.GetNotBefore()
	if err != nil {
		return errAssertion(50027, "JWT token is invalid or malformed.")
	}
	if !now.Before(exp.Time) || nbf != nil && now.Before(nbf.Time) {
		from := "none"
		if nbf != nil {
			from = nbf.UTC().Format("2006-01-02T15:04:05Z")
		}
		return errAssertion(700024, "Client assertion is not within its valid time range. Current time: %s, assertion valid from %s, expiry time of assertion %s.",
			now.UTC().Format("2006-01-02T15:04:05Z"), from, exp.UTC().Format("2006-01-02T15:04:05Z"))
	}
	return nil
}

// assertionAudienceOK accepts the token endpoint URL, with the tenant as
// the request named it or as the tenant id, or the tenant's v2.0 issuer.
func (p *Provider) assertionAudienceOK(r *http.Request, tenant string, v any) bool {
	base := p.issuerBase(r)
	ok := func(a string) bool {
		for _, t := range []string{tenant, p.cfg.TenantID} {
			if strings.EqualFold(a, base+"/"+t+"/oauth2/v2.0/token") {
				return true
			}
		}
		return strings.EqualFold(a, p.issuerFor(base))
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

func audString(v any) string {
	switch a := v.(type) {
	case string:
		return a
	case []any:
		var parts []string
		for _, x := range a {
			if s, ok := x.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ",")
	}
	return ""
}

// clipped bounds attacker-supplied text echoed in errors.
func clipped(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
