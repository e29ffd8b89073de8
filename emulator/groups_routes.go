package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// registerGroups adds the group routes and the directory routes that need
// groups (memberOf); it also creates the directory state, as routes are
// built once when the server starts.
func (s *Server) registerGroups(rt *router) {
	s.dir = newDirectoryState()
	s.registerDirectoryWrites(rt)
	s.registerGroupConversations(rt)
	rt.add(http.MethodGet, "groups", permGroupsRead, false, func(c *call) { s.groupSpec(c).serveList(c, false) })
	rt.add(http.MethodGet, "groups/$count", permGroupsRead, false, func(c *call) { s.groupSpec(c).serveList(c, true) })
	rt.add(http.MethodGet, "groups/delta", permGroupsRead, false, s.groupDelta)
	rt.add(http.MethodGet, "users/delta", permUsers, false, s.userDelta)
	rt.add(http.MethodPost, "groups", permGroupsWrite, false, s.createGroup)
	rt.add(http.MethodGet, "groups/{group-id}", permGroupsRead, false, s.getGroup)
	rt.add(http.MethodPatch, "groups/{group-id}", permGroupsWrite, false, s.updateGroup)
	rt.add(http.MethodDelete, "groups/{group-id}", permGroupsWrite, false, s.deleteGroup)
	for _, rel := range []string{"members", "owners", "transitiveMembers", "memberOf", "transitiveMemberOf"} {
		rel := rel
		rt.add(http.MethodGet, "groups/{group-id}/"+rel, permGroupsRead, false, func(c *call) { s.listGroupRel(c, rel, false) })
		rt.add(http.MethodGet, "groups/{group-id}/"+rel+"/$count", permGroupsRead, false, func(c *call) { s.listGroupRel(c, rel, true) })
	}
	for _, rel := range []string{"members", "owners"} {
		owners := rel == "owners"
		rt.add(http.MethodPost, "groups/{group-id}/"+rel+"/$ref", permGroupMembersWrite, false, func(c *call) { s.addGroupRef(c, owners) })
		rt.add(http.MethodDelete, "groups/{group-id}/"+rel+"/{directoryObject-id}/$ref", permGroupMembersWrite, false, func(c *call) { s.removeGroupRef(c, owners) })
	}
	for _, rel := range []string{"memberOf", "transitiveMemberOf"} {
		transitive := rel == "transitiveMemberOf"
		rt.add(http.MethodGet, "users/{user}/"+rel, permMemberOf, false, func(c *call) { s.listUserMemberOf(c, transitive, false) })
		rt.add(http.MethodGet, "users/{user}/"+rel+"/$count", permMemberOf, false, func(c *call) { s.listUserMemberOf(c, transitive, true) })
	}
}

// groupOr404 resolves the {group-id} of a route.
func (s *Server) groupOr404(c *call) (*entity, bool) {
	id := lower(c.params["group-id"])
	e, ok := s.dir.groups.get(id)
	if !ok {
		c.writeError(errNoObject(c.params["group-id"]))
	}
	return e, ok
}

func (s *Server) getGroup(c *call) {
	e, ok := s.groupOr404(c)
	if !ok {
		return
	}
	s.groupSpec(c).serveEntity(c, e, c.base()+"/$metadata#groups/$entity")
}

// createGroup serves POST /groups, with members@odata.bind and
// owners@odata.bind.
func (s *Server) createGroup(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for _, k := range []string{"displayName", "mailNickname", "mailEnabled", "securityEnabled"} {
		if _, ok := in[k]; !ok {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property '"+k+"' of resource 'Group'."))
			return
		}
	}
	if _, ok := in["displayName"].(string); !ok {
		c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Group'."))
		return
	}
	var refs [2][]string
	for i, k := range []string{"members@odata.bind", "owners@odata.bind"} {
		list, _ := in[k].([]any)
		for _, v := range list {
			ref, _ := v.(string)
			id, ok := s.objectID(refID(ref))
			if !ok {
				c.writeError(errNoObject(refID(ref)))
				return
			}
			refs[i] = append(refs[i], id)
		}
	}
	delete(in, "id")
	doc := s.newGroupDoc(in)
	e := groupEntity(doc)
	s.dir.groups.put(e)
	s.dir.mu.Lock()
	s.dir.members[e.id] = refs[0]
	s.dir.owners[e.id] = refs[1]
	s.dir.mu.Unlock()
	body := withContext(e.raw, c.base()+"/$metadata#groups/$entity")
	c.w.Header().Set("Location", c.base()+"/groups/"+e.id)
	c.writeRaw(http.StatusCreated, body)
}

