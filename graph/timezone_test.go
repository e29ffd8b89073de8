package graph

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/o365go/o365/internal/tzmap"
)

// goroot returns the Go root the tests' toolchain uses, or skips.
func goroot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// sameTZData returns the Go root, or skips when its tz data is another release than the
// table's (a newer toolchain: go generate ./graph refreshes the table).
func sameTZData(t *testing.T) string {
	t.Helper()
	root := goroot(t)
	b, err := os.ReadFile(filepath.Join(root, "lib", "time", "update.bash"))
	if err != nil {
		t.Skipf("toolchain tz data: %v", err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "DATA="); ok {
			if v != tzmap.Release {
				t.Skipf("toolchain has tzdata %s, the table was made from %s: run go generate ./graph", v, tzmap.Release)
			}
			return root
		}
	}
	t.Skip("toolchain tz data release unknown")
	return ""
}

func TestWindowsZonesRoundTrip(t *testing.T) {
	names := WindowsZones()
	if len(names) < 135 {
		t.Fatalf("only %d Windows zones", len(names))
	}
	for _, w := range names {
		iana, ok := WindowsToIANA(w)
		if !ok {
			t.Errorf("WindowsToIANA(%q): not found", w)
			continue
		}
		back, ok := IANAToWindows(iana)
		if !ok || back != w {
			t.Errorf("IANAToWindows(WindowsToIANA(%q) = %q) = %q, %v; want the same Windows name", w, iana, back, ok)
		}
		loc, err := LoadLocation(w)
		if err != nil {
			t.Errorf("LoadLocation(%q): %v", w, err)
			continue
		}
		if w != "UTC" && loc.String() != iana {
			t.Errorf("LoadLocation(%q) = %s, want %s", w, loc, iana)
		}
		// Lookups of Windows names ignore case, as Windows does.
		if got, ok := WindowsToIANA(strings.ToUpper(w)); !ok || got != iana {
			t.Errorf("WindowsToIANA(%q) = %q, %v", strings.ToUpper(w), got, ok)
		}
	}
}

