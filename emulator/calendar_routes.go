package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Calendar permissions (permissions reference: Calendars.*).
var (
	permCalRead = &permission{
		delegated: []string{"Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite", "Calendars.Read.Shared", "Calendars.ReadWrite.Shared"},
		app:       []string{"Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"},
		outlook:   true,
		shared:    &permission{delegated: []string{"Calendars.Read.Shared", "Calendars.ReadWrite.Shared"}, outlook: true},
	}
	permCalWrite = &permission{
		delegated: []string{"Calendars.ReadWrite", "Calendars.ReadWrite.Shared"},
		app:       []string{"Calendars.ReadWrite"},
		outlook:   true,
		shared:    &permission{delegated: []string{"Calendars.ReadWrite.Shared"}, outlook: true},
	}
)

// registerCalendar adds the calendar routes: calendars, events, calendar
// views, instances, meeting responses, attachments and free/busy.
func (s *Server) registerCalendar(rt *router) {
	u := "users/{user}/"
	get, post, patch, del := http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	rt.add(get, u+"calendars", permCalRead, true, s.listCalendars)
	rt.add(post, u+"calendars", permCalWrite, true, s.createCalendar)
	// The default calendar's routes name it "calendar" in params, so
	// handlers resolve /calendar and /calendars/{id} alike; the routes
	// without a calendar segment (/events, /calendarView) work on the
	// default calendar too, as Graph's do.
	def := func(h func(c *call)) func(c *call) {
		return func(c *call) {
			if c.params == nil {
				c.params = map[string]string{}
			}
			c.params["calendar"] = "calendar"
			h(c)
		}
	}
	for _, c := range []string{u + "calendar", u + "calendars/{calendar}"} {
		wrap := func(h func(c *call)) func(c *call) { return h }
		if c == u+"calendar" {
			wrap = def
		}
		rt.add(get, c, permCalRead, true, wrap(s.getCalendar))
		rt.add(patch, c, permCalWrite, true, wrap(s.patchCalendar))
		if c != u+"calendar" {
			rt.add(del, c, permCalWrite, true, s.deleteCalendar)
		}
		rt.add(get, c+"/events", permCalRead, true, wrap(s.listEvents))
		rt.add(post, c+"/events", permCalWrite, true, wrap(s.createEvent))
		rt.add(get, c+"/calendarView", permCalRead, true, wrap(s.calendarView))
		rt.add(get, c+"/events/{event}", permCalRead, true, wrap(s.getEvent))
		rt.add(patch, c+"/events/{event}", permCalWrite, true, wrap(s.patchEvent))
		rt.add(del, c+"/events/{event}", permCalWrite, true, wrap(s.deleteEvent))
	}
	rt.add(get, u+"events", permCalRead, true, s.listEvents)
	rt.add(post, u+"events", permCalWrite, true, s.createEvent)
	rt.add(get, u+"calendarView", permCalRead, true, s.calendarView)
	rt.add(get, u+"calendarView/delta", permCalRead, true, s.calendarViewDelta)
	e := u + "events/{event}"
	rt.add(get, e, permCalRead, true, s.getEvent)
	rt.add(patch, e, permCalWrite, true, s.patchEvent)
	rt.add(del, e, permCalWrite, true, s.deleteEvent)
	rt.add(get, e+"/instances", permCalRead, true, s.eventInstances)
	for _, a := range []string{"accept", "tentativelyAccept", "decline"} {
		rt.add(post, e+"/"+a, permCalWrite, true, s.respondEvent(a))
	}
	rt.add(post, e+"/cancel", permCalWrite, true, s.cancelEvent)
	rt.add(post, e+"/forward", permCalWrite, true, s.forwardEvent)
	rt.add(post, e+"/snoozeReminder", permCalWrite, true, s.reminderAction(false))
	rt.add(post, e+"/dismissReminder", permCalWrite, true, s.reminderAction(true))
	rt.add(get, e+"/attachments", permCalRead, true, s.listEventAttachments)
	rt.add(post, e+"/attachments", permCalWrite, true, s.addEventAttachment)
	rt.add(post, e+"/attachments/createUploadSession", permCalWrite, true, s.createEventUploadSession)
	rt.add(get, e+"/attachments/{attachment}", permCalRead, true, s.getEventAttachment)
	rt.add(del, e+"/attachments/{attachment}", permCalWrite, true, s.deleteEventAttachment)
	rt.add(post, u+"calendar/getSchedule", permSchedule, true, s.getSchedule)
	rt.add(post, u+"findMeetingTimes", permSchedule, true, s.findMeetingTimes)
	s.registerEventMessageExpand(rt)
	s.registerGroupCalendar(rt)
}

