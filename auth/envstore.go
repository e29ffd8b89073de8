package auth

import (
	"context"
	"fmt"
	"os"
	"sync"
)

// DefaultTokenEnv is the environment variable EnvStore uses by default.
const DefaultTokenEnv = "O365_TOKEN"

// EnvStore reads tokens from an environment variable holding the same JSON document as a
// FileStore (for CI jobs and containers that receive the token as a secret). Save updates the
// variable in this process only.
type EnvStore struct {
	name  string
	mu    sync.Mutex
	locks keyLocks
}

// NewEnvStore returns a store on the variable name ("" means DefaultTokenEnv).
func NewEnvStore(name string) *EnvStore {
	if name == "" {
		name = DefaultTokenEnv
	}
	return &EnvStore{name: name}
}

// Name returns the environment variable's name.
func (s *EnvStore) Name() string { return s.name }

func (s *EnvStore) read() (*document, error) {
	return decodeDocument([]byte(os.Getenv(s.name)))
}

func (s *EnvStore) write(d *document) error {
	b, err := d.encode()
	if err != nil {
		return err
	}
	return os.Setenv(s.name, string(b))
}

// Load implements TokenStore.
func (s *EnvStore) Load(ctx context.Context, key Key) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.read()
	if err != nil {
		return nil, err
	}
	if t, ok := d.get(key); ok {
		return t, nil
	}
	return nil, noToken(key)
}

// Save implements TokenStore.
func (s *EnvStore) Save(ctx context.Context, key Key, tok *Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if tok == nil {
		return fmt.Errorf("auth: Save of a nil token for %s", key)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.read()
	if err != nil {
		return err
	}
	d.put(key, tok)
	return s.write(d)
}

// Delete implements TokenStore.
func (s *EnvStore) Delete(ctx context.Context, key Key) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.read()
	if err != nil {
		return err
	}
	if d.delete(key) {
		return s.write(d)
	}
	return nil
}

// Accounts implements TokenStore.
func (s *EnvStore) Accounts(ctx context.Context, tenant, clientID string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.read()
	if err != nil {
		return nil, err
	}
	return d.accounts(tenant, clientID), nil
}

// LockRefresh implements RefreshLocker within this process (the variable is per process).
func (s *EnvStore) LockRefresh(ctx context.Context, key Key) (func() error, error) {
	return s.locks.lock(ctx, key)
}
