package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/o365go/o365/emulator/internal/query"
)

// messageProps are the properties of microsoft.graph.message (v1.0,
// including outlookItem and entity), lower case.
var messageProps = setOf("id categories changeKey createdDateTime lastModifiedDateTime bccRecipients body bodyPreview ccRecipients conversationId conversationIndex flag from hasAttachments importance inferenceClassification internetMessageHeaders internetMessageId isDeliveryReceiptRequested isDraft isRead isReadReceiptRequested parentFolderId receivedDateTime replyTo sender sentDateTime subject toRecipients uniqueBody webLink")

// mailFolderProps are the properties of microsoft.graph.mailFolder.
var mailFolderProps = setOf("id childFolderCount displayName isHidden parentFolderId totalItemCount unreadItemCount")

// messageIndexed are the message properties kept decoded in msgIndex.
var messageIndexed = []string{"id", "receivedDateTime", "sentDateTime", "createdDateTime", "lastModifiedDateTime",
	"subject", "isRead", "isDraft", "importance", "hasAttachments", "categories", "parentFolderId",
	"conversationId", "inferenceClassification", "from", "sender"}

// msgIndex is the compact decoded index of a stored message.
type msgIndex struct {
	received, sent, created, modified int64 // Unix seconds
	subject                           string
	fromName, fromAddr                string
	categories                        []string
	folder, conversation              string
	importance                        string
	inference                         string
	isRead, isDraft, hasAttachments   bool
	id                                string
}

func isoSeconds(sec int64) string { return time.Unix(sec, 0).UTC().Format("2006-01-02T15:04:05Z") }

func (x *msgIndex) fields() map[string]any {
	cats := make([]any, len(x.categories))
	for i, c := range x.categories {
		cats[i] = c
	}
	from := map[string]any{"emailAddress": map[string]any{"name": x.fromName, "address": x.fromAddr}}
	return map[string]any{
		"id":                      x.id,
		"receivedDateTime":        isoSeconds(x.received),
		"sentDateTime":            isoSeconds(x.sent),
		"createdDateTime":         isoSeconds(x.created),
		"lastModifiedDateTime":    isoSeconds(x.modified),
		"subject":                 x.subject,
		"isRead":                  x.isRead,
		"isDraft":                 x.isDraft,
		"importance":              x.importance,
		"hasAttachments":          x.hasAttachments,
		"categories":              cats,
		"parentFolderId":          x.folder,
		"conversationId":          x.conversation,
		"inferenceClassification": x.inference,
		"from":                    from,
		"sender":                  from,
	}
}

func newMessageCollection() *collection {
	c := newCollection("messages", lessMessages, messageIndexed...)
	c.groupOf = func(e *entity) string {
		if x, ok := e.idx.(*msgIndex); ok {
			return x.folder
		}
		return ""
	}
	return c
}

// lessMessages is the default message order: newest received first.
func lessMessages(a, b *entity) int {
	ai, _ := a.idx.(*msgIndex)
	bi, _ := b.idx.(*msgIndex)
	if ai == nil || bi == nil {
		return strings.Compare(a.id, b.id)
	}
	switch {
	case ai.received > bi.received:
		return -1
	case ai.received < bi.received:
		return 1
	}
	return strings.Compare(a.id, b.id)
}

// wellKnownFolders are the default top-level folders of a mailbox, in the
// order Graph lists them (by display name).
var wellKnownFolders = []struct{ name, display string }{
	{"archive", "Archive"},
	{"conversationhistory", "Conversation History"},
	{"deleteditems", "Deleted Items"},
	{"drafts", "Drafts"},
	{"inbox", "Inbox"},
	{"junkemail", "Junk Email"},
	{"outbox", "Outbox"},
	{"sentitems", "Sent Items"},
}

// hiddenWellKnownFolders exist in every mailbox but are hidden from
// listings (Graph shows them with includeHiddenFolders=true); parent ""
// means the root.
var hiddenWellKnownFolders = []struct{ name, display, parent string }{
	{"clutter", "Clutter", ""},
	{"scheduled", "Scheduled", ""},
	{"searchfolders", "Finder", ""},
	{"syncissues", "Sync Issues", ""},
	{"conflicts", "Conflicts", "syncissues"},
	{"localfailures", "Local Failures", "syncissues"},
	{"serverfailures", "Server Failures", "syncissues"},
	{"recoverableitemsdeletions", "Deletions", ""},
}

// folderDoc is a stored mail folder; counts are computed when served.
// Fields are guarded by Server.mu.
type folderDoc struct {
	id, parent, display, wellKnown string
	hidden                         bool
	// version is the mailbox's folder version of the last change, for
	// folder delta.
	version uint64
}

