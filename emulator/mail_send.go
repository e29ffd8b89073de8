package emulator

import (
	"fmt"
	"html"
	"mime"
	"net/http"
	"strings"
	"time"
)

// Sending (message-send.md, user-sendmail.md, message-reply*.md,
// message-forward.md, message-createreply*.md, message-createforward.md).
//
// A sent message is delivered to every recipient (to, cc, bcc) who is a
// user of the tenant, into their Inbox after their inbox rules, and may
// trigger their automatic reply; mail to other addresses is recorded as
// outbound ([Server.Outbound]). The sender keeps a copy in Sent Items
// (sendMail: unless saveToSentItems is false); a sent draft leaves
// Drafts.
//
// From and sender: the sending mailbox by default. A message whose from
// names another mailbox is sent as that mailbox when the caller holds
// send-as there ([Server.GrantSendAs]: from = sender = that mailbox), on
// its behalf with send-on-behalf ([Server.GrantSendOnBehalf]: from = that
// mailbox, sender = the caller), else 403 ErrorSendAsDenied. Sending from
// another user's mailbox (/users/{shared}/sendMail) with a delegated
// token needs Mail.Send.Shared, the mailbox grant and one of those
// rights.

// OutboundMessage is a message sent to an address outside the tenant.
type OutboundMessage struct {
	// From is the From address; Sender the Sender address when different.
	From, Sender string
	// To, Cc and Bcc are every recipient of the message; Outside the ones
	// the emulator could not deliver (not tenant users).
	To, Cc, Bcc, Outside []string
	Subject              string
	// BodyType is "text" or "html".
	BodyType, Body    string
	InternetMessageID string
	// Attachments are the names of the attachments.
	Attachments []string
	// AutoReply is set for automatic replies.
	AutoReply bool
	Time      time.Time
}

// Outbound returns the messages sent to addresses outside the tenant,
// oldest first.
func (s *Server) Outbound() []OutboundMessage {
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	return append([]OutboundMessage(nil), s.mail.outbound...)
}

// GrantSendAs lets delegate (UPN or id) send as mailbox: from and sender
// are the mailbox.
func (s *Server) GrantSendAs(mailbox, delegate string) error {
	return s.grantSend(s.mail.sendAs, mailbox, delegate)
}

// GrantSendOnBehalf lets delegate send on behalf of mailbox: from is the
// mailbox, sender the delegate.
func (s *Server) GrantSendOnBehalf(mailbox, delegate string) error {
	return s.grantSend(s.mail.sendOnBehalf, mailbox, delegate)
}

func (s *Server) grantSend(m map[string]map[string]bool, mailbox, delegate string) error {
	o, ok := s.lookupUser(mailbox)
	if !ok {
		return fmt.Errorf("emulator: no user %q", mailbox)
	}
	d, ok := s.lookupUser(delegate)
	if !ok {
		return fmt.Errorf("emulator: no user %q", delegate)
	}
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	if m[o.ID] == nil {
		m[o.ID] = map[string]bool{}
	}
	m[o.ID][d.ID] = true
	return nil
}

func (s *Server) hasSendGrant(m map[string]map[string]bool, mailboxID, delegateID string) bool {
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	return m[mailboxID][delegateID]
}

func errSendAsDenied() *graphError {
	return errorf(http.StatusForbidden, "ErrorSendAsDenied",
		"The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.")
}

