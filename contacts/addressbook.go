package contacts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/odata"
)

// Errors of this package. Service failures are *graph.Error values: match
// them with errors.Is(err, graph.ErrNotFound), graph.ErrConflict, ...
var (
	// ErrEmptyID is returned when a call needs an id and was given "".
	ErrEmptyID = errors.New("contacts: empty id")
	// ErrEmptyName is returned when a folder name is empty.
	ErrEmptyName = errors.New("contacts: empty name")
	// ErrUnbound is returned by calls on a model that was not read through an
	// AddressBook (for example one the caller decoded).
	ErrUnbound = errors.New("contacts: the model is not bound to an address book")
	// ErrNotSaved is returned by calls on a contact that exists only locally.
	ErrNotSaved = errors.New("contacts: the contact has not been saved")
	// ErrRootFolder is returned by Rename, Move and Delete on the default
	// Contacts folder, which Outlook does not allow.
	ErrRootFolder = errors.New("contacts: the default Contacts folder cannot be renamed, moved or deleted")
	// ErrNoEmail is returned by NewMessage for a contact without an e-mail address.
	ErrNoEmail = errors.New("contacts: the contact has no e-mail address")
	// ErrNotFound matches (errors.Is) the error of ContactByEmail and
	// FolderByName when nothing matches; it also matches graph.ErrNotFound.
	ErrNotFound = errors.New("contacts: not found")
	// ErrSyncStateExpired matches the error of a delta round whose deltaLink the
	// service no longer knows (410 Gone); start over with a delta without a link.
	ErrSyncStateExpired = graph.ErrSyncStateExpired
)

type notFound struct{ what string }

func (e *notFound) Error() string   { return "contacts: " + e.what + " not found" }
func (e *notFound) Is(t error) bool { return t == ErrNotFound || t == graph.ErrNotFound }

// AddressBook is a handle on one user's personal contacts. It does no I/O
// until a call and is safe for concurrent use.
type AddressBook struct {
	c   *graph.Client
	res graph.Resource
}

// New returns a handle on the address book of res; an empty res means graph.Me.
func New(c *graph.Client, res graph.Resource) *AddressBook {
	if res == "" {
		res = graph.Me
	}
	return &AddressBook{c: c, res: res}
}

// Resource returns the resource the address book belongs to, e.g. "me".
func (ab *AddressBook) Resource() graph.Resource { return ab.res }

// Client returns the Graph client the address book uses.
func (ab *AddressBook) Client() *graph.Client { return ab.c }

// Root returns the default Contacts folder (python-o365's AddressBook).
func (ab *AddressBook) Root() *Folder { return &Folder{ab: ab} }

// Folder returns a handle on the contact folder with the id.
func (ab *AddressBook) Folder(id string) *Folder { return &Folder{ab: ab, id: id} }

// Contacts lists the contacts of the default folder (GET /contacts).
func (ab *AddressBook) Contacts(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Contact, error] {
	return ab.Root().Contacts(ctx, lo)
}

// Folders lists the folders below the default folder (GET /contactFolders).
func (ab *AddressBook) Folders(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*ContactFolder, error] {
	return ab.Root().ChildFolders(ctx, lo)
}

// FolderByName returns the folder below the default folder with the name.
func (ab *AddressBook) FolderByName(ctx context.Context, name string) (*ContactFolder, error) {
	return ab.Root().ChildFolderByName(ctx, name)
}

// CreateFolder creates a folder below the default folder.
func (ab *AddressBook) CreateFolder(ctx context.Context, name string) (*ContactFolder, error) {
	return ab.Root().CreateChildFolder(ctx, name)
}

// ContactByEmail returns the first contact of the default folder with the
// address (Graph compares addresses case-insensitively).
func (ab *AddressBook) ContactByEmail(ctx context.Context, address string) (*Contact, error) {
	return ab.Root().ContactByEmail(ctx, address)
}

// NewContact returns a new, unsaved contact of the default folder.
func (ab *AddressBook) NewContact() *Contact { return ab.Root().NewContact() }

// Contact reads the contact with the id, in whichever folder it is.
func (ab *AddressBook) Contact(ctx context.Context, id string, opts ...graph.CallOption) (*Contact, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	var c Contact
	if err := ab.c.Get(ctx, ab.res.Path("contacts", id), &c, opts...); err != nil {
		return nil, ab.wrap(err)
	}
	return c.bind(ab), nil
}

// DeleteContact deletes the contact with the id.
func (ab *AddressBook) DeleteContact(ctx context.Context, id string, opts ...graph.CallOption) error {
	if id == "" {
		return ErrEmptyID
	}
	return ab.wrap(ab.c.Delete(ctx, ab.res.Path("contacts", id), opts...))
}

