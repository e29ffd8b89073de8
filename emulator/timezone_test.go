package emulator

import (
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/internal/tzmap"
)

// TestTimeZonePreferenceEveryWindowsZone: every Windows zone name of the generated table,
// in any case, is accepted by Prefer: outlook.timezone on a calendarView, which then writes
// start and end in that zone under the name as sent.
func TestTimeZonePreferenceEveryWindowsZone(t *testing.T) {
	s, tok := calServer(t)
	r := cdo(t, s, "POST", "/v1.0/me/events", tok, `{"subject":"Zones","start":{"dateTime":"2026-12-07T18:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-07T19:00:00","timeZone":"UTC"}}`)
	calStatus(t, r, 201)
	start := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	names := tzmap.WindowsZones()
	if len(names) < 135 {
		t.Fatalf("only %d Windows zones in tzmap", len(names))
	}
	view := "/v1.0/me/calendarView?startDateTime=2026-12-07T00:00:00Z&endDateTime=2026-12-09T00:00:00Z&$filter=subject eq 'Zones'"
	for _, w := range names {
		iana, _ := tzmap.WindowsToIANA(w)
		loc, err := time.LoadLocation(iana)
		if err != nil {
			t.Fatalf("%s (%s): %v", w, iana, err)
		}
		want := start.In(loc).Format("2006-01-02T15:04:05.0000000")
		for _, pref := range []string{w, strings.ToLower(w)} {
			if _, ok := loadZone(pref); !ok {
				t.Errorf("loadZone(%q) failed", pref)
				continue
			}
			l := cdo(t, s, "GET", view, tok, "", "Prefer", `outlook.timezone="`+pref+`"`)
			calStatus(t, l, 200)
			if got := l.header.Get("Preference-Applied"); got != `outlook.timezone="`+pref+`"` {
				t.Errorf("%q: Preference-Applied %q", pref, got)
			}
			v := l.values()
			if len(v) != 1 {
				t.Errorf("%q: %d events: %.300s", pref, len(v), l.body)
				continue
			}
			st, _ := v[0]["start"].(map[string]any)
			if st["dateTime"] != want || st["timeZone"] != pref {
				t.Errorf("%q: start %v, want %s in %q", pref, st, want, pref)
			}
		}
	}
}
