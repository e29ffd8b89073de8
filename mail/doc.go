// Package mail reads, writes and sends Outlook mail through Microsoft Graph.
//
// # Handles
//
// A [Mailbox] is a handle on one mailbox: the signed-in user's, another user's or a shared
// mailbox. A [Folder] is a handle on one of its folders, by id or well-known name. Making
// a handle does no I/O:
//
//	mb := acct.Mailbox()                                  // or mail.New(client, graph.Me)
//	shared := acct.Mailbox(graph.User("support@contoso.com"))
//	inbox := mb.Inbox()                                   // also Drafts, SentItems, Archive, ...
//	f, err := mb.FolderByName(ctx, "Projects/2024")        // searches the folder tree
//
// Folders are listed, created, renamed, moved, copied and deleted through their handles
// ([Folder.ChildFolders], [Folder.CreateChild], [Folder.Rename], ...); [MailFolder] is
// the folder model.
//
// # Messages
//
// Lists are lazy iterators that follow @odata.nextLink and decode one page at a time:
//
//	q := odata.New().Filter(odata.Attr("isRead").Eq(false)).Select("subject", "from")
//	for msg, err := range mb.Inbox().Messages(ctx, &graph.ListOptions{Limit: 25, Query: q}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(msg.From.Address(), msg.Subject)
//	}
//
// [Message] is the full Graph v1.0 model. A message read through a mailbox is bound to
// it, so its verbs work: MarkRead, Move, Copy, Delete, Refresh, Reply, Forward, MIME,
// ListAttachments. Save sends only what changed: the message keeps the state it was read
// in and PATCHes the writable properties that differ, including ones set back to false,
// "" or nil; read-only properties are never sent.
//
//	msg.Categories = nil
//	msg.Flag.SetFlagged(time.Now(), time.Now().Add(48*time.Hour))
//	err := msg.Save(ctx) // PATCH {"categories":[],"flag":{...}}
//
// # Composing
//
// [Mailbox.NewMessage] returns an unsaved draft. Send sends it through sendMail in one
// request, or, when it carries attachments too large for one request, saves it as a
// draft, uploads them and sends the draft. Attachments of any size up to 150 MB are
// added the same way and read from their file in chunks:
//
//	msg := mb.NewMessage()
//	msg.Subject = "Recording"
//	msg.ToRecipients.Add("Ada <ada@example.com>")
//	msg.Attachments.AddFile("meeting.mp4") // 120 MB: an upload session, resumed if cut
//	err := msg.Send(ctx, mail.Progress(func(name string, sent, total int64) { ... }))
//
// Replies and forwards come as drafts to edit ([Message.Reply], [Message.ReplyAll],
// [Message.Forward]) or in one call with a comment ([Message.ReplyWith],
// [Message.ReplyAllWith], [Message.ForwardTo]). [Mailbox.SendMIME] and
// [Mailbox.CreateFromMIME] take RFC 5322 messages; [Message.SaveEML] writes one.
//
// # Settings, rules and sync
//
// [Mailbox.Settings], [Mailbox.UpdateSettings], [Mailbox.SetAutoReply] and
// [Mailbox.DisableAutoReply] manage mailbox settings and automatic replies;
// [Mailbox.Rules], [Mailbox.CreateRule], [Mailbox.UpdateRule] and [Mailbox.DeleteRule]
// the inbox rules. [Folder.Delta] and [Mailbox.FolderDelta] return a [graph.Delta] whose
// Changes(ctx) yield what changed since a saved deltaLink; an expired one gives
// [ErrSyncStateExpired], and [Folder.Resync] starts over.
//
// # Errors
//
// Service failures are *graph.Error values: errors.Is(err, graph.ErrNotFound),
// graph.ErrForbidden, graph.ErrThrottled. For another user's or a shared mailbox a 403
// says what is missing (delegation, a .Shared scope); an app-only token used with
// graph.Me says to use graph.User.
package mail
