package emulator

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/o365go/o365/emulator/internal/query"
)

// List items (listitem-list.md, listitem-get.md, listitem-create.md,
// listitem-update.md, listitem-delete.md, listitem-delta.md).
//
// Items are answered without their fields unless $expand=fields (or
// fields($select=a,b)) asks for them. $filter and $orderby may name
// fields/{column}; a column that is not indexed answers SharePoint's 400
// unless the request has Prefer: HonorNonIndexedQueriesWarningMayFailRandomly.

const spHonorNonIndexed = "HonorNonIndexedQueriesWarningMayFailRandomly"

// spHonorsNonIndexed reports whether the request allows queries on columns
// that are not indexed.
func spHonorsNonIndexed(r *http.Request) bool {
	for _, h := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(h, ",") {
			if strings.EqualFold(strings.TrimSpace(p), spHonorNonIndexed) {
				return true
			}
		}
	}
	return false
}

// spFieldRefs returns the column names an expression refers to as
// fields/{name}, outside string literals.
func spFieldRefs(expr string) []string {
	var out []string
	for i := 0; i < len(expr); i++ {
		if expr[i] == '\'' {
			for i++; i < len(expr); i++ {
				if expr[i] == '\'' {
					if i+1 < len(expr) && expr[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
			continue
		}
		if i+7 <= len(expr) && strings.EqualFold(expr[i:i+7], "fields/") && (i == 0 || !isIdentStart(expr[i-1])) {
			j := i + 7
			for j < len(expr) && (isIdentStart(expr[j]) || expr[j] >= '0' && expr[j] <= '9') {
				j++
			}
			if j > i+7 {
				out = append(out, expr[i+7:j])
			}
			i = j - 1
		}
	}
	return out
}

// spCheckFieldQuery answers the 400s of a $filter or $orderby on fields:
// unknown columns, and columns that are not indexed without the Prefer
// header.
func (s *Server) spCheckFieldQuery(c *call, l *spList) *graphError {
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil // parseListQuery answers
	}
	var refs []string
	for _, name := range []string{"filter", "orderby"} {
		if src, ok := option(v, name); ok {
			refs = append(refs, spFieldRefs(src)...)
		}
	}
	if len(refs) == 0 {
		return nil
	}
	honor := spHonorsNonIndexed(c.r)
	ss := &s.sites
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, name := range refs {
		col := l.column(name)
		if col == nil {
			if base, ok := strings.CutSuffix(name, "LookupId"); ok {
				col = l.column(base)
			}
		}
		if col == nil {
			return errSPInvalid("Field '" + name + "' is not recognized")
		}
		if col["indexed"] != true && !honor {
			return errSPInvalid("Field '" + name + "' cannot be referenced in filter or orderby as it is not indexed. " +
				"Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.")
		}
	}
	return nil
}

func (s *Server) spItemSpec(c *call, st *spSite, l *spList) *listSpec {
	return &listSpec{
		coll: s.sites.items, part: l.id,
		context:    c.spContext("sites('" + st.id + "')/lists('" + l.id + "')/items"),
		entityType: "microsoft.graph.listItem", props: lowerSet(spItemProps),
		defaultTop: spPageSize, maxTop: 5000,
		expandable: map[string]bool{"fields": true},
		expand: func(c *call, e *entity, it query.ExpandItem) ([]byte, *graphError) {
			return spEncodeFields(e.doc, it.Select), nil
		},
	}
}

// spEncodeFields encodes an item's fields, only the selected ones when sel
// is not empty.
func spEncodeFields(doc map[string]any, sel []string) []byte {
	f, _ := doc["fields"].(map[string]any)
	if len(sel) == 0 {
		if raw, ok := doc[spItemFieldsRaw].([]byte); ok {
			return raw
		}
		return encodeObject(f, []string{"@odata.etag", "Title"})
	}
	out := map[string]any{}
	for _, name := range sel {
		for k, v := range f {
			if strings.EqualFold(k, name) {
				out[k] = v
			}
		}
	}
	return encodeObject(out, sel)
}

func (s *Server) spItemListing(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	if gerr := s.spCheckFieldQuery(c, l); gerr != nil {
		c.writeError(gerr)
		return
	}
	s.spItemSpec(c, st, l).serveList(c, false)
}

// spRouteItem resolves {listItem-id}; on failure it answers.
func (s *Server) spRouteItem(c *call) (*spSite, *spList, *entity) {
	st, l := s.spRouteList(c)
	if l == nil {
		return nil, nil, nil
	}
	e, ok := s.sites.items.get(l.id + "/" + c.params["listItem-id"])
	if !ok {
		c.writeError(errSPItemNotFound())
		return nil, nil, nil
	}
	return st, l, e
}

func (s *Server) spItemGet(c *call) {
	st, l, e := s.spRouteItem(c)
	if e == nil {
		return
	}
	s.spItemSpec(c, st, l).serveEntity(c, e, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/items/$entity"))
}

func (s *Server) spItemFieldsGet(c *call) {
	st, l, e := s.spRouteItem(c)
	if e == nil {
		return
	}
	ctx := c.spContext("sites('" + st.id + "')/lists('" + l.id + "')/items('" + str(e.doc["id"]) + "')/fields/$entity")
	var sel []string
	if v, err := url.ParseQuery(c.r.URL.RawQuery); err == nil {
		if src, ok := option(v, "select"); ok {
			if sel, err = query.ParseSelect(src); err != nil {
				c.writeError(errBadRequest(err.Error()))
				return
			}
		}
	}
	c.w.Header().Set("ETag", e.etag)
	c.writeEntity(http.StatusOK, ctx, spEncodeFields(e.doc, sel))
}

// spItemCreate is POST .../items with {"fields": {...}}.
func (s *Server) spItemCreate(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	fields := map[string]any{}
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@odata."):
		case k == "fields":
			m, ok := v.(map[string]any)
			if !ok {
				c.writeError(errSPInvalid("Invalid value for property 'fields'."))
				return
			}
			fields = m
		case k == "contentType":
		case spItemProps[k]:
			c.writeError(errSPInvalid("The property '" + k + "' is read-only and cannot be set."))
			return
		default:
			c.writeError(errUnknownProperty(k, "microsoft.graph.listItem"))
			return
		}
	}
	ss := &s.sites
	ss.mu.Lock()
	if ss.lists[l.id] == nil {
		ss.mu.Unlock()
		c.writeError(errSPListNotFound())
		return
	}
	values := map[string]any{}
	if gerr := spApplyFields(l, values, fields); gerr != nil {
		ss.mu.Unlock()
		c.writeError(gerr)
		return
	}
	doc := s.spNewItemDoc(c, st, l, values, c.now)
	e := spItemEntity(l.id, doc)
	ss.items.put(e)
	ss.mu.Unlock()
	s.spPublishItem(st, l, e, "created")
	c.w.Header().Set("ETag", e.etag)
	out := encodeObject(doc, spItemOrder, spItemSeq, spItemList, spItemFieldsRaw, "fields")
	out = append(bytes.TrimSuffix(out, []byte("}")), []byte(`,"fields":`)...)
	out = append(out, spEncodeFields(doc, nil)...)
	out = append(out, '}')
	c.writeEntity(http.StatusCreated, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/items/$entity"), out)
}

// spItemFieldsPatch is PATCH .../items/{id}/fields: it changes the given
// fields only and answers the item's fields.
func (s *Server) spItemFieldsPatch(c *call) {
	st, l, e := s.spRouteItem(c)
	if e == nil {
		return
	}
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	cur, ok := ss.items.get(e.id)
	if !ok {
		ss.mu.Unlock()
		c.writeError(errSPItemNotFound())
		return
	}
	if !c.checkIfMatch(cur) {
		ss.mu.Unlock()
		return
	}
	stored, _ := cur.doc["fields"].(map[string]any)
	fields := spCloneMap(stored)
	if gerr := spApplyFields(l, fields, in); gerr != nil {
		ss.mu.Unlock()
		c.writeError(gerr)
		return
	}
	doc := s.spTouchItem(c, cur.doc, fields, c.now)
	ne := spItemEntity(l.id, doc)
	ss.items.put(ne)
	ss.mu.Unlock()
	s.spPublishItem(st, l, ne, "updated")
	c.w.Header().Set("ETag", ne.etag)
	c.writeEntity(http.StatusOK, c.spContext("sites('"+st.id+"')/lists('"+l.id+"')/items('"+str(doc["id"])+"')/fields/$entity"), spEncodeFields(doc, nil))
}

func (s *Server) spItemDelete(c *call) {
	st, l, e := s.spRouteItem(c)
	if e == nil {
		return
	}
	ss := &s.sites
	ss.mu.Lock()
	cur, ok := ss.items.get(e.id)
	if ok && !c.checkIfMatch(cur) {
		ss.mu.Unlock()
		return
	}
	if !ok || !ss.items.remove(e.id) {
		ss.mu.Unlock()
		c.writeError(errSPItemNotFound())
		return
	}
	ss.mu.Unlock()
	s.spPublishItem(st, l, e, "deleted")
	c.w.WriteHeader(http.StatusNoContent)
}

// spPublishItem hands a list item change to the subscriptions.
func (s *Server) spPublishItem(st *spSite, l *spList, e *entity, typ string) {
	id := str(e.doc["id"])
	ch := change{
		Topics:    []string{"sites/" + st.id + "/lists/" + l.id},
		Type:      typ,
		Resource:  "sites/" + st.id + "/lists/" + l.id + "/items/" + id,
		ID:        id,
		ODataType: "#Microsoft.Graph.ListItem",
	}
	if typ != "deleted" {
		ch.Data = e.raw
	}
	s.publish(ch)
}

// Delta.

// spItemToken is the state a list item delta token carries.
type spItemToken struct {
	List   string `json:"l"`
	Since  uint64 `json:"s"`
	Round  string `json:"r,omitempty"`
	Offset int    `json:"o,omitempty"`
}

func (t spItemToken) encode() string { return encodeStateToken("SP", t) }

// spItemDelta is GET .../items/delta?token=...: the first round yields every item with its
// fields, later rounds what changed; token=latest answers no items and a
// deltaLink from now.
func (s *Server) spItemDelta(c *call) {
	st, l := s.spRouteList(c)
	if l == nil {
		return
	}
	ss := &s.sites
	tok := spItemToken{List: l.id}
	raw := ""
	if v, err := url.ParseQuery(c.r.URL.RawQuery); err == nil {
		if t, ok := option(v, "token"); ok {
			raw = t
		}
	}
	link := c.base() + "/sites/" + url.PathEscape(st.id) + "/lists/" + url.PathEscape(l.id) + "/items/delta?token="
	if strings.EqualFold(raw, "latest") {
		dl := spItemToken{List: l.id, Since: ss.items.currentVersion()}
		var b bytes.Buffer
		b.WriteString(`{"@odata.context":`)
		writeJSONString(&b, c.spContext("Collection(listItem)"))
		b.WriteString(`,"@odata.deltaLink":`)
		writeJSONString(&b, link+dl.encode())
		b.WriteString(`,"value":[]}`)
		c.writeRaw(http.StatusOK, b.Bytes())
		return
	}
	if raw != "" {
		var t spItemToken
		if !decodeStateToken("SP", raw, &t) || t.List != l.id {
			c.writeError(errorf(http.StatusGone, "resyncRequired", "The delta token is no longer valid: start a new delta round."))
			return
		}
		tok = t
	}
	var round *todoRound
	if tok.Round != "" {
		ss.mu.Lock()
		round = ss.rounds[tok.Round]
		ss.mu.Unlock()
		if round == nil {
			c.writeError(errorf(http.StatusGone, "resyncRequired", "The delta token is no longer valid: start a new delta round."))
			return
		}
	} else {
		round = &todoRound{}
		changed, deleted, now := ss.items.changesSince(l.id, tok.Since)
		round.upTo = now
		for _, e := range changed {
			out := bytes.TrimSuffix(e.raw, []byte("}"))
			out = append(append([]byte(nil), out...), []byte(`,"fields":`)...)
			out = append(out, spEncodeFields(e.doc, nil)...)
			round.items = append(round.items, append(out, '}'))
		}
		for _, d := range deleted {
			if tok.Since == 0 {
				continue
			}
			var b bytes.Buffer
			_, id, _ := strings.Cut(d.id, "/")
			spWriteRemoved(&b, "#microsoft.graph.listItem", id)
			round.items = append(round.items, b.Bytes())
		}
		tok.Round, tok.Offset = todoID("R"), 0
		ss.mu.Lock()
		ss.rounds[tok.Round] = round
		ss.roundOrder = append(ss.roundOrder, tok.Round)
		if len(ss.roundOrder) > 256 {
			delete(ss.rounds, ss.roundOrder[0])
			ss.roundOrder = ss.roundOrder[1:]
		}
		ss.mu.Unlock()
	}
	size := maxPageSize(c.r)
	if v, err := url.ParseQuery(c.r.URL.RawQuery); err == nil {
		if t, ok := option(v, "top"); ok {
			if n, err := strconv.Atoi(t); err == nil && n > 0 {
				size = n
			}
		}
	}
	if size <= 0 {
		size = spPageSize
	}
	start := min(tok.Offset, len(round.items))
	end := min(start+size, len(round.items))
	var b bytes.Buffer
	b.WriteString(`{"@odata.context":`)
	writeJSONString(&b, c.spContext("Collection(listItem)"))
	if end < len(round.items) {
		next := tok
		next.Offset = end
		b.WriteString(`,"@odata.nextLink":`)
		writeJSONString(&b, link+next.encode())
	} else {
		dl := spItemToken{List: l.id, Since: round.upTo}
		b.WriteString(`,"@odata.deltaLink":`)
		writeJSONString(&b, link+dl.encode())
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
