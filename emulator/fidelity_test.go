package emulator

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// The fidelity test replays every documented Graph example for the
// endpoints the emulator serves and compares the shape of the answer
// (keys and JSON types, recursively) with the documented response.

// fidelitySkip lists documented examples the emulator does not replay,
// with the reason. Keep it short.
var fidelitySkip = map[string]string{
	// $expand of a derived type's navigation (eventMessage/event) needs
	// calendar events, which a later area adds.
	"expand=microsoft.graph.eventMessage/event": "eventMessage/event expansion: calendar area",
	// Hidden folders are a beta option on a /beta URL.
	"includeHiddenFolders": "beta-only option",
	// This page prints the Outlook REST v2.0 PascalCase shape
	// (BodyPreview, Importance) for a Graph URL.
	"concepts/traverse-the-graph.md:267": "documented response is the Outlook v2.0 shape",
	// This page prints one directoryObject ("...$entity") for a
	// collection request.
	"concepts/traverse-the-graph.md:239": "documented response is a single object for a collection",
}

// fidelityAbsent lists documented keys the emulator may leave out, with
// the reason.
var fidelityAbsent = map[string]string{
	"@odata.type":     "the seeded messages are plain messages, the docs show eventMessage and mailSearchFolder items",
	"@odata.nextLink": "the documented mailbox had more items than a page",
	// eventMessage-only properties.
	"meetingMessageType": "eventMessage property",
	"startDateTime":      "eventMessage property",
	"endDateTime":        "eventMessage property",
	"location":           "eventMessage property",
	"type":               "eventMessage property",
	"recurrence":         "eventMessage property",
	"isOutOfDate":        "eventMessage property",
	"isAllDay":           "eventMessage property",
	"isDelegated":        "eventMessage property",
	// customTimeZone properties: the documented working hours use a
	// custom zone, the emulator's a named one.
	"bias":           "customTimeZone property",
	"daylightOffset": "customTimeZone property",
	"standardOffset": "customTimeZone property",
	// mailSearchFolder-only properties.
	"isSupported":          "mailSearchFolder property",
	"filterQuery":          "mailSearchFolder property",
	"includeNestedFolders": "mailSearchFolder property",
	"sourceFolderIds":      "mailSearchFolder property",
}

// absentAllowed reports whether a documented key may be missing. Besides
// the list above, user properties outside Graph's default set are
// allowed: older pages show them in default answers, the service (and the
// emulator) returns them only on $select.
func absentAllowed(key string) bool {
	if _, ok := fidelityAbsent[key]; ok {
		return true
	}
	return userProps[lower(key)] && !userDefaultProps[key]
}

var userDefaultProps = map[string]bool{"businessPhones": true, "displayName": true, "givenName": true, "jobTitle": true,
	"mail": true, "mobilePhone": true, "officeLocation": true, "preferredLanguage": true, "surname": true, "userPrincipalName": true, "id": true}

func TestFidelity(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "User.Read.All Mail.Read MailboxSettings.ReadWrite Contacts.Read")
	msgs := do(t, s, "GET", "/v1.0/me/messages?$top=1&$filter=hasAttachments%20eq%20true", tok, "").values()
	if len(msgs) == 0 {
		t.Fatal("no seeded message")
	}
	messageID := msgs[0]["id"].(string)
	attachmentID := do(t, s, "GET", "/v1.0/me/messages/"+messageID+"/attachments", tok, "").values()[0]["id"].(string)
	do(t, s, "POST", "/v1.0/me/mailFolders/inbox/messageRules", tok,
		`{"displayName":"Remove spam","sequence":1,"isEnabled":true,"conditions":{"subjectContains":["enter to win"]},"actions":{"delete":true,"stopProcessingRules":true}}`)
	rule := do(t, s, "POST", "/v1.0/me/mailFolders/inbox/messageRules", tok,
		`{"displayName":"From partner","sequence":2,"isEnabled":true,"conditions":{"senderContains":["adele"]},"actions":{"forwardTo":[{"emailAddress":{"name":"Alex Wilber","address":"AlexW@contoso.onmicrosoft.com"}}],"stopProcessingRules":true}}`)
	if rule.status != 201 {
		t.Fatalf("creating a rule: %d %s", rule.status, rule.body)
	}
	ruleID := rule.json["id"].(string)

	served := servedGETs(s)
	ids := placeholderIDs{"{user}": knownUserOr(s, adele.ID), "{message}": fixedID(messageID), "{attachment}": fixedID(attachmentID),
		"{rule}": fixedID(ruleID), "{folder}": func(seg string) string {
			if s.ensureMailbox(adele.ID).folderByKey(seg) == nil {
				return "inbox"
			}
			return seg
		}}
	replayed := 0
	for _, ex := range graphspec.AllExamples() {
		rt, tmpl, ok := routeServedGET(s, served, ex, adele.ID)
		if !ok {
			continue
		}
		doc := docResponse(ex)
		if rt.route == nil {
			t.Errorf("%s: documented path of a served endpoint (%s) not routed", ex.Path, tmpl)
			continue
		}
		name := exampleName(ex, ex.Path)
		if reason := skipFor(fidelitySkip, name); reason != "" {
			t.Logf("skipped %s: %s", name, reason)
			continue
		}
		// Substitute seeded ids for placeholders and unknown ids.
		target := rt.target(ids)
		hdr := exampleHeaders(ex, "Authorization")
		t.Run(name, func(t *testing.T) {
			r := do(t, s, "GET", target, tok, "", hdr...)
			replayCheck{noBodyFails: true}.check(t, "GET", target, r, ex.ResponseStatus, doc)
		})
		replayed++
	}
	logReplayed(t, replayed, 15, "examples")
}

// escapeExamplePath escapes what the docs print raw in paths ("{id |
// userPrincipalName}", spaces).
func escapeExamplePath(p string) string {
	var b strings.Builder
	for _, seg := range strings.Split(p, "/") {
		if b.Len() > 0 || strings.HasPrefix(p, "/") {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(seg))
	}
	return strings.TrimPrefix(b.String(), "/") // splitGraphPath trims one leading slash
}

// escapeExampleQuery re-encodes a documented query string.
func escapeExampleQuery(q string) string {
	var parts []string
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
	}
	return strings.Join(parts, "&")
}

// jsonType names the JSON type of a decoded value.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// compareShape checks that got has every key of doc with a compatible type.
func compareShape(path string, doc, got any, problems *[]string) {
	compareShapeAbsent(path, doc, got, absentAllowed, problems)
}

// compareShapeAbsent is compareShape with the documented keys that may be
// missing reported by absentOK.
func compareShapeAbsent(path string, doc, got any, absentOK func(key string) bool, problems *[]string) {
	dt, gt := jsonType(doc), jsonType(got)
	if dt == "null" || gt == "null" {
		return // nullable properties
	}
	if dt != gt {
		*problems = append(*problems, fmt.Sprintf("%s: documented %s, got %s", orRoot(path), dt, gt))
		return
	}
	switch d := doc.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for k, dv := range d {
			gv, ok := g[k]
			if !ok {
				if !absentOK(k) {
					*problems = append(*problems, fmt.Sprintf("%s/%s: documented, missing", path, k))
				}
				continue
			}
			compareShapeAbsent(path+"/"+k, dv, gv, absentOK, problems)
		}
	case []any:
		g := got.([]any)
		if len(d) == 0 || len(g) == 0 {
			return
		}
		// Documented items are compared with an answered item of the same
		// kind (the first one).
		for _, di := range d[:1] {
			compareShapeAbsent(path+"[]", di, g[0], absentOK, problems)
		}
	}
}

func orRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
