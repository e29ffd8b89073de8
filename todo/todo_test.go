package todo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
	"github.com/o365go/o365/todo"
)

func start(t *testing.T, opts ...o365test.Option) (*o365.Account, *emulator.Server) {
	t.Helper()
	return o365test.Start(t, opts...)
}

func demo() o365test.Option {
	return o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" })
}

func collect[T any](t *testing.T, seq func(func(*T, error) bool)) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestDefaultListAndLists(t *testing.T) {
	ctx := context.Background()
	acct, _ := start(t)
	td := acct.ToDo()
	def, err := td.DefaultList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if def.DisplayName != "Tasks" || !def.IsDefault() || !def.IsOwner {
		t.Fatalf("default list = %+v", def)
	}
	travel, err := td.CreateList(ctx, "Travel items")
	if err != nil {
		t.Fatal(err)
	}
	if travel.WellknownListName != todo.WellknownNone || travel.ID == "" {
		t.Fatalf("created %+v", travel)
	}
	got, err := td.ListByName(ctx, "TRAVEL ITEMS")
	if err != nil || got.ID != travel.ID {
		t.Fatalf("ListByName = %v, %v", got, err)
	}
	if _, err := td.ListByName(ctx, "Travel"); !errors.Is(err, todo.ErrListNotFound) || !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("prefix matched or wrong error: %v", err)
	}
	if _, err := td.CreateList(ctx, "travel items"); err != nil {
		t.Fatal(err)
	}
	if _, err := td.ListByName(ctx, "Travel items"); !errors.Is(err, todo.ErrAmbiguousList) || !strings.Contains(err.Error(), travel.ID) {
		t.Fatalf("ambiguous: %v", err)
	}
	if err := travel.Rename(ctx, "Vacation Plan"); err != nil || travel.DisplayName != "Vacation Plan" {
		t.Fatalf("rename: %v %+v", err, travel)
	}
	again, err := td.List(travel.ID).Get(ctx)
	if err != nil || again.DisplayName != "Vacation Plan" {
		t.Fatalf("get after rename: %v %+v", err, again)
	}
	lists := collect(t, td.Lists(ctx, nil))
	if len(lists) != 3 {
		t.Fatalf("%d lists", len(lists))
	}
	if err := travel.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := td.List(travel.ID).Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted list: %v", err)
	}
	if err := def.Delete(ctx); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("deleting the default list: %v", err)
	}
	if _, err := td.CreateList(ctx, "  "); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("empty name: %v", err)
	}
	if _, err := td.List("nope").Rename(ctx, "x"); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("rename missing: %v", err)
	}
}

// Every page: python-o365 reads only the first page of tasks.
func TestTasksEveryPage(t *testing.T) {
	ctx := context.Background()
	acct, srv := start(t)
	td := acct.ToDo()
	l, err := td.CreateList(ctx, "Many")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		if err := l.List().NewTask(fmt.Sprintf("task %02d", i)).Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	srv.ResetLog()
	tasks := collect(t, l.List().Tasks(ctx, nil))
	if len(tasks) != 25 || tasks[24].Title != "task 24" {
		t.Fatalf("%d tasks", len(tasks))
	}
	pages := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/tasks") {
			pages++
		}
	}
	if pages != 3 {
		t.Fatalf("%d pages, want 3 (pages of 10)", pages)
	}
	limited := collect(t, l.List().Tasks(ctx, &graph.ListOptions{Limit: 12, PageSize: 5}))
	if len(limited) != 12 {
		t.Fatalf("limit: %d", len(limited))
	}
	q := odata.New().Filter(odata.Attr("title").Eq("task 07"))
	filtered := collect(t, l.List().Tasks(ctx, &graph.ListOptions{Query: q}))
	if len(filtered) != 1 || filtered[0].Title != "task 07" {
		t.Fatalf("filter: %v", filtered)
	}
}

