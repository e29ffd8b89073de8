package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

func at(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) }

func TestAgreement(t *testing.T) {
	// a: +1 until 1950, +2 until 2000, +1 since.  b: +1 always.  c: +2 until 1990, +1 since.
	a := []segment{{farPast, 3600}, {at(1950), 7200}, {at(2000), 3600}}
	b := []segment{{farPast, 3600}}
	c := []segment{{farPast, 7200}, {at(1990), 3600}}
	tests := []struct {
		name  string
		x, y  []segment
		since time.Time
		total time.Duration
	}{
		{"same", b, b, farPast, windowSpan.Sub(histStart)},
		{"a b", a, b, at(2000), windowSpan.Sub(histStart) - at(2000).Sub(at(1950))},
		{"b a", b, a, at(2000), windowSpan.Sub(histStart) - at(2000).Sub(at(1950))},
		{"a c", a, c, at(2000), at(1990).Sub(at(1950)) + windowSpan.Sub(at(2000))},
		{"b c", b, c, at(1990), windowSpan.Sub(at(1990))},
	}
	for _, tt := range tests {
		if got := agreeSince(tt.x, tt.y); !got.Equal(tt.since) {
			t.Errorf("%s: agreeSince = %v, want %v", tt.name, got, tt.since)
		}
		if got := agreeTotal(tt.x, tt.y); got != tt.total {
			t.Errorf("%s: agreeTotal = %v, want %v", tt.name, got, tt.total)
		}
	}
	// Differing at the end: no agreement at all.
	d := []segment{{farPast, 3600}, {at(2030), 0}}
	if got := agreeSince(b, d); !got.Equal(windowSpan) {
		t.Errorf("agreeSince of zones that differ at the end = %v, want %v", got, windowSpan)
	}
}

func TestCandidateOrder(t *testing.T) {
	older := candidate{"A", at(1970), time.Hour}
	newer := candidate{"B", at(1990), 2 * time.Hour}
	more := candidate{"C", at(1970), 2 * time.Hour}
	if older.compare(newer) >= 0 || more.compare(older) >= 0 || older.compare(older) != 0 {
		t.Error("candidates ordered wrongly: want the longest unbroken agreement, then the most agreement")
	}
}

// TestOverrides builds the table from this toolchain: every territory override must apply
// (build rejects one whose Windows zone has other current rules) and leave no unexplained ties.
func TestOverrides(t *testing.T) {
	if raceEnabled || testing.Short() {
		// Reading every zone takes ~0.5 s, but half a minute under the race detector; the
		// graph package's TestZonesGenUpToDate runs the generator (and these checks) too.
		t.Skip("reads the whole tz database")
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("go env GOROOT: %v", err)
	}
	tab, err := build(strings.TrimSpace(string(out)), false)
	if err != nil {
		t.Fatal(err)
	}
	for name, win := range overrides {
		if got := tab.iana[name]; got != win {
			t.Errorf("%s = %q, want the override %q", name, got, win)
		}
	}
	if len(tab.ties) > 0 {
		t.Errorf("ties left to name order: %q", tab.ties)
	}
}
