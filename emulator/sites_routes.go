package emulator

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/o365go/o365/emulator/internal/query"
)

// SharePoint routes (site-get.md, site-getbypath.md, site-search.md,
// site-list.md, site-list-subsites.md, list-list.md, list-get.md,
// list-create.md, list-delete.md, site-list-columns.md, list-list-columns.md,
// list-post-columns.md, site-list-contenttypes.md, list-list-contenttypes.md,
// listitem-*.md). Captures use the Graph path template names.

var (
	// permSitesRead reads sites, lists and items.
	permSitesRead = &permission{
		delegated: []string{"Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All"},
		app:       []string{"Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All"},
	}
	// permSitesWrite writes list items.
	permSitesWrite = &permission{
		delegated: []string{"Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All"},
		app:       []string{"Sites.ReadWrite.All", "Sites.Manage.All", "Sites.FullControl.All"},
	}
	// permSitesManage creates and deletes lists, columns and content
	// types (Graph's least privilege for them is Sites.Manage.All).
	permSitesManage = &permission{
		delegated: []string{"Sites.Manage.All", "Sites.FullControl.All"},
		app:       []string{"Sites.Manage.All", "Sites.FullControl.All"},
	}
)

// spPageSize is the default page size of SharePoint collections. Graph
// pages list items at 200; the emulator pages at 100 so that the seeded
// list (about 120 items) needs a second page.
const spPageSize = 100

// registerSites adds the SharePoint routes. Literal segments (delta) come
// before captures.
func (s *Server) registerSites(rt *router) {
	s.sites.init()
	const site = "sites/{site-id}"
	rt.add(http.MethodGet, "sites", permSitesRead, false, s.spSiteList)
	rt.add(http.MethodGet, site, permSitesRead, false, s.spSiteGet)
	rt.add(http.MethodGet, site+"/sites", permSitesRead, false, s.spSubsites)
	rt.add(http.MethodGet, site+"/sites/{site-id1}", permSitesRead, false, s.spSubsite)
	rt.add(http.MethodGet, site+"/columns", permSitesRead, false, s.spSiteColumnsList)
	rt.add(http.MethodPost, site+"/columns", permSitesManage, false, s.spSiteColumnsCreate)
	rt.add(http.MethodGet, site+"/contentTypes", permSitesRead, false, s.spSiteTypesList)
	rt.add(http.MethodPost, site+"/contentTypes", permSitesManage, false, s.spSiteTypesCreate)
	rt.add(http.MethodGet, site+"/contentTypes/{contentType-id}", permSitesRead, false, s.spSiteTypeGet)
	l := site + "/lists"
	rt.add(http.MethodGet, l, permSitesRead, false, s.spListsList)
	rt.add(http.MethodPost, l, permSitesManage, false, s.spListsCreate)
	rt.add(http.MethodGet, l+"/{list-id}", permSitesRead, false, s.spListGet)
	rt.add(http.MethodPatch, l+"/{list-id}", permSitesManage, false, s.spListPatch)
	rt.add(http.MethodDelete, l+"/{list-id}", permSitesManage, false, s.spListDelete)
	rt.add(http.MethodGet, l+"/{list-id}/columns", permSitesRead, false, s.spListColumnsList)
	rt.add(http.MethodPost, l+"/{list-id}/columns", permSitesManage, false, s.spListColumnsCreate)
	rt.add(http.MethodGet, l+"/{list-id}/columns/{columnDefinition-id}", permSitesRead, false, s.spListColumnGet)
	rt.add(http.MethodDelete, l+"/{list-id}/columns/{columnDefinition-id}", permSitesManage, false, s.spListColumnDelete)
	rt.add(http.MethodGet, l+"/{list-id}/contentTypes", permSitesRead, false, s.spListTypesList)
	rt.add(http.MethodGet, l+"/{list-id}/contentTypes/{contentType-id}", permSitesRead, false, s.spListTypeGet)
	it := l + "/{list-id}/items"
	rt.add(http.MethodGet, it+"/delta", permSitesRead, false, s.spItemDelta)
	rt.add(http.MethodGet, it, permSitesRead, false, s.spItemListing)
	rt.add(http.MethodPost, it, permSitesWrite, false, s.spItemCreate)
	rt.add(http.MethodGet, it+"/{listItem-id}", permSitesRead, false, s.spItemGet)
	rt.add(http.MethodDelete, it+"/{listItem-id}", permSitesWrite, false, s.spItemDelete)
	rt.add(http.MethodGet, it+"/{listItem-id}/fields", permSitesRead, false, s.spItemFieldsGet)
	rt.add(http.MethodPatch, it+"/{listItem-id}/fields", permSitesWrite, false, s.spItemFieldsPatch)
	s.registerSiteExtras(rt)
}

