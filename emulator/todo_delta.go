package emulator

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
)

// To Do delta (todotasklist-delta.md, todotask-delta.md): the first round
// returns every list (or every task of a list), later rounds what changed
// since: changed items in full, deleted ones as {"id", "@removed":
// {"reason": "deleted"}}. Pages follow @odata.nextLink ($skiptoken); the
// last page carries @odata.deltaLink ($deltatoken). A token that does not
// decode, or a page of a round the emulator no longer keeps, answers 410
// Gone SyncStateNotFound.

// todoToken is the state a To Do delta or skip token carries.
type todoToken struct {
	Kind   string `json:"k"`           // "l" lists, "t" tasks
	List   string `json:"l,omitempty"` // the list of a task delta
	Since  uint64 `json:"s"`
	Round  string `json:"r,omitempty"` // the computed round being paged
	Offset int    `json:"o,omitempty"`
}

func (t todoToken) encode() string { return encodeStateToken("TD", t) }

func decodeTodoToken(s string) (todoToken, bool) {
	var t todoToken
	return t, decodeStateToken("TD", s, &t)
}

// todoRound is one computed round of changes.
type todoRound struct {
	items [][]byte
	upTo  uint64
}

func (s *Server) todoListDelta(c *call) { s.todoDelta(c, false) }
func (s *Server) todoTaskDelta(c *call) { s.todoDelta(c, true) }

func (s *Server) todoDelta(c *call, tasks bool) {
	u, gerr := s.todoUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	tok := todoToken{Kind: "l"}
	coll, typ, ctx := s.todo.lists, "#microsoft.graph.todoTaskList", c.base()+"/$metadata#Collection(todoTaskList)"
	if tasks {
		l, gerr := s.todoList(c, u.ID)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		tok = todoToken{Kind: "t", List: l.id}
		coll, typ, ctx = s.todo.tasks, "#microsoft.graph.todoTask", c.base()+"/$metadata#Collection(todoTask)"
	}
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.writeError(errBadRequest("The query specified in the URI is not valid."))
		return
	}
	for _, name := range []string{"deltatoken", "skiptoken"} {
		raw, ok := option(v, name)
		if !ok {
			continue
		}
		t, ok := decodeTodoToken(raw)
		if !ok || t.Kind != tok.Kind || t.List != tok.List {
			c.writeError(errSyncStateNotFound())
			return
		}
		tok = t
	}
	var round *todoRound
	if tok.Round != "" {
		s.todo.mu.Lock()
		round = s.todo.rounds[tok.Round]
		s.todo.mu.Unlock()
		if round == nil {
			c.writeError(errSyncStateNotFound())
			return
		}
	} else {
		round = &todoRound{}
		changed, deleted, now := coll.changesSince(u.ID, tok.Since)
		round.upTo = now
		for _, e := range changed {
			if tasks && str(e.doc[todoListKey]) != tok.List {
				continue
			}
			round.items = append(round.items, e.raw)
		}
		for _, d := range deleted {
			if tok.Since == 0 || tasks && d.group != tok.List {
				// An initial round reports what exists, not what was removed.
				continue
			}
			var b bytes.Buffer
			b.WriteString(`{"@odata.type":`)
			writeJSONString(&b, typ)
			b.WriteString(`,"id":`)
			writeJSONString(&b, d.id)
			b.WriteString(`,"@removed":{"reason":"deleted"}}`)
			round.items = append(round.items, b.Bytes())
		}
		tok.Round, tok.Offset = todoID("R"), 0
		s.todo.mu.Lock()
		s.todo.rounds[tok.Round] = round
		s.todo.roundOrder = append(s.todo.roundOrder, tok.Round)
		if len(s.todo.roundOrder) > 256 {
			delete(s.todo.rounds, s.todo.roundOrder[0])
			s.todo.roundOrder = s.todo.roundOrder[1:]
		}
		s.todo.mu.Unlock()
	}
	size := maxPageSize(c.r)
	if size <= 0 {
		size = todoPageSize
	}
	start := min(tok.Offset, len(round.items))
	end := min(start+size, len(round.items))
	var b bytes.Buffer
	b.WriteString(`{"@odata.context":`)
	writeJSONString(&b, ctx)
	base := baseURL(c.r) + c.r.URL.EscapedPath() + "?"
	if end < len(round.items) {
		next := tok
		next.Offset = end
		b.WriteString(`,"@odata.nextLink":`)
		writeJSONString(&b, base+"$skiptoken="+next.encode())
	} else {
		dl := todoToken{Kind: tok.Kind, List: tok.List, Since: round.upTo}
		b.WriteString(`,"@odata.deltaLink":`)
		writeJSONString(&b, base+"$deltatoken="+dl.encode())
	}
	b.WriteString(`,"value":[`)
	for i, it := range round.items[start:end] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteString("]}")
	if p := maxPageSize(c.r); p > 0 {
		c.w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(p))
	}
	c.writeRaw(http.StatusOK, b.Bytes())
}
