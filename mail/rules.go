package mail

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/o365go/o365/graph"
)

// MessageRule is an inbox rule (microsoft.graph.messageRule): conditions, exceptions and
// the actions taken on matching incoming messages.
type MessageRule struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// Sequence orders the rules (lowest first).
	Sequence   int                    `json:"sequence,omitempty"`
	IsEnabled  bool                   `json:"isEnabled"`
	HasError   bool                   `json:"hasError,omitempty"`
	IsReadOnly bool                   `json:"isReadOnly,omitempty"`
	Conditions *MessageRulePredicates `json:"conditions,omitempty"`
	Exceptions *MessageRulePredicates `json:"exceptions,omitempty"`
	Actions    *MessageRuleActions    `json:"actions,omitempty"`

	mb   *Mailbox
	snap []byte
}

// MessageRulePredicates are a rule's conditions or exceptions: all that are set must hold.
type MessageRulePredicates struct {
	BodyContains           []string         `json:"bodyContains,omitempty"`
	BodyOrSubjectContains  []string         `json:"bodyOrSubjectContains,omitempty"`
	Categories             []string         `json:"categories,omitempty"`
	FromAddresses          graph.Recipients `json:"fromAddresses,omitempty"`
	HasAttachments         bool             `json:"hasAttachments,omitempty"`
	HeaderContains         []string         `json:"headerContains,omitempty"`
	Importance             Importance       `json:"importance,omitempty"`
	IsApprovalRequest      bool             `json:"isApprovalRequest,omitempty"`
	IsAutomaticForward     bool             `json:"isAutomaticForward,omitempty"`
	IsAutomaticReply       bool             `json:"isAutomaticReply,omitempty"`
	IsEncrypted            bool             `json:"isEncrypted,omitempty"`
	IsMeetingRequest       bool             `json:"isMeetingRequest,omitempty"`
	IsMeetingResponse      bool             `json:"isMeetingResponse,omitempty"`
	IsNonDeliveryReport    bool             `json:"isNonDeliveryReport,omitempty"`
	IsPermissionControlled bool             `json:"isPermissionControlled,omitempty"`
	IsReadReceipt          bool             `json:"isReadReceipt,omitempty"`
	IsSigned               bool             `json:"isSigned,omitempty"`
	IsVoicemail            bool             `json:"isVoicemail,omitempty"`
	// MessageActionFlag: any, call, doNotForward, followUp, fyi, forward, noResponseNecessary,
	// read, reply, replyToAll, review.
	MessageActionFlag string   `json:"messageActionFlag,omitempty"`
	NotSentToMe       bool     `json:"notSentToMe,omitempty"`
	RecipientContains []string `json:"recipientContains,omitempty"`
	SenderContains    []string `json:"senderContains,omitempty"`
	// Sensitivity: normal, personal, private, confidential.
	Sensitivity     string           `json:"sensitivity,omitempty"`
	SentCcMe        bool             `json:"sentCcMe,omitempty"`
	SentOnlyToMe    bool             `json:"sentOnlyToMe,omitempty"`
	SentToAddresses graph.Recipients `json:"sentToAddresses,omitempty"`
	SentToMe        bool             `json:"sentToMe,omitempty"`
	SentToOrCcMe    bool             `json:"sentToOrCcMe,omitempty"`
	SubjectContains []string         `json:"subjectContains,omitempty"`
	WithinSizeRange *SizeRange       `json:"withinSizeRange,omitempty"`
}

// SizeRange is a message size range in kilobytes, both ends included.
type SizeRange struct {
	MinimumSize int `json:"minimumSize"`
	MaximumSize int `json:"maximumSize"`
}

// MessageRuleActions are what a rule does to a matching message.
type MessageRuleActions struct {
	AssignCategories      []string         `json:"assignCategories,omitempty"`
	CopyToFolder          string           `json:"copyToFolder,omitempty"`
	Delete                bool             `json:"delete,omitempty"`
	ForwardAsAttachmentTo graph.Recipients `json:"forwardAsAttachmentTo,omitempty"`
	ForwardTo             graph.Recipients `json:"forwardTo,omitempty"`
	MarkAsRead            bool             `json:"markAsRead,omitempty"`
	MarkImportance        Importance       `json:"markImportance,omitempty"`
	MoveToFolder          string           `json:"moveToFolder,omitempty"`
	PermanentDelete       bool             `json:"permanentDelete,omitempty"`
	RedirectTo            graph.Recipients `json:"redirectTo,omitempty"`
	StopProcessingRules   bool             `json:"stopProcessingRules,omitempty"`
}

var ruleWritable = map[string]bool{"displayName": true, "sequence": true, "isEnabled": true,
	"conditions": true, "exceptions": true, "actions": true}

func (r *MessageRule) bind(mb *Mailbox) *MessageRule {
	if r != nil {
		r.mb = mb
		r.snap, _ = json.Marshal(r)
	}
	return r
}

func (mb *Mailbox) rulesPath(rest string) string {
	return mb.res.Path("mailFolders", "inbox", "messageRules") + rest
}

// Rules lists the inbox rules (GET /{res}/mailFolders/inbox/messageRules).
func (mb *Mailbox) Rules(ctx context.Context) iter.Seq2[*MessageRule, error] {
	return func(yield func(*MessageRule, error) bool) {
		for r, err := range graph.List[MessageRule](ctx, mb.c, mb.rulesPath(""), nil) {
			if !yield(r.bind(mb), mb.wrap(err)) {
				return
			}
		}
	}
}

// Rule gets one inbox rule.
func (mb *Mailbox) Rule(ctx context.Context, id string) (*MessageRule, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	var r MessageRule
	if err := mb.c.Get(ctx, mb.rulesPath("/"+pathEscape(id)), &r); err != nil {
		return nil, mb.wrap(err)
	}
	return r.bind(mb), nil
}

// CreateRule creates an inbox rule and fills r from the answer (its id, sequence...).
func (mb *Mailbox) CreateRule(ctx context.Context, r *MessageRule) error {
	var out MessageRule
	if err := mb.c.Post(ctx, mb.rulesPath(""), r, &out); err != nil {
		return mb.wrap(err)
	}
	*r = out
	r.bind(mb)
	return nil
}

// UpdateRule sends the properties of r changed since it was read or created (PATCH); a
// rule never read is sent whole. r is updated from the answer.
func (mb *Mailbox) UpdateRule(ctx context.Context, r *MessageRule) error {
	if r.ID == "" {
		return ErrEmptyID
	}
	cur, err := json.Marshal(r)
	if err != nil {
		return err
	}
	ch, err := jsonChanges(cur, r.snap, ruleWritable)
	if err != nil {
		return err
	}
	if len(ch) == 0 {
		return nil
	}
	var out MessageRule
	if err := mb.c.Patch(ctx, mb.rulesPath("/"+pathEscape(r.ID)), ch, &out); err != nil {
		return mb.wrap(err)
	}
	*r = out
	r.bind(mb)
	return nil
}

// DeleteRule deletes the inbox rule with this id.
func (mb *Mailbox) DeleteRule(ctx context.Context, id string) error {
	if id == "" {
		return ErrEmptyID
	}
	return mb.wrap(mb.c.Delete(ctx, mb.rulesPath("/"+pathEscape(id))))
}
