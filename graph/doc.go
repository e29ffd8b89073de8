// Package graph is the core of o365 for Go: the Microsoft Graph Client and everything the
// area packages (mail, calendar, drive, ...) share.
//
// # Client
//
// NewClient takes a TokenSource (an *auth.Session, or anything with AccessToken) and
// options. The Protocol picks the cloud (global, US Government L4 and L5, China), the API
// version (v1.0 or beta) and, for the emulator, a base URL; plain http is accepted only on
// loopback hosts.
//
//	c, err := graph.NewClient(session, graph.WithPrefer(`outlook.timezone="Europe/Paris"`))
//	var me struct{ DisplayName string }
//	err = c.Get(ctx, "/me", &me)
//
// # Addressing
//
// A Resource names the main resource of a call: graph.Me, graph.User("adele@contoso.com")
// (also for shared mailboxes), graph.Group(id), graph.Site(id). Resource.Path builds escaped
// paths from it. Absolute URLs (nextLinks, upload URLs) are used verbatim; the token is sent
// only to the service's own host.
//
// # Requests
//
// Send is the one way out: it joins the path to the service URL, adds default headers,
// User-Agent, Prefer values (merged with ", "), a random client-request-id, the bearer
// token, and applies the retry policy. Do, Get, Post, Patch, Put and Delete decode JSON
// answers. Per-call options (Header, IfMatch, Prefer, ImmutableIDs, Timezone,
// BodyContentType, ReturnMinimal, ConsistencyEventual, Query, Params) are rare.
//
// # Errors
//
// A non-2xx answer is an *Error carrying the status, Graph's code and innermost inner code,
// the request-id to quote to Microsoft, the method and path (secrets removed), and a hint
// when the cause is known. errors.Is(err, graph.ErrNotFound) and the other sentinels match
// it. Bodies that are not Graph errors (an HTML page from a proxy, a cut connection) are
// reported with a short snippet.
//
// # Throttling and retries
//
// One loop retries 429 on any method and 503, 504 and dropped connections on idempotent
// methods, waiting for Retry-After (seconds or an HTTP date, however long within
// RetryPolicy.MaxWait) or else backing off exponentially with full jitter. After a 429 with
// Retry-After every request of the Client waits until that deadline, so one throttled
// goroutine does not let the others prolong the throttling. A 401 makes the client ask the
// TokenSource for a fresh token once and retry once. Every call is bounded: a timeout per
// attempt for the response headers, and WithTimeout for the whole call.
//
// # Pagination
//
// List returns an iter.Seq2 over a collection: lazy, following @odata.nextLink verbatim with
// the same headers, decoding one page at a time, and fetching the next page while the
// caller works on the current one. GetPage returns one page with its NextLink, DeltaLink
// and Count, for callers who resume later.
//
// # Batching
//
// Client.Batch sends any number of requests through $batch, 20 per call, keeping dependsOn
// groups together, and returns the answers in request order; items throttled with 429 are
// retried by themselves.
package graph
