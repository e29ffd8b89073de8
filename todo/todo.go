package todo

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/o365go/o365/graph"
)

// ToDo is a handle on a user's Microsoft To Do (/{res}/todo). It does no I/O until a
// call, is cheap to copy and safe for concurrent use.
type ToDo struct {
	c   *graph.Client
	res graph.Resource
}

// New returns a handle on the To Do of res. An empty res means graph.Me.
func New(c *graph.Client, res graph.Resource) *ToDo {
	if res == "" {
		res = graph.Me
	}
	return &ToDo{c: c, res: res}
}

// Resource returns the resource the To Do belongs to, e.g. "me".
func (td *ToDo) Resource() graph.Resource { return td.res }

func (td *ToDo) path(segments ...string) string {
	return td.res.Path(append([]string{"todo", "lists"}, segments...)...)
}

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// Lists lists the task lists (GET /{res}/todo/lists), every page. A nil lo means the
// service's defaults.
func (td *ToDo) Lists(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*TaskList, error] {
	if td == nil || td.c == nil {
		return errSeq[TaskList](ErrUnbound)
	}
	return func(yield func(*TaskList, error) bool) {
		for l, err := range graph.List[TaskList](ctx, td.c, td.path(), lo, opts...) {
			if l != nil {
				l.td = td
			}
			if !yield(l, err) {
				return
			}
		}
	}
}

// List returns a handle on the list with the id. It does no I/O.
func (td *ToDo) List(id string) *List { return &List{td: td, id: id} }

// CreateList creates a list named name (POST /{res}/todo/lists).
func (td *ToDo) CreateList(ctx context.Context, name string) (*TaskList, error) {
	if td == nil || td.c == nil {
		return nil, ErrUnbound
	}
	var l TaskList
	if err := td.c.Post(ctx, td.path(), map[string]any{"displayName": name}, &l); err != nil {
		return nil, err
	}
	l.td = td
	return &l, nil
}

// DefaultList returns the user's default list (wellknownListName defaultList, "Tasks" in
// English), which every To Do user has and which cannot be deleted.
func (td *ToDo) DefaultList(ctx context.Context) (*TaskList, error) {
	for l, err := range td.Lists(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if l.IsDefault() {
			return l, nil
		}
	}
	return nil, &notFoundError{msg: "todo: no default list"}
}

