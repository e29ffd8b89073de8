package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/o365go/o365/emulator/internal/formula"
	"github.com/o365go/o365/emulator/internal/xlsx"
)

// The workbook engine serves the Excel API on .xlsx drive items, under
// /drives/{id}/items/{id}/workbook and /me (or /users/{id})/drive/items/
// {id}/workbook. A workbook is parsed from the drive on first use (and
// again when the file changes underneath); edits outside non-persistent
// sessions are written back to the drive as a new version of the file
// (internal/xlsx), so a download shows them.
//
// Served: sessions (persistent or not, expiry after inactivity,
// Prefer: respond-async with an operation to poll), worksheets, ranges by
// address with navigation, clear, insert, delete, merge and formats
// (number formats, alignment, wrap, widths and heights, font, fill,
// borders), defined names, tables with columns, rows and filters, the
// functions API for the functions the formula engine knows
// (internal/formula) and application calculation. Every edit
// recalculates the workbook in dependency order; references, names,
// merges and tables follow inserted and deleted cells and renamed or
// deleted sheets.
//
// Column filters hide the rows they leave out (values, custom, top and
// bottom filters; colour, icon and dynamic filters hide none), and
// hidden rows and columns are saved in the file.
//
// Not modelled: charts, pivot tables, comments, protection, sort,
// visibleView; a
// circular reference evaluates to #REF! (Excel shows 0 and a warning);
// answers for whole rows or columns list the used cells only.

// Session lifetimes after the last request (workbook-best-practice.md:
// about 5 minutes for persistent sessions, about 7 for non-persistent).
const (
	wbPersistentTTL    = 5 * time.Minute
	wbNonPersistentTTL = 7 * time.Minute
)

var (
	permExcelRead = &permission{
		delegated: []string{"Files.Read", "Files.ReadWrite", "Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"},
		app:       []string{"Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"},
	}
	permExcelWrite = &permission{
		delegated: []string{"Files.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All"},
		app:       []string{"Files.ReadWrite.All", "Sites.ReadWrite.All"},
	}
)

// excelState is the workbook engine's state: loaded workbooks by drive
// item.
type excelState struct {
	mu    sync.Mutex
	files map[string]*wbFile
}

type wbFile struct {
	driveID, itemID string
	etag            string
	book            *wbBook
	sessions        map[string]*wbSession
	ops             map[string]*wbOperation
}

type wbSession struct {
	id       string
	persist  bool
	lastUsed time.Time
	// book is the session's private copy (non-persistent sessions).
	book *wbBook
}

type wbOperation struct {
	id        string
	sessionID string
	polls     int
}

func (s *wbSession) expired(now time.Time) bool {
	ttl := wbPersistentTTL
	if !s.persist {
		ttl = wbNonPersistentTTL
	}
	return now.Sub(s.lastUsed) >= ttl
}

// Errors of the Excel API (workbook-error-codes.md).
func errWbNotFound() *graphError {
	return errorf(http.StatusNotFound, "ItemNotFound", "The requested resource doesn't exist.")
}

func errWbArg(msg string) *graphError {
	if msg == "" {
		msg = "The argument is invalid or missing or has an incorrect format."
	}
	return errorf(http.StatusBadRequest, "InvalidArgument", msg)
}

func errWbSession() *graphError {
	e := errorf(http.StatusNotFound, "notFound", "The session specified in the request does not exist or is invalid due to a transient error.")
	e.inner = "invalidSessionReCreatable"
	return e
}

func errWbUnsupported() *graphError {
	e := errorf(http.StatusBadRequest, "badRequest", "The request failed. The workbook contains unsupported features or exceeds the size limit.")
	e.inner = "unsupportedWorkbook"
	return e
}

// workbookPrefixes are the item forms the workbook routes exist under.
var workbookPrefixes = []string{"drives/{drive-id}/items/{driveItem-id}/workbook", "users/{user}/drive/items/{driveItem-id}/workbook"}

