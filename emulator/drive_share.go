package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Sharing (permissions, createLink, invite), versions and thumbnails.

func (s *Server) listDrivePermissions(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	ps := effectivePerms(it)
	dr, id := it.drive, it.id
	s.drive.mu.Unlock()
	docs := make([]map[string]any, 0, len(ps))
	docs = append(docs, ps...)
	c.writeDriveList(docs, c.base()+"/$metadata#drives('"+dr.id+"')/items('"+id+"')/permissions")
}

// findPerm finds a permission of an item or its ancestors (under d.mu).
func findPerm(it *driveItem, id string) (*drivePerm, *driveItem) {
	for _, x := range it.permSources() {
		for _, p := range x.perms {
			if p.id == id {
				return p, x
			}
		}
	}
	return nil, nil
}

func errPermNotFound() *graphError {
	return errorf(http.StatusNotFound, "itemNotFound", "The permission could not be found.")
}

func (s *Server) getDrivePermission(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	p, owner := findPerm(it, c.params["permission-id"])
	if p == nil {
		s.drive.mu.Unlock()
		c.writeError(errPermNotFound())
		return
	}
	var inh *driveItem
	if owner != it {
		inh = owner
	}
	m := permJSON(p, inh)
	dr := it.drive
	s.drive.mu.Unlock()
	c.writeDriveValue(http.StatusOK, c.base()+"/$metadata#drives('"+dr.id+"')/items/permissions/$entity", m, "")
}

func (s *Server) patchDrivePermission(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for k := range in {
		if k != "roles" && k != "expirationDateTime" && !strings.HasPrefix(k, "@") {
			c.writeError(errInvalidRequest("Only roles and expirationDateTime of a permission can be updated."))
			return
		}
	}
	it, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	p, owner := findPerm(it, c.params["permission-id"])
	var gerr *graphError
	switch {
	case p == nil:
		gerr = errPermNotFound()
	case owner != it:
		gerr = errorf(http.StatusBadRequest, "invalidRequest", "An inherited permission cannot be updated on this item.")
	case p.owner:
		gerr = errorf(http.StatusForbidden, "accessDenied", "The owner's permission cannot be changed.")
	}
	if gerr == nil {
		if rs, ok := in["roles"].([]any); ok {
			var roles []string
			for _, r := range rs {
				switch str(r) {
				case "read", "write":
					roles = append(roles, str(r))
				default:
					gerr = errInvalidRequest("Roles must be 'read' or 'write'.")
				}
			}
			if gerr == nil && len(roles) > 0 {
				p.roles = roles
			}
		}
		if e, ok := in["expirationDateTime"].(string); ok {
			p.expiration = e
		}
	}
	if gerr != nil {
		s.drive.mu.Unlock()
		c.writeError(gerr)
		return
	}
	s.touch(it, false)
	m := permJSON(p, nil)
	dr := it.drive
	s.drive.mu.Unlock()
	c.writeDriveValue(http.StatusOK, c.base()+"/$metadata#drives('"+dr.id+"')/items/permissions/$entity", m, "")
}

