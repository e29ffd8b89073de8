package sharepoint

import (
	"context"
	"iter"
	"net/url"
	"strings"

	"github.com/o365go/o365/graph"
)

// Sharepoint is a handle on SharePoint sites (python-o365's Sharepoint). It does no
// I/O until a call, is cheap to copy and safe for concurrent use.
type Sharepoint struct {
	c *graph.Client
}

// New returns a handle on the SharePoint sites the client can reach.
func New(c *graph.Client) *Sharepoint { return &Sharepoint{c: c} }

// Client returns the client the handle calls Graph with.
func (sp *Sharepoint) Client() *graph.Client { return sp.c }

func (sp *Sharepoint) bound() bool { return sp != nil && sp.c != nil }

// siteSeq binds every site of a listing to the handle.
func (sp *Sharepoint) siteSeq(ctx context.Context, path string, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Site, error] {
	if !sp.bound() {
		return errSeq[Site](ErrUnbound)
	}
	return func(yield func(*Site, error) bool) {
		for s, err := range graph.List[Site](ctx, sp.c, path, lo, opts...) {
			if s != nil {
				s.sp = sp
			}
			if !yield(s, err) {
				return
			}
		}
	}
}

func (sp *Sharepoint) getSite(ctx context.Context, path string, opts ...graph.CallOption) (*Site, error) {
	if !sp.bound() {
		return nil, ErrUnbound
	}
	var s Site
	if err := sp.c.Get(ctx, path, &s, opts...); err != nil {
		return nil, err
	}
	s.sp = sp
	return &s, nil
}

// RootSite returns the tenant's root site (GET /sites/root).
func (sp *Sharepoint) RootSite(ctx context.Context, opts ...graph.CallOption) (*Site, error) {
	return sp.getSite(ctx, graph.Site("root").Path(), opts...)
}

// Site returns the site with the id (GET /sites/{id}). Graph accepts
// "{host},{site-collection-id},{web-id}", "{host},{site-collection-id}", a host name
// alone (its root site) and "root".
func (sp *Sharepoint) Site(ctx context.Context, id string, opts ...graph.CallOption) (*Site, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	return sp.getSite(ctx, graph.Site(id).Path(), opts...)
}

// SiteByPath returns the site at a server-relative path of a host
// (GET /sites/{host}:/{path}), e.g. SiteByPath(ctx, "contoso.sharepoint.com",
// "/sites/marketing"). Each path segment is percent-encoded.
func (sp *Sharepoint) SiteByPath(ctx context.Context, host, path string, opts ...graph.CallOption) (*Site, error) {
	if host == "" {
		return nil, ErrEmptyID
	}
	path = strings.Trim(path, "/")
	if path == "" {
		return sp.getSite(ctx, graph.Site(host).Path(), opts...)
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return sp.getSite(ctx, "/sites/"+url.PathEscape(host)+":/"+strings.Join(segs, "/"), opts...)
}

// SiteRef returns a site bound to the handle with only its id set, for calls on a site
// whose id is known (lists, items, libraries). It does no I/O.
func (sp *Sharepoint) SiteRef(id string) *Site { return &Site{ID: id, sp: sp} }

// Search lists the sites whose name, title or description match keyword
// (GET /sites?search=), every page (python-o365's search_site). "*" lists every site.
func (sp *Sharepoint) Search(ctx context.Context, keyword string, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Site, error] {
	opts = append(opts, graph.Params(url.Values{"search": {keyword}}))
	return sp.siteSeq(ctx, "/sites", lo, opts...)
}

// Sites lists the tenant's site collections (GET /sites), every page.
func (sp *Sharepoint) Sites(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Site, error] {
	return sp.siteSeq(ctx, "/sites", lo, opts...)
}
