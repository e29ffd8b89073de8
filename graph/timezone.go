package graph

//go:generate go run ./internal/tzgen -o zones_gen.go

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Graph names time zones two ways: Windows names ("Pacific Standard Time"), which Outlook
// uses by default, and IANA names ("America/Los_Angeles"), which it accepts too. The
// conversion tables live in zones_gen.go, derived by internal/tzgen from the Go toolchain's
// own CLDR and tzdata files; see that program for how every zone gets its Windows name.
// The zone rules come from time.LoadLocation; see LoadLocation about time/tzdata.

// ErrUnknownTimeZone is matched (errors.Is) by the errors of LoadLocation and
// DateTimeTimeZone.Time for a zone name that is neither a Windows nor an IANA zone.
var ErrUnknownTimeZone = errors.New("graph: unknown time zone")

// zonePair is one row of the generated tables.
type zonePair struct{ key, value string }

// graphUTC is what Outlook writes for UTC in some event properties (originalStartTimeZone).
const graphUTC = "tzone://Microsoft/Utc"

// GraphDateTimeLayout is the layout of DateTimeTimeZone.DateTime: local wall time with seven
// fractional digits and no offset, e.g. "2019-03-15T12:00:00.0000000".
const GraphDateTimeLayout = "2006-01-02T15:04:05.0000000"

// WindowsToIANA returns the IANA zone for a Windows time-zone name, e.g. "Pacific Standard
// Time" → "America/Los_Angeles" (CLDR's primary zone for it). Windows names match without
// regard to case, as Windows does. ok is false for a name that is not a Windows zone.
func WindowsToIANA(name string) (iana string, ok bool) {
	if p, ok := lookup(windowsZones[:], name); ok {
		return p.value, true
	}
	return "", false
}

// IANAToWindows returns the Windows name for an IANA zone, link or alias, e.g.
// "America/Vancouver", "US/Pacific" → "Pacific Standard Time"; "Asia/Calcutta",
// "Asia/Kolkata" → "India Standard Time"; "UTC", "Etc/GMT" → "UTC". The Windows zone has the
// same rules as the IANA zone today and for the future the tz database knows of (history may
// differ). ok is false for names with no Windows equivalent (e.g. "Antarctica/Troll") and for
// names that are not IANA zones. Names match exactly first, then without regard to case.
func IANAToWindows(name string) (windows string, ok bool) {
	if p, ok := lookup(ianaZones[:], name); ok {
		return p.value, true
	}
	return "", false
}

// WindowsZones returns every Windows time-zone name this package knows, sorted.
func WindowsZones() []string {
	names := make([]string, len(windowsZones))
	for i, p := range windowsZones {
		names[i] = p.key
	}
	return names
}

// lookup finds name in a table sorted by key: exactly, else case-insensitively.
func lookup(table []zonePair, name string) (zonePair, bool) {
	if i, ok := slices.BinarySearchFunc(table, name, func(p zonePair, n string) int { return strings.Compare(p.key, n) }); ok {
		return table[i], true
	}
	for _, p := range table {
		if strings.EqualFold(p.key, name) {
			return p, true
		}
	}
	return zonePair{}, false
}

// LoadLocation returns the location for a Windows or IANA zone name: "Pacific Standard Time",
// "America/Los_Angeles", "US/Pacific", "UTC", "Etc/GMT+5", and Outlook's
// "tzone://Microsoft/Utc". It never substitutes another zone: an unknown name, an empty
// name and "Local" (which would mean this machine's zone, not the mailbox's) give an error
// that names the zone and matches ErrUnknownTimeZone.
//
// The zone rules come from time.LoadLocation: the system's tz database, else the Go
// installation's. The library does not embed tzdata (450 KB that most programs do not
// need); a program that may run where neither exists (Windows without Go installed, minimal
// containers) should import _ "time/tzdata" in its main package, as the o365 command does.
//
// LoadLocation reads the zone's data on every call (some 15 µs); code that converts many
// values should load through a Zones, such as Client.Zones, which keeps what it loaded.
func LoadLocation(name string) (*time.Location, error) {
	return (*Zones)(nil).LoadLocation(name)
}