// mailbox is the per-user Outlook state. Fields are guarded by Server.mu.
type mailbox struct {
	userID  string
	root    string
	folders []*folderDoc // top-level and child folders
	seq     uint64       // message counter, for ids

	folderVersion uint64      // bumped by every folder change
	folderTombs   []tombstone // deleted folders, for delta
	// attachments by message id; a present key with no items means the
	// message has none (seeded messages get theirs on first access).
	attachments map[string][]*attachment
	settings    map[string]any // mailboxSettings, decoded
	rules       []map[string]any
	// autoReplied are the senders already answered by the automatic
	// reply, as Exchange answers each sender once.
	autoReplied map[string]bool
}

// outlookID derives an Outlook-looking id (URL-safe base64, as Graph's
// ids are) from a prefix and names.
func outlookID(prefix string, parts ...string) string {
	h := sha256.Sum256([]byte(prefix + "\x00" + strings.Join(parts, "\x00")))
	return prefix + base64.URLEncoding.EncodeToString(h[:30])
}

// ensureMailbox creates a user's mailbox with its default folders.
func (s *Server) ensureMailbox(userID string) *mailbox {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mailboxes == nil {
		s.mailboxes = map[string]*mailbox{}
	}
	if mb, ok := s.mailboxes[userID]; ok {
		return mb
	}
	mb := &mailbox{userID: userID, root: outlookID("AQMkA", userID, "msgfolderroot")}
	for _, f := range wellKnownFolders {
		mb.folders = append(mb.folders, &folderDoc{id: outlookID("AQMkA", userID, f.name), parent: mb.root, display: f.display, wellKnown: f.name})
	}
	for _, f := range hiddenWellKnownFolders {
		parent := mb.root
		if f.parent != "" {
			parent = outlookID("AQMkA", userID, f.parent)
		}
		mb.folders = append(mb.folders, &folderDoc{id: outlookID("AQMkA", userID, f.name), parent: parent, display: f.display, wellKnown: f.name, hidden: true})
	}
	s.mailboxes[userID] = mb
	return mb
}

// folderByKey resolves a folder id or well-known name.
func (mb *mailbox) folderByKey(key string) *folderDoc {
	lk := lower(key)
	if lk == "msgfolderroot" || key == mb.root {
		return &folderDoc{id: mb.root, display: "Top of Information Store", wellKnown: "msgfolderroot"}
	}
	for _, f := range mb.folders {
		if f.id == key || f.wellKnown == lk {
			return f
		}
	}
	return nil
}

