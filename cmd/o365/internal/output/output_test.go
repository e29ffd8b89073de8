package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type user struct {
	ID          string   `json:"id"`
	DisplayName string   `json:"displayName"`
	Mail        string   `json:"mail,omitempty"`
	Phones      []string `json:"businessPhones,omitempty"`
}

var users = []user{
	{ID: "1", DisplayName: "Adele Vance", Mail: "adele@contoso.com", Phones: []string{"+1 425 555 0109"}},
	{ID: "2", DisplayName: "Alex | Wilber", Mail: "alex@contoso.com"},
}

const collection = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[
 {"id":"1","displayName":"Adele Vance","mail":"adele@contoso.com"},
 {"id":"2","displayName":"Alex Wilber","mail":null}]}`

func TestWrite(t *testing.T) {
	tests := []struct {
		name string
		v    any
		o    Options
		want string
	}{
		{
			name: "json keeps struct order",
			v:    users[0],
			o:    Options{Format: JSON},
			want: `{
  "id": "1",
  "displayName": "Adele Vance",
  "mail": "adele@contoso.com",
  "businessPhones": [
    "+1 425 555 0109"
  ]
}
`,
		},
		{
			name: "json raw message unchanged order, no html escaping",
			v:    json.RawMessage(`{"z":1,"a":"<b>&","big":12345678901234567890}`),
			o:    Options{Format: JSON},
			want: "{\n  \"z\": 1,\n  \"a\": \"<b>&\",\n  \"big\": 12345678901234567890\n}\n",
		},
		{
			name: "json empty containers",
			v:    map[string]any{"a": []any{}, "b": map[string]any{}},
			o:    Options{Format: JSON},
			want: "{\n  \"a\": [],\n  \"b\": {}\n}\n",
		},
		{
			name: "json query",
			v:    users,
			o:    Options{Format: JSON, Query: "[].{name: displayName, id: id}"},
			want: "[\n  {\n    \"id\": \"1\",\n    \"name\": \"Adele Vance\"\n  },\n  {\n    \"id\": \"2\",\n    \"name\": \"Alex | Wilber\"\n  }\n]\n",
		},
		{
			name: "json query numbers",
			v:    json.RawMessage(`{"value":[{"n":1},{"n":2.5}]}`),
			o:    Options{Format: JSON, Query: "sum(value[].n)"},
			want: "3.5\n",
		},
		{
			name: "text object",
			v:    users[0],
			o:    Options{Format: Text},
			want: "id:              1\ndisplayName:     Adele Vance\nmail:            adele@contoso.com\nbusinessPhones:  +1 425 555 0109\n",
		},
		{
			name: "text table",
			v:    users,
			o:    Options{Format: Text},
			want: "id  displayName    mail               businessPhones\n1   Adele Vance    adele@contoso.com  +1 425 555 0109\n2   Alex | Wilber  alex@contoso.com   \n",
		},
		{
			name: "text table with columns",
			v:    users,
			o:    Options{Format: Text, Columns: []Column{{Header: "NAME", Path: "displayName"}, {Header: "PHONE", Path: "businessPhones"}}},
			want: "NAME           PHONE\nAdele Vance    +1 425 555 0109\nAlex | Wilber  \n",
		},
		{
			name: "text unwraps a collection and hides annotations",
			v:    json.RawMessage(collection),
			o:    Options{Format: Text},
			want: "id  displayName  mail\n1   Adele Vance  adele@contoso.com\n2   Alex Wilber  \n",
		},
		{
			name: "text scalar list from query",
			v:    users,
			o:    Options{Format: Text, Query: "[].mail"},
			want: "adele@contoso.com\nalex@contoso.com\n",
		},
		{
			name: "text scalar",
			v:    users,
			o:    Options{Format: Text, Query: "length(@)"},
			want: "2\n",
		},
		{
			name: "text null",
			v:    users,
			o:    Options{Format: Text, Query: "missing"},
			want: "",
		},
		{
			name: "text long cell cut, newline flattened",
			v:    []map[string]string{{"subject": "line one\nline two " + strings.Repeat("x", 80)}},
			o:    Options{Format: Text},
			want: "subject\nline one line two " + strings.Repeat("x", 41) + "…\n",
		},
		{
			name: "text id never cut",
			v:    []map[string]string{{"subject": strings.Repeat("s", 70), "id": strings.Repeat("i", 70)}},
			o:    Options{Format: Text, Columns: []Column{{Header: "subject", Path: "subject"}, {Header: "id", Path: "id"}}},
			want: "subject" + strings.Repeat(" ", 55) + "id\n" + strings.Repeat("s", 59) + "…  " + strings.Repeat("i", 70) + "\n",
		},
		{
			name: "csv table",
			v:    users,
			o:    Options{Format: CSV},
			want: "id,displayName,mail,businessPhones\n1,Adele Vance,adele@contoso.com,\"[\"\"+1 425 555 0109\"\"]\"\n2,Alex | Wilber,alex@contoso.com,\n",
		},
		{
			name: "csv object",
			v:    user{ID: "1", DisplayName: "A, B"},
			o:    Options{Format: CSV},
			want: "id,displayName\n1,\"A, B\"\n",
		},
		{
			name: "csv scalar list",
			v:    users,
			o:    Options{Format: CSV, Query: "[].id"},
			want: "1\n2\n",
		},
		{
			name: "csv collection with columns",
			v:    json.RawMessage(collection),
			o:    Options{Format: CSV, Columns: []Column{{Header: "name", Path: "displayName"}}},
			want: "name\nAdele Vance\nAlex Wilber\n",
		},
		{
			name: "md table escapes pipes",
			v:    users,
			o:    Options{Format: Markdown, Query: "[].{id: id, name: displayName}"},
			want: "| id | name |\n| --- | --- |\n| 1 | Adele Vance |\n| 2 | Alex \\| Wilber |\n",
		},
		{
			name: "text nested values stay JSON, scalar lists are joined",
			v:    map[string]any{"tags": []string{"a", "b"}, "from": map[string]any{"address": "x@y"}, "mixed": []any{1, map[string]any{"k": "v"}}},
			o:    Options{Format: Text},
			want: "from:   {\"address\":\"x@y\"}\nmixed:  [1,{\"k\":\"v\"}]\ntags:   a, b\n",
		},
		{
			name: "md object",
			v:    user{ID: "1", DisplayName: "Adele"},
			o:    Options{Format: Markdown},
			want: "| Property | Value |\n| --- | --- |\n| id | 1 |\n| displayName | Adele |\n",
		},
		{
			name: "md scalar list",
			v:    []string{"a", "b"},
			o:    Options{Format: Markdown},
			want: "- a\n- b\n",
		},
		{
			name: "md scalar",
			v:    "hello",
			o:    Options{Format: Markdown},
			want: "hello\n",
		},
		{
			name: "none prints nothing",
			v:    users,
			o:    Options{Format: None},
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.v, tt.o); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, buf.String()); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		v    any
		o    Options
	}{
		{"bad query", users, Options{Format: JSON, Query: "[?"}},
		{"query type error", users, Options{Format: JSON, Query: "sum(@)"}},
		{"bad raw json", json.RawMessage(`{"a":`), Options{Format: JSON}},
		{"trailing data", json.RawMessage(`{} {}`), Options{Format: JSON}},
		{"unencodable", func() {}, Options{Format: JSON}},
		{"unknown format", users, Options{Format: "yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Write(&bytes.Buffer{}, tt.v, tt.o); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for _, in := range []string{"json", "TEXT", " csv", "md", "markdown", "none"} {
		if _, err := ParseFormat(in); err != nil {
			t.Errorf("ParseFormat(%q): %v", in, err)
		}
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Error("ParseFormat(yaml): want error")
	}
	if Default(true) != Text || Default(false) != JSON {
		t.Error("Default: want text on a terminal, json otherwise")
	}
	if err := ValidateQuery("[?"); err == nil {
		t.Error("ValidateQuery: want a syntax error")
	}
	if err := ValidateQuery("value[].id"); err != nil {
		t.Error(err)
	}
}

func TestKeyOrder(t *testing.T) {
	got := keyOrder([]byte(`{"b":{"d":[{"e":1,"b":2}],"c":"x"},"a":[1,{"f":null}],"g":"h"}`))
	want := map[string]int{"b": 0, "d": 1, "e": 2, "c": 3, "a": 4, "f": 5, "g": 6}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("keyOrder (-want +got):\n%s", diff)
	}
}

func FuzzWrite(f *testing.F) {
	f.Add([]byte(collection), "value[].id")
	f.Add([]byte(`[1,"a",null,{"x":[]}]`), "")
	f.Fuzz(func(t *testing.T, raw []byte, q string) {
		if !json.Valid(raw) {
			return
		}
		for _, format := range Formats {
			// Must not panic; errors are fine (bad queries).
			_ = Write(&bytes.Buffer{}, json.RawMessage(raw), Options{Format: format, Query: q})
		}
	})
}
