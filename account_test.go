package o365_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

var _ graph.TokenSource = (*auth.Session)(nil)
var _ graph.TokenSource = (*o365.Account)(nil)

func TestNewAccountValidation(t *testing.T) {
	mem := o365.WithTokenStore(auth.NewMemoryStore())
	tests := []struct {
		name  string
		creds o365.Credentials
		opts  []o365.Option
		is    error
	}{
		{"no client id", o365.Credentials{}, nil, nil},
		{"credentials without secret", o365.Credentials{ClientID: "c", Tenant: "t.example"}, []o365.Option{o365.WithAuthFlow(o365.CredentialsFlow)}, nil},
		{"credentials on common", o365.Credentials{ClientID: "c", ClientSecret: "s"}, []o365.Option{o365.WithAuthFlow(o365.CredentialsFlow)}, auth.ErrTenantRequired},
		{"password on organizations", o365.Credentials{ClientID: "c", Tenant: "organizations"}, []o365.Option{o365.WithAuthFlow(o365.PasswordFlow), o365.WithUsername("u@x")}, auth.ErrTenantRequired},
		{"password without username", o365.Credentials{ClientID: "c", Tenant: "t.example"}, []o365.Option{o365.WithAuthFlow(o365.PasswordFlow)}, nil},
		{"unknown flow", o365.Credentials{ClientID: "c"}, []o365.Option{o365.WithAuthFlow("implicit")}, nil},
		{"authorization without secret", o365.Credentials{ClientID: "c"}, []o365.Option{o365.WithAuthFlow(o365.AuthorizationFlow)}, nil},
		{"plain http protocol", o365.Credentials{ClientID: "c"}, []o365.Option{o365.WithProtocol(graph.Protocol{BaseURL: "http://graph.example.com"})}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := o365.NewAccount(tt.creds, append([]o365.Option{mem}, tt.opts...)...)
			if err == nil {
				t.Fatal("accepted")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
			if strings.Contains(err.Error(), `"s"`) {
				t.Errorf("secret in error: %v", err)
			}
		})
	}
	acct, err := o365.NewAccount(o365.Credentials{ClientID: "c", ClientSecret: "s"}, mem)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Flow() != o365.AuthorizationFlow {
		t.Errorf("default flow with a secret = %s", acct.Flow())
	}
	acct, _ = o365.NewAccount(o365.Credentials{ClientID: "c"}, mem)
	if acct.Flow() != o365.PublicFlow || acct.MainResource() != graph.Me {
		t.Errorf("default flow = %s, resource %s", acct.Flow(), acct.MainResource())
	}
	if acct.IsAuthenticated(context.Background()) {
		t.Error("authenticated without a token")
	}
	if _, err := acct.CurrentUser(context.Background()); !errors.Is(err, auth.ErrLoginRequired) {
		t.Errorf("CurrentUser before sign-in: %v", err)
	}
}

func TestCredentialsRedacted(t *testing.T) {
	c := o365.Credentials{ClientID: "id", ClientSecret: "SECRET"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v %#v %v", c, c, &c)} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("secret printed: %s", s)
		}
	}
}

// emulatorAccount returns a signed-out public-client Account on srv.
func emulatorAccount(t *testing.T, srv *emulator.Server, opts ...o365.Option) *o365.Account {
	t.Helper()
	base := []o365.Option{
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()),
	}
	acct, err := o365.NewAccount(o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()}, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return acct
}

// follow returns where the authorize URL redirects (the emulator approves at once).
func follow(t *testing.T, u string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("Location")
}