// spRouteSite resolves {site-id}; on failure it answers and returns nil.
func (s *Server) spRouteSite(c *call) *spSite {
	st, gerr := s.spResolveSite(c.params["site-id"])
	if gerr != nil {
		c.writeError(gerr)
		return nil
	}
	return st
}

// spRouteList resolves {site-id}/lists/{list-id}; on failure it answers.
func (s *Server) spRouteList(c *call) (*spSite, *spList) {
	st := s.spRouteSite(c)
	if st == nil {
		return nil, nil
	}
	ss := &s.sites
	ss.mu.Lock()
	l := ss.findList(st.id, c.params["list-id"])
	ss.mu.Unlock()
	if l == nil {
		c.writeError(errSPListNotFound())
		return nil, nil
	}
	return st, l
}

// spServeDocs lists a small set of documents with the shared OData rules
// (paging, $select, $filter, $orderby, $top).
func spServeDocs(c *call, docs []map[string]any, full []map[string]any, order []string, ctx, typ string, props map[string]bool, search ...string) {
	spServeDocsCheck(c, docs, full, order, ctx, typ, props, nil, search...)
}

// spServeDocsCheck is spServeDocs with a hook on the parsed query.
func spServeDocsCheck(c *call, docs []map[string]any, full []map[string]any, order []string, ctx, typ string, props map[string]bool, check func(q *listQuery) *graphError, search ...string) {
	coll := newCollection(typ, nil)
	for i, d := range docs {
		e := &entity{id: str(d["id"]), doc: d, raw: encodeObject(d, order)}
		if full != nil {
			e.full = encodeObject(full[i], order)
			e.doc = full[i]
		}
		coll.put(e)
	}
	sp := &listSpec{coll: coll, context: ctx, entityType: typ, props: lowerSet(props), defaultTop: spPageSize, maxTop: 5000, search: search, check: check}
	sp.serveList(c, false)
}

// spServeDoc answers one document with $select applied.
func spServeDoc(c *call, doc map[string]any, order []string, ctx, typ string, props map[string]bool) {
	e := &entity{id: str(doc["id"]), doc: doc, raw: encodeObject(doc, order)}
	sp := &listSpec{coll: newCollection(typ, nil), entityType: typ, props: lowerSet(props)}
	sp.serveEntity(c, e, ctx)
}

func (c *call) spContext(rest string) string { return c.base() + "/$metadata#" + rest }

// Sites.

var spSiteProps = todoSet("id name displayName description webUrl createdDateTime lastModifiedDateTime root siteCollection sharepointIds eTag isPersonalSite " +
	"columns contentTypes drive drives items lists sites permissions onenote operations pages termStore analytics createdBy lastModifiedBy parentReference error")

// spSiteList is GET /sites: the site collections, or with search= the
// sites whose name, title or description has a word starting with the
// term ("*" or an empty term finds every site).
func (s *Server) spSiteList(c *call) {
	ss := &s.sites
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	term, searching := option(v, "search")
	if searching && strings.TrimSpace(term) == "" {
		v.Del("$search")
		v.Set("search", "*")
		c.r.URL.RawQuery = v.Encode()
	}
	ss.mu.Lock()
	var docs, full []map[string]any
	for _, st := range ss.sites {
		if !searching && !st.collectionRoot() {
			continue // without search, GET /sites lists site collections
		}
		docs, full = append(docs, st.doc()), append(full, st.fullDoc())
	}
	ss.mu.Unlock()
	all := func(q *listQuery) *graphError {
		if strings.TrimSpace(q.searchSrc) == "*" {
			q.search, q.searchSrc = nil, ""
		}
		return nil
	}
	spServeDocsCheck(c, docs, full, spSiteOrder, c.spContext("sites"), "microsoft.graph.site", spSiteProps, all, "name", "displayName", "description")
}

