package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// registerDirectoryWrites adds the user write routes: create, update,
// delete, photo, manager and guest invitations.
func (s *Server) registerDirectoryWrites(rt *router) {
	rt.add(http.MethodPost, "users", permUsersWrite, false, s.createUser)
	rt.add(http.MethodPatch, "users/{user}", permUserWrite, false, s.updateUser)
	// {user-id}, not {user}: Graph has no DELETE /me, and routes written
	// users/{user} also serve /me.
	// users/{user} also serve /me. The permission is checked in the
	// handler so that DELETE /me answers 405, as Graph does.
	rt.add(http.MethodDelete, "users/{user-id}", nil, false, func(c *call) {
		if isMePath(c.r.URL.Path) {
			c.writeError(errMethodNotAllowed())
			return
		}
		if e := c.authorize(permUsersWrite); e != nil {
			c.writeError(e)
			return
		}
		c.params["user"] = c.params["user-id"]
		s.deleteUser(c)
	})
	rt.add(http.MethodGet, "users/{user}/photo", permMe, false, func(c *call) { s.getPhoto(c, false) })
	rt.add(http.MethodGet, "users/{user}/photo/$value", permMe, false, func(c *call) { s.getPhoto(c, true) })
	rt.add(http.MethodPut, "users/{user}/photo/$value", permUserWrite, false, s.putPhoto)
	rt.add(http.MethodDelete, "users/{user}/photo/$value", permUserWrite, false, s.deletePhoto)
	// Every size is the one stored photo.
	rt.add(http.MethodGet, "users/{user}/photos/{profilePhoto-id}/$value", permMe, false, func(c *call) { s.getPhoto(c, true) })
	rt.add(http.MethodPut, "users/{user}/manager/$ref", permUsersWrite, false, s.setManager)
	rt.add(http.MethodDelete, "users/{user}/manager/$ref", permUsersWrite, false, s.setManager)
	rt.add(http.MethodPost, "invitations", permInvite, false, s.invite)
}

// readOnlyUserProps cannot be written with POST or PATCH.
var readOnlyUserProps = setOf("id createdDateTime deletedDateTime creationType externalUserState externalUserStateChangeDateTime lastPasswordChangeDateTime mailboxSettings proxyAddresses securityIdentifier signInActivity signInSessionsValidFromDateTime assignedLicenses assignedPlans provisionedPlans onPremisesSyncEnabled onPremisesLastSyncDateTime imAddresses")

// writableUserProp reports whether a property may be written.
func writableUserProp(k string) bool {
	return userProps[lower(k)] && !readOnlyUserProps[lower(k)] || lower(k) == "passwordprofile"
}

// userFromDoc maps a user document onto the emulator's User, keeping the
// fields the document does not hold from old.
func userFromDoc(doc map[string]any, old User) User {
	u := old
	str := func(k string, dst *string) {
		if v, ok := doc[k]; ok {
			s, _ := v.(string)
			*dst = s
		}
	}
	str("userPrincipalName", &u.UPN)
	str("displayName", &u.DisplayName)
	str("mail", &u.Mail)
	str("givenName", &u.GivenName)
	str("surname", &u.Surname)
	str("jobTitle", &u.JobTitle)
	str("department", &u.Department)
	str("officeLocation", &u.OfficeLocation)
	str("mobilePhone", &u.MobilePhone)
	str("preferredLanguage", &u.PreferredLanguage)
	str("companyName", &u.CompanyName)
	str("city", &u.City)
	str("state", &u.State)
	str("country", &u.Country)
	str("streetAddress", &u.StreetAddress)
	str("postalCode", &u.PostalCode)
	str("usageLocation", &u.UsageLocation)
	str("employeeId", &u.EmployeeID)
	if v, ok := doc["businessPhones"].([]any); ok {
		u.BusinessPhones = []string{}
		for _, p := range v {
			if s, ok := p.(string); ok {
				u.BusinessPhones = append(u.BusinessPhones, s)
			}
		}
	}
	if pp, ok := doc["passwordProfile"].(map[string]any); ok {
		if p, ok := pp["password"].(string); ok && p != "" {
			u.Password = p
		}
	}
	return u
}

// storeUserDoc re-registers u and stores doc (with every property the
// writes set) as its entity.
func (s *Server) storeUserDoc(u User, extra map[string]any) User {
	u = s.AddUser(u)
	e, ok := s.store.users.get(u.ID)
	if !ok {
		return u
	}
	doc := make(map[string]any, len(e.doc)+len(extra))
	for k, v := range e.doc {
		doc[k] = v
	}
	for k, v := range extra {
		if k == "passwordProfile" {
			continue // write-only
		}
		doc[k] = v
	}
	def := []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}
	s.store.users.put(&entity{id: u.ID, raw: encodeDirDoc(doc, def, true), full: encodeDirDoc(doc, def, false), doc: doc})
	s.dir.mu.Lock()
	if s.dir.extra == nil {
		s.dir.extra = map[string]map[string]any{}
	}
	s.dir.extra[u.ID] = doc
	s.dir.mu.Unlock()
	return u
}

