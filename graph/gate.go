package graph

import (
	"context"
	"sync"
	"time"
)

// gate holds every new request of a client back until the latest Retry-After deadline Graph
// gave (after a 429, or a 503 with Retry-After), so that one throttled goroutine does not
// leave the others to keep hitting the service and prolong the throttling.
type gate struct {
	mu    sync.Mutex
	until time.Time
}

// block moves the deadline to t if t is later.
func (g *gate) block(t time.Time) {
	g.mu.Lock()
	if t.After(g.until) {
		g.until = t
	}
	g.mu.Unlock()
}

// deadline returns the current deadline (zero when open).
func (g *gate) deadline() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

// wait sleeps until the gate is open. It re-reads the deadline after each sleep because
// another 429 may have pushed it further meanwhile.
func (g *gate) wait(ctx context.Context, clk clock) (time.Duration, error) {
	var waited time.Duration
	for {
		d := g.deadline().Sub(clk.Now())
		if d <= 0 {
			return waited, ctx.Err()
		}
		if err := sleepCtx(ctx, clk, d); err != nil {
			return waited, err
		}
		waited += d
	}
}

// closeGate holds the client's new requests for d (a Retry-After), at most for the retry
// budget: a request asked to wait longer fails instead of waiting, and so should not hold
// everyone else for longer either.
func (c *Client) closeGate(d time.Duration) {
	c.gate.block(c.clock.Now().Add(min(d, c.retry.MaxWait)))
}

// sleepCtx sleeps d unless ctx ends first. When ctx's deadline comes before the sleep would
// end, it fails at once rather than sleeping in vain.
func sleepCtx(ctx context.Context, clk clock, d time.Duration) error {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return &waitTooLongError{wait: d}
	}
	return clk.Sleep(ctx, d)
}

type waitTooLongError struct{ wait time.Duration }

func (e *waitTooLongError) Error() string {
	return "graph: asked to wait " + e.wait.Round(time.Millisecond).String() + ", beyond the context deadline"
}

// Unwrap lets errors.Is(err, context.DeadlineExceeded) hold.
func (e *waitTooLongError) Unwrap() error { return context.DeadlineExceeded }
