package emulator

import (
	"strings"
	"testing"
)

// meetingWith returns body with Megan (a tenant user) as attendee.
func meetingWith(body, subject, mail string) string {
	return strings.Replace(body, `{"subject":"`, `{"attendees":[{"type":"required","emailAddress":{"address":"`+mail+`"}}],"subject":"`+subject+`-`, 1)
}

func TestCalendarMeetingUpdates(t *testing.T) {
	s, tok := calServer(t)
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	mtok := tokenFor(t, s, megan.UPN, calScopes)
	org := cdo(t, s, "POST", "/v1.0/me/events", tok, meetingWith(meeting, "Review", megan.Mail))
	calStatus(t, org, 201)
	oid := org.json["id"].(string)
	requests := func() []map[string]any {
		t.Helper()
		return cdo(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$filter=subject eq 'Review-Plan'&$top=50", mtok, "").values()
	}
	if n := len(requests()); n != 1 {
		t.Fatalf("%d requests after create", n)
	}
	cp := cdo(t, s, "GET", "/v1.0/me/events?$filter=subject eq 'Review-Plan'", mtok, "").values()
	if len(cp) != 1 {
		t.Fatalf("copies: %v", cp)
	}
	cid := cp[0]["id"].(string)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+cid+"/accept", mtok, `{"sendResponse":false}`), 202)

	// Changing the attendee list only (same people) sends nothing.
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+oid, tok, `{"isReminderOn":false}`), 200)
	if n := len(requests()); n != 1 {
		t.Fatalf("%d requests after an unrelated change", n)
	}

	// A new location: an informational update, the response stands.
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+oid, tok, `{"location":{"displayName":"Room 2"}}`), 200)
	msgs := requests()
	if len(msgs) != 2 {
		t.Fatalf("%d requests after a location change", len(msgs))
	}
	c := cdo(t, s, "GET", "/v1.0/me/events/"+cid, mtok, "")
	if c.json["location"].(map[string]any)["displayName"] != "Room 2" || c.json["responseStatus"].(map[string]any)["response"] != "accepted" {
		t.Fatalf("copy after location change: %s", c.body)
	}

	// A new time: a full update, the copy is back to notResponded.
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+oid, tok,
		`{"start":{"dateTime":"2026-12-08T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-08T11:00:00","timeZone":"UTC"}}`), 200)
	msgs = requests()
	if len(msgs) != 3 {
		t.Fatalf("%d requests after a time change", len(msgs))
	}
	kinds := map[string]int{}
	for _, m := range msgs {
		if m["@odata.type"] != "#microsoft.graph.eventMessageRequest" || m["meetingMessageType"] != "meetingRequest" || m["subject"] != "Review-Plan" {
			t.Fatalf("update message: %v", m)
		}
		kinds[m["meetingRequestType"].(string)]++
	}
	if kinds["newMeetingRequest"] != 1 || kinds["informationalUpdate"] != 1 || kinds["fullUpdate"] != 1 {
		t.Fatalf("meetingRequestType: %v", kinds)
	}
	c = cdo(t, s, "GET", "/v1.0/me/events/"+cid, mtok, "")
	if c.json["responseStatus"].(map[string]any)["response"] != "notResponded" || !strings.HasPrefix(c.json["start"].(map[string]any)["dateTime"].(string), "2026-12-08T10:00:00") {
		t.Fatalf("copy after time change: %s", c.body)
	}
	// The update links to the attendee's copy.
	var full string
	for _, m := range msgs {
		if m["meetingRequestType"] == "fullUpdate" {
			full = m["id"].(string)
		}
	}
	x := cdo(t, s, "GET", "/v1.0/me/messages/"+full+"?$expand=microsoft.graph.eventMessage/event", mtok, "")
	calStatus(t, x, 200)
	if ev, _ := x.json["event"].(map[string]any); ev["id"] != cid {
		t.Fatalf("expanded update: %s", x.body)
	}
	// A subject change is an update too (the message carries the new subject).
	calStatus(t, cdo(t, s, "PATCH", "/v1.0/me/events/"+oid, tok, `{"subject":"Review-Plan v2"}`), 200)
	if u := cdo(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$filter=subject eq 'Review-Plan v2'", mtok, "").values(); len(u) != 1 || u[0]["meetingRequestType"] != "informationalUpdate" {
		t.Fatalf("subject update: %v", u)
	}
}

