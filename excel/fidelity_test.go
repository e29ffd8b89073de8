package excel_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/internal/graphspec"
)

// placeholder reports the docs' stand-ins for values ("values-value"), which are not the
// documented types.
func placeholder(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasSuffix(s, "-value")
}

// The documented responses of the calls this package makes decode into its models, and
// what the models keep marshals back to the same JSON. Grids the docs show as
// "values-value" placeholders are left out.
func TestDocumentedExamplesDecode(t *testing.T) {
	models := map[string]func() any{
		"microsoft.graph.workbookRange":          func() any { return &excel.Range{} },
		"microsoft.graph.workbookWorksheet":      func() any { return &excel.Worksheet{} },
		"microsoft.graph.workbookTable":          func() any { return &excel.Table{} },
		"microsoft.graph.workbookTableColumn":    func() any { return &excel.TableColumn{} },
		"microsoft.graph.workbookTableRow":       func() any { return &excel.TableRow{} },
		"microsoft.graph.workbookNamedItem":      func() any { return &excel.NamedItem{} },
		"microsoft.graph.workbookRangeFormat":    func() any { return &excel.RangeFormat{} },
		"microsoft.graph.workbookRangeBorder":    func() any { return &excel.Border{} },
		"microsoft.graph.workbookSessionInfo":    func() any { return &excel.Session{} },
		"microsoft.graph.workbookOperation":      func() any { return &excel.Operation{} },
		"microsoft.graph.workbookRangeFont":      func() any { return &excel.Font{} },
		"microsoft.graph.workbookRangeFill":      func() any { return &excel.Fill{} },
		"microsoft.graph.workbookApplication":    func() any { return &excel.Application{} },
		"microsoft.graph.workbookFilterCriteria": func() any { return &excel.FilterCriteria{} },
	}
	n := 0
	for _, ex := range graphspec.Examples("excel") {
		mk := models[ex.ResponseODataType]
		body, ok := ex.ResponseBody.(map[string]any)
		if mk == nil || !ok {
			continue
		}
		items := []map[string]any{body}
		if list, ok := body["value"].([]any); ok {
			items = nil
			for _, it := range list {
				if m, ok := it.(map[string]any); ok {
					items = append(items, m)
				}
			}
		}
		for _, it := range items {
			for k, v := range it {
				if placeholder(v) && (k == "values" || k == "valueTypes" || k == "text" || k == "numberFormat" || strings.HasPrefix(k, "formulas")) {
					delete(it, k)
				}
			}
			in, _ := json.Marshal(it)
			m := mk()
			if err := json.Unmarshal(in, m); err != nil {
				t.Errorf("%s (%s): %v\n%s", ex.Name, ex.ResponseODataType, err, in)
				continue
			}
			out, _ := json.Marshal(m)
			var back map[string]any
			_ = json.Unmarshal(out, &back)
			for k, v := range it {
				if strings.HasPrefix(k, "@odata.") || k == "valueTypes" && placeholder(v) {
					continue
				}
				if bv, ok := back[k]; !ok || !jsonSame(v, bv) {
					t.Errorf("%s: %s: %v -> %v", ex.Name, k, v, back[k])
				}
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d documented examples decoded", n)
	}
}

func jsonSame(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