// Range sources: suffixes naming a range, below "workbook/".
var wbRangeSources = []string{
	"worksheets/{workbookWorksheet-id}/range",
	"worksheets/{workbookWorksheet-id}/range(address='{address}')",
	"worksheets/{workbookWorksheet-id}/usedRange",
	"worksheets/{workbookWorksheet-id}/usedRange(valuesOnly={valuesOnly})",
	"worksheets/{workbookWorksheet-id}/cell(row={row},column={column})",
	"names/{workbookNamedItem-id}/range",
	"tables/{workbookTable-id}/range",
	"tables/{workbookTable-id}/headerRowRange",
	"tables/{workbookTable-id}/dataBodyRange",
	"tables/{workbookTable-id}/totalRowRange",
	"tables/{workbookTable-id}/columns/{workbookTableColumn-id}/range",
	"tables/{workbookTable-id}/columns/{workbookTableColumn-id}/headerRowRange",
	"tables/{workbookTable-id}/columns/{workbookTableColumn-id}/dataBodyRange",
	"tables/{workbookTable-id}/columns/{workbookTableColumn-id}/totalRowRange",
}

// wbRangeNav are the functions returning another range.
var wbRangeNav = []string{
	"cell(row={row},column={column})", "row(row={row})", "column(column={column})", "entireRow", "entireColumn",
	"usedRange", "usedRange(valuesOnly={valuesOnly})", "offsetRange(rowOffset={rowOffset},columnOffset={columnOffset})",
	"resizedRange(deltaRows={deltaRows},deltaColumns={deltaColumns})", "intersection(anotherRange='{anotherRange}')",
	"boundingRect(anotherRange='{anotherRange}')", "lastCell", "lastRow", "lastColumn",
	"columnsAfter", "columnsAfter(count={count})", "columnsBefore", "columnsBefore(count={count})",
	"rowsAbove", "rowsAbove(count={count})", "rowsBelow", "rowsBelow(count={count})",
}

// wbFunctions are the worksheet functions the functions API serves.
var wbFunctions = []string{"abs", "and", "average", "averageIf", "concatenate", "count", "countA", "countIf", "hlookup", "if", "index", "len", "lower",
	"match", "max", "min", "not", "now", "or", "round", "sum", "sumIf", "today", "upper", "vlookup"}

