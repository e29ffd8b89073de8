package directory

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"strings"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// Directory is a handle on the tenant's directory of users. Making one does no I/O;
// it is cheap to copy and safe for concurrent use.
type Directory struct {
	c *graph.Client
}

// New returns a Directory using c.
func New(c *graph.Client) *Directory { return &Directory{c: c} }

// Client is the Graph client the directory uses.
func (d *Directory) Client() *graph.Client { return d.c }

// ErrUnbound is returned by calls on a User that was not read through a Directory
// (nor made by Directory.NewUser).
var ErrUnbound = errors.New("directory: user is not bound to a directory (read it with Directory.User or make it with Directory.NewUser)")

// ErrNoID is returned by calls on a user without an id.
var ErrNoID = errors.New("directory: user has no id")

// advanced reports whether Graph evaluates q on directory objects only as an advanced
// query (ConsistencyLevel: eventual with $count): $search, $count, the ne and not
// operators, endswith, and $orderby combined with $filter.
func advanced(q *odata.Query) bool {
	if q == nil {
		return false
	}
	v := q.Values()
	if v.Get("$search") != "" || v.Get("$count") != "" {
		return true
	}
	f := strings.ToLower(v.Get("$filter"))
	if f == "" {
		return false
	}
	if v.Get("$orderby") != "" {
		return true
	}
	for _, w := range []string{" ne ", "not(", "not ", "endswith("} {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// listOpts returns lo with $count added and the call options with
// ConsistencyLevel: eventual when the query is an advanced one.
func listOpts(lo *graph.ListOptions) (*graph.ListOptions, []graph.CallOption) {
	if lo == nil || !advanced(lo.Query) {
		return lo, nil
	}
	cp := *lo
	if cp.Query.Values().Get("$count") == "" {
		cp.Query = cp.Query.Count()
	}
	return &cp, []graph.CallOption{graph.ConsistencyEventual()}
}

// List lists the objects at path (a directory collection), adding the advanced
// query header and $count when the query needs them. Other areas (groups) use it.
func List[T any](ctx context.Context, c *graph.Client, path string, lo *graph.ListOptions) iter.Seq2[*T, error] {
	lo, opts := listOpts(lo)
	return graph.List[T](ctx, c, path, lo, opts...)
}

// Count counts the objects at a directory collection path ("/users", "/groups",
// "/groups/{id}/transitiveMembers") matching q, with $count and ConsistencyLevel:
// eventual.
func Count(ctx context.Context, c *graph.Client, path string, q *odata.Query) (int64, error) {
	var n int64
	err := c.Do(ctx, &graph.Request{Method: http.MethodGet, Path: strings.TrimSuffix(path, "/") + "/$count"}, &n,
		graph.Query(q), graph.ConsistencyEventual())
	return n, err
}

// Users lists the users of the tenant (lo.Query: $filter, $search, $select,
// $orderby, $expand; advanced queries get their header and $count).
func (d *Directory) Users(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*User, error] {
	return d.bindAll(List[User](ctx, d.c, "/users", lo))
}

// Search lists the users whose display name, given name, surname, mail or user
// principal name starts with a word of text ($search with ConsistencyLevel:
// eventual). lo may add $select, $filter, $orderby, a limit and a page size.
func (d *Directory) Search(ctx context.Context, text string, lo *graph.ListOptions) iter.Seq2[*User, error] {
	var cp graph.ListOptions
	if lo != nil {
		cp = *lo
	}
	q := cp.Query
	if q == nil {
		q = odata.New()
	}
	q = q.SearchProperty("displayName", text).Or().SearchProperty("mail", text).Or().SearchProperty("userPrincipalName", text)
	cp.Query = q
	return d.Users(ctx, &cp)
}

// Count counts the users matching q (nil: all users).
func (d *Directory) Count(ctx context.Context, q *odata.Query) (int64, error) {
	return Count(ctx, d.c, "/users", q)
}

// User gets a user by id or user principal name; q may $select and $expand.
func (d *Directory) User(ctx context.Context, idOrUPN string, q *odata.Query) (*User, error) {
	if idOrUPN == "" {
		return nil, ErrNoID
	}
	return d.get(ctx, graph.User(idOrUPN).Path(), q)
}

// Me gets the signed-in user (delegated flows only); q may $select and $expand.
func (d *Directory) Me(ctx context.Context, q *odata.Query) (*User, error) {
	return d.get(ctx, "/me", q)
}

func (d *Directory) get(ctx context.Context, path string, q *odata.Query) (*User, error) {
	var u User
	if err := d.c.Get(ctx, path, &u, graph.Query(q)); err != nil {
		return nil, err
	}
	return u.bind(d), nil
}

// NewUser returns an unsaved user bound to the directory: set its fields and call
// Create. Graph requires AccountEnabled, DisplayName, MailNickname, UserPrincipalName
// and PasswordProfile.
func (d *Directory) NewUser() *User {
	u := &User{}
	return u.bind(d)
}

// DeleteUser deletes a user by id or user principal name (it goes to the deleted
// items for 30 days). python-o365 cannot do this.
func (d *Directory) DeleteUser(ctx context.Context, idOrUPN string) error {
	if idOrUPN == "" {
		return ErrNoID
	}
	return d.c.Delete(ctx, graph.User(idOrUPN).Path())
}

func (u *User) bind(d *Directory) *User {
	u.dir = d
	u.snapshot()
	if u.ExpandedManager != nil {
		u.ExpandedManager.bind(d)
	}
	return u
}

func (d *Directory) bindAll(seq iter.Seq2[*User, error]) iter.Seq2[*User, error] {
	return func(yield func(*User, error) bool) {
		for u, err := range seq {
			if u != nil {
				u.bind(d)
			}
			if !yield(u, err) {
				return
			}
		}
	}
}

func (u *User) check() error {
	if u == nil || u.dir == nil {
		return ErrUnbound
	}
	if u.ID == "" {
		return ErrNoID
	}
	return nil
}

func (u *User) path(seg ...string) string { return graph.User(u.ID).Path(seg...) }

// Create creates the user in the directory (POST /users) with the fields set, and
// updates u with the service's answer.
func (u *User) Create(ctx context.Context) error {
	if u == nil || u.dir == nil {
		return ErrUnbound
	}
	var out User
	if err := u.dir.c.Post(ctx, "/users", u.changes(), &out); err != nil {
		return err
	}
	d := u.dir
	*u = out
	u.bind(d)
	return nil
}

// Save sends the properties changed since the user was read (PATCH), nothing when
// none changed.
func (u *User) Save(ctx context.Context) error {
	if err := u.check(); err != nil {
		return err
	}
	ch := u.changes()
	if len(ch) == 0 {
		return nil
	}
	if err := u.dir.c.Patch(ctx, u.path(), ch, nil); err != nil {
		return err
	}
	u.snapshot()
	return nil
}

// Delete deletes the user.
func (u *User) Delete(ctx context.Context) error {
	if err := u.check(); err != nil {
		return err
	}
	return u.dir.c.Delete(ctx, u.path())
}

// Manager gets the user's manager; graph.ErrNotFound when there is none.
func (u *User) Manager(ctx context.Context) (*User, error) {
	if err := u.check(); err != nil {
		return nil, err
	}
	return u.dir.get(ctx, u.path("manager"), nil)
}

// SetManager makes the user with managerID (id or user principal name) the
// user's manager.
func (u *User) SetManager(ctx context.Context, managerID string) error {
	if err := u.check(); err != nil {
		return err
	}
	if managerID == "" {
		return ErrNoID
	}
	ref := map[string]string{"@odata.id": u.dir.c.Protocol().ServiceURL() + "/users/" + managerID}
	return u.dir.c.Put(ctx, u.path("manager", "$ref"), ref, nil)
}

// RemoveManager removes the user's manager.
func (u *User) RemoveManager(ctx context.Context) error {
	if err := u.check(); err != nil {
		return err
	}
	return u.dir.c.Delete(ctx, u.path("manager", "$ref"))
}

// DirectReports lists the users (and contacts) who report to the user.
func (u *User) DirectReports(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Object, error] {
	return u.objects(ctx, "directReports", lo)
}

// MemberOf lists the groups (and directory roles) the user is a direct member of.
func (u *User) MemberOf(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Object, error] {
	return u.objects(ctx, "memberOf", lo)
}

// TransitiveMemberOf lists the groups the user is a member of, directly or through
// nested groups.
func (u *User) TransitiveMemberOf(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Object, error] {
	return u.objects(ctx, "transitiveMemberOf", lo)
}

func (u *User) objects(ctx context.Context, rel string, lo *graph.ListOptions) iter.Seq2[*Object, error] {
	if err := u.check(); err != nil {
		return func(yield func(*Object, error) bool) { yield(nil, err) }
	}
	return List[Object](ctx, u.dir.c, u.path(rel), lo)
}

// Photo returns the user's profile photo and its content type; graph.ErrNotFound
// when the user has none.
func (u *User) Photo(ctx context.Context) (data []byte, contentType string, err error) {
	if err := u.check(); err != nil {
		return nil, "", err
	}
	return u.download(ctx, u.path("photo", "$value"))
}

func (u *User) download(ctx context.Context, path string) (data []byte, contentType string, err error) {
	resp, err := u.dir.c.Send(ctx, &graph.Request{Method: http.MethodGet, Path: path})
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	data, err = io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, "", err
	}
	return data, resp.Header.Get("Content-Type"), nil
}

// PhotoOfSize returns the user's photo in one of the sizes Graph keeps ("48x48",
// "64x64", "96x96", "120x120", "240x240", "360x360", "432x432", "504x504", "648x648").
func (u *User) PhotoOfSize(ctx context.Context, size string) (data []byte, contentType string, err error) {
	if err := u.check(); err != nil {
		return nil, "", err
	}
	if size == "" {
		return u.Photo(ctx)
	}
	return u.download(ctx, u.path("photos", size, "$value"))
}

// DeletePhoto removes the user's profile photo.
func (u *User) DeletePhoto(ctx context.Context) error {
	if err := u.check(); err != nil {
		return err
	}
	return u.dir.c.Delete(ctx, u.path("photo", "$value"))
}

// SetPhoto replaces the user's profile photo (contentType such as "image/jpeg";
// Graph accepts photos up to 4 MB).
func (u *User) SetPhoto(ctx context.Context, contentType string, data []byte) error {
	if err := u.check(); err != nil {
		return err
	}
	if !strings.HasPrefix(contentType, "image/") {
		return errors.New("directory: photo content type must be image/*")
	}
	resp, err := u.dir.c.Send(ctx, &graph.Request{Method: http.MethodPut, Path: u.path("photo", "$value"),
		Body: bytes.NewReader(data), ContentType: contentType})
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
