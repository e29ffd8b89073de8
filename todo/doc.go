// Package todo is Microsoft To Do through Microsoft Graph: task lists, tasks with every
// property, checklist items, and delta queries for lists and tasks.
//
// Get a handle from the account (acct.ToDo(), or acct.ToDo(graph.User(upn)) with an
// app-only token) or with New. Handles do no I/O until a call:
//
//	td := acct.ToDo()
//	list, err := td.ListByName(ctx, "Groceries") // exact name, any case; clear errors
//	for task, err := range list.List().Tasks(ctx, nil) { // every page, not only the first
//		...
//	}
//	t := list.List().NewTask("Buy milk")
//	t.DueDateTime = todo.At(time.Now().Add(24 * time.Hour))
//	err = t.Save(ctx)  // POST; later Saves PATCH only the changed fields
//	err = t.Complete(ctx)
//
// Dates and times are graph.DateTimeTimeZone values (Graph's wall time plus zone): build
// them from a time.Time with At, read them back with their Time method. Timestamps the
// service sets (createdDateTime, lastModifiedDateTime) are time.Time.
//
// Coming from python-o365: ToDo → ToDo, Folder → TaskList (model) and List (handle),
// Task → Task, ChecklistItem → ChecklistItem; docs/todo.md has the full table.
package todo
