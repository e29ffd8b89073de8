// Command tzgen writes internal/tzmap/zones_gen.go: the table between Windows time-zone names
// and IANA zone names behind package tzmap, which graph.WindowsToIANA, graph.IANAToWindows,
// graph.LoadLocation and the emulator use.
//
// It reads only data that ships with the Go toolchain, so it runs offline and its output is a
// pure function of the toolchain's files:
//
//   - $GOROOT/src/time/zoneinfo_abbrs_windows.go, which Go generates from CLDR's windowsZones.xml:
//     one entry per Windows zone, with CLDR's primary ("001" territory) IANA zone in a comment.
//     This gives every Windows name and its IANA zone.
//   - $GOROOT/lib/time/zoneinfo.zip (built with backzone, so every historical IANA zone and
//     every link such as "US/Pacific" or "Asia/Calcutta" is a file of its own) and the tzdata
//     release named in $GOROOT/lib/time/update.bash.
//
// CLDR also maps every other IANA zone to a Windows zone, by territory; Go does not ship that
// part, so tzgen derives it. An IANA zone maps to the Windows zone whose primary IANA zone has
// the same UTC offset at every instant from 1 January of the tzdata release year to the end of
// 2060: the current and announced rules, which is what a Windows zone stands for. When several
// Windows zones qualify (Amsterdam has the same current rules as Berlin, Paris, Warsaw and
// Budapest), the one whose primary zone has agreed with it for the longest unbroken time wins,
// then the one that agreed for the most time since 1900, then the first name (such ties are
// listed in the output). A link (identical data) therefore always follows its target.
// Windows' "UTC" zone is kept for zones that have always been UTC+0 (Etc/GMT, Zulu, ...), so
// regions on GMT map to "Greenwich Standard Time" as in CLDR.
//
// Offset history cannot see territories: where several Windows zones have had the same rules
// for as long as the IANA zone has (Hong Kong, Taipei and Shanghai have not differed since
// 1991), it would pick a Windows zone of another country. The overrides table fixes those ties
// with CLDR windowsZones' own territory choice (Asia/Hong_Kong: "China Standard Time",
// Europe/Prague: "Central Europe Standard Time"). tzgen checks that every override names a
// known Windows zone and agrees with the IANA zone's current rules, so an override can only
// change a name, never a time.
//
// Zones whose current rules match no Windows zone (Antarctica/Troll) and "Factory" (tz's
// "local time unknown") are listed as unmapped; graph uses their IANA names as they are.
//
// Usage (from graph/, through go generate):
//
//	go run ./internal/tzgen -o ../internal/tzmap/zones_gen.go
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "../internal/tzmap/zones_gen.go", "output file")
	goroot := flag.String("goroot", "", "Go root to read data from (default: go env GOROOT)")
	verbose := flag.Bool("v", false, "print how each non-primary zone was decided")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("tzgen: ")

	root := *goroot
	if root == "" {
		b, err := exec.Command("go", "env", "GOROOT").Output()
		if err != nil {
			log.Fatalf("go env GOROOT: %v", err)
		}
		root = strings.TrimSpace(string(b))
	}
	t, err := build(root, *verbose)
	if err != nil {
		log.Fatal(err)
	}
	src, err := render(t)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// table is the generator's result.
type table struct {
	release   string            // tzdata release, e.g. "2025c"
	windows   map[string]string // Windows name -> primary IANA zone
	iana      map[string]string // IANA zone -> Windows name
	unmapped  []string          // IANA zones with no Windows equivalent
	ties      []string          // zones that fit several Windows zones equally well
	zoneCount int               // IANA zones read
}

var (
	abbrLine   = regexp.MustCompile(`^\s*"([^"]+)":\s*\{[^}]*\},\s*//\s*(\S+)\s*$`)
	dataLine   = regexp.MustCompile(`^DATA=(\d{4})[a-z]+\s*$`)
	windowSpan = time.Date(2061, 1, 1, 0, 0, 0, 0, time.UTC)
	farPast    = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	histStart  = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
)

