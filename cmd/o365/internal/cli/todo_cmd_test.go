package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// todoArgs prefixes a todo subcommand with the signed-in test profile.
func todoArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "todo"}, args...)
}

func TestTodoCommands(t *testing.T) {
	h := newHarness(t)
	h.mustRun("--profile", "emu", "login", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", h.srv.PublicClientID(),
		"--scopes", "basic,tasks_all")
	td := func(args ...string) run { h.t.Helper(); return h.mustRun(todoArgs(args...)...) }

	names := decodeJSON[[]string](t, td("lists", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"Tasks", "Groceries", "Project Falcon"}, names); diff != "" {
		t.Errorf("lists (-want +got):\n%s", diff)
	}
	text := td("lists", "-o", "text").stdout
	if first := strings.SplitN(text, "\n", 2)[0]; !strings.HasPrefix(first, "name") || !strings.Contains(first, "id") {
		t.Errorf("lists -o text header: %q", first)
	}
	// Every page: the demo default list holds more tasks than one page.
	if n := decodeJSON[int](t, td("tasks", "--query", "length(@)").stdout); n != 24 {
		t.Errorf("tasks of the default list: %d", n)
	}
	if n := decodeJSON[int](t, td("tasks", "--open", "--query", "length(@)").stdout); n != 18 {
		t.Errorf("open tasks: %d", n)
	}
	if n := decodeJSON[int](t, td("tasks", "--limit", "5", "--query", "length(@)").stdout); n != 5 {
		t.Errorf("--limit 5: %d", n)
	}
	if got := decodeJSON[[]string](t, td("tasks", "groceries", "--query", "[].title").stdout); len(got) != 3 {
		t.Errorf("tasks groceries: %v", got)
	}

	added := decodeJSON[map[string]any](t, td("add", "Bread", "--list", "Groceries", "--due", "2026-12-24", "--importance", "high",
		"--note", "sourdough", "--category", "Food", "--reminder", "2026-12-23T09:00").stdout)
	if added["title"] != "Bread" || added["importance"] != "high" || added["isReminderOn"] != true || added["dueDateTime"] == nil {
		t.Fatalf("add = %v", added)
	}
	done := decodeJSON[map[string]any](t, td("done", "bread", "--list", "groceries").stdout)
	if done["status"] != "completed" || done["completedDateTime"] == nil {
		t.Fatalf("done = %v", done)
	}
	undone := decodeJSON[map[string]any](t, td("done", added["id"].(string), "--list", "Groceries", "--undo").stdout)
	if undone["status"] != "notStarted" {
		t.Fatalf("done --undo = %v", undone)
	}
	td("add", "Milk")
	td("add", "milk")
	if r := h.run(todoArgs("done", "Milk")...); r.code != 1 || !strings.Contains(r.stderr, "give the id") {
		t.Errorf("ambiguous title: %d %s", r.code, r.stderr)
	}
	if r := h.run(todoArgs("tasks", "No such list")...); r.code != 1 || !strings.Contains(r.stderr, "no list named") {
		t.Errorf("missing list: %d %s", r.code, r.stderr)
	}
	if r := h.run(todoArgs("done", "nothing")...); r.code != 1 {
		t.Errorf("missing task: %d %s", r.code, r.stderr)
	}
	for _, bad := range [][]string{{"add", "x", "--importance", "urgent"}, {"add", "x", "--due", "tomorrow"}, {"add", ""}, {"tasks", "a", "b"}} {
		if r := h.run(todoArgs(bad...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", bad, r.code, r.stderr)
		}
	}
}

// Without the To Do scope the error says how to sign in.
func TestTodoNeedsScope(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,message_all") // no To Do scope
	r := h.run(todoArgs("lists")...)
	if r.code != 1 || !strings.Contains(r.stderr, "tasks_all") {
		t.Errorf("lists without the scope: %d %s", r.code, r.stderr)
	}
}
