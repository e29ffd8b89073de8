package planner_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// noPrefer drops the Prefer header of PATCH requests, so the service answers 204
// without the object, as it does for callers that do not ask for it.
type noPrefer struct{ next http.RoundTripper }

func (n noPrefer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPatch {
		req = req.Clone(req.Context())
		req.Header.Del("Prefer")
	}
	return n.next.RoundTrip(req)
}

// When a PATCH is answered 204 without the object, Save reads the model again, so it
// still ends with the saved values and the new ETag (a later write does not fail stale).
func TestPlannerSaveAfterNoContent(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t,
		o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }),
		o365test.WithAccountOptions(o365.WithClientOptions(graph.WithHTTPClient(&http.Client{Transport: noPrefer{http.DefaultTransport}}))))
	pl := acct.Planner()
	var taskID string
	for task, err := range pl.MyTasks(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		taskID = task.ID
		break
	}
	task, err := pl.Task(ctx, taskID)
	if err != nil {
		t.Fatal(err)
	}
	before := task.ETag
	task.Title = "Renamed after a 204"
	if err := task.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if task.Title != "Renamed after a 204" || task.ETag == before || task.ETag == "" {
		t.Fatalf("after Save: title %q, etag %q (was %q)", task.Title, task.ETag, before)
	}
	task.PercentComplete = 50
	if err := task.Save(ctx); err != nil {
		t.Fatalf("second save with the re-read ETag: %v", err)
	}

	details, err := task.Details(ctx)
	if err != nil {
		t.Fatal(err)
	}
	details.Description = "written through a 204"
	if err := details.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if details.Description != "written through a 204" || details.ETag == "" {
		t.Fatalf("details after Save: %+v", details)
	}
	details.Description = "and again"
	if err := details.Save(ctx); err != nil {
		t.Fatalf("second details save: %v", err)
	}
}