func (s *Server) deleteDrivePermission(c *call) {
	it, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	id := c.params["permission-id"]
	p, owner := findPerm(it, id)
	var gerr *graphError
	switch {
	case p == nil:
		gerr = errPermNotFound()
	case owner != it:
		gerr = errorf(http.StatusBadRequest, "invalidRequest", "An inherited permission cannot be deleted on this item.")
	case p.owner:
		gerr = errorf(http.StatusForbidden, "accessDenied", "The owner's permission cannot be deleted.")
	}
	if gerr != nil {
		s.drive.mu.Unlock()
		c.writeError(gerr)
		return
	}
	it.perms = slices.DeleteFunc(it.perms, func(x *drivePerm) bool { return x == p })
	s.touch(it, false)
	s.drive.mu.Unlock()
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

// createDriveLink serves createLink: a sharing link of a type (view, edit,
// embed) and scope (anonymous, organization, users). The same type and
// scope without a password answers the existing link with 200.
func (s *Server) createDriveLink(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	typ, scope := lower(str(in["type"])), lower(str(in["scope"]))
	switch typ {
	case "view", "edit", "embed":
	default:
		c.writeError(errInvalidRequest("The link type must be 'view', 'edit' or 'embed'."))
		return
	}
	if scope == "" {
		scope = "anonymous"
	}
	switch scope {
	case "anonymous", "organization", "users":
	default:
		c.writeError(errInvalidRequest("The link scope must be 'anonymous', 'organization' or 'users'."))
		return
	}
	password := str(in["password"])
	if password != "" && scope != "anonymous" {
		c.writeError(errInvalidRequest("A password can only be set on an anonymous link."))
		return
	}
	it, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	retain := true
	if v, ok := in["retainInheritedPermissions"].(bool); ok {
		retain = v
	}
	dr := it.drive
	ctx := c.base() + "/$metadata#microsoft.graph.permission"
	if password == "" {
		for _, p := range it.perms {
			if p.linkType == typ && p.linkScope == scope && p.password == "" {
				m := permJSON(p, nil)
				s.drive.mu.Unlock()
				c.writeDriveValue(http.StatusOK, ctx, m, "")
				return
			}
		}
	}
	if !retain && !it.ownPerms {
		// Break inheritance: the item keeps copies of the owners'
		// permissions only.
		for _, a := range it.permSources()[1:] {
			for _, p := range a.perms {
				if p.owner {
					cp := *p
					it.perms = append(it.perms, &cp)
				}
			}
		}
		it.ownPerms = true
	}
	roles := []string{"read"}
	if typ == "edit" {
		roles = []string{"write"}
	}
	code := map[string]string{"view": "v", "edit": "e", "embed": "e"}[typ]
	tok := randomToken(18)
	web := "https://contoso-my.sharepoint.com/:" + map[bool]string{true: "f", false: "t"}[it.folder] + ":/g/personal/" +
		strings.NewReplacer("@", "_", ".", "_").Replace(lower(dr.owner.email)) + "/" + tok
	if dr.ownerKind != "user" {
		web = "https://contoso.sharepoint.com/:" + code + ":/s/" + tok
	}
	link := map[string]any{"type": typ, "scope": scope, "webUrl": web, "preventsDownload": false}
	if typ == "embed" {
		link["webHtml"] = `<iframe src="` + web + `?embed=1" width="98" height="120" frameborder="0" scrolling="no"></iframe>`
	}
	if c.claims.AppOnly {
		link["application"] = map[string]any{"id": c.claims.ClientID, "displayName": "Emulator App"}
	}
	p := &drivePerm{id: randomToken(24), roles: roles, link: link, linkType: typ, linkScope: scope,
		password: password, expiration: str(in["expirationDateTime"]), shared: c.now, sharedBy: c.driveUser()}
	it.perms = append(it.perms, p)
	s.touch(it, false)
	m := permJSON(p, nil)
	id := it.id
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "updated", id)
	c.writeDriveValue(http.StatusCreated, ctx, m, "")
}

