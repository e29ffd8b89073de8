package todo

import (
	"time"

	"github.com/o365go/o365/graph"
)

// Importance is a task's importance.
type Importance string

// Importance values.
const (
	ImportanceLow    Importance = "low"
	ImportanceNormal Importance = "normal"
	ImportanceHigh   Importance = "high"
)

// Status is a task's progress.
type Status string

// Status values.
const (
	StatusNotStarted      Status = "notStarted"
	StatusInProgress      Status = "inProgress"
	StatusCompleted       Status = "completed"
	StatusWaitingOnOthers Status = "waitingOnOthers"
	StatusDeferred        Status = "deferred"
)

// WellknownListName marks the lists To Do makes itself.
type WellknownListName string

// WellknownListName values.
const (
	WellknownNone          WellknownListName = "none"
	WellknownDefaultList   WellknownListName = "defaultList"
	WellknownFlaggedEmails WellknownListName = "flaggedEmails"
)

// TaskList is a To Do list (microsoft.graph.todoTaskList). Use List for its handle.
type TaskList struct {
	ODataType         string            `json:"@odata.type,omitempty"`
	ETag              string            `json:"@odata.etag,omitempty"`
	ID                string            `json:"id,omitempty"`
	DisplayName       string            `json:"displayName,omitempty"`
	IsOwner           bool              `json:"isOwner"`
	IsShared          bool              `json:"isShared"`
	WellknownListName WellknownListName `json:"wellknownListName,omitempty"`
	// Tasks is present only with $expand=tasks.
	Tasks []Task `json:"tasks,omitempty"`

	td *ToDo
}

// IsDefault reports whether the list is the user's default list ("Tasks").
func (l *TaskList) IsDefault() bool { return l.WellknownListName == WellknownDefaultList }

// Task is a To Do task (microsoft.graph.todoTask). Tasks read through a handle are bound
// to it: Save, Complete, Reopen, Delete and the checklist calls work on them. Dates and
// times the caller sets are graph.DateTimeTimeZone values (see At); a nil one is unset.
type Task struct {
	ODataType string `json:"@odata.type,omitempty"`
	// ETag is the task's version; pass graph.IfMatch(t.ETag) to Save or Delete to fail
	// with graph.ErrPreconditionFailed when someone else changed it.
	ETag  string `json:"@odata.etag,omitempty"`
	ID    string `json:"id,omitempty"`
	Title string `json:"title"`
	// Body is the task's note.
	Body              graph.ItemBody          `json:"body"`
	Importance        Importance              `json:"importance,omitempty"`
	Status            Status                  `json:"status,omitempty"`
	IsReminderOn      bool                    `json:"isReminderOn"`
	ReminderDateTime  *graph.DateTimeTimeZone `json:"reminderDateTime,omitempty"`
	DueDateTime       *graph.DateTimeTimeZone `json:"dueDateTime,omitempty"`
	StartDateTime     *graph.DateTimeTimeZone `json:"startDateTime,omitempty"`
	CompletedDateTime *graph.DateTimeTimeZone `json:"completedDateTime,omitempty"`
	// Recurrence repeats the task; a recurring task needs a DueDateTime.
	Recurrence *PatternedRecurrence `json:"recurrence,omitempty"`
	Categories []string             `json:"categories,omitempty"`

	// Set by the service.
	CreatedDateTime          time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime     time.Time `json:"lastModifiedDateTime,omitzero"`
	BodyLastModifiedDateTime time.Time `json:"bodyLastModifiedDateTime,omitzero"`
	HasAttachments           bool      `json:"hasAttachments"`

	// Navigation properties, present only with $expand.
	ChecklistItems  []ChecklistItem  `json:"checklistItems,omitempty"`
	LinkedResources []LinkedResource `json:"linkedResources,omitempty"`

	td     *ToDo
	listID string
	snap   *taskWritable
}

// IsCompleted reports whether the task's status is completed.
func (t *Task) IsCompleted() bool { return t.Status == StatusCompleted }

