package planner

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/o365go/o365/graph"
)

// ContainerType is the kind of resource a plan belongs to.
type ContainerType string

// Container types. Plans made through this package are contained by groups.
const (
	ContainerGroup  ContainerType = "group"
	ContainerRoster ContainerType = "roster"
)

// PreviewType says what a task's card shows.
type PreviewType string

// Preview types.
const (
	PreviewAutomatic   PreviewType = "automatic"
	PreviewNone        PreviewType = "noPreview"
	PreviewChecklist   PreviewType = "checklist"
	PreviewDescription PreviewType = "description"
	PreviewReference   PreviewType = "reference"
)

// ReferenceType is the kind of document a reference points to.
type ReferenceType string

// Reference types.
const (
	ReferencePowerPoint     ReferenceType = "PowerPoint"
	ReferenceExcel          ReferenceType = "Excel"
	ReferenceWord           ReferenceType = "Word"
	ReferencePdf            ReferenceType = "Pdf"
	ReferenceOneNote        ReferenceType = "OneNote"
	ReferenceOneNoteSection ReferenceType = "OneNoteSection"
	ReferenceOneNotePage    ReferenceType = "OneNotePage"
	ReferenceProject        ReferenceType = "Project"
	ReferenceVisio          ReferenceType = "Visio"
	ReferenceOther          ReferenceType = "Other"
)

// Task priorities: Planner stores 0 to 10 and shows 0-1 as urgent, 2-4 important, 5-7
// medium and 8-10 low. These are the values its own apps write.
const (
	PriorityUrgent    = 1
	PriorityImportant = 3
	PriorityMedium    = 5
	PriorityLow       = 9
)

// PlanContainer is the resource a plan belongs to (plannerPlanContainer): its members may
// use the plan, and deleting it deletes the plan.
type PlanContainer struct {
	ODataType   string        `json:"@odata.type,omitempty"`
	ContainerID string        `json:"containerId,omitempty"`
	Type        ContainerType `json:"type,omitempty"`
	URL         string        `json:"url,omitempty"`
}

// Plan is a Planner plan (plannerPlan). Plans read through a Planner are bound to it: Save,
// Delete, Details, Buckets, Tasks and the other verbs work on them.
type Plan struct {
	// ETag is the plan's version; writes send it in If-Match.
	ETag            string             `json:"@odata.etag,omitempty"`
	ID              string             `json:"id,omitempty"`
	Title           string             `json:"title"`
	CreatedDateTime time.Time          `json:"createdDateTime,omitzero"`
	CreatedBy       *graph.IdentitySet `json:"createdBy,omitempty"`
	// Owner is the id of the plan's group, as Graph still reports it; it is deprecated in
	// favour of Container and never sent.
	Owner     string         `json:"owner,omitempty"`
	Container *PlanContainer `json:"container,omitempty"`

	p    *Planner
	snap *planWritable
}

// PlanDetails are a plan's details (plannerPlanDetails): the names of its categories and
// the users it is shared with.
type PlanDetails struct {
	ETag string `json:"@odata.etag,omitempty"`
	ID   string `json:"id,omitempty"`
	// SharedWith holds the ids of the users the plan is shared with (true). Delete an id
	// (or set it false) to stop sharing.
	SharedWith map[string]bool `json:"sharedWith,omitempty"`
	// CategoryDescriptions names the categories, "category1" to "category25". An empty
	// or deleted name clears it.
	CategoryDescriptions map[string]string `json:"categoryDescriptions,omitempty"`

	p    *Planner
	snap *planDetailsWritable
}

// Bucket is a column of a plan's board (plannerBucket).
type Bucket struct {
	ETag      string `json:"@odata.etag,omitempty"`
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	PlanID    string `json:"planId,omitempty"`
	OrderHint string `json:"orderHint,omitempty"`

	p    *Planner
	snap *bucketWritable
}

// Assignment is a user's assignment to a task (plannerAssignment); Task.Assignments keys
// them by user id.
type Assignment struct {
	ODataType        string             `json:"@odata.type,omitempty"`
	AssignedBy       *graph.IdentitySet `json:"assignedBy,omitempty"`
	AssignedDateTime time.Time          `json:"assignedDateTime,omitzero"`
	// OrderHint orders the user's tasks in their "assigned to me" view; see Between.
	OrderHint string `json:"orderHint,omitempty"`
}

