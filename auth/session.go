package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// refreshTimeout bounds a refresh that outlives the callers waiting for it.
const refreshTimeout = 2 * time.Minute

// Session is one signed-in identity (a user, or the app itself for app-only tokens) of an App.
// It hands out access tokens, refreshing them proactively (RefreshSkew before expiry) and saving
// every new token, with its newest refresh token, to the store. However many goroutines ask at
// once, one refresh runs; when the store implements RefreshLocker, one process refreshes and the
// others reuse its token. It implements graph.TokenSource and is safe for concurrent use.
type Session struct {
	app *App
	key Key

	mu  sync.Mutex
	tok *Token // last token seen; nil until loaded

	sf singleflight.Group
}

// Session returns the Session of account ("" for the app-only identity). It does no I/O: the
// token is loaded on first use.
func (a *App) Session(account string) *Session {
	return &Session{app: a, key: a.Key(account)}
}

// NewSession saves tok (from a sign-in flow) under the account it names and returns its Session.
func (a *App) NewSession(ctx context.Context, tok *Token) (*Session, error) {
	if tok == nil || tok.AccessToken == "" {
		return nil, errors.New("auth: NewSession needs a token")
	}
	s := a.Session(tok.Username)
	if err := a.cfg.Store.Save(ctx, s.key, tok); err != nil {
		return nil, err
	}
	s.tok = tok.Clone()
	return s, nil
}

// Key returns the store key of the session.
func (s *Session) Key() Key { return s.key }

// Account returns the username ("" for app-only).
func (s *Session) Account() string { return s.key.Account }

// App returns the app the session belongs to.
func (s *Session) App() *App { return s.app }

func (s *Session) cached() *Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

func (s *Session) set(t *Token) {
	s.mu.Lock()
	s.tok = t
	s.mu.Unlock()
}

// Stored returns the stored token without refreshing it (ErrNoToken when there is none).
func (s *Session) Stored(ctx context.Context) (*Token, error) {
	t, err := s.app.cfg.Store.Load(ctx, s.key)
	if err != nil {
		return nil, err
	}
	s.set(t)
	return t.Clone(), nil
}

// Authenticated reports whether the session can produce an access token without the user: it
// has a refresh token or an unexpired access token (the app-only identity of a confidential app
// can always get one).
func (s *Session) Authenticated(ctx context.Context) bool {
	t := s.cached()
	if t == nil {
		var err error
		if t, err = s.Stored(ctx); err != nil {
			return s.key.Account == "" && s.app.Confidential() && s.app.requireTenant("") == nil
		}
	}
	return t.RefreshToken != "" || t.Valid(s.app.cfg.Now(), 0) ||
		(s.key.Account == "" && s.app.Confidential())
}

// AccessToken returns a valid access token, refreshing it first when it expires within the
// refresh skew or when force is set (the service rejected the last one).
func (s *Session) AccessToken(ctx context.Context, force bool) (string, error) {
	t, err := s.token(ctx, force)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// Token is AccessToken returning the whole token (a copy).
func (s *Session) Token(ctx context.Context) (*Token, error) {
	t, err := s.token(ctx, false)
	if err != nil {
		return nil, err
	}
	return t.Clone(), nil
}

// Refresh forces a refresh and returns the new token.
func (s *Session) Refresh(ctx context.Context) (*Token, error) {
	t, err := s.token(ctx, true)
	if err != nil {
		return nil, err
	}
	return t.Clone(), nil
}

// Delete removes the session's token from the store (sign out).
func (s *Session) Delete(ctx context.Context) error {
	s.set(nil)
	return s.app.cfg.Store.Delete(ctx, s.key)
}

func (s *Session) token(ctx context.Context, force bool) (*Token, error) {
	t := s.cached()
	if t == nil {
		loaded, err := s.app.cfg.Store.Load(ctx, s.key)
		switch {
		case err == nil:
			t = loaded
			s.set(t)
		case errors.Is(err, ErrNoToken) && s.canAcquire():
			// app-only: nothing stored yet, fetch one below
		case errors.Is(err, ErrNoToken):
			return nil, fmt.Errorf("%w: %w; sign in first", ErrLoginRequired, err)
		default:
			return nil, err
		}
	}
	if !force && t.Valid(s.app.cfg.Now(), s.app.cfg.RefreshSkew) {
		return t, nil
	}
	var seen string
	if t != nil {
		seen = t.AccessToken
	}
	// One refresh for all callers; it runs detached from any one caller's ctx so that a caller
	// giving up does not fail the others.
	ch := s.sf.DoChan("refresh", func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		return s.refresh(rctx, seen)
	})
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			// A proactive refresh failed but the token has not expired yet: keep using it.
			if !force && t.Valid(s.app.cfg.Now(), 0) {
				s.app.cfg.Logger.WarnContext(ctx, "auth: proactive refresh failed; using the current token until it expires", "key", s.key.String(), "err", r.Err)
				return t, nil
			}
			return nil, r.Err
		}
		return r.Val.(*Token), nil
	}
}

