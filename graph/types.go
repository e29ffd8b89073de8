package graph

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EmailAddress is Graph's emailAddress: a mailbox address and, optionally, a display name.
type EmailAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// String formats the address as people write it: "Ada Lovelace <ada@example.com>", a name
// quoted only when it must be (`"Lovelace, Ada" <ada@example.com>`), or just the address when
// there is no name. ParseRecipient reads every form back.
func (e EmailAddress) String() string {
	addr := (&mail.Address{Address: e.Address}).String() // "<local@domain>", local part quoted if needed
	if e.Name == "" {
		if addr == "<"+e.Address+">" {
			return e.Address // nothing to quote: the bare address reads best
		}
		return addr
	}
	switch phraseKind(e.Name) {
	case phraseAtoms:
		return e.Name + " " + addr
	case phraseQuoted:
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(e.Name) + `" ` + addr
	}
	return (&mail.Address{Name: e.Name, Address: e.Address}).String() // RFC 2047 encoded
}

const (
	phraseAtoms  = iota // words of atext (UTF-8 allowed) separated by single spaces: no quotes needed
	phraseQuoted        // printable text that needs a quoted string
	phraseEncode        // control characters, invalid UTF-8 or an "=?" that would read as RFC 2047
)

// phraseKind says how a display name can be written so that net/mail reads it back unchanged.
func phraseKind(name string) int {
	if !utf8.ValidString(name) || strings.Contains(name, "=?") {
		return phraseEncode
	}
	kind := phraseAtoms
	if strings.HasPrefix(name, " ") || strings.HasSuffix(name, " ") || strings.Contains(name, "  ") {
		kind = phraseQuoted
	}
	for _, r := range name {
		switch {
		case r < ' ' || r == 0x7f || (r >= 0x80 && !unicode.IsPrint(r)):
			return phraseEncode
		case r == ' ', r >= 0x80, 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9',
			strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r):
		default:
			kind = phraseQuoted
		}
	}
	return kind
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
func ParseRecipients(list string) (Recipients, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	as, err := mail.ParseAddressList(list)
	if err != nil {
		return nil, fmt.Errorf("graph: recipient list %q: %w", list, err)
	}
	rs := make(Recipients, len(as))
	for i, a := range as {
		rs[i] = NewRecipient(a.Address, a.Name)
	}
	return rs, nil
}

// Recipients is a list of recipients, such as a message's toRecipients, with the edits
// python-o365's Recipients offers. It is a plain slice: it encodes as a JSON array, ranges,
// appends and converts to and from []Recipient freely, and its zero value is an empty list.
//
//	var to graph.Recipients
//	err := to.Add("Ada Lovelace <ada@example.com>", "bob@example.com, carol@example.com")
//	to.AddRecipient(graph.NewRecipient("dan@example.com", "Dan"))
//	to.Remove("BOB@example.com")
//	fmt.Println(to) // Ada Lovelace <ada@example.com>, carol@example.com, Dan <dan@example.com>
type Recipients []Recipient

// Add parses each argument as one address or a comma-separated list of them, as people write
// them ("ada@example.com", "Ada Lovelace <ada@example.com>", `"Lovelace, Ada" <ada@example.com>`),
// and appends them in order. Blank arguments are skipped. If any argument does not parse,
// nothing is added and the error names it. Add does not drop duplicates (see Contains).
func (rs *Recipients) Add(addrs ...string) error {
	var add Recipients
	for _, a := range addrs {
		list, err := ParseRecipients(a)
		if err != nil {
			return err
		}
		add = append(add, list...)
	}
	*rs = append(*rs, add...)
	return nil
}

// AddRecipient appends recipients as they are, e.g. graph.NewRecipient(address, name) for a
// name and address known apart.
func (rs *Recipients) AddRecipient(r ...Recipient) { *rs = append(*rs, r...) }

// Remove deletes every recipient whose address equals one of addrs, ignoring case (as mail
// systems treat addresses). The order of the others is kept.
func (rs *Recipients) Remove(addrs ...string) {
	*rs = slices.DeleteFunc(*rs, func(r Recipient) bool {
		return slices.ContainsFunc(addrs, func(a string) bool { return sameAddress(r.Address(), a) })
	})
}

// Contains reports whether a recipient has the address addr, ignoring case.
func (rs Recipients) Contains(addr string) bool {
	return slices.ContainsFunc(rs, func(r Recipient) bool { return sameAddress(r.Address(), addr) })
}

// Addresses returns the recipients' addresses, in order.
func (rs Recipients) Addresses() []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Address()
	}
	return out
}

// String formats the list as a mail header would: "Ada <ada@example.com>, bob@example.com".
// ParseRecipients reads it back.
func (rs Recipients) String() string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ", ")
}

func sameAddress(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
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

// Text returns a plain-text body: msg.Body = graph.Text("See you at 10.").
func Text(s string) ItemBody { return ItemBody{ContentType: BodyText, Content: s} }

// HTML returns an HTML body: msg.Body = graph.HTML("<p>See you at <b>10</b>.</p>").
func HTML(s string) ItemBody { return ItemBody{ContentType: BodyHTML, Content: s} }

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
