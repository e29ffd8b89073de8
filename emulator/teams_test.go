package emulator

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// Documented Teams and presence examples are replayed by
// TestTeamsFidelity, with Teams permissions and seeded ids.
func init() {
	for _, k := range []string{"/teams/", "/chats", "joinedTeams", "/presence", "teamwork/", "communications/"} {
		fidelitySkip[k] = "replayed by TestTeamsFidelity (Teams permissions)"
	}
}

const teamsScopes = "User.Read Team.ReadBasic.All Channel.ReadBasic.All Channel.Create ChannelMessage.Read.All ChannelMessage.Send " +
	"TeamMember.Read.All Chat.ReadWrite Presence.Read.All Presence.ReadWrite TeamsAppInstallation.ReadForTeam TeamsAppInstallation.ReadForUser"

func teamsServer(t *testing.T, opts ...func(*Options)) (*Server, string) {
	t.Helper()
	s := Start(t, append([]func(*Options){func(o *Options) { o.Seed = "demo" }}, opts...)...)
	return s, tokenFor(t, s, s.DefaultUser().UPN, teamsScopes)
}

// teamsAppToken registers a daemon app with the roles and returns its token.
func teamsAppToken(t *testing.T, s *Server, roles ...string) string {
	t.Helper()
	id := deterministicID("app", strings.Join(roles, ","))
	s.RegisterApp(App{ClientID: id, Name: "Teams daemon", Secret: "s3cret-teams", Roles: roles})
	return postToken(t, s, url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {"s3cret-teams"},
		"scope": {"https://graph.microsoft.com/.default"},
	})
}

func teamID(t *testing.T, s *Server, tok, name string) string {
	t.Helper()
	for _, v := range do(t, s, "GET", "/v1.0/me/joinedTeams", tok, "").values() {
		if v["displayName"] == name {
			return v["id"].(string)
		}
	}
	t.Fatalf("no joined team %q", name)
	return ""
}

func channelID(t *testing.T, s *Server, tok, team, name string) string {
	t.Helper()
	for _, v := range do(t, s, "GET", "/v1.0/teams/"+team+"/channels", tok, "").values() {
		if v["displayName"] == name {
			return v["id"].(string)
		}
	}
	t.Fatalf("no channel %q", name)
	return ""
}

func teamsField(vs []map[string]any, key string) []string {
	var out []string
	for _, v := range vs {
		s, _ := v[key].(string)
		out = append(out, s)
	}
	return out
}

func TestTeamsSeed(t *testing.T) {
	s, tok := teamsServer(t)
	r := do(t, s, "GET", "/v1.0/me/joinedTeams", tok, "")
	if got := teamsField(r.values(), "displayName"); !slices.Equal(got, []string{"All Company", "Retail"}) {
		t.Fatalf("joined teams %v (%d %s)", got, r.status, r.body)
	}
	megan := tokenFor(t, s, "MeganB@contoso.onmicrosoft.com", teamsScopes)
	if got := teamsField(do(t, s, "GET", "/v1.0/me/joinedTeams", megan, "").values(), "displayName"); !slices.Equal(got, []string{"All Company"}) {
		t.Fatalf("Megan's teams %v", got)
	}
	all := teamID(t, s, tok, "All Company")
	if got := teamsField(do(t, s, "GET", "/v1.0/teams/"+all+"/channels", tok, "").values(), "displayName"); !slices.Equal(got, []string{"General", "Announcements"}) {
		t.Fatalf("channels %v", got)
	}
	team := do(t, s, "GET", "/v1.0/teams/"+all, tok, "")
	if team.status != 200 || team.json["displayName"] != "All Company" || team.json["isArchived"] != false {
		t.Fatalf("team: %d %s", team.status, team.body)
	}
	general := channelID(t, s, tok, all, "General")
	if pc := do(t, s, "GET", "/v1.0/teams/"+all+"/primaryChannel", tok, ""); pc.json["id"] != general {
		t.Fatalf("primary channel %s", pc.body)
	}
	msgs := do(t, s, "GET", "/v1.0/teams/"+all+"/channels/"+url.PathEscape(general)+"/messages", tok, "").values()
	if len(msgs) != 2 {
		t.Fatalf("general has %d messages", len(msgs))
	}
	if m := msgs[0]["mentions"].([]any); len(m) != 1 {
		t.Fatalf("newest message mentions %v", m)
	}
	root := msgs[1]["id"].(string)
	replies := do(t, s, "GET", "/v1.0/teams/"+all+"/channels/"+url.PathEscape(general)+"/messages/"+root+"/replies", tok, "").values()
	if len(replies) != 2 || replies[0]["replyToId"] != root {
		t.Fatalf("replies %v", replies)
	}
	one := do(t, s, "GET", "/v1.0/me/chats?$expand=members", tok, "").values()
	if len(one) != 2 || one[0]["chatType"] != "oneOnOne" || len(one[0]["members"].([]any)) != 2 {
		t.Fatalf("chats %v", one)
	}
	members := do(t, s, "GET", "/v1.0/teams/"+all+"/members", tok, "").values()
	if !slices.Contains(teamsField(members, "displayName"), "Megan Bowen") || !slices.Contains(teamsField(members, "displayName"), "Adele Vance") {
		t.Fatalf("team members %v", teamsField(members, "displayName"))
	}
}