// permSchedule is getSchedule's and findMeetingTimes' permission.
var permSchedule = &permission{
	delegated: []string{"Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"},
	app:       []string{"Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"},
	outlook:   true,
}

func errCalendarNotFound() *graphError {
	return errorf(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

// routeCalendar resolves {calendar} (or the default calendar); it writes
// the error itself.
func (s *Server) routeCalendar(c *call) (User, map[string]any, bool) {
	u, gerr := s.calendarUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return User{}, nil, false
	}
	st := s.cal()
	st.mu.Lock()
	cal := st.calendarByID(u, c.params["calendar"])
	st.mu.Unlock()
	if cal == nil {
		c.writeError(errCalendarNotFound())
		return User{}, nil, false
	}
	return u, cal, true
}

// serveDocs lists computed documents with the OData options applied.
func (s *Server) serveDocs(c *call, ctx, entityType string, docs []map[string]any, props map[string]bool, rewrite func([]byte) []byte, order []string, hidden []string) {
	coll := newCollection(entityType, nil)
	es := make([]*entity, 0, len(docs))
	for _, d := range docs {
		es = append(es, &entity{id: str(d["id"]), raw: encodeObject(d, order, hidden...), doc: d})
	}
	coll.put(es...) // one put: each put copies the collection
	sp := &listSpec{coll: coll, context: ctx, entityType: "microsoft.graph." + entityType, props: props, defaultTop: 10, maxTop: 1000, rewrite: rewrite}
	sp.serveList(c, false)
}

var calendarProps = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range calendarKeyOrder {
		m[lower(k)] = true
	}
	return m
}()

func (s *Server) listCalendars(c *call) {
	u, gerr := s.calendarUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	st := s.cal()
	st.mu.Lock()
	docs := slices.Clone(st.calendarsOf(u))
	st.mu.Unlock()
	s.serveDocs(c, c.base()+"/$metadata#users('"+u.ID+"')/calendars", "calendar", docs, calendarProps, nil, calendarKeyOrder, nil)
}

func (s *Server) getCalendar(c *call) {
	u, cal, ok := s.routeCalendar(c)
	if !ok {
		return
	}
	e := &entity{id: str(cal["id"]), raw: encodeObject(cal, calendarKeyOrder), doc: cal, etag: str(cal["@odata.etag"])}
	sp := &listSpec{context: "", entityType: "microsoft.graph.calendar", props: calendarProps}
	sp.serveEntity(c, e, c.base()+"/$metadata#users('"+u.ID+"')/calendars/$entity")
}

// writeCalendar answers with one calendar.
func writeDoc(c *call, status int, ctx string, doc map[string]any, order []string, hidden ...string) {
	out := map[string]any{"@odata.context": ctx}
	for k, v := range doc {
		out[k] = v
	}
	if et := str(doc["@odata.etag"]); et != "" {
		c.w.Header().Set("ETag", et)
	}
	c.writeRaw(status, encodeObject(out, append([]string{"@odata.context"}, order...), hidden...))
}