// UnmarshalJSON reads an assignment, accepting timestamps without a zone (some Planner
// answers carry them; they are UTC).
func (a *Assignment) UnmarshalJSON(b []byte) error {
	type plain Assignment
	var v struct {
		plain
		AssignedDateTime string `json:"assignedDateTime"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*a = Assignment(v.plain)
	if v.AssignedDateTime != "" {
		t, err := parseTime(v.AssignedDateTime)
		if err != nil {
			return err
		}
		a.AssignedDateTime = t
	}
	return nil
}

// parseTime reads an ISO 8601 timestamp with or without a zone (none means UTC).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05.999999999", s)
}

// Task is a Planner task (plannerTask). Tasks read through a Planner, or made with
// Plan.NewTask or Bucket.NewTask, are bound to it: Save, Delete, Details and Complete work
// on them. Save sends only the fields changed since the task was read.
type Task struct {
	// ETag is the task's version; Save and Delete send it in If-Match.
	ETag     string `json:"@odata.etag,omitempty"`
	ID       string `json:"id,omitempty"`
	PlanID   string `json:"planId,omitempty"`
	BucketID string `json:"bucketId,omitempty"`
	Title    string `json:"title"`
	// OrderHint orders the task in lists; set it with Between.
	OrderHint string `json:"orderHint,omitempty"`
	// AssigneePriority orders the task in its assignees' lists.
	AssigneePriority string `json:"assigneePriority,omitempty"`
	// PercentComplete is 0 (not started) to 100 (completed, which stamps
	// CompletedDateTime).
	PercentComplete int `json:"percentComplete"`
	// Priority is 0 to 10 (see PriorityUrgent and the others); the service's default is 5.
	Priority          int                `json:"priority"`
	StartDateTime     *time.Time         `json:"startDateTime,omitempty"`
	DueDateTime       *time.Time         `json:"dueDateTime,omitempty"`
	CreatedDateTime   time.Time          `json:"createdDateTime,omitzero"`
	CreatedBy         *graph.IdentitySet `json:"createdBy,omitempty"`
	CompletedDateTime *time.Time         `json:"completedDateTime,omitempty"`
	CompletedBy       *graph.IdentitySet `json:"completedBy,omitempty"`
	HasDescription    bool               `json:"hasDescription"`
	PreviewType       PreviewType        `json:"previewType,omitempty"`
	// The counts of the task's references and checklist items (TaskDetails holds them).
	ReferenceCount           int    `json:"referenceCount"`
	ChecklistItemCount       int    `json:"checklistItemCount"`
	ActiveChecklistItemCount int    `json:"activeChecklistItemCount"`
	ConversationThreadID     string `json:"conversationThreadId,omitempty"`
	// AppliedCategories holds the plan's categories set on the task ("category1" ...
	// "category25": true). Delete one (or set it false) to clear it.
	AppliedCategories map[string]bool `json:"appliedCategories,omitempty"`
	// Assignments are the users assigned, by user id. Assign and Unassign change them.
	Assignments map[string]Assignment `json:"assignments,omitempty"`

	p    *Planner
	snap *taskWritable
}

// IsCompleted reports whether the task is complete (100 percent).
func (t *Task) IsCompleted() bool { return t.PercentComplete >= 100 }

// AssignedTo reports whether the user (by id) is assigned to the task.
func (t *Task) AssignedTo(userID string) bool {
	_, ok := t.Assignments[userID]
	return ok
}

// Assign assigns the user (by id) to the task, first in their list, unless they are
// already; Save sends it.
func (t *Task) Assign(userIDs ...string) {
	if t.Assignments == nil {
		t.Assignments = map[string]Assignment{}
	}
	for _, id := range userIDs {
		if _, ok := t.Assignments[id]; !ok {
			t.Assignments[id] = Assignment{ODataType: assignmentType, OrderHint: First}
		}
	}
}

// Unassign removes the users (by id) from the task; Save sends it.
func (t *Task) Unassign(userIDs ...string) {
	for _, id := range userIDs {
		delete(t.Assignments, id)
	}
}

// ChecklistItem is one item of a task's checklist (plannerChecklistItem); TaskDetails keys
// them by a GUID the client chooses.
type ChecklistItem struct {
	ODataType            string             `json:"@odata.type,omitempty"`
	Title                string             `json:"title"`
	IsChecked            bool               `json:"isChecked"`
	OrderHint            string             `json:"orderHint,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`
}

// ExternalReference is a link attached to a task (plannerExternalReference).
type ExternalReference struct {
	ODataType string        `json:"@odata.type,omitempty"`
	Alias     string        `json:"alias,omitempty"`
	Type      ReferenceType `json:"type,omitempty"`
	// PreviewPriority orders the references; set it with Between.
	PreviewPriority      string             `json:"previewPriority,omitempty"`
	LastModifiedBy       *graph.IdentitySet `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time          `json:"lastModifiedDateTime,omitzero"`
}

// References are a task's links by URL. The map's keys are the plain URLs
// ("https://contoso.sharepoint.com/a.docx"); on the wire Planner keys them with "%", ".",
// ":", "@" and "#" percent-encoded, which the JSON methods do and undo.
type References map[string]ExternalReference

// MarshalJSON writes the references keyed as Planner wants them.
func (r References) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	m := make(map[string]ExternalReference, len(r))
	for k, v := range r {
		m[EncodeReferenceKey(k)] = v
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads Planner's encoded keys back to URLs.
func (r *References) UnmarshalJSON(b []byte) error {
	var m map[string]ExternalReference
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if m == nil {
		*r = nil
		return nil
	}
	out := make(References, len(m))
	for k, v := range m {
		out[DecodeReferenceKey(k)] = v
	}
	*r = out
	return nil
}

var referenceKeyEncoder = strings.NewReplacer("%", "%25", ".", "%2E", ":", "%3A", "@", "%40", "#", "%23")

// EncodeReferenceKey writes a URL as a key of a task's references: "%", ".", ":", "@"
// and "#" percent-encoded, e.g. "https://contoso.com/a" → "https%3A//contoso%2Ecom/a".
func EncodeReferenceKey(u string) string { return referenceKeyEncoder.Replace(u) }

// DecodeReferenceKey reads a references key back to its URL. A key that is not valid
// percent-encoding is returned as it is.
func DecodeReferenceKey(k string) string {
	u, err := url.PathUnescape(k)
	if err != nil {
		return k
	}
	return u
}

// TaskDetails are a task's description, checklist and references (plannerTaskDetails).
type TaskDetails struct {
	ETag        string      `json:"@odata.etag,omitempty"`
	ID          string      `json:"id,omitempty"`
	Description string      `json:"description"`
	PreviewType PreviewType `json:"previewType,omitempty"`
	// Checklist holds the items by id (a GUID); AddChecklistItem makes one.
	Checklist  map[string]ChecklistItem `json:"checklist,omitempty"`
	References References               `json:"references,omitempty"`

	p    *Planner
	snap *taskDetailsWritable
}

// AddChecklistItem adds an unchecked item titled title, after the others, and returns its
// new id; Save sends it.
func (d *TaskDetails) AddChecklistItem(title string) string {
	if d.Checklist == nil {
		d.Checklist = map[string]ChecklistItem{}
	}
	id := newGUID()
	d.Checklist[id] = ChecklistItem{ODataType: checklistType, Title: title}
	return id
}

// AddReference attaches a link (a plain URL; the key is encoded on the wire); Save sends
// it.
func (d *TaskDetails) AddReference(u, alias string, typ ReferenceType) {
	if d.References == nil {
		d.References = References{}
	}
	d.References[u] = ExternalReference{ODataType: referenceType, Alias: alias, Type: typ}
}

const (
	assignmentType = "#microsoft.graph.plannerAssignment"
	checklistType  = "#microsoft.graph.plannerChecklistItem"
	referenceType  = "#microsoft.graph.plannerExternalReference"
	containerType  = "#microsoft.graph.plannerPlanContainer"
)
