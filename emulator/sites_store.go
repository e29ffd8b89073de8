package emulator

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SharePoint sites and lists (sharepoint-concept-overview.md, site.md,
// list.md, listitem.md, columndefinition.md, contenttype.md).
//
// One tenant host (contoso.sharepoint.com) holds site collections; each
// site (web) has the id "{host},{site-collection-guid},{web-guid}".
// Sites are few and kept in a slice; lists are per site, and list items
// live in one versioned collection partitioned by list, so item listings
// page with the shared listSpec and item deltas read changesSince.

// spHost is the emulated tenant's SharePoint host name.
const spHost = "contoso.sharepoint.com"

// spSite is one site (a web of a site collection).
type spSite struct {
	id, siteGUID, webGUID string
	// path is the server-relative path ("" for the tenant's root site,
	// "/sites/marketing" for a team site, ".../campaigns" for a subsite).
	path        string
	name        string
	displayName string
	description string
	parent      string // the parent web's id; "" for a collection's root web
	created     time.Time
	modified    time.Time
}

func (st *spSite) webURL() string { return "https://" + spHost + st.path }

// collectionRoot reports whether the site is the root web of its collection.
func (st *spSite) collectionRoot() bool { return st.parent == "" }

// doc is the site's default representation.
func (st *spSite) doc() map[string]any {
	d := map[string]any{
		"id": st.id, "name": st.name, "displayName": st.displayName, "description": st.description,
		"createdDateTime": spTime(st.created), "lastModifiedDateTime": spTime(st.modified), "webUrl": st.webURL(),
		"siteCollection": map[string]any{"hostname": spHost},
		// eTag is Graph's version of the site (a quoted id and version).
		"eTag": `"` + st.webGUID + `,1"`,
	}
	if st.collectionRoot() {
		d["root"] = map[string]any{}
		sc := d["siteCollection"].(map[string]any)
		sc["dataLocationCode"] = "NAM"
		if st.path == "" {
			sc["root"] = map[string]any{}
		}
	}
	return d
}

// fullDoc adds the properties Graph returns only on $select.
func (st *spSite) fullDoc() map[string]any {
	d := st.doc()
	d["sharepointIds"] = map[string]any{"siteId": st.siteGUID, "siteUrl": st.webURL(), "webId": st.webGUID, "tenantId": ""}
	return d
}

var spSiteOrder = []string{"@odata.etag", "createdDateTime", "description", "id", "lastModifiedDateTime", "name", "webUrl", "displayName", "root", "siteCollection"}

// spList is a list of a site with its columns and content types.
type spList struct {
	id, siteID string
	doc        map[string]any
	columns    []map[string]any
	ctypes     []map[string]any
	nextItem   int
}

// siteState is the SharePoint area's data. The zero value is ready.
type siteState struct {
	once sync.Once
	// mu guards sites, lists, siteColumns, siteTypes and rounds, and
	// serialises item writes.
	mu          sync.Mutex
	sites       []*spSite
	lists       map[string]*spList // by id
	listOrder   []string
	siteColumns map[string][]map[string]any // by site id
	siteTypes   map[string][]map[string]any // by site id
	items       *collection
	rounds      map[string]*todoRound
	roundOrder  []string
}

func (ss *siteState) init() {
	ss.once.Do(func() {
		ss.lists = map[string]*spList{}
		ss.siteColumns = map[string][]map[string]any{}
		ss.siteTypes = map[string][]map[string]any{}
		ss.items = newCollection("listItems", nil)
		ss.rounds = map[string]*todoRound{}
	})
}

// spTime formats t as SharePoint timestamps are written.
func spTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// spAddSite adds a site (no I/O, used by the seed). parent is the parent
// web's id or "" for a new site collection.
func (s *Server) spAddSite(path, name, displayName, description, parent string, created time.Time) *spSite {
	ss := &s.sites
	ss.init()
	st := &spSite{path: path, name: name, displayName: displayName, description: description, parent: parent, created: created, modified: created}
	st.webGUID = deterministicID("spweb", path)
	st.siteGUID = deterministicID("spsite", path)
	ss.mu.Lock()
	if parent != "" {
		for _, p := range ss.sites {
			if p.id == parent {
				st.siteGUID = p.siteGUID
			}
		}
	}
	st.id = spHost + "," + st.siteGUID + "," + st.webGUID
	ss.sites = append(ss.sites, st)
	ss.siteTypes[st.id] = spDefaultSiteContentTypes()
	ss.mu.Unlock()
	return st
}

// spResolveSite finds a site by any id form Graph accepts: "root", the host
// name (the root site), "{host},{site-guid},{web-guid}", "{host},{site-guid}"
// or "{site-guid}" (a collection's root web). Ids compare without case.
func (s *Server) spResolveSite(key string) (*spSite, *graphError) {
	if host, path, ok := siteRefPath(key); ok { // "{host}:/{path}" (sites_path.go)
		return s.spSiteByPath(host, path)
	}
	ss := &s.sites
	ss.init()
	key = strings.TrimSuffix(strings.TrimSpace(key), "/")
	ss.mu.Lock()
	defer ss.mu.Unlock()
	parts := strings.Split(key, ",")
	host := ""
	switch {
	case strings.EqualFold(key, "root"):
		host = spHost
		parts = nil
	case len(parts) == 1 && strings.Contains(key, "."):
		host, parts = key, nil
	case len(parts) == 1:
		// a site collection guid alone
	default:
		host, parts = parts[0], parts[1:]
	}
	if host != "" && !strings.EqualFold(host, spHost) {
		return nil, errorf(http.StatusBadRequest, "invalidRequest", "Invalid hostname for this tenancy")
	}
	for _, st := range ss.sites {
		switch len(parts) {
		case 0:
			if st.path == "" {
				return st, nil
			}
		case 1:
			if strings.EqualFold(parts[0], st.siteGUID) && st.collectionRoot() {
				return st, nil
			}
		case 2:
			if strings.EqualFold(parts[0], st.siteGUID) && strings.EqualFold(parts[1], st.webGUID) {
				return st, nil
			}
		}
	}
	return nil, errSiteNotFound()
}

// spSiteByPath finds a site by host and server-relative path.
func (s *Server) spSiteByPath(host, path string) (*spSite, *graphError) {
	if !strings.EqualFold(host, spHost) {
		return nil, errorf(http.StatusBadRequest, "invalidRequest", "Invalid hostname for this tenancy")
	}
	path = "/" + strings.Trim(path, "/")
	if path == "/" {
		path = ""
	}
	ss := &s.sites
	ss.init()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for _, st := range ss.sites {
		if strings.EqualFold(st.path, path) {
			return st, nil
		}
	}
	return nil, errSiteNotFound()
}

func errSiteNotFound() *graphError {
	return errorf(http.StatusNotFound, "itemNotFound", "Requested site could not be found")
}

func errSPListNotFound() *graphError {
	return errorf(http.StatusNotFound, "itemNotFound", "The requested list was not found")
}

func errSPItemNotFound() *graphError {
	return errorf(http.StatusNotFound, "itemNotFound", "The resource could not be found.")
}

func errSPInvalid(msg string) *graphError {
	return errorf(http.StatusBadRequest, "invalidRequest", msg)
}

// findList finds a list of the site by id, display name or name (case
// insensitive), as GET /sites/{id}/lists/{list-id-or-title} does. The
// caller holds ss.mu.
func (ss *siteState) findList(siteID, key string) *spList {
	if l, ok := ss.lists[key]; ok && l.siteID == siteID {
		return l
	}
	for _, id := range ss.listOrder {
		l := ss.lists[id]
		if l.siteID != siteID {
			continue
		}
		if strings.EqualFold(l.id, key) || strings.EqualFold(str(l.doc["displayName"]), key) || strings.EqualFold(str(l.doc["name"]), key) {
			return l
		}
	}
	return nil
}

// Columns.

// spColumnFacets are the type facets of a column definition the emulator
// knows, with the defaults Graph fills in.
var spColumnFacets = map[string]map[string]any{
	"text":          {"allowMultipleLines": false, "appendChangesToExistingText": false, "linesForEditing": 0, "maxLength": 255},
	"number":        {"decimalPlaces": "automatic", "displayAs": "number", "maximum": 1.7976931348623157e308, "minimum": -1.7976931348623157e308},
	"boolean":       {},
	"dateTime":      {"displayAs": "default", "format": "dateTime"},
	"choice":        {"allowTextEntry": false, "choices": []any{}, "displayAs": "dropDownMenu"},
	"lookup":        {"allowMultipleValues": false, "allowUnlimitedLength": false, "columnName": "Title", "listId": ""},
	"personOrGroup": {"allowMultipleSelection": false, "chooseFromType": "peopleOnly", "displayAs": "account"},
	"currency":      {"locale": "en-us"},
	"calculated":    {"format": "", "formula": "", "outputType": "text"},
}

var spColumnProps = todoSet("id name displayName description columnGroup enforceUniqueValues hidden indexed readOnly required isDeletable isReorderable isSealed propagateChanges " +
	"text number boolean dateTime choice lookup personOrGroup currency calculated hyperlinkOrPicture term contentApprovalStatus geolocation thumbnail defaultValue validation sourceContentType")

var spColumnOrder = []string{"columnGroup", "description", "displayName", "enforceUniqueValues", "hidden", "id", "indexed", "name", "readOnly", "required"}

// spColumnType returns the type facet of a column ("" when none).
func spColumnType(col map[string]any) string {
	for k := range spColumnFacets {
		if _, ok := col[k]; ok {
			return k
		}
	}
	return ""
}

// spNewColumn validates a column definition and fills in Graph's defaults.
func spNewColumn(in map[string]any) (map[string]any, *graphError) {
	col := map[string]any{
		"columnGroup": "Custom Columns", "description": "", "enforceUniqueValues": false, "hidden": false,
		"indexed": false, "readOnly": false, "required": false,
	}
	facets := 0
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@odata."):
			continue
		case k == "id":
			continue
		case spColumnFacets[k] != nil:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, errSPInvalid("Invalid value for the '" + k + "' facet of a column.")
			}
			f := maps.Clone(spColumnFacets[k])
			maps.Copy(f, m)
			if k == "choice" {
				if _, ok := f["choices"].([]any); !ok {
					return nil, errSPInvalid("The choices of a choice column must be an array of strings.")
				}
			}
			col[k] = f
			facets++
		case spColumnProps[k]:
			col[k] = v
		default:
			return nil, errUnknownProperty(k, "microsoft.graph.columnDefinition")
		}
	}
	name, _ := col["name"].(string)
	if strings.TrimSpace(name) == "" || strings.ContainsAny(name, " /\\:*?\"<>|#%") {
		return nil, errSPInvalid("A column needs a name without spaces or special characters.")
	}
	if facets != 1 {
		return nil, errSPInvalid("A column needs exactly one type facet (text, number, boolean, dateTime, choice, lookup, personOrGroup, currency or calculated).")
	}
	if _, ok := col["displayName"].(string); !ok {
		col["displayName"] = name
	}
	col["id"] = deterministicID("spcolumn", name+"\x00"+newUUID())
	return col, nil
}

