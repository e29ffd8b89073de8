package contacts

import (
	"bytes"
	"encoding/json"
	"slices"
)

// Change tracking: a contact read from the service keeps the JSON of its
// writable properties as they were; Save PATCHes those whose JSON differs.
// Clearing a field is a change like any other and is sent (a string as "",
// a list as [], an address as {} and the birthday as null).

// snapshot is the encoded writable properties by JSON name.
type snapshot map[string][]byte

// writable returns the contact's writable properties by JSON name, as
// values ready to be sent.
func (c *Contact) writable() map[string]any {
	str := func(s string) any { return s }
	list := func(s []string) any {
		if s == nil {
			return []string{}
		}
		return s
	}
	emails := c.EmailAddresses
	if emails == nil {
		emails = []EmailAddress{}
	}
	return map[string]any{
		"displayName": str(c.DisplayName), "fileAs": str(c.FileAs), "title": str(c.Title),
		"givenName": str(c.GivenName), "middleName": str(c.MiddleName), "surname": str(c.Surname),
		"initials": str(c.Initials), "nickName": str(c.NickName), "generation": str(c.Generation),
		"yomiGivenName": str(c.YomiGivenName), "yomiSurname": str(c.YomiSurname), "yomiCompanyName": str(c.YomiCompanyName),
		"birthday": c.Birthday, "emailAddresses": emails, "imAddresses": list(c.IMAddresses),
		"businessPhones": list(c.BusinessPhones), "homePhones": list(c.HomePhones), "mobilePhone": str(c.MobilePhone),
		"companyName": str(c.CompanyName), "jobTitle": str(c.JobTitle), "department": str(c.Department),
		"officeLocation": str(c.OfficeLocation), "profession": str(c.Profession), "businessHomePage": str(c.BusinessHomePage),
		"assistantName": str(c.AssistantName), "manager": str(c.Manager),
		"businessAddress": c.BusinessAddress, "homeAddress": c.HomeAddress, "otherAddress": c.OtherAddress,
		"spouseName": str(c.SpouseName), "children": list(c.Children), "personalNotes": str(c.PersonalNotes),
		"categories": list(c.Categories),
	}
}

func (c *Contact) encodeWritable() (snapshot, error) {
	out := snapshot{}
	for k, v := range c.writable() {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out[k] = b
	}
	return out, nil
}

// takeSnapshot records the current state as the service's.
func (c *Contact) takeSnapshot() {
	s, err := c.encodeWritable()
	if err == nil {
		c.snap = &s
	}
}

// changes returns the PATCH body: the writable properties that differ from
// the snapshot, or (without a snapshot: a new contact) every non-empty one.
func (c *Contact) changes() (map[string]json.RawMessage, error) {
	cur, err := c.encodeWritable()
	if err != nil {
		return nil, err
	}
	out := map[string]json.RawMessage{}
	keys := make([]string, 0, len(cur))
	for k := range cur {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b := cur[k]
		if c.snap != nil {
			if bytes.Equal(b, (*c.snap)[k]) {
				continue
			}
		} else {
			switch string(b) {
			case `""`, "[]", "{}", "null":
				continue
			}
		}
		out[k] = b
	}
	return out, nil
}
