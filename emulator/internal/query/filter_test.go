package query

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// message decodes like the emulator's items: from JSON, numbers as float64.
func decodeItem(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const msgJSON = `{
	"id": "AAMk1",
	"@odata.etag": "W/\"1\"",
	"subject": "Quarterly Report: it's ready",
	"isRead": false,
	"importance": "high",
	"size": 2048,
	"receivedDateTime": "2024-03-01T10:00:00Z",
	"sentDateTime": "2024-03-01T09:59:59.1234567Z",
	"from": {"emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.com"}},
	"toRecipients": [
		{"emailAddress": {"name": "Bob", "address": "bob@contoso.com"}},
		{"emailAddress": {"name": "Carol", "address": "carol@fabrikam.com"}}
	],
	"categories": ["Red", "Blue"],
	"flag": {"flagStatus": "flagged"},
	"parentFolderId": "7d5b6d2c-9d7b-4c8a-9d55-0a8f2f1c6b1e",
	"body": {"contentType": "html", "content": "<p>Pizza party on Friday</p>"},
	"bodyPreview": "Pizza party on Friday",
	"hasAttachments": true,
	"inferenceClassification": null,
	"attachments": [{"name": "report.xlsx"}]
}`

func TestFilterMatch(t *testing.T) {
	item := decodeItem(t, msgJSON)
	tests := []struct {
		filter string
		want   bool
	}{
		{"subject eq 'Quarterly Report: it''s ready'", true},
		{"subject eq 'QUARTERLY report: IT''S READY'", true}, // case-insensitive eq
		{"subject ne 'x'", true},
		{"isRead eq false", true},
		{"isRead eq true", false},
		{"isRead", false},
		{"not isRead", true},
		{"hasAttachments", true},
		{"hasAttachments and not isRead", true},
		{"importance eq 'high'", true},
		{"importance eq microsoft.graph.importance'high'", true},
		{"importance in ('low', 'high')", true},
		{"importance in ('low', 'normal')", false},
		{"size gt 1024", true},
		{"size ge 2048", true},
		{"size gt 2048", false},
		{"size lt 4096.5", true},
		{"size le 2047", false},
		{"size eq 2048", true},
		{"size eq 2.048e3", true},
		// Dates compare as instants, whatever the fraction digits.
		{"receivedDateTime ge 2024-03-01T00:00:00Z", true},
		{"receivedDateTime lt 2024-03-01", false},
		{"receivedDateTime gt 2024-03-01T11:00:00+02:00", true},
		{"receivedDateTime eq 2024-03-01T10:00:00.000Z", true},
		{"sentDateTime lt receivedDateTime", true},
		{"receivedDateTime eq sentDateTime", false},
		{"receivedDateTime eq 2024-03-01T12:00:00+02:00", true},
		{"receivedDateTime eq '2024-03-01T10:00:00.0000000Z'", true},
		{"sentDateTime gt 2024-03-01T09:59:59.12Z", true},
		{"year(receivedDateTime) eq 2024 and month(receivedDateTime) eq 3 and day(receivedDateTime) eq 1", true},
		{"hour(receivedDateTime) eq 10 and minute(receivedDateTime) eq 0 and second(receivedDateTime) eq 0", true},
		// Nested properties.
		{"from/emailAddress/address eq 'adelev@contoso.com'", true},
		{"From/EmailAddress/Address eq 'adelev@contoso.com'", true},
		{"flag/flagStatus eq 'flagged'", true},
		{"from/emailAddress/missing eq null", true},
		{"from/emailAddress/name/deeper eq null", true},
		// Null.
		{"inferenceClassification eq null", true},
		{"inferenceClassification ne null", false},
		{"nothingHere eq null", true},
		{"nothingHere ne null", false},
		{"nothingHere gt 1", false},
		{"nothingHere lt 1", false},
		{"subject eq null", false},
		// Functions.
		{"contains(subject,'report')", true},
		{"contains(subject,'REPORT')", true},
		{"contains(subject,'nope')", false},
		{"startswith(subject,'quarterly')", true},
		{"endswith(subject,'READY')", true},
		{"startswith(from/emailAddress/address,'adele')", true},
		{"contains(nothingHere,'x')", false},
		{"tolower(subject) eq 'quarterly report: it''s ready'", true},
		{"toupper(importance) eq 'HIGH'", true},
		{"length(subject) eq 28", true},
		{"length(categories) eq 2", true},
		{"indexof(subject,'Report') eq 10", true},
		{"substring(subject,0,9) eq 'Quarterly'", true},
		{"substring(subject,10) eq 'Report: it''s ready'", true},
		{"concat(importance,'!') eq 'high!'", true},
		{"trim(concat(' ',importance)) eq 'high'", true},
		// GUIDs are bare and compare with strings.
		{"parentFolderId eq 7D5B6D2C-9D7B-4C8A-9D55-0A8F2F1C6B1E", true},
		{"parentFolderId eq 00000000-0000-0000-0000-000000000000", false},
		// Lambdas.
		{"categories/any(c:c eq 'red')", true},
		{"categories/any(c:c eq 'Green')", false},
		{"categories/all(c:c ne 'Green')", true},
		{"categories/all(c:c eq 'Red')", false},
		{"categories/any()", true},
		{"attachments/any()", true},
		{"nothingHere/any()", false},
		{"nothingHere/all(x:x eq 1)", true},
		{"categories/$count eq 2", true},
		{"toRecipients/any(r:r/emailAddress/address eq 'bob@contoso.com')", true},
		{"toRecipients/any(r:endswith(r/emailAddress/address,'@fabrikam.com'))", true},
		{"toRecipients/all(r:endswith(r/emailAddress/address,'@contoso.com'))", false},
		{"toRecipients/any(r:r/emailAddress/name eq 'Bob' and importance eq 'high')", true},
		{"toRecipients/any(r:categories/any(c:c eq 'Blue' and r/emailAddress/name eq 'Carol'))", true},
		{"toRecipients/any(r:categories/any(c:c eq 'Green' and r/emailAddress/name eq 'Carol'))", false},
		// Boolean logic and precedence.
		{"isRead eq true or importance eq 'high'", true},
		{"isRead eq true or importance eq 'low'", false},
		{"importance eq 'high' and (isRead eq true or size gt 1)", true},
		{"importance eq 'low' and isRead eq true or size gt 1", true},
		{"importance eq 'low' and (isRead eq true or size gt 1)", false},
		{"not (importance eq 'high')", false},
		{"not contains(subject,'x')", true},
		{"not not hasAttachments", true},
		{"((((size gt 1))))", true},
		{"true", true},
		{"false or null", false},
		{"@odata.etag eq 'W/\"1\"'", true},
		{"id eq 'aamk1'", true},
		{"size eq INF", false},
		{"size lt INF and size gt -INF", true},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := ParseFilter(tt.filter)
			if err != nil {
				t.Fatalf("ParseFilter: %v", err)
			}
			got, err := f.Match(item)
			if err != nil || got != tt.want {
				t.Errorf("Match = %v, %v; want %v", got, err, tt.want)
			}
			if f.String() != tt.filter {
				t.Errorf("String() = %q", f.String())
			}
		})
	}
}

