package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// plannerArgs prefixes a planner subcommand with the signed-in test profile.
func plannerArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "planner"}, args...)
}

func TestPlannerCommands(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,users,tasks_all,groups")
	pl := func(args ...string) run { h.t.Helper(); return h.mustRun(plannerArgs(args...)...) }

	plans := decodeJSON[[]map[string]any](t, pl("plans").stdout)
	if len(plans) != 1 || plans[0]["title"] != "Store Refresh" {
		t.Fatalf("plans: %v", plans)
	}
	group := plans[0]["container"].(map[string]any)["containerId"].(string)
	if got := decodeJSON[[]string](t, pl("plans", "--group", "Retail", "--query", "[].title").stdout); !cmp.Equal(got, []string{"Store Refresh"}) {
		t.Errorf("plans --group Retail: %v", got)
	}
	if got := decodeJSON[[]string](t, pl("plans", "--group", group, "--query", "[].title").stdout); len(got) != 1 {
		t.Errorf("plans --group id: %v", got)
	}
	text := pl("plans", "-o", "text").stdout
	if first := strings.SplitN(text, "\n", 2)[0]; !strings.HasPrefix(first, "title") || !strings.Contains(first, "group") {
		t.Errorf("plans -o text header: %q", first)
	}
	// Every page: 15 tasks assigned to Adele, 30 in the plan (pages of 10).
	if n := decodeJSON[int](t, pl("tasks", "--query", "length(@)").stdout); n != 15 {
		t.Errorf("my tasks: %d", n)
	}
	if n := decodeJSON[int](t, pl("tasks", "--plan", "store refresh", "--query", "length(@)").stdout); n != 30 {
		t.Errorf("plan tasks: %d", n)
	}
	if n := decodeJSON[int](t, pl("tasks", "--plan", "Store Refresh", "--bucket", "done", "--query", "length(@)").stdout); n != 10 {
		t.Errorf("bucket tasks: %d", n)
	}
	if n := decodeJSON[int](t, pl("tasks", "--open", "--query", "length(@)").stdout); n != 10 {
		t.Errorf("open tasks: %d", n)
	}
	if n := decodeJSON[int](t, pl("tasks", "--limit", "4", "--query", "length(@)").stdout); n != 4 {
		t.Errorf("--limit 4: %d", n)
	}
	csv := pl("tasks", "-o", "csv", "--limit", "2").stdout
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "title,percent") {
		t.Errorf("csv: %q", csv)
	}

	added := decodeJSON[map[string]any](t, pl("add", "Order the balloons", "--plan", "Store Refresh", "--bucket", "In progress",
		"--assign", "me", "--assign", "IsaiahL@contoso.onmicrosoft.com", "--due", "2026-12-24", "--priority", "urgent").stdout)
	if added["title"] != "Order the balloons" || added["priority"] != float64(1) || added["dueDateTime"] == nil || len(added["assignments"].(map[string]any)) != 2 {
		t.Fatalf("add = %v", added)
	}
	if n := decodeJSON[int](t, pl("tasks", "--query", "length(@)").stdout); n != 16 {
		t.Errorf("my tasks after add: %d", n)
	}
	done := decodeJSON[map[string]any](t, pl("done", "order the balloons").stdout)
	if done["percentComplete"] != float64(100) || done["completedDateTime"] == nil {
		t.Fatalf("done = %v", done)
	}
	undone := decodeJSON[map[string]any](t, pl("done", added["id"].(string), "--undo").stdout)
	if undone["percentComplete"] != float64(0) || undone["completedDateTime"] != nil {
		t.Fatalf("done --undo = %v", undone)
	}
	// The first bucket by default.
	pl("add", "Sweep", "--plan", "Store Refresh")
	pl("add", "Sweep", "--plan", "Store Refresh")
	if r := h.run(plannerArgs("done", "Sweep", "--plan", "Store Refresh")...); r.code != 1 || !strings.Contains(r.stderr, "give the id") {
		t.Errorf("ambiguous title: %d %s", r.code, r.stderr)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"tasks", "--plan", "No such plan"}, 1, "no plan"},
		{[]string{"done", "nothing"}, 1, "no task"},
		{[]string{"add", "x", "--plan", "Store Refresh", "--bucket", "Nope"}, 1, "no bucket"},
		{[]string{"plans", "--group", "No such group"}, 1, "no group"},
		{[]string{"add", "x", "--plan", "Store Refresh", "--priority", "asap"}, 2, "--priority"},
		{[]string{"add", "x", "--plan", "Store Refresh", "--due", "soon"}, 2, "bad time"},
		{[]string{"add", "x"}, 2, "--plan"},
		{[]string{"add", " ", "--plan", "Store Refresh"}, 2, "empty title"},
		{[]string{"tasks", "--bucket", "Done"}, 2, "--plan"},
		{[]string{"tasks", "--limit", "-1"}, 2, "--limit"},
		{[]string{"tasks", "extra"}, 2, ""},
	} {
		r := h.run(plannerArgs(tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: exit %d, want %d with %q: %s", tc.args, r.code, tc.code, tc.msg, r.stderr)
		}
	}
}

// Without a Planner scope the error says how to sign in; naming a group without the
// groups scope says how to get it.
func TestPlannerCommandScopes(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,message_all")
	if r := h.run(plannerArgs("plans")...); r.code != 1 || !strings.Contains(r.stderr, "tasks_all") {
		t.Errorf("plans without the scope: %d %s", r.code, r.stderr)
	}
	h2 := newHarness(t)
	h2.loginScopes("basic,tasks_all")
	if r := h2.run(plannerArgs("plans", "--group", "Retail")...); r.code != 1 || !strings.Contains(r.stderr, "groups") {
		t.Errorf("group by name without Group.Read.All: %d %s", r.code, r.stderr)
	}
}
