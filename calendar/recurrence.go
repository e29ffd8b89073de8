package calendar

import (
	"fmt"
	"strings"
	"time"
)

// PatternType is how often a recurring event repeats.
type PatternType string

// PatternType values.
const (
	PatternDaily           PatternType = "daily"
	PatternWeekly          PatternType = "weekly"
	PatternAbsoluteMonthly PatternType = "absoluteMonthly"
	PatternRelativeMonthly PatternType = "relativeMonthly"
	PatternAbsoluteYearly  PatternType = "absoluteYearly"
	PatternRelativeYearly  PatternType = "relativeYearly"
)

// RangeType is how a recurrence ends.
type RangeType string

// RangeType values.
const (
	RangeEndDate  RangeType = "endDate"
	RangeNoEnd    RangeType = "noEnd"
	RangeNumbered RangeType = "numbered"
)

// DayOfWeek is a day name as Graph writes it ("monday").
type DayOfWeek string

// Day returns the Graph name of a weekday.
func Day(d time.Weekday) DayOfWeek { return DayOfWeek(strings.ToLower(d.String())) }

// Weekday returns the time.Weekday of d, and false for an unknown name.
func (d DayOfWeek) Weekday() (time.Weekday, bool) {
	for w := time.Sunday; w <= time.Saturday; w++ {
		if strings.EqualFold(string(d), w.String()) {
			return w, true
		}
	}
	return 0, false
}

// WeekIndex is the week of the month of a relative pattern.
type WeekIndex string

// WeekIndex values.
const (
	First  WeekIndex = "first"
	Second WeekIndex = "second"
	Third  WeekIndex = "third"
	Fourth WeekIndex = "fourth"
	Last   WeekIndex = "last"
)

// DateLayout is the layout of Graph's Edm.Date values (recurrence start and end dates).
const DateLayout = "2006-01-02"

// Recurrence is how an event repeats (microsoft.graph.patternedRecurrence). Build one
// with [Daily], [Weekly], [Monthly], [MonthlyOn], [Yearly] or [YearlyOn] and end it with
// Until or Count (no end by default):
//
//	ev.Recurrence = calendar.Weekly(1, time.Monday, time.Wednesday).Until(lastDay)
//
// When Range.StartDate is empty, Save fills it in with the event's start date, and
// Range.RecurrenceTimeZone with the start's zone.
type Recurrence struct {
	Pattern RecurrencePattern `json:"pattern"`
	Range   RecurrenceRange   `json:"range"`
}

// RecurrencePattern is the frequency of a recurrence.
type RecurrencePattern struct {
	Type           PatternType `json:"type"`
	Interval       int         `json:"interval"`
	Month          int         `json:"month,omitempty"`
	DayOfMonth     int         `json:"dayOfMonth,omitempty"`
	DaysOfWeek     []DayOfWeek `json:"daysOfWeek,omitempty"`
	FirstDayOfWeek DayOfWeek   `json:"firstDayOfWeek,omitempty"`
	Index          WeekIndex   `json:"index,omitempty"`
}

// RecurrenceRange is when a recurrence starts and ends. Dates are written as DateLayout.
type RecurrenceRange struct {
	Type                RangeType `json:"type"`
	StartDate           string    `json:"startDate,omitempty"`
	EndDate             string    `json:"endDate,omitempty"`
	NumberOfOccurrences int       `json:"numberOfOccurrences,omitempty"`
	RecurrenceTimeZone  string    `json:"recurrenceTimeZone,omitempty"`
}

func days(ds []time.Weekday) []DayOfWeek {
	out := make([]DayOfWeek, len(ds))
	for i, d := range ds {
		out[i] = Day(d)
	}
	return out
}