func build(root string, verbose bool) (*table, error) {
	windows, err := readWindowsNames(filepath.Join(root, "src", "time", "zoneinfo_abbrs_windows.go"))
	if err != nil {
		return nil, err
	}
	release, year, err := readRelease(filepath.Join(root, "lib", "time", "update.bash"))
	if err != nil {
		return nil, err
	}
	zones, err := readZones(filepath.Join(root, "lib", "time", "zoneinfo.zip"))
	if err != nil {
		return nil, err
	}
	since := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)

	primaryOf := map[string]string{}
	for win, iana := range windows {
		primaryOf[iana] = win
	}
	for name := range overrides {
		if _, ok := zones[name]; !ok {
			return nil, fmt.Errorf("override %s: not a zone in zoneinfo.zip", name)
		}
		if win, ok := primaryOf[name]; ok {
			return nil, fmt.Errorf("override %s: already the primary zone of %q", name, win)
		}
	}
	t := &table{release: release, windows: windows, iana: map[string]string{}, zoneCount: len(zones)}
	type primary struct {
		win  string
		segs []segment
	}
	var primaries []primary
	for win, iana := range windows {
		z, ok := zones[iana]
		if !ok {
			return nil, fmt.Errorf("primary IANA zone %q of Windows zone %q is not in zoneinfo.zip", iana, win)
		}
		if prev, dup := t.iana[iana]; dup {
			return nil, fmt.Errorf("zone %q is primary for both %q and %q", iana, prev, win)
		}
		t.iana[iana] = win
		primaries = append(primaries, primary{win, z})
	}
	slices.SortFunc(primaries, func(a, b primary) int { return strings.Compare(a.win, b.win) })

	names := make([]string, 0, len(zones))
	for name := range zones {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if _, ok := t.iana[name]; ok {
			continue
		}
		if name == "Factory" {
			// "-00": tz's marker for "local time unknown", not a place on UTC.
			t.unmapped = append(t.unmapped, name)
			continue
		}
		segs := zones[name]
		if win, ok := overrides[name]; ok {
			p, ok := windows[win]
			if !ok {
				return nil, fmt.Errorf("override %s: %q is not a Windows zone", name, win)
			}
			if from := agreeSince(segs, zones[p]); from.After(since) {
				return nil, fmt.Errorf("override %s: %q (%s) has other rules since %s", name, win, p, from.Format(time.DateOnly))
			}
			if verbose {
				log.Printf("%-32s %-36s CLDR territory override", name, win)
			}
			t.iana[name] = win
			continue
		}
		var best candidate
		var ties []string
		for _, p := range primaries {
			from := agreeSince(segs, p.segs)
			if from.After(since) {
				continue
			}
			// Windows' "UTC" is Coordinated Universal Time, not a region's civil time: only
			// zones that have always been UTC+0 (Etc/GMT, Zulu, ...) are it. Regions on GMT
			// (Africa/Abidjan) are "Greenwich Standard Time", as in CLDR.
			if p.win == "UTC" && !from.Equal(farPast) {
				continue
			}
			c := candidate{p.win, from, agreeTotal(segs, p.segs)}
			switch cmp := c.compare(best); {
			case best.win == "" || cmp < 0:
				best, ties = c, nil
			case cmp == 0:
				// Primaries are visited in name order: the first stays.
				ties = append(ties, c.win)
			}
		}
		if best.win == "" {
			t.unmapped = append(t.unmapped, name)
			if verbose {
				log.Printf("%-32s unmapped", name)
			}
			continue
		}
		if len(ties) > 0 {
			// Same history to the second (a station founded on today's offset): the first
			// name wins, and the output lists the tie so a reader can see it.
			t.ties = append(t.ties, fmt.Sprintf("%s: %s (also %s)", name, best.win, strings.Join(ties, ", ")))
		}
		if verbose {
			log.Printf("%-32s %-36s agrees since %s, %.0f%% since 1900", name, best.win, best.since.Format("2006-01-02"), 100*best.total.Hours()/windowSpan.Sub(histStart).Hours())
		}
		t.iana[name] = best.win
	}
	// A link to an overridden zone (identical data) must be overridden too, or a future
	// tzdata that adds one would quietly give it the history-based name.
	for name, win := range overrides {
		for other, segs := range zones {
			if _, ok := overrides[other]; !ok && t.iana[other] != win && sameSegments(segs, zones[name]) {
				return nil, fmt.Errorf("zone %s has the data of %s but not its override %q: add it to overrides", other, name, win)
			}
		}
	}
	return t, nil
}

// sameSegments reports whether two zones have the same offsets from the same instants.
func sameSegments(a, b []segment) bool {
	return slices.EqualFunc(a, b, func(x, y segment) bool { return x.offset == y.offset && x.start.Equal(y.start) })
}