// withContext prefixes an encoded object with @odata.context.
func withContext(obj []byte, ctx string) []byte {
	q, _ := json.Marshal(ctx)
	out := append([]byte(`{"@odata.context":`), q...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	return append(out, obj[1:]...)
}

// readOnlyGroupProps are rejected in PATCH /groups/{id}.
var readOnlyGroupProps = setOf("id createdDateTime deletedDateTime mail proxyAddresses renewedDateTime securityIdentifier onPremisesSyncEnabled expirationDateTime")

func (s *Server) updateGroup(c *call) {
	e, ok := s.groupOr404(c)
	if !ok {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	doc := make(map[string]any, len(e.doc))
	for k, v := range e.doc {
		doc[k] = v
	}
	for k, v := range in {
		if readOnlyGroupProps[lower(k)] {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Property '"+k+"' is read-only and cannot be set."))
			return
		}
		if !groupProps[lower(k)] {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Property '"+k+"' does not exist as a declared property or extension property."))
			return
		}
		doc[k] = v
	}
	s.dir.groups.put(groupEntity(doc))
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deleteGroup(c *call) {
	e, ok := s.groupOr404(c)
	if !ok {
		return
	}
	s.dir.groups.remove(e.id)
	s.forgetObject(e.id)
	c.w.WriteHeader(http.StatusNoContent)
}

// listGroupRel serves the members, owners, transitiveMembers, memberOf and
// transitiveMemberOf of a group.
func (s *Server) listGroupRel(c *call, rel string, countOnly bool) {
	e, ok := s.groupOr404(c)
	if !ok {
		return
	}
	var ids []string
	switch rel {
	case "members":
		ids = s.memberIDs(e.id, false)
	case "owners":
		ids = s.memberIDs(e.id, true)
	case "transitiveMembers":
		ids = s.transitiveMemberIDs(e.id)
	case "memberOf":
		ids = s.memberOfIDs(e.id, false)
	case "transitiveMemberOf":
		ids = s.memberOfIDs(e.id, true)
	}
	s.objectsSpec(c, ids, "directoryObjects").serveList(c, countOnly)
}

// listUserMemberOf serves /users/{id}/memberOf and transitiveMemberOf.
func (s *Server) listUserMemberOf(c *call, transitive, countOnly bool) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	s.objectsSpec(c, s.memberOfIDs(u.ID, transitive), "directoryObjects").serveList(c, countOnly)
}

// refID returns the object id at the end of an @odata.id reference URL
// ("https://graph.microsoft.com/v1.0/directoryObjects/{id}").
func refID(ref string) string {
	ref = strings.TrimRight(ref, "/")
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		ref = ref[i+1:]
	}
	// Key syntax: directoryObjects('id').
	if i := strings.IndexByte(ref, '('); i >= 0 {
		ref = strings.Trim(ref[i+1:], "()'")
	}
	return ref
}

// addGroupRef serves POST /groups/{id}/members/$ref (and owners).
func (s *Server) addGroupRef(c *call, owners bool) {
	g, ok := s.groupOr404(c)
	if !ok {
		return
	}
	in, ok := c.readObject(1 << 16)
	if !ok {
		return
	}
	ref, _ := in["@odata.id"].(string)
	if ref == "" {
		c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Invalid request: the @odata.id of the object to add is missing."))
		return
	}
	id, ok := s.objectID(refID(ref))
	if !ok {
		c.writeError(errNoObject(refID(ref)))
		return
	}
	prop := "members"
	if owners {
		prop = "owners"
	}
	if id == g.id {
		c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "A group cannot be a member of itself."))
		return
	}
	d := s.dir
	d.mu.Lock()
	m := d.members
	if owners {
		m = d.owners
	}
	if slices.Contains(m[g.id], id) {
		d.mu.Unlock()
		c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest",
			"One or more added object references already exist for the following modified properties: '"+prop+"'."))
		return
	}
	m[g.id] = append(m[g.id], id)
	d.mu.Unlock()
	c.w.WriteHeader(http.StatusNoContent)
}

// removeGroupRef serves DELETE /groups/{id}/members/{id}/$ref (and owners).
func (s *Server) removeGroupRef(c *call, owners bool) {
	g, ok := s.groupOr404(c)
	if !ok {
		return
	}
	id := c.params["directoryObject-id"]
	if oid, ok := s.objectID(id); ok {
		id = oid
	}
	d := s.dir
	d.mu.Lock()
	m := d.members
	if owners {
		m = d.owners
	}
	i := slices.Index(m[g.id], id)
	if i >= 0 {
		m[g.id] = slices.Delete(slices.Clone(m[g.id]), i, i+1)
	}
	d.mu.Unlock()
	if i < 0 {
		c.writeError(errNoObject(c.params["directoryObject-id"]))
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}