func TestTaskEveryProperty(t *testing.T) {
	ctx := context.Background()
	acct, _ := start(t)
	def, err := acct.ToDo().DefaultList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zone data")
	}
	due := time.Date(2026, 12, 1, 17, 0, 0, 0, paris)
	task := def.List().NewTask("Shop for dinner")
	task.Body = graph.Text("bread, cheese")
	task.Importance = todo.ImportanceHigh
	task.Status = todo.StatusInProgress
	task.IsReminderOn = true
	task.ReminderDateTime = todo.At(due.Add(-time.Hour))
	task.DueDateTime = todo.At(due)
	task.StartDateTime = todo.At(due.AddDate(0, 0, -1))
	task.Categories = []string{"Home", "Food"}
	task.Recurrence = &todo.PatternedRecurrence{
		Pattern: todo.RecurrencePattern{Type: todo.Weekly, Interval: 1, DaysOfWeek: []todo.DayOfWeek{todo.Tuesday}, FirstDayOfWeek: todo.Sunday},
		Range:   todo.RecurrenceRange{Type: todo.RangeNoEnd, StartDate: "2026-12-01"},
	}
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if task.ID == "" || task.ETag == "" || task.CreatedDateTime.IsZero() || task.BodyLastModifiedDateTime.IsZero() {
		t.Fatalf("service fields missing: %+v", task)
	}
	got, err := def.List().Task(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	// To Do keeps due dates as days: midnight of the date in the zone given, answered
	// in UTC. Read back in that zone, the day is the one set.
	dueBack, err := got.DueDateTime.In(paris)
	if err != nil || !dueBack.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, paris)) || got.DueDateTime.TimeZone != "UTC" {
		t.Fatalf("due %v %v (%+v), want 2026-12-01 in Paris", dueBack, err, got.DueDateTime)
	}
	if rem, err := got.ReminderDateTime.Time(); err != nil || !rem.Equal(due.Add(-time.Hour)) {
		t.Fatalf("reminder %v %v, want %v", rem, err, due.Add(-time.Hour))
	}
	want := *task
	if diff := cmp.Diff(&want, got, cmp.AllowUnexported(todo.Task{}, todo.ToDo{}), cmp.Comparer(func(a, b *todo.ToDo) bool { return true })); diff != "" {
		t.Fatalf("read back differs (-saved +read):\n%s", diff)
	}

	// Save sends only what changed: a concurrent change of another field survives.
	other, _ := def.List().Task(ctx, task.ID)
	other.Importance = todo.ImportanceLow
	if err := other.Save(ctx); err != nil {
		t.Fatal(err)
	}
	stale := got.ETag
	got.Title = "Shop for lunch"
	if err := got.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if got.Title != "Shop for lunch" || got.Importance != todo.ImportanceLow {
		t.Fatalf("after save: %q %q", got.Title, got.Importance)
	}
	// If-Match with a stale etag: 412.
	got.Title = "x"
	if err := got.Save(ctx, graph.IfMatch(stale)); !errors.Is(err, graph.ErrPreconditionFailed) {
		t.Fatalf("stale etag: %v", err)
	}
	got.Title = "Shop for lunch"

	// Clearing: nil dates, empty categories, false, "" are sent.
	got.Recurrence = nil
	got.DueDateTime = nil
	got.ReminderDateTime = nil
	got.IsReminderOn = false
	got.Categories = nil
	got.Body = graph.Text("")
	if err := got.Save(ctx); err != nil {
		t.Fatal(err)
	}
	fresh, err := def.List().Task(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.DueDateTime != nil || fresh.ReminderDateTime != nil || fresh.IsReminderOn || len(fresh.Categories) != 0 ||
		fresh.Recurrence != nil || fresh.Body.Content != "" || fresh.StartDateTime == nil {
		t.Fatalf("not cleared: %+v", fresh)
	}
	// Nothing changed: no request, no error.
	if err := fresh.Save(ctx); err != nil {
		t.Fatal(err)
	}
	// Invalid values come back as 400.
	fresh.Status = "someday"
	if err := fresh.Save(ctx); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("bad status: %v", err)
	}
}

