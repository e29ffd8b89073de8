package emulator

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// teamsState is the Microsoft Teams area: teams (one per group that has
// one), their channels and channel messages, chats, the app catalog with
// its installations, and presence. Everything is small and lives behind one
// mutex; documents are built from the records on each answer.
type teamsState struct {
	mu    sync.Mutex
	teams map[string]*teamRec // by lower-case group id
	chats map[string]*chatRec // by chat id
	// chatOrder is the creation order of chats, for stable listings.
	chatOrder []string
	// apps is the tenant's app catalog, by teamsApp id.
	apps     map[string]*teamsAppRec
	appOrder []string
	// userApps are the apps installed in users' personal scope, by
	// lower-case user id.
	userApps map[string][]string
	presence map[string]*presenceRec // by lower-case user id
	// lastMsg is the last message id handed out: ids are epoch
	// milliseconds, bumped to stay unique and increasing.
	lastMsg int64

	throttle teamsThrottler
	// limits, when set, replaces Options.TeamsThrottling.
	limits *TeamsThrottling
}

// teamRec is a team: a group with Teams enabled.
type teamRec struct {
	id         string // the group's id
	internalID string
	created    time.Time
	archived   bool
	channels   []*channelRec
	apps       []string // installed teamsApp ids
}

// channelRec is a channel of a team.
type channelRec struct {
	id, name, description string
	membershipType        string
	created               time.Time
	messages              []*messageRec // root messages, oldest first
}

// messageRec is a channel or chat message (or a channel reply).
type messageRec struct {
	id, replyTo     string
	fromID, fromUPN string
	fromName        string
	created         time.Time
	contentType     string
	content         string
	subject         string
	importance      string
	mentions        []any
	replies         []*messageRec // channel messages only
}

// chatRec is a chat: oneOnOne or group.
type chatRec struct {
	id, chatType, topic string
	created, updated    time.Time
	members             []string // user ids, in the order they joined
	messages            []*messageRec
}

// teamsAppRec is an app of the catalog.
type teamsAppRec struct {
	id, externalID, name, version, description, short, azureADAppID string
}

func newTeamsState() *teamsState {
	return &teamsState{
		teams:    map[string]*teamRec{},
		chats:    map[string]*chatRec{},
		apps:     map[string]*teamsAppRec{},
		userApps: map[string][]string{},
		presence: map[string]*presenceRec{},
	}
}

// teamsTime is Graph's Teams timestamp form: milliseconds, trailing zeros
// dropped, as the documented answers show ("2021-03-29T03:53:52.035Z").
func teamsTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999Z07:00")
}

// threadID derives a channel or chat thread id from a seed string.
func threadID(seed, suffix string) string {
	h := deterministicID("thread", seed)
	return "19:" + strings.ReplaceAll(h, "-", "") + suffix
}

// oneOnOneChatID is Graph's id of the one-on-one chat of two users: both
// ids sorted, so the same pair always names the same chat.
func oneOnOneChatID(a, b string) string {
	ids := []string{lower(a), lower(b)}
	slices.Sort(ids)
	return "19:" + ids[0] + "_" + ids[1] + "@unq.gbl.spaces"
}

// installationID is the id of an app installation: base64 of
// "{scope-id}##{app-id}", as Graph's ids decode.
func installationID(scope, appID string) string {
	return base64.StdEncoding.EncodeToString([]byte(scope + "##" + appID))
}

// memberID is the id of a conversation member: base64 of
// "{thread-or-team}##{user-id}".
func memberID(scope, userID string) string {
	return base64.StdEncoding.EncodeToString([]byte(scope + "##" + userID))
}

// nextMessageID returns a new message id (epoch milliseconds, unique and
// increasing). The caller holds t.mu.
func (t *teamsState) nextMessageID(now time.Time) (string, time.Time) {
	ms := now.UnixMilli()
	if ms <= t.lastMsg {
		ms = t.lastMsg + 1
	}
	t.lastMsg = ms
	return strconv.FormatInt(ms, 10), time.UnixMilli(ms).UTC()
}

// team returns the team of a group id. The caller holds t.mu.
func (t *teamsState) team(id string) *teamRec { return t.teams[lower(id)] }

// channel finds a channel of a team by id. The caller holds t.mu.
func (tm *teamRec) channel(id string) *channelRec {
	for _, ch := range tm.channels {
		if ch.id == id || strings.EqualFold(ch.id, id) {
			return ch
		}
	}
	return nil
}

// message finds a root message by id.
func findMessage(list []*messageRec, id string) *messageRec {
	for _, m := range list {
		if m.id == id {
			return m
		}
	}
	return nil
}