// createUser serves POST /users.
func (s *Server) createUser(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for _, k := range []string{"accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile"} {
		if _, ok := in[k]; !ok {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Property '"+k+"' is required when creating the resource."))
			return
		}
	}
	for k := range in {
		if !writableUserProp(k) {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Property '"+k+"' is read-only or does not exist on type 'microsoft.graph.user'."))
			return
		}
	}
	upn, _ := in["userPrincipalName"].(string)
	local, domain, found := strings.Cut(upn, "@")
	if !found || local == "" || !strings.EqualFold(domain, defaultTenantDomain) {
		c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Property userPrincipalName is invalid: the domain must be a verified domain of the tenant."))
		return
	}
	if _, taken := s.lookupUser(upn); taken {
		c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists."))
		return
	}
	u := userFromDoc(in, User{ID: newUUID(), UPN: upn})
	if _, ok := in["mail"]; !ok {
		u.Mail = ""
	}
	u = s.storeUserDoc(u, in)
	e, _ := s.store.users.get(u.ID)
	c.w.Header().Set("Location", c.base()+"/users/"+u.ID)
	c.writeRaw(http.StatusCreated, withContext(e.raw, c.base()+"/$metadata#users/$entity"))
}

// updateUser serves PATCH /users/{id} and PATCH /me.
func (s *Server) updateUser(c *call) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	if (c.claims.AppOnly || u.ID != c.claims.ObjectID) && !c.has(permUsersWrite) {
		c.writeError(denied(permUsersWrite))
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for k := range in {
		if !writableUserProp(k) {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Property '"+k+"' is read-only or does not exist on type 'microsoft.graph.user'."))
			return
		}
	}
	if upn, ok := in["userPrincipalName"].(string); ok {
		if other, taken := s.lookupUser(upn); taken && other.ID != u.ID {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists."))
			return
		}
	}
	e, _ := s.store.users.get(u.ID)
	merged := map[string]any{}
	if e != nil {
		for k, v := range e.doc {
			merged[k] = v
		}
	}
	for k, v := range in {
		merged[k] = v
	}
	s.storeUserDoc(userFromDoc(in, u), merged)
	c.w.WriteHeader(http.StatusNoContent)
}

// deleteUser serves DELETE /users/{id}.
func (s *Server) deleteUser(c *call) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	s.mu.Lock()
	delete(s.users, lower(u.ID))
	delete(s.users, lower(u.UPN))
	s.mu.Unlock()
	s.store.users.remove(u.ID)
	s.forgetObject(u.ID)
	c.w.WriteHeader(http.StatusNoContent)
}

// setManager serves PUT and DELETE /users/{id}/manager/$ref.
func (s *Server) setManager(c *call) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	if c.r.Method == http.MethodDelete {
		if u.ManagerID == "" {
			c.writeError(errNoObject("manager"))
			return
		}
		u.ManagerID = ""
	} else {
		in, ok := c.readObject(1 << 16)
		if !ok {
			return
		}
		ref, _ := in["@odata.id"].(string)
		m, ok := s.lookupUser(refID(ref))
		if !ok {
			c.writeError(errNoObject(refID(ref)))
			return
		}
		if m.ID == u.ID {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "A user cannot be their own manager."))
			return
		}
		u.ManagerID = m.ID
	}
	s.dir.mu.Lock()
	extra := s.dir.extra[u.ID]
	s.dir.mu.Unlock()
	s.storeUserDoc(u, extra)
	c.w.WriteHeader(http.StatusNoContent)
}

