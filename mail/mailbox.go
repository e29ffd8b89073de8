package mail

import (
	"context"
	"errors"
	"iter"
	"net/url"

	"github.com/o365go/o365/graph"
)

// Well-known folder names: Graph accepts them wherever a folder id goes
// (/me/mailFolders/inbox/messages).
const (
	Inbox                     = "inbox"
	JunkEmail                 = "junkemail"
	DeletedItems              = "deleteditems"
	Drafts                    = "drafts"
	SentItems                 = "sentitems"
	Outbox                    = "outbox"
	Archive                   = "archive"
	Clutter                   = "clutter"
	Conflicts                 = "conflicts"
	ConversationHistory       = "conversationhistory"
	LocalFailures             = "localfailures"
	RecoverableItemsDeletions = "recoverableitemsdeletions"
	Scheduled                 = "scheduled"
	SearchFolders             = "searchfolders"
	ServerFailures            = "serverfailures"
	SyncIssues                = "syncissues"
)

// Mailbox is a handle on one mailbox: the signed-in user's (graph.Me), another user's
// or a shared mailbox (graph.User("shared@contoso.com")). It does no I/O until a call,
// and is safe for concurrent use.
type Mailbox struct {
	c   *graph.Client
	res graph.Resource
}

// New returns a handle on the mailbox of res. An empty res means graph.Me.
func New(c *graph.Client, res graph.Resource) *Mailbox {
	if res == "" {
		res = graph.Me
	}
	return &Mailbox{c: c, res: res}
}

// Resource returns the resource the mailbox belongs to, e.g. "me" or "users/ann%40contoso.com".
func (mb *Mailbox) Resource() graph.Resource { return mb.res }

// Client returns the Graph client the mailbox uses.
func (mb *Mailbox) Client() *graph.Client { return mb.c }

func (mb *Mailbox) path(rest string) string { return "/" + string(mb.res) + rest }

// Folder returns a handle on the folder with the given id or well-known name (see
// [Inbox] and the other constants).
func (mb *Mailbox) Folder(id string) *Folder { return &Folder{mb: mb, id: id} }

// Inbox returns the Inbox folder.
func (mb *Mailbox) Inbox() *Folder { return mb.Folder(Inbox) }

// JunkEmail returns the Junk Email folder.
func (mb *Mailbox) JunkEmail() *Folder { return mb.Folder(JunkEmail) }

// DeletedItems returns the Deleted Items folder.
func (mb *Mailbox) DeletedItems() *Folder { return mb.Folder(DeletedItems) }

// Drafts returns the Drafts folder.
func (mb *Mailbox) Drafts() *Folder { return mb.Folder(Drafts) }

// SentItems returns the Sent Items folder.
func (mb *Mailbox) SentItems() *Folder { return mb.Folder(SentItems) }

// Outbox returns the Outbox folder.
func (mb *Mailbox) Outbox() *Folder { return mb.Folder(Outbox) }

// Archive returns the Archive folder (it is absent in mailboxes that never archived).
func (mb *Mailbox) Archive() *Folder { return mb.Folder(Archive) }

// Clutter returns the legacy Clutter folder.
func (mb *Mailbox) Clutter() *Folder { return mb.Folder(Clutter) }

// Conflicts returns the Conflicts folder (items Outlook could not reconcile).
func (mb *Mailbox) Conflicts() *Folder { return mb.Folder(Conflicts) }

// ConversationHistory returns the Conversation History folder (Skype/Teams history).
func (mb *Mailbox) ConversationHistory() *Folder { return mb.Folder(ConversationHistory) }

// LocalFailures returns the Local Failures folder.
func (mb *Mailbox) LocalFailures() *Folder { return mb.Folder(LocalFailures) }

// RecoverableItemsDeletions returns the Recoverable Items Deletions folder (items
// deleted from Deleted Items).
func (mb *Mailbox) RecoverableItemsDeletions() *Folder { return mb.Folder(RecoverableItemsDeletions) }

// Scheduled returns the Scheduled folder (messages snoozed until a time).
func (mb *Mailbox) Scheduled() *Folder { return mb.Folder(Scheduled) }

// SearchFolders returns the parent of the mailbox's search folders.
func (mb *Mailbox) SearchFolders() *Folder { return mb.Folder(SearchFolders) }

// ServerFailures returns the Server Failures folder.
func (mb *Mailbox) ServerFailures() *Folder { return mb.Folder(ServerFailures) }

// SyncIssues returns the Sync Issues folder.
func (mb *Mailbox) SyncIssues() *Folder { return mb.Folder(SyncIssues) }

// Messages lists the messages of every folder of the mailbox (GET /{res}/messages), newest
// first unless lo.Query orders otherwise. A nil lo means Graph's defaults.
func (mb *Mailbox) Messages(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Message, error] {
	return graph.List[Message](ctx, mb.c, mb.path("/messages"), lo)
}

// ErrEmptyID is returned when a call needs an id and was given "".
var ErrEmptyID = errors.New("mail: empty id")

// Message gets one message by id (GET /{res}/messages/{id}). A missing message gives an
// error matching graph.ErrNotFound.
func (mb *Mailbox) Message(ctx context.Context, id string, opts ...graph.CallOption) (*Message, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	var m Message
	if err := mb.c.Get(ctx, mb.path("/messages/"+url.PathEscape(id)), &m, opts...); err != nil {
		return nil, err
	}
	return &m, nil
}

// Folder is a handle on one mail folder of a mailbox. It does no I/O until a call.
type Folder struct {
	mb *Mailbox
	id string
}

// ID returns the folder's id or well-known name, as given to [Mailbox.Folder].
func (f *Folder) ID() string { return f.id }

// Mailbox returns the mailbox the folder belongs to.
func (f *Folder) Mailbox() *Mailbox { return f.mb }

// Messages lists the messages of the folder (GET /{res}/mailFolders/{id}/messages), not
// of its subfolders. A nil lo means Graph's defaults (pages of 10); set lo.PageSize up to
// 1000 for bulk reads.
func (f *Folder) Messages(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Message, error] {
	if f.id == "" {
		return func(yield func(*Message, error) bool) { yield(nil, ErrEmptyID) }
	}
	return graph.List[Message](ctx, f.mb.c, f.mb.path("/mailFolders/"+url.PathEscape(f.id)+"/messages"), lo)
}
