package calendar

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"mime"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/o365go/o365/graph"
)

// SmallAttachmentLimit is the size from which an attachment goes through an upload
// session (3 MB), as for messages.
const SmallAttachmentLimit = 3_000_000

// FileAttachmentType is the @odata.type of a file attachment.
const FileAttachmentType = "#microsoft.graph.fileAttachment"

// locationID finds the attachment id in the Location of a finished upload:
// .../Attachments('AAMk...').
var locationID = regexp.MustCompile(`(?i)attachments\('([^']+)'\)`)

// Attachment is an event attachment (microsoft.graph.attachment and its kinds).
type Attachment struct {
	ODataType            string    `json:"@odata.type,omitempty"`
	ID                   string    `json:"id,omitempty"`
	Name                 string    `json:"name,omitempty"`
	ContentType          string    `json:"contentType,omitempty"`
	Size                 int64     `json:"size,omitempty"`
	IsInline             bool      `json:"isInline,omitempty"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	ContentID            string    `json:"contentId,omitempty"`
	ContentLocation      string    `json:"contentLocation,omitempty"`
	ContentBytes         []byte    `json:"contentBytes,omitempty"`

	ev *Event
}

// Delete removes the attachment from its event.
func (a *Attachment) Delete(ctx context.Context) error {
	if a.ev == nil || a.ID == "" {
		return errUnbound
	}
	p, err := a.ev.path("attachments", a.ID)
	if err != nil {
		return err
	}
	return a.ev.sch.c.Delete(ctx, p)
}

// ListAttachments lists the event's attachments (GET .../attachments).
func (e *Event) ListAttachments(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Attachment, error] {
	p, err := e.path("attachments")
	if err != nil {
		return errSeq[Attachment](err)
	}
	return func(yield func(*Attachment, error) bool) {
		for a, err := range graph.List[Attachment](ctx, e.sch.c, p, lo) {
			if a != nil {
				a.ev = e
			}
			if !yield(a, err) {
				return
			}
		}
	}
}

// Attachment reads one attachment with its content.
func (e *Event) Attachment(ctx context.Context, id string) (*Attachment, error) {
	p, err := e.path("attachments", id)
	if err != nil {
		return nil, err
	}
	var a Attachment
	if err := e.sch.c.Get(ctx, p, &a); err != nil {
		return nil, err
	}
	a.ev = e
	return &a, nil
}

// Attach adds a file attachment to a saved event: in one request under
// SmallAttachmentLimit, through an upload session (createUploadSession) above it.
// An empty contentType is guessed from the name.
func (e *Event) Attach(ctx context.Context, name, contentType string, data []byte) (*Attachment, error) {
	if contentType == "" {
		contentType = mime.TypeByExtension(filepath.Ext(name))
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if len(data) >= SmallAttachmentLimit {
		return e.attachLarge(ctx, name, contentType, data)
	}
	p, err := e.path("attachments")
	if err != nil {
		return nil, err
	}
	in := Attachment{ODataType: FileAttachmentType, Name: name, ContentType: contentType, ContentBytes: data}
	if in.ContentBytes == nil {
		in.ContentBytes = []byte{}
	}
	var out Attachment
	if err := e.sch.c.Post(ctx, p, in, &out); err != nil {
		return nil, err
	}
	out.ev = e
	return &out, nil
}

// AttachFile attaches a file from disk (see Attach).
func (e *Event) AttachFile(ctx context.Context, path string) (*Attachment, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return e.Attach(ctx, filepath.Base(path), "", b)
}

func (e *Event) attachLarge(ctx context.Context, name, contentType string, data []byte) (*Attachment, error) {
	p, err := e.path("attachments", "createUploadSession")
	if err != nil {
		return nil, err
	}
	item := map[string]any{"attachmentType": "file", "name": name, "size": len(data), "contentType": contentType}
	var s graph.UploadSession
	if err := e.sch.c.Post(ctx, p, map[string]any{"AttachmentItem": item}, &s); err != nil {
		return nil, err
	}
	res, err := e.sch.c.Upload(ctx, &s, bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		return nil, err
	}
	a := &Attachment{ODataType: FileAttachmentType, Name: name, ContentType: contentType, Size: int64(len(data)), ev: e}
	if res != nil {
		if sm := locationID.FindAllStringSubmatch(res.Location, -1); len(sm) > 0 {
			a.ID = sm[len(sm)-1][1]
		}
	}
	if a.ID == "" {
		return nil, errors.New("calendar: upload finished without an attachment id")
	}
	return a, nil
}
