package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"mime"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// Attachment size limits. Graph takes an attachment under 3 MB in the request that
// creates it (base64 in contentBytes); from 3 MB up to 150 MB it must go through an
// upload session. Save and Send choose for you.
const (
	// SmallAttachmentLimit is the size from which an attachment goes through an upload
	// session (3 MB).
	SmallAttachmentLimit = 3_000_000
	// MaxAttachmentSize is the largest attachment Outlook accepts (150 MB).
	MaxAttachmentSize = 150 << 20
)

// Attachment kinds (@odata.type).
const (
	FileAttachmentType      = "#microsoft.graph.fileAttachment"
	ItemAttachmentType      = "#microsoft.graph.itemAttachment"
	ReferenceAttachmentType = "#microsoft.graph.referenceAttachment"
)

// Attachment is a message attachment (microsoft.graph.attachment and its
// fileAttachment, itemAttachment and referenceAttachment kinds). ContentBytes is set for
// file attachments when Graph sends them (a single GET, or $expand=attachments); Item
// holds an item attachment's message, event or contact when expanded (see
// [Attachment.Message]).
//
// An attachment read through a message is bound to it: Save, SaveEML, Message and
// Delete work on it. One added with the Add methods of [Attachments] is uploaded by the
// message's Save or Send.
type Attachment struct {
	ODataType            string    `json:"@odata.type,omitempty"`
	ID                   string    `json:"id,omitempty"`
	Name                 string    `json:"name,omitempty"`
	ContentType          string    `json:"contentType,omitempty"`
	Size                 int64     `json:"size,omitempty"`
	IsInline             bool      `json:"isInline,omitempty"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	// ContentID is the id an inline image is referenced by in HTML: <img src="cid:...">.
	ContentID       string          `json:"contentId,omitempty"`
	ContentLocation string          `json:"contentLocation,omitempty"`
	ContentBytes    []byte          `json:"contentBytes,omitempty"`
	Item            json.RawMessage `json:"item,omitempty"`

	mb    *Mailbox
	msgID string
	src   source
}

// IsFile reports whether the attachment is a file (the default kind).
func (a *Attachment) IsFile() bool { return a.ODataType == FileAttachmentType || a.ODataType == "" }

// IsItem reports whether the attachment is an Outlook item (a message, event or contact).
func (a *Attachment) IsItem() bool { return a.ODataType == ItemAttachmentType }

// IsReference reports whether the attachment is a link to a file (OneDrive, SharePoint).
func (a *Attachment) IsReference() bool { return a.ODataType == ReferenceAttachmentType }

// Pending reports whether the attachment was added locally and not yet uploaded.
func (a *Attachment) Pending() bool { return a.src != nil && a.ID == "" }

func (a *Attachment) path(rest string) (string, error) {
	if a.mb == nil || a.mb.c == nil {
		return "", ErrUnbound
	}
	if a.ID == "" || a.msgID == "" {
		return "", ErrNotSaved
	}
	return a.mb.res.Path("messages", a.msgID, "attachments", a.ID) + rest, nil
}

// Save writes the attachment's content to w: ContentBytes when they were loaded, else a
// streamed GET .../attachments/{id}/$value (for an item attachment, its MIME form).
func (a *Attachment) Save(ctx context.Context, w io.Writer) (int64, error) {
	if a.ContentBytes != nil {
		n, err := w.Write(a.ContentBytes)
		return int64(n), err
	}
	if a.src != nil && a.ID == "" {
		rc, size, err := a.src.open()
		if err != nil {
			return 0, err
		}
		defer rc.Close()
		return io.Copy(w, io.NewSectionReader(rc, 0, size))
	}
	p, err := a.path("/$value")
	if err != nil {
		return 0, err
	}
	return a.stream(ctx, p, w)
}

func (a *Attachment) stream(ctx context.Context, p string, w io.Writer) (int64, error) {
	resp, err := a.mb.c.Send(ctx, &graph.Request{Method: "GET", Path: p})
	if err != nil {
		return 0, a.mb.wrap(err)
	}
	defer resp.Body.Close()
	return io.Copy(w, resp.Body)
}

// SaveEML writes an item attachment (an attached message) as an .eml file: its MIME
// form, GET .../attachments/{id}/$value.
func (a *Attachment) SaveEML(ctx context.Context, w io.Writer) (int64, error) {
	p, err := a.path("/$value")
	if err != nil {
		return 0, err
	}
	return a.stream(ctx, p, w)
}

// Message opens an item attachment that is a message (GET the attachment with
// $expand=microsoft.graph.itemAttachment/item). The result is read-only: it is not a
// message of the mailbox, so its verbs fail with ErrUnbound.
func (a *Attachment) Message(ctx context.Context) (*Message, error) {
	if len(a.Item) == 0 {
		p, err := a.path("")
		if err != nil {
			return nil, err
		}
		var full Attachment
		q := graph.Params(map[string][]string{"$expand": {"microsoft.graph.itemAttachment/item"}})
		if err := a.mb.c.Get(ctx, p, &full, q); err != nil {
			return nil, a.mb.wrap(err)
		}
		if len(full.Item) == 0 {
			return nil, fmt.Errorf("mail: attachment %q is not an item attachment (%s)", a.Name, full.ODataType)
		}
		a.Item = full.Item
	}
	var m Message
	if err := json.Unmarshal(a.Item, &m); err != nil {
		return nil, fmt.Errorf("mail: attachment %q: %w", a.Name, err)
	}
	return &m, nil
}

// Delete removes the attachment from its message.
func (a *Attachment) Delete(ctx context.Context) error {
	p, err := a.path("")
	if err != nil {
		return err
	}
	return a.mb.wrap(a.mb.c.Delete(ctx, p))
}

// Attachments is a message's attachment list. Its Add methods add local content that
// the message's Save or Send uploads, whatever its size: under 3 MB in the request
// itself, from 3 MB to 150 MB through an upload session, read from its source in chunks.
type Attachments []*Attachment

// AddFile adds the file at path. Only its size is read now: the file is opened and read
// in chunks when the message is saved or sent, never held in memory whole. A file over
// MaxAttachmentSize gives ErrAttachmentTooLarge.
func (as *Attachments) AddFile(path string) (*Attachment, error) {
	return as.addFile(path, false, "")
}

// AddInlineFile adds an inline image from a file, referenced in the HTML body as
// <img src="cid:contentID">.
func (as *Attachments) AddInlineFile(path, contentID string) (*Attachment, error) {
	return as.addFile(path, true, contentID)
}

func (as *Attachments) addFile(path string, inline bool, cid string) (*Attachment, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("mail: attachment: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("mail: attachment %s is a directory", path)
	}
	if fi.Size() > MaxAttachmentSize {
		return nil, fmt.Errorf("%w: %s is %d bytes", ErrAttachmentTooLarge, path, fi.Size())
	}
	a := newAttachment(filepath.Base(path), fileSource{path: path, size: fi.Size()}, fi.Size())
	a.IsInline, a.ContentID = inline, cid
	*as = append(*as, a)
	return a, nil
}

// AddBytes adds an attachment with the given name and content.
func (as *Attachments) AddBytes(name string, data []byte) *Attachment {
	a := newAttachment(name, bytesSource(data), int64(len(data)))
	*as = append(*as, a)
	return a
}

// AddInline adds an inline image (isInline, contentId) with the given content; reference
// it in the HTML body as <img src="cid:contentID">.
func (as *Attachments) AddInline(name string, data []byte, contentID string) *Attachment {
	a := as.AddBytes(name, data)
	a.IsInline, a.ContentID = true, contentID
	return a
}

// AddReader adds an attachment read from r, which must hold exactly size bytes. r is
// read once, in order, when the message is saved or sent (an io.ReaderAt, such as an
// *os.File, can also be re-read to resume an interrupted upload). A size over
// MaxAttachmentSize fails at Save with ErrAttachmentTooLarge.
func (as *Attachments) AddReader(name string, r io.Reader, size int64) *Attachment {
	a := newAttachment(name, &readerSource{r: r, size: size}, size)
	*as = append(*as, a)
	return a
}

// AddItem attaches a message as an item attachment (it travels in the request, so keep
// it under 3 MB).
func (as *Attachments) AddItem(name string, item *Message) *Attachment {
	a := &Attachment{ODataType: ItemAttachmentType, Name: name, src: itemSource{item}}
	*as = append(*as, a)
	return a
}

// Remove drops the attachments with this name that are not uploaded yet and returns how
// many it dropped. Delete an uploaded attachment with [Attachment.Delete].
func (as *Attachments) Remove(name string) int {
	n := 0
	out := (*as)[:0]
	for _, a := range *as {
		if a.Pending() && a.Name == name {
			n++
			continue
		}
		out = append(out, a)
	}
	clear((*as)[len(out):])
	*as = out
	return n
}

// Names returns the attachments' names, in order.
func (as Attachments) Names() []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return out
}

func newAttachment(name string, src source, size int64) *Attachment {
	ct := mime.TypeByExtension(filepath.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return &Attachment{ODataType: FileAttachmentType, Name: name, ContentType: ct, Size: size, src: src}
}

// source is where a pending attachment's content comes from.
type source interface {
	open() (r readerAtCloser, size int64, err error)
}

type readerAtCloser interface {
	io.ReaderAt
	io.Closer
}

type fileSource struct {
	path string
	size int64
}

func (s fileSource) open() (readerAtCloser, int64, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: attachment: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}

type bytesSource []byte

func (s bytesSource) open() (readerAtCloser, int64, error) {
	return nopCloser{bytes.NewReader(s)}, int64(len(s)), nil
}

type nopCloser struct{ io.ReaderAt }

func (nopCloser) Close() error { return nil }

// readerSource is a one-shot stream. If it is also an io.ReaderAt it is used as one.
type readerSource struct {
	r    io.Reader
	size int64
}

func (s *readerSource) open() (readerAtCloser, int64, error) {
	if ra, ok := s.r.(io.ReaderAt); ok {
		return nopCloser{ra}, s.size, nil
	}
	return nil, s.size, errStreamOnly
}

var errStreamOnly = fmt.Errorf("mail: stream source")

type itemSource struct{ m *Message }

func (itemSource) open() (readerAtCloser, int64, error) { return nil, 0, errStreamOnly }

// readSmall reads a small pending attachment whole (it goes base64 in a request).
func (a *Attachment) readSmall() ([]byte, error) {
	if rs, ok := a.src.(*readerSource); ok {
		if _, isRA := rs.r.(io.ReaderAt); !isRA {
			b, err := io.ReadAll(io.LimitReader(rs.r, rs.size+1))
			if err != nil {
				return nil, fmt.Errorf("mail: attachment %q: %w", a.Name, err)
			}
			if int64(len(b)) != rs.size {
				return nil, fmt.Errorf("mail: attachment %q: reader gave %d bytes, want %d", a.Name, len(b), rs.size)
			}
			return b, nil
		}
	}
	r, size, err := a.src.open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := make([]byte, size)
	if _, err := r.ReadAt(b, 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("mail: attachment %q: %w", a.Name, err)
	}
	return b, nil
}

// small reports whether the attachment travels in the request (under 3 MB, or an item).
func (a *Attachment) small() bool {
	_, item := a.src.(itemSource)
	return item || a.Size < SmallAttachmentLimit
}

// requestBody is the JSON of a pending small attachment for POST .../attachments or
// inside a message.
func (a *Attachment) requestBody() (map[string]any, error) {
	if it, ok := a.src.(itemSource); ok {
		body, err := it.m.createBody(false)
		if err != nil {
			return nil, err
		}
		return map[string]any{"@odata.type": ItemAttachmentType, "name": a.Name, "item": body}, nil
	}
	b, err := a.readSmall()
	if err != nil {
		return nil, err
	}
	out := map[string]any{"@odata.type": FileAttachmentType, "name": a.Name, "contentBytes": b}
	if a.ContentType != "" {
		out["contentType"] = a.ContentType
	}
	if a.IsInline {
		out["isInline"] = true
	}
	if a.ContentID != "" {
		out["contentId"] = a.ContentID
	}
	return out, nil
}

var locationID = regexp.MustCompile(`(?i)attachments\('([^']+)'\)`)

