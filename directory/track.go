package directory

import (
	"encoding/json"
)

// Change tracking. A user read from the service keeps the JSON of each writable
// property as it was; Save and Create compare with it and send only what differs. A
// property that was set and is now empty is sent as null, which clears it.

// writableUserProps are the user properties a PATCH or POST may carry.
var writableUserProps = []string{
	"accountEnabled", "ageGroup", "displayName", "givenName", "surname", "userPrincipalName",
	"mail", "mailNickname", "otherMails", "userType", "jobTitle", "department", "companyName",
	"officeLocation", "employeeId", "employeeType", "employeeHireDate", "employeeLeaveDateTime",
	"employeeOrgData", "businessPhones", "mobilePhone", "faxNumber", "streetAddress", "city",
	"state", "postalCode", "country", "usageLocation", "preferredLanguage", "preferredDataLocation",
	"showInAddressList", "consentProvidedForMinor", "identities", "passwordPolicies", "passwordProfile",
	"onPremisesImmutableId", "onPremisesExtensionAttributes", "customSecurityAttributes",
	"aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName",
	"responsibilities", "schools", "skills",
}

// fields returns the JSON of u's writable properties that are present.
func (u *User) fields() map[string]string {
	b, err := json.Marshal(u)
	if err != nil {
		return nil
	}
	var all map[string]json.RawMessage
	if json.Unmarshal(b, &all) != nil {
		return nil
	}
	out := make(map[string]string, len(writableUserProps))
	for _, k := range writableUserProps {
		if v, ok := all[k]; ok {
			out[k] = string(v)
		}
	}
	return out
}

// snapshot records u's writable properties as the service's state.
func (u *User) snapshot() { u.snap = u.fields() }

// changes returns the writable properties that differ from the snapshot.
func (u *User) changes() map[string]json.RawMessage {
	now := u.fields()
	out := map[string]json.RawMessage{}
	for k, v := range now {
		if u.snap[k] != v {
			out[k] = json.RawMessage(v)
		}
	}
	for k := range u.snap {
		if _, ok := now[k]; !ok {
			out[k] = json.RawMessage("null")
		}
	}
	return out
}

// Changed reports whether Save would send anything.
func (u *User) Changed() bool { return len(u.changes()) > 0 }
