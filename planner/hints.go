package planner

import (
	"crypto/rand"
	"fmt"
)

// First is the order hint that asks the service to put an item first (in a bucket, a
// plan's buckets, a checklist, an assignee's list): an empty previous and next hint.
const First = " !"

// Between returns the order hint that asks the service to put an item between two others,
// given their order hints ("" for no item: Between(last, "") is "after last"). Planner's
// form is "<previous> <next>!"; the service replaces it with a short hint that sorts in
// that place (planner-order-hint-format.md). The value also sorts correctly on the
// client, so it can be composed: Between(a, Between(a, b)).
func Between(prev, next string) string { return prev + " " + next + "!" }

// newGUID returns a random version 4 UUID, the id of a new checklist item.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
