package teams

import (
	"context"
	"errors"
	"fmt"
	"html"
	"iter"
	"regexp"
	"strconv"
	"strings"

	"github.com/o365go/o365/graph"
)

// ErrEmptyMessage is returned when sending a message without content.
var ErrEmptyMessage = errors.New("teams: the message has no content")

// ErrNotChannelMessage is returned by the reply calls on a chat message or a reply: only
// channel root messages have replies.
var ErrNotChannelMessage = errors.New("teams: only channel messages have replies")

// ErrMentions is returned when a message's mentions do not match the <at id="n"> tags of
// its HTML body one to one (Graph answers 400 for such a message).
var ErrMentions = errors.New("teams: mentions do not match the <at> tags of the body")

// NewMessage is a message to send to a channel or a chat, or as a reply.
type NewMessage struct {
	Subject    string         `json:"subject,omitempty"`
	Body       graph.ItemBody `json:"body"`
	Importance Importance     `json:"importance,omitempty"`
	Mentions   []Mention      `json:"mentions,omitempty"`
}

// Text returns a plain-text message.
func Text(s string) *NewMessage { return &NewMessage{Body: graph.Text(s)} }

// HTML returns an HTML message. For mentions use Compose, which writes the <at> tags and
// the mentions together.
func HTML(s string) *NewMessage { return &NewMessage{Body: graph.HTML(s)} }

var atTag = regexp.MustCompile(`(?is)<at\s+id\s*=\s*["']?(\d+)["']?\s*>`)

// check validates the message before it is sent: content, and mentions that match the
// body's <at> tags.
func (nm *NewMessage) check() error {
	if strings.TrimSpace(nm.Body.Content) == "" {
		return ErrEmptyMessage
	}
	tags := map[int]bool{}
	if nm.Body.ContentType == graph.BodyHTML {
		for _, m := range atTag.FindAllStringSubmatch(nm.Body.Content, -1) {
			n, _ := strconv.Atoi(m[1])
			tags[n] = true
		}
	}
	seen := map[int]bool{}
	for _, m := range nm.Mentions {
		if !tags[m.ID] || seen[m.ID] {
			return fmt.Errorf("%w: mention %d", ErrMentions, m.ID)
		}
		seen[m.ID] = true
	}
	for id := range tags {
		if !seen[id] {
			return fmt.Errorf("%w: <at id=\"%d\"> has no mention", ErrMentions, id)
		}
	}
	return nil
}

// Composer builds an HTML message with mentions: each Mention writes an <at id="n"> tag
// in the body and the matching entry in the mentions array.
type Composer struct {
	b        strings.Builder
	mentions []Mention
	subject  string
	imp      Importance
}

// Compose starts a message.
func Compose() *Composer { return &Composer{} }

// Text appends text, HTML-escaped.
func (c *Composer) Text(s string) *Composer {
	c.b.WriteString(html.EscapeString(s))
	return c
}

// HTML appends markup as is.
func (c *Composer) HTML(s string) *Composer {
	c.b.WriteString(s)
	return c
}

// Mention mentions a user by id (the directory object id) with the text shown.
func (c *Composer) Mention(userID, displayName string) *Composer {
	return c.mention(displayName, IdentitySet{User: &Identity{ID: userID, DisplayName: displayName, UserIdentityType: "aadUser"}})
}

// MentionChannel mentions a channel (everyone who follows it).
func (c *Composer) MentionChannel(ch *Channel) *Composer {
	return c.mention(ch.DisplayName, IdentitySet{Conversation: &Identity{ID: ch.ID, DisplayName: ch.DisplayName, ConversationIdentityType: "channel"}})
}

// MentionTeam mentions a team (all its members).
func (c *Composer) MentionTeam(tm *Team) *Composer {
	return c.mention(tm.DisplayName, IdentitySet{Conversation: &Identity{ID: tm.ID, DisplayName: tm.DisplayName, ConversationIdentityType: "team"}})
}

