// Package planner is Microsoft Planner through Microsoft Graph: the tasks assigned to a
// user, the plans of Microsoft 365 groups, plan details (category names, sharing),
// buckets, tasks (assignments, progress, priority, dates, categories) and task details
// (description, checklist, references).
//
// Get a handle from the account (acct.Planner()) or with New. Handles do no I/O until a
// call; every listing follows every page:
//
//	pl := acct.Planner()
//	for t, err := range pl.MyTasks(ctx, nil) { ... }
//	for plan, err := range pl.GroupPlans(ctx, groupID, nil) { ... }
//	plan, err := pl.CreatePlan(ctx, groupID, "Launch") // a container, not the retired owner
//	bucket, err := plan.CreateBucket(ctx, "To do", planner.First)
//	t := bucket.NewTask("Book the venue")
//	t.Assign(userID)
//	err = t.Save(ctx) // POST; later Saves PATCH only the changed fields
//
// Planner refuses updates and deletes without the object's current ETag. Every write
// sends the ETag of the model in hand (If-Match); when someone changed the object since,
// the write fails with a *StaleError that matches graph.ErrPreconditionFailed. Update
// re-reads the object and re-applies the change when that happens:
//
//	err = planner.Update(ctx, t, func(t *planner.Task) error {
//		t.PercentComplete = 50
//		return nil
//	})
//
// Order hints place buckets, tasks, checklist items and assignments: First puts an item
// first, Between(prev, next) between two neighbours; the service turns them into short
// hints.
//
// Coming from python-o365: Planner → Planner, Plan → Plan, PlanDetails → PlanDetails,
// Bucket → Bucket, Task → Task, TaskDetails → TaskDetails; docs/planner.md has the full
// table.
package planner
