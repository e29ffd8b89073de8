package emulator

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/o365go/o365/internal/quickxor"
)

// Content: simple uploads, downloads through pre-authenticated URLs, and
// upload sessions.
//
// GET .../content answers 302 to a download URL on the emulator's stand-in
// for the SharePoint host (/_layouts/15/download.aspx?...&tempauth=...):
// no token is needed there, the tempauth signature expires after an hour
// (server clock), and Range, If-None-Match and HEAD work as on SharePoint.
//
// Upload sessions follow driveitem-createuploadsession.md: the uploadUrl
// (/_api/v2.0/drives/{id}/items/{parent}/uploadSession?guid=...&tempauth=...)
// is pre-authenticated and refuses an Authorization header with 401.
// Fragments carry Content-Range and Content-Length, are multiples of
// 320 KiB except the last and at most 60 MiB, and must arrive in order: a
// fragment that does not start at the next expected byte answers 416 with
// the session's nextExpectedRanges. 202 reports progress; the last byte
// answers 201 (new file) or 200 (replaced) with the driveItem, or 202 when
// the session was made with deferCommit, to be committed by an empty POST
// to the URL. A name conflict at completion with conflictBehavior fail is
// 409 nameAlreadyExists. GET the URL for the status, DELETE it to cancel.
// Sessions expire (server clock) 15 minutes after their last fragment; then
// 404 itemNotFound. Memory per session is the file itself, allocated once
// from the declared total, and hashes are computed as fragments arrive.
//
// Every URL of this host goes through the server's fault injection like
// Graph routes do.

const (
	simpleUploadLimit   = 250 << 20
	uploadFragmentUnit  = 320 << 10
	maxUploadFragment   = 60 << 20
	driveUploadTTL      = 15 * time.Minute
	driveDownloadPath   = "/_layouts/15/download.aspx"
	driveThumbPath      = "/_layouts/15/thumb.aspx"
	driveMonitorPrefix  = "/_api/v2.0/monitor/"
	driveUploadPrefix   = "/_api/v2.0/drives/"
	uploadSessionSuffix = "/uploadSession"
)

// isDriveHost reports whether a path is on the SharePoint stand-in host.
func isDriveHost(p string) bool {
	return strings.HasPrefix(p, "/_layouts/15/") || strings.HasPrefix(p, "/_api/v2.0/")
}

// serveDriveHost serves download, thumbnail, monitor and upload URLs.
func (s *Server) serveDriveHost(w http.ResponseWriter, r *http.Request, entry *LoggedRequest) {
	c := &call{s: s, w: w, r: r, now: s.now(), version: "v1.0", requestID: newUUID(),
		clientRequestID: r.Header.Get("client-request-id"), entry: entry}
	if c.clientRequestID == "" {
		c.clientRequestID = newUUID()
	}
	p := r.URL.Path
	switch {
	case p == driveDownloadPath:
		s.serveDownload(c)
	case p == driveThumbPath:
		s.serveThumbnail(c)
	case strings.HasPrefix(p, driveMonitorPrefix):
		if r.Method != http.MethodGet {
			c.writeError(errMethodNotAllowed())
			return
		}
		s.serveCopyMonitor(c, strings.TrimPrefix(p, driveMonitorPrefix))
	case strings.HasPrefix(p, driveUploadPrefix) && strings.HasSuffix(p, uploadSessionSuffix):
		s.serveUploadSession(c)
	default:
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The resource could not be found."))
	}
}

// checkTempauth verifies a URL's tempauth for the signed parts.
func (s *Server) checkTempauth(c *call, parts ...string) *graphError {
	tok := c.r.URL.Query().Get("tempauth")
	rest, ok := strings.CutPrefix(tok, "v1.")
	exp, sig, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 {
		return errorf(http.StatusUnauthorized, "unauthenticated", "The tempauth token is missing or malformed.")
	}
	s.drive.mu.Lock()
	s.drive.init()
	want := s.drive.sign(append(parts, exp)...)
	s.drive.mu.Unlock()
	if subtle.ConstantTimeCompare([]byte(want), []byte(sig)) != 1 {
		return errorf(http.StatusUnauthorized, "unauthenticated", "The tempauth token is not valid.")
	}
	n, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || c.now.Unix() > n {
		return errorf(http.StatusUnauthorized, "unauthenticated", "The tempauth token has expired.")
	}
	return nil
}

