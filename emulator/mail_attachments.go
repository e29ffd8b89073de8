package emulator

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Message attachments (message-list-attachments.md,
// message-post-attachments.md, attachment-get.md, attachment-delete.md)
// and Outlook's large-attachment upload sessions
// (attachment-createuploadsession.md, outlook-large-attachments.md).
//
// Limits: a POST .../attachments with a file of more than 3 MiB answers
// 413 RequestEntityTooLarge (Graph's requests are limited to 4 MB; the
// docs send 3 MB and more through an upload session); an upload session
// takes 3,000,000 bytes to 150 MiB and answers
// ErrorAttachmentSizeShouldNotBeLessThanMinimumSize (400) below.

const (
	maxPostAttachment    = 3 << 20
	minSessionAttachment = 3_000_000
	maxSessionAttachment = 150 << 20
	maxUploadChunk       = 60 << 20
	uploadSessionTTL     = 15 * time.Minute
)

// attachment is a stored attachment. Its bytes are shared, never
// modified: copies of a message share them.
type attachment struct {
	id, name, contentType, contentID, contentLocation string
	kind                                              string // "file", "item" or "reference"
	inline                                            bool
	size                                              int
	modified                                          time.Time
	data                                              []byte // file content
	item                                              map[string]any
	sourceURL                                         string
}

// attachmentsOf returns the attachments of a message, giving a seeded
// message with hasAttachments its attachment on first access.
func (s *Server) attachmentsOf(mb *mailbox, e *entity) []*attachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if list, ok := mb.attachments[e.id]; ok {
		return list
	}
	var list []*attachment
	if x, ok := e.idx.(*msgIndex); ok && x.hasAttachments {
		content := []byte("Quarterly figures, as discussed.\n")
		list = []*attachment{{
			id: outlookID("AAMkA", e.id, "att1"), name: "notes.txt", contentType: "text/plain", kind: "file",
			size: len(content) + 120, modified: time.Unix(x.received, 0).UTC(), data: content,
		}}
	}
	if mb.attachments == nil {
		mb.attachments = map[string][]*attachment{}
	}
	mb.attachments[e.id] = list
	return list
}

// doc is the Graph representation of an attachment; withContent
// includes a file's contentBytes and an item attachment's item.
func (a *attachment) doc(withContent bool) []kvPair {
	ts := a.modified.UTC().Format("2006-01-02T15:04:05Z")
	switch a.kind {
	case "item":
		out := []kvPair{{"@odata.type", "#microsoft.graph.itemAttachment"}, {"id", a.id}, {"lastModifiedDateTime", ts},
			{"name", a.name}, {"contentType", nil}, {"size", a.size}, {"isInline", a.inline}}
		if withContent && a.item != nil {
			out = append(out, kvPair{"item", a.item})
		}
		return out
	case "reference":
		return []kvPair{{"@odata.type", "#microsoft.graph.referenceAttachment"}, {"id", a.id}, {"lastModifiedDateTime", ts},
			{"name", a.name}, {"contentType", nullable(a.contentType)}, {"size", a.size}, {"isInline", a.inline}}
	}
	out := []kvPair{{"@odata.type", "#microsoft.graph.fileAttachment"}, {"@odata.mediaContentType", a.contentType},
		{"id", a.id}, {"lastModifiedDateTime", ts}, {"name", a.name}, {"contentType", a.contentType}, {"size", a.size},
		{"isInline", a.inline}, {"contentId", nullable(a.contentID)}, {"contentLocation", nullable(a.contentLocation)}}
	if withContent {
		out = append(out, kvPair{"contentBytes", base64.StdEncoding.EncodeToString(a.data)})
	}
	return out
}

func (a *attachment) encode(withContent bool) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range a.doc(withContent) {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, p.k)
		b.WriteByte(':')
		b.Write(encodeJSON(p.v))
	}
	b.WriteByte('}')
	return b.Bytes()
}

