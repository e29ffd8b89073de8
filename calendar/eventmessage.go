package calendar

import (
	"context"
	"errors"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/odata"
)

// EventOf returns the event behind a meeting message (an eventMessage: request,
// cancellation or response), read with GET
// /{res}/messages/{id}?$expand=microsoft.graph.eventMessage/event. The event is bound to
// the message's mailbox, so Accept and Decline work on it.
func EventOf(ctx context.Context, msg *mail.Message) (*Event, error) {
	if msg == nil || msg.Mailbox() == nil || msg.ID == "" {
		return nil, errors.New("calendar: EventOf needs a message read from a mailbox")
	}
	mb := msg.Mailbox()
	s := New(mb.Client(), mb.Resource())
	var out struct {
		Event *Event `json:"event"`
	}
	q := odata.New().Expand("microsoft.graph.eventMessage/event")
	if err := s.c.Get(ctx, s.path("messages", msg.ID), &out, graph.Query(q)); err != nil {
		return nil, err
	}
	if out.Event == nil {
		return nil, errors.New("calendar: the message is not a meeting message (no event)")
	}
	return out.Event.bind(s, ""), nil
}