func TestCompleteReopenDelete(t *testing.T) {
	ctx := context.Background()
	acct, _ := start(t)
	def, err := acct.ToDo().DefaultList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	task := def.List().NewTask("File taxes")
	if err := task.Complete(ctx); !errors.Is(err, todo.ErrNotSaved) {
		t.Fatalf("complete unsaved: %v", err)
	}
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if task.Status != todo.StatusNotStarted || task.Importance != todo.ImportanceNormal {
		t.Fatalf("defaults: %+v", task)
	}
	if err := task.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	if !task.IsCompleted() || task.CompletedDateTime == nil {
		t.Fatalf("completed: %+v", task)
	}
	open := collect(t, def.List().Tasks(ctx, &graph.ListOptions{Query: odata.New().Filter(odata.Attr("status").Ne("completed"))}))
	if len(open) != 0 {
		t.Fatalf("open tasks: %d", len(open))
	}
	if err := task.Reopen(ctx); err != nil {
		t.Fatal(err)
	}
	if task.IsCompleted() || task.CompletedDateTime != nil {
		t.Fatalf("reopened: %+v", task)
	}
	if err := task.Delete(ctx, graph.IfMatch(`W/"stale"`)); !errors.Is(err, graph.ErrPreconditionFailed) {
		t.Fatalf("delete stale: %v", err)
	}
	if err := task.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := def.List().Task(ctx, task.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
	if err := task.Delete(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestChecklist(t *testing.T) {
	ctx := context.Background()
	acct, _ := start(t)
	def, err := acct.ToDo().DefaultList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	task := def.List().NewTask("Write report")
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := task.AddChecklistItem(ctx, "Create draft")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := task.AddChecklistItem(ctx, "Review with the team"); err != nil {
		t.Fatal(err)
	}
	if a.IsChecked || a.CreatedDateTime.IsZero() || a.ID == "" {
		t.Fatalf("new item %+v", a)
	}
	if err := a.Check(ctx); err != nil || !a.IsChecked || a.CheckedDateTime.IsZero() {
		t.Fatalf("check: %v %+v", err, a)
	}
	a.DisplayName = "Create the draft"
	if err := a.Save(ctx); err != nil || a.DisplayName != "Create the draft" || !a.IsChecked {
		t.Fatalf("save: %v %+v", err, a)
	}
	if err := a.Uncheck(ctx); err != nil || a.IsChecked || !a.CheckedDateTime.IsZero() {
		t.Fatalf("uncheck: %v %+v", err, a)
	}
	items := collect(t, task.Checklist(ctx, nil))
	if len(items) != 2 || items[0].DisplayName != "Create the draft" {
		t.Fatalf("items %v", items)
	}
	one, err := task.ChecklistItem(ctx, a.ID)
	if err != nil || one.DisplayName != "Create the draft" {
		t.Fatalf("get item: %v %+v", err, one)
	}
	expanded := collect(t, def.List().Tasks(ctx, &graph.ListOptions{Query: odata.New().Expand("checklistItems")}))
	if len(expanded) != 1 || len(expanded[0].ChecklistItems) != 2 {
		t.Fatalf("expand: %+v", expanded)
	}
	if err := expanded[0].ChecklistItems[1].Check(ctx); err != nil {
		t.Fatalf("expanded items are bound: %v", err)
	}
	if err := a.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := task.ChecklistItem(ctx, a.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("deleted item: %v", err)
	}
	if _, err := task.AddChecklistItem(ctx, ""); !errors.Is(err, graph.ErrBadRequest) {
		t.Fatalf("empty name: %v", err)
	}
}

func TestDelta(t *testing.T) {
	ctx := context.Background()
	acct, _ := start(t)
	td := acct.ToDo()
	ld := td.ListsDelta("")
	initial := 0
	for ch, err := range ld.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Removed {
			t.Fatalf("removal in the initial round: %+v", ch)
		}
		initial++
	}
	if initial != 1 || ld.DeltaLink() == "" {
		t.Fatalf("initial round: %d, %q", initial, ld.DeltaLink())
	}
	a, _ := td.CreateList(ctx, "A")
	b, _ := td.CreateList(ctx, "B")
	if err := b.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	saved := ld.DeltaLink()
	var changed, removed []string
	for ch, err := range td.ListsDelta(saved).Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Removed {
			removed = append(removed, ch.ID)
		} else {
			changed = append(changed, ch.Item.DisplayName)
		}
	}
	if diff := cmp.Diff([]string{"A"}, changed); diff != "" {
		t.Fatal(diff)
	}
	if diff := cmp.Diff([]string{b.ID}, removed); diff != "" {
		t.Fatal(diff)
	}

	// Tasks: the initial round spans pages; then an update and a deletion.
	var tasks []*todo.Task
	for i := range 13 {
		task := a.List().NewTask(fmt.Sprintf("t%d", i))
		if err := task.Save(ctx); err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, task)
	}
	d := a.List().Delta("", &graph.ListOptions{PageSize: 5})
	n := 0
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if err := ch.Item.Save(ctx); err != nil { // bound: Save works (nothing to send)
			t.Fatal(err)
		}
	}
	if n != 13 {
		t.Fatalf("initial task round: %d", n)
	}
	if err := tasks[0].Complete(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tasks[1].Delete(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if ch.Removed {
			got = append(got, "removed "+ch.ID)
		} else {
			got = append(got, "changed "+ch.Item.Title+" "+string(ch.Item.Status))
		}
	}
	if diff := cmp.Diff([]string{"changed t0 completed", "removed " + tasks[1].ID}, got); diff != "" {
		t.Fatal(diff)
	}
	bad := strings.Replace(d.DeltaLink(), "deltatoken=TD", "deltatoken=XX", 1)
	for _, err := range a.List().Delta(bad, nil).Changes(ctx) {
		if !errors.Is(err, todo.ErrSyncStateExpired) {
			t.Fatalf("bad token: %v", err)
		}
	}
}

