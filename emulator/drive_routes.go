package emulator

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/o365go/o365/emulator/internal/query"
)

// Drive permissions (driveitem-get.md and friends): reading needs any
// Files or Sites scope, writing a ReadWrite one.
var (
	permDriveRead = &permission{
		delegated: []string{"Files.Read", "Files.ReadWrite", "Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"},
		app:       []string{"Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"},
	}
	permDriveWrite = &permission{
		delegated: []string{"Files.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All"},
		app:       []string{"Files.ReadWrite.All", "Sites.ReadWrite.All"},
	}
)

// drivePrefixes are the ways to name a drive; the item routes exist under
// each.
var drivePrefixes = []string{"drives/{drive-id}", "users/{user}/drive", "groups/{group-id}/drive", "sites/{site-id}/drive"}

// registerDrive adds the drive routes.
func (s *Server) registerDrive(rt *router) {
	r, w := permDriveRead, permDriveWrite
	rt.add(http.MethodGet, "drives", r, false, s.listMyDrives)
	for _, owner := range []string{"users/{user}", "groups/{group-id}", "sites/{site-id}"} {
		rt.add(http.MethodGet, owner+"/drives", r, false, s.listOwnerDrives)
		rt.add(http.MethodGet, owner+"/drives/{drive-id}", r, false, s.getDrive)
	}
	for _, p := range drivePrefixes {
		rt.add(http.MethodGet, p, r, false, s.getDrive)
		rt.add(http.MethodGet, p+"/recent", r, false, s.driveRecent)
		rt.add(http.MethodGet, p+"/sharedWithMe", r, false, s.driveSharedWithMe)
		rt.add(http.MethodGet, p+"/search(q='{q}')", r, false, s.driveSearch)
		rt.add(http.MethodGet, p+"/special/{special}", r, false, s.getSpecial)
		rt.add(http.MethodGet, p+"/special/{special}/content", r, false, s.getSpecialContent)
		for _, sel := range []string{p + "/root", p + "/items/{driveItem-id}"} {
			rt.add(http.MethodGet, sel, r, false, s.getDriveItem)
			rt.add(http.MethodPatch, sel, w, false, s.patchDriveItem)
			rt.add(http.MethodDelete, sel, w, false, s.deleteDriveItem)
			rt.add(http.MethodGet, sel+"/children", r, false, s.listDriveChildren)
			rt.add(http.MethodPost, sel+"/children", w, false, s.createDriveChild)
			rt.add(http.MethodGet, sel+"/children/{driveItem-id1}", r, false, s.getDriveChild)
			rt.add(http.MethodGet, sel+"/content", r, false, s.getDriveContent)
			rt.add(http.MethodPut, sel+"/content", w, false, s.putDriveContent)
			rt.add(http.MethodPost, sel+"/copy", w, false, s.copyDriveItem)
			rt.add(http.MethodPost, sel+"/createUploadSession", w, false, s.createDriveUploadSession)
			rt.add(http.MethodPost, sel+"/createLink", w, false, s.createDriveLink)
			rt.add(http.MethodPost, sel+"/invite", w, false, s.inviteDriveItem)
			rt.add(http.MethodGet, sel+"/permissions", r, false, s.listDrivePermissions)
			rt.add(http.MethodGet, sel+"/permissions/{permission-id}", r, false, s.getDrivePermission)
			rt.add(http.MethodPatch, sel+"/permissions/{permission-id}", w, false, s.patchDrivePermission)
			rt.add(http.MethodDelete, sel+"/permissions/{permission-id}", w, false, s.deleteDrivePermission)
			rt.add(http.MethodGet, sel+"/versions", r, false, s.listDriveVersions)
			rt.add(http.MethodGet, sel+"/versions/{driveItemVersion-id}", r, false, s.getDriveVersion)
			rt.add(http.MethodGet, sel+"/versions/{driveItemVersion-id}/content", r, false, s.getDriveVersionContent)
			rt.add(http.MethodPost, sel+"/versions/{driveItemVersion-id}/restoreVersion", w, false, s.restoreDriveVersion)
			rt.add(http.MethodGet, sel+"/thumbnails", r, false, s.listDriveThumbnails)
			rt.add(http.MethodGet, sel+"/thumbnails/{thumbnailSet-id}", r, false, s.getDriveThumbnailSet)
			rt.add(http.MethodGet, sel+"/delta", r, false, s.driveDelta)
			rt.add(http.MethodGet, sel+"/delta(token='{token}')", r, false, s.driveDelta)
			rt.add(http.MethodGet, sel+"/search(q='{q}')", r, false, s.driveSearch)
		}
	}
}

// hostOf is scheme://host of the request.
func (c *call) host() string { return baseURL(c.r) }