// Zones loads time-zone locations by Windows or IANA name, as LoadLocation does, and keeps
// each one it loaded, so that converting the start and end of every event in a calendar view
// reads each zone's data once. The package keeps no such state of its own (LoadLocation and
// DateTimeTimeZone.Time do not cache): a Zones belongs to whoever converts, usually the
// Client (Client.Zones), whose area handles share it.
//
// The zero value is ready to use and a Zones is safe for concurrent use; do not copy one
// after first use. A nil *Zones is valid and caches nothing. What it holds is bounded by the
// tz database: locations are kept under their IANA names (and exact Windows names), never
// under arbitrary spellings, and failures are not kept.
type Zones struct {
	m sync.Map // IANA name, or exact Windows name, -> *time.Location
}

// LoadLocation returns the location for a Windows or IANA zone name, as the package-level
// LoadLocation does, from the cache when it can.
func (z *Zones) LoadLocation(name string) (*time.Location, error) {
	if z != nil {
		if v, ok := z.m.Load(name); ok {
			return v.(*time.Location), nil
		}
	}
	iana, windows, loc, err := resolveZone(name)
	if loc != nil || err != nil {
		return loc, err
	}
	if z != nil && iana != name {
		if v, ok := z.m.Load(iana); ok {
			loc = v.(*time.Location)
			if windows {
				z.m.Store(name, loc)
			}
			return loc, nil
		}
	}
	loc, err = time.LoadLocation(iana)
	if err != nil {
		if iana != name {
			return nil, fmt.Errorf("%w %q (IANA %q): %v; import _ \"time/tzdata\" in the program if this system has no tz database", ErrUnknownTimeZone, name, iana, err)
		}
		return nil, fmt.Errorf("%w %q (neither a Windows zone name nor an IANA zone in this system's tz database)", ErrUnknownTimeZone, name)
	}
	if z != nil {
		v, _ := z.m.LoadOrStore(iana, loc)
		loc = v.(*time.Location)
		if windows {
			z.m.Store(name, loc)
		}
	}
	return loc, nil
}

// Time returns the instant d names, as d.Time does, loading d's zone through z.
func (z *Zones) Time(d DateTimeTimeZone) (time.Time, error) {
	if d.IsZero() {
		return time.Time{}, nil
	}
	if d.TimeZone == "" {
		return time.Time{}, fmt.Errorf("%w: dateTime %q has no timeZone", ErrUnknownTimeZone, d.DateTime)
	}
	loc, err := z.LoadLocation(d.TimeZone)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", d.DateTime, loc)
	if err != nil {
		// Graph writes no offset, but an explicit one is unambiguous.
		t2, err2 := time.Parse(time.RFC3339Nano, d.DateTime)
		if err2 != nil {
			return time.Time{}, fmt.Errorf("graph: dateTime %q: want the form 2006-01-02T15:04:05.0000000: %w", d.DateTime, err)
		}
		t = t2.In(loc)
	}
	return t, nil
}

// resolveZone turns a zone name into what time.LoadLocation takes: the IANA name (windows
// reports that name is a Windows name exactly as the table spells it), or the location
// itself for UTC, or an error for names that must not load.
func resolveZone(name string) (iana string, windows bool, loc *time.Location, err error) {
	switch {
	case name == "":
		return "", false, nil, fmt.Errorf("%w: empty time-zone name", ErrUnknownTimeZone)
	case name == "UTC" || strings.EqualFold(name, graphUTC):
		return "", false, time.UTC, nil
	case strings.EqualFold(name, "Local"):
		return "", false, nil, fmt.Errorf("%w %q: name the zone (Windows or IANA), not the machine's local time", ErrUnknownTimeZone, name)
	}
	if p, ok := lookup(windowsZones[:], name); ok {
		return p.value, p.key == name, nil, nil
	}
	if p, ok := lookup(ianaZones[:], name); ok {
		return p.key, false, nil, nil // canonical spelling of a case-insensitive match
	}
	return name, false, nil, nil
}