func TestUnboundAndEmpty(t *testing.T) {
	ctx := context.Background()
	var task todo.Task
	if err := json.Unmarshal([]byte(`{"id":"x","title":"t"}`), &task); err != nil {
		t.Fatal(err)
	}
	if err := task.Save(ctx); !errors.Is(err, todo.ErrUnbound) {
		t.Fatalf("unbound save: %v", err)
	}
	if err := task.Delete(ctx); !errors.Is(err, todo.ErrUnbound) {
		t.Fatalf("unbound delete: %v", err)
	}
	var item todo.ChecklistItem
	if err := item.Check(ctx); !errors.Is(err, todo.ErrUnbound) {
		t.Fatalf("unbound item: %v", err)
	}
	var tl todo.TaskList
	if err := tl.Delete(ctx); !errors.Is(err, todo.ErrUnbound) {
		t.Fatalf("unbound list: %v", err)
	}
	acct, _ := start(t)
	if _, err := acct.ToDo().List("").Get(ctx); !errors.Is(err, todo.ErrEmptyID) {
		t.Fatalf("empty id: %v", err)
	}
	def, err := acct.ToDo().DefaultList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := def.List().Task(ctx, ""); !errors.Is(err, todo.ErrEmptyID) {
		t.Fatalf("empty task id: %v", err)
	}
	for _, err := range acct.ToDo().List("").Tasks(ctx, nil) {
		if !errors.Is(err, todo.ErrEmptyID) {
			t.Fatalf("tasks of empty id: %v", err)
		}
	}
}

func TestPermissions(t *testing.T) {
	ctx := context.Background()
	acct, _ := start(t, o365test.WithScopes("basic", "tasks"))
	td := acct.ToDo()
	if _, err := td.DefaultList(ctx); err != nil {
		t.Fatalf("Tasks.Read reads: %v", err)
	}
	if _, err := td.CreateList(ctx, "x"); !errors.Is(err, graph.ErrForbidden) {
		t.Fatalf("Tasks.Read creates: %v", err)
	}
	for _, err := range td.ListsDelta("").Changes(ctx) {
		if !errors.Is(err, graph.ErrForbidden) {
			t.Fatalf("list delta needs Tasks.ReadWrite: %v", err)
		}
	}
	if _, err := td.List("x").Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("missing list: %v", err)
	}
	if _, err := acct.ToDo(graph.User("MiriamG@contoso.onmicrosoft.com")).DefaultList(ctx); !errors.Is(err, graph.ErrForbidden) {
		t.Fatalf("another user's To Do, delegated: %v", err)
	}
}

func TestAppOnly(t *testing.T) {
	ctx := context.Background()
	acct, srv := start(t, o365test.AppOnly(), demo())
	td := acct.ToDo(graph.User(srv.DefaultUser().UPN))
	l, err := td.ListByName(ctx, "project falcon")
	if err != nil {
		t.Fatal(err)
	}
	tasks := collect(t, l.List().Tasks(ctx, &graph.ListOptions{Query: odata.New().Expand("checklistItems")}))
	if len(tasks) != 2 || len(tasks[0].ChecklistItems) != 3 || tasks[1].Recurrence == nil {
		t.Fatalf("seeded tasks: %+v", tasks)
	}
	if _, err := acct.ToDo(graph.User("nobody@contoso.onmicrosoft.com")).DefaultList(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}
