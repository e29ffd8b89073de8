package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/o365go/o365/emulator/internal/query"
)

var (
	permContactsRead = &permission{
		delegated: []string{"Contacts.Read", "Contacts.ReadWrite", "Contacts.Read.Shared", "Contacts.ReadWrite.Shared"},
		app:       []string{"Contacts.Read", "Contacts.ReadWrite"},
		outlook:   true,
		shared:    &permission{delegated: []string{"Contacts.Read.Shared", "Contacts.ReadWrite.Shared"}, outlook: true},
	}
	permContactsWrite = &permission{
		delegated: []string{"Contacts.ReadWrite", "Contacts.ReadWrite.Shared"},
		app:       []string{"Contacts.ReadWrite"},
		outlook:   true,
		shared:    &permission{delegated: []string{"Contacts.ReadWrite.Shared"}, outlook: true},
	}
)

// registerContacts adds the contact and contact folder routes. Another
// user's contacts need the .Shared scope and a grant (GrantMailboxAccess).
func (s *Server) registerContacts(rt *router) {
	u := "users/{user}/"
	// Folder paths: the contacts of a folder at each nesting Graph lists.
	folders := []string{u + "contactFolders/{contactFolder}", u + "contactFolders/{contactFolder}/childFolders/{contactFolder1}"}
	rt.add(http.MethodGet, u+"contactFolders", permContactsRead, true, s.listContactFolders)
	rt.add(http.MethodGet, u+"contactFolders/delta", permContactsRead, true, s.contactFolderDelta)
	rt.add(http.MethodPost, u+"contactFolders", permContactsWrite, true, s.createContactFolder)
	for _, f := range folders {
		rt.add(http.MethodGet, f, permContactsRead, true, s.getContactFolder)
		rt.add(http.MethodPatch, f, permContactsWrite, true, s.patchContactFolder)
		rt.add(http.MethodDelete, f, permContactsWrite, true, s.deleteContactFolder)
	}
	rt.add(http.MethodGet, folders[0]+"/childFolders", permContactsRead, true, s.listContactFolders)
	rt.add(http.MethodPost, folders[0]+"/childFolders", permContactsWrite, true, s.createContactFolder)
	for _, base := range []string{u + "contacts", folders[0] + "/contacts", folders[1] + "/contacts"} {
		rt.add(http.MethodGet, base+"/delta", permContactsRead, true, s.contactDelta)
		rt.add(http.MethodGet, base, permContactsRead, true, s.listContacts(false))
		rt.add(http.MethodGet, base+"/$count", permContactsRead, true, s.listContacts(true))
		rt.add(http.MethodPost, base, permContactsWrite, true, s.createContact)
		one := base + "/{contact}"
		rt.add(http.MethodGet, one, permContactsRead, true, s.getContact)
		rt.add(http.MethodPatch, one, permContactsWrite, true, s.patchContact)
		rt.add(http.MethodDelete, one, permContactsWrite, true, s.deleteContact)
		rt.add(http.MethodGet, one+"/photo/$value", permContactsRead, true, s.getContactPhoto)
		rt.add(http.MethodPut, one+"/photo/$value", permContactsWrite, true, s.putContactPhoto)
		rt.add(http.MethodDelete, one+"/photo/$value", permContactsWrite, true, s.deleteContactPhoto)
	}
}

// contactUser resolves {user} as mailboxFor does (grants, .Shared
// scopes) and returns the owner's id.
func (s *Server) contactUser(c *call) (string, bool) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return "", false
	}
	return mb.userID, true
}

// routeContactFolder resolves the folder of the route ({contactFolder1}
// when present, else {contactFolder}; the default folder when neither).
func (s *Server) routeContactFolder(c *call, userID string) (*contactFolder, bool) {
	st := &s.contacts
	st.mu.Lock()
	defer st.mu.Unlock()
	id := c.params["contactFolder"]
	if id == "" {
		return st.root(userID), true
	}
	f := st.folder(userID, id)
	if f != nil && c.params["contactFolder1"] != "" {
		child := st.folder(userID, c.params["contactFolder1"])
		if child == nil || child.parent != f.id {
			f = nil
		} else {
			f = child
		}
	}
	if f == nil {
		c.writeError(errContactFolderNotFound())
		return nil, false
	}
	return f, true
}

