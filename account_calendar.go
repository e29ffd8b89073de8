package o365

import (
	"github.com/o365go/o365/calendar"
	"github.com/o365go/o365/graph"
)

// Schedule returns a handle on the calendars of res, or of the main resource (the
// signed-in user's by default) when res is omitted (python-o365's account.schedule()).
// Pass calendar options through calendar.New, or use Schedule().In(loc) for a zone.
func (a *Account) Schedule(res ...graph.Resource) *calendar.Schedule {
	return calendar.New(a.client, a.resource(res))
}
