package emulator

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The meeting flow: an organizer's event with attendees who are tenant
// users puts a copy of the event in each attendee's default calendar
// (linked by iCalUId) and an eventMessage (meetingRequest) in their
// inbox. Responses on a copy update the organizer's attendee list and,
// with sendResponse, deliver an eventMessageResponse to the organizer;
// cancel marks the copies cancelled and delivers meetingCancelled.

// copiesOf returns the attendee copies of an organizer's event (stored
// events of other users with the same iCalUId).
func (s *Server) copiesOf(org User, doc map[string]any) []*entity {
	uid := str(doc["iCalUId"])
	var out []*entity
	for _, e := range s.cal().events.snapshot() {
		if e.part != org.ID && str(e.doc["iCalUId"]) == uid && !boolOf(e.doc["isOrganizer"]) {
			out = append(out, e)
		}
	}
	return out
}

// meetingMessage is the eventMessage about doc sent from org.
func meetingMessage(org User, doc map[string]any, typ, kind, subjectPrefix, comment string, to []any, now time.Time) map[string]any {
	body := str(doc["bodyPreview"])
	if comment != "" {
		body = comment
	}
	m := map[string]any{
		"@odata.type":        typ,
		"subject":            subjectPrefix + str(doc["subject"]),
		"body":               map[string]any{"contentType": "text", "content": body},
		"from":               recipient(org.DisplayName, org.Mail),
		"sender":             recipient(org.DisplayName, org.Mail),
		"toRecipients":       to,
		"ccRecipients":       []any{},
		"replyTo":            []any{},
		"internetMessageId":  "<" + strings.ReplaceAll(newUUID(), "-", "") + "@emulator.outlook.com>",
		"sentDateTime":       now.UTC().Format("2006-01-02T15:04:05Z"),
		"importance":         "normal",
		"meetingMessageType": kind,
		"startDateTime":      doc["start"],
		"endDateTime":        doc["end"],
		"location":           doc["location"],
		"isAllDay":           doc["isAllDay"],
		"isOutOfDate":        false,
		"isDelegated":        false,
		"recurrence":         doc["recurrence"],
		"type":               doc["type"],
		"hasAttachments":     false,
	}
	if typ == "#microsoft.graph.eventMessageRequest" || kind == "meetingRequest" {
		m["responseRequested"] = doc["responseRequested"]
		m["allowNewTimeProposals"] = doc["allowNewTimeProposals"]
		m["meetingRequestType"] = "newMeetingRequest"
	}
	return m
}

// sendInvitations delivers the meeting to attendees added since old and
// updates the copies of the others; attendees removed get a cancellation.
func (s *Server) sendInvitations(org User, doc map[string]any, old []any, now time.Time) {
	st := s.cal()
	copies := map[string]*entity{}
	for _, e := range s.copiesOf(org, doc) {
		copies[e.part] = e
	}
	current := map[string]bool{}
	for _, a := range anyList(doc["attendees"]) {
		_, addr := addressOf(a)
		au, ok := s.userByAddress(addr)
		if !ok || au.ID == org.ID {
			continue
		}
		current[au.ID] = true
		if ce, ok := copies[au.ID]; ok {
			cd := cloneJSON(ce.doc)
			timeChanged, changed := meetingChanged(ce.doc, doc)
			for _, k := range []string{"subject", "body", "bodyPreview", "start", "end", "location", "locations", "recurrence", "type",
				"isAllDay", "attendees", "isOnlineMeeting", "onlineMeeting", "onlineMeetingProvider", "originalStartTimeZone", "originalEndTimeZone", "importance", "sensitivity"} {
				cd[k] = doc[k]
			}
			if timeChanged {
				cd["responseStatus"] = map[string]any{"response": "notResponded", "time": "0001-01-01T00:00:00Z"}
				cd["showAs"] = "tentative"
			}
			st.events.put(eventEntity(au.ID, cd, now))
			s.publishEvent(au.ID, ce.id, "updated")
			if changed && !boolOf(ce.doc["isCancelled"]) {
				s.sendMeetingUpdate(org, au, ce.id, doc, timeChanged, now)
			}
			continue
		}
		cd := cloneJSON(doc)
		id := randomID("AAMkA")
		cd["id"], cd["webLink"] = id, webLinkFor(id)
		cd[keyCalendarID] = s.defaultCalendarID(au)
		cd["isOrganizer"] = false
		cd["showAs"] = "tentative"
		cd["transactionId"] = nil
		cd["responseStatus"] = map[string]any{"response": "notResponded", "time": "0001-01-01T00:00:00Z"}
		cd["createdDateTime"] = now.UTC().Format(time.RFC3339Nano)
		st.events.put(eventEntity(au.ID, cd, now))
		s.publishEvent(au.ID, id, "created")
		msg := meetingMessage(org, doc, "#microsoft.graph.eventMessageRequest", "meetingRequest", "", "", []any{recipient(au.DisplayName, au.Mail)}, now)
		msg[eventLinkKey] = "users('" + au.ID + "')/events('" + id + "')"
		s.deliver(au, msg, nil, now, 3)
	}
	for uid, ce := range copies {
		if current[uid] {
			continue
		}
		au, _ := s.lookupUser(uid)
		s.markCancelled(org, au, ce, doc, "", now)
	}
}

