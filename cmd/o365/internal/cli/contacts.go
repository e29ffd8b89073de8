package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/contacts"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// contactColumns are the columns of `contacts list` in text, CSV and Markdown; JSON has
// every property.
var contactColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "email", Path: "email"},
	{Header: "company", Path: "companyName"},
	{Header: "mobile", Path: "mobilePhone"},
	{Header: "id", Path: "id"},
}

// contactView is a contact as the commands print it: every property, plus its main
// e-mail address for the table formats.
type contactView struct {
	*contacts.Contact
	Email string `json:"email,omitempty"`
}

func viewOf(c *contacts.Contact) contactView { return contactView{c, c.MainEmail()} }

// contactAction is the result of a delete.
type contactAction struct {
	Action string `json:"action"`
	Name   string `json:"name,omitempty"`
	ID     string `json:"id"`
}

// contactsCmd holds the flags the contacts subcommands share.
type contactsCmd struct {
	a            *app
	user, folder string
}

func (a *app) contactsCommand() *cobra.Command {
	cc := &contactsCmd{a: a}
	cmd := &cobra.Command{
		Use:   "contacts",
		Short: "List, add, show and delete personal contacts",
		Long: `List, add, show and delete the personal contacts of your address book (Outlook's
Contacts folder and the folders below it).

Contacts need the Contacts.ReadWrite scope: o365 login --scopes basic,address_book_all
(address_book for read only). --user works on another user's contacts, which needs their
delegation and address_book_all_shared.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&cc.user, "user", "", "another user's contacts (UPN or id); default your own")
	pf.StringVar(&cc.folder, "folder", "", "contact folder: display name (below Contacts) or id; default the Contacts folder")
	cmd.AddCommand(cc.listCommand(), cc.addCommand(), cc.showCommand(), cc.deleteCommand())
	return cmd
}

// book returns the address book and the folder the command works on.
func (cc *contactsCmd) book(ctx context.Context) (*contacts.AddressBook, *contacts.Folder, error) {
	_, c, err := cc.a.session(ctx)
	if err != nil {
		return nil, nil, err
	}
	res := graph.Me
	if cc.user != "" {
		res = graph.User(cc.user)
	}
	ab := contacts.New(c, res)
	if cc.folder == "" {
		return ab, ab.Root(), nil
	}
	f, err := ab.FolderByName(ctx, cc.folder)
	if errors.Is(err, contacts.ErrNotFound) {
		// Not a name: an id.
		if _, gerr := ab.Folder(cc.folder).Get(ctx); gerr == nil {
			return ab, ab.Folder(cc.folder), nil
		}
		return nil, nil, fmt.Errorf("no contact folder named %q", cc.folder)
	}
	if err != nil {
		return nil, nil, contactsHint(err)
	}
	return ab, f.Folder(), nil
}

// contactsHint adds the scope to sign in with to a permission error.
func contactsHint(err error) error {
	if errors.Is(err, graph.ErrForbidden) {
		return fmt.Errorf("%w (contacts need the Contacts.ReadWrite scope: o365 login --scopes basic,address_book_all)", err)
	}
	return err
}

func (cc *contactsCmd) listCommand() *cobra.Command {
	var (
		filter string
		top    int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the contacts of a folder",
		Long: `List the contacts of the Contacts folder (or --folder), sorted by name.

  o365 contacts list
  o365 contacts list --folder Suppliers -o csv
  o365 contacts list --filter "startswith(companyName,'Fabrikam')"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if top < 0 {
				return usagef("--top must be >= 0")
			}
			q := odata.New()
			if filter != "" {
				q = q.Filter(odata.Raw(filter))
			}
			if err := q.Err(); err != nil {
				return usageError{err}
			}
			_, f, err := cc.book(cmd.Context())
			if err != nil {
				return err
			}
			out := []contactView{}
			for c, err := range f.Contacts(cmd.Context(), &graph.ListOptions{Limit: top, PageSize: 100, Query: q}) {
				if err != nil {
					return contactsHint(err)
				}
				out = append(out, viewOf(c))
			}
			return cc.a.print(out, contactColumns...)
		},
	}
	cmd.Flags().StringVar(&filter, "filter", "", "OData $filter, e.g. \"startswith(surname,'F')\"")
	cmd.Flags().IntVar(&top, "top", 0, "at most this many contacts (0: all)")
	return cmd
}

