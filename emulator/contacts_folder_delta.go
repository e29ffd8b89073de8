package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Contact folder delta (contactfolder-delta.md): GET
// contactFolders/delta lists every folder below the default folder (at
// any depth, like GET /contactFolders the default folder itself is not
// listed), later rounds the folders created, renamed or moved since, and
// deleted ones as {"id", "@removed": {"reason": "deleted"}}. Paging,
// tokens and 410 on a bad token work as the contacts delta
// (contacts_delta.go).

// folderTomb is a deleted contact folder.
type folderTomb struct {
	id, user string
	version  uint64
}

// touchFolder records a change of f. Caller holds st.mu.
func (st *contactsState) touchFolder(f *contactFolder) {
	st.fver++
	f.version = st.fver
}

// folderGone records the deletion of f. Caller holds st.mu.
func (st *contactsState) folderGone(f *contactFolder) {
	st.fver++
	st.fgone = append(st.fgone, folderTomb{id: f.id, user: f.user, version: st.fver})
}

// folderDeltaToken is the state a folder delta or skip token carries.
type folderDeltaToken struct {
	User   string `json:"u"`
	Since  uint64 `json:"s"`
	UpTo   uint64 `json:"t,omitempty"`
	Offset int    `json:"o,omitempty"`
	Later  bool   `json:"l,omitempty"` // a round after the first
}

func (t folderDeltaToken) encode() string { return encodeStateToken("CF", t) }

func decodeFolderDeltaToken(s string) (folderDeltaToken, bool) {
	var t folderDeltaToken
	if !decodeStateToken("CF", s, &t) || t.Offset < 0 || t.Since > t.UpTo && t.UpTo != 0 {
		return t, false
	}
	return t, true
}

func (s *Server) contactFolderDelta(c *call) {
	userID, ok := s.contactUser(c)
	if !ok {
		return
	}
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.writeError(errBadRequest("The query specified in the URI is not valid."))
		return
	}
	tok := folderDeltaToken{User: userID}
	for _, name := range []string{"deltatoken", "skiptoken"} {
		raw, ok := option(v, name)
		if !ok {
			continue
		}
		t, ok := decodeFolderDeltaToken(raw)
		if !ok || t.User != userID {
			c.writeError(errSyncStateNotFound())
			return
		}
		tok = t
	}
	st := &s.contacts
	st.mu.Lock()
	st.init()
	if tok.UpTo == 0 {
		tok.UpTo = st.fver
	}
	if tok.Since > st.fver {
		st.mu.Unlock()
		c.writeError(errSyncStateNotFound())
		return
	}
	var live []*contactFolder
	for _, f := range st.subtree(st.root(userID))[1:] {
		if f.version <= tok.UpTo && (!tok.Later || f.version > tok.Since) {
			live = append(live, f)
		}
	}
	slices.SortFunc(live, func(a, b *contactFolder) int { return strings.Compare(a.id, b.id) })
	var items [][]byte
	for _, f := range live {
		items = append(items, f.raw())
	}
	if tok.Later {
		for _, t := range st.fgone {
			if t.user == userID && t.version > tok.Since && t.version <= tok.UpTo {
				items = append(items, encodeJSON(map[string]any{"id": t.id, "@removed": map[string]any{"reason": "deleted"}}))
			}
		}
	}
	st.mu.Unlock()
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
	body = appendJSONStr(body, c.contactFoldersContext(userID)+"/delta")
	if more {
		next := tok
		next.Offset += size
		body = append(body, `,"@odata.nextLink":`...)
		body = appendJSONStr(body, link+"$skiptoken="+next.encode())
	} else {
		next := folderDeltaToken{User: userID, Since: tok.UpTo, Later: true}
		body = append(body, `,"@odata.deltaLink":`...)
		body = appendJSONStr(body, link+"$deltatoken="+next.encode())
	}
	body = append(body, `,"value":`...)
	body = append(body, joinArray(page)...)
	body = append(body, '}')
	c.writeRaw(http.StatusOK, body)
}