// meetingChanged reports whether the organizer's doc differs from an
// attendee's copy in its time (start, end, all day, recurrence) and in
// anything an update is sent for (the time, location, subject, body).
func meetingChanged(copyDoc, doc map[string]any) (timeChanged, changed bool) {
	differ := func(k string) bool { return !reflect.DeepEqual(copyDoc[k], doc[k]) }
	timeChanged = differ("start") || differ("end") || differ("isAllDay") || differ("recurrence")
	changed = timeChanged || differ("location") || differ("locations") || differ("subject") || differ("body")
	return timeChanged, changed
}

// sendMeetingUpdate delivers an updated meeting request to an attendee
// whose copy (copyID) changed: a fullUpdate when the time moved (the
// copy is then back to notResponded), an informationalUpdate otherwise.
func (s *Server) sendMeetingUpdate(org, au User, copyID string, doc map[string]any, timeChanged bool, now time.Time) {
	msg := meetingMessage(org, doc, "#microsoft.graph.eventMessageRequest", "meetingRequest", "", "", []any{recipient(au.DisplayName, au.Mail)}, now)
	msg["meetingRequestType"] = "informationalUpdate"
	if timeChanged {
		msg["meetingRequestType"] = "fullUpdate"
	}
	msg[eventLinkKey] = "users('" + au.ID + "')/events('" + copyID + "')"
	s.deliver(au, msg, nil, now, 3)
}

// cancelOccurrenceCopies removes the occurrence of date from each
// attendee's copy of the series master and tells the attendee
// (meetingCancelled about occ, the organizer's occurrence).
func (s *Server) cancelOccurrenceCopies(org User, master *entity, occ map[string]any, date time.Time, comment string, now time.Time) {
	st := s.cal()
	for _, ce := range s.copiesOf(org, master.doc) {
		au, ok := s.lookupUser(ce.part)
		if !ok {
			continue
		}
		id := occurrenceID(ce.id, date)
		st.mu.Lock()
		delete(st.exceptions, id)
		st.deletedOcc[id] = true
		st.mu.Unlock()
		msg := meetingMessage(org, occ, "#microsoft.graph.eventMessage", "meetingCancelled", "Canceled: ", comment, []any{recipient(au.DisplayName, au.Mail)}, now)
		msg[eventLinkKey] = "users('" + au.ID + "')/events('" + ce.id + "')"
		s.deliver(au, msg, nil, now, 3)
	}
}

// markCancelled cancels an attendee's copy and tells the attendee.
func (s *Server) markCancelled(org, au User, ce *entity, doc map[string]any, comment string, now time.Time) {
	cd := cloneJSON(ce.doc)
	cd["isCancelled"] = true
	if !strings.HasPrefix(str(cd["subject"]), "Canceled: ") {
		cd["subject"] = "Canceled: " + str(cd["subject"])
	}
	s.cal().events.put(eventEntity(au.ID, cd, now))
	msg := meetingMessage(org, doc, "#microsoft.graph.eventMessage", "meetingCancelled", "Canceled: ", comment, []any{recipient(au.DisplayName, au.Mail)}, now)
	msg[eventLinkKey] = "users('" + au.ID + "')/events('" + ce.id + "')"
	s.deliver(au, msg, nil, now, 3)
}

