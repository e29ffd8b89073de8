package o365

import (
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/planner"
)

// Planner returns a handle on Microsoft Planner for res's tasks and plans, or the main
// resource's (the signed-in user's by default); plans, buckets and tasks by id work
// through it whatever the user.
func (a *Account) Planner(res ...graph.Resource) *planner.Planner {
	return planner.New(a.client, a.resource(res))
}
