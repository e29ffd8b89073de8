package cli

import (
	"context"
	"strings"
	"testing"
)

// calArgs prefixes a calendar subcommand with the signed-in test profile.
func calArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "calendar"}, args...)
}

func TestCalendarCommands(t *testing.T) {
	h := newHarness(t)
	// The default login scopes are mail's; the calendar needs its own.
	h.mustRun("--profile", "emu", "login", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", h.srv.PublicClientID(),
		"--scopes", "basic,users,mailbox_settings,calendar_all,calendar_shared_all")
	c := func(args ...string) run { h.t.Helper(); return h.mustRun(calArgs(args...)...) }

	cals := decodeJSON[[]map[string]any](t, c("list").stdout)
	if len(cals) == 0 || cals[0]["id"] == "" {
		t.Fatalf("calendar list = %v", cals)
	}
	if first := strings.SplitN(c("list", "-o", "text").stdout, "\n", 2)[0]; !strings.HasPrefix(first, "name") {
		t.Errorf("calendar list -o text header: %q", first)
	}

	ev := decodeJSON[map[string]any](t, c("add", "--subject", "Planning", "--start", "2030-03-04 10:00", "--end", "2030-03-04 11:00",
		"--tz", "Europe/Paris", "--attendee", megan, "--location", "Room 1", "--body", "Agenda", "--online").stdout)
	id, _ := ev["id"].(string)
	if id == "" || ev["subject"] != "Planning" || ev["isOnlineMeeting"] != true {
		t.Fatalf("calendar add = %v", ev)
	}
	start := ev["start"].(map[string]any)
	if start["timeZone"] != "Romance Standard Time" && start["timeZone"] != "UTC" {
		t.Errorf("start = %v", start)
	}
	rec := decodeJSON[map[string]any](t, c("add", "--subject", "Stand-up", "--start", "2030-03-04T09:00:00Z",
		"--recurrence", "weekly:mon,wed", "--count", "4").stdout)
	if r, _ := rec["recurrence"].(map[string]any); r == nil || r["range"].(map[string]any)["numberOfOccurrences"] != 4.0 {
		t.Fatalf("recurring add = %v", rec["recurrence"])
	}
	c("add", "--subject", "Holiday", "--start", "2030-03-05", "--all-day", "--tz", "UTC")

	subjects := decodeJSON[[]string](t, c("events", "--start", "2030-03-04T00:00:00Z", "--end", "2030-03-11T00:00:00Z", "--query", "[].subject").stdout)
	count := map[string]int{}
	for _, s := range subjects {
		count[s]++
	}
	if count["Planning"] != 1 || count["Stand-up"] != 2 || count["Holiday"] != 1 {
		t.Fatalf("events = %v", subjects)
	}
	if out := c("events", "--start", "2030-03-04T00:00:00Z", "--end", "2030-03-11T00:00:00Z", "-o", "csv").stdout; !strings.HasPrefix(out, "start,end,zone,subject") {
		t.Errorf("events -o csv: %q", out)
	}

	fb := decodeJSON[[]map[string]any](t, c("free-busy", "--user", adele, "--start", "2030-03-04T09:00:00Z", "--end", "2030-03-04T11:00:00Z", "--interval", "1h").stdout)
	if len(fb) != 2 || fb[0]["status"] != "busy" || fb[1]["status"] != "free" && fb[1]["status"] != "busy" {
		t.Fatalf("free-busy = %v", fb)
	}

	c("cancel", id, "--comment", "Postponed")

	// Flags and errors.
	for _, bad := range [][]string{
		{"add", "--start", "2030-01-01 10:00"},
		{"add", "--subject", "x", "--start", "tomorrow"},
		{"add", "--subject", "x", "--start", "2030-01-01 10:00", "--tz", "Mars/Olympus"},
		{"add", "--subject", "x", "--start", "2030-01-01 10:00", "--recurrence", "hourly"},
		{"add", "--subject", "x", "--start", "2030-01-01 10:00", "--count", "3"},
		{"add", "--subject", "x", "--start", "2030-01-01 10:00", "--recurrence", "daily", "--count", "3", "--until", "2030-02-01"},
		{"events", "--start", "2030-01-02", "--end", "2030-01-01"},
		{"events", "--calendar", "No such calendar"},
		{"free-busy"},
		{"free-busy", "--user", adele, "--interval", "1m"},
		{"accept"},
	} {
		if r := h.run(calArgs(bad...)...); r.code != 2 {
			t.Errorf("o365 calendar %s: exit %d, want 2 (usage)\n%s", strings.Join(bad, " "), r.code, r.stderr)
		}
	}
	if r := h.run(calArgs("accept", "AAMkNoSuchEvent")...); r.code == 0 || !strings.Contains(r.stderr, "404") && !strings.Contains(strings.ToLower(r.stderr), "not found") {
		t.Errorf("accept of a missing event: exit %d\n%s", r.code, r.stderr)
	}
	if r := h.run(calArgs("decline", "AAMkNoSuchEvent", "--no-response")...); r.code == 0 {
		t.Errorf("decline of a missing event succeeded")
	}

	// Answer an invitation from the demo tenant: an event someone else organizes.
	inv := decodeJSON[[]string](t, c("events", "--start", "2026-11-01T00:00:00Z", "--end", "2027-01-01T00:00:00Z",
		"--query", "[?!isOrganizer].id").stdout)
	if len(inv) == 0 {
		t.Skip("emulator: the demo seed has no invitation for the signed-in user")
	}
	acc := decodeJSON[map[string]any](t, c("accept", inv[0], "--comment", "Thanks").stdout)
	if acc["response"] != "accepted" {
		t.Fatalf("accept = %v", acc)
	}
	dec := decodeJSON[map[string]any](t, c("decline", inv[0], "--no-response").stdout)
	if dec["response"] != "declined" {
		t.Fatalf("decline = %v", dec)
	}
}

func TestDemoCalendarStep(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut syncBuffer
	if code := Main(context.Background(), []string{"demo"}, Env{Stdout: &out, Stderr: &errOut}); code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		". Schedule a meeting; the invitee accepts",
		"ev.Attendees.Add(\"Megan Bowen <MeganB@contoso.onmicrosoft.com>\")",
		"invitation sent to MeganB@contoso.onmicrosoft.com",
		"-> MeganB@contoso.onmicrosoft.com finds the invitation from AdeleV@contoso.onmicrosoft.com",
		"-> attendee MeganB@contoso.onmicrosoft.com: accepted",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