// masterOf returns the stored event an occurrence belongs to (e itself
// otherwise).
func (s *Server) masterOf(e *entity) *entity {
	if id := str(e.doc["seriesMasterId"]); id != "" {
		if m, ok := s.cal().events.get(id); ok {
			return m
		}
	}
	return e
}

// respondEvent serves accept, tentativelyAccept and decline.
func (s *Server) respondEvent(action string) func(c *call) {
	response := map[string]string{"accept": "accepted", "tentativelyAccept": "tentativelyAccepted", "decline": "declined"}[action]
	kind := map[string]string{"accept": "meetingAccepted", "tentativelyAccept": "meetingTenativelyAccepted", "decline": "meetingDeclined"}[action]
	prefix := map[string]string{"accept": "Accepted: ", "tentativelyAccept": "Tentative: ", "decline": "Declined: "}[action]
	return func(c *call) {
		u, e, ok := s.routeEvent(c)
		if !ok {
			return
		}
		in, ok := c.readObject(1 << 20)
		if !ok {
			return
		}
		in = canonKeys(in, "comment", "sendResponse", "proposedNewTime")
		for k := range in {
			if !setOf("comment sendResponse proposedNewTime")[lower(k)] || (k == "proposedNewTime" && action == "accept") {
				c.writeError(errUnknownProperty(k, "microsoft.graph."+action))
				return
			}
		}
		e = s.masterOf(e)
		if boolOf(e.doc["isOrganizer"]) {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. You can't respond to a meeting you organized."))
			return
		}
		if boolOf(e.doc["isCancelled"]) {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. The meeting was cancelled."))
			return
		}
		var proposed map[string]any
		if p, ok := in["proposedNewTime"].(map[string]any); ok {
			ps, _, g1 := parseDTZ(anyKey(p, "start"), "start")
			pe, _, g2 := parseDTZ(anyKey(p, "end"), "end")
			if g1 != nil || g2 != nil || pe.Before(ps) {
				c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "proposedNewTime needs a start and an end."))
				return
			}
			if !boolOf(e.doc["allowNewTimeProposals"]) {
				c.writeError(errorf(http.StatusBadRequest, "ErrorProposedNewTimeNotSupported", "The organizer doesn't allow new time proposals."))
				return
			}
			proposed = map[string]any{"start": dtz(ps, "UTC"), "end": dtz(pe, "UTC")}
		}
		send := true
		switch v := in["sendResponse"].(type) {
		case bool:
			send = v
		case string: // the docs' examples send "true"
			send = !strings.EqualFold(v, "false")
		}
		ts := c.now.UTC().Format(time.RFC3339)
		st := s.cal()
		if response == "declined" {
			s.removeEvent(e)
		} else {
			cd := cloneJSON(e.doc)
			cd["responseStatus"] = map[string]any{"response": response, "time": ts}
			cd["showAs"] = map[string]string{"accepted": "busy", "tentativelyAccepted": "tentative"}[response]
			st.events.put(eventEntity(u.ID, cd, c.now))
		}
		// The organizer's copy: attendee status.
		_, orgAddr := addressOf(e.doc["organizer"])
		org, ok := s.userByAddress(orgAddr)
		if !ok {
			c.w.WriteHeader(http.StatusAccepted)
			return
		}
		for _, oe := range st.events.view(org.ID, "") {
			if str(oe.doc["iCalUId"]) != str(e.doc["iCalUId"]) || !boolOf(oe.doc["isOrganizer"]) {
				continue
			}
			od := cloneJSON(oe.doc)
			for _, a := range anyList(od["attendees"]) {
				am, _ := a.(map[string]any)
				if _, addr := addressOf(am); strings.EqualFold(addr, u.Mail) || strings.EqualFold(addr, u.UPN) {
					am["status"] = map[string]any{"response": response, "time": ts}
					if proposed != nil {
						am["proposedNewTime"] = proposed
					}
				}
			}
			st.events.put(eventEntity(org.ID, od, c.now))
			if send {
				msg := meetingMessage(u, oe.doc, "#microsoft.graph.eventMessageResponse", kind, prefix, str(in["comment"]), []any{recipient(org.DisplayName, org.Mail)}, c.now)
				msg["responseType"] = response
				msg[eventLinkKey] = "users('" + org.ID + "')/events('" + oe.id + "')"
				if proposed != nil {
					msg["proposedNewTime"] = proposed
				}
				s.deliver(org, msg, nil, c.now, 3)
			}
		}
		c.w.WriteHeader(http.StatusAccepted)
	}
}

