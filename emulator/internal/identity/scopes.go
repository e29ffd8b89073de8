package identity

import (
	"strings"
)

// oidcScopes are the OpenID Connect scopes, which are not Graph
// permissions.
var oidcScopes = map[string]string{
	"openid":         "openid",
	"profile":        "profile",
	"email":          "email",
	"offline_access": "offline_access",
}

// defaultDelegated is what ".default" grants an app that declares no
// DelegatedScopes: the usual permissions of an app that uses the library.
var defaultDelegated = []string{
	"User.Read", "User.ReadBasic.All", "Mail.ReadWrite", "Mail.Send",
	"Calendars.ReadWrite", "Contacts.ReadWrite", "Files.ReadWrite.All",
	"Sites.ReadWrite.All", "Tasks.ReadWrite", "Group.ReadWrite.All",
	"MailboxSettings.ReadWrite", "Presence.Read.All",
}

// requestedScopes is a parsed scope parameter.
type requestedScopes struct {
	graph      []string // short Graph permission names
	oidc       []string // openid, profile, email, offline_access
	hasDefault bool     // ".default" for Graph was asked for
}

// parseScopes splits a space-separated scope parameter. It reports the
// first scope that names another resource or is malformed.
func parseScopes(s string) (requestedScopes, string) {
	var rs requestedScopes
	for _, f := range strings.Fields(s) {
		if o, ok := oidcScopes[strings.ToLower(f)]; ok {
			rs.oidc = appendUnique(rs.oidc, o)
			continue
		}
		name := f
		lf := strings.ToLower(f)
		switch {
		case strings.HasPrefix(lf, graphScopePrefix):
			name = f[len(graphScopePrefix):]
		case strings.HasPrefix(lf, graphAppIDPrefix):
			name = f[len(graphAppIDPrefix):]
		case strings.HasPrefix(lf, "https://graph.microsoft.com//"):
			return rs, f
		}
		if name == ".default" && name != f {
			rs.hasDefault = true
			continue
		}
		if !validPermissionName(name) {
			return rs, f
		}
		rs.graph = appendUnique(rs.graph, name)
	}
	return rs, ""
}

// validPermissionName accepts names like "Mail.Read" or
// "Files.ReadWrite.All".
func validPermissionName(s string) bool {
	if s == "" || len(s) > 100 || s[0] == '.' {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// resolveDelegated turns requested scopes into the scopes granted to app:
// ".default" expands to the app's delegated scopes, a request with no
// Graph scope gets User.Read (as the service does), and a scope outside
// the app's DelegatedScopes yields false.
func resolveDelegated(app *App, rs requestedScopes) ([]string, bool) {
	graph := rs.graph
	if rs.hasDefault {
		def := app.DelegatedScopes
		if len(def) == 0 {
			def = defaultDelegated
		}
		for _, s := range def {
			graph = appendUnique(graph, s)
		}
	}
	if len(graph) == 0 {
		graph = []string{"User.Read"}
	}
	if len(app.DelegatedScopes) > 0 {
		for _, s := range graph {
			if !hasScope(app.DelegatedScopes, s) {
				return nil, false
			}
		}
	}
	out := append([]string(nil), graph...)
	for _, o := range rs.oidc {
		out = appendUnique(out, o)
	}
	return out, true
}

// isOIDC reports whether s is an OpenID Connect scope.
func isOIDC(s string) bool {
	_, ok := oidcScopes[s]
	return ok
}

// tokenScopes is the scp claim: Graph scopes, then openid, profile and
// email (offline_access never appears in an access token).
func tokenScopes(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		if !isOIDC(s) {
			out = append(out, s)
		}
	}
	for _, s := range []string{"openid", "profile", "email"} {
		if hasScope(scopes, s) {
			out = append(out, s)
		}
	}
	return out
}

// responseScope is the token response's scope: full Graph scope URIs and
// the OpenID Connect scopes.
func responseScope(scopes []string) string {
	var b strings.Builder
	for _, s := range scopes {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if isOIDC(s) {
			b.WriteString(s)
		} else {
			b.WriteString(graphScopePrefix + s)
		}
	}
	return b.String()
}

// hasScope reports whether list holds s, ignoring case.
func hasScope(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func appendUnique(list []string, s string) []string {
	if hasScope(list, s) {
		return list
	}
	return append(list, s)
}

// scopeDescriptions are shown on the consent page.
var scopeDescriptions = map[string]string{
	"user.read":                 "Sign you in and read your profile",
	"user.readbasic.all":        "Read all users' basic profiles",
	"user.read.all":             "Read all users' full profiles",
	"mail.read":                 "Read your mail",
	"mail.readwrite":            "Read and write access to your mail",
	"mail.send":                 "Send mail as you",
	"calendars.read":            "Read your calendars",
	"calendars.readwrite":       "Have full access to your calendars",
	"contacts.read":             "Read your contacts",
	"contacts.readwrite":        "Have full access to your contacts",
	"files.read":                "Read your files",
	"files.readwrite":           "Have full access to your files",
	"files.readwrite.all":       "Have full access to all files you have access to",
	"sites.readwrite.all":       "Edit or delete items in all site collections",
	"tasks.readwrite":           "Create, read, update and delete your tasks and plans",
	"group.readwrite.all":       "Read and write all groups",
	"mailboxsettings.readwrite": "Read and write your mailbox settings",
	"presence.read.all":         "Read presence information of all users",
	"openid":                    "Sign you in",
	"profile":                   "View your basic profile",
	"email":                     "View your email address",
	"offline_access":            "Maintain access to data you have given it access to",
}

// describeScope is the consent page line for s.
func describeScope(s string) string {
	if d, ok := scopeDescriptions[strings.ToLower(s)]; ok {
		return d
	}
	return s
}
