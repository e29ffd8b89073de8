package emulator

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// availability codes of getSchedule's availabilityView, and their rank
// when events overlap (the busiest wins).
var (
	availabilityCode = map[string]byte{"free": '0', "tentative": '1', "busy": '2', "oof": '3', "workingElsewhere": '4'}
	availabilityRank = map[string]int{"free": 0, "unknown": 0, "workingElsewhere": 1, "tentative": 2, "busy": 3, "oof": 4}
)

// busyDocs are u's instances in [from, to) that take time (not
// cancelled, not free).
func (s *Server) busyDocs(u User, from, to time.Time) []map[string]any {
	var out []map[string]any
	for _, d := range s.viewDocs(u, s.defaultCalendarID(u), from, to) {
		if boolOf(d["isCancelled"]) {
			continue
		}
		if sa := str(d["showAs"]); sa == "free" || sa == "unknown" {
			continue
		}
		out = append(out, d)
	}
	return out
}

// statusIn is the busiest showAs of docs overlapping [from, to).
func statusIn(docs []map[string]any, from, to time.Time) string {
	best := "free"
	for _, d := range docs {
		if docTime(d, "start").Before(to) && docTime(d, "end").After(from) && availabilityRank[str(d["showAs"])] > availabilityRank[best] {
			best = str(d["showAs"])
		}
	}
	return best
}

// workingHoursOf is u's mailbox workingHours setting.
func (s *Server) workingHoursOf(u User) map[string]any {
	mb := s.ensureMailbox(u.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	wh, _ := s.settingsOf(mb)["workingHours"].(map[string]any)
	return cloneJSON(wh)
}

// getSchedule serves POST /calendar/getSchedule (calendar-getschedule.md).
func (s *Server) getSchedule(c *call) {
	if _, gerr := s.calendarUser(c); gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	in = canonKeys(in, "schedules", "startTime", "endTime", "availabilityViewInterval")
	schedules := stringsOf(in["schedules"])
	if len(schedules) == 0 || len(schedules) > 100 {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "schedules must hold 1 to 100 addresses."))
		return
	}
	from, zone, gerr := parseDTZ(in["startTime"], "startTime")
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	to, _, gerr := parseDTZ(in["endTime"], "endTime")
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if !to.After(from) || to.Sub(from) > 62*24*time.Hour {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "endTime must be after startTime and at most 62 days later."))
		return
	}
	interval := 30
	if v, ok := in["availabilityViewInterval"]; ok {
		interval = intOf(v)
		if interval < 5 || interval > 1440 {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "availabilityViewInterval must be 5 to 1440 minutes."))
			return
		}
	}
	step := time.Duration(interval) * time.Minute
	out := []any{}
	for _, addr := range schedules {
		u, ok := s.userByAddress(addr)
		if !ok {
			out = append(out, map[string]any{"scheduleId": addr, "availabilityView": "", "scheduleItems": []any{},
				"error": map[string]any{"message": "The specified recipient could not be found.", "responseCode": "ErrorMailRecipientNotFound"}})
			continue
		}
		docs := s.busyDocs(u, from, to)
		var view strings.Builder
		for t := from; t.Before(to); t = t.Add(step) {
			view.WriteByte(availabilityCode[statusIn(docs, t, t.Add(step))])
		}
		items := []any{}
		for _, d := range docs {
			loc, _ := d["location"].(map[string]any)
			items = append(items, map[string]any{
				"isPrivate": str(d["sensitivity"]) == "private", "status": str(d["showAs"]), "subject": str(d["subject"]),
				"location": str(loc["displayName"]), "isMeeting": len(anyList(d["attendees"])) > 0,
				"isRecurring": str(d["type"]) != "singleInstance", "isException": str(d["type"]) == "exception",
				"isReminderSet": boolOf(d["isReminderOn"]),
				"start":         dtz(docTime(d, "start"), zone), "end": dtz(docTime(d, "end"), zone),
			})
		}
		out = append(out, map[string]any{"scheduleId": addr, "availabilityView": view.String(), "scheduleItems": items, "workingHours": s.workingHoursOf(u)})
	}
	c.writeRaw(http.StatusOK, encodeJSON(map[string]any{"@odata.context": c.base() + "/$metadata#Collection(microsoft.graph.scheduleInformation)", "value": out}))
}