// cancelEvent serves POST .../cancel (organizer only).
func (s *Server) cancelEvent(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	if !boolOf(e.doc["isOrganizer"]) {
		c.writeError(errorf(http.StatusBadRequest, "ErrorAccessDenied", "Your request can't be completed. You need to be an organizer to cancel a meeting."))
		return
	}
	s.cancelMeeting(u, e, str(anyKey(in, "comment")), c.now)
	c.w.WriteHeader(http.StatusAccepted)
}

// cancelMeeting removes the organizer u's event e (a whole series, a single
// event or one occurrence) and tells the attendees who are tenant users, as
// both the cancel action and DELETE on the organizer's calendar do.
func (s *Server) cancelMeeting(u User, e *entity, comment string, now time.Time) {
	st := s.cal()
	if t := str(e.doc["type"]); t == "occurrence" || t == "exception" {
		st.mu.Lock()
		delete(st.exceptions, e.id)
		st.deletedOcc[e.id] = true
		st.mu.Unlock()
		if mid, date, ok := splitOccurrenceID(e.id); ok {
			if m, ok := st.events.get(mid); ok && m.part == u.ID {
				s.cancelOccurrenceCopies(u, m, e.doc, date, comment, now)
			}
		}
		return
	}
	for _, ce := range s.copiesOf(u, e.doc) {
		au, _ := s.lookupUser(ce.part)
		s.markCancelled(u, au, ce, e.doc, comment, now)
	}
	s.removeEvent(e)
}

// forwardEvent serves POST .../forward: the meeting request goes to the
// recipients.
func (s *Server) forwardEvent(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	to := recipientsOf(anyKey(in, "toRecipients"))
	if len(to) == 0 {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRecipients", "At least one recipient is required."))
		return
	}
	caller, _ := s.lookupUser(c.claims.ObjectID)
	if c.claims.AppOnly {
		caller = u
	}
	for _, p := range to {
		if au, ok := s.userByAddress(p.addr); ok {
			msg := meetingMessage(caller, e.doc, "#microsoft.graph.eventMessageRequest", "meetingRequest", "FW: ", str(anyKey(in, "comment")), recipientList(to), c.now)
			s.deliver(au, msg, nil, c.now, 3)
		}
	}
	c.w.WriteHeader(http.StatusAccepted)
}

// reminderAction serves snoozeReminder and dismissReminder.
func (s *Server) reminderAction(dismiss bool) func(c *call) {
	return func(c *call) {
		u, e, ok := s.routeEvent(c)
		if !ok {
			return
		}
		if dismiss {
			if c.r.ContentLength > 0 {
				if _, ok := c.readObject(1 << 16); !ok {
					return
				}
			}
		} else {
			in, ok := c.readObject(1 << 16)
			if !ok {
				return
			}
			if _, _, gerr := parseDTZ(anyKey(in, "newReminderTime"), "newReminderTime"); gerr != nil {
				c.writeError(gerr)
				return
			}
		}
		if dismiss && e.doc["type"] != "occurrence" && e.doc["type"] != "exception" {
			d := cloneJSON(e.doc)
			d["isReminderOn"] = false
			s.cal().events.put(eventEntity(u.ID, d, c.now))
		}
		c.w.WriteHeader(http.StatusAccepted)
	}
}