// workbookRoutes lists the workbook routes (method and suffix below
// "workbook").
func workbookRoutes() [][2]string {
	get, post, patch, del := http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	r := [][2]string{
		{post, "createSession"}, {post, "refreshSession"}, {post, "closeSession"},
		{get, "sessionInfoResource(key='{key}')"}, {get, "operations/{workbookOperation-id}"},
		{get, "application"}, {post, "application/calculate"},
		{get, "worksheets"}, {post, "worksheets"}, {post, "worksheets/add"},
		{get, "worksheets/{workbookWorksheet-id}"}, {patch, "worksheets/{workbookWorksheet-id}"}, {del, "worksheets/{workbookWorksheet-id}"},
		{get, "worksheets/{workbookWorksheet-id}/tables"}, {post, "worksheets/{workbookWorksheet-id}/tables/add"},
		{get, "worksheets/{workbookWorksheet-id}/names"},
		{post, "worksheets/{workbookWorksheet-id}/names/add"}, {post, "worksheets/{workbookWorksheet-id}/names/addFormulaLocal"},
		{get, "worksheets/{workbookWorksheet-id}/names/{workbookNamedItem-id}"},
		{patch, "worksheets/{workbookWorksheet-id}/names/{workbookNamedItem-id}"},
		{del, "worksheets/{workbookWorksheet-id}/names/{workbookNamedItem-id}"},
		{get, "worksheets/{workbookWorksheet-id}/names/{workbookNamedItem-id}/range"},
		{get, "names"}, {post, "names/add"}, {post, "names/addFormulaLocal"}, {get, "names/{workbookNamedItem-id}"},
		{patch, "names/{workbookNamedItem-id}"}, {del, "names/{workbookNamedItem-id}"},
		{get, "tables"}, {post, "tables"}, {post, "tables/add"},
		{get, "tables/{workbookTable-id}"}, {patch, "tables/{workbookTable-id}"}, {del, "tables/{workbookTable-id}"},
		{post, "tables/{workbookTable-id}/convertToRange"}, {post, "tables/{workbookTable-id}/clearFilters"},
		{post, "tables/{workbookTable-id}/reapplyFilters"}, {get, "tables/{workbookTable-id}/worksheet"},
		{get, "tables/{workbookTable-id}/columns/itemAt(index={index})"},
		{get, "tables/{workbookTable-id}/columns/{workbookTableColumn-id}/filter"},
		{get, "tables/{workbookTable-id}/rows/{workbookTableRow-id}/range"},
		{get, "tables/{workbookTable-id}/rows/itemAt(index={index})/range"},
		{get, "tables/{workbookTable-id}/columns"}, {post, "tables/{workbookTable-id}/columns"}, {post, "tables/{workbookTable-id}/columns/add"},
		{get, "tables/{workbookTable-id}/columns/{workbookTableColumn-id}"}, {patch, "tables/{workbookTable-id}/columns/{workbookTableColumn-id}"},
		{del, "tables/{workbookTable-id}/columns/{workbookTableColumn-id}"},
		{post, "tables/{workbookTable-id}/columns/{workbookTableColumn-id}/filter/apply"},
		{post, "tables/{workbookTable-id}/columns/{workbookTableColumn-id}/filter/clear"},
		{get, "tables/{workbookTable-id}/rows"}, {post, "tables/{workbookTable-id}/rows"}, {post, "tables/{workbookTable-id}/rows/add"},
		{get, "tables/{workbookTable-id}/rows/itemAt(index={index})"},
		{get, "tables/{workbookTable-id}/rows/{workbookTableRow-id}"}, {patch, "tables/{workbookTable-id}/rows/{workbookTableRow-id}"},
		{del, "tables/{workbookTable-id}/rows/{workbookTableRow-id}"},
	}
	for _, f := range wbFunctions {
		r = append(r, [2]string{post, "functions/" + f})
	}
	// The range update and the format parts below "format" are documented
	// (range-update.md, rangeformat-*.md, rangefont-*.md, rangefill-*.md,
	// rangeborder-*.md) for these three ways to name a range.
	documented := map[string]bool{
		"worksheets/{workbookWorksheet-id}/range(address='{address}')":     true,
		"names/{workbookNamedItem-id}/range":                               true,
		"tables/{workbookTable-id}/columns/{workbookTableColumn-id}/range": true,
	}
	for _, src := range wbRangeSources {
		r = append(r, [2]string{get, src}, [2]string{get, src + "/format"}, [2]string{patch, src + "/format"})
		last := src[strings.LastIndexByte(src, '/')+1:]
		for _, n := range wbRangeNav {
			// The list has no usedRange of a usedRange nor cell of a cell.
			if fn, _, _ := strings.Cut(n, "("); (fn == "usedRange" || fn == "cell") && strings.HasPrefix(last, fn) {
				continue
			}
			r = append(r, [2]string{get, src + "/" + n})
		}
		r = append(r, [2]string{get, src + "/worksheet"})
		for _, a := range []string{"clear", "delete", "insert", "merge", "unmerge"} {
			r = append(r, [2]string{post, src + "/" + a})
		}
		if !documented[src] {
			continue
		}
		r = append(r, [2]string{patch, src})
		for _, a := range []string{"format/autofitColumns", "format/autofitRows", "format/fill/clear"} {
			r = append(r, [2]string{post, src + "/" + a})
		}
		for _, f := range []string{"format/font", "format/fill", "format/borders/{workbookRangeBorder-id}"} {
			r = append(r, [2]string{get, src + "/" + f}, [2]string{patch, src + "/" + f})
		}
		r = append(r, [2]string{get, src + "/format/borders"})
	}
	return r
}

