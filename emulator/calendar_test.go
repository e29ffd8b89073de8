package emulator

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/internal/graphspec"
)

const calScopes = "Calendars.ReadWrite Mail.ReadWrite User.Read"

func calServer(t *testing.T) (*Server, string) {
	t.Helper()
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	return s, tokenFor(t, s, s.DefaultUser().UPN, calScopes)
}

func calStatus(t *testing.T, r *result, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %.400s", r.status, want, r.body)
	}
}

func TestCalendarRoutesAreGraphPaths(t *testing.T) {
	s := Start(t)
	sample := strings.NewReplacer("{user}", "AdeleV@contoso.onmicrosoft.com", "{calendar}", "AAMkAGI2TQAAA=", "{event}", "AAMkAGI2TQAAB=",
		"{attachment}", "AAMkAGI2TQAAC=")
	n := 0
	for _, r := range s.router.routes {
		p := strings.Join(r.pattern, "/")
		if !strings.Contains(p, "calendar") && !strings.Contains(p, "events") && !strings.Contains(p, "findMeetingTimes") {
			continue
		}
		n++
		paths := []string{"/v1.0/" + sample.Replace(p)}
		if me, ok := strings.CutPrefix(p, "users/{user}"); ok {
			paths = append(paths, "/v1.0/me"+sample.Replace(me))
		}
		for _, path := range paths {
			if _, ok := graphspec.Match(r.method, path); !ok {
				t.Errorf("%s %s is not a Graph path", r.method, path)
			}
		}
	}
	if n < 30 {
		t.Fatalf("only %d calendar routes", n)
	}
}

func TestCalendarCalendars(t *testing.T) {
	s, tok := calServer(t)
	r := cdo(t, s, "GET", "/v1.0/me/calendars", tok, "")
	calStatus(t, r, 200)
	if v := r.values(); len(v) != 1 || v[0]["isDefaultCalendar"] != true || v[0]["name"] != "Calendar" {
		t.Fatalf("calendars: %s", r.body)
	}
	def := cdo(t, s, "GET", "/v1.0/me/calendar", tok, "")
	calStatus(t, def, 200)
	if def.json["owner"].(map[string]any)["address"] != s.DefaultUser().Mail || def.json["canEdit"] != true {
		t.Fatalf("default calendar: %s", def.body)
	}
	c := cdo(t, s, "POST", "/v1.0/me/calendars", tok, `{"name":"Volunteer","color":"lightGreen"}`)
	calStatus(t, c, 201)
	id := c.json["id"].(string)
	if c.json["hexColor"] != "#87d28e" || c.json["isDefaultCalendar"] != false {
		t.Fatalf("created: %s", c.body)
	}
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/calendars", tok, `{"name":"volunteer"}`), 409)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/calendars", tok, `{"name":""}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/calendars", tok, `{"name":"x","colour":"red"}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/calendars", tok, `{"name":"x","color":"purple"}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/calendars", tok, `not json`), 400)
	g := cdo(t, s, "GET", "/v1.0/me/calendars/"+id+"?$select=name", tok, "")
	calStatus(t, g, 200)
	if _, has := g.json["color"]; has || g.json["name"] != "Volunteer" {
		t.Fatalf("select: %s", g.body)
	}
	p := cdo(t, s, "PATCH", "/v1.0/me/calendars/"+id, tok, `{"name":"Volunteering","color":"lightRed"}`)
	calStatus(t, p, 200)
	if p.json["name"] != "Volunteering" || p.json["hexColor"] != "#f88c9b" {
		t.Fatalf("patch: %s", p.body)
	}
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/calendars/"+id, tok, `{"name":"x"}`, "If-Match", `W/"stale"`), 412)
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/calendars/"+id, tok, `{"owner":"x"}`), 400)
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/calendar", tok, `{"color":"lightBlue"}`), 200)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/calendars/"+def.json["id"].(string), tok, ""), 400)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/calendar", tok, ""), 405)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/calendars/"+id, tok, ""), 204)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/calendars/"+id, tok, ""), 404)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/calendars/"+id, tok, ""), 404)
}

const meeting = `{"subject":"Plan","body":{"contentType":"html","content":"<p>Agenda</p>"},
 "start":{"dateTime":"2026-12-07T10:00:00","timeZone":"Pacific Standard Time"},
 "end":{"dateTime":"2026-12-07T11:00:00","timeZone":"Pacific Standard Time"},
 "location":{"displayName":"Room 1"},"categories":["Red category"],"isOnlineMeeting":true}`

