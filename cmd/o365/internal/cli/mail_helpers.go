package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
)

// bodyFlags are the flags that give a message body: --body or --body-file, with --html
// or --text to override the detection.
type bodyFlags struct {
	text, file       string
	forceHTML, plain bool
	// stdin is read for --body-file -.
	stdin io.Reader
}

// read returns the body; ok is false when neither --body nor --body-file was given.
func (b *bodyFlags) read() (body graph.ItemBody, ok bool, err error) {
	if b.forceHTML && b.plain {
		return graph.ItemBody{}, false, usagef("--html and --text are exclusive")
	}
	if b.text != "" && b.file != "" {
		return graph.ItemBody{}, false, usagef("--body and --body-file are exclusive")
	}
	content, ext := b.text, ""
	switch {
	case b.file == "-" && b.stdin != nil:
		data, err := io.ReadAll(b.stdin)
		if err != nil {
			return graph.ItemBody{}, false, fmt.Errorf("--body-file -: %w", err)
		}
		content = string(data)
	case b.file != "":
		data, err := os.ReadFile(b.file)
		if err != nil {
			return graph.ItemBody{}, false, fmt.Errorf("--body-file: %w", err)
		}
		content, ext = string(data), strings.ToLower(filepath.Ext(b.file))
	case b.text == "":
		return graph.ItemBody{}, false, nil
	}
	isHTML := looksHTML(content)
	switch {
	case b.forceHTML:
		isHTML = true
	case b.plain:
		isHTML = false
	case ext == ".html" || ext == ".htm" || ext == ".xhtml":
		isHTML = true
	case ext == ".txt" || ext == ".text" || ext == ".md":
		isHTML = false
	}
	if isHTML {
		return graph.HTML(content), true, nil
	}
	return graph.Text(content), true, nil
}

// htmlTag matches the markup that makes a body HTML: a known element's opening or closing
// tag, a doctype or an entity. "a < b" or "<adele@contoso.com>" are not markup.
var htmlTag = regexp.MustCompile(`(?i)<!doctype\s+html|</?(html|head|body|p|div|span|br|hr|b|i|u|em|strong|a|img|table|tr|td|th|ul|ol|li|h[1-6]|pre|blockquote|font|style)(\s[^<>]*)?/?>|&(nbsp|amp|lt|gt|quot);`)

// looksHTML reports whether content is HTML rather than plain text.
func looksHTML(content string) bool { return htmlTag.MatchString(content) }

// addRecipients adds each flag value (repeatable, and comma-separated within a value) to rs.
func addRecipients(rs *graph.Recipients, flag string, vals []string) error {
	for _, v := range vals {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if err := rs.Add(v); err != nil {
			return usagef("--%s: %v", flag, err)
		}
	}
	return nil
}

// whenLayouts are the forms --start and --end accept besides RFC 3339, in local time.
var whenLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"}

// parseWhen reads a time given as RFC 3339 ("2026-12-01T09:00:00+01:00") or as a wall
// time in loc ("2026-12-01 09:00", "2026-12-01").
func parseWhen(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, l := range whenLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q: want RFC 3339 (2026-12-01T09:00:00Z) or \"2026-12-01 09:00\" in local time", s)
}

// progress returns a callback for an upload's progress: a bar on stderr when stderr is a
// terminal, nothing otherwise (logs and pipes stay clean). done ends the bar.
func (a *app) progress(name string, size int64) (update func(sent, total int64), done func()) {
	if !a.env.StderrTerminal || a.format == output.None {
		return func(int64, int64) {}, func() {}
	}
	bar := progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(a.env.Stderr),
		progressbar.OptionSetDescription(name),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(a.env.Stderr) }),
	)
	return func(sent, _ int64) { _ = bar.Set64(sent) }, func() { _ = bar.Finish() }
}

// humanBytes renders a size for people: 3.5 MB, 512 KB, 12 B (decimal units, as mail
// clients show attachment sizes).
func humanBytes(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1_000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
