package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
)

// calendarColumns are the columns of `calendar list` in text, CSV and Markdown.
var calendarColumns = []output.Column{
	{Header: "name", Path: "name"},
	{Header: "color", Path: "color"},
	{Header: "default", Path: "isDefaultCalendar"},
	{Header: "owner", Path: "owner.address"},
	{Header: "id", Path: "id"},
}

// eventColumns are the columns of `calendar events` and `calendar add`.
var eventColumns = []output.Column{
	{Header: "start", Path: "start.dateTime"},
	{Header: "end", Path: "end.dateTime"},
	{Header: "zone", Path: "start.timeZone"},
	{Header: "subject", Path: "subject"},
	{Header: "organizer", Path: "organizer.emailAddress.address"},
	{Header: "id", Path: "id"},
}

// freeBusyColumns are the columns of `calendar free-busy`.
var freeBusyColumns = []output.Column{
	{Header: "schedule", Path: "schedule"},
	{Header: "start", Path: "start"},
	{Header: "end", Path: "end"},
	{Header: "status", Path: "status"},
}

// calendarFlags are the flags every calendar command shares.
type calendarFlags struct {
	mailbox string
}

func (a *app) calendarCommand() *cobra.Command {
	fl := &calendarFlags{}
	cmd := &cobra.Command{
		Use:   "calendar",
		Short: "Calendars, events, invitations and free/busy",
		Long: `Work with Outlook calendars: list calendars and events, add events and meetings (recurring,
all-day, online), answer invitations, cancel meetings and look up free/busy times.

--mailbox works on another user's or a shared mailbox's calendar; the signed-in user needs
access to it and the app the Calendars.ReadWrite.Shared scope.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&fl.mailbox, "mailbox", "", "another user's or a shared mailbox (UPN or id); default your own")
	cmd.AddCommand(
		a.calendarListCommand(fl),
		a.calendarEventsCommand(fl),
		a.calendarAddCommand(fl),
		a.calendarRespondCommand(fl, "accept"),
		a.calendarRespondCommand(fl, "decline"),
		a.calendarCancelCommand(fl),
		a.calendarFreeBusyCommand(fl),
	)
	return cmd
}

// schedule returns the schedule the calendar commands work on.
func (a *app) schedule(ctx context.Context, fl *calendarFlags) (*calendar.Schedule, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	res := graph.Me
	if fl.mailbox != "" {
		res = graph.User(fl.mailbox)
	}
	return calendar.New(c, res), nil
}

// resolveCalendar finds a calendar by id or name; "" is the default calendar.
func resolveCalendar(ctx context.Context, sch *calendar.Schedule, name string) (*calendar.Calendar, error) {
	if name == "" {
		return sch.DefaultCalendar(), nil
	}
	for c, err := range sch.Calendars(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if c.ID == name || strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	return nil, usagef("no calendar named %q (see o365 calendar list)", name)
}

func (a *app) calendarListCommand(fl *calendarFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List your calendars",
		Example: `  o365 calendar list
  o365 calendar list --mailbox room1@contoso.com -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sch, err := a.schedule(cmd.Context(), fl)
			if err != nil {
				return err
			}
			out := []*calendar.Calendar{}
			for c, err := range sch.Calendars(cmd.Context(), nil) {
				if err != nil {
					return err
				}
				out = append(out, c)
			}
			return a.print(out, calendarColumns...)
		},
	}
}

// zoneFlag loads --tz (Windows or IANA name); empty means local wall time, which the
// library takes in the mailbox's zone.
func zoneFlag(tz string) (*time.Location, error) {
	if tz == "" {
		return time.Local, nil
	}
	loc, err := graph.LoadLocation(tz)
	if err != nil {
		return nil, usagef("--tz: unknown time zone %q (IANA, e.g. Europe/Paris, or Windows, e.g. \"Romance Standard Time\")", tz)
	}
	return loc, nil
}

