package teams

import (
	"encoding/json"
	"time"

	"github.com/o365go/o365/graph"
)

// Importance is a message's importance.
type Importance string

// Importance values. Urgent is for chat messages only.
const (
	Normal Importance = "normal"
	High   Importance = "high"
	Urgent Importance = "urgent"
)

// MessageType is the kind of a chatMessage.
type MessageType string

// MessageType values.
const (
	MessageTypeMessage              MessageType = "message"
	MessageTypeSystemEvent          MessageType = "systemEventMessage"
	MessageTypeChatEvent            MessageType = "chatEvent"
	MessageTypeTyping               MessageType = "typing"
	MessageTypeUnknownFutureValue   MessageType = "unknownFutureValue"
	MessageTypeUnknownFutureMessage MessageType = "unknownFutureMessageType"
)

// ChatType is the kind of a chat.
type ChatType string

// ChatType values.
const (
	OneOnOne ChatType = "oneOnOne"
	Group    ChatType = "group"
	Meeting  ChatType = "meeting"
)

// MembershipType is who may see a channel.
type MembershipType string

// MembershipType values.
const (
	Standard MembershipType = "standard"
	Private  MembershipType = "private"
	Shared   MembershipType = "shared"
)

// Identity is a Teams identity (teamworkUserIdentity, teamworkApplicationIdentity,
// teamworkConversationIdentity, teamworkTagIdentity): who sent or is mentioned.
type Identity struct {
	ODataType                   string `json:"@odata.type,omitempty"`
	ID                          string `json:"id,omitempty"`
	DisplayName                 string `json:"displayName,omitempty"`
	UserIdentityType            string `json:"userIdentityType,omitempty"`
	ApplicationIdentityType     string `json:"applicationIdentityType,omitempty"`
	ConversationIdentityType    string `json:"conversationIdentityType,omitempty"`
	TenantID                    string `json:"tenantId,omitempty"`
	UserPrincipalName           string `json:"userPrincipalName,omitempty"`
	TeamworkTagIdentityTypeName string `json:"tagIdentityType,omitempty"`
}

// IdentitySet is who did something: a user, an application, a device, a conversation
// (chatMessageFromIdentitySet and chatMessageMentionedIdentitySet); absent members are nil.
type IdentitySet struct {
	Application  *Identity `json:"application,omitempty"`
	Device       *Identity `json:"device,omitempty"`
	User         *Identity `json:"user,omitempty"`
	Conversation *Identity `json:"conversation,omitempty"`
	Tag          *Identity `json:"tag,omitempty"`
}

// ChannelIdentity names the team and channel of a channel message.
type ChannelIdentity struct {
	TeamID    string `json:"teamId,omitempty"`
	ChannelID string `json:"channelId,omitempty"`
}

// Mention is one @mention of a message: its id matches an <at id="n"> tag of the HTML
// body. Build both with Compose.
type Mention struct {
	ID          int         `json:"id"`
	MentionText string      `json:"mentionText,omitempty"`
	Mentioned   IdentitySet `json:"mentioned"`
}

// Attachment is a chatMessageAttachment (a file, a card, a quoted reply).
type Attachment struct {
	ID           string `json:"id,omitempty"`
	ContentType  string `json:"contentType,omitempty"`
	ContentURL   string `json:"contentUrl,omitempty"`
	Content      string `json:"content,omitempty"`
	Name         string `json:"name,omitempty"`
	ThumbnailURL string `json:"thumbnailUrl,omitempty"`
	TeamsAppID   string `json:"teamsAppId,omitempty"`
}

// Reaction is a chatMessageReaction.
type Reaction struct {
	ReactionType    string       `json:"reactionType,omitempty"`
	DisplayName     string       `json:"displayName,omitempty"`
	ReactionContent string       `json:"reactionContentUrl,omitempty"`
	CreatedDateTime time.Time    `json:"createdDateTime,omitzero"`
	User            *IdentitySet `json:"user,omitempty"`
}

