package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/o365go/o365/emulator/internal/query"
)

// Teams routes (user-list-joinedteams.md, team-get.md, channel-list.md,
// channel-get.md, channel-post.md, channel-list-messages.md,
// channel-post-messages.md, chatmessage-get.md, chatmessage-list-replies.md,
// chatmessage-post-replies.md, chat-list.md, chat-post.md, chat-get.md,
// chat-list-members.md, chat-list-messages.md, chat-post-messages.md,
// team-list-installedapps.md, userteamwork-list-installedapps.md).

var (
	permJoinedTeams = &permission{
		delegated: []string{"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		app:       []string{"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permTeamRead = &permission{
		delegated: []string{"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		app:       []string{"Team.ReadBasic.All", "TeamSettings.Read.All", "TeamSettings.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permTeamMembersRead = &permission{
		delegated: []string{"TeamMember.Read.All", "TeamMember.ReadWrite.All"},
		app:       []string{"TeamMember.Read.All", "TeamMember.ReadWrite.All"},
	}
	permChannelRead = &permission{
		delegated: []string{"Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		app:       []string{"Channel.ReadBasic.All", "ChannelSettings.Read.All", "ChannelSettings.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permChannelCreate = &permission{
		delegated: []string{"Channel.Create", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
		app:       []string{"Channel.Create", "Teamwork.Migrate.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
	}
	permChannelMessageRead = &permission{
		delegated: []string{"ChannelMessage.Read.All", "Group.Read.All", "Group.ReadWrite.All"},
		app:       []string{"ChannelMessage.Read.All", "Group.Read.All", "Group.ReadWrite.All"},
	}
	// permChannelMessageSend: applications send only while importing
	// (Teamwork.Migrate.All), as Graph.
	permChannelMessageSend = &permission{
		delegated: []string{"ChannelMessage.Send", "ChannelMessage.ReadWrite", "Group.ReadWrite.All"},
		app:       []string{"Teamwork.Migrate.All"},
	}
	permChatRead = &permission{
		delegated: []string{"Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"},
		app:       []string{"Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"},
	}
	permChatCreate = &permission{
		delegated: []string{"Chat.Create", "Chat.ReadWrite"},
		app:       []string{"Chat.Create", "Teamwork.Migrate.All"},
	}
	permChatMembersRead = &permission{
		delegated: []string{"ChatMember.Read", "ChatMember.ReadWrite", "Chat.ReadBasic", "Chat.Read", "Chat.ReadWrite"},
		app:       []string{"ChatMember.Read.All", "ChatMember.ReadWrite.All", "Chat.ReadBasic.All", "Chat.Read.All", "Chat.ReadWrite.All"},
	}
	permChatMessageRead = &permission{
		delegated: []string{"Chat.Read", "Chat.ReadWrite"},
		app:       []string{"Chat.Read.All", "Chat.ReadWrite.All"},
	}
	permChatMessageSend = &permission{
		delegated: []string{"ChatMessage.Send", "Chat.ReadWrite"},
		app:       []string{"Teamwork.Migrate.All"},
	}
	permTeamAppsRead = &permission{
		delegated: []string{"TeamsAppInstallation.ReadForTeam", "TeamsAppInstallation.ReadWriteForTeam", "TeamsAppInstallation.ReadWriteSelfForTeam", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
		app:       []string{"TeamsAppInstallation.ReadForTeam.All", "TeamsAppInstallation.ReadWriteForTeam.All", "TeamsAppInstallation.ReadWriteSelfForTeam.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permUserAppsRead = &permission{
		delegated: []string{"TeamsAppInstallation.ReadForUser", "TeamsAppInstallation.ReadWriteForUser", "TeamsAppInstallation.ReadWriteSelfForUser"},
		app:       []string{"TeamsAppInstallation.ReadForUser.All", "TeamsAppInstallation.ReadWriteForUser.All", "TeamsAppInstallation.ReadWriteSelfForUser.All"},
	}
)

// Page sizes of the Teams listings (channel-list-messages.md,
// chatmessage-list-replies.md, chat-list-messages.md, chat-list.md): $top
// takes at most 50; without it messages come 20 to a page.
const (
	teamsMessagePage = 20
	teamsMaxTop      = 50
)

// registerTeams adds the Teams and presence routes.
func (s *Server) registerTeams(rt *router) {
	l := s.teamsLimited
	rt.add(http.MethodGet, "users/{user}/joinedTeams", permJoinedTeams, false, l(teamsOther, s.listJoinedTeams))
	rt.add(http.MethodGet, "teams/{team}", permTeamRead, false, l(teamsOther, s.getTeam))
	rt.add(http.MethodGet, "teams/{team}/members", permTeamMembersRead, false, l(teamsOther, s.listTeamMembers))
	rt.add(http.MethodGet, "teams/{team}/installedApps", permTeamAppsRead, false, l(teamsOther, s.listTeamApps))
	rt.add(http.MethodGet, "teams/{team}/primaryChannel", permChannelRead, false, l(teamsOther, s.getChannel))
	ch := "teams/{team}/channels"
	rt.add(http.MethodGet, ch, permChannelRead, false, l(teamsOther, s.listChannels))
	rt.add(http.MethodPost, ch, permChannelCreate, false, l(teamsWrite, s.createChannel))
	rt.add(http.MethodGet, ch+"/{channel}", permChannelRead, false, l(teamsOther, s.getChannel))
	m := ch + "/{channel}/messages"
	rt.add(http.MethodGet, m, permChannelMessageRead, false, l(teamsChannelRead, s.listChannelMessages))
	rt.add(http.MethodPost, m, permChannelMessageSend, false, l(teamsChannelSend, s.sendChannelMessage))
	rt.add(http.MethodGet, m+"/{message}", permChannelMessageRead, false, l(teamsChannelRead, s.getChannelMessage))
	rt.add(http.MethodGet, m+"/{message}/replies", permChannelMessageRead, false, l(teamsChannelRead, s.listChannelMessages))
	rt.add(http.MethodPost, m+"/{message}/replies", permChannelMessageSend, false, l(teamsChannelSend, s.sendChannelMessage))
	rt.add(http.MethodGet, m+"/{message}/replies/{reply}", permChannelMessageRead, false, l(teamsChannelRead, s.getChannelMessage))

	rt.add(http.MethodGet, "users/{user}/chats", permChatRead, false, l(teamsOther, s.listChats))
	rt.add(http.MethodPost, "chats", permChatCreate, false, l(teamsWrite, s.createChat))
	rt.add(http.MethodGet, "chats/{chat}", permChatRead, false, l(teamsOther, s.getChat))
	rt.add(http.MethodGet, "chats/{chat}/members", permChatMembersRead, false, l(teamsOther, s.listChatMembers))
	rt.add(http.MethodGet, "chats/{chat}/members/{member}", permChatMembersRead, false, l(teamsOther, s.listChatMembers))
	rt.add(http.MethodGet, "chats/{chat}/messages", permChatMessageRead, false, l(teamsOther, s.listChatMessages))
	rt.add(http.MethodPost, "chats/{chat}/messages", permChatMessageSend, false, l(teamsWrite, s.sendChatMessage))
	rt.add(http.MethodGet, "chats/{chat}/messages/{message}", permChatMessageRead, false, l(teamsOther, s.listChatMessages))

	rt.add(http.MethodGet, "users/{user}/teamwork/installedApps", permUserAppsRead, false, l(teamsOther, s.listUserApps))
	s.registerPresence(rt)
}

// teamsList describes one Teams listing for serveTeamsList.
type teamsList struct {
	context string
	// defaultTop is the page size without $top (0: everything);
	// maxTop the largest $top (0: no limit).
	defaultTop, maxTop int
	// expand returns a navigation property's value for $expand; nil
	// means none is supported.
	expand func(doc map[string]any, name string) (any, bool)
}

// serveTeamsList answers a collection with $filter, $select, $expand,
// $top, $count and $skiptoken paging.
func (c *call) serveTeamsList(tl teamsList, docs []map[string]any) {
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.writeError(errBadRequest("The query specified in the URI is not valid."))
		return
	}
	if f, ok := option(v, "filter"); ok {
		flt, err := query.ParseFilter(f)
		if err != nil {
			c.writeError(errBadRequest("Invalid filter clause: " + err.Error()))
			return
		}
		var kept []map[string]any
		for _, d := range docs {
			if ok, _ := flt.Match(d); ok {
				kept = append(kept, d)
			}
		}
		docs = kept
	}
	var sel []string
	if s, ok := option(v, "select"); ok {
		if sel, err = query.ParseSelect(s); err != nil {
			c.writeError(errBadRequest(err.Error()))
			return
		}
	}
	var expand query.Expand
	if s, ok := option(v, "expand"); ok {
		if expand, err = query.ParseExpand(s); err != nil {
			c.writeError(errBadRequest(err.Error()))
			return
		}
		for _, it := range expand {
			if tl.expand == nil {
				c.writeError(errBadRequest("Could not find a property named '" + it.Name + "' to expand."))
				return
			}
			if _, ok := tl.expand(map[string]any{}, it.Name); !ok {
				c.writeError(errBadRequest("Could not find a property named '" + it.Name + "' to expand."))
				return
			}
		}
	}
	page := tl.defaultTop
	if n := maxPageSize(c.r); n > 0 {
		page = n
	}
	if s, ok := option(v, "top"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			c.writeError(errBadRequest("Invalid value '" + s + "' for $top: it must be a positive number."))
			return
		}
		if tl.maxTop > 0 && n > tl.maxTop {
			c.writeError(errBadRequest("Invalid page size specified: '" + s + "'. Must be between 1 and " + strconv.Itoa(tl.maxTop) + " inclusive."))
			return
		}
		page = n
	}
	skip := 0
	if s, ok := option(v, "skiptoken"); ok {
		n, ok := decodeSkipToken(s)
		if !ok {
			c.writeError(errBadRequest("The $skiptoken is not valid."))
			return
		}
		skip = n
	}
	total := len(docs)
	if skip > total {
		skip = total
	}
	end := total
	if page > 0 && skip+page < total {
		end = skip + page
	}
	out := make([]any, 0, end-skip)
	for _, d := range docs[skip:end] {
		item := d
		if len(expand) > 0 {
			item = make(map[string]any, len(d)+len(expand))
			for k, x := range d {
				item[k] = x
			}
			for _, it := range expand {
				val, _ := tl.expand(d, it.Name)
				item[it.Name] = val
			}
		}
		if len(sel) > 0 && !slices.Contains(sel, "*") {
			p := map[string]any{}
			for k, x := range item {
				if k == "id" || strings.HasPrefix(k, "@odata.") || slices.ContainsFunc(sel, func(n string) bool { return strings.EqualFold(n, k) }) ||
					slices.ContainsFunc(expand, func(it query.ExpandItem) bool { return it.Name == k }) {
					p[k] = x
				}
			}
			item = p
		}
		out = append(out, item)
	}
	body := map[string]any{"@odata.context": tl.context, "value": out}
	if s, _ := option(v, "count"); strings.EqualFold(s, "true") {
		body["@odata.count"] = total
	}
	if end < total {
		nv := url.Values{}
		for k, vs := range v {
			if strings.TrimPrefix(k, "$") != "skiptoken" {
				nv[k] = vs
			}
		}
		nv.Set("$skiptoken", encodeSkipToken(end))
		body["@odata.nextLink"] = baseURL(c.r) + c.r.URL.EscapedPath() + "?" + nv.Encode()
	}
	c.writeValue(http.StatusOK, body)
}

// writeTeamsEntity answers one entity with its context.
func (c *call) writeTeamsEntity(status int, ctx string, doc map[string]any) {
	out := make(map[string]any, len(doc)+1)
	for k, v := range doc {
		out[k] = v
	}
	out["@odata.context"] = ctx
	c.writeValue(status, out)
}

func errTeamNotFound(id string) *graphError {
	return errorf(http.StatusNotFound, "NotFound", "No team found with Group Id "+id)
}

// routeTeam resolves {team} and checks that a delegated caller is a
// member. It locks nothing: the caller locks t.mu before reading records.
func (s *Server) routeTeam(c *call) (*teamRec, *graphError) {
	id := c.params["team"]
	t := s.teams
	t.mu.Lock()
	tm := t.team(id)
	t.mu.Unlock()
	if tm == nil {
		return nil, errTeamNotFound(id)
	}
	if !c.claims.AppOnly && !s.isTeamMember(tm.id, c.claims.ObjectID) {
		return nil, errorf(http.StatusForbidden, "Forbidden", "The caller is not a member of the team.")
	}
	return tm, nil
}

func (c *call) teamCtx(tm *teamRec, rest string) string {
	return c.base() + "/$metadata#teams('" + tm.id + "')" + rest
}

// delegatedSelf checks that a delegated caller asks about themself.
func (s *Server) routeUserSelf(c *call) (User, *graphError) {
	u, ok := s.lookupUser(c.params["user"])
	if !ok {
		return User{}, errorf(http.StatusNotFound, "NotFound", "User '"+c.params["user"]+"' was not found.")
	}
	if !c.claims.AppOnly && !strings.EqualFold(u.ID, c.claims.ObjectID) {
		return User{}, errorf(http.StatusForbidden, "Forbidden", "A delegated caller can list only their own teams, chats and apps.")
	}
	return u, nil
}

func (s *Server) listJoinedTeams(c *call) {
	u, gerr := s.routeUserSelf(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	var teams []*teamRec
	for _, tm := range t.teams {
		teams = append(teams, tm)
	}
	t.mu.Unlock()
	var docs []map[string]any
	for _, tm := range teams {
		if s.isTeamMember(tm.id, u.ID) {
			docs = append(docs, s.teamDoc(tm))
		}
	}
	slices.SortFunc(docs, func(a, b map[string]any) int {
		return strings.Compare(lower(docString(a, "displayName"))+docString(a, "id"), lower(docString(b, "displayName"))+docString(b, "id"))
	})
	c.serveTeamsList(teamsList{context: c.base() + "/$metadata#teams"}, docs)
}

func (s *Server) getTeam(c *call) {
	tm, gerr := s.routeTeam(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	c.writeTeamsEntity(http.StatusOK, c.base()+"/$metadata#teams/$entity", s.teamDoc(tm))
}

func (s *Server) listTeamMembers(c *call) {
	tm, gerr := s.routeTeam(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var docs []map[string]any
	for _, id := range s.teamMemberIDs(tm.id) {
		var roles []any
		if s.isTeamOwner(tm.id, id) {
			roles = []any{"owner"}
		}
		docs = append(docs, s.memberDoc(tm.id, id, roles))
	}
	c.serveTeamsList(teamsList{context: c.teamCtx(tm, "/members")}, docs)
}

func (s *Server) listChannels(c *call) {
	tm, gerr := s.routeTeam(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	var docs []map[string]any
	for _, ch := range tm.channels {
		docs = append(docs, s.channelDoc(tm, ch))
	}
	t.mu.Unlock()
	c.serveTeamsList(teamsList{context: c.teamCtx(tm, "/channels")}, docs)
}

func errChannelNotFound() *graphError {
	return errorf(http.StatusNotFound, "NotFound", "Channel not found.")
}

func (s *Server) getChannel(c *call) {
	tm, gerr := s.routeTeam(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	var ch *channelRec
	if id, ok := c.params["channel"]; ok {
		ch = tm.channel(id)
	} else if len(tm.channels) > 0 {
		ch = tm.channels[0] // primaryChannel: General
	}
	var doc map[string]any
	if ch != nil {
		doc = s.channelDoc(tm, ch)
	}
	t.mu.Unlock()
	if ch == nil {
		c.writeError(errChannelNotFound())
		return
	}
	c.writeTeamsEntity(http.StatusOK, c.teamCtx(tm, "/channels/$entity"), doc)
}

// channelNameBad lists the characters a channel name may not hold
// (channel-post.md).
const channelNameBad = `~#%&*{}+/\:<>?|'"`

func (s *Server) createChannel(c *call) {
	tm, gerr := s.routeTeam(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	name, _ := in["displayName"].(string)
	desc, _ := in["description"].(string)
	mt, _ := in["membershipType"].(string)
	switch {
	case strings.TrimSpace(name) == "":
		gerr = errBadRequest("The displayName of a channel is required.")
	case utf8.RuneCountInString(name) > 50:
		gerr = errBadRequest("The displayName of a channel can have at most 50 characters.")
	case strings.ContainsAny(name, channelNameBad) || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "."):
		gerr = errBadRequest("Channel name contains invalid characters: it may not contain " + channelNameBad + " nor start with an underscore or a period.")
	case utf8.RuneCountInString(desc) > 1024:
		gerr = errBadRequest("The description of a channel can have at most 1024 characters.")
	case mt != "" && mt != "standard":
		gerr = errBadRequest("The emulator creates only standard channels; membershipType '" + mt + "' is not supported.")
	}
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	for _, ch := range tm.channels {
		if strings.EqualFold(ch.name, name) {
			t.mu.Unlock()
			c.writeError(errorf(http.StatusConflict, "NameAlreadyExists", "Channel name already existed, please use other name."))
			return
		}
	}
	ch := &channelRec{id: "19:" + hexID() + "@thread.tacv2", name: name, description: desc, membershipType: "standard", created: c.now.UTC()}
	tm.channels = append(tm.channels, ch)
	doc := s.channelDoc(tm, ch)
	t.mu.Unlock()
	c.writeTeamsEntity(http.StatusCreated, c.teamCtx(tm, "/channels/$entity"), doc)
}

// routeChannel resolves {team} and {channel}; the caller then locks t.mu.
func (s *Server) routeChannel(c *call) (*teamRec, *channelRec, *graphError) {
	tm, gerr := s.routeTeam(c)
	if gerr != nil {
		return nil, nil, gerr
	}
	t := s.teams
	t.mu.Lock()
	ch := tm.channel(c.params["channel"])
	t.mu.Unlock()
	if ch == nil {
		return nil, nil, errChannelNotFound()
	}
	return tm, ch, nil
}

func errMessageNotFound() *graphError {
	return errorf(http.StatusNotFound, "NotFound", "Message not found.")
}

func (c *call) channelCtx(tm *teamRec, ch *channelRec) string {
	return c.teamCtx(tm, "/channels('"+url.PathEscape(ch.id)+"')")
}

// listChannelMessages lists a channel's root messages, newest first, or a
// message's replies (when {message} is set), newest first.
func (s *Server) listChannelMessages(c *call) {
	tm, ch, gerr := s.routeChannel(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	list := ch.messages
	ctx := c.channelCtx(tm, ch) + "/messages"
	if id, ok := c.params["message"]; ok {
		root := findMessage(ch.messages, id)
		if root == nil {
			t.mu.Unlock()
			c.writeError(errMessageNotFound())
			return
		}
		list = root.replies
		ctx += "('" + root.id + "')/replies"
	}
	docs := make([]map[string]any, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		docs = append(docs, s.messageDoc(list[i], tm, ch, nil))
	}
	t.mu.Unlock()
	tl := teamsList{context: ctx, defaultTop: teamsMessagePage, maxTop: teamsMaxTop}
	if _, ok := c.params["message"]; !ok {
		tl.expand = func(doc map[string]any, name string) (any, bool) {
			if name != "replies" {
				return nil, false
			}
			id := docString(doc, "id")
			if id == "" {
				return nil, true
			}
			t.mu.Lock()
			defer t.mu.Unlock()
			root := findMessage(ch.messages, id)
			out := []any{}
			if root != nil {
				for i := len(root.replies) - 1; i >= 0; i-- {
					out = append(out, s.messageDoc(root.replies[i], tm, ch, nil))
				}
			}
			return out, true
		}
	}
	c.serveTeamsList(tl, docs)
}

func (s *Server) getChannelMessage(c *call) {
	tm, ch, gerr := s.routeChannel(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	m := findMessage(ch.messages, c.params["message"])
	ctx := c.channelCtx(tm, ch) + "/messages/$entity"
	if m != nil {
		if rid, ok := c.params["reply"]; ok {
			ctx = c.channelCtx(tm, ch) + "/messages('" + m.id + "')/replies/$entity"
			m = findMessage(m.replies, rid)
		}
	}
	var doc map[string]any
	if m != nil {
		doc = s.messageDoc(m, tm, ch, nil)
	}
	t.mu.Unlock()
	if m == nil {
		c.writeError(errMessageNotFound())
		return
	}
	c.writeTeamsEntity(http.StatusOK, ctx, doc)
}

var atTag = regexp.MustCompile(`(?is)<at\s+id\s*=\s*["']?(\d+)["']?\s*>(.*?)</at>`)

// parseMessageBody checks a chatMessage create body: body (text or html),
// subject, importance, and mentions that match the <at id="n"> tags of
// the body one to one.
func (s *Server) parseMessageBody(in map[string]any, chat bool) (*messageRec, *graphError) {
	for k := range in {
		switch k {
		case "body", "subject", "importance", "mentions", "attachments", "reactions", "messageType":
		default:
			if !strings.HasPrefix(k, "@odata.") {
				return nil, errUnknownProperty(k, "microsoft.graph.chatMessage")
			}
		}
	}
	body, _ := in["body"].(map[string]any)
	if body == nil {
		return nil, errBadRequest("The message body is required.")
	}
	content, _ := body["content"].(string)
	ct, _ := body["contentType"].(string)
	ct = lower(ct)
	switch ct {
	case "":
		ct = "text"
	case "text", "html":
	default:
		return nil, errBadRequest("The body contentType must be text or html, not '" + ct + "'.")
	}
	if strings.TrimSpace(content) == "" {
		return nil, errBadRequest("The message body content must not be empty.")
	}
	if len(content) > 28*1024 {
		return nil, errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The message is larger than 28 KB.")
	}
	m := &messageRec{contentType: ct, content: content, importance: "normal"}
	m.subject, _ = in["subject"].(string)
	if v, ok := in["importance"]; ok && v != nil {
		imp, _ := v.(string)
		switch imp {
		case "normal", "high":
		case "urgent":
			if !chat {
				return nil, errBadRequest("Urgent importance is only supported in chats.")
			}
		default:
			return nil, errBadRequest("The importance must be normal, high or urgent, not '" + imp + "'.")
		}
		m.importance = imp
	}
	if att, ok := in["attachments"].([]any); ok && len(att) > 0 {
		return nil, errBadRequest("Attachments are not supported by the emulator.")
	}
	// Mentions.
	tags := map[int]string{}
	if ct == "html" {
		for _, mt := range atTag.FindAllStringSubmatch(content, -1) {
			n, err := strconv.Atoi(mt[1])
			if err != nil {
				return nil, errBadRequest("The id of an <at> tag is not a number.")
			}
			tags[n] = mt[2]
		}
	}
	raw, _ := in["mentions"].([]any)
	if len(raw) > 0 && ct != "html" {
		return nil, errBadRequest("Mentions need an html body with <at id=\"n\"> tags.")
	}
	seen := map[int]bool{}
	for _, r := range raw {
		mm, _ := r.(map[string]any)
		idf, ok := mm["id"].(float64)
		if mm == nil || !ok || idf != float64(int(idf)) {
			return nil, errBadRequest("Each mention needs a numeric id.")
		}
		id := int(idf)
		if seen[id] {
			return nil, errBadRequest("The mention id " + strconv.Itoa(id) + " is used twice.")
		}
		seen[id] = true
		text, ok := tags[id]
		if !ok {
			return nil, errBadRequest("The mention id " + strconv.Itoa(id) + " has no <at id=\"" + strconv.Itoa(id) + "\"> tag in the body.")
		}
		mtext, _ := mm["mentionText"].(string)
		if mtext != "" && mtext != text {
			return nil, errBadRequest("The mentionText of mention " + strconv.Itoa(id) + " does not match the text of its <at> tag.")
		}
		who, _ := mm["mentioned"].(map[string]any)
		if who == nil {
			return nil, errBadRequest("Mention " + strconv.Itoa(id) + " does not say who is mentioned.")
		}
		mentioned := map[string]any{"application": nil, "device": nil, "user": nil, "tag": nil, "conversation": nil}
		switch {
		case who["user"] != nil:
			us, _ := who["user"].(map[string]any)
			uid, _ := us["id"].(string)
			u, ok := s.lookupUser(uid)
			if !ok {
				return nil, errBadRequest("The mentioned user '" + uid + "' does not exist.")
			}
			mentioned["user"] = map[string]any{"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": u.ID, "displayName": u.DisplayName, "userIdentityType": "aadUser"}
		case who["conversation"] != nil:
			mentioned["conversation"] = who["conversation"]
		case who["tag"] != nil:
			mentioned["tag"] = who["tag"]
		case who["application"] != nil:
			mentioned["application"] = who["application"]
		default:
			return nil, errBadRequest("Mention " + strconv.Itoa(id) + " does not say who is mentioned.")
		}
		m.mentions = append(m.mentions, map[string]any{"id": id, "mentionText": text, "mentioned": mentioned})
	}
	for id := range tags {
		if !seen[id] {
			return nil, errBadRequest("The <at id=\"" + strconv.Itoa(id) + "\"> tag has no matching entry in mentions.")
		}
	}
	return m, nil
}

func (s *Server) sendChannelMessage(c *call) {
	tm, ch, gerr := s.routeChannel(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	m, gerr := s.parseMessageBody(in, false)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.setSender(c, m)
	t := s.teams
	t.mu.Lock()
	ctx := c.channelCtx(tm, ch) + "/messages/$entity"
	res := "teams('" + tm.id + "')/channels('" + ch.id + "')/messages('"
	if pid, ok := c.params["message"]; ok {
		root := findMessage(ch.messages, pid)
		if root == nil {
			t.mu.Unlock()
			c.writeError(errMessageNotFound())
			return
		}
		m.id, m.created = t.nextMessageID(c.now)
		m.replyTo = root.id
		root.replies = append(root.replies, m)
		ctx = c.channelCtx(tm, ch) + "/messages('" + root.id + "')/replies/$entity"
		res += root.id + "')/replies('" + m.id + "')"
	} else {
		m.id, m.created = t.nextMessageID(c.now)
		ch.messages = append(ch.messages, m)
		res += m.id + "')"
	}
	doc := s.messageDoc(m, tm, ch, nil)
	t.mu.Unlock()
	data, _ := json.Marshal(doc)
	s.publish(change{
		Topics: []string{"teams/" + tm.id + "/channels/" + ch.id + "/messages"}, Type: "created",
		Resource: res, ID: m.id, ODataType: "#Microsoft.Graph.chatMessage", Data: data,
	})
	c.writeTeamsEntity(http.StatusCreated, ctx, doc)
}

// setSender fills the message's author from the caller.
func (s *Server) setSender(c *call, m *messageRec) {
	if u, ok := s.lookupUser(c.claims.ObjectID); ok && !c.claims.AppOnly {
		m.fromID, m.fromUPN, m.fromName = u.ID, u.UPN, u.DisplayName
	}
}

// Chats.

func errChatNotFound() *graphError {
	return errorf(http.StatusNotFound, "NotFound", "Chat not found.")
}

// routeChat resolves {chat}; a delegated caller must be a member.
func (s *Server) routeChat(c *call) (*chatRec, *graphError) {
	t := s.teams
	t.mu.Lock()
	ch := t.chats[c.params["chat"]]
	var members []string
	if ch != nil {
		members = slices.Clone(ch.members)
	}
	t.mu.Unlock()
	if ch == nil {
		return nil, errChatNotFound()
	}
	if !c.claims.AppOnly && !slices.ContainsFunc(members, func(id string) bool { return strings.EqualFold(id, c.claims.ObjectID) }) {
		return nil, errorf(http.StatusForbidden, "Forbidden", "The caller is not a member of the chat.")
	}
	return ch, nil
}

func (c *call) chatCtx(ch *chatRec) string {
	return c.base() + "/$metadata#chats('" + url.PathEscape(ch.id) + "')"
}

func (s *Server) chatMembersDocs(ch *chatRec) []any {
	out := []any{}
	for _, id := range ch.members {
		out = append(out, s.memberDoc(ch.id, id, []any{"owner"}))
	}
	return out
}

func (s *Server) listChats(c *call) {
	u, gerr := s.routeUserSelf(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	var docs []map[string]any
	var recs []*chatRec
	for i := len(t.chatOrder) - 1; i >= 0; i-- {
		ch := t.chats[t.chatOrder[i]]
		if slices.ContainsFunc(ch.members, func(id string) bool { return strings.EqualFold(id, u.ID) }) {
			recs = append(recs, ch)
		}
	}
	// Most recently updated first, as the Teams client lists them.
	slices.SortStableFunc(recs, func(a, b *chatRec) int { return b.updated.Compare(a.updated) })
	for _, ch := range recs {
		docs = append(docs, s.chatDoc(ch))
	}
	byID := map[string]*chatRec{}
	for _, ch := range recs {
		byID[ch.id] = ch
	}
	t.mu.Unlock()
	c.serveTeamsList(teamsList{
		context: c.base() + "/$metadata#chats", defaultTop: teamsMessagePage, maxTop: teamsMaxTop,
		expand: func(doc map[string]any, name string) (any, bool) {
			if name != "members" {
				return nil, false
			}
			ch := byID[docString(doc, "id")]
			if ch == nil {
				return []any{}, true
			}
			t.mu.Lock()
			defer t.mu.Unlock()
			return s.chatMembersDocs(ch), true
		},
	}, docs)
}

func (s *Server) getChat(c *call) {
	ch, gerr := s.routeChat(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	doc := s.chatDoc(ch)
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	if e, ok := option(v, "expand"); ok {
		if lower(strings.TrimSpace(e)) != "members" {
			t.mu.Unlock()
			c.writeError(errBadRequest("Could not find a property named '" + e + "' to expand."))
			return
		}
		doc["members"] = s.chatMembersDocs(ch)
	}
	t.mu.Unlock()
	c.writeTeamsEntity(http.StatusOK, c.base()+"/$metadata#chats/$entity", doc)
}

// userBind reads a member's user: "user@odata.bind" (a users('id') URL) or
// userId.
func userBind(m map[string]any) string {
	if id, _ := m["userId"].(string); id != "" {
		return id
	}
	b, _ := m["user@odata.bind"].(string)
	if i := strings.Index(b, "users('"); i >= 0 {
		rest := b[i+len("users('"):]
		if j := strings.Index(rest, "')"); j >= 0 {
			return rest[:j]
		}
	}
	if i := strings.LastIndex(b, "/users/"); i >= 0 {
		return b[i+len("/users/"):]
	}
	return ""
}

func (s *Server) createChat(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	chatType, _ := in["chatType"].(string)
	topic, _ := in["topic"].(string)
	raw, _ := in["members"].([]any)
	var ids []string
	for _, r := range raw {
		m, _ := r.(map[string]any)
		ref := userBind(m)
		u, ok := s.lookupUser(ref)
		if !ok {
			c.writeError(errorf(http.StatusNotFound, "NotFound", "The member '"+ref+"' was not found."))
			return
		}
		if !slices.Contains(ids, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	var gerr *graphError
	switch {
	case chatType != "oneOnOne" && chatType != "group":
		gerr = errBadRequest("The chatType must be oneOnOne or group.")
	case chatType == "oneOnOne" && len(ids) != 2:
		gerr = errBadRequest("A oneOnOne chat needs exactly two distinct members.")
	case chatType == "oneOnOne" && topic != "":
		gerr = errBadRequest("A oneOnOne chat cannot have a topic.")
	case chatType == "group" && len(ids) < 2:
		gerr = errBadRequest("A group chat needs at least two members.")
	case !c.claims.AppOnly && !slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, c.claims.ObjectID) }):
		gerr = errBadRequest("The caller must be one of the chat's members.")
	}
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	var ch *chatRec
	if chatType == "oneOnOne" {
		ch = t.chats[oneOnOneChatID(ids[0], ids[1])]
	}
	if ch == nil {
		id := "19:" + hexID() + "@thread.v2"
		if chatType == "oneOnOne" {
			id = oneOnOneChatID(ids[0], ids[1])
		}
		ch = &chatRec{id: id, chatType: chatType, topic: topic, created: c.now.UTC(), updated: c.now.UTC(), members: ids}
		t.chats[id] = ch
		t.chatOrder = append(t.chatOrder, id)
	}
	doc := s.chatDoc(ch)
	t.mu.Unlock()
	c.writeTeamsEntity(http.StatusCreated, c.base()+"/$metadata#chats/$entity", doc)
}

func (s *Server) listChatMembers(c *call) {
	ch, gerr := s.routeChat(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	members := s.chatMembersDocs(ch)
	t.mu.Unlock()
	if mid, ok := c.params["member"]; ok {
		for _, m := range members {
			d := m.(map[string]any)
			if d["id"] == mid || strings.EqualFold(docString(d, "userId"), mid) {
				c.writeTeamsEntity(http.StatusOK, c.chatCtx(ch)+"/members/$entity", d)
				return
			}
		}
		c.writeError(errorf(http.StatusNotFound, "NotFound", "Member not found."))
		return
	}
	docs := make([]map[string]any, len(members))
	for i, m := range members {
		docs[i] = m.(map[string]any)
	}
	c.serveTeamsList(teamsList{context: c.chatCtx(ch) + "/members"}, docs)
}

func (s *Server) listChatMessages(c *call) {
	ch, gerr := s.routeChat(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	if id, ok := c.params["message"]; ok {
		m := findMessage(ch.messages, id)
		var doc map[string]any
		if m != nil {
			doc = s.messageDoc(m, nil, nil, ch)
		}
		t.mu.Unlock()
		if m == nil {
			c.writeError(errMessageNotFound())
			return
		}
		c.writeTeamsEntity(http.StatusOK, c.chatCtx(ch)+"/messages/$entity", doc)
		return
	}
	docs := make([]map[string]any, 0, len(ch.messages))
	for i := len(ch.messages) - 1; i >= 0; i-- {
		docs = append(docs, s.messageDoc(ch.messages[i], nil, nil, ch))
	}
	t.mu.Unlock()
	c.serveTeamsList(teamsList{context: c.chatCtx(ch) + "/messages", defaultTop: teamsMessagePage, maxTop: teamsMaxTop}, docs)
}

func (s *Server) sendChatMessage(c *call) {
	ch, gerr := s.routeChat(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	m, gerr := s.parseMessageBody(in, true)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.setSender(c, m)
	t := s.teams
	t.mu.Lock()
	m.id, m.created = t.nextMessageID(c.now)
	ch.messages = append(ch.messages, m)
	ch.updated = m.created
	doc := s.messageDoc(m, nil, nil, ch)
	t.mu.Unlock()
	data, _ := json.Marshal(doc)
	s.publish(change{
		Topics: []string{"chats/" + ch.id + "/messages"}, Type: "created",
		Resource: "chats('" + ch.id + "')/messages('" + m.id + "')", ID: m.id, ODataType: "#Microsoft.Graph.chatMessage", Data: data,
	})
	c.writeTeamsEntity(http.StatusCreated, c.chatCtx(ch)+"/messages/$entity", doc)
}

// Apps.

// appsList serves installations of apps (ids of the catalog) in a scope.
func (s *Server) appsList(c *call, scope string, appIDs []string, ctx string) {
	t := s.teams
	t.mu.Lock()
	var docs []map[string]any
	apps := map[string]*teamsAppRec{}
	for _, id := range appIDs {
		a := t.apps[id]
		if a == nil {
			continue
		}
		iid := installationID(scope, id)
		apps[iid] = a
		docs = append(docs, map[string]any{"id": iid, "consentedPermissionSet": nil})
	}
	t.mu.Unlock()
	c.serveTeamsList(teamsList{context: ctx, expand: func(doc map[string]any, name string) (any, bool) {
		a := apps[docString(doc, "id")]
		switch name {
		case "teamsAppDefinition":
			if a == nil {
				return nil, true
			}
			return appDefinitionDoc(a), true
		case "teamsApp":
			if a == nil {
				return nil, true
			}
			return appDoc(a), true
		}
		return nil, false
	}}, docs)
}

func (s *Server) listTeamApps(c *call) {
	tm, gerr := s.routeTeam(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	ids := slices.Clone(tm.apps)
	t.mu.Unlock()
	s.appsList(c, tm.id, ids, c.teamCtx(tm, "/installedApps"))
}

func (s *Server) listUserApps(c *call) {
	u, gerr := s.routeUserSelf(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	ids := slices.Clone(t.userApps[lower(u.ID)])
	t.mu.Unlock()
	s.appsList(c, u.ID, ids, c.base()+"/$metadata#users('"+u.ID+"')/teamwork/installedApps")
}
