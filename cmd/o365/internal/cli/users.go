package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// userColumns are the columns of the users commands in text, CSV and Markdown; JSON has
// every property.
var userColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "upn", Path: "userPrincipalName"},
	{Header: "title", Path: "jobTitle"},
	{Header: "department", Path: "department"},
	{Header: "id", Path: "id"},
}

func (a *app) usersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "List, show and search the users of the directory",
		Long: `List, show and search the users of the directory (Microsoft Entra ID).

Reading other users needs User.ReadBasic.All or User.Read.All (the "users" scope helper
asks for User.ReadBasic.All; sign in with --scopes basic,users or User.Read.All).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.usersListCommand(), a.usersShowCommand(), a.usersSearchCommand())
	return cmd
}

// directory returns the directory handle of the signed-in profile.
func (a *app) directory(ctx context.Context) (*directory.Directory, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	return directory.New(c), nil
}

// directoryQuery builds the query of the directory list commands.
func directoryQuery(filter, search, orderBy string, selects []string) (*odata.Query, error) {
	q := odata.New()
	if filter != "" {
		q = q.Filter(odata.Raw(filter))
	}
	if search != "" {
		if name, term, ok := strings.Cut(search, ":"); ok && !strings.ContainsAny(name, " \"") {
			q = q.SearchProperty(name, term)
		} else {
			q = q.Search(search)
		}
	}
	if len(selects) > 0 {
		q = q.Select(splitList(selects)...)
	}
	if orderBy != "" {
		name, dir, _ := strings.Cut(strings.TrimSpace(orderBy), " ")
		d := odata.Asc
		if strings.EqualFold(strings.TrimSpace(dir), "desc") {
			d = odata.Desc
		}
		q = q.OrderBy(name, d)
	}
	if err := q.Err(); err != nil {
		return nil, usageError{err}
	}
	return q, nil
}

func (a *app) usersListCommand() *cobra.Command {
	var (
		filter, search, orderBy string
		selects                 []string
		top                     int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Long: `List the users of the directory.

--search takes "property:text" (displayName:adele) or plain text; search, ne, not,
endswith and --orderby with --filter are advanced queries, sent with ConsistencyLevel:
eventual.

  o365 users list --top 10
  o365 users list --filter "department eq 'Marketing'" -o csv
  o365 users list --search displayName:meg --select displayName,mail`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if top < 0 {
				return usagef("--top must be >= 0")
			}
			q, err := directoryQuery(filter, search, orderBy, selects)
			if err != nil {
				return err
			}
			dir, err := a.directory(cmd.Context())
			if err != nil {
				return err
			}
			return a.printUsers(dir.Users(cmd.Context(), &graph.ListOptions{Limit: top, Query: q}))
		},
	}
	f := cmd.Flags()
	f.IntVar(&top, "top", 100, "at most this many users (0: all)")
	f.StringVar(&filter, "filter", "", "OData $filter, e.g. \"department eq 'Sales'\"")
	f.StringVar(&search, "search", "", "$search: \"displayName:adele\" or text")
	f.StringSliceVar(&selects, "select", nil, "properties to return, comma-separated")
	f.StringVar(&orderBy, "orderby", "", "sort key, e.g. \"displayName asc\"")
	return cmd
}

func (a *app) printUsers(seq func(func(*directory.User, error) bool)) error {
	users := []*directory.User{}
	for u, err := range seq {
		if err != nil {
			return err
		}
		users = append(users, u)
	}
	return a.print(users, userColumns...)
}

func (a *app) usersShowCommand() *cobra.Command {
	var (
		selects []string
		manager bool
	)
	cmd := &cobra.Command{
		Use:   "show <id|upn|me>",
		Short: "Show one user",
		Long: `Show one user by id or user principal name ("me": the signed-in user).

  o365 users show me
  o365 users show MeganB@contoso.onmicrosoft.com --select displayName,department,city
  o365 users show me --manager`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := a.directory(cmd.Context())
			if err != nil {
				return err
			}
			var q *odata.Query
			if len(selects) > 0 {
				q = odata.New().Select(splitList(selects)...)
			}
			var u *directory.User
			if strings.EqualFold(args[0], "me") {
				u, err = dir.Me(cmd.Context(), q)
			} else {
				u, err = dir.User(cmd.Context(), args[0], q)
			}
			if err != nil {
				return err
			}
			if manager {
				if u, err = u.Manager(cmd.Context()); err != nil {
					return err
				}
			}
			return a.print(u, userColumns...)
		},
	}
	cmd.Flags().StringSliceVar(&selects, "select", nil, "properties to return, comma-separated")
	cmd.Flags().BoolVar(&manager, "manager", false, "show the user's manager instead")
	return cmd
}

func (a *app) usersSearchCommand() *cobra.Command {
	var top int
	cmd := &cobra.Command{
		Use:   "search <text>",
		Short: "Find users by name, mail or user principal name",
		Long: `Find users whose display name, mail or user principal name has a word starting
with the text.

  o365 users search adele`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := a.directory(cmd.Context())
			if err != nil {
				return err
			}
			return a.printUsers(dir.Search(cmd.Context(), args[0], &graph.ListOptions{Limit: top}))
		},
	}
	cmd.Flags().IntVar(&top, "top", 25, "at most this many users (0: all)")
	return cmd
}
