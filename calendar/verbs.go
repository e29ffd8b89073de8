package calendar

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"iter"
	"time"

	"github.com/o365go/o365/graph"
)

// writable are the event properties Save may send (update event, Graph v1.0).
var writable = map[string]bool{
	"subject": true, "body": true, "start": true, "end": true, "isAllDay": true, "location": true,
	"locations": true, "isReminderOn": true, "reminderMinutesBeforeStart": true, "showAs": true,
	"sensitivity": true, "importance": true, "categories": true, "attendees": true,
	"responseRequested": true, "allowNewTimeProposals": true, "hideAttendees": true,
	"isOnlineMeeting": true, "onlineMeetingProvider": true, "recurrence": true,
	"singleValueExtendedProperties": true, "multiValueExtendedProperties": true,
}

// bind attaches e to s and records its current state as the service's.
func (e *Event) bind(s *Schedule, calPath string) *Event {
	if e == nil {
		return nil
	}
	e.sch = s
	if calPath != "" {
		e.calPath = calPath
	}
	e.snapshot()
	for _, a := range e.Attachments {
		if a != nil {
			a.ev = e
		}
	}
	return e
}

func (e *Event) snapshot() {
	b, err := json.Marshal(e)
	if err == nil {
		e.snap = b
	}
}

// Schedule returns the schedule the event belongs to.
func (e *Event) Schedule() *Schedule { return e.sch }

func (e *Event) path(segs ...string) (string, error) {
	if e == nil || e.sch == nil {
		return "", errUnbound
	}
	if e.ID == "" {
		return "", errors.New("calendar: the event is not saved yet")
	}
	return e.sch.path(append([]string{"events", e.ID}, segs...)...), nil
}

// Changed reports whether Save would send anything.
func (e *Event) Changed() bool {
	if e.ID == "" {
		return true
	}
	ch, err := e.changes()
	return err != nil || len(ch) > 0
}

