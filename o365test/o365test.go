package o365test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/graphspec"
)

// Option configures Start.
type Option func(*options)

type options struct {
	appOnly    bool
	device     bool
	scopes     []string
	emulator   []func(*emulator.Options)
	account    []o365.Option
	specCheck  bool
	signedOut  bool
	beforeAuth func(*emulator.Server)
	recorders  []*Recorder
}

// AppOnly signs in with the emulator's confidential app (client credentials): no "me"; the
// main resource is the default user (graph.User(upn)).
func AppOnly() Option { return func(o *options) { o.appOnly = true } }

// DeviceCode signs in with the device code flow, the code approved through
// srv.ApproveDeviceCode (one poll interval, about 5 s of real time). The default is the
// authorization code flow with auto-approve, which is instant.
func DeviceCode() Option { return func(o *options) { o.device = true } }

// WithScopes sets the delegated scopes asked for (helpers or raw); default DefaultScopes().
func WithScopes(scopes ...string) Option { return func(o *options) { o.scopes = scopes } }

// WithEmulatorOptions passes options to emulator.Start (seed, fake clock, token lifetime...).
func WithEmulatorOptions(opts ...func(*emulator.Options)) Option {
	return func(o *options) { o.emulator = append(o.emulator, opts...) }
}

// WithAccountOptions passes options to o365.NewAccount (after the ones Start sets).
func WithAccountOptions(opts ...o365.Option) Option {
	return func(o *options) { o.account = append(o.account, opts...) }
}

// SignedOut returns the Account without signing in.
func SignedOut() Option { return func(o *options) { o.signedOut = true } }

// BeforeSignIn runs f on the emulator before signing in (add users, change the auto-approved
// user with srv.SetAutoApprove, register apps...).
func BeforeSignIn(f func(srv *emulator.Server)) Option { return func(o *options) { o.beforeAuth = f } }

// NoSpecCheck turns off the check that every Graph request is a real Graph v1.0 path (for tests
// that send bad paths on purpose).
func NoSpecCheck() Option { return func(o *options) { o.specCheck = false } }

// DefaultScopes are the delegated scopes Start asks for: every area the emulator serves.
func DefaultScopes() []string {
	return []string{
		"basic", "users", "message_all", "message_all_shared", "mailbox_settings",
		"calendar_all", "calendar_shared_all", "address_book_all", "onedrive_all", "sharepoint_all",
		"tasks_all", "groups_all", "presence", "chats_all",
	}
}

// Start starts an emulator (closed when the test ends) and returns an Account signed in to it,
// with an in-memory token store.
func Start(t testing.TB, opts ...Option) (*o365.Account, *emulator.Server) {
	t.Helper()
	o := &options{specCheck: true}
	for _, f := range opts {
		f(o)
	}
	srv := emulator.Start(t, o.emulator...)
	if o.beforeAuth != nil {
		o.beforeAuth(srv)
	}
	proto := graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}
	aopts := []o365.Option{o365.WithProtocol(proto), o365.WithTokenStore(auth.NewMemoryStore())}
	var creds o365.Credentials
	if o.appOnly {
		id, secret := srv.ConfidentialClient()
		creds = o365.Credentials{ClientID: id, ClientSecret: secret, Tenant: srv.TenantID()}
		aopts = append(aopts, o365.WithAuthFlow(o365.CredentialsFlow), o365.WithMainResource(graph.User(srv.DefaultUser().UPN)))
	} else {
		creds = o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()}
		if o.device {
			aopts = append(aopts, o365.WithAuthFlow(o365.DeviceFlow), o365.WithDeviceCodePrompt(func(_ context.Context, dc auth.DeviceCode) error {
				return srv.ApproveDeviceCode(dc.UserCode, srv.DefaultUser().UPN)
			}))
		} else {
			aopts = append(aopts, o365.WithAuthFlow(o365.PublicFlow))
		}
	}
	aopts = append(aopts, o.account...)
	if len(o.recorders) > 0 {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		t.Cleanup(tr.CloseIdleConnections)
		hc := &http.Client{Transport: &recording{recs: o.recorders, next: tr}}
		aopts = append(aopts, o365.WithClientOptions(graph.WithHTTPClient(hc)))
	}
	acct, err := o365.NewAccount(creds, aopts...)
	if err != nil {
		t.Fatalf("o365test: NewAccount: %v", err)
	}
	if o.specCheck {
		t.Cleanup(func() { checkPaths(t, srv) })
	}
	if o.signedOut {
		return acct, srv
	}
	scopes := o.scopes
	if scopes == nil && !o.appOnly {
		scopes = DefaultScopes()
	}
	ctx := context.Background()
	switch {
	case o.appOnly:
		err = acct.Authenticate(ctx)
	case o.device:
		// Approval goes through ApproveDeviceCode, so the code must stay pending until then.
		srv.SetAutoApprove(false, "")
		err = acct.Authenticate(ctx, scopes...)
		srv.SetAutoApprove(true, srv.DefaultUser().UPN)
	default:
		err = SignIn(ctx, acct, scopes...)
	}
	if err != nil {
		t.Fatalf("o365test: sign-in: %v", err)
	}
	return acct, srv
}

// New starts an emulator with opts (AutoApprove on) and returns an Account signed in to it
// with scopes (default DefaultScopes()), for Examples and programs that have no testing.TB.
// The caller closes srv.
func New(opts emulator.Options, scopes ...string) (acct *o365.Account, srv *emulator.Server, err error) {
	opts.AutoApprove = true
	srv, err = emulator.New(opts)
	if err != nil {
		return nil, nil, err
	}
	acct, err = o365.NewAccount(o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()))
	if err == nil {
		if len(scopes) == 0 {
			scopes = DefaultScopes()
		}
		err = SignIn(context.Background(), acct, scopes...)
	}
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return acct, srv, nil
}

// SignIn signs acct in with the authorization code flow on an emulator with auto-approve: it
// follows the authorize URL to its redirect, as a browser would, and redeems the code.
func SignIn(ctx context.Context, acct *o365.Account, scopes ...string) error {
	authURL, flow, err := acct.AuthorizationURL(scopes, "http://localhost")
	if err != nil {
		return err
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || loc == "" {
		return errors.New("o365test: the authorize endpoint did not redirect (is auto-approve on?): " + resp.Status)
	}
	return acct.RequestToken(ctx, loc, flow)
}

// checkPaths fails the test for Graph v1.0 requests that are not real Graph paths.
func checkPaths(t testing.TB, srv *emulator.Server) {
	seen := map[string]bool{}
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/v1.0/") || r.Fault != "" {
			continue
		}
		// The log holds the decoded path: escape it again so that a file name
		// with '#' or '?' is not read as the start of a fragment or a query.
		escaped := (&url.URL{Path: r.Path}).EscapedPath()
		if _, ok := graphspec.Match(r.Method, escaped); !ok && !seen[r.Method+" "+r.Path] {
			seen[r.Method+" "+r.Path] = true
			t.Errorf("o365test: %s %s is not a Microsoft Graph v1.0 path", r.Method, r.Path)
		}
	}
}