// contactStart begins a contacts handler: it resolves the route's user
// and folder and, when limit > 0, reads the JSON object body of at most
// limit bytes. On failure it has answered the request and reports false.
func (s *Server) contactStart(c *call, limit int64) (userID string, f *contactFolder, in map[string]any, ok bool) {
	if userID, ok = s.contactUser(c); !ok {
		return "", nil, nil, false
	}
	if f, ok = s.routeContactFolder(c, userID); !ok {
		return "", nil, nil, false
	}
	if limit > 0 {
		if in, ok = c.readObject(limit); !ok {
			return "", nil, nil, false
		}
	}
	return userID, f, in, true
}

func (c *call) contactFoldersContext(userID string) string {
	return c.base() + "/$metadata#users('" + userID + "')/contactFolders"
}

func (s *Server) listContactFolders(c *call) {
	userID, ok := s.contactUser(c)
	if !ok {
		return
	}
	st := &s.contacts
	var parent *contactFolder
	if c.params["contactFolder"] == "" {
		st.mu.Lock()
		parent = st.root(userID)
		st.mu.Unlock()
	} else if parent, ok = s.routeContactFolder(c, userID); !ok {
		return
	}
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	var filter *query.Filter
	if expr, ok := option(v, "filter"); ok {
		f, err := query.ParseFilter(expr)
		if err != nil {
			c.writeError(errBadRequest("Invalid filter clause: " + err.Error()))
			return
		}
		filter = f
	}
	st.mu.Lock()
	var items [][]byte
	for _, f := range st.children(userID, parent.id) {
		if ok, err := filter.Match(f.doc()); err != nil || !ok {
			continue
		}
		items = append(items, f.raw())
	}
	st.mu.Unlock()
	body := []byte(`{"@odata.context":`)
	body = appendJSONStr(body, c.contactFoldersContext(userID))
	body = append(body, `,"value":`...)
	body = append(body, joinArray(items)...)
	body = append(body, '}')
	c.writeRaw(http.StatusOK, body)
}

func (s *Server) getContactFolder(c *call) {
	userID, f, _, ok := s.contactStart(c, 0)
	if !ok {
		return
	}
	s.contacts.mu.Lock()
	raw := f.raw()
	s.contacts.mu.Unlock()
	c.writeEntity(http.StatusOK, c.contactFoldersContext(userID)+"/$entity", raw)
}

// folderName validates a displayName value.
func folderName(v any) (string, *graphError) {
	name, ok := v.(string)
	if !ok || strings.TrimSpace(name) == "" {
		return "", errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The displayName of a contact folder must be a non-empty string.")
	}
	return name, nil
}