// spBuiltinColumns are the columns every generic list has.
func spBuiltinColumns() []map[string]any {
	mk := func(name, display, facet string, readOnly, indexed bool) map[string]any {
		c := map[string]any{
			"columnGroup": "Custom Columns", "description": "", "displayName": display, "enforceUniqueValues": false,
			"hidden": false, "id": deterministicID("spbuiltin", name), "indexed": indexed, "name": name,
			"readOnly": readOnly, "required": false, facet: maps.Clone(spColumnFacets[facet]),
		}
		return c
	}
	return []map[string]any{
		mk("Title", "Title", "text", false, false),
		mk("ID", "ID", "number", true, true),
		mk("Modified", "Modified", "dateTime", true, false),
		mk("Created", "Created", "dateTime", true, false),
		mk("Author", "Created By", "personOrGroup", true, false),
		mk("Editor", "Modified By", "personOrGroup", true, false),
		mk("Attachments", "Attachments", "boolean", true, false),
	}
}

// Content types.

func spContentType(id, name, group, description string, hidden bool, base map[string]any) map[string]any {
	ct := map[string]any{
		"id": id, "name": name, "group": group, "description": description, "hidden": hidden,
		"readOnly": false, "sealed": false, "isBuiltIn": true,
	}
	if base != nil {
		ct["base"] = map[string]any{"id": base["id"], "name": base["name"]}
		ct["parentId"] = base["id"]
	}
	return ct
}

