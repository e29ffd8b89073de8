package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// teamsArgs prefixes a teams subcommand with the signed-in test profile.
func teamsArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "teams"}, args...)
}

func TestTeamsCommands(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,users,Team.ReadBasic.All,Channel.ReadBasic.All,Channel.Create,ChannelMessage.Read.All,ChannelMessage.Send,Chat.ReadWrite,Presence.Read.All,Presence.ReadWrite")
	tm := func(args ...string) run { h.t.Helper(); return h.mustRun(teamsArgs(args...)...) }

	if diff := cmp.Diff([]string{"All Company", "Retail"}, decodeJSON[[]string](t, tm("list", "--query", "[].displayName").stdout)); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
	if first := strings.SplitN(tm("list", "-o", "text").stdout, "\n", 2)[0]; !strings.HasPrefix(first, "name") {
		t.Errorf("list -o text header %q", first)
	}
	if diff := cmp.Diff([]string{"General", "Announcements"}, decodeJSON[[]string](t, tm("channels", "all company", "--query", "[].displayName").stdout)); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
	created := decodeJSON[map[string]any](t, tm("channels", "Retail", "--create", "Promotions", "--description", "offers").stdout)
	if created["displayName"] != "Promotions" || created["membershipType"] != "standard" {
		t.Errorf("create = %v", created)
	}
	sent := decodeJSON[map[string]any](t, tm("send", "Retail", "promotions", "@1 please check, <b>thanks</b>", "--mention", "IsaiahL@contoso.onmicrosoft.com", "--subject", "Prices").stdout)
	body := sent["body"].(map[string]any)
	if body["content"] != `<at id="0">Isaiah Langer</at> please check, &lt;b&gt;thanks&lt;/b&gt;` || len(sent["mentions"].([]any)) != 1 || sent["subject"] != "Prices" {
		t.Errorf("send with mention = %v", sent)
	}
	reply := decodeJSON[map[string]any](t, tm("send", "Retail", "Promotions", "Done", "--reply-to", sent["id"].(string)).stdout)
	if reply["replyToId"] != sent["id"] {
		t.Errorf("reply = %v", reply)
	}
	msgs := decodeJSON[[]string](t, tm("channels", "Retail", "Promotions", "--query", "[].body.content").stdout)
	if len(msgs) != 1 {
		t.Errorf("channel messages %v", msgs)
	}
	html := decodeJSON[map[string]any](t, tm("send", "All Company", "General", "<b>Bold</b> @1", "--html", "--mention", "MeganB@contoso.onmicrosoft.com").stdout)
	if c := html["body"].(map[string]any)["content"]; c != `<b>Bold</b> <at id="0">Megan Bowen</at>` {
		t.Errorf("html send: %v", c)
	}
	chats := decodeJSON[[]string](t, tm("chats", "--query", "[].chatType").stdout)
	if diff := cmp.Diff([]string{"oneOnOne", "group"}, chats); diff != "" {
		t.Errorf("chats (-want +got):\n%s", diff)
	}
	text := tm("chats", "-o", "text").stdout
	if !strings.Contains(text, "Megan Bowen") {
		t.Errorf("chats -o text lacks members:\n%s", text)
	}
	tm("send", "--chat", "MeganB@contoso.onmicrosoft.com", "Lunch?", "--importance", "urgent")
	lines := decodeJSON[[]string](t, tm("chats", "MeganB@contoso.onmicrosoft.com", "--limit", "2", "--query", "[].body.content").stdout)
	if diff := cmp.Diff([]string{"Lunch?", "Great, thanks!"}, lines); diff != "" {
		t.Errorf("chat messages (-want +got):\n%s", diff)
	}

	if got := decodeJSON[string](t, tm("presence", "--query", "availability").stdout); got != "Available" {
		t.Errorf("presence = %s", got)
	}
	others := decodeJSON[[]string](t, tm("presence", "MeganB@contoso.onmicrosoft.com", "AlexW@contoso.onmicrosoft.com", "--query", "[].availability").stdout)
	if diff := cmp.Diff([]string{"Busy", "Away"}, others); diff != "" {
		t.Errorf("presence of others (-want +got):\n%s", diff)
	}
	if got := decodeJSON[string](t, tm("presence", "--set", "DoNotDisturb", "--activity", "Presenting", "--expires", "1h", "--session", "s1", "--query", "availability").stdout); got != "DoNotDisturb" {
		t.Errorf("set = %s", got)
	}
	if got := decodeJSON[string](t, tm("presence", "--clear", "--session", "s1", "--query", "availability").stdout); got != "Available" {
		t.Errorf("clear = %s", got)
	}
	if got := decodeJSON[string](t, tm("presence", "--set", "Offline", "--activity", "OffWork", "--preferred", "--query", "activity").stdout); got != "OffWork" {
		t.Errorf("preferred = %s", got)
	}
	if got := decodeJSON[string](t, tm("presence", "--clear", "--preferred", "--query", "availability").stdout); got != "Available" {
		t.Errorf("clear preferred = %s", got)
	}

	for _, bad := range [][]string{
		{"send", "Retail", "x"}, {"send", "--chat", "x", "a", "b"}, {"send", "Retail", "General", " "},
		{"send", "Retail", "General", "x", "--importance", "low"}, {"send", "Retail", "General", "x", "--importance", "urgent"},
		{"presence", "--set", "Busy"}, {"presence", "--set", "Busy", "--clear", "--preferred"}, {"presence", "x", "--clear", "--preferred"},
		{"channels"}, {"channels", "Retail", "General", "--create", "x"}, {"chats", "--limit", "-1"},
	} {
		if r := h.run(teamsArgs(bad...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", bad, r.code, r.stderr)
		}
	}
	for _, bad := range [][]string{
		{"channels", "No such team"}, {"channels", "Retail", "Nope"}, {"presence", "--set", "Busy", "--activity", "OffWork", "--session", "s"},
		{"send", "Retail", "General", "@1", "--mention", "ghost@contoso.onmicrosoft.com"},
	} {
		if r := h.run(teamsArgs(bad...)...); r.code != 1 {
			t.Errorf("%v: exit %d, want 1: %s", bad, r.code, r.stderr)
		}
	}
}

// The default sign-in carries the user-consentable Teams scopes; reading channel messages
// needs an administrator's grant, and the error says so.
func TestTeamsDefaultScopes(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.mustRun(teamsArgs("send", "All Company", "General", "hello")...)
	if n := decodeJSON[int](t, h.mustRun(teamsArgs("chats", "--query", "length(@)")...).stdout); n != 2 {
		t.Errorf("%d chats", n)
	}
	r := h.run(teamsArgs("channels", "All Company", "General")...)
	if r.code != 1 || !strings.Contains(r.stderr, "ChannelMessage.Read.All") {
		t.Errorf("channel messages without the admin scope: %d %s", r.code, r.stderr)
	}
}
