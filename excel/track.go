package excel

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/o365go/o365/graph"
)

// Change tracking: a model read from the service keeps the JSON of its writable
// properties; Save PATCHes only those whose JSON differs. Setting false, 0 or "" is a
// change like any other. A model with no snapshot (a handle made without I/O) sends its
// non-zero properties.

type snapshot map[string]json.RawMessage

func fieldsOf(v any) (snapshot, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m snapshot
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func zeroJSON(v json.RawMessage) bool {
	switch string(bytes.TrimSpace(v)) {
	case "null", `""`, "0", "false", "[]", "{}":
		return true
	}
	return false
}

// changes returns cur's fields that differ from snap (all non-zero ones when snap is nil).
func changes(cur any, snap snapshot) (map[string]json.RawMessage, error) {
	now, err := fieldsOf(cur)
	if err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	for k, v := range now {
		if snap == nil {
			if !zeroJSON(v) {
				out[k] = v
			}
			continue
		}
		if old, ok := snap[k]; !ok || !bytes.Equal(old, v) {
			out[k] = v
		}
	}
	return out, nil
}

func snap(v any) snapshot {
	m, err := fieldsOf(v)
	if err != nil {
		return nil
	}
	return m
}

// page is one page of a workbook collection.
type page[T any] struct {
	Value    []*T   `json:"value"`
	NextLink string `json:"@odata.nextLink,omitempty"`
}

// list reads a workbook collection page after page, with the session. It follows
// @odata.nextLink verbatim; without one, a full page of lo.PageSize items is followed by
// the next $skip, the paging Excel's collections document ($top and $skip), so no page
// is left unread (python-o365 reads only the first). bind is called on each item.
func list[T any](ctx context.Context, wb *Workbook, rel string, lo *graph.ListOptions, bind func(*T)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		if wb == nil {
			yield(nil, ErrUnbound)
			return
		}
		var (
			limit, size int
			q           = url.Values{}
		)
		if lo != nil {
			limit, size = lo.Limit, lo.PageSize
			if lo.Query != nil {
				q = lo.Query.Values()
			}
		}
		if limit > 0 && size > limit {
			size = limit
		}
		if size > 0 {
			q.Set("$top", strconv.Itoa(size))
		}
		skip := 0
		if s := q.Get("$skip"); s != "" {
			skip, _ = strconv.Atoi(s)
		}
		path := wb.base + rel
		if len(q) > 0 {
			path += "?" + odataEncode(q)
		}
		n, fetched, linked := 0, 0, false
		for path != "" {
			var p page[T]
			if err := wb.doCall(ctx, call{method: http.MethodGet, path: path, out: &p}); err != nil {
				yield(nil, err)
				return
			}
			fetched += len(p.Value)
			for _, it := range p.Value {
				if it == nil {
					continue
				}
				if bind != nil {
					bind(it)
				}
				if !yield(it, nil) {
					return
				}
				n++
				if limit > 0 && n >= limit {
					return
				}
			}
			switch {
			case p.NextLink != "":
				path, linked = p.NextLink, true
			case !linked && size > 0 && len(p.Value) == size:
				// A service that pages by $top/$skip without links: ask for the next page.
				q.Set("$skip", strconv.Itoa(skip+fetched))
				path = wb.base + rel + "?" + odataEncode(q)
			default:
				path = ""
			}
		}
	}
}

// odataEncode encodes query values keeping "$" readable, as Graph's own links do.
func odataEncode(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "%24", "$")
}

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