var spContentTypeOrder = []string{"id", "description", "group", "hidden", "isBuiltIn", "name", "parentId", "readOnly", "sealed", "base"}

func spDefaultSiteContentTypes() []map[string]any {
	system := spContentType("0x", "System", "_Hidden", "", false, nil)
	item := spContentType("0x01", "Item", "List Content Types", "Create a new list item.", false, system)
	return []map[string]any{
		system, item,
		spContentType("0x0101", "Document", "Document Content Types", "Create a new document.", false, item),
		spContentType("0x0120", "Folder", "Folder Content Types", "Create a new folder.", false, item),
		spContentType("0x0102", "Event", "List Content Types", "Create a new meeting, deadline or other event.", false, item),
	}
}

// spListContentTypes are a new list's content types: a list copy of Item
// (or Document in a library) and Folder.
func spListContentTypes(listID, template string) []map[string]any {
	hex := strings.ToUpper(strings.ReplaceAll(listID, "-", ""))
	item := map[string]any{"id": "0x01", "name": "Item"}
	if template == "documentLibrary" {
		return []map[string]any{
			spContentType("0x010100"+hex, "Document", "Document Content Types", "Create a new document.", false, map[string]any{"id": "0x0101", "name": "Document"}),
			spContentType("0x012000"+hex, "Folder", "Folder Content Types", "Create a new folder.", true, map[string]any{"id": "0x0120", "name": "Folder"}),
		}
	}
	return []map[string]any{
		spContentType("0x0100"+hex, "Item", "List Content Types", "Create a new list item.", false, item),
		spContentType("0x012000"+hex, "Folder", "Folder Content Types", "Create a new folder.", true, map[string]any{"id": "0x0120", "name": "Folder"}),
	}
}

