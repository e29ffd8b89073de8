package auth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// DefaultTokenFile is the file name FileStore uses under the user config directory.
const DefaultTokenFile = "tokens.json"

// lockRetry is how often a waiting FileStore retries a held file lock.
const lockRetry = 10 * time.Millisecond

// FileStore keeps all tokens in one JSON file, readable by its owner only (0600, directory
// 0700). Every Save reads the file, changes one entry and atomically replaces the file (temp
// file, fsync, rename in the same directory) under an exclusive file lock, so two processes
// sharing the file never lose each other's accounts and a crash never leaves a partial file.
// It implements RefreshLocker with a second lock file, so two processes never refresh the same
// identity at once. The lock files sit beside the token file.
type FileStore struct {
	path string

	mu sync.Mutex
	// writeFile writes the new content to the temp file; tests replace it to inject failures.
	writeFile func(f *os.File, b []byte) error
}

// DefaultTokenPath returns os.UserConfigDir()/o365/tokens.json.
func DefaultTokenPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("auth: no user config directory for the token file: %w", err)
	}
	return filepath.Join(dir, "o365", DefaultTokenFile), nil
}

// NewFileStore returns a store backed by path; "" means DefaultTokenPath. The directory is
// created (0700) on the first Save; nothing is read until the first call.
func NewFileStore(path string) (*FileStore, error) {
	if path == "" {
		p, err := DefaultTokenPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("auth: token file path: %w", err)
	}
	return &FileStore{path: abs}, nil
}

// Path returns the token file's absolute path.
func (s *FileStore) Path() string { return s.path }

// lock takes the data lock; a new Flock per call, because a Flock value is not a mutex between
// goroutines (a second Lock on the same value returns at once).
func (s *FileStore) lock(ctx context.Context, path string, shared bool) (*flock.Flock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("auth: token store: %w", err)
	}
	fl := flock.New(path, flock.SetPermissions(0o600))
	var ok bool
	var err error
	if shared {
		ok, err = fl.TryRLockContext(ctx, lockRetry)
	} else {
		ok, err = fl.TryLockContext(ctx, lockRetry)
	}
	if err != nil || !ok {
		_ = fl.Close()
		if err == nil {
			err = errors.New("not acquired")
		}
		return nil, fmt.Errorf("auth: token store lock %s: %w", filepath.Base(path), err)
	}
	return fl, nil
}

func (s *FileStore) read() (*document, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return &document{Version: documentVersion}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: token store: %w", err)
	}
	d, err := decodeDocument(b)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, s.path)
	}
	return d, nil
}

// Load implements TokenStore.
func (s *FileStore) Load(ctx context.Context, key Key) (*Token, error) {
	fl, err := s.lock(ctx, s.path+".lock", true)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	d, err := s.read()
	if err != nil {
		return nil, err
	}
	if t, ok := d.get(key); ok {
		return t, nil
	}
	return nil, noToken(key)
}

// update runs fn on the current document under the exclusive lock and writes the result when fn
// reports a change.
func (s *FileStore) update(ctx context.Context, fn func(d *document) bool) error {
	fl, err := s.lock(ctx, s.path+".lock", false)
	if err != nil {
		return err
	}
	defer fl.Close()
	d, err := s.read()
	if err != nil {
		return err
	}
	if !fn(d) {
		return nil
	}
	b, err := d.encode()
	if err != nil {
		return fmt.Errorf("auth: token store: %w", err)
	}
	return s.replace(b)
}

// replace writes b to a temp file in the same directory, syncs it and renames it over the
// token file, so readers see the old or the new content, never a mix.
func (s *FileStore) replace(b []byte) (err error) {
	dir := filepath.Dir(s.path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(s.path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("auth: token store: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("auth: token store: %w", err)
	}
	s.mu.Lock()
	write := s.writeFile
	s.mu.Unlock()
	if write == nil {
		write = func(f *os.File, b []byte) error { _, err := f.Write(b); return err }
	}
	if err = write(f, b); err != nil {
		return fmt.Errorf("auth: token store write: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("auth: token store sync: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("auth: token store: %w", err)
	}
	if err = os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("auth: token store: %w", err)
	}
	// Make the rename durable; not possible on every OS, so errors are ignored.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Save implements TokenStore.
func (s *FileStore) Save(ctx context.Context, key Key, tok *Token) error {
	if tok == nil {
		return fmt.Errorf("auth: Save of a nil token for %s", key)
	}
	return s.update(ctx, func(d *document) bool { d.put(key, tok); return true })
}

// Delete implements TokenStore.
func (s *FileStore) Delete(ctx context.Context, key Key) error {
	if _, err := os.Stat(s.path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return s.update(ctx, func(d *document) bool { return d.delete(key) })
}

// Accounts implements TokenStore.
func (s *FileStore) Accounts(ctx context.Context, tenant, clientID string) ([]string, error) {
	fl, err := s.lock(ctx, s.path+".lock", true)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	d, err := s.read()
	if err != nil {
		return nil, err
	}
	return d.accounts(tenant, clientID), nil
}

// LockRefresh implements RefreshLocker with an exclusive lock on "<file>.refresh.lock". It is
// separate from the data lock so the holder can still Load and Save.
func (s *FileStore) LockRefresh(ctx context.Context, key Key) (func() error, error) {
	fl, err := s.lock(ctx, s.path+".refresh.lock", false)
	if err != nil {
		return nil, err
	}
	var once sync.Once
	return func() error {
		var err error
		once.Do(func() { err = fl.Close() })
		return err
	}, nil
}
