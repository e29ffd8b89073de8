package drive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/o365go/o365/graph"
)

// itemWritable holds an item's properties Save may send.
type itemWritable struct {
	Name           string          `json:"name"`
	Description    string          `json:"description"`
	FileSystemInfo *FileSystemInfo `json:"fileSystemInfo"`
}

func (it *Item) writable() itemWritable {
	w := itemWritable{Name: it.Name, Description: it.Description}
	if it.FileSystemInfo != nil {
		f := *it.FileSystemInfo
		w.FileSystemInfo = &f
	}
	return w
}

// Client returns the Graph client the item is bound to (nil when unbound). With ItemPath it
// lets other packages (excel) reach the item.
func (it *Item) Client() *graph.Client { return it.c }

// DriveID returns the id of the drive that holds the item.
func (it *Item) DriveID() string { return it.driveID }

// ItemPath returns the item's canonical Graph path, "/drives/{drive-id}/items/{item-id}"
// ("" when unbound).
func (it *Item) ItemPath() string {
	p, err := it.path()
	if err != nil {
		return ""
	}
	return p
}

// Drive returns a handle on the drive that holds the item (no I/O: only its ID is set).
func (it *Item) Drive() *Drive { return &Drive{ID: it.driveID, c: it.c} }

func (it *Item) path(segments ...string) (string, error) {
	if it == nil || it.c == nil || it.driveID == "" {
		return "", ErrUnbound
	}
	id := it.ID
	if it.RemoteItem != nil && it.RemoteItem.ID != "" {
		id = it.RemoteItem.ID
	}
	if id == "" {
		return "", ErrEmptyID
	}
	return joinPath(append([]string{"drives", it.driveID, "items", id}, segments...)...), nil
}

// rebind copies the binding of it into got (an answer about the same drive).
func (it *Item) rebind(got *Item) *Item { return it.Drive().bind(got) }

// Get reads the item again (GET /drives/{d}/items/{id}) and returns it.
func (it *Item) Get(ctx context.Context, opts ...graph.CallOption) (*Item, error) {
	p, err := it.path()
	if err != nil {
		return nil, err
	}
	var got Item
	if err := it.c.Get(ctx, p, &got, opts...); err != nil {
		return nil, err
	}
	return it.rebind(&got), nil
}

// Refresh reads the item again and updates it in place.
func (it *Item) Refresh(ctx context.Context, opts ...graph.CallOption) error {
	got, err := it.Get(ctx, opts...)
	if err != nil {
		return err
	}
	*it = *got
	return nil
}

// Parent reads the item's parent folder. The root has none (ErrNotFound is not returned:
// the result is nil, nil).
func (it *Item) Parent(ctx context.Context, opts ...graph.CallOption) (*Item, error) {
	if it.ParentReference == nil || it.ParentReference.ID == "" {
		if it.Root != nil {
			return nil, nil
		}
		got, err := it.Get(ctx, opts...)
		if err != nil {
			return nil, err
		}
		if got.ParentReference == nil || got.ParentReference.ID == "" {
			return nil, nil
		}
		it = got
	}
	d := it.Drive()
	if it.ParentReference.DriveID != "" {
		d.ID = it.ParentReference.DriveID
	}
	return d.Item(ctx, it.ParentReference.ID, opts...)
}

// ItemByPath reads an item by its path relative to this folder
// (GET /drives/{d}/items/{id}:/a/b.txt:), each segment percent-encoded.
func (it *Item) ItemByPath(ctx context.Context, rel string, opts ...graph.CallOption) (*Item, error) {
	p, err := it.relPath(rel)
	if err != nil {
		return nil, err
	}
	var got Item
	if err := it.c.Get(ctx, p, &got, opts...); err != nil {
		return nil, err
	}
	return it.rebind(&got), nil
}

// relPath is "/drives/{d}/items/{id}:/rel:" (the item itself for an empty rel).
func (it *Item) relPath(rel string) (string, error) {
	p, err := it.path()
	if err != nil {
		return "", err
	}
	ep, err := escapePath(rel)
	if err != nil {
		return "", err
	}
	if ep == "" {
		return p, nil
	}
	return p + ":/" + ep + ":", nil
}

