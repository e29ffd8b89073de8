package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o365go/o365/auth"
)

// fakeIdP is a token endpoint that rotates refresh tokens and rejects spent ones, as the
// identity platform may: a second process refreshing with the same refresh token fails.
type fakeIdP struct {
	mu        sync.Mutex
	live      map[string]bool
	n         int
	refreshes atomic.Int32
	// before runs before the first refresh is answered.
	before func()
}

func (f *fakeIdP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "refresh_token" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "unsupported_grant_type"})
		return
	}
	f.mu.Lock()
	rt := r.PostForm.Get("refresh_token")
	if !f.live[rt] {
		f.mu.Unlock()
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "AADSTS70008: The refresh token has expired or was already used."})
		return
	}
	delete(f.live, rt)
	f.n++
	n := f.n
	newRT := fmt.Sprintf("rt-%d", n)
	f.live[newRT] = true
	f.mu.Unlock()
	if f.refreshes.Add(1) == 1 && f.before != nil {
		f.before()
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"token_type": "Bearer", "access_token": fmt.Sprintf("at-%d", n), "refresh_token": newRT,
		"expires_in": 3600, "scope": "https://graph.microsoft.com/Mail.Read",
	})
}

// countingStore is a Store that counts the callers waiting for or holding the refresh lock.
type countingStore struct {
	*Store
	entered *atomic.Int32
}

func (c countingStore) LockRefresh(ctx context.Context, k auth.Key) (func() error, error) {
	c.entered.Add(1)
	return c.Store.LockRefresh(ctx, k)
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Two processes (two Apps, each with its own Store and connection on the same Redis, and two
// Sessions each) find the token expired at the same moment: exactly one refreshes, and all use
// its token. The first refresh is held back until all four Sessions are at the lock, so without
// the lock every one of them would call the token endpoint.
func TestSessionsRefreshOnceAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	const user = "adele@contoso.com"
	clock := &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	var entered atomic.Int32
	const sessions = 4
	idp := &fakeIdP{live: map[string]bool{"rt-0": true}}
	allWaiting := make(chan struct{})
	idp.before = func() {
		select {
		case <-allWaiting:
		case <-time.After(10 * time.Second):
			t.Error("the other sessions never reached the refresh lock")
		}
	}
	srv := httptest.NewServer(idp)
	defer srv.Close()

	var apps []*auth.App
	for range 2 {
		store := countingStore{Store: newStore(t, WithLockPoll(5*time.Millisecond), WithClock(clock.Now)), entered: &entered}
		app, err := auth.NewApp(auth.Config{
			ClientID: clientID, Tenant: tenant, Authority: srv.URL, Store: store,
			HTTPClient: srv.Client(), Now: clock.Now,
		})
		if err != nil {
			t.Fatal(err)
		}
		apps = append(apps, app)
	}
	// Signed in earlier: the token is in Redis.
	first := &auth.Token{AccessToken: "at-0", RefreshToken: "rt-0", TokenType: "Bearer", Expiry: clock.Now().Add(time.Hour), Username: user}
	if _, err := apps[0].NewSession(ctx, first); err != nil {
		t.Fatal(err)
	}
	var ss []*auth.Session
	for i := range sessions {
		s := apps[i%2].Session(user)
		if at, err := s.AccessToken(ctx, false); err != nil || at != "at-0" {
			t.Fatalf("first use: %q, %v", at, err)
		}
		ss = append(ss, s)
	}

	clock.Add(2 * time.Hour) // expired for everyone
	go func() {
		for entered.Load() < sessions {
			time.Sleep(time.Millisecond)
		}
		close(allWaiting)
	}()
	got := make([]string, sessions)
	errs := make([]error, sessions)
	var wg sync.WaitGroup
	for i, s := range ss {
		wg.Go(func() { got[i], errs[i] = s.AccessToken(ctx, false) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("session %d: %v", i, err) // invalid_grant: a spent refresh token was used
		}
	}
	if n := idp.refreshes.Load(); n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	for i, at := range got {
		if at != "at-1" {
			t.Errorf("session %d uses %q, want the one refreshed token", i, at)
		}
	}
	stored, err := apps[1].Session(user).Stored(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stored.RefreshToken != "rt-1" {
		t.Error("the newest refresh token was not saved")
	}
}
