package o365

import (
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/teams"
)

// Teams returns a handle on Microsoft Teams and presence: res's, or the main resource's
// (the signed-in user's by default; another user's with graph.User(upn) and an app-only
// token).
func (a *Account) Teams(res ...graph.Resource) *teams.Teams {
	return teams.New(a.client, a.resource(res))
}
