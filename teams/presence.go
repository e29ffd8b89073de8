package teams

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/o365go/o365/graph"
)

// Availability is the base presence information.
type Availability string

// Availability values.
const (
	Available       Availability = "Available"
	AvailableIdle   Availability = "AvailableIdle"
	Away            Availability = "Away"
	BeRightBack     Availability = "BeRightBack"
	Busy            Availability = "Busy"
	BusyIdle        Availability = "BusyIdle"
	DoNotDisturb    Availability = "DoNotDisturb"
	Offline         Availability = "Offline"
	PresenceUnknown Availability = "PresenceUnknown"
)

// Activity is the supplemental presence information.
type Activity string

// Activity values. SetPresence takes Available, InACall, InAConferenceCall, Away and
// Presenting; SetPreferredPresence takes Available, Busy, DoNotDisturb, BeRightBack, Away
// and OffWork.
const (
	ActivityAvailable         Activity = "Available"
	ActivityAway              Activity = "Away"
	ActivityBeRightBack       Activity = "BeRightBack"
	ActivityBusy              Activity = "Busy"
	ActivityDoNotDisturb      Activity = "DoNotDisturb"
	ActivityInACall           Activity = "InACall"
	ActivityInAConferenceCall Activity = "InAConferenceCall"
	ActivityInactive          Activity = "Inactive"
	ActivityInAMeeting        Activity = "InAMeeting"
	ActivityOffline           Activity = "Offline"
	ActivityOffWork           Activity = "OffWork"
	ActivityOutOfOffice       Activity = "OutOfOffice"
	ActivityPresenting        Activity = "Presenting"
	ActivityUnknown           Activity = "PresenceUnknown"
	ActivityUrgentOnly        Activity = "UrgentInterruptionsOnly"
)

// Presence is a user's presence.
type Presence struct {
	ID                  string               `json:"id,omitempty"`
	Availability        Availability         `json:"availability,omitempty"`
	Activity            Activity             `json:"activity,omitempty"`
	StatusMessage       *StatusMessage       `json:"statusMessage,omitempty"`
	OutOfOfficeSettings *OutOfOfficeSettings `json:"outOfOfficeSettings,omitempty"`
	SequenceNumber      string               `json:"sequenceNumber,omitempty"`
}

// StatusMessage is a presenceStatusMessage.
type StatusMessage struct {
	Message           *graph.ItemBody         `json:"message,omitempty"`
	ExpiryDateTime    *graph.DateTimeTimeZone `json:"expiryDateTime,omitempty"`
	PublishedDateTime time.Time               `json:"publishedDateTime,omitzero"`
}

// OutOfOfficeSettings say whether the user is out of office.
type OutOfOfficeSettings struct {
	Message       string `json:"message,omitempty"`
	IsOutOfOffice bool   `json:"isOutOfOffice"`
}

// MaxPresenceIDs is the most user ids getPresencesByUserId takes in one request; Presences
// splits longer lists.
const MaxPresenceIDs = 650

// Presence reads the user's presence (GET /{res}/presence).
func (t *Teams) Presence(ctx context.Context, opts ...graph.CallOption) (*Presence, error) {
	if !t.ok() {
		return nil, ErrUnbound
	}
	var p Presence
	if err := t.c.Get(ctx, t.res.Path("presence"), &p, opts...); err != nil {
		return nil, err
	}
	return &p, nil
}

// UserPresence reads another user's presence by id or UPN (GET /users/{id}/presence);
// Graph needs Presence.Read.All. (python-o365 took an email here and ignored it.)
func (t *Teams) UserPresence(ctx context.Context, idOrUPN string, opts ...graph.CallOption) (*Presence, error) {
	if !t.ok() {
		return nil, ErrUnbound
	}
	if idOrUPN == "" {
		return nil, ErrEmptyID
	}
	var p Presence
	if err := t.c.Get(ctx, graph.User(idOrUPN).Path("presence"), &p, opts...); err != nil {
		return nil, err
	}
	return &p, nil
}

