package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// Group conversations: a Microsoft 365 group's conversations hold threads,
// threads hold posts. Kept per group in the directory state, newest
// conversation first.

type groupConversation struct {
	id, topic string
	threads   []*groupThread
}

type groupThread struct {
	id, topic string
	posts     []map[string]any
}

// registerGroupConversations adds the conversation routes.
func (s *Server) registerGroupConversations(rt *router) {
	const g = "groups/{group-id}/"
	rt.add(http.MethodGet, g+"conversations", permGroupsRead, false, s.listConversations)
	rt.add(http.MethodPost, g+"conversations", permGroupsWrite, false, s.createConversation)
	rt.add(http.MethodGet, g+"conversations/{conversation-id}", permGroupsRead, false, s.getConversation)
	rt.add(http.MethodDelete, g+"conversations/{conversation-id}", permGroupsWrite, false, s.deleteConversation)
	rt.add(http.MethodGet, g+"threads", permGroupsRead, false, s.listThreads)
	rt.add(http.MethodGet, g+"threads/{conversationThread-id}", permGroupsRead, false, s.getThread)
	rt.add(http.MethodGet, g+"threads/{conversationThread-id}/posts", permGroupsRead, false, s.listPosts)
	rt.add(http.MethodPost, g+"threads/{conversationThread-id}/reply", permGroupsWrite, false, s.replyThread)
}

func (s *Server) conversationDoc(c *groupConversation) map[string]any {
	t := c.threads[len(c.threads)-1]
	last := t.posts[len(t.posts)-1]
	return map[string]any{
		"id": c.id, "topic": c.topic, "hasAttachments": false,
		"lastDeliveredDateTime": last["receivedDateTime"], "uniqueSenders": s.senders(c.threads...),
		"preview": convPreview(last),
	}
}

func (s *Server) threadDoc(conv *groupConversation, t *groupThread) map[string]any {
	last := t.posts[len(t.posts)-1]
	return map[string]any{
		"id": t.id, "topic": t.topic, "toRecipients": []any{}, "ccRecipients": []any{}, "hasAttachments": false,
		"lastDeliveredDateTime": last["receivedDateTime"], "uniqueSenders": s.senders(t), "preview": convPreview(last), "isLocked": false,
	}
}

func convPreview(post map[string]any) string {
	b, _ := post["body"].(map[string]any)
	text, _ := b["content"].(string)
	if len(text) > 255 {
		text = text[:255]
	}
	return text
}

func (s *Server) senders(ts ...*groupThread) []any {
	var out []any
	for _, t := range ts {
		for _, p := range t.posts {
			from, _ := p["from"].(map[string]any)
			ea, _ := from["emailAddress"].(map[string]any)
			if n, _ := ea["name"].(string); n != "" && !slices.Contains(out, any(n)) {
				out = append(out, n)
			}
		}
	}
	return out
}

// unifiedGroup resolves {group-id} and refuses groups without
// conversations (security groups), as Graph does.
func (s *Server) unifiedGroup(c *call) (*entity, bool) {
	e, ok := s.groupOr404(c)
	if !ok {
		return nil, false
	}
	types, _ := e.doc["groupTypes"].([]any)
	if !slices.ContainsFunc(types, func(t any) bool { x, _ := t.(string); return strings.EqualFold(x, "Unified") }) {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidGroup", "Conversations are available only for Microsoft 365 groups."))
		return nil, false
	}
	return e, true
}

func (s *Server) newPost(c *call, conv *groupConversation, t *groupThread, in map[string]any) map[string]any {
	now := c.now.UTC().Format("2006-01-02T15:04:05Z")
	name, addr := "", ""
	if u, ok := s.lookupUser(c.claims.ObjectID); ok {
		name, addr = u.DisplayName, u.Mail
	}
	from := map[string]any{"emailAddress": map[string]any{"name": name, "address": addr}}
	body, _ := in["body"].(map[string]any)
	if body == nil {
		body = map[string]any{"contentType": "text", "content": ""}
	}
	return map[string]any{
		"id": newUUID(), "createdDateTime": now, "lastModifiedDateTime": now, "receivedDateTime": now,
		"changeKey": newUUID()[:12], "categories": []any{}, "hasAttachments": false, "body": body,
		"from": from, "sender": from, "conversationThreadId": t.id, "conversationId": conv.id, "newParticipants": []any{},
	}
}

// createConversation serves POST /groups/{id}/conversations.
func (s *Server) createConversation(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	raw, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	// Some documented requests use the Outlook REST casing ("Topic",
	// "Threads"), which Graph accepts.
	in, _ := camelKeys(raw).(map[string]any)
	topic, _ := in["topic"].(string)
	threads, _ := in["threads"].([]any)
	if topic == "" || len(threads) == 0 {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "A conversation needs a topic and a thread with a post."))
		return
	}
	conv := &groupConversation{id: newUUID(), topic: topic}
	for _, x := range threads {
		tin, _ := x.(map[string]any)
		t := &groupThread{id: newUUID(), topic: topic}
		posts, _ := tin["posts"].([]any)
		for _, p := range posts {
			pin, _ := p.(map[string]any)
			t.posts = append(t.posts, s.newPost(c, conv, t, pin))
		}
		if len(t.posts) == 0 {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "A thread needs a post."))
			return
		}
		conv.threads = append(conv.threads, t)
	}
	s.dir.mu.Lock()
	if s.dir.conversations == nil {
		s.dir.conversations = map[string][]*groupConversation{}
	}
	s.dir.conversations[g.id] = append([]*groupConversation{conv}, s.dir.conversations[g.id]...)
	doc := s.conversationDoc(conv)
	// The answer expands the threads and their posts, as Graph's does.
	var threadDocs []any
	for _, t := range conv.threads {
		td := s.threadDoc(conv, t)
		td["posts@odata.context"] = c.base() + "/$metadata#groups('" + g.id + "')/conversations('" + conv.id + "')/threads('" + t.id + "')/posts"
		td["posts"] = slices.Clone(t.posts)
		threadDocs = append(threadDocs, td)
	}
	s.dir.mu.Unlock()
	doc["threads@odata.context"] = c.base() + "/$metadata#groups('" + g.id + "')/conversations('" + conv.id + "')/threads"
	doc["threads"] = threadDocs
	doc["@odata.context"] = c.base() + "/$metadata#groups('" + g.id + "')/conversations/$entity"
	c.writeValue(http.StatusCreated, doc)
}