// inviteDriveItem serves invite: permissions for recipients; tenant users
// see the item in their sharedWithMe.
func (s *Server) inviteDriveItem(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	recips, _ := in["recipients"].([]any)
	if len(recips) == 0 {
		c.writeError(errInvalidRequest("At least one recipient is required."))
		return
	}
	rolesIn, _ := in["roles"].([]any)
	var roles []string
	for _, r := range rolesIn {
		switch str(r) {
		case "read", "write":
			roles = append(roles, str(r))
		default:
			c.writeError(errInvalidRequest("Roles must be 'read' or 'write'."))
			return
		}
	}
	if len(roles) == 0 {
		c.writeError(errInvalidRequest("At least one role is required."))
		return
	}
	signIn := true
	if v, ok := in["requireSignIn"].(bool); ok {
		signIn = v
	}
	type who struct {
		user  User
		email string
	}
	var people []who
	for _, r := range recips {
		rm, _ := r.(map[string]any)
		email, oid := str(rm["email"]), str(rm["objectId"])
		key := email
		if key == "" {
			key = oid
		}
		if key == "" {
			c.writeError(errInvalidRequest("A recipient needs an email or an objectId."))
			return
		}
		if u, ok := s.lookupUser(key); ok {
			people = append(people, who{user: u})
		} else if u, ok := s.userByAddress(email); ok && email != "" {
			people = append(people, who{user: u})
		} else if oid != "" && email == "" {
			c.writeError(errorf(http.StatusBadRequest, "invalidRequest", "The recipient '"+oid+"' could not be found."))
			return
		} else {
			people = append(people, who{email: email})
		}
	}
	it, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	var out []any
	by := c.driveUser()
	for _, p := range people {
		perm := &drivePerm{id: randomToken(24), roles: append([]string(nil), roles...), signIn: signIn,
			expiration: str(in["expirationDateTime"]), shared: c.now, sharedBy: by}
		if p.user.ID != "" {
			perm.grantee = driveIdentity{kind: "user", id: p.user.ID, name: p.user.DisplayName, email: p.user.UPN}
			// One permission per user: a new invitation replaces the roles.
			replaced := false
			for _, old := range it.perms {
				if !old.owner && old.grantee.id == p.user.ID {
					old.roles = perm.roles
					perm = old
					replaced = true
				}
			}
			if !replaced {
				it.perms = append(it.perms, perm)
			}
		} else {
			perm.invitee = p.email
			it.perms = append(it.perms, perm)
		}
		out = append(out, permJSON(perm, nil))
	}
	s.touch(it, false)
	dr, id := it.drive, it.id
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "updated", id)
	c.writeValue(http.StatusOK, map[string]any{"@odata.context": c.base() + "/$metadata#Collection(microsoft.graph.permission)", "value": out})
}

// --- versions ---

func versionJSON(v *driveVersion) map[string]any {
	m := map[string]any{
		"id":                   v.id,
		"lastModifiedDateTime": driveTime(v.modified),
		"size":                 len(v.content),
	}
	if mb := v.modifiedBy.set(); mb != nil {
		m["lastModifiedBy"] = mb
	}
	return m
}

// versionsJSON lists the versions, newest first.
func versionsJSON(it *driveItem) []any {
	out := []any{}
	for i := len(it.versions) - 1; i >= 0; i-- {
		out = append(out, versionJSON(it.versions[i]))
	}
	return out
}

func (s *Server) listDriveVersions(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	if it.folder {
		s.drive.mu.Unlock()
		c.writeError(errInvalidRequest("Folders have no versions."))
		return
	}
	var docs []map[string]any
	for _, v := range versionsJSON(it) {
		docs = append(docs, v.(map[string]any))
	}
	dr, id := it.drive, it.id
	s.drive.mu.Unlock()
	c.writeDriveList(docs, c.base()+"/$metadata#drives('"+dr.id+"')/items('"+id+"')/versions")
}

func findVersion(it *driveItem, id string) *driveVersion {
	for _, v := range it.versions {
		if v.id == id {
			return v
		}
	}
	return nil
}

func errVersionNotFound() *graphError {
	return errorf(http.StatusNotFound, "itemNotFound", "The version could not be found.")
}

func (s *Server) getDriveVersion(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	v := findVersion(it, c.params["driveItemVersion-id"])
	if v == nil {
		s.drive.mu.Unlock()
		c.writeError(errVersionNotFound())
		return
	}
	m := versionJSON(v)
	dr, id := it.drive, it.id
	s.drive.mu.Unlock()
	c.writeDriveValue(http.StatusOK, c.base()+"/$metadata#drives('"+dr.id+"')/items('"+id+"')/versions/$entity", m, "")
}

