package calendar

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"time"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// Schedule is a handle on the calendars of one mailbox: the signed-in user's
// (graph.Me), another user's, a shared mailbox's or a group's (graph.Group). It does no
// I/O until a call and is safe for concurrent use.
type Schedule struct {
	c    *graph.Client
	res  graph.Resource
	loc  *time.Location // WithTimeZone; nil: the mailbox's zone
	zone *zoneCache
}

type zoneCache struct {
	mu  sync.Mutex
	loc *time.Location
}

// Option configures a Schedule.
type Option func(*Schedule)

// WithTimeZone sets the schedule's zone: naive times (location time.Local) are taken in
// it, and events are read with their times in it (Prefer: outlook.timezone). Without it,
// naive times are taken in the mailbox's zone.
func WithTimeZone(loc *time.Location) Option { return func(s *Schedule) { s.loc = loc } }

// New returns a handle on the calendars of res. An empty res means graph.Me.
func New(c *graph.Client, res graph.Resource, opts ...Option) *Schedule {
	if res == "" {
		res = graph.Me
	}
	s := &Schedule{c: c, res: res, zone: &zoneCache{}}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	return s
}

// In returns a copy of the schedule whose zone is loc (see WithTimeZone).
func (s *Schedule) In(loc *time.Location) *Schedule {
	cp := *s
	cp.loc = loc
	return &cp
}

// Resource returns the resource the schedule belongs to.
func (s *Schedule) Resource() graph.Resource { return s.res }

// Client returns the Graph client the schedule uses.
func (s *Schedule) Client() *graph.Client { return s.c }

func (s *Schedule) path(segs ...string) string { return s.res.Path(segs...) }

// ErrGroupCalendars is CreateCalendar's error on a group's schedule: a Microsoft 365
// group has exactly one calendar (GET /groups/{id}/calendar) and Graph v1.0 has no
// /groups/{id}/calendars collection.
var ErrGroupCalendars = errors.New("calendar: a group has one calendar; Graph v1.0 has no /groups/{id}/calendars")

// isGroup reports whether the schedule is a group's (graph.Group).
func (s *Schedule) isGroup() bool { return strings.HasPrefix(string(s.res), "groups/") }

// readOpts are the call options of every read of events: the schedule's zone, if set.
func (s *Schedule) readOpts() []graph.CallOption {
	if s.loc == nil || s.loc == time.Local { // "Local" names no zone Graph knows
		return nil
	}
	name := s.loc.String()
	if w, ok := graph.IANAToWindows(name); ok {
		name = w
	}
	return []graph.CallOption{graph.Timezone(name)}
}

// TimeZone returns the schedule's zone: the one given with WithTimeZone, or else the
// mailbox's (mailboxSettings.timeZone, read once).
func (s *Schedule) TimeZone(ctx context.Context) (*time.Location, error) {
	if s.loc != nil {
		return s.loc, nil
	}
	s.zone.mu.Lock()
	defer s.zone.mu.Unlock()
	if s.zone.loc != nil {
		return s.zone.loc, nil
	}
	var ms struct {
		TimeZone string `json:"timeZone"`
	}
	if err := s.c.Get(ctx, s.path("mailboxSettings"), &ms, graph.Query(odata.New().Select("timeZone"))); err != nil {
		return nil, err
	}
	if ms.TimeZone == "" {
		ms.TimeZone = "UTC"
	}
	loc, err := s.c.Zones().LoadLocation(ms.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("calendar: mailbox time zone %q: %w", ms.TimeZone, err)
	}
	s.zone.loc = loc
	return loc, nil
}

