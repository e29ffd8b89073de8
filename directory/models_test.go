package directory_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/internal/graphspec"
)

// TestDecodeDocumentedUsers decodes every documented user in the users
// examples and checks that no property is lost on the way back to JSON.
func TestDecodeDocumentedUsers(t *testing.T) {
	checked := 0
	for _, ex := range graphspec.Examples("users") {
		body, ok := ex.ResponseBody.(map[string]any)
		if !ok {
			continue
		}
		ctx, _ := body["@odata.context"].(string)
		var items []map[string]any
		_, isList := body["value"]
		_, rest, users := strings.Cut(ctx, "#users")
		if !users || strings.Contains(strings.TrimSuffix(rest, "/$entity"), "/") {
			continue // not users (insights, photos, ...)
		}
		if isList {
			items = asList(body["value"])
		} else {
			items = append(items, body)
		}
		for _, it := range items {
			raw, _ := json.Marshal(it)
			var u directory.User
			if err := json.Unmarshal(raw, &u); err != nil {
				t.Errorf("%s:%d: %v", ex.Source, ex.Line, err)
				continue
			}
			out, _ := json.Marshal(&u)
			var back map[string]any
			_ = json.Unmarshal(out, &back)
			for k, v := range it {
				if strings.HasPrefix(k, "@") || v == nil || isEmpty(v) {
					continue
				}
				if _, ok := back[k]; !ok {
					t.Errorf("%s:%d: property %q lost", ex.Source, ex.Line, k)
				}
			}
			checked++
		}
	}
	if checked < 5 {
		t.Errorf("only %d documented users checked", checked)
	}
	t.Logf("%d documented users decoded", checked)
}

func asList(v any) []map[string]any {
	l, _ := v.([]any)
	var out []map[string]any
	for _, x := range l {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