func (a *app) calendarEventsCommand(fl *calendarFlags) *cobra.Command {
	var (
		startS, endS, cal, tz string
		top                   int
	)
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List events between two times (default: the next 7 days)",
		Long: `List the events and the occurrences of recurring events between --start and --end
(calendarView), in the default calendar or --calendar. Times are RFC 3339 or
"2026-12-01 09:00" in --tz (default: local time).`,
		Example: `  o365 calendar events
  o365 calendar events --start 2026-12-01 --end 2026-12-08 --calendar Holidays -o csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := zoneFlag(tz)
			if err != nil {
				return err
			}
			start, end := time.Now().In(loc), time.Time{}
			if startS != "" {
				if start, err = parseWhen(startS, loc); err != nil {
					return usagef("--start: %v", err)
				}
			}
			end = start.AddDate(0, 0, 7)
			if endS != "" {
				if end, err = parseWhen(endS, loc); err != nil {
					return usagef("--end: %v", err)
				}
			}
			if !end.After(start) {
				return usagef("--end must be after --start")
			}
			if top < 0 {
				return usagef("--top must be >= 0")
			}
			sch, err := a.schedule(cmd.Context(), fl)
			if err != nil {
				return err
			}
			if tz != "" {
				sch = sch.In(loc)
			} else if mz, err := sch.TimeZone(cmd.Context()); err == nil {
				sch = sch.In(mz) // show times in the mailbox's zone (Graph's default is UTC)
			}
			c, err := resolveCalendar(cmd.Context(), sch, cal)
			if err != nil {
				return err
			}
			out := []*calendar.Event{}
			for e, err := range c.View(cmd.Context(), start, end, &graph.ListOptions{Limit: top}) {
				if err != nil {
					return err
				}
				out = append(out, e)
			}
			return a.print(out, eventColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&startS, "start", "", "start of the window (default: now)")
	f.StringVar(&endS, "end", "", "end of the window (default: start + 7 days)")
	f.StringVar(&cal, "calendar", "", "calendar name or id (default: the default calendar)")
	f.StringVar(&tz, "tz", "", "time zone of --start/--end and of the times shown (IANA or Windows name)")
	f.IntVar(&top, "top", 0, "at most this many events (0: all)")
	return cmd
}

func (a *app) calendarAddCommand(fl *calendarFlags) *cobra.Command {
	var (
		subject, startS, endS, tz, location, body, recur, untilS, cal string
		attendees                                                     []string
		online, allDay                                                bool
		count                                                         int
	)
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Add an event or a meeting",
		Long: `Add an event to the default calendar (or --calendar). With --attendee it is a meeting and
the attendees are invited. Times are RFC 3339 or "2026-12-01 09:00" in --tz (default: your
mailbox's time zone). --end defaults to 30 minutes after --start (a day for --all-day).

--recurrence: daily, weekly:mon,wed, monthly:15, monthly:last-fri, yearly:3-15,
yearly:9-first-mon, each with an optional /N interval (weekly:mon/2); end it with
--until DATE or --count N (default: no end).`,
		Example: `  o365 calendar add --subject "1:1" --start "2026-12-01 10:00" --end "2026-12-01 10:30" --attendee megan@contoso.com --online
  o365 calendar add --subject Stand-up --start "2026-12-01 09:00" --tz Europe/Paris --recurrence weekly:mon,wed --until 2027-03-31
  o365 calendar add --subject Holiday --start 2026-12-24 --all-day`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if subject == "" || startS == "" {
				return usagef("--subject and --start are required")
			}
			loc, err := zoneFlag(tz)
			if err != nil {
				return err
			}
			start, err := parseWhen(startS, loc)
			if err != nil {
				return usagef("--start: %v", err)
			}
			end := start.Add(30 * time.Minute)
			if allDay {
				end = start.AddDate(0, 0, 1)
			}
			if endS != "" {
				if end, err = parseWhen(endS, loc); err != nil {
					return usagef("--end: %v", err)
				}
			}
			var rec *calendar.Recurrence
			if recur != "" {
				if rec, err = calendar.ParseRecurrence(recur); err != nil {
					return usagef("--recurrence: %v", err)
				}
				switch {
				case untilS != "" && count > 0:
					return usagef("--until and --count exclude each other")
				case untilS != "":
					u, err := parseWhen(untilS, loc)
					if err != nil {
						return usagef("--until: %v", err)
					}
					rec.Until(u)
				case count > 0:
					rec.Count(count)
				}
			} else if untilS != "" || count > 0 {
				return usagef("--until and --count need --recurrence")
			}
			sch, err := a.schedule(cmd.Context(), fl)
			if err != nil {
				return err
			}
			c, err := resolveCalendar(cmd.Context(), sch, cal)
			if err != nil {
				return err
			}
			ev := c.NewEvent()
			ev.Subject, ev.Start, ev.End, ev.IsAllDay, ev.Recurrence = subject, start, end, allDay, rec
			if location != "" {
				ev.Location = calendar.Location{DisplayName: location}
			}
			if body != "" {
				ev.Body = graph.Text(body)
			}
			for _, at := range attendees {
				if err := ev.Attendees.Add(splitList([]string{at})...); err != nil {
					return usagef("--attendee: %v", err)
				}
			}
			if online {
				ev.IsOnlineMeeting, ev.OnlineMeetingProvider = true, calendar.ProviderTeamsForBusiness
			}
			if err := ev.Save(cmd.Context()); err != nil {
				return err
			}
			return a.print(ev, eventColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&subject, "subject", "", "subject (required)")
	f.StringVar(&startS, "start", "", "start time (required)")
	f.StringVar(&endS, "end", "", "end time (default: start + 30 minutes)")
	f.StringVar(&tz, "tz", "", "time zone of the times (IANA or Windows name; default: the mailbox's)")
	f.StringArrayVar(&attendees, "attendee", nil, "attendee address, repeatable (\"Name <addr>\" works)")
	f.StringVar(&location, "location", "", "location")
	f.StringVar(&body, "body", "", "description (plain text)")
	f.BoolVar(&online, "online", false, "make it a Teams meeting")
	f.BoolVar(&allDay, "all-day", false, "all-day event (start and end at midnight)")
	f.StringVar(&recur, "recurrence", "", "repeat: daily, weekly:mon,wed, monthly:15, monthly:last-fri, yearly:3-15 (optional /N interval)")
	f.StringVar(&untilS, "until", "", "last date of the recurrence")
	f.IntVar(&count, "count", 0, "number of occurrences of the recurrence")
	f.StringVar(&cal, "calendar", "", "calendar name or id (default: the default calendar)")
	return cmd
}

func (a *app) calendarRespondCommand(fl *calendarFlags, verb string) *cobra.Command {
	var (
		comment    string
		noResponse bool
	)
	cmd := &cobra.Command{
		Use:     verb + " EVENT-ID",
		Short:   strings.ToUpper(verb[:1]) + verb[1:] + " a meeting invitation",
		Example: fmt.Sprintf("  o365 calendar %s AAMkAGI2... --comment \"Thanks\"\n  o365 calendar %s AAMkAGI2... --no-response", verb, verb),
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sch, err := a.schedule(cmd.Context(), fl)
			if err != nil {
				return err
			}
			ev, err := sch.Event(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			var opts []calendar.ResponseOption
			if noResponse {
				opts = append(opts, calendar.NoResponse())
			}
			if verb == "accept" {
				err = ev.Accept(cmd.Context(), comment, opts...)
			} else {
				err = ev.Decline(cmd.Context(), comment, opts...)
			}
			if err != nil {
				return err
			}
			done := map[string]string{"accept": "accepted", "decline": "declined"}[verb]
			a.note("%s %q", done, ev.Subject)
			return a.print(map[string]any{"id": ev.ID, "subject": ev.Subject, "response": done})
		},
	}
	cmd.Flags().StringVar(&comment, "comment", "", "a message to the organizer")
	cmd.Flags().BoolVar(&noResponse, "no-response", false, "do not send a response to the organizer")
	return cmd
}

func (a *app) calendarCancelCommand(fl *calendarFlags) *cobra.Command {
	var comment string
	cmd := &cobra.Command{
		Use:     "cancel EVENT-ID",
		Short:   "Cancel a meeting you organize and tell the attendees",
		Example: `  o365 calendar cancel AAMkAGI2... --comment "Postponed to next week"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sch, err := a.schedule(cmd.Context(), fl)
			if err != nil {
				return err
			}
			ev, err := sch.Event(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := ev.Cancel(cmd.Context(), comment); err != nil {
				return err
			}
			a.note("cancelled %q", ev.Subject)
			return a.print(map[string]any{"id": ev.ID, "subject": ev.Subject, "cancelled": true})
		},
	}
	cmd.Flags().StringVar(&comment, "comment", "", "a message to the attendees")
	return cmd
}