// resolveSender sets from and sender of doc for a message sent from
// mailbox mb by the caller.
func (s *Server) resolveSender(c *call, mb *mailbox, doc map[string]any) *graphError {
	owner := s.ownerPerson(mb.userID)
	actor := mb.userID
	if !c.claims.AppOnly {
		actor = c.claims.ObjectID
	}
	_, fromAddr := addressOf(doc["from"])
	var fromName string
	target := mb.userID
	if fromAddr != "" && !strings.EqualFold(fromAddr, owner.addr) {
		u, ok := s.userByAddress(fromAddr)
		if !ok {
			return errSendAsDenied()
		}
		target = u.ID
		fromName = u.DisplayName
		fromAddr = u.Mail
	} else {
		fromName, fromAddr = owner.name, owner.addr
	}
	if target == actor {
		doc["from"] = recipient(fromName, fromAddr)
		doc["sender"] = recipient(fromName, fromAddr)
		return nil
	}
	switch {
	case s.hasSendGrant(s.mail.sendAs, target, actor):
		doc["from"] = recipient(fromName, fromAddr)
		doc["sender"] = recipient(fromName, fromAddr)
	case s.hasSendGrant(s.mail.sendOnBehalf, target, actor):
		a := s.ownerPerson(actor)
		doc["from"] = recipient(fromName, fromAddr)
		doc["sender"] = recipient(a.name, a.addr)
	case c.claims.AppOnly && target == mb.userID:
		doc["from"] = recipient(fromName, fromAddr)
		doc["sender"] = recipient(fromName, fromAddr)
	default:
		return errSendAsDenied()
	}
	return nil
}

// submit sends a message document: delivery, outbound record, Sent
// Items copy. doc must have from and sender set.
func (s *Server) submit(mb *mailbox, doc map[string]any, atts []*attachment, saveToSent bool, now time.Time, depth int) {
	ts := now.UTC().Format("2006-01-02T15:04:05Z")
	doc["sentDateTime"] = ts
	doc["isDraft"] = false
	var outside []string
	seen := map[string]bool{}
	for _, field := range []string{"toRecipients", "ccRecipients", "bccRecipients"} {
		for _, p := range recipientsOf(doc[field]) {
			la := lower(p.addr)
			if seen[la] {
				continue
			}
			seen[la] = true
			if u, ok := s.userByAddress(p.addr); ok {
				s.deliver(u, doc, atts, now, depth)
			} else {
				outside = append(outside, p.addr)
			}
		}
	}
	if len(outside) > 0 {
		s.recordOutbound(doc, atts, outside, now)
	}
	if saveToSent {
		s.mu.Lock()
		sent := mb.folderByKey("sentitems")
		s.mu.Unlock()
		cp := cloneDoc(doc)
		cp["id"] = randomID("AAMkA")
		cp["parentFolderId"] = sent.id
		cp["isRead"] = true
		cp["receivedDateTime"] = ts
		s.storeNewMessage(mb, cp, shareAttachments(atts), now)
	}
}

func addrs(ps []person) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.addr)
	}
	return out
}

func (s *Server) recordOutbound(doc map[string]any, atts []*attachment, outside []string, now time.Time) {
	_, from := addressOf(doc["from"])
	_, sender := addressOf(doc["sender"])
	if strings.EqualFold(sender, from) {
		sender = ""
	}
	body, _ := doc["body"].(map[string]any)
	m := OutboundMessage{From: from, Sender: sender, To: addrs(recipientsOf(doc["toRecipients"])),
		Cc: addrs(recipientsOf(doc["ccRecipients"])), Bcc: addrs(recipientsOf(doc["bccRecipients"])), Outside: outside,
		Subject: str(doc["subject"]), BodyType: str(body["contentType"]), Body: str(body["content"]),
		InternetMessageID: str(doc["internetMessageId"]), AutoReply: isAutoReply(doc), Time: now}
	for _, a := range atts {
		m.Attachments = append(m.Attachments, a.name)
	}
	s.mail.mu.Lock()
	s.mail.outbound = append(s.mail.outbound, m)
	s.mail.mu.Unlock()
}

// cloneDoc copies a document's top level (values are never modified in
// place, so sharing them is safe).
func cloneDoc(doc map[string]any) map[string]any {
	cp := make(map[string]any, len(doc))
	for k, v := range doc {
		cp[k] = v
	}
	return cp
}

// shareAttachments copies the attachment records (new ids) sharing bytes.
func shareAttachments(atts []*attachment) []*attachment {
	out := make([]*attachment, len(atts))
	for i, a := range atts {
		b := *a
		b.id = randomID("AAMkA")
		out[i] = &b
	}
	return out
}

