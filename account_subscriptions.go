package o365

import (
	"github.com/o365go/o365/subscriptions"
)

// Subscriptions returns a handle on the app's change-notification subscriptions
// (/subscriptions). They are not under a user: the resource each one watches says whose
// data it is.
func (a *Account) Subscriptions(opts ...subscriptions.Option) *subscriptions.Subscriptions {
	return subscriptions.New(a.client, opts...)
}
