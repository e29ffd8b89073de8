package identity

import (
	"encoding/base64"
	"math/big"
	"net/http"
)

// serveOpenID is GET /{tenant}/v2.0/.well-known/openid-configuration.
func (p *Provider) serveOpenID(w http.ResponseWriter, r *http.Request, tenant string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	base := p.issuerBase(r)
	ep := base + "/" + tenant
	// The multi-tenant documents carry the "{tenantid}" placeholder in
	// the issuer, as the service's do.
	issuer := p.issuerFor(base)
	if isMultiTenant(tenant) {
		issuer = base + "/{tenantid}/v2.0"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        ep + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              ep + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                issuer,
		"request_uri_parameter_supported":       false,
		"authorization_endpoint":                ep + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         ep + "/oauth2/v2.0/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  ep + "/oauth2/v2.0/logout",
		"claims_supported":                      []string{"sub", "iss", "aud", "exp", "iat", "nbf", "name", "nonce", "oid", "preferred_username", "tid", "ver", "email"},
		"code_challenge_methods_supported":      []string{"plain", "S256"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token", "client_credentials", grantDeviceCode, "password"},
		"tenant_region_scope":                   "WW",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
		"rbac_url":                              "https://pas.windows.net",
	})
}

// jwk is one key of the JWKS.
type jwk struct {
	Kty    string   `json:"kty"`
	Use    string   `json:"use"`
	Kid    string   `json:"kid"`
	X5t    string   `json:"x5t"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X5c    []string `json:"x5c"`
	Issuer string   `json:"issuer"`
}

// serveKeys is GET /{tenant}/discovery/v2.0/keys.
func (p *Provider) serveKeys(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	pub := p.key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []jwk{{
		Kty:    "RSA",
		Use:    "sig",
		Kid:    p.kid,
		X5t:    p.kid,
		N:      base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E:      base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		X5c:    []string{base64.StdEncoding.EncodeToString(p.certDER)},
		Issuer: p.issuerFor(p.issuerBase(r)),
	}}})
}
