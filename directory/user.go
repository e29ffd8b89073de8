package directory

import (
	"time"
)

// UserType tells members from guests.
type UserType string

// User types.
const (
	UserMember UserType = "Member"
	UserGuest  UserType = "Guest"
)

// User is a Microsoft Entra user (microsoft.graph.user, v1.0): every commonly used
// property. Graph returns a default set (id, displayName, givenName, surname, mail,
// userPrincipalName, jobTitle, officeLocation, mobilePhone, businessPhones,
// preferredLanguage); ask for the others with $select.
//
// A user read through a Directory is bound to it: Save sends only what changed.
type User struct {
	ID                string     `json:"id,omitzero"`
	DeletedDateTime   *time.Time `json:"deletedDateTime,omitzero"`
	AccountEnabled    *bool      `json:"accountEnabled,omitzero"`
	AgeGroup          string     `json:"ageGroup,omitzero"`
	DisplayName       string     `json:"displayName,omitzero"`
	GivenName         string     `json:"givenName,omitzero"`
	Surname           string     `json:"surname,omitzero"`
	UserPrincipalName string     `json:"userPrincipalName,omitzero"`
	Mail              string     `json:"mail,omitzero"`
	MailNickname      string     `json:"mailNickname,omitzero"`
	OtherMails        []string   `json:"otherMails,omitzero"`
	ProxyAddresses    []string   `json:"proxyAddresses,omitzero"`
	IMAddresses       []string   `json:"imAddresses,omitzero"`
	UserType          UserType   `json:"userType,omitzero"`
	JobTitle          string     `json:"jobTitle,omitzero"`
	Department        string     `json:"department,omitzero"`
	CompanyName       string     `json:"companyName,omitzero"`
	OfficeLocation    string     `json:"officeLocation,omitzero"`
	EmployeeID        string     `json:"employeeId,omitzero"`
	EmployeeType      string     `json:"employeeType,omitzero"`
	EmployeeHireDate  *time.Time `json:"employeeHireDate,omitzero"`
	// EmployeeLeaveDateTime needs User-LifeCycleInfo.Read.All.
	EmployeeLeaveDateTime *time.Time       `json:"employeeLeaveDateTime,omitzero"`
	EmployeeOrgData       *EmployeeOrgData `json:"employeeOrgData,omitzero"`
	BusinessPhones        []string         `json:"businessPhones,omitzero"`
	MobilePhone           string           `json:"mobilePhone,omitzero"`
	FaxNumber             string           `json:"faxNumber,omitzero"`
	StreetAddress         string           `json:"streetAddress,omitzero"`
	City                  string           `json:"city,omitzero"`
	State                 string           `json:"state,omitzero"`
	PostalCode            string           `json:"postalCode,omitzero"`
	Country               string           `json:"country,omitzero"`
	UsageLocation         string           `json:"usageLocation,omitzero"`
	PreferredLanguage     string           `json:"preferredLanguage,omitzero"`
	PreferredDataLocation string           `json:"preferredDataLocation,omitzero"`
	ShowInAddressList     *bool            `json:"showInAddressList,omitzero"`
	IsResourceAccount     *bool            `json:"isResourceAccount,omitzero"`
	CreatedDateTime       *time.Time       `json:"createdDateTime,omitzero"`
	CreationType          string           `json:"creationType,omitzero"`
	ExternalUserState     string           `json:"externalUserState,omitzero"`
	// ExternalUserStateChangeDateTime is a string in Graph v1.0.
	ExternalUserStateChangeDateTime string              `json:"externalUserStateChangeDateTime,omitzero"`
	ConsentProvidedForMinor         string              `json:"consentProvidedForMinor,omitzero"`
	LegalAgeGroupClassification     string              `json:"legalAgeGroupClassification,omitzero"`
	Identities                      []ObjectIdentity    `json:"identities,omitzero"`
	AssignedLicenses                []AssignedLicense   `json:"assignedLicenses,omitzero"`
	AssignedPlans                   []AssignedPlan      `json:"assignedPlans,omitzero"`
	ProvisionedPlans                []ProvisionedPlan   `json:"provisionedPlans,omitzero"`
	LicenseAssignmentStates         []LicenseAssignment `json:"licenseAssignmentStates,omitzero"`
	PasswordPolicies                string              `json:"passwordPolicies,omitzero"`
	PasswordProfile                 *PasswordProfile    `json:"passwordProfile,omitzero"`
	LastPasswordChangeDateTime      *time.Time          `json:"lastPasswordChangeDateTime,omitzero"`
	SignInSessionsValidFromDateTime *time.Time          `json:"signInSessionsValidFromDateTime,omitzero"`
	SignInActivity                  *SignInActivity     `json:"signInActivity,omitzero"`
	SecurityIdentifier              string              `json:"securityIdentifier,omitzero"`
	OnPremisesSyncEnabled           *bool               `json:"onPremisesSyncEnabled,omitzero"`
	OnPremisesDistinguishedName     string              `json:"onPremisesDistinguishedName,omitzero"`
	OnPremisesDomainName            string              `json:"onPremisesDomainName,omitzero"`
	OnPremisesImmutableID           string              `json:"onPremisesImmutableId,omitzero"`
	OnPremisesLastSyncDateTime      *time.Time          `json:"onPremisesLastSyncDateTime,omitzero"`
	OnPremisesSamAccountName        string              `json:"onPremisesSamAccountName,omitzero"`
	OnPremisesSecurityIdentifier    string              `json:"onPremisesSecurityIdentifier,omitzero"`
	OnPremisesUserPrincipalName     string              `json:"onPremisesUserPrincipalName,omitzero"`
	OnPremisesExtensionAttributes   map[string]*string  `json:"onPremisesExtensionAttributes,omitzero"`
	OnPremisesProvisioningErrors    []OnPremisesError   `json:"onPremisesProvisioningErrors,omitzero"`
	ServiceProvisioningErrors       []map[string]any    `json:"serviceProvisioningErrors,omitzero"`
	CustomSecurityAttributes        map[string]any      `json:"customSecurityAttributes,omitzero"`
	AuthorizationInfo               map[string]any      `json:"authorizationInfo,omitzero"`
	Extensions                      []map[string]any    `json:"extensions,omitzero"`

	// Mailbox (profile) properties: Graph returns them only for one user at a time.
	AboutMe          string     `json:"aboutMe,omitzero"`
	Birthday         *time.Time `json:"birthday,omitzero"`
	HireDate         *time.Time `json:"hireDate,omitzero"`
	Interests        []string   `json:"interests,omitzero"`
	MySite           string     `json:"mySite,omitzero"`
	PastProjects     []string   `json:"pastProjects,omitzero"`
	PreferredName    string     `json:"preferredName,omitzero"`
	Responsibilities []string   `json:"responsibilities,omitzero"`
	Schools          []string   `json:"schools,omitzero"`
	Skills           []string   `json:"skills,omitzero"`

	// Navigation properties, present with $expand=manager, directReports or
	// memberOf (the methods Manager, DirectReports and MemberOf fetch them).
	ExpandedManager       *User    `json:"manager,omitzero"`
	ExpandedDirectReports []Object `json:"directReports,omitzero"`
	ExpandedMemberOf      []Object `json:"memberOf,omitzero"`

	dir  *Directory
	snap map[string]string
}

