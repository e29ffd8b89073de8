package todo_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/todo"
)

// Lists, a task with a due date and a checklist, completing it. Against Microsoft 365,
// acct comes from o365.NewAccount with your app's client id and Authenticate; here it is
// signed in to a local emulator with the demo tenant.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	td := acct.ToDo()

	for l, err := range td.Lists(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-15s default=%v\n", l.DisplayName, l.IsDefault())
	}

	groceries, err := td.ListByName(ctx, "groceries") // any case; every page of lists
	if err != nil {
		log.Fatal(err)
	}
	task := groceries.List().NewTask("Bread")
	task.Importance = todo.ImportanceHigh
	task.DueDateTime = todo.At(time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC))
	if err := task.Save(ctx); err != nil { // POST
		log.Fatal(err)
	}
	if _, err := task.AddChecklistItem(ctx, "Sourdough"); err != nil {
		log.Fatal(err)
	}
	if err := task.Complete(ctx); err != nil { // PATCH status
		log.Fatal(err)
	}
	n := 0
	for t, err := range groceries.List().Tasks(ctx, nil) { // every page
		if err != nil {
			log.Fatal(err)
		}
		n++
		if t.ID == task.ID {
			due, _ := t.DueDateTime.Time()
			fmt.Println(t.Title, t.Status, t.Importance, due.Format("2006-01-02"))
		}
	}
	fmt.Println(n, "tasks")
	// Output:
	// Tasks           default=true
	// Groceries       default=false
	// Project Falcon  default=false
	// Bread completed high 2026-12-24
	// 4 tasks
}

// Every task of the default list, every page (python-o365 reads only the first).
func ExampleList_Tasks() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	def, err := acct.ToDo().DefaultList(ctx)
	if err != nil {
		log.Fatal(err)
	}
	open := 0
	total := 0
	for t, err := range def.List().Tasks(ctx, &graph.ListOptions{PageSize: 5}) {
		if err != nil {
			log.Fatal(err)
		}
		total++
		if !t.IsCompleted() {
			open++
		}
	}
	fmt.Println(total, "tasks,", open, "open")
	// Output: 24 tasks, 18 open
}

// Delta sync of a list's tasks: an initial round, then only what changed, deletions
// included.
func ExampleList_Delta() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()
	groceries, err := acct.ToDo().ListByName(ctx, "Groceries")
	if err != nil {
		log.Fatal(err)
	}
	d := groceries.List().Delta("", nil)
	n := 0
	var milk *todo.Task
	for ch, err := range d.Changes(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		n++
		if ch.Item.Title == "Milk" {
			milk = ch.Item
		}
	}
	fmt.Println("initial round:", n, "tasks")
	link := d.DeltaLink() // keep it, in memory or on disk

	if err := milk.Complete(ctx); err != nil {
		log.Fatal(err)
	}
	eggs := groceries.List().NewTask("Eggs")
	if err := eggs.Save(ctx); err != nil {
		log.Fatal(err)
	}
	if err := eggs.Delete(ctx); err != nil {
		log.Fatal(err)
	}
	for ch, err := range groceries.List().Delta(link, nil).Changes(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if ch.Removed {
			fmt.Println("removed", ch.ID == eggs.ID)
			continue
		}
		fmt.Println("changed", ch.Item.Title, ch.Item.Status)
	}
	// Output:
	// initial round: 3 tasks
	// changed Milk completed
	// removed true
}

func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{Seed: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}