func TestIANAToWindowsWellKnown(t *testing.T) {
	tests := []struct{ iana, windows string }{
		{"America/Los_Angeles", "Pacific Standard Time"},
		{"US/Pacific", "Pacific Standard Time"},
		{"America/Vancouver", "Pacific Standard Time"},
		{"PST8PDT", "Pacific Standard Time"},
		{"America/New_York", "Eastern Standard Time"},
		{"US/Eastern", "Eastern Standard Time"},
		{"America/Toronto", "Eastern Standard Time"},
		{"America/Chicago", "Central Standard Time"},
		{"America/Denver", "Mountain Standard Time"},
		{"America/Phoenix", "US Mountain Standard Time"},
		{"America/Anchorage", "Alaskan Standard Time"},
		{"Pacific/Honolulu", "Hawaiian Standard Time"},
		{"America/Sao_Paulo", "E. South America Standard Time"},
		{"America/Bogota", "SA Pacific Standard Time"},
		{"America/Panama", "SA Pacific Standard Time"},
		{"America/St_Johns", "Newfoundland Standard Time"},
		{"Europe/London", "GMT Standard Time"},
		{"Europe/Dublin", "GMT Standard Time"},
		{"Europe/Lisbon", "GMT Standard Time"},
		{"Europe/Paris", "Romance Standard Time"},
		{"Europe/Brussels", "Romance Standard Time"},
		{"Europe/Madrid", "Romance Standard Time"},
		{"Europe/Berlin", "W. Europe Standard Time"},
		{"Europe/Rome", "W. Europe Standard Time"},
		{"Europe/Zurich", "W. Europe Standard Time"},
		{"Europe/Warsaw", "Central European Standard Time"},
		{"Europe/Budapest", "Central Europe Standard Time"},
		{"Europe/Moscow", "Russian Standard Time"},
		{"W-SU", "Russian Standard Time"},
		{"Europe/Istanbul", "Turkey Standard Time"},
		{"Asia/Calcutta", "India Standard Time"},
		{"Asia/Kolkata", "India Standard Time"},
		{"Asia/Kathmandu", "Nepal Standard Time"},
		{"Asia/Katmandu", "Nepal Standard Time"},
		{"Asia/Tokyo", "Tokyo Standard Time"},
		{"Japan", "Tokyo Standard Time"},
		{"Asia/Shanghai", "China Standard Time"},
		{"PRC", "China Standard Time"},
		{"Asia/Singapore", "Singapore Standard Time"},
		{"Asia/Dubai", "Arabian Standard Time"},
		{"Asia/Riyadh", "Arab Standard Time"},
		{"Asia/Jerusalem", "Israel Standard Time"},
		{"Africa/Cairo", "Egypt Standard Time"},
		{"Africa/Johannesburg", "South Africa Standard Time"},
		{"Africa/Nairobi", "E. Africa Standard Time"},
		{"Africa/Abidjan", "Greenwich Standard Time"},
		{"Atlantic/Reykjavik", "Greenwich Standard Time"},
		{"Australia/Sydney", "AUS Eastern Standard Time"},
		{"Australia/Brisbane", "E. Australia Standard Time"},
		{"Australia/Adelaide", "Cen. Australia Standard Time"},
		{"Australia/Perth", "W. Australia Standard Time"},
		{"Pacific/Auckland", "New Zealand Standard Time"},
		{"NZ", "New Zealand Standard Time"},
		{"Pacific/Pago_Pago", "UTC-11"},
		{"Pacific/Tarawa", "UTC+12"},
		{"UTC", "UTC"},
		{"Etc/UTC", "UTC"},
		{"Etc/GMT", "UTC"},
		{"Zulu", "UTC"},
		{"Etc/GMT+5", "SA Pacific Standard Time"},
		{"Etc/GMT-3", "E. Africa Standard Time"},
		{"Etc/GMT+12", "Dateline Standard Time"},
		// Territory ties that offset history cannot decide (tzgen's overrides, from CLDR
		// windowsZones).
		{"Asia/Hong_Kong", "China Standard Time"},
		{"Hongkong", "China Standard Time"},
		{"Asia/Macau", "China Standard Time"},
		{"Asia/Taipei", "Taipei Standard Time"},
		{"Asia/Manila", "Singapore Standard Time"},
		{"Asia/Kuala_Lumpur", "Singapore Standard Time"},
		{"Asia/Kuching", "Singapore Standard Time"},
		{"Asia/Brunei", "Singapore Standard Time"},
		{"Asia/Makassar", "Singapore Standard Time"},
		{"Etc/GMT-8", "Singapore Standard Time"},
		{"Asia/Thimphu", "Bangladesh Standard Time"},
		{"Asia/Novokuznetsk", "North Asia Standard Time"},
		{"Indian/Mahe", "Mauritius Standard Time"},
		{"Indian/Reunion", "Mauritius Standard Time"},
		{"Asia/Qatar", "Arab Standard Time"},
		{"Asia/Kuwait", "Arab Standard Time"},
		{"Antarctica/Syowa", "E. Africa Standard Time"},
		{"Europe/Prague", "Central Europe Standard Time"},
		{"Europe/Bratislava", "Central Europe Standard Time"},
		{"Europe/Belgrade", "Central Europe Standard Time"},
		{"Europe/Ljubljana", "Central Europe Standard Time"},
		{"Europe/Tirane", "Central Europe Standard Time"},
		{"Europe/Zagreb", "Central European Standard Time"},
		{"Europe/Sarajevo", "Central European Standard Time"},
		{"Europe/Skopje", "Central European Standard Time"},
		{"Europe/Amsterdam", "W. Europe Standard Time"},
		{"Europe/Luxembourg", "W. Europe Standard Time"},
		{"Europe/Monaco", "W. Europe Standard Time"},
		{"Europe/Stockholm", "W. Europe Standard Time"},
		{"Europe/Copenhagen", "Romance Standard Time"},
		{"Europe/Athens", "GTB Standard Time"},
		{"Europe/Sofia", "FLE Standard Time"},
		{"Europe/Helsinki", "FLE Standard Time"},
		{"America/Costa_Rica", "Central America Standard Time"},
		{"America/El_Salvador", "Central America Standard Time"},
		{"America/Tegucigalpa", "Central America Standard Time"},
		{"America/Belize", "Central America Standard Time"},
		{"America/Guatemala", "Central America Standard Time"},
		{"America/Managua", "Central America Standard Time"},
		{"Pacific/Galapagos", "Central America Standard Time"},
		{"Etc/GMT+6", "Central America Standard Time"},
		{"America/Regina", "Canada Central Standard Time"},
		{"America/Chihuahua", "Central Standard Time (Mexico)"},
		{"America/Indiana/Vincennes", "Eastern Standard Time"},
		{"America/Indiana/Marengo", "US Eastern Standard Time"},
		{"America/Argentina/Mendoza", "Argentina Standard Time"},
		{"America/Argentina/Ushuaia", "Argentina Standard Time"},
		{"America/Danmarkshavn", "UTC"},
	}
	for _, tt := range tests {
		if got, ok := IANAToWindows(tt.iana); !ok || got != tt.windows {
			t.Errorf("IANAToWindows(%q) = %q, %v; want %q", tt.iana, got, ok, tt.windows)
		}
	}
}

