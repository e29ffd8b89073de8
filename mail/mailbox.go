package mail

import (
	"context"
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
	return bindSeq(mb, graph.List[Message](ctx, mb.c, mb.path("/messages"), lo))
}

// bindSeq binds every listed message to mb, so that its verbs and Save work.
func bindSeq(mb *Mailbox, seq iter.Seq2[*Message, error]) iter.Seq2[*Message, error] {
	return func(yield func(*Message, error) bool) {
		for m, err := range seq {
			if !yield(m.bind(mb), err) {
				return
			}
		}
	}
}

// Message gets one message by id (GET /{res}/messages/{id}). A missing message gives an
// error matching graph.ErrNotFound.
func (mb *Mailbox) Message(ctx context.Context, id string, opts ...graph.CallOption) (*Message, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	var m Message
	if err := mb.c.Get(ctx, mb.path("/messages/"+url.PathEscape(id)), &m, opts...); err != nil {
		return nil, mb.wrap(err)
	}
	return m.bind(mb), nil
}
