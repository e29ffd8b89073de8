package teams_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/teams"
)

// TestTeamsDecodeExamples decodes every documented team, channel, chat, chatMessage,
// conversationMember, app installation and presence of the teams and presence examples
// and checks that no property is lost on the way back to JSON.
func TestTeamsDecodeExamples(t *testing.T) {
	kinds := []struct {
		match func(ex graphspec.Example) bool
		model func() any
	}{
		{func(ex graphspec.Example) bool {
			return strings.Contains(ex.ResponseODataType, "chatMessage") && !strings.Contains(ex.Path, "hostedContents")
		}, func() any { return new(teams.Message) }},
		{func(ex graphspec.Example) bool {
			return strings.Contains(ex.ResponseODataType, "channel") && !strings.Contains(ex.Path, "filesFolder") && !strings.Contains(ex.Path, "tabs")
		}, func() any { return new(teams.Channel) }},
		{func(ex graphspec.Example) bool {
			return ex.ResponseODataType == "microsoft.graph.chat" && !strings.Contains(ex.Path, "installedApps")
		}, func() any { return new(teams.Chat) }},
		{func(ex graphspec.Example) bool { return strings.Contains(ex.ResponseODataType, "conversationMember") }, func() any { return new(teams.Member) }},
		{func(ex graphspec.Example) bool {
			return strings.HasSuffix(ex.OpenAPIPath, "/installedApps") && ex.Method == "GET"
		}, func() any { return new(teams.AppInstallation) }},
		{func(ex graphspec.Example) bool { return ex.Area == "presence" }, func() any { return new(teams.Presence) }},
		{func(ex graphspec.Example) bool {
			return ex.Method == "GET" && (ex.OpenAPIPath == "/teams/{team-id}" || ex.OpenAPIPath == "/me/joinedTeams")
		}, func() any { return new(teams.Team) }},
	}
	checked := map[string]int{}
	for _, ex := range append(graphspec.Examples("teams"), graphspec.Examples("presence")...) {
		for _, k := range kinds {
			if !k.match(ex) {
				continue
			}
			for _, body := range []any{ex.ResponseBody, ex.RequestBody} {
				obj, ok := body.(map[string]any)
				if !ok {
					continue
				}
				items := []map[string]any{obj}
				if v, ok := obj["value"].([]any); ok {
					items = nil
					for _, x := range v {
						if m, ok := x.(map[string]any); ok {
							items = append(items, m)
						}
					}
				}
				for _, it := range items {
					if _, isID := it["ids"]; isID || it["sessionId"] != nil {
						continue // action parameters, not a model
					}
					raw, _ := json.Marshal(it)
					m := k.model()
					if err := json.Unmarshal(raw, m); err != nil {
						t.Errorf("%s:%d: %v", ex.Source, ex.Line, err)
						continue
					}
					out, _ := json.Marshal(m)
					var back map[string]any
					_ = json.Unmarshal(out, &back)
					for _, lost := range lostKeys("", it, back) {
						t.Errorf("%s:%d (%T): property %s lost", ex.Source, ex.Line, m, lost)
					}
					checked[reflect.TypeOf(m).Elem().Name()]++
				}
			}
		}
	}
	for _, name := range []string{"Message", "Channel", "Chat", "Member", "AppInstallation", "Presence", "Team"} {
		if checked[name] == 0 {
			t.Errorf("no documented %s decoded", name)
		}
	}
	t.Logf("decoded: %v", checked)
}

// lostKeys lists the non-empty documented properties missing after a round trip,
// recursing into objects.
func lostKeys(prefix string, doc, got map[string]any) []string {
	var lost []string
	for k, v := range doc {
		if strings.HasPrefix(k, "@") || strings.Contains(k, "@odata.bind") || isEmpty(v) {
			continue
		}
		g, ok := got[k]
		if !ok {
			lost = append(lost, prefix+k)
			continue
		}
		if dm, ok := v.(map[string]any); ok {
			gm, _ := g.(map[string]any)
			lost = append(lost, lostKeys(prefix+k+".", dm, gm)...)
		}
		if dl, ok := v.([]any); ok {
			gl, _ := g.([]any)
			for i, x := range dl {
				if dm, ok := x.(map[string]any); ok && i < len(gl) {
					gm, _ := gl[i].(map[string]any)
					lost = append(lost, lostKeys(prefix+k+"[].", dm, gm)...)
				}
			}
		}
	}
	return lost
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, y := range x {
			if !isEmpty(y) {
				return false
			}
		}
		return true
	}
	return false
}