// mailboxFor resolves the {user} of an Outlook route and checks the
// caller may read that mailbox.
func (s *Server) mailboxFor(c *call) (*mailbox, *graphError) {
	key := c.params["user"]
	u, ok := s.lookupUser(key)
	if !ok {
		if !c.claims.AppOnly {
			return nil, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
		return nil, errorf(http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+key+"' is invalid.")
	}
	if !c.claims.AppOnly && u.ID != c.claims.ObjectID {
		shared := permMailReadShared
		if c.perm != nil {
			shared = c.perm.shared
		}
		if shared == nil || !c.has(shared) || !s.mailboxGranted(u.ID, c.claims.ObjectID) {
			return nil, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
	}
	return s.ensureMailbox(u.ID), nil
}

func errItemNotFound() *graphError {
	return errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

// messageSpec is the listing of a mailbox's messages (in one folder when
// folder is not nil).
func (s *Server) messageSpec(c *call, mb *mailbox, folder *folderDoc) *listSpec {
	ctx := c.base() + "/$metadata#users('" + mb.userID + "')/messages"
	group := ""
	if folder != nil {
		ctx = c.base() + "/$metadata#users('" + mb.userID + "')/mailFolders('" + folder.id + "')/messages"
		group = folder.id
	}
	return &listSpec{
		coll:       s.store.messages,
		part:       mb.userID,
		group:      group,
		context:    ctx,
		entityType: "microsoft.graph.message",
		props:      messageProps,
		defaultTop: 10,
		maxTop:     1000,
		search:     []string{"subject", "body/content", "from/emailAddress/name", "from/emailAddress/address"},
		extra:      messageExtra,
		expand:     s.expandMessage,
		expandable: setOf("attachments extensions singleValueExtendedProperties multiValueExtendedProperties"),
		check:      checkOutlookQuery,
		rewrite:    bodyRewrite(c),
	}
}

// bodyRewrite applies Prefer: outlook.body-content-type="text" (and
// acknowledges IdType="ImmutableId": ids then survive moves).
func bodyRewrite(c *call) func([]byte) []byte {
	if strings.EqualFold(preference(c.r, "IdType"), "ImmutableId") && !strings.Contains(c.w.Header().Get("Preference-Applied"), "IdType") {
		c.w.Header().Add("Preference-Applied", `IdType="ImmutableId"`)
	}
	switch lower(preference(c.r, "outlook.body-content-type")) {
	case "text":
		c.w.Header().Add("Preference-Applied", `outlook.body-content-type="text"`)
		return textBodies
	case "html":
		c.w.Header().Add("Preference-Applied", `outlook.body-content-type="html"`)
	}
	return nil
}

// textBodies converts the HTML body and uniqueBody of an encoded message
// to text, as Outlook does for outlook.body-content-type="text".
func textBodies(src []byte) []byte {
	var out bytes.Buffer
	out.WriteByte('{')
	n := 0
	eachMember(src, func(k string, v []byte) bool {
		if n > 0 {
			out.WriteByte(',')
		}
		n++
		writeJSONString(&out, k)
		out.WriteByte(':')
		if k == "body" || k == "uniqueBody" {
			var b struct {
				ContentType string `json:"contentType"`
				Content     string `json:"content"`
			}
			if json.Unmarshal(v, &b) == nil && b.ContentType == "html" {
				out.WriteString(`{"contentType":"text","content":`)
				writeJSONString(&out, htmlToText(b.Content))
				out.WriteByte('}')
				return true
			}
		}
		out.Write(v)
		return true
	})
	out.WriteByte('}')
	return out.Bytes()
}

// htmlToText is a small HTML to text conversion: tags dropped, block ends
// and <br> as line breaks, the common entities decoded, the head skipped.
func htmlToText(h string) string {
	if i := strings.Index(lower(h), "<body"); i >= 0 {
		h = h[i:]
	}
	var b strings.Builder
	for len(h) > 0 {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			b.WriteString(strings.NewReplacer("\r", "", "\n", "").Replace(h))
			break
		}
		b.WriteString(strings.NewReplacer("\r", "", "\n", "").Replace(h[:i]))
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break
		}
		tag := lower(strings.Fields(h[i+1:i+j] + " ")[0])
		switch tag {
		case "br", "br/", "/div", "/p", "/li", "/tr":
			b.WriteString("\r\n")
		}
		h = h[i+j+1:]
	}
	text := strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&").Replace(b.String())
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimSpace(l)
		if l != "" || len(lines) > 0 && lines[len(lines)-1] != "" {
			lines = append(lines, l)
		}
	}
	return strings.TrimSpace(strings.Join(lines, "\r\n"))
}

// checkOutlookQuery rejects what Exchange rejects: with both $filter and
// $orderby, the ordered properties must come first in the filter, in the
// same order ("InefficientFilter"); $search cannot be sorted.
func checkOutlookQuery(q *listQuery) *graphError {
	if q.search != nil && len(q.orderBy) > 0 {
		return errorf(http.StatusBadRequest, "ErrorInvalidUrlQuery", "The query parameter 'OrderBy' is invalid.")
	}
	if q.filter == nil || len(q.orderBy) == 0 {
		return nil
	}
	refs := referencedNames(q.filterSrc)
	for i, k := range q.orderBy {
		if i >= len(refs) || !strings.EqualFold(refs[i], strings.Join(k.Path, "/")) && !strings.EqualFold(refs[i], k.Path[0]) {
			return errorf(http.StatusBadRequest, "InefficientFilter", "The restriction or sort order is too complex for this operation.")
		}
	}
	return nil
}

// messageExtra supplies the properties Graph returns only on $select.
func messageExtra(e *entity, src []byte, name string) ([]byte, bool) {
	switch lower(name) {
	case "uniquebody":
		var v []byte
		eachMember(src, func(k string, val []byte) bool {
			if k == "body" {
				v = val
				return false
			}
			return true
		})
		return v, v != nil
	case "internetmessageheaders":
		var doc struct {
			Subject           string `json:"subject"`
			InternetMessageID string `json:"internetMessageId"`
			SentDateTime      string `json:"sentDateTime"`
			From              struct {
				EmailAddress struct{ Name, Address string } `json:"emailAddress"`
			} `json:"from"`
			ToRecipients []struct {
				EmailAddress struct{ Name, Address string } `json:"emailAddress"`
			} `json:"toRecipients"`
		}
		_ = json.Unmarshal(e.raw, &doc)
		date := doc.SentDateTime
		if t, err := time.Parse(time.RFC3339, doc.SentDateTime); err == nil {
			date = t.Format(time.RFC1123Z)
		}
		var to []string
		for _, r := range doc.ToRecipients {
			to = append(to, r.EmailAddress.Name+" <"+r.EmailAddress.Address+">")
		}
		type h struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		}
		hs := []h{
			{"Received", "from EMULATOR.prod.outlook.com (2603:10b6:a03::1) by EMULATOR.prod.outlook.com with HTTPS; " + date},
			{"From", doc.From.EmailAddress.Name + " <" + doc.From.EmailAddress.Address + ">"},
			{"To", strings.Join(to, ", ")},
			{"Subject", doc.Subject},
			{"Date", date},
			{"Message-ID", doc.InternetMessageID},
			{"Content-Type", "text/html; charset=\"utf-8\""},
			{"MIME-Version", "1.0"},
		}
		b, _ := json.Marshal(hs)
		return b, true
	}
	return nil, false
}

