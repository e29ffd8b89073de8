package emulator

import (
	"context"
	crand "crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o365go/o365/emulator/internal/identity"
)

// Options configure a Server. The zero value is a loopback server on a free
// port with the minimal seed.
type Options struct {
	// Addr is the listen address; default "127.0.0.1:0". Only loopback
	// addresses are accepted unless AllowRemote is set.
	Addr string
	// AllowRemote permits a non-loopback Addr. The emulator has no real
	// security: only set it on a trusted network.
	AllowRemote bool
	// Seed selects the initial data: "" (minimal: the tenant, a public and
	// a confidential app, one user) or "demo" (a small Contoso tenant with
	// realistic users and a mailbox full of messages).
	Seed string
	// AccessTokenLifetime is the lifetime of issued access tokens; default 1h.
	AccessTokenLifetime time.Duration
	// DevicePollInterval is the polling interval the device code endpoint
	// asks for, enforced with slow_down; default 5s as Microsoft sends.
	// Clients honour at least one second.
	DevicePollInterval time.Duration
	// AutoApprove signs the default user in without a browser: the
	// authorize endpoint redirects at once and device codes are approved
	// as soon as they are created.
	AutoApprove bool
	// Now is the clock used for tokens, the request log, throttling
	// windows and Retry-After dates; default time.Now. A *Clock's Now
	// method gives a fake clock tests can advance.
	Now func() time.Time
	// Logger receives one debug line per request (never tokens); nil
	// discards.
	Logger *slog.Logger
	// KeepBatchOrder answers $batch items in request order. By default the
	// responses are shuffled (deterministically) as Graph may reorder them,
	// so clients that rely on the order fail in tests.
	KeepBatchOrder bool
	// RandSeed seeds the fault probabilities and the batch shuffle;
	// default 1.
	RandSeed uint64
	// SigningKey signs access tokens; nil generates a 2048-bit RSA key.
	// Start shares one generated key among the servers of a test binary,
	// as key generation dominates start-up time.
	SigningKey *rsa.PrivateKey
	// TeamsThrottling sets the Teams service limits (teams_throttle.go);
	// the zero value applies none.
	TeamsThrottling TeamsThrottling
}

// Server is a running emulator: the Microsoft identity platform and
// Microsoft Graph on one loopback listener. It is safe for concurrent use.
type Server struct {
	opts    Options
	now     func() time.Time
	idp     *identity.Provider
	ln      net.Listener
	hs      *http.Server
	url     string
	tenant  string
	logger  *slog.Logger
	router  *router
	store   *store
	faults  *Faults
	throttl *throttler
	reqlog  *requestLog
	mail    *mailState
	dir     *directoryState // users' photos, groups and memberships (groups_store.go)

	// calendar is the calendar area (calendar_store.go).
	calendar calendarState
	todo     todoState
	drive    driveState
	sites    siteState // SharePoint sites and lists (sites_store.go)
	planner  plannerState
	subs     subsState // change notifications (subscriptions_store.go)

	// contacts and categories are the contacts and Outlook categories
	// areas (contacts_store.go, categories_routes.go).
	contacts   contactsState
	categories categoriesState
	teams      *teamsState // Microsoft Teams and presence (teams_store.go)
	excel      excelState  // workbook engine (excel_routes.go)

	mu           sync.Mutex
	defaultUser  User
	publicID     string
	confID       string
	confSecret   string
	users        map[string]*User // by lower-case id and lower-case UPN
	mailboxGrant map[string]map[string]bool
	mailboxes    map[string]*mailbox
	// sharedMailboxes are users that are mailboxes, not people: seeded
	// mail never comes from them.
	sharedMailboxes map[string]bool
	batchRand       *rand.Rand
	closeOnce       sync.Once
	closeErr        error
}

// App is an application registration in the emulated tenant.
type App struct {
	// ClientID is the application (client) id.
	ClientID string
	// Name is the display name shown on the consent page.
	Name string
	// Secret is the client secret of a confidential app.
	Secret string
	// Certificates authenticate client assertions.
	Certificates []*x509.Certificate
	// RedirectURIs are the registered reply URLs; loopback entries match
	// any port.
	RedirectURIs []string
	// Public marks a public client (no secret).
	Public bool
	// Roles are the application permissions put in app-only tokens
	// ("User.Read.All", "Mail.Read").
	Roles []string
	// DelegatedScopes limits the delegated scopes the app may get; empty
	// means any.
	DelegatedScopes []string
}

