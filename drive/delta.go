package drive

import (
	"context"
	"errors"

	"github.com/o365go/o365/graph"
)

// Delta prepares a delta round over the whole drive (GET /drives/{id}/root/delta); it does
// no I/O. With deltaLink "" the first round lists every item; with a DeltaLink saved from a
// round (or from LatestDeltaLink) it yields what changed since. Deleted items come as
// Change.Removed, or as an Item with Deleted set. Range over Changes(ctx), then keep
// DeltaLink(). A 410 matches graph.ErrSyncStateExpired: see Sync.
func (d *Drive) Delta(deltaLink string, opts ...graph.CallOption) *graph.Delta[Item] {
	start := deltaLink
	if start == "" {
		p, err := d.path("root", "delta")
		if err != nil {
			return graph.NewDelta[Item](nil, "", nil, opts...)
		}
		start = p
	}
	var c *graph.Client
	if d != nil {
		c = d.c
	}
	return graph.NewDelta[Item](c, start, nil, opts...).OnItem(func(it *Item) { d.bind(it) })
}

// LatestDeltaLink returns a deltaLink that starts from now (GET .../root/delta?token=latest),
// without listing the drive: the next round yields only later changes.
func (d *Drive) LatestDeltaLink(ctx context.Context, opts ...graph.CallOption) (string, error) {
	p, err := d.path("root", "delta")
	if err != nil {
		return "", err
	}
	link := p + "?token=latest"
	for range 100 {
		pg, err := graph.GetPage[Item](ctx, d.c, link, nil, opts...)
		if err != nil {
			return "", err
		}
		if pg.DeltaLink != "" {
			return pg.DeltaLink, nil
		}
		if pg.NextLink == "" {
			return "", errors.New("drive: delta answered without a deltaLink")
		}
		link = pg.NextLink
	}
	return "", errors.New("drive: delta with token=latest did not end")
}

// Sync runs one delta round from deltaLink and calls apply for each change, then returns
// the link for the next round. When the service has forgotten the sync state (410,
// graph.ErrSyncStateExpired) Sync starts over with a full round and reports resynced:
// the caller should then treat every item not seen in this round as gone. An error from
// apply stops the round.
func (d *Drive) Sync(ctx context.Context, deltaLink string, apply func(graph.Change[Item]) error) (next string, resynced bool, err error) {
	for attempt := 0; ; attempt++ {
		dl := d.Delta(deltaLink)
		var rerr error
		for ch, err := range dl.Changes(ctx) {
			if err != nil {
				rerr = err
				break
			}
			if err := apply(ch); err != nil {
				return "", resynced, err
			}
		}
		if rerr == nil {
			return dl.DeltaLink(), resynced, nil
		}
		if errors.Is(rerr, graph.ErrSyncStateExpired) && deltaLink != "" && attempt == 0 {
			deltaLink, resynced = "", true
			continue
		}
		return "", resynced, rerr
	}
}
