package sharepoint_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/sharepoint"
)

// lost lists the keys of doc that got lacks, recursively (arrays by their first item).
func lost(path string, doc, got any, out *[]string) {
	switch d := doc.(type) {
	case map[string]any:
		g, _ := got.(map[string]any)
		for k, v := range d {
			if strings.HasPrefix(k, "@odata.context") {
				continue
			}
			gv, ok := g[k]
			if !ok {
				*out = append(*out, path+"/"+k)
				continue
			}
			lost(path+"/"+k, v, gv, out)
		}
	case []any:
		g, _ := got.([]any)
		if len(d) > 0 && len(g) > 0 {
			lost(path+"[]", d[0], g[0], out)
		}
	}
}

// roundTrip decodes doc into a new T, encodes it again and reports lost keys.
func roundTrip[T any](t *testing.T, doc any) []string {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decoding into %T: %v", v, err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	var problems []string
	lost("", doc, back, &problems)
	return problems
}

// TestDocumentedExamplesDecode decodes every documented SharePoint response this package
// models into its type and checks that encoding it again loses nothing.
func TestDocumentedExamplesDecode(t *testing.T) {
	type kind func(t *testing.T, doc any) []string
	kinds := map[string]kind{
		"site":        func(t *testing.T, d any) []string { return roundTrip[sharepoint.Site](t, d) },
		"list":        func(t *testing.T, d any) []string { return roundTrip[sharepoint.List](t, d) },
		"item":        func(t *testing.T, d any) []string { return roundTrip[sharepoint.ListItem](t, d) },
		"fields":      func(t *testing.T, d any) []string { return roundTrip[sharepoint.Fields](t, d) },
		"column":      func(t *testing.T, d any) []string { return roundTrip[sharepoint.Column](t, d) },
		"contentType": func(t *testing.T, d any) []string { return roundTrip[sharepoint.ContentType](t, d) },
	}
	// Which model a documented page answers with.
	pages := map[string]string{
		"site-get.md": "site", "site-getbypath.md": "site", "site-search.md": "site", "site-list.md": "site",
		"list-list.md": "list", "list-create.md": "list",
		"listitem-get.md": "item", "listitem-list.md": "item", "listitem-update.md": "fields",
		"list-post-columns.md": "column", "site-post-columns.md": "column", "site-list-columns.md": "column",
		"contenttype-list-columns.md": "column", "contenttype-addcopy.md": "contentType",
		"list-list-contenttypes.md": "contentType", "site-post-contenttypes.md": "contentType",
	}
	decoded := 0
	for _, ex := range graphspec.Examples("sites") {
		page := ex.Source[strings.LastIndex(ex.Source, "/")+1:]
		k, ok := pages[page]
		if !ok || ex.ResponseBody == nil {
			continue
		}
		body, ok := ex.ResponseBody.(map[string]any)
		if !ok {
			continue
		}
		docs := []any{body}
		if vs, ok := body["value"].([]any); ok {
			docs = vs
		}
		for i, d := range docs {
			t.Run(fmt.Sprintf("%s:%d[%d]", page, ex.Line, i), func(t *testing.T) {
				if problems := kinds[k](t, d); len(problems) > 0 {
					sort.Strings(problems)
					t.Errorf("lost %v", problems)
				}
			})
			decoded++
		}
	}
	if decoded < 20 {
		t.Errorf("only %d documented objects decoded", decoded)
	}
}

func TestColumnType(t *testing.T) {
	tests := []struct {
		col  sharepoint.Column
		want sharepoint.ColumnType
	}{
		{sharepoint.Column{Text: &sharepoint.TextColumn{}}, sharepoint.ColumnText},
		{sharepoint.Column{Number: &sharepoint.NumberColumn{}}, sharepoint.ColumnNumber},
		{sharepoint.Column{Boolean: &sharepoint.BooleanColumn{}}, sharepoint.ColumnBoolean},
		{sharepoint.Column{DateTime: &sharepoint.DateTimeColumn{}}, sharepoint.ColumnDateTime},
		{sharepoint.Column{Choice: &sharepoint.ChoiceColumn{}}, sharepoint.ColumnChoice},
		{sharepoint.Column{Lookup: &sharepoint.LookupColumn{}}, sharepoint.ColumnLookup},
		{sharepoint.Column{PersonOrGroup: &sharepoint.PersonOrGroupColumn{}}, sharepoint.ColumnPersonOrGroup},
		{sharepoint.Column{Currency: &sharepoint.CurrencyColumn{}}, sharepoint.ColumnCurrency},
		{sharepoint.Column{Calculated: &sharepoint.CalculatedColumn{}}, sharepoint.ColumnCalculated},
		{sharepoint.Column{HyperlinkOrPicture: &sharepoint.HyperlinkColumn{}}, sharepoint.ColumnHyperlinkOrPicture},
		{sharepoint.Column{Term: &sharepoint.TermColumn{}}, sharepoint.ColumnTerm},
		{sharepoint.Column{}, sharepoint.ColumnUnknown},
	}
	for _, tt := range tests {
		if got := tt.col.Type(); got != tt.want {
			t.Errorf("Type() = %q, want %q", got, tt.want)
		}
	}
	// A boolean facet is an empty object: it must survive a round trip.
	b, _ := json.Marshal(sharepoint.Column{Name: "Done", Boolean: &sharepoint.BooleanColumn{}})
	var back sharepoint.Column
	if err := json.Unmarshal(b, &back); err != nil || back.Type() != sharepoint.ColumnBoolean {
		t.Errorf("boolean column round trip: %s → %+v (%v)", b, back, err)
	}
}

func TestFieldsAccessors(t *testing.T) {
	var f sharepoint.Fields
	if err := json.Unmarshal([]byte(`{"Title":"Mug","Quantity":3,"InStock":true,"Restocked":"2026-11-01T00:00:00Z","Bad":"x"}`), &f); err != nil {
		t.Fatal(err)
	}
	if f.String("Title") != "Mug" || f.String("Quantity") != "" || !f.Bool("InStock") || f.Bool("Title") {
		t.Errorf("accessors: %v", f)
	}
	if n, ok := f.Number("Quantity"); !ok || n != 3 {
		t.Errorf("Number = %v %v", n, ok)
	}
	if _, ok := f.Number("Title"); ok {
		t.Error("Title is a number")
	}
	if tm, ok := f.Time("Restocked"); !ok || tm.Year() != 2026 {
		t.Errorf("Time = %v %v", tm, ok)
	}
	if _, ok := f.Time("Bad"); ok {
		t.Error("Bad is a time")
	}
	if _, ok := f.Time("Quantity"); ok {
		t.Error("Quantity is a time")
	}
}
