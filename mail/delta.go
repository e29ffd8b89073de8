package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"

	"github.com/o365go/o365/graph"
)

// Change is one entry of a delta round: an item created or changed (Item set), or one
// removed from the folder (Removed set; only ID is known; Reason is "deleted" or
// "changed", the latter meaning it left the scope of the query, e.g. moved away).
type Change[T any] struct {
	Item    *T
	Removed bool
	ID      string
	Reason  string
}

// Delta is one round of a delta query: range over Changes, then keep DeltaLink for the
// next round. A Delta is used by one goroutine.
type Delta[T any] struct {
	ctx   context.Context
	mb    *Mailbox
	start string // first URL: a path with query, or the saved deltaLink
	lo    *graph.ListOptions
	opts  []graph.CallOption
	bind  func(*T, *Mailbox)

	next, delta string
}

// Changes fetches the round's pages and yields each change. Ranging again after a
// complete round runs the next round, from DeltaLink. On failure it yields the
// error once and stops; NextLink then says where to resume. A 410 Gone (the service
// forgot the sync state) gives an error matching ErrSyncStateExpired and graph.ErrGone:
// start again with Resync.
func (d *Delta[T]) Changes() iter.Seq2[Change[T], error] {
	return func(yield func(Change[T], error) bool) {
		// Resume an interrupted round, else go on from the last round's deltaLink, else
		// start.
		link := d.next
		if link == "" {
			link = d.delta
		}
		if link == "" {
			link = d.start
		}
		for link != "" {
			page, err := graph.GetPage[json.RawMessage](d.ctx, d.mb.c, link, d.lo, d.opts...)
			if err != nil {
				if errors.Is(err, graph.ErrGone) {
					err = fmt.Errorf("%w: %w", ErrSyncStateExpired, err)
				} else {
					err = d.mb.wrap(err)
				}
				yield(Change[T]{}, err)
				return
			}
			for _, raw := range page.Items {
				var probe struct {
					ID      string `json:"id"`
					Removed *struct {
						Reason string `json:"reason"`
					} `json:"@removed"`
				}
				if err := json.Unmarshal(raw, &probe); err != nil {
					yield(Change[T]{}, fmt.Errorf("mail: delta item: %w", err))
					return
				}
				ch := Change[T]{ID: probe.ID}
				if probe.Removed != nil {
					ch.Removed, ch.Reason = true, probe.Removed.Reason
				} else {
					var it T
					if err := json.Unmarshal(raw, &it); err != nil {
						yield(Change[T]{}, fmt.Errorf("mail: delta item %s: %w", probe.ID, err))
						return
					}
					d.bind(&it, d.mb)
					ch.Item = &it
				}
				if !yield(ch, nil) {
					// Resume with this page again: Graph's delta may repeat an item,
					// never skip one.
					d.next = link
					return
				}
			}
			d.next = page.NextLink
			if page.DeltaLink != "" {
				d.delta, d.next = page.DeltaLink, ""
				return
			}
			link = page.NextLink
		}
	}
}

// DeltaLink is the link for the next round, set once Changes has gone through the last
// page. Save it; pass it to Delta (or FolderDelta) later to get what changed since.
func (d *Delta[T]) DeltaLink() string { return d.delta }

// NextLink is where an interrupted round resumes: calling Changes again continues from it.
func (d *Delta[T]) NextLink() string { return d.next }

func deltaOptions(lo *graph.ListOptions) []graph.CallOption {
	if lo != nil && lo.PageSize > 0 {
		return []graph.CallOption{graph.Prefer("odata.maxpagesize=" + strconv.Itoa(lo.PageSize))}
	}
	return nil
}

// deltaLO keeps the query (select, filter) and drops the page size, which delta takes
// as a Prefer header.
func deltaLO(lo *graph.ListOptions) *graph.ListOptions {
	if lo == nil {
		return nil
	}
	return &graph.ListOptions{Query: lo.Query, NoPrefetch: true}
}

// Delta starts a delta round over the folder's messages (GET
// .../mailFolders/{id}/messages/delta). With deltaLink "" it is the initial round, which
// yields every message (lo's query applies, e.g. $select; lo.PageSize becomes Prefer:
// odata.maxpagesize); with a DeltaLink from an earlier round it yields what changed
// since. No I/O happens until Changes is ranged over.
func (f *Folder) Delta(ctx context.Context, deltaLink string, lo *graph.ListOptions, opts ...graph.CallOption) *Delta[Message] {
	start := deltaLink
	if start == "" {
		start = f.mb.res.Path("mailFolders", f.id, "messages", "delta")
	}
	return &Delta[Message]{ctx: ctx, mb: f.mb, start: start, lo: deltaLO(lo), opts: append(deltaOptions(lo), opts...),
		bind: func(m *Message, mb *Mailbox) { m.bind(mb) }}
}

// Resync starts over after ErrSyncStateExpired: a fresh initial round (every message
// again; reconcile with what you hold by id). Keep its DeltaLink as usual.
func (f *Folder) Resync(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) *Delta[Message] {
	return f.Delta(ctx, "", lo, opts...)
}

// FolderDelta starts a delta round over the mailbox's folders (GET
// /{res}/mailFolders/delta); deltaLink as for Folder.Delta.
func (mb *Mailbox) FolderDelta(ctx context.Context, deltaLink string, opts ...graph.CallOption) *Delta[MailFolder] {
	start := deltaLink
	if start == "" {
		start = mb.path("/mailFolders/delta")
	}
	return &Delta[MailFolder]{ctx: ctx, mb: mb, start: start, opts: opts,
		bind: func(f *MailFolder, mb *Mailbox) { f.bind(mb) }}
}
