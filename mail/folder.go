package mail

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// MailFolder is a mail folder (microsoft.graph.mailFolder, and mailSearchFolder when
// ODataType says so).
type MailFolder struct {
	ODataType        string `json:"@odata.type,omitempty"`
	ID               string `json:"id,omitempty"`
	DisplayName      string `json:"displayName,omitempty"`
	ParentFolderID   string `json:"parentFolderId,omitempty"`
	ChildFolderCount int    `json:"childFolderCount"`
	UnreadItemCount  int    `json:"unreadItemCount"`
	TotalItemCount   int    `json:"totalItemCount"`
	// IsHidden is set for hidden folders, listed only with includeHiddenFolders=true.
	IsHidden bool `json:"isHidden"`
	// WellKnownName is returned by the beta API only.
	WellKnownName string `json:"wellKnownName,omitempty"`

	// Search folders (#microsoft.graph.mailSearchFolder) only.
	IsSupported          bool     `json:"isSupported,omitempty"`
	IncludeNestedFolders bool     `json:"includeNestedFolders,omitempty"`
	SourceFolderIDs      []string `json:"sourceFolderIds,omitempty"`
	FilterQuery          string   `json:"filterQuery,omitempty"`

	// Navigation properties, present only with $expand.
	ChildFolders                  []MailFolder                  `json:"childFolders,omitempty"`
	Messages                      []Message                     `json:"messages,omitempty"`
	MessageRules                  []MessageRule                 `json:"messageRules,omitempty"`
	SingleValueExtendedProperties []SingleValueExtendedProperty `json:"singleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueExtendedProperty  `json:"multiValueExtendedProperties,omitempty"`

	mb *Mailbox
}

// Folder returns a handle on the folder (for its messages, child folders and verbs).
// A MailFolder decoded by the caller has no mailbox: the handle's calls then fail with
// ErrUnbound.
func (mf *MailFolder) Folder() *Folder {
	if mf.mb == nil {
		return &Folder{id: mf.ID}
	}
	return mf.mb.Folder(mf.ID)
}

func (mf *MailFolder) bind(mb *Mailbox) *MailFolder {
	if mf != nil {
		mf.mb = mb
	}
	return mf
}

// Folder is a handle on one mail folder of a mailbox, by id or well-known name. It does
// no I/O until a call.
type Folder struct {
	mb *Mailbox
	id string
}

// ID returns the folder's id or well-known name, as given to [Mailbox.Folder].
func (f *Folder) ID() string { return f.id }

// Mailbox returns the mailbox the folder belongs to.
func (f *Folder) Mailbox() *Mailbox { return f.mb }

func (f *Folder) path(rest string) (string, error) {
	if f.mb == nil || f.mb.c == nil {
		return "", ErrUnbound
	}
	if f.id == "" {
		return "", ErrEmptyID
	}
	return f.mb.res.Path("mailFolders", f.id) + rest, nil
}

// Messages lists the messages of the folder (GET /{res}/mailFolders/{id}/messages), not
// of its subfolders. A nil lo means Graph's defaults (pages of 10); set lo.PageSize up to
// 1000 for bulk reads.
func (f *Folder) Messages(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Message, error] {
	p, err := f.path("/messages")
	if err != nil {
		return errSeq[Message](err)
	}
	return bindSeq(f.mb, graph.List[Message](ctx, f.mb.c, p, lo))
}

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// Get reads the folder (GET /{res}/mailFolders/{id}): its name, parent and counts.
// Call it again to refresh them.
func (f *Folder) Get(ctx context.Context, opts ...graph.CallOption) (*MailFolder, error) {
	p, err := f.path("")
	if err != nil {
		return nil, err
	}
	var mf MailFolder
	if err := f.mb.c.Get(ctx, p, &mf, opts...); err != nil {
		return nil, f.mb.wrap(err)
	}
	return mf.bind(f.mb), nil
}

// ChildFolders lists the folder's direct subfolders (GET .../childFolders).
func (f *Folder) ChildFolders(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*MailFolder, error] {
	p, err := f.path("/childFolders")
	if err != nil {
		return errSeq[MailFolder](err)
	}
	return bindFolders(f.mb, graph.List[MailFolder](ctx, f.mb.c, p, lo))
}

func bindFolders(mb *Mailbox, seq iter.Seq2[*MailFolder, error]) iter.Seq2[*MailFolder, error] {
	return func(yield func(*MailFolder, error) bool) {
		for mf, err := range seq {
			if !yield(mf.bind(mb), mb.wrap(err)) {
				return
			}
		}
	}
}

// CreateChild creates a subfolder named name (POST .../childFolders). Graph answers 409
// (graph.ErrConflict) when the folder already has a child of that name.
func (f *Folder) CreateChild(ctx context.Context, name string) (*MailFolder, error) {
	p, err := f.path("/childFolders")
	if err != nil {
		return nil, err
	}
	var mf MailFolder
	if err := f.mb.c.Post(ctx, p, map[string]any{"displayName": name}, &mf); err != nil {
		return nil, f.mb.wrap(err)
	}
	return mf.bind(f.mb), nil
}

// Rename changes the folder's display name (PATCH).
func (f *Folder) Rename(ctx context.Context, name string) (*MailFolder, error) {
	p, err := f.path("")
	if err != nil {
		return nil, err
	}
	var mf MailFolder
	if err := f.mb.c.Patch(ctx, p, map[string]any{"displayName": name}, &mf); err != nil {
		return nil, f.mb.wrap(err)
	}
	return mf.bind(f.mb), nil
}

// Move moves the folder, with its content, under dest (POST .../move) and returns it as
// it is now.
func (f *Folder) Move(ctx context.Context, dest *Folder) (*MailFolder, error) {
	return f.moveOrCopy(ctx, "/move", dest)
}

// Copy copies the folder, with its content, under dest (POST .../copy) and returns the
// copy.
func (f *Folder) Copy(ctx context.Context, dest *Folder) (*MailFolder, error) {
	return f.moveOrCopy(ctx, "/copy", dest)
}

func (f *Folder) moveOrCopy(ctx context.Context, verb string, dest *Folder) (*MailFolder, error) {
	p, err := f.path(verb)
	if err != nil {
		return nil, err
	}
	if dest == nil || dest.id == "" {
		return nil, ErrEmptyID
	}
	var mf MailFolder
	if err := f.mb.c.Post(ctx, p, map[string]any{"destinationId": dest.id}, &mf); err != nil {
		return nil, f.mb.wrap(err)
	}
	return mf.bind(f.mb), nil
}

// Delete deletes the folder and its content (it goes to Deleted Items).
func (f *Folder) Delete(ctx context.Context) error {
	p, err := f.path("")
	if err != nil {
		return err
	}
	return f.mb.wrap(f.mb.c.Delete(ctx, p))
}

// Parent returns a handle on the folder's parent (one GET to learn its id). The parent
// of a top-level folder is the mailbox root ("msgfolderroot").
func (f *Folder) Parent(ctx context.Context) (*Folder, error) {
	mf, err := f.Get(ctx, graph.Query(odata.New().Select("parentFolderId")))
	if err != nil {
		return nil, err
	}
	if mf.ParentFolderID == "" {
		return nil, &notFoundError{msg: fmt.Sprintf("mail: folder %q has no parent", f.id)}
	}
	return f.mb.Folder(mf.ParentFolderID), nil
}

// NewMessage returns a new draft to be saved in this folder (Save creates it here; Send
// sends it directly). It does no I/O.
func (f *Folder) NewMessage() *Message {
	m := f.mb.NewMessage()
	m.folderID = f.id
	return m
}

// Root returns the mailbox's root folder ("msgfolderroot"), the parent of the top-level
// folders.
func (mb *Mailbox) Root() *Folder { return mb.Folder("msgfolderroot") }

// Folders lists the top-level folders of the mailbox (GET /{res}/mailFolders).
func (mb *Mailbox) Folders(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*MailFolder, error] {
	return bindFolders(mb, graph.List[MailFolder](ctx, mb.c, mb.path("/mailFolders"), lo))
}

// CreateFolder creates a top-level folder (POST /{res}/mailFolders).
func (mb *Mailbox) CreateFolder(ctx context.Context, name string) (*MailFolder, error) {
	var mf MailFolder
	if err := mb.c.Post(ctx, mb.path("/mailFolders"), map[string]any{"displayName": name}, &mf); err != nil {
		return nil, mb.wrap(err)
	}
	return mf.bind(mb), nil
}

// FolderByName finds a folder anywhere in the mailbox's folder tree by display name,
// ignoring case, and returns it. A name with slashes ("Inbox/Projects/2024") is a path
// from the top level. No match gives an error matching ErrFolderNotFound and
// graph.ErrNotFound; several matches give ErrAmbiguousFolder (use a path or the id).
func (mb *Mailbox) FolderByName(ctx context.Context, name string) (*MailFolder, error) {
	lo := &graph.ListOptions{PageSize: 100, Query: odata.New().Select("id", "displayName", "parentFolderId", "childFolderCount", "unreadItemCount", "totalItemCount", "isHidden")}
	if strings.Contains(name, "/") {
		parts := strings.Split(strings.Trim(name, "/"), "/")
		var cur *MailFolder
		seq := mb.Folders(ctx, lo)
		for i, part := range parts {
			cur = nil
			for mf, err := range seq {
				if err != nil {
					return nil, err
				}
				if strings.EqualFold(mf.DisplayName, part) {
					cur = mf
					break
				}
			}
			if cur == nil {
				return nil, &notFoundError{msg: fmt.Sprintf("mail: no folder %q in %q", part, strings.Join(parts[:i], "/"))}
			}
			seq = cur.Folder().ChildFolders(ctx, lo)
		}
		return cur, nil
	}
	var found []*MailFolder
	queue := []iter.Seq2[*MailFolder, error]{mb.Folders(ctx, lo)}
	for len(queue) > 0 {
		seq := queue[0]
		queue = queue[1:]
		for mf, err := range seq {
			if err != nil {
				return nil, err
			}
			if strings.EqualFold(mf.DisplayName, name) {
				found = append(found, mf)
			}
			if mf.ChildFolderCount > 0 {
				queue = append(queue, mf.Folder().ChildFolders(ctx, lo))
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, &notFoundError{msg: fmt.Sprintf("mail: no folder named %q in %s", name, mb.res)}
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, f := range found {
		ids[i] = f.ID
	}
	return nil, fmt.Errorf("%w: %d folders named %q (ids %s): use a path such as \"Inbox/%s\" or the id", ErrAmbiguousFolder, len(found), name, strings.Join(ids, ", "), name)
}