func TestCalendarCancelOccurrence(t *testing.T) {
	s, tok := calServer(t)
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	mtok := tokenFor(t, s, megan.UPN, calScopes)
	m := cdo(t, s, "POST", "/v1.0/me/events", tok, meetingWith(series, "Team", megan.Mail))
	calStatus(t, m, 201)
	mid := m.json["id"].(string)
	cp := cdo(t, s, "GET", "/v1.0/me/events?$filter=subject eq 'Team-Standup'", mtok, "").values()
	if len(cp) != 1 || cp[0]["type"] != "seriesMaster" {
		t.Fatalf("copies: %v", cp)
	}
	cid := cp[0]["id"].(string)
	inst := func(token, id string) int {
		t.Helper()
		r := cdo(t, s, "GET", "/v1.0/me/events/"+id+"/instances?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z", token, "")
		calStatus(t, r, 200)
		return len(r.values())
	}
	if inst(mtok, cid) != 5 {
		t.Fatal("attendee copy does not expand to 5 occurrences")
	}
	// Only the organizer cancels an occurrence.
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+cid+"_20261209/cancel", mtok, `{}`), 400)
	calStatus(t, cdo(t, s, "POST", "/v1.0/me/events/"+mid+"_20261209/cancel", tok, `{"comment":"Holiday"}`), 202)
	if inst(tok, mid) != 4 || inst(mtok, cid) != 4 {
		t.Fatal("the cancelled occurrence is still there")
	}
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+cid+"_20261209", mtok, ""), 404)
	got := cdo(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$filter=subject eq 'Canceled: Team-Standup'", mtok, "").values()
	if len(got) != 1 || got[0]["meetingMessageType"] != "meetingCancelled" || got[0]["body"].(map[string]any)["content"] != "Holiday" ||
		!strings.HasPrefix(got[0]["startDateTime"].(map[string]any)["dateTime"].(string), "2026-12-09T09:00:00") {
		t.Fatalf("cancellation: %v", got)
	}
	// The series stays; the copy is not cancelled.
	c := cdo(t, s, "GET", "/v1.0/me/events/"+cid, mtok, "")
	if c.json["isCancelled"] == true {
		t.Fatalf("series copy cancelled: %s", c.body)
	}
}

// DELETE on the organizer's calendar cancels for the attendees: one
// occurrence, then the whole series.
func TestCalendarOrganizerDeleteCancels(t *testing.T) {
	s, tok := calServer(t)
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	mtok := tokenFor(t, s, megan.UPN, calScopes)
	m := cdo(t, s, "POST", "/v1.0/me/events", tok, meetingWith(series, "Team", megan.Mail))
	calStatus(t, m, 201)
	mid := m.json["id"].(string)
	cp := cdo(t, s, "GET", "/v1.0/me/events?$filter=subject eq 'Team-Standup'", mtok, "").values()
	if len(cp) != 1 {
		t.Fatalf("copies: %v", cp)
	}
	cid := cp[0]["id"].(string)
	cancellations := func() int {
		t.Helper()
		return len(cdo(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$filter=subject eq 'Canceled: Team-Standup'", mtok, "").values())
	}

	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+mid+"_20261209", tok, ""), 204)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+cid+"_20261209", mtok, ""), 404)
	if n := cancellations(); n != 1 {
		t.Fatalf("after deleting one occurrence: %d cancellations, want 1", n)
	}

	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+mid, tok, ""), 204)
	calStatus(t, cdo(t, s, "GET", "/v1.0/me/events/"+mid, tok, ""), 404)
	if c := cdo(t, s, "GET", "/v1.0/me/events/"+cid, mtok, ""); c.json["isCancelled"] != true {
		t.Fatalf("attendee copy after the organizer deleted the series: %s", c.body)
	}
	if n := cancellations(); n != 2 {
		t.Fatalf("after deleting the series: %d cancellations, want 2", n)
	}

	// An attendee deleting their copy tells nobody.
	calStatus(t, cdo(t, s, "DELETE", "/v1.0/me/events/"+cid, mtok, ""), 204)
	if n := cancellations(); n != 2 {
		t.Fatalf("after the attendee deleted the copy: %d cancellations", n)
	}
}