// DateTimeTimeZone is Graph's dateTimeTimeZone: a wall-clock time and the zone it is in.
// Event start and end times, reminders and due dates use it. DateTime is local to TimeZone,
// written like "2019-03-15T12:00:00.0000000"; TimeZone is a Windows or IANA name.
//
// Build one with NewDateTimeTimeZone or NewDateTimeTimeZoneIn; read one with Time or In.
type DateTimeTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

// NewDateTimeTimeZone expresses t in its own location, named the Windows way when the zone
// has a Windows name ("Pacific Standard Time" for America/Los_Angeles) and by its IANA name
// otherwise. Locations with no usable name (time.Local, time.FixedZone) cannot be named to
// Graph; t is then written in UTC with TimeZone "UTC": the same instant, without the zone's
// daylight-saving rules. Use NewDateTimeTimeZoneIn to choose the zone.
func NewDateTimeTimeZone(t time.Time) DateTimeTimeZone {
	loc := t.Location()
	name := loc.String()
	if loc == time.UTC || name == "UTC" {
		return DateTimeTimeZone{DateTime: t.Format(GraphDateTimeLayout), TimeZone: "UTC"}
	}
	if w, ok := IANAToWindows(name); ok {
		return DateTimeTimeZone{DateTime: t.Format(GraphDateTimeLayout), TimeZone: w}
	}
	if name != "Local" && strings.Contains(name, "/") {
		if l, err := time.LoadLocation(name); err == nil && sameZone(l, loc, t) {
			return DateTimeTimeZone{DateTime: t.Format(GraphDateTimeLayout), TimeZone: name}
		}
	}
	return DateTimeTimeZone{DateTime: t.UTC().Format(GraphDateTimeLayout), TimeZone: "UTC"}
}

// sameZone reports whether a and b give t the same offset, a cheap guard against a custom
// location that borrowed a real zone's name.
func sameZone(a, b *time.Location, t time.Time) bool {
	_, oa := t.In(a).Zone()
	_, ob := t.In(b).Zone()
	return oa == ob
}

// NewDateTimeTimeZoneIn expresses the instant t in zone (a Windows or IANA name), keeping
// the name as given, e.g. NewDateTimeTimeZoneIn(t, "Pacific Standard Time").
func NewDateTimeTimeZoneIn(t time.Time, zone string) (DateTimeTimeZone, error) {
	loc, err := LoadLocation(zone)
	if err != nil {
		return DateTimeTimeZone{}, err
	}
	return DateTimeTimeZone{DateTime: t.In(loc).Format(GraphDateTimeLayout), TimeZone: zone}, nil
}

// IsZero reports whether d is empty (an absent value in a model).
func (d DateTimeTimeZone) IsZero() bool { return d.DateTime == "" && d.TimeZone == "" }

// Time returns the instant d names, in d's zone. DateTime may have any number of fractional
// digits; an explicit offset or "Z" is accepted too and then gives the instant. A zero d
// gives the zero time and no error; a missing or unknown zone is an error naming it (never a
// silent UTC). A wall time that a daylight-saving change skips or repeats resolves as
// time.Date does.
//
// Time loads the zone afresh on each call (see LoadLocation); to convert many values, use
// Zones.Time, e.g. client.Zones().Time(d), which takes well under a microsecond once the
// zone is loaded.
func (d DateTimeTimeZone) Time() (time.Time, error) {
	return (*Zones)(nil).Time(d)
}

// In returns the instant d names in loc, e.g. an event's start in the user's own zone.
func (d DateTimeTimeZone) In(loc *time.Location) (time.Time, error) {
	t, err := d.Time()
	if err != nil || t.IsZero() {
		return t, err
	}
	return t.In(loc), nil
}
