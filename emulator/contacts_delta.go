package emulator

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/o365go/o365/emulator/internal/query"
)

// Contact delta (contact-delta.md): GET contactFolders/{id}/contacts/delta
// (and /contacts/delta for the default folder). The first round returns
// every contact of the folder, later rounds what changed since: changed
// contacts in full, deleted ones as {"id", "@removed": {"reason":
// "deleted"}}. Pages follow @odata.nextLink ($skiptoken); the last page
// carries @odata.deltaLink ($deltatoken). Page size from Prefer:
// odata.maxpagesize (default 10). A token that does not decode or names
// another folder answers 410 Gone SyncStateNotFound.

// contactDeltaToken is the state a contact delta or skip token carries.
type contactDeltaToken struct {
	Folder string `json:"f"`
	Since  uint64 `json:"s"`
	UpTo   uint64 `json:"u,omitempty"` // the version a round covers (skip tokens)
	Offset int    `json:"o,omitempty"`
	Select string `json:"q,omitempty"`
}

func (t contactDeltaToken) encode() string { return encodeStateToken("CT", t) }

func decodeContactDeltaToken(s string) (contactDeltaToken, bool) {
	var t contactDeltaToken
	return t, decodeStateToken("CT", s, &t)
}

func (s *Server) contactDelta(c *call) {
	userID, ok := s.contactUser(c)
	if !ok {
		return
	}
	f, ok := s.routeContactFolder(c, userID)
	if !ok {
		return
	}
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.writeError(errBadRequest("The query specified in the URI is not valid."))
		return
	}
	tok := contactDeltaToken{Folder: f.id}
	for _, name := range []string{"deltatoken", "skiptoken"} {
		raw, ok := option(v, name)
		if !ok {
			continue
		}
		t, ok := decodeContactDeltaToken(raw)
		if !ok || t.Folder != f.id {
			c.writeError(errSyncStateNotFound())
			return
		}
		tok = t
	}
	if sel, ok := option(v, "select"); ok && tok.Select == "" {
		tok.Select = sel
	}
	var fields []string
	if tok.Select != "" {
		fields, err = query.ParseSelect(tok.Select)
		if err != nil {
			c.writeError(errBadRequest(err.Error()))
			return
		}
		for _, n := range fields {
			if !contactProps[lower(n)] {
				c.writeError(errorf(http.StatusBadRequest, "RequestBroker--ParseUri", "Could not find a property named '"+n+"' on type 'microsoft.graph.contact'."))
				return
			}
		}
	}
	coll := s.contacts.collection()
	changed, deleted, now := coll.changesSince(userID, tok.Since)
	if tok.UpTo == 0 {
		tok.UpTo = now
	}
	var items [][]byte
	for _, e := range changed {
		if e.version > tok.UpTo || str(e.doc["parentFolderId"]) != f.id {
			continue
		}
		doc := e.doc
		if fields != nil {
			doc = query.Project(doc, fields)
			delete(doc, "@odata.etag")
		}
		items = append(items, encodeObject(doc, contactKeyOrder))
	}
	for _, t := range deleted {
		if tok.Since == 0 || t.version > tok.UpTo || t.group != f.id {
			continue
		}
		items = append(items, encodeJSON(map[string]any{"id": t.id, "@removed": map[string]any{"reason": "deleted"}}))
	}
	size := 10
	if n, err := strconv.Atoi(preference(c.r, "odata.maxpagesize")); err == nil && n > 0 {
		size = min(n, 1000)
		c.w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(size))
	}
	page := items[min(tok.Offset, len(items)):]
	more := len(page) > size
	if more {
		page = page[:size]
	}
	link := baseURL(c.r) + c.r.URL.EscapedPath() + "?"
	body := []byte(`{"@odata.context":`)
	body = appendJSONStr(body, c.contactsContext(userID, f)+"/delta")
	if more {
		next := tok
		next.Offset += size
		body = append(body, `,"@odata.nextLink":`...)
		body = appendJSONStr(body, link+"$skiptoken="+next.encode())
	} else {
		next := contactDeltaToken{Folder: f.id, Since: tok.UpTo, Select: tok.Select}
		body = append(body, `,"@odata.deltaLink":`...)
		body = appendJSONStr(body, link+"$deltatoken="+next.encode())
	}
	body = append(body, `,"value":`...)
	body = append(body, joinArray(page)...)
	body = append(body, '}')
	c.writeRaw(http.StatusOK, body)
}