// Lists.

var spListOrder = []string{"@odata.etag", "createdDateTime", "description", "eTag", "id", "lastModifiedDateTime", "name", "webUrl", "displayName", "createdBy", "lastModifiedBy", "parentReference", "list"}

var spListProps = todoSet("id name displayName description webUrl createdDateTime lastModifiedDateTime createdBy lastModifiedBy eTag parentReference list sharepointIds system columns contentTypes items drive operations subscriptions")

var spListTemplates = todoSet("genericList documentLibrary announcements contacts events links tasks issueTracking survey customList")

// spIdentity is the identitySet of a caller (a user, else the app).
func (s *Server) spIdentity(c *call) map[string]any {
	if c != nil && c.claims != nil && !c.claims.AppOnly {
		if u, ok := s.lookupUser(c.claims.ObjectID); ok {
			return map[string]any{"user": map[string]any{"email": u.Mail, "id": u.ID, "displayName": u.DisplayName}}
		}
	}
	if c != nil && c.claims != nil {
		return map[string]any{"application": map[string]any{"id": c.claims.ClientID, "displayName": "Application"}}
	}
	u := s.DefaultUser()
	return map[string]any{"user": map[string]any{"email": u.Mail, "id": u.ID, "displayName": u.DisplayName}}
}

// spCreateList validates a list body and adds the list to the site; the
// caller does not hold ss.mu.
func (s *Server) spCreateList(c *call, site *spSite, in map[string]any, now time.Time) (*spList, *graphError) {
	ss := &s.sites
	name, _ := in["displayName"].(string)
	if strings.TrimSpace(name) == "" {
		return nil, errSPInvalid("A list needs a displayName.")
	}
	template := "genericList"
	var cols []map[string]any
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@odata."), k == "displayName", k == "description":
		case k == "list":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, errSPInvalid("Invalid value for property 'list'.")
			}
			if t, ok := m["template"].(string); ok && t != "" {
				if !spListTemplates[t] {
					return nil, errSPInvalid("The list template '" + t + "' is not supported.")
				}
				template = t
			}
		case k == "columns":
			arr, ok := v.([]any)
			if !ok {
				return nil, errSPInvalid("Invalid value for property 'columns'.")
			}
			for _, a := range arr {
				m, ok := a.(map[string]any)
				if !ok {
					return nil, errSPInvalid("Invalid value for property 'columns'.")
				}
				col, gerr := spNewColumn(m)
				if gerr != nil {
					return nil, gerr
				}
				cols = append(cols, col)
			}
		case spListProps[k]:
			return nil, errSPInvalid("The property '" + k + "' is read-only and cannot be set.")
		default:
			return nil, errUnknownProperty(k, "microsoft.graph.list")
		}
	}
	id := deterministicID("splist", site.id+"\x00"+name+"\x00"+newUUID())
	urlName := strings.ReplaceAll(name, " ", "")
	webURL := site.webURL() + "/Lists/" + urlName
	if template == "documentLibrary" {
		webURL = site.webURL() + "/" + urlName
	}
	who := s.spIdentity(c)
	doc := map[string]any{
		"@odata.etag": `"` + id + `,0"`, "eTag": `"` + id + `,0"`,
		"id": id, "name": urlName, "displayName": name, "description": str(in["description"]), "webUrl": webURL,
		"createdDateTime": spTime(now), "lastModifiedDateTime": spTime(now), "createdBy": who, "lastModifiedBy": who,
		"parentReference": map[string]any{"siteId": site.id},
		"list":            map[string]any{"contentTypesEnabled": false, "hidden": false, "template": template},
	}
	l := &spList{id: id, siteID: site.id, doc: doc, columns: spBuiltinColumns(), ctypes: spListContentTypes(id, template), nextItem: 1}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.findList(site.id, name) != nil {
		return nil, errorf(http.StatusConflict, "nameAlreadyExists", "A list, survey, discussion board, or document library with the specified title already exists in this Web site.  Please choose another title.")
	}
	for _, col := range cols {
		if gerr := l.addColumn(col); gerr != nil {
			return nil, gerr
		}
	}
	ss.lists[id] = l
	ss.listOrder = append(ss.listOrder, id)
	return l, nil
}

