package emulator

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/o365go/o365/emulator/internal/query"
)

// Delta (message-delta.md, mailfolder-delta.md): GET
// mailFolders/{id}/messages/delta and mailFolders/delta. The first round
// returns every item, later rounds (the deltaLink) what changed since:
// changed items in full, deleted ones and messages moved out of the
// folder as {"id", "@removed": {"reason": "deleted"}}. Pages follow
// @odata.nextLink ($skiptoken); the last page carries @odata.deltaLink
// ($deltatoken). Both tokens carry the original $select and a version
// cursor; page size from Prefer: odata.maxpagesize (default 10 for
// messages, as the service). A token issued before ExpireDeltaTokens, or
// one that does not decode, answers 410 Gone SyncStateNotFound.

// deltaToken is the state a delta or skip token carries.
type deltaToken struct {
	Kind   string `json:"k"`           // "m" messages, "f" folders
	Folder string `json:"f,omitempty"` // folder id for message delta
	Since  uint64 `json:"s"`
	Epoch  uint64 `json:"e"`
	Select string `json:"q,omitempty"`
	Filter string `json:"w,omitempty"` // $filter (receivedDateTime ranges)
	Page   string `json:"p,omitempty"`
	Offset int    `json:"o,omitempty"`
}

func (t deltaToken) encode() string { return encodeStateToken("DT", t) }

func decodeDeltaToken(s string) (deltaToken, bool) {
	var t deltaToken
	return t, decodeStateToken("DT", s, &t)
}

// deltaPage is a computed round of changes, kept so its pages are served
// from one consistent result.
type deltaPage struct {
	items   [][]byte // encoded items, in order
	upTo    uint64   // the version the round covers
	context string
}

// ExpireDeltaTokens makes every delta and skip token issued so far
// invalid: the next call with one answers 410 Gone (SyncStateNotFound),
// as Exchange does when its sync state is gone.
func (s *Server) ExpireDeltaTokens() {
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	s.mail.deltaEpoch++
	clear(s.mail.deltaPages)
	s.mail.pageOrder = nil
}

func errSyncStateNotFound() *graphError {
	return errorf(http.StatusGone, "SyncStateNotFound", "The sync state generation is not found. Restart the synchronization without a token.")
}

// serveDelta serves both delta routes.
func (s *Server) serveDelta(folders bool) func(c *call) {
	return func(c *call) {
		mb, gerr := s.mailboxFor(c)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		v, err := url.ParseQuery(c.r.URL.RawQuery)
		if err != nil {
			c.writeError(errBadRequest("The query specified in the URI is not valid."))
			return
		}
		s.mail.mu.Lock()
		epoch := s.mail.deltaEpoch
		s.mail.mu.Unlock()
		tok := deltaToken{Kind: "m", Epoch: epoch}
		if folders {
			tok.Kind = "f"
		} else {
			s.mu.Lock()
			f := mb.folderByKey(c.params["folder"])
			s.mu.Unlock()
			if f == nil {
				c.writeError(errItemNotFound())
				return
			}
			tok.Folder = f.id
		}
		for _, name := range []string{"deltatoken", "skiptoken"} {
			raw, ok := option(v, name)
			if !ok {
				continue
			}
			t, ok := decodeDeltaToken(raw)
			if !ok || t.Epoch != epoch || t.Kind != tok.Kind || t.Folder != tok.Folder {
				c.writeError(errSyncStateNotFound())
				return
			}
			tok = t
		}
		if sel, ok := option(v, "select"); ok && tok.Select == "" {
			if _, err := query.ParseSelect(sel); err != nil {
				c.writeError(errBadRequest(err.Error()))
				return
			}
			tok.Select = sel
		}
		if f, ok := option(v, "filter"); ok && tok.Filter == "" && !folders {
			if _, err := query.ParseFilter(f); err != nil {
				c.writeError(errBadRequest("Invalid filter clause: " + err.Error()))
				return
			}
			for _, name := range referencedNames(f) {
				if !strings.EqualFold(name, "receivedDateTime") {
					c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidUrlQueryFilter",
						"The $filter of a message delta query can only restrict receivedDateTime."))
					return
				}
			}
			tok.Filter = f
		}
		var page *deltaPage
		if tok.Page != "" {
			s.mail.mu.Lock()
			page = s.mail.deltaPages[tok.Page]
			s.mail.mu.Unlock()
			if page == nil {
				c.writeError(errSyncStateNotFound())
				return
			}
		} else {
			if folders {
				page = s.folderDelta(c, mb, tok)
			} else {
				page = s.messageDelta(c, mb, tok)
			}
			tok.Page = randomToken(12)
			tok.Offset = 0
			s.mail.mu.Lock()
			s.mail.deltaPages[tok.Page] = page
			s.mail.pageOrder = append(s.mail.pageOrder, tok.Page)
			if len(s.mail.pageOrder) > 256 {
				delete(s.mail.deltaPages, s.mail.pageOrder[0])
				s.mail.pageOrder = s.mail.pageOrder[1:]
			}
			s.mail.mu.Unlock()
		}
		size := maxPageSize(c.r)
		if size <= 0 {
			size = 10
		}
		end := min(tok.Offset+size, len(page.items))
		var b bytes.Buffer
		b.WriteString(`{"@odata.context":`)
		writeJSONString(&b, page.context)
		base := baseURL(c.r) + c.r.URL.EscapedPath() + "?"
		if end < len(page.items) {
			next := tok
			next.Offset = end
			b.WriteString(`,"@odata.nextLink":`)
			writeJSONString(&b, base+"$skiptoken="+next.encode())
		} else {
			dl := deltaToken{Kind: tok.Kind, Folder: tok.Folder, Since: page.upTo, Epoch: tok.Epoch, Select: tok.Select, Filter: tok.Filter}
			b.WriteString(`,"@odata.deltaLink":`)
			writeJSONString(&b, base+"$deltatoken="+dl.encode())
		}
		b.WriteString(`,"value":[`)
		for i, it := range page.items[min(tok.Offset, len(page.items)):end] {
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
}

