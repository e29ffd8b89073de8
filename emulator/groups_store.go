package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// directoryState holds the directory beyond users: groups with their
// members and owners, and user photos. Memberships are lists of object ids
// (users or groups), in the order they were added.
type directoryState struct {
	groups *collection

	mu      sync.Mutex
	members map[string][]string // group id -> member ids
	owners  map[string][]string // group id -> owner ids
	photos  map[string]userPhoto
	// extra are the documents of users written through Graph, so that
	// properties outside the emulator's User survive later writes.
	extra map[string]map[string]any
	// conversations are the Microsoft 365 groups' conversations, by group id.
	conversations map[string][]*groupConversation
}

// userPhoto is a user's profile photo.
type userPhoto struct {
	contentType string
	data        []byte
}

func newDirectoryState() *directoryState {
	return &directoryState{
		groups: newCollection("groups", func(a, b *entity) int {
			return strings.Compare(lower(docString(a.doc, "displayName")), lower(docString(b.doc, "displayName")))
		}),
		members: map[string][]string{},
		owners:  map[string][]string{},
		photos:  map[string]userPhoto{},
	}
}

// Permissions of the directory routes (least to most privileged).
var (
	permGroupsRead = &permission{
		delegated: []string{"GroupMember.Read.All", "Group.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"GroupMember.Read.All", "Group.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permGroupMembersWrite = &permission{
		delegated: []string{"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permGroupsWrite = &permission{
		delegated: []string{"Group.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"Group.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	// permUserWrite admits User.ReadWrite so a user may update their own
	// profile; writes on others need permUsersWrite (checked in the handler).
	permUserWrite = &permission{
		delegated: []string{"User.ReadWrite", "User.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permUsersWrite = &permission{
		delegated: []string{"User.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permMemberOf = &permission{
		delegated: []string{"User.Read", "User.ReadBasic.All", "GroupMember.Read.All", "Group.Read.All", "User.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"GroupMember.Read.All", "Group.Read.All", "User.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permInvite = &permission{
		delegated: []string{"User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
		app:       []string{"User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
	}
)

// groupProps are the properties of microsoft.graph.group (v1.0), lower case.
var groupProps = setOf("allowExternalSenders assignedLabels assignedLicenses autoSubscribeNewMembers classification createdDateTime deletedDateTime description displayName expirationDateTime groupTypes hasMembersWithLicenseErrors hideFromAddressLists hideFromOutlookClients id isArchived isAssignableToRole isManagementRestricted isSubscribedByMail licenseProcessingState mail mailEnabled mailNickname membershipRule membershipRuleProcessingState onPremisesDomainName onPremisesLastSyncDateTime onPremisesNetBiosName onPremisesProvisioningErrors onPremisesSamAccountName onPremisesSecurityIdentifier onPremisesSyncEnabled preferredDataLocation preferredLanguage proxyAddresses renewedDateTime resourceBehaviorOptions resourceProvisioningOptions securityEnabled securityIdentifier serviceProvisioningErrors theme uniqueName unseenCount visibility")

// groupDefaults are the properties Graph returns without $select.
var groupDefaults = strings.Fields("id deletedDateTime classification createdDateTime creationOptions description displayName expirationDateTime groupTypes isAssignableToRole mail mailEnabled mailNickname membershipRule membershipRuleProcessingState onPremisesDomainName onPremisesLastSyncDateTime onPremisesNetBiosName onPremisesSamAccountName onPremisesSecurityIdentifier onPremisesSyncEnabled preferredDataLocation preferredLanguage proxyAddresses renewedDateTime resourceBehaviorOptions resourceProvisioningOptions securityEnabled securityIdentifier theme uniqueName visibility onPremisesProvisioningErrors serviceProvisioningErrors")

func docString(doc map[string]any, k string) string {
	s, _ := doc[k].(string)
	return s
}

// encodeDirDoc encodes the keys of doc in order, then any others sorted.
func encodeDirDoc(doc map[string]any, order []string, onlyOrder bool) []byte {
	var b strings.Builder
	b.WriteByte('{')
	seen := map[string]bool{}
	n := 0
	write := func(k string, v any) {
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			vb = []byte("null")
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	for _, k := range order {
		seen[k] = true
		if v, ok := doc[k]; ok {
			write(k, v)
		}
	}
	if !onlyOrder {
		keys := make([]string, 0, len(doc))
		for k := range doc {
			if !seen[k] {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			write(k, doc[k])
		}
	}
	b.WriteByte('}')
	return []byte(b.String())
}

// groupEntity builds the stored group from its document.
func groupEntity(doc map[string]any) *entity {
	id := docString(doc, "id")
	return &entity{id: id, raw: encodeDirDoc(doc, groupDefaults, true), full: encodeDirDoc(doc, groupDefaults, false), doc: doc}
}

// newGroupDoc fills a group document with Graph's defaults.
func (s *Server) newGroupDoc(in map[string]any) map[string]any {
	now := s.now().UTC().Format("2006-01-02T15:04:05Z")
	doc := map[string]any{}
	for _, k := range groupDefaults {
		doc[k] = nil
	}
	for _, k := range []string{"groupTypes", "proxyAddresses", "resourceBehaviorOptions", "resourceProvisioningOptions", "creationOptions", "onPremisesProvisioningErrors", "serviceProvisioningErrors"} {
		doc[k] = []any{}
	}
	doc["createdDateTime"] = now
	doc["renewedDateTime"] = now
	doc["isAssignableToRole"] = nil
	doc["securityIdentifier"] = "S-1-12-1-" + strings.ReplaceAll(newUUID()[:13], "-", "")
	for k, v := range in {
		if strings.Contains(k, "@") {
			continue
		}
		doc[k] = v
	}
	if docString(doc, "id") == "" {
		doc["id"] = newUUID()
	}
	if types, _ := doc["groupTypes"].([]any); slices.ContainsFunc(types, func(t any) bool { s, _ := t.(string); return strings.EqualFold(s, "Unified") }) {
		if doc["visibility"] == nil {
			doc["visibility"] = "Public"
		}
		if doc["mail"] == nil {
			doc["mail"] = docString(doc, "mailNickname") + "@" + defaultTenantDomain
		}
	}
	if b, _ := doc["mailEnabled"].(bool); b && doc["mail"] == nil {
		doc["mail"] = docString(doc, "mailNickname") + "@" + defaultTenantDomain
	}
	if m := docString(doc, "mail"); m != "" {
		doc["proxyAddresses"] = []any{"SMTP:" + m}
	}
	return doc
}

// AddGroup adds a group to the directory with the given members and owners
// (user ids or UPNs, or group ids); unified makes it a Microsoft 365 group,
// otherwise a security group. It returns the group id.
func (s *Server) AddGroup(displayName, description string, unified bool, members, owners []string) string {
	nick := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, displayName)
	in := map[string]any{
		"id":              deterministicID("group", displayName),
		"displayName":     displayName,
		"description":     nullable(description),
		"mailNickname":    nick,
		"mailEnabled":     unified,
		"securityEnabled": !unified,
		"createdDateTime": seedBase.Add(-400 * 24 * 3600e9).Format("2006-01-02T15:04:05Z"),
	}
	if unified {
		in["groupTypes"] = []any{"Unified"}
	}
	doc := s.newGroupDoc(in)
	doc["renewedDateTime"] = doc["createdDateTime"]
	d := s.dir
	d.groups.put(groupEntity(doc))
	id := docString(doc, "id")
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, list := range []struct {
		ids []string
		m   map[string][]string
	}{{members, d.members}, {owners, d.owners}} {
		for _, ref := range list.ids {
			if oid, ok := s.objectID(ref); ok && !slices.Contains(list.m[id], oid) {
				list.m[id] = append(list.m[id], oid)
			}
		}
	}
	return id
}

// objectID resolves a user (id or UPN) or group id to an object id.
func (s *Server) objectID(ref string) (string, bool) {
	if u, ok := s.lookupUser(ref); ok {
		return u.ID, true
	}
	if _, ok := s.dir.groups.get(lower(ref)); ok {
		return lower(ref), true
	}
	return "", false
}

// directoryObject returns the typed entity of a user or group id.
func (s *Server) directoryObject(id string) (*entity, bool) {
	if u, ok := s.lookupUser(id); ok {
		if e, ok := s.store.users.get(u.ID); ok {
			return typedUser(e), true
		}
	}
	if g, ok := s.dir.groups.get(id); ok {
		return typedGroup(g), true
	}
	return nil, false
}

// typedGroup is a group entity as a directoryObject collection returns it.
func typedGroup(e *entity) *entity {
	doc := make(map[string]any, len(e.doc)+1)
	for k, v := range e.doc {
		doc[k] = v
	}
	doc["@odata.type"] = "#microsoft.graph.group"
	return &entity{id: e.id, raw: withType(e.raw, "#microsoft.graph.group"), full: withType(e.full, "#microsoft.graph.group"), doc: doc}
}

// memberIDs returns the direct members (or owners) of a group.
func (s *Server) memberIDs(groupID string, owners bool) []string {
	d := s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if owners {
		return slices.Clone(d.owners[groupID])
	}
	return slices.Clone(d.members[groupID])
}

// transitiveMemberIDs returns the members of a group and of its nested
// groups, each once, nested groups included.
func (s *Server) transitiveMemberIDs(groupID string) []string {
	var out []string
	seen := map[string]bool{groupID: true}
	queue := []string{groupID}
	for len(queue) > 0 {
		g := queue[0]
		queue = queue[1:]
		for _, m := range s.memberIDs(g, false) {
			if seen[m] {
				continue
			}
			seen[m] = true
			out = append(out, m)
			if _, ok := s.dir.groups.get(m); ok {
				queue = append(queue, m)
			}
		}
	}
	return out
}

// memberOfIDs returns the groups an object is a direct member of; with
// transitive, the groups those are members of too.
func (s *Server) memberOfIDs(objectID string, transitive bool) []string {
	d := s.dir
	parents := func(id string) []string {
		d.mu.Lock()
		defer d.mu.Unlock()
		var out []string
		for g, ms := range d.members {
			if slices.Contains(ms, id) {
				out = append(out, g)
			}
		}
		slices.Sort(out)
		return out
	}
	if !transitive {
		return parents(objectID)
	}
	var out []string
	seen := map[string]bool{objectID: true}
	queue := []string{objectID}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, g := range parents(x) {
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
				queue = append(queue, g)
			}
		}
	}
	return out
}

// forgetObject removes an object from every membership (it was deleted).
func (s *Server) forgetObject(id string) {
	d := s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, m := range []map[string][]string{d.members, d.owners} {
		delete(m, id)
		for g, ids := range m {
			m[g] = slices.DeleteFunc(ids, func(x string) bool { return x == id })
		}
	}
	delete(d.photos, id)
	delete(d.conversations, id)
}

// objectsSpec lists directory objects (users and groups mixed).
func (s *Server) objectsSpec(c *call, ids []string, context string) *listSpec {
	coll := newCollection("directoryObjects", nil)
	for _, id := range ids {
		if e, ok := s.directoryObject(id); ok {
			coll.put(e)
		}
	}
	props := map[string]bool{"@odata.type": true}
	for k := range userProps {
		props[k] = true
	}
	for k := range groupProps {
		props[k] = true
	}
	return &listSpec{
		coll:       coll,
		context:    c.base() + "/$metadata#" + context,
		entityType: "microsoft.graph.directoryObject",
		props:      props,
		defaultTop: 100,
		maxTop:     999,
		directory:  true,
		search:     []string{"displayName", "mail", "userPrincipalName", "mailNickname", "description"},
	}
}

// groupSpec is the listing of /groups.
func (s *Server) groupSpec(c *call) *listSpec {
	return &listSpec{
		coll:       s.dir.groups,
		context:    c.base() + "/$metadata#groups",
		entityType: "microsoft.graph.group",
		props:      groupProps,
		defaultTop: 100,
		maxTop:     999,
		directory:  true,
		search:     []string{"displayName", "description", "mail", "mailNickname"},
	}
}

// errNoObject is Graph's answer for an unknown directory object.
func errNoObject(id string) *graphError {
	return errorf(http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
}
