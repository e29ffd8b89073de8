package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// signIn runs the password flow (the quickest) and stores the token.
func signIn(t *testing.T, a *App) *Session {
	t.Helper()
	tok, err := a.PasswordLogin(context.Background(), testUser, testPass, "basic")
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.NewSession(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestProactiveRefresh(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	c := newClock()
	store := NewMemoryStore()
	a, _ := newTestApp(t, f, c, func(cfg *Config) { cfg.Store = store })
	s := signIn(t, a)
	first, _ := s.Token(ctx)

	c.Add(54 * time.Minute) // 6 min left: no refresh
	at, err := s.AccessToken(ctx, false)
	if err != nil || at != first.AccessToken || f.refreshes.Load() != 0 {
		t.Fatalf("early refresh: %v, %d refreshes", err, f.refreshes.Load())
	}
	c.Add(2 * time.Minute) // 4 min left: within the 5 min skew
	at, err = s.AccessToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if at == first.AccessToken || f.refreshes.Load() != 1 {
		t.Fatalf("no proactive refresh (%d)", f.refreshes.Load())
	}
	stored, _ := store.Load(ctx, s.Key())
	if stored.AccessToken != at || stored.RefreshToken == first.RefreshToken || stored.Username != testUser {
		t.Errorf("store not updated with the new tokens: %v", stored)
	}
	// The refresh asked for the same scopes.
	if got := f.lastForm().Get("scope"); !strings.Contains(got, "https://graph.microsoft.com/User.Read") || !strings.Contains(got, "offline_access") {
		t.Errorf("refresh scope %q", got)
	}
	// A forced refresh happens even when the token is fresh.
	at2, err := s.AccessToken(ctx, true)
	if err != nil || at2 == at || f.refreshes.Load() != 2 {
		t.Fatalf("forced refresh: %v (%d)", err, f.refreshes.Load())
	}
}

func TestRefreshSkewConfigurable(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	c := newClock()
	a, _ := newTestApp(t, f, c, func(cfg *Config) { cfg.RefreshSkew = 30 * time.Minute })
	s := signIn(t, a)
	c.Add(31 * time.Minute)
	if _, err := s.AccessToken(ctx, false); err != nil {
		t.Fatal(err)
	}
	if f.refreshes.Load() != 1 {
		t.Errorf("refreshes = %d", f.refreshes.Load())
	}
}

func TestSingleRefreshManyGoroutines(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	c := newClock()
	a, _ := newTestApp(t, f, c, nil)
	s := signIn(t, a)
	c.Add(2 * time.Hour)
	f.gate = make(chan struct{})

	const n = 50
	var wg sync.WaitGroup
	tokens := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { tokens[i], errs[i] = s.AccessToken(ctx, false) })
	}
	// Let the one refresh finish once it has started.
	for f.refreshes.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(f.gate)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if tokens[i] != tokens[0] {
			t.Fatalf("goroutine %d got another token", i)
		}
	}
	if got := f.refreshes.Load(); got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}
}

