package planner_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/planner"
)

// exampleAccount starts an emulator with the demo tenant and signs Adele in to it. Against
// Microsoft 365, acct comes from o365.NewAccount with your app's client id and
// Authenticate(ctx, "basic", "tasks_all").
func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{Seed: "demo"}, "basic", "tasks_all")
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}

// My tasks, the plans of a group, a new task in a bucket, and completing it.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	pl := acct.Planner()

	n := 0
	for _, err := range pl.MyTasks(ctx, nil) { // every page
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println("assigned to me:", n)

	var plan *planner.Plan
	for p, err := range pl.MyPlans(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		plan = p
	}
	fmt.Println("plan:", plan.Title)
	for b, err := range plan.Buckets(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("bucket:", b.Name)
	}

	var todo *planner.Bucket
	for b, err := range plan.Buckets(ctx, &graph.ListOptions{Limit: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		todo = b
	}
	task := todo.NewTask("Order the balloons")
	task.Priority = planner.PriorityImportant
	task.Assign(srv.DefaultUser().ID)
	if err := task.Save(ctx); err != nil { // POST
		log.Fatal(err)
	}
	if err := task.Complete(ctx); err != nil { // PATCH percentComplete, If-Match: its ETag
		log.Fatal(err)
	}
	fmt.Println(task.Title, "complete:", task.IsCompleted())
	// Output:
	// assigned to me: 15
	// plan: Store Refresh
	// bucket: To do
	// bucket: In progress
	// bucket: Done
	// Order the balloons complete: true
}

// Another client changed the task since it was read: Save fails with a StaleError
// (graph.ErrPreconditionFailed), and Update re-reads and re-applies the change.
func ExampleUpdate() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	pl := acct.Planner()

	var mine *planner.Task
	for t, err := range pl.MyTasks(ctx, &graph.ListOptions{Limit: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		mine = t
	}
	elsewhere, err := pl.Task(ctx, mine.ID)
	if err != nil {
		log.Fatal(err)
	}
	elsewhere.Title = "Measure the whole shop floor"
	if err := elsewhere.Save(ctx); err != nil {
		log.Fatal(err)
	}

	mine.PercentComplete = 50
	err = mine.Save(ctx)
	fmt.Println("stale:", strings.Contains(err.Error(), "changed since it was read"))

	err = planner.Update(ctx, mine, func(t *planner.Task) error {
		t.PercentComplete = 50
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d%%\n", mine.Title, mine.PercentComplete)
	// Output:
	// stale: true
	// Measure the whole shop floor: 50%
}

// A checklist item and a link on a task: the details are saved with only what changed,
// reference URLs encoded as Planner wants.
func ExampleTaskDetails_Save() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	pl := acct.Planner()

	var task *planner.Task
	for t, err := range pl.MyTasks(ctx, &graph.ListOptions{Limit: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		task = t
	}
	d, err := task.Details(ctx)
	if err != nil {
		log.Fatal(err)
	}
	d.AddChecklistItem("Bring a tape measure")
	d.AddReference("https://contoso.sharepoint.com/sites/retail/floor.pdf", "Floor plan", planner.ReferencePdf)
	if err := d.Save(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("checklist items:", len(d.Checklist))
	fmt.Println("floor plan:", d.References["https://contoso.sharepoint.com/sites/retail/floor.pdf"].Alias)
	// Output:
	// checklist items: 4
	// floor plan: Floor plan
}

// A new plan in a group (with a container, not the retired owner field), a bucket placed
// first, and a task assigned to the signed-in user.
func ExamplePlanner_CreatePlan() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	pl := acct.Planner()

	var groupID string
	for p, err := range pl.MyPlans(ctx, nil) { // the demo plan's group: Retail
		if err != nil {
			log.Fatal(err)
		}
		groupID = p.Container.ContainerID
	}
	plan, err := pl.CreatePlan(ctx, groupID, "Holiday season")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plan.Title, plan.Container.Type)

	if _, err := plan.CreateBucket(ctx, "Later", ""); err != nil {
		log.Fatal(err)
	}
	now, err := plan.CreateBucket(ctx, "Now", planner.First)
	if err != nil {
		log.Fatal(err)
	}
	task := now.NewTask("Decorate the windows")
	task.Assign(srv.DefaultUser().ID)
	if err := task.Save(ctx); err != nil {
		log.Fatal(err)
	}
	for b, err := range plan.Buckets(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		n := 0
		for _, err := range b.Tasks(ctx, nil) {
			if err != nil {
				log.Fatal(err)
			}
			n++
		}
		fmt.Printf("%s: %d task(s)\n", b.Name, n)
	}
	// Output:
	// Holiday season group
	// Now: 1 task(s)
	// Later: 0 task(s)
}
