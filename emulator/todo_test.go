package emulator

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/internal/graphspec"
)

// TestTodoRoutesAreGraphPaths: every To Do route is a real Graph v1.0
// path and method, for users and for /me.
func TestTodoRoutesAreGraphPaths(t *testing.T) {
	s := Start(t)
	sample := strings.NewReplacer("{user}", "AdeleV@contoso.onmicrosoft.com", "{list}", "AAMkADIyAAAAABrJAAA=",
		"{task}", "AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A", "{item}", "51d8a471-2e9d-4f53-9937-c33a8742d28f")
	n := 0
	for _, r := range s.router.routes {
		pattern := strings.Join(r.pattern, "/")
		if !strings.Contains(pattern, "/todo/") {
			continue
		}
		n++
		for _, p := range []string{"/v1.0/" + sample.Replace(pattern), "/v1.0/me" + sample.Replace(strings.TrimPrefix(pattern, "users/{user}"))} {
			if _, ok := graphspec.Match(r.method, p); !ok {
				t.Errorf("%s %s is not a Graph path", r.method, p)
			}
		}
	}
	if n != 17 {
		t.Errorf("%d To Do routes", n)
	}
}

// The generic GET replay (TestFidelity) signs in without To Do scopes:
// the To Do examples are replayed here.
func init() {
	fidelitySkip["/todo/lists"] = "replayed by TestTodoFidelity (Tasks scopes)"
}

// todoFidelitySkip lists documented To Do examples not compared, with the
// reason.
var todoFidelitySkip = map[string]string{
	"todotasklist-get.md":        "the documented response wraps the list in \"value\" and writes booleans as strings",
	"todotasklist-list-tasks.md": "the documented task has linkedResources, which the emulator does not serve",
}

// TestTodoFidelity replays the documented To Do examples the emulator
// serves against fresh lists, tasks and checklist items, and compares the
// status and the response shape with the docs.
func TestTodoFidelity(t *testing.T) {
	s := Start(t)
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "Tasks.ReadWrite User.Read")
	replayed := 0
	for i, ex := range graphspec.Examples("todo") {
		if ex.Host != "" || ex.ResponseStatus == 0 {
			continue
		}
		path, _, _ := strings.Cut(ex.Path, "?")
		version, segs, ok := splitGraphPath(escapeExamplePath(path))
		if !ok || len(segs) == 0 {
			continue
		}
		if strings.EqualFold(segs[0], "me") {
			segs = append([]string{"users", adele.ID}, segs[1:]...)
		}
		m := s.router.match(ex.Method, segs)
		if m.route == nil {
			t.Logf("not served: %s %s", ex.Method, path)
			continue
		}
		name := fmt.Sprintf("%s:%d", ex.Source, ex.Line)
		list := do(t, s, "POST", "/v1.0/me/todo/lists", tok, fmt.Sprintf(`{"displayName":"fidelity %d"}`, i))
		listID, ok := list.json["id"].(string)
		if !ok {
			t.Fatalf("create list: %d %s", list.status, list.body)
		}
		task := do(t, s, "POST", "/v1.0/me/todo/lists/"+url.PathEscape(listID)+"/tasks", tok, `{"title":"fidelity","dueDateTime":{"dateTime":"2026-12-01T10:00:00","timeZone":"UTC"}}`)
		taskID, ok := task.json["id"].(string)
		if !ok {
			t.Fatalf("create task: %d %s", task.status, task.body)
		}
		item := do(t, s, "POST", "/v1.0/me/todo/lists/"+url.PathEscape(listID)+"/tasks/"+url.PathEscape(taskID)+"/checklistItems", tok, `{"displayName":"step"}`)
		for j, p := range m.route.pattern {
			switch p {
			case "{user}":
				segs[j] = adele.ID
			case "{list}":
				segs[j] = listID
			case "{task}":
				segs[j] = taskID
			case "{item}":
				segs[j] = item.json["id"].(string)
			}
			segs[j] = url.PathEscape(segs[j])
		}
		target := "/" + version + "/" + strings.Join(segs, "/")
		body := ""
		if ex.RequestBody != nil {
			body = fmt.Sprint(mustJSON(ex.RequestBody))
		}
		t.Run(name, func(t *testing.T) {
			r := do(t, s, ex.Method, target, tok, body)
			if r.status != ex.ResponseStatus {
				t.Fatalf("%s %s: status %d, documented %d: %.400s", ex.Method, target, r.status, ex.ResponseStatus, r.body)
			}
			if why, ok := todoFidelitySkip[ex.Source[strings.LastIndex(ex.Source, "/")+1:]]; ok {
				t.Logf("shape not compared: %s", why)
				return
			}
			if docObj, ok := ex.ResponseBody.(map[string]any); ok {
				var problems []string
				compareShape("", docObj, r.json, &problems)
				if len(problems) > 0 {
					sort.Strings(problems)
					t.Errorf("%s %s: shape differs from the documented response:\n  %s", ex.Method, target, strings.Join(problems, "\n  "))
				}
			}
		})
		replayed++
	}
	if replayed < 10 {
		t.Errorf("only %d documented To Do examples replayed", replayed)
	}
	t.Logf("%d documented To Do examples replayed", replayed)
}