// attachmentFromJSON reads one attachment of a request.
func attachmentFromJSON(in map[string]any, now time.Time) (*attachment, *graphError) {
	typ := lower(strings.TrimPrefix(strings.TrimPrefix(str(in["@odata.type"]), "#"), "microsoft.graph."))
	a := &attachment{id: randomID("AAMkA"), name: str(in["name"]), contentType: str(in["contentType"]),
		contentID: str(in["contentId"]), contentLocation: str(in["contentLocation"]), inline: boolOf(in["isInline"]), modified: now}
	switch typ {
	case "fileattachment":
		a.kind = "file"
		raw := str(in["contentBytes"])
		if len(raw) > maxPostAttachment/3*4+8 {
			return nil, errAttachmentTooLarge()
		}
		data, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return nil, errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The contentBytes of the attachment is not valid base64.")
		}
		if len(data) > maxPostAttachment {
			return nil, errAttachmentTooLarge()
		}
		a.data = data
		a.size = len(data)
		if a.contentType == "" {
			a.contentType = contentTypeFor(a.name, data)
		}
	case "itemattachment":
		a.kind = "item"
		item, _ := in["item"].(map[string]any)
		if item == nil {
			return nil, errBadRequest("An itemAttachment needs an item.")
		}
		a.item = item
		a.size = len(encodeJSON(item)) + 512
	case "referenceattachment":
		a.kind = "reference"
		a.sourceURL = str(in["sourceUrl"])
	default:
		return nil, errBadRequest("The attachment's @odata.type must be #microsoft.graph.fileAttachment, itemAttachment or referenceAttachment.")
	}
	if a.name == "" {
		return nil, errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The attachment name must not be empty.")
	}
	return a, nil
}

func errAttachmentTooLarge() *graphError {
	return errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
		"The attachment is too large for a single request: attachments of 3 MB or more must be uploaded with an upload session (createUploadSession).")
}

// attachmentsFromJSON reads the "attachments" of a message in a request.
func attachmentsFromJSON(v any, now time.Time) ([]*attachment, *graphError) {
	list, _ := v.([]any)
	var out []*attachment
	for _, x := range list {
		m, _ := x.(map[string]any)
		if m == nil {
			return nil, errBadRequest("Invalid attachment.")
		}
		a, gerr := attachmentFromJSON(m, now)
		if gerr != nil {
			return nil, gerr
		}
		out = append(out, a)
	}
	return out, nil
}

// contentTypeFor guesses a MIME type from the name, else the content.
func contentTypeFor(name string, data []byte) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	t, _, _ := strings.Cut(http.DetectContentType(data), ";")
	return t
}

// updateAttachments changes a message's attachments atomically (edit
// gets the current list and returns the new one) and updates the
// message's hasAttachments and change key.
func (s *Server) updateAttachments(mb *mailbox, e *entity, now time.Time, edit func([]*attachment) []*attachment) {
	s.attachmentsOf(mb, e) // materialise a seeded message's attachment
	s.mu.Lock()
	atts := edit(mb.attachments[e.id])
	mb.attachments[e.id] = atts
	s.mu.Unlock()
	if cur, ok := s.store.messages.get(e.id); ok {
		e = cur
	}
	has := false
	for _, a := range atts {
		if !a.inline {
			has = true
		}
	}
	doc := messageDoc(e)
	doc["hasAttachments"] = has
	s.store.messages.put(messageEntity(mb.userID, doc, now))
	s.publishMessage(mb.userID, e.id, "updated")
}

func (c *call) attachmentsContext(userID, msgID string) string {
	return c.base() + "/$metadata#users('" + userID + "')/messages('" + msgID + "')/attachments"
}

