package emulator

import (
	"strconv"
	"time"
)

// seedTeams creates the Teams area and, for the demo tenant, its teams,
// channels, messages, chats, apps and presence. Everything is dated from
// seedBase, so the seed is deterministic.
func (s *Server) seedTeams(kind string) {
	s.teams = newTeamsState()
	t := s.teams
	t.mu.Lock()
	for _, a := range teamsCatalog {
		t.addCatalogApp(a)
	}
	t.mu.Unlock()
	if kind != "demo" {
		return
	}
	const d = "@contoso.onmicrosoft.com"
	// All Company (Adele, Megan and everyone, through its nested groups)
	// and Retail (Adele owns it).
	all := s.seedTeam("All Company", "Announcements", "News and announcements for everyone at Contoso.")
	retail := s.seedTeam("Retail", "Store Operations", "Opening hours, staffing and point of sale.")
	if all == nil || retail == nil {
		return
	}
	at := func(days, hours int) time.Time {
		return seedBase.Add(-time.Duration(days)*24*time.Hour - time.Duration(hours)*time.Hour)
	}
	adele, _ := s.lookupUser("AdeleV" + d)
	megan, _ := s.lookupUser("MeganB" + d)

	t.mu.Lock()
	defer t.mu.Unlock()
	general := all.channels[0]
	welcome := s.seedMessage(general, "PattiF"+d, at(6, 3), "html", "<p>Welcome to the <b>All Company</b> team! Say hello in this channel.</p>", nil)
	welcome.replies = append(welcome.replies,
		s.seedReply(welcome, "AdeleV"+d, at(6, 2), "text", "Hello everyone! Glad to be here."),
		s.seedReply(welcome, "MeganB"+d, at(6, 1), "text", "Hi all, looking forward to working with you."))
	s.seedMessage(general, "MeganB"+d, at(3, 5), "html",
		`<p><at id="0">Adele Vance</at> the spring campaign assets are ready for the stores.</p>`,
		[]any{map[string]any{"id": 0, "mentionText": "Adele Vance", "mentioned": map[string]any{
			"application": nil, "device": nil, "tag": nil, "conversation": nil,
			"user": map[string]any{"@odata.type": "#microsoft.graph.teamworkUserIdentity", "id": adele.ID, "displayName": adele.DisplayName, "userIdentityType": "aadUser"},
		}}})
	news := all.channels[1]
	m := s.seedMessage(news, "PattiF"+d, at(2, 4), "text", "The quarterly all-hands is on Friday at 10:00.", nil)
	m.subject, m.importance = "All-hands", "high"
	ops := retail.channels[1]
	s.seedMessage(ops, "IsaiahL"+d, at(1, 6), "text", "The Bellevue store opens an hour early on Saturday.", nil)

	// A one-on-one chat between Adele and Megan, and a group chat.
	one := &chatRec{id: oneOnOneChatID(adele.ID, megan.ID), chatType: "oneOnOne", created: at(5, 0), members: []string{adele.ID, megan.ID}}
	for i, line := range []struct{ from, text string }{
		{"MeganB" + d, "Hi Adele, do you have a minute for the store displays?"},
		{"AdeleV" + d, "Sure, call me after lunch."},
		{"MeganB" + d, "Great, thanks!"},
	} {
		one.messages = append(one.messages, s.seedChatMessage(line.from, at(1, 5-i), line.text))
	}
	one.updated = one.messages[len(one.messages)-1].created
	alex, _ := s.lookupUser("AlexW" + d)
	group := &chatRec{id: threadID("chat/mark8", "@thread.v2"), chatType: "group", topic: "Mark 8 launch", created: at(4, 0),
		members: []string{adele.ID, megan.ID, alex.ID}}
	group.messages = append(group.messages, s.seedChatMessage("AlexW"+d, at(2, 2), "Launch checklist is in the Marketing site."))
	group.updated = group.messages[0].created
	for _, ch := range []*chatRec{group, one} {
		t.chats[ch.id] = ch
		t.chatOrder = append(t.chatOrder, ch.id)
	}

	// Installed apps.
	all.apps = []string{teamsAppOneNote, teamsAppPlanner}
	retail.apps = []string{teamsAppPlanner}
	t.userApps[lower(adele.ID)] = []string{teamsAppOneNote, teamsAppPlanner}
	t.userApps[lower(megan.ID)] = []string{teamsAppOneNote}

	// Presence: Teams clients signed in, never expiring.
	for _, p := range []struct{ upn, av, ac string }{
		{"AdeleV" + d, "Available", "Available"},
		{"MeganB" + d, "Busy", "InACall"},
		{"AlexW" + d, "Away", "Away"},
	} {
		if u, ok := s.lookupUser(p.upn); ok {
			t.presenceOf(u.ID).sessions["teams-desktop"] = &presenceSession{availability: p.av, activity: p.ac}
		}
	}
}

