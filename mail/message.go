package mail

import (
	"time"

	"github.com/o365go/o365/graph"
)

// Importance is how important a message is. Unknown values decode unchanged.
type Importance string

// Importance values.
const (
	ImportanceLow    Importance = "low"
	ImportanceNormal Importance = "normal"
	ImportanceHigh   Importance = "high"
)

// InferenceClassification says whether Outlook files a message under the Focused or
// the Other tab.
type InferenceClassification string

// InferenceClassification values.
const (
	InferenceFocused InferenceClassification = "focused"
	InferenceOther   InferenceClassification = "other"
)

// FollowupFlagStatus is the state of a message's follow-up flag.
type FollowupFlagStatus string

// FollowupFlagStatus values.
const (
	FlagNotFlagged FollowupFlagStatus = "notFlagged"
	FlagComplete   FollowupFlagStatus = "complete"
	FlagFlagged    FollowupFlagStatus = "flagged"
)

// FollowupFlag is a message's follow-up flag (microsoft.graph.followupFlag).
type FollowupFlag struct {
	FlagStatus        FollowupFlagStatus      `json:"flagStatus,omitempty"`
	StartDateTime     *graph.DateTimeTimeZone `json:"startDateTime,omitempty"`
	DueDateTime       *graph.DateTimeTimeZone `json:"dueDateTime,omitempty"`
	CompletedDateTime *graph.DateTimeTimeZone `json:"completedDateTime,omitempty"`
}

// MeetingMessageType says what an event message is about.
type MeetingMessageType string

// MeetingMessageType values.
const (
	MeetingNone                MeetingMessageType = "none"
	MeetingRequest             MeetingMessageType = "meetingRequest"
	MeetingCancelled           MeetingMessageType = "meetingCancelled"
	MeetingAccepted            MeetingMessageType = "meetingAccepted"
	MeetingTentativelyAccepted MeetingMessageType = "meetingTentativelyAccepted"
	MeetingDeclined            MeetingMessageType = "meetingDeclined"
)

// InternetMessageHeader is one RFC 5322 header of a message
// (microsoft.graph.internetMessageHeader). Graph returns headers only when they are
// selected: $select=internetMessageHeaders.
type InternetMessageHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SingleValueExtendedProperty is a MAPI property with one value, returned when expanded
// with $expand=singleValueExtendedProperties($filter=id eq '...').
type SingleValueExtendedProperty struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// MultiValueExtendedProperty is a MAPI property with several values.
type MultiValueExtendedProperty struct {
	ID    string   `json:"id"`
	Value []string `json:"value"`
}

// Message is an Outlook message: every property of Graph v1.0's microsoft.graph.message
// and its outlookItem base, plus the navigation properties Graph can expand.
//
// Fields Graph did not return (because of $select, or because they are empty) keep their
// zero value and are left out when the message is encoded again, except the booleans
// (isRead, isDraft, hasAttachments, ...), which are always written: false is an answer
// that scripts reading the CLI's JSON need to see.
//
// A message read through a Mailbox (or made by NewMessage) is bound to it: its verbs
// work, and it remembers its writable properties as the service last had them, so that
// Save sends only what changed. A Message is not safe for concurrent use; compare
// messages with cmpopts.IgnoreUnexported(mail.Message{}) in tests.
type Message struct {
	// ETag is the @odata.etag annotation, for If-Match on updates.
	ETag string `json:"@odata.etag,omitempty"`
	// ODataType is set when the item is a subtype, e.g. "#microsoft.graph.eventMessage"
	// for a meeting request in a message list.
	ODataType string `json:"@odata.type,omitempty"`

	ID                   string    `json:"id,omitempty"`
	CreatedDateTime      time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	// ChangeKey identifies the version of the message; it changes on every update.
	ChangeKey  string   `json:"changeKey,omitempty"`
	Categories []string `json:"categories,omitempty"`

	ReceivedDateTime time.Time `json:"receivedDateTime,omitzero"`
	SentDateTime     time.Time `json:"sentDateTime,omitzero"`
	HasAttachments   bool      `json:"hasAttachments"`
	// InternetMessageID is the RFC 5322 Message-ID.
	InternetMessageID string     `json:"internetMessageId,omitempty"`
	Subject           string     `json:"subject,omitempty"`
	BodyPreview       string     `json:"bodyPreview,omitempty"`
	Importance        Importance `json:"importance,omitempty"`
	ParentFolderID    string     `json:"parentFolderId,omitempty"`
	ConversationID    string     `json:"conversationId,omitempty"`
	// ConversationIndex is the position in the conversation, base64 as Graph sends it
	// (Edm.Binary); kept as text so an odd value never fails a whole page.
	ConversationIndex          string                  `json:"conversationIndex,omitempty"`
	IsDeliveryReceiptRequested bool                    `json:"isDeliveryReceiptRequested"`
	IsReadReceiptRequested     bool                    `json:"isReadReceiptRequested"`
	IsRead                     bool                    `json:"isRead"`
	IsDraft                    bool                    `json:"isDraft"`
	WebLink                    string                  `json:"webLink,omitempty"`
	InferenceClassification    InferenceClassification `json:"inferenceClassification,omitempty"`

	Body graph.ItemBody `json:"body,omitzero"`
	// UniqueBody is the part of the body not quoted from earlier messages of the
	// conversation; Graph returns it only when selected.
	UniqueBody graph.ItemBody `json:"uniqueBody,omitzero"`

	// Sender is who actually sent the message; From is the mailbox it was sent for
	// (they differ when a delegate sends on behalf of another user).
	Sender        graph.Recipient  `json:"sender,omitzero"`
	From          graph.Recipient  `json:"from,omitzero"`
	ToRecipients  graph.Recipients `json:"toRecipients,omitempty"`
	CcRecipients  graph.Recipients `json:"ccRecipients,omitempty"`
	BccRecipients graph.Recipients `json:"bccRecipients,omitempty"`
	ReplyTo       graph.Recipients `json:"replyTo,omitempty"`

	Flag                   FollowupFlag            `json:"flag,omitzero"`
	InternetMessageHeaders []InternetMessageHeader `json:"internetMessageHeaders,omitempty"`

	// MeetingMessageType is set on meeting requests and responses
	// (#microsoft.graph.eventMessage): see [Message.IsEventMessage].
	MeetingMessageType MeetingMessageType `json:"meetingMessageType,omitempty"`

	// Navigation properties, present only with $expand. Attachments also holds the
	// attachments added with its Add methods and not yet uploaded.
	Attachments                   Attachments                   `json:"attachments,omitempty"`
	Extensions                    []map[string]any              `json:"extensions,omitempty"`
	SingleValueExtendedProperties []SingleValueExtendedProperty `json:"singleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueExtendedProperty  `json:"multiValueExtendedProperties,omitempty"`

	// Unexported state: the mailbox the message belongs to, the last state read from
	// or written to the service (for Save's change tracking; nil for a new message),
	// the folder a new draft is created in, and send options.
	mb       *Mailbox
	snap     *writable
	folderID string
	sent     bool
}
