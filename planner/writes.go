package planner

import (
	"context"
	"errors"
	"fmt"

	"github.com/o365go/o365/graph"
)

// Writes. Planner requires the object's current ETag in If-Match on every PATCH and
// DELETE: the calls send the ETag of the model the caller holds, so a write made on stale
// data fails (StaleError, matching graph.ErrPreconditionFailed) instead of overwriting
// someone else's change. PATCHes ask for the updated object (Prefer:
// return=representation), which refreshes the model and its ETag.

// patch sends the body to path with If-Match and decodes the answer into out.
func patch(ctx context.Context, p *Planner, kind, id, etag, path string, body map[string]any, out any, opts []graph.CallOption) error {
	if etag == "" {
		return fmt.Errorf("%w: %s %s", ErrNoETag, kind, id)
	}
	all := append([]graph.CallOption{graph.IfMatch(etag), graph.Prefer("return=representation")}, opts...)
	return stale(kind, id, etag, p.c.Patch(ctx, path, body, out, all...))
}

// remove sends DELETE with If-Match.
func remove(ctx context.Context, p *Planner, kind, id, etag, path string, opts []graph.CallOption) error {
	if p == nil || p.c == nil {
		return ErrUnbound
	}
	if id == "" {
		return ErrEmptyID
	}
	if etag == "" {
		return fmt.Errorf("%w: %s %s", ErrNoETag, kind, id)
	}
	all := append([]graph.CallOption{graph.IfMatch(etag)}, opts...)
	return stale(kind, id, etag, p.c.Delete(ctx, path, all...))
}

// stale wraps a 412 in a StaleError.
func stale(kind, id, etag string, err error) error {
	if err != nil && errors.Is(err, graph.ErrPreconditionFailed) {
		return &StaleError{Kind: kind, ID: id, ETag: etag, Err: err}
	}
	return err
}

// Save sends the plan's changed title (PATCH /planner/plans/{id} with If-Match); nothing
// changed sends nothing. p is updated from the answer.
func (v *Plan) Save(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	body := v.changes()
	if len(body) == 0 {
		return nil
	}
	var got Plan
	if err := patch(ctx, v.p, "plan", v.ID, v.ETag, planPath(v.ID), body, &got, opts); err != nil {
		return err
	}
	return v.refresh(ctx, &got, opts)
}

func (v *Plan) refresh(ctx context.Context, got *Plan, opts []graph.CallOption) error {
	if got.ID == "" { // the service answered 204
		return v.Reload(ctx, opts...)
	}
	p := v.p
	*v = *got
	p.bindPlan(v)
	return nil
}

// Reload reads the plan again, dropping unsaved changes.
func (v *Plan) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	got, err := v.p.Plan(ctx, v.ID, opts...)
	if err != nil {
		return err
	}
	*v = *got
	return nil
}

// Delete deletes the plan with its buckets and tasks (DELETE with If-Match).
func (v *Plan) Delete(ctx context.Context, opts ...graph.CallOption) error {
	return remove(ctx, v.p, "plan", v.ID, v.ETag, planPath(v.ID), opts)
}

// Save sends the changed sharing and category names (PATCH /planner/plans/{id}/details
// with If-Match).
func (v *PlanDetails) Save(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	if v.ID == "" {
		return ErrEmptyID
	}
	body := v.changes()
	if len(body) == 0 {
		return nil
	}
	var got PlanDetails
	if err := patch(ctx, v.p, "plan details", v.ID, v.ETag, planPath(v.ID, "details"), body, &got, opts); err != nil {
		return err
	}
	if got.ID == "" {
		return v.Reload(ctx, opts...)
	}
	p := v.p
	*v = got
	p.bindPlanDetails(v)
	return nil
}

// Reload reads the plan details again, dropping unsaved changes.
func (v *PlanDetails) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	got, err := v.p.PlanDetails(ctx, v.ID, opts...)
	if err != nil {
		return err
	}
	*v = *got
	return nil
}

// Save sends the bucket's changed name and order hint (PATCH /planner/buckets/{id} with
// If-Match).
func (v *Bucket) Save(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	body := v.changes()
	if len(body) == 0 {
		return nil
	}
	var got Bucket
	if err := patch(ctx, v.p, "bucket", v.ID, v.ETag, bucketPath(v.ID), body, &got, opts); err != nil {
		return err
	}
	if got.ID == "" {
		return v.Reload(ctx, opts...)
	}
	p := v.p
	*v = got
	p.bindBucket(v)
	return nil
}

// Reload reads the bucket again, dropping unsaved changes.
func (v *Bucket) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	got, err := v.p.Bucket(ctx, v.ID, opts...)
	if err != nil {
		return err
	}
	*v = *got
	return nil
}

