package sharepoint

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/graph"
)

func (s *Site) check() error {
	switch {
	case s == nil || !s.sp.bound():
		return ErrUnbound
	case s.ID == "":
		return ErrEmptyID
	}
	return nil
}

func (s *Site) path(segments ...string) string { return graph.Site(s.ID).Path(segments...) }

// Sharepoint returns the handle the site is bound to (nil for an unbound site).
func (s *Site) Sharepoint() *Sharepoint { return s.sp }

// Subsites lists the site's direct subsites (GET /sites/{id}/sites), every page.
func (s *Site) Subsites(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Site, error] {
	if err := s.check(); err != nil {
		return errSeq[Site](err)
	}
	return s.sp.siteSeq(ctx, s.path("sites"), lo, opts...)
}

// Storage returns a handle on the site's document libraries, which are drives
// (python-o365's site_storage). It does no I/O.
func (s *Site) Storage() *drive.Storage {
	if s == nil || s.sp == nil {
		return drive.New(nil, "")
	}
	return drive.New(s.sp.c, graph.Site(s.ID))
}

// DefaultDocumentLibrary returns the site's default document library
// (GET /sites/{id}/drive), usually "Documents".
func (s *Site) DefaultDocumentLibrary(ctx context.Context, opts ...graph.CallOption) (*drive.Drive, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.Storage().DefaultDrive(ctx, opts...)
}

// DocumentLibrary returns the site's document library with the drive id
// (GET /drives/{id}).
func (s *Site) DocumentLibrary(ctx context.Context, driveID string, opts ...graph.CallOption) (*drive.Drive, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.Storage().Drive(ctx, driveID, opts...)
}

// DocumentLibraries lists the site's document libraries (GET /sites/{id}/drives), every
// page.
func (s *Site) DocumentLibraries(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*drive.Drive, error] {
	if err := s.check(); err != nil {
		return errSeq[drive.Drive](err)
	}
	return s.Storage().Drives(ctx, lo, opts...)
}

// Lists lists the site's lists and libraries (GET /sites/{id}/lists), every page.
func (s *Site) Lists(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*List, error] {
	if err := s.check(); err != nil {
		return errSeq[List](err)
	}
	return func(yield func(*List, error) bool) {
		for l, err := range graph.List[List](ctx, s.sp.c, s.path("lists"), lo, opts...) {
			if l != nil {
				l.bind(s)
			}
			if !yield(l, err) {
				return
			}
		}
	}
}

// List returns the list with the id or display name (GET /sites/{id}/lists/{id-or-name}),
// python-o365's get_list_by_name. Pass graph.Query(odata.New().Expand("columns")) to read
// its columns in the same call.
func (s *Site) List(ctx context.Context, idOrName string, opts ...graph.CallOption) (*List, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if idOrName == "" {
		return nil, ErrEmptyID
	}
	var l List
	if err := s.sp.c.Get(ctx, s.path("lists", idOrName), &l, opts...); err != nil {
		return nil, err
	}
	l.bind(s)
	return &l, nil
}

// ListRef returns a list of the site bound to it with only its id set, for calls on a
// list whose id or name is known. It does no I/O.
func (s *Site) ListRef(idOrName string) *List {
	l := &List{ID: idOrName}
	l.bind(s)
	return l
}

// NewList describes a list to create.
type NewList struct {
	DisplayName string
	Description string
	// Template is the kind of list; "" means TemplateGenericList.
	Template ListTemplate
	// Columns are added besides the template's own (Title, ...).
	Columns []Column
}

// CreateList creates a list (POST /sites/{id}/lists). Graph needs Sites.Manage.All.
func (s *Site) CreateList(ctx context.Context, nl NewList, opts ...graph.CallOption) (*List, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(nl.DisplayName) == "" {
		return nil, fmt.Errorf("%w: a list needs a display name", ErrEmptyID)
	}
	tmpl := nl.Template
	if tmpl == "" {
		tmpl = TemplateGenericList
	}
	body := map[string]any{"displayName": nl.DisplayName, "list": map[string]any{"template": tmpl}}
	if nl.Description != "" {
		body["description"] = nl.Description
	}
	if len(nl.Columns) > 0 {
		body["columns"] = nl.Columns
	}
	var l List
	if err := s.sp.c.Post(ctx, s.path("lists"), body, &l, opts...); err != nil {
		return nil, err
	}
	l.bind(s)
	return &l, nil
}

// Columns lists the site's columns (GET /sites/{id}/columns), every page.
func (s *Site) Columns(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Column, error] {
	if err := s.check(); err != nil {
		return errSeq[Column](err)
	}
	return graph.List[Column](ctx, s.sp.c, s.path("columns"), lo, opts...)
}

// AddColumn creates a site column (POST /sites/{id}/columns). Graph needs
// Sites.Manage.All.
func (s *Site) AddColumn(ctx context.Context, col Column, opts ...graph.CallOption) (*Column, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var out Column
	if err := s.sp.c.Post(ctx, s.path("columns"), col, &out, opts...); err != nil {
		return nil, err
	}
	return &out, nil
}

// ContentTypes lists the site's content types (GET /sites/{id}/contentTypes), every page.
func (s *Site) ContentTypes(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*ContentType, error] {
	if err := s.check(); err != nil {
		return errSeq[ContentType](err)
	}
	return graph.List[ContentType](ctx, s.sp.c, s.path("contentTypes"), lo, opts...)
}

// ContentType returns the site's content type with the id
// (GET /sites/{id}/contentTypes/{id}).
func (s *Site) ContentType(ctx context.Context, id string, opts ...graph.CallOption) (*ContentType, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var ct ContentType
	if err := s.sp.c.Get(ctx, s.path("contentTypes", id), &ct, opts...); err != nil {
		return nil, err
	}
	return &ct, nil
}

// CreateContentType creates a site content type (POST /sites/{id}/contentTypes) from
// ct's Name, Description, Group and Base (its id, e.g. "0x01" for Item). Graph needs
// Sites.Manage.All.
func (s *Site) CreateContentType(ctx context.Context, ct ContentType, opts ...graph.CallOption) (*ContentType, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	body := map[string]any{"name": ct.Name}
	if ct.Description != "" {
		body["description"] = ct.Description
	}
	if ct.Group != "" {
		body["group"] = ct.Group
	}
	if ct.Base != nil {
		body["base"] = map[string]any{"id": ct.Base.ID, "name": ct.Base.Name}
	}
	var out ContentType
	if err := s.sp.c.Post(ctx, s.path("contentTypes"), body, &out, opts...); err != nil {
		return nil, err
	}
	return &out, nil
}
