// Package o365 is the entry point of o365 for Go, a Microsoft 365 library shaped after
// python-o365: an Account holds the app's credentials, the sign-in flow, the token store and the
// protocol (cloud, API version), and hands out a small handle per Graph area.
//
//	acct, err := o365.NewAccount(o365.Credentials{ClientID: id, Tenant: "contoso.onmicrosoft.com"},
//		o365.WithAuthFlow(o365.DeviceFlow))
//	if err != nil { ... }
//	if !acct.IsAuthenticated(ctx) {
//		if err := acct.Authenticate(ctx, "basic", "message_all"); err != nil { ... }
//	}
//	for m, err := range acct.Mailbox().Inbox().Messages(ctx, nil) { ... }
//
// Sign-in flows, scopes and token stores live in package auth; the HTTP core (retries, errors,
// paging, $batch) in package graph. docs/auth.md explains how to register an app in Entra ID.
package o365
