package subscriptions

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/o365go/o365/graph"
)

// Clock is the time source of a Renewer; tests pass a fake one.
type Clock interface {
	Now() time.Time
	// After sends on the returned channel once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Renewer renews subscriptions before they expire, until its context ends.
type Renewer struct {
	// Subscriptions is the handle renewals go through.
	Subscriptions *Subscriptions
	// Clock is the time source; default the real clock.
	Clock Clock
	// Margin is how long before expiry a subscription is renewed; default a tenth of
	// its resource's MaxExpiry (six minutes for one-hour subscriptions).
	Margin time.Duration
	// Lifetime gives the new length of a renewed subscription; default MaxExpiry of
	// its resource less a minute.
	Lifetime func(resource string) time.Duration
	// RetryDelay is the wait before trying a failed renewal again; default one minute.
	RetryDelay time.Duration
	// OnRenew, when set, is told about each renewal.
	OnRenew func(*Subscription)
	// OnError, when set, is told about failed renewals. A subscription that no longer
	// exists (404) is reported and no longer renewed.
	OnError func(id string, err error)

	mu   sync.Mutex
	subs map[string]*Subscription
}

// KeepAlive renews the subscriptions with the given ids before they expire, until ctx
// is done, with the default Renewer settings. It returns ctx's error.
func (s *Subscriptions) KeepAlive(ctx context.Context, ids ...string) error {
	r := &Renewer{Subscriptions: s}
	return r.Run(ctx, ids...)
}

func (r *Renewer) clock() Clock {
	if r.Clock == nil {
		return realClock{}
	}
	return r.Clock
}

func (r *Renewer) margin(sub *Subscription) time.Duration {
	if r.Margin > 0 {
		return r.Margin
	}
	return MaxExpiry(sub.Resource) / 10
}

func (r *Renewer) lifetime(sub *Subscription) time.Duration {
	if r.Lifetime != nil {
		return r.Lifetime(sub.Resource)
	}
	return MaxExpiry(sub.Resource) - time.Minute
}

// Add starts renewing sub too (a running Run picks it up at its next wake-up).
func (r *Renewer) Add(sub *Subscription) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.subs == nil {
		r.subs = map[string]*Subscription{}
	}
	r.subs[sub.ID] = sub
}

// Run reads the subscriptions with the given ids (and any added with Add), then renews
// each one Margin before it expires, until ctx is done; it returns ctx's error. Failed
// renewals are retried after RetryDelay.
func (r *Renewer) Run(ctx context.Context, ids ...string) error {
	if r.Subscriptions == nil {
		return ErrUnbound
	}
	clk := r.clock()
	retry := r.RetryDelay
	if retry <= 0 {
		retry = time.Minute
	}
	pending := append([]string(nil), ids...) // ids still to read
	due := map[string]time.Time{}            // earliest retry of failed ones
	for {
		for i := 0; i < len(pending); {
			sub, err := r.Subscriptions.Get(ctx, pending[i])
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				r.fail(pending[i], err)
				if errors.Is(err, graph.ErrNotFound) {
					pending = append(pending[:i], pending[i+1:]...)
					continue
				}
				i++
				continue
			}
			r.Add(sub)
			pending = append(pending[:i], pending[i+1:]...)
		}
		now := clk.Now()
		next := now.Add(retry)
		if len(pending) == 0 {
			next = time.Time{}
		}
		for _, sub := range r.snapshot() {
			at := sub.ExpirationDateTime.Add(-r.margin(sub))
			if d, ok := due[sub.ID]; ok && d.After(at) {
				at = d
			}
			if !at.After(now) {
				got, err := r.Subscriptions.Renew(ctx, sub.ID, now.Add(r.lifetime(sub)))
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if err != nil {
					r.fail(sub.ID, err)
					if errors.Is(err, graph.ErrNotFound) {
						r.remove(sub.ID)
						delete(due, sub.ID)
						continue
					}
					due[sub.ID] = now.Add(retry)
					at = due[sub.ID]
				} else {
					delete(due, sub.ID)
					r.Add(got)
					if r.OnRenew != nil {
						r.OnRenew(got)
					}
					at = got.ExpirationDateTime.Add(-r.margin(got))
				}
			}
			if next.IsZero() || at.Before(next) {
				next = at
			}
		}
		wait := retry
		if !next.IsZero() {
			wait = max(next.Sub(now), 0)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-clk.After(wait):
		}
	}
}

func (r *Renewer) fail(id string, err error) {
	if r.OnError != nil {
		r.OnError(id, err)
	}
}

func (r *Renewer) remove(id string) {
	r.mu.Lock()
	delete(r.subs, id)
	r.mu.Unlock()
}

func (r *Renewer) snapshot() []*Subscription {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*Subscription, 0, len(r.subs))
	for _, s := range r.subs {
		out = append(out, s)
	}
	return out
}
