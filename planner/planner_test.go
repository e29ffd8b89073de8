package planner_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/planner"
)

type fixture struct {
	acct   *o365.Account
	srv    *emulator.Server
	pl     *planner.Planner
	rec    *o365test.Recorder
	plan   *planner.Plan
	retail string
	adele  string
}

func start(t *testing.T) *fixture {
	t.Helper()
	rec := new(o365test.Recorder)
	acct, srv := o365test.Start(t,
		o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }),
		o365test.Record(rec))
	f := &fixture{acct: acct, srv: srv, pl: acct.Planner(), rec: rec, adele: srv.DefaultUser().ID}
	plans := collect(t, f.pl.MyPlans(context.Background(), nil))
	if len(plans) != 1 || plans[0].Title != "Store Refresh" || plans[0].Container == nil {
		t.Fatalf("my plans: %+v", plans)
	}
	f.plan, f.retail = plans[0], plans[0].Container.ContainerID
	return f
}

// writes returns the Planner writes the client sent.
func (f *fixture) writes() o365test.Requests {
	var out o365test.Requests
	for _, r := range f.rec.Sent() {
		if strings.Contains(r.Path, "/planner/") && r.Method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

// last returns the last Planner write the client sent.
func (f *fixture) last(t *testing.T) o365test.Request {
	t.Helper()
	w := f.writes()
	if len(w) == 0 {
		t.Fatal("no write sent")
	}
	return w[len(w)-1]
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

func seqErr[T any](seq func(func(*T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// Every listing follows every page (python-o365 reads only the first page of buckets,
// group plans, user tasks and bucket tasks).
func TestPlannerListsFollowEveryPage(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	small := &graph.ListOptions{PageSize: 1}
	mine := collect(t, f.pl.MyTasks(ctx, nil))
	if len(mine) != 15 {
		t.Errorf("my tasks: %d, want 15", len(mine))
	}
	for _, task := range mine {
		if !task.AssignedTo(f.adele) || task.ETag == "" || task.PlanID != f.plan.ID {
			t.Errorf("my task %+v", task)
		}
	}
	if n := len(collect(t, f.pl.UserTasks(ctx, f.adele, small))); n != 15 {
		t.Errorf("user tasks, one per page: %d", n)
	}
	if n := len(collect(t, f.pl.MyTasks(ctx, &graph.ListOptions{Limit: 4}))); n != 4 {
		t.Errorf("limit 4: %d", n)
	}
	for _, title := range []string{"Launch", "Relaunch"} {
		if _, err := f.pl.CreatePlan(ctx, f.retail, title); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(collect(t, f.pl.GroupPlans(ctx, f.retail, small))); n != 3 {
		t.Errorf("group plans, one per page: %d", n)
	}
	buckets := collect(t, f.plan.Buckets(ctx, small))
	var names []string
	for _, b := range buckets {
		names = append(names, b.Name)
		if n := len(collect(t, b.Tasks(ctx, &graph.ListOptions{PageSize: 3}))); n != 10 {
			t.Errorf("bucket %s: %d tasks", b.Name, n)
		}
	}
	if diff := cmp.Diff([]string{"To do", "In progress", "Done"}, names); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	if n := len(collect(t, f.plan.Tasks(ctx, nil))); n != 30 {
		t.Errorf("plan tasks: %d", n)
	}
}

func TestPlannerReads(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	plan, err := f.pl.Plan(ctx, f.plan.ID)
	if err != nil || plan.Title != "Store Refresh" || plan.Container.Type != planner.ContainerGroup || plan.CreatedBy == nil {
		t.Fatalf("plan: %+v %v", plan, err)
	}
	det, err := plan.Details(ctx)
	if err != nil || det.CategoryDescriptions["category1"] != "Urgent" || !det.SharedWith[f.adele] {
		t.Fatalf("plan details: %+v %v", det, err)
	}
	bucket := collect(t, plan.Buckets(ctx, nil))[0]
	b, err := f.pl.Bucket(ctx, bucket.ID)
	if err != nil || b.Name != "To do" || b.PlanID != plan.ID {
		t.Fatalf("bucket: %+v %v", b, err)
	}
	var measured *planner.Task
	for _, task := range collect(t, plan.Tasks(ctx, nil)) {
		if task.Title == "Measure the shop floor" {
			measured = task
		}
	}
	task, err := f.pl.Task(ctx, measured.ID)
	if err != nil || task.Title != measured.Title || task.DueDateTime == nil || !task.AssignedTo(f.adele) {
		t.Fatalf("task: %+v %v", task, err)
	}
	d, err := task.Details(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d.Description, "Measure") || len(d.Checklist) != 3 || len(d.References) != 1 {
		t.Fatalf("details: %+v", d)
	}
	for u, ref := range d.References {
		if !strings.HasPrefix(u, "https://contoso.sharepoint.com/") || ref.Type != planner.ReferenceWord {
			t.Errorf("reference %q: %+v", u, ref)
		}
	}
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"plan", errOf(f.pl.Plan(ctx, "nope")), graph.ErrNotFound},
		{"bucket", errOf(f.pl.Bucket(ctx, "nope")), graph.ErrNotFound},
		{"task", errOf(f.pl.Task(ctx, "nope")), graph.ErrNotFound},
		{"task details", errOf(f.pl.TaskDetails(ctx, "nope")), graph.ErrNotFound},
		{"plan details", errOf(f.pl.PlanDetails(ctx, "nope")), graph.ErrNotFound},
		{"empty plan id", errOf(f.pl.Plan(ctx, "")), planner.ErrEmptyID},
		{"empty group", seqErr(f.pl.GroupPlans(ctx, "", nil)), planner.ErrEmptyID},
		{"empty user", seqErr(f.pl.UserTasks(ctx, "", nil)), planner.ErrEmptyID},
		{"unbound", seqErr((&planner.Plan{ID: "x"}).Tasks(ctx, nil)), planner.ErrUnbound},
		{"unbound handle", seqErr((*planner.Planner)(nil).MyTasks(ctx, nil)), planner.ErrUnbound},
		{"empty title", errOf(f.pl.CreatePlan(ctx, f.retail, " ")), planner.ErrEmptyTitle},
		{"unknown group", errOf(f.pl.CreatePlan(ctx, "00000000-0000-0000-0000-000000000000", "x")), graph.ErrNotFound},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}

func errOf[T any](_ T, err error) error { return err }

// Only the members of a plan's group may see it: others get graph.ErrForbidden.
func TestPlannerNotAMember(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	megan, _ := o365test.Start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }),
		o365test.BeforeSignIn(func(srv *emulator.Server) { srv.SetAutoApprove(true, "MeganB@contoso.onmicrosoft.com") }))
	pl := megan.Planner()
	if n := len(collect(t, pl.MyTasks(ctx, nil))); n != 0 {
		t.Errorf("Megan's tasks: %d", n)
	}
	// Megan's emulator has the same seed: the plan id is the same.
	if _, err := pl.Plan(ctx, f.plan.ID); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("plan of another group: %v", err)
	}
	if err := seqErr(pl.GroupPlans(ctx, f.retail, nil)); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("group plans: %v", err)
	}
	if _, err := pl.CreatePlan(ctx, f.retail, "Mine"); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("create in another group: %v", err)
	}
}

