package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/o365go/o365/emulator/internal/identity"
	"github.com/o365go/o365/emulator/internal/query"
)

// User is a user of the emulated tenant. Empty fields get defaults from
// AddUser (an id derived from the UPN, Mail = UPN, a display name from
// the UPN, password "Passw0rd!").
type User struct {
	ID                string
	UPN               string
	DisplayName       string
	Password          string
	Mail              string
	GivenName         string
	Surname           string
	JobTitle          string
	Department        string
	OfficeLocation    string
	MobilePhone       string
	BusinessPhones    []string
	PreferredLanguage string
	CompanyName       string
	City              string
	State             string
	Country           string
	StreetAddress     string
	PostalCode        string
	UsageLocation     string
	EmployeeID        string
	// ManagerID is the id or UPN of the user's manager, if any.
	ManagerID string
}

// userProps are the properties of microsoft.graph.user (v1.0), lower case.
var userProps = setOf("aboutMe accountEnabled ageGroup assignedLicenses assignedPlans authorizationInfo birthday businessPhones city companyName consentProvidedForMinor country createdDateTime creationType customSecurityAttributes department deviceEnrollmentLimit displayName employeeHireDate employeeId employeeLeaveDateTime employeeOrgData employeeType externalUserState externalUserStateChangeDateTime faxNumber givenName hireDate identities identityParentId imAddresses interests isManagementRestricted isResourceAccount jobTitle lastPasswordChangeDateTime legalAgeGroupClassification licenseAssignmentStates mail mailboxSettings mailNickname mobilePhone mySite officeLocation onPremisesDistinguishedName onPremisesDomainName onPremisesExtensionAttributes onPremisesImmutableId onPremisesLastSyncDateTime onPremisesProvisioningErrors onPremisesSamAccountName onPremisesSecurityIdentifier onPremisesSyncEnabled onPremisesUserPrincipalName otherMails passwordPolicies passwordProfile pastProjects postalCode preferredDataLocation preferredLanguage preferredName print provisionedPlans proxyAddresses responsibilities schools securityIdentifier serviceProvisioningErrors showInAddressList signInActivity signInSessionsValidFromDateTime skills state streetAddress surname usageLocation userPrincipalName userType deletedDateTime id")

// mailboxUserProps are stored in the user's mailbox, not the directory:
// Graph serves them only for a single user, 501 in lists.
var mailboxUserProps = setOf("aboutMe birthday hireDate interests mySite pastProjects preferredName responsibilities schools skills mailboxSettings")

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[lower(f)] = true
	}
	return m
}

// deterministicID derives a GUID-shaped id from a name.
func deterministicID(kind, name string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + lower(name)))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// AddUser adds (or replaces) a user, registering them with the identity
// platform and creating their mailbox. It returns the user with defaults
// filled in.
func (s *Server) AddUser(u User) User {
	if u.UPN == "" {
		s.mu.Lock()
		for i := len(s.users)/2 + 1; ; i++ {
			u.UPN = "user" + fmt.Sprint(i) + "@" + defaultTenantDomain
			if _, taken := s.users[lower(u.UPN)]; !taken {
				break
			}
		}
		s.mu.Unlock()
	}
	if u.ID == "" {
		u.ID = deterministicID("user", u.UPN)
	}
	local, _, _ := strings.Cut(u.UPN, "@")
	if u.DisplayName == "" {
		if u.GivenName != "" || u.Surname != "" {
			u.DisplayName = strings.TrimSpace(u.GivenName + " " + u.Surname)
		} else {
			u.DisplayName = local
		}
	}
	if u.Mail == "" {
		u.Mail = u.UPN
	}
	if u.Password == "" {
		u.Password = "Passw0rd!"
	}
	if u.BusinessPhones == nil {
		u.BusinessPhones = []string{}
	}
	s.idp.AddUser(identity.User{ID: u.ID, UPN: u.UPN, DisplayName: u.DisplayName, Password: u.Password})
	s.mu.Lock()
	if old, ok := s.users[lower(u.ID)]; ok {
		delete(s.users, lower(old.UPN))
	}
	cp := u
	s.users[lower(u.ID)] = &cp
	s.users[lower(u.UPN)] = &cp
	s.mu.Unlock()

	e, err := s.userEntity(u)
	if err == nil {
		s.store.users.put(e)
	}
	s.ensureMailbox(u.ID)
	return u
}

