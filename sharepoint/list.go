package sharepoint

import (
	"context"
	"iter"
	"maps"
	"net/url"
	"strings"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// listWritable holds a list's writable properties, as Save sends them.
type listWritable struct {
	DisplayName string
	Description string
}

func (l *List) bind(s *Site) {
	l.site = s
	l.snap = &listWritable{DisplayName: l.DisplayName, Description: l.Description}
}

func (l *List) check() error {
	switch {
	case l == nil || l.site == nil || !l.site.sp.bound():
		return ErrUnbound
	case l.ID == "" || l.site.ID == "":
		return ErrEmptyID
	}
	return nil
}

func (l *List) client() *graph.Client { return l.site.sp.c }

func (l *List) path(segments ...string) string {
	return l.site.path(append([]string{"lists", l.ID}, segments...)...)
}

// Site returns the site the list belongs to (nil for an unbound list).
func (l *List) Site() *Site { return l.site }

// Save sends the list's DisplayName and Description when they changed since it was
// read (PATCH /sites/{id}/lists/{id}); nothing changed: no request.
func (l *List) Save(ctx context.Context, opts ...graph.CallOption) error {
	if err := l.check(); err != nil {
		return err
	}
	body := map[string]any{}
	if l.snap == nil || l.DisplayName != l.snap.DisplayName {
		body["displayName"] = l.DisplayName
	}
	if l.snap == nil || l.Description != l.snap.Description {
		body["description"] = l.Description
	}
	if len(body) == 0 {
		return nil
	}
	var out List
	if err := l.client().Patch(ctx, l.path(), body, &out, opts...); err != nil {
		return err
	}
	site := l.site
	*l = out
	l.bind(site)
	return nil
}

// Delete deletes the list and its items (DELETE /sites/{id}/lists/{id}).
func (l *List) Delete(ctx context.Context, opts ...graph.CallOption) error {
	if err := l.check(); err != nil {
		return err
	}
	return l.client().Delete(ctx, l.path(), opts...)
}

// Columns lists the list's columns (GET .../lists/{id}/columns), every page
// (python-o365's get_list_columns).
func (l *List) Columns(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Column, error] {
	if err := l.check(); err != nil {
		return errSeq[Column](err)
	}
	return graph.List[Column](ctx, l.client(), l.path("columns"), lo, opts...)
}

// ColumnNames maps the display names of the list's columns to their internal names
// (python-o365's column_name_cw); fields are keyed by internal name.
func (l *List) ColumnNames(ctx context.Context, opts ...graph.CallOption) (map[string]string, error) {
	out := map[string]string{}
	for c, err := range l.Columns(ctx, nil, opts...) {
		if err != nil {
			return nil, err
		}
		out[c.DisplayName] = c.Name
	}
	return out, nil
}

// AddColumn adds a column to the list (POST .../lists/{id}/columns). Set exactly one type
// facet; Graph needs Sites.Manage.All.
func (l *List) AddColumn(ctx context.Context, col Column, opts ...graph.CallOption) (*Column, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	var out Column
	if err := l.client().Post(ctx, l.path("columns"), col, &out, opts...); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteColumn removes a column (DELETE .../lists/{id}/columns/{column-id}).
func (l *List) DeleteColumn(ctx context.Context, columnID string, opts ...graph.CallOption) error {
	if err := l.check(); err != nil {
		return err
	}
	if columnID == "" {
		return ErrEmptyID
	}
	return l.client().Delete(ctx, l.path("columns", columnID), opts...)
}

// ContentTypes lists the list's content types (GET .../lists/{id}/contentTypes), every
// page.
func (l *List) ContentTypes(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*ContentType, error] {
	if err := l.check(); err != nil {
		return errSeq[ContentType](err)
	}
	return graph.List[ContentType](ctx, l.client(), l.path("contentTypes"), lo, opts...)
}

// ItemOptions shape a listing of items. A nil *ItemOptions lists every item with all
// its fields.
type ItemOptions struct {
	// Limit and PageSize are as in graph.ListOptions.
	Limit    int
	PageSize int
	// Query filters and sorts, on fields too: odata.Attr("fields/Color").Eq("Red").
	// Its $expand is replaced by the one Fields and NoFields ask for.
	Query *odata.Query
	// Fields expands only these fields (internal names, sent as written);
	// nil expands every field.
	Fields []string
	// NoFields lists the items without their fields.
	NoFields bool
	// AllowNonIndexed sends Prefer: HonorNonIndexedQueriesWarningMayFailRandomly, which
	// SharePoint needs to filter or sort on columns that are not indexed (it answers 400
	// without it; with it, queries on large lists may fail).
	AllowNonIndexed bool
}

// expandValue is the $expand of an item request.
func expandValue(noFields bool, fields []string) string {
	switch {
	case noFields:
		return ""
	case len(fields) == 0:
		return "fields"
	}
	return "fields($select=" + strings.Join(fields, ",") + ")"
}

// HonorNonIndexed is the CallOption behind ItemOptions.AllowNonIndexed, for other calls
// that query list items.
func HonorNonIndexed() graph.CallOption {
	return graph.Prefer("HonorNonIndexedQueriesWarningMayFailRandomly")
}

func (o *ItemOptions) callOptions(opts []graph.CallOption) (*graph.ListOptions, []graph.CallOption) {
	if o == nil {
		o = &ItemOptions{}
	}
	lo := &graph.ListOptions{Limit: o.Limit, PageSize: o.PageSize, Query: o.Query}
	if ex := expandValue(o.NoFields, o.Fields); ex != "" {
		opts = append(opts, graph.Params(url.Values{"$expand": {ex}}))
	}
	if o.AllowNonIndexed {
		opts = append(opts, HonorNonIndexed())
	}
	return lo, opts
}

// Items lists the list's items (GET .../lists/{id}/items), every page, with their fields
// unless o says otherwise (python-o365's get_items, which read one page).
func (l *List) Items(ctx context.Context, o *ItemOptions, opts ...graph.CallOption) iter.Seq2[*ListItem, error] {
	if err := l.check(); err != nil {
		return errSeq[ListItem](err)
	}
	lo, opts := o.callOptions(opts)
	return func(yield func(*ListItem, error) bool) {
		for it, err := range graph.List[ListItem](ctx, l.client(), l.path("items"), lo, opts...) {
			if it != nil {
				it.bind(l)
			}
			if !yield(it, err) {
				return
			}
		}
	}
}

// Item returns the item with the id (GET .../items/{id}) with the given fields, or all
// of them when none are named.
func (l *List) Item(ctx context.Context, id string, fields ...string) (*ListItem, error) {
	if err := l.check(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var it ListItem
	err := l.client().Get(ctx, l.path("items", id), &it, graph.Params(url.Values{"$expand": {expandValue(false, fields)}}))
	if err != nil {
		return nil, err
	}
	it.bind(l)
	return &it, nil
}

// NewItem returns a new item of the list with the fields set (nothing is sent until
// Save).
func (l *List) NewItem(fields Fields) *ListItem {
	f := Fields{}
	maps.Copy(f, fields)
	return &ListItem{Fields: f, list: l}
}

// CreateItem creates an item with the fields (POST .../items {"fields": ...}), python-o365's
// create_list_item.
func (l *List) CreateItem(ctx context.Context, fields Fields, opts ...graph.CallOption) (*ListItem, error) {
	it := l.NewItem(fields)
	if err := it.Save(ctx, opts...); err != nil {
		return nil, err
	}
	return it, nil
}

// DeleteItem deletes the item with the id (DELETE .../items/{id}).
func (l *List) DeleteItem(ctx context.Context, id string, opts ...graph.CallOption) error {
	if err := l.check(); err != nil {
		return err
	}
	if id == "" {
		return ErrEmptyID
	}
	return l.client().Delete(ctx, l.path("items", id), opts...)
}

// Delta prepares a delta round over the list's items (GET .../items/delta); it does no
// I/O. With deltaLink "" it is the initial round, which yields every item with its
// fields; with a DeltaLink saved from an earlier round it yields what changed since,
// deletions as Change.Removed. Range over Changes(ctx), then keep DeltaLink().
func (l *List) Delta(deltaLink string, opts ...graph.CallOption) *graph.Delta[ListItem] {
	if err := l.check(); err != nil {
		return graph.NewDelta[ListItem](nil, deltaLink, nil, opts...)
	}
	start := deltaLink
	if start == "" {
		start = l.path("items", "delta")
	}
	return graph.NewDelta[ListItem](l.client(), start, nil, opts...).OnItem(func(it *ListItem) { it.bind(l) })
}

// LatestDeltaLink returns a deltaLink from now without reading any item
// (GET .../items/delta?token=latest), for callers who only want later changes.
func (l *List) LatestDeltaLink(ctx context.Context, opts ...graph.CallOption) (string, error) {
	if err := l.check(); err != nil {
		return "", err
	}
	d := graph.NewDelta[ListItem](l.client(), l.path("items", "delta"), nil, append(opts, graph.Params(url.Values{"token": {"latest"}}))...)
	for _, err := range d.Changes(ctx) {
		if err != nil {
			return "", err
		}
	}
	return d.DeltaLink(), nil
}
