package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/o365go/o365/emulator/internal/identity"
)

// Outlook large-attachment upload sessions, for messages and events alike
// (one mechanism: a session records its parent kind, and on completion
// finishUpload hands the attachment to that kind's store — mail state
// for messages, the calendar's attachment storage for events).
// createUploadSession answers
// Graph's camelCase uploadSession; the uploadUrl points at the emulator's
// stand-in for the Outlook REST host (/api/v2.0/...), which is not a
// Graph path and answers as Outlook does: 200 with PascalCase
// ExpirationDateTime/NextExpectedRanges (no dash) per chunk, 201 with a
// Location header and no body for the last one.
//
// The upload URL is pre-authenticated by its authtoken; a PUT that also
// sends an Authorization header is refused with 401 (the docs say not to
// send one), so clients prove they drop it. Chunks must come in order:
// one overlapping what was received answers 416 (invalidRange /
// fragmentOverlap), one leaving a gap 400 (fragmentOutOfOrder), a
// different total 400 (fragmentLengthMismatch). A chunk whose connection
// drops is not counted, so the client resumes from NextExpectedRanges.
// Sessions expire 15 minutes after the last chunk (Options.Now clock):
// then 404.

// mailState is the mail side's server-wide state.
type mailState struct {
	mu       sync.Mutex
	uploads  map[string]*uploadSession
	outbound []OutboundMessage
	// deltaEpoch invalidates every delta and skip token issued before
	// ExpireDeltaTokens.
	deltaEpoch uint64
	deltaPages map[string]*deltaPage
	pageOrder  []string
	// sendAs and sendOnBehalf are grants: mailbox id -> delegate id.
	sendAs       map[string]map[string]bool
	sendOnBehalf map[string]map[string]bool
}

func newMailState() *mailState {
	return &mailState{
		uploads:      map[string]*uploadSession{},
		deltaPages:   map[string]*deltaPage{},
		sendAs:       map[string]map[string]bool{},
		sendOnBehalf: map[string]map[string]bool{},
	}
}

// uploadSession is one attachment upload in progress.
type uploadSession struct {
	mu                           sync.Mutex // serialises the chunks
	id, token, userID            string
	parent                       uploadParent // what the attachment goes to
	parentID                     string
	clientID                     string
	name, contentType, contentID string
	inline                       bool
	size                         int64
	data                         []byte // allocated once, at the first chunk
	received                     int64
	expires                      time.Time
}

// uploadParent is the kind of item an upload session attaches to; its
// value is the Outlook REST segment of the upload and Location URLs.
type uploadParent string

const (
	uploadToMessage uploadParent = "Messages"
	uploadToEvent   uploadParent = "Events"
)

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// createUploadSession serves POST .../messages/{id}/attachments/createUploadSession.
func (s *Server) createUploadSession(c *call) {
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return
	}
	s.startUploadSession(c, mb.userID, uploadToMessage, e.id)
}

// createEventUploadSession serves POST .../events/{id}/attachments/createUploadSession.
func (s *Server) createEventUploadSession(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	s.startUploadSession(c, u.ID, uploadToEvent, e.id)
}

// startUploadSession reads the AttachmentItem and opens a session on the
// routed parent.
func (s *Server) startUploadSession(c *call, userID string, parent uploadParent, parentID string) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	var item map[string]any
	for k, v := range in {
		if strings.EqualFold(k, "AttachmentItem") {
			item, _ = v.(map[string]any)
		}
	}
	if item == nil {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The AttachmentItem parameter is missing."))
		return
	}
	get := func(name string) any {
		for k, v := range item {
			if strings.EqualFold(k, name) {
				return v
			}
		}
		return nil
	}
	if t := lower(str(get("attachmentType"))); t != "file" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "Only file attachments can be uploaded with an upload session (attachmentType 'file')."))
		return
	}
	name := str(get("name"))
	if name == "" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The attachment name must not be empty."))
		return
	}
	sizeF, _ := get("size").(float64)
	size := int64(sizeF)
	switch {
	case size < minSessionAttachment:
		c.writeError(errorf(http.StatusBadRequest, "ErrorAttachmentSizeShouldNotBeLessThanMinimumSize",
			"Attachment size must be greater than the minimum size."))
		return
	case size > maxSessionAttachment:
		c.writeError(errorf(http.StatusBadRequest, "ErrorMessageSizeExceeded", "The message exceeds the maximum supported size."))
		return
	}
	sess := &uploadSession{
		id: randomID("AAMkA"), token: randomToken(48), userID: userID, parent: parent, parentID: parentID, clientID: c.claims.ClientID,
		name: name, contentType: str(get("contentType")), contentID: str(get("contentId")), inline: boolOf(get("isInline")),
		size: size, expires: c.now.Add(uploadSessionTTL),
	}
	s.mail.mu.Lock()
	s.mail.uploads[sess.id] = sess
	s.mail.mu.Unlock()
	u := baseURL(c.r) + "/api/v2.0/Users('" + userID + "@" + s.tenant + "')/" + string(parent) + "('" + parentID + "')/AttachmentSessions('" +
		sess.id + "')?authtoken=" + sess.token
	c.writeValue(http.StatusCreated, map[string]any{
		"@odata.context":     c.base() + "/$metadata#microsoft.graph.uploadSession",
		"uploadUrl":          u,
		"expirationDateTime": sess.expires.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		"nextExpectedRanges": []string{"0-"},
	})
}

