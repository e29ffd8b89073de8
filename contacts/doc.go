// Package contacts reads and writes a user's personal contacts: the address
// book (the default Contacts folder), its contact folders, and the contacts
// in them, with their photos and delta sync.
//
//	ab := acct.AddressBook()
//	for c, err := range ab.Contacts(ctx, nil) { ... }
//	c, err := ab.ContactByEmail(ctx, "garth.fort@fabrikam.com")
//
//	suppliers, err := ab.FolderByName(ctx, "Suppliers")
//	n := suppliers.Folder().NewContact() // created in Suppliers, not in the root
//	n.GivenName, n.Surname = "Ken", "Myer"
//	n.EmailAddresses = []contacts.EmailAddress{{Address: "ken@northwindtraders.com"}}
//	err = n.Save(ctx)
//	n.JobTitle = "Account Manager"
//	err = n.Save(ctx) // PATCHes jobTitle only
//
// Contacts read from the service are bound to their address book, so their
// verbs work: Save sends only what changed, Delete, Photo, SetPhoto, and
// NewMessage (a mail draft addressed to the contact, see package mail).
//
// Reading needs Contacts.Read, writing Contacts.ReadWrite; another user's
// contacts (acct.AddressBook(graph.User("ann@contoso.com"))) need the
// .Shared scopes and a delegation from that user, or application roles.
//
// Graph v1.0 lists the folders below the default Contacts folder at
// /contactFolders but never the default folder itself; AddressBook.Root is
// that folder, addressed by the /contacts paths.
package contacts
