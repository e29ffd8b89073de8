package mail

import (
	"github.com/o365go/o365/graph"
)

// Delta prepares a delta round over the folder's messages (GET
// .../mailFolders/{id}/messages/delta); it does no I/O. With deltaLink "" it is the
// initial round, which yields every message (lo's query applies, e.g. $select;
// lo.PageSize becomes Prefer: odata.maxpagesize); with a DeltaLink saved from an earlier
// round it yields what changed since. Range over Changes(ctx); the messages it yields are
// bound to the mailbox. An expired deltaLink gives an error matching ErrSyncStateExpired
// (and graph.ErrGone): start over with Resync.
func (f *Folder) Delta(deltaLink string, lo *graph.ListOptions, opts ...graph.CallOption) *graph.Delta[Message] {
	if f.mb == nil {
		return graph.NewDelta[Message](nil, deltaLink, lo, opts...)
	}
	start := deltaLink
	if start == "" {
		start = f.mb.res.Path("mailFolders", f.id, "messages", "delta")
	}
	return graph.NewDelta[Message](f.mb.c, start, lo, opts...).
		OnItem(func(m *Message) { m.bind(f.mb) })
}

// Resync starts over after ErrSyncStateExpired: a fresh initial round (every message
// again; reconcile with what you hold by id). Keep its DeltaLink as usual.
func (f *Folder) Resync(lo *graph.ListOptions, opts ...graph.CallOption) *graph.Delta[Message] {
	return f.Delta("", lo, opts...)
}

// FolderDelta prepares a delta round over the mailbox's folders (GET
// /{res}/mailFolders/delta); deltaLink as for Folder.Delta. It does no I/O.
func (mb *Mailbox) FolderDelta(deltaLink string, opts ...graph.CallOption) *graph.Delta[MailFolder] {
	start := deltaLink
	if start == "" {
		start = mb.path("/mailFolders/delta")
	}
	return graph.NewDelta[MailFolder](mb.c, start, nil, opts...).
		OnItem(func(f *MailFolder) { f.bind(mb) })
}
