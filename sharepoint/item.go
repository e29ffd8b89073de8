package sharepoint

import (
	"context"
	"encoding/json"
	"maps"
	"reflect"

	"github.com/o365go/o365/graph"
)

// bind attaches it to the list and records its fields as the service's.
func (it *ListItem) bind(l *List) {
	it.list = l
	it.snap = maps.Clone(it.Fields)
	if it.snap == nil {
		it.snap = Fields{}
	}
}

// List returns the list the item belongs to (nil for an unbound item).
func (it *ListItem) List() *List { return it.list }

func (it *ListItem) path() (string, error) {
	if err := it.list.check(); err != nil {
		return "", err
	}
	if it.ID == "" {
		return "", ErrNotSaved
	}
	return it.list.path("items", it.ID), nil
}

// changes returns the fields that differ from the snapshot; a field removed from
// Fields is sent as null (cleared).
func (it *ListItem) changes() map[string]any {
	out := map[string]any{}
	for k, v := range it.Fields {
		old, had := it.snap[k]
		if had && jsonEqual(old, v) {
			continue
		}
		out[k] = v
	}
	for k := range it.snap {
		if _, ok := it.Fields[k]; !ok && !readOnlyField[k] {
			out[k] = nil
		}
	}
	return out
}

// readOnlyField are fields the service sets; removing them from Fields (e.g. after a
// $select) is not a change.
var readOnlyField = map[string]bool{
	"@odata.etag": true, "id": true, "ID": true, "Created": true, "Modified": true, "Author": true, "Editor": true,
	"AuthorLookupId": true, "EditorLookupId": true, "ContentType": true, "_UIVersionString": true, "Attachments": true,
	"Edit": true, "LinkTitle": true, "LinkTitleNoMenu": true, "ItemChildCount": true, "FolderChildCount": true,
	"DocIcon": true, "_ComplianceFlags": true, "_ComplianceTag": true, "_ComplianceTagWrittenTime": true,
	"_ComplianceTagUserId": true, "AppAuthorLookupId": true, "AppEditorLookupId": true,
}

func jsonEqual(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// Save creates the item (POST .../items) when it is new, else PATCHes the fields that
// changed since it was read or saved (PATCH .../items/{id}/fields); nothing changed: no
// request. Setting a field to "", 0 or false sends it; deleting it from Fields clears
// it (null). Pass graph.IfMatch(it.ETag) to fail with graph.ErrPreconditionFailed when
// the item changed meanwhile.
func (it *ListItem) Save(ctx context.Context, opts ...graph.CallOption) error {
	if it == nil {
		return ErrUnbound
	}
	if err := it.list.check(); err != nil {
		return err
	}
	c := it.list.client()
	if it.ID == "" {
		var out ListItem
		if err := c.Post(ctx, it.list.path("items"), map[string]any{"fields": it.Fields}, &out, opts...); err != nil {
			return err
		}
		l := it.list
		*it = out
		it.bind(l)
		return nil
	}
	body := it.changes()
	if len(body) == 0 {
		return nil
	}
	p, err := it.path()
	if err != nil {
		return err
	}
	var f Fields
	if err := c.Patch(ctx, p+"/fields", body, &f, opts...); err != nil {
		return err
	}
	delete(f, "@odata.context")
	it.Fields = f
	if tag, ok := f["@odata.etag"].(string); ok {
		it.ETag, it.ODataETag = tag, tag
	}
	it.snap = maps.Clone(f)
	return nil
}

// Delete deletes the item (DELETE .../items/{id}), python-o365's delete.
func (it *ListItem) Delete(ctx context.Context, opts ...graph.CallOption) error {
	if it == nil {
		return ErrUnbound
	}
	p, err := it.path()
	if err != nil {
		return err
	}
	return it.list.client().Delete(ctx, p, opts...)
}

// Refresh reads the item again with all its fields, discarding unsaved changes.
func (it *ListItem) Refresh(ctx context.Context) error {
	if it == nil {
		return ErrUnbound
	}
	if _, err := it.path(); err != nil {
		return err
	}
	got, err := it.list.Item(ctx, it.ID)
	if err != nil {
		return err
	}
	*it = *got
	return nil
}