const (
	defaultTenantID      = "6e3f9b1c-4a2d-4c8e-9f7a-2b5d8c1e0a43"
	defaultPublicClient  = "1d8a7b2e-3c4f-4e5a-8b9c-0d1e2f3a4b5c"
	defaultConfClient    = "7c6b5a49-3827-4165-a0f9-e8d7c6b5a493"
	defaultConfSecret    = "emulator-secret-Vx8~kQ2.pL7"
	defaultTenantDomain  = "contoso.onmicrosoft.com"
	defaultAccessTokenTL = time.Hour
)

var confidentialRoles = []string{
	"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Group.Read.All",
	"Mail.Read", "Mail.ReadWrite", "Mail.Send", "MailboxSettings.ReadWrite",
	"Calendars.Read", "Calendars.ReadWrite", "Contacts.ReadWrite",
	"Files.ReadWrite.All", "Sites.ReadWrite.All", "Tasks.ReadWrite.All",
}

// New starts an emulator. It is listening and serving when New returns.
func New(opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if !opts.AllowRemote {
		if err := checkLoopback(opts.Addr); err != nil {
			return nil, err
		}
	}
	if opts.Seed != "" && opts.Seed != "demo" {
		return nil, fmt.Errorf("emulator: unknown seed %q (want \"\" or \"demo\")", opts.Seed)
	}
	if opts.AccessTokenLifetime <= 0 {
		opts.AccessTokenLifetime = defaultAccessTokenTL
	}
	if opts.RandSeed == 0 {
		opts.RandSeed = 1
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:            opts,
		now:             now,
		tenant:          defaultTenantID,
		logger:          logger,
		store:           newStore(),
		users:           map[string]*User{},
		mailboxGrant:    map[string]map[string]bool{},
		sharedMailboxes: map[string]bool{},
		reqlog:          &requestLog{},
		mail:            newMailState(),
	}
	s.faults = newFaults(opts.RandSeed)
	s.throttl = newThrottler(now)
	idp, err := identity.New(identity.Config{
		TenantID:            s.tenant,
		Domains:             []string{defaultTenantDomain},
		Issuer:              baseURL,
		Now:                 now,
		AccessTokenLifetime: opts.AccessTokenLifetime,
		DevicePollInterval:  opts.DevicePollInterval,
		AutoApprove:         opts.AutoApprove,
		SigningKey:          opts.SigningKey,
	})
	if err != nil {
		return nil, fmt.Errorf("emulator: identity: %w", err)
	}
	s.idp = idp
	s.router = s.routes()
	if err := s.seed(opts.Seed); err != nil {
		return nil, err
	}
	if opts.AutoApprove {
		idp.SetAutoApprove(true, s.defaultUser.UPN)
	}

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.hs = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	go func() { _ = s.hs.Serve(ln) }()
	return s, nil
}

// routes builds the Graph router; each area registers its own routes.
func (s *Server) routes() *router {
	rt := &router{}
	s.registerGroups(rt) // before registerUsers: users/delta must win over users/{user}
	s.registerUsers(rt)
	s.registerCalendar(rt)
	s.registerContacts(rt)
	s.registerCategories(rt)
	s.registerMailWrites(rt)
	s.registerMessages(rt)
	s.registerTodo(rt)
	s.registerDrive(rt)
	s.registerSites(rt)
	s.registerPlanner(rt)
	s.registerSubscriptions(rt)
	s.registerTeams(rt)
	s.registerExcel(rt)
	s.registerBatch(rt)
	return rt
}

// checkLoopback refuses listen addresses that are not loopback.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator: bad address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("emulator: refusing non-loopback address %q (set Options.AllowRemote)", addr)
	}
	return nil
}

// Start is New for tests: it starts an emulator with AutoApprove on, applies
// the option functions, and closes the server when the test ends. It fails
// the test if the server cannot start.
func Start(tb testing.TB, opts ...func(*Options)) *Server {
	tb.Helper()
	o := Options{AutoApprove: true}
	for _, f := range opts {
		f(&o)
	}
	if o.SigningKey == nil {
		key, err := testSigningKey()
		if err != nil {
			tb.Fatalf("emulator: %v", err)
		}
		o.SigningKey = key
	}
	s, err := New(o)
	if err != nil {
		tb.Fatalf("emulator: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// testSigningKey is generated once per process for Start: every test's
// emulator signs with it (tokens stay bound to their tenant and server
// state; only the key is shared).
var testSigningKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(crand.Reader, 2048)
})

// URL is the server's base URL, "http://127.0.0.1:PORT". Graph is at
// URL()+"/v1.0" (and "/beta"); the identity platform at
// URL()+"/{tenant}/oauth2/v2.0/...".
func (s *Server) URL() string { return s.url }

// Close stops the server and closes its connections.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		defer s.stopDeliveries() // after Shutdown: handshakes in handlers end first
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err := s.hs.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = s.hs.Close()
		}
		s.closeErr = err
	})
	return s.closeErr
}

