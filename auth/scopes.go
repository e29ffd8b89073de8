package auth

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// DefaultScopePrefix is the global cloud's Microsoft Graph resource.
const DefaultScopePrefix = "https://graph.microsoft.com/"

// Reserved OpenID Connect scopes: never prefixed.
const (
	ScopeOpenID        = "openid"
	ScopeProfile       = "profile"
	ScopeOfflineAccess = "offline_access"
	ScopeEmail         = "email"
)

// DefaultScope is the scope of the client credentials flow (all application permissions
// granted to the app), before prefixing.
const DefaultScope = ".default"

// scopeHelpers: python-o365's DEFAULT_SCOPES table, name for name, then helpers for the areas
// it lacks.
var scopeHelpers = map[string][]string{
	// python-o365
	"basic":                   {"User.Read"},
	"mailbox":                 {"Mail.Read"},
	"mailbox_shared":          {"Mail.Read.Shared"},
	"mailbox_settings":        {"MailboxSettings.ReadWrite"},
	"message_send":            {"Mail.Send"},
	"message_send_shared":     {"Mail.Send.Shared"},
	"message_all":             {"Mail.ReadWrite", "Mail.Send"},
	"message_all_shared":      {"Mail.ReadWrite.Shared", "Mail.Send.Shared"},
	"address_book":            {"Contacts.Read"},
	"address_book_shared":     {"Contacts.Read.Shared"},
	"address_book_all":        {"Contacts.ReadWrite"},
	"address_book_all_shared": {"Contacts.ReadWrite.Shared"},
	"users":                   {"User.ReadBasic.All"},
	"onedrive":                {"Files.Read.All"},
	"onedrive_all":            {"Files.ReadWrite.All"},
	"sharepoint":              {"Sites.Read.All"},
	"sharepoint_all":          {"Sites.ReadWrite.All"},
	"settings_all":            {"MailboxSettings.ReadWrite"},
	"tasks":                   {"Tasks.Read"},
	"tasks_all":               {"Tasks.ReadWrite"},
	"presence":                {"Presence.Read"},
	"calendar":                {"Calendars.Read"},
	"calendar_shared":         {"Calendars.Read.Shared"},
	"calendar_all":            {"Calendars.ReadWrite"},
	"calendar_shared_all":     {"Calendars.ReadWrite.Shared"},

	// Areas python-o365 has no helper for.
	"users_all":        {"User.ReadWrite.All"},
	"groups":           {"Group.Read.All"},
	"groups_all":       {"Group.ReadWrite.All"},
	"group_member":     {"GroupMember.Read.All"},
	"directory":        {"Directory.Read.All"},
	"directory_all":    {"Directory.ReadWrite.All"},
	"planner":          {"Tasks.Read", "Group.Read.All"},
	"planner_all":      {"Tasks.ReadWrite", "Group.ReadWrite.All"},
	"teams":            {"Team.ReadBasic.All", "Channel.ReadBasic.All"},
	"teams_all":        {"Team.ReadBasic.All", "TeamSettings.ReadWrite.All", "Channel.ReadBasic.All", "ChannelSettings.ReadWrite.All", "ChannelMessage.Send"},
	"channel_messages": {"ChannelMessage.Read.All"},
	"chats":            {"Chat.Read"},
	"chats_all":        {"Chat.ReadWrite"},
	"presence_all":     {"Presence.ReadWrite"},
	"categories":       {"MailboxSettings.Read"},
	"categories_all":   {"MailboxSettings.ReadWrite"},
	// Change notifications need the read permission of the resource watched; these are the
	// Outlook resources.
	"subscriptions":   {"Mail.Read", "Calendars.Read", "Contacts.Read"},
	"people":          {"People.Read"},
	"online_meetings": {"OnlineMeetings.ReadWrite"},
}

// ScopeHelpers returns the helper names ("basic", "mailbox", ...) and the Graph permissions each
// stands for. The map is a copy.
func ScopeHelpers() map[string][]string {
	m := make(map[string][]string, len(scopeHelpers))
	for k, v := range scopeHelpers {
		m[k] = slices.Clone(v)
	}
	return m
}

// ScopeHelperNames returns the helper names, sorted.
func ScopeHelperNames() []string { return slices.Sorted(maps.Keys(scopeHelpers)) }

// ExpandScopes replaces helper names by their permissions; other strings are raw scopes and pass
// through. Duplicates (case-insensitive) and empty strings are dropped; order is kept.
func ExpandScopes(names ...string) []string {
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if perms, ok := scopeHelpers[n]; ok {
			out = appendUnique(out, perms...)
			continue
		}
		out = appendUnique(out, n)
	}
	return out
}

func appendUnique(list []string, add ...string) []string {
	for _, a := range add {
		if !slices.ContainsFunc(list, func(s string) bool { return strings.EqualFold(s, a) }) {
			list = append(list, a)
		}
	}
	return list
}

// IsReservedScope reports whether s is an OpenID Connect scope (openid, profile, email,
// offline_access).
func IsReservedScope(s string) bool {
	switch strings.ToLower(s) {
	case ScopeOpenID, ScopeProfile, ScopeOfflineAccess, ScopeEmail:
		return true
	}
	return false
}

// PrefixScope prefixes a permission with the resource (prefix, e.g.
// "https://graph.microsoft.com/"); absolute scopes (with a "/" or "://", such as "api://x/y" or
// "https://outlook.office.com/IMAP.AccessAsUser.All") and reserved scopes are returned as is.
func PrefixScope(prefix, scope string) string {
	if prefix == "" {
		prefix = DefaultScopePrefix
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if IsReservedScope(scope) || strings.Contains(scope, "/") {
		return scope
	}
	return prefix + scope
}

// ResolveScopes expands helpers and prefixes every scope with prefix.
func ResolveScopes(prefix string, names ...string) []string {
	out := ExpandScopes(names...)
	for i, s := range out {
		out[i] = PrefixScope(prefix, s)
	}
	return out
}

// DelegatedScopes is ResolveScopes plus offline_access (so a refresh token is issued) for the
// flows that sign a user in. With no names it asks for "basic" (User.Read).
func DelegatedScopes(prefix string, names ...string) []string {
	if len(ExpandScopes(names...)) == 0 {
		names = []string{"basic"}
	}
	return appendUnique(ResolveScopes(prefix, names...), ScopeOfflineAccess)
}

// AppScopes returns the only scope the client credentials flow accepts, "{prefix}.default".
// names may be empty, ".default" or the prefixed ".default"; anything else is an error
// (application permissions are granted in Entra ID, not requested per call).
func AppScopes(prefix string, names ...string) ([]string, error) {
	def := PrefixScope(prefix, DefaultScope)
	for _, n := range ExpandScopes(names...) {
		if n == DefaultScope || strings.EqualFold(n, def) || strings.HasSuffix(n, "/"+DefaultScope) {
			continue
		}
		return nil, fmt.Errorf("%w: the client credentials flow accepts only %q, not %q; grant application permissions to the app in Entra ID instead",
			ErrInvalidScope, def, n)
	}
	for _, n := range ExpandScopes(names...) {
		if strings.HasSuffix(n, "/"+DefaultScope) && !strings.EqualFold(n, def) {
			return []string{n}, nil // another resource's .default, e.g. "api://x/.default"
		}
	}
	return []string{def}, nil
}

// ScopesFor expands helper names into Graph permissions, unprefixed (python-o365's
// protocol.get_scopes_for); the Account prefixes them for its cloud when signing in.
func ScopesFor(names ...string) []string { return ExpandScopes(names...) }
