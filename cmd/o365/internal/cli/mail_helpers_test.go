package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/o365go/o365/graph"
)

func TestLooksHTML(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Hello,\nsee you at 10.", false},
		{"a < b and c > d", false},
		{"Write to Adele <AdeleV@contoso.onmicrosoft.com>", false},
		{"<p>Hello</p>", true},
		{"Line one<br>Line two", true},
		{"<!DOCTYPE html><html><body>x</body></html>", true},
		{"Tom&nbsp;&amp;&nbsp;Jerry", true},
		{`<a href="https://contoso.com">link</a>`, true},
		{"<DIV class='x'>", true},
	}
	for _, tt := range tests {
		if got := looksHTML(tt.in); got != tt.want {
			t.Errorf("looksHTML(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBodyFlags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	htmlFile := write("note.html", "Plain words, HTML by name")
	txtFile := write("note.txt", "<p>markup in a .txt file</p>")
	mdFile := write("note", "<p>detected</p>")
	tests := []struct {
		name string
		in   bodyFlags
		want graph.ItemBody
		ok   bool
		err  bool
	}{
		{"none", bodyFlags{}, graph.ItemBody{}, false, false},
		{"text", bodyFlags{text: "hi"}, graph.Text("hi"), true, false},
		{"html by content", bodyFlags{text: "<b>hi</b>"}, graph.HTML("<b>hi</b>"), true, false},
		{"forced html", bodyFlags{text: "hi", forceHTML: true}, graph.HTML("hi"), true, false},
		{"forced text", bodyFlags{text: "<b>hi</b>", plain: true}, graph.Text("<b>hi</b>"), true, false},
		{"html by extension", bodyFlags{file: htmlFile}, graph.HTML("Plain words, HTML by name"), true, false},
		{"text by extension", bodyFlags{file: txtFile}, graph.Text("<p>markup in a .txt file</p>"), true, false},
		{"file by content", bodyFlags{file: mdFile}, graph.HTML("<p>detected</p>"), true, false},
		{"stdin", bodyFlags{file: "-", stdin: strings.NewReader("<p>piped</p>")}, graph.HTML("<p>piped</p>"), true, false},
		{"both sources", bodyFlags{text: "x", file: txtFile}, graph.ItemBody{}, false, true},
		{"both types", bodyFlags{text: "x", forceHTML: true, plain: true}, graph.ItemBody{}, false, true},
		{"missing file", bodyFlags{file: filepath.Join(dir, "nope")}, graph.ItemBody{}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := tt.in.read()
			if (err != nil) != tt.err || ok != tt.ok {
				t.Fatalf("read() = %v, %v, %v", got, ok, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseWhen(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tz data:", err)
	}
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"2026-12-01T09:00:00Z", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), false},
		{"2026-12-01T09:00:00+02:00", time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC), false},
		{"2026-12-01 09:00", time.Date(2026, 12, 1, 9, 0, 0, 0, paris), false},
		{"2026-12-01T09:30", time.Date(2026, 12, 1, 9, 30, 0, 0, paris), false},
		{" 2026-12-01 ", time.Date(2026, 12, 1, 0, 0, 0, 0, paris), false},
		{"tomorrow", time.Time{}, true},
		{"2026-13-01 09:00", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := parseWhen(tt.in, paris)
		if (err != nil) != tt.err || !got.Equal(tt.want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestAddRecipients(t *testing.T) {
	var rs graph.Recipients
	if err := addRecipients(&rs, "to", []string{"a@contoso.com, Bob Lee <b@contoso.com>", "", "c@contoso.com"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a@contoso.com", "b@contoso.com", "c@contoso.com"}, rs.Addresses()); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	if err := addRecipients(&rs, "cc", []string{"not an address"}); err == nil {
		t.Error("a bad address was accepted")
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{12: "12 B", 2_048: "2.0 KB", 3_670_016: "3.7 MB", 4 << 30: "4.3 GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