// registerExcel adds the workbook routes.
func (s *Server) registerExcel(rt *router) {
	for _, p := range workbookPrefixes {
		for _, r := range workbookRoutes() {
			perm := permExcelWrite
			if r[0] == http.MethodGet {
				perm = permExcelRead
			}
			rt.add(r[0], p+"/"+r[1], perm, false, s.serveWorkbook)
		}
	}
}

// wbCall is one workbook request being served.
type wbCall struct {
	*call
	s    *Server
	f    *wbFile
	b    *wbBook
	sess *wbSession
	// dirty marks an edit: the workbook is recalculated and saved.
	dirty bool
	// prefix is the request's path up to and including "/workbook".
	prefix string
}

// wbResult renders the answer after the edit is recalculated.
type wbResult func() (int, any)

func (s *Server) serveWorkbook(c *call) {
	segs, ok := parseWorkbookPath(c.r.URL.EscapedPath())
	if !ok || len(segs) == 0 {
		c.writeError(errSegment("workbook"))
		return
	}
	driveID, itemID, gerr := s.workbookItem(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	st := &s.excel
	st.mu.Lock()
	defer st.mu.Unlock()
	f, gerr := s.loadWorkbook(driveID, itemID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	p := c.r.URL.EscapedPath()
	prefix := p[:strings.Index(strings.ToLower(p), "/workbook")+len("/workbook")]
	x := &wbCall{call: c, s: s, f: f, b: f.book, prefix: prefix}
	for id, sess := range f.sessions {
		if sess.expired(c.now) {
			delete(f.sessions, id)
		}
	}
	var res wbResult
	switch segs[0].name {
	case "createsession":
		res, gerr = x.createSession()
	case "operations":
		res, gerr = x.getOperation(segs)
	case "sessioninforesource":
		res, gerr = x.sessionInfo(segs[0].args["key"])
	default:
		if sid := c.r.Header.Get("workbook-session-id"); sid != "" {
			sess := f.sessions[sid]
			if sess == nil {
				c.writeError(errWbSession())
				return
			}
			sess.lastUsed = c.now
			x.sess = sess
			if !sess.persist {
				x.b = sess.book
			}
		}
		switch segs[0].name {
		case "refreshsession", "closesession":
			if x.sess == nil {
				gerr = errWbSession()
				break
			}
			if segs[0].name == "closesession" {
				delete(f.sessions, x.sess.id)
			}
			res = func() (int, any) { return http.StatusNoContent, nil }
		default:
			res, gerr = x.dispatch(segs)
		}
	}
	if gerr != nil {
		if c.r.Method != http.MethodGet && x.b == f.book {
			// A failed edit may have changed part of the workbook: the
			// next request reads the saved file again.
			f.etag = ""
		}
		c.writeError(gerr)
		return
	}
	if x.dirty {
		x.b.changed()
		if x.b == f.book {
			if gerr := s.saveWorkbook(f); gerr != nil {
				c.writeError(gerr)
				return
			}
		}
	}
	status, body := res()
	_, empty := body.(noBody)
	switch {
	case status == http.StatusNoContent || empty:
		c.setCommonHeaders()
		c.w.WriteHeader(status)
	case body == nil:
		c.writeRaw(status, []byte("null"))
	default:
		c.writeValue(status, body)
	}
}

// workbookItem returns the drive and item a request names.
func (s *Server) workbookItem(c *call) (driveID, itemID string, gerr *graphError) {
	itemID = c.params["driveItem-id"]
	driveID = c.params["drive-id"]
	if driveID == "" {
		u, ok := s.lookupUser(c.params["user"])
		if !ok {
			return "", "", errorf(http.StatusNotFound, "itemNotFound", "The resource could not be found.")
		}
		driveID = s.ensureDrive("user", u.ID, "OneDrive")
	}
	// An item named by path (root:/Documents/Budget.xlsx:) is the same
	// workbook, with the same sessions, as the item named by id.
	if _, _, isRef := decodeItemRef(itemID); isRef {
		s.drive.mu.Lock()
		if it := s.lockedFile(driveID, itemID); it != nil {
			itemID = it.id
		}
		s.drive.mu.Unlock()
	}
	return driveID, itemID, nil
}

// loadWorkbook returns the loaded workbook of an item, parsing the file
// when it is new or changed. Called with the lock held.
func (s *Server) loadWorkbook(driveID, itemID string) (*wbFile, *graphError) {
	name, content, etag, gerr := s.driveFile(driveID, itemID)
	if gerr != nil {
		return nil, gerr
	}
	if st := &s.excel; st.files == nil {
		st.files = map[string]*wbFile{}
	}
	key := driveID + "/" + itemID
	f := s.excel.files[key]
	if f != nil && f.etag == etag {
		return f, nil
	}
	if !strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		return nil, errWbUnsupported()
	}
	wb, err := xlsx.Read(content)
	if err != nil {
		return nil, errWbUnsupported()
	}
	if f == nil {
		f = &wbFile{driveID: driveID, itemID: itemID, sessions: map[string]*wbSession{}, ops: map[string]*wbOperation{}}
		s.excel.files[key] = f
	}
	f.etag = etag
	nb := newBook(wb, s.now)
	if f.book != nil {
		keepFilters(f.book, nb)
	}
	f.book = nb
	return f, nil
}

// saveWorkbook writes the workbook back to the drive as a new version.
func (s *Server) saveWorkbook(f *wbFile) *graphError {
	data, err := xlsx.Write(f.book.wb)
	if err != nil {
		return errorf(http.StatusInternalServerError, "generalException", "The workbook could not be saved.")
	}
	if gerr := s.writeDriveFile(f.driveID, f.itemID, data); gerr != nil {
		return gerr
	}
	if _, _, etag, gerr := s.driveFile(f.driveID, f.itemID); gerr == nil {
		f.etag = etag
	}
	return nil
}

// ---- sessions ----

func (x *wbCall) createSession() (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	persist := false
	if v, ok := body["persistChanges"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return nil, errWbArg("persistChanges must be a boolean.")
		}
		persist = b
	}
	sess := &wbSession{id: "cluster=EMU&session=" + strings.ReplaceAll(newUUID(), "-", ""), persist: persist, lastUsed: x.now}
	if !persist {
		sess.book = x.f.book.clone()
	}
	x.f.sessions[sess.id] = sess
	if strings.Contains(strings.ToLower(x.r.Header.Get("Prefer")), "respond-async") {
		op := &wbOperation{id: newUUID(), sessionID: sess.id}
		x.f.ops[op.id] = op
		x.w.Header().Set("Location", baseURL(x.r)+x.prefix+"/operations/"+op.id)
		return func() (int, any) { return http.StatusAccepted, map[string]any{} }, nil
	}
	return func() (int, any) {
		return http.StatusCreated, map[string]any{"@odata.type": "#microsoft.graph.workbookSessionInfo", "id": sess.id, "persistChanges": persist}
	}, nil
}

