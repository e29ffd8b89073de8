package planner

import (
	"maps"
	"time"
)

// Change tracking. A model read from the service keeps a copy of its writable properties;
// Save PATCHes only what differs. Planner merges the maps it holds (assignments,
// categories, checklist, references, sharing), so a changed entry is sent alone and a
// removed one as null (or false for the boolean maps).

type planWritable struct{ title string }

type bucketWritable struct{ name, orderHint string }

type taskWritable struct {
	title, bucketID, orderHint, assigneePriority, conversationThreadID string
	percentComplete, priority                                          int
	start, due                                                         *time.Time
	previewType                                                        PreviewType
	categories                                                         map[string]bool
	assignments                                                        map[string]string // user id → order hint
}

type planDetailsWritable struct {
	sharedWith map[string]bool
	categories map[string]string
}

type taskDetailsWritable struct {
	description string
	previewType PreviewType
	checklist   map[string]ChecklistItem
	references  map[string]ExternalReference
}

func (p *Plan) writable() *planWritable { return &planWritable{title: p.Title} }

func (b *Bucket) writable() *bucketWritable {
	return &bucketWritable{name: b.Name, orderHint: b.OrderHint}
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}

func (t *Task) writable() *taskWritable {
	w := &taskWritable{
		title: t.Title, bucketID: t.BucketID, orderHint: t.OrderHint, assigneePriority: t.AssigneePriority,
		conversationThreadID: t.ConversationThreadID, percentComplete: t.PercentComplete, priority: t.Priority,
		start: cloneTime(t.StartDateTime), due: cloneTime(t.DueDateTime), previewType: t.PreviewType,
		categories: trueKeys(t.AppliedCategories), assignments: map[string]string{},
	}
	for id, a := range t.Assignments {
		w.assignments[id] = a.OrderHint
	}
	return w
}

func (d *PlanDetails) writable() *planDetailsWritable {
	return &planDetailsWritable{sharedWith: trueKeys(d.SharedWith), categories: maps.Clone(d.CategoryDescriptions)}
}

func (d *TaskDetails) writable() *taskDetailsWritable {
	w := &taskDetailsWritable{description: d.Description, previewType: d.PreviewType,
		checklist: maps.Clone(d.Checklist), references: map[string]ExternalReference{}}
	for k, v := range d.References {
		w.references[k] = v
	}
	return w
}

// trueKeys copies the true entries of a boolean map.
func trueKeys(m map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k, v := range m {
		if v {
			out[k] = true
		}
	}
	return out
}

// boolChanges returns the entries to send for a boolean map: newly true ones as true,
// formerly true ones as false.
func boolChanges(old, cur map[string]bool) map[string]any {
	out := map[string]any{}
	for k := range cur {
		if !old[k] {
			out[k] = true
		}
	}
	for k := range old {
		if !cur[k] {
			out[k] = false
		}
	}
	return out
}

