package todo

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"slices"

	"github.com/o365go/o365/graph"
)

// Change tracking: a task read from the service keeps a copy of its writable properties;
// Save PATCHes only those whose JSON differs. Clearing a date (nil) sends null, an empty
// Categories sends [], false and "" are sent like any other change.

// taskWritable holds a task's writable properties, as Save sends them.
type taskWritable struct {
	Title             string                  `json:"title"`
	Body              graph.ItemBody          `json:"body"`
	Importance        Importance              `json:"importance"`
	Status            Status                  `json:"status"`
	IsReminderOn      bool                    `json:"isReminderOn"`
	ReminderDateTime  *graph.DateTimeTimeZone `json:"reminderDateTime"`
	DueDateTime       *graph.DateTimeTimeZone `json:"dueDateTime"`
	StartDateTime     *graph.DateTimeTimeZone `json:"startDateTime"`
	CompletedDateTime *graph.DateTimeTimeZone `json:"completedDateTime"`
	Recurrence        *PatternedRecurrence    `json:"recurrence"`
	Categories        []string                `json:"categories"`
}

func cloneDTZ(d *graph.DateTimeTimeZone) *graph.DateTimeTimeZone {
	if d == nil {
		return nil
	}
	v := *d
	return &v
}

// writable returns a deep copy of t's writable properties.
func (t *Task) writable() taskWritable {
	w := taskWritable{
		Title: t.Title, Body: t.Body, Importance: t.Importance, Status: t.Status, IsReminderOn: t.IsReminderOn,
		ReminderDateTime: cloneDTZ(t.ReminderDateTime), DueDateTime: cloneDTZ(t.DueDateTime),
		StartDateTime: cloneDTZ(t.StartDateTime), CompletedDateTime: cloneDTZ(t.CompletedDateTime),
		Categories: slices.Clone(t.Categories),
	}
	if w.Categories == nil {
		w.Categories = []string{}
	}
	if t.Recurrence != nil {
		r := *t.Recurrence
		r.Pattern.DaysOfWeek = slices.Clone(r.Pattern.DaysOfWeek)
		w.Recurrence = &r
	}
	return w
}

// bind attaches t to the list and records its state as the service's.
func (t *Task) bind(td *ToDo, listID string) *Task {
	if t == nil {
		return nil
	}
	t.td, t.listID = td, listID
	w := t.writable()
	t.snap = &w
	for i := range t.ChecklistItems {
		t.ChecklistItems[i].bind(td, listID, t.ID)
	}
	return t
}

// changes returns the writable properties that differ from the snapshot (all non-empty
// ones for a new task), as a request body.
func (t *Task) changes() (map[string]json.RawMessage, error) {
	cur, err := fieldsOf(t.writable())
	if err != nil {
		return nil, err
	}
	var old map[string]json.RawMessage
	if t.snap != nil {
		if old, err = fieldsOf(*t.snap); err != nil {
			return nil, err
		}
	}
	out := map[string]json.RawMessage{}
	for k, v := range cur {
		switch {
		case (k == "importance" || k == "status") && string(v) == `""`:
			continue // unset: the service keeps its value
		case old != nil:
			if bytes.Equal(v, old[k]) {
				continue
			}
		default:
			switch string(v) {
			case "null", `""`, "[]", "false", `{"content":""}`:
				continue
			}
		}
		out[k] = v
	}
	return out, nil
}

func fieldsOf(w taskWritable) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	err = json.Unmarshal(b, &m)
	return m, err
}

func (t *Task) path() (string, error) {
	if t.td == nil || t.td.c == nil {
		return "", ErrUnbound
	}
	if t.listID == "" {
		return "", ErrEmptyID
	}
	if t.ID == "" {
		return "", ErrNotSaved
	}
	return t.td.path(t.listID, "tasks", t.ID), nil
}

// Save creates the task (POST .../tasks) when it is new, else PATCHes the fields that
// changed since it was read or saved (nothing changed: no request). t is updated from the
// service's answer. Pass graph.IfMatch(t.ETag) to fail with graph.ErrPreconditionFailed
// when the task changed meanwhile.
func (t *Task) Save(ctx context.Context, opts ...graph.CallOption) error {
	if t.td == nil || t.td.c == nil {
		return ErrUnbound
	}
	body, err := t.changes()
	if err != nil {
		return err
	}
	var got Task
	if t.ID == "" {
		if t.listID == "" {
			return ErrEmptyID
		}
		if err := t.td.c.Post(ctx, t.td.path(t.listID, "tasks"), body, &got, opts...); err != nil {
			return err
		}
	} else {
		if len(body) == 0 {
			return nil
		}
		p, err := t.path()
		if err != nil {
			return err
		}
		if err := t.td.c.Patch(ctx, p, body, &got, opts...); err != nil {
			return err
		}
	}
	td, list := t.td, t.listID
	*t = got
	t.bind(td, list)
	return nil
}

// Complete marks the task completed (PATCH status; the service stamps
// completedDateTime) and updates t.
func (t *Task) Complete(ctx context.Context, opts ...graph.CallOption) error {
	return t.setStatus(ctx, StatusCompleted, opts)
}

// Reopen marks a completed task not started again (the service clears
// completedDateTime) and updates t.
func (t *Task) Reopen(ctx context.Context, opts ...graph.CallOption) error {
	return t.setStatus(ctx, StatusNotStarted, opts)
}

func (t *Task) setStatus(ctx context.Context, s Status, opts []graph.CallOption) error {
	p, err := t.path()
	if err != nil {
		return err
	}
	var got Task
	if err := t.td.c.Patch(ctx, p, map[string]any{"status": s}, &got, opts...); err != nil {
		return err
	}
	td, list := t.td, t.listID
	*t = got
	t.bind(td, list)
	return nil
}

// Delete deletes the task (DELETE .../tasks/{id}) with its checklist items.
func (t *Task) Delete(ctx context.Context, opts ...graph.CallOption) error {
	p, err := t.path()
	if err != nil {
		return err
	}
	return t.td.c.Delete(ctx, p, opts...)
}

// Checklist lists the task's checklist items (GET .../checklistItems), every page.
func (t *Task) Checklist(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*ChecklistItem, error] {
	p, err := t.path()
	if err != nil {
		return errSeq[ChecklistItem](err)
	}
	return func(yield func(*ChecklistItem, error) bool) {
		for it, err := range graph.List[ChecklistItem](ctx, t.td.c, p+"/checklistItems", lo, opts...) {
			if !yield(it.bind(t.td, t.listID, t.ID), err) {
				return
			}
		}
	}
}

// ChecklistItem reads one checklist item (GET .../checklistItems/{id}).
func (t *Task) ChecklistItem(ctx context.Context, id string, opts ...graph.CallOption) (*ChecklistItem, error) {
	if _, err := t.path(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var it ChecklistItem
	if err := t.td.c.Get(ctx, t.td.path(t.listID, "tasks", t.ID, "checklistItems", id), &it, opts...); err != nil {
		return nil, err
	}
	return it.bind(t.td, t.listID, t.ID), nil
}

// AddChecklistItem adds a step named name to the task (POST .../checklistItems).
func (t *Task) AddChecklistItem(ctx context.Context, name string, opts ...graph.CallOption) (*ChecklistItem, error) {
	p, err := t.path()
	if err != nil {
		return nil, err
	}
	var it ChecklistItem
	if err := t.td.c.Post(ctx, p+"/checklistItems", map[string]any{"displayName": name}, &it, opts...); err != nil {
		return nil, err
	}
	return it.bind(t.td, t.listID, t.ID), nil
}
