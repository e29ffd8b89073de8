package todo_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/todo"
)

// The documented examples decode into the models without loss: every documented property
// comes back when the model is encoded again.
func TestModelsDecodeDocumentedExamples(t *testing.T) {
	checked := 0
	for _, ex := range graphspec.Examples("todo") {
		body, ok := ex.ResponseBody.(map[string]any)
		if !ok {
			continue
		}
		if strings.HasSuffix(ex.Source, "todotasklist-get.md") {
			// The page wraps the list in "value" and writes booleans as strings.
			continue
		}
		items := []any{body}
		switch v := body["value"].(type) {
		case []any:
			items = v
		case map[string]any: // some pages wrap a single entity in "value"
			items = []any{v}
		}
		for _, it := range items {
			doc := it.(map[string]any)
			var model any
			switch {
			case strings.Contains(ex.Path, "linkedResources") || strings.Contains(ex.Path, "linkedresources"):
				model = &todo.LinkedResource{}
			case strings.Contains(strings.ToLower(ex.Path), "checklistitems"):
				model = &todo.ChecklistItem{}
			case strings.Contains(ex.Path, "/tasks"):
				model = &todo.Task{}
			default:
				model = &todo.TaskList{}
			}
			raw, _ := json.Marshal(doc)
			if err := json.Unmarshal(raw, model); err != nil {
				t.Errorf("%s: %v", ex.Source, err)
				continue
			}
			out, err := json.Marshal(model)
			if err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			for k, v := range doc {
				if k == "@odata.context" || strings.HasSuffix(k, "@odata.context") {
					continue
				}
				if !sameJSON(v, back[k]) {
					t.Errorf("%s: %T loses %s: documented %v, re-encoded %v", ex.Source, model, k, v, back[k])
				}
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("only %d documented bodies checked", checked)
	}
}

// sameJSON compares decoded JSON values, timestamps as instants.
func sameJSON(a, b any) bool {
	if as, ok := a.(string); ok {
		bs, _ := b.(string)
		ta, errA := time.Parse(time.RFC3339Nano, as)
		tb, errB := time.Parse(time.RFC3339Nano, bs)
		if errA == nil && errB == nil {
			return ta.Equal(tb)
		}
		return as == bs
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestTaskRoundTrip(t *testing.T) {
	in := `{"@odata.etag":"W/\"x\"","id":"1","title":"t","body":{"contentType":"html","content":"<p>x</p>"},"importance":"high",` +
		`"status":"waitingOnOthers","isReminderOn":true,"reminderDateTime":{"dateTime":"2026-01-02T09:00:00.0000000","timeZone":"UTC"},` +
		`"dueDateTime":{"dateTime":"2026-01-02T00:00:00.0000000","timeZone":"Pacific Standard Time"},` +
		`"startDateTime":{"dateTime":"2026-01-01T00:00:00.0000000","timeZone":"UTC"},"completedDateTime":{"dateTime":"2026-01-03T00:00:00.0000000","timeZone":"UTC"},` +
		`"recurrence":{"pattern":{"type":"relativeMonthly","interval":2,"month":0,"dayOfMonth":0,"daysOfWeek":["monday"],"firstDayOfWeek":"sunday","index":"first"},` +
		`"range":{"type":"numbered","startDate":"2026-01-01","endDate":"0001-01-01","recurrenceTimeZone":"UTC","numberOfOccurrences":5}},` +
		`"categories":["Red"],"createdDateTime":"2026-01-01T10:00:00.1234567Z","lastModifiedDateTime":"2026-01-01T11:00:00Z",` +
		`"bodyLastModifiedDateTime":"2026-01-01T11:00:00Z","hasAttachments":true,` +
		`"checklistItems":[{"id":"c","displayName":"step","isChecked":true,"checkedDateTime":"2026-01-01T12:00:00Z","createdDateTime":"2026-01-01T10:00:00Z"}]}`
	var task todo.Task
	if err := json.Unmarshal([]byte(in), &task); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(&task)
	if err != nil {
		t.Fatal(err)
	}
	var a, b map[string]any
	_ = json.Unmarshal([]byte(in), &a)
	_ = json.Unmarshal(out, &b)
	for k, v := range a {
		if !sameJSON(v, b[k]) {
			t.Errorf("%s: %v != %v", k, v, b[k])
		}
	}
	if len(a) != len(b) {
		t.Errorf("keys: %d in, %d out", len(a), len(b))
	}
}