func (s *Server) getDriveVersionContent(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	v := findVersion(it, c.params["driveItemVersion-id"])
	if v == nil {
		s.drive.mu.Unlock()
		c.writeError(errVersionNotFound())
		return
	}
	u := s.downloadURL(c.host(), it, v.id, "", c.now)
	s.drive.mu.Unlock()
	c.setCommonHeaders()
	c.w.Header().Set("Location", u)
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusFound)
}

// restoreDriveVersion makes an old version current, as a new version.
func (s *Server) restoreDriveVersion(c *call) {
	it, ok := s.routeItem(c, true)
	if !ok {
		return
	}
	v := findVersion(it, c.params["driveItemVersion-id"])
	if v == nil {
		s.drive.mu.Unlock()
		c.writeError(errVersionNotFound())
		return
	}
	s.setContent(it, v.content, c.driveUser(), c.now, it.mimeType, nil)
	dr, id := it.drive, it.id
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "updated", id)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

// --- thumbnails ---

// thumbSizes are OneDrive's standard thumbnail bounds (longest edge).
var thumbSizes = []struct {
	name string
	edge int
}{{"small", 96}, {"medium", 176}, {"large", 800}}

// thumbnailSets renders an item's thumbnail sets (under d.mu): one set
// ("0") for images, none for other items.
func (s *Server) thumbnailSets(c *call, it *driveItem) []any {
	if it.folder || it.image == nil {
		return []any{}
	}
	set := map[string]any{"id": "0"}
	for _, sz := range thumbSizes {
		w, h := fitWithin(it.image[0], it.image[1], sz.edge)
		set[sz.name] = map[string]any{"width": w, "height": h, "url": s.thumbURL(c, it, sz.name)}
	}
	return []any{set}
}

func (s *Server) thumbURL(c *call, it *driveItem, size string) string {
	exp := c.now.Add(downloadTTL).Unix()
	e := strconv.FormatInt(exp, 10)
	return c.host() + driveThumbPath + "?UniqueId=" + it.id + "&size=" + size + "&etag=" + strconv.Itoa(it.ctagN) +
		"&tempauth=v1." + e + "." + s.drive.sign("th", it.id, size, e)
}

func (s *Server) listDriveThumbnails(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	sets := s.thumbnailSets(c, it)
	dr, id := it.drive, it.id
	s.drive.mu.Unlock()
	c.writeValue(http.StatusOK, map[string]any{"@odata.context": c.base() + "/$metadata#drives('" + dr.id + "')/items('" + id + "')/thumbnails", "value": sets})
}

func (s *Server) getDriveThumbnailSet(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	sets := s.thumbnailSets(c, it)
	s.drive.mu.Unlock()
	if c.params["thumbnailSet-id"] != "0" || len(sets) == 0 {
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The thumbnail set could not be found."))
		return
	}
	c.writeDriveValue(http.StatusOK, c.base()+"/$metadata#microsoft.graph.thumbnailSet", sets[0].(map[string]any), "")
}

// serveThumbnail serves a thumbnail URL: the image scaled into the size's
// bounds, as PNG.
func (s *Server) serveThumbnail(c *call) {
	q := c.r.URL.Query()
	id, size := q.Get("UniqueId"), q.Get("size")
	if e := s.checkTempauth(c, "th", id, size); e != nil {
		c.writeError(e)
		return
	}
	edge := 0
	for _, sz := range thumbSizes {
		if sz.name == size {
			edge = sz.edge
		}
	}
	s.drive.mu.Lock()
	it := s.drive.items[id]
	var content []byte
	if it != nil {
		content = it.content
	}
	s.drive.mu.Unlock()
	if it == nil || edge == 0 {
		c.writeError(errDriveItemNotFound())
		return
	}
	png, ok := thumbnailPNG(content, edge)
	if !ok {
		c.writeError(errDriveItemNotFound())
		return
	}
	c.setCommonHeaders()
	c.w.Header().Set("Content-Type", "image/png")
	c.w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(png)
}
