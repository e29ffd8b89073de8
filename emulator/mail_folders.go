package emulator

import (
	"bytes"
	"net/http"
	"strings"
)

// Mail folder writes: create, rename, delete, move, copy
// (mailfolder-post-childfolders.md, mailfolder-update.md,
// mailfolder-delete.md, mailfolder-move.md, mailfolder-copy.md).

// writeEntity writes an encoded entity with its @odata.context first.
func (c *call) writeEntity(status int, ctx string, raw []byte) {
	var b bytes.Buffer
	b.WriteString(`{"@odata.context":`)
	writeJSONString(&b, ctx)
	body := bytes.TrimPrefix(raw, []byte("{"))
	if len(body) > 1 {
		b.WriteByte(',')
	}
	b.Write(body)
	c.writeRaw(status, b.Bytes())
}

// routeFolder resolves the folder of the route: {child} when present,
// else {folder}. It writes the error itself.
func (s *Server) routeFolder(c *call, mb *mailbox) (*folderDoc, bool) {
	key := c.params["folder"]
	s.mu.Lock()
	f := mb.folderByKey(key)
	if f != nil && c.params["child"] != "" {
		child := mb.folderByKey(c.params["child"])
		if child == nil || child.parent != f.id {
			f = nil
		} else {
			f = child
		}
	}
	s.mu.Unlock()
	if f == nil {
		c.writeError(errItemNotFound())
		return nil, false
	}
	return f, true
}

// folderEntity returns the served entity of one folder, with counts.
func (s *Server) folderEntity(mb *mailbox, id string) *entity {
	for _, e := range s.folderEntitiesOf(mb, "*", true) {
		if e.id == id {
			return e
		}
	}
	return nil
}

func (s *Server) writeFolder(c *call, mb *mailbox, status int, id string) {
	e := s.folderEntity(mb, id)
	if e == nil {
		c.writeError(errItemNotFound())
		return
	}
	c.writeEntity(status, c.base()+"/$metadata#users('"+mb.userID+"')/mailFolders/$entity", e.raw)
}

func errFolderExists() *graphError {
	return errorf(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
}

// siblingNamed reports whether parent has a child named name other than
// except. Caller holds s.mu.
func (mb *mailbox) siblingNamed(parent, name, except string) bool {
	for _, f := range mb.folders {
		if f.parent == parent && f.id != except && strings.EqualFold(f.display, name) {
			return true
		}
	}
	return false
}

// touchFolder records a folder change for delta. Caller holds s.mu.
func (mb *mailbox) touchFolder(f *folderDoc) {
	mb.folderVersion++
	f.version = mb.folderVersion
}

// createFolder serves POST mailFolders and .../childFolders.
func (s *Server) createFolder(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	parent := mb.root
	if _, ok := c.params["folder"]; ok {
		f, ok := s.routeFolder(c, mb)
		if !ok {
			return
		}
		parent = f.id
	}
	doc, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for k := range doc {
		if !strings.HasPrefix(k, "@odata.") && !mailFolderProps[lower(k)] {
			c.writeError(errUnknownProperty(k, "microsoft.graph.mailFolder"))
			return
		}
	}
	name := strings.TrimSpace(str(doc["displayName"]))
	if name == "" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The displayName of a folder must not be empty."))
		return
	}
	s.mu.Lock()
	if mb.siblingNamed(parent, name, "") {
		s.mu.Unlock()
		c.writeError(errFolderExists())
		return
	}
	f := &folderDoc{id: randomID("AAMkA"), parent: parent, display: name, hidden: boolOf(doc["isHidden"])}
	mb.touchFolder(f)
	mb.folders = append(mb.folders, f)
	s.mu.Unlock()
	c.w.Header().Set("Location", c.base()+"/users('"+mb.userID+"')/mailFolders('"+f.id+"')")
	s.writeFolder(c, mb, http.StatusCreated, f.id)
}

// getFolderRoute serves GET of a folder or child folder.
func (s *Server) getFolderRoute(c *call) {
	if c.params["child"] == "" {
		s.getFolder(c)
		return
	}
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	f, ok := s.routeFolder(c, mb)
	if !ok {
		return
	}
	e := s.folderEntity(mb, f.id)
	if e == nil {
		c.writeError(errItemNotFound())
		return
	}
	s.folderSpec(c, mb, nil).serveEntity(c, e, c.base()+"/$metadata#users('"+mb.userID+"')/mailFolders/$entity")
}

// patchFolder serves PATCH of a folder: displayName (and isHidden).
func (s *Server) patchFolder(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	f, ok := s.routeFolder(c, mb)
	if !ok {
		return
	}
	doc, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for k := range doc {
		switch {
		case strings.HasPrefix(k, "@odata."):
		case k == "displayName" || k == "isHidden":
		case mailFolderProps[lower(k)]:
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidPropertySet", "The property '"+k+"' is read-only and cannot be set."))
			return
		default:
			c.writeError(errUnknownProperty(k, "microsoft.graph.mailFolder"))
			return
		}
	}
	s.mu.Lock()
	if v, ok := doc["displayName"]; ok {
		name := strings.TrimSpace(str(v))
		if name == "" {
			s.mu.Unlock()
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The displayName of a folder must not be empty."))
			return
		}
		if f.id == mb.root {
			s.mu.Unlock()
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The root folder cannot be renamed."))
			return
		}
		if mb.siblingNamed(f.parent, name, f.id) {
			s.mu.Unlock()
			c.writeError(errFolderExists())
			return
		}
		f.display = name
	}
	if v, ok := doc["isHidden"].(bool); ok {
		f.hidden = v
	}
	mb.touchFolder(f)
	s.mu.Unlock()
	s.writeFolder(c, mb, http.StatusOK, f.id)
}

