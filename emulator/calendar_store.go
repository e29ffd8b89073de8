package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/o365go/o365/internal/tzmap"
)

// calendarState holds the calendar area: every user's calendars, the
// events collection (partition: owner id; group: calendar id), the
// exceptions and deleted occurrences of recurring series, idempotent
// create keys and calendar sharing grants. The zero value is ready: init
// runs on first use, so the Server holds it as a plain field.
type calendarState struct {
	once sync.Once
	mu   sync.Mutex
	// events are the stored events: single instances and series masters
	// (occurrences are computed; exceptions live in exceptions).
	events *collection
	// calendars by owner id, default first.
	calendars map[string][]map[string]any
	// exceptions are modified occurrences by occurrence id.
	exceptions map[string]map[string]any
	// deletedOcc are the occurrence ids deleted from their series.
	deletedOcc map[string]bool
	// txn maps owner id + transactionId to the event created with it.
	txn map[string]string
	// grants[owner][delegate] shares owner's calendars with delegate.
	grants map[string]map[string]bool
	// attachments by event id.
	attachments map[string][]map[string]any
	// shadow are the message routes calendar_eventmessage.go registers
	// in front of the mail area's (set while routes are built).
	shadow []*route
}

// Hidden event keys: stored with the event, never served.
const (
	keyCalendarID = "_calendarId"
	keyOwner      = "_owner"
)

var eventHiddenKeys = []string{keyCalendarID, keyOwner}

// eventKeyOrder is the order Graph writes an event's properties in.
var eventKeyOrder = []string{"@odata.type", "@odata.etag", "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories",
	"transactionId", "originalStartTimeZone", "originalEndTimeZone", "iCalUId", "uid", "reminderMinutesBeforeStart", "isReminderOn",
	"hasAttachments", "subject", "bodyPreview", "importance", "sensitivity", "isAllDay", "isCancelled", "isOrganizer",
	"responseRequested", "seriesMasterId", "showAs", "type", "webLink", "onlineMeetingUrl", "isOnlineMeeting",
	"onlineMeetingProvider", "allowNewTimeProposals", "occurrenceId", "isDraft", "hideAttendees", "originalStart", "responseStatus",
	"body", "start", "end", "location", "locations", "recurrence", "attendees", "organizer", "onlineMeeting"}

// eventProps are the event properties $select and $orderby accept.
var eventProps = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range eventKeyOrder {
		if !strings.HasPrefix(k, "@") {
			m[lower(k)] = true
		}
	}
	for _, k := range []string{"attachments", "calendar", "instances", "extensions", "singleValueExtendedProperties", "multiValueExtendedProperties", "cancelledOccurrences", "exceptionOccurrences"} {
		m[lower(k)] = true
	}
	return m
}()

// cal returns the calendar state, initialised.
func (s *Server) cal() *calendarState {
	st := &s.calendar
	st.once.Do(func() {
		st.events = newCollection("events", nil)
		st.events.groupOf = func(e *entity) string { return str(e.doc[keyCalendarID]) }
		st.calendars = map[string][]map[string]any{}
		st.exceptions = map[string]map[string]any{}
		st.deletedOcc = map[string]bool{}
		st.txn = map[string]string{}
		st.grants = map[string]map[string]bool{}
		st.attachments = map[string][]map[string]any{}
	})
	return st
}

// calendarColors maps calendar colors to the hexColor Outlook shows.
var calendarColors = map[string]string{
	"auto": "", "lightBlue": "#a6d1f5", "lightGreen": "#87d28e", "lightOrange": "#fcab73", "lightGray": "#c0c0c0",
	"lightYellow": "#f5e26b", "lightTeal": "#8fdad2", "lightPink": "#f4a1b8", "lightBrown": "#d8ab80", "lightRed": "#f88c9b",
	"maxColor": "",
}

var calendarKeyOrder = []string{"@odata.etag", "id", "name", "color", "hexColor", "groupClassId", "isDefaultCalendar", "changeKey",
	"canShare", "canViewPrivateItems", "canEdit", "allowedOnlineMeetingProviders", "defaultOnlineMeetingProvider",
	"isTallyingResponses", "isRemovable", "owner"}

