package emulator

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/o365go/o365/emulator/internal/query"
)

// groupDeltaToken is the state of a groups delta round: the collection
// version it started from and, inside a round, the offset of the next page.
type groupDeltaToken struct {
	since, upto uint64
	offset      int
}

func (t groupDeltaToken) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte("g1:" + strconv.FormatUint(t.since, 10) + ":" + strconv.FormatUint(t.upto, 10) + ":" + strconv.Itoa(t.offset)))
}

func decodeGroupDeltaToken(s string) (groupDeltaToken, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return groupDeltaToken{}, false
	}
	parts := strings.Split(string(b), ":")
	if len(parts) != 4 || parts[0] != "g1" {
		return groupDeltaToken{}, false
	}
	since, err1 := strconv.ParseUint(parts[1], 10, 64)
	upto, err2 := strconv.ParseUint(parts[2], 10, 64)
	off, err3 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || off < 0 {
		return groupDeltaToken{}, false
	}
	return groupDeltaToken{since: since, upto: upto, offset: off}, true
}

// groupDelta serves GET /groups/delta.
func (s *Server) groupDelta(c *call) { s.directoryDelta(c, s.dir.groups, "groups") }

// userDelta serves GET /users/delta.
func (s *Server) userDelta(c *call) { s.directoryDelta(c, s.store.users, "users") }

// directoryDelta serves a directory delta function: the initial round
// lists every object, later rounds ($deltatoken) the objects changed since
// and the deleted ones ("@removed": {"reason": "changed"}, as the
// directory reports deletions).
func (s *Server) directoryDelta(c *call, coll *collection, name string) {
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "The query specified in the URI is not valid."))
		return
	}
	var tok groupDeltaToken
	switch {
	case v.Get("$skiptoken") != "":
		t, ok := decodeGroupDeltaToken(v.Get("$skiptoken"))
		if !ok {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", "The skip token is not valid."))
			return
		}
		tok = t
	case v.Get("$deltatoken") != "":
		t, ok := decodeGroupDeltaToken(v.Get("$deltatoken"))
		if !ok {
			c.writeError(errorf(http.StatusGone, "SyncStateNotFound", "The sync state is not valid or expired; start a new delta round."))
			return
		}
		tok = groupDeltaToken{since: t.upto, upto: coll.currentVersion()}
	default:
		tok = groupDeltaToken{upto: coll.currentVersion()}
	}
	var sel []string
	if s, ok := option(v, "select"); ok {
		if sel, err = query.ParseSelect(s); err != nil {
			c.writeError(errorf(http.StatusBadRequest, "Request_BadRequest", err.Error()))
			return
		}
	}
	changed, deleted, _ := coll.changesSince("", tok.since)
	var entries [][]byte
	seen := map[string]bool{}
	for _, e := range changed {
		if e.version > tok.upto {
			continue // changed during the round: the next round has it
		}
		if seen[e.id] {
			continue
		}
		seen[e.id] = true
		src := e.raw
		if len(sel) > 0 {
			var b bytes.Buffer
			project(&b, e.full, sel, func(string) ([]byte, bool) { return nil, false }, nil)
			src = b.Bytes()
		}
		entries = append(entries, src)
	}
	if tok.since > 0 {
		for _, d := range deleted {
			if _, live := coll.get(d.id); d.version <= tok.upto && !live && !seen[d.id] {
				seen[d.id] = true
				entries = append(entries, []byte(`{"id":`+strconv.Quote(d.id)+`,"@removed":{"reason":"changed"}}`))
			}
		}
	}
	pageSize := 100
	if n := maxPageSize(c.r); n > 0 {
		pageSize = n
	}
	end := min(tok.offset+pageSize, len(entries))
	start := min(tok.offset, end)
	var buf bytes.Buffer
	buf.WriteString(`{"@odata.context":`)
	writeJSONString(&buf, c.base()+"/$metadata#"+name)
	link := c.base() + "/" + name + "/delta?"
	if end < len(entries) {
		next := tok
		next.offset = end
		buf.WriteString(`,"@odata.nextLink":`)
		writeJSONString(&buf, link+"$skiptoken="+next.encode())
	} else {
		buf.WriteString(`,"@odata.deltaLink":`)
		writeJSONString(&buf, link+"$deltatoken="+groupDeltaToken{upto: tok.upto}.encode())
	}
	buf.WriteString(`,"value":`)
	buf.Write(joinArray(entries[start:end]))
	buf.WriteByte('}')
	c.writeRaw(http.StatusOK, buf.Bytes())
}