func isAutoReply(doc map[string]any) bool {
	list, _ := doc["internetMessageHeaders"].([]any)
	for _, h := range list {
		hm, _ := h.(map[string]any)
		if strings.EqualFold(str(hm["name"]), "Auto-Submitted") && !strings.EqualFold(str(hm["value"]), "no") {
			return true
		}
	}
	return false
}

// deliver puts a copy of a sent message into a user's mailbox.
func (s *Server) deliver(u User, sent map[string]any, atts []*attachment, now time.Time, depth int) {
	mb := s.ensureMailbox(u.ID)
	s.mu.Lock()
	inbox := mb.folderByKey("inbox")
	s.mu.Unlock()
	doc := cloneDoc(sent)
	ts := now.UTC().Format("2006-01-02T15:04:05Z")
	doc["id"] = randomID("AAMkA")
	doc["parentFolderId"] = inbox.id
	doc["isRead"] = false
	doc["isDraft"] = false
	doc["receivedDateTime"] = ts
	doc["createdDateTime"] = ts
	doc["inferenceClassification"] = "focused"
	doc["flag"] = map[string]any{"flagStatus": "notFlagged"}
	doc["categories"] = []any{}
	doc["bccRecipients"] = []any{}
	doc["internetMessageHeaders"] = deliveredHeaders(sent, now)
	del := shareAttachments(atts)
	if depth < 3 && s.applyRules(mb, doc, del, now, depth) {
		return // deleted permanently by a rule
	}
	s.storeNewMessage(mb, doc, del, now)
	if depth < 3 && !isAutoReply(sent) {
		s.autoReply(u, mb, sent, now, depth)
	}
}

// deliveredHeaders are the internet message headers of a delivered copy.
func deliveredHeaders(doc map[string]any, now time.Time) []any {
	h := func(n, v string) any { return map[string]any{"name": n, "value": v} }
	out := []any{
		h("Received", "from EMULATOR.prod.outlook.com (2603:10b6:a03::1) by EMULATOR.prod.outlook.com with HTTPS; "+now.UTC().Format(time.RFC1123Z)),
		h("From", mimeAddress(doc["from"])),
	}
	if s := mimeAddress(doc["sender"]); s != "" && s != mimeAddress(doc["from"]) {
		out = append(out, h("Sender", s))
	}
	out = append(out, h("To", mimeAddressList(doc["toRecipients"])))
	if cc := mimeAddressList(doc["ccRecipients"]); cc != "" {
		out = append(out, h("CC", cc))
	}
	body, _ := doc["body"].(map[string]any)
	ct := "text/plain; charset=\"utf-8\""
	if str(body["contentType"]) == "html" {
		ct = "text/html; charset=\"utf-8\""
	}
	out = append(out,
		h("Subject", str(doc["subject"])),
		h("Date", now.UTC().Format(time.RFC1123Z)),
		h("Message-ID", str(doc["internetMessageId"])),
		h("Content-Type", ct),
		h("MIME-Version", "1.0"))
	if list, ok := doc["internetMessageHeaders"].([]any); ok {
		for _, x := range list {
			hm, _ := x.(map[string]any)
			if n := str(hm["name"]); strings.HasPrefix(lower(n), "x-") || strings.EqualFold(n, "Auto-Submitted") {
				out = append(out, x)
			}
		}
	}
	return out
}

// sendDraft serves POST .../send: the draft is sent (202).
func (s *Server) sendDraft(c *call) {
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return
	}
	if !c.checkIfMatch(e) {
		return
	}
	doc := messageDoc(e)
	if !boolOf(doc["isDraft"]) {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidOperation", "Only draft messages can be sent."))
		return
	}
	if len(recipientsOf(doc["toRecipients"]))+len(recipientsOf(doc["ccRecipients"]))+len(recipientsOf(doc["bccRecipients"])) == 0 {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients."))
		return
	}
	if gerr := s.resolveSender(c, mb, doc); gerr != nil {
		c.writeError(gerr)
		return
	}
	atts := s.attachmentsOf(mb, e)
	s.removeMessage(mb, e.id)
	s.submit(mb, doc, atts, true, c.now, 0)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusAccepted)
}