// calendarViewDelta serves GET /calendarView/delta: the first round
// needs the window; the deltaLink carries the window and the events
// collection version, and later rounds return changed instances and
// @removed entries.
func (s *Server) calendarViewDelta(c *call) {
	u, gerr := s.calendarUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	tok := v.Get("$deltatoken")
	var (
		from, to time.Time
		since    uint64
	)
	if tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		parts := strings.Split(string(raw), "|")
		if err != nil || len(parts) != 3 {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid."))
			return
		}
		f, e1 := time.Parse(time.RFC3339, parts[0])
		t, e2 := time.Parse(time.RFC3339, parts[1])
		n, e3 := strconv.ParseUint(parts[2], 10, 64)
		if e1 != nil || e2 != nil || e3 != nil || t.Sub(f) > maxViewWindow {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidSyncStateData", "The sync state data is corrupt or otherwise invalid."))
			return
		}
		from, to, since = f, t, n
	} else {
		f, t, gerr := viewWindow(c)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		from, to = f, t
	}
	st := s.cal()
	changed, deleted, now := st.events.changesSince(u.ID, since)
	calID := s.defaultCalendarID(u)
	var items []any
	for _, e := range changed {
		if str(e.doc[keyCalendarID]) != calID {
			continue
		}
		var docs []map[string]any
		if str(e.doc["type"]) == "seriesMaster" {
			docs = s.expandSeries(e.doc, from, to)
		} else if ds, de := docTime(e.doc, "start"), docTime(e.doc, "end"); ds.Before(to) && de.After(from) {
			docs = []map[string]any{e.doc}
		}
		rw := zoneRewrite(c)
		for _, d := range docs {
			raw := encodeObject(d, eventKeyOrder, eventHiddenKeys...)
			if rw != nil {
				raw = rw(raw)
			}
			items = append(items, rawJSON(raw))
		}
	}
	if tok == "" {
		deleted = nil // the first round lists what is there
	}
	for _, t := range deleted {
		if t.group != calID {
			continue
		}
		items = append(items, map[string]any{"@odata.type": "#microsoft.graph.event", "id": t.id, "@removed": map[string]any{"reason": "deleted"}})
	}
	if items == nil {
		items = []any{}
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(from.UTC().Format(time.RFC3339) + "|" + to.UTC().Format(time.RFC3339) + "|" + strconv.FormatUint(now, 10)))
	link := baseURL(c.r) + c.r.URL.EscapedPath() + "?$deltatoken=" + next
	c.writeRaw(http.StatusOK, encodeObject(map[string]any{"@odata.context": c.base() + "/$metadata#Collection(event)", "value": items, "@odata.deltaLink": link},
		[]string{"@odata.context", "value", "@odata.deltaLink"}))
}

// rawJSON is pre-encoded JSON inside a value encoded with encoding/json.
type rawJSON []byte

// MarshalJSON returns the bytes as they are.
func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

// --- Attachments ---

func (s *Server) listEventAttachments(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	st := s.cal()
	st.mu.Lock()
	docs := append([]map[string]any(nil), st.attachments[e.id]...)
	st.mu.Unlock()
	s.serveDocs(c, c.base()+"/$metadata#users('"+u.ID+"')/events('"+e.id+"')/attachments", "attachment", docs, nil, nil, attachmentKeyOrder, nil)
}

var attachmentKeyOrder = []string{"@odata.type", "@odata.mediaContentType", "id", "lastModifiedDateTime", "name", "contentType", "size", "isInline", "contentId", "contentLocation", "contentBytes"}