// isOutlookUpload reports whether a path is on the upload host.
func isOutlookUpload(p string) bool { return strings.HasPrefix(p, "/api/v2.0/") }

// sessionIDOf extracts the session id of an upload URL path.
func sessionIDOf(p string) string {
	const key = "AttachmentSessions('"
	i := strings.Index(p, key)
	if i < 0 {
		return ""
	}
	rest := p[i+len(key):]
	j := strings.Index(rest, "')")
	if j < 0 {
		return ""
	}
	return rest[:j]
}

func errUploadNotFound() *graphError {
	return errorf(http.StatusNotFound, "ErrorItemNotFound", "The upload session was not found or has expired.")
}

// uploadStatus is Outlook's PascalCase session state.
func (sess *uploadSession) status() map[string]any {
	return map[string]any{
		"@odata.context":     "https://outlook.office.com/api/v2.0/$metadata#Microsoft.OutlookServices.UploadSession",
		"ExpirationDateTime": sess.expires.UTC().Format("2006-01-02T15:04:05.0000000Z"),
		"NextExpectedRanges": []string{strconv.FormatInt(sess.received, 10)},
	}
}

// serveOutlookUpload serves PUT, GET and DELETE on an upload URL.
func (s *Server) serveOutlookUpload(w http.ResponseWriter, r *http.Request, entry *LoggedRequest) {
	c := &call{s: s, w: w, r: r, now: s.now(), version: "v1.0", requestID: newUUID(),
		clientRequestID: r.Header.Get("client-request-id"), entry: entry}
	if c.clientRequestID == "" {
		c.clientRequestID = newUUID()
	}
	sid := sessionIDOf(r.URL.Path)
	s.mail.mu.Lock()
	sess := s.mail.uploads[sid]
	if sess != nil && c.now.After(sess.expires) {
		delete(s.mail.uploads, sid)
		sess = nil
	}
	s.mail.mu.Unlock()
	if sess == nil {
		c.writeError(errUploadNotFound())
		return
	}
	if r.URL.Query().Get("authtoken") != sess.token {
		c.writeError(errorf(http.StatusUnauthorized, "InvalidAuthenticationToken", "The upload URL's authtoken is not valid."))
		return
	}
	if r.Header.Get("Authorization") != "" {
		c.writeError(errorf(http.StatusUnauthorized, "InvalidAuthenticationToken",
			"The upload URL is pre-authenticated: send the request without an Authorization header."))
		return
	}
	entry.ClientID = sess.clientID
	c.claims = &identity.Claims{ClientID: sess.clientID}
	release, gerr := s.throttl.acquire(c, sess.userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	defer release()
	switch r.Method {
	case http.MethodGet:
		sess.mu.Lock()
		st := sess.status()
		sess.mu.Unlock()
		c.writeValue(http.StatusOK, st)
	case http.MethodDelete:
		s.mail.mu.Lock()
		delete(s.mail.uploads, sid)
		s.mail.mu.Unlock()
		c.setCommonHeaders()
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		s.uploadChunk(c, sess)
	default:
		c.writeError(errMethodNotAllowed())
	}
}

func errRange(status int, inner, msg string) *graphError {
	e := errorf(status, "invalidRange", msg)
	e.inner = inner
	return e
}

// parseContentRange reads "bytes a-b/total".
func parseContentRange(h string) (first, last, total int64, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(h), "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	a, b, found2 := strings.Cut(rng, "-")
	if !found || !found2 {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	first, err1 = strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	last, err2 = strconv.ParseInt(strings.TrimSpace(b), 10, 64)
	total, err3 = strconv.ParseInt(strings.TrimSpace(tot), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || first < 0 || last < first || total <= 0 {
		return 0, 0, 0, false
	}
	return first, last, total, true
}

// uploadChunk stores one chunk and answers 200, or 201 for the last one.
func (s *Server) uploadChunk(c *call, sess *uploadSession) {
	first, last, total, ok := parseContentRange(c.r.Header.Get("Content-Range"))
	if !ok {
		c.writeError(errRange(http.StatusBadRequest, "invalidContentRange", "The Content-Range header is missing or malformed (want 'bytes first-last/total')."))
		return
	}
	n := last - first + 1
	if n > maxUploadChunk {
		c.writeError(errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "A chunk must be smaller than 60 MiB."))
		return
	}
	if c.r.ContentLength >= 0 && c.r.ContentLength != n {
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The Content-Length does not match the Content-Range."))
		return
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	switch {
	case total != sess.size:
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The total size in Content-Range does not match the size of the upload session."))
		return
	case last >= sess.size:
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The Content-Range goes beyond the size of the upload session."))
		return
	case first < sess.received:
		c.writeError(errRange(http.StatusRequestedRangeNotSatisfiable, "fragmentOverlap", "The uploaded fragment overlaps with data that has already been received."))
		return
	case first > sess.received:
		c.writeError(errRange(http.StatusBadRequest, "fragmentOutOfOrder", "The fragment does not start at the next expected byte ("+strconv.FormatInt(sess.received, 10)+")."))
		return
	}
	if sess.data == nil {
		sess.data = make([]byte, sess.size)
	}
	if _, err := io.ReadFull(c.r.Body, sess.data[first:last+1]); err != nil {
		// The connection broke (or the body was short): nothing of this
		// chunk counts.
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The request body is shorter than the Content-Range."))
		return
	}
	sess.received = last + 1
	sess.expires = c.now.Add(uploadSessionTTL)
	if sess.received < sess.size {
		c.writeValue(http.StatusOK, sess.status())
		return
	}
	// Complete.
	s.mail.mu.Lock()
	delete(s.mail.uploads, sess.id)
	s.mail.mu.Unlock()
	if sess.contentType == "" {
		sess.contentType = contentTypeFor(sess.name, sess.data[:min(len(sess.data), 512)])
	}
	attID, ok := s.finishUpload(sess, c.now)
	if !ok {
		c.writeError(errItemNotFound())
		return
	}
	c.setCommonHeaders()
	c.w.Header().Set("Location", "https://outlook.office.com/api/v2.0/Users('"+sess.userID+"@"+s.tenant+"')/"+string(sess.parent)+"('"+
		sess.parentID+"')/Attachments('"+attID+"')")
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusCreated)
}

// finishUpload hands a complete upload to its parent's attachment store
// and returns the new attachment's id; false if the parent is gone.
func (s *Server) finishUpload(sess *uploadSession, now time.Time) (string, bool) {
	if sess.parent == uploadToEvent {
		return s.attachUploadToEvent(sess, now)
	}
	mb := s.ensureMailbox(sess.userID)
	e, ok := s.store.messages.get(sess.parentID)
	if !ok || e.part != sess.userID {
		return "", false
	}
	// The bytes become the attachment without a copy.
	a := &attachment{id: randomID("AAMkA"), name: sess.name, contentType: sess.contentType, contentID: sess.contentID,
		kind: "file", inline: sess.inline, size: len(sess.data), modified: now, data: sess.data}
	s.updateAttachments(mb, e, now, func(cur []*attachment) []*attachment {
		return append(append([]*attachment(nil), cur...), a)
	})
	return a.id, true
}

// AttachmentBytes returns the content of a message's file attachment by
// name (the first match), for byte-for-byte checks in tests. The slice
// is the stored content: do not modify it.
func (s *Server) AttachmentBytes(upn, messageID, name string) ([]byte, bool) {
	u, ok := s.lookupUser(upn)
	if !ok {
		return nil, false
	}
	e, ok := s.store.messages.get(messageID)
	if !ok || e.part != u.ID {
		return nil, false
	}
	for _, a := range s.attachmentsOf(s.ensureMailbox(u.ID), e) {
		if a.name == name && a.kind == "file" {
			return a.data, true
		}
	}
	return nil, false
}
