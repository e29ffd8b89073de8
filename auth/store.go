package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// TokenStore keeps tokens, keyed by tenant, client and account, so one store can hold several
// signed-in users (and an app-only token) at once. Implementations must be safe for concurrent
// use and must copy tokens on Load and Save.
type TokenStore interface {
	// Load returns the token for key, or an error wrapping ErrNoToken.
	Load(ctx context.Context, key Key) (*Token, error)
	// Save stores tok under key, replacing any previous token for it.
	Save(ctx context.Context, key Key, tok *Token) error
	// Delete removes the token for key; deleting a missing key is not an error.
	Delete(ctx context.Context, key Key) error
	// Accounts lists the user accounts (non-empty Key.Account) stored for tenant and client.
	Accounts(ctx context.Context, tenant, clientID string) ([]string, error)
}

// RefreshLocker is implemented by stores shared by several processes (python-o365's
// should_refresh_token hook). Before refreshing, a Session takes the lock for its key, loads the
// token again and refreshes only if it is still stale, so one process refreshes and the others
// pick up its result. unlock must be called once.
type RefreshLocker interface {
	LockRefresh(ctx context.Context, key Key) (unlock func() error, err error)
}

// document is the serialised form shared by FileStore and EnvStore.
type document struct {
	Version int     `json:"version"`
	Entries []entry `json:"entries"`
}

type entry struct {
	Key
	Token *Token `json:"token"`
}

const documentVersion = 1

func decodeDocument(b []byte) (*document, error) {
	d := &document{Version: documentVersion}
	if len(strings.TrimSpace(string(b))) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(b, d); err != nil {
		// Do not echo the content: it holds tokens.
		return nil, fmt.Errorf("auth: token store is not valid JSON (%T)", err)
	}
	if d.Version > documentVersion {
		return nil, fmt.Errorf("auth: token store version %d is newer than this library understands (%d)", d.Version, documentVersion)
	}
	d.Version = documentVersion
	return d, nil
}

func (d *document) encode() ([]byte, error) {
	return json.MarshalIndent(d, "", "  ")
}

func (d *document) get(k Key) (*Token, bool) {
	for _, e := range d.Entries {
		if e.Key.matches(k) && e.Token != nil {
			return e.Token.Clone(), true
		}
	}
	return nil, false
}

func (d *document) put(k Key, t *Token) {
	for i, e := range d.Entries {
		if e.Key.matches(k) {
			d.Entries[i] = entry{Key: k, Token: t.Clone()}
			return
		}
	}
	d.Entries = append(d.Entries, entry{Key: k, Token: t.Clone()})
}

func (d *document) delete(k Key) bool {
	n := len(d.Entries)
	d.Entries = slices.DeleteFunc(d.Entries, func(e entry) bool { return e.Key.matches(k) })
	return len(d.Entries) != n
}

func (d *document) accounts(tenant, clientID string) []string {
	var out []string
	for _, e := range d.Entries {
		if e.Account != "" && strings.EqualFold(e.Tenant, tenant) && strings.EqualFold(e.ClientID, clientID) {
			out = append(out, e.Account)
		}
	}
	slices.Sort(out)
	return out
}

func noToken(k Key) error {
	return fmt.Errorf("%w for %s", ErrNoToken, k)
}

// MemoryStore keeps tokens in memory only (tests, short-lived programs).
// The zero value is ready to use.
type MemoryStore struct {
	mu    sync.Mutex
	doc   document
	locks keyLocks
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Load implements TokenStore.
func (m *MemoryStore) Load(ctx context.Context, key Key) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.doc.get(key); ok {
		return t, nil
	}
	return nil, noToken(key)
}

// Save implements TokenStore.
func (m *MemoryStore) Save(ctx context.Context, key Key, tok *Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if tok == nil {
		return fmt.Errorf("auth: Save of a nil token for %s", key)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.doc.put(key, tok)
	return nil
}

// Delete implements TokenStore.
func (m *MemoryStore) Delete(ctx context.Context, key Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.doc.delete(key)
	return nil
}

// Accounts implements TokenStore.
func (m *MemoryStore) Accounts(ctx context.Context, tenant, clientID string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.doc.accounts(tenant, clientID), nil
}

// LockRefresh implements RefreshLocker, so several Sessions for one key in this process (two
// Accounts sharing the store) refresh once.
func (m *MemoryStore) LockRefresh(ctx context.Context, key Key) (func() error, error) {
	return m.locks.lock(ctx, key)
}

// keyLocks is a set of per-key mutexes that can be waited for with a context.
type keyLocks struct {
	mu   sync.Mutex
	held map[string]chan struct{}
}

func (l *keyLocks) lock(ctx context.Context, key Key) (func() error, error) {
	name := strings.ToLower(key.String())
	for {
		l.mu.Lock()
		if l.held == nil {
			l.held = make(map[string]chan struct{})
		}
		ch, busy := l.held[name]
		if !busy {
			done := make(chan struct{})
			l.held[name] = done
			l.mu.Unlock()
			var once sync.Once
			return func() error {
				once.Do(func() {
					l.mu.Lock()
					delete(l.held, name)
					l.mu.Unlock()
					close(done)
				})
				return nil
			}, nil
		}
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