// canAcquire: the identity can get a token without a user (app-only of a confidential app).
func (s *Session) canAcquire() bool {
	return s.key.Account == "" && s.app.Confidential()
}

// refresh runs once per burst. seen is the access token the caller judged stale or rejected:
// a different, valid token (from another goroutine or process) is used instead of refreshing.
func (s *Session) refresh(ctx context.Context, seen string) (*Token, error) {
	store := s.app.cfg.Store
	now := s.app.cfg.Now()
	// Another goroutine of this process may have refreshed between the caller's check and now.
	if t := s.cached(); t != nil && t.AccessToken != seen && t.Valid(now, s.app.cfg.RefreshSkew) {
		return t, nil
	}
	if l, ok := store.(RefreshLocker); ok {
		unlock, err := l.LockRefresh(ctx, s.key)
		if err != nil {
			return nil, err
		}
		defer func() {
			if err := unlock(); err != nil {
				s.app.cfg.Logger.WarnContext(ctx, "auth: releasing the refresh lock", "err", err)
			}
		}()
	}
	// Re-load: another process (or Session) may have refreshed, and its refresh token is the
	// newest one.
	base, err := store.Load(ctx, s.key)
	switch {
	case err == nil:
		if base.AccessToken != seen && base.Valid(s.app.cfg.Now(), s.app.cfg.RefreshSkew) {
			s.set(base)
			return base, nil
		}
	case errors.Is(err, ErrNoToken) && s.canAcquire():
		base = nil
	case errors.Is(err, ErrNoToken):
		s.set(nil)
		return nil, fmt.Errorf("%w: %w (signed out?)", ErrLoginRequired, err)
	default:
		return nil, err
	}

	var nt *Token
	switch {
	case base != nil && base.RefreshToken != "":
		nt, err = s.app.Refresh(ctx, base)
	case s.canAcquire():
		var scopes []string
		if base != nil {
			scopes = base.Scopes
		}
		nt, err = s.app.ClientCredentials(ctx, scopes...)
	default:
		return nil, fmt.Errorf("%w: the access token expired and there is no refresh token", ErrLoginRequired)
	}
	if err != nil {
		return nil, err
	}
	if base != nil && nt.Username == "" {
		nt.Username = base.Username
	}
	if err := store.Save(ctx, s.key, nt); err != nil {
		// The new token still works; the stored refresh token is older but not revoked by the
		// identity platform, so the next process can still refresh with it.
		s.app.cfg.Logger.WarnContext(ctx, "auth: saving the refreshed token failed", "key", s.key.String(), "err", err)
	}
	s.set(nt)
	s.app.cfg.Logger.DebugContext(ctx, "auth: token refreshed", "key", s.key.String(), "token", nt)
	return nt, nil
}