func TestCalendarEvents(t *testing.T) {
	s, tok := calServer(t)
	before := s.EventCount(s.DefaultUser().UPN)
	r := cdo(t, s, "POST", "/v1.0/me/events", tok, meeting)
	calStatus(t, r, 201)
	id := r.json["id"].(string)
	want := map[string]any{"dateTime": "2026-12-07T18:00:00.0000000", "timeZone": "UTC"}
	if d := cmp.Diff(want, r.json["start"]); d != "" {
		t.Fatalf("start (-want +got):\n%s", d)
	}
	if r.json["originalStartTimeZone"] != "Pacific Standard Time" || r.json["type"] != "singleInstance" || r.json["bodyPreview"] != "Agenda" ||
		r.json["onlineMeetingProvider"] != "teamsForBusiness" || r.header.Get("ETag") == "" {
		t.Fatalf("created: %s", r.body)
	}
	if om, _ := r.json["onlineMeeting"].(map[string]any); !strings.HasPrefix(om["joinUrl"].(string), "https://teams.microsoft.com/") {
		t.Fatalf("joinUrl: %s", r.body)
	}
	if got := s.EventCount(s.DefaultUser().UPN); got != before+1 {
		t.Fatalf("EventCount %d, want %d", got, before+1)
	}
	g := cdo(t, s, "GET", "/v1.0/me/events/"+id+"?$select=subject,start", tok, "")
	calStatus(t, g, 200)
	if g.json["subject"] != "Plan" || g.json["body"] != nil {
		t.Fatalf("get: %s", g.body)
	}
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/calendar/events/"+id, tok, ""), 200)
	l := cdo(t, s, "GET", "/v1.0/me/events?$filter=subject eq 'Plan'&$top=5", tok, "")
	calStatus(t, l, 200)
	if len(l.values()) != 1 {
		t.Fatalf("list: %s", l.body)
	}
	etag := r.json["@odata.etag"].(string)
	p := cdo(t, s, "PATCH", "/v1.0/me/events/"+id, tok, `{"subject":"Plan v2","showAs":"tentative","importance":"high"}`, "If-Match", etag)
	calStatus(t, p, 200)
	if p.json["subject"] != "Plan v2" || p.json["showAs"] != "tentative" || p.json["@odata.etag"] == etag {
		t.Fatalf("patch: %s", p.body)
	}
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+id, tok, `{"subject":"x"}`, "If-Match", etag), 412)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+id, tok, "", "If-Match", etag), 412)
	for _, bad := range []string{
		`{"subject":"x","start":{"dateTime":"2026-12-07T10:00:00","timeZone":"Mars/Olympus"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`{"subject":"x","start":{"dateTime":"2026-12-07T12:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`{"subject":"x","start":{"dateTime":"garbage","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`{"subject":"x"}`,
		`{"subject":"x","colour":"red","start":{"dateTime":"2026-12-07T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`{"showAs":"sleeping","start":{"dateTime":"2026-12-07T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`{"isAllDay":true,"start":{"dateTime":"2026-12-07T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`{"attendees":[{"emailAddress":{"name":"x"}}],"start":{"dateTime":"2026-12-07T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`{"recurrence":{"pattern":{"type":"hourly"},"range":{"type":"noEnd","startDate":"2026-12-07"}},"start":{"dateTime":"2026-12-07T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T11:00:00","timeZone":"UTC"}}`,
		`[1]`,
	} {
		if r := cdo(t, s, "POST", "/v1.0/me/events", tok, bad); r.status != 400 {
			t.Errorf("POST %s: status %d %s", bad, r.status, r.body)
		}
	}
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+id, tok, ""), 204)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+id, tok, ""), 404)
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+id, tok, `{}`), 404)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+id, tok, ""), 404)

	// Idempotent create with transactionId.
	tx := strings.Replace(meeting, `"subject":"Plan"`, `"subject":"Once","transactionId":"tx-1"`, 1)
	a := cdo(t, s, "POST", "/v1.0/me/events", tok, tx)
	b := cdo(t, s, "POST", "/v1.0/me/events", tok, tx)
	calStatus(t, b, 201)
	if a.json["id"] != b.json["id"] || a.json["transactionId"] != "tx-1" {
		t.Fatalf("transactionId: %v vs %v", a.json["id"], b.json["id"])
	}

	// Events of another calendar.
	c := cdo(t, s, "POST", "/v1.0/me/calendars", tok, `{"name":"Side"}`)
	cid := c.json["id"].(string)
	e := cdo(t, s, "POST", "/v1.0/me/calendars/"+cid+"/events", tok, meeting)
	calStatus(t, e, 201)
	if v := cdo(t, s, "GET", "/v1.0/me/calendars/"+cid+"/events", tok, "").values(); len(v) != 1 || v[0]["id"] != e.json["id"] {
		t.Fatalf("calendar events: %v", v)
	}
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/calendars/"+cid+"/events/"+e.json["id"].(string), tok, ""), 200)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/calendar/events/"+e.json["id"].(string), tok, ""), 404)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/calendars/nope/events", tok, meeting), 404)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/calendars/nope/events", tok, ""), 404)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/calendars/"+cid, tok, ""), 204)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+e.json["id"].(string), tok, ""), 404)
}

func TestCalendarRecurrencePatterns(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	rec := func(pattern, rng string) string { return `{"pattern":` + pattern + `,"range":` + rng + `}` }
	tests := []struct {
		name, rec string
		from, to  string
		want      []string
	}{
		{"daily numbered", rec(`{"type":"daily","interval":2}`, `{"type":"numbered","startDate":"2026-01-01","numberOfOccurrences":3}`),
			"2026-01-01", "2026-02-01", []string{"2026-01-01", "2026-01-03", "2026-01-05"}},
		{"daily endDate", rec(`{"type":"daily","interval":1}`, `{"type":"endDate","startDate":"2026-01-30","endDate":"2026-02-01"}`),
			"2026-01-01", "2026-03-01", []string{"2026-01-30", "2026-01-31", "2026-02-01"}},
		{"weekly noEnd window", rec(`{"type":"weekly","interval":1,"daysOfWeek":["monday","wednesday"]}`, `{"type":"noEnd","startDate":"2026-01-01"}`),
			"2026-01-01", "2026-01-15", []string{"2026-01-05", "2026-01-07", "2026-01-12", "2026-01-14"}},
		{"weekly interval 2 numbered", rec(`{"type":"weekly","interval":2,"daysOfWeek":["friday"],"firstDayOfWeek":"monday"}`, `{"type":"numbered","startDate":"2026-01-02","numberOfOccurrences":3}`),
			"2026-01-01", "2026-12-31", []string{"2026-01-02", "2026-01-16", "2026-01-30"}},
		{"absoluteMonthly skips short months", rec(`{"type":"absoluteMonthly","interval":1,"dayOfMonth":31}`, `{"type":"endDate","startDate":"2026-01-01","endDate":"2026-05-31"}`),
			"2026-01-01", "2026-12-31", []string{"2026-01-31", "2026-03-31", "2026-05-31"}},
		{"relativeMonthly first tuesday", rec(`{"type":"relativeMonthly","interval":1,"daysOfWeek":["tuesday"],"index":"first"}`, `{"type":"numbered","startDate":"2026-01-01","numberOfOccurrences":3}`),
			"2026-01-01", "2026-12-31", []string{"2026-01-06", "2026-02-03", "2026-03-03"}},
		{"relativeMonthly last friday", rec(`{"type":"relativeMonthly","interval":2,"daysOfWeek":["friday"],"index":"last"}`, `{"type":"noEnd","startDate":"2026-01-01"}`),
			"2026-01-01", "2026-06-01", []string{"2026-01-30", "2026-03-27", "2026-05-29"}},
		{"absoluteYearly", rec(`{"type":"absoluteYearly","interval":1,"month":2,"dayOfMonth":29}`, `{"type":"endDate","startDate":"2026-01-01","endDate":"2032-12-31"}`),
			"2026-01-01", "2033-01-01", []string{"2028-02-29", "2032-02-29"}},
		{"relativeYearly", rec(`{"type":"relativeYearly","interval":1,"month":11,"daysOfWeek":["thursday"],"index":"fourth"}`, `{"type":"numbered","startDate":"2026-01-01","numberOfOccurrences":2}`),
			"2026-01-01", "2030-01-01", []string{"2026-11-26", "2027-11-25"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, gerr := decodeObject([]byte(tt.rec))
			if gerr != nil {
				t.Fatal(gerr)
			}
			r, gerr := parseRecurrence(doc)
			if gerr != nil {
				t.Fatal(gerr)
			}
			start := r.startDate.Add(9 * time.Hour)
			var got []string
			for _, o := range r.occurrences(start, time.Hour, time.UTC, day(tt.from), day(tt.to)) {
				got = append(got, o.start.Format("2006-01-02"))
				if o.start.Hour() != 9 || o.end.Sub(o.start) != time.Hour {
					t.Errorf("occurrence %v-%v", o.start, o.end)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	for _, bad := range []string{`{}`, `{"pattern":{"type":"weekly"},"range":{"type":"noEnd","startDate":"2026-01-01"}}`,
		`{"pattern":{"type":"daily"},"range":{"type":"endDate","startDate":"2026-01-01"}}`,
		`{"pattern":{"type":"daily"},"range":{"type":"numbered","startDate":"2026-01-01"}}`,
		`{"pattern":{"type":"daily"},"range":{"type":"sometimes","startDate":"2026-01-01"}}`,
		`{"pattern":{"type":"absoluteMonthly"},"range":{"type":"noEnd","startDate":"2026-01-01"}}`,
		`{"pattern":{"type":"daily"},"range":{"type":"noEnd"}}`} {
		doc, _ := decodeObject([]byte(bad))
		if _, gerr := parseRecurrence(doc); gerr == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestCalendarRecurrenceDST: a weekly 09:00 Pacific series keeps its
// local time across the DST change.
func TestCalendarRecurrenceDST(t *testing.T) {
	doc, _ := decodeObject([]byte(`{"pattern":{"type":"weekly","daysOfWeek":["monday"]},"range":{"type":"numbered","startDate":"2026-10-26","numberOfOccurrences":2}}`))
	r, _ := parseRecurrence(doc)
	loc, _ := loadZone("Pacific Standard Time")
	start := time.Date(2026, 10, 26, 9, 0, 0, 0, loc)
	occ := r.occurrences(start, time.Hour, loc, start.Add(-time.Hour), start.Add(30*24*time.Hour))
	if len(occ) != 2 || occ[0].start.UTC().Hour() != 16 || occ[1].start.UTC().Hour() != 17 {
		t.Fatalf("occurrences: %v", occ)
	}
}

const series = `{"subject":"Standup","start":{"dateTime":"2026-12-07T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T09:15:00","timeZone":"UTC"},
 "recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"numbered","startDate":"2026-12-07","numberOfOccurrences":5}}}`

func TestCalendarViewExpansion(t *testing.T) {
	s, tok := calServer(t)
	m := cdo(t, s, "POST", "/v1.0/me/events", tok, series)
	calStatus(t, m, 201)
	mid := m.json["id"].(string)
	if m.json["type"] != "seriesMaster" {
		t.Fatalf("master: %s", m.body)
	}
	rng := m.json["recurrence"].(map[string]any)["range"].(map[string]any)
	if rng["recurrenceTimeZone"] != "UTC" || rng["numberOfOccurrences"] != float64(5) {
		t.Fatalf("recurrence: %v", rng)
	}
	view := "/v1.0/me/calendarView?startDateTime=2026-12-06T00:00:00Z&endDateTime=2026-12-20T00:00:00Z&$filter=subject eq 'Standup'&$top=50"
	v := cdo(t, s, "GET", view, tok, "")
	calStatus(t, v, 200)
	occ := v.values()
	if len(occ) != 5 {
		t.Fatalf("%d occurrences: %s", len(occ), v.body)
	}
	for i, o := range occ {
		if o["type"] != "occurrence" || o["seriesMasterId"] != mid || o["start"].(map[string]any)["dateTime"] != fmt.Sprintf("2026-12-%02dT09:00:00.0000000", 7+i) {
			t.Fatalf("occurrence %d: %v", i, o)
		}
	}
	// Occurrence ids resolve, are stable and can become exceptions.
	oid := occ[1]["id"].(string)
	g := cdo(t, s, "GET", "/v1.0/me/events/"+oid, tok, "")
	calStatus(t, g, 200)
	if g.json["id"] != oid || g.json["type"] != "occurrence" {
		t.Fatalf("occurrence get: %s", g.body)
	}
	p := cdo(t, s, "PATCH", "/v1.0/me/events/"+oid, tok, `{"subject":"Standup (moved)","start":{"dateTime":"2026-12-08T15:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-08T15:15:00","timeZone":"UTC"}}`)
	calStatus(t, p, 200)
	if p.json["type"] != "exception" || p.json["id"] != oid {
		t.Fatalf("exception: %s", p.body)
	}
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+occ[2]["id"].(string), tok, ""), 204)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+occ[2]["id"].(string), tok, ""), 404)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+mid+"_20261231", tok, ""), 404)
	inst := cdo(t, s, "GET", "/v1.0/me/events/"+mid+"/instances?startDateTime=2026-12-01T00:00:00&endDateTime=2026-12-31T00:00:00", tok, "")
	calStatus(t, inst, 200)
	var got []string
	for _, o := range inst.values() {
		got = append(got, o["type"].(string)+" "+o["start"].(map[string]any)["dateTime"].(string)[:16])
	}
	want := []string{"occurrence 2026-12-07T09:00", "exception 2026-12-08T15:00", "occurrence 2026-12-10T09:00", "occurrence 2026-12-11T09:00"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("instances (-want +got):\n%s", d)
	}
	// Windows are required.
	for _, path := range []string{"/v1.0/me/calendarView", "/v1.0/me/calendarView?startDateTime=2026-12-01T00:00:00Z",
		"/v1.0/me/events/" + mid + "/instances", "/v1.0/me/calendar/calendarView?startDateTime=x&endDateTime=y"} {
		if r := cdo(t, s, "GET", path, tok, ""); r.status != 400 {
			t.Errorf("%s: %d", path, r.status)
		}
	}
	cv := cdo(t, s, "GET", "/v1.0/me/calendar/calendarView?startDateTime=2026-12-07T00:00:00Z&endDateTime=2026-12-08T00:00:00Z", tok, "")
	calStatus(t, cv, 200)
	c := cdo(t, s, "POST", "/v1.0/me/calendars", tok, `{"name":"Empty"}`)
	ev := cdo(t, s, "GET", "/v1.0/me/calendars/"+c.json["id"].(string)+"/calendarView?startDateTime=2026-12-07T00:00:00Z&endDateTime=2026-12-08T00:00:00Z", tok, "")
	calStatus(t, ev, 200)
	if len(ev.values()) != 0 {
		t.Fatalf("empty calendar view: %s", ev.body)
	}
	// Deleting the series removes every instance.
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+mid, tok, ""), 204)
	if v := cdo(t, s, "GET", view, tok, "").values(); len(v) != 0 {
		t.Fatalf("after delete: %v", v)
	}
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+oid, tok, ""), 404)
}

