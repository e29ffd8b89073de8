package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/categories"
	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
)

// categoryColumns are the columns of the categories commands in text, CSV and Markdown.
var categoryColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "colour", Path: "colorName"},
	{Header: "preset", Path: "color"},
	{Header: "id", Path: "id"},
}

// categoryView is a category with its colour's name.
type categoryView struct {
	*categories.Category
	ColorName string `json:"colorName"`
}

func categoryViewOf(c *categories.Category) categoryView { return categoryView{c, c.Color.Name()} }

func (a *app) categoriesCommand() *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "categories",
		Short: "List, add and delete Outlook categories",
		Long: `List, add and delete the Outlook master categories: the named colours that messages,
events, contacts and tasks carry.

Reading needs MailboxSettings.Read, changing MailboxSettings.ReadWrite (the mailbox_settings
scope helper, part of the default sign-in).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&user, "user", "", "another user's categories (app-only profiles; UPN or id)")
	handle := func(ctx context.Context) (*categories.Categories, error) {
		_, c, err := a.session(ctx)
		if err != nil {
			return nil, err
		}
		res := graph.Me
		if user != "" {
			res = graph.User(user)
		}
		return categories.New(c, res), nil
	}
	hint := func(err error) error {
		if errors.Is(err, graph.ErrForbidden) {
			return fmt.Errorf("%w (categories need the MailboxSettings.ReadWrite scope: o365 login --scopes basic,mailbox_settings)", err)
		}
		return err
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "List the categories",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			h, err := handle(cmd.Context())
			if err != nil {
				return err
			}
			out := []categoryView{}
			for c, err := range h.List(cmd.Context()) {
				if err != nil {
					return hint(err)
				}
				out = append(out, categoryViewOf(c))
			}
			return a.print(out, categoryColumns...)
		},
	}

	var color string
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a category",
		Long: `Add a category. --color is a colour name (Red, Orange, Brown, Yellow, Green, Teal, Olive,
Blue, Purple, Cranberry, Steel, DarkSteel, Gray, DarkGray, Black, DarkRed, DarkOrange,
DarkBrown, DarkYellow, DarkGreen, DarkTeal, DarkOlive, DarkBlue, DarkPurple, DarkCranberry),
a preset value (preset0 to preset24), none, or auto (the default: the first preset no
category uses yet).

  o365 categories add "Project expenses" --color cranberry`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 || args[0] == "" {
				return usagef("add needs one category NAME")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			col, err := categories.ParseColor(color)
			if err != nil {
				return usageError{err}
			}
			h, err := handle(cmd.Context())
			if err != nil {
				return err
			}
			c, err := h.Create(cmd.Context(), args[0], col)
			if err != nil {
				if errors.Is(err, graph.ErrConflict) {
					return fmt.Errorf("a category named %q already exists: %w", args[0], err)
				}
				return hint(err)
			}
			return a.print(categoryViewOf(c), categoryColumns...)
		},
	}
	add.Flags().StringVar(&color, "color", "auto", "colour name, preset, none or auto (see above)")

	del := &cobra.Command{
		Use:   "delete NAME|ID...",
		Short: "Delete categories (by name or id)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("delete needs at least one category NAME or ID")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			h, err := handle(cmd.Context())
			if err != nil {
				return err
			}
			out := []categoryView{}
			for _, key := range args {
				c, err := h.ByName(cmd.Context(), key)
				if errors.Is(err, categories.ErrNotFound) {
					c, err = h.Get(cmd.Context(), key)
					if errors.Is(err, graph.ErrNotFound) {
						return fmt.Errorf("no category named %q: %w", key, err)
					}
				}
				if err != nil {
					return hint(err)
				}
				if err := c.Delete(cmd.Context()); err != nil {
					return hint(err)
				}
				out = append(out, categoryViewOf(c))
			}
			return a.print(out, categoryColumns...)
		},
	}
	cmd.AddCommand(list, add, del)
	return cmd
}