// overrides are territory ties that offset history cannot decide; values from CLDR
// windowsZones (common/supplemental/windowsZones.xml), which assigns every IANA zone the
// Windows zone of its territory. Most keys had the same offsets as another Windows zone's
// primary for as long as or longer than the CLDR one, so history picked a zone of another
// country (often another continent); a few (America/Managua, the Gulf states) came out right
// by history or name order and are listed so that each territory group is stated whole. Links (Hongkong, Asia/Macao, EET) are listed with their
// targets because every link is a zone of its own in zoneinfo.zip. build rejects an override
// whose Windows zone differs from the IANA zone's current rules.
var overrides = map[string]string{
	// China: Hong Kong and Macau are CN-region in Windows, not Taiwan.
	"Asia/Hong_Kong": "China Standard Time",
	"Hongkong":       "China Standard Time",
	"Asia/Macau":     "China Standard Time",
	"Asia/Macao":     "China Standard Time",

	// UTC+8 elsewhere in South-East Asia: CLDR puts BN, MY (Borneo), PH and ID (Makassar)
	// with Singapore, and the territory-less Etc/GMT-8 too.
	"Asia/Brunei":        "Singapore Standard Time",
	"Asia/Kuching":       "Singapore Standard Time",
	"Asia/Manila":        "Singapore Standard Time",
	"Asia/Makassar":      "Singapore Standard Time",
	"Asia/Ujung_Pandang": "Singapore Standard Time",
	"Etc/GMT-8":          "Singapore Standard Time",

	// Bhutan shares Bangladesh's zone; Novokuznetsk is in Krasnoyarsk's Windows zone.
	"Asia/Thimphu":      "Bangladesh Standard Time",
	"Asia/Thimbu":       "Bangladesh Standard Time",
	"Asia/Novokuznetsk": "North Asia Standard Time",

	// Indian Ocean: Seychelles and Réunion are with Mauritius, not the Gulf.
	"Indian/Mahe":    "Mauritius Standard Time",
	"Indian/Reunion": "Mauritius Standard Time",

	// Arabian peninsula (ties between Riyadh and Nairobi), and Syowa station, which CLDR
	// gives East Africa's zone.
	"Asia/Aden":        "Arab Standard Time",
	"Asia/Bahrain":     "Arab Standard Time",
	"Asia/Kuwait":      "Arab Standard Time",
	"Asia/Qatar":       "Arab Standard Time",
	"Antarctica/Syowa": "E. Africa Standard Time",

	// Central Europe: the four UTC+1 Windows zones split by country, not by history.
	"Europe/Amsterdam":  "W. Europe Standard Time",
	"Europe/Andorra":    "W. Europe Standard Time",
	"Europe/Gibraltar":  "W. Europe Standard Time",
	"Europe/Luxembourg": "W. Europe Standard Time",
	"Europe/Monaco":     "W. Europe Standard Time",
	"Europe/Copenhagen": "Romance Standard Time",
	"Europe/Prague":     "Central Europe Standard Time",
	"Europe/Bratislava": "Central Europe Standard Time",
	"Europe/Belgrade":   "Central Europe Standard Time",
	"Europe/Ljubljana":  "Central Europe Standard Time",
	"Europe/Podgorica":  "Central Europe Standard Time",
	"Europe/Tirane":     "Central Europe Standard Time",
	"Europe/Sarajevo":   "Central European Standard Time",
	"Europe/Skopje":     "Central European Standard Time",
	"Europe/Zagreb":     "Central European Standard Time",

	// Eastern Europe: Greece is with Romania (GTB), Bulgaria with Finland and the Baltics
	// (FLE). EET has been a link to Europe/Athens since tzdata 2024b.
	"Europe/Athens": "GTB Standard Time",
	"EET":           "GTB Standard Time",
	"Europe/Sofia":  "FLE Standard Time",

	// Central America (UTC-6 without DST) is its own Windows zone, not Saskatchewan's.
	"America/Belize":      "Central America Standard Time",
	"America/Costa_Rica":  "Central America Standard Time",
	"America/El_Salvador": "Central America Standard Time",
	"America/Managua":     "Central America Standard Time",
	"America/Tegucigalpa": "Central America Standard Time",
	"Pacific/Galapagos":   "Central America Standard Time",
	"Etc/GMT+6":           "Central America Standard Time",

	// Chihuahua left Mountain time in 2022 for Mexico's central time.
	"America/Chihuahua": "Central Standard Time (Mexico)",

	// Indiana counties that spent 2006-2007 on Central time are Eastern, not "US Eastern"
	// (which CLDR keeps for the counties that, like Indianapolis, never observed DST before 2006).
	"America/Indiana/Petersburg": "Eastern Standard Time",
	"America/Indiana/Vincennes":  "Eastern Standard Time",
	"America/Indiana/Winamac":    "Eastern Standard Time",

	// Argentina's provinces are "Argentina Standard Time", whatever their DST history.
	"America/Argentina/Catamarca":      "Argentina Standard Time",
	"America/Argentina/ComodRivadavia": "Argentina Standard Time",
	"America/Argentina/Jujuy":          "Argentina Standard Time",
	"America/Argentina/La_Rioja":       "Argentina Standard Time",
	"America/Argentina/Mendoza":        "Argentina Standard Time",
	"America/Argentina/Rio_Gallegos":   "Argentina Standard Time",
	"America/Argentina/Salta":          "Argentina Standard Time",
	"America/Argentina/San_Juan":       "Argentina Standard Time",
	"America/Argentina/Ushuaia":        "Argentina Standard Time",
	"America/Catamarca":                "Argentina Standard Time",
	"America/Jujuy":                    "Argentina Standard Time",
	"America/Mendoza":                  "Argentina Standard Time",

	// Danmarkshavn (Greenland) is on UTC all year; CLDR maps it to Windows' "UTC".
	"America/Danmarkshavn": "UTC",
}

