// Package o365test starts a Microsoft Graph emulator and returns an o365.Account signed in to
// it, for tests of code built on o365 (ours and yours):
//
//	func TestInbox(t *testing.T) {
//		acct, srv := o365test.Start(t)
//		srv.SeedMessages(srv.DefaultUser().UPN, 20)
//		for m, err := range acct.Mailbox().Inbox().Messages(ctx, nil) { ... }
//	}
//
// When the test ends, Start fails it if any Graph request the emulator saw is not a path of
// Microsoft Graph v1.0, so code tested against the emulator also works against Graph.
//
// Record keeps the requests the Account sends, for tests that assert exact wire bodies and
// headers (a Save that sends only what changed). New does what Start does for Examples and
// programs, which have no testing.TB.
package o365test
