package o365

import "github.com/o365go/o365/directory"

// Directory returns a handle on the tenant's directory of users (no I/O).
func (a *Account) Directory() *directory.Directory {
	return directory.New(a.client)
}
