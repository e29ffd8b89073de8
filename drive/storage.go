package drive

import (
	"context"
	"iter"

	"github.com/o365go/o365/graph"
)

// Storage is a handle on the drives of a user, a group or a site (python-o365's Storage).
// It does no I/O until a call, is cheap to copy and safe for concurrent use.
type Storage struct {
	c   *graph.Client
	res graph.Resource
}

// New returns a handle on the drives of res: graph.Me (the default when res is ""),
// graph.User(upn), graph.Group(id) or graph.Site(id).
func New(c *graph.Client, res graph.Resource) *Storage {
	if res == "" {
		res = graph.Me
	}
	return &Storage{c: c, res: res}
}

// Resource returns the resource whose drives the handle reaches, e.g. "me".
func (s *Storage) Resource() graph.Resource { return s.res }

// Client returns the Graph client behind the handle.
func (s *Storage) Client() *graph.Client { return s.c }

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

func (s *Storage) bindDrive(d *Drive) *Drive {
	if d != nil {
		d.c = s.c
	}
	return d
}

// DefaultDrive reads the resource's default drive (GET /{res}/drive): the user's
// OneDrive, or a group's or site's default document library.
func (s *Storage) DefaultDrive(ctx context.Context, opts ...graph.CallOption) (*Drive, error) {
	if s == nil || s.c == nil {
		return nil, ErrUnbound
	}
	var d Drive
	if err := s.c.Get(ctx, s.res.Path("drive"), &d, opts...); err != nil {
		return nil, err
	}
	return s.bindDrive(&d), nil
}

// Drives lists the resource's drives (GET /{res}/drives), every page.
func (s *Storage) Drives(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Drive, error] {
	if s == nil || s.c == nil {
		return errSeq[Drive](ErrUnbound)
	}
	return func(yield func(*Drive, error) bool) {
		for d, err := range graph.List[Drive](ctx, s.c, s.res.Path("drives"), lo, opts...) {
			if !yield(s.bindDrive(d), err) {
				return
			}
		}
	}
}