// upload adds a pending attachment to the saved message m: a POST for a small one, an
// upload session for a large one.
func (m *Message) upload(ctx context.Context, a *Attachment, o *options) error {
	base := m.mb.res.Path("messages", m.ID, "attachments")
	if a.Size > MaxAttachmentSize {
		return fmt.Errorf("%w: %q is %d bytes", ErrAttachmentTooLarge, a.Name, a.Size)
	}
	if a.small() {
		body, err := a.requestBody()
		if err != nil {
			return err
		}
		var got Attachment
		if err := m.mb.c.Post(ctx, base, body, &got, o.call...); err != nil {
			return m.mb.wrap(err)
		}
		got.ContentBytes = nil
		a.adopt(&got)
		o.report(a.Name, a.Size, a.Size)
		a.mb, a.msgID = m.mb, m.ID
		return nil
	}
	item := map[string]any{"attachmentType": "file", "name": a.Name, "size": a.Size}
	if a.ContentType != "" {
		item["contentType"] = a.ContentType
	}
	if a.IsInline {
		item["isInline"] = true
	}
	if a.ContentID != "" {
		item["contentId"] = a.ContentID
	}
	var s graph.UploadSession
	if err := m.mb.c.Post(ctx, base+"/createUploadSession", map[string]any{"AttachmentItem": item}, &s, o.call...); err != nil {
		return m.mb.wrap(err)
	}
	uo := append([]graph.UploadOption{}, o.upload...)
	if o.progress != nil {
		name := a.Name
		uo = append(uo, graph.UploadProgress(func(sent, total int64) { o.progress(name, sent, total) }))
	}
	var res *graph.UploadResult
	r, size, err := a.src.open()
	switch {
	case err == nil:
		defer r.Close()
		if size != a.Size {
			return fmt.Errorf("mail: attachment %q changed size from %d to %d bytes", a.Name, a.Size, size)
		}
		res, err = m.mb.c.Upload(ctx, &s, r, size, nil, uo...)
	case err == errStreamOnly:
		rs := a.src.(*readerSource)
		res, err = m.mb.c.UploadReader(ctx, &s, rs.r, rs.size, nil, uo...)
	}
	if err != nil {
		return fmt.Errorf("mail: attachment %q: %w", a.Name, err)
	}
	a.src = nil
	a.mb, a.msgID = m.mb, m.ID
	if sm := locationID.FindAllStringSubmatch(res.Location, -1); len(sm) > 0 {
		a.ID = sm[len(sm)-1][1]
	}
	if a.ID == "" {
		a.ID = "uploaded"
	}
	return nil
}