func (c *Composer) mention(text string, who IdentitySet) *Composer {
	id := len(c.mentions)
	fmt.Fprintf(&c.b, `<at id="%d">%s</at>`, id, html.EscapeString(text))
	c.mentions = append(c.mentions, Mention{ID: id, MentionText: text, Mentioned: who})
	return c
}

// Subject sets the message's subject (channel messages show it as a title).
func (c *Composer) Subject(s string) *Composer {
	c.subject = s
	return c
}

// Importance sets the message's importance.
func (c *Composer) Importance(i Importance) *Composer {
	c.imp = i
	return c
}

// Message returns the message built so far.
func (c *Composer) Message() *NewMessage {
	return &NewMessage{Subject: c.subject, Importance: c.imp, Body: graph.HTML(c.b.String()), Mentions: append([]Mention(nil), c.mentions...)}
}

func (m *Message) bound() error {
	switch {
	case m == nil || !m.t.ok() || m.path == "":
		return ErrUnbound
	case m.ID == "":
		return ErrEmptyID
	}
	return nil
}

// Refresh reads the message again into m.
func (m *Message) Refresh(ctx context.Context, opts ...graph.CallOption) error {
	if err := m.bound(); err != nil {
		return err
	}
	var got Message
	if err := m.t.c.Get(ctx, m.path, &got, opts...); err != nil {
		return err
	}
	got.t, got.path = m.t, m.path
	*m = got
	return nil
}

// channelRoot returns the path of a channel root message and whether m is one.
func (m *Message) channelRoot() (string, bool) {
	return m.path, m.ChannelIdentity != nil && m.ReplyToID == "" && strings.HasPrefix(m.path, "/teams/")
}

// ListReplies lists the replies of a channel message, newest first (GET
// .../messages/{id}/replies), every page.
func (m *Message) ListReplies(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Message, error] {
	if err := m.bound(); err != nil {
		return errSeq[Message](err)
	}
	root, ok := m.channelRoot()
	if !ok {
		return errSeq[Message](ErrNotChannelMessage)
	}
	return list(ctx, m.t, root+"/replies", lo, func(r *Message) { r.t, r.path = m.t, root+"/replies/"+escape(r.ID) }, opts...)
}

// GetReply reads one reply of a channel message.
func (m *Message) GetReply(ctx context.Context, id string, opts ...graph.CallOption) (*Message, error) {
	if err := m.bound(); err != nil {
		return nil, err
	}
	root, ok := m.channelRoot()
	if !ok {
		return nil, ErrNotChannelMessage
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var r Message
	p := root + "/replies/" + escape(id)
	if err := m.t.c.Get(ctx, p, &r, opts...); err != nil {
		return nil, err
	}
	r.t, r.path = m.t, p
	return &r, nil
}

// Reply posts a reply to a channel message (POST .../messages/{id}/replies).
func (m *Message) Reply(ctx context.Context, nm *NewMessage, opts ...graph.CallOption) (*Message, error) {
	if err := m.bound(); err != nil {
		return nil, err
	}
	root, ok := m.channelRoot()
	if !ok {
		return nil, ErrNotChannelMessage
	}
	r, err := send(ctx, m.t, root+"/replies", nm, opts...)
	if err != nil {
		return nil, err
	}
	r.t, r.path = m.t, root+"/replies/"+escape(r.ID)
	return r, nil
}

// escape path-escapes one segment.
func escape(s string) string { return strings.TrimPrefix(graph.Resource("").Path(s), "/") }

// PlainText returns the message body as text: the content itself for text bodies, the
// markup with tags removed and entities decoded for HTML ones.
func (m *Message) PlainText() string {
	if m.Body.ContentType != graph.BodyHTML {
		return m.Body.Content
	}
	return strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(m.Body.Content, "")))
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// Sender returns the display name of the message's author ("" when unknown).
func (m *Message) Sender() string {
	if m.From == nil {
		return ""
	}
	for _, id := range []*Identity{m.From.User, m.From.Application, m.From.Device} {
		if id != nil && id.DisplayName != "" {
			return id.DisplayName
		}
	}
	return ""
}
