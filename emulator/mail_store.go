package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Writable mail: stored messages are rebuilt from a decoded document on
// every write (messageEntity), so raw, the compact index, the change key
// and the etag always agree.

// messageKeyOrder is the order Graph writes a message's default
// properties in (the seeded messages use it too).
var messageKeyOrder = []string{"@odata.etag", "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories",
	"receivedDateTime", "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance",
	"parentFolderId", "conversationId", "conversationIndex", "isDeliveryReceiptRequested", "isReadReceiptRequested",
	"isRead", "isDraft", "webLink", "inferenceClassification", "body", "sender", "from", "toRecipients", "ccRecipients",
	"bccRecipients", "replyTo", "flag"}

// messageHiddenKeys are stored with a message but served only on $select.
var messageHiddenKeys = []string{"internetMessageHeaders", "singleValueExtendedProperties", "multiValueExtendedProperties"}

// messageWritable are the properties a PATCH may set (message-update.md);
// draftOnly of them only while the message is a draft.
var (
	messageWritable  = setOf("bccRecipients body categories ccRecipients flag from importance inferenceClassification internetMessageId isDeliveryReceiptRequested isRead isReadReceiptRequested replyTo sender subject toRecipients internetMessageHeaders")
	messageDraftOnly = setOf("bccRecipients body ccRecipients from internetMessageId replyTo sender subject toRecipients internetMessageHeaders")
)

// randomID returns an Outlook-looking id with the prefix.
func randomID(prefix string) string {
	var b [33]byte
	_, _ = rand.Read(b[:])
	return prefix + base64.URLEncoding.EncodeToString(b[:])
}

// newChangeKey returns a fresh change key (the etag's content).
func newChangeKey() string {
	var b [15]byte
	_, _ = rand.Read(b[:])
	return "CQAAABYAAAA" + base64.StdEncoding.EncodeToString(b[:])
}

// encodeJSON encodes v without HTML escaping, as Graph writes JSON.
func encodeJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// encodeObject encodes doc with the keys of order first, in that order,
// then the remaining keys sorted.
func encodeObject(doc map[string]any, order []string, skip ...string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	seen := map[string]bool{}
	for _, k := range skip {
		seen[k] = true
	}
	put := func(k string) {
		v, ok := doc[k]
		if !ok || seen[k] {
			return
		}
		seen[k] = true
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		writeJSONString(&b, k)
		b.WriteByte(':')
		b.Write(encodeJSON(v))
	}
	for _, k := range order {
		put(k)
	}
	rest := make([]string, 0, len(doc))
	for k := range doc {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sortStrings(rest)
	for _, k := range rest {
		put(k)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// messageDoc decodes a stored message with every stored property.
func messageDoc(e *entity) map[string]any {
	src := e.full
	if src == nil {
		src = e.raw
	}
	var m map[string]any
	if err := json.Unmarshal(src, &m); err != nil || m == nil {
		m = map[string]any{}
	}
	return m
}

// messageEntity builds the stored entity of a message document owned by
// userID, with a new change key.
func messageEntity(userID string, doc map[string]any, now time.Time) *entity {
	ck := newChangeKey()
	doc["changeKey"] = ck
	doc["@odata.etag"] = `W/"` + ck + `"`
	doc["lastModifiedDateTime"] = now.UTC().Format("2006-01-02T15:04:05Z")
	id, _ := doc["id"].(string)
	if id != "" {
		doc["webLink"] = "https://outlook.office365.com/owa/?ItemID=" + url.QueryEscape(id) + "&exvsurl=1&viewmodel=ReadMessageItem"
	}
	if b, ok := doc["body"].(map[string]any); ok {
		content, _ := b["content"].(string)
		if lower(str(b["contentType"])) == "html" {
			content = htmlToText(content)
		}
		doc["bodyPreview"] = preview(content)
	}
	for _, k := range []string{"sender", "from"} {
		if v, ok := doc[k]; ok && v == nil {
			delete(doc, k) // a draft without them: Graph leaves them out
		}
	}
	raw := encodeObject(doc, messageKeyOrder, messageHiddenKeys...)
	var full []byte
	for _, k := range messageHiddenKeys {
		if _, ok := doc[k]; ok {
			full = encodeObject(doc, messageKeyOrder)
			break
		}
	}
	return &entity{id: id, part: userID, raw: raw, full: full, idx: indexMessage(doc), etag: `W/"` + ck + `"`}
}

// preview is a bodyPreview: the text with line breaks folded, at most
// 255 characters.
func preview(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) > 255 {
		r = r[:255]
	}
	return string(r)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func boolOf(v any) bool {
	b, _ := v.(bool)
	return b
}

// unixOf parses an ISO 8601 instant (0 when it does not parse).
func unixOf(v any) int64 {
	t, err := time.Parse(time.RFC3339, str(v))
	if err != nil {
		return 0
	}
	return t.Unix()
}

// indexMessage builds the compact index of a message document.
func indexMessage(doc map[string]any) *msgIndex {
	x := &msgIndex{
		id: str(doc["id"]), received: unixOf(doc["receivedDateTime"]), sent: unixOf(doc["sentDateTime"]),
		created: unixOf(doc["createdDateTime"]), modified: unixOf(doc["lastModifiedDateTime"]),
		subject: str(doc["subject"]), folder: str(doc["parentFolderId"]), conversation: str(doc["conversationId"]),
		importance: str(doc["importance"]), inference: str(doc["inferenceClassification"]),
		isRead: boolOf(doc["isRead"]), isDraft: boolOf(doc["isDraft"]), hasAttachments: boolOf(doc["hasAttachments"]),
	}
	x.fromName, x.fromAddr = addressOf(doc["from"])
	if cats, ok := doc["categories"].([]any); ok {
		for _, c := range cats {
			x.categories = append(x.categories, str(c))
		}
	}
	return x
}

// addressOf returns the name and address of a recipient value.
func addressOf(v any) (name, addr string) {
	r, _ := v.(map[string]any)
	ea, _ := r["emailAddress"].(map[string]any)
	return str(ea["name"]), str(ea["address"])
}

// recipient builds a recipient value.
func recipient(name, addr string) map[string]any {
	return map[string]any{"emailAddress": map[string]any{"name": name, "address": addr}}
}

// recipientsOf returns the addresses of a recipient list value.
func recipientsOf(v any) []person {
	list, _ := v.([]any)
	var out []person
	for _, r := range list {
		n, a := addressOf(r)
		if a != "" {
			out = append(out, person{n, a})
		}
	}
	return out
}

func recipientList(ps []person) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, recipient(p.name, p.addr))
	}
	return out
}

