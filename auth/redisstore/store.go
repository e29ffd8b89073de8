package redisstore

import (
	"context"
	crand "crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/o365go/o365/auth"
)

// Defaults of the options.
const (
	DefaultPrefix      = "o365:token:"
	DefaultLockTimeout = 30 * time.Second
	DefaultLockPoll    = 100 * time.Millisecond
	// DefaultRefreshTokenLifetime is the Microsoft identity platform's refresh token lifetime
	// (90 days, renewed with every refresh); single-page apps get 24 hours instead.
	DefaultRefreshTokenLifetime = 90 * 24 * time.Hour
)

// firstPoll is the first wait for a held lock; waits double up to the poll maximum.
const firstPoll = 5 * time.Millisecond

// unlockTimeout bounds the release of a lock, which runs even when the caller's ctx is done.
const unlockTimeout = 5 * time.Second

// ErrLockLost is returned by an unlock function when the lock had expired (the holder kept it
// longer than the lock timeout) and another holder may have refreshed meanwhile.
var ErrLockLost = errors.New("redisstore: refresh lock expired before it was released")

// Store is an auth.TokenStore and auth.RefreshLocker backed by Redis. It is safe for concurrent
// use; several Stores (in one or many processes) with the same prefix on the same Redis share
// their tokens and their refresh locks.
type Store struct {
	c           redis.UniversalClient
	prefix      string
	ttl         TTLPolicy
	lockTimeout time.Duration
	lockPoll    time.Duration
	now         func() time.Time
}

// Option configures a Store.
type Option func(*Store)

// TTLPolicy returns how long Redis keeps tok, saved at now; zero or less keeps it until it is
// replaced or deleted.
type TTLPolicy func(now time.Time, tok *auth.Token) time.Duration

// WithPrefix sets the prefix of every key (default DefaultPrefix), to keep several apps or
// environments apart on one Redis.
func WithPrefix(prefix string) Option { return func(s *Store) { s.prefix = prefix } }

// WithTTL sets the expiry policy of saved tokens (default none: tokens stay until deleted).
func WithTTL(p TTLPolicy) Option { return func(s *Store) { s.ttl = p } }

// WithLockTimeout sets how long a refresh lock is held at most (default DefaultLockTimeout).
// It should exceed the longest refresh (the App's HTTP timeout): a holder slower than this
// loses the lock and another process may refresh too. It is also how long a process that
// crashed while refreshing blocks the others. Values of zero or less keep the default.
func WithLockTimeout(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.lockTimeout = d
		}
	}
}

// WithLockPoll sets the longest wait between two attempts to take a held refresh lock (default
// DefaultLockPoll); waits start at 5 ms and double up to it, with jitter. Values of zero or
// less keep the default.
func WithLockPoll(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.lockPoll = d
		}
	}
}

// WithClock sets the clock passed to the TTL policy (default time.Now); use the same clock as
// auth.Config.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Store) {
		if now != nil {
			s.now = now
		}
	}
}

// FixedTTL keeps every token for d after its last save.
func FixedTTL(d time.Duration) TTLPolicy {
	return func(time.Time, *auth.Token) time.Duration { return d }
}

// KeepUntilRefreshExpiry keeps a token as long as it can still be used: a token with a refresh
// token for lifetime after it was saved (each refresh saves a new one, so an identity in use
// never expires), one without (app-only) until its access token expires. lifetime zero or less
// means DefaultRefreshTokenLifetime.
func KeepUntilRefreshExpiry(lifetime time.Duration) TTLPolicy {
	if lifetime <= 0 {
		lifetime = DefaultRefreshTokenLifetime
	}
	return func(now time.Time, tok *auth.Token) time.Duration {
		switch {
		case tok.RefreshToken != "":
			return lifetime
		case tok.Expiry.IsZero():
			return 0
		}
		// Already expired: keep it briefly rather than forever.
		return max(tok.Expiry.Sub(now), time.Second)
	}
}

