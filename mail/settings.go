package mail

import (
	"context"
	"encoding/json"
	"time"

	"github.com/o365go/o365/graph"
)

// AutoReplyStatus is the state of automatic replies.
type AutoReplyStatus string

// AutoReplyStatus values.
const (
	AutoReplyDisabled      AutoReplyStatus = "disabled"
	AutoReplyAlwaysEnabled AutoReplyStatus = "alwaysEnabled"
	AutoReplyScheduled     AutoReplyStatus = "scheduled"
)

// ExternalAudience says which senders outside the organisation get the external reply.
type ExternalAudience string

// ExternalAudience values.
const (
	AudienceNone         ExternalAudience = "none"
	AudienceContactsOnly ExternalAudience = "contactsOnly"
	AudienceAll          ExternalAudience = "all"
)

// AutomaticRepliesSetting is the mailbox's automatic-replies configuration.
type AutomaticRepliesSetting struct {
	Status                 AutoReplyStatus         `json:"status,omitempty"`
	ExternalAudience       ExternalAudience        `json:"externalAudience,omitempty"`
	ScheduledStartDateTime *graph.DateTimeTimeZone `json:"scheduledStartDateTime,omitempty"`
	ScheduledEndDateTime   *graph.DateTimeTimeZone `json:"scheduledEndDateTime,omitempty"`
	InternalReplyMessage   string                  `json:"internalReplyMessage,omitempty"`
	ExternalReplyMessage   string                  `json:"externalReplyMessage,omitempty"`
}

