package calendar

import (
	"encoding/json"
	"time"

	"github.com/o365go/o365/graph"
)

// ResponseType is an attendee's answer to an invitation (microsoft.graph.responseType).
type ResponseType string

// ResponseType values.
const (
	ResponseNone                ResponseType = "none"
	ResponseOrganizer           ResponseType = "organizer"
	ResponseTentativelyAccepted ResponseType = "tentativelyAccepted"
	ResponseAccepted            ResponseType = "accepted"
	ResponseDeclined            ResponseType = "declined"
	ResponseNotResponded        ResponseType = "notResponded"
)

// AttendeeType is how an attendee is invited.
type AttendeeType string

// AttendeeType values.
const (
	Required AttendeeType = "required"
	Optional AttendeeType = "optional"
	Resource AttendeeType = "resource"
)

// Sensitivity is how private an event is.
type Sensitivity string

// Sensitivity values.
const (
	SensitivityNormal       Sensitivity = "normal"
	SensitivityPersonal     Sensitivity = "personal"
	SensitivityPrivate      Sensitivity = "private"
	SensitivityConfidential Sensitivity = "confidential"
)

// FreeBusyStatus is how an event shows in free/busy look-ups (showAs), and a status in
// [ScheduleInformation].
type FreeBusyStatus string

// FreeBusyStatus values.
const (
	Free             FreeBusyStatus = "free"
	Tentative        FreeBusyStatus = "tentative"
	Busy             FreeBusyStatus = "busy"
	OutOfOffice      FreeBusyStatus = "oof"
	WorkingElsewhere FreeBusyStatus = "workingElsewhere"
	Unknown          FreeBusyStatus = "unknown"
)

// Importance is how important an event is.
type Importance string

// Importance values.
const (
	ImportanceLow    Importance = "low"
	ImportanceNormal Importance = "normal"
	ImportanceHigh   Importance = "high"
)

// EventType says whether an event is single, a series master, an occurrence or a changed
// occurrence (exception).
type EventType string

// EventType values.
const (
	SingleInstance EventType = "singleInstance"
	Occurrence     EventType = "occurrence"
	Exception      EventType = "exception"
	SeriesMaster   EventType = "seriesMaster"
)

// OnlineMeetingProvider is the service an online meeting is held on.
type OnlineMeetingProvider string

// OnlineMeetingProvider values.
const (
	ProviderUnknown          OnlineMeetingProvider = "unknown"
	ProviderTeamsForBusiness OnlineMeetingProvider = "teamsForBusiness"
	ProviderSkypeForBusiness OnlineMeetingProvider = "skypeForBusiness"
	ProviderSkypeForConsumer OnlineMeetingProvider = "skypeForConsumer"
)

// Color is a calendar's color (microsoft.graph.calendarColor).
type Color string

// Color values.
const (
	ColorAuto        Color = "auto"
	ColorLightBlue   Color = "lightBlue"
	ColorLightGreen  Color = "lightGreen"
	ColorLightOrange Color = "lightOrange"
	ColorLightGray   Color = "lightGray"
	ColorLightYellow Color = "lightYellow"
	ColorLightTeal   Color = "lightTeal"
	ColorLightPink   Color = "lightPink"
	ColorLightBrown  Color = "lightBrown"
	ColorLightRed    Color = "lightRed"
	ColorMaxColor    Color = "maxColor"
)

// UnmarshalJSON reads a color name; a value that is not a string (the reference docs
// show {} in one sample) decodes as "".
func (c *Color) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*c = Color(s)
	} else {
		*c = ""
	}
	return nil
}

// ResponseStatus is an attendee's (or the signed-in user's) answer and when it was given.
type ResponseStatus struct {
	Response ResponseType `json:"response,omitempty"`
	Time     time.Time    `json:"time,omitzero"`
}

// TimeSlot is a span of time (microsoft.graph.timeSlot), used for proposed new times and
// meeting-time suggestions.
type TimeSlot struct {
	Start graph.DateTimeTimeZone `json:"start"`
	End   graph.DateTimeTimeZone `json:"end"`
}

// NewTimeSlot returns the slot from start to end, each in its own location.
func NewTimeSlot(start, end time.Time) TimeSlot {
	return TimeSlot{Start: graph.NewDateTimeTimeZone(start), End: graph.NewDateTimeTimeZone(end)}
}

// Attendee is someone invited to an event (microsoft.graph.attendee).
type Attendee struct {
	EmailAddress    graph.EmailAddress `json:"emailAddress"`
	Type            AttendeeType       `json:"type,omitempty"`
	Status          *ResponseStatus    `json:"status,omitempty"`
	ProposedNewTime *TimeSlot          `json:"proposedNewTime,omitempty"`
}

// Address returns the attendee's e-mail address.
func (a Attendee) Address() string { return a.EmailAddress.Address }

// PhysicalAddress is a postal address.
type PhysicalAddress struct {
	Street          string `json:"street,omitempty"`
	City            string `json:"city,omitempty"`
	State           string `json:"state,omitempty"`
	CountryOrRegion string `json:"countryOrRegion,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
}

// GeoCoordinates are a location's coordinates (microsoft.graph.outlookGeoCoordinates).
type GeoCoordinates struct {
	Accuracy         *float64 `json:"accuracy,omitempty"`
	Altitude         *float64 `json:"altitude,omitempty"`
	AltitudeAccuracy *float64 `json:"altitudeAccuracy,omitempty"`
	Latitude         *float64 `json:"latitude,omitempty"`
	Longitude        *float64 `json:"longitude,omitempty"`
}

// Location is where an event takes place (microsoft.graph.location).
type Location struct {
	DisplayName          string           `json:"displayName,omitempty"`
	LocationEmailAddress string           `json:"locationEmailAddress,omitempty"`
	LocationURI          string           `json:"locationUri,omitempty"`
	LocationType         string           `json:"locationType,omitempty"`
	UniqueID             string           `json:"uniqueId,omitempty"`
	UniqueIDType         string           `json:"uniqueIdType,omitempty"`
	Address              *PhysicalAddress `json:"address,omitempty"`
	Coordinates          *GeoCoordinates  `json:"coordinates,omitempty"`
}

// Phone is a dial-in number of an online meeting.
type Phone struct {
	Number   string `json:"number,omitempty"`
	Type     string `json:"type,omitempty"`
	Region   string `json:"region,omitempty"`
	Language string `json:"language,omitempty"`
}

// OnlineMeetingInfo is how to join an online meeting (microsoft.graph.onlineMeetingInfo).
type OnlineMeetingInfo struct {
	JoinURL         string   `json:"joinUrl,omitempty"`
	ConferenceID    string   `json:"conferenceId,omitempty"`
	Phones          []Phone  `json:"phones,omitempty"`
	QuickDial       string   `json:"quickDial,omitempty"`
	TollFreeNumbers []string `json:"tollFreeNumbers,omitempty"`
	TollNumber      string   `json:"tollNumber,omitempty"`
}

// SingleValueExtendedProperty is a MAPI property with one value.
type SingleValueExtendedProperty struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// MultiValueExtendedProperty is a MAPI property with several values.
type MultiValueExtendedProperty struct {
	ID    string   `json:"id"`
	Value []string `json:"value"`
}