func TestConsoleFlowOnEmulator(t *testing.T) {
	srv := emulator.Start(t)
	pr, pw := io.Pipe()
	var out bytes.Buffer
	outW := writerFunc(func(p []byte) (int, error) {
		out.Write(p)
		for _, l := range strings.Split(string(p), "\n") {
			if strings.Contains(l, "/oauth2/v2.0/authorize?") {
				loc := follow(t, strings.TrimSpace(l))
				go io.WriteString(pw, loc+"\n")
			}
		}
		return len(p), nil
	})
	acct := emulatorAccount(t, srv, o365.WithConsole(pr, outW), o365.WithRedirectURL("http://localhost"))
	ctx := context.Background()
	if err := acct.Authenticate(ctx, "basic", "mailbox"); err != nil {
		t.Fatal(err)
	}
	u, err := acct.CurrentUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if u.UserPrincipalName != srv.DefaultUser().UPN || acct.Username() != srv.DefaultUser().UPN {
		t.Errorf("user %q, username %q", u.UserPrincipalName, acct.Username())
	}
	if !acct.IsAuthenticated(ctx) {
		t.Error("not authenticated after sign-in")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestBrowserFlowOnEmulator(t *testing.T) {
	srv := emulator.Start(t)
	opener := func(ctx context.Context, u string) error {
		go func() { // the browser: authorize, then the loopback redirect
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	acct := emulatorAccount(t, srv, o365.WithBrowser(opener))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := acct.Authenticate(ctx, "basic"); err != nil {
		t.Fatal(err)
	}
	if _, err := acct.CurrentUser(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSeveralUsers(t *testing.T) {
	ctx := context.Background()
	srv := emulator.Start(t)
	second := srv.AddUser(emulator.User{UPN: "megan@" + domainOf(srv.DefaultUser().UPN), DisplayName: "Megan"})
	store := auth.NewMemoryStore()
	acct := emulatorAccount(t, srv, o365.WithTokenStore(store))
	signIn := func() {
		u, flow, err := acct.AuthorizationURL([]string{"basic"}, "http://localhost")
		if err != nil {
			t.Fatal(err)
		}
		if err := acct.RequestToken(ctx, follow(t, u), flow); err != nil {
			t.Fatal(err)
		}
	}
	signIn()
	srv.SetAutoApprove(true, second.UPN)
	signIn()
	users, err := acct.Usernames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 {
		t.Errorf("Usernames = %v", users)
	}
	me := func() string {
		u, err := acct.CurrentUser(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return u.UserPrincipalName
	}
	if got := me(); got != second.UPN {
		t.Errorf("after the second sign-in: %s", got)
	}
	if err := acct.SetUsername(srv.DefaultUser().UPN); err != nil {
		t.Fatal(err)
	}
	if got := me(); got != srv.DefaultUser().UPN {
		t.Errorf("after SetUsername: %s", got)
	}
	// Another Account on the same store finds the users without signing in.
	other := emulatorAccount(t, srv, o365.WithTokenStore(store), o365.WithUsername(second.UPN))
	if u, err := other.CurrentUser(ctx); err != nil || u.UserPrincipalName != second.UPN {
		t.Fatalf("second account: %v %v", u, err)
	}
	if err := acct.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	users, _ = acct.Usernames(ctx)
	if len(users) != 1 || !strings.EqualFold(users[0], second.UPN) {
		t.Errorf("after Logout: %v", users)
	}
}

func domainOf(upn string) string { return upn[strings.Index(upn, "@")+1:] }

func TestRefreshOnEmulator(t *testing.T) {
	ctx := context.Background()
	clk := emulator.NewClock(time.Now())
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	acct, srv := o365test.Start(t,
		o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Now = clk.Now }),
		o365test.WithAccountOptions(o365.WithClock(clk.Now, func(ctx context.Context, d time.Duration) error { clk.Advance(d); return ctx.Err() }), o365.WithLogger(logger)),
		o365test.WithScopes("basic"))
	if _, err := acct.CurrentUser(ctx); err != nil {
		t.Fatal(err)
	}
	srv.ResetLog()
	clk.Advance(58 * time.Minute) // within the refresh skew
	for range 3 {
		if _, err := acct.CurrentUser(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var grants []string
	for _, r := range srv.Requests() {
		if r.GrantType != "" {
			grants = append(grants, r.GrantType)
		}
	}
	if d := cmp.Diff([]string{"refresh_token"}, grants); d != "" {
		t.Errorf("token requests (-want +got):\n%s", d)
	}
	tok, err := acct.TokenStore().Load(ctx, acct.App().Key(acct.Username()))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), tok.AccessToken) || strings.Contains(logs.String(), tok.RefreshToken) {
		t.Error("token in logs")
	}
}

func TestAppOnlyMailbox(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t, o365test.AppOnly())
	if err := srv.SeedMessages(srv.DefaultUser().UPN, 3); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, err := range acct.Mailbox().Messages(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d messages", n)
	}
	if err := acct.SetUsername("x@y"); !errors.Is(err, o365.ErrAppOnly) {
		t.Errorf("SetUsername on app-only: %v", err)
	}
	if !acct.IsAuthenticated(ctx) {
		t.Error("app-only account not authenticated")
	}
}

func TestAuthorizationURLState(t *testing.T) {
	srv := emulator.Start(t)
	acct := emulatorAccount(t, srv)
	u, flow, err := acct.AuthorizationURL([]string{"basic"}, "http://localhost")
	if err != nil {
		t.Fatal(err)
	}
	loc := follow(t, u)
	bad, _ := url.Parse(loc)
	q := bad.Query()
	q.Set("state", "forged")
	bad.RawQuery = q.Encode()
	if err := acct.RequestToken(context.Background(), bad.String(), flow); !errors.Is(err, auth.ErrStateMismatch) {
		t.Fatalf("err = %v", err)
	}
	if err := acct.RequestToken(context.Background(), loc, flow); err != nil {
		t.Fatal(err)
	}
}

func TestPasswordFlowOnEmulator(t *testing.T) {
	ctx := context.Background()
	srv := emulator.Start(t)
	upn := srv.DefaultUser().UPN
	acct := emulatorAccount(t, srv, o365.WithAuthFlow(o365.PasswordFlow), o365.WithUsername(upn), o365.WithPassword("Passw0rd!"))
	if err := acct.Authenticate(ctx, "basic"); err != nil {
		t.Fatal(err)
	}
	if u, err := acct.CurrentUser(ctx); err != nil || u.UserPrincipalName != upn {
		t.Fatalf("%v %v", u, err)
	}
	bad := emulatorAccount(t, srv, o365.WithAuthFlow(o365.PasswordFlow), o365.WithUsername(upn), o365.WithPassword("wrong-password-x"))
	err := bad.Authenticate(ctx, "basic")
	if !errors.Is(err, auth.ErrInvalidGrant) || strings.Contains(err.Error(), "wrong-password-x") {
		t.Fatalf("err = %v", err)
	}
}

// The service rejects a token the local clock still trusts: the Graph client asks for a forced
// refresh and retries once.
func TestForcedRefreshAfter401(t *testing.T) {
	ctx := context.Background()
	clk := emulator.NewClock(time.Now())
	acct, srv := o365test.Start(t,
		o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Now = clk.Now }),
		o365test.WithScopes("basic"))
	srv.ResetLog()
	clk.Advance(3 * time.Hour) // only the emulator's clock moves
	if _, err := acct.CurrentUser(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, fmt.Sprintf("%s %d %s", r.Method, r.Status, r.GrantType))
	}
	want := []string{"GET 401 ", "POST 200 refresh_token", "GET 200 "}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

func TestDefaultFileStore(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("AppData", dir)
	acct, err := o365.NewAccount(o365.Credentials{ClientID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	fs, ok := acct.TokenStore().(*auth.FileStore)
	if !ok {
		t.Fatalf("default store is %T", acct.TokenStore())
	}
	if !strings.HasPrefix(fs.Path(), dir) || !strings.HasSuffix(fs.Path(), "tokens.json") {
		t.Errorf("default path %q", fs.Path())
	}
}
