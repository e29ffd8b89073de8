package mail

import (
	"context"
	"net/url"

	"github.com/o365go/o365/graph"
)

// Option adjusts Save and Send.
type Option func(*options)

type options struct {
	saveToSent *bool
	progress   func(name string, sent, total int64)
	upload     []graph.UploadOption
	call       []graph.CallOption
}

func (o *options) report(name string, sent, total int64) {
	if o.progress != nil {
		o.progress(name, sent, total)
	}
}

func collectOptions(opts []Option) *options {
	o := &options{}
	for _, f := range opts {
		if f != nil {
			f(o)
		}
	}
	return o
}

// SaveToSentItems says whether Send keeps a copy in Sent Items (default true). It
// applies to a new message sent in one call (POST /sendMail); a saved draft, and a new
// message with an attachment of 3 MB or more (sent as a draft), always keep their copy,
// as Graph's send action does.
func SaveToSentItems(keep bool) Option { return func(o *options) { o.saveToSent = &keep } }

// Progress reports the upload of each attachment: its name, the bytes the service has and
// its size. Large attachments report after each chunk; small ones once, when sent.
func Progress(fn func(name string, sent, total int64)) Option {
	return func(o *options) { o.progress = fn }
}

// UploadOptions passes options to the upload sessions of large attachments
// (graph.ChunkSize, graph.UploadRetries, ...).
func UploadOptions(opts ...graph.UploadOption) Option {
	return func(o *options) { o.upload = append(o.upload, opts...) }
}

// CallOptions passes options to the calls Save and Send make (graph.ImmutableIDs, ...).
func CallOptions(opts ...graph.CallOption) Option {
	return func(o *options) { o.call = append(o.call, opts...) }
}

// NewMessage returns a new message bound to the mailbox and not yet saved: set its
// fields, then Save it as a draft (in Drafts) or Send it. It does no I/O.
//
// From a shared mailbox (acct.Mailbox(graph.User("shared@contoso.com"))) the message is
// sent as that mailbox (with Send As permission), or on its behalf when you set Sender
// to yourself and From to the shared mailbox (Send on Behalf permission).
func (mb *Mailbox) NewMessage() *Message {
	return &Message{mb: mb, Body: graph.ItemBody{ContentType: graph.BodyHTML}, IsDraft: true}
}

func pathEscape(s string) string { return url.PathEscape(s) }

// createBody is the JSON of a new message: its non-empty writable properties, its
// headers and, when withAttachments, its small pending attachments.
func (m *Message) createBody(withAttachments bool) (map[string]any, error) {
	saved := m.snap
	m.snap = nil
	ch, err := m.changes()
	m.snap = saved
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(ch)+2)
	for k, v := range ch {
		out[k] = v
	}
	if b, ok := ch["body"]; ok {
		out["body"] = b
	} else if m.Body.ContentType != "" || m.Body.Content != "" {
		out["body"] = m.Body
	}
	if len(m.InternetMessageHeaders) > 0 {
		out["internetMessageHeaders"] = m.InternetMessageHeaders
	}
	if withAttachments {
		var atts []any
		for _, a := range m.Attachments {
			if !a.Pending() || !a.small() {
				continue
			}
			b, err := a.requestBody()
			if err != nil {
				return nil, err
			}
			atts = append(atts, b)
		}
		if len(atts) > 0 {
			out["attachments"] = atts
		}
	}
	return out, nil
}

// smallTotal is the size of the small pending attachments.
func (m *Message) smallTotal() int64 {
	var total int64
	for _, a := range m.Attachments {
		if a.Pending() && a.small() {
			total += a.Size
		}
	}
	return total
}

// needsDraft reports whether the pending attachments cannot travel in one request: one
// of 3 MB or more, or small ones adding up to that.
func (m *Message) needsDraft() bool {
	var total int64
	for _, a := range m.Attachments {
		if !a.Pending() {
			continue
		}
		if !a.small() {
			return true
		}
		total += a.Size
	}
	return total >= SmallAttachmentLimit
}

// Save writes the message to the service. A new message becomes a draft (POST
// /{res}/messages, or the folder's messages when made by Folder.NewMessage), with its
// small attachments in the same request and larger ones uploaded after; a saved one
// is updated with a PATCH of only the properties that changed since it was read or last
// saved (nothing is sent when nothing changed), then its new attachments are uploaded.
// The message is updated from the service's answer.
func (m *Message) Save(ctx context.Context, opts ...Option) error {
	return m.save(ctx, collectOptions(opts))
}

func (m *Message) save(ctx context.Context, o *options) error {
	if m.mb == nil || m.mb.c == nil {
		return ErrUnbound
	}
	if m.ID == "" {
		// Small attachments go in the create request when they fit in it.
		inline := m.smallTotal() < SmallAttachmentLimit
		body, err := m.createBody(inline)
		if err != nil {
			return err
		}
		p := m.mb.path("/messages")
		if m.folderID != "" {
			p = m.mb.res.Path("mailFolders", m.folderID, "messages")
		}
		var fresh Message
		if err := m.mb.c.Post(ctx, p, body, &fresh, o.call...); err != nil {
			return m.mb.wrap(err)
		}
		sent := false
		if inline {
			for _, a := range m.Attachments {
				if a.Pending() && a.small() {
					a.src, sent = nil, true
					o.report(a.Name, a.Size, a.Size)
				}
			}
		}
		m.replace(&fresh)
		if sent {
			// The attachments went with the message: read their ids.
			if err := m.LoadAttachments(ctx); err != nil {
				return err
			}
		}
	} else {
		ch, err := m.changes()
		if err != nil {
			return err
		}
		if len(ch) > 0 {
			p, err := m.path("")
			if err != nil {
				return err
			}
			var fresh Message
			if err := m.mb.c.Patch(ctx, p, ch, &fresh, o.call...); err != nil {
				return m.mb.wrap(err)
			}
			m.replace(&fresh)
		}
	}
	for _, a := range m.Attachments {
		if a.Pending() {
			if err := m.upload(ctx, a, o); err != nil {
				return err
			}
			m.HasAttachments = true
		}
	}
	return nil
}

