package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/odata"
)

// messageColumns are the columns of `mail list` in text, CSV and Markdown; JSON has every
// property.
var messageColumns = []output.Column{
	{Header: "received", Path: "receivedDateTime"},
	{Header: "from", Path: "from.emailAddress.address"},
	{Header: "subject", Path: "subject"},
	{Header: "read", Path: "isRead"},
	{Header: "id", Path: "id"},
}

func (a *app) mailCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mail",
		Short: "Read, send and organise mail",
		Long: `Read, send and organise Outlook mail: messages, folders, attachments, automatic replies
and inbox rules.

--mailbox works on a shared mailbox or another user's instead of your own; the signed-in
user needs access to it and the app the .Shared scopes (Mail.ReadWrite.Shared,
Mail.Send.Shared).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&a.mailboxFlag, "mailbox", "", "a shared mailbox or another user's (UPN or id); default your own")
	cmd.AddCommand(
		a.mailListCommand(),
		a.mailReadCommand(),
		a.mailSearchCommand(),
		a.mailSendCommand(),
		a.mailReplyCommand(),
		a.mailForwardCommand(),
		a.mailMoveCommand(),
		a.mailDeleteCommand(),
		a.mailFolderCommand(),
		a.mailAttachmentCommand(),
		a.mailAutoReplyCommand(),
		a.mailRuleCommand(),
	)
	return cmd
}

// mailbox returns the mailbox the mail commands work on: the signed-in user's, or the
// one --mailbox names.
func (a *app) mailbox(ctx context.Context) (*mail.Mailbox, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	res := graph.Me
	if a.mailboxFlag != "" {
		res = graph.User(a.mailboxFlag)
	}
	return mail.New(c, res), nil
}

func (a *app) mailListCommand() *cobra.Command {
	var (
		folder, filter, search, orderBy string
		selects                         []string
		top, pageSize                   int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the messages of a folder, newest first",
		Long: `List the messages of a mail folder (the inbox by default), newest first.

--filter, --search, --select and --orderby are sent to Graph; --query (JMESPath) reshapes
the result on this side.

  o365 mail list --top 10
  o365 mail list --folder sentitems --filter "isRead eq false" -o csv
  o365 mail list --search report --query "[].{from: from.emailAddress.address, subject: subject}"
  o365 mail list --mailbox shared@contoso.com --folder all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if top < 0 || pageSize < 0 || pageSize > 1000 {
				return usagef("--top must be >= 0 and --page-size between 1 and 1000")
			}
			if pageSize == 0 {
				pageSize = 100
				if top > 0 {
					pageSize = min(top, 1000)
				}
			}
			q := odata.New()
			if filter != "" {
				q = q.Filter(odata.Raw(filter))
			}
			if search != "" {
				q = q.Search(search)
			}
			if len(selects) > 0 {
				q = q.Select(splitList(selects)...)
			}
			// Without --orderby Graph sorts by receivedDateTime, newest first. Sending that
			// explicitly would make Graph refuse most filters (InefficientFilter: sorted
			// properties must come first in $filter) and every $search.
			if orderBy != "" {
				name, dir, _ := strings.Cut(strings.TrimSpace(orderBy), " ")
				d := odata.Asc
				if strings.EqualFold(strings.TrimSpace(dir), "desc") {
					d = odata.Desc
				}
				q = q.OrderBy(name, d)
			}
			if err := q.Err(); err != nil {
				return usageError{err}
			}
			mb, err := a.mailbox(cmd.Context())
			if err != nil {
				return err
			}
			lo := &graph.ListOptions{Limit: top, PageSize: pageSize, Query: q}
			seq := mb.Messages(cmd.Context(), lo)
			if folder != "" && folder != "all" {
				f, err := resolveFolder(cmd.Context(), mb, folder)
				if err != nil {
					return err
				}
				seq = f.Messages(cmd.Context(), lo)
			}
			msgs := []*mail.Message{}
			for m, err := range seq {
				if err != nil {
					return err
				}
				msgs = append(msgs, m)
			}
			return a.print(msgs, messageColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&folder, "folder", mail.Inbox, "folder: well-known name (inbox, sentitems, drafts, ...), display name, path or id; 'all' for every folder")
	f.IntVar(&top, "top", 25, "at most this many messages (0: all)")
	f.IntVar(&pageSize, "page-size", 0, "messages per request (default: --top, at most 1000)")
	f.StringVar(&filter, "filter", "", "OData $filter, e.g. \"isRead eq false\"")
	f.StringVar(&search, "search", "", "$search text, e.g. \"quarterly report\"")
	f.StringSliceVar(&selects, "select", nil, "properties to return, comma-separated")
	f.StringVar(&orderBy, "orderby", "", "sort key, e.g. \"subject asc\" (default: newest first)")
	return cmd
}
