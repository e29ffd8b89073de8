package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// GET .../messages/{id}?$expand=microsoft.graph.eventMessage/event answers
// a meeting message with the event it is about (eventmessage-get.md). The
// mail area's message routes do not know events, so the calendar area
// registers the same two GET routes first: they answer requests that
// expand the event and hand every other request to the mail route
// registered after them (nextMessageRoute), unchanged.

// eventLinkKey is the meeting message property naming the event it is
// about ("users('{id}')/events('{id}')"), set at delivery.
const eventLinkKey = "event@odata.associationLink"

// registerEventMessageExpand adds the shadowing message GET routes.
func (s *Server) registerEventMessageExpand(rt *router) {
	for _, p := range []string{"users/{user}/messages/{message}", "users/{user}/mailFolders/{folder}/messages/{message}"} {
		rt.add(http.MethodGet, p, permMailRead, true, s.getMessageWithEvent)
		s.calendar.shadow = append(s.calendar.shadow, rt.routes[len(rt.routes)-1])
	}
}

// wantsEvent reports whether the request expands eventMessage/event.
func wantsEvent(c *call) bool {
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	ex, _ := option(v, "expand")
	return strings.Contains(lower(ex), "eventmessage/event")
}

// nextMessageRoute is the route that serves the request when the
// shadowing routes are left out (the mail area's message GET, or one of
// its literal routes such as messages/delta, which a shadowing {message}
// capture also matches), with its captures.
func (s *Server) nextMessageRoute(c *call) (*route, map[string]string) {
	segs := []string{"users", c.params["user"], "messages", c.params["message"]}
	if f, ok := c.params["folder"]; ok {
		segs = []string{"users", c.params["user"], "mailFolders", f, "messages", c.params["message"]}
	}
	for _, r := range s.router.routes {
		if r.method != http.MethodGet || slices.Contains(s.calendar.shadow, r) {
			continue
		}
		if n, params := matchPattern(r.pattern, segs); n == len(segs) && n == len(r.pattern) {
			return r, params
		}
	}
	return nil, nil
}

// getMessageWithEvent serves a message GET that expands its event.
func (s *Server) getMessageWithEvent(c *call) {
	next, params := s.nextMessageRoute(c)
	if next == nil {
		c.writeError(errSegment(c.params["message"]))
		return
	}
	if !wantsEvent(c) || next.pattern[len(next.pattern)-1] != "{message}" {
		c.params = params
		next.handle(c)
		return
	}
	mb, e, ok := s.routeMessage(c)
	if !ok {
		return
	}
	doc := messageDoc(e)
	out := map[string]any{"@odata.context": c.base() + "/$metadata#users('" + mb.userID + "')/messages/$entity"}
	for k, v := range doc {
		if k != eventLinkKey {
			out[k] = v
		}
	}
	if link := str(doc[eventLinkKey]); strings.Contains(lower(str(doc["@odata.type"])), "eventmessage") {
		out["event"] = nil
		if i := strings.Index(link, "/events('"); i >= 0 && strings.HasSuffix(link, "')") {
			owner := strings.TrimSuffix(strings.TrimPrefix(link[:i], "users('"), "')")
			if ev, ok := s.cal().events.get(link[i+len("/events('") : len(link)-2]); ok && ev.part == owner {
				ed := cloneJSON(ev.doc)
				if z := preferredZone(c); z != "" {
					c.w.Header().Set("Preference-Applied", `outlook.timezone="`+z+`"`)
					for _, k := range []string{"start", "end"} {
						ed[k] = dtz(docTime(ev.doc, k), z)
					}
				}
				out["event"] = rawJSON(encodeObject(ed, eventKeyOrder, eventHiddenKeys...))
			}
		}
	}
	c.w.Header().Set("ETag", e.etag)
	c.writeRaw(http.StatusOK, encodeObject(out, append([]string{"@odata.context"}, messageKeyOrder...)))
}
