package emulator

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/o365go/o365/internal/quickxor"
)

// The drive area: OneDrive for Business and SharePoint document libraries.
//
// Drives belong to owners (users, created lazily on first use; groups;
// sites). Each drive is a real tree of items held in memory: folders with
// children by lower-cased name (names are unique case-insensitively, as in
// SharePoint), files with their content. Content slices are never modified
// once stored (a write replaces the slice), so readers serve them outside
// the lock and versions share them without copies.
//
// Every change bumps a drive-wide sequence number on the changed item and
// its ancestors (their size and eTag change too); delta queries read the
// sequence numbers and the drive's tombstones.

// driveState is the drive area's server-wide state. The zero value is
// ready: maps are made on first use.
type driveState struct {
	mu      sync.Mutex
	drives  map[string]*drive     // by id
	owners  map[string][]*drive   // "user:{id}" etc. -> drives, default first
	items   map[string]*driveItem // by id, every drive
	uploads map[string]*driveUpload
	copies  map[string]*driveCopy
	rounds  map[string]*driveRound
	order   []string // round ids, oldest first
	seq     uint64   // last change sequence number (all drives)
	counter uint64   // id generator
	epoch   uint64   // delta tokens of older epochs are refused
	key     []byte   // signs download URLs
}

func (d *driveState) init() {
	if d.drives != nil {
		return
	}
	d.drives = map[string]*drive{}
	d.owners = map[string][]*drive{}
	d.items = map[string]*driveItem{}
	d.uploads = map[string]*driveUpload{}
	d.copies = map[string]*driveCopy{}
	d.rounds = map[string]*driveRound{}
	d.key = make([]byte, 32)
	_, _ = rand.Read(d.key)
}

// drive is one document library.
type drive struct {
	id, name  string
	driveType string // "business" or "documentLibrary"
	ownerKind string // "user", "group", "site"
	ownerID   string
	owner     driveIdentity
	created   time.Time
	root      *driveItem
	quota     int64
	deleted   int64 // bytes in the recycle bin (deleted files)
	tombs     []driveTomb
	webBase   string
}

// driveTomb records a deleted item for delta.
type driveTomb struct {
	id, name, parentID string
	path               string // former parent path, "/a/b" ("" at the root)
	folder             bool
	seq                uint64
}

// driveIdentity is a user or application of an identitySet.
type driveIdentity struct {
	kind, id, name, email string // kind "user" or "application"
}

func (i driveIdentity) set() map[string]any {
	if i.id == "" && i.name == "" {
		return nil
	}
	inner := map[string]any{"id": i.id, "displayName": i.name}
	if i.email != "" {
		inner["email"] = i.email
	}
	kind := i.kind
	if kind == "" {
		kind = "user"
	}
	return map[string]any{kind: inner}
}

// driveItem is a file or folder.
type driveItem struct {
	id          string
	drive       *drive
	parent      *driveItem
	name        string
	folder      bool
	children    map[string]*driveItem // by lower-cased name
	special     string                // special folder name ("documents")
	description string

	content  []byte
	mimeType string
	qxor     string
	image    *[2]int        // width, height
	photo    map[string]any // from EXIF

	created, modified     time.Time
	fsCreated, fsModified time.Time
	createdBy, modifiedBy driveIdentity
	etagN, ctagN          int
	guid                  string // eTag/cTag resource id
	seq                   uint64
	versions              []*driveVersion
	perms                 []*drivePerm
	ownPerms              bool      // inheritance broken: ancestors' permissions do not apply
	lastAccess            time.Time // for recent
}

// driveVersion is a stored content version (the current one included).
type driveVersion struct {
	id         string // "1.0", "2.0"
	content    []byte
	modified   time.Time
	modifiedBy driveIdentity
}

// drivePerm is a sharing permission on an item.
type drivePerm struct {
	id         string
	roles      []string
	link       map[string]any // type, scope, webUrl, preventsDownload
	linkType   string
	linkScope  string
	password   string // never returned
	expiration string
	grantee    driveIdentity // a tenant user
	invitee    string        // an outside email address
	signIn     bool
	owner      bool
	shared     time.Time
	sharedBy   driveIdentity
}

// nextID returns a deterministic OneDrive for Business-looking item id.
func (d *driveState) nextID(prefix string) string {
	d.counter++
	h := sha1.Sum([]byte(prefix + "\x00" + strconv.FormatUint(d.counter, 10)))
	return "01" + base32.StdEncoding.EncodeToString(h[:])[:32]
}

