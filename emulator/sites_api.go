package emulator

// Functions the other areas (drives) use to reach SharePoint sites. The
// SharePoint area owns this file.

// siteExists reports whether id names an emulated site, in any form Graph
// accepts as a site id ("{host},{site-guid},{web-guid}").
func (s *Server) siteExists(id string) bool {
	_, ok := s.siteCanonicalID(id)
	return ok
}

// siteCanonicalID returns the "{host},{site-guid},{web-guid}" id of the
// site id names in any accepted form ("root", the host name,
// "{host},{site-guid}"), so that a site's drives can be keyed by one id
// whichever form a request uses.
func (s *Server) siteCanonicalID(id string) (string, bool) {
	st, gerr := s.spResolveSite(id)
	if gerr != nil {
		return "", false
	}
	return st.id, true
}

// siteInfo returns the canonical id, display name and webUrl of the site id
// names in any accepted form (ids, "root", the host name, "{host}:/{path}").
func (s *Server) siteInfo(id string) (canonicalID, displayName, webURL string, ok bool) {
	st, gerr := s.spResolveSite(id)
	if gerr != nil {
		return "", "", "", false
	}
	ss := &s.sites
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return st.id, st.displayName, st.webURL(), true
}

// siteList resolves a site (any id form) and one of its lists (by id,
// displayName or name) to their canonical ids, the ones list item changes
// are published under ("sites/{site-id}/lists/{list-id}").
func (s *Server) siteList(siteID, listKey string) (canonicalSite, listID string, ok bool) {
	st, gerr := s.spResolveSite(siteID)
	if gerr != nil {
		return "", "", false
	}
	ss := &s.sites
	ss.mu.Lock()
	defer ss.mu.Unlock()
	l := ss.findList(st.id, listKey)
	if l == nil {
		return "", "", false
	}
	return st.id, l.id, true
}