func (s *Server) createCalendar(c *call) {
	u, gerr := s.calendarUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	in = canonKeys(in, "name", "color", "hexColor")
	for k := range in {
		if !setOf("name color hexColor @odata.type")[lower(k)] {
			c.writeError(errUnknownProperty(k, "microsoft.graph.calendar"))
			return
		}
	}
	name := strings.TrimSpace(str(in["name"]))
	if name == "" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The calendar name is required."))
		return
	}
	color := str(in["color"])
	if _, known := calendarColors[color]; color != "" && !known {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "Unknown calendar color '"+color+"'."))
		return
	}
	st := s.cal()
	st.mu.Lock()
	list := st.calendarsOf(u)
	for _, x := range list {
		if strings.EqualFold(str(x["name"]), name) {
			st.mu.Unlock()
			c.writeError(errorf(http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists."))
			return
		}
	}
	doc := newCalendarDoc(u, randomID("AAMkA"), name, color, false)
	st.calendars[u.ID] = append(slices.Clone(list), doc)
	st.mu.Unlock()
	writeDoc(c, http.StatusCreated, c.base()+"/$metadata#users('"+u.ID+"')/calendars/$entity", doc, calendarKeyOrder)
}

func (s *Server) patchCalendar(c *call) {
	u, cal, ok := s.routeCalendar(c)
	if !ok {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	in = canonKeys(in, "name", "color", "hexColor")
	e := &entity{etag: str(cal["@odata.etag"])}
	if !c.checkIfMatch(e) {
		return
	}
	doc := cloneJSON(cal)
	for k, v := range in {
		switch k {
		case "name":
			if strings.TrimSpace(str(v)) == "" {
				c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The calendar name is required."))
				return
			}
			doc["name"] = str(v)
		case "color":
			hex, known := calendarColors[str(v)]
			if !known {
				c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "Unknown calendar color '"+str(v)+"'."))
				return
			}
			doc["color"], doc["hexColor"] = str(v), hex
		case "hexColor", "@odata.type":
		default:
			c.writeError(errUnknownProperty(k, "microsoft.graph.calendar"))
			return
		}
	}
	ck := newChangeKey()
	doc["changeKey"], doc["@odata.etag"] = ck, `W/"`+ck+`"`
	st := s.cal()
	st.mu.Lock()
	list := slices.Clone(st.calendarsOf(u))
	for i, x := range list {
		if str(x["id"]) == str(doc["id"]) {
			list[i] = doc
		}
	}
	st.calendars[u.ID] = list
	st.mu.Unlock()
	writeDoc(c, http.StatusOK, c.base()+"/$metadata#users('"+u.ID+"')/calendars/$entity", doc, calendarKeyOrder)
}

