// Package calendar is Outlook calendars through Microsoft Graph: a mailbox's calendars,
// their events (single, recurring, all-day, online meetings), invitations and the
// responses to them, free/busy look-ups and meeting-time suggestions. It is
// python-o365's Schedule, Calendar, Event, EventRecurrence and Attendees.
//
// A [Schedule] is the calendar side of one mailbox (acct.Schedule() in the root
// package, or [New]). Handles do no I/O until a call:
//
//	sch := acct.Schedule()                       // the signed-in user's
//	cal := sch.DefaultCalendar()
//	for ev, err := range cal.View(ctx, from, to, nil) { ... } // occurrences expanded
//
//	ev := cal.NewEvent()
//	ev.Subject = "Design review"
//	ev.Start = time.Date(2026, 3, 2, 10, 0, 0, 0, paris)
//	ev.End = ev.Start.Add(time.Hour)
//	ev.Attendees.Add("adele@contoso.com")
//	ev.Recurrence = calendar.Weekly(1, time.Monday, time.Wednesday).Until(time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC))
//	err := ev.Save(ctx)                          // POST; later Saves PATCH only what changed
//
// # Times
//
// Event start and end are time.Time values. Graph stores each as a wall-clock time plus a
// zone name (Windows, such as "Romance Standard Time", or IANA); both kinds are read, and
// a time is written back in the zone it was read in, under the same name. A time whose
// location is time.Local is a "naive" time: it is taken as wall-clock time in the
// schedule's zone, which is the one given with [WithTimeZone] or else the mailbox's own
// (mailboxSettings.timeZone). Reads ask Graph for times in the schedule's zone when one
// was given with [WithTimeZone].
//
// # Saving
//
// Save on an event that came from the service sends only the properties that changed
// since it was read (a snapshot is kept), so setting a field to false, 0, "" or nil is
// sent too. A new event is created with a transactionId, so that a create retried after a
// lost answer does not make a duplicate.
package calendar