// addColumn adds a column to the list. A name taken by a read-only
// built-in column (Author, Created, ...) gets the suffix "0", as SharePoint
// names the internal field; any other taken name is a 409.
func (l *spList) addColumn(col map[string]any) *graphError {
	name := str(col["name"])
	if old := l.column(name); old != nil {
		if old["readOnly"] != true {
			return errorf(http.StatusConflict, "nameAlreadyExists", "A duplicate field name \""+name+"\" was found.")
		}
		name += "0"
		if l.column(name) != nil {
			return errorf(http.StatusConflict, "nameAlreadyExists", "A duplicate field name \""+name+"\" was found.")
		}
		col["name"] = name
	}
	l.columns = append(l.columns, col)
	return nil
}

// column returns the list's column with the name (case-sensitive first,
// as SharePoint's internal names are, then without case).
func (l *spList) column(name string) map[string]any {
	for _, col := range l.columns {
		if str(col["name"]) == name {
			return col
		}
	}
	for _, col := range l.columns {
		if strings.EqualFold(str(col["name"]), name) {
			return col
		}
	}
	return nil
}

// Items.

// Hidden keys of a stored item document.
const (
	spItemSeq  = " seq"
	spItemList = " list"
	// spItemFieldsRaw caches the encoded fields ([]byte), which most
	// listings expand whole.
	spItemFieldsRaw = " fieldsRaw"
)

