package categories

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strings"

	"github.com/o365go/o365/graph"
)

// Errors of this package. Service failures are *graph.Error values: match
// them with errors.Is(err, graph.ErrNotFound), graph.ErrConflict, ...
var (
	// ErrEmptyID is returned when a call needs an id and was given "".
	ErrEmptyID = errors.New("categories: empty id")
	// ErrEmptyName is returned by Create for an empty name.
	ErrEmptyName = errors.New("categories: empty name")
	// ErrUnbound is returned by calls on a Category that was not read
	// through a Categories handle (for example one the caller decoded).
	ErrUnbound = errors.New("categories: the category is not bound to a handle")
	// ErrNotFound matches (errors.Is) the error of ByName when no category
	// has the name; it also matches graph.ErrNotFound.
	ErrNotFound = errors.New("categories: category not found")
)

// notFound is ErrNotFound that also matches graph.ErrNotFound.
type notFound struct{ name string }

func (e *notFound) Error() string   { return fmt.Sprintf("categories: no category named %q", e.name) }
func (e *notFound) Is(t error) bool { return t == ErrNotFound || t == graph.ErrNotFound }

// Category is an Outlook category (microsoft.graph.outlookCategory).
type Category struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	Color       Color  `json:"color,omitempty"`

	h *Categories
}

// Categories is a handle on a user's master category list. Making one does
// no I/O; it is safe for concurrent use.
type Categories struct {
	c   *graph.Client
	res graph.Resource
}

// New returns a handle on the categories of res; an empty res means graph.Me.
func New(c *graph.Client, res graph.Resource) *Categories {
	if res == "" {
		res = graph.Me
	}
	return &Categories{c: c, res: res}
}

// Resource returns the resource the list belongs to, e.g. "me".
func (h *Categories) Resource() graph.Resource { return h.res }

func (h *Categories) path(id string) string {
	p := "/" + string(h.res) + "/outlook/masterCategories"
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}

func (c *Category) bind(h *Categories) *Category {
	if c != nil {
		c.h = h
	}
	return c
}

// List returns every category, in the service's order. (The service
// returns them in one page; the iterator follows nextLinks anyway.)
func (h *Categories) List(ctx context.Context, opts ...graph.CallOption) iter.Seq2[*Category, error] {
	return func(yield func(*Category, error) bool) {
		for c, err := range graph.List[Category](ctx, h.c, h.path(""), nil, opts...) {
			if !yield(c.bind(h), err) || err != nil {
				return
			}
		}
	}
}

// All returns every category as a slice.
func (h *Categories) All(ctx context.Context, opts ...graph.CallOption) ([]*Category, error) {
	var out []*Category
	for c, err := range h.List(ctx, opts...) {
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Get returns the category with the id.
func (h *Categories) Get(ctx context.Context, id string, opts ...graph.CallOption) (*Category, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	var c Category
	if err := h.c.Get(ctx, h.path(id), &c, opts...); err != nil {
		return nil, err
	}
	return c.bind(h), nil
}

// ByName returns the category with the name (compared case-insensitively,
// as Outlook does). The service cannot filter categories, so the list is
// read and searched. When none has the name the error matches ErrNotFound
// and graph.ErrNotFound.
func (h *Categories) ByName(ctx context.Context, name string, opts ...graph.CallOption) (*Category, error) {
	for c, err := range h.List(ctx, opts...) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(c.DisplayName, name) {
			return c, nil
		}
	}
	return nil, &notFound{name}
}

// Create adds a category with the colour: None for no colour, or Auto
// ("") for the first preset no category uses yet (None when all 25 are
// taken), as python-o365's color='auto' does. A name in use answers 409:
// errors.Is(err, graph.ErrConflict).
func (h *Categories) Create(ctx context.Context, name string, color Color, opts ...graph.CallOption) (*Category, error) {
	if strings.TrimSpace(name) == "" {
		return nil, ErrEmptyName
	}
	if color == Auto {
		var err error
		if color, err = h.unusedColor(ctx, opts...); err != nil {
			return nil, err
		}
	}
	var c Category
	if err := h.c.Post(ctx, h.path(""), Category{DisplayName: name, Color: color}, &c, opts...); err != nil {
		return nil, err
	}
	return c.bind(h), nil
}

// Delete deletes the category with the id. Items keep the name in their
// Categories; Outlook shows it without colour.
func (h *Categories) Delete(ctx context.Context, id string, opts ...graph.CallOption) error {
	if id == "" {
		return ErrEmptyID
	}
	return h.c.Delete(ctx, h.path(id), opts...)
}

// SetColor changes the category's colour (the only property Outlook lets
// change) and updates c. Auto ("") means None here.
func (c *Category) SetColor(ctx context.Context, color Color, opts ...graph.CallOption) error {
	if c.h == nil {
		return ErrUnbound
	}
	if c.ID == "" {
		return ErrEmptyID
	}
	if color == "" {
		color = None
	}
	var got Category
	if err := c.h.c.Patch(ctx, c.h.path(c.ID), map[string]any{"color": color}, &got, opts...); err != nil {
		return err
	}
	c.Color = got.Color
	if got.DisplayName != "" {
		c.DisplayName = got.DisplayName
	}
	return nil
}

// Delete deletes the category.
func (c *Category) Delete(ctx context.Context, opts ...graph.CallOption) error {
	if c.h == nil {
		return ErrUnbound
	}
	return c.h.Delete(ctx, c.ID, opts...)
}

// unusedColor returns the first preset no category has, or None.
func (h *Categories) unusedColor(ctx context.Context, opts ...graph.CallOption) (Color, error) {
	used := map[Color]bool{}
	for c, err := range h.List(ctx, opts...) {
		if err != nil {
			return "", err
		}
		used[c.Color] = true
	}
	for _, c := range Colors()[1:] {
		if !used[c] {
			return c, nil
		}
	}
	return None, nil
}
