package emulator

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"
)

// plannerStart starts a demo emulator and returns Adele's token (a Retail
// member) and the Retail group's id.
func plannerStart(t *testing.T, scopes string) (*Server, string, string) {
	t.Helper()
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, scopes)
	var retail string
	for _, g := range s.dir.groups.snapshot() {
		if docString(g.doc, "displayName") == "Retail" {
			retail = g.id
		}
	}
	return s, tok, retail
}

// allPages follows @odata.nextLink and returns every item.
func allPages(t *testing.T, s *Server, path, tok string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for path != "" {
		r := do(t, s, "GET", path, tok, "")
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		out = append(out, r.values()...)
		path, _ = r.json["@odata.nextLink"].(string)
	}
	return out
}

func plannerDemoPlan(t *testing.T, s *Server, tok, group string) map[string]any {
	t.Helper()
	plans := allPages(t, s, "/v1.0/groups/"+group+"/planner/plans", tok)
	if len(plans) != 1 || plans[0]["title"] != "Store Refresh" {
		t.Fatalf("plans of Retail: %v", plans)
	}
	return plans[0]
}

func TestPlannerSeedListsEveryPage(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	plan := plannerDemoPlan(t, s, tok, retail)
	pid := plan["id"].(string)
	c := plan["container"].(map[string]any)
	if c["containerId"] != retail || c["type"] != "group" || !strings.HasSuffix(c["url"].(string), "/groups/"+retail) {
		t.Errorf("container = %v", c)
	}
	if n := len(allPages(t, s, "/v1.0/planner/plans/"+pid+"/tasks", tok)); n != 30 {
		t.Errorf("plan tasks: %d, want 30", n)
	}
	first := do(t, s, "GET", "/v1.0/planner/plans/"+pid+"/tasks", tok, "")
	if len(first.values()) != plannerPageSize || first.json["@odata.nextLink"] == nil {
		t.Errorf("first page: %d items, nextLink %v", len(first.values()), first.json["@odata.nextLink"])
	}
	mine := allPages(t, s, "/v1.0/me/planner/tasks", tok)
	if len(mine) != 15 {
		t.Errorf("my tasks: %d, want 15", len(mine))
	}
	me := s.DefaultUser().ID
	for _, task := range mine {
		if task["assignments"].(map[string]any)[me] == nil {
			t.Errorf("task %v is not assigned to me", task["title"])
		}
	}
	buckets := allPages(t, s, "/v1.0/planner/plans/"+pid+"/buckets", tok)
	var names []string
	for _, b := range buckets {
		names = append(names, b["name"].(string))
		if n := len(allPages(t, s, "/v1.0/planner/buckets/"+b["id"].(string)+"/tasks", tok)); n != 10 {
			t.Errorf("bucket %v: %d tasks", b["name"], n)
		}
	}
	if strings.Join(names, ",") != "To do,In progress,Done" {
		t.Errorf("buckets in order: %v", names)
	}
	myPlans := allPages(t, s, "/v1.0/me/planner/plans", tok)
	if len(myPlans) != 1 {
		t.Errorf("my plans: %v", myPlans)
	}
	d := do(t, s, "GET", "/v1.0/planner/plans/"+pid+"/details", tok, "")
	if d.status != 200 || d.json["categoryDescriptions"].(map[string]any)["category1"] != "Urgent" || d.header.Get("ETag") == "" {
		t.Errorf("plan details: %d %s", d.status, d.body)
	}
}