func TestCalendarTimeZonePreference(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, calScopes)
	r := cdo(t, s, "POST", "/v1.0/me/events", tok, meeting, "Prefer", `outlook.timezone="Europe/Paris"`)
	calStatus(t, r, 201)
	if d := cmp.Diff(map[string]any{"dateTime": "2026-12-07T19:00:00.0000000", "timeZone": "Europe/Paris"}, r.json["start"]); d != "" {
		t.Fatalf("create answer (-want +got):\n%s", d)
	}
	id := r.json["id"].(string)
	for _, z := range []struct{ pref, want string }{
		{"Pacific Standard Time", "2026-12-07T10:00:00.0000000"},
		{"Asia/Tokyo", "2026-12-08T03:00:00.0000000"},
		{"", "2026-12-07T18:00:00.0000000"},
	} {
		var hdr []string
		if z.pref != "" {
			hdr = []string{"Prefer", `outlook.timezone="` + z.pref + `"`}
		}
		g := cdo(t, s, "GET", "/v1.0/me/events/"+id, tok, "", hdr...)
		st := g.json["start"].(map[string]any)
		zone := z.pref
		if zone == "" {
			zone = "UTC"
		}
		if st["dateTime"] != z.want || st["timeZone"] != zone {
			t.Errorf("%q: start %v", z.pref, st)
		}
		if z.pref != "" && g.header.Get("Preference-Applied") != `outlook.timezone="`+z.pref+`"` {
			t.Errorf("%q: Preference-Applied %q", z.pref, g.header.Get("Preference-Applied"))
		}
		l := cdo(t, s, "GET", "/v1.0/me/calendarView?startDateTime=2026-12-07T00:00:00&endDateTime=2026-12-09T00:00:00", tok, "", hdr...)
		if v := l.values(); len(v) != 1 || v[0]["start"].(map[string]any)["dateTime"] != z.want {
			t.Errorf("%q: view %s", z.pref, l.body)
		}
	}
}

