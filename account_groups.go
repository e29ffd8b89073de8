package o365

import "github.com/o365go/o365/groups"

// Groups returns a handle on the tenant's groups (no I/O).
func (a *Account) Groups() *groups.Groups {
	return groups.New(a.client)
}
