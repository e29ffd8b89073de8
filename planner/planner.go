package planner

import (
	"context"
	"iter"
	"strings"

	"github.com/o365go/o365/graph"
)

// Planner is a handle on Microsoft Planner for a user (their tasks and plans) and on the
// plans, buckets and tasks by id. It does no I/O until a call, is cheap to copy and safe
// for concurrent use.
type Planner struct {
	c   *graph.Client
	res graph.Resource
}

// New returns a Planner for res (the user whose tasks and plans MyTasks and MyPlans list).
// An empty res means graph.Me.
func New(c *graph.Client, res graph.Resource) *Planner {
	if res == "" {
		res = graph.Me
	}
	return &Planner{c: c, res: res}
}

// Resource returns the user the Planner lists tasks and plans for, e.g. "me".
func (p *Planner) Resource() graph.Resource { return p.res }

func (p *Planner) ok() error {
	if p == nil || p.c == nil {
		return ErrUnbound
	}
	return nil
}

// Paths of Planner's objects (tenant-wide, not under a user).
func planPath(id string, rest ...string) string {
	return graph.Resource("").Path(append([]string{"planner", "plans", id}, rest...)...)
}

func bucketPath(id string, rest ...string) string {
	return graph.Resource("").Path(append([]string{"planner", "buckets", id}, rest...)...)
}