// serveDownload serves a download URL.
func (s *Server) serveDownload(c *call) {
	if c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		c.writeError(errMethodNotAllowed())
		return
	}
	q := c.r.URL.Query()
	id, version, format := q.Get("UniqueId"), q.Get("version"), q.Get("format")
	if e := s.checkTempauth(c, "dl", id, version, format); e != nil {
		c.writeError(e)
		return
	}
	s.drive.mu.Lock()
	it := s.drive.items[id]
	if it == nil || it.folder {
		s.drive.mu.Unlock()
		c.writeError(errDriveItemNotFound())
		return
	}
	content, name, etag, mime, modified := it.content, it.name, it.ctag(), it.mimeType, it.modified
	if version != "" {
		found := false
		for _, v := range it.versions {
			if v.id == version {
				content, modified, found = v.content, v.modified, true
				etag = `"{` + it.guid + `},` + v.id + `"`
			}
		}
		if !found {
			s.drive.mu.Unlock()
			c.writeError(errDriveItemNotFound())
			return
		}
	}
	s.drive.mu.Unlock()
	if format == "pdf" {
		content = textPDF(name, content, mime)
		mime = "application/pdf"
		name = strings.TrimSuffix(name, pathExt(name)) + ".pdf"
		etag = `"pdf` + strings.Trim(etag, `"`) + `"`
	}
	h := c.w.Header()
	c.setCommonHeaders()
	h.Del("Cache-Control")
	h.Set("ETag", etag)
	h.Set("Content-Type", mime)
	h.Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(name, `"`, "")+`"; filename*=UTF-8''`+escapePath(name))
	h.Set("Accept-Ranges", "bytes")
	// ServeContent answers Range (206, Content-Range; 416 with
	// "bytes */size"), If-None-Match (304) and HEAD.
	http.ServeContent(c.w, c.r, "", modified, bytes.NewReader(content))
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

// getDriveContent answers 302 to a download URL.
func (s *Server) getDriveContent(c *call) {
	it, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	if it.folder {
		s.drive.mu.Unlock()
		c.writeError(errDriveItemNotFound())
		return
	}
	format := c.r.URL.Query().Get("format")
	switch format {
	case "", "pdf":
	default:
		s.drive.mu.Unlock()
		c.writeError(errorf(http.StatusBadRequest, "notSupported", "Conversion to format '"+format+"' is not supported."))
		return
	}
	it.lastAccess = c.now
	if im := c.r.Header.Get("If-None-Match"); im != "" && format == "" && (im == it.ctag() || im == it.etag()) {
		s.drive.mu.Unlock()
		c.setCommonHeaders()
		c.w.WriteHeader(http.StatusNotModified)
		return
	}
	u := s.downloadURL(c.host(), it, "", format, c.now)
	s.drive.mu.Unlock()
	c.setCommonHeaders()
	c.w.Header().Set("Location", u)
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusFound)
}

