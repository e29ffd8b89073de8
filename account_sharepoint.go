package o365

import "github.com/o365go/o365/sharepoint"

// Sharepoint returns a handle on SharePoint sites, lists and items (python-o365's
// account.sharepoint()).
func (a *Account) Sharepoint() *sharepoint.Sharepoint {
	return sharepoint.New(a.client)
}