func removedItem(typ, id string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"@odata.type":`)
	writeJSONString(&b, typ)
	b.WriteString(`,"id":`)
	writeJSONString(&b, id)
	b.WriteString(`,"@removed":{"reason":"deleted"}}`)
	return b.Bytes()
}

// messageDelta computes one round of a folder's message changes.
func (s *Server) messageDelta(c *call, mb *mailbox, tok deltaToken) *deltaPage {
	coll := s.store.messages
	coll.mu.RLock()
	now := coll.version
	var changed []*entity
	in := map[string]bool{}
	for _, e := range coll.items {
		if e.part == mb.userID && folderOf(e) == tok.Folder {
			in[e.id] = true
			if e.version > tok.Since {
				changed = append(changed, e)
			}
		}
	}
	var removed []string
	if tok.Since > 0 {
		for _, t := range coll.tombstones {
			if t.part == mb.userID && t.group == tok.Folder && t.version > tok.Since && !in[t.id] && !slices.Contains(removed, t.id) {
				removed = append(removed, t.id)
			}
		}
	}
	coll.mu.RUnlock()
	if tok.Filter != "" {
		if f, err := query.ParseFilter(tok.Filter); err == nil {
			changed = slices.DeleteFunc(changed, func(e *entity) bool {
				ok, err := f.Match(coll.document(e, false))
				return err != nil || !ok
			})
		}
	}
	slices.SortStableFunc(changed, lessMessages)
	var sel []string
	if tok.Select != "" {
		sel, _ = query.ParseSelect(tok.Select)
	}
	rewrite := bodyRewrite(c)
	page := &deltaPage{upTo: now, context: c.base() + "/$metadata#Collection(message)"}
	for _, e := range changed {
		src := e.raw
		if len(sel) > 0 && e.full != nil {
			src = e.full
		}
		if rewrite != nil {
			src = rewrite(src)
		}
		if len(sel) == 0 {
			page.items = append(page.items, src)
			continue
		}
		var b bytes.Buffer
		project(&b, src, sel, func(name string) ([]byte, bool) { return messageExtra(e, src, name) }, nil)
		page.items = append(page.items, b.Bytes())
	}
	for _, id := range removed {
		page.items = append(page.items, removedItem("#microsoft.graph.message", id))
	}
	return page
}

// folderDelta computes one round of the mailbox's folder changes.
func (s *Server) folderDelta(c *call, mb *mailbox, tok deltaToken) *deltaPage {
	s.mu.Lock()
	if mb.folderVersion == 0 {
		mb.folderVersion = 1 // so a first round's cursor is not "initial"
	}
	now := mb.folderVersion
	changedIDs := map[string]bool{}
	for _, f := range mb.folders {
		if f.version > tok.Since || tok.Since == 0 {
			changedIDs[f.id] = true
		}
	}
	var removed []string
	if tok.Since > 0 {
		for _, t := range mb.folderTombs {
			if t.version > tok.Since {
				removed = append(removed, t.id)
			}
		}
	}
	s.mu.Unlock()
	var sel []string
	if tok.Select != "" {
		sel, _ = query.ParseSelect(tok.Select)
	}
	page := &deltaPage{upTo: now, context: c.base() + "/$metadata#Collection(mailFolder)"}
	for _, e := range s.folderEntitiesOf(mb, "*", false) {
		if !changedIDs[e.id] {
			continue
		}
		if len(sel) == 0 {
			page.items = append(page.items, e.raw)
			continue
		}
		var b bytes.Buffer
		project(&b, e.raw, sel, func(string) ([]byte, bool) { return nil, false }, nil)
		page.items = append(page.items, b.Bytes())
	}
	for _, id := range removed {
		page.items = append(page.items, removedItem("#microsoft.graph.mailFolder", id))
	}
	return page
}