func (x *wbCall) getOperation(segs []wbSeg) (wbResult, *graphError) {
	if len(segs) != 2 {
		return nil, errWbNotFound()
	}
	op := x.f.ops[segs[1].key]
	if op == nil {
		return nil, errWbNotFound()
	}
	op.polls++
	if op.polls == 1 {
		return func() (int, any) {
			return http.StatusOK, map[string]any{"id": op.id, "status": "running"}
		}, nil
	}
	loc := baseURL(x.r) + x.prefix + "/sessionInfoResource(key='" + strings.ReplaceAll(op.sessionID, "'", "''") + "')"
	return func() (int, any) {
		return http.StatusOK, map[string]any{"id": op.id, "status": "succeeded", "resourceLocation": loc}
	}, nil
}

func (x *wbCall) sessionInfo(key string) (wbResult, *graphError) {
	sess := x.f.sessions[key]
	if sess == nil {
		return nil, errWbSession()
	}
	return func() (int, any) {
		return http.StatusOK, map[string]any{"@odata.type": "#microsoft.graph.workbookSessionInfo", "id": sess.id, "persistChanges": sess.persist}
	}, nil
}

// body reads the JSON object of the request (empty for no body).
func (x *wbCall) body() (map[string]any, *graphError) {
	data, gerr := readBody(x.call, 4<<20)
	if gerr != nil {
		return nil, gerr
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return map[string]any{}, nil
	}
	return decodeObject(data)
}

