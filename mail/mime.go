package mail

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/o365go/o365/graph"
)

// MaxMIMESize is the largest MIME message SendMIME and CreateFromMIME accept: Graph
// limits the request to 4 MB, and base64 makes the message a third larger.
const MaxMIMESize = 3 << 20

func readMIME(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxMIMESize+1))
	if err != nil {
		return nil, fmt.Errorf("mail: reading MIME: %w", err)
	}
	if len(raw) > MaxMIMESize {
		return nil, fmt.Errorf("mail: MIME message over %d bytes: create a draft and add large attachments with upload sessions instead", MaxMIMESize)
	}
	out := make([]byte, base64.StdEncoding.EncodedLen(len(raw)))
	base64.StdEncoding.Encode(out, raw)
	return out, nil
}

// SendMIME sends a message given in MIME form (RFC 5322, as an .eml file holds it):
// POST /{res}/sendMail with the base64 MIME as text/plain. It goes to Sent Items.
func (mb *Mailbox) SendMIME(ctx context.Context, r io.Reader) error {
	body, err := readMIME(r)
	if err != nil {
		return err
	}
	return mb.wrap(mb.c.Do(ctx, &graph.Request{Method: "POST", Path: mb.path("/sendMail"), Body: body, ContentType: "text/plain"}, nil))
}

// CreateFromMIME creates a draft from a message in MIME form (POST /{res}/messages with the
// base64 MIME as text/plain) and returns it.
func (mb *Mailbox) CreateFromMIME(ctx context.Context, r io.Reader) (*Message, error) {
	body, err := readMIME(r)
	if err != nil {
		return nil, err
	}
	var m Message
	if err := mb.c.Do(ctx, &graph.Request{Method: "POST", Path: mb.path("/messages"), Body: body, ContentType: "text/plain"}, &m); err != nil {
		return nil, mb.wrap(err)
	}
	return m.bind(mb), nil
}