// putDriveContent serves a simple upload (up to 250 MB).
func (s *Server) putDriveContent(c *call) {
	if c.r.ContentLength > simpleUploadLimit {
		c.writeError(errorf(http.StatusRequestEntityTooLarge, "requestEntityTooLarge",
			"The simple upload API supports files up to 250 MB; use an upload session for larger files."))
		return
	}
	var body []byte
	var err error
	if n := c.r.ContentLength; n >= 0 {
		// One allocation of the declared size.
		body = make([]byte, n)
		_, err = io.ReadFull(c.r.Body, body)
	} else {
		body, err = io.ReadAll(io.LimitReader(c.r.Body, simpleUploadLimit+1))
	}
	if err != nil {
		c.writeError(errInvalidRequest("The request body could not be read."))
		return
	}
	if len(body) > simpleUploadLimit {
		c.writeError(errorf(http.StatusRequestEntityTooLarge, "requestEntityTooLarge",
			"The simple upload API supports files up to 250 MB; use an upload session for larger files."))
		return
	}
	info := analyze(body)
	dr, gerr := s.driveOfCall(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	mime := c.r.Header.Get("Content-Type")
	if i := strings.IndexByte(mime, ';'); i > 0 {
		mime = mime[:i]
	}
	s.drive.mu.Lock()
	t, gerr := s.lockedTarget(c, dr)
	if gerr != nil {
		s.drive.mu.Unlock()
		c.writeError(gerr)
		return
	}
	it, status, created, removed, gerr := s.writeTarget(c, t, body, mime, conflictBehavior(c, nil, "replace"), info)
	if gerr != nil {
		s.drive.mu.Unlock()
		c.writeError(gerr)
		return
	}
	m := s.itemJSON(it, c.host(), c.now)
	etag := it.etag()
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "deleted", removed...)
	kind := "updated"
	if status == http.StatusCreated {
		kind = "created"
	}
	s.publishItems(dr.id, kind, created...)
	c.writeDriveValue(status, c.itemContext(dr), m, etag)
}

// writeTarget stores content at a target (under d.mu): it replaces an
// existing file or creates the file (and missing folders), applying the
// conflict behaviour. It returns the file, 200 or 201, the created or
// updated ids and the ids a replace removed.
func (s *Server) writeTarget(c *call, t target, body []byte, mime, behavior string, info *contentInfo) (*driveItem, int, []string, []string, *graphError) {
	by := c.driveUser()
	if t.it != nil {
		if t.it.folder {
			return nil, 0, nil, nil, errInvalidRequest("The target is a folder; a file's content cannot be written to it.")
		}
		if e := c.checkAccess(t.it, true); e != nil {
			return nil, 0, nil, nil, e
		}
		if e := c.ifMatchItem(t.it); e != nil {
			return nil, 0, nil, nil, e
		}
		_, _, byPath := decodeItemRef(c.params["driveItem-id"])
		if byPath && behavior == "fail" {
			return nil, 0, nil, nil, errNameExists(t.it.name)
		}
		if byPath && behavior == "rename" {
			parent := t.it.parent
			name := uniqueName(parent, t.it.name)
			it := s.newChild(parent, name, false, by, c.now)
			s.setContent(it, body, by, c.now, mime, info)
			return it, http.StatusCreated, []string{it.id}, nil, nil
		}
		s.setContent(t.it, body, by, c.now, mime, info)
		return t.it, http.StatusOK, []string{t.it.id}, nil, nil
	}
	if e := c.checkAccess(t.parent, true); e != nil {
		return nil, 0, nil, nil, e
	}
	for _, m := range t.missing {
		if invalidName(m) {
			return nil, 0, nil, nil, errInvalidRequest("The provided name contains invalid characters or is not allowed.")
		}
	}
	var created []string
	parent := t.parent
	for _, folder := range t.missing[:len(t.missing)-1] {
		f := s.newChild(parent, folder, true, by, c.now)
		created = append(created, f.id)
		parent = f
	}
	it := s.newChild(parent, t.missing[len(t.missing)-1], false, by, c.now)
	s.setContent(it, body, by, c.now, mime, info)
	return it, http.StatusCreated, append(created, it.id), nil, nil
}

// --- upload sessions ---

// driveUpload is one upload session.
type driveUpload struct {
	mu          sync.Mutex // serialises fragments
	id, token   string
	driveID     string
	parentID    string   // the folder the file goes to
	missing     []string // folders to create below it
	name        string
	existingID  string // the file an id-addressed session replaces
	behavior    string
	description string
	fsCreated   time.Time
	fsModified  time.Time
	deferCommit bool
	by          driveIdentity
	host        string

	size     int64 // -1 until known
	data     []byte
	received int64
	// expires is the expiry in Unix nanoseconds (server clock); atomic,
	// as the session table reads it without the session's lock.
	expires atomic.Int64
	qx      hash.Hash
}

