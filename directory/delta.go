package directory

import "github.com/o365go/o365/graph"

// Delta prepares a delta round over the tenant's users (GET /users/delta); it does no
// I/O. With deltaLink "" it is the initial round, which yields every user (lo's query
// applies, e.g. $select; lo.PageSize becomes Prefer: odata.maxpagesize); with a
// DeltaLink saved from an earlier round it yields what changed since: changed users,
// and deleted ones as removals. Range over Changes(ctx), then keep DeltaLink() for the
// next round. The users it yields are bound to the directory.
func (d *Directory) Delta(deltaLink string, lo *graph.ListOptions) *graph.Delta[User] {
	start := deltaLink
	if start == "" {
		start = "/users/delta"
	}
	return graph.NewDelta[User](d.c, start, lo).OnItem(func(u *User) { u.bind(d) })
}
