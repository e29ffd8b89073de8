package calendar

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/o365go/o365/graph"
)

// Event is a calendar event (microsoft.graph.event), with every v1.0 property. Start
// and End are time.Time values (see the package documentation on time zones); the rest
// mirrors Graph's JSON.
//
// An event read from the service or made by NewEvent is bound to its schedule: Save,
// Delete, Accept and the other verbs work on it.
type Event struct {
	ID                   string    `json:"id,omitempty"`
	ChangeKey            string    `json:"changeKey,omitempty"`
	CreatedDateTime      time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	Categories           []string  `json:"categories,omitempty"`

	Subject     string         `json:"subject,omitempty"`
	Body        graph.ItemBody `json:"body,omitzero"`
	BodyPreview string         `json:"bodyPreview,omitempty"`

	// Start and End are the event's times. For an all-day event they are midnights.
	Start time.Time `json:"-"`
	End   time.Time `json:"-"`

	IsAllDay              bool      `json:"isAllDay"`
	OriginalStart         time.Time `json:"originalStart,omitzero"`
	OriginalStartTimeZone string    `json:"originalStartTimeZone,omitempty"`
	OriginalEndTimeZone   string    `json:"originalEndTimeZone,omitempty"`

	Location  Location   `json:"location,omitzero"`
	Locations []Location `json:"locations,omitempty"`

	IsReminderOn               bool `json:"isReminderOn"`
	ReminderMinutesBeforeStart int  `json:"reminderMinutesBeforeStart"`

	ShowAs      FreeBusyStatus `json:"showAs,omitempty"`
	Sensitivity Sensitivity    `json:"sensitivity,omitempty"`
	Importance  Importance     `json:"importance,omitempty"`

	Organizer             graph.Recipient `json:"organizer,omitzero"`
	Attendees             Attendees       `json:"attendees,omitempty"`
	ResponseRequested     bool            `json:"responseRequested"`
	ResponseStatus        *ResponseStatus `json:"responseStatus,omitempty"`
	AllowNewTimeProposals bool            `json:"allowNewTimeProposals"`
	HideAttendees         bool            `json:"hideAttendees"`

	IsOnlineMeeting       bool                  `json:"isOnlineMeeting"`
	OnlineMeetingProvider OnlineMeetingProvider `json:"onlineMeetingProvider,omitempty"`
	OnlineMeeting         *OnlineMeetingInfo    `json:"onlineMeeting,omitempty"`
	// OnlineMeetingURL is deprecated by Graph; see JoinURL.
	OnlineMeetingURL string `json:"onlineMeetingUrl,omitempty"`

	// Recurrence is nil for an event that does not repeat.
	Recurrence           *Recurrence `json:"recurrence,omitempty"`
	Type                 EventType   `json:"type,omitempty"`
	SeriesMasterID       string      `json:"seriesMasterId,omitempty"`
	CancelledOccurrences []string    `json:"cancelledOccurrences,omitempty"`

	ICalUID string `json:"iCalUId,omitempty"`
	// UID is the iCalendar UID Graph's beta endpoint (and some v1.0 answers) return.
	UID            string `json:"uid,omitempty"`
	WebLink        string `json:"webLink,omitempty"`
	HasAttachments bool   `json:"hasAttachments,omitempty"`
	IsCancelled    bool   `json:"isCancelled,omitempty"`
	IsDraft        bool   `json:"isDraft,omitempty"`
	IsOrganizer    bool   `json:"isOrganizer,omitempty"`
	// TransactionID makes a create idempotent; Save sets a random one on a new event.
	TransactionID string `json:"transactionId,omitempty"`

	// Attachments holds the attachments when expanded ($expand=attachments) or read
	// with Event.Attachments.
	Attachments                   []*Attachment                 `json:"attachments,omitempty"`
	SingleValueExtendedProperties []SingleValueExtendedProperty `json:"singleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueExtendedProperty  `json:"multiValueExtendedProperties,omitempty"`

	sch              *Schedule
	calPath          string // where a new event is created: "/{res}/calendars/{id}/events"
	rawStart, rawEnd graph.DateTimeTimeZone
	snap             []byte
}

// JoinURL returns the link to join the event's online meeting, or "".
func (e *Event) JoinURL() string {
	if e.OnlineMeeting != nil && e.OnlineMeeting.JoinURL != "" {
		return e.OnlineMeeting.JoinURL
	}
	return e.OnlineMeetingURL
}

// StartTimeZone returns the start as Graph sent it (wall time and zone name), zero for a
// new event.
func (e *Event) StartTimeZone() graph.DateTimeTimeZone { return e.rawStart }

// EndTimeZone returns the end as Graph sent it, zero for a new event.
func (e *Event) EndTimeZone() graph.DateTimeTimeZone { return e.rawEnd }

type eventAlias Event

type eventJSON struct {
	*eventAlias
	Start *graph.DateTimeTimeZone `json:"start,omitempty"`
	End   *graph.DateTimeTimeZone `json:"end,omitempty"`
}

// MarshalJSON writes Start and End as Graph's dateTimeTimeZone. A time unchanged since it
// was read is written exactly as Graph sent it (same wall time, same zone name).
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(eventJSON{eventAlias: (*eventAlias)(&e), Start: wire(e.Start, e.rawStart), End: wire(e.End, e.rawEnd)})
}

// UnmarshalJSON reads Start and End from Graph's dateTimeTimeZone, in the location of
// their zone. A zone name the tz database does not know leaves the wall time in UTC;
// StartTimeZone and EndTimeZone still hold what Graph sent.
func (e *Event) UnmarshalJSON(b []byte) error {
	v := eventJSON{eventAlias: (*eventAlias)(e)}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Start, e.rawStart = fromWire(v.Start)
	e.End, e.rawEnd = fromWire(v.End)
	return nil
}

func wire(t time.Time, raw graph.DateTimeTimeZone) *graph.DateTimeTimeZone {
	if t.IsZero() {
		return nil
	}
	d := graph.NewDateTimeTimeZone(t)
	if !raw.IsZero() {
		rt, _ := fromWire(&raw)
		if rt.Location().String() == t.Location().String() {
			if rt.Equal(t) {
				return &raw // unchanged: exactly as Graph sent it
			}
			if n, err := graph.NewDateTimeTimeZoneIn(t, raw.TimeZone); err == nil {
				d = n // same zone: keep its name, Windows or IANA
			}
		}
	}
	// A wall time that does not name t (the repeated hour when DST ends) is written in
	// UTC, which names every instant once.
	if back, err := d.Time(); err != nil || !back.Equal(t) {
		d = graph.NewDateTimeTimeZone(t.UTC())
	}
	return &d
}

func fromWire(d *graph.DateTimeTimeZone) (time.Time, graph.DateTimeTimeZone) {
	if d == nil || d.IsZero() {
		return time.Time{}, graph.DateTimeTimeZone{}
	}
	t, err := d.Time()
	if err != nil {
		t, _ = time.Parse("2006-01-02T15:04:05.9999999", d.DateTime)
	}
	return t, *d
}

// Attendees is an event's attendee list, with helpers that take addresses.
type Attendees []Attendee

// Add adds required attendees, each an address or "Name <address>"; an address already
// present is not added twice.
func (as *Attendees) Add(addrs ...string) error { return as.AddAs(Required, addrs...) }

// AddAs adds attendees of a type (Required, Optional or Resource).
func (as *Attendees) AddAs(typ AttendeeType, addrs ...string) error {
	for _, a := range addrs {
		r, err := graph.ParseRecipient(a)
		if err != nil {
			return err
		}
		if as.Contains(r.Address()) {
			continue
		}
		*as = append(*as, Attendee{EmailAddress: r.EmailAddress, Type: typ})
	}
	return nil
}

// Remove removes the attendees with these addresses (case-insensitive).
func (as *Attendees) Remove(addrs ...string) {
	out := (*as)[:0]
	for _, a := range *as {
		drop := false
		for _, x := range addrs {
			if strings.EqualFold(a.Address(), strings.TrimSpace(x)) {
				drop = true
			}
		}
		if !drop {
			out = append(out, a)
		}
	}
	*as = out
}

// Clear removes every attendee.
func (as *Attendees) Clear() { *as = Attendees{} }

// Contains reports whether addr is an attendee (case-insensitive).
func (as Attendees) Contains(addr string) bool {
	for _, a := range as {
		if strings.EqualFold(a.Address(), strings.TrimSpace(addr)) {
			return true
		}
	}
	return false
}

// Get returns the attendee with this address.
func (as Attendees) Get(addr string) (Attendee, bool) {
	for _, a := range as {
		if strings.EqualFold(a.Address(), strings.TrimSpace(addr)) {
			return a, true
		}
	}
	return Attendee{}, false
}