// sendMail serves POST /sendMail: JSON {"message", "saveToSentItems"} or
// a base64 MIME message (text/plain) (202).
func (s *Server) sendMail(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, atts, gerr := s.messageFromRequest(c, 48<<20)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	msg := in
	save := true
	if mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type")); mt != "text/plain" { // JSON form
		m, ok := anyKey(in, "message").(map[string]any)
		if !ok {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The message parameter is missing."))
			return
		}
		msg = m
		if v, ok := anyKey(in, "saveToSentItems").(bool); ok {
			save = v
		}
		more, gerr := attachmentsFromJSON(msg["attachments"], c.now)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		atts = more
	}
	s.mu.Lock()
	drafts := mb.folderByKey("drafts")
	s.mu.Unlock()
	doc := newMessageDoc(drafts.id, c.now)
	if gerr := applyMessageProps(doc, msg, true); gerr != nil {
		c.writeError(gerr)
		return
	}
	if len(recipientsOf(doc["toRecipients"]))+len(recipientsOf(doc["ccRecipients"]))+len(recipientsOf(doc["bccRecipients"])) == 0 {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients."))
		return
	}
	if gerr := s.resolveSender(c, mb, doc); gerr != nil {
		c.writeError(gerr)
		return
	}
	has := false
	for _, a := range atts {
		has = has || !a.inline
	}
	doc["hasAttachments"] = has
	s.submit(mb, doc, atts, save, c.now, 0)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusAccepted)
}

