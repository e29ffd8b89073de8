package emulator

import (
	"net/http"
	"strings"
	"time"
)

// recurrence is a parsed patternedRecurrence.
type recurrence struct {
	kind           string // daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly
	interval       int
	daysOfWeek     []time.Weekday
	dayOfMonth     int
	month          time.Month
	index          string // first, second, third, fourth, last
	firstDayOfWeek time.Weekday
	rangeType      string // endDate, noEnd, numbered
	startDate      time.Time
	endDate        time.Time
	count          int
}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

func errRecurrence(msg string) *graphError {
	return errorf(http.StatusBadRequest, "ErrorInvalidRecurrence", msg)
}

func intOf(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// parseRecurrence validates a patternedRecurrence document.
func parseRecurrence(v any) (*recurrence, *graphError) {
	m, _ := v.(map[string]any)
	pat, _ := m["pattern"].(map[string]any)
	rng, _ := m["range"].(map[string]any)
	if pat == nil || rng == nil {
		return nil, errRecurrence("A recurrence must have a pattern and a range.")
	}
	r := &recurrence{kind: str(pat["type"]), interval: intOf(pat["interval"]), dayOfMonth: intOf(pat["dayOfMonth"]),
		month: time.Month(intOf(pat["month"])), index: lower(str(pat["index"])), rangeType: str(rng["type"]), count: intOf(rng["numberOfOccurrences"])}
	if r.interval <= 0 {
		r.interval = 1
	}
	if r.index == "" {
		r.index = "first"
	}
	r.firstDayOfWeek = time.Sunday
	if d, ok := weekdays[lower(str(pat["firstDayOfWeek"]))]; ok {
		r.firstDayOfWeek = d
	}
	for _, d := range stringsOf(pat["daysOfWeek"]) {
		wd, ok := weekdays[lower(d)]
		if !ok {
			return nil, errRecurrence("Unknown day of week '" + d + "'.")
		}
		r.daysOfWeek = append(r.daysOfWeek, wd)
	}
	switch r.kind {
	case "daily":
	case "weekly", "relativeMonthly":
		if len(r.daysOfWeek) == 0 {
			return nil, errRecurrence("daysOfWeek is required for a " + r.kind + " pattern.")
		}
	case "absoluteMonthly":
		if r.dayOfMonth < 1 || r.dayOfMonth > 31 {
			return nil, errRecurrence("dayOfMonth must be 1 to 31 for an absoluteMonthly pattern.")
		}
	case "absoluteYearly":
		if r.dayOfMonth < 1 || r.dayOfMonth > 31 || r.month < 1 || r.month > 12 {
			return nil, errRecurrence("month and dayOfMonth are required for an absoluteYearly pattern.")
		}
	case "relativeYearly":
		if len(r.daysOfWeek) == 0 || r.month < 1 || r.month > 12 {
			return nil, errRecurrence("month and daysOfWeek are required for a relativeYearly pattern.")
		}
	default:
		return nil, errRecurrence("Unknown recurrence pattern type '" + r.kind + "'.")
	}
	if !setOf("first second third fourth last")[r.index] {
		return nil, errRecurrence("Unknown week index '" + r.index + "'.")
	}
	var err error
	if r.startDate, err = time.Parse("2006-01-02", str(rng["startDate"])); err != nil {
		return nil, errRecurrence("The recurrence range needs a startDate (yyyy-MM-dd).")
	}
	switch r.rangeType {
	case "endDate":
		if r.endDate, err = time.Parse("2006-01-02", str(rng["endDate"])); err != nil || r.endDate.Before(r.startDate) {
			return nil, errRecurrence("The recurrence range needs an endDate on or after its startDate.")
		}
	case "numbered":
		if r.count <= 0 || r.count > 999 {
			return nil, errRecurrence("numberOfOccurrences must be 1 to 999.")
		}
	case "noEnd":
	default:
		return nil, errRecurrence("Unknown recurrence range type '" + r.rangeType + "'.")
	}
	return r, nil
}

// has reports whether d is one of the pattern's days.
func (r *recurrence) has(d time.Weekday) bool {
	for _, x := range r.daysOfWeek {
		if x == d {
			return true
		}
	}
	return false
}

// nthWeekday is the day of month (1-based) of the index-th of days in a
// month, 0 when there is none.
func (r *recurrence) nthWeekday(year int, month time.Month) int {
	last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	var matches []int
	for d := 1; d <= last; d++ {
		if r.has(time.Date(year, month, d, 0, 0, 0, 0, time.UTC).Weekday()) {
			matches = append(matches, d)
		}
	}
	n := map[string]int{"first": 0, "second": 1, "third": 2, "fourth": 3}
	if r.index == "last" {
		if len(matches) == 0 {
			return 0
		}
		return matches[len(matches)-1]
	}
	if i := n[r.index]; i < len(matches) {
		return matches[i]
	}
	return 0
}

// maxOccurrenceScan bounds the candidate dates of one expansion.
const maxOccurrenceScan = 20000

// dates calls fn with each occurrence date (midnight UTC, calendar date)
// in order, until fn returns false or the range ends.
func (r *recurrence) dates(fn func(d time.Time) bool) {
	n := 0
	emit := func(d time.Time) bool {
		if d.Before(r.startDate) {
			return true
		}
		if r.rangeType == "endDate" && d.After(r.endDate) {
			return false
		}
		if r.rangeType == "numbered" && n >= r.count {
			return false
		}
		n++
		return fn(d)
	}
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	s := r.startDate
	for i := 0; i < maxOccurrenceScan; i++ {
		switch r.kind {
		case "daily":
			if !emit(s.AddDate(0, 0, i*r.interval)) {
				return
			}
		case "weekly":
			off := (int(s.Weekday()) - int(r.firstDayOfWeek) + 7) % 7
			week := s.AddDate(0, 0, -off+7*i*r.interval)
			for k := 0; k < 7; k++ {
				d := week.AddDate(0, 0, k)
				if r.has(d.Weekday()) && !emit(d) {
					return
				}
			}
		case "absoluteMonthly", "relativeMonthly":
			y, m := s.Year(), s.Month()+time.Month(i*r.interval)
			first := date(y, m, 1)
			day := r.dayOfMonth
			if r.kind == "relativeMonthly" {
				day = r.nthWeekday(first.Year(), first.Month())
			}
			if day > 0 && day <= date(first.Year(), first.Month()+1, 0).Day() && !emit(date(first.Year(), first.Month(), day)) {
				return
			}
		case "absoluteYearly", "relativeYearly":
			y := s.Year() + i*r.interval
			day := r.dayOfMonth
			if r.kind == "relativeYearly" {
				day = r.nthWeekday(y, r.month)
			}
			if day > 0 && day <= date(y, r.month+1, 0).Day() && !emit(date(y, r.month, day)) {
				return
			}
		default:
			return
		}
	}
}

// occurrence is one computed instance of a series.
type occurrence struct {
	start, end time.Time
	date       time.Time // the occurrence's original date
}

// occurrences expands a series whose first instance starts at start (in
// loc, the series' time zone) and lasts dur, returning those overlapping
// [from, to).
func (r *recurrence) occurrences(start time.Time, dur time.Duration, loc *time.Location, from, to time.Time) []occurrence {
	local := start.In(loc)
	var out []occurrence
	r.dates(func(d time.Time) bool {
		st := time.Date(d.Year(), d.Month(), d.Day(), local.Hour(), local.Minute(), local.Second(), 0, loc)
		if !st.Before(to) {
			return false
		}
		if st.Add(dur).After(from) || (dur == 0 && !st.Before(from)) {
			out = append(out, occurrence{start: st, end: st.Add(dur), date: d})
		}
		return true
	})
	return out
}

// occurrenceID is the id of a series' occurrence on a date.
func occurrenceID(master string, date time.Time) string {
	return master + "_" + date.Format("20060102")
}

// splitOccurrenceID returns the series id and date of an occurrence id.
func splitOccurrenceID(id string) (string, time.Time, bool) {
	if len(id) < 10 || id[len(id)-9] != '_' {
		return "", time.Time{}, false
	}
	d, err := time.Parse("20060102", id[len(id)-8:])
	if err != nil {
		return "", time.Time{}, false
	}
	return id[:len(id)-9], d, true
}

// recurrenceDoc normalises a recurrence for storage: every pattern and
// range property present, recurrenceTimeZone defaulting to zone.
func recurrenceDoc(v any, zone string) map[string]any {
	m := cloneJSON(v.(map[string]any))
	pat, _ := m["pattern"].(map[string]any)
	rng, _ := m["range"].(map[string]any)
	def := func(mm map[string]any, k string, val any) {
		if _, ok := mm[k]; !ok || mm[k] == nil {
			mm[k] = val
		}
	}
	def(pat, "interval", float64(1))
	def(pat, "month", float64(0))
	def(pat, "dayOfMonth", float64(0))
	def(pat, "daysOfWeek", []any{})
	def(pat, "firstDayOfWeek", "sunday")
	def(pat, "index", "first")
	def(rng, "endDate", "0001-01-01")
	def(rng, "recurrenceTimeZone", zone)
	def(rng, "numberOfOccurrences", float64(0))
	if str(rng["recurrenceTimeZone"]) == "" {
		rng["recurrenceTimeZone"] = zone
	}
	if d, ok := pat["daysOfWeek"].([]any); ok {
		for i, x := range d {
			d[i] = lower(str(x))
		}
	}
	if s := str(pat["firstDayOfWeek"]); s != "" {
		pat["firstDayOfWeek"] = strings.ToLower(s)
	}
	return m
}