func TestZoneLookupMisses(t *testing.T) {
	for _, name := range []string{"", "Mars/Olympus_Mons", "Pacific Daylight Time", "Antarctica/Troll", "Factory"} {
		if got, ok := IANAToWindows(name); ok {
			t.Errorf("IANAToWindows(%q) = %q, want no Windows zone", name, got)
		}
	}
	for _, name := range []string{"", "America/Los_Angeles", "Nowhere Standard Time"} {
		if got, ok := WindowsToIANA(name); ok {
			t.Errorf("WindowsToIANA(%q) = %q, want not a Windows zone", name, got)
		}
	}
}

func TestLoadLocation(t *testing.T) {
	tests := []struct {
		name, want string
	}{
		{"Pacific Standard Time", "America/Los_Angeles"},
		{"pacific standard time", "America/Los_Angeles"},
		{"America/Los_Angeles", "America/Los_Angeles"},
		{"US/Pacific", "US/Pacific"},
		{"Asia/Calcutta", "Asia/Calcutta"},
		{"India Standard Time", "Asia/Calcutta"},
		{"UTC", "UTC"},
		{"Etc/UTC", "Etc/UTC"},
		{"tzone://Microsoft/Utc", "UTC"},
		{"Antarctica/Troll", "Antarctica/Troll"}, // no Windows name, still a zone
	}
	for _, tt := range tests {
		loc, err := LoadLocation(tt.name)
		if err != nil {
			t.Errorf("LoadLocation(%q): %v", tt.name, err)
			continue
		}
		if loc.String() != tt.want {
			t.Errorf("LoadLocation(%q) = %s, want %s", tt.name, loc, tt.want)
		}
	}
}

func TestLoadLocationUnknown(t *testing.T) {
	for _, name := range []string{"", "Local", "Mars/Olympus_Mons", "Pacific Daylight Time", "../etc/passwd"} {
		loc, err := LoadLocation(name)
		if err == nil {
			t.Errorf("LoadLocation(%q) = %v, want an error", name, loc)
			continue
		}
		if !errors.Is(err, ErrUnknownTimeZone) {
			t.Errorf("LoadLocation(%q): %v does not match ErrUnknownTimeZone", name, err)
		}
		if name != "" && !strings.Contains(err.Error(), name) {
			t.Errorf("LoadLocation(%q): error %q does not name the zone", name, err)
		}
	}
}

