package todo

import (
	"context"

	"github.com/o365go/o365/graph"
)

// itemWritable holds a checklist item's writable properties.
type itemWritable struct {
	DisplayName string
	IsChecked   bool
}

func (it *ChecklistItem) bind(td *ToDo, listID, taskID string) *ChecklistItem {
	if it == nil {
		return nil
	}
	it.td, it.listID, it.taskID = td, listID, taskID
	it.snap = &itemWritable{DisplayName: it.DisplayName, IsChecked: it.IsChecked}
	return it
}

func (it *ChecklistItem) path() (string, error) {
	if it.td == nil || it.td.c == nil {
		return "", ErrUnbound
	}
	if it.ID == "" {
		return "", ErrNotSaved
	}
	if it.listID == "" || it.taskID == "" {
		return "", ErrEmptyID
	}
	return it.td.path(it.listID, "tasks", it.taskID, "checklistItems", it.ID), nil
}

func (it *ChecklistItem) patch(ctx context.Context, body map[string]any, opts []graph.CallOption) error {
	p, err := it.path()
	if err != nil {
		return err
	}
	var got ChecklistItem
	if err := it.td.c.Patch(ctx, p, body, &got, opts...); err != nil {
		return err
	}
	td, l, t := it.td, it.listID, it.taskID
	*it = got
	it.bind(td, l, t)
	return nil
}

// Save PATCHes the item's changed fields (DisplayName, IsChecked); nothing changed: no
// request. The service stamps checkedDateTime when the item becomes checked.
func (it *ChecklistItem) Save(ctx context.Context, opts ...graph.CallOption) error {
	if _, err := it.path(); err != nil {
		return err
	}
	body := map[string]any{}
	if it.snap == nil || it.snap.DisplayName != it.DisplayName {
		body["displayName"] = it.DisplayName
	}
	if it.snap == nil || it.snap.IsChecked != it.IsChecked {
		body["isChecked"] = it.IsChecked
	}
	if len(body) == 0 {
		return nil
	}
	return it.patch(ctx, body, opts)
}

// Check marks the item done and updates it.
func (it *ChecklistItem) Check(ctx context.Context, opts ...graph.CallOption) error {
	return it.patch(ctx, map[string]any{"isChecked": true}, opts)
}

// Uncheck marks the item not done and updates it.
func (it *ChecklistItem) Uncheck(ctx context.Context, opts ...graph.CallOption) error {
	return it.patch(ctx, map[string]any{"isChecked": false}, opts)
}

// Delete deletes the item (DELETE .../checklistItems/{id}).
func (it *ChecklistItem) Delete(ctx context.Context, opts ...graph.CallOption) error {
	p, err := it.path()
	if err != nil {
		return err
	}
	return it.td.c.Delete(ctx, p, opts...)
}