func TestCalendarInvitationRoundTrip(t *testing.T) {
	s, tok := calServer(t)
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	mtok := tokenFor(t, s, megan.UPN, calScopes)
	inboxBefore := s.MailboxMessageCount(megan.UPN, "inbox")
	body := strings.Replace(meeting, `"subject":"Plan"`, `"subject":"Design review","attendees":[{"type":"required","emailAddress":{"address":"`+megan.Mail+`"}},{"type":"optional","emailAddress":{"address":"someone@fabrikam.com","name":"Someone"}}]`, 1)
	org := cdo(t, s, "POST", "/v1.0/me/events", tok, body)
	calStatus(t, org, 201)
	oid := org.json["id"].(string)
	if s.MailboxMessageCount(megan.UPN, "inbox") != inboxBefore+1 {
		t.Fatal("no meeting request delivered")
	}
	msgs := cdo(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$filter=subject eq 'Design review'", mtok, "").values()
	if len(msgs) != 1 || msgs[0]["@odata.type"] != "#microsoft.graph.eventMessageRequest" || msgs[0]["meetingMessageType"] != "meetingRequest" {
		t.Fatalf("meeting request: %v", msgs)
	}
	copies := cdo(t, s, "GET", "/v1.0/me/events?$filter=subject eq 'Design review'", mtok, "").values()
	if len(copies) != 1 || copies[0]["isOrganizer"] != false || copies[0]["iCalUId"] != org.json["iCalUId"] ||
		copies[0]["responseStatus"].(map[string]any)["response"] != "notResponded" {
		t.Fatalf("attendee copy: %v", copies)
	}
	cid := copies[0]["id"].(string)
	// The meeting request expands to the attendee's copy.
	mid := msgs[0]["id"].(string)
	for _, path := range []string{"/v1.0/me/messages/" + mid, "/v1.0/me/mailFolders/inbox/messages/" + mid} {
		x := cdo(t, s, "GET", path+"?$expand=microsoft.graph.eventMessage/event", mtok, "", "Prefer", `outlook.timezone="Pacific Standard Time"`)
		calStatus(t, x, 200)
		ev, _ := x.json["event"].(map[string]any)
		if ev["id"] != cid || ev["start"].(map[string]any)["timeZone"] != "Pacific Standard Time" || x.json["subject"] != "Design review" {
			t.Fatalf("expanded event: %s", x.body)
		}
		plain := cdo(t, s, "GET", path, mtok, "")
		calStatus(t, plain, 200)
		if _, has := plain.json["event"]; has || plain.json["id"] != mid {
			t.Fatalf("plain message: %s", plain.body)
		}
	}
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/messages/"+mid+"?$expand=microsoft.graph.eventMessage/event", tok, ""), 404)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+oid+"/accept", tok, `{"sendResponse":true}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+cid+"/accept", mtok, `{"proposedNewTime":{}}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+cid+"/tentativelyAccept", mtok,
		`{"comment":"Maybe later?","sendResponse":true,"proposedNewTime":{"start":{"dateTime":"2026-12-07T20:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T21:00:00","timeZone":"UTC"}}}`), 202)
	g := cdo(t, s, "GET", "/v1.0/me/events/"+oid, tok, "")
	att := g.json["attendees"].([]any)[0].(map[string]any)
	if att["status"].(map[string]any)["response"] != "tentativelyAccepted" || att["proposedNewTime"] == nil {
		t.Fatalf("organizer attendee: %v", att)
	}
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+cid+"/accept", mtok, `{"comment":"See you","sendResponse":true}`), 202)
	g = cdo(t, s, "GET", "/v1.0/me/events/"+oid, tok, "")
	if st := g.json["attendees"].([]any)[0].(map[string]any)["status"].(map[string]any); st["response"] != "accepted" {
		t.Fatalf("organizer attendee status: %v", st)
	}
	resp := cdo(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$filter=startswith(subject,'Accepted: Design review')", tok, "").values()
	if len(resp) != 1 || resp[0]["meetingMessageType"] != "meetingAccepted" {
		t.Fatalf("response message: %v", resp)
	}
	mc := cdo(t, s, "GET", "/v1.0/me/events/"+cid, mtok, "")
	if mc.json["responseStatus"].(map[string]any)["response"] != "accepted" || mc.json["showAs"] != "busy" {
		t.Fatalf("copy after accept: %s", mc.body)
	}
	// Only the organizer cancels; attendees' copies are then cancelled.
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+cid+"/cancel", mtok, `{"comment":"no"}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+oid+"/forward", tok, `{"toRecipients":[]}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+oid+"/forward", tok, `{"toRecipients":[{"emailAddress":{"address":"PattiF@contoso.onmicrosoft.com"}}],"comment":"FYI"}`), 202)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+oid+"/cancel", tok, `{"comment":"Moved to next week"}`), 202)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+oid, tok, ""), 404)
	mc = cdo(t, s, "GET", "/v1.0/me/events/"+cid, mtok, "")
	if mc.json["isCancelled"] != true || !strings.HasPrefix(mc.json["subject"].(string), "Canceled: ") {
		t.Fatalf("copy after cancel: %s", mc.body)
	}
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+cid+"/accept", mtok, `{}`), 400)
	cancelled := cdo(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$filter=startswith(subject,'Canceled: Design review')", mtok, "").values()
	if len(cancelled) != 1 {
		t.Fatalf("cancellation messages: %v", cancelled)
	}

	// Decline without a response: the copy leaves the calendar, no message.
	org2 := cdo(t, s, "POST", "/v1.0/me/events", tok, strings.Replace(body, "Design review", "Budget", 1))
	c2 := cdo(t, s, "GET", "/v1.0/me/events?$filter=subject eq 'Budget'", mtok, "").values()[0]["id"].(string)
	before := s.MailboxMessageCount(s.DefaultUser().UPN, "inbox")
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+c2+"/decline", mtok, `{"comment":"busy","sendResponse":false}`), 202)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+c2, mtok, ""), 404)
	if s.MailboxMessageCount(s.DefaultUser().UPN, "inbox") != before {
		t.Fatal("declined with sendResponse false but a message was sent")
	}
	g = cdo(t, s, "GET", "/v1.0/me/events/"+org2.json["id"].(string), tok, "")
	if st := g.json["attendees"].([]any)[0].(map[string]any)["status"].(map[string]any); st["response"] != "declined" {
		t.Fatalf("declined status: %v", st)
	}
	// Removing an attendee by PATCH cancels their copy.
	org3 := cdo(t, s, "POST", "/v1.0/me/events", tok, strings.Replace(body, "Design review", "Sync", 1))
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+org3.json["id"].(string), tok, `{"attendees":[]}`), 200)
	if c := cdo(t, s, "GET", "/v1.0/me/events?$filter=startswith(subject,'Canceled: Sync')", mtok, "").values(); len(c) != 1 {
		t.Fatalf("removed attendee copy: %v", c)
	}
}

