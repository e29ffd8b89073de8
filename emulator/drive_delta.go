package emulator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/o365go/o365/emulator/internal/query"
)

// Drive delta (driveitem-delta.md). A round is computed when a delta
// query starts (no token, or a delta token): every item of the subtree
// changed since the token's sequence number, in pre-order (parents before
// children; a change marks its ancestors changed too, as their size and
// eTag change), then the deletions. Its pages are served from the stored
// round, so paging is consistent while the drive keeps changing. The last
// page carries @odata.deltaLink with the round's starting sequence number.
// token=latest answers no items and a deltaLink for the current state. An
// unknown, damaged or expired token answers 410 resyncRequired with a
// Location for a fresh delta.

// driveRound is a computed delta round.
type driveRound struct {
	driveID, startID string
	upto             uint64
	items            []map[string]any
}

const maxDriveRounds = 64

// deltaState is what a delta token carries.
type deltaState struct {
	D string `json:"d"` // drive id
	I string `json:"i"` // start item id
	S uint64 `json:"s"` // sequence number seen
	E uint64 `json:"e"` // epoch
}

// pageState is what a nextLink token carries.
type pageState struct {
	R string `json:"r"` // round id
	O int    `json:"o"` // offset
	E uint64 `json:"e"`
}

// ExpireDriveDeltaTokens invalidates every drive delta and paging token
// issued so far: the next request with one answers 410 resyncRequired.
func (s *Server) ExpireDriveDeltaTokens() {
	s.drive.mu.Lock()
	defer s.drive.mu.Unlock()
	s.drive.epoch++
	s.drive.rounds = map[string]*driveRound{}
	s.drive.order = nil
}

// deltaBase is the request URL up to and including "delta", without a
// token argument.
func deltaBase(c *call) string {
	p := c.r.URL.EscapedPath()
	i := strings.LastIndex(lower(p), "/delta")
	if i >= 0 {
		p = p[:i] + "/delta"
	}
	return baseURL(c.r) + p
}

func deltaLinkQuery(c *call, tok string) string {
	v := url.Values{}
	orig := c.r.URL.Query()
	for _, k := range []string{"$select", "select", "$top", "top"} {
		if x := orig.Get(k); x != "" {
			v.Set(k, x)
		}
	}
	v.Set("token", tok)
	return "?" + v.Encode()
}

func errResync(c *call) *graphError {
	e := errorf(http.StatusGone, "resyncRequired", "The delta token is no longer valid; start a new delta query.")
	e.inner = "resyncChangesApplyDifferences"
	e.header = http.Header{"Location": {deltaBase(c)}}
	return e
}

func (s *Server) driveDelta(c *call) {
	tok := c.r.URL.Query().Get("token")
	if t, ok := functionArg(c.r.URL.EscapedPath(), "delta", "token"); ok {
		tok = t
	}
	start, ok := s.routeItem(c, false)
	if !ok {
		return
	}
	if !start.folder {
		s.drive.mu.Unlock()
		c.writeError(errInvalidRequest("Delta is only supported on folders."))
		return
	}
	d := &s.drive
	dr := start.drive
	var round *driveRound
	var roundID string
	offset := 0
	switch {
	case tok == "latest":
		link := deltaBase(c) + deltaLinkQuery(c, encodeStateToken("dd.", deltaState{D: dr.id, I: start.id, S: d.seq, E: d.epoch}))
		s.drive.mu.Unlock()
		c.writeValue(http.StatusOK, map[string]any{"@odata.context": c.base() + "/$metadata#Collection(driveItem)", "value": []any{}, "@odata.deltaLink": link})
		return
	case strings.HasPrefix(tok, "dp."):
		var ps pageState
		if !decodeStateToken("dp.", tok, &ps) || ps.E != d.epoch || d.rounds[ps.R] == nil || d.rounds[ps.R].startID != start.id {
			s.drive.mu.Unlock()
			c.writeError(errResync(c))
			return
		}
		round, roundID, offset = d.rounds[ps.R], ps.R, ps.O
	default:
		var since uint64
		if tok != "" {
			var ds deltaState
			if !decodeStateToken("dd.", tok, &ds) || ds.E != d.epoch || ds.D != dr.id || ds.I != start.id || ds.S > d.seq {
				s.drive.mu.Unlock()
				c.writeError(errResync(c))
				return
			}
			since = ds.S
		}
		round = s.computeRound(c, start, since)
		roundID = randomToken(9)
		d.rounds[roundID] = round
		d.order = append(d.order, roundID)
		if len(d.order) > maxDriveRounds {
			delete(d.rounds, d.order[0])
			d.order = d.order[1:]
		}
	}
	epoch := d.epoch
	s.drive.mu.Unlock()

	fields, gerr := selectOf(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	pageSize := 200
	if t := c.r.URL.Query().Get("$top"); t != "" {
		if n, err := strconv.Atoi(t); err == nil && n > 0 {
			pageSize = min(n, 1000)
		}
	} else if ps := maxPageSize(c.r); ps > 0 {
		pageSize = min(ps, 1000)
	}
	end := min(len(round.items), offset+pageSize)
	if offset > end {
		offset = end
	}
	page := make([]any, 0, end-offset)
	for _, m := range round.items[offset:end] {
		if _, deleted := m["deleted"]; deleted {
			page = append(page, m)
			continue
		}
		page = append(page, query.Project(m, fields))
	}
	out := map[string]any{"@odata.context": c.base() + "/$metadata#Collection(driveItem)", "value": page}
	if end < len(round.items) {
		out["@odata.nextLink"] = deltaBase(c) + deltaLinkQuery(c, encodeStateToken("dp.", pageState{R: roundID, O: end, E: epoch}))
	} else {
		out["@odata.deltaLink"] = deltaBase(c) + deltaLinkQuery(c, encodeStateToken("dd.", deltaState{D: round.driveID, I: round.startID, S: round.upto, E: epoch}))
	}
	c.writeValue(http.StatusOK, out)
}

// computeRound lists the changes below start since a sequence number
// (under d.mu).
func (s *Server) computeRound(c *call, start *driveItem, since uint64) *driveRound {
	r := &driveRound{driveID: start.drive.id, startID: start.id, upto: s.drive.seq}
	walkItems(start, func(x *driveItem) {
		if x.seq > since {
			r.items = append(r.items, s.itemJSON(x, c.host(), c.now))
		}
	})
	prefix := start.path()
	for _, t := range start.drive.tombs {
		if t.seq <= since || since == 0 {
			continue
		}
		if prefix != "" && t.path != prefix && !strings.HasPrefix(t.path, prefix+"/") {
			continue
		}
		m := map[string]any{
			"id":              t.id,
			"name":            t.name,
			"parentReference": map[string]any{"driveId": start.drive.id, "driveType": start.drive.driveType, "id": t.parentID},
			"deleted":         map[string]any{"state": "deleted"},
			"@removed":        map[string]any{"reason": "deleted"},
		}
		if t.folder {
			m["folder"] = map[string]any{}
		} else {
			m["file"] = map[string]any{}
		}
		r.items = append(r.items, m)
	}
	return r
}