// Message is a chatMessage: a channel message, a reply, or a chat message. Messages read
// through a handle are bound to it, so Reply, Replies and Refresh work on them.
type Message struct {
	ID                   string           `json:"id,omitempty"`
	ReplyToID            string           `json:"replyToId,omitempty"`
	ETag                 string           `json:"etag,omitempty"`
	MessageType          MessageType      `json:"messageType,omitempty"`
	CreatedDateTime      time.Time        `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time        `json:"lastModifiedDateTime,omitzero"`
	LastEditedDateTime   time.Time        `json:"lastEditedDateTime,omitzero"`
	DeletedDateTime      time.Time        `json:"deletedDateTime,omitzero"`
	Subject              string           `json:"subject,omitempty"`
	Summary              string           `json:"summary,omitempty"`
	ChatID               string           `json:"chatId,omitempty"`
	Importance           Importance       `json:"importance,omitempty"`
	Locale               string           `json:"locale,omitempty"`
	WebURL               string           `json:"webUrl,omitempty"`
	From                 *IdentitySet     `json:"from,omitempty"`
	Body                 graph.ItemBody   `json:"body"`
	ChannelIdentity      *ChannelIdentity `json:"channelIdentity,omitempty"`
	Attachments          []Attachment     `json:"attachments,omitempty"`
	Mentions             []Mention        `json:"mentions,omitempty"`
	Reactions            []Reaction       `json:"reactions,omitempty"`
	// HostedContents are inline images and other content the body refers to.
	HostedContents []HostedContent `json:"hostedContents,omitempty"`
	// Replies is set when listed with $expand=replies.
	Replies []*Message `json:"replies,omitempty"`
	// PolicyViolation, EventDetail and MessageHistory are kept as sent.
	PolicyViolation json.RawMessage `json:"policyViolation,omitempty"`
	EventDetail     json.RawMessage `json:"eventDetail,omitempty"`
	MessageHistory  json.RawMessage `json:"messageHistory,omitempty"`

	t    *Teams
	path string // the message's own path, e.g. /teams/{t}/channels/{c}/messages/{id}
}

// HostedContent is a chatMessageHostedContent: content (an inline image) hosted with a
// message. When sending, the body refers to it by its temporary id.
type HostedContent struct {
	TemporaryID  string `json:"@microsoft.graph.temporaryId,omitempty"`
	ID           string `json:"id,omitempty"`
	ContentBytes string `json:"contentBytes,omitempty"` // base64, as sent
	ContentType  string `json:"contentType,omitempty"`
}

// Team is a team. Teams read through a handle (or made by Teams.Team) are bound to it.
type Team struct {
	ID                          string             `json:"id,omitempty"`
	CreatedDateTime             time.Time          `json:"createdDateTime,omitzero"`
	DisplayName                 string             `json:"displayName,omitempty"`
	Description                 string             `json:"description,omitempty"`
	InternalID                  string             `json:"internalId,omitempty"`
	Classification              string             `json:"classification,omitempty"`
	Specialization              string             `json:"specialization,omitempty"`
	Visibility                  string             `json:"visibility,omitempty"`
	WebURL                      string             `json:"webUrl,omitempty"`
	IsArchived                  bool               `json:"isArchived"`
	TenantID                    string             `json:"tenantId,omitempty"`
	IsMembershipLimitedToOwners bool               `json:"isMembershipLimitedToOwners,omitempty"`
	MemberSettings              *MemberSettings    `json:"memberSettings,omitempty"`
	GuestSettings               *GuestSettings     `json:"guestSettings,omitempty"`
	MessagingSettings           *MessagingSettings `json:"messagingSettings,omitempty"`
	FunSettings                 *FunSettings       `json:"funSettings,omitempty"`
	DiscoverySettings           *DiscoverySettings `json:"discoverySettings,omitempty"`
	Summary                     *TeamSummary       `json:"summary,omitempty"`

	t *Teams
}

// MemberSettings are teamMemberSettings.
type MemberSettings struct {
	AllowCreateUpdateChannels         bool `json:"allowCreateUpdateChannels"`
	AllowCreatePrivateChannels        bool `json:"allowCreatePrivateChannels"`
	AllowDeleteChannels               bool `json:"allowDeleteChannels"`
	AllowAddRemoveApps                bool `json:"allowAddRemoveApps"`
	AllowCreateUpdateRemoveTabs       bool `json:"allowCreateUpdateRemoveTabs"`
	AllowCreateUpdateRemoveConnectors bool `json:"allowCreateUpdateRemoveConnectors"`
}

// GuestSettings are teamGuestSettings.
type GuestSettings struct {
	AllowCreateUpdateChannels bool `json:"allowCreateUpdateChannels"`
	AllowDeleteChannels       bool `json:"allowDeleteChannels"`
}

// MessagingSettings are teamMessagingSettings.
type MessagingSettings struct {
	AllowUserEditMessages    bool `json:"allowUserEditMessages"`
	AllowUserDeleteMessages  bool `json:"allowUserDeleteMessages"`
	AllowOwnerDeleteMessages bool `json:"allowOwnerDeleteMessages"`
	AllowTeamMentions        bool `json:"allowTeamMentions"`
	AllowChannelMentions     bool `json:"allowChannelMentions"`
}

// FunSettings are teamFunSettings.
type FunSettings struct {
	AllowGiphy            bool   `json:"allowGiphy"`
	GiphyContentRating    string `json:"giphyContentRating,omitempty"`
	AllowStickersAndMemes bool   `json:"allowStickersAndMemes"`
	AllowCustomMemes      bool   `json:"allowCustomMemes"`
}

// DiscoverySettings are teamDiscoverySettings.
type DiscoverySettings struct {
	ShowInTeamsSearchAndSuggestions bool `json:"showInTeamsSearchAndSuggestions"`
}

// TeamSummary counts a team's members.
type TeamSummary struct {
	OwnersCount  int `json:"ownersCount"`
	MembersCount int `json:"membersCount"`
	GuestsCount  int `json:"guestsCount"`
}

// Channel is a channel of a team, bound to its team when read through a handle.
type Channel struct {
	ID                  string         `json:"id,omitempty"`
	CreatedDateTime     time.Time      `json:"createdDateTime,omitzero"`
	DisplayName         string         `json:"displayName,omitempty"`
	Description         string         `json:"description,omitempty"`
	IsFavoriteByDefault *bool          `json:"isFavoriteByDefault,omitempty"`
	Email               string         `json:"email,omitempty"`
	TenantID            string         `json:"tenantId,omitempty"`
	WebURL              string         `json:"webUrl,omitempty"`
	MembershipType      MembershipType `json:"membershipType,omitempty"`
	IsArchived          bool           `json:"isArchived,omitempty"`
	// Members are the first members of a private or shared channel being created.
	Members []*Member `json:"members,omitempty"`

	t      *Teams
	teamID string
}

// Chat is a one-on-one, group or meeting chat, bound when read through a handle.
type Chat struct {
	ID                  string    `json:"id,omitempty"`
	Topic               string    `json:"topic,omitempty"`
	CreatedDateTime     time.Time `json:"createdDateTime,omitzero"`
	LastUpdatedDateTime time.Time `json:"lastUpdatedDateTime,omitzero"`
	ChatType            ChatType  `json:"chatType,omitempty"`
	WebURL              string    `json:"webUrl,omitempty"`
	TenantID            string    `json:"tenantId,omitempty"`
	// Members is set when listed or read with members expanded.
	Members []*Member `json:"members,omitempty"`
	// OnlineMeetingInfo and Viewpoint are kept as sent.
	OnlineMeetingInfo     json.RawMessage `json:"onlineMeetingInfo,omitempty"`
	Viewpoint             json.RawMessage `json:"viewpoint,omitempty"`
	IsHiddenForAllMembers bool            `json:"isHiddenForAllMembers,omitempty"`

	t *Teams
}

// Member is a conversationMember of a team, channel or chat (aadUserConversationMember).
type Member struct {
	ODataType   string   `json:"@odata.type,omitempty"`
	ID          string   `json:"id,omitempty"`
	Roles       []string `json:"roles,omitempty"`
	DisplayName string   `json:"displayName,omitempty"`
	// VisibleHistoryStartDateTime is from when the member sees the chat's history;
	// 0001-01-01 means all of it, so it is a pointer.
	VisibleHistoryStartDateTime *time.Time `json:"visibleHistoryStartDateTime,omitempty"`
	UserID                      string     `json:"userId,omitempty"`
	Email                       string     `json:"email,omitempty"`
	TenantID                    string     `json:"tenantId,omitempty"`
}

// AppInstallation is an app installed in a team or for a user (teamsAppInstallation).
type AppInstallation struct {
	ID string `json:"id,omitempty"`
	// TeamsAppDefinition is the installed version (always expanded by this package).
	TeamsAppDefinition *AppDefinition `json:"teamsAppDefinition,omitempty"`
	// TeamsApp is the app, when expanded.
	TeamsApp               *App            `json:"teamsApp,omitempty"`
	ConsentedPermissionSet json.RawMessage `json:"consentedPermissionSet,omitempty"`
}

// AppDefinition is a teamsAppDefinition: one version of an app.
type AppDefinition struct {
	ID                   string          `json:"id,omitempty"`
	TeamsAppID           string          `json:"teamsAppId,omitempty"`
	AzureADAppID         string          `json:"azureADAppId,omitempty"`
	DisplayName          string          `json:"displayName,omitempty"`
	Version              string          `json:"version,omitempty"`
	PublishingState      string          `json:"publishingState,omitempty"`
	ShortDescription     string          `json:"shortDescription,omitempty"`
	Description          string          `json:"description,omitempty"`
	LastModifiedDateTime time.Time       `json:"lastModifiedDateTime,omitzero"`
	CreatedBy            *IdentitySet    `json:"createdBy,omitempty"`
	Authorization        json.RawMessage `json:"authorization,omitempty"`
	// RequiredResourceSpecificApplicationPermissions is kept as sent.
	RequiredResourceSpecificApplicationPermissions json.RawMessage `json:"requiredResourceSpecificApplicationPermissions,omitempty"`
}

// App is a teamsApp of the catalog.
type App struct {
	ID                 string `json:"id,omitempty"`
	ExternalID         string `json:"externalId,omitempty"`
	DisplayName        string `json:"displayName,omitempty"`
	DistributionMethod string `json:"distributionMethod,omitempty"`
}