func TestPlannerMembership(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	pid := plannerDemoPlan(t, s, tok, retail)["id"].(string)
	task := do(t, s, "GET", "/v1.0/planner/plans/"+pid+"/tasks?$top=1", tok, "").values()[0]
	megan := tokenFor(t, s, "MeganB@contoso.onmicrosoft.com", "Tasks.ReadWrite")
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/v1.0/groups/" + retail + "/planner/plans", ""},
		{"GET", "/v1.0/planner/plans/" + pid, ""},
		{"GET", "/v1.0/planner/plans/" + pid + "/tasks", ""},
		{"GET", "/v1.0/planner/plans/" + pid + "/details", ""},
		{"GET", "/v1.0/planner/tasks/" + task["id"].(string), ""},
		{"GET", "/v1.0/planner/tasks/" + task["id"].(string) + "/details", ""},
		{"POST", "/v1.0/planner/tasks", `{"planId":"` + pid + `","title":"x"}`},
		{"POST", "/v1.0/planner/buckets", `{"planId":"` + pid + `","name":"x"}`},
		{"POST", "/v1.0/planner/plans", `{"title":"x","container":{"url":"https://graph.microsoft.com/v1.0/groups/` + retail + `"}}`},
		{"GET", "/v1.0/users/" + s.DefaultUser().ID + "/planner/tasks", ""},
	} {
		if r := do(t, s, tc.method, tc.path, megan, tc.body); r.status != http.StatusForbidden {
			t.Errorf("Megan %s %s: %d, want 403: %s", tc.method, tc.path, r.status, r.body)
		}
	}
	if n := len(allPages(t, s, "/v1.0/me/planner/tasks", megan)); n != 0 {
		t.Errorf("Megan's tasks: %d", n)
	}
	// App-only callers see every plan.
	app := appToken(t, s)
	if r := do(t, s, "GET", "/v1.0/planner/plans/"+pid, app, ""); r.status != 200 && r.status != http.StatusForbidden {
		t.Errorf("app-only: %d %s", r.status, r.body)
	}
	// Reading needs a Planner scope; writing Tasks.ReadWrite.
	ro := tokenFor(t, s, s.DefaultUser().UPN, "Tasks.Read")
	if r := do(t, s, "GET", "/v1.0/planner/plans/"+pid, ro, ""); r.status != 200 {
		t.Errorf("read with Tasks.Read: %d", r.status)
	}
	if r := do(t, s, "POST", "/v1.0/planner/tasks", ro, `{"planId":"`+pid+`","title":"x"}`); r.status != http.StatusForbidden {
		t.Errorf("write with Tasks.Read: %d", r.status)
	}
	none := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	if r := do(t, s, "GET", "/v1.0/planner/plans/"+pid, none, ""); r.status != http.StatusForbidden {
		t.Errorf("read without scope: %d", r.status)
	}
}