// ChecklistItem is a step of a task (microsoft.graph.checklistItem).
type ChecklistItem struct {
	ID              string    `json:"id,omitempty"`
	DisplayName     string    `json:"displayName"`
	IsChecked       bool      `json:"isChecked"`
	CheckedDateTime time.Time `json:"checkedDateTime,omitzero"`
	CreatedDateTime time.Time `json:"createdDateTime,omitzero"`

	td             *ToDo
	listID, taskID string
	snap           *itemWritable
}

// LinkedResource is an item in another application a task links to
// (microsoft.graph.linkedResource).
type LinkedResource struct {
	ODataType       string `json:"@odata.type,omitempty"`
	ID              string `json:"id,omitempty"`
	WebURL          string `json:"webUrl,omitempty"`
	ApplicationName string `json:"applicationName,omitempty"`
	DisplayName     string `json:"displayName,omitempty"`
	ExternalID      string `json:"externalId,omitempty"`
}

// PatternedRecurrence is how a task repeats (microsoft.graph.patternedRecurrence).
type PatternedRecurrence struct {
	Pattern RecurrencePattern `json:"pattern"`
	Range   RecurrenceRange   `json:"range"`
}

// RecurrencePatternType is the kind of a recurrence pattern.
type RecurrencePatternType string

// RecurrencePatternType values.
const (
	Daily           RecurrencePatternType = "daily"
	Weekly          RecurrencePatternType = "weekly"
	AbsoluteMonthly RecurrencePatternType = "absoluteMonthly"
	RelativeMonthly RecurrencePatternType = "relativeMonthly"
	AbsoluteYearly  RecurrencePatternType = "absoluteYearly"
	RelativeYearly  RecurrencePatternType = "relativeYearly"
)

// DayOfWeek is a day name as Graph writes it ("monday").
type DayOfWeek string

// DayOfWeek values.
const (
	Sunday    DayOfWeek = "sunday"
	Monday    DayOfWeek = "monday"
	Tuesday   DayOfWeek = "tuesday"
	Wednesday DayOfWeek = "wednesday"
	Thursday  DayOfWeek = "thursday"
	Friday    DayOfWeek = "friday"
	Saturday  DayOfWeek = "saturday"
)

// RecurrencePattern is the frequency of a recurrence (microsoft.graph.recurrencePattern).
type RecurrencePattern struct {
	Type           RecurrencePatternType `json:"type"`
	Interval       int                   `json:"interval"`
	Month          int                   `json:"month"`
	DayOfMonth     int                   `json:"dayOfMonth"`
	DaysOfWeek     []DayOfWeek           `json:"daysOfWeek,omitempty"`
	FirstDayOfWeek DayOfWeek             `json:"firstDayOfWeek,omitempty"`
	// Index is the week of the month for relative patterns: first, second, third,
	// fourth or last.
	Index string `json:"index,omitempty"`
}

// RecurrenceRangeType is how a recurrence ends.
type RecurrenceRangeType string

// RecurrenceRangeType values.
const (
	RangeEndDate  RecurrenceRangeType = "endDate"
	RangeNoEnd    RecurrenceRangeType = "noEnd"
	RangeNumbered RecurrenceRangeType = "numbered"
)

// RecurrenceRange is the span of a recurrence (microsoft.graph.recurrenceRange). Dates
// are "2006-01-02".
type RecurrenceRange struct {
	Type                RecurrenceRangeType `json:"type"`
	StartDate           string              `json:"startDate,omitempty"`
	EndDate             string              `json:"endDate,omitempty"`
	RecurrenceTimeZone  string              `json:"recurrenceTimeZone,omitempty"`
	NumberOfOccurrences int                 `json:"numberOfOccurrences"`
}

// At returns t as a *graph.DateTimeTimeZone for a task's date fields, in t's own zone
// (a Windows zone name when one exists); the zero time gives nil (unset).
func At(t time.Time) *graph.DateTimeTimeZone {
	if t.IsZero() {
		return nil
	}
	d := graph.NewDateTimeTimeZone(t)
	return &d
}