// wrap says what to do when another user's contacts are denied.
func (ab *AddressBook) wrap(err error) error {
	var ge *graph.Error
	if err == nil || !errors.As(err, &ge) || !strings.HasPrefix(string(ab.res), "users/") || ge.StatusCode != http.StatusForbidden {
		return err
	}
	return fmt.Errorf("contacts: %s: %w (another user's contacts need that user's delegation and Contacts.Read.Shared / Contacts.ReadWrite.Shared, or the Contacts.* application roles)", ab.res, err)
}

func (c *Contact) bind(ab *AddressBook) *Contact {
	if c != nil {
		c.ab = ab
		c.folder = c.ParentFolderID
		c.takeSnapshot()
	}
	return c
}

func (f *ContactFolder) bind(ab *AddressBook) *ContactFolder {
	if f != nil {
		f.ab = ab
	}
	return f
}

// Folder returns a handle on the folder, for its contacts and verbs.
func (f *ContactFolder) Folder() *Folder {
	return &Folder{ab: f.ab, id: f.ID}
}

func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

func bindContacts(ab *AddressBook, seq iter.Seq2[*Contact, error]) iter.Seq2[*Contact, error] {
	return func(yield func(*Contact, error) bool) {
		for c, err := range seq {
			if !yield(c.bind(ab), ab.wrap(err)) {
				return
			}
		}
	}
}

// Save creates the contact (POST, in the folder it was made for) or
// PATCHes the properties that changed since it was read or last saved,
// then refreshes c from the answer. Nothing changed: no request.
func (c *Contact) Save(ctx context.Context, opts ...graph.CallOption) error {
	if c.ab == nil {
		return ErrUnbound
	}
	body, err := c.changes()
	if err != nil {
		return err
	}
	var got Contact
	if c.ID == "" {
		p := c.ab.res.Path("contacts")
		if c.folder != "" {
			p = c.ab.res.Path("contactFolders", c.folder, "contacts")
		}
		err = c.ab.c.Post(ctx, p, body, &got, opts...)
	} else {
		if len(body) == 0 {
			return nil
		}
		err = c.ab.c.Patch(ctx, c.ab.res.Path("contacts", c.ID), body, &got, opts...)
	}
	if err != nil {
		return c.ab.wrap(err)
	}
	ab := c.ab
	*c = got
	c.bind(ab)
	return nil
}

// Delete deletes the contact.
func (c *Contact) Delete(ctx context.Context, opts ...graph.CallOption) error {
	if c.ab == nil {
		return ErrUnbound
	}
	if c.ID == "" {
		return ErrNotSaved
	}
	return c.ab.DeleteContact(ctx, c.ID, opts...)
}

// MaxPhotoSize is the largest photo Photo reads (Outlook stores at most 4 MB).
const MaxPhotoSize = 4 << 20