// listAttachments serves GET .../attachments (and /$count).
func (s *Server) listAttachments(countOnly bool) func(c *call) {
	return func(c *call) {
		mb, e, ok := s.routeMessage(c)
		if !ok {
			return
		}
		atts := s.attachmentsOf(mb, e)
		if countOnly {
			c.writeText(http.StatusOK, strconv.Itoa(len(atts)))
			return
		}
		q := c.r.URL.Query()
		sel, _ := option(q, "select")
		var b bytes.Buffer
		b.WriteString(`{"@odata.context":`)
		writeJSONString(&b, c.attachmentsContext(mb.userID, e.id))
		b.WriteString(`,"value":[`)
		for i, a := range atts {
			if i > 0 {
				b.WriteByte(',')
			}
			if sel != "" {
				project(&b, a.encode(true), strings.Split(sel, ","), func(string) ([]byte, bool) { return nil, false }, nil)
			} else {
				b.Write(a.encode(true))
			}
		}
		b.WriteString("]}")
		c.writeRaw(http.StatusOK, b.Bytes())
	}
}

// routeAttachment resolves {attachment}; it writes the error itself.
func (s *Server) routeAttachment(c *call) (*mailbox, *entity, *attachment, bool) {
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return nil, nil, nil, false
	}
	for _, a := range s.attachmentsOf(mb, e) {
		if a.id == c.params["attachment"] {
			return mb, e, a, true
		}
	}
	c.writeError(errItemNotFound())
	return nil, nil, nil, false
}

// getAttachment serves GET .../attachments/{id}.
func (s *Server) getAttachment(c *call) {
	mb, e, a, ok := s.routeAttachment(c)
	if !ok {
		return
	}
	ex, _ := option(c.r.URL.Query(), "expand")
	withItem := strings.Contains(lower(ex), "item")
	raw := a.encode(a.kind != "item" || withItem)
	c.writeEntity(http.StatusOK, c.attachmentsContext(mb.userID, e.id)+"/$entity", raw)
}

// attachmentValue serves GET .../attachments/{id}/$value: the raw bytes
// of a file attachment, the MIME of an item attachment.
func (s *Server) attachmentValue(c *call) {
	_, _, a, ok := s.routeAttachment(c)
	if !ok {
		return
	}
	c.setCommonHeaders()
	h := c.w.Header()
	var body []byte
	switch a.kind {
	case "file":
		body = a.data
		h.Set("Content-Type", orDefault(a.contentType, "application/octet-stream"))
	case "item":
		body = mimeOfDoc(a.item, nil)
		h.Set("Content-Type", "message/rfc822")
	default:
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "A reference attachment has no content."))
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(body)
}

// addAttachment serves POST .../attachments (201 with the attachment).
func (s *Server) addAttachment(c *call) {
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return
	}
	if !c.checkIfMatch(e) {
		return
	}
	if n := c.r.ContentLength; n > 5<<20 {
		c.writeError(errAttachmentTooLarge())
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, c.r.Body, 5<<20))
	if err != nil {
		c.writeError(errAttachmentTooLarge())
		return
	}
	in, gerr := decodeObject(data)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	a, gerr := attachmentFromJSON(in, c.now)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.updateAttachments(mb, e, c.now, func(cur []*attachment) []*attachment {
		return append(append([]*attachment(nil), cur...), a)
	})
	c.w.Header().Set("Location", c.base()+"/users('"+mb.userID+"')/messages('"+e.id+"')/attachments('"+a.id+"')")
	c.writeEntity(http.StatusCreated, c.attachmentsContext(mb.userID, e.id)+"/$entity", a.encode(true))
}

// deleteAttachment serves DELETE .../attachments/{id} (204).
func (s *Server) deleteAttachment(c *call) {
	mb, e, a, ok := s.routeAttachment(c)
	if !ok {
		return
	}
	s.updateAttachments(mb, e, c.now, func(cur []*attachment) []*attachment {
		var atts []*attachment
		for _, x := range cur {
			if x != a {
				atts = append(atts, x)
			}
		}
		return atts
	})
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}