func (u *driveUpload) expiry() time.Time { return time.Unix(0, u.expires.Load()).UTC() }

func (u *driveUpload) status() map[string]any {
	ranges := []string{}
	if u.size < 0 || u.received < u.size {
		ranges = append(ranges, strconv.FormatInt(u.received, 10)+"-")
	}
	return map[string]any{
		"expirationDateTime": u.expiry().Format("2006-01-02T15:04:05.000Z"),
		"nextExpectedRanges": ranges,
	}
}

func (s *Server) createDriveUploadSession(c *call) {
	var in map[string]any
	if c.r.ContentLength != 0 {
		body, gerr := readBody(c, 1<<20)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if in, gerr = decodeObject(body); gerr != nil {
				c.writeError(gerr)
				return
			}
		}
	}
	item, _ := in["item"].(map[string]any)
	dr, gerr := s.driveOfCall(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	u := &driveUpload{id: strings.ToUpper(newUUID()), token: randomToken(32), driveID: dr.id, size: -1,
		behavior: lower(str(item["@microsoft.graph.conflictBehavior"])), description: str(item["description"]),
		by: c.driveUser(), host: c.host()}
	u.expires.Store(c.now.Add(driveUploadTTL).UnixNano())
	if u.behavior == "" {
		u.behavior = "replace"
	}
	u.deferCommit, _ = in["deferCommit"].(bool)
	if fsi, ok := item["fileSystemInfo"].(map[string]any); ok {
		u.fsCreated, _ = time.Parse(time.RFC3339, str(fsi["createdDateTime"]))
		u.fsModified, _ = time.Parse(time.RFC3339, str(fsi["lastModifiedDateTime"]))
	}
	s.drive.mu.Lock()
	t, gerr := s.lockedTarget(c, dr)
	if gerr == nil {
		gerr = s.planUpload(c, t, u, item)
	}
	if gerr == nil {
		if fs, ok := item["fileSize"].(float64); ok && int64(fs) > dr.quota-dr.root.size()-dr.deleted {
			gerr = errorf(http.StatusInsufficientStorage, "quotaLimitReached", "Insufficient Space Available")
		}
	}
	if gerr != nil {
		s.drive.mu.Unlock()
		c.writeError(gerr)
		return
	}
	// Forget expired sessions, so abandoned uploads do not keep their
	// buffers.
	for id, x := range s.drive.uploads {
		if c.now.After(x.expiry()) {
			delete(s.drive.uploads, id)
		}
	}
	s.drive.uploads[u.id] = u
	s.drive.mu.Unlock()
	c.writeValue(http.StatusOK, map[string]any{
		"@odata.context":     c.base() + "/$metadata#microsoft.graph.uploadSession",
		"uploadUrl":          s.uploadURL(u),
		"expirationDateTime": u.expiry().Format("2006-01-02T15:04:05.000Z"),
		"nextExpectedRanges": []string{"0-"},
	})
}

// planUpload fills in where a session's file goes (under d.mu).
func (s *Server) planUpload(c *call, t target, u *driveUpload, item map[string]any) *graphError {
	if t.it != nil {
		if e := c.ifMatchItem(t.it); e != nil {
			return e
		}
		if t.it.folder {
			// items/{folder-id}/createUploadSession with item.name.
			name := str(item["name"])
			if name == "" || invalidName(name) {
				return errInvalidRequest("The item name is missing or not allowed.")
			}
			if e := c.checkAccess(t.it, true); e != nil {
				return e
			}
			u.parentID, u.name = t.it.id, name
			return nil
		}
		if e := c.checkAccess(t.it, true); e != nil {
			return e
		}
		u.parentID, u.name = t.it.parent.id, t.it.name
		if _, _, byPath := decodeItemRef(c.params["driveItem-id"]); !byPath {
			u.existingID = t.it.id
		}
		return nil
	}
	if c.r.Header.Get("If-Match") != "" && c.r.Header.Get("If-Match") != "*" {
		return errorf(http.StatusPreconditionFailed, "preconditionFailed", "ETag does not match current item's value")
	}
	if e := c.checkAccess(t.parent, true); e != nil {
		return e
	}
	for _, m := range t.missing {
		if invalidName(m) {
			return errInvalidRequest("The provided name contains invalid characters or is not allowed.")
		}
	}
	u.parentID = t.parent.id
	u.missing = t.missing[:len(t.missing)-1]
	u.name = t.missing[len(t.missing)-1]
	return nil
}

