package drive

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// documented returns the documented response bodies of the drive area whose OData type
// ends with typ (single entities and collection members).
func documented(t *testing.T, typ string) []json.RawMessage {
	t.Helper()
	f, err := os.Open("../../shared/graph/examples/drive.jsonl")
	if err != nil {
		t.Skip("documented examples not available: ", err)
	}
	defer f.Close()
	var out []json.RawMessage
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var ex struct {
			Body json.RawMessage `json:"response_body"`
			Type string          `json:"response_odata_type"`
		}
		if json.Unmarshal(sc.Bytes(), &ex) != nil || len(ex.Body) == 0 || ex.Body[0] != '{' || !strings.HasSuffix(strings.TrimSuffix(ex.Type, ")"), typ) {
			continue
		}
		if strings.HasPrefix(ex.Type, "Collection(") {
			var coll struct {
				Value []json.RawMessage `json:"value"`
			}
			if json.Unmarshal(ex.Body, &coll) == nil {
				out = append(out, coll.Value...)
			}
			continue
		}
		out = append(out, ex.Body)
	}
	return out
}

// stripAnnotations removes OData annotations (and the given keys) at every level, and
// makes equal what means the same: zero values and absent ones, and one instant written
// with or without fractional seconds.
func stripAnnotations(v any, drop map[string]bool) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if (strings.HasPrefix(k, "@odata") || drop[k]) && k != "@microsoft.graph.downloadUrl" {
				delete(x, k)
				continue
			}
			switch e {
			case false, float64(0), "":
				delete(x, k)
				continue
			}
			x[k] = stripAnnotations(e, drop)
		}
	case string:
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
	case []any:
		for i := range x {
			x[i] = stripAnnotations(x[i], drop)
		}
	}
	return v
}

// The models decode Graph's documented examples without loss: everything the document
// says survives a decode and encode (OData annotations aside).
func TestModelsDecodeDocumentedExamples(t *testing.T) {
	check := func(t *testing.T, typ string, newV func() any, drop ...string) {
		bodies := documented(t, typ)
		if len(bodies) == 0 {
			t.Fatalf("no documented %s", typ)
		}
		dm := map[string]bool{}
		for _, k := range drop {
			dm[k] = true
		}
		for i, b := range bodies {
			v := newV()
			if err := json.Unmarshal(b, v); err != nil {
				t.Errorf("%s #%d: %v\n%s", typ, i, err, b)
				continue
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			_ = json.Unmarshal(b, &want)
			_ = json.Unmarshal(out, &got)
			want, got = stripAnnotations(want, dm), stripAnnotations(got, dm)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s #%d (-document +round trip):\n%s", typ, i, diff)
			}
		}
	}
	t.Run("drive", func(t *testing.T) { check(t, "graph.drive", func() any { return new(Drive) }) })
	t.Run("driveItem", func(t *testing.T) { check(t, "graph.driveItem", func() any { return new(Item) }) })
	t.Run("permission", func(t *testing.T) { check(t, "graph.permission", func() any { return new(Permission) }) })
	t.Run("driveItemVersion", func(t *testing.T) { check(t, "graph.driveItemVersion", func() any { return new(Version) }) })
}
