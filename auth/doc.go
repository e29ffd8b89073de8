// Package auth signs users and apps in to the Microsoft identity platform and keeps their
// tokens.
//
// An App is an app registration (client id, optional secret or certificate) bound to a tenant,
// an authority (global or national cloud, or the emulator) and a TokenStore. Its flows return a
// *Token:
//
//   - AuthCodeURL + ExchangeRedirect: authorization code with PKCE (S256) and a state check, for
//     web apps; ConsoleLogin prints the URL and reads the pasted redirect URL (python-o365's
//     console flow); LoopbackLogin opens the browser and receives the redirect on 127.0.0.1.
//   - DeviceLogin: device code, for CLIs and headless machines.
//   - ClientCredentials: app-only tokens with a secret, a certificate (signed client assertion)
//     or a federated assertion; scope "{resource}/.default" only.
//   - PasswordLogin: resource owner password credentials, legacy and discouraged.
//
// App.NewSession stores the token and returns a Session, one signed-in identity. A Session
// implements graph.TokenSource: it refreshes proactively before expiry, runs one refresh however
// many goroutines ask, saves the newest refresh token, and coordinates with other processes when
// the store implements RefreshLocker (FileStore does, with a file lock).
//
// Scopes are python-o365's helper names ("basic", "mailbox", "message_all", ...) or raw
// permissions; both are prefixed with the Graph resource ("https://graph.microsoft.com/").
//
// Errors from the identity platform are *Error values carrying the OAuth error code and AADSTS
// numbers; errors.Is matches them against ErrInvalidGrant, ErrLoginRequired,
// ErrInteractionRequired, ErrConsentRequired and the other sentinels. No error, log line or
// String method of this package prints a secret.
package auth