// newCalendarDoc is a calendar owned by u.
func newCalendarDoc(u User, id, name, color string, isDefault bool) map[string]any {
	if color == "" {
		color = "auto"
	}
	ck := newChangeKey()
	return map[string]any{
		"@odata.etag": `W/"` + ck + `"`, "id": id, "name": name, "color": color, "hexColor": calendarColors[color],
		"groupClassId": "0006f0b7-0000-0000-c000-000000000046", "isDefaultCalendar": isDefault, "changeKey": ck,
		"canShare": true, "canViewPrivateItems": true, "canEdit": true,
		"allowedOnlineMeetingProviders": []any{"teamsForBusiness"}, "defaultOnlineMeetingProvider": "teamsForBusiness",
		"isTallyingResponses": true, "isRemovable": !isDefault,
		"owner": map[string]any{"name": u.DisplayName, "address": u.Mail},
	}
}

// calendarsOf returns u's calendars, creating the default one. Caller
// holds st.mu.
func (st *calendarState) calendarsOf(u User) []map[string]any {
	if list, ok := st.calendars[u.ID]; ok {
		return list
	}
	list := []map[string]any{newCalendarDoc(u, outlookID("AAMkA", u.ID, "calendar"), "Calendar", "auto", true)}
	st.calendars[u.ID] = list
	return list
}

// calendarByID returns one of u's calendars ("" or "calendar" for the
// default one). Caller holds st.mu.
func (st *calendarState) calendarByID(u User, id string) map[string]any {
	list := st.calendarsOf(u)
	if id == "" || strings.EqualFold(id, "calendar") {
		return list[0]
	}
	for _, c := range list {
		if str(c["id"]) == id {
			return c
		}
	}
	return nil
}

// defaultCalendarID is the id of u's default calendar.
func (s *Server) defaultCalendarID(u User) string {
	st := s.cal()
	st.mu.Lock()
	defer st.mu.Unlock()
	return str(st.calendarsOf(u)[0]["id"])
}

// GrantCalendarAccess shares owner's calendars (UPN or id) with delegate:
// a delegated caller holding Calendars.Read.Shared or
// Calendars.ReadWrite.Shared may then use them.
func (s *Server) GrantCalendarAccess(owner, delegate string) error {
	o, ok := s.lookupUser(owner)
	d, ok2 := s.lookupUser(delegate)
	if !ok || !ok2 {
		return errorf(http.StatusNotFound, "ErrorInvalidUser", "unknown user")
	}
	st := s.cal()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.grants[o.ID] == nil {
		st.grants[o.ID] = map[string]bool{}
	}
	st.grants[o.ID][d.ID] = true
	return nil
}

// EventCount returns the number of stored events (single instances and
// series masters, not expanded) in the calendars of the user (UPN or id),
// or -1 for an unknown user.
func (s *Server) EventCount(upn string) int {
	u, ok := s.lookupUser(upn)
	if !ok {
		return -1
	}
	return len(s.cal().events.view(u.ID, ""))
}