func ok(v any) wbResult { return func() (int, any) { return http.StatusOK, v } }

func okFn(f func() any) wbResult { return func() (int, any) { return http.StatusOK, f() } }

func noContent() wbResult { return func() (int, any) { return http.StatusNoContent, nil } }

// noBody marks a 200 answer without a body, as the Excel docs show for
// deletes and actions.
type noBody struct{}

func okEmpty() wbResult { return func() (int, any) { return http.StatusOK, noBody{} } }

// dispatch serves the workbook path segs.
func (x *wbCall) dispatch(segs []wbSeg) (wbResult, *graphError) {
	m := x.r.Method
	switch segs[0].name {
	case "application":
		return x.application(segs[1:])
	case "functions":
		if len(segs) != 2 {
			return nil, errWbNotFound()
		}
		return x.function(segs[1].name)
	case "worksheets":
		if len(segs) == 1 {
			if m == http.MethodGet {
				return x.listWorksheets()
			}
			return x.addWorksheet()
		}
		if segs[1].name == "add" && len(segs) == 2 {
			return x.addWorksheet()
		}
		sh := x.b.sheet(segs[1].key)
		if sh == nil {
			return nil, errWbNotFound()
		}
		return x.worksheet(sh, segs[2:])
	case "names":
		if len(segs) == 1 {
			return okFn(func() any { return map[string]any{"value": x.namesJSON(nil)} }), nil
		}
		if (segs[1].name == "add" || segs[1].name == "addformulalocal") && len(segs) == 2 {
			return x.addName(nil, segs[1].name == "addformulalocal")
		}
		n := x.b.name(segs[1].key, nil)
		if n == nil {
			return nil, errWbNotFound()
		}
		return x.namedItem(n, segs[2:])
	case "tables":
		return x.tables(nil, segs[1:])
	}
	return nil, errSegment(segs[0].name)
}

// ---- application and functions ----

func (x *wbCall) application(rest []wbSeg) (wbResult, *graphError) {
	if len(rest) == 0 {
		return okFn(func() any {
			return map[string]any{"@odata.type": "#microsoft.graph.workbookApplication", "calculationMode": x.b.calcMode}
		}), nil
	}
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	switch t, _ := body["calculationType"].(string); t {
	case "Recalculate", "Full", "FullRebuild":
		x.b.recalc()
		// Saved like any edit, so the computed values reach the file.
		x.dirty = true
	default:
		return nil, errWbArg("calculationType must be Recalculate, Full or FullRebuild.")
	}
	return okEmpty(), nil
}