// lookupUser finds a user by id or UPN.
func (s *Server) lookupUser(idOrUPN string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[lower(idOrUPN)]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// nullable returns nil for "" so the JSON says null, as Graph does.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// userEntity encodes a user: raw holds Graph's default property set, full
// every stored property.
func (s *Server) userEntity(u User) (*entity, error) {
	type kv = struct {
		k string
		v any
	}
	def := []kv{
		{"businessPhones", u.BusinessPhones},
		{"displayName", u.DisplayName},
		{"givenName", nullable(u.GivenName)},
		{"jobTitle", nullable(u.JobTitle)},
		{"mail", nullable(u.Mail)},
		{"mobilePhone", nullable(u.MobilePhone)},
		{"officeLocation", nullable(u.OfficeLocation)},
		{"preferredLanguage", nullable(u.PreferredLanguage)},
		{"surname", nullable(u.Surname)},
		{"userPrincipalName", u.UPN},
		{"id", u.ID},
	}
	local, domain, _ := strings.Cut(u.UPN, "@")
	created := time.Date(2021, 3, 14, 9, 26, 53, 0, time.UTC).Add(time.Duration(len(u.UPN)) * 36 * time.Hour)
	more := []kv{
		{"accountEnabled", true},
		{"ageGroup", nil},
		{"assignedLicenses", []any{map[string]any{"disabledPlans": []string{}, "skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df"}}},
		{"city", nullable(u.City)},
		{"companyName", nullable(u.CompanyName)},
		{"country", nullable(u.Country)},
		{"createdDateTime", created.Format(time.RFC3339)},
		{"creationType", nil},
		{"department", nullable(u.Department)},
		{"employeeHireDate", nil},
		{"employeeId", nullable(u.EmployeeID)},
		{"employeeType", nil},
		{"faxNumber", nil},
		{"identities", []any{map[string]any{"signInType": "userPrincipalName", "issuer": domain, "issuerAssignedId": u.UPN}}},
		{"imAddresses", []string{lower(u.UPN)}},
		{"isResourceAccount", nil},
		{"lastPasswordChangeDateTime", created.Add(2 * time.Hour).Format(time.RFC3339)},
		{"mailNickname", local},
		{"onPremisesDistinguishedName", nil},
		{"onPremisesDomainName", nil},
		{"onPremisesImmutableId", nil},
		{"onPremisesLastSyncDateTime", nil},
		{"onPremisesSamAccountName", nil},
		{"onPremisesSecurityIdentifier", nil},
		{"onPremisesSyncEnabled", nil},
		{"onPremisesUserPrincipalName", nil},
		{"otherMails", []string{}},
		{"passwordPolicies", nil},
		{"postalCode", nullable(u.PostalCode)},
		{"preferredDataLocation", nil},
		{"proxyAddresses", []string{"SMTP:" + u.Mail}},
		{"showInAddressList", nil},
		{"signInSessionsValidFromDateTime", created.Add(2 * time.Hour).Format(time.RFC3339)},
		{"state", nullable(u.State)},
		{"streetAddress", nullable(u.StreetAddress)},
		{"usageLocation", nullable(u.UsageLocation)},
		{"userType", "Member"},
		{"aboutMe", nil},
		{"birthday", "0001-01-01T08:00:00Z"},
		{"hireDate", "0001-01-01T08:00:00Z"},
		{"interests", []string{}},
		{"mySite", nil},
		{"pastProjects", []string{}},
		{"preferredName", ""},
		{"responsibilities", []string{}},
		{"schools", []string{}},
		{"skills", []string{}},
	}
	encode := func(list []kv) ([]byte, error) {
		var b strings.Builder
		b.WriteByte('{')
		for i, p := range list {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(p.k)
			v, err := json.Marshal(p.v)
			if err != nil {
				return nil, err
			}
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteByte('}')
		return []byte(b.String()), nil
	}
	raw, err := encode(def)
	if err != nil {
		return nil, err
	}
	full, err := encode(append(append([]kv{}, def...), more...))
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(full, &doc); err != nil {
		return nil, err
	}
	return &entity{id: u.ID, raw: raw, full: full, doc: doc}, nil
}

// userSpec is the listing of /users.
func (s *Server) userSpec(c *call) *listSpec {
	return &listSpec{
		coll:       s.store.users,
		context:    c.base() + "/$metadata#users",
		entityType: "microsoft.graph.user",
		props:      userProps,
		defaultTop: 100,
		maxTop:     999,
		directory:  true,
		search:     []string{"displayName", "mail", "userPrincipalName", "givenName", "surname"},
		expand:     s.expandUser,
		expandable: setOf("manager memberOf directReports transitiveMemberOf extensions"),
		check: func(q *listQuery) *graphError {
			for _, name := range q.sel {
				if mailboxUserProps[lower(name)] {
					return errorf(http.StatusNotImplemented, "NotImplemented", "This operation target is not yet supported.")
				}
			}
			return nil
		},
	}
}

// expandUser serves $expand=manager, directReports and memberOf.
func (s *Server) expandUser(c *call, e *entity, it query.ExpandItem) ([]byte, *graphError) {
	u, ok := s.lookupUser(e.id)
	if !ok {
		return nil, nil
	}
	switch lower(it.Name) {
	case "manager":
		if u.ManagerID == "" {
			return nil, nil
		}
		m, ok := s.lookupUser(u.ManagerID)
		if !ok {
			return nil, nil
		}
		me, ok := s.store.users.get(m.ID)
		if !ok {
			return nil, nil
		}
		return expandedUser(me, it.Select), nil
	case "directreports":
		var items [][]byte
		for _, x := range s.directReports(u.ID) {
			if len(items) == 20 {
				break // Graph expands at most 20 directory objects
			}
			items = append(items, expandedUser(x, it.Select))
		}
		return joinArray(items), nil
	default: // memberOf, transitiveMemberOf (no groups yet), extensions
		return []byte("[]"), nil
	}
}

// expandedUser is a user inside an $expand: typed, with the nested
// $select applied.
func expandedUser(e *entity, sel []string) []byte {
	if len(sel) == 0 {
		return withType(e.raw, "#microsoft.graph.user")
	}
	var b bytes.Buffer
	project(&b, e.full, sel, func(string) ([]byte, bool) { return nil, false }, nil)
	return withType(b.Bytes(), "#microsoft.graph.user")
}

// directReports returns the users whose manager is managerID.
func (s *Server) directReports(managerID string) []*entity {
	var out []*entity
	for _, x := range s.store.users.snapshot() {
		if r, ok := s.lookupUser(x.id); ok && r.ManagerID != "" {
			if m, ok := s.lookupUser(r.ManagerID); ok && m.ID == managerID {
				out = append(out, x)
			}
		}
	}
	return out
}

// typedUser is a user entity as a directoryObject collection returns it.
func typedUser(e *entity) *entity {
	doc := make(map[string]any, len(e.doc)+1)
	for k, v := range e.doc {
		doc[k] = v
	}
	doc["@odata.type"] = "#microsoft.graph.user"
	return &entity{id: e.id, raw: withType(e.raw, "#microsoft.graph.user"), full: withType(e.full, "#microsoft.graph.user"), doc: doc}
}

// withType prefixes an encoded object with an @odata.type annotation.
func withType(obj []byte, typ string) []byte {
	t, _ := json.Marshal(typ)
	out := make([]byte, 0, len(obj)+len(t)+20)
	out = append(out, `{"@odata.type":`...)
	out = append(out, t...)
	if len(obj) > 2 {
		out = append(out, ',')
	}
	return append(out, obj[1:]...)
}

func joinArray(items [][]byte) []byte {
	out := []byte{'['}
	for i, it := range items {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, it...)
	}
	return append(out, ']')
}

// registerUsers adds the user routes.
func (s *Server) registerUsers(rt *router) {
	rt.add(http.MethodGet, "users", permUsers, false, func(c *call) { s.userSpec(c).serveList(c, false) })
	rt.add(http.MethodGet, "users/$count", permUsers, false, func(c *call) { s.userSpec(c).serveList(c, true) })
	rt.add(http.MethodGet, "users/{user}", permMe, false, s.getUser)
	rt.add(http.MethodGet, "users/{user}/manager", permUsers, false, s.getManager)
	rt.add(http.MethodGet, "users/{user}/directReports", permUsers, false, func(c *call) { s.listDirectReports(c, false) })
	rt.add(http.MethodGet, "users/{user}/directReports/$count", permUsers, false, func(c *call) { s.listDirectReports(c, true) })
}

// userOr404 resolves the {user} of a directory route.
func (s *Server) userOr404(c *call) (User, bool) {
	key := c.params["user"]
	u, ok := s.lookupUser(key)
	if !ok {
		c.writeError(errorf(http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+key+"' does not exist or one of its queried reference-property objects are not present."))
	}
	return u, ok
}

// getManager serves GET /users/{id}/manager.
func (s *Server) getManager(c *call) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	var me *entity
	if m, ok := s.lookupUser(u.ManagerID); ok && u.ManagerID != "" {
		me, _ = s.store.users.get(m.ID)
	}
	if me == nil {
		c.writeError(errorf(http.StatusNotFound, "Request_ResourceNotFound",
			"Resource 'manager' does not exist or one of its queried reference-property objects are not present."))
		return
	}
	sp := s.userSpec(c)
	sp.check = nil
	sp.serveEntity(c, typedUser(me), c.base()+"/$metadata#directoryObjects/$entity")
}

