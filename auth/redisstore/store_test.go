package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/o365go/o365/auth"
)

const (
	tenant   = "contoso.onmicrosoft.com"
	clientID = "11111111-2222-3333-4444-555555555555"
)

func key(account string) auth.Key {
	return auth.Key{Tenant: tenant, ClientID: clientID, Account: account}
}

func token(n string) *auth.Token {
	return &auth.Token{
		AccessToken:   "at-SECRET-" + n,
		RefreshToken:  "rt-SECRET-" + n,
		IDToken:       "id-SECRET-" + n,
		TokenType:     "Bearer",
		Expiry:        time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Scopes:        []string{"https://graph.microsoft.com/Mail.Read", "offline_access"},
		Username:      n,
		HomeAccountID: "oid." + n,
	}
}

func TestLoadMissing(t *testing.T) {
	s := newStore(t)
	_, err := s.Load(context.Background(), key("adele@contoso.com"))
	if !errors.Is(err, auth.ErrNoToken) {
		t.Fatalf("Load of a missing key: %v, want ErrNoToken", err)
	}
}

func TestSaveLoadDelete(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tests := []struct {
		name    string
		save    auth.Key
		load    auth.Key
		account string // in Accounts, "" for none
	}{
		{"user", key("adele@contoso.com"), key("adele@contoso.com"), "adele@contoso.com"},
		{"case-insensitive", key("Megan@Contoso.com"), auth.Key{Tenant: strings.ToUpper(tenant), ClientID: strings.ToUpper(clientID), Account: "megan@CONTOSO.COM"}, "Megan@Contoso.com"},
		{"app-only", key(""), key(""), ""},
		{"odd characters", key("a:b}{c d%2F@x"), key("A:B}{C D%2f@X"), "a:b}{c d%2F@x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := token(tt.name)
			if err := s.Save(ctx, tt.save, want); err != nil {
				t.Fatal(err)
			}
			got, err := s.Load(ctx, tt.load)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Load (-saved +loaded):\n%s", diff)
			}
			accts, err := s.Accounts(ctx, tt.load.Tenant, tt.load.ClientID)
			if err != nil {
				t.Fatal(err)
			}
			if found := containsExact(accts, tt.account); found != (tt.account != "") {
				t.Errorf("Accounts = %q, want %q listed: %v", accts, tt.account, tt.account != "")
			}

			// Replace, then delete (twice: a missing key is not an error).
			newer := token(tt.name + "-2")
			if err := s.Save(ctx, tt.load, newer); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Load(ctx, tt.save); got == nil || got.AccessToken != newer.AccessToken {
				t.Errorf("Save did not replace the token")
			}
			for range 2 {
				if err := s.Delete(ctx, tt.load); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Load(ctx, tt.save); !errors.Is(err, auth.ErrNoToken) {
				t.Errorf("Load after Delete: %v", err)
			}
			accts, _ = s.Accounts(ctx, tt.save.Tenant, tt.save.ClientID)
			if tt.account != "" && containsFold(accts, tt.account) {
				t.Errorf("Accounts after Delete = %q", accts)
			}
		})
	}
}