func mustJSON(v any) string { return string(encodeJSON(v)) }

// TestTodoService covers the service rules: the default list, paging,
// ETags, validation and permissions.
func TestTodoService(t *testing.T) {
	s := Start(t)
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "Tasks.ReadWrite User.Read")
	lists := do(t, s, "GET", "/v1.0/me/todo/lists", tok, "")
	if lists.status != 200 || len(lists.values()) != 1 || lists.values()[0]["wellknownListName"] != "defaultList" || lists.values()[0]["displayName"] != "Tasks" {
		t.Fatalf("default list: %d %s", lists.status, lists.body)
	}
	def := url.PathEscape(lists.values()[0]["id"].(string))
	if r := do(t, s, "DELETE", "/v1.0/me/todo/lists/"+def, tok, ""); r.status != 400 {
		t.Fatalf("delete default: %d", r.status)
	}
	for i := range 23 {
		if r := do(t, s, "POST", "/v1.0/me/todo/lists/"+def+"/tasks", tok, fmt.Sprintf(`{"title":"t%d"}`, i)); r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
	}
	next, pages, total := "/v1.0/me/todo/lists/"+def+"/tasks", 0, 0
	for next != "" {
		r := do(t, s, "GET", next, tok, "")
		if r.status != 200 {
			t.Fatalf("page: %d %s", r.status, r.body)
		}
		pages++
		total += len(r.values())
		next, _ = r.json["@odata.nextLink"].(string)
	}
	if pages != 3 || total != 23 {
		t.Fatalf("%d pages, %d tasks", pages, total)
	}
	// Due dates are days: midnight of the date in the zone given, in UTC.
	dated := do(t, s, "POST", "/v1.0/me/todo/lists/"+def+"/tasks", tok,
		`{"title":"dated","dueDateTime":{"dateTime":"2026-07-25T04:10:00","timeZone":"Pacific Standard Time"},"reminderDateTime":{"dateTime":"2026-07-25T04:10:00","timeZone":"Pacific Standard Time"}}`)
	if due, _ := dated.json["dueDateTime"].(map[string]any); due["dateTime"] != "2026-07-25T07:00:00.0000000" || due["timeZone"] != "UTC" {
		t.Errorf("due date: %v", dated.json["dueDateTime"])
	}
	if rem, _ := dated.json["reminderDateTime"].(map[string]any); rem["dateTime"] != "2026-07-25T11:10:00.0000000" || rem["timeZone"] != "UTC" {
		t.Errorf("reminder: %v", dated.json["reminderDateTime"])
	}
	do(t, s, "DELETE", "/v1.0/me/todo/lists/"+def+"/tasks/"+url.PathEscape(dated.json["id"].(string)), tok, "")
	first := do(t, s, "GET", "/v1.0/me/todo/lists/"+def+"/tasks?$top=1", tok, "").values()[0]
	taskURL := "/v1.0/me/todo/lists/" + def + "/tasks/" + url.PathEscape(first["id"].(string))
	etag := first["@odata.etag"].(string)
	if r := do(t, s, "PATCH", taskURL, tok, `{"status":"completed"}`, "If-Match", etag); r.status != 200 || r.json["completedDateTime"] == nil {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	if r := do(t, s, "PATCH", taskURL, tok, `{"title":"x"}`, "If-Match", etag); r.status != 412 {
		t.Fatalf("stale etag: %d", r.status)
	}
	for _, bad := range []string{`{"createdDateTime":"2020-01-01T00:00:00Z"}`, `{"nope":1}`, `{"importance":"urgent"}`, `{"dueDateTime":"tomorrow"}`,
		`{"recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2026-01-01"}},"dueDateTime":null}`, `[1]`, `{`, `{"title":7}`} {
		if r := do(t, s, "PATCH", taskURL, tok, bad); r.status != 400 {
			t.Errorf("PATCH %s: %d", bad, r.status)
		}
	}
	if r := do(t, s, "GET", "/v1.0/me/todo/lists/"+def+"/tasks?$select=nope", tok, ""); r.status != 400 {
		t.Errorf("bad select: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/me/todo/lists/delta?$skiptoken=garbage", tok, ""); r.status != 410 {
		t.Errorf("bad token: %d", r.status)
	}
	read := tokenFor(t, s, adele.UPN, "Tasks.Read")
	if r := do(t, s, "POST", "/v1.0/me/todo/lists", read, `{"displayName":"x"}`); r.status != 403 {
		t.Errorf("Tasks.Read writes: %d", r.status)
	}
	app := appToken(t, s)
	if r := do(t, s, "GET", "/v1.0/users/"+adele.UPN+"/todo/lists/"+def+"/tasks?$top=2", app, ""); r.status != 200 || len(r.values()) != 2 {
		t.Errorf("app-only: %d %s", r.status, r.body)
	}
}

// TestTodoDemoSeed: the demo tenant's default user has three lists, the
// default one with more tasks than a page holds.
func TestTodoDemoSeed(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "Tasks.Read")
	lists := do(t, s, "GET", "/v1.0/me/todo/lists", tok, "").values()
	if len(lists) != 3 {
		t.Fatalf("%d lists", len(lists))
	}
	r := do(t, s, "GET", "/v1.0/me/todo/lists/"+url.PathEscape(lists[0]["id"].(string))+"/tasks", tok, "")
	if len(r.values()) != 10 || r.json["@odata.nextLink"] == nil {
		t.Fatalf("first page: %d %v", len(r.values()), r.json["@odata.nextLink"])
	}
}

