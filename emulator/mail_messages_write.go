package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Message writes: create (drafts), update, delete, move, copy
// (user-post-messages.md, message-update.md, message-delete.md,
// message-move.md, message-copy.md).
//
// Choices where the docs leave room:
//   - PATCH of a read-only property (id, createdDateTime, changeKey,
//     parentFolderId, ...) answers 400 ErrorInvalidPropertySet; POST
//     ignores read-only properties, as the documented create examples send
//     some. Unknown properties answer 400 RequestBodyRead in both.
//   - PATCH of a draft-only property (subject, body, recipients, from,
//     sender, replyTo, internetMessageId) on a message that is not a
//     draft answers 400 ErrorInvalidPropertyUpdateSentMessage.
//   - DELETE removes the message from the mailbox (Exchange keeps it in
//     the hidden Recoverable Items, which the emulator does not model);
//     permanentDelete does the same.
//   - A move gives the message a new id, unless the request asks for
//     Prefer: IdType="ImmutableId" (then the id stays and
//     Preference-Applied says so). A copy always has a new id.

// messageContext is the @odata.context of a single message.
func (c *call) messageContext(userID string) string {
	return c.base() + "/$metadata#users('" + userID + "')/messages/$entity"
}

// immutableIDs reports whether the request asks for immutable ids, and
// acknowledges it.
func (c *call) immutableIDs() bool {
	if strings.EqualFold(preference(c.r, "IdType"), "ImmutableId") {
		if !strings.Contains(c.w.Header().Get("Preference-Applied"), "IdType") {
			c.w.Header().Add("Preference-Applied", `IdType="ImmutableId"`)
		}
		return true
	}
	return false
}

// newMessageDoc is a new empty message (a draft) in a folder.
func newMessageDoc(folderID string, now time.Time) map[string]any {
	ts := now.UTC().Format("2006-01-02T15:04:05Z")
	var ci [22]byte
	_, _ = rand.Read(ci[:])
	ci[0] = 1
	var mid [12]byte
	_, _ = rand.Read(mid[:])
	return map[string]any{
		"id": randomID("AAMkA"), "createdDateTime": ts, "lastModifiedDateTime": ts, "categories": []any{},
		"receivedDateTime": ts, "sentDateTime": ts, "hasAttachments": false,
		"internetMessageId": "<" + strings.TrimRight(base64.RawURLEncoding.EncodeToString(mid[:]), "=") + "@EMULATOR.prod.outlook.com>",
		"subject":           "", "bodyPreview": "", "importance": "normal", "parentFolderId": folderID,
		"conversationId": randomID("AAQkA"), "conversationIndex": base64.StdEncoding.EncodeToString(ci[:]),
		"isDeliveryReceiptRequested": false, "isReadReceiptRequested": false, "isRead": true, "isDraft": true,
		"inferenceClassification": "focused", "body": map[string]any{"contentType": "text", "content": ""},
		"sender": nil, "from": nil, "toRecipients": []any{}, "ccRecipients": []any{}, "bccRecipients": []any{},
		"replyTo": []any{}, "flag": map[string]any{"flagStatus": "notFlagged"},
	}
}