// calendarUser resolves the {user} of a calendar route and checks the
// caller may use that user's calendars.
func (s *Server) calendarUser(c *call) (User, *graphError) {
	if g, ok := c.params["group-id"]; ok {
		return s.groupCalendarOwner(c, g)
	}
	key := c.params["user"]
	u, ok := s.lookupUser(key)
	if !ok {
		if !c.claims.AppOnly {
			return User{}, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
		return User{}, errorf(http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+key+"' is invalid.")
	}
	if !c.claims.AppOnly && u.ID != c.claims.ObjectID {
		st := s.cal()
		st.mu.Lock()
		granted := st.grants[u.ID][c.claims.ObjectID]
		st.mu.Unlock()
		if c.perm == nil || c.perm.shared == nil || !c.has(c.perm.shared) || !(granted || s.mailboxGranted(u.ID, c.claims.ObjectID)) {
			return User{}, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
	}
	return u, nil
}

// eventEntity builds the stored entity of an event document with a new
// change key.
func eventEntity(owner string, doc map[string]any, now time.Time) *entity {
	ck := newChangeKey()
	doc["changeKey"] = ck
	doc["@odata.etag"] = `W/"` + ck + `"`
	doc["lastModifiedDateTime"] = now.UTC().Format(time.RFC3339Nano)
	doc[keyOwner] = owner
	return &entity{id: str(doc["id"]), part: owner, raw: encodeObject(doc, eventKeyOrder, eventHiddenKeys...), doc: doc, etag: `W/"` + ck + `"`}
}

// viewEntity wraps a computed event (an occurrence) as an entity.
func viewEntity(doc map[string]any) *entity {
	return &entity{id: str(doc["id"]), part: str(doc[keyOwner]), raw: encodeObject(doc, eventKeyOrder, eventHiddenKeys...), doc: doc, etag: str(doc["@odata.etag"])}
}

// cloneJSON deep-copies a decoded JSON document.
func cloneJSON(doc map[string]any) map[string]any {
	b, _ := json.Marshal(doc)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// webLinkFor is the Outlook on the web link of an event.
func webLinkFor(id string) string {
	return "https://outlook.office365.com/owa/?itemid=" + url.QueryEscape(id) + "&exvsurl=1&path=/calendar/item"
}

// --- Time zones ---

// loadZone resolves a Windows time-zone name (any in the generated tzmap table, matched
// without regard to case, as Graph does) or an IANA name.
func loadZone(name string) (*time.Location, bool) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, "UTC") || strings.EqualFold(name, "Coordinated Universal Time") || strings.EqualFold(name, "tzone://Microsoft/Utc") {
		return time.UTC, true
	}
	if iana, ok := tzmap.WindowsToIANA(name); ok {
		name = iana
	}
	if strings.ContainsAny(name, "\\.") {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	return loc, true
}

// dtLayout is the dateTime layout of dateTimeTimeZone values.
const dtLayout = "2006-01-02T15:04:05.0000000"

// parseDTZ parses a dateTimeTimeZone value.
func parseDTZ(v any, prop string) (time.Time, string, *graphError) {
	m, _ := v.(map[string]any)
	if m == nil {
		return time.Time{}, "", errorf(http.StatusBadRequest, "ErrorInvalidRequest", "The property '"+prop+"' must be a dateTimeTimeZone value.")
	}
	zone := str(anyKey(m, "timeZone"))
	if zone == "" {
		zone = "UTC"
	}
	loc, ok := loadZone(zone)
	if !ok {
		return time.Time{}, "", errorf(http.StatusBadRequest, "TimeZoneNotSupportedException", "A valid TimeZone value must be specified. The following TimeZone value is not supported: '"+zone+"'.")
	}
	t, ok := parseLocalDateTime(str(anyKey(m, "dateTime")), loc)
	if !ok {
		return time.Time{}, "", errorf(http.StatusBadRequest, "ErrorInvalidRequest", "Cannot convert the literal '"+str(anyKey(m, "dateTime"))+"' to the expected type 'Edm.DateTime'.")
	}
	return t, zone, nil
}

// parseLocalDateTime parses an ISO 8601 date-time; without an offset it
// is read in loc.
func parseLocalDateTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	for _, l := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dtz is the dateTimeTimeZone value of t in the named zone.
func dtz(t time.Time, zone string) map[string]any {
	loc, ok := loadZone(zone)
	if !ok {
		loc, zone = time.UTC, "UTC"
	}
	return map[string]any{"dateTime": t.In(loc).Format(dtLayout), "timeZone": zone}
}

// docTime reads a stored start or end.
func docTime(doc map[string]any, prop string) time.Time {
	t, _, gerr := parseDTZ(doc[prop], prop)
	if gerr != nil {
		return time.Time{}
	}
	return t
}

// preferredZone is the Prefer: outlook.timezone of the request, "" when
// absent or unknown.
func preferredZone(c *call) string {
	z := preference(c.r, "outlook.timezone")
	if z == "" {
		return ""
	}
	if _, ok := loadZone(z); !ok {
		return ""
	}
	return z
}

// zoneRewrite returns the listSpec rewrite converting start and end into
// the preferred zone, and sets Preference-Applied; nil without one.
func zoneRewrite(c *call) func([]byte) []byte {
	z := preferredZone(c)
	if z == "" {
		return nil
	}
	c.w.Header().Set("Preference-Applied", `outlook.timezone="`+z+`"`)
	return func(src []byte) []byte {
		var m map[string]any
		if err := json.Unmarshal(src, &m); err != nil {
			return src
		}
		for _, k := range []string{"start", "end"} {
			if _, ok := m[k]; ok {
				m[k] = dtz(docTime(m, k), z)
			}
		}
		return encodeObject(m, eventKeyOrder)
	}
}

// canonKeys returns in with its keys spelled as in names when they match
// one case-insensitively (Graph reads property names case-insensitively).
func canonKeys(in map[string]any, names ...string) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		for _, n := range names {
			if strings.EqualFold(k, n) {
				k = n
				break
			}
		}
		out[k] = v
	}
	return out
}