// function serves POST /workbook/functions/{name}.
func (x *wbCall) function(name string) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	var args []formula.Arg
	add := func(v any) *graphError {
		a, gerr := x.functionArg(v)
		if gerr != nil {
			return gerr
		}
		args = append(args, a)
		return nil
	}
	var params []string
	switch name {
	case "sum", "average", "min", "max", "count", "counta", "concatenate", "and", "or":
		vals, ok := body["values"].([]any)
		if !ok {
			return nil, errWbArg("The argument 'values' is missing or invalid.")
		}
		for _, v := range vals {
			if gerr := add(v); gerr != nil {
				return nil, gerr
			}
		}
	case "if":
		params = []string{"logicalTest", "valueIfTrue", "valueIfFalse"}
	case "round":
		params = []string{"number", "numDigits"}
	case "abs":
		params = []string{"number"}
	case "len", "upper", "lower":
		params = []string{"text"}
	case "not":
		params = []string{"logical"}
	case "vlookup", "hlookup", "index", "match", "countif", "sumif", "averageif", "today", "now":
		params = functionParams[name]
	default:
		return nil, errWbNotFound()
	}
	for i, p := range params {
		v, found := body[p]
		if !found {
			if i < requiredParams(name, len(params)) {
				return nil, errWbArg("The argument '" + p + "' is missing.")
			}
			break
		}
		if gerr := add(v); gerr != nil {
			return nil, gerr
		}
	}
	ctx := x.b.newCtx()
	ctx.now = x.now
	ctx.cur = x.b.wb.Sheets[0]
	v := formula.Call(ctx, name, args)
	return okFn(func() any {
		out := map[string]any{"@odata.type": "#microsoft.graph.workbookFunctionResult", "error": nil, "value": jsonValue(v)}
		if v.Kind == formula.Error {
			out["error"], out["value"] = v.Str, nil
		}
		return out
	}), nil
}

// functionArg converts a JSON argument: a value, an array, or a range
// reference {"address": "Sheet1!A1:B2"}.
func (x *wbCall) functionArg(v any) (formula.Arg, *graphError) {
	switch t := v.(type) {
	case map[string]any:
		addr := ""
		for k, a := range t {
			if strings.EqualFold(k, "address") {
				addr, _ = a.(string)
			}
		}
		r, err := formula.ParseAddress(addr)
		if err != nil {
			return formula.Arg{}, errWbArg("The range address is invalid.")
		}
		if r.Sheet == "" {
			r.Sheet = x.b.wb.Sheets[0].Name
		}
		return formula.Arg{Ref: &r}, nil
	case []any:
		var rows [][]formula.Value
		for _, e := range t {
			if row, ok := e.([]any); ok {
				var vals []formula.Value
				for _, c := range row {
					vals = append(vals, inputValue(c))
				}
				rows = append(rows, vals)
			} else {
				rows = append(rows, []formula.Value{inputValue(e)})
			}
		}
		if rows == nil {
			rows = [][]formula.Value{}
		}
		return formula.Arg{Array: rows}, nil
	}
	val := inputValue(v)
	return formula.Arg{Value: &val}, nil
}

func inputValue(v any) formula.Value {
	switch t := v.(type) {
	case float64:
		return formula.NumberValue(t)
	case string:
		return formula.StringValue(t)
	case bool:
		return formula.BoolValue(t)
	}
	return formula.Value{}
}

// jsonValue is a value as the Excel API returns it (empty cells are "").
func jsonValue(v formula.Value) any {
	switch v.Kind {
	case formula.Number:
		return v.Num
	case formula.String, formula.Error:
		return v.Str
	case formula.Boolean:
		return v.Bool
	}
	return ""
}

// intArg parses an integer function argument.
func intArg(args map[string]string, name string, def int) (int, *graphError) {
	v, found := args[strings.ToLower(name)]
	if !found {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, errWbArg("The argument '" + name + "' is invalid.")
	}
	return n, nil
}

func jsonInt(body map[string]any, name string) (int, bool, *graphError) {
	v, found := body[name]
	if !found || v == nil {
		return 0, false, nil
	}
	f, isNum := v.(float64)
	if !isNum || f != float64(int(f)) {
		return 0, false, errWbArg("The argument '" + name + "' must be an integer.")
	}
	return int(f), true, nil
}

// decodeInto decodes the request body into a struct.
func (x *wbCall) decodeInto(v any) *graphError {
	data, gerr := readBody(x.call, 4<<20)
	if gerr != nil {
		return gerr
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return errorf(http.StatusBadRequest, "RequestBodyRead", "Cannot read the request body.")
	}
	return nil
}