// applyMessageProps applies the properties of a request body to doc.
// creating ignores read-only properties instead of rejecting them.
func applyMessageProps(doc, in map[string]any, creating bool) *graphError {
	draft := boolOf(doc["isDraft"])
	for k, v := range in {
		lk := lower(k)
		switch {
		case strings.HasPrefix(k, "@odata.") || strings.HasPrefix(k, "@"):
			continue
		case lk == "attachments" && creating:
			continue // handled by the caller
		case lk == "singlevalueextendedproperties" || lk == "multivalueextendedproperties":
			// Stored by id, served with $expand.
			list, ok := v.([]any)
			if !ok {
				return errBadRequest("The value of '" + k + "' must be a collection.")
			}
			name := "singleValueExtendedProperties"
			if lk[0] == 'm' {
				name = "multiValueExtendedProperties"
			}
			merged, _ := doc[name].([]any)
			for _, p := range list {
				pm, _ := p.(map[string]any)
				if str(pm["id"]) == "" {
					return errBadRequest("An extended property needs an id.")
				}
				merged = slices.DeleteFunc(slices.Clone(merged), func(x any) bool {
					xm, _ := x.(map[string]any)
					return strings.EqualFold(str(xm["id"]), str(pm["id"]))
				})
				merged = append(merged, pm)
			}
			doc[name] = merged
			continue
		case lk == "extensions":
			continue // accepted, not modelled
		case !messageProps[lk]:
			return errUnknownProperty(k, "microsoft.graph.message")
		case !messageWritable[lk]:
			if creating {
				continue
			}
			return errorf(http.StatusBadRequest, "ErrorInvalidPropertySet", "The property '"+k+"' is read-only and cannot be set.")
		case messageDraftOnly[lk] && !draft && !creating:
			return errorf(http.StatusBadRequest, "ErrorInvalidPropertyUpdateSentMessage",
				"Update operation failed because the property '"+k+"' can be updated only on draft messages.")
		}
		name := canonicalMessageProp(lk)
		switch name {
		case "toRecipients", "ccRecipients", "bccRecipients", "replyTo":
			if v == nil {
				v = []any{}
			}
			list, ok := v.([]any)
			if !ok {
				return errBadRequest("The value of '" + k + "' must be a collection of recipients.")
			}
			for _, r := range list {
				if _, a := addressOf(r); a == "" {
					return errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is not valid.")
				}
			}
		case "from", "sender":
			if v != nil {
				if _, a := addressOf(v); a == "" {
					return errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "The '"+k+"' recipient is not valid.")
				}
			}
		case "body":
			b, ok := v.(map[string]any)
			if !ok {
				return errBadRequest("The value of 'body' must be an itemBody.")
			}
			ct := lower(str(b["contentType"]))
			if ct == "" {
				ct = "text"
			}
			if ct != "text" && ct != "html" {
				return errBadRequest("Invalid body contentType '" + str(b["contentType"]) + "'.")
			}
			v = map[string]any{"contentType": ct, "content": str(b["content"])}
		case "importance":
			imp := lower(str(v))
			if imp != "low" && imp != "normal" && imp != "high" {
				return errBadRequest("Invalid importance '" + str(v) + "'.")
			}
			v = imp
		case "inferenceClassification":
			ic := lower(str(v))
			if ic != "focused" && ic != "other" {
				return errBadRequest("Invalid inferenceClassification '" + str(v) + "'.")
			}
			v = ic
		case "categories":
			list, ok := v.([]any)
			if !ok && v != nil {
				return errBadRequest("The value of 'categories' must be a collection of strings.")
			}
			if list == nil {
				list = []any{}
			}
			v = list
		case "isRead", "isDeliveryReceiptRequested", "isReadReceiptRequested":
			if _, ok := v.(bool); !ok {
				return errBadRequest("The value of '" + k + "' must be a boolean.")
			}
		case "flag":
			f, ok := v.(map[string]any)
			if !ok {
				return errBadRequest("The value of 'flag' must be a followupFlag.")
			}
			if st := str(f["flagStatus"]); st == "" {
				f["flagStatus"] = "notFlagged"
			}
		case "internetMessageHeaders":
			list, _ := v.([]any)
			for _, h := range list {
				hm, _ := h.(map[string]any)
				n := lower(str(hm["name"]))
				if !strings.HasPrefix(n, "x-") {
					return errorf(http.StatusBadRequest, "InvalidInternetMessageHeader",
						"The internet message header name '"+str(hm["name"])+"' should start with 'x-' or 'X-'.")
				}
			}
		}
		doc[name] = v
	}
	return nil
}

// canonicalMessageProp returns the Graph spelling of a message property.
func canonicalMessageProp(lk string) string {
	for _, k := range messageKeyOrder {
		if lower(k) == lk {
			return k
		}
	}
	if lk == "internetmessageheaders" {
		return "internetMessageHeaders"
	}
	return lk
}

