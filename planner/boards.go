package planner

import (
	"context"

	"github.com/o365go/o365/graph"
)

// Board formats: where a task sits in the plan's board views. Each is its own object with
// its own ETag; read one from the task, change its hints, Save.

// BucketTaskBoardFormat orders a task in the board grouped by bucket
// (plannerBucketTaskBoardTaskFormat).
type BucketTaskBoardFormat struct {
	ETag string `json:"@odata.etag,omitempty"`
	ID   string `json:"id,omitempty"`
	// OrderHint places the task in its bucket's column; set it with First or Between.
	OrderHint string `json:"orderHint,omitempty"`

	p    *Planner
	snap string
}

// ProgressTaskBoardFormat orders a task in the board grouped by progress
// (plannerProgressTaskBoardTaskFormat).
type ProgressTaskBoardFormat struct {
	ETag      string `json:"@odata.etag,omitempty"`
	ID        string `json:"id,omitempty"`
	OrderHint string `json:"orderHint,omitempty"`

	p    *Planner
	snap string
}

// AssignedToTaskBoardFormat orders a task in the board grouped by assignee
// (plannerAssignedToTaskBoardTaskFormat).
type AssignedToTaskBoardFormat struct {
	ETag string `json:"@odata.etag,omitempty"`
	ID   string `json:"id,omitempty"`
	// UnassignedOrderHint places the task in the "unassigned" column.
	UnassignedOrderHint string `json:"unassignedOrderHint,omitempty"`
	// OrderHintsByAssignee places the task in each assignee's column, by user id.
	OrderHintsByAssignee map[string]string `json:"orderHintsByAssignee,omitempty"`

	p    *Planner
	snap *AssignedToTaskBoardFormat
}

func (v *Task) boardPath(kind string) (string, error) {
	if v.p == nil || v.p.c == nil {
		return "", ErrUnbound
	}
	if v.ID == "" {
		return "", ErrNotSaved
	}
	return taskPath(v.ID, kind), nil
}

// BucketBoardFormat reads the task's place in the bucket board
// (GET /planner/tasks/{id}/bucketTaskBoardFormat).
func (v *Task) BucketBoardFormat(ctx context.Context, opts ...graph.CallOption) (*BucketTaskBoardFormat, error) {
	path, err := v.boardPath("bucketTaskBoardFormat")
	if err != nil {
		return nil, err
	}
	var f BucketTaskBoardFormat
	if err := v.p.c.Get(ctx, path, &f, opts...); err != nil {
		return nil, err
	}
	f.p, f.snap = v.p, f.OrderHint
	return &f, nil
}

// ProgressBoardFormat reads the task's place in the progress board
// (GET /planner/tasks/{id}/progressTaskBoardFormat).
func (v *Task) ProgressBoardFormat(ctx context.Context, opts ...graph.CallOption) (*ProgressTaskBoardFormat, error) {
	path, err := v.boardPath("progressTaskBoardFormat")
	if err != nil {
		return nil, err
	}
	var f ProgressTaskBoardFormat
	if err := v.p.c.Get(ctx, path, &f, opts...); err != nil {
		return nil, err
	}
	f.p, f.snap = v.p, f.OrderHint
	return &f, nil
}

// AssignedToBoardFormat reads the task's places in the assignee board
// (GET /planner/tasks/{id}/assignedToTaskBoardFormat).
func (v *Task) AssignedToBoardFormat(ctx context.Context, opts ...graph.CallOption) (*AssignedToTaskBoardFormat, error) {
	path, err := v.boardPath("assignedToTaskBoardFormat")
	if err != nil {
		return nil, err
	}
	var f AssignedToTaskBoardFormat
	if err := v.p.c.Get(ctx, path, &f, opts...); err != nil {
		return nil, err
	}
	f.bind(v.p)
	return &f, nil
}

func (f *AssignedToTaskBoardFormat) bind(p *Planner) {
	cp := *f
	cp.OrderHintsByAssignee = map[string]string{}
	for k, h := range f.OrderHintsByAssignee {
		cp.OrderHintsByAssignee[k] = h
	}
	f.p, f.snap = p, &cp
}