func (e *Event) changes() (map[string]json.RawMessage, error) {
	cur, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	var c, s map[string]json.RawMessage
	if err := json.Unmarshal(cur, &c); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(e.snap, &s); err != nil && len(e.snap) > 0 {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	for k, v := range c {
		if writable[k] && !bytes.Equal(v, s[k]) {
			out[k] = v
		}
	}
	for k, v := range s { // cleared since read: omitted from cur
		if _, ok := c[k]; ok || !writable[k] {
			continue
		}
		switch {
		case len(v) > 0 && v[0] == '"':
			out[k] = json.RawMessage(`""`)
		case len(v) > 0 && v[0] == '[':
			out[k] = json.RawMessage(`[]`)
		default:
			out[k] = json.RawMessage(`null`)
		}
	}
	return out, nil
}

// prepare resolves naive times in the schedule's zone, snaps all-day events to
// midnights, fills in the recurrence's start date and checks what Graph would refuse.
func (e *Event) prepare(ctx context.Context) error {
	if e.ID == "" && e.Start.IsZero() {
		return errors.New("calendar: a new event needs a Start")
	}
	if e.ID == "" && e.End.IsZero() { // python-o365's default: half an hour, or a day
		e.End = e.Start.Add(30 * time.Minute)
		if e.IsAllDay {
			e.End = e.Start.AddDate(0, 0, 1)
		}
	}
	if e.Start.Location() == time.Local && !e.Start.IsZero() || e.End.Location() == time.Local && !e.End.IsZero() {
		loc, err := e.sch.TimeZone(ctx)
		if err != nil {
			return err
		}
		e.Start, e.End = naive(e.Start, loc), naive(e.End, loc)
	}
	if e.IsAllDay && !e.Start.IsZero() {
		y, m, d := e.Start.Date()
		e.Start = time.Date(y, m, d, 0, 0, 0, 0, e.Start.Location())
		ey, em, ed := e.End.In(e.Start.Location()).Date()
		end := time.Date(ey, em, ed, 0, 0, 0, 0, e.Start.Location())
		if !end.After(e.Start) {
			end = e.Start.AddDate(0, 0, 1)
		}
		if !end.Equal(e.End) {
			e.End = end
		}
	}
	if !e.Start.IsZero() && e.End.Before(e.Start) {
		return errors.New("calendar: the event ends before it starts")
	}
	if r := e.Recurrence; r != nil {
		if r.Range.StartDate == "" && !e.Start.IsZero() {
			r.Range.StartDate = e.Start.Format(DateLayout)
		}
		if r.Range.RecurrenceTimeZone == "" && !e.Start.IsZero() {
			r.Range.RecurrenceTimeZone = graph.NewDateTimeTimeZone(e.Start).TimeZone
		}
		if err := r.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func naive(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() || t.Location() != time.Local {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// Save creates the event (POST to its calendar's events, with a transactionId so that a
// retried create makes no duplicate) or sends the properties changed since it was read
// (PATCH /{res}/events/{id}); nothing is sent when nothing changed.
func (e *Event) Save(ctx context.Context) error {
	if e == nil || e.sch == nil {
		return errUnbound
	}
	if err := e.prepare(ctx); err != nil {
		return err
	}
	if e.ID == "" {
		if e.TransactionID == "" {
			var b [16]byte
			_, _ = rand.Read(b[:])
			e.TransactionID = hex.EncodeToString(b[:])
		}
		body, err := e.createBody()
		if err != nil {
			return err
		}
		var out Event
		if err := e.sch.c.Post(ctx, e.calPath, body, &out, e.sch.readOpts()...); err != nil {
			return err
		}
		e.replace(&out)
		return nil
	}
	ch, err := e.changes()
	if err != nil || len(ch) == 0 {
		return err
	}
	p, _ := e.path()
	var out Event
	if err := e.sch.c.Patch(ctx, p, ch, &out, e.sch.readOpts()...); err != nil {
		return err
	}
	e.replace(&out)
	return nil
}

func (e *Event) createBody() (map[string]json.RawMessage, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	for k, v := range all {
		if writable[k] || k == "transactionId" || k == "originalStartTimeZone" || k == "originalEndTimeZone" {
			out[k] = v
		}
	}
	return out, nil
}

// replace takes the service's answer as the event's state, keeping the binding.
func (e *Event) replace(out *Event) {
	sch, calPath := e.sch, e.calPath
	*e = *out
	e.bind(sch, calPath)
}

// Refresh reads the event again, dropping unsaved changes.
func (e *Event) Refresh(ctx context.Context, opts ...graph.CallOption) error {
	p, err := e.path()
	if err != nil {
		return err
	}
	var out Event
	if err := e.sch.c.Get(ctx, p, &out, append(e.sch.readOpts(), opts...)...); err != nil {
		return err
	}
	e.replace(&out)
	return nil
}

// Delete deletes the event (DELETE /{res}/events/{id}). Deleting a meeting you organize
// does not notify attendees; use Cancel for that.
func (e *Event) Delete(ctx context.Context) error {
	p, err := e.path()
	if err != nil {
		return err
	}
	return e.sch.c.Delete(ctx, p)
}

// Instances lists the occurrences of a recurring event between start and end (GET
// /{res}/events/{id}/instances).
func (e *Event) Instances(ctx context.Context, start, end time.Time, lo *graph.ListOptions) iter.Seq2[*Event, error] {
	p, err := e.path("instances")
	if err != nil {
		return errSeq[Event](err)
	}
	return e.sch.events(ctx, p, lo, viewParams(start, end))
}

// ResponseOption changes how a response to an invitation is sent.
type ResponseOption func(map[string]any)

// NoResponse answers without sending a response to the organizer (sendResponse false).
func NoResponse() ResponseOption { return func(m map[string]any) { m["sendResponse"] = false } }

func (e *Event) action(ctx context.Context, verb string, body map[string]any) error {
	p, err := e.path(verb)
	if err != nil {
		return err
	}
	return e.sch.c.Post(ctx, p, body, nil)
}

func respond(comment string, opts []ResponseOption) map[string]any {
	m := map[string]any{"sendResponse": true}
	if comment != "" {
		m["comment"] = comment
	}
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return m
}

// Accept accepts the invitation (POST .../accept).
func (e *Event) Accept(ctx context.Context, comment string, opts ...ResponseOption) error {
	return e.action(ctx, "accept", respond(comment, opts))
}

// TentativelyAccept accepts tentatively (POST .../tentativelyAccept), proposing another
// time when proposed is not nil (and the organizer allows new time proposals).
func (e *Event) TentativelyAccept(ctx context.Context, comment string, proposed *TimeSlot, opts ...ResponseOption) error {
	m := respond(comment, opts)
	if proposed != nil {
		m["proposedNewTime"] = proposed
	}
	return e.action(ctx, "tentativelyAccept", m)
}

// Decline declines the invitation (POST .../decline).
func (e *Event) Decline(ctx context.Context, comment string, opts ...ResponseOption) error {
	return e.action(ctx, "decline", respond(comment, opts))
}

// Cancel cancels a meeting the user organizes and tells the attendees (POST .../cancel).
func (e *Event) Cancel(ctx context.Context, comment string) error {
	m := map[string]any{}
	if comment != "" {
		m["comment"] = comment
	}
	return e.action(ctx, "cancel", m)
}

// Forward forwards the invitation to more people (POST .../forward); each of to is an
// address or "Name <address>".
func (e *Event) Forward(ctx context.Context, comment string, to ...string) error {
	rs, err := graph.ParseRecipients(joinAddrs(to))
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return errors.New("calendar: Forward needs at least one recipient")
	}
	m := map[string]any{"toRecipients": rs}
	if comment != "" {
		m["comment"] = comment
	}
	return e.action(ctx, "forward", m)
}

func joinAddrs(to []string) string {
	var b bytes.Buffer
	for i, s := range to {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	return b.String()
}

// SnoozeReminder postpones the event's reminder until a time (POST .../snoozeReminder).
func (e *Event) SnoozeReminder(ctx context.Context, until time.Time) error {
	return e.action(ctx, "snoozeReminder", map[string]any{"newReminderTime": graph.NewDateTimeTimeZone(until)})
}

// DismissReminder dismisses the event's reminder (POST .../dismissReminder).
func (e *Event) DismissReminder(ctx context.Context) error {
	return e.action(ctx, "dismissReminder", map[string]any{})
}
