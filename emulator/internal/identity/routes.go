package identity

import (
	"net/http"
	"strings"
)

// Handles reports whether path is one of the identity routes, so a server
// can route to ServeHTTP before its own handlers.
func (p *Provider) Handles(path string) bool {
	_, _, ok := splitRoute(path)
	return ok
}

// route names.
const (
	routeAuthorize   = "authorize"
	routeToken       = "token"
	routeDeviceCode  = "devicecode"
	routeLogout      = "logout"
	routeOpenID      = "openid-configuration"
	routeKeys        = "keys"
	routeDeviceLogin = "devicelogin"
)

// splitRoute parses an identity path into its tenant segment and route.
func splitRoute(path string) (tenant, route string, ok bool) {
	path = strings.TrimSuffix(path, "/")
	if path == "/devicelogin" {
		return "", routeDeviceLogin, true
	}
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	switch {
	case len(seg) == 4 && seg[1] == "oauth2" && seg[2] == "v2.0":
		switch seg[3] {
		case routeAuthorize, routeToken, routeDeviceCode, routeLogout:
			return seg[0], seg[3], seg[0] != ""
		}
	case len(seg) == 4 && seg[1] == "v2.0" && seg[2] == ".well-known" && seg[3] == routeOpenID:
		return seg[0], routeOpenID, seg[0] != ""
	case len(seg) == 4 && seg[1] == "discovery" && seg[2] == "v2.0" && seg[3] == routeKeys:
		return seg[0], routeKeys, seg[0] != ""
	}
	return "", "", false
}

// ServeHTTP serves every identity route; other paths get 404.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tenant, route, ok := splitRoute(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if route != routeDeviceLogin && !p.knownTenant(tenant) {
		p.tenantNotFound(w, r, tenant, route)
		return
	}
	switch route {
	case routeAuthorize:
		p.serveAuthorize(w, r, tenant)
	case routeToken:
		p.serveToken(w, r, tenant)
	case routeDeviceCode:
		p.serveDeviceCode(w, r, tenant)
	case routeLogout:
		p.serveLogout(w, r)
	case routeOpenID:
		p.serveOpenID(w, r, tenant)
	case routeKeys:
		p.serveKeys(w, r)
	case routeDeviceLogin:
		p.serveDeviceLogin(w, r)
	}
}