func TestTeamsErrors(t *testing.T) {
	s, tok := teamsServer(t)
	all := teamID(t, s, tok, "All Company")
	retail := teamID(t, s, tok, "Retail")
	general := url.PathEscape(channelID(t, s, tok, all, "General"))
	megan := tokenFor(t, s, "MeganB@contoso.onmicrosoft.com", teamsScopes)
	noScopes := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	app := teamsAppToken(t, s, "ChannelMessage.Read.All", "Team.ReadBasic.All")
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code                            string
	}{
		{"unknown team", "GET", "/v1.0/teams/" + newUUID(), tok, "", 404, "NotFound"},
		{"not a member", "GET", "/v1.0/teams/" + retail, megan, "", 403, "Forbidden"},
		{"no scope", "GET", "/v1.0/teams/" + all, noScopes, "", 403, "Authorization_RequestDenied"},
		{"unknown channel", "GET", "/v1.0/teams/" + all + "/channels/19:nope@thread.tacv2", tok, "", 404, "NotFound"},
		{"unknown message", "GET", "/v1.0/teams/" + all + "/channels/" + general + "/messages/1", tok, "", 404, "NotFound"},
		{"replies of unknown message", "GET", "/v1.0/teams/" + all + "/channels/" + general + "/messages/1/replies", tok, "", 404, "NotFound"},
		{"reply to unknown message", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages/1/replies", tok, `{"body":{"content":"x"}}`, 404, "NotFound"},
		{"top over 50", "GET", "/v1.0/teams/" + all + "/channels/" + general + "/messages?$top=51", tok, "", 400, "BadRequest"},
		{"top zero", "GET", "/v1.0/teams/" + all + "/channels/" + general + "/messages?$top=0", tok, "", 400, "BadRequest"},
		{"bad skiptoken", "GET", "/v1.0/teams/" + all + "/channels/" + general + "/messages?$skiptoken=zzz", tok, "", 400, "BadRequest"},
		{"empty body", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", tok, `{"body":{"content":" "}}`, 400, "BadRequest"},
		{"no body", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", tok, `{}`, 400, "BadRequest"},
		{"bad content type", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", tok, `{"body":{"contentType":"md","content":"x"}}`, 400, "BadRequest"},
		{"urgent in channel", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", tok, `{"body":{"content":"x"},"importance":"urgent"}`, 400, "BadRequest"},
		{"bad importance", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", tok, `{"body":{"content":"x"},"importance":"low"}`, 400, "BadRequest"},
		{"unknown property", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", tok, `{"body":{"content":"x"},"colour":"red"}`, 400, "RequestBodyRead"},
		{"not json", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", tok, `hello`, 400, "RequestBodyRead"},
		{"app cannot send", "POST", "/v1.0/teams/" + all + "/channels/" + general + "/messages", app, `{"body":{"content":"x"}}`, 403, "Authorization_RequestDenied"},
		{"app me", "GET", "/v1.0/me/joinedTeams", app, "", 400, "BadRequest"},
		{"someone else's teams", "GET", "/v1.0/users/MeganB@contoso.onmicrosoft.com/joinedTeams", tok, "", 403, "Forbidden"},
		{"channel name taken", "POST", "/v1.0/teams/" + all + "/channels", tok, `{"displayName":"general"}`, 409, "NameAlreadyExists"},
		{"channel name empty", "POST", "/v1.0/teams/" + all + "/channels", tok, `{"displayName":""}`, 400, "BadRequest"},
		{"channel name chars", "POST", "/v1.0/teams/" + all + "/channels", tok, `{"displayName":"a/b"}`, 400, "BadRequest"},
		{"channel name long", "POST", "/v1.0/teams/" + all + "/channels", tok, `{"displayName":"` + strings.Repeat("x", 51) + `"}`, 400, "BadRequest"},
		{"private channel", "POST", "/v1.0/teams/" + all + "/channels", tok, `{"displayName":"p","membershipType":"private"}`, 400, "BadRequest"},
		{"channel without scope", "POST", "/v1.0/teams/" + all + "/channels", noScopes, `{"displayName":"p"}`, 403, "Authorization_RequestDenied"},
		{"unknown chat", "GET", "/v1.0/chats/19:nope@thread.v2", tok, "", 404, "NotFound"},
		{"bad chat type", "POST", "/v1.0/chats", tok, `{"chatType":"meeting","members":[]}`, 400, "BadRequest"},
		{"one-on-one of three", "POST", "/v1.0/chats", tok, chatBody("oneOnOne", "", "AdeleV", "MeganB", "AlexW"), 400, "BadRequest"},
		{"one-on-one without caller", "POST", "/v1.0/chats", tok, chatBody("oneOnOne", "", "AlexW", "MeganB"), 400, "BadRequest"},
		{"chat with unknown user", "POST", "/v1.0/chats", tok, chatBody("group", "x", "AdeleV", "nobody"), 404, "NotFound"},
		{"group of one", "POST", "/v1.0/chats", tok, chatBody("group", "x", "AdeleV"), 400, "BadRequest"},
		{"bad expand", "GET", "/v1.0/me/chats?$expand=messages", tok, "", 400, "BadRequest"},
		{"bad filter", "GET", "/v1.0/me/chats?$filter=chatType%20eq", tok, "", 400, "BadRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, tc.method, tc.path, tc.token, tc.body)
			if r.status != tc.status || r.errCode() != tc.code {
				t.Fatalf("%s %s: %d %s, want %d %s", tc.method, tc.path, r.status, r.body, tc.status, tc.code)
			}
		})
	}
}

func chatBody(typ, topic string, users ...string) string {
	var ms []string
	for _, u := range users {
		ms = append(ms, fmt.Sprintf(`{"@odata.type":"#microsoft.graph.aadUserConversationMember","roles":["owner"],"user@odata.bind":"https://graph.microsoft.com/v1.0/users('%s@contoso.onmicrosoft.com')"}`, u))
	}
	t := ""
	if topic != "" {
		t = `,"topic":"` + topic + `"`
	}
	return `{"chatType":"` + typ + `"` + t + `,"members":[` + strings.Join(ms, ",") + `]}`
}

func TestTeamsChannelMessagesPaging(t *testing.T) {
	s, tok := teamsServer(t)
	all := teamID(t, s, tok, "All Company")
	r := do(t, s, "POST", "/v1.0/teams/"+all+"/channels", tok, `{"displayName":"Paging","description":"many messages"}`)
	if r.status != 201 || r.json["membershipType"] != "standard" {
		t.Fatalf("create channel: %d %s", r.status, r.body)
	}
	base := "/v1.0/teams/" + all + "/channels/" + url.PathEscape(r.json["id"].(string)) + "/messages"
	for i := range 45 {
		if r := do(t, s, "POST", base, tok, fmt.Sprintf(`{"body":{"content":"message %d"}}`, i)); r.status != 201 {
			t.Fatalf("send %d: %d %s", i, r.status, r.body)
		}
	}
	for _, tc := range []struct {
		query string
		pages []int
	}{{"", []int{20, 20, 5}}, {"?$top=50", []int{45}}, {"?$top=10", []int{10, 10, 10, 10, 5}}} {
		var got []int
		var seen []string
		next := base + tc.query
		for next != "" {
			r := do(t, s, "GET", next, tok, "")
			if r.status != 200 {
				t.Fatalf("GET %s: %d %s", next, r.status, r.body)
			}
			got = append(got, len(r.values()))
			seen = append(seen, teamsField(r.values(), "id")...)
			next, _ = r.json["@odata.nextLink"].(string)
		}
		if !slices.Equal(got, tc.pages) {
			t.Errorf("%q: pages %v, want %v", tc.query, got, tc.pages)
		}
		if !slices.IsSortedFunc(seen, func(a, b string) int { return strings.Compare(b, a) }) || len(seen) != 45 {
			t.Errorf("%q: %d ids, not newest first", tc.query, len(seen))
		}
	}
}

func TestTeamsSendMessageAndReply(t *testing.T) {
	s, tok := teamsServer(t)
	all := teamID(t, s, tok, "All Company")
	ch := url.PathEscape(channelID(t, s, tok, all, "Announcements"))
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	body := `{"subject":"Launch","importance":"high","body":{"contentType":"html","content":"<p>Hi <at id=\"0\">Megan Bowen</at></p>"},` +
		`"mentions":[{"id":0,"mentionText":"Megan Bowen","mentioned":{"user":{"id":"` + megan.ID + `","displayName":"Megan Bowen","userIdentityType":"aadUser"}}}]}`
	r := do(t, s, "POST", "/v1.0/teams/"+all+"/channels/"+ch+"/messages", tok, body)
	if r.status != 201 || r.json["importance"] != "high" || r.json["subject"] != "Launch" {
		t.Fatalf("send: %d %s", r.status, r.body)
	}
	if from := r.json["from"].(map[string]any)["user"].(map[string]any); from["displayName"] != "Adele Vance" {
		t.Fatalf("from %v", from)
	}
	id := r.json["id"].(string)
	got := do(t, s, "GET", "/v1.0/teams/"+all+"/channels/"+ch+"/messages/"+id, tok, "")
	if got.status != 200 || len(got.json["mentions"].([]any)) != 1 {
		t.Fatalf("get: %d %s", got.status, got.body)
	}
	rep := do(t, s, "POST", "/v1.0/teams/"+all+"/channels/"+ch+"/messages/"+id+"/replies", tok, `{"body":{"content":"first reply"}}`)
	if rep.status != 201 || rep.json["replyToId"] != id {
		t.Fatalf("reply: %d %s", rep.status, rep.body)
	}
	one := do(t, s, "GET", "/v1.0/teams/"+all+"/channels/"+ch+"/messages/"+id+"/replies/"+rep.json["id"].(string), tok, "")
	if one.status != 200 || one.json["body"].(map[string]any)["content"] != "first reply" {
		t.Fatalf("get reply: %d %s", one.status, one.body)
	}
	exp := do(t, s, "GET", "/v1.0/teams/"+all+"/channels/"+ch+"/messages?$expand=replies", tok, "").values()
	if len(exp[0]["replies"].([]any)) != 1 {
		t.Fatalf("expand replies: %v", exp[0]["replies"])
	}

	bad := []struct{ name, body string }{
		{"tag without mention", `{"body":{"contentType":"html","content":"<at id=\"0\">Megan</at>"}}`},
		{"mention without tag", `{"body":{"contentType":"html","content":"hi"},"mentions":[{"id":0,"mentionText":"Megan","mentioned":{"user":{"id":"` + megan.ID + `"}}}]}`},
		{"mention in text", `{"body":{"content":"<at id=\"0\">Megan</at>"},"mentions":[{"id":0,"mentionText":"Megan","mentioned":{"user":{"id":"` + megan.ID + `"}}}]}`},
		{"text differs", `{"body":{"contentType":"html","content":"<at id=\"0\">Megan</at>"},"mentions":[{"id":0,"mentionText":"Meg","mentioned":{"user":{"id":"` + megan.ID + `"}}}]}`},
		{"unknown user", `{"body":{"contentType":"html","content":"<at id=\"0\">X</at>"},"mentions":[{"id":0,"mentionText":"X","mentioned":{"user":{"id":"` + newUUID() + `"}}}]}`},
		{"id twice", `{"body":{"contentType":"html","content":"<at id=\"0\">M</at>"},"mentions":[{"id":0,"mentionText":"M","mentioned":{"user":{"id":"` + megan.ID + `"}}},{"id":0,"mentionText":"M","mentioned":{"user":{"id":"` + megan.ID + `"}}}]}`},
		{"nobody mentioned", `{"body":{"contentType":"html","content":"<at id=\"0\">M</at>"},"mentions":[{"id":0,"mentionText":"M"}]}`},
		{"id not a number", `{"body":{"contentType":"html","content":"<at id=\"0\">M</at>"},"mentions":[{"id":"zero","mentionText":"M","mentioned":{"user":{"id":"` + megan.ID + `"}}}]}`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if r := do(t, s, "POST", "/v1.0/teams/"+all+"/channels/"+ch+"/messages", tok, tc.body); r.status != 400 {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})
	}
}

func TestTeamsChats(t *testing.T) {
	s, tok := teamsServer(t)
	first := do(t, s, "POST", "/v1.0/chats", tok, chatBody("oneOnOne", "", "AdeleV", "AlexW"))
	again := do(t, s, "POST", "/v1.0/chats", tok, chatBody("oneOnOne", "", "AlexW", "AdeleV"))
	if first.status != 201 || again.json["id"] != first.json["id"] {
		t.Fatalf("one-on-one twice: %s / %s", first.body, again.body)
	}
	seeded := do(t, s, "POST", "/v1.0/chats", tok, chatBody("oneOnOne", "", "AdeleV", "MeganB"))
	if msgs := do(t, s, "GET", "/v1.0/chats/"+url.PathEscape(seeded.json["id"].(string))+"/messages", tok, "").values(); len(msgs) != 3 {
		t.Fatalf("the seeded one-on-one was not returned: %s", seeded.body)
	}
	group := do(t, s, "POST", "/v1.0/chats", tok, chatBody("group", "Store refresh", "AdeleV", "MeganB", "IsaiahL"))
	if group.status != 201 || group.json["topic"] != "Store refresh" || group.json["chatType"] != "group" {
		t.Fatalf("group: %d %s", group.status, group.body)
	}
	cid := url.PathEscape(group.json["id"].(string))
	if ms := do(t, s, "GET", "/v1.0/chats/"+cid+"/members", tok, "").values(); len(ms) != 3 {
		t.Fatalf("members %v", ms)
	}
	sent := do(t, s, "POST", "/v1.0/chats/"+cid+"/messages", tok, `{"body":{"contentType":"html","content":"<b>Hi</b>"},"importance":"urgent"}`)
	if sent.status != 201 || sent.json["chatId"] != group.json["id"] || sent.json["importance"] != "urgent" {
		t.Fatalf("send: %d %s", sent.status, sent.body)
	}
	if m := do(t, s, "GET", "/v1.0/chats/"+cid+"/messages/"+sent.json["id"].(string), tok, ""); m.status != 200 {
		t.Fatalf("get message: %d %s", m.status, m.body)
	}
	list := do(t, s, "GET", "/v1.0/me/chats?$filter="+url.QueryEscape("chatType eq 'group'"), tok, "").values()
	if got := teamsField(list, "topic"); !slices.Equal(got, []string{"Store refresh", "Mark 8 launch"}) {
		t.Fatalf("group chats %v", got)
	}
	alex := tokenFor(t, s, "AlexW@contoso.onmicrosoft.com", teamsScopes)
	if r := do(t, s, "GET", "/v1.0/chats/"+cid, alex, ""); r.status != 403 {
		t.Fatalf("non-member read a chat: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/chats/"+cid+"?$expand=members", tok, ""); r.status != 200 || len(r.json["members"].([]any)) != 3 {
		t.Fatalf("get chat: %d %s", r.status, r.body)
	}
	if r := do(t, s, "POST", "/v1.0/chats/"+cid+"/messages", alex, `{"body":{"content":"x"}}`); r.status != 403 {
		t.Fatalf("non-member sent: %d", r.status)
	}
}

func TestTeamsApps(t *testing.T) {
	s, tok := teamsServer(t)
	all := teamID(t, s, tok, "All Company")
	apps := do(t, s, "GET", "/v1.0/teams/"+all+"/installedApps?$expand=teamsAppDefinition", tok, "").values()
	var got []string
	for _, a := range apps {
		got = append(got, a["teamsAppDefinition"].(map[string]any)["displayName"].(string))
	}
	if !slices.Equal(got, []string{"OneNote", "Tasks by Planner and To Do"}) {
		t.Fatalf("team apps %v", got)
	}
	if plain := do(t, s, "GET", "/v1.0/teams/"+all+"/installedApps", tok, "").values(); plain[0]["teamsAppDefinition"] != nil {
		t.Fatalf("definition without $expand: %v", plain[0])
	}
	mine := do(t, s, "GET", "/v1.0/me/teamwork/installedApps?$expand=teamsApp,teamsAppDefinition", tok, "").values()
	if len(mine) != 2 || mine[0]["teamsApp"].(map[string]any)["displayName"] != "OneNote" {
		t.Fatalf("user apps %v", mine)
	}
}

func TestTeamsThrottling(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	s, tok := teamsServer(t, func(o *Options) {
		o.Now = clk.Now
		o.TeamsThrottling = TeamsThrottling{Enabled: true, ChannelMessageSends: 2, ChannelMessageReads: 3, Window: time.Minute}
	})
	all := teamID(t, s, tok, "All Company")
	base := "/v1.0/teams/" + all + "/channels/" + url.PathEscape(channelID(t, s, tok, all, "General")) + "/messages"
	for i := range 2 {
		if r := do(t, s, "POST", base, tok, `{"body":{"content":"x"}}`); r.status != 201 {
			t.Fatalf("send %d: %d", i, r.status)
		}
	}
	r := do(t, s, "POST", base, tok, `{"body":{"content":"x"}}`)
	if r.status != 429 || r.header.Get("Retry-After") != "60" {
		t.Fatalf("third send: %d Retry-After %q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	for range 3 {
		do(t, s, "GET", base, tok, "")
	}
	if r := do(t, s, "GET", base, tok, ""); r.status != 429 {
		t.Fatalf("fourth read: %d", r.status)
	}
	clk.Advance(time.Minute)
	if r := do(t, s, "POST", base, tok, `{"body":{"content":"x"}}`); r.status != 201 {
		t.Fatalf("after the window: %d", r.status)
	}
	// Per channel per day, and SetTeamsThrottling replacing the options.
	s.SetTeamsThrottling(TeamsThrottling{Enabled: true, MessagesPerChannelPerDay: 1})
	if r := do(t, s, "POST", base, tok, `{"body":{"content":"x"}}`); r.status != 201 {
		t.Fatalf("first of the day: %d", r.status)
	}
	if r := do(t, s, "POST", base, tok, `{"body":{"content":"x"}}`); r.status != 429 {
		t.Fatalf("second of the day: %d", r.status)
	}
	clk.Advance(24 * time.Hour)
	tok = tokenFor(t, s, s.DefaultUser().UPN, teamsScopes)
	if r := do(t, s, "POST", base, tok, `{"body":{"content":"x"}}`); r.status != 201 {
		t.Fatalf("next day: %d", r.status)
	}
	s.SetTeamsThrottling(TeamsLimits())
	s.SetTeamsThrottling(TeamsThrottling{Enabled: true, PerChannel: 1, OtherReads: 1, Window: time.Minute})
	if r := do(t, s, "GET", "/v1.0/teams/"+all, tok, ""); r.status != 200 {
		t.Fatalf("first other read: %d", r.status)
	}
	if r := do(t, s, "GET", "/v1.0/teams/"+all, tok, ""); r.status != 429 {
		t.Fatalf("second other read: %d", r.status)
	}
}