// FuzzTodoTaskBody: no task body makes the validation panic, and what it
// accepts encodes.
func FuzzTodoTaskBody(f *testing.F) {
	for _, seed := range []string{`{"title":"x"}`, `{"status":"completed","completedDateTime":null}`, `{"dueDateTime":{"dateTime":"2026-01-01","timeZone":"UTC"},"recurrence":{"pattern":{}}}`,
		`{"categories":[1]}`, `{"body":{"contentType":"html"}}`, `{"importance":null}`, `{"isReminderOn":"yes"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		in, gerr := decodeObject([]byte(body))
		if gerr != nil {
			return
		}
		doc := map[string]any{"title": "", "status": "notStarted"}
		if applyTaskChanges(doc, in, time.Unix(0, 0), true) == nil {
			_ = todoEntity("u", "id", doc, todoTaskOrder, true)
		}
		_ = applyItemChanges(map[string]any{}, in, &call{now: time.Unix(0, 0)})
	})
}

// FuzzTodoToken: tokens decode or are refused, never panic.
func FuzzTodoToken(f *testing.F) {
	f.Add(todoToken{Kind: "t", List: "l", Since: 3, Round: "r", Offset: 2}.encode())
	f.Add("TD")
	f.Add("TDe30")
	f.Fuzz(func(t *testing.T, s string) {
		if tok, ok := decodeTodoToken(s); ok {
			if _, ok := decodeTodoToken(tok.encode()); !ok {
				t.Fatal("re-encoded token refused")
			}
		}
	})
}