// Drive reads a drive by id (GET /drives/{id}), whoever owns it.
func (s *Storage) Drive(ctx context.Context, id string, opts ...graph.CallOption) (*Drive, error) {
	if s == nil || s.c == nil {
		return nil, ErrUnbound
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var d Drive
	if err := s.c.Get(ctx, joinPath("drives", id), &d, opts...); err != nil {
		return nil, err
	}
	return s.bindDrive(&d), nil
}

// DriveByID returns a handle on the drive with the id without reading it (no I/O): only
// its ID is set. Use it when the id is known to save a round trip.
func (s *Storage) DriveByID(id string) *Drive {
	if s == nil {
		return &Drive{ID: id}
	}
	return &Drive{ID: id, c: s.c}
}

// Bind attaches a Drive decoded by the caller (for example from a saved JSON) to the client.
func Bind(c *graph.Client, d *Drive) *Drive {
	if d != nil {
		d.c = c
	}
	return d
}

// Client returns the Graph client the drive is bound to (nil when unbound).
func (d *Drive) Client() *graph.Client { return d.c }

// path returns "/drives/{id}" followed by the segments, each percent-encoded.
func (d *Drive) path(segments ...string) (string, error) {
	if d == nil || d.c == nil {
		return "", ErrUnbound
	}
	if d.ID == "" {
		return "", ErrEmptyID
	}
	return joinPath(append([]string{"drives", d.ID}, segments...)...), nil
}

func (d *Drive) bind(it *Item) *Item {
	if it == nil {
		return nil
	}
	it.c = d.c
	it.driveID = d.ID
	if it.RemoteItem != nil && it.RemoteItem.ParentReference != nil && it.RemoteItem.ParentReference.DriveID != "" {
		// Shared-with-me and recent entries: the item lives in another drive.
		it.driveID = it.RemoteItem.ParentReference.DriveID
	} else if it.ParentReference != nil && it.ParentReference.DriveID != "" {
		it.driveID = it.ParentReference.DriveID
	}
	w := it.writable()
	it.snap = &w
	return it
}

// Refresh reads the drive again (GET /drives/{id}) and updates d.
func (d *Drive) Refresh(ctx context.Context, opts ...graph.CallOption) error {
	p, err := d.path()
	if err != nil {
		return err
	}
	var nd Drive
	if err := d.c.Get(ctx, p, &nd, opts...); err != nil {
		return err
	}
	nd.c = d.c
	*d = nd
	return nil
}

func (d *Drive) getItem(ctx context.Context, p string, opts []graph.CallOption) (*Item, error) {
	var it Item
	if err := d.c.Get(ctx, p, &it, opts...); err != nil {
		return nil, err
	}
	return d.bind(&it), nil
}

// Root reads the drive's root folder (GET /drives/{id}/root).
func (d *Drive) Root(ctx context.Context, opts ...graph.CallOption) (*Item, error) {
	p, err := d.path("root")
	if err != nil {
		return nil, err
	}
	return d.getItem(ctx, p, opts)
}

// Item reads an item by id (GET /drives/{id}/items/{item-id}).
func (d *Drive) Item(ctx context.Context, id string, opts ...graph.CallOption) (*Item, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	p, err := d.path("items", id)
	if err != nil {
		return nil, err
	}
	return d.getItem(ctx, p, opts)
}

// ItemRef returns an Item bound to the drive with only its ID set, without reading it (no
// I/O). Its methods work as on an Item read from the service, except those that need its
// properties (Download's hash check reads them first).
func (d *Drive) ItemRef(id string) *Item {
	it := &Item{ID: id}
	if d != nil {
		it.c, it.driveID = d.c, d.ID
	}
	return it
}

// ItemByPath reads an item by its path from the root ("Documents/Q3 report.docx"; leading
// and trailing slashes are ignored): GET /drives/{id}/root:/Documents/Q3%20report.docx:.
// Each segment is percent-encoded, so names with spaces, '#', '%', '?' or any Unicode
// character work. The empty path is the root.
func (d *Drive) ItemByPath(ctx context.Context, path string, opts ...graph.CallOption) (*Item, error) {
	p, err := d.pathAddress(path)
	if err != nil {
		return nil, err
	}
	return d.getItem(ctx, p, opts)
}

// pathAddress is "/drives/{id}/root:/a/b:" (or "/drives/{id}/root" for the empty path).
func (d *Drive) pathAddress(path string) (string, error) {
	base, err := d.path("root")
	if err != nil {
		return "", err
	}
	ep, err := escapePath(path)
	if err != nil {
		return "", err
	}
	if ep == "" {
		return base, nil
	}
	return base + ":/" + ep + ":", nil
}

// SpecialFolderName names a special folder.
type SpecialFolderName string

// Special folders of a OneDrive.
const (
	SpecialDocuments  SpecialFolderName = "documents"
	SpecialPhotos     SpecialFolderName = "photos"
	SpecialCameraRoll SpecialFolderName = "cameraroll"
	SpecialAppRoot    SpecialFolderName = "approot"
	SpecialMusic      SpecialFolderName = "music"
	SpecialRecordings SpecialFolderName = "recordings"
)

// Special reads a special folder (GET /drives/{id}/special/{name}).
func (d *Drive) Special(ctx context.Context, name SpecialFolderName, opts ...graph.CallOption) (*Item, error) {
	if name == "" {
		return nil, ErrEmptyID
	}
	p, err := d.path("special", string(name))
	if err != nil {
		return nil, err
	}
	return d.getItem(ctx, p, opts)
}

func (d *Drive) list(ctx context.Context, p string, lo *graph.ListOptions, opts []graph.CallOption) iter.Seq2[*Item, error] {
	return func(yield func(*Item, error) bool) {
		for it, err := range graph.List[Item](ctx, d.c, p, lo, opts...) {
			if !yield(d.bind(it), err) {
				return
			}
		}
	}
}

// Children lists the root folder's children (GET /drives/{id}/root/children), every page.
func (d *Drive) Children(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Item, error] {
	p, err := d.path("root", "children")
	if err != nil {
		return errSeq[Item](err)
	}
	return d.list(ctx, p, lo, opts)
}

// Recent lists the items the user used recently (GET /drives/{id}/recent), every page.
// Items of other drives carry RemoteItem and are bound to their own drive.
func (d *Drive) Recent(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Item, error] {
	p, err := d.path("recent()")
	if err != nil {
		return errSeq[Item](err)
	}
	return d.list(ctx, p, lo, opts)
}

// SharedWithMe lists the items others shared with the user (GET /drives/{id}/sharedWithMe),
// every page; allowExternal includes items shared from outside the organisation. Each item
// carries RemoteItem and is bound to the drive that holds it.
func (d *Drive) SharedWithMe(ctx context.Context, allowExternal bool, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Item, error] {
	p, err := d.path("sharedWithMe()")
	if err != nil {
		return errSeq[Item](err)
	}
	if allowExternal {
		opts = append(opts, graph.Params(map[string][]string{"allowexternal": {"true"}}))
	}
	return d.list(ctx, p, lo, opts)
}

// Search searches the whole drive (GET /drives/{id}/search(q='...')), every page.
// text is quoted as an OData literal and percent-encoded, so quotes and '#' are safe.
func (d *Drive) Search(ctx context.Context, text string, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Item, error] {
	p, err := d.path()
	if err != nil {
		return errSeq[Item](err)
	}
	return d.list(ctx, p+"/search(q="+odataString(text)+")", lo, opts)
}
