package emulator

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/o365go/o365/emulator/internal/query"
)

// listSpec describes how one collection is listed: which entities are in
// scope, page sizes, the paging style and the OData rules of its service.
type listSpec struct {
	coll *collection
	// part and group select the view of the collection that is listed
	// (a mailbox, a folder of it); both "" list the whole collection.
	part, group string
	// context is the @odata.context URL of the collection, without a
	// $select suffix.
	context string
	// entityType is the type name Graph puts in errors, such as
	// "microsoft.graph.message".
	entityType string
	// props are the known property names (lower case), for $select and
	// $orderby validation.
	props map[string]bool
	// defaultTop and maxTop are the default page size and the largest
	// $top accepted.
	defaultTop, maxTop int
	// directory selects the directory rules: opaque $skiptoken paging,
	// ConsistencyLevel: eventual for $count and $search, directory error
	// codes.
	directory bool
	// search are the properties a bare $search term looks in.
	search []string
	// extra returns a property that is not in the stored document but can
	// be selected (a message's uniqueBody), encoded.
	extra func(e *entity, src []byte, name string) ([]byte, bool)
	// expand returns the encoded value of a navigation property for
	// $expand; nil means the collection supports none.
	expand func(c *call, e *entity, it query.ExpandItem) ([]byte, *graphError)
	// expandable lists the navigation properties expand accepts (lower case).
	expandable map[string]bool
	// check rejects option combinations the service rejects.
	check func(q *listQuery) *graphError
	// rewrite, when set, returns the representation of an entity to send
	// instead of the stored one (Prefer: outlook.body-content-type).
	rewrite func(src []byte) []byte
}

// source is the stored representation of e to serve: the full one when
// properties outside the default set are selected.
func (sp *listSpec) source(e *entity, selecting bool) []byte {
	src := e.raw
	if selecting && e.full != nil {
		src = e.full
	}
	if sp.rewrite != nil {
		src = sp.rewrite(src)
	}
	return src
}

// listQuery is the parsed system query options of a list request.
type listQuery struct {
	filterSrc string
	filter    *query.Filter
	orderSrc  string
	orderBy   query.OrderBy
	sel       []string
	search    *query.Search
	searchSrc string
	expand    query.Expand
	top       int // 0 when absent
	skip      int
	count     bool
	pageSize  int // from Prefer: odata.maxpagesize
	values    url.Values
}

// option returns a system query option, accepting it with or without "$"
// as Graph v1.0 does.
func option(v url.Values, name string) (string, bool) {
	if s, ok := v["$"+name]; ok && len(s) > 0 {
		return s[0], true
	}
	if s, ok := v[name]; ok && len(s) > 0 {
		return s[0], true
	}
	return "", false
}

func (sp *listSpec) badRequest(msg string) *graphError {
	if sp.directory {
		return errorf(http.StatusBadRequest, "Request_BadRequest", msg)
	}
	return errorf(http.StatusBadRequest, "BadRequest", msg)
}

func (sp *listSpec) unknownProperty(name string) *graphError {
	msg := "Could not find a property named '" + name + "' on type '" + sp.entityType + "'."
	if sp.directory {
		return errorf(http.StatusBadRequest, "Request_BadRequest", msg)
	}
	return errorf(http.StatusBadRequest, "RequestBroker--ParseUri", msg)
}

