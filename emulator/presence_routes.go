package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Presence (presence-get.md, cloudcommunications-getpresencesbyuserid.md,
// presence-setpresence.md, presence-clearpresence.md,
// presence-setuserpreferredpresence.md,
// presence-clearuserpreferredpresence.md).
//
// A user's presence aggregates their presence sessions (one per Teams
// client or application) and their preferred presence: with no live
// session the user is Offline; a preferred presence wins while a session
// exists; otherwise the most telling session state wins (DoNotDisturb >
// Busy > Available > BeRightBack > Away). Sessions and preferences expire
// on the server clock, and an Available application session not set again
// fades to AvailableInactive after five minutes and to Away after ten.

var (
	permPresenceRead = &permission{
		delegated: []string{"Presence.Read", "Presence.Read.All", "Presence.ReadWrite"},
		app:       []string{"Presence.Read.All", "Presence.ReadWrite.All"},
	}
	permPresenceReadAll = &permission{
		delegated: []string{"Presence.Read.All"},
		app:       []string{"Presence.Read.All", "Presence.ReadWrite.All"},
	}
	permPresenceWrite = &permission{
		delegated: []string{"Presence.ReadWrite"},
		app:       []string{"Presence.ReadWrite.All"},
	}
)

// presenceRec is one user's presence state.
type presenceRec struct {
	sessions  map[string]*presenceSession // by lower-case session id
	preferred *presenceSession
}

// presenceSession is a session's (or the preferred) state; a zero expires
// never expires (a signed-in Teams client).
type presenceSession struct {
	availability, activity string
	expires                time.Time
	// set, for application sessions, is when the state was last set:
	// an Available session times out in stages from then.
	set time.Time
}

// presenceTimeout is the time after which an Available application
// session fades: Available/AvailableInactive after one timeout,
// Away/Away after two (presence-setpresence.md).
const presenceTimeout = 5 * time.Minute

// state returns the session's state at now, faded when it timed out.
func (p *presenceSession) state(now time.Time) (availability, activity string) {
	if p.set.IsZero() || p.availability != "Available" {
		return p.availability, p.activity
	}
	switch idle := now.Sub(p.set); {
	case idle >= 2*presenceTimeout:
		return "Away", "Away"
	case idle >= presenceTimeout:
		return "Available", "AvailableInactive"
	}
	return p.availability, p.activity
}

func (p *presenceSession) live(now time.Time) bool {
	return p != nil && (p.expires.IsZero() || now.Before(p.expires))
}

// Presence session limits (presence-setpresence.md).
const (
	presenceDefaultExpiry = 5 * time.Minute
	presenceMinExpiry     = 5 * time.Minute
	presenceMaxExpiry     = 4 * time.Hour
)

var presenceRank = map[string]int{"DoNotDisturb": 5, "Busy": 4, "Available": 3, "BeRightBack": 2, "Away": 1}

// setPresenceStates are the availability/activity pairs setPresence takes.
var setPresenceStates = map[string]bool{
	"Available/Available": true, "Busy/InACall": true, "Busy/InAConferenceCall": true,
	"Away/Away": true, "DoNotDisturb/Presenting": true,
}

// preferredStates are the pairs setUserPreferredPresence takes.
var preferredStates = map[string]bool{
	"Available/Available": true, "Busy/Busy": true, "DoNotDisturb/DoNotDisturb": true,
	"BeRightBack/BeRightBack": true, "Away/Away": true, "Offline/OffWork": true,
}

// aggregate computes a user's presence at now, dropping expired state.
// The caller holds t.mu.
func (p *presenceRec) aggregate(now time.Time) (availability, activity string) {
	if p == nil {
		return "Offline", "Offline"
	}
	found := false
	for id, ss := range p.sessions {
		if !ss.live(now) {
			delete(p.sessions, id)
			continue
		}
		av, ac := ss.state(now)
		if !found || presenceRank[av] > presenceRank[availability] ||
			presenceRank[av] == presenceRank[availability] && ac < activity {
			availability, activity, found = av, ac, true
		}
	}
	if p.preferred != nil && !p.preferred.live(now) {
		p.preferred = nil
	}
	switch {
	case !found:
		return "Offline", "Offline"
	case p.preferred != nil:
		return p.preferred.availability, p.preferred.activity
	}
	return availability, activity
}

func (s *Server) presenceDoc(userID string) map[string]any {
	t := s.teams
	t.mu.Lock()
	av, ac := t.presence[lower(userID)].aggregate(s.now())
	t.mu.Unlock()
	return map[string]any{
		"id": userID, "availability": av, "activity": ac, "statusMessage": nil,
		"outOfOfficeSettings": map[string]any{"message": nil, "isOutOfOffice": false},
	}
}

// SetPresenceSession sets a presence session of a user (as a Teams client
// would); expires zero never expires. For tests and seeds.
func (s *Server) SetPresenceSession(user, sessionID, availability, activity string, expires time.Time) bool {
	u, ok := s.lookupUser(user)
	if !ok {
		return false
	}
	t := s.teams
	t.mu.Lock()
	p := t.presenceOf(u.ID)
	p.sessions[lower(sessionID)] = &presenceSession{availability: availability, activity: activity, expires: expires}
	t.mu.Unlock()
	return true
}

// presenceOf returns the user's record, created. The caller holds t.mu.
func (t *teamsState) presenceOf(userID string) *presenceRec {
	p := t.presence[lower(userID)]
	if p == nil {
		p = &presenceRec{sessions: map[string]*presenceSession{}}
		t.presence[lower(userID)] = p
	}
	return p
}

func (s *Server) registerPresence(rt *router) {
	p := "users/{user}/presence"
	rt.add(http.MethodGet, p, permPresenceRead, false, s.getPresence)
	rt.add(http.MethodPost, p+"/setPresence", permPresenceWrite, false, s.setPresence)
	rt.add(http.MethodPost, p+"/clearPresence", permPresenceWrite, false, s.clearPresence)
	rt.add(http.MethodPost, p+"/setUserPreferredPresence", permPresenceWrite, false, s.setPreferredPresence)
	rt.add(http.MethodPost, p+"/clearUserPreferredPresence", permPresenceWrite, false, s.clearPreferredPresence)
	rt.add(http.MethodPost, "communications/getPresencesByUserId", permPresenceReadAll, false, s.getPresencesByUserID)
	c := "communications/presences/{user}"
	rt.add(http.MethodGet, c, permPresenceReadAll, false, s.getPresence)
	rt.add(http.MethodPost, c+"/setPresence", permPresenceWrite, false, s.setPresence)
	rt.add(http.MethodPost, c+"/clearPresence", permPresenceWrite, false, s.clearPresence)
	rt.add(http.MethodPost, c+"/setUserPreferredPresence", permPresenceWrite, false, s.setPreferredPresence)
	rt.add(http.MethodPost, c+"/clearUserPreferredPresence", permPresenceWrite, false, s.clearPreferredPresence)
}

// presenceUser resolves the route's user. Reading another user's presence
// needs Presence.Read.All; writing it needs an app (Presence.ReadWrite.All):
// a delegated caller sets only their own.
func (s *Server) presenceUser(c *call, write bool) (User, *graphError) {
	u, ok := s.lookupUser(c.params["user"])
	if !ok {
		return User{}, errorf(http.StatusNotFound, "NotFound", "User '"+c.params["user"]+"' was not found.")
	}
	if c.claims.AppOnly || strings.EqualFold(u.ID, c.claims.ObjectID) {
		return u, nil
	}
	if write {
		return User{}, errorf(http.StatusForbidden, "Forbidden", "A delegated caller can set only their own presence.")
	}
	if !c.has(permPresenceReadAll) {
		return User{}, denied(permPresenceReadAll)
	}
	return u, nil
}

func (s *Server) getPresence(c *call) {
	u, gerr := s.presenceUser(c, false)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	doc := s.presenceDoc(u.ID)
	doc["@odata.context"] = c.base() + "/$metadata#users('" + u.ID + "')/presence/$entity"
	c.writeValue(http.StatusOK, doc)
}

func (s *Server) getPresencesByUserID(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	raw, _ := in["ids"].([]any)
	if len(raw) == 0 {
		c.writeError(errBadRequest("The ids parameter must list at least one user id."))
		return
	}
	if len(raw) > 650 {
		c.writeError(errBadRequest("At most 650 user ids may be asked for at once."))
		return
	}
	out := make([]any, 0, len(raw))
	for _, v := range raw {
		id, _ := v.(string)
		u, ok := s.lookupUser(id)
		if !ok || id == "" {
			c.writeError(errorf(http.StatusNotFound, "NotFound", "User '"+id+"' was not found."))
			return
		}
		out = append(out, s.presenceDoc(u.ID))
	}
	c.writeValue(http.StatusOK, map[string]any{"@odata.context": c.base() + "/$metadata#Collection(microsoft.graph.presence)", "value": out})
}

// presenceBody reads and checks a set body's fields.
func presenceBody(in map[string]any, allowed map[string]bool, needSession bool) (session, av, ac string, dur time.Duration, hasDur bool, gerr *graphError) {
	for k := range in {
		switch k {
		case "sessionId", "availability", "activity", "expirationDuration":
		default:
			return "", "", "", 0, false, errBadRequest("The parameter '" + k + "' is not a parameter of the action.")
		}
	}
	session, _ = in["sessionId"].(string)
	if needSession && strings.TrimSpace(session) == "" {
		return "", "", "", 0, false, errBadRequest("The sessionId parameter is required.")
	}
	av, _ = in["availability"].(string)
	ac, _ = in["activity"].(string)
	if allowed != nil && !allowed[av+"/"+ac] {
		return "", "", "", 0, false, errBadRequest("The availability '" + av + "' and activity '" + ac + "' are not a supported combination.")
	}
	if v, ok := in["expirationDuration"]; ok && v != nil {
		str, _ := v.(string)
		d, ok := parseISODuration(str)
		if !ok || d <= 0 {
			return "", "", "", 0, false, errBadRequest("The expirationDuration '" + str + "' is not a valid ISO 8601 duration.")
		}
		dur, hasDur = d, true
	}
	return session, av, ac, dur, hasDur, nil
}

func (s *Server) publishPresence(userID string) {
	doc := s.presenceDoc(userID)
	data, _ := json.Marshal(doc)
	s.publish(change{
		Topics:   []string{"communications/presences/" + userID},
		Type:     "updated",
		Resource: "communications/presences('" + userID + "')",
		ID:       userID, ODataType: "#Microsoft.Graph.presence", Data: data,
	})
}

func (s *Server) setPresence(c *call) {
	u, gerr := s.presenceUser(c, true)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 16)
	if !ok {
		return
	}
	session, av, ac, dur, hasDur, gerr := presenceBody(in, setPresenceStates, true)
	if gerr == nil && hasDur && (dur < presenceMinExpiry || dur > presenceMaxExpiry) {
		gerr = errBadRequest("The expirationDuration must be between PT5M and PT4H.")
	}
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if !hasDur {
		dur = presenceDefaultExpiry
	}
	t := s.teams
	t.mu.Lock()
	t.presenceOf(u.ID).sessions[lower(session)] = &presenceSession{availability: av, activity: ac, expires: c.now.Add(dur), set: c.now}
	t.mu.Unlock()
	s.publishPresence(u.ID)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusOK)
}