// New returns a Store using client, which the caller keeps owning (and closes). New does no
// I/O.
func New(client redis.UniversalClient, opts ...Option) *Store {
	s := &Store{
		c:           client,
		prefix:      DefaultPrefix,
		lockTimeout: DefaultLockTimeout,
		lockPoll:    DefaultLockPoll,
		now:         time.Now,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

var (
	_ auth.TokenStore    = (*Store)(nil)
	_ auth.RefreshLocker = (*Store)(nil)
)

// part normalises one key component: lower case (keys compare case-insensitively), and
// query-escaped so that ":", "{" and "}" in a name cannot forge another key or hash tag.
func part(s string) string { return url.QueryEscape(strings.ToLower(s)) }

// app is the key prefix of one tenant and client, with the Redis Cluster hash tag.
func (s *Store) app(tenant, clientID string) string {
	return s.prefix + "{" + part(tenant) + ":" + part(clientID) + "}:"
}

// tokenKey holds the token of k as JSON.
func (s *Store) tokenKey(k auth.Key) string {
	return s.app(k.Tenant, k.ClientID) + "tok:" + part(k.Account)
}

// indexKey is the hash of the accounts of tenant and client: part(account) → account.
func (s *Store) indexKey(tenant, clientID string) string {
	return s.app(tenant, clientID) + "accounts"
}

// lockKey is the refresh lock of k.
func (s *Store) lockKey(k auth.Key) string {
	return s.app(k.Tenant, k.ClientID) + "lock:" + part(k.Account)
}

// Load implements auth.TokenStore; a missing (or expired) token is an error wrapping
// auth.ErrNoToken.
func (s *Store) Load(ctx context.Context, key auth.Key) (*auth.Token, error) {
	b, err := s.c.Get(ctx, s.tokenKey(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("%w for %s", auth.ErrNoToken, key)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: load %s: %w", key, err)
	}
	var t auth.Token
	if err := json.Unmarshal(b, &t); err != nil {
		// Only the error's type: its text could quote the stored secrets.
		return nil, fmt.Errorf("redisstore: the token stored for %s is not valid JSON (%T)", key, err)
	}
	return &t, nil
}

// Save implements auth.TokenStore. The token and the accounts index change in one MULTI/EXEC.
func (s *Store) Save(ctx context.Context, key auth.Key, tok *auth.Token) error {
	if tok == nil {
		return fmt.Errorf("redisstore: Save of a nil token for %s", key)
	}
	b, err := json.Marshal(tok)
	if err != nil {
		return fmt.Errorf("redisstore: encoding the token for %s (%T)", key, err)
	}
	var ttl time.Duration
	if s.ttl != nil {
		if ttl = s.ttl(s.now(), tok); ttl > 0 {
			// PX counts whole milliseconds; 0 ms would be rejected.
			ttl = max(ttl.Round(time.Millisecond), time.Millisecond)
		} else {
			ttl = 0
		}
	}
	_, err = s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.tokenKey(key), b, ttl)
		if key.Account != "" {
			p.HSet(ctx, s.indexKey(key.Tenant, key.ClientID), part(key.Account), key.Account)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: save %s: %w", key, err)
	}
	return nil
}

// Delete implements auth.TokenStore; deleting a missing key is not an error.
func (s *Store) Delete(ctx context.Context, key auth.Key) error {
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, s.tokenKey(key))
		if key.Account != "" {
			p.HDel(ctx, s.indexKey(key.Tenant, key.ClientID), part(key.Account))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: delete %s: %w", key, err)
	}
	return nil
}

// accountsScript returns the accounts of the index whose token still exists and drops the
// others (expired by a TTL policy, or deleted behind the store's back), atomically so that a
// concurrent Save is never undone. The token keys it reads share the index's hash tag.
var accountsScript = redis.NewScript(`
local out = {}
local kv = redis.call('HGETALL', KEYS[1])
for i = 1, #kv, 2 do
  if redis.call('EXISTS', ARGV[1] .. kv[i]) == 1 then
    out[#out + 1] = kv[i + 1]
  else
    redis.call('HDEL', KEYS[1], kv[i])
  end
end
return out
`)

// Accounts implements auth.TokenStore: the user accounts (not the app-only identity) with a
// token for tenant and client, sorted, as they were spelled when last saved.
func (s *Store) Accounts(ctx context.Context, tenant, clientID string) ([]string, error) {
	out, err := accountsScript.Run(ctx, s.c, []string{s.indexKey(tenant, clientID)}, s.app(tenant, clientID)+"tok:").StringSlice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redisstore: accounts of %s/%s: %w", tenant, clientID, err)
	}
	slices.Sort(out)
	return out, nil
}

// unlockScript deletes the lock only if it still holds this holder's value.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// LockRefresh implements auth.RefreshLocker: it waits until it holds the refresh lock of key
// (or ctx is done) and returns the function that releases it. The lock expires after the lock
// timeout even if never released. Releasing a lock that expired returns ErrLockLost and leaves
// any new holder's lock alone.
func (s *Store) LockRefresh(ctx context.Context, key auth.Key) (func() error, error) {
	lk := s.lockKey(key)
	val := crand.Text() // 128 random bits: this holder's proof of ownership
	wait := min(firstPoll, s.lockPoll)
	var timer *time.Timer
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("redisstore: waiting for the refresh lock of %s: %w", key, err)
		}
		ok, err := s.c.SetNX(ctx, lk, val, s.lockTimeout).Result()
		if err != nil {
			// The SET may have succeeded with its reply lost: release it if so.
			_, _ = s.release(ctx, lk, val)
			return nil, fmt.Errorf("redisstore: refresh lock of %s: %w", key, err)
		}
		if ok {
			return s.unlocker(ctx, key, lk, val), nil
		}
		// Full jitter in [wait/2, wait) so that waiters do not retry in lockstep.
		d := wait/2 + rand.N(wait/2+1)
		if timer == nil {
			timer = time.NewTimer(d)
			defer timer.Stop()
		} else {
			timer.Reset(d)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("redisstore: waiting for the refresh lock of %s: %w", key, ctx.Err())
		case <-timer.C:
		}
		wait = min(2*wait, s.lockPoll)
	}
}

// release runs the compare-and-delete script; it reports whether this holder's lock was
// deleted. It runs even when ctx is done, bounded by unlockTimeout.
func (s *Store) release(ctx context.Context, lk, val string) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), unlockTimeout)
	defer cancel()
	n, err := unlockScript.Run(ctx, s.c, []string{lk}, val).Int()
	return n == 1, err
}

func (s *Store) unlocker(ctx context.Context, key auth.Key, lk, val string) func() error {
	var once sync.Once
	var err error
	return func() error {
		once.Do(func() {
			released, rerr := s.release(ctx, lk, val)
			switch {
			case rerr != nil:
				err = fmt.Errorf("redisstore: releasing the refresh lock of %s: %w", key, rerr)
			case !released:
				err = fmt.Errorf("%w (%s)", ErrLockLost, key)
			}
		})
		return err
	}
}
