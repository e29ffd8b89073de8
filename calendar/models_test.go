package calendar

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/graph"
)

// examples returns the documented response bodies of the calendar area whose OData type
// is typ (single entities and collection members).
func examples(t *testing.T, typ string) []json.RawMessage {
	t.Helper()
	f, err := os.Open("../../shared/graph/examples/calendar.jsonl")
	if err != nil {
		t.Skip("documented examples not available: ", err)
	}
	defer f.Close()
	var out []json.RawMessage
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var ex struct {
			Body     json.RawMessage `json:"response_body"`
			Type     string          `json:"response_odata_type"`
			Response int             `json:"response_status"`
		}
		if json.Unmarshal(sc.Bytes(), &ex) != nil || ex.Response >= 300 || len(ex.Body) == 0 || ex.Body[0] != '{' {
			continue
		}
		var coll struct {
			Value []json.RawMessage `json:"value"`
		}
		if json.Unmarshal(ex.Body, &coll) == nil && coll.Value != nil {
			if strings.HasSuffix(ex.Type, typ) {
				out = append(out, coll.Value...)
			}
			continue
		}
		if strings.HasSuffix(ex.Type, typ) {
			out = append(out, ex.Body)
		}
	}
	return out
}

// known returns the JSON object b without @odata annotations and without keys outside
// keep, so that the decoded model can be compared with the document.
func known(t *testing.T, b []byte, drop ...string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k := range m {
		if strings.HasPrefix(k, "@") || strings.Contains(k, "@odata") {
			delete(m, k)
		}
	}
	for _, k := range drop {
		delete(m, k)
	}
	return m
}

func TestEventsDecodeDocumentedExamples(t *testing.T) {
	exs := examples(t, "microsoft.graph.event")
	if len(exs) == 0 {
		t.Skip("no event examples")
	}
	for i, raw := range exs {
		var e Event
		if err := json.Unmarshal(raw, &e); err != nil {
			t.Fatalf("example %d: %v", i, err)
		}
		out, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		want, got := known(t, raw), known(t, out)
		// Keys Graph sends with empty values that the model leaves out, and keys our model
		// always writes (bools), are compared where both sides have them.
		for k, v := range want {
			g, ok := got[k]
			if !ok {
				if isEmpty(v) {
					continue
				}
				t.Errorf("example %d: %s lost (%v)", i, k, v)
				continue
			}
			if k == "originalStart" || k == "createdDateTime" || k == "lastModifiedDateTime" || k == "time" {
				continue // re-formatted times, compared below
			}
			if diff := cmp.Diff(normalise(v), normalise(g)); diff != "" {
				t.Errorf("example %d: %s (-doc +model):\n%s", i, k, diff)
			}
		}
		var again Event
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatal(err)
		}
		if !again.Start.Equal(e.Start) || !again.End.Equal(e.End) || again.CreatedDateTime != e.CreatedDateTime {
			t.Errorf("example %d: times changed through a round trip", i)
		}
	}
}

func TestCalendarsDecodeDocumentedExamples(t *testing.T) {
	for i, raw := range examples(t, "microsoft.graph.calendar") {
		var c Calendar
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatalf("example %d: %v", i, err)
		}
		out, _ := json.Marshal(c)
		want, got := known(t, raw), known(t, out)
		for k, v := range want {
			if g, ok := got[k]; ok || !isEmpty(v) {
				if diff := cmp.Diff(normalise(v), normalise(g)); diff != "" {
					t.Errorf("example %d: %s (-doc +model):\n%s", i, k, diff)
				}
			}
		}
	}
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, y := range x {
			if !isEmpty(y) {
				return false
			}
		}
		return true
	}
	return false
}

// normalise drops empty members of objects, which the model omits.
func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, y := range x {
			if strings.HasPrefix(k, "@") || isEmpty(y) {
				continue
			}
			if k == "time" { // responseStatus.time: re-formatted
				continue
			}
			out[k] = normalise(y)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = normalise(y)
		}
		return out
	}
	return v
}

func TestTimesRoundTripAcrossZones(t *testing.T) {
	cases := []struct {
		name string
		in   graph.DateTimeTimeZone
		utc  time.Time
	}{
		{"windows", graph.DateTimeTimeZone{DateTime: "2026-03-29T01:30:00.0000000", TimeZone: "W. Europe Standard Time"}, time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)},
		{"windows after DST", graph.DateTimeTimeZone{DateTime: "2026-03-29T03:30:00.0000000", TimeZone: "W. Europe Standard Time"}, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)},
		{"iana", graph.DateTimeTimeZone{DateTime: "2026-11-01T01:30:00.0000000", TimeZone: "America/New_York"}, time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC)},
		{"utc", graph.DateTimeTimeZone{DateTime: "2026-01-01T00:00:00.0000000", TimeZone: "UTC"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"southern", graph.DateTimeTimeZone{DateTime: "2026-04-05T12:00:00.0000000", TimeZone: "AUS Eastern Standard Time"}, time.Date(2026, 4, 5, 2, 0, 0, 0, time.UTC)},
		{"half hour", graph.DateTimeTimeZone{DateTime: "2026-06-01T09:00:00.0000000", TimeZone: "Asia/Kolkata"}, time.Date(2026, 6, 1, 3, 30, 0, 0, time.UTC)},
		{"unknown zone", graph.DateTimeTimeZone{DateTime: "2026-06-01T09:00:00.0000000", TimeZone: "tzone://Microsoft/Custom"}, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, _ := json.Marshal(map[string]any{"start": c.in, "end": c.in})
			var e Event
			if err := json.Unmarshal(doc, &e); err != nil {
				t.Fatal(err)
			}
			if !e.Start.Equal(c.utc) {
				t.Fatalf("start = %v, want %v", e.Start.UTC(), c.utc)
			}
			out, _ := json.Marshal(e)
			var back struct {
				Start graph.DateTimeTimeZone `json:"start"`
			}
			_ = json.Unmarshal(out, &back)
			if back.Start != c.in {
				t.Fatalf("written back as %+v, want %+v", back.Start, c.in)
			}
			// A changed time is written in its own zone under the same name, or in UTC when
			// its wall time is ambiguous (the repeated hour at the end of DST).
			for _, d := range []time.Duration{time.Hour, 24 * time.Hour, -time.Hour} {
				e.Start = e.Start.Add(d)
				out, _ = json.Marshal(e)
				_ = json.Unmarshal(out, &back)
				if tt, err := back.Start.Time(); err != nil || !tt.Equal(e.Start) {
					t.Fatalf("changed start %v written as %+v (%v)", e.Start, back.Start, err)
				}
				if back.Start.TimeZone != c.in.TimeZone && back.Start.TimeZone != "UTC" && c.name != "unknown zone" {
					t.Fatalf("zone renamed: %+v", back.Start)
				}
			}
		})
	}
}

