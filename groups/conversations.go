package groups

import (
	"context"
	"iter"
	"time"

	"github.com/o365go/o365/graph"
)

// Conversation is a conversation of a Microsoft 365 group: threads of posts.
type Conversation struct {
	ID                    string     `json:"id,omitzero"`
	Topic                 string     `json:"topic,omitzero"`
	HasAttachments        bool       `json:"hasAttachments,omitzero"`
	LastDeliveredDateTime *time.Time `json:"lastDeliveredDateTime,omitzero"`
	UniqueSenders         []string   `json:"uniqueSenders,omitzero"`
	Preview               string     `json:"preview,omitzero"`
	Threads               []Thread   `json:"threads,omitzero"`
}

// Thread is a conversation thread of a group.
type Thread struct {
	ID                    string           `json:"id,omitzero"`
	Topic                 string           `json:"topic,omitzero"`
	ToRecipients          graph.Recipients `json:"toRecipients,omitzero"`
	CcRecipients          graph.Recipients `json:"ccRecipients,omitzero"`
	HasAttachments        bool             `json:"hasAttachments,omitzero"`
	LastDeliveredDateTime *time.Time       `json:"lastDeliveredDateTime,omitzero"`
	UniqueSenders         []string         `json:"uniqueSenders,omitzero"`
	Preview               string           `json:"preview,omitzero"`
	IsLocked              bool             `json:"isLocked,omitzero"`
	Posts                 []Post           `json:"posts,omitzero"`
}

// Post is one post of a thread.
type Post struct {
	ID                   string           `json:"id,omitzero"`
	Body                 *graph.ItemBody  `json:"body,omitzero"`
	From                 *graph.Recipient `json:"from,omitzero"`
	Sender               *graph.Recipient `json:"sender,omitzero"`
	ReceivedDateTime     *time.Time       `json:"receivedDateTime,omitzero"`
	CreatedDateTime      *time.Time       `json:"createdDateTime,omitzero"`
	LastModifiedDateTime *time.Time       `json:"lastModifiedDateTime,omitzero"`
	ChangeKey            string           `json:"changeKey,omitzero"`
	Categories           []string         `json:"categories,omitzero"`
	HasAttachments       bool             `json:"hasAttachments,omitzero"`
	ConversationThreadID string           `json:"conversationThreadId,omitzero"`
	ConversationID       string           `json:"conversationId,omitzero"`
	NewParticipants      graph.Recipients `json:"newParticipants,omitzero"`
}

func fail[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// Conversations lists the group's conversations, newest first (Microsoft 365 groups
// only; delegated permissions only, Group.Read.All).
func (g *Group) Conversations(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Conversation, error] {
	if err := g.check(); err != nil {
		return fail[Conversation](err)
	}
	return graph.List[Conversation](ctx, g.gs.c, g.path("conversations"), lo)
}

// Threads lists the group's conversation threads.
func (g *Group) Threads(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Thread, error] {
	if err := g.check(); err != nil {
		return fail[Thread](err)
	}
	return graph.List[Thread](ctx, g.gs.c, g.path("threads"), lo)
}

// Posts lists the posts of a thread, oldest first.
func (g *Group) Posts(ctx context.Context, threadID string, lo *graph.ListOptions) iter.Seq2[*Post, error] {
	if err := g.check(); err != nil {
		return fail[Post](err)
	}
	if threadID == "" {
		return fail[Post](ErrNoID)
	}
	return graph.List[Post](ctx, g.gs.c, g.path("threads", threadID, "posts"), lo)
}

// StartConversation starts a conversation with one thread and its first post
// (Group.ReadWrite.All).
func (g *Group) StartConversation(ctx context.Context, topic string, body graph.ItemBody) (*Conversation, error) {
	if err := g.check(); err != nil {
		return nil, err
	}
	in := Conversation{Topic: topic, Threads: []Thread{{Posts: []Post{{Body: &body}}}}}
	var out Conversation
	if err := g.gs.c.Post(ctx, g.path("conversations"), in, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Reply posts to a thread (202 Accepted: the post appears shortly after).
func (g *Group) Reply(ctx context.Context, threadID string, body graph.ItemBody) error {
	if err := g.check(); err != nil {
		return err
	}
	if threadID == "" {
		return ErrNoID
	}
	return g.gs.c.Post(ctx, g.path("threads", threadID, "reply"), map[string]any{"post": Post{Body: &body}}, nil)
}

// DeleteConversation deletes a conversation with its threads.
func (g *Group) DeleteConversation(ctx context.Context, conversationID string) error {
	if err := g.check(); err != nil {
		return err
	}
	if conversationID == "" {
		return ErrNoID
	}
	return g.gs.c.Delete(ctx, g.path("conversations", conversationID))
}