func TestDateTimeTimeZoneTime(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	kolkata, _ := time.LoadLocation("Asia/Calcutta")
	tests := []struct {
		in   DateTimeTimeZone
		want time.Time
	}{
		{DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "Pacific Standard Time"}, time.Date(2019, 3, 15, 12, 0, 0, 0, la)},
		{DateTimeTimeZone{"2019-03-15T12:00:00", "Pacific Standard Time"}, time.Date(2019, 3, 15, 12, 0, 0, 0, la)},
		{DateTimeTimeZone{"2019-03-15T12:00:00.1234567", "America/Los_Angeles"}, time.Date(2019, 3, 15, 12, 0, 0, 123456700, la)},
		{DateTimeTimeZone{"2019-01-15T12:00:00.0000000", "India Standard Time"}, time.Date(2019, 1, 15, 12, 0, 0, 0, kolkata)},
		{DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "UTC"}, time.Date(2019, 3, 15, 12, 0, 0, 0, time.UTC)},
		{DateTimeTimeZone{"2019-03-15T12:00:00Z", "UTC"}, time.Date(2019, 3, 15, 12, 0, 0, 0, time.UTC)},
		{DateTimeTimeZone{"2019-03-15T12:00:00-07:00", "Pacific Standard Time"}, time.Date(2019, 3, 15, 12, 0, 0, 0, la)},
		{DateTimeTimeZone{}, time.Time{}},
	}
	for _, tt := range tests {
		got, err := tt.in.Time()
		if err != nil {
			t.Errorf("%+v.Time(): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("%+v.Time() = %v, want %v", tt.in, got, tt.want)
		}
		if !tt.want.IsZero() {
			_, gotOff := got.Zone()
			_, wantOff := tt.want.Zone()
			if gotOff != wantOff {
				t.Errorf("%+v.Time() is in offset %d, want %d (the named zone)", tt.in, gotOff, wantOff)
			}
		}
	}
}

func TestDateTimeTimeZoneErrors(t *testing.T) {
	tests := []struct {
		in      DateTimeTimeZone
		mention string
	}{
		{DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "Nowhere Standard Time"}, "Nowhere Standard Time"},
		{DateTimeTimeZone{"2019-03-15T12:00:00.0000000", ""}, "no timeZone"},
		{DateTimeTimeZone{"15/03/2019 12:00", "UTC"}, "15/03/2019"},
		{DateTimeTimeZone{"", "UTC"}, "dateTime"},
	}
	for _, tt := range tests {
		got, err := tt.in.Time()
		if err == nil {
			t.Errorf("%+v.Time() = %v, want an error (never a silent fallback)", tt.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.mention) {
			t.Errorf("%+v.Time(): error %q does not mention %q", tt.in, err, tt.mention)
		}
	}
}

func TestNewDateTimeTimeZone(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	pacific, _ := time.LoadLocation("US/Pacific")
	troll, err := time.LoadLocation("Antarctica/Troll")
	if err != nil {
		t.Skip("no tz database")
	}
	tests := []struct {
		in   time.Time
		want DateTimeTimeZone
	}{
		{time.Date(2019, 3, 15, 12, 0, 0, 0, la), DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "Pacific Standard Time"}},
		{time.Date(2019, 3, 15, 12, 0, 0, 123456789, pacific), DateTimeTimeZone{"2019-03-15T12:00:00.1234567", "Pacific Standard Time"}},
		{time.Date(2019, 3, 15, 12, 0, 0, 0, time.UTC), DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "UTC"}},
		{time.Date(2019, 3, 15, 12, 0, 0, 0, troll), DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "Antarctica/Troll"}},
		// A fixed zone has no name Graph knows: the same instant, in UTC.
		{time.Date(2019, 3, 15, 12, 0, 0, 0, time.FixedZone("X", 2*3600)), DateTimeTimeZone{"2019-03-15T10:00:00.0000000", "UTC"}},
	}
	for _, tt := range tests {
		got := NewDateTimeTimeZone(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("NewDateTimeTimeZone(%v) (-want +got):\n%s", tt.in, diff)
		}
		back, err := got.Time()
		if err != nil || !back.Equal(tt.in.Truncate(100*time.Nanosecond)) {
			t.Errorf("NewDateTimeTimeZone(%v).Time() = %v, %v; want the same instant", tt.in, back, err)
		}
	}
}