func (s *Server) deleteCalendar(c *call) {
	u, cal, ok := s.routeCalendar(c)
	if !ok {
		return
	}
	if boolOf(cal["isDefaultCalendar"]) {
		c.writeError(errorf(http.StatusBadRequest, "ErrorCannotDeleteObject", "The default calendar cannot be deleted."))
		return
	}
	id := str(cal["id"])
	st := s.cal()
	st.mu.Lock()
	st.calendars[u.ID] = slices.DeleteFunc(slices.Clone(st.calendarsOf(u)), func(x map[string]any) bool { return str(x["id"]) == id })
	st.mu.Unlock()
	for _, e := range st.events.view(u.ID, id) {
		s.removeEvent(e)
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// --- Events ---

func (s *Server) eventsContext(c *call, u User) string {
	if _, ok := c.params["group-id"]; ok {
		return c.base() + "/$metadata#groups('" + u.ID + "')/events"
	}
	return c.base() + "/$metadata#users('" + u.ID + "')/events"
}

func (s *Server) eventSpec(c *call, u User, calID string) *listSpec {
	return &listSpec{coll: s.cal().events, part: u.ID, group: calID, context: s.eventsContext(c, u), entityType: "microsoft.graph.event",
		props: eventProps, defaultTop: 10, maxTop: 1000, rewrite: zoneRewrite(c)}
}

// listEvents serves GET .../events: the single instances and series
// masters of one calendar (the default one without a calendar segment).
func (s *Server) listEvents(c *call) {
	u, cal, ok := s.routeCalendar(c)
	if !ok {
		return
	}
	s.eventSpec(c, u, str(cal["id"])).serveList(c, false)
}

// findEvent resolves an event id of u: a stored event, an exception or
// an occurrence of a stored series.
func (s *Server) findEvent(u User, id string) (*entity, bool) {
	st := s.cal()
	if e, ok := st.events.get(id); ok && e.part == u.ID {
		return e, true
	}
	st.mu.Lock()
	ex, isEx := st.exceptions[id]
	deleted := st.deletedOcc[id]
	st.mu.Unlock()
	if isEx && str(ex[keyOwner]) == u.ID {
		return viewEntity(ex), true
	}
	master, date, ok := splitOccurrenceID(id)
	if !ok || deleted {
		return nil, false
	}
	m, ok := st.events.get(master)
	if !ok || m.part != u.ID || str(m.doc["type"]) != "seriesMaster" {
		return nil, false
	}
	for _, o := range s.expandSeries(m.doc, date.Add(-24*time.Hour), date.Add(48*time.Hour)) {
		if str(o["id"]) == id {
			return viewEntity(o), true
		}
	}
	return nil, false
}

// routeEvent resolves {event}; it writes the error itself.
func (s *Server) routeEvent(c *call) (User, *entity, bool) {
	u, gerr := s.calendarUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return User{}, nil, false
	}
	e, ok := s.findEvent(u, c.params["event"])
	if !ok {
		c.writeError(errItemNotFound())
		return User{}, nil, false
	}
	if calID := c.params["calendar"]; calID != "" {
		st := s.cal()
		st.mu.Lock()
		cal := st.calendarByID(u, calID)
		st.mu.Unlock()
		if cal == nil || str(cal["id"]) != str(e.doc[keyCalendarID]) {
			c.writeError(errItemNotFound())
			return User{}, nil, false
		}
	}
	return u, e, true
}

func (s *Server) getEvent(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	sp := s.eventSpec(c, u, "")
	sp.serveEntity(c, e, s.eventsContext(c, u)+"/$entity")
}

// eventWritable are the properties POST and PATCH accept.
var eventWritable = setOf(eventWritableNames)

// eventWritableNames are the canonical names of eventWritable.
const eventWritableNames = ("subject body start end isAllDay location locations reminderMinutesBeforeStart isReminderOn showAs " +
	"sensitivity importance categories attendees isOnlineMeeting onlineMeetingProvider recurrence transactionId responseRequested " +
	"allowNewTimeProposals hideAttendees organizer isDraft isOnlineMeeting @odata.type originalStartTimeZone originalEndTimeZone")

// eventBools are the boolean event properties.
var eventBools = map[string]bool{"isAllDay": true, "isReminderOn": true, "responseRequested": true, "allowNewTimeProposals": true,
	"hideAttendees": true, "isOnlineMeeting": true, "isDraft": true}

var eventEnums = map[string]map[string]bool{
	"showAs":                setOf("free tentative busy oof workingElsewhere unknown"),
	"sensitivity":           setOf("normal personal private confidential"),
	"importance":            setOf("low normal high"),
	"onlineMeetingProvider": setOf("unknown teamsForBusiness skypeForBusiness skypeForConsumer"),
}

// applyEventInput validates in and sets it on doc (a new or existing
// event of owner u).
func (s *Server) applyEventInput(u User, doc, in map[string]any, creating bool) *graphError {
	in = canonKeys(in, strings.Fields(eventWritableNames)...)
	for k, v := range in {
		if !eventWritable[lower(k)] {
			return errUnknownProperty(k, "microsoft.graph.event")
		}
		if eventBools[k] {
			if _, ok := v.(bool); !ok {
				return errorf(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property '"+k+"' to Edm.Boolean.")
			}
		}
		if _, isStr := v.(string); (k == "subject" || k == "transactionId") && v != nil && !isStr {
			return errorf(http.StatusBadRequest, "RequestBodyRead", "Cannot convert the value of property '"+k+"' to Edm.String.")
		}
		if set, ok := eventEnums[k]; ok && !set[lower(str(v))] {
			return errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The value '"+str(v)+"' is not valid for property '"+k+"'.")
		}
	}
	for k, v := range in {
		switch k {
		case "@odata.type", "originalStartTimeZone", "originalEndTimeZone":
		case "start", "end":
			t, zone, gerr := parseDTZ(v, k)
			if gerr != nil {
				return gerr
			}
			doc[k] = dtz(t, "UTC")
			if k == "start" {
				doc["originalStartTimeZone"] = zone
			} else {
				doc["originalEndTimeZone"] = zone
			}
		case "body":
			b, _ := v.(map[string]any)
			ct := lower(str(b["contentType"]))
			if ct == "" {
				ct = "text"
			}
			doc["body"] = map[string]any{"contentType": ct, "content": str(b["content"])}
			content := str(b["content"])
			if ct == "html" {
				content = htmlToText(content)
			}
			doc["bodyPreview"] = preview(content)
		case "location":
			l, _ := v.(map[string]any)
			doc["location"] = locationDoc(l)
			if _, both := in["locations"]; !both {
				doc["locations"] = []any{locationDoc(l)}
			}
		case "locations":
			list, _ := v.([]any)
			out := []any{}
			for _, x := range list {
				l, _ := x.(map[string]any)
				out = append(out, locationDoc(l))
			}
			doc["locations"] = out
			if _, both := in["location"]; !both && len(out) > 0 {
				doc["location"] = out[0]
			}
		case "attendees":
			list, _ := v.([]any)
			out := []any{}
			for _, x := range list {
				a, _ := x.(map[string]any)
				name, addr := addressOf(a)
				if addr == "" {
					return errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "An attendee needs an email address.")
				}
				if name == "" {
					if au, ok := s.userByAddress(addr); ok {
						name = au.DisplayName
					} else {
						name = addr
					}
				}
				typ := str(a["type"])
				if typ == "" {
					typ = "required"
				}
				if !setOf("required optional resource")[typ] {
					return errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The value '"+typ+"' is not valid for attendee type.")
				}
				status := map[string]any{"response": "none", "time": "0001-01-01T00:00:00Z"}
				for _, old := range anyList(doc["attendees"]) {
					om, _ := old.(map[string]any)
					if _, oa := addressOf(om); strings.EqualFold(oa, addr) {
						status, _ = om["status"].(map[string]any)
					}
				}
				out = append(out, map[string]any{"type": typ, "status": status, "emailAddress": map[string]any{"name": name, "address": addr}})
			}
			doc["attendees"] = out
		case "recurrence":
			if v == nil {
				doc["recurrence"] = nil
				continue
			}
			if _, gerr := parseRecurrence(v); gerr != nil {
				return gerr
			}
		case "subject", "transactionId":
			doc[k] = str(v)
		case "categories":
			doc[k] = anyList(v)
		default:
			doc[k] = v
		}
	}
	if r, ok := in["recurrence"]; ok && r != nil {
		doc["recurrence"] = recurrenceDoc(r, str(doc["originalStartTimeZone"]))
	}
	if doc["recurrence"] != nil {
		doc["type"] = "seriesMaster"
	} else if str(doc["type"]) == "seriesMaster" {
		doc["type"] = "singleInstance"
	}
	if boolOf(doc["isOnlineMeeting"]) || (in["onlineMeetingProvider"] != nil && str(in["onlineMeetingProvider"]) != "unknown" && creating) {
		doc["isOnlineMeeting"] = true
		if p := str(doc["onlineMeetingProvider"]); p == "" || p == "unknown" {
			doc["onlineMeetingProvider"] = "teamsForBusiness"
		}
		if doc["onlineMeeting"] == nil {
			join := "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + strings.TrimRight(randomID("")[:32], "=") + "%40thread.v2/0"
			doc["onlineMeeting"] = map[string]any{"joinUrl": join, "conferenceId": "1775139922", "tollNumber": "+1 425-555-0199", "tollFreeNumbers": []any{}, "quickDial": nil, "phones": []any{}}
		}
	} else {
		doc["isOnlineMeeting"] = false
		doc["onlineMeetingProvider"] = "unknown"
		doc["onlineMeeting"] = nil
	}
	start, end := docTime(doc, "start"), docTime(doc, "end")
	if start.IsZero() || end.IsZero() {
		return errorf(http.StatusBadRequest, "ErrorInvalidRequest", "An event needs a start and an end.")
	}
	if end.Before(start) {
		return errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The end of an event can't be before its start.")
	}
	if boolOf(doc["isAllDay"]) {
		sl, _ := loadZone(str(doc["originalStartTimeZone"]))
		ls, le := start.In(sl), end.In(sl)
		if ls.Hour() != 0 || ls.Minute() != 0 || le.Hour() != 0 || le.Minute() != 0 || !end.After(start) {
			return errorf(http.StatusBadRequest, "ErrorInvalidRequest", "Start and end of an all-day event must be midnight and at least a day apart.")
		}
	}
	if mins := doc["reminderMinutesBeforeStart"]; mins != nil {
		if _, ok := mins.(float64); !ok {
			return errorf(http.StatusBadRequest, "ErrorInvalidRequest", "reminderMinutesBeforeStart must be a number.")
		}
	}
	return nil
}

// anyList returns v as a JSON array (empty when not one).
func anyList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{}
}