// anyKey returns in[name] matched case-insensitively.
func anyKey(in map[string]any, name string) any {
	if v, ok := in[name]; ok {
		return v
	}
	for k, v := range in {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// replyKind is createReply, createReplyAll or createForward.
type replyKind int

const (
	kindReply replyKind = iota
	kindReplyAll
	kindForward
)

// replyDraft builds the draft of a reply or forward of e.
func (s *Server) replyDraft(mb *mailbox, e *entity, kind replyKind, comment string, now time.Time) (map[string]any, []*attachment) {
	orig := messageDoc(e)
	s.mu.Lock()
	drafts := mb.folderByKey("drafts")
	s.mu.Unlock()
	doc := newMessageDoc(drafts.id, now)
	owner := s.ownerPerson(mb.userID)
	subj := str(orig["subject"])
	prefix := "RE: "
	if kind == kindForward {
		prefix = "FW: "
	}
	if !strings.HasPrefix(lower(subj), lower(prefix)) {
		subj = prefix + subj
	}
	doc["subject"] = subj
	doc["conversationId"] = orig["conversationId"]
	doc["from"] = recipient(owner.name, owner.addr)
	doc["sender"] = recipient(owner.name, owner.addr)
	if kind != kindForward {
		to := recipientsOf(orig["replyTo"])
		if len(to) == 0 {
			n, a := addressOf(orig["from"])
			to = []person{{n, a}}
		}
		var cc []person
		if kind == kindReplyAll {
			for _, p := range recipientsOf(orig["toRecipients"]) {
				if !strings.EqualFold(p.addr, owner.addr) && !containsAddr(to, p.addr) {
					to = append(to, p)
				}
			}
			for _, p := range recipientsOf(orig["ccRecipients"]) {
				if !strings.EqualFold(p.addr, owner.addr) && !containsAddr(to, p.addr) {
					cc = append(cc, p)
				}
			}
		}
		doc["toRecipients"] = recipientList(to)
		doc["ccRecipients"] = recipientList(cc)
	}
	// The body: the comment, then the original under a header block, as
	// Outlook quotes.
	ob, _ := orig["body"].(map[string]any)
	fromName, fromAddr := addressOf(orig["from"])
	var to []string
	for _, p := range recipientsOf(orig["toRecipients"]) {
		to = append(to, p.name)
	}
	sent := str(orig["sentDateTime"])
	if t, err := time.Parse(time.RFC3339, sent); err == nil {
		sent = t.Format("Monday, January 2, 2006 3:04 PM")
	}
	origHTML := str(ob["content"])
	if str(ob["contentType"]) != "html" {
		origHTML = "<pre>" + html.EscapeString(origHTML) + "</pre>"
	} else if i := strings.Index(lower(origHTML), "<body"); i >= 0 {
		if j := strings.IndexByte(origHTML[i:], '>'); j >= 0 {
			origHTML = origHTML[i+j+1:]
		}
		origHTML = strings.Split(strings.Split(origHTML, "</body>")[0], "</BODY>")[0]
	}
	body := "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div>" +
		html.EscapeString(comment) + "</div><hr style=\"display:inline-block;width:98%\" tabindex=\"-1\"><div id=\"divRplyFwdMsg\" dir=\"ltr\">" +
		"<b>From:</b> " + html.EscapeString(fromName+" <"+fromAddr+">") + "<br><b>Sent:</b> " + html.EscapeString(sent) +
		"<br><b>To:</b> " + html.EscapeString(strings.Join(to, "; ")) + "<br><b>Subject:</b> " + html.EscapeString(str(orig["subject"])) +
		"</div><div>" + origHTML + "</div></body></html>"
	doc["body"] = map[string]any{"contentType": "html", "content": body}
	var atts []*attachment
	if kind == kindForward {
		atts = shareAttachments(s.attachmentsOf(mb, e))
	}
	return doc, atts
}

func containsAddr(ps []person, addr string) bool {
	for _, p := range ps {
		if strings.EqualFold(p.addr, addr) {
			return true
		}
	}
	return false
}

// replyAction serves createReply/createReplyAll/createForward (send
// false: 201 with the draft) and reply/replyAll/forward (send true: 202).
// The body is {"comment", "message"?, "toRecipients"?} or a base64 MIME
// message.
func (s *Server) replyAction(kind replyKind, send bool) func(c *call) {
	return func(c *call) {
		mb, e, ok := s.routeMessage(c)
		if !ok {
			return
		}
		var in map[string]any
		var mimeAtts []*attachment
		if c.r.ContentLength != 0 {
			var gerr *graphError
			in, mimeAtts, gerr = s.messageFromRequest(c, 8<<20)
			if gerr != nil {
				c.writeError(gerr)
				return
			}
		}
		if in == nil {
			in = map[string]any{}
		}
		isMIME := mimeAtts != nil || strings.HasPrefix(lower(c.r.Header.Get("Content-Type")), "text/plain")
		doc, atts := s.replyDraft(mb, e, kind, str(anyKey(in, "comment")), c.now)
		if isMIME {
			if gerr := applyMessageProps(doc, in, true); gerr != nil {
				c.writeError(gerr)
				return
			}
			atts = append(atts, mimeAtts...)
		} else {
			if msg, ok := anyKey(in, "message").(map[string]any); ok {
				if gerr := applyMessageProps(doc, msg, true); gerr != nil {
					c.writeError(gerr)
					return
				}
				more, gerr := attachmentsFromJSON(msg["attachments"], c.now)
				if gerr != nil {
					c.writeError(gerr)
					return
				}
				atts = append(atts, more...)
			}
			if to, ok := anyKey(in, "toRecipients").([]any); ok {
				if gerr := applyMessageProps(doc, map[string]any{"toRecipients": to}, true); gerr != nil {
					c.writeError(gerr)
					return
				}
			}
		}
		if !send {
			ne := s.storeNewMessage(mb, doc, atts, c.now)
			c.writeEntity(http.StatusCreated, c.messageContext(mb.userID), bodyRewriteFor(c)(ne.raw))
			return
		}
		if len(recipientsOf(doc["toRecipients"]))+len(recipientsOf(doc["ccRecipients"]))+len(recipientsOf(doc["bccRecipients"])) == 0 {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient isn't valid., A message can't be sent because it contains no recipients."))
			return
		}
		if gerr := s.resolveSender(c, mb, doc); gerr != nil {
			c.writeError(gerr)
			return
		}
		has := false
		for _, a := range atts {
			has = has || !a.inline
		}
		doc["hasAttachments"] = has
		s.submit(mb, doc, atts, true, c.now, 0)
		c.setCommonHeaders()
		c.w.WriteHeader(http.StatusAccepted)
	}
}
