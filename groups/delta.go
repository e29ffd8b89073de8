package groups

import "github.com/o365go/o365/graph"

// Delta prepares a delta round over the tenant's groups (GET /groups/delta); it does
// no I/O. With deltaLink "" it is the initial round, which yields every group (lo's
// query applies, e.g. $select; lo.PageSize becomes Prefer: odata.maxpagesize); with a
// DeltaLink saved from an earlier round it yields what changed since: changed groups,
// and deleted ones as removals (Reason "changed", as the directory reports them).
// Range over Changes(ctx), then keep DeltaLink() for the next round.
func (gs *Groups) Delta(deltaLink string, lo *graph.ListOptions) *graph.Delta[Group] {
	start := deltaLink
	if start == "" {
		start = "/groups/delta"
	}
	return graph.NewDelta[Group](gs.c, start, lo).OnItem(func(g *Group) { g.bind(gs) })
}
