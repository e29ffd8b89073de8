package emulator

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/o365go/o365/internal/graphspec"
)

// driveFidelitySkip lists documented drive examples not replayed, with the
// reason (matched against the example's source and path).
var driveFidelitySkip = map[string]string{
	"/following":              "followed items are not modelled",
	"/shares/":                "shares are not modelled",
	"subscriptions/socketIo":  "socket.io notifications are not modelled",
	"analytics":               "item analytics are not modelled",
	"getActivitiesByInterval": "item activities are not modelled",
	"/restore":                "restoring deleted items (beta) is not modelled",
	"/checkin":                "check-in/check-out is not modelled",
	"/unfollow":               "followed items are not modelled",
	"{remoteItem-driveId}":    "the documented remote item is in another tenant",
	"{path_to_parent}":        "upload from a source URL (Personal only) is not modelled",
	"{format}":                "replayed with format=pdf in TestDriveContentDownloadAndRange",
}

// driveFidelityAbsent are documented keys the emulator may leave out.
var driveFidelityAbsent = map[string]string{
	"application":     "the link was made by a delegated caller, not an app",
	"@odata.type":     "the docs annotate types the service leaves implicit",
	"@odata.nextLink": "the documented folder holds more items than a page",
	"device":          "the documented upload came from a synced device",
	"image":           "the documented body is a real picture, the replayed one is the placeholder text",
}

// TestDriveFidelity replays the documented drive examples the emulator
// serves, with the seeded demo data standing in for the placeholders, and
// compares the answers' shape (keys and JSON types) with the docs.
func TestDriveFidelity(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, driveScopes)
	driveID := do(t, s, "GET", "/v1.0/me/drive", tok, "").json["id"].(string)
	notes := do(t, s, "GET", "/v1.0/me/drive/root:/Documents/Notes/Meeting%20notes.txt", tok, "")
	itemID := notes.json["id"].(string)
	do(t, s, "POST", "/v1.0/me/drive/items/"+itemID+"/createLink", tok, `{"type":"edit","scope":"organization"}`)
	inv := do(t, s, "POST", "/v1.0/me/drive/items/"+itemID+"/invite", tok, `{"recipients":[{"email":"MeganB@contoso.onmicrosoft.com"}],"roles":["write"]}`)
	permID := inv.values()[0]["id"].(string)
	picsID := do(t, s, "GET", "/v1.0/me/drive/root:/Pictures", tok, "").json["id"].(string)
	groupID := do(t, s, "GET", "/v1.0/groups", tokenFor(t, s, adele.UPN, "Group.Read.All"), "").values()[0]["id"].(string)
	repl := strings.NewReplacer("{drive-id}", driveID, "{driveId}", driveID, "{item-id}", itemID, "{perm-id}", permID,
		"{version-id}", "1.0", "{idOrUserPrincipalName}", adele.UPN, "{userId}", adele.ID, "{groupId}", groupID,
		"{item-path}", "Upload/largefile.dat", "{path-relative-to-root}", "Documents",
		"b!6SQl0y4WHkS2P5MeIsSGpKwfynEIaD1OvPVeH4wbOp_1uyhNwJMSSpseJneB7Z4F", driveID, "01YT2AIJRQLVYT24IWWFAJHMRRNYCB3GE2", picsID)
	replayed := 0
	for _, ex := range graphspec.Examples("drive") {
		if ex.Host != "" || ex.Path == "" || (ex.ResponseStatus != 200 && ex.ResponseStatus != 201) {
			continue
		}
		if reason := skipFor(driveFidelitySkip, ex.Source+" "+ex.Path); reason != "" {
			t.Logf("skipped %s %s: %s", ex.Method, ex.Path, reason)
			continue
		}
		p := repl.Replace(ex.Path)
		if strings.Contains(p, "{") || strings.Contains(p, "/sites/") {
			t.Logf("skipped %s %s: placeholder without seeded data", ex.Method, ex.Path)
			continue
		}
		if !strings.HasPrefix(p, "/v1.0/") && !strings.HasPrefix(p, "/beta/") {
			p = "/v1.0" + p
		}
		body := ""
		switch b := ex.RequestBody.(type) {
		case nil:
		case string:
			if ex.RequestBodyFormat == "json-lenient" {
				enc, _ := json.Marshal(ex.RequestBodyLenient)
				body = string(enc)
			} else {
				body = b
			}
		default:
			enc, _ := json.Marshal(b)
			body = string(enc)
		}
		if ex.Method == "PATCH" && strings.Contains(body, "{new-parent-folder-id}") {
			docs := do(t, s, "GET", "/v1.0/me/drive/root:/Documents", tok, "").json["id"].(string)
			body = strings.ReplaceAll(body, "{new-parent-folder-id}", docs)
		}
		r := raw(t, s, ex.Method, escapeDrivePath(p), tok, []byte(body), "Content-Type", "application/json")
		if r.status/100 != 2 {
			t.Errorf("%s %s: status %d, documented %d: %.300s", ex.Method, p, r.status, ex.ResponseStatus, r.body)
			continue
		}
		doc := docResponse(ex)
		if _, ok := doc.(map[string]any); !ok {
			continue
		}
		for _, pr := range driveCheck.problems(doc, r.json) {
			t.Errorf("%s %s: %s", ex.Method, ex.Path, pr)
		}
		replayed++
	}
	logReplayed(t, replayed, 10, "drive examples")
}

// escapeDrivePath percent-encodes what an example path leaves raw
// (spaces, quotes) but keeps its structure.
func escapeDrivePath(p string) string {
	path, q, _ := strings.Cut(p, "?")
	parts := strings.Split(path, "/")
	for i, x := range parts {
		parts[i] = strings.ReplaceAll(url.PathEscape(x), "%3A", ":")
	}
	out := strings.Join(parts, "/")
	if q != "" {
		out += "?" + q
	}
	return out
}

// driveCheck compares shapes with the drive allowances only.
var driveCheck = replayCheck{noBodyFails: true, absent: func(key string) bool {
	_, allowed := driveFidelityAbsent[key]
	return allowed
}}
