package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// directoryWriteSkip lists documented directory writes not replayed.
var directoryWriteSkip = map[string]string{
	"intune-": "Intune's user pages print 200 for PATCH and set Intune-only properties",
	// The Teams walkthrough prints 200; group-post-groups.md documents 201 Created.
	"teams-create-group-and-team.md": "docs example prints 200, the create page documents 201 Created",
}

// TestFidelityDirectoryWrites replays the documented user and group writes
// (POST, PATCH, PUT, DELETE) the emulator serves against fresh users,
// groups and conversations, and compares status and response shape.
func TestFidelityDirectoryWrites(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "User.ReadWrite.All Group.ReadWrite.All")
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	replayed := 0
	for i, ex := range append(graphspec.Examples("users"), graphspec.Examples("groups")...) {
		if ex.Method == "GET" || ex.Host != "" || ex.ResponseStatus < 200 || ex.ResponseStatus > 299 {
			continue
		}
		name := exampleName(ex, ex.Method, ex.Path)
		if skip := skipFor(directoryWriteSkip, name); skip != "" {
			t.Logf("skipped %s: %s", name, skip)
			continue
		}
		path := ex.Path
		if !strings.HasPrefix(path, "/v1.0") && !strings.HasPrefix(path, "/beta") {
			path = "/v1.0" + path
		}
		rt, ok := routeExample(s, ex.Method, path, adele.ID)
		if !ok || rt.rawQuery != "" || rt.route == nil {
			continue // not a path, or an endpoint the emulator does not serve
		}
		// Fresh targets for each example.
		user := do(t, s, "POST", "/v1.0/users", tok, fmt.Sprintf(`{"accountEnabled":true,"displayName":"Fidelity %d","mailNickname":"fid%d","userPrincipalName":"fid%d@contoso.onmicrosoft.com","passwordProfile":{"password":"xWwvJ]6NMw+bWH-d"}}`, i, i, i))
		group := do(t, s, "POST", "/v1.0/groups", tok, fmt.Sprintf(`{"displayName":"Fidelity %d","mailNickname":"fid%d","mailEnabled":true,"securityEnabled":false,"groupTypes":["Unified"],"owners@odata.bind":["https://graph.microsoft.com/v1.0/users/%s"]}`, i, i, megan.ID))
		if user.status != 201 || group.status != 201 {
			t.Fatalf("fresh targets: %d %s / %d %s", user.status, user.body, group.status, group.body)
		}
		groupID := group.json["id"].(string)
		conv := do(t, s, "POST", "/v1.0/groups/"+groupID+"/conversations", tok, `{"topic":"t","threads":[{"posts":[{"body":{"contentType":"text","content":"x"}}]}]}`)
		threadID := do(t, s, "GET", "/v1.0/groups/"+groupID+"/threads", tok, "").values()[0]["id"].(string)
		userID := func(seg string) string {
			if strings.EqualFold(seg, adele.ID) {
				return seg
			}
			return user.json["id"].(string)
		}
		target := rt.target(placeholderIDs{"{user}": userID, "{user-id}": userID, "{group-id}": fixedID(groupID),
			"{directoryObject-id}": fixedID(megan.ID), "{conversation-id}": fixedID(conv.json["id"].(string)),
			"{conversationThread-id}": fixedID(threadID)})
		body := ""
		if ex.RequestBody != nil {
			b, _ := json.Marshal(rewriteDirectoryBody(ex.RequestBody, i, adele.ID))
			body = string(b)
		}
		t.Run(name, func(t *testing.T) {
			r := do(t, s, ex.Method, target, tok, body)
			replayCheck{excused: directoryAbsentOK}.check(t, ex.Method, target, r, ex.ResponseStatus, ex.ResponseBody)
		})
		replayed++
	}
	logReplayed(t, replayed, 8, "writes")
}

// rewriteDirectoryBody points a documented body at the emulated tenant:
// user principal names get the tenant's domain (made unique by n) and
// references name an existing user.
func rewriteDirectoryBody(v any, n int, userID string) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			switch {
			case k == "userPrincipalName":
				s, _ := val.(string)
				local, _, _ := strings.Cut(s, "@")
				out[k] = fmt.Sprintf("%s%d@%s", local, n, defaultTenantDomain)
			case k == "mailNickname":
				s, _ := val.(string)
				out[k] = fmt.Sprintf("%s%d", s, n)
			case strings.HasSuffix(k, "@odata.bind"):
				var refs []any
				list, _ := val.([]any)
				for range list {
					refs = append(refs, "https://graph.microsoft.com/v1.0/users/"+userID)
				}
				out[k] = refs
			case k == "@odata.id":
				out[k] = "https://graph.microsoft.com/v1.0/users/" + userID
			default:
				out[k] = rewriteDirectoryBody(val, n, userID)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = rewriteDirectoryBody(e, n, userID)
		}
		return out
	}
	return v
}
