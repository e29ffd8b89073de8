package emulator

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// downloadTTL is how long a pre-authenticated download URL works.
const downloadTTL = time.Hour

// driveJSON renders a drive resource (under d.mu).
func (s *Server) driveJSON(dr *drive) map[string]any {
	used := dr.root.size()
	m := map[string]any{
		"id":                   dr.id,
		"name":                 dr.name,
		"driveType":            dr.driveType,
		"createdDateTime":      driveTime(dr.created),
		"lastModifiedDateTime": driveTime(dr.root.modified),
		"description":          "",
		"webUrl":               dr.webBase,
		"owner":                dr.owner.set(),
		"quota": map[string]any{
			"deleted":   dr.deleted,
			"remaining": dr.quota - used - dr.deleted,
			"state":     "normal",
			"total":     dr.quota,
			"used":      used,
		},
	}
	if dr.ownerKind == "user" {
		m["createdBy"] = map[string]any{"user": map[string]any{"displayName": "System Account"}}
	}
	return m
}

// escapePath percent-encodes each segment of a slash path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, x := range parts {
		parts[i] = url.PathEscape(x)
	}
	return strings.Join(parts, "/")
}

// downloadURL is the pre-authenticated URL of an item's content (version
// "" for the current one).
func (s *Server) downloadURL(host string, it *driveItem, version, format string, now time.Time) string {
	exp := strconv.FormatInt(now.Add(downloadTTL).Unix(), 10)
	v := url.Values{}
	v.Set("UniqueId", it.id)
	if version != "" {
		v.Set("version", version)
	}
	if format != "" {
		v.Set("format", format)
	}
	v.Set("tempauth", "v1."+exp+"."+s.drive.sign("dl", it.id, version, format, exp))
	return host + "/_layouts/15/download.aspx?" + v.Encode()
}

// parentRef is an item's parentReference.
func parentRef(it *driveItem) map[string]any {
	dr := it.drive
	ref := map[string]any{"driveType": dr.driveType, "driveId": dr.id}
	p := it.parent
	if p == nil {
		return ref
	}
	ref["id"] = p.id
	if p.parent == nil {
		ref["name"] = "root"
		ref["path"] = "/drives/" + dr.id + "/root:"
	} else {
		ref["name"] = p.name
		ref["path"] = "/drives/" + dr.id + "/root:" + p.path()
	}
	return ref
}

// itemJSON renders a driveItem (under d.mu). host is the scheme://host of
// the request, for the download and thumbnail URLs.
func (s *Server) itemJSON(it *driveItem, host string, now time.Time) map[string]any {
	dr := it.drive
	m := map[string]any{
		"@odata.etag":          it.etag(),
		"id":                   it.id,
		"name":                 it.name,
		"eTag":                 it.etag(),
		"cTag":                 it.ctag(),
		"createdDateTime":      driveTime(it.created),
		"lastModifiedDateTime": driveTime(it.modified),
		"size":                 it.size(),
		"webUrl":               dr.webBase + escapePath(it.path()),
		"parentReference":      parentRef(it),
		"fileSystemInfo": map[string]any{
			"createdDateTime":      driveTime(it.fsCreated),
			"lastModifiedDateTime": driveTime(it.fsModified),
		},
	}
	if cb := it.createdBy.set(); cb != nil {
		m["createdBy"] = cb
	}
	if mb := it.modifiedBy.set(); mb != nil {
		m["lastModifiedBy"] = mb
	}
	if it.description != "" {
		m["description"] = it.description
	}
	if it.folder {
		m["folder"] = map[string]any{"childCount": len(it.children)}
		if it.parent == nil {
			m["root"] = map[string]any{}
			m["name"] = "root"
		}
		if it.special != "" {
			m["specialFolder"] = map[string]any{"name": it.special}
		}
	} else {
		m["file"] = map[string]any{
			"mimeType": it.mimeType,
			"hashes": map[string]any{
				"quickXorHash": it.qxor,
			},
		}
		m["@microsoft.graph.downloadUrl"] = s.downloadURL(host, it, "", "", now)
		if it.image != nil {
			m["image"] = map[string]any{"width": it.image[0], "height": it.image[1]}
		}
		if it.photo != nil {
			m["photo"] = it.photo
		}
	}
	if sh := sharedFacet(it); sh != nil {
		m["shared"] = sh
	}
	return m
}

// sharedFacet is the "shared" facet of an item with sharing permissions.
func sharedFacet(it *driveItem) map[string]any {
	for _, p := range it.perms {
		if p.owner {
			continue
		}
		scope := "users"
		if p.linkScope != "" {
			scope = p.linkScope
		}
		out := map[string]any{"scope": scope, "sharedDateTime": driveTime(p.shared)}
		if o := it.drive.owner.set(); o != nil {
			out["owner"] = o
		}
		if sb := p.sharedBy.set(); sb != nil {
			out["sharedBy"] = sb
		}
		return out
	}
	return nil
}

// permJSON renders a permission; inherited names the item it comes from.
func permJSON(p *drivePerm, inherited *driveItem) map[string]any {
	m := map[string]any{"id": p.id, "roles": append([]string(nil), p.roles...)}
	if p.link != nil {
		l := map[string]any{}
		for k, v := range p.link {
			l[k] = v
		}
		m["link"] = l
		m["hasPassword"] = p.password != ""
		if p.expiration != "" {
			m["expirationDateTime"] = p.expiration
		}
	}
	if p.grantee.id != "" {
		g := p.grantee.set()
		m["grantedTo"] = g
		m["grantedToV2"] = g
		if !p.owner {
			m["grantedToIdentities"] = []any{g}
			m["grantedToIdentitiesV2"] = []any{g}
		}
	}
	if p.invitee != "" {
		m["invitation"] = map[string]any{"email": p.invitee, "signInRequired": p.signIn}
		m["grantedToIdentitiesV2"] = []any{map[string]any{"siteUser": map[string]any{"email": p.invitee, "displayName": p.invitee, "loginName": "i:0#.f|membership|" + p.invitee}}}
	}
	if p.expiration != "" && p.link == nil {
		m["expirationDateTime"] = p.expiration
	}
	if inherited != nil {
		ref := map[string]any{"driveId": inherited.drive.id, "driveType": inherited.drive.driveType, "id": inherited.id}
		if inherited.parent == nil {
			ref["path"] = "/drives/" + inherited.drive.id + "/root:"
		} else {
			ref["path"] = "/drives/" + inherited.drive.id + "/root:" + inherited.path()
		}
		m["inheritedFrom"] = ref
	}
	return m
}

// effectivePerms lists an item's own and inherited permissions.
func effectivePerms(it *driveItem) []map[string]any {
	var out []map[string]any
	for _, a := range it.permSources() {
		var from *driveItem
		if a != it {
			from = a
		}
		for _, p := range a.perms {
			out = append(out, permJSON(p, from))
		}
	}
	return out
}