func TestRefreshFailure(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	c := newClock()
	var logs bytes.Buffer
	a, _ := newTestApp(t, f, c, func(cfg *Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	s := signIn(t, a)
	old, _ := s.Token(ctx)

	// Within the skew, a failed refresh keeps the still-valid token.
	c.Add(57 * time.Minute)
	f.failNext = &errorBody{Error: "temporarily_unavailable", Description: "AADSTS90033: busy"}
	at, err := s.AccessToken(ctx, false)
	if err != nil || at != old.AccessToken {
		t.Fatalf("got %v, want the old token", err)
	}
	// Expired and the refresh token revoked: sign-in required.
	c.Add(time.Hour)
	f.failNext = &errorBody{Error: "invalid_grant", Description: "AADSTS700082: The refresh token has expired due to inactivity.", Codes: []int{700082}}
	_, err = s.AccessToken(ctx, false)
	if !errors.Is(err, ErrLoginRequired) || !errors.Is(err, ErrInvalidGrant) {
		t.Fatalf("err = %v", err)
	}
	var ae *Error
	if !errors.As(err, &ae) || ae.AADSTS() != 700082 {
		t.Fatalf("err = %v", err)
	}
	for _, secret := range []string{old.AccessToken, old.RefreshToken, testPass} {
		if strings.Contains(logs.String(), secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("secret %q in logs or error", secret)
		}
	}
	// After sign-out there is nothing to refresh.
	if err := s.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccessToken(ctx, false); !errors.Is(err, ErrLoginRequired) || !errors.Is(err, ErrNoToken) {
		t.Fatalf("err = %v", err)
	}
	if s.Authenticated(ctx) {
		t.Error("Authenticated after Delete")
	}
}

func TestAppOnlySession(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	c := newClock()
	a, _ := newTestApp(t, f, c, func(cfg *Config) { cfg.ClientSecret = testSecret })
	s := a.Session("")
	if !s.Authenticated(ctx) {
		t.Error("a confidential app can always get an app-only token")
	}
	at, err := s.AccessToken(ctx, false)
	if err != nil || at == "" {
		t.Fatal(err)
	}
	c.Add(2 * time.Hour)
	at2, err := s.AccessToken(ctx, false)
	if err != nil || at2 == at {
		t.Fatalf("app-only token not renewed: %v", err)
	}
	if n := f.grantCount("client_credentials"); n != 2 {
		t.Errorf("client_credentials grants = %d", n)
	}
	if accts, _ := a.Store().Accounts(ctx, testTenant, testClient); len(accts) != 0 {
		t.Errorf("app-only token listed as an account: %v", accts)
	}
}

func TestSessionNotSignedIn(t *testing.T) {
	f := newFakeIdP(t)
	a, _ := newTestApp(t, f, newClock(), nil)
	_, err := a.Session("nobody@contoso.com").AccessToken(context.Background(), false)
	if !errors.Is(err, ErrLoginRequired) || !errors.Is(err, ErrNoToken) {
		t.Fatalf("err = %v", err)
	}
}

func TestSessionContextCancel(t *testing.T) {
	f := newFakeIdP(t)
	c := newClock()
	a, _ := newTestApp(t, f, c, nil)
	s := signIn(t, a)
	c.Add(2 * time.Hour)
	f.gate = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := s.AccessToken(ctx, false); done <- err }()
	for f.refreshes.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	// The refresh goes on detached; another caller gets its result.
	close(f.gate)
	if _, err := s.AccessToken(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if got := f.refreshes.Load(); got != 1 {
		t.Errorf("refreshes = %d", got)
	}
}

// Two Apps (as two processes would) share one token file: the second finds the token the
// first refreshed and does not refresh again, and never uses a spent refresh token.
func TestSharedFileStoreRefreshesOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tokens.json")
	f := newFakeIdP(t)
	c := newClock()
	var apps []*App
	for range 2 {
		fs, err := NewFileStore(path)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := newTestApp(t, f, c, func(cfg *Config) { cfg.Store = fs })
		apps = append(apps, a)
	}
	signIn(t, apps[0])
	var sessions []*Session
	for i := range 4 {
		s := apps[i%2].Session(testUser)
		if _, err := s.AccessToken(ctx, false); err != nil { // load
			t.Fatal(err)
		}
		sessions = append(sessions, s)
	}
	c.Add(2 * time.Hour)
	var wg sync.WaitGroup
	errs := make([]error, len(sessions))
	for i, s := range sessions {
		wg.Go(func() { _, errs[i] = s.AccessToken(ctx, false) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err) // a spent refresh token would give invalid_grant
		}
	}
	if got := f.refreshes.Load(); got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}
}

func TestTokenRedaction(t *testing.T) {
	tok := Token{AccessToken: "at-SECRET", RefreshToken: "rt-SECRET", IDToken: "id-SECRET", Username: "u@x", Expiry: time.Unix(0, 0), Scopes: []string{"User.Read"}}
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	l.Info("x", "tok", tok, "ptr", &tok)
	outs := []string{
		fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok),
		fmt.Sprintf("%v %+v %#v %s", &tok, &tok, &tok, &tok), buf.String(),
	}
	for _, o := range outs {
		if strings.Contains(o, "SECRET") {
			t.Errorf("secret printed: %s", o)
		}
	}
	if !strings.Contains(outs[0], "u@x") {
		t.Errorf("username missing: %s", outs[0])
	}
}