// EmployeeOrgData is a user's cost center and division.
type EmployeeOrgData struct {
	CostCenter string `json:"costCenter,omitzero"`
	Division   string `json:"division,omitzero"`
}

// ObjectIdentity is a sign-in identity of a user.
type ObjectIdentity struct {
	SignInType       string `json:"signInType,omitzero"`
	Issuer           string `json:"issuer,omitzero"`
	IssuerAssignedID string `json:"issuerAssignedId,omitzero"`
}

// AssignedLicense is a license assigned to a user.
type AssignedLicense struct {
	DisabledPlans []string `json:"disabledPlans"`
	SkuID         string   `json:"skuId"`
}

// AssignedPlan is a service plan assigned to a user.
type AssignedPlan struct {
	AssignedDateTime *time.Time `json:"assignedDateTime,omitzero"`
	CapabilityStatus string     `json:"capabilityStatus,omitzero"`
	Service          string     `json:"service,omitzero"`
	ServicePlanID    string     `json:"servicePlanId,omitzero"`
}

// ProvisionedPlan is a plan provisioned for a user.
type ProvisionedPlan struct {
	CapabilityStatus   string `json:"capabilityStatus,omitzero"`
	ProvisioningStatus string `json:"provisioningStatus,omitzero"`
	Service            string `json:"service,omitzero"`
}

// LicenseAssignment is the state of a license assignment.
type LicenseAssignment struct {
	AssignedByGroup     string     `json:"assignedByGroup,omitzero"`
	DisabledPlans       []string   `json:"disabledPlans,omitzero"`
	Error               string     `json:"error,omitzero"`
	LastUpdatedDateTime *time.Time `json:"lastUpdatedDateTime,omitzero"`
	SkuID               string     `json:"skuId,omitzero"`
	State               string     `json:"state,omitzero"`
}

// PasswordProfile sets a user's password (write-only: Graph never returns it).
type PasswordProfile struct {
	Password                             string `json:"password,omitzero"`
	ForceChangePasswordNextSignIn        bool   `json:"forceChangePasswordNextSignIn"`
	ForceChangePasswordNextSignInWithMfa bool   `json:"forceChangePasswordNextSignInWithMfa,omitzero"`
}

// SignInActivity is the user's last sign-ins (needs AuditLog.Read.All).
type SignInActivity struct {
	LastSignInDateTime                *time.Time `json:"lastSignInDateTime,omitzero"`
	LastSignInRequestID               string     `json:"lastSignInRequestId,omitzero"`
	LastNonInteractiveSignInDateTime  *time.Time `json:"lastNonInteractiveSignInDateTime,omitzero"`
	LastNonInteractiveSignInRequestID string     `json:"lastNonInteractiveSignInRequestId,omitzero"`
	LastSuccessfulSignInDateTime      *time.Time `json:"lastSuccessfulSignInDateTime,omitzero"`
	LastSuccessfulSignInRequestID     string     `json:"lastSuccessfulSignInRequestId,omitzero"`
}

// OnPremisesError is a provisioning error from directory synchronization.
type OnPremisesError struct {
	Category             string     `json:"category,omitzero"`
	OccurredDateTime     *time.Time `json:"occurredDateTime,omitzero"`
	PropertyCausingError string     `json:"propertyCausingError,omitzero"`
	Value                string     `json:"value,omitzero"`
}