// uploadURL is a session's pre-authenticated URL.
func (s *Server) uploadURL(u *driveUpload) string {
	return u.host + driveUploadPrefix + u.driveID + "/items/" + u.parentID + uploadSessionSuffix +
		"?guid=" + u.id + "&overwrite=" + strconv.FormatBool(u.behavior == "replace") +
		"&rename=" + strconv.FormatBool(u.behavior == "rename") + "&dc=0&tempauth=" + u.token
}

func errUploadSessionNotFound() *graphError {
	e := errorf(http.StatusNotFound, "itemNotFound", "The upload session was not found or has expired.")
	e.inner = "uploadSessionNotFound"
	return e
}

// serveUploadSession serves PUT, GET, DELETE and POST on an upload URL.
func (s *Server) serveUploadSession(c *call) {
	q := c.r.URL.Query()
	sid := q.Get("guid")
	s.drive.mu.Lock()
	s.drive.init()
	u := s.drive.uploads[sid]
	if u != nil && c.now.After(u.expiry()) {
		delete(s.drive.uploads, sid)
		u = nil
	}
	s.drive.mu.Unlock()
	if u == nil || subtle.ConstantTimeCompare([]byte(q.Get("tempauth")), []byte(u.token)) != 1 {
		c.writeError(errUploadSessionNotFound())
		return
	}
	if c.r.Header.Get("Authorization") != "" {
		c.writeError(errorf(http.StatusUnauthorized, "unauthenticated",
			"The upload URL is pre-authenticated: send the request without an Authorization header."))
		return
	}
	switch c.r.Method {
	case http.MethodGet:
		u.mu.Lock()
		st := u.status()
		u.mu.Unlock()
		c.writeValue(http.StatusOK, st)
	case http.MethodDelete:
		s.drive.mu.Lock()
		delete(s.drive.uploads, sid)
		s.drive.mu.Unlock()
		c.setCommonHeaders()
		c.w.WriteHeader(http.StatusNoContent)
	case http.MethodPut:
		s.uploadFragment(c, u)
	case http.MethodPost:
		u.mu.Lock()
		defer u.mu.Unlock()
		if !u.deferCommit {
			c.writeError(errInvalidRequest("The upload session was not created with deferCommit."))
			return
		}
		if u.size < 0 || u.received < u.size {
			e := errInvalidRequest("The upload session is incomplete: more bytes are expected.")
			e.inner = "uploadSessionIncomplete"
			c.writeError(e)
			return
		}
		s.commitUpload(c, u)
	default:
		c.writeError(errMethodNotAllowed())
	}
}

