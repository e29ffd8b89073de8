package directory

import (
	"encoding/json"
	"strings"
)

// ObjectType is the @odata.type of a directory object.
type ObjectType string

// Directory object types.
const (
	TypeUser             ObjectType = "#microsoft.graph.user"
	TypeGroup            ObjectType = "#microsoft.graph.group"
	TypeDevice           ObjectType = "#microsoft.graph.device"
	TypeServicePrincipal ObjectType = "#microsoft.graph.servicePrincipal"
	TypeOrgContact       ObjectType = "#microsoft.graph.orgContact"
	TypeDirectoryRole    ObjectType = "#microsoft.graph.directoryRole"
)

// Object is a directory object as collections of mixed types return it (members,
// owners, memberOf): the properties users and groups share, and the whole object in
// Raw so the caller can decode it as its type (Object.User, groups.Group).
type Object struct {
	Type              ObjectType `json:"@odata.type,omitzero"`
	ID                string     `json:"id"`
	DisplayName       string     `json:"displayName,omitzero"`
	Mail              string     `json:"mail,omitzero"`
	UserPrincipalName string     `json:"userPrincipalName,omitzero"`
	Description       string     `json:"description,omitzero"`
	MailNickname      string     `json:"mailNickname,omitzero"`
	GroupTypes        []string   `json:"groupTypes,omitzero"`
	// Raw is the object as the service sent it (not encoded back).
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the shared properties and keeps the whole object in Raw.
func (o *Object) UnmarshalJSON(b []byte) error {
	type plain Object
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*o = Object(p)
	o.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// IsUser reports whether the object is a user.
func (o *Object) IsUser() bool { return strings.EqualFold(string(o.Type), string(TypeUser)) }

// IsGroup reports whether the object is a group.
func (o *Object) IsGroup() bool { return strings.EqualFold(string(o.Type), string(TypeGroup)) }

// User decodes the object as a user (not bound to a directory: use
// Directory.User to get one that can be saved).
func (o *Object) User() (*User, error) {
	var u User
	if err := json.Unmarshal(o.Raw, &u); err != nil {
		return nil, err
	}
	u.snapshot()
	return &u, nil
}