// getPhoto serves GET /users/{id}/photo and its $value.
func (s *Server) getPhoto(c *call, value bool) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	s.dir.mu.Lock()
	p, ok := s.dir.photos[u.ID]
	s.dir.mu.Unlock()
	if !ok {
		c.writeError(errorf(http.StatusNotFound, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown."))
		return
	}
	if value {
		c.setCommonHeaders()
		c.w.Header().Set("Content-Type", p.contentType)
		c.w.Header().Set("Content-Length", strconv.Itoa(len(p.data)))
		c.w.WriteHeader(http.StatusOK)
		_, _ = c.w.Write(p.data)
		return
	}
	w, h := photoSize(p.data)
	c.writeValue(http.StatusOK, map[string]any{
		"@odata.context":          c.base() + "/$metadata#users('" + u.ID + "')/photo/$entity",
		"@odata.id":               c.base() + "/users('" + u.ID + "')/photo",
		"@odata.mediaContentType": p.contentType,
		"@odata.mediaEtag":        `W/"` + strconv.Itoa(len(p.data)) + `"`,
		"id":                      "default",
		"height":                  h,
		"width":                   w,
		"@odata.mediaReadLink":    c.base() + "/users/" + u.ID + "/photo/$value",
		"@odata.mediaEditLink":    c.base() + "/users/" + u.ID + "/photo/$value",
	})
}

// photoSize reads the pixel size of a PNG or JPEG, 0 when unknown.
func photoSize(b []byte) (w, h int) {
	if len(b) >= 24 && string(b[1:4]) == "PNG" {
		return int(b[16])<<24 | int(b[17])<<16 | int(b[18])<<8 | int(b[19]), int(b[20])<<24 | int(b[21])<<16 | int(b[22])<<8 | int(b[23])
	}
	for i := 2; i+9 < len(b); {
		if b[i] != 0xFF {
			return 0, 0
		}
		marker := b[i+1]
		n := int(b[i+2])<<8 | int(b[i+3])
		if marker >= 0xC0 && marker <= 0xC3 {
			return int(b[i+7])<<8 | int(b[i+8]), int(b[i+5])<<8 | int(b[i+6])
		}
		i += 2 + n
	}
	return 0, 0
}

// putPhoto serves PUT /users/{id}/photo/$value.
func (s *Server) putPhoto(c *call) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	if (c.claims.AppOnly || u.ID != c.claims.ObjectID) && !c.has(permUsersWrite) {
		c.writeError(denied(permUsersWrite))
		return
	}
	data, gerr := readBody(c, 4<<20)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	ct := c.r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "image/") || len(data) == 0 {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidImage", "The photo must be a non-empty image with an image/* content type."))
		return
	}
	s.dir.mu.Lock()
	s.dir.photos[u.ID] = userPhoto{contentType: ct, data: data}
	s.dir.mu.Unlock()
	c.w.WriteHeader(http.StatusOK)
}

// invite serves POST /invitations: a guest user is added at once.
func (s *Server) invite(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	email, _ := in["invitedUserEmailAddress"].(string)
	redirect, _ := in["inviteRedirectUrl"].(string)
	local, domain, found := strings.Cut(email, "@")
	if !found || local == "" || domain == "" || redirect == "" {
		c.writeError(errorf(http.StatusBadRequest, "BadRequest", "The invitedUserEmailAddress and inviteRedirectUrl properties are required."))
		return
	}
	upn := local + "_" + domain + "#EXT#@" + defaultTenantDomain
	u, exists := s.lookupUser(upn)
	if !exists {
		name, _ := in["invitedUserDisplayName"].(string)
		if name == "" {
			name = local
		}
		u = s.storeUserDoc(User{ID: newUUID(), UPN: upn, DisplayName: name, Mail: email}, map[string]any{
			"userType": "Guest", "externalUserState": "PendingAcceptance", "creationType": "Invitation",
		})
	}
	msg, _ := json.Marshal(in["invitedUserMessageInfo"])
	var info any = map[string]any{"messageLanguage": nil, "ccRecipients": []any{}, "customizedMessageBody": nil}
	if string(msg) != "null" {
		info = in["invitedUserMessageInfo"]
	}
	send, _ := in["sendInvitationMessage"].(bool)
	c.writeValue(http.StatusCreated, map[string]any{
		"@odata.context":          c.base() + "/$metadata#invitations/$entity",
		"id":                      newUUID(),
		"inviteRedeemUrl":         "https://login.microsoftonline.com/redeem?rd=" + u.ID,
		"invitedUserDisplayName":  u.DisplayName,
		"invitedUserEmailAddress": email,
		"invitedUserType":         "Guest",
		"resetRedemption":         false,
		"sendInvitationMessage":   send,
		"invitedUserMessageInfo":  info,
		"inviteRedirectUrl":       redirect,
		"status":                  "PendingAcceptance",
		"invitedUser":             map[string]any{"id": u.ID},
	})
}

// isMePath reports whether a Graph path addresses /me.
func isMePath(p string) bool {
	parts := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 3)
	return len(parts) >= 2 && strings.EqualFold(parts[1], "me")
}

// deletePhoto serves DELETE /users/{id}/photo/$value.
func (s *Server) deletePhoto(c *call) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	if (c.claims.AppOnly || u.ID != c.claims.ObjectID) && !c.has(permUsersWrite) {
		c.writeError(denied(permUsersWrite))
		return
	}
	s.dir.mu.Lock()
	_, had := s.dir.photos[u.ID]
	delete(s.dir.photos, u.ID)
	s.dir.mu.Unlock()
	if !had {
		c.writeError(errorf(http.StatusNotFound, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown."))
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}
