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