// CreatePlan sends a container, never the retired owner field python-o365 sends.
func TestPlannerCreatePlanUsesContainer(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	plan, err := f.pl.CreatePlan(ctx, f.retail, "Launch")
	if err != nil {
		t.Fatal(err)
	}
	req := f.last(t)
	if _, ok := req.Body["owner"]; ok || req.Method != "POST" || req.Path != "/v1.0/planner/plans" {
		t.Errorf("request: %+v", req)
	}
	c, _ := req.Body["container"].(map[string]any)
	if u, _ := c["url"].(string); !strings.HasSuffix(u, "/v1.0/groups/"+f.retail) {
		t.Errorf("container %v", c)
	}
	if plan.Container.ContainerID != f.retail || plan.ETag == "" {
		t.Errorf("plan %+v", plan)
	}
	if _, err := plan.Details(ctx); err != nil {
		t.Error(err)
	}
}

// python-o365's Plan.update tests keys with `in "title"` (a substring test). Save sends
// exactly the title, only when it changed.
func TestPlannerPlanSaveSendsOnlyTitle(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	n := len(f.writes())
	if err := f.plan.Save(ctx); err != nil || len(f.writes()) != n {
		t.Fatalf("unchanged plan: %v, %d requests", err, len(f.writes())-n)
	}
	old := f.plan.ETag
	f.plan.Title = "Store Refresh 2027"
	if err := f.plan.Save(ctx); err != nil {
		t.Fatal(err)
	}
	req := f.last(t)
	if diff := cmp.Diff(map[string]any{"title": "Store Refresh 2027"}, req.Body); diff != "" || req.Header.Get("If-Match") != old {
		t.Errorf("PATCH body (-want +got):\n%s If-Match %q", diff, req.Header.Get("If-Match"))
	}
	if f.plan.ETag == old || f.plan.Title != "Store Refresh 2027" {
		t.Errorf("plan after save: %+v", f.plan)
	}
}