func guidOf(id string) string {
	h := sha1.Sum([]byte("guid:" + id))
	x := strings.ToUpper(hex.EncodeToString(h[:16]))
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func driveTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// ownerKey names an owner in driveState.owners.
func ownerKey(kind, id string) string { return kind + ":" + lower(id) }

// newDrive creates a drive (under d.mu).
func (s *Server) newDrive(kind, ownerID, name string, owner driveIdentity, now time.Time) *drive {
	d := &s.drive
	d.init()
	h := sha256.Sum256([]byte("drive:" + kind + ":" + lower(ownerID) + ":" + name))
	id := "b!" + base64.RawURLEncoding.EncodeToString(append(h[:], h[:12]...))
	dt := "business"
	web := "https://contoso-my.sharepoint.com/personal/" + strings.NewReplacer("@", "_", ".", "_").Replace(lower(owner.email))
	if kind != "user" {
		dt = "documentLibrary"
		web = "https://contoso.sharepoint.com/sites/" + strings.ReplaceAll(owner.name, " ", "")
	}
	if kind == "site" { // under the site's webUrl; sites never reach the drive lock
		if _, _, siteWeb, ok := s.siteInfo(ownerID); ok {
			web = siteWeb
		}
	}
	if name == "" {
		name = "OneDrive"
		if kind != "user" {
			name = "Documents"
		}
	}
	libPath := "Documents"
	if kind != "user" {
		libPath = "Shared Documents"
		if name != "Documents" {
			libPath = name
		}
	}
	dr := &drive{id: id, name: name, driveType: dt, ownerKind: kind, ownerID: ownerID, owner: owner,
		created: now, quota: 1 << 40, webBase: web + "/" + escapePath(libPath)}
	root := &driveItem{drive: dr, name: "root", folder: true, children: map[string]*driveItem{},
		created: now, modified: now, fsCreated: now, fsModified: now, createdBy: owner, modifiedBy: owner}
	root.id = d.nextID(id)
	root.guid = guidOf(root.id)
	root.etagN, root.ctagN = 1, 1
	d.seq++
	root.seq = d.seq
	if kind == "user" {
		root.perms = []*drivePerm{{id: "aTowIy5mfG1lbWJlcnNoaXB8" + strings.ToLower(strings.ReplaceAll(owner.email, "@", "_")),
			roles: []string{"owner"}, grantee: owner, owner: true}}
	}
	dr.root = root
	d.items[root.id] = root
	d.drives[id] = dr
	k := ownerKey(kind, ownerID)
	d.owners[k] = append(d.owners[k], dr)
	return dr
}

// userDrive returns a user's OneDrive, creating it on first use; nil
// when the user does not exist.
func (s *Server) userDrive(idOrUPN string) *drive {
	u, ok := s.lookupUser(idOrUPN)
	if !ok {
		return nil
	}
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	s.drive.init()
	if ds := s.drive.owners[ownerKey("user", u.ID)]; len(ds) > 0 {
		return ds[0]
	}
	return s.newDrive("user", u.ID, "OneDrive", driveIdentity{kind: "user", id: u.ID, name: u.DisplayName, email: u.UPN}, s.now())
}

// ownerDrives returns the drives of a group or site, creating the default
// library on first use; nil when the owner does not exist.
func (s *Server) ownerDrives(kind, id string) []*drive {
	switch kind {
	case "user":
		d := s.userDrive(id)
		if d == nil {
			return nil
		}
		s.drive.mu.Lock()
		defer s.drive.mu.Unlock()
		return append([]*drive(nil), s.drive.owners[ownerKey("user", d.ownerID)]...)
	case "group":
		e, ok := s.dir.groups.get(lower(id))
		if !ok {
			return nil
		}
		if st, gerr := s.groupSite(id); gerr == nil { // the team site's libraries (sites_path.go)
			return s.ownerDrives("site", st.id)
		}
		name := str(e.doc["displayName"])
		if name == "" {
			name = id
		}
		s.drive.mu.Lock()
		defer s.drive.mu.Unlock()
		s.drive.init()
		if ds := s.drive.owners[ownerKey("group", id)]; len(ds) > 0 {
			return append([]*drive(nil), ds...)
		}
		d := s.newDrive("group", id, "Documents", driveIdentity{kind: "group", id: id, name: name}, s.now())
		return []*drive{d}
	case "site":
		// One key per site, whichever id form the request uses.
		cid, ok := s.siteCanonicalID(id)
		if !ok {
			return nil
		}
		id = cid
		owner := s.siteDriveOwner(cid) // sites_path.go
		s.drive.mu.Lock()
		defer s.drive.mu.Unlock()
		s.drive.init()
		if ds := s.drive.owners[ownerKey("site", id)]; len(ds) > 0 {
			return append([]*drive(nil), ds...)
		}
		d := s.newDrive("site", id, "Documents", owner, s.now())
		return []*drive{d}
	}
	return nil
}

// path returns the item's path below the root: "" for the root, "/a/b".
func (it *driveItem) path() string {
	if it.parent == nil {
		return ""
	}
	var parts []string
	for x := it; x.parent != nil; x = x.parent {
		parts = append(parts, x.name)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return "/" + strings.Join(parts, "/")
}

func (it *driveItem) size() int64 {
	if !it.folder {
		return int64(len(it.content))
	}
	var n int64
	for _, c := range it.children {
		n += c.size()
	}
	return n
}

func (it *driveItem) etag() string {
	return `"{` + it.guid + `},` + strconv.Itoa(it.etagN) + `"`
}

func (it *driveItem) ctag() string {
	return `"c:{` + it.guid + `},` + strconv.Itoa(it.ctagN) + `"`
}

// permSources lists the items whose permissions apply to it: itself,
// then its ancestors up to the first that broke inheritance.
func (it *driveItem) permSources() []*driveItem {
	var out []*driveItem
	for x := it; x != nil; x = x.parent {
		out = append(out, x)
		if x.ownPerms {
			break
		}
	}
	return out
}

// under reports whether a is it or one of its ancestors.
func (it *driveItem) under(a *driveItem) bool {
	for x := it; x != nil; x = x.parent {
		if x == a {
			return true
		}
	}
	return false
}

// sortedChildren lists the children by name.
func (it *driveItem) sortedChildren() []*driveItem {
	out := make([]*driveItem, 0, len(it.children))
	for _, c := range it.children {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return lower(out[i].name) < lower(out[j].name) })
	return out
}

// touch marks an item changed (new eTag, sequence number) and its
// ancestors' eTags too (their size changes). content marks a content
// change (cTag). Called under d.mu.
func (s *Server) touch(it *driveItem, content bool) {
	s.drive.seq++
	it.etagN++
	if content {
		it.ctagN++
	}
	it.seq = s.drive.seq
	for p := it.parent; p != nil; p = p.parent {
		p.etagN++
		p.seq = s.drive.seq
	}
}

// invalidName reports whether a name is not allowed in OneDrive for
// Business.
func invalidName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > 400 {
		return true
	}
	if strings.ContainsAny(name, "\"*:<>?/\\|") || strings.TrimSpace(name) != name && strings.HasSuffix(name, " ") {
		return true
	}
	return strings.HasPrefix(name, "~$") || strings.EqualFold(name, ".lock") || strings.EqualFold(name, "desktop.ini") ||
		strings.HasSuffix(name, ".")
}

