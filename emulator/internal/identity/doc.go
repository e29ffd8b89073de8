// Package identity emulates the Microsoft identity platform (Entra ID v2.0
// endpoints) for the o365 emulator.
//
// A [Provider] holds a tenant, its registered applications and its users,
// and serves the OAuth 2.0 / OpenID Connect routes a client library talks
// to:
//
//	GET  /{tenant}/oauth2/v2.0/authorize             sign-in and consent page
//	POST /{tenant}/oauth2/v2.0/authorize             form submission of that page
//	POST /{tenant}/oauth2/v2.0/token                 every supported grant
//	POST /{tenant}/oauth2/v2.0/devicecode            device authorization
//	GET  /devicelogin, POST /devicelogin             user code entry page
//	GET  /{tenant}/v2.0/.well-known/openid-configuration
//	GET  /{tenant}/discovery/v2.0/keys               JWKS
//
// {tenant} is the configured tenant id, one of its domains, "common",
// "organizations" or "consumers"; anything else is answered with
// AADSTS90002 as Microsoft does.
//
// Access tokens are RS256 JWTs signed with a key that [New] creates (or
// [Config.SigningKey]). The Graph side of the emulator checks them with
// [Provider.Verify], which
// reports expired and otherwise invalid tokens with distinct errors
// ([ErrTokenExpired], [ErrTokenInvalid]) so it can answer 401
// InvalidAuthenticationToken with the message Graph uses.
//
// Failures at the token endpoint use the identity platform's JSON error
// shape with its AADSTS codes, so that client code written against the
// real service sees the same answers here. Errors that must not reach an
// unverified redirect URI (unknown tenant or app, unregistered redirect
// URI) are shown as an HTML page instead, as the service does.
//
// All time comes from [Config.Now], so tests can expire codes, refresh
// tokens, device codes and access tokens without sleeping. Test hooks:
// [Provider.ApproveDeviceCode], [Provider.DeclineDeviceCode],
// [Provider.SetAutoApprove], [Provider.SetAccessTokenLifetime],
// [Provider.SetInteractionRequired] (AADSTS50076 on silent grants),
// [Provider.RevokeSignInSessions] (AADSTS50173) and
// [Provider.NewAccessToken] (a token without a flow).
//
// The emulator keeps no browser session: every authorization request
// shows the sign-in page unless auto-approve is on, and prompt=none
// without auto-approve answers login_required.
package identity