var isoDuration = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$`)

// parseISODuration parses the PnDTnHnMnS subset of ISO 8601 durations.
func parseISODuration(s string) (time.Duration, bool) {
	m := isoDuration.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil || s == "P" || s == "PT" {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second} {
		if m[i+1] != "" {
			n, _ := strconv.Atoi(m[i+1])
			d += time.Duration(n) * unit
		}
	}
	return d, d > 0
}

// findMeetingTimes serves POST /findMeetingTimes (user-findmeetingtimes.md):
// candidate slots on a 30-minute grid inside the time constraint (work
// hours 08:00-17:00 UTC on weekdays unless activityDomain is
// unrestricted), scored by the share of attendees free.
func (s *Server) findMeetingTimes(c *call) {
	org, gerr := s.calendarUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	in = canonKeys(in, "attendees", "timeConstraint", "meetingDuration", "maxCandidates", "minimumAttendeePercentage", "isOrganizerOptional")
	dur := 30 * time.Minute
	if v := str(in["meetingDuration"]); v != "" {
		d, ok := parseISODuration(v)
		if !ok {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "meetingDuration must be an ISO 8601 duration such as PT1H."))
			return
		}
		dur = d
	}
	maxCandidates := 5
	if v, ok := in["maxCandidates"]; ok && intOf(v) > 0 {
		maxCandidates = intOf(v)
	}
	minPct := 50.0
	if v, ok := in["minimumAttendeePercentage"].(float64); ok {
		minPct = v
	}
	orgOptional := boolOf(in["isOrganizerOptional"])
	type slot struct{ from, to time.Time }
	var slots []slot
	domain := "work"
	zone := "UTC"
	if tc, ok := in["timeConstraint"].(map[string]any); ok {
		if d := str(tc["activityDomain"]); d != "" {
			domain = d
		}
		for _, x := range anyList(tc["timeSlots"]) {
			m, _ := x.(map[string]any)
			f, z, g1 := parseDTZ(m["start"], "start")
			t, _, g2 := parseDTZ(m["end"], "end")
			if g1 != nil || g2 != nil || !t.After(f) || t.Sub(f) > 62*24*time.Hour {
				c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "Each time slot needs a start before its end, at most 62 days later."))
				return
			}
			zone = z
			slots = append(slots, slot{f, t})
		}
	}
	if len(slots) == 0 {
		day := c.now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
		slots = []slot{{day, day.Add(2 * 24 * time.Hour)}}
	}
	type attendee struct {
		doc  map[string]any
		user User
		ok   bool
	}
	var atts []attendee
	for _, x := range anyList(in["attendees"]) {
		m, _ := x.(map[string]any)
		_, addr := addressOf(m)
		if addr == "" {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "An attendee needs an email address."))
			return
		}
		u, ok := s.userByAddress(addr)
		typ := str(m["type"])
		if typ == "" {
			typ = "required"
		}
		atts = append(atts, attendee{doc: map[string]any{"type": typ, "emailAddress": map[string]any{"address": addr}}, user: u, ok: ok})
	}
	busy := map[string][]map[string]any{}
	for _, sl := range slots {
		for _, a := range append(atts, attendee{user: org, ok: true}) {
			if a.ok {
				busy[a.user.ID] = append(busy[a.user.ID], s.busyDocs(a.user, sl.from, sl.to)...)
			}
		}
	}
	availability := func(a attendee, f, t time.Time) string {
		if !a.ok {
			return "unknown"
		}
		if st := statusIn(busy[a.user.ID], f, t); st != "free" {
			return st
		}
		return "free"
	}
	suggestions := []any{}
	orgBusyEverywhere := true
	for _, sl := range slots {
		for t := sl.from; !t.Add(dur).After(sl.to) && len(suggestions) < maxCandidates; t = t.Add(30 * time.Minute) {
			end := t.Add(dur)
			if domain == "work" || domain == "personal" {
				u := t.UTC()
				if u.Weekday() == time.Saturday || u.Weekday() == time.Sunday {
					continue
				}
				dayStart := time.Date(u.Year(), u.Month(), u.Day(), 8, 0, 0, 0, time.UTC)
				if domain == "work" && (t.Before(dayStart) || end.After(dayStart.Add(9*time.Hour))) {
					continue
				}
			}
			orgAv := availability(attendee{user: org, ok: true}, t, end)
			if orgAv == "free" {
				orgBusyEverywhere = false
			} else if !orgOptional {
				continue
			}
			free, total := 0, 0
			var av []any
			for _, a := range atts {
				st := availability(a, t, end)
				if a.doc["type"] != "optional" {
					total++
					if st == "free" {
						free++
					}
				}
				av = append(av, map[string]any{"attendee": a.doc, "availability": st})
			}
			conf := 100.0
			if total > 0 {
				conf = 100 * float64(free) / float64(total)
			}
			if conf < minPct {
				continue
			}
			if av == nil {
				av = []any{}
			}
			suggestions = append(suggestions, map[string]any{
				"order": float64(len(suggestions) + 1), "confidence": conf, "organizerAvailability": orgAv, "attendeeAvailability": av, "locations": []any{},
				"suggestionReason": "Suggested because it is one of the nearest times when all attendees are available.",
				"meetingTimeSlot":  map[string]any{"start": dtz(t, zone), "end": dtz(end, zone)},
			})
		}
	}
	reason := ""
	if len(suggestions) == 0 {
		reason = "attendeesUnavailable"
		if orgBusyEverywhere && !orgOptional {
			reason = "organizerUnavailable"
		}
	}
	c.writeValue(http.StatusOK, map[string]any{"@odata.context": c.base() + "/$metadata#microsoft.graph.meetingTimeSuggestionsResult",
		"emptySuggestionsReason": reason, "meetingTimeSuggestions": suggestions})
}