func (cc *contactsCmd) addCommand() *cobra.Command {
	var (
		c        contacts.Contact
		emails   []string
		phones   []string
		birthday string
		cats     []string
	)
	cmd := &cobra.Command{
		Use:   "add [NAME]",
		Short: "Add a contact",
		Long: `Add a contact to the Contacts folder (or --folder). NAME is the display name; without it
Outlook makes one from --given and --surname.

  o365 contacts add "Garth Fort" --email garth@fabrikam.com --company Fabrikam
  o365 contacts add --given Ken --surname Myer --email ken@northwind.com --folder Suppliers`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				c.DisplayName = args[0]
			}
			if c.DisplayName == "" && c.GivenName == "" && c.Surname == "" {
				return usagef("add needs a NAME or --given/--surname")
			}
			if len(emails) > 3 {
				return usagef("a contact has at most 3 e-mail addresses")
			}
			for _, e := range emails {
				rs, err := graph.ParseRecipients(e)
				if err != nil || len(rs) != 1 {
					return usagef("bad --email %q", e)
				}
				c.EmailAddresses = append(c.EmailAddresses, contacts.EmailAddress{Name: rs[0].EmailAddress.Name, Address: rs[0].EmailAddress.Address})
			}
			c.BusinessPhones = phones
			c.Categories = cats
			if birthday != "" {
				t, err := time.Parse("2006-01-02", birthday)
				if err != nil {
					return usagef("--birthday must be YYYY-MM-DD")
				}
				c.Birthday = contacts.Date{Time: t}
			}
			_, f, err := cc.book(cmd.Context())
			if err != nil {
				return err
			}
			n := f.NewContact()
			fill(n, &c)
			if err := n.Save(cmd.Context()); err != nil {
				return contactsHint(err)
			}
			return cc.a.print(viewOf(n), contactColumns...)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&c.GivenName, "given", "", "given (first) name")
	fl.StringVar(&c.Surname, "surname", "", "surname")
	fl.StringArrayVar(&emails, "email", nil, "e-mail address (\"Name <addr>\" or addr); repeat for up to 3")
	fl.StringVar(&c.MobilePhone, "mobile", "", "mobile phone")
	fl.StringArrayVar(&phones, "phone", nil, "business phone; repeat for several")
	fl.StringVar(&c.CompanyName, "company", "", "company name")
	fl.StringVar(&c.JobTitle, "job-title", "", "job title")
	fl.StringVar(&c.Department, "department", "", "department")
	fl.StringVar(&birthday, "birthday", "", "birthday, YYYY-MM-DD")
	fl.StringArrayVar(&cats, "category", nil, "category name (\"Red category\"); repeat for several")
	fl.StringVar(&c.PersonalNotes, "notes", "", "personal notes")
	return cmd
}

// fill copies the properties the add command sets onto a new contact (keeping n's binding).
func fill(n, c *contacts.Contact) {
	n.DisplayName, n.GivenName, n.Surname = c.DisplayName, c.GivenName, c.Surname
	n.EmailAddresses, n.MobilePhone, n.BusinessPhones = c.EmailAddresses, c.MobilePhone, c.BusinessPhones
	n.CompanyName, n.JobTitle, n.Department = c.CompanyName, c.JobTitle, c.Department
	n.Birthday, n.Categories, n.PersonalNotes = c.Birthday, c.Categories, c.PersonalNotes
}

// contact finds a contact by id or e-mail address (in the command's folder).
func (cc *contactsCmd) contact(ctx context.Context, key string) (*contacts.Contact, error) {
	ab, f, err := cc.book(ctx)
	if err != nil {
		return nil, err
	}
	if strings.Contains(key, "@") {
		c, err := f.ContactByEmail(ctx, key)
		return c, contactsHint(err)
	}
	c, err := ab.Contact(ctx, key)
	return c, contactsHint(err)
}

func (cc *contactsCmd) showCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show ID|EMAIL",
		Short: "Show a contact (by id, or by e-mail address in the folder)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("show needs one contact ID or e-mail address")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := cc.contact(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return cc.a.print(viewOf(c), append(contactColumns[:4:4],
				output.Column{Header: "job title", Path: "jobTitle"},
				output.Column{Header: "birthday", Path: "birthday"},
				output.Column{Header: "id", Path: "id"})...)
		},
	}
}

func (cc *contactsCmd) deleteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID|EMAIL...",
		Short: "Delete contacts",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("delete needs at least one contact ID or e-mail address")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := []contactAction{}
			for _, key := range args {
				c, err := cc.contact(cmd.Context(), key)
				if err != nil {
					return err
				}
				if err := c.Delete(cmd.Context()); err != nil {
					return contactsHint(err)
				}
				out = append(out, contactAction{Action: "deleted", Name: c.DisplayName, ID: c.ID})
			}
			return cc.a.print(out, output.Column{Header: "action", Path: "action"}, output.Column{Header: "name", Path: "name"}, output.Column{Header: "id", Path: "id"})
		},
	}
}
