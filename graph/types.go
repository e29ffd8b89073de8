package graph

import (
	"fmt"
	"net/mail"
	"strings"
)

// EmailAddress is Graph's emailAddress: a mailbox address and, optionally, a display name.
type EmailAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// String formats the address as in a mail header: `"Name" <address>`, or just the address
// when there is no name (in angle brackets if its local part needs quoting).
func (e EmailAddress) String() string {
	s := (&mail.Address{Name: e.Name, Address: e.Address}).String()
	if e.Name == "" && s == "<"+e.Address+">" {
		return e.Address // nothing to quote: the bare address reads best
	}
	return s
}

// Recipient is Graph's recipient, used for a message's from, sender, toRecipients,
// ccRecipients, bccRecipients and replyTo, and an event's organizer.
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"`
}

// NewRecipient returns the recipient with this address and optional display name.
func NewRecipient(address, name string) Recipient {
	return Recipient{EmailAddress: EmailAddress{Name: name, Address: address}}
}

// ParseRecipient reads one address as people write it: "ada@example.com",
// "Ada Lovelace <ada@example.com>" or `"Lovelace, Ada" <ada@example.com>` (RFC 5322).
func ParseRecipient(s string) (Recipient, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return Recipient{}, fmt.Errorf("graph: recipient %q: %w", s, err)
	}
	return NewRecipient(a.Address, a.Name), nil
}

// ParseRecipients reads a comma-separated address list, as ParseRecipient does for one.
// An empty or all-blank string gives no recipients and no error.
func ParseRecipients(list string) ([]Recipient, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	as, err := mail.ParseAddressList(list)
	if err != nil {
		return nil, fmt.Errorf("graph: recipient list %q: %w", list, err)
	}
	rs := make([]Recipient, len(as))
	for i, a := range as {
		rs[i] = NewRecipient(a.Address, a.Name)
	}
	return rs, nil
}

// Recipients turns plain addresses into recipients, e.g. for a message's ToRecipients.
func Recipients(addresses ...string) []Recipient {
	rs := make([]Recipient, len(addresses))
	for i, a := range addresses {
		rs[i] = NewRecipient(a, "")
	}
	return rs
}

// String formats the recipient as EmailAddress.String does.
func (r Recipient) String() string { return r.EmailAddress.String() }

// Address returns the recipient's address (a shortcut for r.EmailAddress.Address).
func (r Recipient) Address() string { return r.EmailAddress.Address }

// BodyType is the format of an ItemBody.
type BodyType string

// Body types.
const (
	BodyText BodyType = "text"
	BodyHTML BodyType = "html"
)

// ItemBody is Graph's itemBody: the body of a message, event or post.
type ItemBody struct {
	ContentType BodyType `json:"contentType,omitempty"`
	Content     string   `json:"content"`
}

// TextBody returns a plain-text body.
func TextBody(s string) ItemBody { return ItemBody{ContentType: BodyText, Content: s} }

// HTMLBody returns an HTML body.
func HTMLBody(s string) ItemBody { return ItemBody{ContentType: BodyHTML, Content: s} }

// IdentitySet is Graph's identitySet: who did something (created, modified, shared, sent),
// as the user, application and device involved; absent members are nil.
type IdentitySet struct {
	Application *Identity `json:"application,omitempty"`
	Device      *Identity `json:"device,omitempty"`
	User        *Identity `json:"user,omitempty"`
}

// Identity is Graph's identity: an actor's id and display name. Graph's derived identity
// types add a few properties; those that several areas meet are here too.
type Identity struct {
	ODataType   string `json:"@odata.type,omitempty"`
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// Email is sent for users in OneDrive and SharePoint identities.
	Email string `json:"email,omitempty"`
	// UserIdentityType is sent in Teams (teamworkUserIdentity), e.g. "aadUser".
	UserIdentityType string `json:"userIdentityType,omitempty"`
	// TenantID is sent in Teams identities.
	TenantID string `json:"tenantId,omitempty"`
}

// String returns the most readable name in the set: the user's, else the application's,
// else the device's display name (or id).
func (s IdentitySet) String() string {
	for _, id := range []*Identity{s.User, s.Application, s.Device} {
		if id == nil {
			continue
		}
		if id.DisplayName != "" {
			return id.DisplayName
		}
		if id.ID != "" {
			return id.ID
		}
	}
	return ""
}