// Delete deletes the bucket and the tasks in it (DELETE with If-Match).
func (v *Bucket) Delete(ctx context.Context, opts ...graph.CallOption) error {
	return remove(ctx, v.p, "bucket", v.ID, v.ETag, bucketPath(v.ID), opts)
}

// Save creates the task (POST /planner/tasks) when it is new; otherwise it PATCHes the
// fields changed since the task was read, with its ETag in If-Match (nothing changed:
// no request). t is updated from the service's answer, with its new ETag.
func (v *Task) Save(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	body := v.changes()
	var got Task
	if v.ID == "" {
		if v.PlanID == "" {
			return ErrEmptyID
		}
		if v.Title == "" {
			return ErrEmptyTitle
		}
		body["planId"] = v.PlanID
		if err := v.p.c.Post(ctx, "/planner/tasks", body, &got, opts...); err != nil {
			return err
		}
	} else {
		if len(body) == 0 {
			return nil
		}
		if err := patch(ctx, v.p, "task", v.ID, v.ETag, taskPath(v.ID), body, &got, opts); err != nil {
			return err
		}
		if got.ID == "" {
			return v.Reload(ctx, opts...)
		}
	}
	p := v.p
	*v = got
	p.bindTask(v)
	return nil
}

// Complete marks the task complete (percentComplete 100, which stamps completedDateTime)
// and saves it, with any other change made to t.
func (v *Task) Complete(ctx context.Context, opts ...graph.CallOption) error {
	v.PercentComplete = 100
	return v.Save(ctx, opts...)
}

// Reload reads the task again, dropping unsaved changes.
func (v *Task) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	if v.ID == "" {
		return ErrNotSaved
	}
	got, err := v.p.Task(ctx, v.ID, opts...)
	if err != nil {
		return err
	}
	*v = *got
	return nil
}

// Delete deletes the task and its details (DELETE with If-Match).
func (v *Task) Delete(ctx context.Context, opts ...graph.CallOption) error {
	if v.ID == "" && v.p != nil {
		return ErrNotSaved
	}
	return remove(ctx, v.p, "task", v.ID, v.ETag, taskPath(v.ID), opts)
}

// Save sends the changed description, preview type, checklist items and references
// (PATCH /planner/tasks/{id}/details with If-Match): new and changed items alone, removed
// ones as null, each with its @odata.type, reference URLs encoded as Planner wants.
func (v *TaskDetails) Save(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	if v.ID == "" {
		return ErrEmptyID
	}
	body := v.changes()
	if len(body) == 0 {
		return nil
	}
	var got TaskDetails
	if err := patch(ctx, v.p, "task details", v.ID, v.ETag, taskPath(v.ID, "details"), body, &got, opts); err != nil {
		return err
	}
	if got.ID == "" {
		return v.Reload(ctx, opts...)
	}
	p := v.p
	*v = got
	p.bindTaskDetails(v)
	return nil
}

// Reload reads the task details again, dropping unsaved changes.
func (v *TaskDetails) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	got, err := v.p.TaskDetails(ctx, v.ID, opts...)
	if err != nil {
		return err
	}
	*v = *got
	return nil
}

// Updatable are the models Update works on.
type Updatable interface {
	*Plan | *PlanDetails | *Bucket | *Task | *TaskDetails |
		*BucketTaskBoardFormat | *ProgressTaskBoardFormat | *AssignedToTaskBoardFormat
	Save(ctx context.Context, opts ...graph.CallOption) error
	Reload(ctx context.Context, opts ...graph.CallOption) error
}

// UpdateAttempts is how many times Update applies a change before it gives up.
const UpdateAttempts = 4

// Update applies change to v and saves it; when the save fails because v changed on the
// service meanwhile (a 412), it reads v again, applies change to the fresh copy and saves
// again, up to UpdateAttempts times.
//
// A plain Save never retries: sending the same PATCH again with the new ETag would
// silently overwrite whatever the other writer did, which is what If-Match is there to
// prevent. Update re-applies the caller's intent ("mark it 50% done", "add this checklist
// item") to the current state instead, so both changes survive. change must therefore
// be a function of the object it is given, and may run more than once; an error from it
// stops Update and is returned.
func Update[T Updatable](ctx context.Context, v T, change func(T) error, opts ...graph.CallOption) error {
	var err error
	for attempt := range UpdateAttempts {
		if attempt > 0 {
			if rerr := v.Reload(ctx, opts...); rerr != nil {
				return rerr
			}
		}
		if cerr := change(v); cerr != nil {
			return cerr
		}
		if err = v.Save(ctx, opts...); err == nil || !errors.Is(err, graph.ErrPreconditionFailed) {
			return err
		}
		if ctx.Err() != nil {
			return err
		}
	}
	return err
}