// parseListQuery parses and validates the options of a list request.
func (sp *listSpec) parseListQuery(c *call) (*listQuery, *graphError) {
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, sp.badRequest("The query specified in the URI is not valid.")
	}
	q := &listQuery{values: v}
	if s, ok := option(v, "filter"); ok {
		f, err := query.ParseFilter(s)
		if err != nil {
			return nil, sp.badRequest(err.Error())
		}
		q.filter, q.filterSrc = f, s
		for _, name := range referencedNames(s) {
			if sp.props != nil && !sp.props[lower(name)] && !strings.HasPrefix(name, "@") && !strings.Contains(name, ".") {
				return nil, sp.unknownProperty(name)
			}
		}
		if sp.directory && !eventual(c.r) && needsAdvancedQuery(s) {
			// Directory objects evaluate ne, not and endswith only as
			// advanced queries (concepts/aad-advanced-queries.md).
			return nil, errorf(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported Query.")
		}
	}
	if s, ok := option(v, "orderby"); ok {
		o, err := query.ParseOrderBy(s)
		if err != nil {
			return nil, sp.badRequest(err.Error())
		}
		for _, k := range o {
			if len(k.Path) > 0 && sp.props != nil && !sp.props[lower(k.Path[0])] {
				return nil, sp.unknownProperty(k.Path[0])
			}
		}
		q.orderBy, q.orderSrc = o, s
		if sp.directory && q.filter != nil && !eventual(c.r) {
			return nil, errorf(http.StatusBadRequest, "Request_UnsupportedQuery", "Sorting not supported for current query.")
		}
	}
	if s, ok := option(v, "select"); ok {
		sel, err := query.ParseSelect(s)
		if err != nil {
			return nil, sp.badRequest(err.Error())
		}
		for _, name := range sel {
			if sp.props != nil && !sp.props[lower(name)] && !strings.HasPrefix(name, "@") {
				return nil, sp.unknownProperty(name)
			}
		}
		q.sel = sel
	}
	if s, ok := option(v, "search"); ok {
		if sp.directory && !eventual(c.r) {
			return nil, errorf(http.StatusBadRequest, "Request_UnsupportedQuery",
				"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'")
		}
		se, err := query.ParseSearch(s)
		if err != nil {
			return nil, sp.badRequest(err.Error())
		}
		q.search, q.searchSrc = se, s
	}
	if s, ok := option(v, "expand"); ok {
		ex, err := query.ParseExpand(s)
		if err != nil {
			return nil, sp.badRequest(err.Error())
		}
		for _, it := range ex {
			if !sp.expandable[lower(it.Name)] {
				if sp.directory {
					return nil, sp.badRequest("Could not find a navigation property named '" + it.Name + "' on type '" + sp.entityType + "'.")
				}
				return nil, sp.unknownProperty(it.Name)
			}
		}
		q.expand = ex
	}
	if s, ok := option(v, "top"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, sp.badRequest("Invalid value '" + s + "' for $top query option found.")
		}
		if n > sp.maxTop || n == 0 && sp.directory {
			if sp.directory {
				return nil, sp.badRequest("Invalid page size specified: '" + s + "'. Must be between 1 and " + strconv.Itoa(sp.maxTop) + " inclusive.")
			}
			return nil, errorf(http.StatusBadRequest, "ErrorInvalidArgument", "The value of $top must be between 1 and "+strconv.Itoa(sp.maxTop)+".")
		}
		q.top = n
	}
	if s, ok := option(v, "skip"); ok {
		if sp.directory {
			return nil, errorf(http.StatusBadRequest, "Request_BadRequest", "'$skip' is not supported by the service.")
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, sp.badRequest("Invalid value '" + s + "' for $skip query option found.")
		}
		q.skip = n
	}
	if s, ok := option(v, "skiptoken"); ok {
		n, ok := decodeSkipToken(s)
		if !ok {
			return nil, sp.badRequest("The specified page token value has expired and can no longer be included in your request.")
		}
		q.skip = n
	}
	if s, ok := option(v, "count"); ok {
		switch lower(s) {
		case "true":
			q.count = true
		case "false":
		default:
			return nil, sp.badRequest("Invalid value '" + s + "' for $count query option found.")
		}
		if q.count && sp.directory && !eventual(c.r) {
			return nil, errCountNeedsEventual()
		}
	}
	q.pageSize = maxPageSize(c.r)
	if sp.check != nil {
		if e := sp.check(q); e != nil {
			return nil, e
		}
	}
	return q, nil
}

func errCountNeedsEventual() *graphError {
	return errorf(http.StatusBadRequest, "Request_UnsupportedQuery",
		"$count is not currently supported without the request header 'ConsistencyLevel: eventual'.")
}

// eventual reports whether the request asks for the directory's advanced
// query capabilities.
func eventual(r *http.Request) bool {
	return strings.EqualFold(strings.TrimSpace(r.Header.Get("ConsistencyLevel")), "eventual")
}

// maxPageSize reads Prefer: odata.maxpagesize=N (0 when absent).
func maxPageSize(r *http.Request) int {
	for _, h := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(h, ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "odata.maxpagesize") {
				if n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(v), `"`)); err == nil && n > 0 {
					return n
				}
			}
		}
	}
	return 0
}