func TestCalendarReminderAndAttachments(t *testing.T) {
	s, tok := calServer(t)
	id := cdo(t, s, "POST", "/v1.0/me/events", tok, meeting).json["id"].(string)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+id+"/snoozeReminder", tok, `{"newReminderTime":{"dateTime":"2026-12-07T09:50:00","timeZone":"Pacific Standard Time"}}`), 202)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+id+"/snoozeReminder", tok, `{}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+id+"/dismissReminder", tok, ""), 202)
	if g := cdo(t, s, "GET", "/v1.0/me/events/"+id, tok, ""); g.json["isReminderOn"] != false {
		t.Fatalf("after dismiss: %s", g.body)
	}
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/nope/dismissReminder", tok, ""), 404)

	a := cdo(t, s, "POST", "/v1.0/me/events/"+id+"/attachments", tok, `{"@odata.type":"#microsoft.graph.fileAttachment","name":"agenda.txt","contentBytes":"SGVsbG8="}`)
	calStatus(t, a, 201)
	if a.json["size"] != float64(5) || a.json["contentType"] != "application/octet-stream" {
		t.Fatalf("attachment: %s", a.body)
	}
	aid := a.json["id"].(string)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+id+"/attachments", tok, `{"name":"x"}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+id+"/attachments", tok, `{"@odata.type":"#microsoft.graph.fileAttachment","name":"x","contentBytes":"!!"}`), 400)
	if l := cdo(t, s, "GET", "/v1.0/me/events/"+id+"/attachments", tok, ""); len(l.values()) != 1 {
		t.Fatalf("attachments: %s", l.body)
	}
	if g := cdo(t, s, "GET", "/v1.0/me/events/"+id, tok, ""); g.json["hasAttachments"] != true {
		t.Fatalf("hasAttachments: %s", g.body)
	}
	g := cdo(t, s, "GET", "/v1.0/me/events/"+id+"/attachments/"+aid, tok, "")
	calStatus(t, g, 200)
	if g.json["contentBytes"] != "SGVsbG8=" {
		t.Fatalf("attachment get: %s", g.body)
	}
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+id+"/attachments/"+aid, tok, ""), 204)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+id+"/attachments/"+aid, tok, ""), 404)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+id+"/attachments/"+aid, tok, ""), 404)
}

