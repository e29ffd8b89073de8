package o365

import (
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/graph"
)

// Storage returns a handle on OneDrive and SharePoint document libraries: res's drives, or
// the main resource's (the signed-in user's by default; another user's with
// graph.User(upn), a group's with graph.Group(id), a site's with graph.Site(id)).
func (a *Account) Storage(res ...graph.Resource) *drive.Storage {
	return drive.New(a.client, a.resource(res))
}