// preference returns the value of a Prefer preference ("" when absent),
// unquoted.
func preference(r *http.Request, name string) string {
	for _, h := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(h, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), name) {
				return strings.Trim(strings.TrimSpace(v), `"`)
			}
		}
	}
	return ""
}

// skip tokens are opaque to clients but simply carry the offset.
func encodeSkipToken(n int) string {
	return "RFNwdAIAAQAAA" + base64.RawURLEncoding.EncodeToString([]byte("o:"+strconv.Itoa(n)))
}

func decodeSkipToken(s string) (int, bool) {
	rest, ok := strings.CutPrefix(s, "RFNwdAIAAQAAA")
	if !ok {
		return 0, false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(b), "o:"))
	if err != nil || n < 0 || !bytes.HasPrefix(b, []byte("o:")) {
		return 0, false
	}
	return n, true
}

// needsAdvancedQuery reports whether a directory filter uses an operator
// that needs ConsistencyLevel: eventual.
func needsAdvancedQuery(expr string) bool {
	for _, w := range filterWords(expr) {
		switch lower(w) {
		case "ne", "not", "endswith":
			return true
		}
	}
	return false
}

// filterWords returns the words of an expression outside string literals.
func filterWords(expr string) []string {
	var out []string
	for i := 0; i < len(expr); {
		switch ch := expr[i]; {
		case ch == '\'':
			i++
			for i < len(expr) {
				if expr[i] == '\'' {
					if i+1 < len(expr) && expr[i+1] == '\'' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			i++
		case isIdentStart(ch):
			j := i
			for j < len(expr) && (isIdentStart(expr[j]) || expr[j] >= '0' && expr[j] <= '9') {
				j++
			}
			out = append(out, expr[i:j])
			i = j
		default:
			i++
		}
	}
	return out
}

// needsFull reports whether evaluating the query needs more than the
// collection's compact index.
func (sp *listSpec) needsFull(q *listQuery) bool {
	if sp.coll.indexed == nil {
		return false
	}
	for _, src := range []string{q.filterSrc, q.orderSrc} {
		for _, name := range referencedNames(src) {
			if !sp.coll.indexed[lower(name)] {
				return true
			}
		}
	}
	if q.search != nil {
		for _, f := range sp.search {
			if !sp.coll.indexed[lower(f)] {
				return true
			}
		}
		for _, name := range searchFields(q.searchSrc) {
			if !sp.coll.indexed[lower(name)] {
				return true
			}
		}
	}
	return false
}

// referencedNames returns the first segments of the property paths an
// expression refers to (conservatively: every identifier outside string
// literals that is not an operator or function name).
func referencedNames(expr string) []string {
	var out []string
	lambdaVars := map[string]bool{}
	for i := 0; i < len(expr); {
		ch := expr[i]
		switch {
		case ch == '\'':
			i++
			for i < len(expr) {
				if expr[i] == '\'' {
					if i+1 < len(expr) && expr[i+1] == '\'' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			i++
		case isIdentStart(ch):
			j := i
			for j < len(expr) && (isIdentStart(expr[j]) || expr[j] >= '0' && expr[j] <= '9' || expr[j] == '.') {
				j++
			}
			word := expr[i:j]
			prevSlash := i > 0 && expr[i-1] == '/'
			next := byte(0)
			k := j
			for k < len(expr) && expr[k] == ' ' {
				k++
			}
			if k < len(expr) {
				next = expr[k]
			}
			if j < len(expr) && expr[j] == '-' && len(word) == 8 && isHex(word) {
				// A bare GUID literal (cbdc14ab-d96c-...): skip it.
				for j < len(expr) && (isHex(expr[j:j+1]) || expr[j] == '-') {
					j++
				}
				i = j
				continue
			}
			i = j
			if prevSlash || next == '(' {
				continue
			}
			if next == ':' {
				lambdaVars[word] = true
				continue
			}
			switch lower(word) {
			case "eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "in", "has", "true", "false", "null", "asc", "desc", "any", "all":
				continue
			}
			if lambdaVars[word] {
				continue
			}
			out = append(out, word)
		case ch >= '0' && ch <= '9':
			// Numbers, dates and GUIDs: skip the whole literal.
			for i < len(expr) && (isIdentStart(expr[i]) || expr[i] >= '0' && expr[i] <= '9' || strings.IndexByte("-:.+", expr[i]) >= 0) {
				i++
			}
		default:
			i++
		}
	}
	return out
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func isIdentStart(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == '@' || b == '$'
}

// searchFields returns the properties named in "prop:term" clauses.
func searchFields(src string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(src, func(r rune) bool { return r == '"' || r == ' ' || r == '(' || r == ')' }) {
		if k, _, ok := strings.Cut(part, ":"); ok && k != "" {
			out = append(out, k)
		}
	}
	return out
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// serveList answers a list request (or its /$count) from the collection.
func (sp *listSpec) serveList(c *call, countOnly bool) {
	if countOnly && sp.directory && !eventual(c.r) {
		c.writeError(errCountNeedsEventual())
		return
	}
	q, gerr := sp.parseListQuery(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	full := sp.needsFull(q)
	version := sp.coll.currentVersion() // before the snapshot: see cacheResult
	var snap []*entity
	if sp.part == "" && sp.group == "" {
		snap = sp.coll.snapshot()
	} else {
		snap = sp.coll.view(sp.part, sp.group)
	}
	evaluate := q.filter != nil || q.search != nil
	var (
		matched []*entity
		docs    []map[string]any
		total   int
	)
	pageSize := sp.defaultTop
	if q.pageSize > 0 {
		pageSize = min(q.pageSize, sp.maxTop)
	}
	if q.top > 0 {
		pageSize = q.top
	}
	sorting := len(q.orderBy) > 0
	var page []*entity
	if !evaluate && !sorting {
		// The common case (plain paging): the view is the result.
		total = len(snap)
		page = window(snap, q.skip, pageSize)
	} else {
		key := strings.Join([]string{sp.part, sp.group, q.filterSrc, q.searchSrc, q.orderSrc, strings.Join(sp.search, ",")}, "\x00")
		result, ok := sp.coll.cachedResult(key)
		if !ok {
			for _, e := range snap {
				doc := sp.coll.document(e, full)
				if q.filter != nil {
					ok, err := q.filter.Match(doc)
					if err != nil {
						c.writeError(sp.badRequest("Invalid filter clause: " + err.Error()))
						return
					}
					if !ok {
						continue
					}
				}
				if q.search != nil && !q.search.Match(doc, sp.search...) {
					continue
				}
				matched = append(matched, e)
				if sorting {
					docs = append(docs, doc)
				}
			}
			if sorting {
				idx := make([]int, len(matched))
				for i := range idx {
					idx[i] = i
				}
				slices.SortStableFunc(idx, func(a, b int) int { return q.orderBy.Compare(docs[a], docs[b]) })
				sorted := make([]*entity, len(idx))
				for i, j := range idx {
					sorted[i] = matched[j]
				}
				matched = sorted
			}
			result = matched
			sp.coll.cacheResult(key, version, result)
		}
		total = len(result)
		page = window(result, q.skip, pageSize)
	}
	if countOnly {
		c.writeText(http.StatusOK, strconv.Itoa(total))
		return
	}
	more := total > q.skip+len(page)

	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	buf.WriteString(`{"@odata.context":`)
	ctx := sp.context
	if len(q.sel) > 0 {
		ctx += "(" + strings.Join(q.sel, ",") + ")"
	}
	writeJSONString(buf, ctx)
	if q.count {
		buf.WriteString(`,"@odata.count":`)
		buf.WriteString(strconv.Itoa(total))
	}
	next := ""
	if more {
		next = sp.nextLink(c, q, q.skip+len(page))
	}
	if sp.directory && next != "" {
		buf.WriteString(`,"@odata.nextLink":`)
		writeJSONString(buf, next)
	}
	buf.WriteString(`,"value":[`)
	for i, e := range page {
		if i > 0 {
			buf.WriteByte(',')
		}
		if len(q.sel) == 0 && len(q.expand) == 0 {
			buf.Write(sp.source(e, false))
			continue
		}
		if gerr := sp.writeItem(buf, c, e, q); gerr != nil {
			c.writeError(gerr)
			return
		}
	}
	buf.WriteByte(']')
	if !sp.directory && next != "" {
		buf.WriteString(`,"@odata.nextLink":`)
		writeJSONString(buf, next)
	}
	buf.WriteByte('}')
	if q.pageSize > 0 {
		c.w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(q.pageSize))
	}
	c.writeRaw(http.StatusOK, buf.Bytes())
	if buf.Cap() > 64<<20 {
		buf.Reset()
		*buf = bytes.Buffer{} // do not keep huge buffers pooled
	}
}

// window returns items[skip:skip+n], clipped, without overflowing on
// huge $skip values.
func window(items []*entity, skip, n int) []*entity {
	if skip < 0 || skip >= len(items) {
		return nil
	}
	rest := items[skip:]
	if n < len(rest) {
		rest = rest[:n]
	}
	return rest
}

// writeItem writes one entity with $select and $expand applied.
func (sp *listSpec) writeItem(buf *bytes.Buffer, c *call, e *entity, q *listQuery) *graphError {
	src := sp.source(e, len(q.sel) > 0)
	var extras []member
	for _, it := range q.expand {
		if sp.expand == nil {
			return sp.unknownProperty(it.Name)
		}
		v, gerr := sp.expand(c, e, it)
		if gerr != nil {
			return gerr
		}
		if v != nil {
			extras = append(extras, member{key: it.Name, val: v})
		}
	}
	project(buf, src, q.sel, func(name string) ([]byte, bool) {
		if sp.extra != nil {
			return sp.extra(e, src, name)
		}
		return nil, false
	}, extras)
	return nil
}

// nextLink is the request URL with the paging option moved to offset.
func (sp *listSpec) nextLink(c *call, q *listQuery, offset int) string {
	v := url.Values{}
	for k, vs := range q.values {
		switch strings.TrimPrefix(k, "$") {
		case "skip", "skiptoken":
			continue
		}
		v[k] = vs
	}
	if sp.directory {
		v.Set("$skiptoken", encodeSkipToken(offset))
	} else {
		v.Set("$skip", strconv.Itoa(offset))
	}
	return baseURL(c.r) + c.r.URL.EscapedPath() + "?" + v.Encode()
}

// serveEntity answers a single-entity GET with $select/$expand applied.
func (sp *listSpec) serveEntity(c *call, e *entity, ctx string) {
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.writeError(sp.badRequest("The query specified in the URI is not valid."))
		return
	}
	q := &listQuery{values: v}
	if s, ok := option(v, "select"); ok {
		sel, err := query.ParseSelect(s)
		if err != nil {
			c.writeError(sp.badRequest(err.Error()))
			return
		}
		for _, name := range sel {
			if sp.props != nil && !sp.props[lower(name)] {
				c.writeError(sp.unknownProperty(name))
				return
			}
		}
		q.sel = sel
	}
	if s, ok := option(v, "expand"); ok {
		ex, err := query.ParseExpand(s)
		if err != nil {
			c.writeError(sp.badRequest(err.Error()))
			return
		}
		for _, it := range ex {
			if !sp.expandable[lower(it.Name)] {
				c.writeError(sp.unknownProperty(it.Name))
				return
			}
		}
		q.expand = ex
	}
	if !c.checkIfMatch(e) {
		return
	}
	if len(q.sel) > 0 {
		ctx = strings.TrimSuffix(ctx, "/$entity") + "(" + strings.Join(q.sel, ",") + ")/$entity"
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	var item bytes.Buffer
	if len(q.sel) == 0 && len(q.expand) == 0 {
		item.Write(sp.source(e, false))
	} else if gerr := sp.writeItem(&item, c, e, q); gerr != nil {
		c.writeError(gerr)
		return
	}
	buf.WriteString(`{"@odata.context":`)
	writeJSONString(buf, ctx)
	body := bytes.TrimPrefix(item.Bytes(), []byte("{"))
	if len(body) > 1 {
		buf.WriteByte(',')
	}
	buf.Write(body)
	if e.etag != "" {
		c.w.Header().Set("ETag", e.etag)
	}
	c.writeRaw(http.StatusOK, buf.Bytes())
}

// checkIfMatch answers 412 when If-Match does not match the entity's etag.
func (c *call) checkIfMatch(e *entity) bool {
	im := c.r.Header.Get("If-Match")
	if im == "" || im == "*" {
		return true
	}
	for _, t := range strings.Split(im, ",") {
		t = strings.TrimSpace(t)
		if t == e.etag || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(e.etag, "W/") {
			return true
		}
	}
	ge := errorf(http.StatusPreconditionFailed, "ErrorIrresolvableConflict",
		"The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.")
	c.writeError(ge)
	return false
}