var spItemOrder = []string{"@odata.etag", "createdDateTime", "eTag", "id", "lastModifiedDateTime", "webUrl", "createdBy", "lastModifiedBy", "parentReference", "contentType"}

var spItemProps = todoSet("id createdDateTime eTag lastModifiedDateTime webUrl createdBy lastModifiedBy parentReference spContentType fields sharepointIds driveItem versions analytics documentSetVersions")

// spReadOnlyFields are item fields the service sets.
var spReadOnlyFields = todoSet("id ID Created Modified Author Editor AuthorLookupId EditorLookupId ContentType _UIVersionString Attachments Edit LinkTitle LinkTitleNoMenu ItemChildCount FolderChildCount DocIcon _ComplianceFlags @odata.etag")

// spItemEntity encodes an item document as a stored entity; fields are kept
// in the document for $filter but encoded only on $expand.
func spItemEntity(listID string, doc map[string]any) *entity {
	id := str(doc["id"])
	e := &entity{id: listID + "/" + id, part: listID, doc: doc, etag: str(doc["eTag"])}
	delete(doc, spItemFieldsRaw)
	doc[spItemFieldsRaw] = spEncodeFields(doc, nil)
	e.raw = encodeObject(doc, spItemOrder, "fields", spItemSeq, spItemList, spItemFieldsRaw)
	return e
}

// spCheckFieldValue validates a value for a column and returns it as stored.
func spCheckFieldValue(col map[string]any, name string, v any) (any, *graphError) {
	bad := func(want string) (any, *graphError) {
		return nil, errSPInvalid(fmt.Sprintf("Invalid value for field '%s': %s expected.", name, want))
	}
	if v == nil {
		return nil, nil
	}
	switch spColumnType(col) {
	case "text":
		s, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		if f, _ := col["text"].(map[string]any); f != nil {
			if n, ok := spNumber(f["maxLength"]); ok && n > 0 && float64(len([]rune(s))) > n && f["allowMultipleLines"] != true {
				return nil, errSPInvalid(fmt.Sprintf("The value of field '%s' exceeds its maximum length of %v.", name, n))
			}
		}
		return s, nil
	case "number", "currency":
		switch n := v.(type) {
		case float64:
			return n, nil
		case string: // SharePoint accepts numbers as strings
			f, err := strconv.ParseFloat(n, 64)
			if err != nil {
				return bad("a number")
			}
			return f, nil
		}
		return bad("a number")
	case "boolean":
		b, ok := v.(bool)
		if !ok {
			return bad("a boolean")
		}
		return b, nil
	case "dateTime":
		s, ok := v.(string)
		if !ok {
			return bad("an ISO 8601 date-time")
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			if d, err2 := time.Parse("2006-01-02", s); err2 == nil {
				t = d
			} else {
				return bad("an ISO 8601 date-time")
			}
		}
		return spTime(t), nil
	case "choice":
		s, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		f, _ := col["choice"].(map[string]any)
		if f != nil && f["allowTextEntry"] != true {
			choices, _ := f["choices"].([]any)
			if !slices.ContainsFunc(choices, func(c any) bool { return str(c) == s }) {
				return nil, errSPInvalid(fmt.Sprintf("The value '%s' is not one of the choices of field '%s'.", s, name))
			}
		}
		return s, nil
	}
	return v, nil
}