func TestPlannerTaskLifecycle(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	bucket, err := f.plan.CreateBucket(ctx, "Ideas", planner.First)
	if err != nil {
		t.Fatal(err)
	}
	if first := collect(t, f.plan.Buckets(ctx, nil))[0]; first.ID != bucket.ID {
		t.Errorf("First bucket is %q", first.Name)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	due := time.Date(2026, 12, 24, 18, 0, 0, 0, paris)
	task := bucket.NewTask("Hang the banner")
	task.Priority = planner.PriorityImportant
	task.DueDateTime = &due
	task.AppliedCategories = map[string]bool{"category2": true}
	task.Assign(f.adele)
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	req := f.last(t)
	// python-o365 writes local times with a "Z" (no conversion); the instant must survive.
	if req.Body["dueDateTime"] != "2026-12-24T17:00:00Z" || req.Body["planId"] != f.plan.ID || req.Body["bucketId"] != bucket.ID {
		t.Errorf("POST body: %v", req.Body)
	}
	if !task.DueDateTime.Equal(due) || task.ETag == "" || task.Priority != planner.PriorityImportant || !task.AssignedTo(f.adele) {
		t.Fatalf("created: %+v", task)
	}
	if a := task.Assignments[f.adele]; a.OrderHint == planner.First || a.AssignedBy == nil {
		t.Errorf("assignment: %+v", a)
	}

	// Only what changed is sent, with the ETag in If-Match.
	etag := task.ETag
	task.PercentComplete = 50
	task.Unassign(f.adele)
	delete(task.AppliedCategories, "category2")
	task.AppliedCategories["category1"] = true
	task.DueDateTime = nil
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	req = f.last(t)
	want := map[string]any{
		"percentComplete":   float64(50),
		"assignments":       map[string]any{f.adele: nil},
		"appliedCategories": map[string]any{"category1": true, "category2": false},
		"dueDateTime":       nil,
	}
	if diff := cmp.Diff(want, req.Body); diff != "" || req.Header.Get("If-Match") != etag {
		t.Errorf("PATCH body (-want +got):\n%s If-Match %q", diff, req.Header.Get("If-Match"))
	}
	if task.ETag == etag || task.DueDateTime != nil || len(task.Assignments) != 0 || !task.AppliedCategories["category1"] {
		t.Errorf("after save: %+v", task)
	}
	// Zero values are sent too.
	task.PercentComplete = 0
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"percentComplete": float64(0)}, f.last(t).Body); diff != "" {
		t.Errorf("zero percent (-want +got):\n%s", diff)
	}
	n := len(f.writes())
	if err := task.Save(ctx); err != nil || len(f.writes()) != n {
		t.Errorf("unchanged task sent %d requests (%v)", len(f.writes())-n, err)
	}
	if err := task.Complete(ctx); err != nil || task.CompletedDateTime == nil || !task.IsCompleted() {
		t.Fatalf("complete: %+v %v", task, err)
	}
	// Move it to another bucket.
	other := collect(t, f.plan.Buckets(ctx, nil))[2]
	task.BucketID = other.ID
	if err := task.Save(ctx); err != nil || task.BucketID != other.ID {
		t.Fatalf("move: %v", err)
	}
	if err := task.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if f.last(t).Header.Get("If-Match") != task.ETag {
		t.Error("DELETE without the ETag")
	}
	if _, err := f.pl.Task(ctx, task.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	// Buckets: rename, then delete.
	bucket.Name = "Ideas and wishes"
	if err := bucket.Save(ctx); err != nil || bucket.Name != "Ideas and wishes" {
		t.Fatalf("rename bucket: %v", err)
	}
	if diff := cmp.Diff(map[string]any{"name": "Ideas and wishes"}, f.last(t).Body); diff != "" {
		t.Errorf("bucket PATCH (-want +got):\n%s", diff)
	}
	if err := bucket.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"new task without plan", (&planner.Bucket{}).NewTask("x").Save(ctx), planner.ErrUnbound},
		{"empty title", bucket.NewTask("").Save(ctx), planner.ErrEmptyTitle},
		{"unsaved delete", f.plan.NewTask("x").Delete(ctx), planner.ErrNotSaved},
		{"unsaved details", errOf(f.plan.NewTask("x").Details(ctx)), planner.ErrNotSaved},
		{"no etag", (func() error { v := *task; v.ETag = ""; v.Title = "x"; return v.Save(ctx) })(), planner.ErrNoETag},
		{"empty bucket", errOf(f.plan.CreateBucket(ctx, "", "")), planner.ErrEmptyTitle},
		{"bad priority", (func() error { v := f.plan.NewTask("x"); v.Priority = 42; return v.Save(ctx) })(), graph.ErrBadRequest},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}

