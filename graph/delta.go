package graph

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strconv"
)

// Change is one entry of a delta round: an item created or changed (Item set), or one
// removed (Removed set, Item nil: only ID and Reason are known).
type Change[T any] struct {
	Item    *T     // the item as it is now; nil for a removal
	Removed bool   // the entry carried @removed
	ID      string // the item's id, for changes and removals alike
	Reason  string // of a removal: "deleted", or "changed" when it left the query's scope (e.g. moved to another folder); may be ""
}

// Delta is a delta query (Graph's .../delta functions): each round yields what changed
// since the previous one. Range over Changes, then keep DeltaLink for the next round,
// in this process or a later one (pass it to NewDelta as the start).
//
// A Delta holds the round's position, not a context: every call to Changes takes its
// own. It is used by one goroutine at a time.
type Delta[T any] struct {
	c      *Client
	req    *Request // the first page: path, query and headers; later pages clone it
	err    error    // why the Delta cannot run, reported by Changes
	onItem []func(*T)

	next  string // the nextLink of the page being read or to read next; "" at a round's start
	delta string // the deltaLink of the last complete round
}

// NewDelta prepares a delta query; it does no I/O. startPathOrLink is the delta function's
// path (e.g. "/me/mailFolders/inbox/messages/delta"), where lo.Query applies ($select,
// $filter, or a Top for services that page with $top), or a DeltaLink saved from an
// earlier round (used verbatim; lo's query is ignored), which yields what changed since.
//
// lo.PageSize is sent as Prefer: odata.maxpagesize, the page size delta queries honour;
// lo.Limit and lo.NoPrefetch do not apply (break out of the loop to stop, and pages are
// fetched one at a time so that NextLink is always a safe place to resume). The
// CallOptions are sent with every page, as List does.
func NewDelta[T any](c *Client, startPathOrLink string, lo *ListOptions, opts ...CallOption) *Delta[T] {
	d := &Delta[T]{c: c}
	if c == nil {
		d.err = errors.New("graph: Delta: nil *Client")
		return d
	}
	var o ListOptions
	if lo != nil {
		o = *lo
	}
	if o.PageSize < 0 {
		d.err = errors.New("graph: Delta: negative PageSize")
		return d
	}
	all := opts
	if o.PageSize > 0 {
		all = append([]CallOption{Prefer("odata.maxpagesize=" + strconv.Itoa(o.PageSize))}, opts...)
	}
	o.Limit, o.PageSize = 0, 0
	d.req, d.err = listRequest("Delta", startPathOrLink, &o, all)
	return d
}

// OnItem adds fn to the functions called on every item decoded (not on removals) before
// Changes yields it. Area packages use it to bind models to their handle. It returns d.
func (d *Delta[T]) OnItem(fn func(*T)) *Delta[T] {
	if fn != nil {
		d.onItem = append(d.onItem, fn)
	}
	return d
}

// Changes fetches the round's pages lazily, following @odata.nextLink verbatim with the
// same headers, and yields each change. The round ends with the page that carries
// @odata.deltaLink, which DeltaLink then returns.
//
// Ranging again continues: an interrupted round (the loop broke, or a page failed)
// resumes from NextLink; after a complete round the next round starts from DeltaLink.
// A round interrupted inside a page resumes with that page, so a change may come twice
// but none is lost.
//
// On failure Changes yields the error once and stops. A 410 Gone, the service having
// forgotten the sync state, gives an *Error matching both ErrGone and ErrSyncStateExpired:
// start a new round without a link (NewDelta with the function's path) and reconcile by id.
func (d *Delta[T]) Changes(ctx context.Context) iter.Seq2[Change[T], error] {
	return func(yield func(Change[T], error) bool) {
		if d.err != nil {
			yield(Change[T]{}, d.err)
			return
		}
		req := d.req
		switch {
		case d.next != "":
			req = d.follow(d.next)
		case d.delta != "":
			req = d.follow(d.delta)
		}
		for {
			page, err := fetchPage[deltaItem[T]](ctx, d.c, req)
			if err != nil {
				yield(Change[T]{}, syncStateError(err))
				return
			}
			for i := range page.Items {
				ch := page.Items[i].ch
				if ch.Item != nil {
					for _, fn := range d.onItem {
						fn(ch.Item)
					}
				}
				if !yield(ch, nil) {
					if i == len(page.Items)-1 {
						d.advance(page)
					}
					return
				}
			}
			if !d.advance(page) {
				return
			}
			req = d.follow(d.next)
		}
	}
}

// advance records that page was consumed and reports whether another page follows.
func (d *Delta[T]) advance(page *Page[deltaItem[T]]) bool {
	switch {
	case page.DeltaLink != "":
		d.delta, d.next = page.DeltaLink, ""
		return false
	case page.NextLink != "":
		d.next = page.NextLink
		return true
	default: // neither link: not a delta function; the round starts over next time
		d.next = ""
		return false
	}
}

// follow is the request for a nextLink or deltaLink: verbatim, with the first page's
// headers.
func (d *Delta[T]) follow(link string) *Request {
	r := d.req.clone()
	r.Method, r.Path, r.Query = http.MethodGet, link, nil
	return r
}

// DeltaLink is the @odata.deltaLink of the last round read to its end ("" until one is).
// Save it and start the next round from it, here or in a later process.
func (d *Delta[T]) DeltaLink() string { return d.delta }

// NextLink is where an interrupted round resumes: the @odata.nextLink of the page being
// read when it stopped. "" means the round resumes from its start (the path given to
// NewDelta, or DeltaLink), which is also safe. Ranging Changes again uses it; to resume
// in another process, pass it to NewDelta with the same CallOptions.
func (d *Delta[T]) NextLink() string { return d.next }

// deltaItem decodes one entry of a delta page: an item, or an @removed marker.
type deltaItem[T any] struct{ ch Change[T] }

func (it *deltaItem[T]) UnmarshalJSON(b []byte) error {
	var probe struct {
		ID      string `json:"id"`
		Removed *struct {
			Reason string `json:"reason"`
		} `json:"@removed"`
	}
	if err := unmarshalJSON(b, &probe); err != nil {
		return err
	}
	it.ch = Change[T]{ID: probe.ID}
	if probe.Removed != nil {
		it.ch.Removed, it.ch.Reason = true, probe.Removed.Reason
		return nil
	}
	v := new(T)
	if err := unmarshalJSON(b, v); err != nil {
		return err
	}
	it.ch.Item = v
	return nil
}

// syncStateError makes every 410 of a delta round match ErrSyncStateExpired, whatever
// code the service sent with it.
func syncStateError(err error) error {
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusGone || errors.Is(err, ErrSyncStateExpired) {
		return err
	}
	return &goneError{err}
}

// goneError is a 410 from a delta round whose code Error.Is does not know as a
// sync-state code. errors.As still finds the *Error.
type goneError struct{ err error }

func (e *goneError) Error() string        { return e.err.Error() }
func (e *goneError) Unwrap() error        { return e.err }
func (e *goneError) Is(target error) bool { return target == ErrSyncStateExpired }