// Every PATCH and DELETE needs If-Match (428 without, 412 when stale);
// every write gives a new ETag in Planner's form.
func TestPlannerETags(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	pid := plannerDemoPlan(t, s, tok, retail)["id"].(string)
	created := do(t, s, "POST", "/v1.0/planner/tasks", tok, `{"planId":"`+pid+`","title":"Fix the door"}`)
	if created.status != 201 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	id := created.json["id"].(string)
	etag := created.json["@odata.etag"].(string)
	if created.header.Get("ETag") != etag || !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("etag %q header %q", etag, created.header.Get("ETag"))
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(etag, `W/"`), `"`))
	if err != nil || !strings.HasPrefix(string(raw), "'1-Task") {
		t.Errorf("etag payload %q %v", raw, err)
	}
	path := "/v1.0/planner/tasks/" + id
	r := do(t, s, "PATCH", path, tok, `{"percentComplete":50}`)
	if r.status != http.StatusPreconditionRequired || !strings.Contains(r.errMessage(), "If-Match") {
		t.Fatalf("no If-Match: %d %s", r.status, r.body)
	}
	r = do(t, s, "PATCH", path, tok, `{"percentComplete":50}`, "If-Match", etag)
	if r.status != http.StatusNoContent || r.header.Get("ETag") == etag || r.header.Get("ETag") == "" {
		t.Fatalf("PATCH: %d etag %q", r.status, r.header.Get("ETag"))
	}
	newTag := r.header.Get("ETag")
	r = do(t, s, "PATCH", path, tok, `{"percentComplete":100}`, "If-Match", etag)
	if r.status != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %d %s", r.status, r.body)
	}
	r = do(t, s, "PATCH", path, tok, `{"percentComplete":100,"priority":1}`, "If-Match", newTag, "Prefer", "return=representation")
	if r.status != 200 || r.json["percentComplete"] != float64(100) || r.json["completedDateTime"] == nil || r.json["@odata.etag"] != r.header.Get("ETag") {
		t.Fatalf("PATCH with return=representation: %d %s", r.status, r.body)
	}
	last := r.header.Get("ETag")
	if r := do(t, s, "DELETE", path, tok, ""); r.status != http.StatusPreconditionRequired {
		t.Errorf("DELETE without If-Match: %d", r.status)
	}
	if r := do(t, s, "DELETE", path, tok, "", "If-Match", newTag); r.status != http.StatusPreconditionFailed {
		t.Errorf("DELETE stale: %d", r.status)
	}
	if r := do(t, s, "DELETE", path, tok, "", "If-Match", last); r.status != http.StatusNoContent {
		t.Errorf("DELETE: %d %s", r.status, r.body)
	}
	if r := do(t, s, "GET", path, tok, ""); r.status != http.StatusNotFound {
		t.Errorf("GET after delete: %d", r.status)
	}
	// Buckets, plans and details follow the same rule.
	b := do(t, s, "GET", "/v1.0/planner/plans/"+pid+"/buckets", tok, "").values()[0]
	if r := do(t, s, "PATCH", "/v1.0/planner/buckets/"+b["id"].(string), tok, `{"name":"Backlog"}`); r.status != http.StatusPreconditionRequired {
		t.Errorf("bucket PATCH without If-Match: %d", r.status)
	}
	if r := do(t, s, "PATCH", "/v1.0/planner/plans/"+pid, tok, `{"title":"x"}`, "If-Match", `W/"stale"`); r.status != http.StatusPreconditionFailed {
		t.Errorf("plan PATCH stale: %d", r.status)
	}
	if r := do(t, s, "PATCH", "/v1.0/planner/plans/"+pid+"/details", tok, `{"sharedWith":{}}`); r.status != http.StatusPreconditionRequired {
		t.Errorf("details PATCH without If-Match: %d", r.status)
	}
}

func TestPlannerCreatePlanWithContainer(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	var leadership string
	for _, g := range s.dir.groups.snapshot() {
		if docString(g.doc, "displayName") == "Leadership" {
			leadership = g.id
		}
	}
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"retired owner", `{"owner":"` + retail + `","title":"Old way"}`, 400},
		{"no container", `{"title":"Nowhere"}`, 400},
		{"no title", `{"container":{"url":"https://graph.microsoft.com/v1.0/groups/` + retail + `"}}`, 400},
		{"security group", `{"title":"x","container":{"url":"https://graph.microsoft.com/v1.0/groups/` + leadership + `"}}`, 400},
		{"unknown group", `{"title":"x","container":{"url":"https://graph.microsoft.com/v1.0/groups/00000000-0000-0000-0000-000000000000"}}`, 404},
		{"bad url", `{"title":"x","container":{"url":"https://graph.microsoft.com/v1.0/users/x"}}`, 400},
		{"read-only", `{"title":"x","createdDateTime":"2020-01-01T00:00:00Z","container":{"url":"https://graph.microsoft.com/v1.0/groups/` + retail + `"}}`, 400},
		{"url", `{"title":"Launch","container":{"url":"https://graph.microsoft.com/v1.0/groups/` + retail + `"}}`, 201},
		{"containerId", `{"title":"Launch 2","container":{"containerId":"` + retail + `","type":"group"}}`, 201},
	} {
		r := do(t, s, "POST", "/v1.0/planner/plans", tok, tc.body)
		if r.status != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.name, r.status, tc.status, r.body)
			continue
		}
		if r.status == 201 {
			c := r.json["container"].(map[string]any)
			if c["containerId"] != retail || c["type"] != "group" {
				t.Errorf("%s: container %v", tc.name, c)
			}
			if d := do(t, s, "GET", "/v1.0/planner/plans/"+r.json["id"].(string)+"/details", tok, ""); d.status != 200 {
				t.Errorf("%s: details of the new plan: %d", tc.name, d.status)
			}
		}
	}
	if n := len(allPages(t, s, "/v1.0/groups/"+retail+"/planner/plans", tok)); n != 3 {
		t.Errorf("plans after creating two: %d", n)
	}
}