// expandMessage serves $expand on messages.
func (s *Server) expandMessage(c *call, e *entity, it query.ExpandItem) ([]byte, *graphError) {
	switch lower(it.Name) {
	case "attachments":
		atts := s.attachmentsOf(s.ensureMailbox(e.part), e)
		items := make([][]byte, 0, len(atts))
		for _, a := range atts {
			items = append(items, a.encode(true))
		}
		return joinArray(items), nil
	case "singlevalueextendedproperties", "multivalueextendedproperties":
		name := "singleValueExtendedProperties"
		if lower(it.Name)[0] == 'm' {
			name = "multiValueExtendedProperties"
		}
		list, _ := messageDoc(e)[name].([]any)
		var items [][]byte
		for _, p := range list {
			pm, _ := p.(map[string]any)
			if ok, err := it.Filter.Match(pm); err != nil || !ok {
				continue
			}
			items = append(items, encodeJSON(pm))
		}
		return joinArray(items), nil
	default:
		return []byte("[]"), nil
	}
}

// registerMessages adds the Outlook mail routes.
func (s *Server) registerMessages(rt *router) {
	rt.add(http.MethodGet, "users/{user}/messages", permMailRead, true, func(c *call) { s.listMessages(c, false, false) })
	rt.add(http.MethodGet, "users/{user}/messages/$count", permMailRead, true, func(c *call) { s.listMessages(c, false, true) })
	rt.add(http.MethodGet, "users/{user}/messages/{message}", permMailRead, true, s.getMessage)
	rt.add(http.MethodGet, "users/{user}/mailFolders", permMailRead, true, func(c *call) { s.listFolders(c, false) })
	rt.add(http.MethodGet, "users/{user}/mailFolders/$count", permMailRead, true, func(c *call) { s.listFolders(c, true) })
	rt.add(http.MethodGet, "users/{user}/mailFolders/{folder}", permMailRead, true, s.getFolder)
	rt.add(http.MethodGet, "users/{user}/mailFolders/{folder}/childFolders", permMailRead, true, func(c *call) { s.listFolders(c, false) })
	rt.add(http.MethodGet, "users/{user}/mailFolders/{folder}/messages", permMailRead, true, func(c *call) { s.listMessages(c, true, false) })
	rt.add(http.MethodGet, "users/{user}/mailFolders/{folder}/messages/$count", permMailRead, true, func(c *call) { s.listMessages(c, true, true) })
	rt.add(http.MethodGet, "users/{user}/mailFolders/{folder}/messages/{message}", permMailRead, true, s.getMessage)
}

func (s *Server) listMessages(c *call, inFolder, countOnly bool) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var folder *folderDoc
	if inFolder {
		s.mu.Lock()
		folder = mb.folderByKey(c.params["folder"])
		s.mu.Unlock()
		if folder == nil {
			c.writeError(errItemNotFound())
			return
		}
	}
	s.messageSpec(c, mb, folder).serveList(c, countOnly)
}

func (s *Server) getMessage(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var folder *folderDoc
	if key, ok := c.params["folder"]; ok {
		s.mu.Lock()
		folder = mb.folderByKey(key)
		s.mu.Unlock()
		if folder == nil {
			c.writeError(errItemNotFound())
			return
		}
	}
	id := c.params["message"]
	e, ok := s.store.messages.get(id)
	if !ok || e.part != mb.userID {
		if !looksLikeOutlookID(id) {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidIdMalformed", "Id is malformed."))
			return
		}
		c.writeError(errItemNotFound())
		return
	}
	if x, ok := e.idx.(*msgIndex); folder != nil && (!ok || x.folder != folder.id) {
		c.writeError(errItemNotFound())
		return
	}
	ctx := c.base() + "/$metadata#users('" + mb.userID + "')/messages/$entity"
	s.messageSpec(c, mb, nil).serveEntity(c, e, ctx)
}

