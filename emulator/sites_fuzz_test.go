package emulator

import (
	"slices"
	"testing"
)

func TestSiteFieldRefs(t *testing.T) {
	tests := []struct {
		expr string
		want []string
	}{
		{"fields/Color eq 'Red'", []string{"Color"}},
		{"fields/A eq 1 and Fields/B_x0020_C gt 2", []string{"A", "B_x0020_C"}},
		{"fields/Title eq 'fields/Color'", []string{"Title"}},
		{"fields/Title eq 'O''Brien fields/X'", []string{"Title"}},
		{"myfields/X eq 1", nil},
		{"fields/", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := spFieldRefs(tt.expr); !slices.Equal(got, tt.want) {
			t.Errorf("spFieldRefs(%q) = %q, want %q", tt.expr, got, tt.want)
		}
	}
}

// FuzzSiteParsers holds the SharePoint parsers of request input (field
// references in $filter, site ids) to never panicking.
func FuzzSiteParsers(f *testing.F) {
	s := Start(f)
	for _, seed := range []string{"fields/Color eq 'Red'", "root", "contoso.sharepoint.com,a,b", "'", "fields/'", ",,,", "contoso.sharepoint.com:"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, name := range spFieldRefs(in) {
			if name == "" {
				t.Fatal("empty field name")
			}
		}
		_, _ = s.spResolveSite(in)
		_, _ = s.spSiteByPath(in, in)
		_ = s.siteExists(in)
	})
}