// A write with a stale ETag fails with a clear error matching graph.ErrPreconditionFailed;
// Update re-reads and re-applies the change.
func TestPlannerStaleETag(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	mine := collect(t, f.pl.MyTasks(ctx, &graph.ListOptions{Limit: 1}))[0]
	other, err := f.pl.Task(ctx, mine.ID) // a second copy, as another client would hold
	if err != nil {
		t.Fatal(err)
	}
	other.Title = "Renamed elsewhere"
	if err := other.Save(ctx); err != nil {
		t.Fatal(err)
	}
	mine.PercentComplete = 50
	err = mine.Save(ctx)
	var se *planner.StaleError
	var ge *graph.Error
	if !errors.Is(err, graph.ErrPreconditionFailed) || !errors.As(err, &se) || !errors.As(err, &ge) || ge.StatusCode != 412 {
		t.Fatalf("stale save: %v", err)
	}
	t.Logf("stale error: %v", err)
	if se.Kind != "task" || se.ID != mine.ID || !strings.Contains(err.Error(), "changed since it was read") {
		t.Errorf("error: %v", err)
	}
	if err := mine.Delete(ctx); !errors.Is(err, graph.ErrPreconditionFailed) {
		t.Errorf("stale delete: %v", err)
	}
	calls := 0
	err = planner.Update(ctx, mine, func(t *planner.Task) error {
		calls++
		t.PercentComplete = 50
		return nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("Update: %v after %d calls", err, calls)
	}
	if mine.Title != "Renamed elsewhere" || mine.PercentComplete != 50 {
		t.Errorf("both changes kept? %+v", mine)
	}
	// Update stops on the change's own error.
	boom := errors.New("boom")
	if err := planner.Update(ctx, mine, func(*planner.Task) error { return boom }); err != boom {
		t.Errorf("Update error: %v", err)
	}
	// Details and buckets follow the same rule.
	d1, _ := mine.Details(ctx)
	d2, _ := mine.Details(ctx)
	d1.Description = "one"
	d2.Description = "two"
	if err := d1.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d2.Save(ctx); !errors.Is(err, graph.ErrPreconditionFailed) {
		t.Errorf("stale details: %v", err)
	}
	if err := planner.Update(ctx, d2, func(d *planner.TaskDetails) error { d.Description += " and two"; return nil }); err != nil || d2.Description != "one and two" {
		t.Errorf("details Update: %v %q", err, d2.Description)
	}
}

func TestPlannerTaskDetailsWrite(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	task := f.plan.NewTask("With details")
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := task.Details(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d.Description = "Banner: 3 m × 1 m"
	d.PreviewType = planner.PreviewChecklist
	id := d.AddChecklistItem("Measure the wall")
	d.AddReference("https://contoso.sharepoint.com/sites/retail/banner.docx", "Design", planner.ReferenceWord)
	if err := d.Save(ctx); err != nil {
		t.Fatal(err)
	}
	req := f.last(t)
	const key = "https%3A//contoso%2Esharepoint%2Ecom/sites/retail/banner%2Edocx"
	want := map[string]any{
		"description": "Banner: 3 m × 1 m", "previewType": "checklist",
		"checklist":  map[string]any{id: map[string]any{"@odata.type": "#microsoft.graph.plannerChecklistItem", "title": "Measure the wall", "isChecked": false}},
		"references": map[string]any{key: map[string]any{"@odata.type": "#microsoft.graph.plannerExternalReference", "alias": "Design", "type": "Word"}},
	}
	if diff := cmp.Diff(want, req.Body); diff != "" {
		t.Errorf("details PATCH (-want +got):\n%s", diff)
	}
	if it := d.Checklist[id]; it.Title != "Measure the wall" || it.OrderHint == "" || it.LastModifiedBy == nil {
		t.Errorf("item %+v", it)
	}
	if r, ok := d.References["https://contoso.sharepoint.com/sites/retail/banner.docx"]; !ok || r.PreviewPriority == "" {
		t.Errorf("references %+v", d.References)
	}
	// Check one item, remove the reference: only those entries are sent.
	it := d.Checklist[id]
	it.IsChecked = true
	d.Checklist[id] = it
	delete(d.References, "https://contoso.sharepoint.com/sites/retail/banner.docx")
	if err := d.Save(ctx); err != nil {
		t.Fatal(err)
	}
	req = f.last(t)
	want = map[string]any{
		"checklist":  map[string]any{id: map[string]any{"@odata.type": "#microsoft.graph.plannerChecklistItem", "title": "Measure the wall", "isChecked": true, "orderHint": it.OrderHint}},
		"references": map[string]any{key: nil},
	}
	if diff := cmp.Diff(want, req.Body); diff != "" {
		t.Errorf("second PATCH (-want +got):\n%s", diff)
	}
	if err := task.Reload(ctx); err != nil || !task.HasDescription || task.ChecklistItemCount != 1 || task.ActiveChecklistItemCount != 0 || task.ReferenceCount != 0 {
		t.Errorf("task counts: %+v %v", task, err)
	}
	// Plan details: share, name a category, clear one.
	pd, err := f.plan.Details(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pd.CategoryDescriptions["category4"] = "Seasonal"
	delete(pd.CategoryDescriptions, "category3")
	delete(pd.SharedWith, f.adele)
	if err := pd.Save(ctx); err != nil {
		t.Fatal(err)
	}
	want = map[string]any{"categoryDescriptions": map[string]any{"category4": "Seasonal", "category3": nil}, "sharedWith": map[string]any{f.adele: false}}
	if diff := cmp.Diff(want, f.last(t).Body); diff != "" {
		t.Errorf("plan details PATCH (-want +got):\n%s", diff)
	}
	if pd.CategoryDescriptions["category4"] != "Seasonal" || pd.CategoryDescriptions["category3"] != "" || pd.SharedWith[f.adele] {
		t.Errorf("plan details after save: %+v", pd)
	}
	// Deleting the plan takes the task with it.
	if err := f.plan.Delete(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pl.Task(ctx, task.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("task of a deleted plan: %v", err)
	}
}

func TestPlannerBetween(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	bs := collect(t, f.plan.Buckets(ctx, nil))
	b, err := f.plan.CreateBucket(ctx, "Review", planner.Between(bs[0].OrderHint, bs[1].OrderHint))
	if err != nil {
		t.Fatal(err)
	}
	if !(bs[0].OrderHint < b.OrderHint && b.OrderHint < bs[1].OrderHint) {
		t.Errorf("hint %q not between %q and %q", b.OrderHint, bs[0].OrderHint, bs[1].OrderHint)
	}
	// Move the last bucket first.
	last := bs[2]
	last.OrderHint = planner.First
	if err := last.Save(ctx); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range collect(t, f.plan.Buckets(ctx, nil)) {
		names = append(names, x.Name)
	}
	if diff := cmp.Diff([]string{"Done", "To do", "Review", "In progress"}, names); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestPlannerBoardFormats(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	task := collect(t, f.pl.MyTasks(ctx, &graph.ListOptions{Limit: 1}))[0]
	bf, err := task.BucketBoardFormat(ctx)
	if err != nil || bf.ID != task.ID || bf.OrderHint != task.OrderHint || bf.ETag == "" {
		t.Fatalf("bucket format: %+v %v", bf, err)
	}
	n := len(f.writes())
	if err := bf.Save(ctx); err != nil || len(f.writes()) != n {
		t.Errorf("unchanged format sent %d requests (%v)", len(f.writes())-n, err)
	}
	old := bf.ETag
	bf.OrderHint = planner.First
	if err := bf.Save(ctx); err != nil || bf.ETag == old || bf.OrderHint == planner.First {
		t.Fatalf("save: %+v %v", bf, err)
	}
	if req := f.last(t); req.Header.Get("If-Match") != old || !cmp.Equal(req.Body, map[string]any{"orderHint": planner.First}) {
		t.Errorf("PATCH %+v", req)
	}
	pf, err := task.ProgressBoardFormat(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pf2, _ := task.ProgressBoardFormat(ctx)
	pf.OrderHint = planner.First
	if err := pf.Save(ctx); err != nil {
		t.Fatal(err)
	}
	pf2.OrderHint = planner.Between(pf.OrderHint, "")
	if err := pf2.Save(ctx); !errors.Is(err, graph.ErrPreconditionFailed) {
		t.Errorf("stale progress format: %v", err)
	}
	if err := planner.Update(ctx, pf2, func(f *planner.ProgressTaskBoardFormat) error { f.OrderHint = planner.First; return nil }); err != nil {
		t.Errorf("Update: %v", err)
	}
	af, err := task.AssignedToBoardFormat(ctx)
	if err != nil || af.OrderHintsByAssignee[f.adele] == "" {
		t.Fatalf("assigned-to format: %+v %v", af, err)
	}
	delete(af.OrderHintsByAssignee, f.adele)
	af.UnassignedOrderHint = planner.First
	if err := af.Save(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"orderHintsByAssignee": map[string]any{f.adele: nil}, "unassignedOrderHint": planner.First}
	if diff := cmp.Diff(want, f.last(t).Body); diff != "" {
		t.Errorf("assigned-to PATCH (-want +got):\n%s", diff)
	}
	if len(af.OrderHintsByAssignee) != 0 || af.UnassignedOrderHint == planner.First {
		t.Errorf("after save: %+v", af)
	}
	if _, err := f.plan.NewTask("x").BucketBoardFormat(ctx); !errors.Is(err, planner.ErrNotSaved) {
		t.Errorf("unsaved task: %v", err)
	}
	if err := (&planner.BucketTaskBoardFormat{OrderHint: "x"}).Save(ctx); !errors.Is(err, planner.ErrUnbound) {
		t.Errorf("unbound: %v", err)
	}
}

// python-o365's Task.update writes a local datetime with a "Z" appended, without
// converting it, so a due time set in Paris lands an hour or two off. Save sends the
// instant in UTC.
func TestPlannerDueDateSentAsUTC(t *testing.T) {
	ctx := context.Background()
	f := start(t)
	task := collect(t, f.pl.MyTasks(ctx, &graph.ListOptions{Limit: 1}))[0]
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tz data:", err)
	}
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, tokyo)
	task.StartDateTime = &start
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.last(t).Body["startDateTime"]; got != "2026-12-01T00:00:00Z" {
		t.Errorf("sent %v, want the UTC instant 2026-12-01T00:00:00Z", got)
	}
	if !task.StartDateTime.Equal(start) {
		t.Errorf("read back %v, want %v", task.StartDateTime, start)
	}
}