// Calendars lists the mailbox's calendars (GET /{res}/calendars). A group (graph.Group)
// has one calendar and Graph v1.0 has no /groups/{id}/calendars: for a group, Calendars
// yields that calendar alone, read with GET /groups/{id}/calendar (lo is ignored).
func (s *Schedule) Calendars(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Calendar, error] {
	return func(yield func(*Calendar, error) bool) {
		if s.isGroup() {
			c, err := s.DefaultCalendar().Get(ctx)
			yield(c, err)
			return
		}
		for c, err := range graph.List[Calendar](ctx, s.c, s.path("calendars"), lo) {
			if !yield(c.bind(s), err) {
				return
			}
		}
	}
}

// DefaultCalendar returns a handle on the mailbox's default calendar (/{res}/calendar).
func (s *Schedule) DefaultCalendar() *Calendar { return &Calendar{sch: s, def: true} }

// Calendar returns a handle on the calendar with this id. Use Get to read its properties.
func (s *Schedule) Calendar(id string) *Calendar { return &Calendar{ID: id, sch: s} }

// CalendarByName returns the first calendar with this name; graph.ErrNotFound when none.
func (s *Schedule) CalendarByName(ctx context.Context, name string) (*Calendar, error) {
	q := odata.New().Filter(odata.Attr("name").Eq(name))
	for c, err := range s.Calendars(ctx, &graph.ListOptions{Limit: 1, Query: q}) {
		return c, err
	}
	return nil, fmt.Errorf("calendar: no calendar named %q: %w", name, graph.ErrNotFound)
}

// CreateCalendar creates a calendar (POST /{res}/calendars). An empty color means auto.
// A group has only its one calendar: for a group it fails with ErrGroupCalendars.
func (s *Schedule) CreateCalendar(ctx context.Context, name string, color Color) (*Calendar, error) {
	if s.isGroup() {
		return nil, ErrGroupCalendars
	}
	body := map[string]any{"name": name}
	if color != "" {
		body["color"] = color
	}
	var c Calendar
	if err := s.c.Post(ctx, s.path("calendars"), body, &c); err != nil {
		return nil, err
	}
	return c.bind(s), nil
}

// Events lists the events of every calendar of the mailbox (GET /{res}/events): series
// masters and single events, not expanded occurrences (see View).
func (s *Schedule) Events(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Event, error] {
	return s.events(ctx, s.path("events"), lo, nil)
}

// View lists the events and occurrences between start and end in every calendar of the
// mailbox (GET /{res}/calendarView).
func (s *Schedule) View(ctx context.Context, start, end time.Time, lo *graph.ListOptions) iter.Seq2[*Event, error] {
	return s.events(ctx, s.path("calendarView"), lo, viewParams(start, end))
}

// Event reads one event (GET /{res}/events/{id}).
func (s *Schedule) Event(ctx context.Context, id string, opts ...graph.CallOption) (*Event, error) {
	var e Event
	if err := s.c.Get(ctx, s.path("events", id), &e, append(s.readOpts(), opts...)...); err != nil {
		return nil, err
	}
	return e.bind(s, ""), nil
}

// NewEvent returns a new event in the mailbox's default calendar, not yet saved, with
// Graph's defaults (a reminder 15 minutes before, responses requested).
func (s *Schedule) NewEvent() *Event { return s.newEvent(s.path("events")) }

func (s *Schedule) newEvent(calPath string) *Event {
	return &Event{sch: s, calPath: calPath, IsReminderOn: true, ReminderMinutesBeforeStart: 15,
		ResponseRequested: true, AllowNewTimeProposals: true}
}

func viewParams(start, end time.Time) []graph.CallOption {
	return []graph.CallOption{graph.Params(map[string][]string{
		"startDateTime": {start.Format(time.RFC3339)},
		"endDateTime":   {end.Format(time.RFC3339)},
	})}
}

func (s *Schedule) events(ctx context.Context, path string, lo *graph.ListOptions, extra []graph.CallOption) iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		opts := append(s.readOpts(), extra...)
		for e, err := range graph.List[Event](ctx, s.c, path, lo, opts...) {
			if !yield(e.bind(s, ""), err) {
				return
			}
		}
	}
}

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
