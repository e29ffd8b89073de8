package groups

import (
	"time"

	"github.com/o365go/o365/directory"
)

// Visibility is who can see a Microsoft 365 group's content.
type Visibility string

// Group visibilities.
const (
	Public           Visibility = "Public"
	Private          Visibility = "Private"
	HiddenMembership Visibility = "HiddenMembership"
)

// GroupTypeUnified is the group type of Microsoft 365 groups (GroupTypes); security
// groups have none, dynamic groups add GroupTypeDynamic.
const (
	GroupTypeUnified = "Unified"
	GroupTypeDynamic = "DynamicMembership"
)

// Group is a Microsoft 365 group or a security group (microsoft.graph.group, v1.0).
// Properties marked "$select" come only when selected (and some only from GET of
// one group).
type Group struct {
	ID                            string                      `json:"id,omitzero"`
	DeletedDateTime               *time.Time                  `json:"deletedDateTime,omitzero"`
	Classification                string                      `json:"classification,omitzero"`
	CreatedDateTime               *time.Time                  `json:"createdDateTime,omitzero"`
	CreationOptions               []string                    `json:"creationOptions,omitzero"`
	Description                   string                      `json:"description,omitzero"`
	DisplayName                   string                      `json:"displayName,omitzero"`
	ExpirationDateTime            *time.Time                  `json:"expirationDateTime,omitzero"`
	GroupTypes                    []string                    `json:"groupTypes,omitzero"`
	IsAssignableToRole            *bool                       `json:"isAssignableToRole,omitzero"`
	IsManagementRestricted        *bool                       `json:"isManagementRestricted,omitzero"`
	Mail                          string                      `json:"mail,omitzero"`
	MailEnabled                   bool                        `json:"mailEnabled"`
	MailNickname                  string                      `json:"mailNickname,omitzero"`
	MembershipRule                string                      `json:"membershipRule,omitzero"`
	MembershipRuleProcessingState string                      `json:"membershipRuleProcessingState,omitzero"`
	OnPremisesDomainName          string                      `json:"onPremisesDomainName,omitzero"`
	OnPremisesLastSyncDateTime    *time.Time                  `json:"onPremisesLastSyncDateTime,omitzero"`
	OnPremisesNetBiosName         string                      `json:"onPremisesNetBiosName,omitzero"`
	OnPremisesSamAccountName      string                      `json:"onPremisesSamAccountName,omitzero"`
	OnPremisesSecurityIdentifier  string                      `json:"onPremisesSecurityIdentifier,omitzero"`
	OnPremisesSyncEnabled         *bool                       `json:"onPremisesSyncEnabled,omitzero"`
	OnPremisesProvisioningErrors  []directory.OnPremisesError `json:"onPremisesProvisioningErrors,omitzero"`
	PreferredDataLocation         string                      `json:"preferredDataLocation,omitzero"`
	PreferredLanguage             string                      `json:"preferredLanguage,omitzero"`
	ProxyAddresses                []string                    `json:"proxyAddresses,omitzero"`
	RenewedDateTime               *time.Time                  `json:"renewedDateTime,omitzero"`
	ResourceBehaviorOptions       []string                    `json:"resourceBehaviorOptions,omitzero"`
	ResourceProvisioningOptions   []string                    `json:"resourceProvisioningOptions,omitzero"`
	SecurityEnabled               bool                        `json:"securityEnabled"`
	SecurityIdentifier            string                      `json:"securityIdentifier,omitzero"`
	ServiceProvisioningErrors     []map[string]any            `json:"serviceProvisioningErrors,omitzero"`
	Theme                         string                      `json:"theme,omitzero"`
	UniqueName                    string                      `json:"uniqueName,omitzero"`
	Visibility                    Visibility                  `json:"visibility,omitzero"`
	AssignedLabels                []AssignedLabel             `json:"assignedLabels,omitzero"`
	AssignedLicenses              []directory.AssignedLicense `json:"assignedLicenses,omitzero"`
	LicenseProcessingState        *LicenseProcessingState     `json:"licenseProcessingState,omitzero"`
	HasMembersWithLicenseErrors   *bool                       `json:"hasMembersWithLicenseErrors,omitzero"`
	IsArchived                    *bool                       `json:"isArchived,omitzero"`

	// Microsoft 365 group settings ($select, single group).
	AllowExternalSenders    *bool `json:"allowExternalSenders,omitzero"`
	AutoSubscribeNewMembers *bool `json:"autoSubscribeNewMembers,omitzero"`
	HideFromAddressLists    *bool `json:"hideFromAddressLists,omitzero"`
	HideFromOutlookClients  *bool `json:"hideFromOutlookClients,omitzero"`
	IsSubscribedByMail      *bool `json:"isSubscribedByMail,omitzero"`
	UnseenCount             *int  `json:"unseenCount,omitzero"`

	// InitialMembers and InitialOwners are the ids of the users (or groups, for
	// members) that Create adds with the group, as members@odata.bind and
	// owners@odata.bind. A Microsoft 365 group created with a delegated token gets
	// the caller as owner when no owner is given.
	InitialMembers []string `json:"-"`
	InitialOwners  []string `json:"-"`

	gs   *Groups
	snap map[string]string
}

// AssignedLabel is a sensitivity label of a group.
type AssignedLabel struct {
	LabelID     string `json:"labelId,omitzero"`
	DisplayName string `json:"displayName,omitzero"`
}

// LicenseProcessingState is the state of group-based licensing.
type LicenseProcessingState struct {
	State string `json:"state,omitzero"`
}

// IsMicrosoft365 reports whether the group is a Microsoft 365 (unified) group.
func (g *Group) IsMicrosoft365() bool {
	for _, t := range g.GroupTypes {
		if t == GroupTypeUnified {
			return true
		}
	}
	return false
}