func TestCalendarDelta(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, calScopes)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/calendarView/delta", tok, ""), 400)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/calendarView/delta?$deltatoken=garbage", tok, ""), 400)
	a := cdo(t, s, "POST", "/v1.0/me/events", tok, meeting).json["id"].(string)
	first := cdo(t, s, "GET", "/v1.0/me/calendarView/delta?startDateTime=2026-12-07T00:00:00Z&endDateTime=2026-12-08T00:00:00Z", tok, "")
	calStatus(t, first, 200)
	if len(first.values()) != 1 {
		t.Fatalf("first round: %s", first.body)
	}
	link := first.json["@odata.deltaLink"].(string)
	if r := cdo(t, s, "GET", link, tok, ""); len(r.values()) != 0 {
		t.Fatalf("no changes: %s", r.body)
	}
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+a, tok, `{"subject":"changed"}`), 200)
	b := cdo(t, s, "POST", "/v1.0/me/events", tok, meeting).json["id"].(string)
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+b, tok, ""), 204)
	r := cdo(t, s, "GET", link, tok, "")
	var got []string
	for _, v := range r.values() {
		if _, removed := v["@removed"]; removed {
			got = append(got, "removed "+v["id"].(string))
		} else {
			got = append(got, v["subject"].(string))
		}
	}
	if d := cmp.Diff([]string{"changed", "removed " + b}, got); d != "" {
		t.Fatalf("delta (-want +got):\n%s", d)
	}
}

func TestCalendarGetScheduleAndFindMeetingTimes(t *testing.T) {
	s, tok := calServer(t)
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	mtok := tokenFor(t, s, megan.UPN, calScopes)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events", mtok, `{"subject":"Busy","showAs":"busy","start":{"dateTime":"2027-03-01T09:00:00","timeZone":"UTC"},"end":{"dateTime":"2027-03-01T10:00:00","timeZone":"UTC"}}`), 201)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events", mtok, `{"subject":"Maybe","showAs":"tentative","start":{"dateTime":"2027-03-01T10:30:00","timeZone":"UTC"},"end":{"dateTime":"2027-03-01T11:00:00","timeZone":"UTC"}}`), 201)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events", mtok, `{"subject":"Away","showAs":"oof","start":{"dateTime":"2027-03-01T11:00:00","timeZone":"UTC"},"end":{"dateTime":"2027-03-01T12:00:00","timeZone":"UTC"}}`), 201)
	req := `{"schedules":["` + megan.Mail + `","nobody@contoso.onmicrosoft.com"],"startTime":{"dateTime":"2027-03-01T08:00:00","timeZone":"UTC"},
	 "endTime":{"dateTime":"2027-03-01T12:00:00","timeZone":"UTC"},"availabilityViewInterval":30}`
	r := cdo(t, s, "POST", "/v1.0/me/calendar/getSchedule", tok, req)
	calStatus(t, r, 200)
	v := r.values()
	if len(v) != 2 || v[0]["availabilityView"] != "00220133" || len(v[0]["scheduleItems"].([]any)) != 3 || v[0]["workingHours"] == nil {
		t.Fatalf("schedule: %s", r.body)
	}
	if v[1]["error"] == nil {
		t.Fatalf("unknown schedule: %v", v[1])
	}
	for _, bad := range []string{`{}`, `{"schedules":["a@b"]}`, `{"schedules":["a@b"],"startTime":{"dateTime":"2027-03-01T08:00:00","timeZone":"UTC"},"endTime":{"dateTime":"2027-01-01T08:00:00","timeZone":"UTC"}}`,
		strings.Replace(req, `"availabilityViewInterval":30`, `"availabilityViewInterval":1`, 1)} {
		if r := cdo(t, s, "POST", "/v1.0/me/calendar/getSchedule", tok, bad); r.status != 400 {
			t.Errorf("%s: %d", bad, r.status)
		}
	}
	find := `{"attendees":[{"type":"required","emailAddress":{"address":"` + megan.Mail + `"}}],
	 "timeConstraint":{"activityDomain":"work","timeSlots":[{"start":{"dateTime":"2027-03-01T08:00:00","timeZone":"UTC"},"end":{"dateTime":"2027-03-01T12:00:00","timeZone":"UTC"}}]},
	 "meetingDuration":"PT1H","maxCandidates":10,"minimumAttendeePercentage":100}`
	f := cdo(t, s, "POST", "/v1.0/me/findMeetingTimes", tok, find)
	calStatus(t, f, 200)
	var slots []string
	for _, x := range f.json["meetingTimeSuggestions"].([]any) {
		slots = append(slots, x.(map[string]any)["meetingTimeSlot"].(map[string]any)["start"].(map[string]any)["dateTime"].(string)[11:16])
	}
	if d := cmp.Diff([]string{"08:00"}, slots); d != "" {
		t.Fatalf("suggestions (-want +got):\n%s\n%s", d, f.body)
	}
	none := strings.Replace(find, "T12:00:00", "T08:30:00", 1)
	f = cdo(t, s, "POST", "/v1.0/me/findMeetingTimes", tok, none)
	if f.json["emptySuggestionsReason"] == "" || len(f.json["meetingTimeSuggestions"].([]any)) != 0 {
		t.Fatalf("empty: %s", f.body)
	}
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/findMeetingTimes", tok, `{"meetingDuration":"an hour"}`), 400)
}