// findThread returns the conversation and thread with the id; call with
// s.dir.mu held.
func (s *Server) findThread(groupID, threadID string) (*groupConversation, *groupThread) {
	for _, conv := range s.dir.conversations[groupID] {
		for _, t := range conv.threads {
			if t.id == threadID {
				return conv, t
			}
		}
	}
	return nil, nil
}

func (s *Server) serveConvDocs(c *call, docs []map[string]any, context string) {
	coll := newCollection("conversations", nil)
	for _, d := range docs {
		id, _ := d["id"].(string)
		coll.put(&entity{id: id, raw: encodeDirDoc(d, []string{"id"}, false), doc: d})
	}
	sp := &listSpec{coll: coll, context: c.base() + "/$metadata#" + context, entityType: "microsoft.graph.conversation", defaultTop: 10, maxTop: 100}
	sp.serveList(c, false)
}

func (s *Server) listConversations(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	s.dir.mu.Lock()
	var docs []map[string]any
	for _, conv := range s.dir.conversations[g.id] {
		docs = append(docs, s.conversationDoc(conv))
	}
	s.dir.mu.Unlock()
	s.serveConvDocs(c, docs, "groups('"+g.id+"')/conversations")
}

func (s *Server) getConversation(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	id := c.params["conversation-id"]
	s.dir.mu.Lock()
	var doc map[string]any
	for _, conv := range s.dir.conversations[g.id] {
		if conv.id == id {
			doc = s.conversationDoc(conv)
		}
	}
	s.dir.mu.Unlock()
	if doc == nil {
		c.writeError(errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store."))
		return
	}
	doc["@odata.context"] = c.base() + "/$metadata#groups('" + g.id + "')/conversations/$entity"
	c.writeValue(http.StatusOK, doc)
}

func (s *Server) deleteConversation(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	id := c.params["conversation-id"]
	s.dir.mu.Lock()
	list := s.dir.conversations[g.id]
	n := len(list)
	s.dir.conversations[g.id] = slices.DeleteFunc(slices.Clone(list), func(x *groupConversation) bool { return x.id == id })
	removed := len(s.dir.conversations[g.id]) < n
	s.dir.mu.Unlock()
	if !removed {
		c.writeError(errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store."))
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listThreads(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	s.dir.mu.Lock()
	var docs []map[string]any
	for _, conv := range s.dir.conversations[g.id] {
		for _, t := range conv.threads {
			docs = append(docs, s.threadDoc(conv, t))
		}
	}
	s.dir.mu.Unlock()
	s.serveConvDocs(c, docs, "groups('"+g.id+"')/threads")
}

func (s *Server) getThread(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	s.dir.mu.Lock()
	conv, t := s.findThread(g.id, c.params["conversationThread-id"])
	var doc map[string]any
	if t != nil {
		doc = s.threadDoc(conv, t)
	}
	s.dir.mu.Unlock()
	if doc == nil {
		c.writeError(errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store."))
		return
	}
	doc["@odata.context"] = c.base() + "/$metadata#groups('" + g.id + "')/threads/$entity"
	c.writeValue(http.StatusOK, doc)
}

func (s *Server) listPosts(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	s.dir.mu.Lock()
	_, t := s.findThread(g.id, c.params["conversationThread-id"])
	var docs []map[string]any
	if t != nil {
		docs = slices.Clone(t.posts)
	}
	s.dir.mu.Unlock()
	if t == nil {
		c.writeError(errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store."))
		return
	}
	s.serveConvDocs(c, docs, "groups('"+g.id+"')/threads('"+t.id+"')/posts")
}

// replyThread serves POST /groups/{id}/threads/{id}/reply: {"post": {...}}.
func (s *Server) replyThread(c *call) {
	g, ok := s.unifiedGroup(c)
	if !ok {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	pin, _ := in["post"].(map[string]any)
	if pin == nil {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The reply needs a post."))
		return
	}
	s.dir.mu.Lock()
	conv, t := s.findThread(g.id, c.params["conversationThread-id"])
	if t != nil {
		t.posts = append(t.posts, s.newPost(c, conv, t, pin))
	}
	s.dir.mu.Unlock()
	if t == nil {
		c.writeError(errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store."))
		return
	}
	c.w.WriteHeader(http.StatusAccepted)
}

// camelKeys lower-cases the first letter of every property name.
func camelKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if k != "" && k[0] >= 'A' && k[0] <= 'Z' {
				k = strings.ToLower(k[:1]) + k[1:]
			}
			out[k] = camelKeys(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = camelKeys(e)
		}
		return out
	}
	return v
}
