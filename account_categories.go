package o365

import (
	"github.com/o365go/o365/categories"
	"github.com/o365go/o365/graph"
)

// Categories returns a handle on the Outlook master category list of res, or of the main
// resource (the signed-in user by default).
func (a *Account) Categories(res ...graph.Resource) *categories.Categories {
	return categories.New(a.client, a.resource(res))
}