// saveHint PATCHes one orderHint of a board format.
func saveHint(ctx context.Context, p *Planner, kind, id, etag, cur, old string, out any, opts []graph.CallOption) (bool, error) {
	if p == nil || p.c == nil {
		return false, ErrUnbound
	}
	if id == "" {
		return false, ErrEmptyID
	}
	if cur == old || cur == "" {
		return false, nil
	}
	return true, patch(ctx, p, kind, id, etag, taskPath(id, kind), map[string]any{"orderHint": cur}, out, opts)
}

// Save sends a changed OrderHint (PATCH with If-Match).
func (f *BucketTaskBoardFormat) Save(ctx context.Context, opts ...graph.CallOption) error {
	var got BucketTaskBoardFormat
	sent, err := saveHint(ctx, f.p, "bucketTaskBoardFormat", f.ID, f.ETag, f.OrderHint, f.snap, &got, opts)
	if err != nil || !sent {
		return err
	}
	if got.ID == "" {
		return f.Reload(ctx, opts...)
	}
	got.p, got.snap = f.p, got.OrderHint
	*f = got
	return nil
}

// Reload reads the format again, dropping unsaved changes.
func (f *BucketTaskBoardFormat) Reload(ctx context.Context, opts ...graph.CallOption) error {
	got, err := (&Task{ID: f.ID, p: f.p}).BucketBoardFormat(ctx, opts...)
	if err != nil {
		return err
	}
	*f = *got
	return nil
}

// Save sends a changed OrderHint (PATCH with If-Match).
func (f *ProgressTaskBoardFormat) Save(ctx context.Context, opts ...graph.CallOption) error {
	var got ProgressTaskBoardFormat
	sent, err := saveHint(ctx, f.p, "progressTaskBoardFormat", f.ID, f.ETag, f.OrderHint, f.snap, &got, opts)
	if err != nil || !sent {
		return err
	}
	if got.ID == "" {
		return f.Reload(ctx, opts...)
	}
	got.p, got.snap = f.p, got.OrderHint
	*f = got
	return nil
}

// Reload reads the format again, dropping unsaved changes.
func (f *ProgressTaskBoardFormat) Reload(ctx context.Context, opts ...graph.CallOption) error {
	got, err := (&Task{ID: f.ID, p: f.p}).ProgressBoardFormat(ctx, opts...)
	if err != nil {
		return err
	}
	*f = *got
	return nil
}

// Save sends the changed hints: the unassigned one, and each assignee's changed or
// removed (null) hint (PATCH with If-Match).
func (f *AssignedToTaskBoardFormat) Save(ctx context.Context, opts ...graph.CallOption) error {
	if f.p == nil || f.p.c == nil {
		return ErrUnbound
	}
	if f.ID == "" {
		return ErrEmptyID
	}
	old := f.snap
	if old == nil {
		old = &AssignedToTaskBoardFormat{}
	}
	body := map[string]any{}
	if f.UnassignedOrderHint != old.UnassignedOrderHint && f.UnassignedOrderHint != "" {
		body["unassignedOrderHint"] = f.UnassignedOrderHint
	}
	by := map[string]any{}
	for k, h := range f.OrderHintsByAssignee {
		if old.OrderHintsByAssignee[k] != h {
			by[k] = h
		}
	}
	for k := range old.OrderHintsByAssignee {
		if _, ok := f.OrderHintsByAssignee[k]; !ok {
			by[k] = nil
		}
	}
	if len(by) > 0 {
		body["orderHintsByAssignee"] = by
	}
	if len(body) == 0 {
		return nil
	}
	var got AssignedToTaskBoardFormat
	if err := patch(ctx, f.p, "assignedToTaskBoardFormat", f.ID, f.ETag, taskPath(f.ID, "assignedToTaskBoardFormat"), body, &got, opts); err != nil {
		return err
	}
	if got.ID == "" {
		return f.Reload(ctx, opts...)
	}
	got.bind(f.p)
	*f = got
	return nil
}

// Reload reads the format again, dropping unsaved changes.
func (f *AssignedToTaskBoardFormat) Reload(ctx context.Context, opts ...graph.CallOption) error {
	got, err := (&Task{ID: f.ID, p: f.p}).AssignedToBoardFormat(ctx, opts...)
	if err != nil {
		return err
	}
	*f = *got
	return nil
}