func TestParseRecurrence(t *testing.T) {
	cases := map[string]*Recurrence{
		"daily":             Daily(1),
		"daily/3":           Daily(3),
		"weekly:mon,wed":    Weekly(1, time.Monday, time.Wednesday),
		"weekly:fri/2":      Weekly(2, time.Friday),
		"monthly:15":        Monthly(1, 15),
		"monthly:last-fri":  MonthlyOn(1, Last, time.Friday),
		"yearly:3-15":       Yearly(1, time.March, 15),
		"yearly:9-first-mo": YearlyOn(1, time.September, First, time.Monday),
	}
	for in, want := range cases {
		got, err := ParseRecurrence(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", in, diff)
		}
	}
	for _, bad := range []string{"", "hourly", "weekly", "weekly:xyz", "monthly:32", "monthly:fifth-mon", "yearly:13-1", "yearly:3", "daily/0", "daily/x"} {
		if _, err := ParseRecurrence(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzParseRecurrence(f *testing.F) {
	for _, s := range []string{"daily", "weekly:mon,wed/2", "monthly:last-fri", "yearly:9-first-mon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRecurrence(s)
		if err == nil {
			if verr := r.Validate(); verr != nil {
				t.Fatalf("%q parsed to an invalid recurrence: %v", s, verr)
			}
		}
	})
}

func TestRecurrenceJSON(t *testing.T) {
	r := Weekly(1, time.Monday).Until(time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)).From(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC))
	b, _ := json.Marshal(r)
	want := `{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"],"firstDayOfWeek":"sunday"},"range":{"type":"endDate","startDate":"2026-01-05","endDate":"2026-06-30"}}`
	if !bytes.Equal(b, []byte(want)) {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	if err := Weekly(1, time.Monday).Until(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).From(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Validate(); err == nil {
		t.Fatal("end before start validated")
	}
	if err := Daily(1).Count(0).Validate(); err == nil {
		t.Fatal("zero count validated")
	}
	if d, ok := DayOfWeek("Tuesday").Weekday(); !ok || d != time.Tuesday {
		t.Fatal("weekday")
	}
}

func TestSlotsAndDurations(t *testing.T) {
	si := ScheduleInformation{AvailabilityView: "0123459"}
	want := []FreeBusyStatus{Free, Tentative, Busy, OutOfOffice, WorkingElsewhere, Unknown, Unknown}
	if diff := cmp.Diff(want, si.Slots()); diff != "" {
		t.Fatal(diff)
	}
	for d, s := range map[time.Duration]string{time.Hour: "PT1H", 90 * time.Minute: "PT1H30M", 0: "PT0S", 45 * time.Second: "PT45S"} {
		if got := isoDuration(d); got != s {
			t.Errorf("%v: %s, want %s", d, got, s)
		}
	}
}

func TestAttendees(t *testing.T) {
	var as Attendees
	if err := as.Add("Adele <adele@contoso.com>", "ADELE@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if err := as.AddAs(Resource, "room1@contoso.com"); err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].EmailAddress.Name != "Adele" || as[1].Type != Resource {
		t.Fatalf("%+v", as)
	}
	if err := as.Add("not an address <"); err == nil {
		t.Fatal("bad address added")
	}
	as.Remove("adele@CONTOSO.com")
	if as.Contains("adele@contoso.com") || !as.Contains("room1@contoso.com") {
		t.Fatalf("%+v", as)
	}
	as.Clear()
	if len(as) != 0 {
		t.Fatal("clear")
	}
}

func FuzzEventJSON(f *testing.F) {
	f.Add([]byte(`{"subject":"x","start":{"dateTime":"2026-03-29T02:30:00.0000000","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"bad","timeZone":"nowhere"}}`))
	f.Add([]byte(`{"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd","startDate":"2026-01-01"}}}`))
	f.Add([]byte(`{"attendees":[{"emailAddress":{"address":"a@b"},"status":{"response":"accepted","time":"0001-01-01T00:00:00Z"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var e Event
		if json.Unmarshal(b, &e) != nil {
			return
		}
		out, err := json.Marshal(e)
		if err != nil {
			return // e.g. a year outside what time.Time marshals
		}
		var again Event
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
	})
}
