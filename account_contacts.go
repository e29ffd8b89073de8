package o365

import (
	"github.com/o365go/o365/contacts"
	"github.com/o365go/o365/graph"
)

// AddressBook returns a handle on the personal address book (contacts and contact folders)
// of res, or of the main resource (the signed-in user by default).
func (a *Account) AddressBook(res ...graph.Resource) *contacts.AddressBook {
	return contacts.New(a.client, a.resource(res))
}