func locationDoc(l map[string]any) map[string]any {
	out := map[string]any{"displayName": str(l["displayName"]), "locationType": "default", "uniqueIdType": "unknown"}
	if str(l["displayName"]) == "" {
		out["uniqueIdType"] = "unknown"
	} else {
		out["uniqueId"] = str(l["displayName"])
		out["uniqueIdType"] = "private"
	}
	for k, v := range l {
		if k != "displayName" {
			out[k] = v
		}
	}
	return out
}

// newEventDoc is a new event of u in calendar calID with the defaults
// Graph fills in.
func (s *Server) newEventDoc(u User, calID string, now time.Time) map[string]any {
	id := randomID("AAMkA")
	ts := now.UTC().Format(time.RFC3339Nano)
	uid := "040000008200E00074C5B7101A82E00800000000" + strings.ToUpper(strings.ReplaceAll(newUUID(), "-", ""))
	return map[string]any{
		"id": id, "createdDateTime": ts, "categories": []any{}, "transactionId": nil,
		"iCalUId": uid, "uid": uid,
		"reminderMinutesBeforeStart": float64(15), "isReminderOn": true, "hasAttachments": false, "subject": "", "bodyPreview": "",
		"importance": "normal", "sensitivity": "normal", "isAllDay": false, "isCancelled": false, "isOrganizer": true,
		"responseRequested": true, "seriesMasterId": nil, "showAs": "busy", "type": "singleInstance", "webLink": webLinkFor(id),
		"onlineMeetingUrl": nil, "isOnlineMeeting": false, "onlineMeetingProvider": "unknown", "allowNewTimeProposals": true,
		"occurrenceId": nil, "isDraft": false, "hideAttendees": false,
		"responseStatus": map[string]any{"response": "organizer", "time": "0001-01-01T00:00:00Z"},
		"body":           map[string]any{"contentType": "html", "content": ""},
		"location":       locationDoc(map[string]any{}), "locations": []any{}, "recurrence": nil, "attendees": []any{},
		"organizer":     map[string]any{"emailAddress": map[string]any{"name": u.DisplayName, "address": u.Mail}},
		"onlineMeeting": nil, keyCalendarID: calID,
	}
}