func (a *app) calendarFreeBusyCommand(fl *calendarFlags) *cobra.Command {
	var (
		users            []string
		startS, endS, tz string
		interval         time.Duration
	)
	cmd := &cobra.Command{
		Use:   "free-busy",
		Short: "Show when people or rooms are free or busy",
		Long: `Show the free/busy slots of people, distribution lists or rooms between --start and
--end (default: the next 8 hours), one row per --interval slot: free, tentative, busy,
oof, workingElsewhere or unknown.`,
		Example: `  o365 calendar free-busy --user megan@contoso.com --user room1@contoso.com --start "2026-12-01 09:00" --end "2026-12-01 17:00" --interval 30m`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(users) == 0 {
				return usagef("--user is required")
			}
			loc, err := zoneFlag(tz)
			if err != nil {
				return err
			}
			start := time.Now().In(loc).Truncate(time.Hour)
			if startS != "" {
				if start, err = parseWhen(startS, loc); err != nil {
					return usagef("--start: %v", err)
				}
			}
			end := start.Add(8 * time.Hour)
			if endS != "" {
				if end, err = parseWhen(endS, loc); err != nil {
					return usagef("--end: %v", err)
				}
			}
			if interval < 5*time.Minute || interval > 24*time.Hour {
				return usagef("--interval must be between 5m and 24h")
			}
			if !end.After(start) {
				return usagef("--end must be after --start")
			}
			sch, err := a.schedule(cmd.Context(), fl)
			if err != nil {
				return err
			}
			info, err := sch.Availability(cmd.Context(), splitList(users), start, end, interval)
			if err != nil {
				return err
			}
			rows := []map[string]any{}
			for _, si := range info {
				if si.Error != nil {
					rows = append(rows, map[string]any{"schedule": si.ScheduleID, "status": "error: " + si.Error.Message})
					continue
				}
				for i, st := range si.Slots() {
					s := start.Add(time.Duration(i) * interval)
					rows = append(rows, map[string]any{"schedule": si.ScheduleID, "start": s.Format(time.RFC3339),
						"end": s.Add(interval).Format(time.RFC3339), "status": string(st)})
				}
			}
			return a.print(rows, freeBusyColumns...)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&users, "user", nil, "address of a person, list or room, repeatable")
	f.StringVar(&startS, "start", "", "start (default: this hour)")
	f.StringVar(&endS, "end", "", "end (default: start + 8 hours)")
	f.StringVar(&tz, "tz", "", "time zone of --start/--end (IANA or Windows name; default: local)")
	f.DurationVar(&interval, "interval", 30*time.Minute, "slot length, 5m to 24h")
	return cmd
}
