package contacts

import "github.com/o365go/o365/graph"

// FolderDelta prepares a delta round over the contact folders (GET
// /contactFolders/delta: every folder below the default folder, at any
// depth); it does no I/O. With deltaLink "" it is the initial round (every
// folder); with a DeltaLink saved from an earlier round it yields the
// folders created, renamed or moved since, and deleted ones as removed
// changes. An expired or unknown deltaLink fails with an error matching
// ErrSyncStateExpired: start again with "". The folders it yields are
// bound to the address book.
func (ab *AddressBook) FolderDelta(deltaLink string, opts ...graph.CallOption) *graph.Delta[ContactFolder] {
	start := deltaLink
	if start == "" {
		start = ab.res.Path("contactFolders", "delta")
	}
	return graph.NewDelta[ContactFolder](ab.c, start, nil, opts...).
		OnItem(func(f *ContactFolder) { f.bind(ab) })
}