func (s *Server) createEvent(c *call) {
	u, cal, ok := s.routeCalendar(c)
	if !ok {
		return
	}
	calID := str(cal["id"])
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	st := s.cal()
	txn := str(in["transactionId"])
	if txn != "" {
		st.mu.Lock()
		id, seen := st.txn[u.ID+"\x00"+txn]
		st.mu.Unlock()
		if e, ok := st.events.get(id); seen && ok {
			c.w.Header().Set("Location", s.eventsContext(c, u)+"('"+e.id+"')")
			s.writeEvent(c, http.StatusCreated, u, e.doc)
			return
		}
	}
	doc := s.newEventDoc(u, calID, c.now)
	if gerr := s.applyEventInput(u, doc, in, true); gerr != nil {
		c.writeError(gerr)
		return
	}
	e := eventEntity(u.ID, doc, c.now)
	st.events.put(e)
	s.publishEvent(u.ID, e.id, "created")
	if txn != "" {
		st.mu.Lock()
		st.txn[u.ID+"\x00"+txn] = e.id
		st.mu.Unlock()
	}
	s.sendInvitations(u, doc, nil, c.now)
	c.w.Header().Set("Location", s.eventsContext(c, u)+"('"+e.id+"')")
	s.writeEvent(c, http.StatusCreated, u, doc)
}

