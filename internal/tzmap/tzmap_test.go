package tzmap

import (
	"slices"
	"strings"
	"testing"
)

func TestLookups(t *testing.T) {
	if !slices.IsSorted(WindowsZones()) || !slices.IsSorted(IANAZones()) {
		t.Fatal("tables not sorted: binary search would miss names")
	}
	for _, w := range WindowsZones() {
		for _, name := range []string{w, strings.ToLower(w), strings.ToUpper(w)} {
			canon, iana, ok := LookupWindows(name)
			if !ok || canon != w || iana == "" {
				t.Errorf("LookupWindows(%q) = %q, %q, %v", name, canon, iana, ok)
			}
		}
		iana, _ := WindowsToIANA(w)
		if back, ok := IANAToWindows(iana); !ok || back != w {
			t.Errorf("IANAToWindows(%q) = %q, %v; want %q (its primary zone)", iana, back, ok, w)
		}
	}
	if iana, w, ok := LookupIANA("us/pacific"); !ok || iana != "US/Pacific" || w != "Pacific Standard Time" {
		t.Errorf(`LookupIANA("us/pacific") = %q, %q, %v`, iana, w, ok)
	}
	for _, bad := range []string{"", "Pacific Standard Tim", "Mars/Olympus_Mons"} {
		if _, ok := WindowsToIANA(bad); ok {
			t.Errorf("WindowsToIANA(%q) found", bad)
		}
		if _, ok := IANAToWindows(bad); ok {
			t.Errorf("IANAToWindows(%q) found", bad)
		}
	}
	if len(UnmappedZones()) == 0 || Release == "" {
		t.Error("no unmapped zones or release")
	}
}
