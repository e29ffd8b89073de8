package calendar

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/o365go/o365/graph"
)

// Calendar is a calendar (microsoft.graph.calendar) and a handle on it. One from
// Calendars or Get carries its properties; one from Schedule.Calendar or
// DefaultCalendar only names it until Get.
type Calendar struct {
	ID                            string                  `json:"id,omitempty"`
	Name                          string                  `json:"name,omitempty"`
	Color                         Color                   `json:"color,omitempty"`
	HexColor                      string                  `json:"hexColor,omitempty"`
	IsDefaultCalendar             bool                    `json:"isDefaultCalendar,omitempty"`
	ChangeKey                     string                  `json:"changeKey,omitempty"`
	CanShare                      bool                    `json:"canShare,omitempty"`
	CanViewPrivateItems           bool                    `json:"canViewPrivateItems,omitempty"`
	CanEdit                       bool                    `json:"canEdit,omitempty"`
	IsRemovable                   bool                    `json:"isRemovable,omitempty"`
	IsTallyingResponses           bool                    `json:"isTallyingResponses,omitempty"`
	AllowedOnlineMeetingProviders []OnlineMeetingProvider `json:"allowedOnlineMeetingProviders,omitempty"`
	DefaultOnlineMeetingProvider  OnlineMeetingProvider   `json:"defaultOnlineMeetingProvider,omitempty"`
	Owner                         graph.EmailAddress      `json:"owner,omitzero"`

	sch       *Schedule
	def       bool
	snapName  string
	snapColor Color
	loaded    bool
}

var errUnbound = errors.New("calendar: not bound to a schedule (use Schedule.Calendar, DefaultCalendar or NewEvent)")

func (c *Calendar) bind(s *Schedule) *Calendar {
	if c == nil {
		return nil
	}
	c.sch, c.snapName, c.snapColor, c.loaded = s, c.Name, c.Color, true
	return c
}

// Schedule returns the schedule the calendar belongs to.
func (c *Calendar) Schedule() *Schedule { return c.sch }

func (c *Calendar) path(segs ...string) (string, error) {
	if c == nil || c.sch == nil {
		return "", errUnbound
	}
	if c.def || c.sch.isGroup() { // a group's one calendar is only reachable as /calendar
		return c.sch.path(append([]string{"calendar"}, segs...)...), nil
	}
	if c.ID == "" {
		return "", errors.New("calendar: calendar has no id")
	}
	return c.sch.path(append([]string{"calendars", c.ID}, segs...)...), nil
}

// Get reads the calendar's properties (GET /{res}/calendars/{id} or /{res}/calendar).
func (c *Calendar) Get(ctx context.Context) (*Calendar, error) {
	p, err := c.path()
	if err != nil {
		return nil, err
	}
	var out Calendar
	if err := c.sch.c.Get(ctx, p, &out); err != nil {
		return nil, err
	}
	out.bind(c.sch)
	return &out, nil
}

// Save sends the name and color if they changed since the calendar was read (PATCH).
func (c *Calendar) Save(ctx context.Context) error {
	p, err := c.path()
	if err != nil {
		return err
	}
	body := map[string]any{}
	if c.Name != c.snapName || !c.loaded && c.Name != "" {
		body["name"] = c.Name
	}
	if c.Color != c.snapColor || !c.loaded && c.Color != "" {
		body["color"] = c.Color
	}
	if len(body) == 0 {
		return nil
	}
	var out Calendar
	if err := c.sch.c.Patch(ctx, p, body, &out); err != nil {
		return err
	}
	sch, def := c.sch, c.def
	*c = out
	c.def = def
	c.bind(sch)
	return nil
}

// Rename changes the calendar's name.
func (c *Calendar) Rename(ctx context.Context, name string) error {
	c.Name = name
	return c.Save(ctx)
}

// Recolor changes the calendar's color.
func (c *Calendar) Recolor(ctx context.Context, color Color) error {
	c.Color = color
	return c.Save(ctx)
}

// Delete deletes the calendar and its events. The default calendar cannot be deleted.
func (c *Calendar) Delete(ctx context.Context) error {
	p, err := c.path()
	if err != nil {
		return err
	}
	return c.sch.c.Delete(ctx, p)
}

// Events lists the calendar's events (GET .../events): single events and series
// masters, with lo.Query for $filter, $orderby, $select.
func (c *Calendar) Events(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Event, error] {
	p, err := c.path("events")
	if err != nil {
		return errSeq[Event](err)
	}
	return c.sch.events(ctx, p, lo, nil)
}

// View lists the events between start and end, recurring events expanded into their
// occurrences (GET .../calendarView?startDateTime=&endDateTime=).
func (c *Calendar) View(ctx context.Context, start, end time.Time, lo *graph.ListOptions) iter.Seq2[*Event, error] {
	p, err := c.path("calendarView")
	if err != nil {
		return errSeq[Event](err)
	}
	return c.sch.events(ctx, p, lo, viewParams(start, end))
}

// Event reads one event of the calendar.
func (c *Calendar) Event(ctx context.Context, id string) (*Event, error) {
	if c == nil || c.sch == nil {
		return nil, errUnbound
	}
	return c.sch.Event(ctx, id)
}

// NewEvent returns a new event in this calendar, not yet saved.
func (c *Calendar) NewEvent() *Event {
	p, err := c.path("events")
	if err != nil {
		return &Event{}
	}
	return c.sch.newEvent(p)
}