// spApplyFields validates a fields body against the list's columns and
// applies it to fields (a copy). Lookup and person columns are written as
// {Name}LookupId.
func spApplyFields(l *spList, fields, in map[string]any) *graphError {
	for k, v := range in {
		if strings.HasPrefix(k, "@odata.") {
			continue
		}
		if spReadOnlyFields[k] {
			return errSPInvalid("Field '" + k + "' is read-only")
		}
		name := k
		col := l.column(k)
		if col == nil {
			if base, ok := strings.CutSuffix(k, "LookupId"); ok {
				col = l.column(base)
				name = base
				if col != nil && col["readOnly"] == true {
					return errSPInvalid("Field '" + k + "' is read-only")
				}
			}
		}
		if col == nil {
			return errSPInvalid("Field '" + k + "' is not recognized")
		}
		if col["readOnly"] == true {
			return errSPInvalid("Field '" + k + "' is read-only")
		}
		key := str(col["name"])
		switch spColumnType(col) {
		case "lookup", "personOrGroup":
			if name == k {
				return errSPInvalid("Set the lookup field '" + k + "' through '" + k + "LookupId'.")
			}
			switch id := v.(type) {
			case string, nil:
				fields[key+"LookupId"] = id
			case float64:
				fields[key+"LookupId"] = strconv.FormatFloat(id, 'f', -1, 64)
			default:
				return errSPInvalid("Invalid value for field '" + k + "': a lookup id expected.")
			}
			continue
		}
		val, gerr := spCheckFieldValue(col, k, v)
		if gerr != nil {
			return gerr
		}
		if val == nil {
			delete(fields, key)
			continue
		}
		fields[key] = val
	}
	return nil
}

// spNewItemDoc builds a list item document; the caller holds ss.mu.
func (s *Server) spNewItemDoc(c *call, site *spSite, l *spList, fields map[string]any, now time.Time) map[string]any {
	seq := l.nextItem
	l.nextItem++
	id := strconv.Itoa(seq)
	who := s.spIdentity(c)
	whoID := "6"
	guid := deterministicID("spitem", l.id+"/"+id)
	ctID, _ := l.ctypes[0]["id"].(string)
	f := maps.Clone(fields)
	f["@odata.etag"] = `"` + guid + `,1"`
	f["id"] = id
	f["ContentType"] = "Item"
	f["Created"], f["Modified"] = spTime(now), spTime(now)
	f["AuthorLookupId"], f["EditorLookupId"] = whoID, whoID
	f["_UIVersionString"] = "1.0"
	f["Attachments"] = false
	return map[string]any{
		"@odata.etag": `"` + guid + `,1"`, "eTag": `"` + guid + `,1"`,
		"id": id, "createdDateTime": spTime(now), "lastModifiedDateTime": spTime(now),
		"webUrl":    str(l.doc["webUrl"]) + "/" + id + "_.000",
		"createdBy": who, "lastModifiedBy": who,
		"parentReference": map[string]any{"id": deterministicID("spfolder", l.id), "siteId": site.id},
		"contentType":     map[string]any{"id": ctID, "name": "Item"},
		"fields":          f,
		spItemSeq:         seq,
		spItemList:        l.id,
	}
}

// spTouchItem returns a copy of the item document with fields updated and a
// new version.
func (s *Server) spTouchItem(c *call, doc map[string]any, fields map[string]any, now time.Time) map[string]any {
	d := maps.Clone(doc)
	f := maps.Clone(fields)
	guid, ver, _ := strings.Cut(strings.Trim(str(doc["eTag"]), `"`), ",")
	n, _ := strconv.Atoi(ver)
	etag := `"` + guid + `,` + strconv.Itoa(n+1) + `"`
	d["@odata.etag"], d["eTag"] = etag, etag
	f["@odata.etag"] = etag
	f["Modified"] = spTime(now)
	f["_UIVersionString"] = strconv.Itoa(n+1) + ".0"
	d["lastModifiedDateTime"] = spTime(now)
	d["lastModifiedBy"] = s.spIdentity(c)
	d["fields"] = f
	return d
}

// spNumber reads a JSON or Go number.
func spNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}
