package cli

import (
	"context"
	"iter"
	"strings"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
)

// folderColumns are the columns of `mail folder list` in text, CSV and Markdown.
var folderColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "unread", Path: "unreadItemCount"},
	{Header: "total", Path: "totalItemCount"},
	{Header: "children", Path: "childFolderCount"},
	{Header: "id", Path: "id"},
}

// folderPathColumns are folderColumns with the path from the top, for --recursive.
var folderPathColumns = append([]output.Column{{Header: "path", Path: "path"}}, folderColumns[1:]...)

// wellKnownFolders are the names Graph accepts in place of a folder id.
var wellKnownFolders = map[string]bool{
	mail.Inbox: true, mail.JunkEmail: true, mail.DeletedItems: true, mail.Drafts: true,
	mail.SentItems: true, mail.Outbox: true, mail.Archive: true, mail.Clutter: true,
	mail.Conflicts: true, mail.ConversationHistory: true, mail.LocalFailures: true,
	mail.RecoverableItemsDeletions: true, mail.Scheduled: true, mail.SearchFolders: true,
	mail.ServerFailures: true, mail.SyncIssues: true, "msgfolderroot": true,
}

// looksLikeID reports whether s is a Graph id rather than a folder's display name: Outlook
// ids are long base64 strings (44 characters and more), display names rarely are.
func looksLikeID(s string) bool {
	return len(s) >= 40 && !strings.ContainsAny(s, " /")
}

// resolveFolder finds a folder given by well-known name ("inbox", "sentitems"), display
// name or path ("Projects", "Inbox/Projects/2026", any case) or id.
func resolveFolder(ctx context.Context, mb *mail.Mailbox, spec string) (*mail.Folder, error) {
	if spec == "" {
		return nil, usagef("empty folder name")
	}
	if wk := strings.ToLower(spec); wellKnownFolders[wk] {
		return mb.Folder(wk), nil
	}
	if looksLikeID(spec) {
		return mb.Folder(spec), nil
	}
	mf, err := mb.FolderByName(ctx, spec)
	if err != nil {
		return nil, err
	}
	return mf.Folder(), nil
}

func (a *app) mailFolderCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "folder",
		Short: "List, create, rename, move and delete mail folders",
		Long: `Manage mail folders. FOLDER is a well-known name (inbox, sentitems, drafts, deleteditems,
archive, junkemail, ...), a display name, a path from the top ("Inbox/Projects/2026") or
an id.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.folderListCommand(), a.folderCreateCommand(), a.folderRenameCommand(), a.folderMoveCommand(), a.folderDeleteCommand())
	return cmd
}

// folderRow is a folder with its path from the top level, for --recursive.
type folderRow struct {
	Path string `json:"path"`
	*mail.MailFolder
}

func (a *app) folderListCommand() *cobra.Command {
	var (
		parent    string
		recursive bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the top-level folders, or a folder's subfolders",
		Long: `List the top-level mail folders, or the subfolders of --parent; --recursive walks the
whole tree and adds each folder's path.

  o365 mail folder list -o text
  o365 mail folder list --parent inbox
  o365 mail folder list --recursive --query "[].path"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			lo := &graph.ListOptions{PageSize: 100}
			list := func(mf *mail.MailFolder) iter.Seq2[*mail.MailFolder, error] {
				if mf == nil {
					return mb.Folders(ctx, lo)
				}
				return mf.Folder().ChildFolders(ctx, lo)
			}
			var top *mail.MailFolder
			if parent != "" {
				f, err := resolveFolder(ctx, mb, parent)
				if err != nil {
					return err
				}
				if top, err = f.Get(ctx); err != nil {
					return err
				}
			}
			if !recursive {
				out := []*mail.MailFolder{}
				for mf, err := range list(top) {
					if err != nil {
						return err
					}
					out = append(out, mf)
				}
				return a.print(out, folderColumns...)
			}
			out := []folderRow{}
			var walk func(mf *mail.MailFolder, prefix string) error
			walk = func(mf *mail.MailFolder, prefix string) error {
				for child, err := range list(mf) {
					if err != nil {
						return err
					}
					row := folderRow{Path: prefix + child.DisplayName, MailFolder: child}
					out = append(out, row)
					if child.ChildFolderCount > 0 {
						if err := walk(child, row.Path+"/"); err != nil {
							return err
						}
					}
				}
				return nil
			}
			prefix := ""
			if top != nil {
				prefix = top.DisplayName + "/"
			}
			if err := walk(top, prefix); err != nil {
				return err
			}
			return a.print(out, folderPathColumns...)
		},
	}
	cmd.Flags().StringVar(&parent, "parent", "", "list the subfolders of this folder")
	cmd.Flags().BoolVarP(&recursive, "recursive", "r", false, "walk the whole tree, with each folder's path")
	return cmd
}

func (a *app) folderCreateCommand() *cobra.Command {
	var parent string
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a folder (top-level, or under --parent)",
		Args:  exactArgs("create needs the new folder's NAME", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			var mf *mail.MailFolder
			if parent == "" {
				mf, err = mb.CreateFolder(ctx, args[0])
			} else {
				var f *mail.Folder
				if f, err = resolveFolder(ctx, mb, parent); err != nil {
					return err
				}
				mf, err = f.CreateChild(ctx, args[0])
			}
			if err != nil {
				return err
			}
			return a.print(mf, folderColumns...)
		},
	}
	cmd.Flags().StringVar(&parent, "parent", "", "create it under this folder")
	return cmd
}

func (a *app) folderRenameCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rename FOLDER NEW-NAME",
		Short: "Rename a folder",
		Args:  exactArgs("rename needs FOLDER and NEW-NAME", 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			f, err := resolveFolder(ctx, mb, args[0])
			if err != nil {
				return err
			}
			mf, err := f.Rename(ctx, args[1])
			if err != nil {
				return err
			}
			return a.print(mf, folderColumns...)
		},
	}
}

func (a *app) folderMoveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "move FOLDER NEW-PARENT",
		Short: "Move a folder, with its content, under another folder",
		Args:  exactArgs("move needs FOLDER and NEW-PARENT", 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			f, err := resolveFolder(ctx, mb, args[0])
			if err != nil {
				return err
			}
			dest, err := resolveFolder(ctx, mb, args[1])
			if err != nil {
				return err
			}
			mf, err := f.Move(ctx, dest)
			if err != nil {
				return err
			}
			return a.print(mf, folderColumns...)
		},
	}
}

func (a *app) folderDeleteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "delete FOLDER",
		Short: "Delete a folder and its content (to Deleted Items)",
		Args:  exactArgs("delete needs FOLDER", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			if wellKnownFolders[strings.ToLower(args[0])] {
				return usagef("%q is a well-known folder; it cannot be deleted", args[0])
			}
			f, err := resolveFolder(ctx, mb, args[0])
			if err != nil {
				return err
			}
			if err := f.Delete(ctx); err != nil {
				return err
			}
			return a.print(map[string]any{"deleted": true, "id": f.ID()})
		},
	}
}

// exactArgs is cobra.ExactArgs with a usage error that says what is missing.
func exactArgs(msg string, n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s", msg)
		}
		return nil
	}
}