func (s *Server) addEventAttachment(c *call) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return
	}
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	typ := str(in["@odata.type"])
	if i := strings.LastIndexByte(typ, '.'); i >= 0 {
		typ = map[string]string{"fileattachment": "#microsoft.graph.fileAttachment", "itemattachment": "#microsoft.graph.itemAttachment",
			"referenceattachment": "#microsoft.graph.referenceAttachment"}[lower(typ[i+1:])]
	}
	if typ == "" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The attachment needs an @odata.type: fileAttachment, itemAttachment or referenceAttachment."))
		return
	}
	if str(in["name"]) == "" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The attachment needs a name."))
		return
	}
	doc := cloneJSON(in)
	doc["@odata.type"] = typ
	if _, ok := doc["contentType"]; !ok {
		doc["contentType"] = nil
	}
	doc["id"] = randomID("AAMkA")
	doc["lastModifiedDateTime"] = c.now.UTC().Format("2006-01-02T15:04:05Z")
	if _, ok := doc["isInline"]; !ok {
		doc["isInline"] = false
	}
	if typ == "#microsoft.graph.fileAttachment" {
		data, err := base64.StdEncoding.DecodeString(str(in["contentBytes"]))
		if err != nil {
			c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "contentBytes is not valid base64."))
			return
		}
		doc["size"] = float64(len(data))
		if doc["contentType"] == nil {
			doc["contentType"] = "application/octet-stream"
		}
	} else if _, ok := doc["size"]; !ok {
		doc["size"] = float64(0)
	}
	s.storeEventAttachment(u.ID, e, doc, c.now)
	writeDoc(c, http.StatusCreated, c.base()+"/$metadata#users('"+u.ID+"')/events('"+e.id+"')/attachments/$entity", doc, attachmentKeyOrder)
}

// storeEventAttachment adds an attachment document to an event and marks
// the event hasAttachments.
func (s *Server) storeEventAttachment(userID string, e *entity, doc map[string]any, now time.Time) {
	st := s.cal()
	st.mu.Lock()
	st.attachments[e.id] = append(st.attachments[e.id], doc)
	st.mu.Unlock()
	if !boolOf(e.doc["hasAttachments"]) && e.doc["type"] != "occurrence" {
		d := cloneJSON(e.doc)
		d["hasAttachments"] = true
		st.events.put(eventEntity(userID, d, now))
	}
}

// attachUploadToEvent stores a finished upload session (see
// mail_upload.go) as a file attachment of its event.
func (s *Server) attachUploadToEvent(sess *uploadSession, now time.Time) (string, bool) {
	e, ok := s.findEvent(User{ID: sess.userID}, sess.parentID)
	if !ok {
		return "", false
	}
	doc := map[string]any{
		"@odata.type": "#microsoft.graph.fileAttachment", "id": randomID("AAMkA"),
		"lastModifiedDateTime": now.UTC().Format("2006-01-02T15:04:05Z"),
		"name":                 sess.name, "contentType": sess.contentType, "size": float64(len(sess.data)),
		"isInline": sess.inline, "contentBytes": base64.StdEncoding.EncodeToString(sess.data),
	}
	if sess.contentID != "" {
		doc["contentId"] = sess.contentID
	}
	s.storeEventAttachment(sess.userID, e, doc, now)
	return str(doc["id"]), true
}

// routeAttachment finds {attachment} of {event}.
func (s *Server) routeEventAttachment(c *call) (User, *entity, int, bool) {
	u, e, ok := s.routeEvent(c)
	if !ok {
		return User{}, nil, 0, false
	}
	st := s.cal()
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, a := range st.attachments[e.id] {
		if str(a["id"]) == c.params["attachment"] {
			return u, e, i, true
		}
	}
	c.writeError(errItemNotFound())
	return User{}, nil, 0, false
}

func (s *Server) getEventAttachment(c *call) {
	u, e, i, ok := s.routeEventAttachment(c)
	if !ok {
		return
	}
	st := s.cal()
	st.mu.Lock()
	doc := st.attachments[e.id][i]
	st.mu.Unlock()
	writeDoc(c, http.StatusOK, c.base()+"/$metadata#users('"+u.ID+"')/events('"+e.id+"')/attachments/$entity", doc, attachmentKeyOrder)
}

func (s *Server) deleteEventAttachment(c *call) {
	u, e, i, ok := s.routeEventAttachment(c)
	if !ok {
		return
	}
	st := s.cal()
	st.mu.Lock()
	list := append([]map[string]any(nil), st.attachments[e.id]...)
	list = append(list[:i], list[i+1:]...)
	st.attachments[e.id] = list
	st.mu.Unlock()
	if len(list) == 0 && e.doc["type"] != "occurrence" {
		d := cloneJSON(e.doc)
		d["hasAttachments"] = false
		st.events.put(eventEntity(u.ID, d, c.now))
	}
	c.w.WriteHeader(http.StatusNoContent)
}