func containsExact(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func TestAccounts(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	saves := []auth.Key{
		key("megan@contoso.com"),
		key("Adele@contoso.com"),
		key("adele@contoso.com"), // same account: listed once, as last saved
		key(""),                  // app-only: not an account
		{Tenant: tenant, ClientID: "other-client", Account: "other@contoso.com"},
		{Tenant: "fabrikam.com", ClientID: clientID, Account: "other@fabrikam.com"},
		// Key parts are escaped: this tenant and client must not collide with tenant/client.
		{Tenant: tenant + ":" + clientID, ClientID: "", Account: "collide@contoso.com"},
	}
	for i, k := range saves {
		if err := s.Save(ctx, k, token(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Accounts(ctx, strings.ToUpper(tenant), clientID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"adele@contoso.com", "megan@contoso.com"}, got); diff != "" {
		t.Errorf("Accounts (-want +got):\n%s", diff)
	}
	if got, _ := s.Accounts(ctx, "nobody", clientID); len(got) != 0 {
		t.Errorf("Accounts of an unknown tenant = %q", got)
	}

	// Another prefix is another store.
	other := New(s.c, WithPrefix(testPrefix(t)+"other:"))
	if got, _ := other.Accounts(ctx, tenant, clientID); len(got) != 0 {
		t.Errorf("Accounts under another prefix = %q", got)
	}
	if _, err := other.Load(ctx, key("megan@contoso.com")); !errors.Is(err, auth.ErrNoToken) {
		t.Errorf("Load under another prefix: %v", err)
	}
}

// A token that expired in Redis (or was removed behind the store's back) leaves the index.
func TestAccountsPrunesExpired(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, a := range []string{"adele@contoso.com", "megan@contoso.com"} {
		if err := s.Save(ctx, key(a), token(a)); err != nil {
			t.Fatal(err)
		}
	}
	// Expire one token the way Redis would.
	if err := s.c.Del(ctx, s.tokenKey(key("megan@contoso.com"))).Err(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Accounts(ctx, tenant, clientID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"adele@contoso.com"}, got); diff != "" {
		t.Errorf("Accounts (-want +got):\n%s", diff)
	}
	if n, _ := s.c.HLen(ctx, s.indexKey(tenant, clientID)).Result(); n != 1 {
		t.Errorf("index has %d entries after pruning, want 1", n)
	}
}

func TestTTL(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	user := token("user")
	appOnly := &auth.Token{AccessToken: "at-SECRET", Expiry: now.Add(time.Hour)}
	tests := []struct {
		name string
		opts []Option
		tok  *auth.Token
		want time.Duration // -1: no expiry
	}{
		{"default none", nil, user, -1},
		{"fixed", []Option{WithTTL(FixedTTL(time.Hour))}, user, time.Hour},
		{"refresh lifetime default", []Option{WithTTL(KeepUntilRefreshExpiry(0)), WithClock(clock)}, user, DefaultRefreshTokenLifetime},
		{"refresh lifetime spa", []Option{WithTTL(KeepUntilRefreshExpiry(24 * time.Hour)), WithClock(clock)}, user, 24 * time.Hour},
		{"app-only until access expiry", []Option{WithTTL(KeepUntilRefreshExpiry(0)), WithClock(clock)}, appOnly, time.Hour},
		{"zero policy", []Option{WithTTL(FixedTTL(0))}, user, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, tt.opts...)
			k := key("adele@contoso.com")
			if err := s.Save(ctx, k, tt.tok); err != nil {
				t.Fatal(err)
			}
			got, err := s.c.PTTL(ctx, s.tokenKey(k)).Result()
			if err != nil {
				t.Fatal(err)
			}
			if tt.want < 0 {
				if got >= 0 {
					t.Errorf("PTTL = %v, want no expiry", got)
				}
				return
			}
			// Redis counts down from the moment of SET; allow for the test's own run time.
			if got > tt.want || got < tt.want-time.Minute {
				t.Errorf("PTTL = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestKeepUntilRefreshExpiry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := KeepUntilRefreshExpiry(48 * time.Hour)
	tests := []struct {
		name string
		tok  auth.Token
		want time.Duration
	}{
		{"refresh token", auth.Token{RefreshToken: "rt", Expiry: now.Add(time.Hour)}, 48 * time.Hour},
		{"app-only", auth.Token{AccessToken: "at", Expiry: now.Add(30 * time.Minute)}, 30 * time.Minute},
		{"app-only expired", auth.Token{AccessToken: "at", Expiry: now.Add(-time.Hour)}, time.Second},
		{"no expiry known", auth.Token{AccessToken: "at"}, 0},
	}
	for _, tt := range tests {
		if got := p(now, &tt.tok); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Loaded tokens are copies: changing one changes neither the store nor other loads.
func TestLoadReturnsCopies(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	k := key("adele@contoso.com")
	saved := token("a")
	if err := s.Save(ctx, k, saved); err != nil {
		t.Fatal(err)
	}
	saved.Scopes[0] = "changed after save"
	got, _ := s.Load(ctx, k)
	got.Scopes[0] = "changed after load"
	again, _ := s.Load(ctx, k)
	if diff := cmp.Diff(token("a"), again); diff != "" {
		t.Errorf("stored token changed (-want +got):\n%s", diff)
	}
}

// Many goroutines on several Stores (as several processes) save, load, list and delete at
// once; run with -race.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	stores := []*Store{newStore(t), newStore(t), newStore(t)}
	const workers, rounds = 12, 30
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		s := stores[w%len(stores)]
		wg.Go(func() {
			own := key(fmt.Sprintf("user%d@contoso.com", w))
			shared := key("shared@contoso.com")
			for r := range rounds {
				tok := token(fmt.Sprintf("%d-%d", w, r))
				for _, k := range []auth.Key{own, shared} {
					if err := s.Save(ctx, k, tok); err != nil {
						errs <- err
						return
					}
				}
				got, err := s.Load(ctx, own)
				if err != nil {
					errs <- err
					return
				}
				if got.AccessToken != tok.AccessToken {
					errs <- fmt.Errorf("worker %d round %d: loaded another worker's token", w, r)
				}
				// The shared key holds some worker's whole token, never a mix.
				if got, err := s.Load(ctx, shared); err != nil {
					errs <- err
				} else if strings.TrimPrefix(got.AccessToken, "at-SECRET-") != strings.TrimPrefix(got.RefreshToken, "rt-SECRET-") {
					errs <- fmt.Errorf("shared token is torn")
				}
				if _, err := s.Accounts(ctx, tenant, clientID); err != nil {
					errs <- err
				}
				if r%10 == 9 {
					if err := s.Delete(ctx, own); err != nil {
						errs <- err
					}
				}
			}
			if err := s.Save(ctx, own, token("final")); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := stores[0].Accounts(ctx, tenant, clientID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != workers+1 {
		t.Errorf("Accounts lists %d accounts, want %d: %q", len(got), workers+1, got)
	}
}

func TestSaveNil(t *testing.T) {
	s := newStore(t)
	if err := s.Save(context.Background(), key("a@b"), nil); err == nil {
		t.Error("Save(nil) succeeded")
	}
}

// No error of the store carries token contents.
func TestErrorsHaveNoSecrets(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	k := key("adele@contoso.com")
	// A damaged value.
	if err := s.c.Set(ctx, s.tokenKey(k), `{"access_token":"at-SECRET-x","refresh_token":12`, 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, loadErr := s.Load(ctx, k)
	if err := s.c.Set(ctx, s.tokenKey(k), `{"access_token":["at-SECRET-x"]}`, 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, typeErr := s.Load(ctx, k)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	saveErr := s.Save(cancelled, k, token("x"))

	closed := New(newClient(t), WithPrefix(s.prefix))
	closed.c.Close()
	closedErr := closed.Save(ctx, k, token("x"))
	_, closedLoadErr := closed.Load(ctx, k)

	for name, err := range map[string]error{"corrupt": loadErr, "wrong type": typeErr, "cancelled save": saveErr, "closed save": closedErr, "closed load": closedLoadErr} {
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: error shows token contents: %v", name, err)
		}
		if !strings.Contains(err.Error(), "adele@contoso.com") {
			t.Errorf("%s: error does not name the key: %v", name, err)
		}
	}
	if !errors.Is(saveErr, context.Canceled) {
		t.Errorf("cancelled save: %v, want context.Canceled", saveErr)
	}
}