func TestNewDateTimeTimeZoneIn(t *testing.T) {
	at := time.Date(2019, 3, 15, 19, 0, 0, 0, time.UTC)
	got, err := NewDateTimeTimeZoneIn(at, "Pacific Standard Time")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "Pacific Standard Time"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := NewDateTimeTimeZoneIn(at, "Atlantis Standard Time"); !errors.Is(err, ErrUnknownTimeZone) {
		t.Errorf("unknown zone: err = %v", err)
	}
	in, err := got.In(time.UTC)
	if err != nil || !in.Equal(at) || in.Location() != time.UTC {
		t.Errorf("In(UTC) = %v, %v", in, err)
	}
}

// TestZoneTableComplete checks the generated table against the toolchain's tz database:
// every zone and link in it is either mapped or listed as unmapped, and every mapping joins
// zones with the same offsets from the tzdata release year to 2040.
func TestZoneTableComplete(t *testing.T) {
	root := sameTZData(t)
	zr, err := zip.OpenReader(filepath.Join(root, "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no zoneinfo.zip: %v", err)
	}
	defer zr.Close()
	zones := map[string]*time.Location{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		loc, err := time.LoadLocationFromTZData(f.Name, data)
		if err != nil {
			t.Fatal(err)
		}
		zones[f.Name] = loc
	}
	unmapped := map[string]bool{}
	for _, z := range tzmap.UnmappedZones() {
		unmapped[z] = true
	}
	if len(unmapped) > 10 {
		t.Errorf("%d zones unmapped; expected a handful", len(unmapped))
	}
	year, err := strconv.Atoi(tzmap.Release[:4])
	if err != nil {
		t.Fatalf("tzmap.Release %q", tzmap.Release)
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, loc := range zones {
		win, ok := IANAToWindows(name)
		if ok == unmapped[name] {
			t.Errorf("zone %q: mapped=%v and unmapped=%v", name, ok, unmapped[name])
			continue
		}
		if !ok {
			continue
		}
		primary := zones[mustWindowsToIANA(t, win)]
		// Both offsets are constant between the zones' transitions: comparing them at every
		// transition of either zone compares them everywhere.
		for _, at := range append(transitions(loc, from, to), transitions(primary, from, to)...) {
			_, a := at.In(loc).Zone()
			_, b := at.In(primary).Zone()
			if a != b {
				t.Errorf("zone %q → %q (%s): offsets differ at %v: %d vs %d", name, win, primary, at, a, b)
				break
			}
		}
	}
	if n, m := len(tzmap.IANAZones()), len(tzmap.UnmappedZones()); n+m != len(zones) {
		t.Errorf("table has %d+%d zones, tz database %d", n, m, len(zones))
	}
}

// transitions returns from and the instants in (from, to) where loc's offset may change.
func transitions(loc *time.Location, from, to time.Time) []time.Time {
	ts := []time.Time{from}
	_, last := from.In(loc).Zone()
	for t := from; t.Before(to); {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || !end.After(t) {
			end = t.Add(24 * time.Hour) // no bound known (rule-based tail of slim data): step a day
		}
		if _, off := end.In(loc).Zone(); off != last && end.Before(to) {
			ts = append(ts, end)
			last = off
		}
		t = end
	}
	return ts
}

func mustWindowsToIANA(t *testing.T, w string) string {
	t.Helper()
	z, ok := WindowsToIANA(w)
	if !ok {
		t.Fatalf("Windows zone %q has no IANA zone", w)
	}
	return z
}

// TestZonesGenUpToDate regenerates the table and compares: zones_gen.go must be what
// `go generate` writes from this toolchain.
func TestZonesGenUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	sameTZData(t)
	out := filepath.Join(t.TempDir(), "zones_gen.go")
	const gen = "../internal/tzmap/zones_gen.go" // where go generate ./graph writes it
	cmd := exec.Command("go", "run", "./internal/tzgen", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tzgen: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Errorf("zones_gen.go is stale for this toolchain's tz data: run go generate ./graph (diff:\n%s)", cmp.Diff(string(want), string(have)))
	}
}

