package emulator

import (
	"net/http"
	"strings"
)

// Site path addressing (site-getbypath.md). Graph names a site by its
// host name and server-relative path as well as by id:
//
//	/sites/contoso.sharepoint.com:/sites/marketing     the site
//	/sites/contoso.sharepoint.com:/sites/marketing:    the same
//	/sites/contoso.sharepoint.com:/teams/a/b           any depth
//	/sites/contoso.sharepoint.com:/sites/marketing:/lists/Inventory/items
//	                                                   a route below it
//
// The router works on whole segments, so splitSitePath, called by
// splitGraphPath on the raw (escaped) segments, folds the host and the path
// into one {site-id} segment, "{host}:/{path}", which spResolveSite reads
// back (siteRefPath). What follows the closing colon goes through the drive
// path rewriting (splitDrivePath) and the usual processing, so
// ".../marketing:/drive/root:/a.txt:/content" works too.

// splitSitePath rewrites a site addressed by path, then hands the rest to
// splitDrivePath. head are finished segments, tail raw parts left for the
// usual processing.
func splitSitePath(parts []string) (head, tail []string) {
	if len(parts) < 2 || lower(unescapeSeg(parts[0])) != "sites" {
		return splitDrivePath(parts)
	}
	host, _, found := strings.Cut(unescapeSeg(parts[1]), ":")
	if !found || host == "" || strings.ContainsAny(host, "(),") {
		return splitDrivePath(parts)
	}
	rel, n := colonPath(parts[1:])
	head = []string{"sites", host + ":" + rel}
	dh, tail := splitDrivePath(parts[1+n:])
	return append(head, dh...), tail
}

// siteRefPath splits a {site-id} written by splitSitePath into the host and
// the server-relative path; ok is false for an id.
func siteRefPath(key string) (host, path string, ok bool) {
	host, path, ok = strings.Cut(key, ":")
	if !ok || !strings.HasPrefix(path, "/") {
		return "", "", false
	}
	return host, path, true
}

// registerSiteExtras adds the routes that reach sites from other resources:
// a group's team site and a document library's drive.
func (s *Server) registerSiteExtras(rt *router) {
	rt.add(http.MethodGet, "groups/{group-id}/sites", permSitesRead, false, s.spGroupSites)
	rt.add(http.MethodGet, "groups/{group-id}/sites/{site-id}", permSitesRead, false, s.spGroupSite)
	rt.add(http.MethodGet, "sites/{site-id}/lists/{list-id}/drive", permDriveRead, false, s.spListDrive)
}

// groupSite returns the team site of a Microsoft 365 group: the site
// collection at /sites/{mailNickname}. Security groups have none.
func (s *Server) groupSite(groupID string) (*spSite, *graphError) {
	if s.dir == nil || s.dir.groups == nil {
		return nil, errNoObject(groupID)
	}
	e, ok := s.dir.groups.get(lower(groupID))
	if !ok {
		return nil, errNoObject(groupID)
	}
	unified := false
	if types, ok := e.doc["groupTypes"].([]any); ok {
		for _, t := range types {
			unified = unified || strings.EqualFold(str(t), "Unified")
		}
	} else if types, ok := e.doc["groupTypes"].([]string); ok {
		for _, t := range types {
			unified = unified || strings.EqualFold(t, "Unified")
		}
	}
	nick := str(e.doc["mailNickname"])
	if !unified || nick == "" {
		return nil, errSiteNotFound()
	}
	return s.spSiteByPath(spHost, "/sites/"+nick)
}

// spGroupSites is GET /groups/{id}/sites: the group's team site.
func (s *Server) spGroupSites(c *call) {
	var docs, full []map[string]any
	st, gerr := s.groupSite(c.params["group-id"])
	switch {
	case gerr == nil:
		docs, full = []map[string]any{st.doc()}, []map[string]any{st.fullDoc()}
	case gerr.status != http.StatusNotFound || gerr.code != "itemNotFound":
		c.writeError(gerr)
		return
	}
	spServeDocs(c, docs, full, spSiteOrder, c.spContext("groups('"+c.params["group-id"]+"')/sites"), "microsoft.graph.site", spSiteProps)
}

// spGroupSite is GET /groups/{id}/sites/root (the group's team site) or
// /groups/{id}/sites/{site-id} naming that site.
func (s *Server) spGroupSite(c *call) {
	st, gerr := s.groupSite(c.params["group-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if key := c.params["site-id"]; !strings.EqualFold(key, "root") {
		other, gerr := s.spResolveSite(key)
		if gerr != nil || other != st {
			c.writeError(errSiteNotFound())
			return
		}
	}
	s.spServeSite(c, st)
}

// spListDrive is GET /sites/{id}/lists/{list-id}/drive: the drive of a
// document library (the site's drive of the library's name); other lists
// have none.
func (s *Server) spListDrive(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	name := str(l.doc["displayName"])
	tmpl, _ := l.doc["list"].(map[string]any)
	library := str(tmpl["template"]) == "documentLibrary"
	ss.mu.Unlock()
	if !library {
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The list is not a document library."))
		return
	}
	dr := s.siteLibrary(st.id, name)
	if dr == nil {
		c.writeError(errSiteNotFound())
		return
	}
	c.params["drive-id"] = dr.id
	s.getDrive(c)
}

// siteLibrary returns the site's drive named name, creating it for a
// library made after the site's default one; nil for an unknown site.
func (s *Server) siteLibrary(siteID, name string) *drive {
	ds := s.ownerDrives("site", siteID)
	if ds == nil {
		return nil
	}
	cid, _ := s.siteCanonicalID(siteID)
	owner := s.siteDriveOwner(cid)
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	for _, d := range s.drive.owners[ownerKey("site", cid)] {
		if strings.EqualFold(d.name, name) {
			return d
		}
	}
	return s.newDrive("site", cid, name, owner, s.now())
}

// siteDriveOwner is the owner identitySet of a site's drives: the site
// (by its display name).
func (s *Server) siteDriveOwner(siteID string) driveIdentity {
	if _, name, _, ok := s.siteInfo(siteID); ok {
		return driveIdentity{kind: "group", name: name}
	}
	return driveIdentity{kind: "user", name: "System Account"}
}
