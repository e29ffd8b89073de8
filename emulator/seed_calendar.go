package emulator

import (
	"time"
)

// seedCalendar gives the demo tenant's people a realistic calendar: a
// team standup every weekday (a series with attendees who accepted),
// weekly 1:1s, an all-day planning day, a Teams meeting and a personal
// appointment. The minimal seed has no events. Invitation messages are
// not put in inboxes, so seeded mail counts stay as they are.
func (s *Server) seedCalendar(kind string) {
	if kind != "demo" {
		return
	}
	get := func(upn string) (User, bool) { return s.lookupUser(upn) }
	adele, ok1 := get("AdeleV@contoso.onmicrosoft.com")
	megan, ok2 := get("MeganB@contoso.onmicrosoft.com")
	miriam, ok3 := get("MiriamG@contoso.onmicrosoft.com")
	patti, ok4 := get("PattiF@contoso.onmicrosoft.com")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return
	}
	pst := "Pacific Standard Time"
	at := func(day string, hm string) map[string]any {
		return map[string]any{"dateTime": day + "T" + hm + ":00", "timeZone": pst}
	}
	body := func(s string) map[string]any {
		return map[string]any{"contentType": "html", "content": "<html><body><p>" + s + "</p></body></html>"}
	}
	loc := func(s string) map[string]any { return map[string]any{"displayName": s} }
	weekly := func(days []any, start string) map[string]any {
		return map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": float64(1), "daysOfWeek": days, "firstDayOfWeek": "sunday"},
			"range":   map[string]any{"type": "noEnd", "startDate": start, "recurrenceTimeZone": pst},
		}
	}
	s.seedEvent(adele, map[string]any{
		"subject": "Retail team standup", "body": body("Quick sync: yesterday, today, blockers."),
		"start": at("2026-10-05", "09:30"), "end": at("2026-10-05", "09:45"), "location": loc("Teams"),
		"isOnlineMeeting": true, "onlineMeetingProvider": "teamsForBusiness", "categories": []any{"Blue category"},
		"recurrence": weekly([]any{"monday", "tuesday", "wednesday", "thursday", "friday"}, "2026-10-05"),
	}, megan, miriam)
	s.seedEvent(adele, map[string]any{
		"subject": "Adele / Megan 1:1", "body": body("Weekly check-in."), "start": at("2026-10-08", "14:00"), "end": at("2026-10-08", "14:30"),
		"location": loc("Conference Room 18/2111"), "recurrence": weekly([]any{"thursday"}, "2026-10-08"),
	}, megan)
	s.seedEvent(miriam, map[string]any{
		"subject": "Miriam / Adele 1:1", "body": body("Pipeline and store reviews."), "start": at("2026-10-06", "11:00"), "end": at("2026-10-06", "11:30"),
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": float64(2), "daysOfWeek": []any{"tuesday"}},
			"range":   map[string]any{"type": "noEnd", "startDate": "2026-10-06", "recurrenceTimeZone": pst},
		},
	}, adele)
	s.seedEvent(patti, map[string]any{
		"subject": "Contoso quarterly planning", "body": body("All-day planning for Q1."), "isAllDay": true, "showAs": "oof",
		"start": map[string]any{"dateTime": "2026-12-02T00:00:00", "timeZone": pst}, "end": map[string]any{"dateTime": "2026-12-03T00:00:00", "timeZone": pst},
		"location": loc("Redmond, Building 92"), "reminderMinutesBeforeStart": float64(1080),
	}, adele, miriam, megan)
	s.seedEvent(adele, map[string]any{
		"subject": "Holiday display review", "body": body("Walk through the window displays with Megan."),
		"start": at("2026-12-01", "13:00"), "end": at("2026-12-01", "14:00"), "isOnlineMeeting": true, "importance": "high",
	}, megan, patti)
	s.seedEvent(adele, map[string]any{
		"subject": "Dentist", "start": at("2026-11-30", "08:00"), "end": at("2026-11-30", "09:00"), "sensitivity": "private", "showAs": "oof",
		"reminderMinutesBeforeStart": float64(60),
	})
	s.seedEvent(megan, map[string]any{
		"subject": "Monthly marketing review", "start": at("2026-10-06", "10:00"), "end": at("2026-10-06", "11:00"),
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "relativeMonthly", "interval": float64(1), "daysOfWeek": []any{"tuesday"}, "index": "first"},
			"range":   map[string]any{"type": "numbered", "startDate": "2026-10-06", "numberOfOccurrences": float64(12), "recurrenceTimeZone": pst},
		},
	}, miriam)
}

// seedEvent stores an event organized by org with the attendees' copies,
// each already accepted.
func (s *Server) seedEvent(org User, in map[string]any, attendees ...User) {
	now := seedBase.Add(-30 * 24 * time.Hour)
	var list []any
	for _, a := range attendees {
		list = append(list, map[string]any{"type": "required", "emailAddress": map[string]any{"name": a.DisplayName, "address": a.Mail}})
	}
	if list != nil {
		in["attendees"] = list
	}
	doc := s.newEventDoc(org, s.defaultCalendarID(org), now)
	if s.applyEventInput(org, doc, in, true) != nil {
		return
	}
	accepted := map[string]any{"response": "accepted", "time": now.Format(time.RFC3339)}
	for _, a := range anyList(doc["attendees"]) {
		a.(map[string]any)["status"] = accepted
	}
	st := s.cal()
	st.events.put(eventEntity(org.ID, doc, now))
	for _, a := range attendees {
		cd := cloneJSON(doc)
		id := randomID("AAMkA")
		cd["id"], cd["webLink"] = id, webLinkFor(id)
		cd[keyCalendarID] = s.defaultCalendarID(a)
		cd["isOrganizer"] = false
		cd["responseStatus"] = accepted
		st.events.put(eventEntity(a.ID, cd, now))
	}
}
