package o365

import (
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/todo"
)

// ToDo returns a handle on Microsoft To Do: res's, or the main resource's (the signed-in
// user's by default; another user's with graph.User(upn) and an app-only token).
func (a *Account) ToDo(res ...graph.Resource) *todo.ToDo {
	return todo.New(a.client, a.resource(res))
}
