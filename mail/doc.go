// Package mail reads Outlook mail through Microsoft Graph.
//
// A [Mailbox] is a handle on one mailbox ("me", a user, or a shared mailbox); a [Folder]
// is a handle on one of its mail folders. Making a handle does no I/O:
//
//	mb := mail.New(client, graph.Me)        // or acct.Mailbox()
//	for msg, err := range mb.Inbox().Messages(ctx, &graph.ListOptions{Limit: 25}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(msg.ReceivedDateTime, msg.From.EmailAddress.Address, msg.Subject)
//	}
//
// Lists are lazy iterators that follow @odata.nextLink and decode one page at a time,
// so memory stays flat however many messages a folder holds.
//
// [Message] is the full Graph v1.0 message model: every property of
// microsoft.graph.message and its outlookItem base, with typed string enums
// ([Importance], [InferenceClassification], [FollowupFlagStatus]) that still decode
// values Graph adds later.
//
// This package is the first slice of the mail area: reading. Sending, replying,
// moving, attachments and folder management follow.
package mail