// Presences reads the presence of many users at once (POST
// /communications/getPresencesByUserId), in requests of at most MaxPresenceIDs ids, in the
// order asked.
func (t *Teams) Presences(ctx context.Context, userIDs []string, opts ...graph.CallOption) ([]*Presence, error) {
	if !t.ok() {
		return nil, ErrUnbound
	}
	out := make([]*Presence, 0, len(userIDs))
	for start := 0; start < len(userIDs); start += MaxPresenceIDs {
		chunk := userIDs[start:min(start+MaxPresenceIDs, len(userIDs))]
		for _, id := range chunk {
			if id == "" {
				return nil, ErrEmptyID
			}
		}
		var page struct {
			Value []*Presence `json:"value"`
		}
		if err := t.c.Post(ctx, "/communications/getPresencesByUserId", map[string]any{"ids": chunk}, &page, opts...); err != nil {
			return nil, err
		}
		out = append(out, page.Value...)
	}
	return out, nil
}

// SetPresence sets the state of the application's presence session for the user (POST
// /{res}/presence/setPresence). The session expires after expiration (Graph: 5 minutes
// to 4 hours; 0 leaves the service's default of 5 minutes); the user shows Offline once
// every session has expired. Keep it alive by calling again before it expires.
func (t *Teams) SetPresence(ctx context.Context, sessionID string, availability Availability, activity Activity, expiration time.Duration, opts ...graph.CallOption) error {
	if !t.ok() {
		return ErrUnbound
	}
	if sessionID == "" {
		return ErrEmptyID
	}
	in := map[string]any{"sessionId": sessionID, "availability": availability, "activity": activity}
	if err := putExpiration(in, expiration); err != nil {
		return err
	}
	return t.c.Post(ctx, t.res.Path("presence", "setPresence"), in, nil, opts...)
}

// ClearPresence ends the application's presence session for the user (POST
// /{res}/presence/clearPresence).
func (t *Teams) ClearPresence(ctx context.Context, sessionID string, opts ...graph.CallOption) error {
	if !t.ok() {
		return ErrUnbound
	}
	if sessionID == "" {
		return ErrEmptyID
	}
	return t.c.Post(ctx, t.res.Path("presence", "clearPresence"), map[string]any{"sessionId": sessionID}, nil, opts...)
}

// SetPreferredPresence sets the user's preferred presence (POST
// /{res}/presence/setUserPreferredPresence), which shows instead of the session states
// while the user has a session. expiration 0 leaves Graph's default (a day for Busy and
// DoNotDisturb, a week for the others).
func (t *Teams) SetPreferredPresence(ctx context.Context, availability Availability, activity Activity, expiration time.Duration, opts ...graph.CallOption) error {
	if !t.ok() {
		return ErrUnbound
	}
	in := map[string]any{"availability": availability, "activity": activity}
	if err := putExpiration(in, expiration); err != nil {
		return err
	}
	return t.c.Post(ctx, t.res.Path("presence", "setUserPreferredPresence"), in, nil, opts...)
}

// ClearPreferredPresence removes the user's preferred presence (POST
// /{res}/presence/clearUserPreferredPresence).
func (t *Teams) ClearPreferredPresence(ctx context.Context, opts ...graph.CallOption) error {
	if !t.ok() {
		return ErrUnbound
	}
	return t.c.Post(ctx, t.res.Path("presence", "clearUserPreferredPresence"), nil, nil, opts...)
}

// putExpiration sets expirationDuration (spelled right: python-o365 sent
// "expirationDutaion", which Graph ignored).
func putExpiration(in map[string]any, d time.Duration) error {
	switch {
	case d < 0:
		return ErrBadExpiration
	case d > 0:
		in["expirationDuration"] = ISODuration(d)
	}
	return nil
}

// ISODuration formats d as an ISO 8601 duration of hours, minutes and seconds, e.g.
// "PT1H30M"; fractions of a second are rounded up.
func ISODuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	secs := int64((d + time.Second - 1) / time.Second)
	var b strings.Builder
	b.WriteString("PT")
	if h := secs / 3600; h > 0 {
		fmt.Fprintf(&b, "%dH", h)
	}
	if m := secs % 3600 / 60; m > 0 {
		fmt.Fprintf(&b, "%dM", m)
	}
	if s := secs % 60; s > 0 || secs == 0 {
		fmt.Fprintf(&b, "%dS", s)
	}
	return b.String()
}

// PresenceResource is the Graph resource of a user's presence (by id), for a change
// notification subscription: "/communications/presences/{user-id}".
func PresenceResource(userID string) string {
	return graph.Resource("").Path("communications", "presences", userID)
}