// writeEvent answers with one event, in the preferred time zone.
func (s *Server) writeEvent(c *call, status int, u User, doc map[string]any) {
	out := cloneJSON(doc)
	if z := preferredZone(c); z != "" {
		c.w.Header().Set("Preference-Applied", `outlook.timezone="`+z+`"`)
		for _, k := range []string{"start", "end"} {
			out[k] = dtz(docTime(doc, k), z)
		}
	}
	writeDoc(c, status, s.eventsContext(c, u)+"/$entity", out, eventKeyOrder, eventHiddenKeys...)
}

func (s *Server) patchEvent(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	if !c.checkIfMatch(e) {
		return
	}
	doc := cloneJSON(e.doc)
	oldAttendees := anyList(doc["attendees"])
	if gerr := s.applyEventInput(u, doc, in, false); gerr != nil {
		c.writeError(gerr)
		return
	}
	st := s.cal()
	switch str(doc["type"]) {
	case "occurrence", "exception":
		doc["type"] = "exception"
		doc["recurrence"] = nil
		ne := eventEntity(u.ID, doc, c.now)
		st.mu.Lock()
		st.exceptions[e.id] = ne.doc
		st.mu.Unlock()
		s.writeEvent(c, http.StatusOK, u, doc)
		return
	}
	ne := eventEntity(u.ID, doc, c.now)
	st.events.put(ne)
	s.publishEvent(u.ID, ne.id, "updated")
	if boolOf(doc["isOrganizer"]) {
		s.sendInvitations(u, doc, oldAttendees, c.now)
	}
	s.writeEvent(c, http.StatusOK, u, doc)
}

