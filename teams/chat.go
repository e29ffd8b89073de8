package teams

import (
	"context"
	"iter"
	"net/url"
	"strings"

	"github.com/o365go/o365/graph"
)

// Chats lists the user's chats, most recently active first (GET /{res}/chats), every page,
// with their members expanded.
func (t *Teams) Chats(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Chat, error] {
	return list(ctx, t, t.res.Path("chats"), withExpand(lo, "members"), func(c *Chat) { c.t = t }, opts...)
}

// Chat returns a handle on the chat with the id (a Chat with only ID set). It does no I/O.
func (t *Teams) Chat(id string) *Chat { return &Chat{ID: id, t: t} }

// GetChat reads a chat with its members (GET /chats/{id}?$expand=members).
func (t *Teams) GetChat(ctx context.Context, id string, opts ...graph.CallOption) (*Chat, error) {
	c := t.Chat(id)
	if err := c.bound(); err != nil {
		return nil, err
	}
	var got Chat
	if err := t.c.Get(ctx, c.path()+"?$expand=members", &got, opts...); err != nil {
		return nil, err
	}
	got.t = t
	return &got, nil
}

// selfID returns the id (or UPN) of the handle's user: the signed-in user's id for Me
// (GET /me?$select=id), else the user of the resource.
func (t *Teams) selfID(ctx context.Context) (string, error) {
	if rest, ok := strings.CutPrefix(string(t.res), "users/"); ok {
		return url.PathUnescape(rest)
	}
	var me struct {
		ID string `json:"id"`
	}
	if err := t.c.Get(ctx, t.res.Path()+"?$select=id", &me); err != nil {
		return "", err
	}
	return me.ID, nil
}

func memberBind(t *Teams, user string) map[string]any {
	return map[string]any{
		"@odata.type":     "#microsoft.graph.aadUserConversationMember",
		"roles":           []string{"owner"},
		"user@odata.bind": t.c.Protocol().ServiceURL() + "/users('" + strings.ReplaceAll(user, "'", "''") + "')",
	}
}

// CreateOneOnOneChat opens the one-on-one chat between the user and another (id or UPN)
// (POST /chats). Graph returns the existing chat when there is one.
func (t *Teams) CreateOneOnOneChat(ctx context.Context, user string, opts ...graph.CallOption) (*Chat, error) {
	if !t.ok() {
		return nil, ErrUnbound
	}
	if user == "" {
		return nil, ErrEmptyID
	}
	self, err := t.selfID(ctx)
	if err != nil {
		return nil, err
	}
	return t.createChat(ctx, map[string]any{"chatType": OneOnOne, "members": []any{memberBind(t, self), memberBind(t, user)}}, opts...)
}

// CreateGroupChat creates a group chat of the user and the members (ids or UPNs) with a
// topic ("" for none) (POST /chats).
func (t *Teams) CreateGroupChat(ctx context.Context, topic string, members []string, opts ...graph.CallOption) (*Chat, error) {
	if !t.ok() {
		return nil, ErrUnbound
	}
	if len(members) == 0 {
		return nil, ErrNoMembers
	}
	self, err := t.selfID(ctx)
	if err != nil {
		return nil, err
	}
	ms := []any{memberBind(t, self)}
	for _, m := range members {
		if m == "" {
			return nil, ErrEmptyID
		}
		ms = append(ms, memberBind(t, m))
	}
	in := map[string]any{"chatType": Group, "members": ms}
	if topic != "" {
		in["topic"] = topic
	}
	return t.createChat(ctx, in, opts...)
}

func (t *Teams) createChat(ctx context.Context, in map[string]any, opts ...graph.CallOption) (*Chat, error) {
	var c Chat
	if err := t.c.Post(ctx, "/chats", in, &c, opts...); err != nil {
		return nil, err
	}
	c.t = t
	return &c, nil
}

func (c *Chat) bound() error {
	switch {
	case c == nil || !c.t.ok():
		return ErrUnbound
	case c.ID == "":
		return ErrEmptyID
	}
	return nil
}

func (c *Chat) path(segments ...string) string {
	return graph.Resource("").Path(append([]string{"chats", c.ID}, segments...)...)
}

// ListMembers lists the chat's members (GET /chats/{id}/members), every page.
func (c *Chat) ListMembers(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Member, error] {
	if err := c.bound(); err != nil {
		return errSeq[Member](err)
	}
	return list[Member](ctx, c.t, c.path("members"), lo, nil, opts...)
}

// Member reads one member of the chat by membership id (GET /chats/{id}/members/{id}).
func (c *Chat) Member(ctx context.Context, id string, opts ...graph.CallOption) (*Member, error) {
	if err := c.bound(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var m Member
	if err := c.t.c.Get(ctx, c.path("members", id), &m, opts...); err != nil {
		return nil, err
	}
	return &m, nil
}

// Messages lists the chat's messages, newest first (GET /chats/{id}/messages), every page;
// a PageSize is at most 50.
func (c *Chat) Messages(ctx context.Context, lo *graph.ListOptions, opts ...graph.CallOption) iter.Seq2[*Message, error] {
	if err := c.bound(); err != nil {
		return errSeq[Message](err)
	}
	return list(ctx, c.t, c.path("messages"), lo, func(m *Message) { m.t, m.path = c.t, c.path("messages", m.ID) }, opts...)
}

// Message reads one message of the chat.
func (c *Chat) Message(ctx context.Context, id string, opts ...graph.CallOption) (*Message, error) {
	if err := c.bound(); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, ErrEmptyID
	}
	var m Message
	if err := c.t.c.Get(ctx, c.path("messages", id), &m, opts...); err != nil {
		return nil, err
	}
	m.t, m.path = c.t, c.path("messages", m.ID)
	return &m, nil
}

// Send posts a message to the chat (POST /chats/{id}/messages).
func (c *Chat) Send(ctx context.Context, nm *NewMessage, opts ...graph.CallOption) (*Message, error) {
	if err := c.bound(); err != nil {
		return nil, err
	}
	m, err := send(ctx, c.t, c.path("messages"), nm, opts...)
	if err != nil {
		return nil, err
	}
	m.t, m.path = c.t, c.path("messages", m.ID)
	return m, nil
}

// SendText posts a plain-text message to the chat.
func (c *Chat) SendText(ctx context.Context, text string, opts ...graph.CallOption) (*Message, error) {
	return c.Send(ctx, Text(text), opts...)
}

// MessagesResource is the Graph resource of the chat's messages, for a change notification
// subscription: "/chats/{chat-id}/messages".
func (c *Chat) MessagesResource() string {
	if c == nil {
		return ""
	}
	return c.path("messages")
}