func errDriveItemNotFound() *graphError {
	return errorf(http.StatusNotFound, "itemNotFound", "The resource could not be found.")
}

func errNameExists(name string) *graphError {
	return errorf(http.StatusConflict, "nameAlreadyExists", "The specified item name already exists. Name: "+name)
}

func errInvalidRequest(msg string) *graphError {
	return errorf(http.StatusBadRequest, "invalidRequest", msg)
}

// contentInfo are the derived properties of a content stream: the hash
// and image facets. Computing them is the slow part of a write, so large
// uploads compute them outside the drive lock. OneDrive for Business and
// SharePoint report only the QuickXorHash (sha1Hash and sha256Hash are
// OneDrive personal's), so that is the only hash kept.
type contentInfo struct {
	qxor  string
	image *[2]int
	photo map[string]any
}

// analyze computes the derived properties of content.
func analyze(content []byte) *contentInfo {
	q := quickxor.Sum(content)
	info := &contentInfo{qxor: base64.StdEncoding.EncodeToString(q[:])}
	info.image, info.photo = imageFacets(content)
	return info
}

// setContent stores new content on a file as a new version (under d.mu).
// info may be nil (computed here).
func (s *Server) setContent(it *driveItem, content []byte, by driveIdentity, now time.Time, mimeType string, info *contentInfo) {
	if info == nil {
		info = analyze(content)
	}
	it.content = content
	if mimeType == "" || mimeType == "application/octet-stream" {
		mimeType = mimeForName(it.name, content)
	}
	it.mimeType = mimeType
	it.qxor = info.qxor
	it.image, it.photo = info.image, info.photo
	it.modified, it.modifiedBy = now, by
	it.fsModified = now
	it.versions = append(it.versions, &driveVersion{id: strconv.Itoa(len(it.versions)+1) + ".0", content: content, modified: now, modifiedBy: by})
	s.touch(it, true)
}

