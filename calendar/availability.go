package calendar

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/o365go/o365/graph"
)

// ScheduleInformation is one person's or room's free/busy answer (getSchedule).
type ScheduleInformation struct {
	ScheduleID       string         `json:"scheduleId"`
	AvailabilityView string         `json:"availabilityView,omitempty"`
	ScheduleItems    []ScheduleItem `json:"scheduleItems,omitempty"`
	WorkingHours     *WorkingHours  `json:"workingHours,omitempty"`
	Error            *FreeBusyError `json:"error,omitempty"`
}

// FreeBusyError is why a schedule could not be read.
type FreeBusyError struct {
	Message      string `json:"message,omitempty"`
	ResponseCode string `json:"responseCode,omitempty"`
}

// WorkingHours are a mailbox's working hours.
type WorkingHours struct {
	DaysOfWeek []DayOfWeek `json:"daysOfWeek,omitempty"`
	StartTime  string      `json:"startTime,omitempty"`
	EndTime    string      `json:"endTime,omitempty"`
	TimeZone   *struct {
		Name string `json:"name,omitempty"`
	} `json:"timeZone,omitempty"`
}

// ScheduleItem is one busy block of a schedule.
type ScheduleItem struct {
	Start     graph.DateTimeTimeZone `json:"start"`
	End       graph.DateTimeTimeZone `json:"end"`
	Status    FreeBusyStatus         `json:"status,omitempty"`
	Subject   string                 `json:"subject,omitempty"`
	Location  string                 `json:"location,omitempty"`
	IsPrivate bool                   `json:"isPrivate,omitempty"`
}

// Times returns the item's start and end as time.Time.
func (it ScheduleItem) Times() (start, end time.Time, err error) {
	if start, err = it.Start.Time(); err != nil {
		return
	}
	end, err = it.End.Time()
	return
}

// Slots returns the availability view as statuses, one per interval: '0' free,
// '1' tentative, '2' busy, '3' oof, '4' workingElsewhere, anything else unknown
// (python-o365's mapping).
func (si ScheduleInformation) Slots() []FreeBusyStatus {
	out := make([]FreeBusyStatus, 0, len(si.AvailabilityView))
	for _, c := range si.AvailabilityView {
		out = append(out, slotStatus(c))
	}
	return out
}

func slotStatus(c rune) FreeBusyStatus {
	switch c {
	case '0':
		return Free
	case '1':
		return Tentative
	case '2':
		return Busy
	case '3':
		return OutOfOffice
	case '4':
		return WorkingElsewhere
	}
	return Unknown
}

// Availability reads the free/busy schedules of people, distribution lists or rooms
// between start and end, in slots of interval (5 minutes to 1 day; 0 means 30 minutes)
// (POST /{res}/calendar/getSchedule).
func (s *Schedule) Availability(ctx context.Context, schedules []string, start, end time.Time, interval time.Duration) ([]ScheduleInformation, error) {
	if len(schedules) == 0 {
		return nil, errors.New("calendar: Availability needs at least one schedule")
	}
	if !end.After(start) {
		return nil, errors.New("calendar: Availability needs end after start")
	}
	if interval == 0 {
		interval = 30 * time.Minute
	}
	if interval < 5*time.Minute || interval > 24*time.Hour {
		return nil, fmt.Errorf("calendar: availability interval %v out of range 5m-24h", interval)
	}
	body := map[string]any{
		"schedules": schedules, "startTime": graph.NewDateTimeTimeZone(start), "endTime": graph.NewDateTimeTimeZone(end),
		"availabilityViewInterval": int(interval / time.Minute),
	}
	var out struct {
		Value []ScheduleInformation `json:"value"`
	}
	if err := s.c.Post(ctx, s.path("calendar", "getSchedule"), body, &out, s.readOpts()...); err != nil {
		return nil, err
	}
	return out.Value, nil
}

// AttendeeBase is an attendee of a meeting-times request.
type AttendeeBase struct {
	EmailAddress graph.EmailAddress `json:"emailAddress"`
	Type         AttendeeType       `json:"type,omitempty"`
}

