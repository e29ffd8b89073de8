package calendar_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
)

// A weekly meeting, then the week's calendar view with its occurrences. Against
// Microsoft 365, acct comes from o365.NewAccount and Authenticate; here it is signed in to
// a local emulator.
func Example() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()

	paris, _ := time.LoadLocation("Europe/Paris")
	sch := acct.Schedule().In(paris) // times read and written in Paris time
	cal := sch.DefaultCalendar()

	ev := cal.NewEvent()
	ev.Subject = "Stand-up"
	ev.Start = time.Date(2030, 3, 4, 9, 0, 0, 0, paris) // a Monday
	ev.End = ev.Start.Add(15 * time.Minute)
	ev.Recurrence = calendar.Weekly(1, time.Monday, time.Wednesday).Count(4)
	if err := ev.Attendees.Add("Megan Bowen <MeganB@contoso.onmicrosoft.com>"); err != nil {
		log.Fatal(err)
	}
	if err := ev.Save(ctx); err != nil {
		log.Fatal(err)
	}

	from := time.Date(2030, 3, 4, 0, 0, 0, 0, paris)
	for o, err := range cal.View(ctx, from, from.AddDate(0, 0, 7), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(o.Start.Format("Mon 15:04 MST"), o.Subject, o.Type)
	}
	// Output:
	// Mon 09:00 CET Stand-up occurrence
	// Wed 09:00 CET Stand-up occurrence
}

// Free/busy of two people in one-hour slots.
func ExampleSchedule_Availability() {
	ctx := context.Background()
	acct, srv := exampleAccount()
	defer srv.Close()

	sch := acct.Schedule()
	day := time.Date(2030, 5, 6, 0, 0, 0, 0, time.UTC)
	ev := sch.NewEvent()
	ev.Subject = "Budget"
	ev.Start, ev.End = day.Add(10*time.Hour), day.Add(11*time.Hour)
	if err := ev.Save(ctx); err != nil {
		log.Fatal(err)
	}
	info, err := sch.Availability(ctx, []string{srv.DefaultUser().UPN}, day.Add(9*time.Hour), day.Add(12*time.Hour), time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	for _, si := range info {
		fmt.Println(si.Slots())
	}
	// Output:
	// [free busy free]
}

// exampleAccount starts an emulator and signs in to it, as o365test.Start does in tests.
func exampleAccount() (*o365.Account, *emulator.Server) {
	acct, srv, err := o365test.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	return acct, srv
}