// listDirectReports serves GET /users/{id}/directReports.
func (s *Server) listDirectReports(c *call, countOnly bool) {
	u, ok := s.userOr404(c)
	if !ok {
		return
	}
	coll := newCollection("directReports", nil)
	for _, e := range s.directReports(u.ID) {
		coll.put(typedUser(e))
	}
	sp := s.userSpec(c)
	sp.coll = coll
	sp.context = c.base() + "/$metadata#directoryObjects"
	sp.serveList(c, countOnly)
}

// getUser serves GET /me and GET /users/{id|upn}.
func (s *Server) getUser(c *call) {
	key := c.params["user"]
	u, ok := s.lookupUser(key)
	self := ok && u.ID == c.claims.ObjectID
	if !c.claims.AppOnly && !self && !c.has(permUsers) {
		c.writeError(denied(permUsers))
		return
	}
	if !ok {
		c.writeError(errorf(http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+key+"' does not exist or one of its queried reference-property objects are not present."))
		return
	}
	e, ok := s.store.users.get(u.ID)
	if !ok {
		c.writeError(errorf(http.StatusNotFound, "Request_ResourceNotFound",
			"Resource '"+key+"' does not exist or one of its queried reference-property objects are not present."))
		return
	}
	sp := s.userSpec(c)
	sp.check = nil
	sp.serveEntity(c, e, c.base()+"/$metadata#users/$entity")
}
