package cli

import (
	"context"
	"fmt"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/directory"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/groups"
	"github.com/o365go/o365/odata"
)

// groupColumns are the columns of `groups list`.
var groupColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "mail", Path: "mail"},
	{Header: "types", Path: "groupTypes"},
	{Header: "security", Path: "securityEnabled"},
	{Header: "id", Path: "id"},
}

// memberColumns are the columns of `groups members`.
var memberColumns = []output.Column{
	{Header: "type", Path: "@odata.type"},
	{Header: "name", Path: "displayName"},
	{Header: "upn", Path: "userPrincipalName"},
	{Header: "mail", Path: "mail"},
	{Header: "id", Path: "id"},
}

func (a *app) groupsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "groups",
		Short: "List groups, their members, and add members",
		Long: `List Microsoft 365 and security groups, list their members (direct or through
nested groups) and owners, and add or remove members.

Needs Group.Read.All to read (sign in with --scopes basic,users,groups) and
GroupMember.ReadWrite.All or Group.ReadWrite.All (groups_all) to change members.
Groups are named by id or display name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.groupsListCommand(), a.groupsMembersCommand(), a.groupsAddMemberCommand(), a.groupsRemoveMemberCommand())
	return cmd
}

func (a *app) groups(ctx context.Context) (*groups.Groups, *directory.Directory, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, nil, err
	}
	return groups.New(c), directory.New(c), nil
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// resolveGroup finds a group by id or display name.
func resolveGroup(ctx context.Context, gs *groups.Groups, ref string) (*groups.Group, error) {
	if guidRE.MatchString(ref) {
		return gs.Get(ctx, ref, nil)
	}
	q := odata.New().Filter(odata.Attr("displayName").Eq(ref))
	var found []*groups.Group
	for g, err := range gs.List(ctx, &graph.ListOptions{Query: q, Limit: 2}) {
		if err != nil {
			return nil, err
		}
		found = append(found, g)
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no group is named %q: %w", ref, graph.ErrNotFound)
	case 1:
		return found[0], nil
	}
	return nil, usagef("several groups are named %q: use the id", ref)
}

// resolveObjectID returns the id of a user named by id or user principal name (or a
// group id).
func resolveObjectID(ctx context.Context, dir *directory.Directory, ref string) (string, error) {
	if guidRE.MatchString(ref) {
		return ref, nil
	}
	u, err := dir.User(ctx, ref, odata.New().Select("id"))
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

func (a *app) groupsListCommand() *cobra.Command {
	var (
		filter, search, orderBy string
		selects                 []string
		top                     int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List groups",
		Long: `List the groups of the tenant.

  o365 groups list
  o365 groups list --filter "groupTypes/any(c:c eq 'Unified')"
  o365 groups list --search displayName:market -o csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if top < 0 {
				return usagef("--top must be >= 0")
			}
			q, err := directoryQuery(filter, search, orderBy, selects)
			if err != nil {
				return err
			}
			gs, _, err := a.groups(cmd.Context())
			if err != nil {
				return err
			}
			list := []*groups.Group{}
			for g, err := range gs.List(cmd.Context(), &graph.ListOptions{Limit: top, Query: q}) {
				if err != nil {
					return err
				}
				list = append(list, g)
			}
			return a.print(list, groupColumns...)
		},
	}
	f := cmd.Flags()
	f.IntVar(&top, "top", 100, "at most this many groups (0: all)")
	f.StringVar(&filter, "filter", "", "OData $filter")
	f.StringVar(&search, "search", "", "$search: \"displayName:sales\" or text")
	f.StringSliceVar(&selects, "select", nil, "properties to return, comma-separated")
	f.StringVar(&orderBy, "orderby", "", "sort key, e.g. \"displayName asc\"")
	return cmd
}

func (a *app) groupsMembersCommand() *cobra.Command {
	var transitive, owners bool
	cmd := &cobra.Command{
		Use:   "members <group>",
		Short: "List the members (or owners) of a group",
		Long: `List the members of a group: users, nested groups, devices and service principals.
--transitive adds the members of nested groups; --owners lists the owners instead.

  o365 groups members "All Company" --transitive`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if transitive && owners {
				return usagef("--transitive and --owners do not go together")
			}
			gs, _, err := a.groups(cmd.Context())
			if err != nil {
				return err
			}
			g, err := resolveGroup(cmd.Context(), gs, args[0])
			if err != nil {
				return err
			}
			seq := g.Members(cmd.Context(), nil)
			switch {
			case transitive:
				seq = g.TransitiveMembers(cmd.Context(), nil)
			case owners:
				seq = g.Owners(cmd.Context(), nil)
			}
			// Raw keeps every property of each object in the JSON output.
			out := []any{}
			for m, err := range seq {
				if err != nil {
					return err
				}
				out = append(out, rawObject(m))
			}
			return a.print(out, memberColumns...)
		},
	}
	cmd.Flags().BoolVar(&transitive, "transitive", false, "include the members of nested groups")
	cmd.Flags().BoolVar(&owners, "owners", false, "list the owners instead of the members")
	return cmd
}

// rawObject is a directory object as the service sent it.
func rawObject(o *directory.Object) any {
	if len(o.Raw) > 0 {
		return o.Raw
	}
	return o
}

func (a *app) groupsAddMemberCommand() *cobra.Command {
	var owner bool
	cmd := &cobra.Command{
		Use:   "add-member <group> <user>",
		Short: "Add a user (or group, by id) to a group",
		Long: `Add a member to a group; the user by user principal name or id, a nested group
by id. --owner adds an owner instead.

  o365 groups add-member Retail MeganB@contoso.onmicrosoft.com`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.changeMember(cmd.Context(), args[0], args[1], owner, true)
		},
	}
	cmd.Flags().BoolVar(&owner, "owner", false, "add an owner instead of a member")
	return cmd
}

func (a *app) groupsRemoveMemberCommand() *cobra.Command {
	var owner bool
	cmd := &cobra.Command{
		Use:   "remove-member <group> <user>",
		Short: "Remove a member (or owner) from a group",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.changeMember(cmd.Context(), args[0], args[1], owner, false)
		},
	}
	cmd.Flags().BoolVar(&owner, "owner", false, "remove an owner instead of a member")
	return cmd
}

func (a *app) changeMember(ctx context.Context, groupRef, objectRef string, owner, add bool) error {
	gs, dir, err := a.groups(ctx)
	if err != nil {
		return err
	}
	g, err := resolveGroup(ctx, gs, groupRef)
	if err != nil {
		return err
	}
	id, err := resolveObjectID(ctx, dir, objectRef)
	if err != nil {
		return err
	}
	role := "member"
	switch {
	case add && owner:
		err, role = g.AddOwner(ctx, id), "owner"
	case add:
		err = g.AddMember(ctx, id)
	case owner:
		err, role = g.RemoveOwner(ctx, id), "owner"
	default:
		err = g.RemoveMember(ctx, id)
	}
	if err != nil {
		return err
	}
	verb := "added to"
	if !add {
		verb = "removed from"
	}
	a.note("%s %s %s as %s", objectRef, verb, g.DisplayName, role)
	return a.print(map[string]any{"group": g.ID, "object": id, "role": role, "added": add})
}