// Photo returns the contact's photo and its content type. A contact without
// one answers 404: errors.Is(err, graph.ErrNotFound).
func (c *Contact) Photo(ctx context.Context, opts ...graph.CallOption) ([]byte, string, error) {
	if c.ab == nil {
		return nil, "", ErrUnbound
	}
	if c.ID == "" {
		return nil, "", ErrNotSaved
	}
	resp, err := c.ab.c.Send(ctx, &graph.Request{Method: http.MethodGet, Path: c.ab.res.Path("contacts", c.ID, "photo", "$value")}, opts...)
	if err != nil {
		return nil, "", c.ab.wrap(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxPhotoSize+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) > MaxPhotoSize {
		return nil, "", fmt.Errorf("contacts: photo larger than %d bytes", MaxPhotoSize)
	}
	return data, resp.Header.Get("Content-Type"), nil
}

// SetPhoto replaces the contact's photo (PUT .../photo/$value); contentType
// is an image type such as "image/jpeg" ("" means image/jpeg).
func (c *Contact) SetPhoto(ctx context.Context, data []byte, contentType string, opts ...graph.CallOption) error {
	if c.ab == nil {
		return ErrUnbound
	}
	if c.ID == "" {
		return ErrNotSaved
	}
	if contentType == "" {
		contentType = "image/jpeg"
	}
	resp, err := c.ab.c.Send(ctx, &graph.Request{Method: http.MethodPut, Path: c.ab.res.Path("contacts", c.ID, "photo", "$value"),
		Body: data, ContentType: contentType}, opts...)
	if err != nil {
		return c.ab.wrap(err)
	}
	return resp.Body.Close()
}

// NewMessage returns a new, unsaved mail message from the address book's
// mailbox addressed to the contact's main e-mail address; set its subject
// and body, then Save or Send it.
func (c *Contact) NewMessage() (*mail.Message, error) {
	if c.ab == nil {
		return nil, ErrUnbound
	}
	addr := c.MainEmail()
	if addr == "" {
		return nil, ErrNoEmail
	}
	m := mail.New(c.ab.c, c.ab.res).NewMessage()
	m.ToRecipients = graph.Recipients{graph.NewRecipient(addr, c.DisplayName)}
	return m, nil
}

// Folder is a handle on a contact folder: the default one (AddressBook.Root)
// or one with an id. It does no I/O until a call.
type Folder struct {
	ab *AddressBook
	id string // "" for the default folder
}

// ID returns the folder id ("" for the default folder).
func (f *Folder) ID() string { return f.id }

// IsRoot reports whether the handle is the default Contacts folder.
func (f *Folder) IsRoot() bool { return f.id == "" }

// contactsPath is the folder's contacts collection.
func (f *Folder) contactsPath(rest ...string) string {
	if f.id == "" {
		return f.ab.res.Path(append([]string{"contacts"}, rest...)...)
	}
	return f.ab.res.Path(append([]string{"contactFolders", f.id, "contacts"}, rest...)...)
}

// foldersPath is the folder's child folder collection.
func (f *Folder) foldersPath() string {
	if f.id == "" {
		return f.ab.res.Path("contactFolders")
	}
	return f.ab.res.Path("contactFolders", f.id, "childFolders")
}

func (f *Folder) bound() error {
	if f == nil || f.ab == nil {
		return ErrUnbound
	}
	return nil
}

// Get reads the folder. For the default folder, whose id Graph v1.0 does not
// list, the id is read from one of its contacts (the documented
// workaround), so the folder must hold a contact; otherwise the error
// matches graph.ErrNotFound.
func (f *Folder) Get(ctx context.Context, opts ...graph.CallOption) (*ContactFolder, error) {
	if err := f.bound(); err != nil {
		return nil, err
	}
	if f.id == "" {
		lo := &graph.ListOptions{Limit: 1, PageSize: 1, Query: odata.New().Select("parentFolderId"), NoPrefetch: true}
		for c, err := range graph.List[Contact](ctx, f.ab.c, f.contactsPath(), lo, opts...) {
			if err != nil {
				return nil, f.ab.wrap(err)
			}
			return (&ContactFolder{ID: c.ParentFolderID, DisplayName: "Contacts"}).bind(f.ab), nil
		}
		return nil, &notFound{"the default folder's id (it holds no contact)"}
	}
	var cf ContactFolder
	if err := f.ab.c.Get(ctx, f.ab.res.Path("contactFolders", f.id), &cf, opts...); err != nil {
		return nil, f.ab.wrap(err)
	}
	return cf.bind(f.ab), nil
}

// Contacts lists the folder's contacts. lo.Query may filter, order and
// select (odata.Attr("surname").StartsWith("F")); a nil lo uses Graph's
// pages of 10.
func (f *Folder) Contacts(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*Contact, error] {
	if err := f.bound(); err != nil {
		return errSeq[Contact](err)
	}
	return bindContacts(f.ab, graph.List[Contact](ctx, f.ab.c, f.contactsPath(), lo))
}

// ContactByEmail returns the first contact of the folder one of whose
// addresses is address ($filter=emailAddresses/any(a:a/address eq '...')).
// When none has it the error matches ErrNotFound and graph.ErrNotFound.
func (f *Folder) ContactByEmail(ctx context.Context, address string) (*Contact, error) {
	q := odata.New().Filter(odata.Attr("emailAddresses").Any("a", func(a odata.Attribute) odata.Expr {
		return a.Attr("address").Eq(address)
	}))
	if err := q.Err(); err != nil {
		return nil, err
	}
	for c, err := range f.Contacts(ctx, &graph.ListOptions{Limit: 1, Query: q, NoPrefetch: true}) {
		return c, err
	}
	return nil, &notFound{"contact with address " + address}
}

// NewContact returns a new, unsaved contact that Save creates in this
// folder.
func (f *Folder) NewContact() *Contact {
	return &Contact{ab: f.ab, folder: f.id}
}

// ChildFolders lists the folder's direct subfolders.
func (f *Folder) ChildFolders(ctx context.Context, lo *graph.ListOptions) iter.Seq2[*ContactFolder, error] {
	if err := f.bound(); err != nil {
		return errSeq[ContactFolder](err)
	}
	return func(yield func(*ContactFolder, error) bool) {
		for cf, err := range graph.List[ContactFolder](ctx, f.ab.c, f.foldersPath(), lo) {
			if !yield(cf.bind(f.ab), f.ab.wrap(err)) || err != nil {
				return
			}
		}
	}
}

// ChildFolderByName returns the direct subfolder with the name
// ($filter=displayName eq '...'). When none has it the error matches
// ErrNotFound and graph.ErrNotFound.
func (f *Folder) ChildFolderByName(ctx context.Context, name string) (*ContactFolder, error) {
	q := odata.New().Filter(odata.Attr("displayName").Eq(name))
	if err := q.Err(); err != nil {
		return nil, err
	}
	for cf, err := range f.ChildFolders(ctx, &graph.ListOptions{Query: q, NoPrefetch: true}) {
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(cf.DisplayName, name) {
			return cf, nil
		}
	}
	return nil, &notFound{"folder " + name}
}

// CreateChildFolder creates a subfolder. A name already used by a sibling
// answers 409: errors.Is(err, graph.ErrConflict).
func (f *Folder) CreateChildFolder(ctx context.Context, name string) (*ContactFolder, error) {
	if err := f.bound(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		return nil, ErrEmptyName
	}
	var cf ContactFolder
	if err := f.ab.c.Post(ctx, f.foldersPath(), map[string]string{"displayName": name}, &cf); err != nil {
		return nil, f.ab.wrap(err)
	}
	return cf.bind(f.ab), nil
}

func (f *Folder) patch(ctx context.Context, body map[string]string) (*ContactFolder, error) {
	if err := f.bound(); err != nil {
		return nil, err
	}
	if f.id == "" {
		return nil, ErrRootFolder
	}
	var cf ContactFolder
	if err := f.ab.c.Patch(ctx, f.ab.res.Path("contactFolders", f.id), body, &cf); err != nil {
		return nil, f.ab.wrap(err)
	}
	return cf.bind(f.ab), nil
}

// Rename changes the folder's name.
func (f *Folder) Rename(ctx context.Context, name string) (*ContactFolder, error) {
	if strings.TrimSpace(name) == "" {
		return nil, ErrEmptyName
	}
	return f.patch(ctx, map[string]string{"displayName": name})
}

// MoveTo moves the folder below the folder with destID (a PATCH of its
// parentFolderId, as Graph v1.0 has no move action for contact folders).
func (f *Folder) MoveTo(ctx context.Context, destID string) (*ContactFolder, error) {
	if destID == "" {
		return nil, ErrEmptyID
	}
	return f.patch(ctx, map[string]string{"parentFolderId": destID})
}

// Delete deletes the folder with its contacts and subfolders.
func (f *Folder) Delete(ctx context.Context) error {
	if err := f.bound(); err != nil {
		return err
	}
	if f.id == "" {
		return ErrRootFolder
	}
	return f.ab.wrap(f.ab.c.Delete(ctx, f.ab.res.Path("contactFolders", f.id)))
}

// NewMessage returns a new, unsaved mail message addressed to the main
// e-mail address of every contact of the folder (those lo's query keeps,
// when set); contacts without one are skipped.
func (f *Folder) NewMessage(ctx context.Context, lo *graph.ListOptions) (*mail.Message, error) {
	if err := f.bound(); err != nil {
		return nil, err
	}
	m := mail.New(f.ab.c, f.ab.res).NewMessage()
	for c, err := range f.Contacts(ctx, lo) {
		if err != nil {
			return nil, err
		}
		if a := c.MainEmail(); a != "" && !m.ToRecipients.Contains(a) {
			m.ToRecipients = append(m.ToRecipients, graph.NewRecipient(a, c.DisplayName))
		}
	}
	return m, nil
}

// Delta prepares a delta round over the folder's contacts (GET
// .../contacts/delta); it does no I/O. With deltaLink "" it is the initial
// round (every contact; lo's $select applies, lo.PageSize becomes Prefer:
// odata.maxpagesize); with a DeltaLink saved from an earlier round it yields
// what changed since. The contacts it yields are bound to the address book.
func (f *Folder) Delta(deltaLink string, lo *graph.ListOptions, opts ...graph.CallOption) *graph.Delta[Contact] {
	if f.bound() != nil {
		return graph.NewDelta[Contact](nil, deltaLink, lo, opts...)
	}
	start := deltaLink
	if start == "" {
		start = f.contactsPath("delta")
	}
	return graph.NewDelta[Contact](f.ab.c, start, lo, opts...).OnItem(func(c *Contact) { c.bind(f.ab) })
}