func (s *Server) deleteEvent(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	if !c.checkIfMatch(e) {
		return
	}
	if boolOf(e.doc["isOrganizer"]) {
		// Deleting a meeting on the organizer's calendar cancels it for
		// the attendees, as Outlook does.
		s.cancelMeeting(u, e, "", c.now)
		c.w.WriteHeader(http.StatusNoContent)
		return
	}
	st := s.cal()
	switch str(e.doc["type"]) {
	case "occurrence", "exception":
		st.mu.Lock()
		delete(st.exceptions, e.id)
		st.deletedOcc[e.id] = true
		st.mu.Unlock()
	default:
		s.removeEvent(e)
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// removeEvent deletes a stored event with its exceptions and attachments.
func (s *Server) removeEvent(e *entity) {
	st := s.cal()
	st.events.remove(e.id)
	s.publishEvent(e.part, e.id, "deleted")
	st.mu.Lock()
	defer st.mu.Unlock()
	for id := range st.exceptions {
		if m, _, ok := splitOccurrenceID(id); ok && m == e.id {
			delete(st.exceptions, id)
		}
	}
	delete(st.attachments, e.id)
}

// --- Calendar views ---

// viewWindow reads startDateTime and endDateTime (required).
func viewWindow(c *call) (time.Time, time.Time, *graphError) {
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	get := func(name string) string {
		for k, vs := range v {
			if strings.EqualFold(k, name) && len(vs) > 0 {
				return vs[0]
			}
		}
		return ""
	}
	ss, es := get("startDateTime"), get("endDateTime")
	if ss == "" || es == "" {
		return time.Time{}, time.Time{}, errorf(http.StatusBadRequest, "ErrorInvalidParameter",
			"This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
	}
	loc := time.UTC
	if z := preferredZone(c); z != "" {
		loc, _ = loadZone(z)
	}
	from, ok1 := parseLocalDateTime(ss, loc)
	to, ok2 := parseLocalDateTime(es, loc)
	if !ok1 || !ok2 {
		return time.Time{}, time.Time{}, errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The parameter 'startDateTime' or 'endDateTime' is not a valid date-time.")
	}
	if to.Sub(from) > maxViewWindow {
		return time.Time{}, time.Time{}, errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The time window of a calendar view can be at most 10 years.")
	}
	return from, to, nil
}

// maxViewWindow bounds the window a view expands series in.
const maxViewWindow = 10 * 366 * 24 * time.Hour

// expandSeries returns the occurrences and exceptions of a series master
// overlapping [from, to), deleted occurrences left out.
func (s *Server) expandSeries(master map[string]any, from, to time.Time) []map[string]any {
	r, gerr := parseRecurrence(master["recurrence"])
	if gerr != nil {
		return nil
	}
	rng, _ := master["recurrence"].(map[string]any)["range"].(map[string]any)
	zone := str(rng["recurrenceTimeZone"])
	loc, ok := loadZone(zone)
	if !ok {
		loc = time.UTC
	}
	start, end := docTime(master, "start"), docTime(master, "end")
	st := s.cal()
	mid := str(master["id"])
	var out []map[string]any
	// Exceptions may have moved: scan a margin around the window.
	for _, o := range r.occurrences(start, end.Sub(start), loc, from.Add(-7*24*time.Hour), to.Add(7*24*time.Hour)) {
		id := occurrenceID(mid, o.date)
		st.mu.Lock()
		ex, isEx := st.exceptions[id]
		deleted := st.deletedOcc[id]
		st.mu.Unlock()
		var doc map[string]any
		if deleted {
			continue
		}
		if isEx {
			doc = cloneJSON(ex)
		} else {
			doc = cloneJSON(master)
			doc["id"] = id
			doc["type"] = "occurrence"
			doc["seriesMasterId"] = mid
			doc["recurrence"] = nil
			doc["start"] = dtz(o.start, "UTC")
			doc["end"] = dtz(o.end, "UTC")
			doc["webLink"] = webLinkFor(id)
			doc["occurrenceId"] = "OID." + mid + "." + o.date.Format("2006-01-02")
			doc["originalStart"] = o.start.UTC().Format(time.RFC3339)
		}
		ds, de := docTime(doc, "start"), docTime(doc, "end")
		if ds.Before(to) && (de.After(from) || (de.Equal(ds) && !ds.Before(from))) {
			out = append(out, doc)
		}
	}
	return out
}

// viewDocs are the instances of u's events (in one calendar when calID is
// set) overlapping [from, to), ordered by start.
func (s *Server) viewDocs(u User, calID string, from, to time.Time) []map[string]any {
	var out []map[string]any
	for _, e := range s.cal().events.view(u.ID, calID) {
		if str(e.doc["type"]) == "seriesMaster" {
			out = append(out, s.expandSeries(e.doc, from, to)...)
			continue
		}
		ds, de := docTime(e.doc, "start"), docTime(e.doc, "end")
		if ds.Before(to) && (de.After(from) || (de.Equal(ds) && !ds.Before(from))) {
			out = append(out, e.doc)
		}
	}
	slices.SortStableFunc(out, func(a, b map[string]any) int { return docTime(a, "start").Compare(docTime(b, "start")) })
	return out
}

func (s *Server) calendarView(c *call) {
	u, cal, ok := s.routeCalendar(c)
	if !ok {
		return
	}
	calID := str(cal["id"])
	from, to, gerr := viewWindow(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.serveDocs(c, c.base()+"/$metadata#users('"+u.ID+"')/calendarView", "event", s.viewDocs(u, calID, from, to), eventProps, zoneRewrite(c), eventKeyOrder, eventHiddenKeys)
}

func (s *Server) eventInstances(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	from, to, gerr := viewWindow(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var docs []map[string]any
	if str(e.doc["type"]) == "seriesMaster" {
		docs = s.expandSeries(e.doc, from, to)
	}
	s.serveDocs(c, c.base()+"/$metadata#users('"+u.ID+"')/events('"+e.id+"')/instances", "event", docs, eventProps, zoneRewrite(c), eventKeyOrder, eventHiddenKeys)
}
