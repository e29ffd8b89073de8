// Package graph is the core of o365 for Go: the Microsoft Graph Client and everything the
// area packages (mail, calendar, drive, ...) share. Area packages never speak HTTP, page,
// retry or escape by themselves; they ask this package.
//
// # Clients and protocols
//
// NewClient takes a TokenSource (an *auth.Session, or anything with AccessToken) and
// options. A Protocol picks the cloud, the API version and, for tests, the base URLs:
//
//	c, err := graph.NewClient(session)                                   // global cloud, v1.0
//	c, err = graph.NewClient(session, graph.WithProtocol(graph.Protocol{
//		Cloud:   graph.CloudUSGovL4, // graph.microsoft.us; also CloudUSGovL5, CloudChina
//		Version: "beta",
//	}))
//	c, err = graph.NewClient(session, graph.WithProtocol(graph.Protocol{
//		BaseURL: srv.URL(), // the emulator: Graph at srv.URL()+"/v1.0"
//	}))
//
// Plain http is accepted only on loopback hosts. Other options set the HTTP client, a logger
// (tokens and secrets are never logged), the User-Agent, default headers and Prefer values,
// the call timeout and the RetryPolicy. A Client is safe for concurrent use; make one and
// share it. Its HTTP client drops the Authorization header on any redirect that changes
// scheme, host or port (WithHTTPClient wraps the given client's CheckRedirect the same way).
//
// # Addressing
//
// A Resource names the main resource of a call: graph.Me (delegated tokens only),
// graph.User("adele@contoso.com") (users and shared mailboxes, by id or UPN),
// graph.Group(id) and graph.Site(id). Resource.Path appends segments, escaping each one:
//
//	graph.User("adele@contoso.com").Path("mailFolders", "inbox", "messages")
//	// "/users/adele@contoso.com/mailFolders/inbox/messages"
//
// Paths are relative to the service URL. Absolute URLs (nextLinks, upload URLs) are used
// verbatim, and the token is sent only to the service's own scheme, host and port.
//
// # Calls and options
//
// Send is the one way out: it joins the path to the service URL, adds default headers,
// User-Agent, Prefer values (merged with ", "), a random client-request-id and the bearer
// token, and applies the retry policy. Do decodes a JSON answer; Get, Post, Patch, Put and
// Delete are shortcuts. Per-call options are rare and variadic:
//
//	err := c.Get(ctx, graph.Me.Path("events", id), &ev,
//		graph.Timezone("Pacific Standard Time"), graph.ImmutableIDs())
//	err = c.Patch(ctx, graph.Me.Path("messages", id), map[string]any{"isRead": true}, nil,
//		graph.IfMatch(etag))
//
// The others are Header, Prefer, BodyContentType, ReturnMinimal, ConsistencyEventual,
// Params and Query, which takes an *odata.Query.
//
// # Pagination
//
// List returns an iter.Seq2 over a collection: lazy, following @odata.nextLink verbatim with
// the same headers, decoding one page at a time and fetching the next page while the caller
// works on the current one. ListOptions set a total Limit and a PageSize ($top):
//
//	for m, err := range graph.List[mail.Message](ctx, c, graph.Me.Path("messages"), &graph.ListOptions{Limit: 100}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(m.Subject)
//	}
//
// GetPage returns one Page with its NextLink, DeltaLink and Count, for callers who resume.
//
// # Delta queries
//
// NewDelta prepares a delta query (no I/O); its Changes(ctx) yields each Change (an Item,
// or a removal with ID and Reason) page after page, and DeltaLink then holds the link for
// the next round. A round cut short resumes from NextLink. An expired sync state (410)
// matches ErrSyncStateExpired: start over without a link.
//
//	d := graph.NewDelta[mail.Message](c, savedLink, nil)
//	for ch, err := range d.Changes(ctx) {
//		if err != nil {
//			return err
//		}
//		if ch.Removed {
//			forget(ch.ID)
//		} else {
//			store(ch.Item)
//		}
//	}
//	savedLink = d.DeltaLink()
//
// # Errors
//
// A non-2xx answer is an *Error carrying the status, Graph's code and innermost inner code,
// the request-id to quote to Microsoft, the method and path (secrets removed), and a hint
// when the cause is known. Sentinels match it with errors.Is:
//
//	if errors.Is(err, graph.ErrNotFound) { ... }
//	var ge *graph.Error
//	if errors.As(err, &ge) { log.Print(ge.Code, ge.RequestID) }
//
// The sentinels are ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict,
// ErrGone, ErrPreconditionFailed, ErrThrottled and ErrServiceUnavailable, plus
// ErrSyncStateExpired for a 410 that ends a delta query's sync state. Bodies that are
// not Graph errors (an HTML page from a proxy, a cut connection) are reported with a short
// snippet.
//
// # Throttling and retries
//
// One loop retries 429 on any method, and 500, 502, 503, 504, 509 and dropped connections on
// idempotent methods only (a POST is never re-sent after a failure that may have reached the
// service). It waits for Retry-After (seconds, fractional too, or an HTTP date, however long
// within RetryPolicy.MaxWait), or else backs off exponentially with full jitter. After a 429
// or 503 with Retry-After every request of the Client waits until that deadline, so one
// throttled goroutine does not let the others prolong the throttling. A 401 makes the client
// ask the TokenSource for a fresh token once and retry once. Every call is bounded: a
// timeout per attempt for the response headers, and WithTimeout for the whole call.
//
// # Batching
//
// Client.Batch sends any number of requests through $batch, MaxBatchSize (20) per call,
// keeping dependsOn groups together, and returns the answers in request order; each item
// has its own status and Err, and items throttled with 429 are retried by themselves.
//
//	res, err := c.Batch(ctx, []graph.BatchRequest{
//		{ID: "1", Method: "GET", URL: "/me"},
//		{ID: "2", Method: "GET", URL: "/me/messages?$top=5", DependsOn: []string{"1"}},
//	})
//
// # Uploads and downloads
//
// Client.Upload sends a file to an upload session (made by the area package, e.g. drive's
// createUploadSession) in chunks that are multiples of 320 KiB, without the Authorization
// header, resuming from the session's nextExpectedRanges after a failure; UploadReader does
// the same from a stream and ResumeUpload continues a session saved earlier. Client.Download
// streams a file to an io.Writer with ranged requests, resuming dropped connections, and
// fetches ranges in parallel into an io.WriterAt (ParallelDownload).
//
// # Time zones
//
// Graph names zones the Windows way ("Pacific Standard Time") or the IANA way
// ("America/Los_Angeles"). WindowsToIANA and IANAToWindows convert, from a table built from
// the Go toolchain's CLDR and tz data (go generate ./graph); LoadLocation accepts either.
// DateTimeTimeZone is Graph's wall time plus zone:
//
//	d := graph.NewDateTimeTimeZone(time.Now().In(paris)) // {"...", "Romance Standard Time"}
//	t, err := d.Time()
//
// LoadLocation and DateTimeTimeZone.Time read the zone's data on every call; the package
// keeps no cache of its own. To convert many values use a Zones, usually the client's:
//
//	start, err := c.Zones().Time(ev.Start)
//
// # Shared types
//
// Models that several areas use live here: EmailAddress, Recipient and Recipients (a list
// with Add, Remove, Contains, Addresses), ItemBody with the HTML and Text constructors,
// IdentitySet and Identity, DateTimeTimeZone, and UploadSession. They are plain structs that
// round-trip through encoding/json.
//
//	var to graph.Recipients
//	err := to.Add("Adele Vance <adele@contoso.com>", "alex@contoso.com")
//	body := graph.HTML("<p>Hello</p>")
package graph