func TestPlannerBucketsAndOrderHints(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	pid := plannerDemoPlan(t, s, tok, retail)["id"].(string)
	before := allPages(t, s, "/v1.0/planner/plans/"+pid+"/buckets", tok)
	first := do(t, s, "POST", "/v1.0/planner/buckets", tok, `{"name":"Ideas","planId":"`+pid+`","orderHint":" !"}`)
	if first.status != 201 {
		t.Fatalf("create bucket: %d %s", first.status, first.body)
	}
	// Between "To do" and "In progress".
	a, b := before[0]["orderHint"].(string), before[1]["orderHint"].(string)
	mid := do(t, s, "POST", "/v1.0/planner/buckets", tok, fmt.Sprintf(`{"name":"Review","planId":%q,"orderHint":%q}`, pid, a+" "+b+"!"))
	var names []string
	for _, x := range allPages(t, s, "/v1.0/planner/plans/"+pid+"/buckets", tok) {
		names = append(names, x["name"].(string))
	}
	if strings.Join(names, ",") != "Ideas,To do,Review,In progress,Done" {
		t.Errorf("bucket order: %v (hints %q, %q)", names, first.json["orderHint"], mid.json["orderHint"])
	}
	id := mid.json["id"].(string)
	r := do(t, s, "PATCH", "/v1.0/planner/buckets/"+id, tok, `{"name":"Reviewed"}`, "If-Match", mid.json["@odata.etag"].(string), "Prefer", "return=representation")
	if r.status != 200 || r.json["name"] != "Reviewed" {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	for _, bad := range []string{`{"name":""}`, `{"planId":"x"}`, `{"colour":"red"}`} {
		if r := do(t, s, "PATCH", "/v1.0/planner/buckets/"+id, tok, bad, "If-Match", r.json["@odata.etag"].(string)); r.status != 400 {
			t.Errorf("PATCH %s: %d", bad, r.status)
		}
	}
	// Deleting a bucket deletes its tasks.
	todo := before[0]
	n := len(allPages(t, s, "/v1.0/planner/plans/"+pid+"/tasks", tok))
	if r := do(t, s, "DELETE", "/v1.0/planner/buckets/"+todo["id"].(string), tok, "", "If-Match", todo["@odata.etag"].(string)); r.status != 204 {
		t.Fatalf("delete bucket: %d %s", r.status, r.body)
	}
	if m := len(allPages(t, s, "/v1.0/planner/plans/"+pid+"/tasks", tok)); m != n-10 {
		t.Errorf("tasks after deleting a bucket of 10: %d, want %d", m, n-10)
	}
	for _, bad := range []string{`{"planId":"` + pid + `"}`, `{"name":"x"}`, `{"name":"x","planId":"nope"}`} {
		if r := do(t, s, "POST", "/v1.0/planner/buckets", tok, bad); r.status != 400 && r.status != 404 {
			t.Errorf("POST %s: %d", bad, r.status)
		}
	}
}

// hintBetween always lands strictly between its bounds, for any pair of
// valid hints, repeatedly (a list reordered many times).
func TestPlannerHintBetween(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randHint := func() string {
		b := make([]byte, 1+rng.IntN(6))
		for i := range b {
			b[i] = byte(' ' + rng.IntN(95))
		}
		return string(b)
	}
	for range 5000 {
		a, b := randHint(), randHint()
		if a == b || a+" " == b || b+" " == a {
			continue
		}
		if a > b {
			a, b = b, a
		}
		h := hintBetween(a, b)
		if !(a < h && h < b) || !validHint(h) {
			t.Fatalf("hintBetween(%q, %q) = %q", a, b, h)
		}
		if h := hintBetween(a, ""); h <= a || !validHint(h) {
			t.Fatalf("hintBetween(%q, \"\") = %q", a, h)
		}
		if h := hintBetween("", b); h >= b || !validHint(h) {
			t.Fatalf("hintBetween(\"\", %q) = %q", b, h)
		}
	}
	lo, hi := "a", "b"
	for range 200 { // always insert just after lo
		h := hintBetween(lo, hi)
		if !(lo < h && h < hi) {
			t.Fatalf("between %q and %q: %q", lo, hi, h)
		}
		hi = h
	}
	if got, _ := resolveHint(" !", []string{"x"}); got >= "x" {
		t.Errorf(`" !" = %q, not first`, got)
	}
	if got, _ := resolveHint("a b!", []string{"a", "b"}); !("a" < got && got < "b") {
		t.Errorf(`"a b!" = %q`, got)
	}
	if _, ok := resolveHint("bad\x01", nil); ok {
		t.Error("control character accepted")
	}
}

func TestPlannerTasksWrite(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	pid := plannerDemoPlan(t, s, tok, retail)["id"].(string)
	bucket := do(t, s, "GET", "/v1.0/planner/plans/"+pid+"/buckets", tok, "").values()[1]
	me := s.DefaultUser().ID
	body := fmt.Sprintf(`{"planId":%q,"bucketId":%q,"title":"Hang the banner","priority":1,"dueDateTime":"2026-12-01T17:00:00+01:00",
		"appliedCategories":{"category3":true},"assignments":{%q:{"@odata.type":"#microsoft.graph.plannerAssignment","orderHint":" !"}}}`, pid, bucket["id"], me)
	r := do(t, s, "POST", "/v1.0/planner/tasks", tok, body)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if r.json["dueDateTime"] != "2026-12-01T16:00:00.0000000Z" || r.json["bucketId"] != bucket["id"] || r.json["priority"] != float64(1) {
		t.Errorf("created: %s", r.body)
	}
	a := r.json["assignments"].(map[string]any)[me].(map[string]any)
	if a["orderHint"] == " !" || a["assignedBy"] == nil || a["assignedDateTime"] == nil {
		t.Errorf("assignment: %v", a)
	}
	id, etag := r.json["id"].(string), r.json["@odata.etag"].(string)
	for _, tc := range []struct{ name, body string }{
		{"percent", `{"percentComplete":101}`},
		{"priority", `{"priority":11}`},
		{"date", `{"dueDateTime":"tomorrow"}`},
		{"category", `{"appliedCategories":{"category26":true}}`},
		{"assignee", `{"assignments":{"nobody":{"@odata.type":"#microsoft.graph.plannerAssignment","orderHint":" !"}}}`},
		{"assignment type", `{"assignments":{"` + me + `":{"orderHint":" !"}}}`},
		{"read-only", `{"createdDateTime":"2020-01-01T00:00:00Z"}`},
		{"unknown", `{"colour":"red"}`},
		{"title", `{"title":""}`},
		{"bucket of another plan", `{"bucketId":"nope"}`},
		{"preview", `{"previewType":"big"}`},
	} {
		if r := do(t, s, "PATCH", "/v1.0/planner/tasks/"+id, tok, tc.body, "If-Match", etag); r.status != 400 {
			t.Errorf("%s: %d, want 400: %s", tc.name, r.status, r.body)
		}
	}
	r = do(t, s, "PATCH", "/v1.0/planner/tasks/"+id, tok, `{"appliedCategories":{"category3":false,"category1":true},"dueDateTime":null,"assignments":{"`+me+`":null}}`,
		"If-Match", etag, "Prefer", "return=representation")
	if r.status != 200 || r.json["dueDateTime"] != nil || len(r.json["assignments"].(map[string]any)) != 0 {
		t.Fatalf("PATCH: %d %s", r.status, r.body)
	}
	if cats := r.json["appliedCategories"].(map[string]any); len(cats) != 1 || cats["category1"] != true {
		t.Errorf("categories: %v", cats)
	}
	for _, bad := range []string{`{"title":"x"}`, `{"planId":"` + pid + `"}`, `{"planId":"` + pid + `","title":"x","bucketId":"nope"}`} {
		if r := do(t, s, "POST", "/v1.0/planner/tasks", tok, bad); r.status != 400 {
			t.Errorf("POST %s: %d", bad, r.status)
		}
	}
	if r := do(t, s, "GET", "/v1.0/planner/tasks/nope", tok, ""); r.status != 404 {
		t.Errorf("unknown task: %d", r.status)
	}
}

func TestPlannerTaskDetails(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	pid := plannerDemoPlan(t, s, tok, retail)["id"].(string)
	task := do(t, s, "POST", "/v1.0/planner/tasks", tok, `{"planId":"`+pid+`","title":"Details"}`).json
	id := task["id"].(string)
	d := do(t, s, "GET", "/v1.0/planner/tasks/"+id+"/details", tok, "")
	if d.status != 200 || d.json["description"] != "" {
		t.Fatalf("details: %d %s", d.status, d.body)
	}
	etag := d.json["@odata.etag"].(string)
	const guid = "95e27074-6c4a-447a-aa24-9d718a0b86fa"
	for _, tc := range []struct{ name, body string }{
		{"checklist key", `{"checklist":{"not-a-guid":{"@odata.type":"#microsoft.graph.plannerChecklistItem","title":"x"}}}`},
		{"checklist type", `{"checklist":{"` + guid + `":{"title":"x"}}}`},
		{"checklist title", `{"checklist":{"` + guid + `":{"@odata.type":"#microsoft.graph.plannerChecklistItem"}}}`},
		{"reference key", `{"references":{"https://example.com/a":{"@odata.type":"#microsoft.graph.plannerExternalReference","alias":"x"}}}`},
		{"reference type", `{"references":{"https%3A//example%2Ecom/a":{"alias":"x"}}}`},
		{"reference kind", `{"references":{"https%3A//example%2Ecom/a":{"@odata.type":"#microsoft.graph.plannerExternalReference","type":"Movie"}}}`},
		{"preview", `{"previewType":"poster"}`},
		{"unknown", `{"notes":"x"}`},
	} {
		if r := do(t, s, "PATCH", "/v1.0/planner/tasks/"+id+"/details", tok, tc.body, "If-Match", etag); r.status != 400 {
			t.Errorf("%s: %d, want 400: %s", tc.name, r.status, r.body)
		}
	}
	body := `{"description":"Big banner","previewType":"checklist",
		"checklist":{"` + guid + `":{"@odata.type":"microsoft.graph.plannerChecklistItem","title":"Measure","orderHint":" !"}},
		"references":{"https%3A//contoso%2Esharepoint%2Ecom/banner%2Edocx":{"@odata.type":"#microsoft.graph.plannerExternalReference","alias":"Design","type":"Word"}}}`
	r := do(t, s, "PATCH", "/v1.0/planner/tasks/"+id+"/details", tok, body, "If-Match", etag, "Prefer", "return=representation")
	if r.status != 200 {
		t.Fatalf("PATCH details: %d %s", r.status, r.body)
	}
	item := r.json["checklist"].(map[string]any)[guid].(map[string]any)
	if item["@odata.type"] != "#microsoft.graph.plannerChecklistItem" || item["isChecked"] != false || item["lastModifiedBy"] == nil {
		t.Errorf("checklist item: %v", item)
	}
	ref := r.json["references"].(map[string]any)["https%3A//contoso%2Esharepoint%2Ecom/banner%2Edocx"].(map[string]any)
	if ref["alias"] != "Design" || ref["previewPriority"] == "" {
		t.Errorf("reference: %v", ref)
	}
	got := do(t, s, "GET", "/v1.0/planner/tasks/"+id, tok, "").json
	if got["hasDescription"] != true || got["checklistItemCount"] != float64(1) || got["activeChecklistItemCount"] != float64(1) || got["referenceCount"] != float64(1) {
		t.Errorf("task counts: %v", got)
	}
	if got["@odata.etag"] == task["@odata.etag"] {
		t.Error("the task's ETag did not change with its counts")
	}
	r = do(t, s, "PATCH", "/v1.0/planner/tasks/"+id+"/details", tok,
		`{"checklist":{"`+guid+`":null},"references":{"https%3A//contoso%2Esharepoint%2Ecom/banner%2Edocx":null}}`,
		"If-Match", r.header.Get("ETag"), "Prefer", "return=representation")
	if r.status != 200 || len(r.json["checklist"].(map[string]any)) != 0 || len(r.json["references"].(map[string]any)) != 0 {
		t.Errorf("removing: %d %s", r.status, r.body)
	}
}

// Deleting a plan takes its buckets, tasks and details with it.
func TestPlannerDeletePlan(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	plan := plannerDemoPlan(t, s, tok, retail)
	pid := plan["id"].(string)
	task := do(t, s, "GET", "/v1.0/planner/plans/"+pid+"/tasks?$top=1", tok, "").values()[0]
	r := do(t, s, "PATCH", "/v1.0/planner/plans/"+pid, tok, `{"title":"Store Refresh 2027"}`, "If-Match", plan["@odata.etag"].(string))
	if r.status != 204 {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	if r := do(t, s, "DELETE", "/v1.0/planner/plans/"+pid, tok, "", "If-Match", plan["@odata.etag"].(string)); r.status != 412 {
		t.Errorf("delete with the old etag: %d", r.status)
	}
	if r := do(t, s, "DELETE", "/v1.0/planner/plans/"+pid, tok, "", "If-Match", r.header.Get("ETag")); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	for _, p := range []string{"/v1.0/planner/plans/" + pid, "/v1.0/planner/tasks/" + task["id"].(string), "/v1.0/planner/tasks/" + task["id"].(string) + "/details"} {
		if r := do(t, s, "GET", p, tok, ""); r.status != 404 {
			t.Errorf("GET %s after delete: %d", p, r.status)
		}
	}
	if n := len(allPages(t, s, "/v1.0/me/planner/tasks", tok)); n != 0 {
		t.Errorf("my tasks after the plan went: %d", n)
	}
}

// FuzzPlannerOrderHint: any valid pair of hints gets a hint strictly between them, and the
// order-hint parser never fails on a valid value or panics on any value.
func FuzzPlannerOrderHint(f *testing.F) {
	for _, seed := range [][2]string{{"", ""}, {"a", "b"}, {"a", "a!"}, {" ", "!"}, {"85752723360752+", "RWk1"}, {"~~", ""}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if _, ok := resolveHint(a+" "+b+"!", []string{a, b}); ok != (validHint(a) && validHint(b)) {
			t.Fatalf("resolveHint(%q %q!) ok = %v", a, b, ok)
		}
		validReferenceKey(a)
		if !validHint(a) || !validHint(b) || a == b {
			return
		}
		if a > b {
			a, b = b, a
		}
		if b == a+" " {
			return // nothing sorts between a and a+" "
		}
		if h := hintBetween(a, b); !(a < h && h < b) || !validHint(h) {
			t.Fatalf("hintBetween(%q, %q) = %q", a, b, h)
		}
	})
}

// Task changes reach change-notification subscriptions on the plan's tasks.
func TestPlannerChangeNotifications(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	pid := plannerDemoPlan(t, s, tok, retail)["id"].(string)
	r := newReceiver(t)
	sub := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("planner/plans/"+pid+"/tasks", r.srv.URL, "created,updated,deleted", s.Now().Add(50*time.Minute), ""))
	if sub.status != 201 {
		t.Fatalf("subscribe: %d %s", sub.status, sub.body)
	}
	created := do(t, s, "POST", "/v1.0/planner/tasks", tok, `{"planId":"`+pid+`","title":"Watch me"}`)
	id := created.json["id"].(string)
	patched := do(t, s, "PATCH", "/v1.0/planner/tasks/"+id, tok, `{"percentComplete":50}`, "If-Match", created.json["@odata.etag"].(string))
	do(t, s, "DELETE", "/v1.0/planner/tasks/"+id, tok, "", "If-Match", patched.header.Get("ETag"))
	for _, want := range []string{"created", "updated", "deleted"} {
		n := r.next(t)
		rd, _ := n["resourceData"].(map[string]any)
		if n["changeType"] != want || rd["id"] != id {
			t.Errorf("notification %v, want %s of %s", n, want, id)
		}
	}
}