// readWindowsNames parses Go's CLDR-derived abbreviation table: `"Windows name": {...}, // IANA`.
func readWindowsNames(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if sub := abbrLine.FindStringSubmatch(sc.Text()); sub != nil {
			if _, dup := m[sub[1]]; dup {
				return nil, fmt.Errorf("%s: Windows zone %q listed twice", path, sub[1])
			}
			m[sub[1]] = sub[2]
		}
	}
	// Windows has had about 140 zones for a decade; far fewer means the file changed shape.
	if len(m) < 120 {
		return nil, fmt.Errorf("%s: found only %d Windows zones; has the file's format changed?", path, len(m))
	}
	return m, sc.Err()
}

func readRelease(path string) (release string, year int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	for line := range strings.Lines(string(b)) {
		if sub := dataLine.FindStringSubmatch(line); sub != nil {
			year, _ = strconv.Atoi(sub[1])
			return strings.TrimSpace(strings.TrimPrefix(line, "DATA=")), year, nil
		}
	}
	return "", 0, fmt.Errorf("%s: no DATA= line", path)
}

// candidate is a Windows zone that fits an IANA zone.
type candidate struct {
	win   string
	since time.Time     // start of the unbroken agreement up to the end of the window
	total time.Duration // all time with equal offsets since histStart
}

// compare orders candidates best first: the longest unbroken agreement, then the most agreement
// over the whole history (Africa/Ceuta's recent rules match Berlin, Paris and Budapest since
// 1986; its earlier ones match Madrid's, so Paris's zone wins).
func (c candidate) compare(o candidate) int {
	if n := c.since.Compare(o.since); n != 0 {
		return n
	}
	return -cmp.Compare(c.total, o.total)
}

// agreeTotal returns how long a and b had the same offset between histStart and windowSpan.
func agreeTotal(a, b []segment) time.Duration {
	var d time.Duration
	i, j := 0, 0
	t := histStart
	for t.Before(windowSpan) {
		for i+1 < len(a) && !a[i+1].start.After(t) {
			i++
		}
		for j+1 < len(b) && !b[j+1].start.After(t) {
			j++
		}
		end := windowSpan
		if i+1 < len(a) && a[i+1].start.Before(end) {
			end = a[i+1].start
		}
		if j+1 < len(b) && b[j+1].start.Before(end) {
			end = b[j+1].start
		}
		if a[i].offset == b[j].offset {
			d += end.Sub(t)
		}
		t = end
	}
	return d
}

// segment is a stretch of time with one UTC offset; the next segment's start ends it.
type segment struct {
	start  time.Time
	offset int
}

func readZones(path string) (map[string][]segment, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	zones := map[string][]segment{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		_, err = buf.ReadFrom(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.Name, err)
		}
		loc, err := time.LoadLocationFromTZData(f.Name, buf.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.Name, err)
		}
		zones[f.Name] = segments(loc)
	}
	if len(zones) < 400 {
		return nil, fmt.Errorf("%s: only %d zones", path, len(zones))
	}
	return zones, nil
}