func interval(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func newRecurrence(p RecurrencePattern) *Recurrence {
	p.Interval = interval(p.Interval)
	return &Recurrence{Pattern: p, Range: RecurrenceRange{Type: RangeNoEnd}}
}

// Daily repeats every interval days.
func Daily(interval int) *Recurrence {
	return newRecurrence(RecurrencePattern{Type: PatternDaily, Interval: interval})
}

// Weekly repeats on the given days every interval weeks (weeks start on Sunday; see
// FirstDayOfWeek).
func Weekly(interval int, on ...time.Weekday) *Recurrence {
	return newRecurrence(RecurrencePattern{Type: PatternWeekly, Interval: interval, DaysOfWeek: days(on), FirstDayOfWeek: "sunday"})
}

// Monthly repeats on a day of the month (1–31) every interval months (absoluteMonthly).
func Monthly(interval, day int) *Recurrence {
	return newRecurrence(RecurrencePattern{Type: PatternAbsoluteMonthly, Interval: interval, DayOfMonth: day})
}

// MonthlyOn repeats on the index-th given weekday of the month ("the last Friday") every
// interval months (relativeMonthly).
func MonthlyOn(interval int, index WeekIndex, on ...time.Weekday) *Recurrence {
	return newRecurrence(RecurrencePattern{Type: PatternRelativeMonthly, Interval: interval, DaysOfWeek: days(on), Index: index})
}

// Yearly repeats on a date (month and day) every interval years (absoluteYearly).
func Yearly(interval int, month time.Month, day int) *Recurrence {
	return newRecurrence(RecurrencePattern{Type: PatternAbsoluteYearly, Interval: interval, Month: int(month), DayOfMonth: day})
}

// YearlyOn repeats on the index-th given weekday of a month ("the first Monday of
// September") every interval years (relativeYearly).
func YearlyOn(interval int, month time.Month, index WeekIndex, on ...time.Weekday) *Recurrence {
	return newRecurrence(RecurrencePattern{Type: PatternRelativeYearly, Interval: interval, Month: int(month), DaysOfWeek: days(on), Index: index})
}

// Until ends the recurrence on a date (inclusive; only the date of t counts).
func (r *Recurrence) Until(t time.Time) *Recurrence {
	r.Range.Type, r.Range.EndDate, r.Range.NumberOfOccurrences = RangeEndDate, t.Format(DateLayout), 0
	return r
}

// Count ends the recurrence after n occurrences.
func (r *Recurrence) Count(n int) *Recurrence {
	r.Range.Type, r.Range.EndDate, r.Range.NumberOfOccurrences = RangeNumbered, "", n
	return r
}

// NoEnd makes the recurrence go on for ever.
func (r *Recurrence) NoEnd() *Recurrence {
	r.Range.Type, r.Range.EndDate, r.Range.NumberOfOccurrences = RangeNoEnd, "", 0
	return r
}

// From sets the date of the first occurrence (by default the event's start date).
func (r *Recurrence) From(t time.Time) *Recurrence {
	r.Range.StartDate = t.Format(DateLayout)
	return r
}

// WeekStart sets the first day of the week of a weekly pattern.
func (r *Recurrence) WeekStart(d time.Weekday) *Recurrence {
	r.Pattern.FirstDayOfWeek = Day(d)
	return r
}

// Validate reports a recurrence Graph would refuse: a missing field of its pattern type,
// or an end date before its start.
func (r *Recurrence) Validate() error {
	if r == nil {
		return nil
	}
	p := r.Pattern
	switch p.Type {
	case PatternDaily:
	case PatternWeekly, PatternRelativeMonthly:
		if len(p.DaysOfWeek) == 0 {
			return fmt.Errorf("calendar: a %s recurrence needs days of the week", p.Type)
		}
	case PatternAbsoluteMonthly:
		if p.DayOfMonth < 1 || p.DayOfMonth > 31 {
			return fmt.Errorf("calendar: day of month %d out of range 1-31", p.DayOfMonth)
		}
	case PatternAbsoluteYearly, PatternRelativeYearly:
		if p.Month < 1 || p.Month > 12 {
			return fmt.Errorf("calendar: month %d out of range 1-12", p.Month)
		}
		if p.Type == PatternAbsoluteYearly && (p.DayOfMonth < 1 || p.DayOfMonth > 31) {
			return fmt.Errorf("calendar: day of month %d out of range 1-31", p.DayOfMonth)
		}
		if p.Type == PatternRelativeYearly && len(p.DaysOfWeek) == 0 {
			return fmt.Errorf("calendar: a %s recurrence needs days of the week", p.Type)
		}
	default:
		return fmt.Errorf("calendar: unknown recurrence pattern %q", p.Type)
	}
	if p.Interval < 1 {
		return fmt.Errorf("calendar: recurrence interval %d must be at least 1", p.Interval)
	}
	switch r.Range.Type {
	case RangeEndDate:
		if r.Range.EndDate == "" {
			return fmt.Errorf("calendar: an endDate recurrence range needs an end date")
		}
		if r.Range.StartDate != "" && r.Range.EndDate < r.Range.StartDate {
			return fmt.Errorf("calendar: recurrence ends (%s) before it starts (%s)", r.Range.EndDate, r.Range.StartDate)
		}
	case RangeNumbered:
		if r.Range.NumberOfOccurrences < 1 {
			return fmt.Errorf("calendar: a numbered recurrence needs at least one occurrence")
		}
	case RangeNoEnd:
	default:
		return fmt.Errorf("calendar: unknown recurrence range %q", r.Range.Type)
	}
	return nil
}

// ParseRecurrence reads the short form the CLI uses: "daily", "weekly:mon,wed",
// "monthly:15" (day of month), "monthly:last-fri" (relative), "yearly:3-15" (March 15),
// "yearly:9-first-mon", each with an optional "/N" interval ("weekly:mon/2").
func ParseRecurrence(s string) (*Recurrence, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	n := 1
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		if _, err := fmt.Sscanf(s[i+1:], "%d", &n); err != nil || n < 1 {
			return nil, fmt.Errorf("calendar: bad recurrence interval in %q", s)
		}
		s = s[:i]
	}
	kind, arg, _ := strings.Cut(s, ":")
	bad := func() (*Recurrence, error) { return nil, fmt.Errorf("calendar: bad recurrence %q", s) }
	switch kind {
	case "daily":
		return Daily(n), nil
	case "weekly":
		ds, err := parseDays(arg)
		if err != nil || len(ds) == 0 {
			return bad()
		}
		return Weekly(n, ds...), nil
	case "monthly":
		var d int
		if _, err := fmt.Sscanf(arg, "%d", &d); err == nil && fmt.Sprint(d) == arg {
			r := Monthly(n, d)
			return r, r.Validate()
		}
		idx, day, ok := strings.Cut(arg, "-")
		ds, err := parseDays(day)
		if !ok || err != nil || !validIndex(idx) {
			return bad()
		}
		return MonthlyOn(n, WeekIndex(idx), ds...), nil
	case "yearly":
		parts := strings.SplitN(arg, "-", 3)
		var m, d int
		if len(parts) < 2 {
			return bad()
		}
		if _, err := fmt.Sscanf(parts[0], "%d", &m); err != nil {
			return bad()
		}
		if len(parts) == 2 {
			if _, err := fmt.Sscanf(parts[1], "%d", &d); err != nil {
				return bad()
			}
			r := Yearly(n, time.Month(m), d)
			return r, r.Validate()
		}
		ds, err := parseDays(parts[2])
		if err != nil || !validIndex(parts[1]) {
			return bad()
		}
		r := YearlyOn(n, time.Month(m), WeekIndex(parts[1]), ds...)
		return r, r.Validate()
	}
	return bad()
}

func validIndex(s string) bool {
	switch WeekIndex(s) {
	case First, Second, Third, Fourth, Last:
		return true
	}
	return false
}

func parseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for p := range strings.SplitSeq(s, ",") {
		p = strings.TrimSpace(p)
		found := false
		for w := time.Sunday; w <= time.Saturday; w++ {
			name := strings.ToLower(w.String())
			if p != "" && (p == name || len(p) >= 2 && strings.HasPrefix(name, p)) {
				out = append(out, w)
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("calendar: unknown day %q", p)
		}
	}
	return out, nil
}
