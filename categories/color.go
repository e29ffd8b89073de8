package categories

import (
	"fmt"
	"strconv"
	"strings"
)

// Color is a category colour: one of Outlook's 25 presets or None. It is
// the Graph value ("preset0" … "preset24", "none"); unknown values decode
// as they are.
type Color string

// The colours, named as Outlook names them (outlookCategory: color).
const (
	// Auto is not a colour: passed to Categories.Create it picks the first
	// preset no category uses yet.
	Auto          Color = ""
	None          Color = "none"
	Red           Color = "preset0"
	Orange        Color = "preset1"
	Brown         Color = "preset2"
	Yellow        Color = "preset3"
	Green         Color = "preset4"
	Teal          Color = "preset5"
	Olive         Color = "preset6"
	Blue          Color = "preset7"
	Purple        Color = "preset8"
	Cranberry     Color = "preset9"
	Steel         Color = "preset10"
	DarkSteel     Color = "preset11"
	Gray          Color = "preset12"
	DarkGray      Color = "preset13"
	Black         Color = "preset14"
	DarkRed       Color = "preset15"
	DarkOrange    Color = "preset16"
	DarkBrown     Color = "preset17"
	DarkYellow    Color = "preset18"
	DarkGreen     Color = "preset19"
	DarkTeal      Color = "preset20"
	DarkOlive     Color = "preset21"
	DarkBlue      Color = "preset22"
	DarkPurple    Color = "preset23"
	DarkCranberry Color = "preset24"
)

// colorNames are the presets' names, by preset number.
var colorNames = [...]string{"Red", "Orange", "Brown", "Yellow", "Green", "Teal", "Olive", "Blue", "Purple",
	"Cranberry", "Steel", "DarkSteel", "Gray", "DarkGray", "Black", "DarkRed", "DarkOrange", "DarkBrown",
	"DarkYellow", "DarkGreen", "DarkTeal", "DarkOlive", "DarkBlue", "DarkPurple", "DarkCranberry"}

// Colors returns every colour: None, then preset0 to preset24.
func Colors() []Color {
	out := []Color{None}
	for i := range colorNames {
		out = append(out, Color("preset"+strconv.Itoa(i)))
	}
	return out
}

// preset returns the preset number of c, or -1.
func (c Color) preset() int {
	n, ok := strings.CutPrefix(string(c), "preset")
	if !ok || n == "" || len(n) > 2 || len(n) == 2 && n[0] == '0' {
		return -1
	}
	i, err := strconv.Atoi(n)
	if err != nil || i < 0 || i >= len(colorNames) {
		return -1
	}
	return i
}

// Valid reports whether c is None or one of the 25 presets (Auto is not).
func (c Color) Valid() bool { return c == None || c.preset() >= 0 }

// Name returns the colour's name ("Red", "DarkCranberry", "None"), or the
// raw value for an unknown colour.
func (c Color) Name() string {
	if c == None {
		return "None"
	}
	if i := c.preset(); i >= 0 {
		return colorNames[i]
	}
	return string(c)
}

// String returns the name and value, e.g. "Red (preset0)".
func (c Color) String() string {
	if c == None || c.preset() < 0 {
		return c.Name()
	}
	return c.Name() + " (" + string(c) + ")"
}

// ParseColor accepts a colour by value ("preset3", "none") or by name
// ("Yellow", "dark green", "dark-green"; case-insensitive), and "auto" for
// Auto.
func ParseColor(s string) (Color, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "auto" {
		return Auto, nil
	}
	if c := Color(t); c.Valid() {
		return c, nil
	}
	key := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(t)
	if key == "none" {
		return None, nil
	}
	for i, n := range colorNames {
		if strings.ToLower(n) == key {
			return Color("preset" + strconv.Itoa(i)), nil
		}
	}
	return "", fmt.Errorf("categories: unknown colour %q (want a name such as Red or DarkGreen, preset0 to preset24, or none)", s)
}