func (s *Server) spSiteGet(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	s.spServeSite(c, st)
}

func (s *Server) spServeSite(c *call, st *spSite) {
	e := &entity{id: st.id, doc: st.fullDoc(), raw: encodeObject(st.doc(), spSiteOrder), full: encodeObject(st.fullDoc(), spSiteOrder)}
	sp := &listSpec{coll: newCollection("sites", nil), entityType: "microsoft.graph.site", props: lowerSet(spSiteProps)}
	sp.serveEntity(c, e, c.spContext("sites/$entity"))
}

// spSubsites is GET /sites/{id}/sites: the site's direct subsites.
func (s *Server) spSubsites(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	var docs, full []map[string]any
	for _, sub := range ss.sites {
		if sub.parent == st.id {
			docs, full = append(docs, sub.doc()), append(full, sub.fullDoc())
		}
	}
	ss.mu.Unlock()
	spServeDocs(c, docs, full, spSiteOrder, c.spContext("sites('"+st.id+"')/sites"), "microsoft.graph.site", spSiteProps)
}

// spSubsite is GET /sites/{id}/sites/{id1}. (Path addressing,
// /sites/{hostname}:/{path}, is folded into {site-id} by splitSitePath.)
func (s *Server) spSubsite(c *call) {
	parent := s.spRouteSite(c)
	if parent == nil {
		return
	}
	sub, gerr := s.spResolveSite(c.params["site-id1"])
	if gerr != nil || sub.parent != parent.id {
		c.writeError(errSiteNotFound())
		return
	}
	s.spServeSite(c, sub)
}

// Site columns and content types.

func (s *Server) spSiteColumnsList(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	docs := append(spBuiltinColumns()[:1], ss.siteColumns[st.id]...)
	ss.mu.Unlock()
	spServeDocs(c, docs, nil, spColumnOrder, c.spContext("sites('"+st.id+"')/columns"), "microsoft.graph.columnDefinition", spColumnProps)
}

func (s *Server) spSiteColumnsCreate(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	col, gerr := spNewColumn(in)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	for _, x := range ss.siteColumns[st.id] {
		if strings.EqualFold(str(x["name"]), str(col["name"])) {
			ss.mu.Unlock()
			c.writeError(errorf(http.StatusConflict, "nameAlreadyExists", "A duplicate field name \""+str(col["name"])+"\" was found."))
			return
		}
	}
	ss.siteColumns[st.id] = append(ss.siteColumns[st.id], col)
	ss.mu.Unlock()
	c.writeEntity(http.StatusCreated, c.spContext("sites('"+st.id+"')/columns/$entity"), encodeObject(col, spColumnOrder))
}

func (s *Server) spSiteTypesList(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	docs := append([]map[string]any(nil), ss.siteTypes[st.id]...)
	ss.mu.Unlock()
	spServeDocs(c, docs, nil, spContentTypeOrder, c.spContext("sites('"+st.id+"')/contentTypes"), "microsoft.graph.contentType", spContentTypeProps)
}

var spContentTypeProps = todoSet("id name description group hidden readOnly sealed parentId isBuiltIn base order inheritedFrom associatedHubsUrls documentSet documentTemplate " +
	"propagateChanges baseTypes columnLinks columnPositions columns")

func (s *Server) spSiteTypeGet(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	var found map[string]any
	for _, ct := range ss.siteTypes[st.id] {
		if strings.EqualFold(str(ct["id"]), c.params["contentType-id"]) {
			found = ct
		}
	}
	ss.mu.Unlock()
	if found == nil {
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The content type was not found."))
		return
	}
	spServeDoc(c, found, spContentTypeOrder, c.spContext("sites('"+st.id+"')/contentTypes/$entity"), "microsoft.graph.contentType", spContentTypeProps)
}

