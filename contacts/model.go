package contacts

import (
	"bytes"
	"encoding/json"
	"time"
)

// Contact is a personal contact (microsoft.graph.contact, every v1.0 property).
type Contact struct {
	ID                   string    `json:"id,omitempty"`
	ChangeKey            string    `json:"changeKey,omitempty"`
	CreatedDateTime      time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	ParentFolderID       string    `json:"parentFolderId,omitempty"`
	Categories           []string  `json:"categories,omitempty"`

	DisplayName     string `json:"displayName,omitempty"`
	FileAs          string `json:"fileAs,omitempty"`
	Title           string `json:"title,omitempty"`
	GivenName       string `json:"givenName,omitempty"`
	MiddleName      string `json:"middleName,omitempty"`
	Surname         string `json:"surname,omitempty"`
	Initials        string `json:"initials,omitempty"`
	NickName        string `json:"nickName,omitempty"`
	Generation      string `json:"generation,omitempty"`
	YomiGivenName   string `json:"yomiGivenName,omitempty"`
	YomiSurname     string `json:"yomiSurname,omitempty"`
	YomiCompanyName string `json:"yomiCompanyName,omitempty"`
	// Birthday is a day (Graph stores midnight UTC); the zero value means none.
	Birthday Date `json:"birthday,omitzero"`

	EmailAddresses []EmailAddress `json:"emailAddresses,omitempty"` // at most 3
	IMAddresses    []string       `json:"imAddresses,omitempty"`
	BusinessPhones []string       `json:"businessPhones,omitempty"`
	HomePhones     []string       `json:"homePhones,omitempty"`
	MobilePhone    string         `json:"mobilePhone,omitempty"`

	CompanyName      string `json:"companyName,omitempty"`
	JobTitle         string `json:"jobTitle,omitempty"`
	Department       string `json:"department,omitempty"`
	OfficeLocation   string `json:"officeLocation,omitempty"`
	Profession       string `json:"profession,omitempty"`
	BusinessHomePage string `json:"businessHomePage,omitempty"`
	AssistantName    string `json:"assistantName,omitempty"`
	Manager          string `json:"manager,omitempty"`

	BusinessAddress PhysicalAddress `json:"businessAddress,omitzero"`
	HomeAddress     PhysicalAddress `json:"homeAddress,omitzero"`
	OtherAddress    PhysicalAddress `json:"otherAddress,omitzero"`

	SpouseName    string   `json:"spouseName,omitempty"`
	Children      []string `json:"children,omitempty"`
	PersonalNotes string   `json:"personalNotes,omitempty"`

	// Navigation properties, present only with $expand.
	SingleValueExtendedProperties []ExtendedProperty   `json:"singleValueExtendedProperties,omitempty"`
	MultiValueExtendedProperties  []MultiValueProperty `json:"multiValueExtendedProperties,omitempty"`

	ab     *AddressBook
	folder string // the folder a new contact is created in ("" = the root)
	snap   *snapshot
}

// EmailAddress is one of a contact's e-mail addresses.
type EmailAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// PhysicalAddress is a postal address (microsoft.graph.physicalAddress).
type PhysicalAddress struct {
	Street          string `json:"street,omitempty"`
	City            string `json:"city,omitempty"`
	State           string `json:"state,omitempty"`
	CountryOrRegion string `json:"countryOrRegion,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
}

// IsZero reports whether every field is empty.
func (a PhysicalAddress) IsZero() bool { return a == PhysicalAddress{} }

// ExtendedProperty is a single-value extended MAPI property.
type ExtendedProperty struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// MultiValueProperty is a multi-value extended MAPI property.
type MultiValueProperty struct {
	ID    string   `json:"id"`
	Value []string `json:"value"`
}

// ContactFolder is a contact folder (microsoft.graph.contactFolder).
type ContactFolder struct {
	ID             string `json:"id,omitempty"`
	DisplayName    string `json:"displayName,omitempty"`
	ParentFolderID string `json:"parentFolderId,omitempty"`

	ab *AddressBook
}

// Date is a contact's birthday: Graph writes it as an instant
// ("1974-07-22T00:00:00Z") and sometimes as a bare day ("1974-07-22");
// both decode. It encodes as an instant at midnight UTC, or null when zero.
type Date struct{ time.Time }

// NewDate returns the day y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// MarshalJSON encodes the instant, or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.UTC().Format(time.RFC3339))
}

// UnmarshalJSON decodes an instant, a bare day, "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		*d = Date{t}
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return err
	}
	*d = Date{t}
	return nil
}

// String returns the day as 2006-01-02, or "" when zero.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.UTC().Format("2006-01-02")
}

// MainEmail returns the first e-mail address, or "".
func (c *Contact) MainEmail() string {
	for _, e := range c.EmailAddresses {
		if e.Address != "" {
			return e.Address
		}
	}
	return ""
}

// FullName returns given, middle and last names joined, or DisplayName when
// they are empty.
func (c *Contact) FullName() string {
	var parts []string
	for _, p := range []string{c.GivenName, c.MiddleName, c.Surname} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return c.DisplayName
	}
	b := parts[0]
	for _, p := range parts[1:] {
		b += " " + p
	}
	return b
}
