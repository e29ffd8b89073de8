package planner_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/planner"
)

// modelFor returns a new model for a documented Planner type, nil for types the package
// does not model.
func modelFor(odataType string) any {
	switch odataType {
	case "microsoft.graph.plannerPlan":
		return &planner.Plan{}
	case "microsoft.graph.plannerBucket":
		return &planner.Bucket{}
	case "microsoft.graph.plannerTask":
		return &planner.Task{}
	case "microsoft.graph.plannerPlanDetails":
		return &planner.PlanDetails{}
	case "microsoft.graph.plannerTaskDetails":
		return &planner.TaskDetails{}
	case "microsoft.graph.plannerAssignedToTaskBoardTaskFormat":
		return &planner.AssignedToTaskBoardFormat{}
	case "microsoft.graph.plannerBucketTaskBoardTaskFormat":
		return &planner.BucketTaskBoardFormat{}
	case "microsoft.graph.plannerProgressTaskBoardTaskFormat":
		return &planner.ProgressTaskBoardFormat{}
	}
	return nil
}

// lost lists what of doc is missing or different in got (nulls are absences; timestamps
// compare as instants).
func lost(path string, doc, got any) []string {
	switch d := doc.(type) {
	case nil:
		return nil
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{path + ": not an object"}
		}
		var out []string
		for k, v := range d {
			if v == nil {
				continue
			}
			gv, ok := g[k]
			if !ok {
				out = append(out, path+"/"+k+": lost")
				continue
			}
			out = append(out, lost(path+"/"+k, v, gv)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(d) {
			return []string{path + ": array differs"}
		}
		var out []string
		for i := range d {
			out = append(out, lost(fmt.Sprintf("%s[%d]", path, i), d[i], g[i])...)
		}
		return out
	case string:
		g, _ := got.(string)
		if g == d {
			return nil
		}
		dt, err1 := parseAny(d)
		gt, err2 := parseAny(g)
		if err1 == nil && err2 == nil && dt.Equal(gt) {
			return nil
		}
		return []string{fmt.Sprintf("%s: %q became %q", path, d, g)}
	default:
		if fmt.Sprint(doc) != fmt.Sprint(got) {
			return []string{fmt.Sprintf("%s: %v became %v", path, doc, got)}
		}
	}
	return nil
}

func parseAny(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05.999999999", s)
}

// Every documented Planner object (responses and request bodies) decodes into its model
// and encodes back without losing a property.
func TestPlannerExamplesDecodeWithoutLoss(t *testing.T) {
	checked := 0
	for _, ex := range graphspec.Examples("planner") {
		bodies := []struct {
			kind string
			v    any
		}{{"response", ex.ResponseBody}, {"request", ex.RequestBody}}
		if ex.ResponseBodyFormat == "json-lenient" {
			bodies[0].v = ex.ResponseBodyLenient
		}
		if ex.RequestBodyFormat == "json-lenient" {
			bodies[1].v = ex.RequestBodyLenient
		}
		for _, b := range bodies {
			obj, ok := b.v.(map[string]any)
			if !ok {
				continue
			}
			items := []any{obj}
			if vs, ok := obj["value"].([]any); ok {
				items = vs
			}
			for _, it := range items {
				if modelFor(ex.ResponseODataType) == nil {
					continue
				}
				model := modelFor(ex.ResponseODataType)
				raw, _ := json.Marshal(it)
				if err := json.Unmarshal(raw, model); err != nil {
					t.Errorf("%s %s %s: decode: %v", ex.Name, ex.Path, b.kind, err)
					continue
				}
				out, err := json.Marshal(model)
				if err != nil {
					t.Fatal(err)
				}
				var back any
				if err := json.Unmarshal(out, &back); err != nil {
					t.Fatal(err)
				}
				if l := lost("", it, back); len(l) > 0 {
					t.Errorf("%s %s %s: %v", ex.Name, ex.Path, b.kind, l)
				}
				checked++
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d documented objects checked", checked)
	}
	t.Logf("%d documented objects decoded and encoded", checked)
}

// Reference keys are plain URLs in Go and encoded on the wire.
func TestPlannerReferenceKeys(t *testing.T) {
	for _, tc := range []struct{ url, key string }{
		{"https://developer.microsoft.com/en-us/graph/graph-explorer", "https%3A//developer%2Emicrosoft%2Ecom/en-us/graph/graph-explorer"},
		{"http://www.bing.com", "http%3A//www%2Ebing%2Ecom"},
		{"https://x.com/a%20b#top@me", "https%3A//x%2Ecom/a%2520b%23top%40me"},
	} {
		if got := planner.EncodeReferenceKey(tc.url); got != tc.key {
			t.Errorf("encode %q = %q, want %q", tc.url, got, tc.key)
		}
		if got := planner.DecodeReferenceKey(tc.key); got != tc.url {
			t.Errorf("decode %q = %q, want %q", tc.key, got, tc.url)
		}
	}
	if got := planner.DecodeReferenceKey("bad%zz"); got != "bad%zz" {
		t.Errorf("invalid key: %q", got)
	}
	var d planner.TaskDetails
	if err := json.Unmarshal([]byte(`{"references":{"http%3A//a%2Ecom":{"alias":"A"}}}`), &d); err != nil || d.References["http://a.com"].Alias != "A" {
		t.Fatalf("%+v %v", d, err)
	}
	b, _ := json.Marshal(d)
	if string(b) != `{"description":"","references":{"http%3A//a%2Ecom":{"alias":"A"}}}` {
		t.Errorf("round trip: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"references":[1]}`), &d); err == nil {
		t.Error("bad references accepted")
	}
	var a planner.Assignment
	if err := json.Unmarshal([]byte(`{"assignedDateTime":"not a time"}`), &a); err == nil {
		t.Error("bad assignment time accepted")
	}
	if planner.Between("a", "b") != "a b!" || planner.First != " !" {
		t.Error("order hint forms")
	}
}