// segments lists loc's offsets from farPast to windowSpan, merging neighbours with equal offsets
// (a change of abbreviation or of the DST flag alone does not change any wall clock).
func segments(loc *time.Location) []segment {
	offset := func(t time.Time) int { _, off := t.In(loc).Zone(); return off }
	segs := []segment{{farPast, offset(farPast)}}
	t := farPast
	for t.Before(windowSpan) {
		// ZoneBounds is exact but, past the last explicit transition of a slim TZif file,
		// may stop at a year's end or report no end; step a day then and bisect any change.
		_, next := t.In(loc).ZoneBounds()
		if next.IsZero() || !next.After(t) {
			next = t.Add(24 * time.Hour)
			if off := offset(next); off != segs[len(segs)-1].offset {
				lo, hi := t, next // offset(lo) is the old one, offset(hi) the new one
				for hi.Sub(lo) > time.Second {
					mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
					if offset(mid) == segs[len(segs)-1].offset {
						lo = mid
					} else {
						hi = mid
					}
				}
				next = hi
			}
		}
		if off := offset(next); off != segs[len(segs)-1].offset && next.Before(windowSpan) {
			segs = append(segs, segment{next, off})
		}
		t = next
	}
	return segs
}

// agreeSince returns the earliest instant from which a and b have had the same offset without
// interruption up to windowSpan (farPast if they always agreed; windowSpan if they differ at the end).
func agreeSince(a, b []segment) time.Time {
	// Walk both lists backwards from the end, one boundary at a time.
	i, j := len(a)-1, len(b)-1
	for i >= 0 && j >= 0 {
		if a[i].offset != b[j].offset {
			// They differ on the overlap of a[i] and b[j], which ends at the later of the
			// following segments' starts; agreement began there.
			return overlapEnd(a, i+1, b, j+1)
		}
		switch {
		case a[i].start.After(b[j].start):
			i--
		case b[j].start.After(a[i].start):
			j--
		default:
			i--
			j--
		}
	}
	if i < 0 && j < 0 {
		return farPast
	}
	return overlapEnd(a, i+1, b, j+1)
}

func overlapEnd(a []segment, i int, b []segment, j int) time.Time {
	end := windowSpan
	if i < len(a) {
		end = a[i].start
	}
	if j < len(b) && b[j].start.Before(end) {
		end = b[j].start
	}
	return end
}

func render(t *table) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by go run ./internal/tzgen; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "// Source: the Go toolchain's src/time/zoneinfo_abbrs_windows.go (CLDR windowsZones, primary\n")
	fmt.Fprintf(&b, "// zones) and lib/time/zoneinfo.zip (tzdata %s, %d zones and links). See graph/internal/tzgen.\n\n", t.release, t.zoneCount)
	fmt.Fprintf(&b, "package tzmap\n\n")
	fmt.Fprintf(&b, "// tzdataRelease is the IANA tzdata release the tables were derived from.\n")
	fmt.Fprintf(&b, "const tzdataRelease = %q\n\n", t.release)

	wins := make([]string, 0, len(t.windows))
	for w := range t.windows {
		wins = append(wins, w)
	}
	slices.Sort(wins)
	fmt.Fprintf(&b, "// windowsZones maps each Windows zone name to its IANA zone, sorted by Windows name.\n")
	fmt.Fprintf(&b, "var windowsZones = [...]pair{\n")
	for _, w := range wins {
		fmt.Fprintf(&b, "\t{%q, %q},\n", w, t.windows[w])
	}
	fmt.Fprintf(&b, "}\n\n")

	ianas := make([]string, 0, len(t.iana))
	for z := range t.iana {
		ianas = append(ianas, z)
	}
	slices.Sort(ianas)
	fmt.Fprintf(&b, "// ianaZones maps each IANA zone name (links included) that has a Windows equivalent to that\n")
	fmt.Fprintf(&b, "// Windows name, sorted by IANA name.\n")
	fmt.Fprintf(&b, "var ianaZones = [...]pair{\n")
	for _, z := range ianas {
		fmt.Fprintf(&b, "\t{%q, %q},\n", z, t.iana[z])
	}
	fmt.Fprintf(&b, "}\n\n")

	fmt.Fprintf(&b, "// Zones that fit several Windows zones equally well; the first Windows name was taken:\n")
	for _, tie := range t.ties {
		fmt.Fprintf(&b, "//   - %s\n", tie)
	}
	if len(t.ties) == 0 {
		fmt.Fprintf(&b, "//   (none)\n")
	}
	fmt.Fprintf(&b, "\n")
	fmt.Fprintf(&b, "// unmappedZones are the IANA zones whose current rules match no Windows zone; they are used\n")
	fmt.Fprintf(&b, "// by their IANA name.\n")
	fmt.Fprintf(&b, "var unmappedZones = [...]string{\n")
	for _, z := range t.unmapped {
		fmt.Fprintf(&b, "\t%q,\n", z)
	}
	fmt.Fprintf(&b, "}\n")
	return format.Source(b.Bytes())
}
