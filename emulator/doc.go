// Package emulator is a stateful, in-memory Microsoft Graph and Microsoft
// identity platform on loopback, for tests and demos without a Microsoft
// 365 tenant.
//
// One listener serves both sides:
//
//   - the identity platform under /{tenant}/oauth2/v2.0/ (authorize with a
//     sign-in and consent page, token for every grant, devicecode), with
//     access tokens that are real signed JWTs;
//   - Microsoft Graph under /v1.0 and /beta: every request's bearer token
//     is verified and its scopes or roles checked per route, answers carry
//     Graph's headers (request-id, client-request-id, OData-Version),
//     @odata.context, @odata.etag and Graph's error bodies, and one OData
//     engine ($filter, $orderby, $select, $top, $skip, $skiptoken,
//     $count, $search, $expand) serves every collection, with
//     @odata.nextLink paging as the real service pages.
//
// Resources so far: users (/me, /users, /users/{id|upn}), $batch, and
// Outlook mail: mail folders (well-known names, create, rename, move,
// copy, delete, child folders), messages (drafts, update with etags and
// If-Match, move and copy with ids that change unless Prefer:
// IdType="ImmutableId", delete), sending (send, sendMail as JSON or MIME,
// reply, replyAll, forward and their create* drafts) with delivery to the
// tenant's users, Sent Items copies, send-as and send-on-behalf
// ([Server.GrantSendAs], [Server.GrantSendOnBehalf]) and a record of mail
// to the outside ([Server.Outbound]); attachments (file, item,
// reference, raw $value) and Outlook's large-attachment upload sessions
// (for event attachments too) on a stand-in for the Outlook upload host (/api/v2.0/..., PascalCase
// answers, 201 with Location and no body at the end); the MIME form of a
// message ($value); message and folder delta with @removed and expirable
// tokens ([Server.ExpireDeltaTokens]); mailbox settings with automatic
// replies that answer senders; and inbox rules that run on delivery.
// Later areas add their own.
//
// Tests can inject faults (429 with Retry-After in every form, 503, 504,
// dropped connections, truncated bodies, latency: [Server.Faults],
// [ParseFault] for the flag form), switch on Outlook's per-mailbox
// throttling ([Server.SetThrottling], [ParseThrottling]), read a log of
// every request with the instant a 429 allowed a retry ([Server.Requests];
// never tokens), and drive time with a fake [Clock] to expire tokens or
// wait out Retry-After.
//
// # Data
//
// The "demo" seed is a small Contoso tenant: ten users with job titles,
// departments, offices and managers, and a default user (Adele Vance)
// whose mailbox holds 250 realistic messages across Inbox, Sent Items,
// Archive, Deleted Items and Drafts. [Server.SeedMessages] adds any number
// of full Graph message objects (about 3.5 KB of JSON each,
// deterministic) in about 10 µs each; [Server.AddUser] and
// [Server.GrantMailboxAccess] shape the directory and shared mailboxes.
//
// # Performance
//
// Stored entities are kept encoded; a page without $select is written
// from the stored bytes, so serving a message costs well under a
// microsecond of handler time, and following nextLinks through a filtered
// or sorted listing evaluates the query once.
//
// # Usage
//
// In a test:
//
//	func TestInbox(t *testing.T) {
//		srv := emulator.Start(t) // closed when the test ends; AutoApprove on
//		if err := srv.SeedMessages(srv.DefaultUser().UPN, 500); err != nil {
//			t.Fatal(err)
//		}
//		// Point the client at srv.URL()+"/v1.0" and the identity platform at
//		// srv.URL(), with client id srv.PublicClientID() (or
//		// srv.ConfidentialClient() for app-only tokens).
//		...
//		for _, r := range srv.Requests() {
//			// assert on what the client sent
//		}
//	}
//
// With a fake clock and a fault:
//
//	clk := emulator.NewClock(time.Now())
//	srv := emulator.Start(t, func(o *emulator.Options) { o.Now = clk.Now })
//	srv.Faults().Add(emulator.Fault{Path: "/me/messages", Status: 429,
//		RetryAfter: 2 * time.Second, Count: 1})
//
// From the command line: o365 emulator --addr 127.0.0.1:5000 --seed demo.
//
// The emulator binds loopback addresses only unless Options.AllowRemote is
// set: it has no real security.
package emulator