func timeValue(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (p *Plan) changes() map[string]any {
	out := map[string]any{}
	if p.snap == nil || p.snap.title != p.Title {
		out["title"] = p.Title
	}
	return out
}

func (b *Bucket) changes() map[string]any {
	out := map[string]any{}
	old := b.snap
	if old == nil {
		old = &bucketWritable{}
		out["name"] = b.Name
	} else if old.name != b.Name {
		out["name"] = b.Name
	}
	if old.orderHint != b.OrderHint && b.OrderHint != "" {
		out["orderHint"] = b.OrderHint
	}
	return out
}

// changes returns the task's body: for a new task every property set, else the changes.
func (t *Task) changes() map[string]any {
	cur := t.writable()
	old := t.snap
	created := old == nil
	if created {
		old = &taskWritable{categories: map[string]bool{}, assignments: map[string]string{}}
	}
	out := map[string]any{}
	if created || cur.title != old.title {
		out["title"] = cur.title
	}
	if cur.bucketID != old.bucketID && cur.bucketID != "" {
		out["bucketId"] = cur.bucketID
	}
	if cur.orderHint != old.orderHint && cur.orderHint != "" {
		out["orderHint"] = cur.orderHint
	}
	if cur.assigneePriority != old.assigneePriority && cur.assigneePriority != "" {
		out["assigneePriority"] = cur.assigneePriority
	}
	if cur.conversationThreadID != old.conversationThreadID {
		out["conversationThreadId"] = nullIfEmpty(cur.conversationThreadID)
	}
	if cur.percentComplete != old.percentComplete {
		out["percentComplete"] = cur.percentComplete
	}
	if cur.priority != old.priority {
		out["priority"] = cur.priority
	}
	if !sameTime(cur.start, old.start) {
		out["startDateTime"] = timeValue(cur.start)
	}
	if !sameTime(cur.due, old.due) {
		out["dueDateTime"] = timeValue(cur.due)
	}
	if cur.previewType != old.previewType && cur.previewType != "" {
		out["previewType"] = cur.previewType
	}
	if c := boolChanges(old.categories, cur.categories); len(c) > 0 {
		out["appliedCategories"] = c
	}
	as := map[string]any{}
	for id, hint := range cur.assignments {
		if prev, ok := old.assignments[id]; !ok || prev != hint {
			if hint == "" {
				hint = First
			}
			as[id] = map[string]any{"@odata.type": assignmentType, "orderHint": hint}
		}
	}
	for id := range old.assignments {
		if _, ok := cur.assignments[id]; !ok {
			as[id] = nil
		}
	}
	if len(as) > 0 {
		out["assignments"] = as
	}
	return out
}

func (d *PlanDetails) changes() map[string]any {
	cur := d.writable()
	old := d.snap
	if old == nil {
		old = &planDetailsWritable{sharedWith: map[string]bool{}, categories: map[string]string{}}
	}
	out := map[string]any{}
	if c := boolChanges(old.sharedWith, cur.sharedWith); len(c) > 0 {
		out["sharedWith"] = c
	}
	cats := map[string]any{}
	for k, v := range cur.categories {
		if old.categories[k] != v {
			cats[k] = nullIfEmpty(v)
		}
	}
	for k, v := range old.categories {
		if _, ok := cur.categories[k]; !ok && v != "" {
			cats[k] = nil
		}
	}
	if len(cats) > 0 {
		out["categoryDescriptions"] = cats
	}
	return out
}

func checklistEntry(it ChecklistItem) map[string]any {
	e := map[string]any{"@odata.type": checklistType, "title": it.Title, "isChecked": it.IsChecked}
	if it.OrderHint != "" {
		e["orderHint"] = it.OrderHint
	}
	return e
}

func referenceEntry(r ExternalReference) map[string]any {
	e := map[string]any{"@odata.type": referenceType, "alias": r.Alias}
	if r.Type != "" {
		e["type"] = r.Type
	}
	if r.PreviewPriority != "" {
		e["previewPriority"] = r.PreviewPriority
	}
	return e
}

func (d *TaskDetails) changes() map[string]any {
	cur := d.writable()
	old := d.snap
	if old == nil {
		old = &taskDetailsWritable{checklist: map[string]ChecklistItem{}, references: map[string]ExternalReference{}}
	}
	out := map[string]any{}
	if cur.description != old.description {
		out["description"] = cur.description
	}
	if cur.previewType != old.previewType && cur.previewType != "" {
		out["previewType"] = cur.previewType
	}
	list := map[string]any{}
	for id, it := range cur.checklist {
		if prev, ok := old.checklist[id]; !ok || prev.Title != it.Title || prev.IsChecked != it.IsChecked || prev.OrderHint != it.OrderHint {
			list[id] = checklistEntry(it)
		}
	}
	for id := range old.checklist {
		if _, ok := cur.checklist[id]; !ok {
			list[id] = nil
		}
	}
	if len(list) > 0 {
		out["checklist"] = list
	}
	refs := map[string]any{}
	for u, r := range cur.references {
		if prev, ok := old.references[u]; !ok || prev.Alias != r.Alias || prev.Type != r.Type || prev.PreviewPriority != r.PreviewPriority {
			refs[EncodeReferenceKey(u)] = referenceEntry(r)
		}
	}
	for u := range old.references {
		if _, ok := cur.references[u]; !ok {
			refs[EncodeReferenceKey(u)] = nil
		}
	}
	if len(refs) > 0 {
		out["references"] = refs
	}
	return out
}