// driveOfCall resolves the drive a route names (under d.mu is NOT held).
func (s *Server) driveOfCall(c *call) (*drive, *graphError) {
	var owned []*drive
	switch {
	case c.params["user"] != "":
		owned = s.ownerDrives("user", c.params["user"])
		if owned == nil {
			return nil, errorf(http.StatusNotFound, "itemNotFound", "The user '"+c.params["user"]+"' could not be found.")
		}
	case c.params["group-id"] != "":
		if s.dir == nil || s.dir.groups == nil {
			return nil, errDriveItemNotFound()
		}
		owned = s.ownerDrives("group", c.params["group-id"])
		if owned == nil {
			return nil, errorf(http.StatusNotFound, "itemNotFound", "The group '"+c.params["group-id"]+"' could not be found.")
		}
	case c.params["site-id"] != "":
		owned = s.ownerDrives("site", c.params["site-id"])
		if owned == nil {
			return nil, errorf(http.StatusNotFound, "itemNotFound", "Requested site could not be found")
		}
	}
	id := c.params["drive-id"]
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	s.drive.init()
	if id == "" {
		if len(owned) == 0 {
			return nil, errDriveItemNotFound()
		}
		return owned[0], nil
	}
	dr := s.drive.drives[id]
	if dr == nil {
		return nil, errorf(http.StatusNotFound, "itemNotFound", "The drive could not be found.")
	}
	if owned != nil {
		found := false
		for _, o := range owned {
			found = found || o == dr
		}
		if !found {
			return nil, errorf(http.StatusNotFound, "itemNotFound", "The drive could not be found.")
		}
	}
	return dr, nil
}

// broad reports whether a delegated caller holds an .All scope.
func (c *call) broad() bool {
	if c.claims == nil || c.claims.AppOnly {
		return true
	}
	for _, g := range c.claims.Scopes {
		switch lower(g) {
		case "files.read.all", "files.readwrite.all", "sites.read.all", "sites.readwrite.all", "sites.manage.all", "sites.fullcontrol.all":
			return true
		}
	}
	return false
}

// role is the caller's access to an item: "owner", "write", "read" or ""
// (under d.mu).
func (c *call) role(it *driveItem) string {
	if c.claims == nil || c.claims.AppOnly {
		return "owner"
	}
	dr := it.drive
	me := c.claims.ObjectID
	if dr.ownerKind == "user" && strings.EqualFold(dr.ownerID, me) {
		return "owner"
	}
	if !c.broad() {
		return ""
	}
	if dr.ownerKind != "user" {
		return "write"
	}
	best := ""
	for _, x := range it.permSources() {
		for _, p := range x.perms {
			if strings.EqualFold(p.grantee.id, me) {
				for _, r := range p.roles {
					if r == "write" || r == "owner" {
						return "write"
					}
					best = "read"
				}
			}
		}
	}
	return best
}

func errAccessDenied() *graphError {
	return errorf(http.StatusForbidden, "accessDenied", "Access denied")
}

// checkAccess answers whether the caller may read (or write) the item.
func (c *call) checkAccess(it *driveItem, write bool) *graphError {
	switch c.role(it) {
	case "owner", "write":
		return nil
	case "read":
		if write {
			return errAccessDenied()
		}
		return nil
	}
	if it.drive.ownerKind == "user" {
		// Not shared with the caller: the item does not exist for them.
		return errDriveItemNotFound()
	}
	return errAccessDenied()
}

// target is what an item route names: an existing item, or (for a path
// that does not exist yet) the deepest existing folder and the missing
// path below it.
type target struct {
	dr      *drive
	it      *driveItem
	parent  *driveItem // the deepest existing ancestor when it is nil
	missing []string   // path components below parent
}

// lockedTarget resolves the route's item (under d.mu).
func (s *Server) lockedTarget(c *call, dr *drive) (target, *graphError) {
	t := target{dr: dr}
	ref, ok := c.params["driveItem-id"]
	if !ok {
		t.it = dr.root
		return t, nil
	}
	base, rel, isPath := decodeItemRef(ref)
	if !isPath {
		it := s.drive.items[ref]
		if it == nil || it.drive != dr {
			return t, errDriveItemNotFound()
		}
		t.it = it
		return t, nil
	}
	start := dr.root
	if !strings.EqualFold(base, "root") {
		start = s.drive.items[base]
		if start == nil || start.drive != dr {
			return t, errDriveItemNotFound()
		}
	}
	cur := start
	parts := strings.Split(strings.Trim(rel, "/"), "/")
	for i, part := range parts {
		if part == "" {
			continue
		}
		next, found := cur.children[lower(part)]
		if !found || !cur.folder {
			if !cur.folder {
				return t, errDriveItemNotFound()
			}
			t.parent = cur
			for _, p := range parts[i:] {
				if p != "" {
					t.missing = append(t.missing, p)
				}
			}
			return t, nil
		}
		cur = next
	}
	t.it = cur
	return t, nil
}