func (s *Server) uploadFragment(c *call, u *driveUpload) {
	first, last, total, ok := parseContentRange(c.r.Header.Get("Content-Range"))
	if !ok {
		c.writeError(errRange(http.StatusBadRequest, "invalidContentRange", "The Content-Range header is missing or malformed (want 'bytes first-last/total')."))
		return
	}
	n := last - first + 1
	if c.r.ContentLength >= 0 && c.r.ContentLength != n {
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The Content-Length does not match the Content-Range."))
		return
	}
	if n > maxUploadFragment {
		c.writeError(errorf(http.StatusRequestEntityTooLarge, "requestEntityTooLarge", "A fragment must be at most 60 MiB."))
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.size >= 0 && total != u.size {
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The total size in Content-Range does not match the size of the upload."))
		return
	}
	if last >= total {
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The Content-Range goes beyond the total size."))
		return
	}
	if last != total-1 && n%uploadFragmentUnit != 0 {
		c.writeError(errRange(http.StatusBadRequest, "invalidFragmentSize", "Fragments must be a multiple of 320 KiB (327,680 bytes), except the last one."))
		return
	}
	if first != u.received {
		e := errRange(http.StatusRequestedRangeNotSatisfiable, "fragmentOverlap",
			"The uploaded fragment does not start at the next expected byte. nextExpectedRanges: "+strconv.FormatInt(u.received, 10)+"-")
		if first > u.received {
			e.inner = "fragmentOutOfOrder"
		}
		c.writeError(e)
		return
	}
	if u.size < 0 {
		s.drive.mu.Lock()
		dr := s.drive.drives[u.driveID]
		tooBig := dr != nil && total > dr.quota-dr.root.size()-dr.deleted
		s.drive.mu.Unlock()
		if tooBig {
			c.writeError(errorf(http.StatusInsufficientStorage, "quotaLimitReached", "Insufficient Space Available"))
			return
		}
		u.size = total
		u.data = make([]byte, total) // one allocation, from the declared total
		u.qx = quickxor.New()
	}
	chunk := u.data[first : last+1]
	if _, err := io.ReadFull(c.r.Body, chunk); err != nil {
		// A broken connection: nothing of this fragment counts.
		c.writeError(errRange(http.StatusBadRequest, "fragmentLengthMismatch", "The request body is shorter than the Content-Range."))
		return
	}
	u.qx.Write(chunk)
	u.received = last + 1
	u.expires.Store(c.now.Add(driveUploadTTL).UnixNano())
	if u.received < u.size || u.deferCommit {
		c.writeValue(http.StatusAccepted, u.status())
		return
	}
	s.commitUpload(c, u)
}

// commitUpload turns a complete session into the file (under u.mu).
func (s *Server) commitUpload(c *call, u *driveUpload) {
	info := &contentInfo{qxor: base64.StdEncoding.EncodeToString(u.qx.Sum(nil))}
	info.image, info.photo = imageFacets(u.data)
	s.drive.mu.Lock()
	delete(s.drive.uploads, u.id)
	dr := s.drive.drives[u.driveID]
	parent := s.drive.items[u.parentID]
	if dr == nil || parent == nil || parent.drive != dr {
		s.drive.mu.Unlock()
		c.writeError(errorf(http.StatusNotFound, "itemNotFound", "The destination folder no longer exists."))
		return
	}
	by := u.by
	var it *driveItem
	var removed, created []string
	status := http.StatusCreated
	if u.existingID != "" {
		it = s.drive.items[u.existingID]
		if it == nil {
			s.drive.mu.Unlock()
			c.writeError(errDriveItemNotFound())
			return
		}
		status = http.StatusOK
	} else {
		for _, f := range u.missing {
			next, ok := parent.children[lower(f)]
			if !ok {
				next = s.newChild(parent, f, true, by, c.now)
				created = append(created, next.id)
			} else if !next.folder {
				s.drive.mu.Unlock()
				c.writeError(errNameExists(f))
				return
			}
			parent = next
		}
		name := u.name
		if other, taken := parent.children[lower(name)]; taken {
			switch u.behavior {
			case "fail":
				s.drive.mu.Unlock()
				c.writeError(errNameExists(name))
				return
			case "rename":
				name = uniqueName(parent, name)
			default:
				if other.folder {
					removed = s.removeItem(other)
				} else {
					it = other
					status = http.StatusOK
				}
			}
		}
		if it == nil {
			it = s.newChild(parent, name, false, by, c.now)
		}
	}
	s.setContent(it, u.data, by, c.now, "", info)
	if u.description != "" {
		it.description = u.description
	}
	if !u.fsCreated.IsZero() {
		it.fsCreated = u.fsCreated
	}
	if !u.fsModified.IsZero() {
		it.fsModified = u.fsModified
	}
	created = append(created, it.id)
	m := s.itemJSON(it, u.host, c.now)
	s.drive.mu.Unlock()
	s.publishItems(dr.id, "deleted", removed...)
	kind := "created"
	if status == http.StatusOK {
		kind = "updated"
	}
	s.publishItems(dr.id, kind, created...)
	c.writeValue(status, m)
}