// TestZones checks the cache: it gives the same results as the package functions, returns
// one location per zone, and keeps nothing for failures or odd spellings.
func TestZones(t *testing.T) {
	t.Parallel()
	var z Zones
	names := []string{"Pacific Standard Time", "pacific standard time", "America/Los_Angeles", "america/los_angeles", "US/Pacific", "UTC", "tzone://Microsoft/Utc", "Etc/GMT+5", "Antarctica/Troll"}
	for _, name := range names {
		want, err := LoadLocation(name)
		if err != nil {
			t.Fatalf("LoadLocation(%q): %v", name, err)
		}
		for range 2 {
			got, err := z.LoadLocation(name)
			if err != nil || got.String() != want.String() {
				t.Errorf("Zones.LoadLocation(%q) = %v, %v; want %v", name, got, err, want)
			}
		}
	}
	a, _ := z.LoadLocation("Pacific Standard Time")
	b, _ := z.LoadLocation("America/Los_Angeles")
	if a != b {
		t.Error("a Windows name and its IANA zone gave two locations")
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus_Mons", "Pacific Standard Tim"} {
		if _, err := z.LoadLocation(bad); !errors.Is(err, ErrUnknownTimeZone) {
			t.Errorf("Zones.LoadLocation(%q) = %v, want ErrUnknownTimeZone", bad, err)
		}
	}
	var keys []string
	z.m.Range(func(k, _ any) bool { keys = append(keys, k.(string)); return true })
	slices.Sort(keys)
	want := []string{"America/Los_Angeles", "Antarctica/Troll", "Etc/GMT+5", "Pacific Standard Time", "US/Pacific"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("cached names (-want +got):\n%s", diff)
	}

	// Zones.Time agrees with DateTimeTimeZone.Time, nil Zones included.
	for _, d := range []DateTimeTimeZone{
		{"2019-03-15T12:00:00.0000000", "Pacific Standard Time"},
		{"2019-03-10T02:30:00", "America/Los_Angeles"},
		{"2019-03-15T12:00:00Z", "Tokyo Standard Time"},
		{},
		{"2019-03-15T12:00:00", ""},
		{"yesterday", "UTC"},
		{"2019-03-15T12:00:00", "Nowhere Standard Time"},
	} {
		want, wantErr := d.Time()
		for _, zs := range []*Zones{&z, nil} {
			got, err := zs.Time(d)
			if !got.Equal(want) || got.Location().String() != want.Location().String() || (err == nil) != (wantErr == nil) {
				t.Errorf("Zones(%p).Time(%+v) = %v, %v; want %v, %v", zs, d, got, err, want, wantErr)
			}
		}
	}

	c, err := NewClient(nil)
	if err != nil {
		t.Fatal(err)
	}
	if z1, z2 := c.Zones(), c.Zones(); z1 != z2 {
		t.Error("Client.Zones is not one cache")
	}
	d := DateTimeTimeZone{"2019-03-15T12:00:00", "Pacific Standard Time"}
	if got, err := c.Zones().Time(d); err != nil || got.Location().String() != "America/Los_Angeles" {
		t.Errorf("Client.Zones().Time = %v, %v", got, err)
	}
}

func TestZonesConcurrent(t *testing.T) {
	t.Parallel()
	var z Zones
	d := DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "W. Europe Standard Time"}
	want, err := d.Time()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got, err := z.Time(d); err != nil || !got.Equal(want) {
					t.Errorf("Zones.Time = %v, %v", got, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkDateTimeTimeZone compares the uncached conversion with a Zones cache:
//
//	go test -run '^$' -bench DateTimeTimeZone -benchmem ./graph/
func BenchmarkDateTimeTimeZone(b *testing.B) {
	windows := DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "Pacific Standard Time"}
	iana := DateTimeTimeZone{"2019-03-15T12:00:00.0000000", "Europe/Paris"}
	b.Run("Time", func(b *testing.B) {
		for b.Loop() {
			if _, err := windows.Time(); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, d := range []DateTimeTimeZone{windows, iana} {
		b.Run("Zones.Time/"+d.TimeZone, func(b *testing.B) {
			var z Zones
			for b.Loop() {
				if _, err := z.Time(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("Zones.Time/parallel", func(b *testing.B) {
		var z Zones
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := z.Time(windows); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