func TestPlannerBoardFormats(t *testing.T) {
	s, tok, retail := plannerStart(t, "Tasks.ReadWrite")
	pid := plannerDemoPlan(t, s, tok, retail)["id"].(string)
	tasks := allPages(t, s, "/v1.0/planner/plans/"+pid+"/tasks", tok)
	me := s.DefaultUser().ID
	var mine map[string]any
	for _, x := range tasks {
		if x["assignments"].(map[string]any)[me] != nil {
			mine = x
			break
		}
	}
	id := mine["id"].(string)
	a := do(t, s, "GET", "/v1.0/planner/tasks/"+id+"/assignedToTaskBoardFormat", tok, "")
	if a.status != 200 || a.json["unassignedOrderHint"] != mine["orderHint"] || a.json["orderHintsByAssignee"].(map[string]any)[me] == nil || a.json["id"] != id {
		t.Fatalf("assignedTo format: %d %s", a.status, a.body)
	}
	b := do(t, s, "GET", "/v1.0/planner/tasks/"+id+"/bucketTaskBoardFormat", tok, "")
	if b.status != 200 || b.json["orderHint"] != mine["orderHint"] || b.header.Get("ETag") == "" {
		t.Fatalf("bucket format: %d %s", b.status, b.body)
	}
	path := "/v1.0/planner/tasks/" + id + "/progressTaskBoardFormat"
	if r := do(t, s, "PATCH", path, tok, `{"orderHint":" !"}`); r.status != http.StatusPreconditionRequired {
		t.Errorf("PATCH without If-Match: %d", r.status)
	}
	etag := do(t, s, "GET", path, tok, "").header.Get("ETag")
	r := do(t, s, "PATCH", path, tok, `{"orderHint":" !"}`, "If-Match", etag, "Prefer", "return=representation")
	if r.status != 200 || r.json["orderHint"] == " !" || r.header.Get("ETag") == etag {
		t.Fatalf("PATCH: %d %s", r.status, r.body)
	}
	for _, bad := range []string{`{"orderHint":""}`, `{"unassignedOrderHint":"x"}`, `{"id":"x"}`} {
		if r2 := do(t, s, "PATCH", path, tok, bad, "If-Match", r.header.Get("ETag")); r2.status != 400 {
			t.Errorf("PATCH %s: %d", bad, r2.status)
		}
	}
	r = do(t, s, "PATCH", "/v1.0/planner/tasks/"+id+"/assignedToTaskBoardFormat", tok, `{"orderHintsByAssignee":{"`+me+`":null},"unassignedOrderHint":" !"}`,
		"If-Match", a.header.Get("ETag"), "Prefer", "return=representation")
	if r.status != 200 || len(r.json["orderHintsByAssignee"].(map[string]any)) != 0 {
		t.Fatalf("assignedTo PATCH: %d %s", r.status, r.body)
	}
	if r := do(t, s, "DELETE", "/v1.0/planner/tasks/"+id, tok, "", "If-Match", mine["@odata.etag"].(string)); r.status != 204 {
		t.Fatalf("delete task: %d", r.status)
	}
	if r := do(t, s, "GET", path, tok, ""); r.status != 404 {
		t.Errorf("board format of a deleted task: %d", r.status)
	}
}
