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

// model is a Planner object as save and reload handle it.
type model[T any] interface {
	*T
	key() string // the id; empty when a PATCH answered 204 without the object
}

// save PATCHes body, the changed fields of v, with v's ETag (nothing changed sends
// nothing) and replaces v with the service's answer, bound to p. When the service
// answers without the object, v is read again with get.
func save[T any, PT model[T]](ctx context.Context, v PT, p *Planner, kind, etag, path string, body map[string]any, bind func(PT), get func(context.Context, string, ...graph.CallOption) (*T, error), opts []graph.CallOption) error {
	if len(body) == 0 {
		return nil
	}
	var got T
	if err := patch(ctx, p, kind, v.key(), etag, path, body, &got, opts); err != nil {
		return err
	}
	if PT(&got).key() == "" { // 204
		return reload(ctx, v, get, opts)
	}
	*v = got
	bind(v)
	return nil
}

// reload replaces v with the service's copy (bound by get), dropping unsaved changes.
func reload[T any, PT model[T]](ctx context.Context, v PT, get func(context.Context, string, ...graph.CallOption) (*T, error), opts []graph.CallOption) error {
	got, err := get(ctx, v.key(), opts...)
	if err != nil {
		return err
	}
	*v = *got
	return nil
}

func (v *Plan) key() string        { return v.ID }
func (v *PlanDetails) key() string { return v.ID }
func (v *Bucket) key() string      { return v.ID }
func (v *Task) key() string        { return v.ID }
func (v *TaskDetails) key() string { return v.ID }

// Save sends the plan's changed title (PATCH /planner/plans/{id} with If-Match); nothing
// changed sends nothing. p is updated from the answer.
func (v *Plan) Save(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	return save(ctx, v, v.p, "plan", v.ETag, planPath(v.ID), v.changes(), v.p.bindPlan, v.p.Plan, opts)
}

// Reload reads the plan again, dropping unsaved changes.
func (v *Plan) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	return reload(ctx, v, v.p.Plan, opts)
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
	return save(ctx, v, v.p, "plan details", v.ETag, planPath(v.ID, "details"), v.changes(), v.p.bindPlanDetails, v.p.PlanDetails, opts)
}

// Reload reads the plan details again, dropping unsaved changes.
func (v *PlanDetails) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	return reload(ctx, v, v.p.PlanDetails, opts)
}

// Save sends the bucket's changed name and order hint (PATCH /planner/buckets/{id} with
// If-Match).
func (v *Bucket) Save(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	return save(ctx, v, v.p, "bucket", v.ETag, bucketPath(v.ID), v.changes(), v.p.bindBucket, v.p.Bucket, opts)
}

// Reload reads the bucket again, dropping unsaved changes.
func (v *Bucket) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if err := v.bound(); err != nil {
		return err
	}
	return reload(ctx, v, v.p.Bucket, opts)
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
		return save(ctx, v, v.p, "task", v.ETag, taskPath(v.ID), body, v.p.bindTask, v.p.Task, opts)
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
	return reload(ctx, v, v.p.Task, opts)
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
	return save(ctx, v, v.p, "task details", v.ETag, taskPath(v.ID, "details"), v.changes(), v.p.bindTaskDetails, v.p.TaskDetails, opts)
}

// Reload reads the task details again, dropping unsaved changes.
func (v *TaskDetails) Reload(ctx context.Context, opts ...graph.CallOption) error {
	if v.p == nil || v.p.c == nil {
		return ErrUnbound
	}
	return reload(ctx, v, v.p.TaskDetails, opts)
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