func TestFilterNumbersAndGoValues(t *testing.T) {
	f, err := ParseFilter("size gt 10 and n eq 3 and when lt 2030-01-01T00:00:00Z and tags/any(t:t eq 'x')")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(`{"size": 11, "n": 3, "when": "2024-01-01T00:00:00Z", "tags": ["x"]}`))
	dec.UseNumber()
	var withNumbers map[string]any
	if err := dec.Decode(&withNumbers); err != nil {
		t.Fatal(err)
	}
	goValues := map[string]any{"size": int64(11), "n": 3, "when": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "tags": []string{"x"}}
	for name, item := range map[string]map[string]any{"json.Number": withNumbers, "Go values": goValues} {
		if ok, _ := f.Match(item); !ok {
			t.Errorf("%s: no match", name)
		}
	}
	var nilFilter *Filter
	if ok, err := nilFilter.Match(nil); !ok || err != nil || nilFilter.String() != "" {
		t.Error("nil filter does not match everything")
	}
}

func TestFilterErrors(t *testing.T) {
	tests := []struct {
		filter string
		want   string // substring of the error
	}{
		{"", "the expression is empty"},
		{"   ", "the expression is empty"},
		{"subject eq", "expected a value after 'eq' at position 10"},
		{"subject eq 'x", "unterminated string literal"},
		{"subject eq 'x' and", "unexpected end of expression"},
		{"subject xx 'x'", "unexpected 'xx' at position 8"},
		{"(subject eq 'x'", "expected ')'"},
		{"subject eq 'x')", "unexpected ')'"},
		{"foo(subject)", "an unknown function with name 'foo' was found"},
		{"contains(subject)", "the function 'contains' takes 2 arguments, not 1"},
		{"contains(subject 'x')", "expected ',' or ')'"},
		{"size add 1 eq 2", "the operator 'add' is not supported"},
		{"importance has 'x'", "the operator 'has' is not supported"},
		{"'abc'", "must evaluate to a boolean value"},
		{"size", ""}, // a property may be boolean: accepted
		{"not 'x'", "'not' needs a boolean operand"},
		{"categories/any(c c eq 'x')", "expected ':' after the lambda variable 'c'"},
		{"categories/any(1:c eq 'x')", "expected a lambda variable name"},
		{"categories/all()", "all() needs a condition"},
		{"categories/any(c:c)/x", "unexpected '/'"},
		{"categories/any(c:'x')", "must be boolean"},
		{"a/'x' eq 1", "expected a property name after '/'"},
		{"a eq 1x", "unexpected character 'x' in a number"},
		{"a eq #", "unexpected character '#'"},
		{"a eq \x01", `unexpected character '\x01'`},
		{"a eq 2024-13-45", "invalid date-time literal"},
		{"a in 'x'", "expected '(' after 'in'"},
		{"a in ('x' 'y')", "expected ',' or ')' in the 'in' list"},
		{"a eq binary'AA=='", "binary literals are not supported"},
		{strings.Repeat("(", 200) + "a" + strings.Repeat(")", 200), "nested too deeply"},
		{strings.Repeat("not ", 200) + "a", "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			_, err := ParseFilter(tt.filter)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("ParseFilter: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseFilter accepted %q", tt.filter)
			}
			var qe *Error
			if !errors.As(err, &qe) || qe.Option != "$filter" {
				t.Errorf("error %T %v is not a $filter *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), "Invalid filter clause: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	_, err := ParseFilter("subject eq")
	want := "Invalid filter clause: expected a value after 'eq' at position 10 in 'subject eq'."
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	long := &Error{Option: "$orderby", Expr: strings.Repeat("a", 300), Pos: -1, Msg: "m"}
	if s := long.Error(); !strings.HasPrefix(s, "Invalid orderby clause: m in 'aaa") || len(s) > 260 {
		t.Errorf("long error = %q", s)
	}
	for opt, kind := range map[string]string{"$select": "select clause", "$search": "search request", "$expand": "expand clause", "$x": "query option"} {
		if s := (&Error{Option: opt, Pos: -1, Msg: "m"}).Error(); !strings.Contains(s, kind) {
			t.Errorf("%s: %q", opt, s)
		}
	}
}

// TestFilterConcurrent runs one compiled filter from many goroutines (for
// -race): Match must not share mutable state.
func TestFilterConcurrent(t *testing.T) {
	f, err := ParseFilter("toRecipients/any(r:categories/any(c:c eq 'Blue' and r/emailAddress/name eq 'Carol'))")
	if err != nil {
		t.Fatal(err)
	}
	item := decodeItem(t, msgJSON)
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 200 {
				m, _ := f.Match(item)
				ok = ok && m
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("concurrent Match disagreed")
		}
	}
}

func BenchmarkFilter100k(b *testing.B) {
	items := make([]map[string]any, 100_000)
	for i := range items {
		items[i] = map[string]any{
			"subject":          fmt.Sprintf("Message %d about pizza", i),
			"isRead":           i%2 == 0,
			"receivedDateTime": time.Date(2024, 1, 1, 0, 0, i%86400, 0, time.UTC).Format(time.RFC3339),
			"categories":       []any{"Red"},
		}
	}
	f, err := ParseFilter("isRead eq false and contains(subject,'PIZZA') and receivedDateTime ge 2024-01-01T06:00:00Z and categories/any(c:c eq 'red')")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, it := range items {
			if ok, _ := f.Match(it); ok {
				n++
			}
		}
		if n == 0 {
			b.Fatal("no matches")
		}
	}
}