// MeetingTimesRequest asks for meeting-time suggestions (findMeetingTimes). Duration
// becomes meetingDuration; zero means Graph's default (30 minutes).
type MeetingTimesRequest struct {
	Attendees                 []AttendeeBase      `json:"attendees,omitempty"`
	LocationConstraint        *LocationConstraint `json:"locationConstraint,omitempty"`
	TimeConstraint            *TimeConstraint     `json:"timeConstraint,omitempty"`
	Duration                  time.Duration       `json:"-"`
	MaxCandidates             int                 `json:"maxCandidates,omitempty"`
	IsOrganizerOptional       bool                `json:"isOrganizerOptional,omitempty"`
	ReturnSuggestionReasons   bool                `json:"returnSuggestionReasons,omitempty"`
	MinimumAttendeePercentage float64             `json:"minimumAttendeePercentage,omitempty"`
}

// LocationConstraint limits the suggested locations.
type LocationConstraint struct {
	IsRequired      bool                     `json:"isRequired"`
	SuggestLocation bool                     `json:"suggestLocation"`
	Locations       []LocationConstraintItem `json:"locations,omitempty"`
}

// LocationConstraintItem is one acceptable location.
type LocationConstraintItem struct {
	Location
	ResolveAvailability bool `json:"resolveAvailability"`
}

// TimeConstraint limits the suggested times.
type TimeConstraint struct {
	ActivityDomain string     `json:"activityDomain,omitempty"` // work, personal, unrestricted, unknown
	TimeSlots      []TimeSlot `json:"timeSlots,omitempty"`
}

// MeetingTimeSuggestionsResult is findMeetingTimes' answer.
type MeetingTimeSuggestionsResult struct {
	MeetingTimeSuggestions []MeetingTimeSuggestion `json:"meetingTimeSuggestions"`
	EmptySuggestionsReason string                  `json:"emptySuggestionsReason,omitempty"`
}

// MeetingTimeSuggestion is one suggested time.
type MeetingTimeSuggestion struct {
	MeetingTimeSlot       TimeSlot               `json:"meetingTimeSlot"`
	Confidence            float64                `json:"confidence"`
	Order                 int                    `json:"order,omitempty"`
	OrganizerAvailability FreeBusyStatus         `json:"organizerAvailability,omitempty"`
	AttendeeAvailability  []AttendeeAvailability `json:"attendeeAvailability,omitempty"`
	Locations             []Location             `json:"locations,omitempty"`
	SuggestionReason      string                 `json:"suggestionReason,omitempty"`
}

// AttendeeAvailability is one attendee's availability in a suggestion.
type AttendeeAvailability struct {
	Attendee     AttendeeBase   `json:"attendee"`
	Availability FreeBusyStatus `json:"availability"`
}

// FindMeetingTimes suggests meeting times for the attendees (POST
// /{res}/findMeetingTimes).
func (s *Schedule) FindMeetingTimes(ctx context.Context, req MeetingTimesRequest) (*MeetingTimeSuggestionsResult, error) {
	type wire MeetingTimesRequest
	body := struct {
		wire
		MeetingDuration string `json:"meetingDuration,omitempty"`
	}{wire: wire(req)}
	if req.Duration > 0 {
		body.MeetingDuration = isoDuration(req.Duration)
	}
	var out MeetingTimeSuggestionsResult
	if err := s.c.Post(ctx, s.path("findMeetingTimes"), body, &out, s.readOpts()...); err != nil {
		return nil, err
	}
	return &out, nil
}

// isoDuration writes d as an ISO 8601 duration (PT1H30M).
func isoDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, sec := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	out := "PT"
	if h > 0 {
		out += fmt.Sprintf("%dH", h)
	}
	if m > 0 {
		out += fmt.Sprintf("%dM", m)
	}
	if sec > 0 || out == "PT" {
		out += fmt.Sprintf("%dS", sec)
	}
	return out
}