// routeItem resolves the drive and an existing item and checks access; on
// success d.mu is held and the caller must unlock it.
func (s *Server) routeItem(c *call, write bool) (*driveItem, bool) {
	dr, gerr := s.driveOfCall(c)
	if gerr != nil {
		c.writeError(gerr)
		return nil, false
	}
	s.drive.mu.Lock()
	t, gerr := s.lockedTarget(c, dr)
	if gerr == nil && t.it == nil {
		gerr = errDriveItemNotFound()
	}
	if gerr == nil {
		gerr = c.checkAccess(t.it, write)
	}
	if gerr != nil {
		s.drive.mu.Unlock()
		c.writeError(gerr)
		return nil, false
	}
	return t.it, true
}

// selectOf parses $select.
func selectOf(c *call) ([]string, *graphError) {
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	sel, ok := option(v, "select")
	if !ok {
		return nil, nil
	}
	fields, err := query.ParseSelect(sel)
	if err != nil {
		return nil, errBadRequest(err.Error())
	}
	return fields, nil
}

// writeDriveValue writes an item or drive with $select applied.
func (c *call) writeDriveValue(status int, ctx string, m map[string]any, etag string) {
	fields, gerr := selectOf(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	out := query.Project(m, fields)
	if ctx != "" {
		out = copyMap(out)
		out["@odata.context"] = ctx
	}
	if etag != "" {
		c.w.Header().Set("ETag", etag)
	}
	c.writeValue(status, out)
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (c *call) itemContext(dr *drive) string {
	return c.base() + "/$metadata#drives('" + dr.id + "')/items/$entity"
}

// publishItem tells subscriptions about a changed item (never under d.mu).
func (s *Server) publishItems(driveID, kind string, ids ...string) {
	for _, id := range ids {
		s.publish(change{
			Topics:    []string{"drives/" + driveID + "/root"},
			Type:      kind,
			Resource:  "drives/" + driveID + "/items/" + id,
			ID:        id,
			ODataType: "#Microsoft.Graph.DriveItem",
		})
	}
}

// --- drives ---

func (s *Server) getDrive(c *call) {
	dr, gerr := s.driveOfCall(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.drive.mu.Lock()
	if dr.ownerKind == "user" && c.role(dr.root) == "" && !c.broad() {
		s.drive.mu.Unlock()
		c.writeError(errAccessDenied())
		return
	}
	m := s.driveJSON(dr)
	s.drive.mu.Unlock()
	c.writeDriveValue(http.StatusOK, c.base()+"/$metadata#drives/$entity", m, "")
}

func (s *Server) writeDrives(c *call, ds []*drive) {
	s.drive.mu.Lock()
	vals := make([]any, 0, len(ds))
	for _, d := range ds {
		vals = append(vals, s.driveJSON(d))
	}
	s.drive.mu.Unlock()
	fields, gerr := selectOf(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	for i, v := range vals {
		vals[i] = query.Project(v.(map[string]any), fields)
	}
	c.writeValue(http.StatusOK, map[string]any{"@odata.context": c.base() + "/$metadata#drives", "value": vals})
}

func (s *Server) listOwnerDrives(c *call) {
	var ds []*drive
	switch {
	case c.params["user"] != "":
		ds = s.ownerDrives("user", c.params["user"])
	case c.params["group-id"] != "":
		if s.dir != nil && s.dir.groups != nil {
			ds = s.ownerDrives("group", c.params["group-id"])
		}
	default:
		ds = s.ownerDrives("site", c.params["site-id"])
	}
	if ds == nil {
		c.writeError(errDriveItemNotFound())
		return
	}
	s.writeDrives(c, ds)
}

// listMyDrives serves GET /drives: the caller's drives.
func (s *Server) listMyDrives(c *call) {
	if c.claims.AppOnly {
		c.writeError(errBadRequest("Unable to retrieve user's mysite URL."))
		return
	}
	s.writeDrives(c, s.ownerDrives("user", c.claims.ObjectID))
}

// --- items ---

func (s *Server) getDriveItem(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	m := s.itemJSON(it, c.host(), c.now)
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	if ex, ok := option(v, "expand"); ok {
		items, err := query.ParseExpand(ex)
		if err != nil {
			s.drive.mu.Unlock()
			c.writeError(errBadRequest(err.Error()))
			return
		}
		for _, x := range items {
			switch lower(x.Name) {
			case "children":
				var kids []any
				if it.folder {
					for _, ch := range it.sortedChildren() {
						kids = append(kids, s.itemJSON(ch, c.host(), c.now))
					}
				}
				if kids == nil {
					kids = []any{}
				}
				m["children"] = kids
			case "permissions":
				ps := []any{}
				for _, p := range effectivePerms(it) {
					ps = append(ps, p)
				}
				m["permissions"] = ps
			case "thumbnails":
				m["thumbnails"] = s.thumbnailSets(c, it)
			case "versions":
				m["versions"] = versionsJSON(it)
			default:
				s.drive.mu.Unlock()
				c.writeError(errBadRequest("Could not find a navigation property named '" + x.Name + "' on type 'microsoft.graph.driveItem'."))
				return
			}
		}
	}
	it.lastAccess = c.now
	etag := it.etag()
	im := c.r.Header.Get("If-None-Match")
	dr := it.drive
	s.drive.mu.Unlock()
	if im != "" && (im == etag || im == "*") {
		c.setCommonHeaders()
		c.w.WriteHeader(http.StatusNotModified)
		return
	}
	c.writeDriveValue(http.StatusOK, c.itemContext(dr), m, etag)
}

// ifMatchItem checks If-Match against an item's eTag or cTag (under
// d.mu). The tags contain commas, so the header is read as a list of
// quoted strings.
func (c *call) ifMatchItem(it *driveItem) *graphError {
	im := strings.TrimSpace(c.r.Header.Get("If-Match"))
	if im == "" || im == "*" {
		return nil
	}
	for _, t := range quotedTags(im) {
		if t == it.etag() || t == it.ctag() {
			return nil
		}
	}
	return errorf(http.StatusPreconditionFailed, "preconditionFailed", "ETag does not match current item's value")
}

// quotedTags splits an If-Match or If-None-Match value into its entity
// tags (quotes kept, W/ dropped); an unquoted value is one tag.
func quotedTags(h string) []string {
	var out []string
	for rest := strings.TrimSpace(h); rest != ""; {
		rest = strings.TrimPrefix(strings.TrimLeft(rest, ", "), "W/")
		if !strings.HasPrefix(rest, `"`) {
			return append(out, strings.TrimSpace(rest))
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return append(out, rest)
		}
		out = append(out, rest[:end+2])
		rest = rest[end+2:]
	}
	return out
}

var driveItemWritable = setOf("name description parentReference fileSystemInfo @microsoft.graph.conflictBehavior file folder @odata.type")

func (s *Server) patchDriveItem(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for k := range in {
		if !driveItemWritable[lower(k)] && !strings.HasPrefix(k, "@") {
			c.writeError(errInvalidRequest("Property '" + k + "' is read-only or unknown."))
			return
		}
	}
	it, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	unlock := func(e *graphError) {
		s.drive.mu.Unlock()
		c.writeError(e)
	}
	if it.parent == nil && (in["name"] != nil || in["parentReference"] != nil) {
		unlock(errorf(http.StatusForbidden, "accessDenied", "The root item cannot be renamed or moved."))
		return
	}
	if e := c.ifMatchItem(it); e != nil {
		unlock(e)
		return
	}
	newParent := it.parent
	if pr, ok := in["parentReference"].(map[string]any); ok {
		p, e := s.resolveRef(c, it.drive, pr)
		if e != nil {
			unlock(e)
			return
		}
		if p.drive != it.drive {
			unlock(errInvalidRequest("Moving items between drives is not supported; copy the item instead."))
			return
		}
		if p.under(it) {
			unlock(errInvalidRequest("An item cannot be moved into itself or one of its descendants."))
			return
		}
		newParent = p
	}
	newName := it.name
	if n, ok := in["name"]; ok {
		name, _ := n.(string)
		if invalidName(name) {
			unlock(errInvalidRequest("The provided name contains invalid characters or is not allowed."))
			return
		}
		newName = name
	}
	behavior := conflictBehavior(c, in, "fail")
	if newParent != it.parent || !strings.EqualFold(newName, it.name) {
		if other, taken := newParent.children[lower(newName)]; taken && other != it {
			switch behavior {
			case "rename":
				newName = uniqueName(newParent, newName)
			case "replace":
				s.removeItem(other)
			default:
				unlock(errNameExists(newName))
				return
			}
		}
	}
	if newParent != it.parent || newName != it.name {
		old := it.parent
		delete(old.children, lower(it.name))
		it.name = newName
		newParent.children[lower(newName)] = it
		it.parent = newParent
		if old != newParent {
			s.touch(old, false)
		}
	}
	if d, ok := in["description"]; ok {
		it.description, _ = d.(string)
	}
	if fsi, ok := in["fileSystemInfo"].(map[string]any); ok {
		if t, err := time.Parse(time.RFC3339, str(fsi["createdDateTime"])); err == nil {
			it.fsCreated = t
		}
		if t, err := time.Parse(time.RFC3339, str(fsi["lastModifiedDateTime"])); err == nil {
			it.fsModified = t
		}
	}
	it.modified, it.modifiedBy = c.now, c.driveUser()
	s.touch(it, false)
	m := s.itemJSON(it, c.host(), c.now)
	dr, id, etag := it.drive, it.id, it.etag()
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "updated", id)
	c.writeDriveValue(http.StatusOK, c.itemContext(dr), m, etag)
}

// resolveRef finds the folder an itemReference names (id, path or
// driveId+id), under d.mu.
func (s *Server) resolveRef(c *call, dr *drive, pr map[string]any) (*driveItem, *graphError) {
	if did := str(pr["driveId"]); did != "" && did != dr.id {
		other := s.drive.drives[did]
		if other == nil {
			return nil, errorf(http.StatusNotFound, "itemNotFound", "The destination drive could not be found.")
		}
		dr = other
	}
	var p *driveItem
	switch {
	case str(pr["id"]) != "":
		p = s.drive.items[str(pr["id"])]
		if p == nil || p.drive != dr {
			return nil, errorf(http.StatusNotFound, "itemNotFound", "The destination folder could not be found.")
		}
	case str(pr["path"]) != "":
		pth := str(pr["path"])
		_, rel, found := strings.Cut(pth, "root:")
		if !found {
			return nil, errInvalidRequest("The parentReference path is not valid.")
		}
		var ok bool
		if p, ok = resolvePath(dr.root, unescapeSeg(rel)); !ok {
			return nil, errorf(http.StatusNotFound, "itemNotFound", "The destination folder could not be found.")
		}
	default:
		p = dr.root
	}
	if !p.folder {
		return nil, errInvalidRequest("The destination is not a folder.")
	}
	if e := c.checkAccess(p, true); e != nil {
		return nil, e
	}
	return p, nil
}

// conflictBehavior reads @microsoft.graph.conflictBehavior from the body
// or the query.
func conflictBehavior(c *call, in map[string]any, def string) string {
	if v := str(in["@microsoft.graph.conflictBehavior"]); v != "" {
		return lower(v)
	}
	if v := c.r.URL.Query().Get("@microsoft.graph.conflictBehavior"); v != "" {
		return lower(v)
	}
	return def
}

func (s *Server) deleteDriveItem(c *call) {
	it, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	if it.parent == nil {
		s.drive.mu.Unlock()
		c.writeError(errorf(http.StatusForbidden, "accessDenied", "The root of a drive cannot be deleted."))
		return
	}
	if e := c.ifMatchItem(it); e != nil {
		s.drive.mu.Unlock()
		c.writeError(e)
		return
	}
	dr := it.drive
	ids := s.removeItem(it)
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "deleted", ids...)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

// --- children ---

func (s *Server) listDriveChildren(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	if !it.folder {
		s.drive.mu.Unlock()
		c.writeError(errDriveItemNotFound())
		return
	}
	var docs []map[string]any
	for _, ch := range it.sortedChildren() {
		docs = append(docs, s.itemJSON(ch, c.host(), c.now))
	}
	dr, pid := it.drive, it.id
	s.drive.mu.Unlock()
	c.writeDriveList(docs, c.base()+"/$metadata#drives('"+dr.id+"')/items('"+pid+"')/children")
}

// writeDriveList answers a list of items with $filter, $orderby, $select,
// $top and $skiptoken paging applied (OneDrive pages with opaque
// $skiptoken values; 200 items a page by default).
func (c *call) writeDriveList(docs []map[string]any, ctx string) {
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.writeError(errBadRequest("The query specified in the URI is not valid."))
		return
	}
	if f, ok := option(v, "filter"); ok {
		flt, err := query.ParseFilter(f)
		if err != nil {
			c.writeError(errInvalidRequest("Invalid filter clause: " + err.Error()))
			return
		}
		var kept []map[string]any
		for _, d := range docs {
			ok, err := flt.Match(d)
			if err != nil {
				c.writeError(errInvalidRequest("Invalid filter clause: " + err.Error()))
				return
			}
			if ok {
				kept = append(kept, d)
			}
		}
		docs = kept
	}
	if o, ok := option(v, "orderby"); ok {
		ob, err := query.ParseOrderBy(o)
		if err != nil {
			c.writeError(errInvalidRequest(err.Error()))
			return
		}
		sort.SliceStable(docs, func(i, j int) bool { return ob.Compare(docs[i], docs[j]) < 0 })
	}
	fields, gerr := selectOf(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	pageSize := 200
	if t, ok := option(v, "top"); ok {
		n, err := strconv.Atoi(t)
		if err != nil || n < 0 {
			c.writeError(errInvalidRequest("Invalid $top value."))
			return
		}
		if n > 0 {
			pageSize = min(n, 1000)
		}
	} else if ps := maxPageSize(c.r); ps > 0 {
		pageSize = min(ps, 1000)
	}
	skip := 0
	if st, ok := option(v, "skiptoken"); ok {
		n, ok := decodeSkipToken(st)
		if !ok {
			c.writeError(errInvalidRequest("The $skiptoken is not valid."))
			return
		}
		skip = n
	}
	total := len(docs)
	if skip > total {
		skip = total
	}
	end := min(total, skip+pageSize)
	page := make([]any, 0, end-skip)
	for _, d := range docs[skip:end] {
		page = append(page, query.Project(d, fields))
	}
	out := map[string]any{"@odata.context": ctx, "value": page}
	if _, ok := option(v, "count"); ok {
		out["@odata.count"] = total
	}
	if end < total {
		nv := url.Values{}
		for k, vs := range v {
			if strings.TrimPrefix(k, "$") != "skiptoken" {
				nv[k] = vs
			}
		}
		nv.Set("$skiptoken", encodeSkipToken(end))
		out["@odata.nextLink"] = baseURL(c.r) + c.r.URL.EscapedPath() + "?" + nv.Encode()
	}
	c.writeValue(http.StatusOK, out)
}

// getDriveChild serves GET .../children/{id}: a child of the item.
func (s *Server) getDriveChild(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	ch := s.drive.items[c.params["driveItem-id1"]]
	if ch == nil || ch.parent != it {
		s.drive.mu.Unlock()
		c.writeError(errDriveItemNotFound())
		return
	}
	m := s.itemJSON(ch, c.host(), c.now)
	dr, etag := ch.drive, ch.etag()
	s.drive.mu.Unlock()
	c.writeDriveValue(http.StatusOK, c.itemContext(dr), m, etag)
}

func (s *Server) createDriveChild(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	name, _ := in["name"].(string)
	if invalidName(name) {
		c.writeError(errInvalidRequest("The provided name contains invalid characters or is not allowed."))
		return
	}
	_, isFolder := in["folder"].(map[string]any)
	_, isFile := in["file"].(map[string]any)
	if !isFolder && !isFile {
		c.writeError(errInvalidRequest("Either 'folder' or 'file' must be provided, but not both."))
		return
	}
	parent, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	if !parent.folder {
		s.drive.mu.Unlock()
		c.writeError(errInvalidRequest("The parent item is not a folder."))
		return
	}
	var replaced []string
	if other, taken := parent.children[lower(name)]; taken {
		switch conflictBehavior(c, in, "fail") {
		case "rename":
			name = uniqueName(parent, name)
		case "replace":
			replaced = s.removeItem(other)
		default:
			s.drive.mu.Unlock()
			c.writeError(errNameExists(name))
			return
		}
	}
	it := s.newChild(parent, name, isFolder, c.driveUser(), c.now)
	if isFile {
		s.setContent(it, []byte{}, c.driveUser(), c.now, "", nil)
	}
	it.description = str(in["description"])
	m := s.itemJSON(it, c.host(), c.now)
	dr, id, etag := it.drive, it.id, it.etag()
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "deleted", replaced...)
	s.publishItems(dr.id, "created", id)
	c.writeDriveValue(http.StatusCreated, c.itemContext(dr), m, etag)
}

// --- special folders, recent, search, shared ---

var specialFolders = map[string]string{
	"documents": "Documents", "photos": "Pictures", "cameraroll": "Camera Roll",
	"approot": "Apps", "music": "Music", "recordings": "Recordings",
}

// specialFolder returns (creating it) a special folder (under d.mu).
func (s *Server) specialFolder(c *call, dr *drive, name string) (*driveItem, *graphError) {
	key := lower(name)
	folderName, ok := specialFolders[key]
	if !ok {
		return nil, errorf(http.StatusBadRequest, "invalidRequest", "Invalid special folder name '"+name+"'.")
	}
	for _, ch := range dr.root.children {
		if ch.special == key {
			return ch, nil
		}
	}
	parent := dr.root
	if key == "approot" {
		apps, ok := dr.root.children["apps"]
		if !ok {
			apps = s.newChild(dr.root, "Apps", true, dr.owner, c.now)
		}
		parent = apps
		folderName = "Emulator App"
	}
	if key == "cameraroll" {
		pics, err := s.specialFolder(c, dr, "photos")
		if err != nil {
			return nil, err
		}
		parent = pics
	}
	if ch, ok := parent.children[lower(folderName)]; ok && ch.folder {
		ch.special = key
		return ch, nil
	}
	it := s.newChild(parent, folderName, true, dr.owner, c.now)
	it.special = key
	return it, nil
}

func (s *Server) getSpecial(c *call) {
	dr, gerr := s.driveOfCall(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.drive.mu.Lock()
	if e := c.checkAccess(dr.root, false); e != nil {
		s.drive.mu.Unlock()
		c.writeError(e)
		return
	}
	it, gerr := s.specialFolder(c, dr, c.params["special"])
	if gerr != nil {
		s.drive.mu.Unlock()
		c.writeError(gerr)
		return
	}
	m := s.itemJSON(it, c.host(), c.now)
	etag := it.etag()
	s.drive.mu.Unlock()
	c.writeDriveValue(http.StatusOK, c.itemContext(dr), m, etag)
}

func (s *Server) getSpecialContent(c *call) {
	c.writeError(errorf(http.StatusBadRequest, "invalidRequest", "A special folder has no content stream."))
}

// driveRecent lists the caller's recently used files, newest first.
func (s *Server) driveRecent(c *call) {
	dr, gerr := s.driveOfCall(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.drive.mu.Lock()
	if e := c.checkAccess(dr.root, false); e != nil {
		s.drive.mu.Unlock()
		c.writeError(e)
		return
	}
	var files []*driveItem
	walkItems(dr.root, func(x *driveItem) {
		if !x.folder {
			files = append(files, x)
		}
	})
	sort.SliceStable(files, func(i, j int) bool {
		a, b := maxTime(files[i].modified, files[i].lastAccess), maxTime(files[j].modified, files[j].lastAccess)
		return a.After(b)
	})
	files = files[:min(len(files), 20)]
	var docs []map[string]any
	for _, f := range files {
		m := s.itemJSON(f, c.host(), c.now)
		m["remoteItem"] = remoteItemJSON(s, f, c)
		m["fileSystemInfo"] = m["remoteItem"].(map[string]any)["fileSystemInfo"]
		docs = append(docs, m)
	}
	s.drive.mu.Unlock()
	c.writeDriveList(docs, c.base()+"/$metadata#Collection(driveItem)")
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// walkItems visits a subtree in pre-order, children by name.
func walkItems(it *driveItem, fn func(*driveItem)) {
	fn(it)
	if it.folder {
		for _, ch := range it.sortedChildren() {
			walkItems(ch, fn)
		}
	}
}

// remoteItemJSON is the remoteItem facet pointing at an item.
func remoteItemJSON(s *Server, it *driveItem, c *call) map[string]any {
	m := map[string]any{
		"id":                   it.id,
		"name":                 it.name,
		"size":                 it.size(),
		"webUrl":               it.drive.webBase + escapePath(it.path()),
		"createdDateTime":      driveTime(it.created),
		"lastModifiedDateTime": driveTime(it.modified),
		"parentReference":      map[string]any{"driveId": it.drive.id, "driveType": it.drive.driveType, "id": parentID(it)},
		"fileSystemInfo": map[string]any{
			"createdDateTime":      driveTime(it.fsCreated),
			"lastModifiedDateTime": driveTime(it.fsModified),
			"lastAccessedDateTime": driveTime(maxTime(it.modified, it.lastAccess)),
		},
	}
	if cb := it.createdBy.set(); cb != nil {
		m["createdBy"] = cb
	}
	if mb := it.modifiedBy.set(); mb != nil {
		m["lastModifiedBy"] = mb
	}
	if it.folder {
		m["folder"] = map[string]any{"childCount": len(it.children)}
	} else {
		m["file"] = map[string]any{"mimeType": it.mimeType, "hashes": map[string]any{"quickXorHash": it.qxor}}
	}
	if sh := sharedFacet(it); sh != nil {
		m["shared"] = sh
	}
	return m
}

func parentID(it *driveItem) string {
	if it.parent == nil {
		return ""
	}
	return it.parent.id
}

// driveSharedWithMe lists the items other users shared with the caller.
func (s *Server) driveSharedWithMe(c *call) {
	dr, gerr := s.driveOfCall(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	me := ""
	if dr.ownerKind == "user" {
		me = dr.ownerID
	}
	s.drive.mu.Lock()
	var shared []*driveItem
	for _, it := range s.drive.items {
		if it.drive == dr {
			continue
		}
		for _, p := range it.perms {
			if !p.owner && me != "" && strings.EqualFold(p.grantee.id, me) {
				shared = append(shared, it)
				break
			}
		}
	}
	sort.Slice(shared, func(i, j int) bool { return shared[i].id < shared[j].id })
	var docs []map[string]any
	for _, it := range shared {
		m := map[string]any{
			"id":                   it.id,
			"name":                 it.name,
			"size":                 it.size(),
			"webUrl":               it.drive.webBase + escapePath(it.path()),
			"createdDateTime":      driveTime(it.created),
			"lastModifiedDateTime": driveTime(it.modified),
			"remoteItem":           remoteItemJSON(s, it, c),
		}
		if it.folder {
			m["folder"] = map[string]any{"childCount": len(it.children)}
		} else {
			m["file"] = map[string]any{"mimeType": it.mimeType}
		}
		docs = append(docs, m)
	}
	s.drive.mu.Unlock()
	c.writeDriveList(docs, c.base()+"/$metadata#Collection(driveItem)")
}

// driveSearch serves search(q='...') on a drive or below an item: names,
// descriptions and the text of text files, case-insensitively.
func (s *Server) driveSearch(c *call) {
	q, ok := functionArg(c.r.URL.EscapedPath(), "search", "q")
	if !ok {
		c.writeError(errBadRequest("The search function needs a q argument."))
		return
	}
	var start *driveItem
	if _, item := c.params["driveItem-id"]; item || strings.Contains(lower(c.r.URL.Path), "/root/search") {
		it, ok := s.routeItem(c, false)
		if !ok {
			return
		}
		start = it
	} else {
		dr, gerr := s.driveOfCall(c)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		s.drive.mu.Lock()
		if e := c.checkAccess(dr.root, false); e != nil {
			s.drive.mu.Unlock()
			c.writeError(e)
			return
		}
		start = dr.root
	}
	words := strings.Fields(lower(q))
	var docs []map[string]any
	walkItems(start, func(x *driveItem) {
		if x == start || len(words) == 0 {
			return
		}
		hay := lower(x.name + " " + x.description)
		if !x.folder && strings.HasPrefix(x.mimeType, "text/") && len(x.content) <= 1<<20 {
			hay += " " + lower(string(x.content))
		}
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return
			}
		}
		m := s.itemJSON(x, c.host(), c.now)
		m["searchResult"] = map[string]any{}
		docs = append(docs, m)
	})
	s.drive.mu.Unlock()
	c.writeDriveList(docs, c.base()+"/$metadata#Collection(driveItem)")
}

// --- copy ---

// driveCopy is a copy operation's monitor.
type driveCopy struct {
	id, resourceID string
	polls          int
}

func (s *Server) copyDriveItem(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	src, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	unlock := func(e *graphError) {
		s.drive.mu.Unlock()
		c.writeError(e)
	}
	dest := src.parent
	if pr, ok := in["parentReference"].(map[string]any); ok {
		p, e := s.resolveRef(c, src.drive, pr)
		if e != nil {
			unlock(e)
			return
		}
		dest = p
	}
	if dest == nil {
		unlock(errInvalidRequest("The root of a drive cannot be copied."))
		return
	}
	if dest.under(src) {
		unlock(errInvalidRequest("An item cannot be copied into itself."))
		return
	}
	name := src.name
	if n, ok := in["name"].(string); ok {
		if invalidName(n) {
			unlock(errInvalidRequest("The provided name contains invalid characters or is not allowed."))
			return
		}
		name = n
	}
	var replaced []string
	if other, taken := dest.children[lower(name)]; taken {
		switch conflictBehavior(c, in, "fail") {
		case "rename":
			name = uniqueName(dest, name)
		case "replace":
			replaced = s.removeItem(other)
		default:
			unlock(errNameExists(name))
			return
		}
	}
	var created []string
	cp := s.copyTree(src, dest, name, c.driveUser(), c.now, &created)
	s.drive.init()
	mon := &driveCopy{id: strings.ToUpper(newUUID()), resourceID: cp.id}
	s.drive.copies[mon.id] = mon
	dr := dest.drive
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "deleted", replaced...)
	s.publishItems(dr.id, "created", created...)
	c.setCommonHeaders()
	c.w.Header().Set("Location", c.host()+"/_api/v2.0/monitor/"+mon.id)
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusAccepted)
}

// copyTree copies an item (deeply) under dest (under d.mu).
func (s *Server) copyTree(src, dest *driveItem, name string, by driveIdentity, now time.Time, created *[]string) *driveItem {
	it := s.newChild(dest, name, src.folder, by, now)
	*created = append(*created, it.id)
	it.description = src.description
	if !src.folder {
		it.versions = nil
		s.setContent(it, src.content, by, now, src.mimeType, &contentInfo{qxor: src.qxor, image: src.image, photo: src.photo})
		return it
	}
	for _, ch := range src.sortedChildren() {
		s.copyTree(ch, it, ch.name, by, now, created)
	}
	return it
}

// serveCopyMonitor answers GET on a copy monitor URL (no token needed):
// inProgress once, then completed with the new item's id.
func (s *Server) serveCopyMonitor(c *call, id string) {
	s.drive.mu.Lock()
	s.drive.init()
	mon := s.drive.copies[id]
	if mon == nil {
		s.drive.mu.Unlock()
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The monitor could not be found."))
		return
	}
	mon.polls++
	polls := mon.polls
	s.drive.mu.Unlock()
	if polls == 1 {
		c.writeValue(http.StatusAccepted, map[string]any{"operation": "ItemCopy", "percentageComplete": 50.0, "status": "inProgress"})
		return
	}
	c.writeValue(http.StatusOK, map[string]any{"operation": "ItemCopy", "percentageComplete": 100.0, "resourceId": mon.resourceID, "status": "completed"})
}