func taskPath(id string, rest ...string) string {
	return graph.Resource("").Path(append([]string{"planner", "tasks", id}, rest...)...)
}

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// list lists a collection, every page, binding each item.
func list[T any](ctx context.Context, p *Planner, path string, lo *graph.ListOptions, bind func(*T), opts []graph.CallOption) iter.Seq2[*T, error] {
	if err := p.ok(); err != nil {
		return errSeq[T](err)
	}
	return func(yield func(*T, error) bool) {
		for v, err := range graph.List[T](ctx, p.c, path, lo, opts...) {
			if v != nil {
				bind(v)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

// MyTasks lists the tasks assigned to the Planner's user (GET /{res}/planner/tasks), every
// page (python-o365 reads only the first).
func (p *Planner) MyTasks(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Task, error] {
	if err := p.ok(); err != nil {
		return errSeq[Task](err)
	}
	return list(ctx, p, p.res.Path("planner", "tasks"), lo, p.bindTask, opts)
}

// UserTasks lists the tasks assigned to another user, by id or UPN
// (GET /users/{id}/planner/tasks), every page. Delegated tokens may list only their own
// user's tasks.
func (p *Planner) UserTasks(ctx context.Context, user string, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Task, error] {
	if user == "" {
		return errSeq[Task](ErrEmptyID)
	}
	return list(ctx, p, graph.User(user).Path("planner", "tasks"), lo, p.bindTask, opts)
}

// MyPlans lists the plans the Planner's user can use (GET /{res}/planner/plans), every
// page.
func (p *Planner) MyPlans(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Plan, error] {
	if err := p.ok(); err != nil {
		return errSeq[Plan](err)
	}
	return list(ctx, p, p.res.Path("planner", "plans"), lo, p.bindPlan, opts)
}

// GroupPlans lists the plans of a Microsoft 365 group (GET /groups/{id}/planner/plans),
// every page (python-o365 reads only the first). Only the group's members may.
func (p *Planner) GroupPlans(ctx context.Context, groupID string, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Plan, error] {
	if groupID == "" {
		return errSeq[Plan](ErrEmptyID)
	}
	return list(ctx, p, graph.Group(groupID).Path("planner", "plans"), lo, p.bindPlan, opts)
}

// get reads one object into out.
func (p *Planner) get(ctx context.Context, id, path string, out any, opts []graph.CallOption) error {
	if err := p.ok(); err != nil {
		return err
	}
	if id == "" {
		return ErrEmptyID
	}
	return p.c.Get(ctx, path, out, opts...)
}

// Plan reads a plan (GET /planner/plans/{id}).
func (p *Planner) Plan(ctx context.Context, id string, opts ...graph.CallOption) (*Plan, error) {
	var v Plan
	if err := p.get(ctx, id, planPath(id), &v, opts); err != nil {
		return nil, err
	}
	p.bindPlan(&v)
	return &v, nil
}

// Bucket reads a bucket (GET /planner/buckets/{id}).
func (p *Planner) Bucket(ctx context.Context, id string, opts ...graph.CallOption) (*Bucket, error) {
	var v Bucket
	if err := p.get(ctx, id, bucketPath(id), &v, opts); err != nil {
		return nil, err
	}
	p.bindBucket(&v)
	return &v, nil
}

// Task reads a task (GET /planner/tasks/{id}).
func (p *Planner) Task(ctx context.Context, id string, opts ...graph.CallOption) (*Task, error) {
	var v Task
	if err := p.get(ctx, id, taskPath(id), &v, opts); err != nil {
		return nil, err
	}
	p.bindTask(&v)
	return &v, nil
}

// TaskDetails reads a task's details (GET /planner/tasks/{id}/details).
func (p *Planner) TaskDetails(ctx context.Context, taskID string, opts ...graph.CallOption) (*TaskDetails, error) {
	var v TaskDetails
	if err := p.get(ctx, taskID, taskPath(taskID, "details"), &v, opts); err != nil {
		return nil, err
	}
	p.bindTaskDetails(&v)
	return &v, nil
}

// PlanDetails reads a plan's details (GET /planner/plans/{id}/details).
func (p *Planner) PlanDetails(ctx context.Context, planID string, opts ...graph.CallOption) (*PlanDetails, error) {
	var v PlanDetails
	if err := p.get(ctx, planID, planPath(planID, "details"), &v, opts); err != nil {
		return nil, err
	}
	p.bindPlanDetails(&v)
	return &v, nil
}

// CreatePlan creates a plan titled title in a Microsoft 365 group (POST /planner/plans
// with a container; the owner property python-o365 sends is retired). The caller must be
// a member of the group.
func (p *Planner) CreatePlan(ctx context.Context, groupID, title string, opts ...graph.CallOption) (*Plan, error) {
	if err := p.ok(); err != nil {
		return nil, err
	}
	if groupID == "" {
		return nil, ErrEmptyID
	}
	if strings.TrimSpace(title) == "" {
		return nil, ErrEmptyTitle
	}
	body := map[string]any{
		"title":     title,
		"container": map[string]any{"url": p.c.ServiceURL() + graph.Group(groupID).Path()},
	}
	var v Plan
	if err := p.c.Post(ctx, "/planner/plans", body, &v, opts...); err != nil {
		return nil, err
	}
	p.bindPlan(&v)
	return &v, nil
}

// Binding: models remember their handle and their writable state as read.

func (p *Planner) bindPlan(v *Plan) { v.p, v.snap = p, v.writable() }

func (p *Planner) bindPlanDetails(v *PlanDetails) { v.p, v.snap = p, v.writable() }

func (p *Planner) bindBucket(v *Bucket) { v.p, v.snap = p, v.writable() }

func (p *Planner) bindTask(v *Task) { v.p, v.snap = p, v.writable() }

func (p *Planner) bindTaskDetails(v *TaskDetails) { v.p, v.snap = p, v.writable() }

// Plans.

func (v *Plan) bound() error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	if v.ID == "" {
		return ErrEmptyID
	}
	return nil
}

// Buckets lists the plan's buckets (GET /planner/plans/{id}/buckets), every page
// (python-o365 reads only the first).
func (v *Plan) Buckets(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Bucket, error] {
	if err := v.bound(); err != nil {
		return errSeq[Bucket](err)
	}
	return list(ctx, v.p, planPath(v.ID, "buckets"), lo, v.p.bindBucket, opts)
}

// Tasks lists the plan's tasks (GET /planner/plans/{id}/tasks), every page.
func (v *Plan) Tasks(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Task, error] {
	if err := v.bound(); err != nil {
		return errSeq[Task](err)
	}
	return list(ctx, v.p, planPath(v.ID, "tasks"), lo, v.p.bindTask, opts)
}

// Details reads the plan's details.
func (v *Plan) Details(ctx context.Context, opts ...graph.CallOption) (*PlanDetails, error) {
	if err := v.bound(); err != nil {
		return nil, err
	}
	return v.p.PlanDetails(ctx, v.ID, opts...)
}

// CreateBucket adds a bucket named name to the plan (POST /planner/buckets). orderHint
// places it: First, Between(a, b), or "" for the service's default place.
func (v *Plan) CreateBucket(ctx context.Context, name, orderHint string, opts ...graph.CallOption) (*Bucket, error) {
	if err := v.bound(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		return nil, ErrEmptyTitle
	}
	body := map[string]any{"name": name, "planId": v.ID}
	if orderHint != "" {
		body["orderHint"] = orderHint
	}
	var b Bucket
	if err := v.p.c.Post(ctx, "/planner/buckets", body, &b, opts...); err != nil {
		return nil, err
	}
	v.p.bindBucket(&b)
	return &b, nil
}

// NewTask returns a new task of the plan (in no bucket), not yet saved: set its fields,
// then Save creates it.
func (v *Plan) NewTask(title string) *Task { return &Task{Title: title, PlanID: v.ID, p: v.p} }

// Buckets.

func (v *Bucket) bound() error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	if v.ID == "" {
		return ErrEmptyID
	}
	return nil
}

// Tasks lists the bucket's tasks (GET /planner/buckets/{id}/tasks), every page
// (python-o365 reads only the first).
func (v *Bucket) Tasks(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Task, error] {
	if err := v.bound(); err != nil {
		return errSeq[Task](err)
	}
	return list(ctx, v.p, bucketPath(v.ID, "tasks"), lo, v.p.bindTask, opts)
}

// NewTask returns a new task of the bucket, not yet saved: set its fields (Assign users),
// then Save creates it.
func (v *Bucket) NewTask(title string) *Task {
	return &Task{Title: title, PlanID: v.PlanID, BucketID: v.ID, p: v.p}
}

// Tasks.

// Details reads the task's details (description, checklist, references).
func (v *Task) Details(ctx context.Context, opts ...graph.CallOption) (*TaskDetails, error) {
	if v.p == nil || v.p.c == nil {
		return nil, ErrUnbound
	}
	if v.ID == "" {
		return nil, ErrNotSaved
	}
	return v.p.TaskDetails(ctx, v.ID, opts...)
}