func TestCalendarPermissions(t *testing.T) {
	s, tok := calServer(t)
	adele := s.DefaultUser()
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	mail := tokenFor(t, s, adele.UPN, "Mail.Read")
	if r := cdo(t, s, "GET", "/v1.0/me/events", mail, ""); r.status != 403 || r.errCode() != "ErrorAccessDenied" {
		t.Fatalf("Mail.Read: %d %s", r.status, r.body)
	}
	read := tokenFor(t, s, adele.UPN, "Calendars.Read")
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events", read, ""), 200)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events", read, meeting), 403)
	// Another user's calendar: .Shared scope and a grant.
	path := "/v1.0/users/" + url.PathEscape(megan.UPN) + "/events"
	calStatus(t, cdo(t, s, "GET", path, tok, ""), 403)
	shared := tokenFor(t, s, adele.UPN, "Calendars.Read.Shared")
	calStatus(t, cdo(t, s, "GET", path, shared, ""), 403)
	if err := s.GrantCalendarAccess(megan.UPN, adele.UPN); err != nil {
		t.Fatal(err)
	}
	calStatus(t, cdo(t, s, "GET", path, shared, ""), 200)
	calStatus(t, cdo(t, s, "POST", path, shared, meeting), 403)
	if err := s.GrantCalendarAccess("nobody", adele.UPN); err == nil {
		t.Fatal("grant for an unknown user")
	}
	app := appToken(t, s)
	l := cdo(t, s, "GET", path+"?$top=100", app, "")
	calStatus(t, l, 200)
	if len(l.values()) == 0 {
		t.Fatal("seeded events missing")
	}
	calStatus(t, cdo(t, s, "GET", "/v1.0/users/nobody@contoso.onmicrosoft.com/events", app, ""), 404)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events", app, ""), 400)
}

func TestCalendarSeed(t *testing.T) {
	s, tok := calServer(t)
	if n := s.EventCount(s.DefaultUser().UPN); n < 6 {
		t.Fatalf("Adele has %d events", n)
	}
	if s.EventCount("nobody") != -1 {
		t.Fatal("EventCount of an unknown user")
	}
	// The standup series shows every weekday.
	v := cdo(t, s, "GET", "/v1.0/me/calendarView?startDateTime=2026-11-30T00:00:00Z&endDateTime=2026-12-05T00:00:00Z&$top=100&$filter=subject eq 'Retail team standup'", tok, "")
	if n := len(v.values()); n != 5 {
		t.Fatalf("%d standups: %s", n, v.body)
	}
	mt := tokenFor(t, s, "MeganB@contoso.onmicrosoft.com", calScopes)
	if n := s.EventCount("MeganB@contoso.onmicrosoft.com"); n < 4 {
		t.Fatalf("Megan has %d events", n)
	}
	ad := cdo(t, s, "GET", "/v1.0/me/calendarView?startDateTime=2026-12-02T00:00:00-08:00&endDateTime=2026-12-03T00:00:00-08:00&$filter=isAllDay eq true", mt, "")
	if len(ad.values()) != 1 {
		t.Fatalf("all-day: %s", ad.body)
	}
	// Minimal seed: no events.
	m := Start(t)
	if m.EventCount(m.DefaultUser().UPN) != 0 {
		t.Fatal("minimal seed has events")
	}
}

// cdo is do with the spaces of OData expressions in path escaped.
func cdo(t *testing.T, s *Server, method, path, token string, body string, hdr ...string) *result {
	t.Helper()
	return do(t, s, method, strings.ReplaceAll(path, " ", "%20"), token, body, hdr...)
}