// readBody reads a request body up to limit bytes.
func readBody(c *call, limit int64) ([]byte, *graphError) {
	b, err := io.ReadAll(http.MaxBytesReader(nil, c.r.Body, limit))
	if err != nil {
		return nil, errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is too large.")
	}
	return b, nil
}

// readObject reads a JSON object request body of at most limit bytes; on
// failure it answers the request and reports false.
func (c *call) readObject(limit int64) (map[string]any, bool) {
	data, gerr := readBody(c, limit)
	if gerr == nil {
		var m map[string]any
		if m, gerr = decodeObject(data); gerr == nil {
			return m, true
		}
	}
	c.writeError(gerr)
	return nil, false
}

// decodeObject decodes a JSON object request body.
func decodeObject(data []byte) (map[string]any, *graphError) {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errorf(http.StatusBadRequest, "RequestBodyRead", "Cannot read the request body: it must be a JSON object.")
	}
	return m, nil
}

func errUnknownProperty(name, typ string) *graphError {
	return errorf(http.StatusBadRequest, "RequestBodyRead", "The property '"+name+"' does not exist on type '"+typ+
		"'. Make sure to only use property names that are defined by the type or mark the type as open type.")
}

// userByAddress finds the tenant user an SMTP address belongs to.
func (s *Server) userByAddress(addr string) (User, bool) {
	la := lower(strings.TrimSpace(addr))
	if la == "" {
		return User{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[la]; ok && strings.Contains(la, "@") {
		return *u, true
	}
	for _, u := range s.users {
		if lower(u.Mail) == la || lower(u.UPN) == la {
			return *u, true
		}
	}
	return User{}, false
}

// ownerPerson is the mailbox owner as a correspondent.
func (s *Server) ownerPerson(userID string) person {
	u, _ := s.lookupUser(userID)
	return person{u.DisplayName, u.Mail}
}

// folderOf returns the folder id of a stored message.
func folderOf(e *entity) string {
	if x, ok := e.idx.(*msgIndex); ok {
		return x.folder
	}
	return ""
}

// MailboxMessageCount returns the number of messages in a folder (id or
// well-known name such as "inbox" or "sentitems") of a user's mailbox,
// or -1 when the user or folder does not exist.
func (s *Server) MailboxMessageCount(upn, folder string) int {
	u, ok := s.lookupUser(upn)
	if !ok {
		return -1
	}
	mb := s.ensureMailbox(u.ID)
	s.mu.Lock()
	f := mb.folderByKey(folder)
	s.mu.Unlock()
	if f == nil {
		return -1
	}
	return len(s.store.messages.view(u.ID, f.id))
}