// Children lists a folder's children (GET /drives/{d}/items/{id}/children), every page.
func (it *Item) Children(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Item, error] {
	p, err := it.path("children")
	if err != nil {
		return errSeq[Item](err)
	}
	return it.Drive().list(ctx, p, lo, opts)
}

// ChildFolders lists the folders among a folder's children, every page. The filter runs
// here, not as a $filter the service may refuse.
func (it *Item) ChildFolders(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Item, error] {
	var limit int
	if lo != nil && lo.Limit > 0 {
		l := *lo
		limit, l.Limit = lo.Limit, 0
		lo = &l
	}
	return func(yield func(*Item, error) bool) {
		n := 0
		for c, err := range it.Children(ctx, lo, opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			if !c.IsFolder() {
				continue
			}
			if !yield(c, nil) {
				return
			}
			if n++; limit > 0 && n >= limit {
				return
			}
		}
	}
}

// Search searches this folder and below (GET /drives/{d}/items/{id}/search(q='...')),
// every page; text is quoted and percent-encoded.
func (it *Item) Search(ctx context.Context, text string, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Item, error] {
	p, err := it.path()
	if err != nil {
		return errSeq[Item](err)
	}
	return it.Drive().list(ctx, p+"/search(q="+odataString(text)+")", lo, opts)
}

// ConflictBehavior is what the service does when a name is taken.
type ConflictBehavior string

// Conflict behaviours.
const (
	ConflictFail    ConflictBehavior = "fail"
	ConflictReplace ConflictBehavior = "replace"
	ConflictRename  ConflictBehavior = "rename"
)

// CreateFolder creates a folder in this folder (POST /drives/{d}/items/{id}/children). An
// empty conflict means ConflictFail: a taken name gives an error matching graph.ErrConflict.
func (it *Item) CreateFolder(ctx context.Context, name string, conflict ConflictBehavior, opts ...graph.CallOption) (*Item, error) {
	if name == "" {
		return nil, ErrEmptyID
	}
	if strings.ContainsAny(name, "/\\") {
		return nil, errors.New("drive: a folder name cannot contain a slash")
	}
	p, err := it.path("children")
	if err != nil {
		return nil, err
	}
	if conflict == "" {
		conflict = ConflictFail
	}
	body := map[string]any{"name": name, "folder": map[string]any{}, "@microsoft.graph.conflictBehavior": string(conflict)}
	var got Item
	if err := it.c.Post(ctx, p, body, &got, opts...); err != nil {
		return nil, err
	}
	return it.rebind(&got), nil
}

// Save sends the name, description and fileSystemInfo changed since the item was read
// (PATCH with only those properties) and updates the item from the answer. Nothing changed
// means no request.
func (it *Item) Save(ctx context.Context, opts ...graph.CallOption) error {
	p, err := it.path()
	if err != nil {
		return err
	}
	cur, err := fieldsOf(it.writable())
	if err != nil {
		return err
	}
	var old map[string]json.RawMessage
	if it.snap != nil {
		if old, err = fieldsOf(*it.snap); err != nil {
			return err
		}
	}
	body := map[string]json.RawMessage{}
	for k, v := range cur {
		if old != nil && bytes.Equal(v, old[k]) {
			continue
		}
		if old == nil && (string(v) == "null" || string(v) == `""`) {
			continue
		}
		body[k] = v
	}
	if len(body) == 0 {
		return nil
	}
	var got Item
	if err := it.c.Patch(ctx, p, body, &got, opts...); err != nil {
		return err
	}
	*it = *it.rebind(&got)
	return nil
}

func fieldsOf(w itemWritable) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	err = json.Unmarshal(b, &m)
	return m, err
}

func (it *Item) patch(ctx context.Context, body map[string]any, opts []graph.CallOption) error {
	p, err := it.path()
	if err != nil {
		return err
	}
	var got Item
	if err := it.c.Patch(ctx, p, body, &got, opts...); err != nil {
		return err
	}
	*it = *it.rebind(&got)
	return nil
}

// Rename renames the item (PATCH name) and updates it.
func (it *Item) Rename(ctx context.Context, name string, opts ...graph.CallOption) error {
	if name == "" {
		return ErrEmptyID
	}
	return it.patch(ctx, map[string]any{"name": name}, opts)
}

// SetDescription sets the item's description (PATCH description; "" clears it).
func (it *Item) SetDescription(ctx context.Context, description string, opts ...graph.CallOption) error {
	return it.patch(ctx, map[string]any{"description": description}, opts)
}

