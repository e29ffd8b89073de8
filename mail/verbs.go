package mail

import (
	"context"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// Mailbox returns the mailbox the message is bound to (nil for a message decoded by the
// caller).
func (m *Message) Mailbox() *Mailbox { return m.mb }

func (m *Message) path(rest string) (string, error) {
	if m.mb == nil || m.mb.c == nil {
		return "", ErrUnbound
	}
	if m.ID == "" {
		return "", ErrNotSaved
	}
	return m.mb.res.Path("messages", m.ID) + rest, nil
}

// Changed reports whether Save would send anything: a property changed since the message
// was read or saved, or an attachment waits to be uploaded.
func (m *Message) Changed() bool {
	for _, a := range m.Attachments {
		if a.Pending() {
			return true
		}
	}
	if m.snap == nil {
		return true
	}
	ch, err := m.changes()
	return err != nil || len(ch) > 0
}

// MarkRead marks the message read (PATCH isRead).
func (m *Message) MarkRead(ctx context.Context) error { return m.setRead(ctx, true) }

// MarkUnread marks the message unread.
func (m *Message) MarkUnread(ctx context.Context) error { return m.setRead(ctx, false) }

func (m *Message) setRead(ctx context.Context, read bool) error {
	p, err := m.path("")
	if err != nil {
		return err
	}
	var got struct {
		ETag                 string    `json:"@odata.etag"`
		ChangeKey            string    `json:"changeKey"`
		LastModifiedDateTime time.Time `json:"lastModifiedDateTime"`
	}
	if err := m.mb.c.Patch(ctx, p, map[string]any{"isRead": read}, &got); err != nil {
		return m.mb.wrap(err)
	}
	// Keep the caller's other edits; take the new version stamps for later If-Match.
	m.IsRead = read
	if got.ETag != "" {
		m.ETag, m.ChangeKey, m.LastModifiedDateTime = got.ETag, got.ChangeKey, got.LastModifiedDateTime
	}
	if m.snap != nil {
		s := *m.snap // snapshots are shared by copies of the message: never edit one
		s.IsRead = read
		m.snap = &s
	}
	return nil
}

// Move moves the message to dest (POST .../move). Outlook gives a moved message a new id,
// which m takes from the answer; with graph.ImmutableIDs() (on this call and the ones
// that read the message) the id stays the same.
func (m *Message) Move(ctx context.Context, dest *Folder, opts ...graph.CallOption) error {
	moved, err := m.moveOrCopy(ctx, "/move", dest, opts)
	if err != nil {
		return err
	}
	m.replace(moved)
	return nil
}

// Copy copies the message to dest (POST .../copy) and returns the copy.
func (m *Message) Copy(ctx context.Context, dest *Folder, opts ...graph.CallOption) (*Message, error) {
	return m.moveOrCopy(ctx, "/copy", dest, opts)
}

func (m *Message) moveOrCopy(ctx context.Context, verb string, dest *Folder, opts []graph.CallOption) (*Message, error) {
	p, err := m.path(verb)
	if err != nil {
		return nil, err
	}
	if dest == nil || dest.id == "" {
		return nil, ErrEmptyID
	}
	var out Message
	if err := m.mb.c.Post(ctx, p, map[string]any{"destinationId": dest.id}, &out, opts...); err != nil {
		return nil, m.mb.wrap(err)
	}
	return out.bind(m.mb), nil
}

// Delete deletes the message (it goes to Deleted Items; from there it is removed).
func (m *Message) Delete(ctx context.Context) error {
	p, err := m.path("")
	if err != nil {
		return err
	}
	return m.mb.wrap(m.mb.c.Delete(ctx, p))
}

// Refresh reads the message again, replacing every field (and the change-tracking state)
// with the service's. Attachments added and not yet uploaded are kept.
func (m *Message) Refresh(ctx context.Context, opts ...graph.CallOption) error {
	p, err := m.path("")
	if err != nil {
		return err
	}
	var fresh Message
	if err := m.mb.c.Get(ctx, p, &fresh, opts...); err != nil {
		return m.mb.wrap(err)
	}
	m.replace(&fresh)
	return nil
}

// MIME returns the message in MIME form (GET .../$value), for saving as .eml. The
// caller closes it.
func (m *Message) MIME(ctx context.Context) (io.ReadCloser, error) {
	p, err := m.path("/$value")
	if err != nil {
		return nil, err
	}
	resp, err := m.mb.c.Send(ctx, &graph.Request{Method: "GET", Path: p})
	if err != nil {
		return nil, m.mb.wrap(err)
	}
	return resp.Body, nil
}

// SaveEML writes the message in MIME form (an .eml file) to w.
func (m *Message) SaveEML(ctx context.Context, w io.Writer) (int64, error) {
	rc, err := m.MIME(ctx)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(w, rc)
}

// Headers reads the message's internet headers (GET with
// $select=internetMessageHeaders; Graph returns them only when selected), stores them in
// m.InternetMessageHeaders and returns them.
func (m *Message) Headers(ctx context.Context) ([]InternetMessageHeader, error) {
	p, err := m.path("")
	if err != nil {
		return nil, err
	}
	var got struct {
		InternetMessageHeaders []InternetMessageHeader `json:"internetMessageHeaders"`
	}
	if err := m.mb.c.Get(ctx, p, &got, graph.Query(odata.New().Select("internetMessageHeaders"))); err != nil {
		return nil, m.mb.wrap(err)
	}
	m.InternetMessageHeaders = got.InternetMessageHeaders
	return got.InternetMessageHeaders, nil
}

// Header returns the first value of the named header among m.InternetMessageHeaders
// (ignoring case), or "".
func (m *Message) Header(name string) string {
	for _, h := range m.InternetMessageHeaders {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// SetHeader sets a custom header on a new message (Graph takes headers only when the
// message is created; their names must start with "x-"). An existing header of that name
// is replaced.
func (m *Message) SetHeader(name, value string) {
	for i, h := range m.InternetMessageHeaders {
		if strings.EqualFold(h.Name, name) {
			m.InternetMessageHeaders[i].Value = value
			return
		}
	}
	m.InternetMessageHeaders = append(m.InternetMessageHeaders, InternetMessageHeader{Name: name, Value: value})
}

// AddCategory adds categories the message does not have yet.
func (m *Message) AddCategory(names ...string) {
	for _, n := range names {
		found := false
		for _, c := range m.Categories {
			if strings.EqualFold(c, n) {
				found = true
				break
			}
		}
		if !found {
			m.Categories = append(m.Categories, n)
		}
	}
}

// HasInlineImages reports whether the HTML body references inline attachments
// (<img src="cid:...">). Graph's HasAttachments is false for a message whose only
// attachments are inline, so check both to know whether there is anything to download.
func (m *Message) HasInlineImages() bool {
	return strings.EqualFold(string(m.Body.ContentType), string(graph.BodyHTML)) &&
		strings.Contains(strings.ToLower(m.Body.Content), "cid:")
}

// IsEventMessage reports whether the message is a meeting request, response or
// cancellation (#microsoft.graph.eventMessage and its subtypes).
func (m *Message) IsEventMessage() bool {
	return strings.Contains(strings.ToLower(m.ODataType), "eventmessage")
}

// DeferredSendTimeID is the MAPI property PidTagDeferredSendTime, which holds the time a
// message is to be sent (delayed delivery).
const DeferredSendTimeID = "SystemTime 0x3FEF"

// DelayDelivery makes Send hand the message over at t instead of at once (the
// PidTagDeferredSendTime extended property; the message waits in the Outbox).
func (m *Message) DelayDelivery(t time.Time) {
	v := t.UTC().Format(time.RFC3339)
	for i, p := range m.SingleValueExtendedProperties {
		if strings.EqualFold(p.ID, DeferredSendTimeID) {
			m.SingleValueExtendedProperties[i].Value = v
			return
		}
	}
	m.SingleValueExtendedProperties = append(m.SingleValueExtendedProperties, SingleValueExtendedProperty{ID: DeferredSendTimeID, Value: v})
}

// DeferredSendTime returns the delayed-delivery time, if the message has one (it is
// returned only with $expand=singleValueExtendedProperties($filter=id eq 'SystemTime
// 0x3FEF')).
func (m *Message) DeferredSendTime() (time.Time, bool) {
	for _, p := range m.SingleValueExtendedProperties {
		if strings.EqualFold(p.ID, DeferredSendTimeID) {
			t, err := time.Parse(time.RFC3339, p.Value)
			return t, err == nil
		}
	}
	return time.Time{}, false
}

// IsFlagged reports whether the flag is set and not completed.
func (f *FollowupFlag) IsFlagged() bool { return f.FlagStatus == FlagFlagged }

// IsCompleted reports whether the flag was marked complete.
func (f *FollowupFlag) IsCompleted() bool { return f.FlagStatus == FlagComplete }

// SetFlagged flags the message for follow-up, with an optional start and due date (zero
// times are left out). Save sends it.
func (f *FollowupFlag) SetFlagged(start, due time.Time) {
	*f = FollowupFlag{FlagStatus: FlagFlagged, StartDateTime: dtz(start), DueDateTime: dtz(due)}
	if f.StartDateTime == nil && f.DueDateTime != nil {
		// Outlook needs a start when a due date is set.
		f.StartDateTime = dtz(time.Now().In(due.Location()))
	}
}

// Complete marks the flag completed at the given time (time.Now() if zero).
func (f *FollowupFlag) Complete(at time.Time) {
	if at.IsZero() {
		at = time.Now()
	}
	f.FlagStatus = FlagComplete
	f.CompletedDateTime = dtz(at)
}

// Clear removes the flag.
func (f *FollowupFlag) Clear() { *f = FollowupFlag{FlagStatus: FlagNotFlagged} }

func dtz(t time.Time) *graph.DateTimeTimeZone {
	if t.IsZero() {
		return nil
	}
	d := graph.NewDateTimeTimeZone(t)
	return &d
}

// ExpandExtendedProperties asks Graph to return the named single-value extended
// properties with the message ($expand=singleValueExtendedProperties($filter=id eq
// '...')), e.g. mb.Message(ctx, id, mail.ExpandExtendedProperties(mail.DeferredSendTimeID)).
func ExpandExtendedProperties(ids ...string) graph.CallOption {
	var conds []string
	for _, id := range ids {
		conds = append(conds, "id eq '"+strings.ReplaceAll(id, "'", "''")+"'")
	}
	return graph.Params(url.Values{"$expand": {"singleValueExtendedProperties($filter=" + strings.Join(conds, " or ") + ")"}})
}
