package redisstore

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Many holders (each Store on its own connection, as separate processes) take turns: at most
// one is ever inside, and an unguarded read-modify-write of a Redis counter loses no update.
func TestLockMutualExclusion(t *testing.T) {
	ctx := context.Background()
	const holders, rounds = 16, 5
	k := key("adele@contoso.com")
	counter := testPrefix(t) + "counter"
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, holders*rounds)
	for range holders {
		s := newStore(t, WithLockPoll(5*time.Millisecond))
		wg.Go(func() {
			for range rounds {
				unlock, err := s.LockRefresh(ctx, k)
				if err != nil {
					errs <- err
					return
				}
				n := inside.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				v, err := s.c.Get(ctx, counter).Int()
				if err != nil && !errors.Is(err, redis.Nil) {
					errs <- err
				}
				if err := s.c.Set(ctx, counter, strconv.Itoa(v+1), 0).Err(); err != nil {
					errs <- err
				}
				inside.Add(-1)
				if err := unlock(); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d holders inside at once", m)
	}
	c := newClient(t)
	if v, _ := c.Get(ctx, counter).Int(); v != holders*rounds {
		t.Errorf("counter = %d, want %d (lost updates)", v, holders*rounds)
	}
}

// A holder that crashed (never unlocks) blocks the others only until the lock expires.
func TestLockExpiresAfterCrash(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	k := key("adele@contoso.com")
	crashed := newStore(t, WithLockTimeout(100*time.Millisecond))
	if _, err := crashed.LockRefresh(ctx, k); err != nil {
		t.Fatal(err)
	}
	if ttl, _ := crashed.c.PTTL(ctx, crashed.lockKey(k)).Result(); ttl <= 0 || ttl > 100*time.Millisecond {
		t.Errorf("lock PTTL = %v, want within the 100ms lock timeout", ttl)
	}
	other := newStore(t, WithLockPoll(10*time.Millisecond))
	unlock, err := other.LockRefresh(ctx, k)
	if err != nil {
		t.Fatalf("lock of a crashed holder never expired: %v", err)
	}
	if err := unlock(); err != nil {
		t.Error(err)
	}
}

// A holder whose lock expired and was taken over must not release its successor's lock.
func TestUnlockAfterTakeover(t *testing.T) {
	ctx := context.Background()
	k := key("adele@contoso.com")
	a, b := newStore(t), newStore(t)
	unlockA, err := a.LockRefresh(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	// A's lease runs out (as after the lock timeout) and B takes the lock.
	if err := a.c.Del(ctx, a.lockKey(k)).Err(); err != nil {
		t.Fatal(err)
	}
	unlockB, err := b.LockRefresh(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if err := unlockA(); !errors.Is(err, ErrLockLost) {
		t.Errorf("unlock of an expired lock: %v, want ErrLockLost", err)
	}
	// B still holds it: a third holder cannot get it.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := newStore(t).LockRefresh(short, k); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock taken while B holds it: %v", err)
	}
	if err := unlockB(); err != nil {
		t.Errorf("unlock B: %v", err)
	}
	if err := unlockB(); err != nil {
		t.Errorf("second unlock: %v", err)
	}
	if n, _ := b.c.Exists(ctx, b.lockKey(k)).Result(); n != 0 {
		t.Error("lock key left after unlock")
	}
}

func TestLockContextCancelled(t *testing.T) {
	ctx := context.Background()
	k := key("adele@contoso.com")
	holder, waiter := newStore(t), newStore(t)
	unlock, err := holder.LockRefresh(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	t.Run("while waiting", func(t *testing.T) {
		wctx, cancel := context.WithCancel(ctx)
		go func() {
			time.Sleep(30 * time.Millisecond)
			cancel()
		}()
		if _, err := waiter.LockRefresh(wctx, k); !errors.Is(err, context.Canceled) {
			t.Errorf("LockRefresh: %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		defer cancel()
		if _, err := waiter.LockRefresh(wctx, k); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("LockRefresh: %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		wctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := waiter.LockRefresh(wctx, key("free@contoso.com")); !errors.Is(err, context.Canceled) {
			t.Errorf("LockRefresh: %v, want context.Canceled", err)
		}
		if n, _ := waiter.c.Exists(ctx, waiter.lockKey(key("free@contoso.com"))).Result(); n != 0 {
			t.Error("a cancelled LockRefresh left a lock")
		}
	})
	// The waiters gave up without disturbing the holder.
	if err := unlock(); err != nil {
		t.Errorf("holder's unlock: %v", err)
	}
}

// Locks are per key, and unlocking works after the locking context ended.
func TestLockPerKeyAndUnlockAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := newStore(t)
	unlockA, err := s.LockRefresh(ctx, key("adele@contoso.com"))
	if err != nil {
		t.Fatal(err)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelShort()
	unlockB, err := newStore(t).LockRefresh(short, key("megan@contoso.com"))
	if err != nil {
		t.Fatalf("another key's lock: %v", err)
	}
	cancel()
	for _, u := range []func() error{unlockA, unlockB} {
		if err := u(); err != nil {
			t.Error(err)
		}
	}
	if n, _ := s.c.Exists(context.Background(), s.lockKey(key("adele@contoso.com"))).Result(); n != 0 {
		t.Error("lock left after unlock with a cancelled context")
	}
}