// seedTeam enables a team on the demo group with a second channel.
func (s *Server) seedTeam(group, channel, description string) *teamRec {
	gid := deterministicID("group", group)
	if s.EnableTeam(gid) == "" {
		return nil
	}
	t := s.teams
	t.mu.Lock()
	defer t.mu.Unlock()
	tm := t.team(gid)
	tm.channels = append(tm.channels, &channelRec{
		id: threadID("channel/"+gid+"/"+channel, "@thread.tacv2"), name: channel, description: description,
		membershipType: "standard", created: tm.created.Add(time.Hour),
	})
	return tm
}

// seedMessage adds a root message to a channel. The caller holds t.mu.
func (s *Server) seedMessage(ch *channelRec, from string, at time.Time, ct, content string, mentions []any) *messageRec {
	m := s.seedChatMessage(from, at, content)
	m.contentType = ct
	m.mentions = mentions
	ch.messages = append(ch.messages, m)
	return m
}

// seedReply builds a reply to root. The caller holds t.mu.
func (s *Server) seedReply(root *messageRec, from string, at time.Time, ct, content string) *messageRec {
	m := s.seedChatMessage(from, at, content)
	m.contentType = ct
	m.replyTo = root.id
	return m
}

// seedChatMessage builds a text message. The caller holds t.mu.
func (s *Server) seedChatMessage(from string, at time.Time, content string) *messageRec {
	u, _ := s.lookupUser(from)
	m := &messageRec{fromID: u.ID, fromUPN: u.UPN, fromName: u.DisplayName, contentType: "text", content: content, importance: "normal"}
	// Seeded ids are their dates, whatever the order they are made in.
	ms := at.UnixMilli()
	m.id, m.created = strconv.FormatInt(ms, 10), time.UnixMilli(ms).UTC()
	s.teams.lastMsg = max(s.teams.lastMsg, ms)
	return m
}

// The app catalog's well-known apps.
const (
	teamsAppOneNote    = "0d820ecd-def2-4297-adad-78056cde7c78"
	teamsAppPlanner    = "com.microsoft.teamspace.tab.planner"
	teamsAppSharePoint = "2a527703-1f6f-4559-a332-d8a7d288cd88"
)

var teamsCatalog = []*teamsAppRec{
	{id: teamsAppOneNote, name: "OneNote", version: "1.0.0", azureADAppID: "2d4d3d8e-2be3-4bef-9f87-7875a61c29de",
		short: "Capture and share ideas, to-do lists and other notes with your team.", description: "Capture and share ideas, to-do lists and other thoughts with your team."},
	{id: teamsAppPlanner, name: "Tasks by Planner and To Do", version: "0.0.5", azureADAppID: "09abbdfd-ed23-44ee-a2d9-a627aa1c90f3",
		short: "Manage your team's tasks.", description: "Create plans, assign tasks and track progress with your team."},
	{id: teamsAppSharePoint, name: "SharePoint", version: "1.0", azureADAppID: "00000003-0000-0ff1-ce00-000000000000",
		short: "Add a tab for a SharePoint page or list.", description: "Show SharePoint pages, lists and document libraries in your channels."},
}