// replace takes fresh as the message's new state (from a create, update, move or get),
// keeping the binding and the attachments not yet uploaded.
func (m *Message) replace(fresh *Message) {
	mb, folder, atts := m.mb, m.folderID, m.Attachments
	*m = *fresh
	m.mb, m.folderID = mb, folder
	if m.Attachments == nil {
		m.Attachments = atts
	} else {
		for _, a := range atts {
			if a.Pending() {
				m.Attachments = append(m.Attachments, a)
			}
		}
	}
	m.bind(mb)
}

// Send sends the message. A new message with attachments that fit in one request goes
// through POST /{res}/sendMail (see SaveToSentItems); one with larger attachments is
// first saved as a draft, its attachments uploaded through upload sessions, and the draft
// sent. A saved draft is saved (only what changed) and sent with POST .../send. Sending
// a message that is not a draft fails with ErrNotDraft.
func (m *Message) Send(ctx context.Context, opts ...Option) error {
	o := collectOptions(opts)
	if m.mb == nil || m.mb.c == nil {
		return ErrUnbound
	}
	if m.sent {
		return ErrNotDraft
	}
	if m.ID == "" && !m.needsDraft() {
		body, err := m.createBody(true)
		if err != nil {
			return err
		}
		req := map[string]any{"message": body}
		if o.saveToSent != nil {
			req["saveToSentItems"] = *o.saveToSent
		}
		if err := m.mb.c.Post(ctx, m.mb.path("/sendMail"), req, nil, o.call...); err != nil {
			return m.mb.wrap(err)
		}
		for _, a := range m.Attachments {
			if a.Pending() {
				a.src = nil
				o.report(a.Name, a.Size, a.Size)
			}
		}
		m.IsDraft, m.sent = false, true
		m.snapshot()
		return nil
	}
	if m.ID != "" && m.snap != nil && !m.IsDraft {
		return ErrNotDraft
	}
	if err := m.save(ctx, o); err != nil {
		return err
	}
	p, err := m.path("/send")
	if err != nil {
		return err
	}
	if err := m.mb.c.Post(ctx, p, nil, nil, o.call...); err != nil {
		return m.mb.wrap(err)
	}
	m.IsDraft, m.sent = false, true
	m.snapshot()
	return nil
}

// Reply creates a draft reply to the sender (POST .../createReply) for you to edit,
// Save and Send.
func (m *Message) Reply(ctx context.Context) (*Message, error) {
	return m.createDraft(ctx, "/createReply")
}

// ReplyAll creates a draft reply to the sender and every recipient (POST
// .../createReplyAll).
func (m *Message) ReplyAll(ctx context.Context) (*Message, error) {
	return m.createDraft(ctx, "/createReplyAll")
}

// Forward creates a draft forward of the message (POST .../createForward): add
// recipients, then Send.
func (m *Message) Forward(ctx context.Context) (*Message, error) {
	return m.createDraft(ctx, "/createForward")
}

func (m *Message) createDraft(ctx context.Context, action string) (*Message, error) {
	p, err := m.path(action)
	if err != nil {
		return nil, err
	}
	var d Message
	if err := m.mb.c.Post(ctx, p, map[string]any{}, &d); err != nil {
		return nil, m.mb.wrap(err)
	}
	return d.bind(m.mb), nil
}

// ReplyWith replies to the sender in one call (POST .../reply): comment is put above the
// quoted message.
func (m *Message) ReplyWith(ctx context.Context, comment string) error {
	return m.action(ctx, "/reply", map[string]any{"comment": comment})
}

// ReplyAllWith replies to the sender and every recipient in one call (POST
// .../replyAll).
func (m *Message) ReplyAllWith(ctx context.Context, comment string) error {
	return m.action(ctx, "/replyAll", map[string]any{"comment": comment})
}

// ForwardTo forwards the message in one call (POST .../forward) to the given addresses
// ("ada@example.com", "Ada Lovelace <ada@example.com>", or comma-separated lists).
func (m *Message) ForwardTo(ctx context.Context, comment string, to ...string) error {
	var rs graph.Recipients
	if err := rs.Add(to...); err != nil {
		return err
	}
	if len(rs) == 0 {
		return errNoRecipients
	}
	return m.action(ctx, "/forward", map[string]any{"comment": comment, "toRecipients": rs})
}

var errNoRecipients = jsonError("mail: forward needs at least one recipient")

type jsonError string

func (e jsonError) Error() string { return string(e) }

func (m *Message) action(ctx context.Context, action string, body any) error {
	p, err := m.path(action)
	if err != nil {
		return err
	}
	return m.mb.wrap(m.mb.c.Post(ctx, p, body, nil))
}