// LocaleInfo is a language and country (e.g. "en-US").
type LocaleInfo struct {
	Locale      string `json:"locale,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// TimeZoneBase names a time zone (of working hours).
type TimeZoneBase struct {
	ODataType string `json:"@odata.type,omitempty"`
	Name      string `json:"name,omitempty"`
	// Custom time zones (customTimeZone) carry their rules.
	Bias           *int           `json:"bias,omitempty"`
	StandardOffset map[string]any `json:"standardOffset,omitempty"`
	DaylightOffset map[string]any `json:"daylightOffset,omitempty"`
}

// WorkingHours are the days and hours the user works.
type WorkingHours struct {
	DaysOfWeek []string `json:"daysOfWeek,omitempty"`
	// StartTime and EndTime are wall times like "08:00:00.0000000".
	StartTime string        `json:"startTime,omitempty"`
	EndTime   string        `json:"endTime,omitempty"`
	TimeZone  *TimeZoneBase `json:"timeZone,omitempty"`
}

// UserPurpose says what kind of mailbox it is (user, linked, shared, room, equipment,
// others).
type UserPurpose string

// MailboxSettings are the mailbox's settings (microsoft.graph.mailboxSettings).
type MailboxSettings struct {
	ArchiveFolder           string                   `json:"archiveFolder,omitempty"`
	AutomaticRepliesSetting *AutomaticRepliesSetting `json:"automaticRepliesSetting,omitempty"`
	DateFormat              string                   `json:"dateFormat,omitempty"`
	// DelegateMeetingMessageDeliveryOptions: sendToDelegateAndInformationToPrincipal,
	// sendToDelegateAndPrincipal, sendToDelegateOnly.
	DelegateMeetingMessageDeliveryOptions string        `json:"delegateMeetingMessageDeliveryOptions,omitempty"`
	Language                              *LocaleInfo   `json:"language,omitempty"`
	TimeFormat                            string        `json:"timeFormat,omitempty"`
	TimeZone                              string        `json:"timeZone,omitempty"`
	WorkingHours                          *WorkingHours `json:"workingHours,omitempty"`
	UserPurpose                           UserPurpose   `json:"userPurpose,omitempty"`

	snap []byte
}

var settingsWritable = map[string]bool{"archiveFolder": true, "automaticRepliesSetting": true, "dateFormat": true,
	"delegateMeetingMessageDeliveryOptions": true, "language": true, "timeFormat": true, "timeZone": true, "workingHours": true}

// Settings reads the mailbox settings (GET /{res}/mailboxSettings).
func (mb *Mailbox) Settings(ctx context.Context) (*MailboxSettings, error) {
	var s MailboxSettings
	if err := mb.c.Get(ctx, mb.path("/mailboxSettings"), &s); err != nil {
		return nil, mb.wrap(err)
	}
	s.snap, _ = json.Marshal(&s)
	return &s, nil
}

// UpdateSettings sends the settings changed since s was read (PATCH /mailboxSettings
// with only those properties; settings never read are sent whole) and updates s from the
// answer.
func (mb *Mailbox) UpdateSettings(ctx context.Context, s *MailboxSettings) error {
	cur, err := json.Marshal(s)
	if err != nil {
		return err
	}
	ch, err := jsonChanges(cur, s.snap, settingsWritable)
	if err != nil {
		return err
	}
	if len(ch) == 0 {
		return nil
	}
	var out MailboxSettings
	if err := mb.c.Patch(ctx, mb.path("/mailboxSettings"), ch, &out); err != nil {
		return mb.wrap(err)
	}
	// The answer holds the properties sent; keep the others.
	merged, _ := json.Marshal(&out)
	if err := json.Unmarshal(merged, s); err != nil {
		return err
	}
	s.snap, _ = json.Marshal(s)
	return nil
}

// AutoReply is a friendlier form of AutomaticRepliesSetting for SetAutoReply.
type AutoReply struct {
	// Status: AutoReplyAlwaysEnabled, AutoReplyScheduled (between Start and End) or
	// AutoReplyDisabled. Zero means AlwaysEnabled, or Scheduled when Start is set.
	Status AutoReplyStatus
	// Start and End bound a scheduled reply; they are sent in their own location's zone.
	Start, End time.Time
	// Internal is the reply to senders of the organisation, External to the others
	// (HTML allowed). An empty External reuses Internal.
	Internal, External string
	// Audience says which outside senders get External (default AudienceAll).
	Audience ExternalAudience
}

// SetAutoReply switches automatic replies on as described by ar (PATCH
// mailboxSettings with automaticRepliesSetting).
func (mb *Mailbox) SetAutoReply(ctx context.Context, ar AutoReply) error {
	st := ar.Status
	if st == "" {
		st = AutoReplyAlwaysEnabled
		if !ar.Start.IsZero() {
			st = AutoReplyScheduled
		}
	}
	aud := ar.Audience
	if aud == "" {
		aud = AudienceAll
	}
	ext := ar.External
	if ext == "" {
		ext = ar.Internal
	}
	s := &AutomaticRepliesSetting{Status: st, ExternalAudience: aud, InternalReplyMessage: ar.Internal, ExternalReplyMessage: ext}
	if st == AutoReplyScheduled {
		if ar.Start.IsZero() || ar.End.IsZero() || !ar.End.After(ar.Start) {
			return errScheduleBounds
		}
		s.ScheduledStartDateTime, s.ScheduledEndDateTime = dtz(ar.Start), dtz(ar.End)
	}
	return mb.wrap(mb.c.Patch(ctx, mb.path("/mailboxSettings"), map[string]any{"automaticRepliesSetting": s}, nil))
}

var errScheduleBounds = jsonError("mail: a scheduled automatic reply needs a Start before its End")

// DisableAutoReply switches automatic replies off.
func (mb *Mailbox) DisableAutoReply(ctx context.Context) error {
	return mb.wrap(mb.c.Patch(ctx, mb.path("/mailboxSettings"),
		map[string]any{"automaticRepliesSetting": map[string]any{"status": AutoReplyDisabled}}, nil))
}

// AutoReply reads the automatic-replies setting in AutoReply form (times in their zone).
func (s *AutomaticRepliesSetting) AutoReply() (AutoReply, error) {
	ar := AutoReply{Status: s.Status, Internal: s.InternalReplyMessage, External: s.ExternalReplyMessage, Audience: s.ExternalAudience}
	var err error
	if s.ScheduledStartDateTime != nil && !s.ScheduledStartDateTime.IsZero() {
		if ar.Start, err = s.ScheduledStartDateTime.Time(); err != nil {
			return ar, err
		}
	}
	if s.ScheduledEndDateTime != nil && !s.ScheduledEndDateTime.IsZero() {
		if ar.End, err = s.ScheduledEndDateTime.Time(); err != nil {
			return ar, err
		}
	}
	return ar, nil
}
