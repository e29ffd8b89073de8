// Package drive is OneDrive and SharePoint document libraries through Microsoft Graph:
// drives, files and folders, transfers of any size that resume after failures, versions,
// permissions and sharing links, thumbnails, and delta sync.
//
// Get a Storage from the account (acct.Storage(), or acct.Storage(graph.Group(id)),
// graph.Site(id), graph.User(upn)) or with New, then a drive:
//
//	st := acct.Storage()
//	d, err := st.DefaultDrive(ctx)                         // GET /me/drive
//	it, err := d.ItemByPath(ctx, "Reports/Q3 #1.xlsx")     // each segment percent-encoded
//	for c, err := range d.Children(ctx, nil) { ... }        // every page
//	root, err := d.Root(ctx)
//	up, err := root.UploadFile(ctx, "big.iso", "", &drive.UploadOptions{
//		SessionFile: drive.SessionFileFor("big.iso"),  // resumable after a restart
//		Progress:    func(sent, total int64) { ... },
//	})
//	n, err := up.DownloadFile(ctx, "copy.iso", &drive.DownloadOptions{Workers: 4})
//
// Uploads up to 4 MiB go in one PUT; larger ones through an upload session in chunks that
// are multiples of 320 KiB (10 MiB by default), reading at most one chunk into memory. The
// core (graph.Client.Upload) resumes a failed chunk from the service's nextExpectedRanges
// and waits out 429 and 503 answers. The QuickXorHash of the bytes is computed as they are
// read and checked against the one the service reports; downloads are checked the same way
// (quickXorHash, else sha256Hash or sha1Hash).
//
// An Item is one type for files, folders, images and photos: its facets (File, Folder,
// Image, Photo, ...) tell which. Items read through a Drive are bound to it, so their
// methods (Children, Upload, Download, Move, Copy, Versions, Permissions, CreateLink, ...)
// work on them. Item.Save sends only the properties changed since the item was read.
//
// Coming from python-o365: Storage → Storage, Drive → Drive, DriveItem/File/Folder/Image/
// Photo → Item, CopyOperation → CopyOperation, DriveItemVersion → Version,
// DriveItemPermission → Permission; docs/drive.md has the full table.
package drive