func errContactFolderExists() *graphError {
	return errorf(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
}

// siblingNamed reports whether parent has a child named name other than
// except. Caller holds st.mu.
func (st *contactsState) siblingNamed(userID, parent, name, except string) bool {
	for _, f := range st.children(userID, parent) {
		if f.id != except && strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

func (s *Server) createContactFolder(c *call) {
	userID, parent, in, ok := s.contactStart(c, 1<<20)
	if !ok {
		return
	}
	for k := range in {
		if !strings.HasPrefix(k, "@") && k != "displayName" && k != "parentFolderId" {
			c.writeError(errUnknownProperty(k, "microsoft.graph.contactFolder"))
			return
		}
	}
	name, gerr := folderName(in["displayName"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	st := &s.contacts
	st.mu.Lock()
	if st.siblingNamed(userID, parent.id, name, "") {
		st.mu.Unlock()
		c.writeError(errContactFolderExists())
		return
	}
	f := &contactFolder{id: randomID("AAMkADcf"), user: userID, parent: parent.id, name: name}
	st.folders[f.id] = f
	st.touchFolder(f)
	raw := f.raw()
	st.mu.Unlock()
	c.writeEntity(http.StatusCreated, c.contactFoldersContext(userID)+"/$entity", raw)
}

func (s *Server) patchContactFolder(c *call) {
	userID, f, in, ok := s.contactStart(c, 1<<20)
	if !ok {
		return
	}
	st := &s.contacts
	st.mu.Lock()
	gerr := st.applyFolderPatch(f, in)
	if gerr == nil {
		st.touchFolder(f)
	}
	raw := f.raw()
	st.mu.Unlock()
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	c.writeEntity(http.StatusOK, c.contactFoldersContext(userID)+"/$entity", raw)
}

// applyFolderPatch renames or moves f as the body asks. Caller holds st.mu.
func (st *contactsState) applyFolderPatch(f *contactFolder, in map[string]any) *graphError {
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@"), k == "id":
		case k == "displayName":
			name, gerr := folderName(v)
			if gerr == nil && f.root {
				gerr = errorf(http.StatusBadRequest, "ErrorCannotRenameDefaultFolder", "The default contacts folder cannot be renamed.")
			}
			if gerr == nil && st.siblingNamed(f.user, f.parent, name, f.id) {
				gerr = errContactFolderExists()
			}
			if gerr != nil {
				return gerr
			}
			f.name = name
		case k == "parentFolderId":
			// A move (contactfolder-update.md lists parentFolderId as writable).
			dest := st.folder(f.user, str(v))
			if dest == nil {
				return errContactFolderNotFound()
			}
			if f.root {
				return errorf(http.StatusBadRequest, "ErrorMoveDistinguishedFolder", "Distinguished folders cannot be moved.")
			}
			for _, x := range st.subtree(f) {
				if x.id == dest.id {
					return errorf(http.StatusBadRequest, "ErrorMoveCopyFailed", "A folder cannot be moved into itself or one of its subfolders.")
				}
			}
			if st.siblingNamed(f.user, dest.id, f.name, f.id) {
				return errContactFolderExists()
			}
			f.parent = dest.id
		default:
			return errUnknownProperty(k, "microsoft.graph.contactFolder")
		}
	}
	return nil
}

func (s *Server) deleteContactFolder(c *call) {
	userID, f, _, ok := s.contactStart(c, 0)
	if !ok {
		return
	}
	st := &s.contacts
	st.mu.Lock()
	if f.root {
		st.mu.Unlock()
		c.writeError(errorf(http.StatusBadRequest, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted."))
		return
	}
	gone := map[string]bool{}
	for _, x := range st.subtree(f) {
		gone[x.id] = true
		delete(st.folders, x.id)
		st.folderGone(x)
	}
	coll := st.coll
	st.mu.Unlock()
	for _, e := range coll.view(userID, "") {
		if gone[str(e.doc["parentFolderId"])] {
			s.removeContact(e.id)
		}
	}
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

// ---- contacts

func (c *call) contactsContext(userID string, f *contactFolder) string {
	if f == nil || f.root {
		return c.base() + "/$metadata#users('" + userID + "')/contacts"
	}
	return c.base() + "/$metadata#users('" + userID + "')/contactFolders('" + f.id + "')/contacts"
}

func (s *Server) contactSpec(c *call, userID string, f *contactFolder) *listSpec {
	return &listSpec{
		coll:       s.contacts.collection(),
		part:       userID,
		group:      f.id,
		context:    c.contactsContext(userID, f),
		entityType: "microsoft.graph.contact",
		props:      contactProps,
		defaultTop: 10,
		maxTop:     1000,
		search:     []string{"displayName", "givenName", "surname", "companyName"},
	}
}

func (s *Server) listContacts(countOnly bool) func(c *call) {
	return func(c *call) {
		userID, f, _, ok := s.contactStart(c, 0)
		if !ok {
			return
		}
		s.contactSpec(c, userID, f).serveList(c, countOnly)
	}
}

// routeContact resolves {contact} inside the route's folder (any folder
// of the user for /contacts/{id}, as Graph accepts).
func (s *Server) routeContact(c *call) (string, *contactFolder, *entity, bool) {
	userID, f, _, ok := s.contactStart(c, 0)
	if !ok {
		return "", nil, nil, false
	}
	e, found := s.contacts.collection().get(c.params["contact"])
	if !found || e.part != userID || (c.params["contactFolder"] != "" && str(e.doc["parentFolderId"]) != f.id) {
		c.writeError(errItemNotFound())
		return "", nil, nil, false
	}
	return userID, f, e, true
}

// contactForWrite resolves the route's contact for a write, reads the JSON
// object body when limit > 0 and checks If-Match. On failure it has
// answered the request and reports false.
func (s *Server) contactForWrite(c *call, limit int64) (userID string, f *contactFolder, e *entity, in map[string]any, ok bool) {
	if userID, f, e, ok = s.routeContact(c); !ok {
		return "", nil, nil, nil, false
	}
	if limit > 0 {
		if in, ok = c.readObject(limit); !ok {
			return "", nil, nil, nil, false
		}
	}
	if !c.checkIfMatch(e) {
		return "", nil, nil, nil, false
	}
	return userID, f, e, in, true
}

func (s *Server) getContact(c *call) {
	userID, f, e, ok := s.routeContact(c)
	if !ok {
		return
	}
	s.contactSpec(c, userID, f).serveEntity(c, e, c.contactsContext(userID, f)+"/$entity")
}

// contactEntity builds the stored entity of a contact document with a
// new change key.
func contactEntity(userID string, doc map[string]any, now time.Time) *entity {
	ck := newChangeKey()
	doc["changeKey"] = ck
	doc["@odata.etag"] = `W/"` + ck + `"`
	doc["lastModifiedDateTime"] = now.UTC().Format("2006-01-02T15:04:05Z")
	if str(doc["displayName"]) == "" {
		doc["displayName"] = strings.TrimSpace(str(doc["givenName"]) + " " + str(doc["surname"]))
	}
	if str(doc["fileAs"]) == "" && str(doc["surname"]) != "" {
		doc["fileAs"] = strings.TrimSuffix(str(doc["surname"])+", "+str(doc["givenName"]), ", ")
	}
	return &entity{id: str(doc["id"]), part: userID, raw: encodeObject(doc, contactKeyOrder), doc: doc, etag: `W/"` + ck + `"`}
}

// newContactDoc is a contact document with Graph's defaults.
func newContactDoc(folderID string, now time.Time) map[string]any {
	doc := map[string]any{"id": randomID("AAMkADct"), "createdDateTime": now.UTC().Format("2006-01-02T15:04:05Z"),
		"parentFolderId": folderID, "categories": []any{}, "emailAddresses": []any{}, "imAddresses": []any{},
		"homePhones": []any{}, "businessPhones": []any{}, "children": []any{},
		"homeAddress": map[string]any{}, "businessAddress": map[string]any{}, "otherAddress": map[string]any{}}
	for _, k := range []string{"birthday", "fileAs", "displayName", "givenName", "initials", "middleName", "nickName", "surname",
		"title", "yomiGivenName", "yomiSurname", "yomiCompanyName", "generation", "jobTitle", "companyName", "department",
		"officeLocation", "profession", "businessHomePage", "assistantName", "manager", "mobilePhone", "spouseName", "personalNotes"} {
		doc[k] = nil
	}
	return doc
}

// applyContact validates a request body and applies it to doc.
func applyContact(doc, in map[string]any) *graphError {
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@"):
			continue
		case !contactProps[lower(k)]:
			return errUnknownProperty(k, "microsoft.graph.contact")
		case !contactWritable[lower(k)]:
			continue // read-only: ignored, as Graph does
		}
		switch k {
		case "emailAddresses":
			list, ok := v.([]any)
			if !ok && v != nil {
				return errBadRequest("emailAddresses must be an array.")
			}
			if len(list) > 3 {
				return errorf(http.StatusBadRequest, "ErrorInvalidArgument", "A contact can have at most 3 email addresses.")
			}
		case "birthday":
			if v != nil {
				if _, err := time.Parse(time.RFC3339, str(v)); err != nil {
					if _, err := time.Parse("2006-01-02", str(v)); err != nil {
						return errBadRequest("Cannot convert the literal '" + str(v) + "' to the expected type 'Edm.DateTimeOffset'.")
					}
				}
			}
		}
		if v == nil {
			switch k {
			case "categories", "emailAddresses", "imAddresses", "homePhones", "businessPhones", "children":
				v = []any{}
			case "homeAddress", "businessAddress", "otherAddress":
				v = map[string]any{}
			}
		}
		doc[k] = v
	}
	if b := str(doc["birthday"]); len(b) == 10 {
		doc["birthday"] = b + "T00:00:00Z"
	}
	return nil
}

func (s *Server) createContact(c *call) {
	userID, f, in, ok := s.contactStart(c, 4<<20)
	if !ok {
		return
	}
	doc := newContactDoc(f.id, c.now)
	if gerr := applyContact(doc, in); gerr != nil {
		c.writeError(gerr)
		return
	}
	e := contactEntity(userID, doc, c.now)
	s.contacts.collection().put(e)
	s.publishContact(userID, e.id, "created")
	c.w.Header().Set("ETag", e.etag)
	c.writeEntity(http.StatusCreated, c.contactsContext(userID, f)+"/$entity", e.raw)
}

func (s *Server) patchContact(c *call) {
	userID, f, e, in, ok := s.contactForWrite(c, 4<<20)
	if !ok {
		return
	}
	var doc map[string]any
	if err := json.Unmarshal(e.raw, &doc); err != nil {
		c.writeError(errorf(http.StatusInternalServerError, "generalException", "An internal server error occurred."))
		return
	}
	if gerr := applyContact(doc, in); gerr != nil {
		c.writeError(gerr)
		return
	}
	ne := contactEntity(userID, doc, c.now)
	s.contacts.collection().put(ne)
	s.publishContact(userID, ne.id, "updated")
	c.w.Header().Set("ETag", ne.etag)
	c.writeEntity(http.StatusOK, c.contactsContext(userID, f)+"/$entity", ne.raw)
}

// removeContact deletes a contact and its photo.
func (s *Server) removeContact(id string) {
	s.publishContactRemoved(id)
	st := &s.contacts
	st.mu.Lock()
	delete(st.photos, id)
	coll := st.coll
	st.mu.Unlock()
	coll.remove(id)
}

func (s *Server) deleteContact(c *call) {
	_, _, e, _, ok := s.contactForWrite(c, 0)
	if !ok {
		return
	}
	s.removeContact(e.id)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getContactPhoto(c *call) {
	_, _, e, ok := s.routeContact(c)
	if !ok {
		return
	}
	s.contacts.mu.Lock()
	p, found := s.contacts.photos[e.id]
	s.contacts.mu.Unlock()
	if !found {
		c.writeError(errorf(http.StatusNotFound, "ErrorItemNotFound", "The photo wasn't found."))
		return
	}
	c.setCommonHeaders()
	c.w.Header().Set("Content-Type", p.contentType)
	c.w.Header().Set("Content-Length", strconv.Itoa(len(p.data)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(p.data)
}

func (s *Server) putContactPhoto(c *call) {
	_, _, e, ok := s.routeContact(c)
	if !ok {
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, c.r.Body, 4<<20))
	if err != nil {
		c.writeError(errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The photo must be at most 4 MB."))
		return
	}
	ct := c.r.Header.Get("Content-Type")
	if len(data) == 0 || !strings.HasPrefix(ct, "image/") {
		c.writeError(errBadRequest("The photo must be a non-empty image with an image/* Content-Type."))
		return
	}
	s.contacts.mu.Lock()
	s.contacts.photos[e.id] = contactPhoto{data: data, contentType: ct}
	s.contacts.mu.Unlock()
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusOK)
}

func (s *Server) deleteContactPhoto(c *call) {
	_, _, e, ok := s.routeContact(c)
	if !ok {
		return
	}
	s.contacts.mu.Lock()
	delete(s.contacts.photos, e.id)
	s.contacts.mu.Unlock()
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}