// spSiteTypesCreate creates a site content type from a base type: its id
// is the base id, "00" and a GUID without dashes, as SharePoint makes it.
func (s *Server) spSiteTypesCreate(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	name, _ := in["name"].(string)
	if strings.TrimSpace(name) == "" {
		c.writeError(errSPInvalid("A content type needs a name."))
		return
	}
	base, _ := in["base"].(map[string]any)
	baseID := str(base["id"])
	if baseID == "" {
		baseID = "0x01"
	}
	ss := &s.sites
	ss.mu.Lock()
	defer ss.mu.Unlock()
	var parent map[string]any
	for _, ct := range ss.siteTypes[st.id] {
		if strings.EqualFold(str(ct["id"]), baseID) {
			parent = ct
		}
		if strings.EqualFold(str(ct["name"]), name) {
			c.writeError(errorf(http.StatusConflict, "nameAlreadyExists", "A content type with the name \""+name+"\" already exists."))
			return
		}
	}
	if parent == nil {
		if baseName := str(base["name"]); baseName != "" {
			parent = map[string]any{"id": baseID, "name": baseName}
		} else {
			c.writeError(errSPInvalid("The base content type '" + baseID + "' was not found."))
			return
		}
	}
	id := str(parent["id"]) + "00" + strings.ToUpper(strings.ReplaceAll(newUUID(), "-", ""))
	group := str(in["group"])
	if group == "" {
		group = "Custom Content Types"
	}
	ct := spContentType(id, name, group, str(in["description"]), in["hidden"] == true, parent)
	ct["isBuiltIn"] = false
	ss.siteTypes[st.id] = append(ss.siteTypes[st.id], ct)
	c.writeEntity(http.StatusCreated, c.spContext("sites('"+st.id+"')/contentTypes/$entity"), encodeObject(ct, spContentTypeOrder))
}

// Lists.

func (s *Server) spListsList(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	var docs []map[string]any
	for _, id := range ss.listOrder {
		if l := ss.lists[id]; l.siteID == st.id {
			docs = append(docs, l.doc)
		}
	}
	ss.mu.Unlock()
	spServeDocs(c, docs, nil, spListOrder, c.spContext("sites('"+st.id+"')/lists"), "microsoft.graph.list", spListProps)
}

func (s *Server) spListGet(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	cols := append([]map[string]any(nil), l.columns...)
	types := append([]map[string]any(nil), l.ctypes...)
	doc := l.doc
	ss.mu.Unlock()
	e := &entity{id: l.id, doc: doc, raw: encodeObject(doc, spListOrder)}
	sp := &listSpec{
		coll: newCollection("lists", nil), entityType: "microsoft.graph.list", props: lowerSet(spListProps),
		expandable: map[string]bool{"columns": true, "contenttypes": true},
		expand: func(c *call, e *entity, it query.ExpandItem) ([]byte, *graphError) {
			src, order := cols, spColumnOrder
			if lower(it.Name) == "contenttypes" {
				src, order = types, spContentTypeOrder
			}
			parts := make([][]byte, 0, len(src))
			for _, d := range src {
				parts = append(parts, encodeObject(d, order))
			}
			return joinArray(parts), nil
		},
	}
	sp.serveEntity(c, e, c.spContext("sites('"+st.id+"')/lists/$entity"))
}

func (s *Server) spListsCreate(c *call) {
	st := s.spRouteSite(c)
	if st == nil {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	l, gerr := s.spCreateList(c, st, in, c.now)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	c.writeEntity(http.StatusCreated, c.spContext("sites('"+st.id+"')/lists/$entity"), encodeObject(l.doc, spListOrder))
}

// spListPatch updates a list's displayName and description.
func (s *Server) spListPatch(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	doc := spCloneMap(l.doc)
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@odata."):
		case k == "displayName":
			name, ok := v.(string)
			if !ok || strings.TrimSpace(name) == "" {
				ss.mu.Unlock()
				c.writeError(errSPInvalid("A list needs a displayName."))
				return
			}
			if other := ss.findList(st.id, name); other != nil && other != l {
				ss.mu.Unlock()
				c.writeError(errorf(http.StatusConflict, "nameAlreadyExists", "A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title."))
				return
			}
			doc[k] = name
		case k == "description":
			doc[k] = str(v)
		case spListProps[k]:
			ss.mu.Unlock()
			c.writeError(errSPInvalid("The property '" + k + "' is read-only and cannot be set."))
			return
		default:
			ss.mu.Unlock()
			c.writeError(errUnknownProperty(k, "microsoft.graph.list"))
			return
		}
	}
	doc["lastModifiedDateTime"] = spTime(c.now)
	doc["lastModifiedBy"] = s.spIdentity(c)
	l.doc = doc
	ss.mu.Unlock()
	c.writeEntity(http.StatusOK, c.spContext("sites('"+st.id+"')/lists/$entity"), encodeObject(doc, spListOrder))
}

