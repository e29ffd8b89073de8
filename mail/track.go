package mail

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/o365go/o365/graph"
)

// Change tracking. A message read from the service keeps, in an unexported field, a copy
// of its writable properties as they were; Save compares each writable property's JSON
// with that copy and PATCHes only those that differ. Setting a field to false, 0, "" or
// nil is a difference like any other and is sent (as false, 0, "", [] or null).

// bind attaches m to mb and records its current state as the service's.
func (m *Message) bind(mb *Mailbox) *Message {
	if m == nil {
		return nil
	}
	m.mb = mb
	m.snapshot()
	for _, a := range m.Attachments {
		if a != nil {
			a.mb, a.msgID = mb, m.ID
		}
	}
	return m
}

// writable holds a message's writable properties: the snapshot Save compares with.
type writable struct {
	Subject                    string
	Body                       graph.ItemBody
	Importance                 Importance
	InferenceClassification    InferenceClassification
	IsRead                     bool
	IsReadReceiptRequested     bool
	IsDeliveryReceiptRequested bool
	InternetMessageID          string
	Categories                 []string
	Flag                       FollowupFlag
	From, Sender               graph.Recipient
	To, Cc, Bcc, ReplyTo       graph.Recipients
	Single                     []SingleValueExtendedProperty
	Multi                      []MultiValueExtendedProperty
}

// writableOf returns m's writable properties, sharing m's slices.
func writableOf(m *Message) writable {
	return writable{
		Subject: m.Subject, Body: m.Body, Importance: m.Importance, InferenceClassification: m.InferenceClassification,
		IsRead: m.IsRead, IsReadReceiptRequested: m.IsReadReceiptRequested, IsDeliveryReceiptRequested: m.IsDeliveryReceiptRequested,
		InternetMessageID: m.InternetMessageID, Categories: m.Categories, Flag: m.Flag, From: m.From, Sender: m.Sender,
		To: m.ToRecipients, Cc: m.CcRecipients, Bcc: m.BccRecipients, ReplyTo: m.ReplyTo,
		Single: m.SingleValueExtendedProperties, Multi: m.MultiValueExtendedProperties,
	}
}

// snapshot records the writable properties as the service's state, copying slices and
// pointers deep enough that edits in place are seen as changes.
func (m *Message) snapshot() {
	w := writableOf(m)
	w.Categories = slices.Clone(w.Categories)
	w.Flag = w.Flag.clone()
	w.To, w.Cc, w.Bcc, w.ReplyTo = slices.Clone(w.To), slices.Clone(w.Cc), slices.Clone(w.Bcc), slices.Clone(w.ReplyTo)
	w.Single = slices.Clone(w.Single)
	if w.Multi != nil {
		w.Multi = make([]MultiValueExtendedProperty, len(m.MultiValueExtendedProperties))
		for i, p := range m.MultiValueExtendedProperties {
			w.Multi[i] = MultiValueExtendedProperty{ID: p.ID, Value: slices.Clone(p.Value)}
		}
	}
	m.snap = &w
}

func (f FollowupFlag) clone() FollowupFlag {
	cp := func(d *graph.DateTimeTimeZone) *graph.DateTimeTimeZone {
		if d == nil {
			return nil
		}
		v := *d
		return &v
	}
	f.StartDateTime, f.DueDateTime, f.CompletedDateTime = cp(f.StartDateTime), cp(f.DueDateTime), cp(f.CompletedDateTime)
	return f
}

// writableFields returns the message's updatable properties (update message: Graph v1.0)
// by JSON name, as values ready to be sent: an empty list is [], an absent sender null.
func writableFields(m *writable) []field {
	return []field{
		{"subject", m.Subject},
		{"body", m.Body},
		{"importance", nullIfEmpty(string(m.Importance))},
		{"inferenceClassification", nullIfEmpty(string(m.InferenceClassification))},
		{"isRead", m.IsRead},
		{"isReadReceiptRequested", m.IsReadReceiptRequested},
		{"isDeliveryReceiptRequested", m.IsDeliveryReceiptRequested},
		{"internetMessageId", nullIfEmpty(m.InternetMessageID)},
		{"categories", emptyIfNil(m.Categories)},
		{"flag", flagValue(m.Flag)},
		{"from", recipientOrNull(m.From)},
		{"sender", recipientOrNull(m.Sender)},
		{"toRecipients", emptyIfNil(m.To)},
		{"ccRecipients", emptyIfNil(m.Cc)},
		{"bccRecipients", emptyIfNil(m.Bcc)},
		{"replyTo", emptyIfNil(m.ReplyTo)},
		{"singleValueExtendedProperties", emptyIfNil(m.Single)},
		{"multiValueExtendedProperties", emptyIfNil(m.Multi)},
	}
}

type field struct {
	name  string
	value any
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func recipientOrNull(r graph.Recipient) any {
	if r == (graph.Recipient{}) {
		return nil
	}
	return r
}

func flagValue(f FollowupFlag) any {
	if f.FlagStatus == "" && f.StartDateTime == nil && f.DueDateTime == nil && f.CompletedDateTime == nil {
		return FollowupFlag{FlagStatus: FlagNotFlagged}
	}
	return f
}

// changes returns the writable properties of m that differ from its snapshot, as a
// PATCH body. A message without a snapshot (never saved) yields every non-empty one.
func (m *Message) changes() (map[string]json.RawMessage, error) {
	w := writableOf(m)
	cur := writableFields(&w)
	var old []field
	if m.snap != nil {
		old = writableFields(m.snap)
	}
	out := map[string]json.RawMessage{}
	for i, f := range cur {
		b, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		if old != nil {
			ob, err := json.Marshal(old[i].value)
			if err != nil {
				return nil, err
			}
			if bytes.Equal(b, ob) {
				continue
			}
		} else if isEmptyJSON(b) || f.name == "isRead" && !m.IsRead {
			continue
		}
		out[f.name] = b
	}
	return out, nil
}

func isEmptyJSON(b []byte) bool {
	switch string(b) {
	case "null", `""`, "[]", "false", "0", `{}`, `{"content":""}`, `{"flagStatus":"notFlagged"}`:
		return true
	}
	return false
}

// jsonChanges compares two JSON objects (the current model and the snapshot) key by key
// and returns the keys of writable whose values differ; a key that disappeared is sent as
// null (or "" / [] when the old value was a string / an array).
func jsonChanges(cur, snap []byte, writable map[string]bool) (map[string]json.RawMessage, error) {
	var c, s map[string]json.RawMessage
	if err := json.Unmarshal(cur, &c); err != nil {
		return nil, err
	}
	if len(snap) > 0 {
		if err := json.Unmarshal(snap, &s); err != nil {
			return nil, err
		}
	}
	out := map[string]json.RawMessage{}
	for k, v := range c {
		if writable[k] && !bytes.Equal(v, s[k]) {
			out[k] = v
		}
	}
	for k, v := range s {
		if _, ok := c[k]; ok || !writable[k] {
			continue
		}
		switch {
		case len(v) > 0 && v[0] == '"':
			out[k] = json.RawMessage(`""`)
		case len(v) > 0 && v[0] == '[':
			out[k] = json.RawMessage(`[]`)
		case len(v) > 0 && (v[0] == 't' || v[0] == 'f'):
			out[k] = json.RawMessage(`false`)
		default:
			out[k] = json.RawMessage(`null`)
		}
	}
	return out, nil
}