// ListByName returns the list whose display name is name, compared exactly but ignoring
// case. It reads every page of lists. No match gives an error matching ErrListNotFound
// (and graph.ErrNotFound); several give ErrAmbiguousList naming their ids, so pick one
// with List(id).
func (td *ToDo) ListByName(ctx context.Context, name string) (*TaskList, error) {
	var found []*TaskList
	for l, err := range td.Lists(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(l.DisplayName, name) {
			found = append(found, l)
		}
	}
	switch len(found) {
	case 0:
		return nil, &notFoundError{msg: fmt.Sprintf("todo: no list named %q", name)}
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, l := range found {
		ids[i] = l.ID
	}
	return nil, fmt.Errorf("%w: %q is the name of %d lists (ids %s)", ErrAmbiguousList, name, len(found), strings.Join(ids, ", "))
}

// ListsDelta prepares a delta round over the lists (GET /{res}/todo/lists/delta); it
// does no I/O. With deltaLink "" it is the initial round, which yields every list; with
// a DeltaLink saved from an earlier round it yields what changed since, deletions as
// Change.Removed. Range over Changes(ctx). Graph needs Tasks.ReadWrite for it.
func (td *ToDo) ListsDelta(deltaLink string, opts ...graph.CallOption) *graph.Delta[TaskList] {
	if td == nil || td.c == nil {
		return graph.NewDelta[TaskList](nil, deltaLink, nil, opts...)
	}
	start := deltaLink
	if start == "" {
		start = td.path("delta")
	}
	return graph.NewDelta[TaskList](td.c, start, nil, opts...).OnItem(func(l *TaskList) { l.td = td })
}

// List returns a handle on the list, for its tasks and verbs. A TaskList decoded by the
// caller gives a handle whose calls fail with ErrUnbound.
func (l *TaskList) List() *List { return &List{td: l.td, id: l.ID} }

// Rename renames the list (PATCH displayName) and updates l.
func (l *TaskList) Rename(ctx context.Context, name string, opts ...graph.CallOption) error {
	got, err := l.List().Rename(ctx, name, opts...)
	if err != nil {
		return err
	}
	*l = *got
	return nil
}

// Delete deletes the list and its tasks. The default list cannot be deleted (400).
func (l *TaskList) Delete(ctx context.Context, opts ...graph.CallOption) error {
	return l.List().Delete(ctx, opts...)
}

// List is a handle on one task list, by id. It does no I/O until a call.
type List struct {
	td *ToDo
	id string
}

// ID returns the list's id.
func (l *List) ID() string { return l.id }

func (l *List) path(rest ...string) (string, error) {
	if l.td == nil || l.td.c == nil {
		return "", ErrUnbound
	}
	if l.id == "" {
		return "", ErrEmptyID
	}
	return l.td.path(append([]string{l.id}, rest...)...), nil
}

// Get reads the list (GET /{res}/todo/lists/{id}).
func (l *List) Get(ctx context.Context, opts ...graph.CallOption) (*TaskList, error) {
	p, err := l.path()
	if err != nil {
		return nil, err
	}
	var tl TaskList
	if err := l.td.c.Get(ctx, p, &tl, opts...); err != nil {
		return nil, err
	}
	tl.td = l.td
	return &tl, nil
}

// Rename renames the list (PATCH /{res}/todo/lists/{id} with displayName).
func (l *List) Rename(ctx context.Context, name string, opts ...graph.CallOption) (*TaskList, error) {
	p, err := l.path()
	if err != nil {
		return nil, err
	}
	var tl TaskList
	if err := l.td.c.Patch(ctx, p, map[string]any{"displayName": name}, &tl, opts...); err != nil {
		return nil, err
	}
	tl.td = l.td
	return &tl, nil
}

// Delete deletes the list and its tasks (DELETE /{res}/todo/lists/{id}).
func (l *List) Delete(ctx context.Context, opts ...graph.CallOption) error {
	p, err := l.path()
	if err != nil {
		return err
	}
	return l.td.c.Delete(ctx, p, opts...)
}

// Tasks lists the list's tasks (GET .../lists/{id}/tasks), following every nextLink
// (python-o365 reads only the first page). lo sets a limit, a page size and a query
// (odata.New().Filter(odata.Attr("status").Ne("completed")) for open tasks).
func (l *List) Tasks(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Task, error] {
	p, err := l.path("tasks")
	if err != nil {
		return errSeq[Task](err)
	}
	return func(yield func(*Task, error) bool) {
		for t, err := range graph.List[Task](ctx, l.td.c, p, lo, opts...) {
			if !yield(t.bind(l.td, l.id), err) {
				return
			}
		}
	}
}

// Task reads one task (GET .../tasks/{id}).
func (l *List) Task(ctx context.Context, id string, opts ...graph.CallOption) (*Task, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	p, err := l.path("tasks", id)
	if err != nil {
		return nil, err
	}
	var t Task
	if err := l.td.c.Get(ctx, p, &t, opts...); err != nil {
		return nil, err
	}
	return t.bind(l.td, l.id), nil
}

// NewTask returns a new task of the list titled title, not yet saved: set its fields,
// then Save creates it.
func (l *List) NewTask(title string) *Task {
	return &Task{Title: title, td: l.td, listID: l.id}
}

// Delta prepares a delta round over the list's tasks (GET .../tasks/delta); it does no
// I/O. With deltaLink "" it is the initial round, which yields every task (lo.PageSize
// becomes Prefer: odata.maxpagesize); with a DeltaLink saved from an earlier round it
// yields what changed since, deletions as Change.Removed. Tasks it yields are bound.
func (l *List) Delta(deltaLink string, lo *graph.ListOptions, opts ...graph.CallOption) *graph.Delta[Task] {
	start := deltaLink
	if start == "" {
		p, err := l.path("tasks", "delta")
		if err != nil {
			return graph.NewDelta[Task](nil, "", lo, opts...)
		}
		start = p
	}
	if l.td == nil || l.td.c == nil {
		return graph.NewDelta[Task](nil, start, lo, opts...)
	}
	return graph.NewDelta[Task](l.td.c, start, lo, opts...).OnItem(func(t *Task) { t.bind(l.td, l.id) })
}