func (s *Server) spListDelete(c *call) {
	_, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	delete(ss.lists, l.id)
	for i, id := range ss.listOrder {
		if id == l.id {
			ss.listOrder = append(ss.listOrder[:i:i], ss.listOrder[i+1:]...)
			break
		}
	}
	ss.mu.Unlock()
	for _, e := range ss.items.view(l.id, "") {
		ss.items.remove(e.id)
	}
	c.w.WriteHeader(http.StatusNoContent)
}

func spCloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// List columns and content types.

func (s *Server) spListColumnsList(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	docs := append([]map[string]any(nil), l.columns...)
	ss.mu.Unlock()
	spServeDocs(c, docs, nil, spColumnOrder, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/columns"), "microsoft.graph.columnDefinition", spColumnProps)
}

func (s *Server) spListColumnsCreate(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	col, gerr := spNewColumn(in)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	gerr = l.addColumn(col)
	ss.mu.Unlock()
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	c.writeEntity(http.StatusCreated, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/columns/$entity"), encodeObject(col, spColumnOrder))
}

// columnByKey finds {columnDefinition-id} by id or name; the caller holds ss.mu.
func (l *spList) columnByKey(key string) (int, map[string]any) {
	for i, col := range l.columns {
		if strings.EqualFold(str(col["id"]), key) || str(col["name"]) == key {
			return i, col
		}
	}
	return -1, nil
}

func (s *Server) spListColumnGet(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	_, col := l.columnByKey(c.params["columnDefinition-id"])
	ss.mu.Unlock()
	if col == nil {
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The column was not found."))
		return
	}
	spServeDoc(c, col, spColumnOrder, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/columns/$entity"), "microsoft.graph.columnDefinition", spColumnProps)
}

// spListColumnDelete deletes a custom column; built-in ones are read-only.
func (s *Server) spListColumnDelete(c *call) {
	_, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	defer ss.mu.Unlock()
	i, col := l.columnByKey(c.params["columnDefinition-id"])
	if col == nil {
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The column was not found."))
		return
	}
	if col["readOnly"] == true || str(col["name"]) == "Title" {
		c.writeError(errorf(http.StatusForbidden, "accessDenied", "The built-in column '"+str(col["name"])+"' cannot be deleted."))
		return
	}
	l.columns = append(l.columns[:i:i], l.columns[i+1:]...)
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) spListTypesList(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	docs := append([]map[string]any(nil), l.ctypes...)
	ss.mu.Unlock()
	spServeDocs(c, docs, nil, spContentTypeOrder, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/contentTypes"), "microsoft.graph.contentType", spContentTypeProps)
}

func (s *Server) spListTypeGet(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	var found map[string]any
	for _, ct := range l.ctypes {
		if strings.EqualFold(str(ct["id"]), c.params["contentType-id"]) {
			found = ct
		}
	}
	ss.mu.Unlock()
	if found == nil {
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The content type was not found."))
		return
	}
	spServeDoc(c, found, spContentTypeOrder, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/contentTypes/$entity"), "microsoft.graph.contentType", spContentTypeProps)
}

// spWriteRemoved writes a delta removal entry.
func spWriteRemoved(b *bytes.Buffer, typ, id string) {
	b.WriteString(`{"@odata.type":`)
	writeJSONString(b, typ)
	b.WriteString(`,"id":`)
	writeJSONString(b, id)
	b.WriteString(`,"deleted":{"state":"deleted"},"@removed":{"reason":"deleted"}}`)
}
