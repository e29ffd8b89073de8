package cli

import (
	"context"
	"sync/atomic"
	"time"
)

// skewClock is the wall clock plus an offset that grows whenever a wait is fast-forwarded.
// The demo (and the tests) give it to the emulator, so skipping the device code's 5 s
// polling interval looks, to the emulator, exactly like having waited.
type skewClock struct{ offset atomic.Int64 }

// Now returns the skewed time.
func (c *skewClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// FastForward moves the clock by d instead of sleeping.
func (c *skewClock) FastForward(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.offset.Add(int64(d))
	return nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