// messageFromRequest reads a message from a request body: JSON, or a
// base64 MIME message when the Content-Type is text/plain.
func (s *Server) messageFromRequest(c *call, limit int64) (in map[string]any, atts []*attachment, gerr *graphError) {
	data, gerr := readBody(c, limit)
	if gerr != nil {
		return nil, nil, gerr
	}
	mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if mt == "text/plain" {
		m, err := parseMIMEBase64(data)
		if err != nil {
			return nil, nil, errorf(http.StatusBadRequest, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content: "+err.Error())
		}
		return m.doc, m.attachments, nil
	}
	in, gerr = decodeObject(data)
	if gerr != nil {
		return nil, nil, gerr
	}
	return in, nil, nil
}

// createMessage serves POST messages and mailFolders/{id}/messages: a
// draft (201 with the message).
func (s *Server) createMessage(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	folderKey := "drafts"
	if _, ok := c.params["folder"]; ok {
		folderKey = c.params["folder"]
	}
	s.mu.Lock()
	folder := mb.folderByKey(folderKey)
	s.mu.Unlock()
	if folder == nil {
		c.writeError(errItemNotFound())
		return
	}
	in, atts, gerr := s.messageFromRequest(c, 8<<20)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	doc := newMessageDoc(folder.id, c.now)
	if gerr := applyMessageProps(doc, in, true); gerr != nil {
		c.writeError(gerr)
		return
	}
	more, gerr := attachmentsFromJSON(in["attachments"], c.now)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	atts = append(atts, more...)
	e := s.storeNewMessage(mb, doc, atts, c.now)
	c.w.Header().Set("Location", c.base()+"/users('"+mb.userID+"')/messages('"+e.id+"')")
	c.writeEntity(http.StatusCreated, c.messageContext(mb.userID), bodyRewriteFor(c)(e.raw))
}

// bodyRewriteFor returns the body rewrite of the request (identity when none).
func bodyRewriteFor(c *call) func([]byte) []byte {
	if f := bodyRewrite(c); f != nil {
		return f
	}
	return func(b []byte) []byte { return b }
}

// storeNewMessage stores a new message with its attachments.
func (s *Server) storeNewMessage(mb *mailbox, doc map[string]any, atts []*attachment, now time.Time) *entity {
	s.resolveNames(doc)
	id := str(doc["id"])
	has := false
	for _, a := range atts {
		if !a.inline {
			has = true
		}
	}
	doc["hasAttachments"] = has
	s.mu.Lock()
	if mb.attachments == nil {
		mb.attachments = map[string][]*attachment{}
	}
	mb.attachments[id] = atts
	s.mu.Unlock()
	e := messageEntity(mb.userID, doc, now)
	s.store.messages.put(e)
	s.publishMessage(mb.userID, e.id, "created")
	return e
}

// routeMessage resolves {message} (inside {folder} when present) of the
// caller's mailbox; it writes the error itself.
func (s *Server) routeMessage(c *call) (*mailbox, *entity, bool) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return nil, nil, false
	}
	id := c.params["message"]
	e, ok := s.store.messages.get(id)
	if !ok || e.part != mb.userID {
		if !looksLikeOutlookID(id) {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidIdMalformed", "Id is malformed."))
			return nil, nil, false
		}
		c.writeError(errItemNotFound())
		return nil, nil, false
	}
	if key, ok := c.params["folder"]; ok {
		s.mu.Lock()
		f := mb.folderByKey(key)
		s.mu.Unlock()
		if f == nil || folderOf(e) != f.id {
			c.writeError(errItemNotFound())
			return nil, nil, false
		}
	}
	return mb, e, true
}

// patchMessage serves PATCH of a message (200 with the message).
func (s *Server) patchMessage(c *call) {
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return
	}
	if !c.checkIfMatch(e) {
		return
	}
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	doc := messageDoc(e)
	if gerr := applyMessageProps(doc, in, false); gerr != nil {
		c.writeError(gerr)
		return
	}
	s.resolveNames(doc)
	ne := messageEntity(mb.userID, doc, c.now)
	s.store.messages.put(ne)
	s.publishMessage(mb.userID, ne.id, "updated")
	c.w.Header().Set("ETag", ne.etag)
	c.writeEntity(http.StatusOK, c.messageContext(mb.userID), bodyRewriteFor(c)(ne.raw))
}