// mimeForName guesses a file's MIME type from its extension, then its
// content.
func mimeForName(name string, content []byte) string {
	switch lower(path.Ext(name)) {
	case ".txt", ".log", ".md":
		return "text/plain"
	case ".csv":
		return "text/csv"
	case ".json":
		return "application/json"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".pptx":
		return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	case ".pdf":
		return "application/pdf"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".zip":
		return "application/x-zip-compressed"
	case ".html", ".htm":
		return "text/html"
	}
	if len(content) == 0 {
		return "application/octet-stream"
	}
	ct := http.DetectContentType(content[:min(len(content), 512)])
	if i := strings.IndexByte(ct, ';'); i > 0 {
		ct = ct[:i]
	}
	return ct
}

// newChild creates a file or folder under parent (under d.mu).
func (s *Server) newChild(parent *driveItem, name string, folder bool, by driveIdentity, now time.Time) *driveItem {
	it := &driveItem{drive: parent.drive, parent: parent, name: name, folder: folder,
		created: now, modified: now, fsCreated: now, fsModified: now, createdBy: by, modifiedBy: by, lastAccess: now}
	if folder {
		it.children = map[string]*driveItem{}
	}
	it.id = s.drive.nextID(parent.drive.id)
	it.guid = guidOf(it.id)
	parent.children[lower(name)] = it
	s.drive.items[it.id] = it
	s.touch(it, true)
	return it
}

// uniqueName returns name, or "name 1.ext", "name 2.ext"... when taken.
func uniqueName(parent *driveItem, name string) string {
	if _, taken := parent.children[lower(name)]; !taken {
		return name
	}
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		n := base + " " + strconv.Itoa(i) + ext
		if _, taken := parent.children[lower(n)]; !taken {
			return n
		}
	}
}

// removeItem deletes an item and its subtree (under d.mu), recording
// tombstones, and returns the removed ids.
func (s *Server) removeItem(it *driveItem) []string {
	p := it.parent
	if p == nil {
		return nil
	}
	delete(p.children, lower(it.name))
	s.drive.seq++
	seq := s.drive.seq
	var ids []string
	var walk func(x *driveItem, parentPath string)
	walk = func(x *driveItem, parentPath string) {
		ids = append(ids, x.id)
		delete(s.drive.items, x.id)
		if !x.folder {
			x.drive.deleted += int64(len(x.content))
		}
		x.drive.tombs = append(x.drive.tombs, driveTomb{id: x.id, name: x.name, parentID: x.parent.id, path: parentPath, folder: x.folder, seq: seq})
		for _, c := range x.children {
			walk(c, parentPath+"/"+x.name)
		}
	}
	walk(it, p.path())
	for q := p; q != nil; q = q.parent {
		q.etagN++
		q.seq = seq
	}
	return ids
}

// resolvePath walks a relative path ("a/b.txt") from an item.
func resolvePath(from *driveItem, rel string) (*driveItem, bool) {
	cur := from
	for _, part := range strings.Split(strings.Trim(rel, "/"), "/") {
		if part == "" {
			continue
		}
		if !cur.folder {
			return nil, false
		}
		next, ok := cur.children[lower(part)]
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// signDownload makes the tempauth token of a download URL: the item, an
// expiry and an HMAC over both.
func (d *driveState) sign(parts ...string) string {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// driveUser is the identity of the caller.
func (c *call) driveUser() driveIdentity {
	if c.claims == nil {
		return driveIdentity{}
	}
	if c.claims.AppOnly {
		return driveIdentity{kind: "application", id: c.claims.ClientID, name: "Emulator App"}
	}
	if u, ok := c.s.lookupUser(c.claims.ObjectID); ok {
		return driveIdentity{kind: "user", id: u.ID, name: u.DisplayName, email: u.UPN}
	}
	return driveIdentity{kind: "user", id: c.claims.ObjectID}
}