// Now is the server's clock (Options.Now).
func (s *Server) Now() time.Time { return s.now() }

// TenantID is the emulated tenant's directory id.
func (s *Server) TenantID() string { return s.tenant }

// DefaultUser is the user signed in by AutoApprove.
func (s *Server) DefaultUser() User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.defaultUser
}

// PublicClientID is a registered public client app (device code,
// authorization code with PKCE, loopback and nativeclient redirect URIs)
// that may request every delegated scope.
func (s *Server) PublicClientID() string { return s.publicID }

// ConfidentialClient returns a registered confidential app and its secret;
// the app holds application roles such as User.Read.All and Mail.ReadWrite.
func (s *Server) ConfidentialClient() (clientID, secret string) { return s.confID, s.confSecret }

// RegisterApp registers (or replaces) an application.
func (s *Server) RegisterApp(a App) {
	s.idp.RegisterApp(identity.App{
		ClientID: a.ClientID, Name: a.Name, Secret: a.Secret, Certificates: a.Certificates,
		RedirectURIs: a.RedirectURIs, Public: a.Public, Roles: a.Roles, DelegatedScopes: a.DelegatedScopes,
	})
}

// ApproveDeviceCode approves a pending device code as the given user, as if
// they had entered the code at /devicelogin and consented.
func (s *Server) ApproveDeviceCode(userCode, upn string) error {
	return s.idp.ApproveDeviceCode(userCode, upn)
}

// DeclineDeviceCode declines a pending device code.
func (s *Server) DeclineDeviceCode(userCode string) error {
	return s.idp.DeclineDeviceCode(userCode)
}

// PendingDeviceCodes lists the user codes waiting for approval.
func (s *Server) PendingDeviceCodes() []string { return s.idp.PendingDeviceCodes() }

// SetAccessTokenLifetime changes the lifetime of access tokens issued from
// now on, so tests can force an expiry.
func (s *Server) SetAccessTokenLifetime(d time.Duration) { s.idp.SetAccessTokenLifetime(d) }

// SetAutoApprove switches auto-approval on or off, signing in upn ("" for
// the default user).
func (s *Server) SetAutoApprove(on bool, upn string) {
	if upn == "" {
		upn = s.DefaultUser().UPN
	}
	s.idp.SetAutoApprove(on, upn)
}

// Faults is the fault-injection control of the server.
func (s *Server) Faults() *Faults { return s.faults }

// SetThrottling configures (or, with Enabled false, switches off) the
// per-mailbox Outlook throttling.
func (s *Server) SetThrottling(t Throttling) { s.throttl.set(t) }

// Requests returns a copy of the request log, oldest first. Every request
// is logged when its status is written (so a client that has an answer
// finds it logged); $batch items are logged one by one, before the batch
// itself. A long-running server keeps about the last 100,000 entries.
func (s *Server) Requests() []LoggedRequest { return s.reqlog.all() }

// ResetLog empties the request log.
func (s *Server) ResetLog() { s.reqlog.reset() }

// GrantMailboxAccess lets delegate (UPN or id) read owner's mailbox with a
// delegated token carrying Mail.Read.Shared (or broader), as a shared or
// delegated mailbox.
func (s *Server) GrantMailboxAccess(owner, delegate string) error {
	o, ok := s.lookupUser(owner)
	if !ok {
		return fmt.Errorf("emulator: no user %q", owner)
	}
	d, ok := s.lookupUser(delegate)
	if !ok {
		return fmt.Errorf("emulator: no user %q", delegate)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.mailboxGrant[o.ID]
	if m == nil {
		m = map[string]bool{}
		s.mailboxGrant[o.ID] = m
	}
	m[d.ID] = true
	return nil
}

func (s *Server) mailboxGranted(ownerID, delegateID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mailboxGrant[ownerID][delegateID]
}

// baseURL is scheme://host of a request, for links that clients follow.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "127.0.0.1"
	}
	return scheme + "://" + host
}

func lower(s string) string { return strings.ToLower(s) }