// removeMessage deletes a message and its attachments.
func (s *Server) removeMessage(mb *mailbox, id string) {
	s.publishMessage(mb.userID, id, "deleted")
	s.store.messages.remove(id)
	s.mu.Lock()
	delete(mb.attachments, id)
	s.mu.Unlock()
}

// deleteMessage serves DELETE and permanentDelete of a message (204).
func (s *Server) deleteMessage(c *call) {
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return
	}
	if !c.checkIfMatch(e) {
		return
	}
	s.removeMessage(mb, e.id)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusNoContent)
}

// copyMessage stores a copy of e in a folder, with a new id.
func (s *Server) copyMessage(mb *mailbox, e *entity, folderID string, now time.Time) *entity {
	atts := s.attachmentsOf(mb, e)
	doc := messageDoc(e)
	doc["id"] = randomID("AAMkA")
	doc["parentFolderId"] = folderID
	ts := now.UTC().Format("2006-01-02T15:04:05Z")
	doc["createdDateTime"] = ts
	cp := make([]*attachment, len(atts))
	for i, a := range atts {
		b := *a
		b.id = randomID("AAMkA")
		cp[i] = &b
	}
	s.mu.Lock()
	if mb.attachments == nil {
		mb.attachments = map[string][]*attachment{}
	}
	mb.attachments[str(doc["id"])] = cp
	s.mu.Unlock()
	ne := messageEntity(mb.userID, doc, now)
	s.store.messages.put(ne)
	s.publishMessage(mb.userID, ne.id, "created")
	return ne
}

// moveMessage moves e to a folder; the id changes unless immutable.
func (s *Server) moveMessage(mb *mailbox, e *entity, folderID string, immutable bool, now time.Time) *entity {
	if folderOf(e) == folderID {
		return e
	}
	atts := s.attachmentsOf(mb, e)
	doc := messageDoc(e)
	doc["parentFolderId"] = folderID
	if immutable {
		ne := messageEntity(mb.userID, doc, now)
		s.store.messages.replace(ne, folderOf(e))
		s.publishMessage(mb.userID, ne.id, "updated")
		return ne
	}
	doc["id"] = randomID("AAMkA")
	s.mu.Lock()
	if mb.attachments == nil {
		mb.attachments = map[string][]*attachment{}
	}
	mb.attachments[str(doc["id"])] = atts
	s.mu.Unlock()
	ne := messageEntity(mb.userID, doc, now)
	s.store.messages.put(ne)
	s.publishMessage(mb.userID, ne.id, "created")
	s.removeMessage(mb, e.id)
	return ne
}

// moveOrCopy serves POST .../move and .../copy of a message (201 with
// the message in its new folder).
func (s *Server) moveOrCopy(copying bool) func(c *call) {
	return func(c *call) {
		mb, e, ok := s.routeMessage(c)
		if !ok {
			return
		}
		if !c.checkIfMatch(e) {
			return
		}
		dest, ok := s.destination(c, mb)
		if !ok {
			return
		}
		immutable := c.immutableIDs()
		var ne *entity
		if copying {
			ne = s.copyMessage(mb, e, dest.id, c.now)
		} else {
			ne = s.moveMessage(mb, e, dest.id, immutable, c.now)
		}
		c.writeEntity(http.StatusCreated, c.messageContext(mb.userID), bodyRewriteFor(c)(ne.raw))
	}
}

// resolveNames fills in recipient names the request left out, as
// Exchange resolves them: the directory's display name for tenant users,
// else the address.
func (s *Server) resolveNames(doc map[string]any) {
	fix := func(v any) any {
		n, a := addressOf(v)
		if a == "" || n != "" {
			return v
		}
		if u, ok := s.userByAddress(a); ok {
			return recipient(u.DisplayName, a)
		}
		return recipient(a, a)
	}
	for _, k := range []string{"from", "sender"} {
		if v, ok := doc[k]; ok && v != nil {
			doc[k] = fix(v)
		}
	}
	for _, k := range []string{"toRecipients", "ccRecipients", "bccRecipients", "replyTo"} {
		list, _ := doc[k].([]any)
		out := make([]any, len(list))
		for i, r := range list {
			out[i] = fix(r)
		}
		if list != nil {
			doc[k] = out
		}
	}
}