// TestCalendarBadInput: malformed bodies and options answer 4xx, never
// a server error or a dropped connection.
func TestCalendarBadInput(t *testing.T) {
	s, tok := calServer(t)
	id := cdo(t, s, "POST", "/v1.0/me/events", tok, series).json["id"].(string)
	bodies := []string{`null`, `[]`, `"x"`, `{"start":5,"end":[]}`, `{"location":"here","start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-01T01:00:00"}}`,
		`{"attendees":"all","start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-01T01:00:00"}}`,
		`{"attendees":[5,null],"start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-01T01:00:00"}}`,
		`{"recurrence":{"pattern":5,"range":"x"},"start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-01T01:00:00"}}`,
		`{"recurrence":{"pattern":{"type":"weekly","daysOfWeek":[1]},"range":{"type":"noEnd","startDate":"2026-01-01"}},"start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-01T01:00:00"}}`,
		`{"isAllDay":"yes","start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-02T00:00:00"}}`,
		`{"subject":5,"start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-02T00:00:00"}}`,
		`{"body":"text","reminderMinutesBeforeStart":"soon","start":{"dateTime":"2026-01-01T00:00:00"},"end":{"dateTime":"2026-01-02T00:00:00"}}`,
		`{"proposedNewTime":5,"comment":[],"sendResponse":{}}`, `{"toRecipients":"x"}`, `{"newReminderTime":"later"}`,
		`{"schedules":[1,2],"startTime":"x"}`, `{"attendees":[{}],"meetingDuration":5,"timeConstraint":{"timeSlots":[5]}}`,
		`{"timeConstraint":{"timeSlots":[{"start":{"dateTime":"2026-01-01T00:00:00","timeZone":"UTC"},"end":{"dateTime":"2036-01-01T00:00:00","timeZone":"UTC"}}]}}`,
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":5}`}
	paths := []struct{ method, path string }{
		{"POST", "/v1.0/me/events"}, {"PATCH", "/v1.0/me/events/" + id}, {"PATCH", "/v1.0/me/events/" + id + "_20261208"},
		{"POST", "/v1.0/me/calendars"}, {"PATCH", "/v1.0/me/calendar"},
		{"POST", "/v1.0/me/events/" + id + "/accept"}, {"POST", "/v1.0/me/events/" + id + "/decline"},
		{"POST", "/v1.0/me/events/" + id + "/forward"}, {"POST", "/v1.0/me/events/" + id + "/cancel"},
		{"POST", "/v1.0/me/events/" + id + "/snoozeReminder"}, {"POST", "/v1.0/me/events/" + id + "/attachments"},
		{"POST", "/v1.0/me/calendar/getSchedule"}, {"POST", "/v1.0/me/findMeetingTimes"},
	}
	for _, p := range paths {
		for _, b := range bodies {
			if r := cdo(t, s, p.method, p.path, tok, b); r.status >= 500 {
				t.Errorf("%s %s %s: %d %s", p.method, p.path, b, r.status, r.body)
			}
		}
	}
	for _, q := range []string{"startDateTime=2026-01-01&endDateTime=2025-01-01", "startDateTime=0001-01-01&endDateTime=9999-12-31&$top=1",
		"startDateTime=2026-01-01&endDateTime=2026-02-01&$filter=bogus(", "startDateTime=2026-01-01&endDateTime=2026-02-01&$select=nope",
		"startDateTime=2026-01-01&endDateTime=2026-02-01&$orderby=start/dateTime desc"} {
		for _, p := range []string{"/v1.0/me/calendarView?", "/v1.0/me/events/" + id + "/instances?", "/v1.0/me/calendarView/delta?"} {
			if r := cdo(t, s, "GET", p+q, tok, ""); r.status >= 500 {
				t.Errorf("GET %s%s: %d %s", p, q, r.status, r.body)
			}
		}
	}
}

// TestEventUploadSession drives createUploadSession on an event through
// the upload machinery shared with messages.
func TestEventUploadSession(t *testing.T) {
	s, tok := calServer(t)
	id := cdo(t, s, "POST", "/v1.0/me/events", tok, meeting).json["id"].(string)
	create := func(token, name string, size int) *result {
		return cdo(t, s, "POST", "/v1.0/me/events/"+id+"/attachments/createUploadSession", token,
			fmt.Sprintf(`{"AttachmentItem":{"attachmentType":"file","name":%q,"size":%d}}`, name, size))
	}
	calStatus(t, create(tok, "small.bin", 1000), 400)
	calStatus(t, create(tok, "huge.bin", 151<<20), 400)
	calStatus(t, create(tokenFor(t, s, s.DefaultUser().UPN, "Mail.ReadWrite"), "big.bin", 4<<20), 403)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/nope/attachments/createUploadSession", tok,
		`{"AttachmentItem":{"attachmentType":"file","name":"x.bin","size":4194304}}`), 404)

	const size, chunk = 10 << 20, 4 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 13 >> 2)
	}
	us := create(tok, "big.bin", size)
	calStatus(t, us, 201)
	u := us.json["uploadUrl"].(string)
	if !strings.Contains(u, "/api/v2.0/Users('") || !strings.Contains(u, "')/Events('"+id+"')/AttachmentSessions('") ||
		!strings.Contains(u, "?authtoken=") {
		t.Fatalf("uploadUrl %s", u)
	}
	resp, _, err := putChunk(u, data[:chunk], 0, size, "Authorization", "Bearer "+tok)
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("PUT with Authorization: %v %v", resp, err)
	}
	resp, b, err := putChunk(u, data[:chunk], 0, size)
	if err != nil || resp.StatusCode != 200 || !strings.Contains(string(b), `"NextExpectedRanges":["4194304"]`) {
		t.Fatalf("first chunk: %v %s %v", resp, b, err)
	}
	if _, err := s.Faults().Add(Fault{Method: "PUT", Path: "/api/v2.0/", Kind: FaultDrop, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := putChunk(u, data[chunk:2*chunk], chunk, size); err == nil {
		t.Fatal("dropped PUT succeeded")
	}
	if st := cdo(t, s, "GET", u, "", ""); !strings.Contains(string(st.body), `"NextExpectedRanges":["4194304"]`) {
		t.Fatalf("status after drop: %s", st.body)
	}
	if resp, _, _ := putChunk(u, data[:chunk], 0, size); resp.StatusCode != 416 {
		t.Errorf("overlap: %d", resp.StatusCode)
	}
	for off := int64(chunk); off < size; off += chunk {
		end := min(off+chunk, size)
		resp, b, err := putChunk(u, data[off:end], off, size)
		if err != nil {
			t.Fatal(err)
		}
		if end < size && resp.StatusCode != 200 {
			t.Fatalf("chunk at %d: %d %s", off, resp.StatusCode, b)
		}
		if end == size && (resp.StatusCode != 201 || len(b) != 0 ||
			!strings.Contains(resp.Header.Get("Location"), "/Events('"+id+"')/Attachments('")) {
			t.Fatalf("last chunk: %d %q %q", resp.StatusCode, resp.Header.Get("Location"), b)
		}
	}
	calStatus(t, cdo(t, s, "GET", u, "", ""), 404)
	l := cdo(t, s, "GET", "/v1.0/me/events/"+id+"/attachments", tok, "")
	if v := l.values(); len(v) != 1 || v[0]["name"] != "big.bin" || v[0]["size"] != float64(size) ||
		v[0]["contentBytes"] != base64.StdEncoding.EncodeToString(data) {
		t.Fatalf("attachments after upload: %d", len(l.values()))
	}
	if g := cdo(t, s, "GET", "/v1.0/me/events/"+id, tok, ""); g.json["hasAttachments"] != true {
		t.Fatalf("hasAttachments: %s", g.body)
	}
	// Cancel.
	us = create(tok, "cancel.bin", size)
	calStatus(t, us, 201)
	calStatus(t, cdo(t, s, "DELETE", us.json["uploadUrl"].(string), "", ""), 204)
	calStatus(t, cdo(t, s, "GET", us.json["uploadUrl"].(string), "", ""), 404)
}
