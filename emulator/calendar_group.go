package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// Group calendars: a Microsoft 365 group has one calendar (its default;
// Graph v1.0 has no /groups/{id}/calendars collection). Its routes reuse
// the user calendar handlers: calendarUser resolves {group-id} to the
// group's calendar owner, so events, views and recurrence expansion are
// the same code and the same store (partition: the group id).
var (
	permGroupCalRead = &permission{
		delegated: []string{"Group.Read.All", "Group.ReadWrite.All"},
		app:       []string{"Calendars.Read", "Calendars.ReadWrite"},
		outlook:   true,
	}
	permGroupCalWrite = &permission{
		delegated: []string{"Group.ReadWrite.All"},
		app:       []string{"Calendars.ReadWrite"},
		outlook:   true,
	}
)

// registerGroupCalendar adds the group calendar routes Graph v1.0 has:
// /groups/{id}/calendar (GET), its events and calendarView, and
// /groups/{id}/events (with instances) and /groups/{id}/calendarView.
func (s *Server) registerGroupCalendar(rt *router) {
	g := "groups/{group-id}/"
	get, post, patch, del := http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	def := func(h func(c *call)) func(c *call) {
		return func(c *call) {
			c.params["calendar"] = "calendar"
			h(c)
		}
	}
	rt.add(get, g+"calendar", permGroupCalRead, false, def(s.getCalendar))
	rt.add(get, g+"calendar/events", permGroupCalRead, false, def(s.listEvents))
	rt.add(post, g+"calendar/events", permGroupCalWrite, false, def(s.createEvent))
	rt.add(get, g+"calendar/calendarView", permGroupCalRead, false, def(s.calendarView))
	rt.add(get, g+"calendar/events/{event}", permGroupCalRead, false, def(s.getEvent))
	rt.add(patch, g+"calendar/events/{event}", permGroupCalWrite, false, def(s.patchEvent))
	rt.add(del, g+"calendar/events/{event}", permGroupCalWrite, false, def(s.deleteEvent))
	rt.add(get, g+"events", permGroupCalRead, false, s.listEvents)
	rt.add(post, g+"events", permGroupCalWrite, false, s.createEvent)
	rt.add(get, g+"calendarView", permGroupCalRead, false, s.calendarView)
	rt.add(get, g+"events/{event}", permGroupCalRead, false, s.getEvent)
	rt.add(patch, g+"events/{event}", permGroupCalWrite, false, s.patchEvent)
	rt.add(del, g+"events/{event}", permGroupCalWrite, false, s.deleteEvent)
	rt.add(get, g+"events/{event}/instances", permGroupCalRead, false, s.eventInstances)
}

// groupCalendarOwner resolves {group-id} to the owner of its calendar: a
// Microsoft 365 group that a delegated caller is a member or owner of.
func (s *Server) groupCalendarOwner(c *call, id string) (User, *graphError) {
	e, ok := s.dir.groups.get(lower(id))
	if !ok {
		return User{}, errNoObject(id)
	}
	types, _ := e.doc["groupTypes"].([]any)
	if !slices.ContainsFunc(types, func(t any) bool { x, _ := t.(string); return strings.EqualFold(x, "Unified") }) {
		return User{}, errorf(http.StatusBadRequest, "ErrorInvalidGroup", "Calendars are available only for Microsoft 365 groups.")
	}
	if !c.claims.AppOnly {
		me := c.claims.ObjectID
		if !slices.Contains(s.memberIDs(e.id, false), me) && !slices.Contains(s.memberIDs(e.id, true), me) {
			return User{}, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
	}
	name, mail := docString(e.doc, "displayName"), docString(e.doc, "mail")
	return User{ID: e.id, UPN: mail, Mail: mail, DisplayName: name}, nil
}