// looksLikeOutlookID accepts base64-looking ids of a plausible length.
func looksLikeOutlookID(id string) bool {
	if len(id) < 8 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("+/=_-", b) >= 0) {
			return false
		}
	}
	return true
}

// folderEntitiesOf builds entities for the mailbox's folders with current
// counts (one pass over the messages).
// withHidden includes hidden folders (includeHiddenFolders=true);
// parent "*" returns every folder.
func (s *Server) folderEntitiesOf(mb *mailbox, parent string, withHidden bool) []*entity {
	total := map[string]int{}
	unread := map[string]int{}
	for _, e := range s.store.messages.snapshot() {
		if e.part != mb.userID {
			continue
		}
		if x, ok := e.idx.(*msgIndex); ok {
			total[x.folder]++
			if !x.isRead {
				unread[x.folder]++
			}
		}
	}
	s.mu.Lock()
	folders := append([]*folderDoc(nil), mb.folders...)
	s.mu.Unlock()
	children := map[string]int{}
	for _, f := range folders {
		if !f.hidden || withHidden {
			children[f.parent]++
		}
	}
	var out []*entity
	for _, f := range folders {
		if parent != "*" && f.parent != parent || f.hidden && !withHidden {
			continue
		}
		doc := []kvPair{
			{"id", f.id},
			{"displayName", f.display},
			{"parentFolderId", f.parent},
			{"childFolderCount", children[f.id]},
			{"unreadItemCount", unread[f.id]},
			{"totalItemCount", total[f.id]},
			{"isHidden", f.hidden},
		}
		raw := encodeOrdered(doc)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		out = append(out, &entity{id: f.id, part: mb.userID, raw: raw, doc: m})
	}
	return out
}

// kvPair is one member of an ordered object.
type kvPair struct {
	k string
	v any
}

// encodeOrdered encodes members in the given order.
func encodeOrdered(list []kvPair) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, p.k)
		b.WriteByte(':')
		v, err := json.Marshal(p.v)
		if err != nil {
			v = []byte("null")
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func (s *Server) folderSpec(c *call, mb *mailbox, parent *folderDoc) *listSpec {
	coll := newCollection("mailFolders", nil)
	parentID := mb.root
	ctx := c.base() + "/$metadata#users('" + mb.userID + "')/mailFolders"
	if parent != nil {
		parentID = parent.id
		ctx = c.base() + "/$metadata#users('" + mb.userID + "')/mailFolders('" + parent.id + "')/childFolders"
	}
	coll.put(s.folderEntitiesOf(mb, parentID, strings.EqualFold(c.r.URL.Query().Get("includeHiddenFolders"), "true"))...)
	return &listSpec{
		coll:       coll,
		context:    ctx,
		entityType: "microsoft.graph.mailFolder",
		props:      mailFolderProps,
		defaultTop: 10,
		maxTop:     1000,
		search:     []string{"displayName"},
		expandable: setOf("childFolders messages"),
		expand: func(c *call, e *entity, it query.ExpandItem) ([]byte, *graphError) {
			return []byte("[]"), nil
		},
	}
}

func (s *Server) listFolders(c *call, countOnly bool) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var parent *folderDoc
	if key, ok := c.params["folder"]; ok {
		s.mu.Lock()
		parent = mb.folderByKey(key)
		s.mu.Unlock()
		if parent == nil {
			c.writeError(errItemNotFound())
			return
		}
	}
	s.folderSpec(c, mb, parent).serveList(c, countOnly)
}

func (s *Server) getFolder(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.mu.Lock()
	f := mb.folderByKey(c.params["folder"])
	s.mu.Unlock()
	if f == nil {
		c.writeError(errItemNotFound())
		return
	}
	var e *entity
	for _, x := range s.folderEntitiesOf(mb, f.parent, true) {
		if x.id == f.id {
			e = x
		}
	}
	if e == nil { // the root folder
		n := 0
		s.mu.Lock()
		for _, x := range mb.folders {
			if x.parent == mb.root && !x.hidden {
				n++
			}
		}
		s.mu.Unlock()
		raw := encodeOrdered([]kvPair{{"id", f.id}, {"displayName", f.display}, {"parentFolderId", outlookID("AQMkA", mb.userID, "root")},
			{"childFolderCount", n}, {"unreadItemCount", 0}, {"totalItemCount", 0}, {"isHidden", false}})
		e = &entity{id: f.id, raw: raw}
	}
	sp := s.folderSpec(c, mb, nil)
	sp.serveEntity(c, e, c.base()+"/$metadata#users('"+mb.userID+"')/mailFolders/$entity")
}