// Move moves the item into the folder dest (PATCH parentReference), optionally renaming it
// (newName "" keeps the name), and updates it. Moves stay within one drive; use Copy then
// Delete across drives.
func (it *Item) Move(ctx context.Context, dest *Item, newName string, opts ...graph.CallOption) error {
	if dest == nil || dest.ID == "" {
		return ErrEmptyID
	}
	ref := map[string]any{"id": dest.ID}
	if dest.driveID != "" {
		ref["driveId"] = dest.driveID
	}
	body := map[string]any{"parentReference": ref}
	if newName != "" {
		body["name"] = newName
	}
	return it.patch(ctx, body, opts)
}

// Delete deletes the item (DELETE /drives/{d}/items/{id}); it goes to the recycle bin.
func (it *Item) Delete(ctx context.Context, opts ...graph.CallOption) error {
	p, err := it.path()
	if err != nil {
		return err
	}
	return it.c.Delete(ctx, p, opts...)
}

// Thumbnails lists the item's thumbnail sets (GET /drives/{d}/items/{id}/thumbnails).
func (it *Item) Thumbnails(ctx context.Context, opts ...graph.CallOption) ([]ThumbnailSet, error) {
	p, err := it.path("thumbnails")
	if err != nil {
		return nil, err
	}
	var out []ThumbnailSet
	for t, err := range graph.List[ThumbnailSet](ctx, it.c, p, nil, opts...) {
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, nil
}

// Versions lists a file's versions, newest first (GET .../versions), every page.
func (it *Item) Versions(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Version, error] {
	p, err := it.path("versions")
	if err != nil {
		return errSeq[Version](err)
	}
	return func(yield func(*Version, error) bool) {
		for v, err := range graph.List[Version](ctx, it.c, p, lo, opts...) {
			if v != nil {
				v.item = it
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

// Version reads one version (GET .../versions/{id}).
func (it *Item) Version(ctx context.Context, id string, opts ...graph.CallOption) (*Version, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	p, err := it.path("versions", id)
	if err != nil {
		return nil, err
	}
	var v Version
	if err := it.c.Get(ctx, p, &v, opts...); err != nil {
		return nil, err
	}
	v.item = it
	return &v, nil
}

// Item returns the item the version belongs to (nil when unbound).
func (v *Version) Item() *Item { return v.item }

func (v *Version) path(rest ...string) (string, error) {
	if v.item == nil {
		return "", ErrUnbound
	}
	if v.ID == "" {
		return "", ErrEmptyID
	}
	return v.item.path(append([]string{"versions", v.ID}, rest...)...)
}

// Restore makes this version the current one (POST .../versions/{id}/restoreVersion).
func (v *Version) Restore(ctx context.Context, opts ...graph.CallOption) error {
	p, err := v.path("restoreVersion")
	if err != nil {
		return err
	}
	return v.item.c.Post(ctx, p, nil, nil, opts...)
}

// Download streams the version's content to w (GET .../versions/{id}/content).
func (v *Version) Download(ctx context.Context, w io.Writer, opts ...graph.DownloadOption) (int64, error) {
	p, err := v.path("content")
	if err != nil {
		return 0, err
	}
	return v.item.c.Download(ctx, p, w, opts...)
}

// Permissions lists the item's permissions (GET .../permissions), every page.
func (it *Item) Permissions(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Permission, error] {
	p, err := it.path("permissions")
	if err != nil {
		return errSeq[Permission](err)
	}
	return func(yield func(*Permission, error) bool) {
		for pm, err := range graph.List[Permission](ctx, it.c, p, lo, opts...) {
			if pm != nil {
				pm.item = it
			}
			if !yield(pm, err) {
				return
			}
		}
	}
}

func (p *Permission) path() (string, error) {
	if p.item == nil {
		return "", ErrUnbound
	}
	if p.ID == "" {
		return "", ErrEmptyID
	}
	return p.item.path("permissions", p.ID)
}

// UpdateRoles replaces the permission's roles (PATCH .../permissions/{id}) and updates p.
func (p *Permission) UpdateRoles(ctx context.Context, roles []Role, opts ...graph.CallOption) error {
	path, err := p.path()
	if err != nil {
		return err
	}
	if len(roles) == 0 {
		return errors.New("drive: a permission needs at least one role")
	}
	var got Permission
	if err := p.item.c.Patch(ctx, path, map[string]any{"roles": roles}, &got, opts...); err != nil {
		return err
	}
	got.item = p.item
	*p = got
	return nil
}

// Delete removes the permission (DELETE .../permissions/{id}). Inherited permissions
// cannot be removed from the item itself.
func (p *Permission) Delete(ctx context.Context, opts ...graph.CallOption) error {
	path, err := p.path()
	if err != nil {
		return err
	}
	return p.item.c.Delete(ctx, path, opts...)
}

// LinkOptions shape a sharing link.
type LinkOptions struct {
	Type       LinkType  // view (default), edit or embed
	Scope      LinkScope // anonymous, organization or users; "" lets the tenant decide
	Password   string    // OneDrive personal only; a secret, never logged
	Expiration time.Time // zero: the tenant's default
	// RetainInheritedPermissions keeps inherited permissions when the link is the item's
	// first unique one.
	RetainInheritedPermissions bool
}

// CreateLink makes (or returns the existing equivalent) sharing link
// (POST .../createLink): the answer is a link permission whose Link.WebURL is the link.
func (it *Item) CreateLink(ctx context.Context, lo LinkOptions, opts ...graph.CallOption) (*Permission, error) {
	p, err := it.path("createLink")
	if err != nil {
		return nil, err
	}
	if lo.Type == "" {
		lo.Type = LinkView
	}
	body := map[string]any{"type": lo.Type}
	if lo.Scope != "" {
		body["scope"] = lo.Scope
	}
	if lo.Password != "" {
		body["password"] = lo.Password
	}
	if !lo.Expiration.IsZero() {
		body["expirationDateTime"] = lo.Expiration.UTC().Format(time.RFC3339)
	}
	if lo.RetainInheritedPermissions {
		body["retainInheritedPermissions"] = true
	}
	var pm Permission
	if err := it.c.Post(ctx, p, body, &pm, opts...); err != nil {
		return nil, err
	}
	pm.item = it
	return &pm, nil
}

// Invitation is who to share an item with and how (POST .../invite).
type Invitation struct {
	Recipients     []string // email addresses
	Roles          []Role   // default read
	RequireSignIn  bool
	SendInvitation bool
	Message        string
	Expiration     time.Time
	Password       string
}

// Invite shares the item with people (POST .../invite) and returns the permissions made.
func (it *Item) Invite(ctx context.Context, inv Invitation, opts ...graph.CallOption) ([]*Permission, error) {
	p, err := it.path("invite")
	if err != nil {
		return nil, err
	}
	if len(inv.Recipients) == 0 {
		return nil, errors.New("drive: an invitation needs at least one recipient")
	}
	recips := make([]map[string]string, len(inv.Recipients))
	for i, r := range inv.Recipients {
		recips[i] = map[string]string{"email": r}
	}
	roles := inv.Roles
	if len(roles) == 0 {
		roles = []Role{RoleRead}
	}
	body := map[string]any{
		"recipients":     recips,
		"roles":          roles,
		"requireSignIn":  inv.RequireSignIn,
		"sendInvitation": inv.SendInvitation,
	}
	if inv.Message != "" {
		body["message"] = inv.Message
	}
	if !inv.Expiration.IsZero() {
		body["expirationDateTime"] = inv.Expiration.UTC().Format(time.RFC3339)
	}
	if inv.Password != "" {
		body["password"] = inv.Password
	}
	var out struct {
		Value []*Permission `json:"value"`
	}
	if err := it.c.Post(ctx, p, body, &out, opts...); err != nil {
		return nil, err
	}
	for _, pm := range out.Value {
		pm.item = it
	}
	return out.Value, nil
}

// CopyStatus is a copy's progress as its monitor reports it.
type CopyStatus struct {
	Status             string  `json:"status"` // notStarted, inProgress, completed, failed, ...
	PercentageComplete float64 `json:"percentageComplete"`
	ResourceID         string  `json:"resourceId,omitempty"`
	StatusDescription  string  `json:"statusDescription,omitempty"`
	Operation          string  `json:"operation,omitempty"`
}

// Done reports whether the copy finished, well or not.
func (s *CopyStatus) Done() bool { return s.Status == "completed" || s.Status == "failed" }

// CopyOperation is a copy in progress (python-o365's CopyOperation). MonitorURL is polled
// without a token, as the service expects. It is a plain value: save it and rebuild it with
// Drive.CopyOperation to poll from another process.
type CopyOperation struct {
	MonitorURL  string `json:"monitorUrl,omitempty"`
	DestDriveID string `json:"destDriveId,omitempty"`
	// ItemID is set when the copy is done: the new item's id.
	ItemID string `json:"itemId,omitempty"`
	// PollInterval is the pause between polls in Wait (default 1s).
	PollInterval time.Duration `json:"-"`

	c    *graph.Client
	last CopyStatus
}

// Copy copies the item into the folder dest (POST .../copy), possibly in another drive,
// under newName ("" keeps the name). The service copies asynchronously: poll the returned
// operation's Status, or Wait for the new item. conflict "" lets the copy fail on a taken
// name.
func (it *Item) Copy(ctx context.Context, dest *Item, newName string, conflict ConflictBehavior, opts ...graph.CallOption) (*CopyOperation, error) {
	p, err := it.path("copy")
	if err != nil {
		return nil, err
	}
	if dest == nil || dest.ID == "" {
		return nil, ErrEmptyID
	}
	destDrive := dest.driveID
	if destDrive == "" {
		destDrive = it.driveID
	}
	body := map[string]any{"parentReference": map[string]any{"driveId": destDrive, "id": dest.ID}}
	if newName != "" {
		body["name"] = newName
	}
	if conflict != "" {
		opts = append(opts, graph.Params(map[string][]string{"@microsoft.graph.conflictBehavior": {string(conflict)}}))
	}
	resp, err := it.c.Send(ctx, &graph.Request{Method: http.MethodPost, Path: p, Body: body}, opts...)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	op := &CopyOperation{MonitorURL: resp.Header.Get("Location"), DestDriveID: destDrive, c: it.c}
	if resp.StatusCode != http.StatusAccepted {
		// Some services copy small items at once and answer with the item.
		var got Item
		if err := json.NewDecoder(resp.Body).Decode(&got); err == nil && got.ID != "" {
			op.ItemID = got.ID
			op.last = CopyStatus{Status: "completed", PercentageComplete: 100, ResourceID: got.ID}
			return op, nil
		}
	}
	if op.MonitorURL == "" {
		return nil, errors.New("drive: copy accepted without a monitor URL")
	}
	return op, nil
}

// CopyOperation rebuilds a saved copy operation bound to the drive's client.
func (d *Drive) CopyOperation(op CopyOperation) *CopyOperation {
	op.c = d.c
	if op.DestDriveID == "" {
		op.DestDriveID = d.ID
	}
	return &op
}

// Status asks the monitor how the copy goes (GET on MonitorURL, without a token).
func (op *CopyOperation) Status(ctx context.Context) (*CopyStatus, error) {
	if op == nil || op.c == nil {
		return nil, ErrUnbound
	}
	if op.ItemID != "" && op.MonitorURL == "" {
		st := op.last
		return &st, nil
	}
	var st CopyStatus
	if err := op.c.Do(ctx, &graph.Request{Method: http.MethodGet, Path: op.MonitorURL, NoAuth: true}, &st); err != nil {
		return nil, err
	}
	if st.Status == "completed" && st.ResourceID != "" {
		op.ItemID = st.ResourceID
	}
	op.last = st
	return &st, nil
}

// Wait polls the monitor until the copy completes and returns the new item; a failed copy
// gives an error matching ErrCopyFailed.
func (op *CopyOperation) Wait(ctx context.Context) (*Item, error) {
	interval := op.PollInterval
	if interval <= 0 {
		interval = time.Second
	}
	for {
		st, err := op.Status(ctx)
		if err != nil {
			return nil, err
		}
		switch st.Status {
		case "completed":
			if op.ItemID == "" {
				return nil, errors.New("drive: the copy completed without naming the new item")
			}
			return (&Drive{ID: op.DestDriveID, c: op.c}).Item(ctx, op.ItemID)
		case "failed":
			msg := st.StatusDescription
			if msg == "" {
				msg = "the service reports failure"
			}
			return nil, fmt.Errorf("%w: %s", ErrCopyFailed, msg)
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
