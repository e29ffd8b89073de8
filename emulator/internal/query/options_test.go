package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseOrderBy(t *testing.T) {
	tests := []struct {
		in   string
		want OrderBy
		err  string
	}{
		{"", nil, ""},
		{"subject", OrderBy{{Path: []string{"subject"}}}, ""},
		{"receivedDateTime desc, from/emailAddress/address ASC", OrderBy{
			{Path: []string{"receivedDateTime"}, Desc: true},
			{Path: []string{"from", "emailAddress", "address"}},
		}, ""},
		{"a,,b", nil, "empty sort key at position 2"},
		{"a sideways", nil, "unknown sort direction 'sideways'"},
		{"a desc extra", nil, "expected 'property [asc|desc]'"},
		{"a/", nil, "invalid property 'a/'"},
		{"a)", nil, "invalid property 'a)'"},
	}
	for _, tt := range tests {
		got, err := ParseOrderBy(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "Invalid orderby clause: ") {
				t.Errorf("ParseOrderBy(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseOrderBy(%q): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseOrderBy(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestOrderBySort(t *testing.T) {
	items := []map[string]any{
		{"id": "1", "subject": "banana", "n": 2.0, "when": "2024-01-02T00:00:00Z", "from": map[string]any{"emailAddress": map[string]any{"address": "z@x"}}},
		{"id": "2", "subject": "Apple", "n": 10.0, "when": "2024-01-01T23:00:00-02:00"},
		{"id": "3", "subject": "apple", "n": 1.0, "when": "2024-01-02T00:00:00.5Z", "from": map[string]any{"emailAddress": map[string]any{"address": "a@x"}}},
		{"id": "4", "n": nil, "when": "2024-01-01T00:00:00Z"},
		{"id": "5", "subject": "cherry", "n": 2.0, "when": "2024-01-03T00:00:00Z"},
	}
	ids := func(o OrderBy) string {
		c := make([]map[string]any, len(items))
		copy(c, items)
		o.Sort(c)
		var out []string
		for _, it := range c {
			out = append(out, it["id"].(string))
		}
		return strings.Join(out, ",")
	}
	tests := []struct{ orderby, want string }{
		{"subject", "4,2,3,1,5"},      // null first, case-insensitive, bytes break ties (A < a)
		{"subject desc", "5,1,3,2,4"}, // null last
		{"n", "4,3,1,5,2"},            // numbers numerically, stable for equal keys
		{"n desc,subject desc", "2,5,1,3,4"},
		{"when", "4,1,3,2,5"}, // instants, not strings: 23:00-02:00 is 01:00Z on the 2nd
		{"from/emailAddress/address", "2,4,5,3,1"},
		{"", "1,2,3,4,5"},
	}
	for _, tt := range tests {
		o, err := ParseOrderBy(tt.orderby)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(o); got != tt.want {
			t.Errorf("$orderby=%s: %s, want %s", tt.orderby, got, tt.want)
		}
	}
	if c := (OrderBy{{Path: []string{""}}, {Path: nil}}).Compare(items[0], items[1]); c != 0 {
		t.Errorf("Compare with empty paths = %d", c)
	}
	mixed := OrderBy{{Path: []string{"v"}}}
	order := []any{nil, false, true, -1.0, 3.0, "a", "b", []any{}}
	for i := range order {
		for j := range order {
			got := mixed.Compare(map[string]any{"v": order[i]}, map[string]any{"v": order[j]})
			want := 0
			if i < j {
				want = -1
			} else if i > j && !(i == 7 && j == 7) {
				want = 1
			}
			if i == j {
				want = 0
			}
			if got != want {
				t.Errorf("Compare(%v, %v) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
}

func TestSelectProject(t *testing.T) {
	sel, err := ParseSelect(" subject , FROM,from/emailAddress/name, body ")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"subject", "FROM", "from/emailAddress/name", "body"}, sel); diff != "" {
		t.Errorf("ParseSelect (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"a,,b", "a b", "a)", ","} {
		if _, err := ParseSelect(bad); err == nil || !strings.HasPrefix(err.Error(), "Invalid select clause: ") {
			t.Errorf("ParseSelect(%q) error = %v", bad, err)
		}
	}
	if s, err := ParseSelect(""); s != nil || err != nil {
		t.Errorf("ParseSelect(\"\") = %v, %v", s, err)
	}

	item := decodeItem(t, msgJSON)
	item["subject@odata.type"] = "#String"
	got := Project(item, []string{"SUBJECT", "from/emailAddress/name", "nothing"}, "isRead")
	want := map[string]any{
		"id":                 "AAMk1",
		"@odata.etag":        `W/"1"`,
		"subject":            "Quarterly Report: it's ready",
		"subject@odata.type": "#String",
		"from":               map[string]any{"emailAddress": map[string]any{"name": "Adele Vance"}},
		"isRead":             false,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Project (-want +got):\n%s", diff)
	}
	if _, ok := item["subject"]; !ok {
		t.Error("Project modified its input")
	}
	if got := Project(item, nil); len(got) != len(item) {
		t.Error("Project with no fields is not the item")
	}
	if got := Project(item, []string{"*"}); len(got) != len(item) {
		t.Error("Project with * is not the item")
	}
	if got := Project(map[string]any{"from": "x"}, []string{"from/emailAddress"}); got["from"] != "x" {
		t.Errorf("Project of a path through a scalar = %v", got)
	}
}

func TestParseExpand(t *testing.T) {
	got, err := ParseExpand("attachments, children($select=id,name;$top=5;$skip=1;$count=true;$orderby=name desc;$filter=size gt 0 and contains(name,'a;b)');$expand=thumbnails($select=small)),manager(levels=max),*")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("got %d items", len(got))
	}
	c := got[1]
	if got[0].Name != "attachments" || c.Name != "children" || got[2].Name != "manager" || got[3].Name != "*" {
		t.Errorf("names = %q, %q, %q, %q", got[0].Name, c.Name, got[2].Name, got[3].Name)
	}
	if diff := cmp.Diff([]string{"id", "name"}, c.Select); diff != "" {
		t.Errorf("select: %s", diff)
	}
	if c.Top != 5 || c.Skip != 1 || !c.Count || got[2].Levels != -1 {
		t.Errorf("top/skip/count/levels = %d %d %v %d", c.Top, c.Skip, c.Count, got[2].Levels)
	}
	if diff := cmp.Diff(OrderBy{{Path: []string{"name"}, Desc: true}}, c.OrderBy); diff != "" {
		t.Errorf("orderby: %s", diff)
	}
	if c.Filter.String() != "size gt 0 and contains(name,'a;b)')" {
		t.Errorf("filter = %q", c.Filter)
	}
	if ok, _ := c.Filter.Match(map[string]any{"size": 1.0, "name": "xa;b)"}); !ok {
		t.Error("nested filter does not match")
	}
	if len(c.Expand) != 1 || c.Expand[0].Name != "thumbnails" || c.Expand[0].Select[0] != "small" {
		t.Errorf("nested expand = %+v", c.Expand)
	}
	if e, err := ParseExpand(""); e != nil || err != nil {
		t.Errorf("ParseExpand(\"\") = %v, %v", e, err)
	}
	s, err := ParseExpand("x($search=\"pizza\")")
	if err != nil || !s[0].Search.Match(map[string]any{"subject": "pizza"}) {
		t.Errorf("nested search: %v", err)
	}
}

func TestParseExpandErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a,,b", "empty navigation property"},
		{"a(", "expected ')'"},
		{"a)", "unbalanced ')'"},
		{"a($top=0)", "invalid $top value '0'"},
		{"a($top=x)", "invalid $top value"},
		{"a($skip=-1)", "invalid $skip value"},
		{"a($count=maybe)", "invalid $count value"},
		{"a($levels=0)", "invalid $levels value"},
		{"a($select=id;$select=x)", "given twice"},
		{"a($format=json)", "'$format' is not allowed"},
		{"a(select)", "expected 'option=value'"},
		{"a($filter=x eq)", "expected a value after 'eq' at position 14"},
		{"a($expand=)", "empty $expand"},
		{"a b", "invalid navigation property 'a b'"},
		{"a($filter=name eq 'x)", "unterminated string literal"},
		{"a(x=1)y", "expected ')' after the options"},
		{strings.Repeat("a($expand=", 150) + "b" + strings.Repeat(")", 150), "nested too deeply"},
	}
	for _, tt := range tests {
		_, err := ParseExpand(tt.in)
		var qe *Error
		if err == nil || !errors.As(err, &qe) || qe.Option != "$expand" || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseExpand(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestSearch(t *testing.T) {
	msg := decodeItem(t, msgJSON)
	user := map[string]any{"displayName": "Adele Vance", "mail": "AdeleV@contoso.com", "jobTitle": "Retail Manager"}
	defaults := []string{"from", "subject", "body"}
	tests := []struct {
		search string
		item   map[string]any
		want   bool
	}{
		{`"pizza"`, msg, true},
		{`"PIZ"`, msg, true},   // word prefix, any case
		{`"izza"`, msg, false}, // not the start of a word
		{`pizza`, msg, true},
		{`"pizza party"`, msg, true},
		{`"quarterly"`, msg, true},
		{`"adele"`, msg, true},   // from
		{`"contoso"`, msg, true}, // adelev@contoso.com: a word starts after @
		{`"bob"`, msg, false},    // toRecipients is not a default field
		{`"to:bob"`, msg, true},  // but is searchable by name
		{`"subject:report"`, msg, true},
		{`"subject:pizza"`, msg, false},
		{`"body:friday"`, msg, true},
		{`"from:adelev@contoso.com"`, msg, true},
		{`"participants:carol"`, msg, true},
		{`"attachment:report"`, msg, true},
		{`"category:blue"`, msg, true},
		{`"subject:report AND body:pizza"`, msg, true},
		{`"subject:report AND body:sushi"`, msg, false},
		{`"subject:sushi OR body:pizza"`, msg, true},
		{`"pizza NOT sushi"`, msg, true},
		{`"pizza AND NOT party"`, msg, false},
		{`"(sushi OR pizza) friday"`, msg, true},
		{`"subject:\"quarterly report\""`, msg, true},
		{`"subject:\"report quarterly\""`, msg, false},
		{`"displayName:ad" OR "mail:zz"`, user, true},
		{`"displayName:va" AND "mail:zz"`, user, false},
		{`"retail"`, user, true}, // no default fields: every string
	}
	for _, tt := range tests {
		s, err := ParseSearch(tt.search)
		if err != nil {
			t.Errorf("ParseSearch(%s): %v", tt.search, err)
			continue
		}
		var d []string
		if _, isMsg := tt.item["subject"]; isMsg {
			d = defaults
		}
		if got := s.Match(tt.item, d...); got != tt.want {
			t.Errorf("%s: Match = %v, want %v", tt.search, got, tt.want)
		}
	}
	var nilSearch *Search
	if !nilSearch.Match(msg) || nilSearch.String() != "" {
		t.Error("nil search does not match everything")
	}
}

func TestSearchErrors(t *testing.T) {
	for _, in := range []string{``, `""`, `"   "`, `"pizza`, `"a AND"`, `"(a"`, `"a)"`, `"subject:"`, `NOT`, `"OR a"`, `a "b`, strings.Repeat("(", 200) + "a" + strings.Repeat(")", 200)} {
		_, err := ParseSearch(in)
		var qe *Error
		if err == nil || !errors.As(err, &qe) || !strings.HasPrefix(err.Error(), "Invalid search request: ") {
			t.Errorf("ParseSearch(%s) error = %v", in, err)
		}
	}
}
