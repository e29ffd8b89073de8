package graph

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"

	"github.com/o365go/o365/odata"
)

// ListOptions shape a listing. A nil *ListOptions lists everything with Graph's default
// page size.
type ListOptions struct {
	Limit      int          // List: at most this many items in all (0: no limit); also caps PageSize
	PageSize   int          // items per page, sent as $top (0: Graph's default); overrides a Top in Query
	Query      *odata.Query // $filter, $select, $orderby, ... for the first page (nextLinks carry them on)
	NoPrefetch bool         // fetch a page only when the previous one is consumed
}

// Page is one page of a collection.
type Page[T any] struct {
	Items     []T
	NextLink  string // @odata.nextLink: pass it to GetPage for the next page; "" on the last page
	DeltaLink string // @odata.deltaLink, on the last page of a delta query: keep it to resume
	Count     int64  // @odata.count, when asked for ($count=true), else 0
}

// pageWire is the JSON shape of a collection page.
type pageWire[T any] struct {
	NextLink  string `json:"@odata.nextLink"`
	DeltaLink string `json:"@odata.deltaLink"`
	Count     int64  `json:"@odata.count"`
	Value     []T    `json:"value"`
}

// List returns the items of the collection at path, page after page, following
// @odata.nextLink verbatim and resending the same headers (Prefer, ConsistencyLevel, ...) on
// every page. It is lazy: nothing is requested before the range starts, and each range
// lists afresh.
//
// Pages are decoded one at a time, so memory does not grow with the number of items.
// Unless lo.NoPrefetch, the next page is fetched and decoded on another goroutine while the
// caller consumes the current one (never more than one page ahead); breaking out of the
// loop cancels that fetch and waits for it. On failure the iterator yields (nil, err) once
// and stops.
//
//	for m, err := range graph.List[Message](ctx, c, "/me/messages", &graph.ListOptions{PageSize: 100}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(m.Subject)
//	}
func List[T any](ctx context.Context, c *Client, path string, lo *ListOptions, opts ...CallOption) iter.Seq2[*T, error] {
	var o ListOptions
	if lo != nil {
		o = *lo
	}
	return func(yield func(*T, error) bool) {
		req, err := listRequest("List", path, &o, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()

		remaining := o.Limit
		page, err := fetchPage[T](ctx, c, req)
		for {
			if err != nil {
				yield(nil, err)
				return
			}
			next := page.NextLink
			if remaining > 0 && len(page.Items) >= remaining {
				next = ""
			}
			var nextReq *Request
			var pending chan pageResult[T]
			if next != "" {
				nextReq = req.clone()
				nextReq.Path, nextReq.Query = next, nil
				if !o.NoPrefetch {
					pending = make(chan pageResult[T], 1)
					go func() {
						p, err := fetchPage[T](ctx, c, nextReq)
						pending <- pageResult[T]{p, err}
					}()
				}
			}
			items := page.Items
			page = nil // let the page go as soon as the caller is done with its items
			for i := range items {
				if !yield(&items[i], nil) {
					stopPrefetch(cancel, pending)
					return
				}
				if remaining > 0 {
					if remaining--; remaining == 0 {
						stopPrefetch(cancel, pending)
						return
					}
				}
			}
			if nextReq == nil {
				return
			}
			if pending != nil {
				r := <-pending
				page, err = r.page, r.err
			} else {
				page, err = fetchPage[T](ctx, c, nextReq)
			}
		}
	}
}

type pageResult[T any] struct {
	page *Page[T]
	err  error
}

// stopPrefetch cancels a fetch in flight and waits for its goroutine to end.
func stopPrefetch[T any](cancel context.CancelFunc, pending chan pageResult[T]) {
	cancel()
	if pending != nil {
		<-pending
	}
}

// GetPage fetches one page. pathOrLink is a collection path (lo's query and page size
// apply) or a NextLink or DeltaLink from an earlier page (used verbatim; lo's query and page
// size are ignored). Pass the same CallOptions for every page of a listing.
func GetPage[T any](ctx context.Context, c *Client, pathOrLink string, lo *ListOptions, opts ...CallOption) (*Page[T], error) {
	var o ListOptions
	if lo != nil {
		o = *lo
	}
	req, err := listRequest("GetPage", pathOrLink, &o, opts)
	if err != nil {
		return nil, err
	}
	return fetchPage[T](ctx, c, req)
}

// listRequest builds the first page's request with the call options already applied, so
// that later pages reuse its headers as they are.
// what names the caller in errors.
func listRequest(what, path string, o *ListOptions, opts []CallOption) (*Request, error) {
	if path == "" {
		return nil, fmt.Errorf("graph: %s: empty path", what)
	}
	if o.Limit < 0 || o.PageSize < 0 {
		return nil, fmt.Errorf("graph: %s: negative Limit (%d) or PageSize (%d)", what, o.Limit, o.PageSize)
	}
	r := &Request{Method: http.MethodGet, Path: path}
	absolute := isAbsolute(path)
	if !absolute {
		Query(o.Query)(r)
		top := o.PageSize
		if o.Limit > 0 && top > o.Limit {
			top = o.Limit
		}
		if top > 0 {
			Params(map[string][]string{"$top": {strconv.Itoa(top)}})(r)
		}
	}
	for _, opt := range opts {
		if opt != nil {
			opt(r)
		}
	}
	if r.optErr != nil {
		return nil, r.optErr
	}
	return r, nil
}

func isAbsolute(path string) bool {
	l := strings.ToLower(path)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// fetchPage sends req and decodes the page as it streams in.
func fetchPage[T any](ctx context.Context, c *Client, req *Request) (*Page[T], error) {
	resp, err := c.Send(ctx, req)
	if err != nil {
		return nil, err
	}
	defer closeBody(resp.Body)
	var w pageWire[T]
	if err := decodePage(resp.Body, &w); err != nil {
		return nil, fmt.Errorf("graph: GET %s: decoding page: %w", displayPath(resp.Request.URL, c.service), cleanErr(err))
	}
	return &Page[T]{Items: w.Value, NextLink: w.NextLink, DeltaLink: w.DeltaLink, Count: w.Count}, nil
}