// teamMemberIDs returns the users of a team: the group's members and
// owners, nested groups resolved, each once.
func (s *Server) teamMemberIDs(teamID string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(ids []string) {
		for _, id := range ids {
			if _, ok := s.lookupUser(id); ok && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	add(s.memberIDs(lower(teamID), true))
	add(s.transitiveMemberIDs(lower(teamID)))
	return out
}

// isTeamMember reports whether a user is a member or owner of the team.
func (s *Server) isTeamMember(teamID, userID string) bool {
	return slices.ContainsFunc(s.teamMemberIDs(teamID), func(id string) bool { return strings.EqualFold(id, userID) })
}

// isTeamOwner reports whether a user owns the team's group.
func (s *Server) isTeamOwner(teamID, userID string) bool {
	return slices.ContainsFunc(s.memberIDs(lower(teamID), true), func(id string) bool { return strings.EqualFold(id, userID) })
}

// groupInfo returns a group's display name and description.
func (s *Server) groupInfo(id string) (name, description string, ok bool) {
	e, found := s.dir.groups.get(lower(id))
	if !found {
		return "", "", false
	}
	return docString(e.doc, "displayName"), docString(e.doc, "description"), true
}

// EnableTeam turns the group into a team with a General channel (as
// PUT /groups/{id}/team or POST /teams with a group bind do) and returns
// the team id, which is the group id. An unknown group gives "".
func (s *Server) EnableTeam(groupID string) string {
	if _, _, ok := s.groupInfo(groupID); !ok {
		return ""
	}
	t := s.teams
	t.mu.Lock()
	defer t.mu.Unlock()
	id := lower(groupID)
	if tm := t.teams[id]; tm != nil {
		return tm.id
	}
	created := s.now().UTC()
	if seedMode(s) {
		created = seedBase.Add(-300 * 24 * time.Hour)
	}
	tm := &teamRec{
		id:         id,
		internalID: threadID("team/"+id, "@thread.tacv2"),
		created:    created,
	}
	tm.channels = append(tm.channels, &channelRec{
		id: threadID("general/"+id, "@thread.tacv2"), name: "General",
		description: "General channel", membershipType: "standard", created: created,
	})
	t.teams[id] = tm
	return tm.id
}

// seedMode reports whether the server is still seeding (no listener yet),
// when records get fixed dates so that seeds are deterministic.
func seedMode(s *Server) bool { return s.ln == nil }

// teamWebURL is the Teams client link of a team.
func (s *Server) teamWebURL(tm *teamRec) string {
	return "https://teams.microsoft.com/l/team/" + url.PathEscape(tm.internalID) + "/conversations?groupId=" + tm.id + "&tenantId=" + s.tenant
}

func (s *Server) channelWebURL(tm *teamRec, ch *channelRec) string {
	return "https://teams.microsoft.com/l/channel/" + url.PathEscape(ch.id) + "/" + url.PathEscape(ch.name) + "?groupId=" + tm.id + "&tenantId=" + s.tenant
}

// teamDoc is a team's Graph representation.
func (s *Server) teamDoc(tm *teamRec) map[string]any {
	name, desc, _ := s.groupInfo(tm.id)
	return map[string]any{
		"id":                          tm.id,
		"createdDateTime":             teamsTime(tm.created),
		"displayName":                 name,
		"description":                 nullable(desc),
		"internalId":                  tm.internalID,
		"classification":              nil,
		"specialization":              "none",
		"visibility":                  "public",
		"webUrl":                      s.teamWebURL(tm),
		"isArchived":                  tm.archived,
		"tenantId":                    s.tenant,
		"isMembershipLimitedToOwners": false,
		"memberSettings": map[string]any{
			"allowCreateUpdateChannels": true, "allowCreatePrivateChannels": true, "allowDeleteChannels": true,
			"allowAddRemoveApps": true, "allowCreateUpdateRemoveTabs": true, "allowCreateUpdateRemoveConnectors": true,
		},
		"guestSettings":     map[string]any{"allowCreateUpdateChannels": false, "allowDeleteChannels": false},
		"messagingSettings": map[string]any{"allowUserEditMessages": true, "allowUserDeleteMessages": true, "allowOwnerDeleteMessages": true, "allowTeamMentions": true, "allowChannelMentions": true},
		"funSettings":       map[string]any{"allowGiphy": true, "giphyContentRating": "moderate", "allowStickersAndMemes": true, "allowCustomMemes": true},
		"discoverySettings": map[string]any{"showInTeamsSearchAndSuggestions": true},
		"summary":           nil,
	}
}

// channelDoc is a channel's Graph representation.
func (s *Server) channelDoc(tm *teamRec, ch *channelRec) map[string]any {
	return map[string]any{
		"id":                  ch.id,
		"createdDateTime":     teamsTime(ch.created),
		"displayName":         ch.name,
		"description":         nullable(ch.description),
		"isFavoriteByDefault": nil,
		"email":               "",
		"tenantId":            s.tenant,
		"webUrl":              s.channelWebURL(tm, ch),
		"membershipType":      ch.membershipType,
		"isArchived":          false,
	}
}

// messageDoc is a chatMessage's Graph representation. For channel
// messages tm and ch are set; for chat messages chat is.
func (s *Server) messageDoc(m *messageRec, tm *teamRec, ch *channelRec, chat *chatRec) map[string]any {
	mentions := m.mentions
	if mentions == nil {
		mentions = []any{}
	}
	doc := map[string]any{
		"id":                   m.id,
		"replyToId":            nullable(m.replyTo),
		"etag":                 m.id,
		"messageType":          "message",
		"createdDateTime":      teamsTime(m.created),
		"lastModifiedDateTime": teamsTime(m.created),
		"lastEditedDateTime":   nil,
		"deletedDateTime":      nil,
		"subject":              nullable(m.subject),
		"summary":              nil,
		"chatId":               nil,
		"importance":           m.importance,
		"locale":               "en-us",
		"webUrl":               nil,
		"policyViolation":      nil,
		"eventDetail":          nil,
		"from": map[string]any{
			"application": nil, "device": nil, "conversation": nil,
			"user": map[string]any{
				"@odata.type": "#microsoft.graph.teamworkUserIdentity",
				"id":          m.fromID, "displayName": m.fromName, "userIdentityType": "aadUser", "tenantId": s.tenant,
			},
		},
		"body":            map[string]any{"contentType": m.contentType, "content": m.content},
		"channelIdentity": nil,
		"attachments":     []any{},
		"mentions":        mentions,
		"reactions":       []any{},
		"messageHistory":  []any{},
	}
	if ch != nil {
		parent := m.id
		if m.replyTo != "" {
			parent = m.replyTo
		}
		doc["channelIdentity"] = map[string]any{"teamId": tm.id, "channelId": ch.id}
		doc["webUrl"] = "https://teams.microsoft.com/l/message/" + url.PathEscape(ch.id) + "/" + m.id + "?groupId=" + tm.id +
			"&tenantId=" + s.tenant + "&createdTime=" + m.id + "&parentMessageId=" + parent
	}
	if chat != nil {
		doc["chatId"] = chat.id
	}
	return doc
}

// chatDoc is a chat's Graph representation.
func (s *Server) chatDoc(ch *chatRec) map[string]any {
	return map[string]any{
		"id":                    ch.id,
		"topic":                 nullable(ch.topic),
		"createdDateTime":       teamsTime(ch.created),
		"lastUpdatedDateTime":   teamsTime(ch.updated),
		"chatType":              ch.chatType,
		"webUrl":                "https://teams.microsoft.com/l/chat/" + url.PathEscape(ch.id) + "/0?tenantId=" + s.tenant,
		"tenantId":              s.tenant,
		"onlineMeetingInfo":     nil,
		"viewpoint":             nil,
		"isHiddenForAllMembers": false,
	}
}

// memberDoc is an aadUserConversationMember. Chat members are owners in
// one-on-one and group chats, as Graph reports them.
func (s *Server) memberDoc(scope, userID string, roles []any) map[string]any {
	u, _ := s.lookupUser(userID)
	if roles == nil {
		roles = []any{}
	}
	return map[string]any{
		"@odata.type":                 "#microsoft.graph.aadUserConversationMember",
		"id":                          memberID(scope, u.ID),
		"roles":                       roles,
		"displayName":                 u.DisplayName,
		"visibleHistoryStartDateTime": "0001-01-01T00:00:00Z",
		"userId":                      u.ID,
		"email":                       u.Mail,
		"tenantId":                    s.tenant,
	}
}

// appDefinitionDoc is a teamsAppDefinition.
func appDefinitionDoc(a *teamsAppRec) map[string]any {
	return map[string]any{
		"id":           base64.StdEncoding.EncodeToString([]byte(a.id + "##" + a.version)),
		"teamsAppId":   a.id,
		"azureADAppId": nullable(a.azureADAppID),
		"displayName":  a.name,
		"version":      a.version,
		"requiredResourceSpecificApplicationPermissions": []any{},
		"publishingState":      "published",
		"shortDescription":     a.short,
		"description":          a.description,
		"lastModifiedDateTime": nil,
		"createdBy":            nil,
		"authorization":        nil,
	}
}

// appDoc is a teamsApp.
func appDoc(a *teamsAppRec) map[string]any {
	return map[string]any{"id": a.id, "externalId": nullable(a.externalID), "displayName": a.name, "distributionMethod": "store"}
}

// addCatalogApp adds an app to the tenant catalog. The caller holds t.mu.
func (t *teamsState) addCatalogApp(a *teamsAppRec) {
	if _, ok := t.apps[a.id]; !ok {
		t.appOrder = append(t.appOrder, a.id)
	}
	t.apps[a.id] = a
}

// hexID is a random 32-hex-digit string.
func hexID() string {
	return strings.ReplaceAll(newUUID(), "-", "")
}
