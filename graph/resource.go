package graph

import (
	"net/url"
	"strings"
)

// Resource is the main resource a handle works on: "me", "users/{id|upn}", "groups/{id}",
// "sites/{id}". It is a path relative to the service URL, without a leading slash, with
// its segments already escaped.
type Resource string

// Me is the signed-in user (delegated tokens only; an app-only token must use User).
const Me Resource = "me"

// User is the user, or shared mailbox, with the given object id or user principal name.
func User(idOrUPN string) Resource { return Resource("users/" + escapeSegment(idOrUPN)) }

// Group is the group with the given object id.
func Group(id string) Resource { return Resource("groups/" + escapeSegment(id)) }

// Site is the SharePoint site with the given id (e.g. "contoso.sharepoint.com,{site-guid},{web-guid}"
// or "root").
func Site(id string) Resource { return Resource("sites/" + escapeSegment(id)) }

// String returns the resource path, e.g. "users/adele@contoso.com" ("@" is legal in a path).
func (r Resource) String() string { return string(r) }

// Path returns "/"+r followed by the given segments, each path-escaped, e.g.
// Me.Path("mailFolders", "inbox", "messages") is "/me/mailFolders/inbox/messages" and
// User("a@b.c").Path("messages", id) escapes id. A segment is never split on "/": pass one
// segment per argument. The empty Resource yields just the segments.
func (r Resource) Path(segments ...string) string {
	var b strings.Builder
	if r != "" {
		b.WriteByte('/')
		b.WriteString(strings.Trim(string(r), "/"))
	}
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// escapeSegment escapes one path segment, keeping "," readable (SharePoint site ids are
// "host,site-guid,web-guid" and "," is legal in a segment).
func escapeSegment(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "%2C", ",")
}