func (s *Server) clearPresence(c *call) {
	u, gerr := s.presenceUser(c, true)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 16)
	if !ok {
		return
	}
	session, _, _, _, _, gerr := presenceBody(in, nil, true)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	p := t.presenceOf(u.ID)
	// Clearing a session that is gone (expired, or never set) succeeds:
	// the outcome is the same.
	delete(p.sessions, lower(session))
	t.mu.Unlock()
	s.publishPresence(u.ID)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusOK)
}

func (s *Server) setPreferredPresence(c *call) {
	u, gerr := s.presenceUser(c, true)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 16)
	if !ok {
		return
	}
	if _, ok := in["sessionId"]; ok {
		c.writeError(errBadRequest("The parameter 'sessionId' is not a parameter of setUserPreferredPresence."))
		return
	}
	_, av, ac, dur, hasDur, gerr := presenceBody(in, preferredStates, false)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	if !hasDur {
		// Documented defaults: a day for DoNotDisturb and Busy, a week
		// for the others.
		dur = 7 * 24 * time.Hour
		if av == "DoNotDisturb" || av == "Busy" {
			dur = 24 * time.Hour
		}
	}
	t := s.teams
	t.mu.Lock()
	t.presenceOf(u.ID).preferred = &presenceSession{availability: av, activity: ac, expires: c.now.Add(dur)}
	t.mu.Unlock()
	s.publishPresence(u.ID)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusOK)
}

func (s *Server) clearPreferredPresence(c *call) {
	u, gerr := s.presenceUser(c, true)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	t := s.teams
	t.mu.Lock()
	t.presenceOf(u.ID).preferred = nil
	t.mu.Unlock()
	s.publishPresence(u.ID)
	c.setCommonHeaders()
	c.w.WriteHeader(http.StatusOK)
}