// subtree returns f and its descendants. Caller holds s.mu.
func (mb *mailbox) subtree(id string) []*folderDoc {
	var out []*folderDoc
	var walk func(id string)
	walk = func(id string) {
		for _, f := range mb.folders {
			if f.id == id {
				out = append(out, f)
			}
		}
		for _, f := range mb.folders {
			if f.parent == id {
				walk(f.id)
			}
		}
	}
	walk(id)
	return out
}

// deleteFolder serves DELETE of a folder: the folder, its subfolders and
// their messages go. Distinguished folders cannot be deleted.
func (s *Server) deleteFolder(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	f, ok := s.routeFolder(c, mb)
	if !ok {
		return
	}
	if f.wellKnown != "" {
		c.writeError(errorf(http.StatusForbidden, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted."))
		return
	}
	s.mu.Lock()
	gone := mb.subtree(f.id)
	ids := map[string]bool{}
	for _, g := range gone {
		ids[g.id] = true
		mb.folderVersion++
		mb.folderTombs = append(mb.folderTombs, tombstone{id: g.id, part: mb.userID, version: mb.folderVersion})
	}
	kept := mb.folders[:0:0]
	for _, x := range mb.folders {
		if !ids[x.id] {
			kept = append(kept, x)
		}
	}
	mb.folders = kept
	s.mu.Unlock()
	for _, e := range s.store.messages.view(mb.userID, "") {
		if ids[folderOf(e)] {
			s.removeMessage(mb, e.id)
		}
	}
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

// destination reads {"destinationId": ...} and resolves the folder.
func (s *Server) destination(c *call, mb *mailbox) (*folderDoc, bool) {
	data, gerr := readBody(c, 1<<20)
	if gerr != nil {
		c.writeError(gerr)
		return nil, false
	}
	doc, gerr := decodeObject(data)
	if gerr != nil {
		c.writeError(gerr)
		return nil, false
	}
	dest := str(doc["destinationId"])
	if dest == "" {
		dest = str(doc["DestinationId"])
	}
	if dest == "" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The destinationId parameter is missing."))
		return nil, false
	}
	s.mu.Lock()
	f := mb.folderByKey(dest)
	s.mu.Unlock()
	if f == nil {
		c.writeError(errorf(http.StatusNotFound, "ErrorItemNotFound", "The destination folder was not found."))
		return nil, false
	}
	return f, true
}

// moveFolder serves POST .../move of a folder (201 with the folder).
func (s *Server) moveFolder(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	f, ok := s.routeFolder(c, mb)
	if !ok {
		return
	}
	dest, ok := s.destination(c, mb)
	if !ok {
		return
	}
	s.mu.Lock()
	for _, x := range mb.subtree(f.id) {
		if x.id == dest.id {
			s.mu.Unlock()
			c.writeError(errorf(http.StatusBadRequest, "ErrorMoveCopyFailed", "A folder cannot be moved into itself or one of its subfolders."))
			return
		}
	}
	if f.wellKnown != "" {
		s.mu.Unlock()
		c.writeError(errorf(http.StatusBadRequest, "ErrorMoveDistinguishedFolder", "Distinguished folders cannot be moved."))
		return
	}
	if mb.siblingNamed(dest.id, f.display, f.id) {
		s.mu.Unlock()
		c.writeError(errFolderExists())
		return
	}
	f.parent = dest.id
	mb.touchFolder(f)
	s.mu.Unlock()
	s.writeFolder(c, mb, http.StatusCreated, f.id)
}

// copyFolder serves POST .../copy of a folder: the subtree and its
// messages, with new ids (201 with the new folder).
func (s *Server) copyFolder(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	f, ok := s.routeFolder(c, mb)
	if !ok {
		return
	}
	dest, ok := s.destination(c, mb)
	if !ok {
		return
	}
	s.mu.Lock()
	tree := mb.subtree(f.id)
	for _, x := range tree {
		if x.id == dest.id {
			s.mu.Unlock()
			c.writeError(errorf(http.StatusBadRequest, "ErrorMoveCopyFailed", "A folder cannot be copied into itself or one of its subfolders."))
			return
		}
	}
	if mb.siblingNamed(dest.id, f.display, "") {
		s.mu.Unlock()
		c.writeError(errFolderExists())
		return
	}
	newIDs := map[string]string{}
	for _, x := range tree {
		newIDs[x.id] = randomID("AAMkA")
	}
	var rootCopy string
	for _, x := range tree {
		parent := newIDs[x.parent]
		if x.id == f.id {
			parent = dest.id
			rootCopy = newIDs[x.id]
		}
		n := &folderDoc{id: newIDs[x.id], parent: parent, display: x.display, hidden: x.hidden}
		mb.touchFolder(n)
		mb.folders = append(mb.folders, n)
	}
	s.mu.Unlock()
	for _, e := range s.store.messages.view(mb.userID, "") {
		if to, ok := newIDs[folderOf(e)]; ok {
			s.copyMessage(mb, e, to, c.now)
		}
	}
	s.writeFolder(c, mb, http.StatusCreated, rootCopy)
}
