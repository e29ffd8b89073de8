package calendar_test

import (
	"context"
	"testing"
	"time"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// TestEveryWindowsZone creates, for every Windows zone name graph knows, an event whose start
// and end are given in that zone, reads it back through a schedule in that zone (Prefer:
// outlook.timezone with the Windows name) and checks the instants and the zone named.
func TestEveryWindowsZone(t *testing.T) {
	ctx := context.Background()
	acct, _ := o365test.Start(t)
	names := graph.WindowsZones()
	if len(names) < 135 {
		t.Fatalf("only %d Windows zones", len(names))
	}
	for _, w := range names {
		t.Run(w, func(t *testing.T) {
			t.Parallel()
			loc, err := graph.LoadLocation(w)
			ok(t, err)
			sch := acct.Schedule().In(loc)
			ev := sch.NewEvent()
			ev.Subject = "Zone " + w
			ev.Start = time.Date(2026, 7, 1, 9, 30, 0, 0, loc)
			ev.End = time.Date(2026, 7, 1, 11, 0, 0, 0, loc)
			ok(t, ev.Save(ctx))
			got, err := sch.Event(ctx, ev.ID)
			ok(t, err)
			if !got.Start.Equal(ev.Start) || !got.End.Equal(ev.End) {
				t.Errorf("read back %v – %v, want %v – %v", got.Start, got.End, ev.Start, ev.End)
			}
			for _, d := range []graph.DateTimeTimeZone{got.StartTimeZone(), got.EndTimeZone()} {
				if d.TimeZone != w {
					t.Errorf("read back in zone %q, want %q", d.TimeZone, w)
				}
			}
			if d := got.StartTimeZone(); d.DateTime != "2026-07-01T09:30:00.0000000" {
				t.Errorf("start wall time %q, want 2026-07-01T09:30:00.0000000", d.DateTime)
			}
		})
	}
}