// adopt takes the service's view of a just-created attachment.
func (a *Attachment) adopt(got *Attachment) {
	a.ID, a.ODataType = got.ID, got.ODataType
	if got.Name != "" {
		a.Name = got.Name
	}
	if got.ContentType != "" {
		a.ContentType = got.ContentType
	}
	if got.Size != 0 {
		a.Size = got.Size
	}
	a.LastModifiedDateTime = got.LastModifiedDateTime
	a.src = nil
}

// ListAttachments lists the message's attachments without their content (GET
// .../attachments with $select of the common properties), bound to the message.
func (m *Message) ListAttachments(ctx context.Context) iter.Seq2[*Attachment, error] {
	p, err := m.path("/attachments")
	if err != nil {
		return errSeq[Attachment](err)
	}
	lo := &graph.ListOptions{Query: odata.New().Select("id", "name", "contentType", "size", "isInline", "lastModifiedDateTime")}
	return func(yield func(*Attachment, error) bool) {
		for a, err := range graph.List[Attachment](ctx, m.mb.c, p, lo) {
			if a != nil {
				a.mb, a.msgID = m.mb, m.ID
			}
			if !yield(a, m.mb.wrap(err)) {
				return
			}
		}
	}
}

// Attachment gets one attachment with its content (a file's ContentBytes are in memory:
// for large files prefer ListAttachments and Attachment.Save, which streams).
func (m *Message) Attachment(ctx context.Context, id string) (*Attachment, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	p, err := m.path("/attachments/" + pathEscape(id))
	if err != nil {
		return nil, err
	}
	var a Attachment
	if err := m.mb.c.Get(ctx, p, &a); err != nil {
		return nil, m.mb.wrap(err)
	}
	a.mb, a.msgID = m.mb, m.ID
	return &a, nil
}

// LoadAttachments replaces m.Attachments with the message's attachments as listed by
// ListAttachments (content not loaded), keeping those not yet uploaded.
func (m *Message) LoadAttachments(ctx context.Context) error {
	var out Attachments
	for a, err := range m.ListAttachments(ctx) {
		if err != nil {
			return err
		}
		out = append(out, a)
	}
	for _, a := range m.Attachments {
		if a.Pending() {
			out = append(out, a)
		}
	}
	m.Attachments = out
	return nil
}
