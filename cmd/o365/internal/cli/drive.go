package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/graph"
)

// driveItemColumns are the columns of `drive ls`, `drive search` and the commands that
// print one item.
var driveItemColumns = []output.Column{
	{Header: "name", Path: "name"},
	{Header: "size", Path: "size"},
	{Header: "modified", Path: "lastModifiedDateTime"},
	{Header: "folder", Path: "folder.childCount"},
	{Header: "id", Path: "id"},
}

var driveVersionColumns = []output.Column{
	{Header: "id", Path: "id"},
	{Header: "size", Path: "size"},
	{Header: "modified", Path: "lastModifiedDateTime"},
	{Header: "by", Path: "lastModifiedBy.user.displayName"},
}

var drivePermissionColumns = []output.Column{
	{Header: "roles", Path: "roles"},
	{Header: "link", Path: "link.webUrl"},
	{Header: "scope", Path: "link.scope"},
	{Header: "invited", Path: "invitation.email"},
	{Header: "id", Path: "id"},
}

// driveFlags select the drive every drive command works on.
type driveFlags struct {
	drive, user, group, site string
}

func (a *app) driveCommand() *cobra.Command {
	fl := &driveFlags{}
	cmd := &cobra.Command{
		Use:   "drive",
		Short: "OneDrive and SharePoint files: list, upload, download, share",
		Long: `Work with OneDrive and SharePoint document libraries. PATH is a path from the drive's
root ("Documents/report.docx"; "/" is the root). Transfers of any size resume after
failures; put --resume and get --resume continue after the process was stopped.

The drive is your OneDrive unless --drive (a drive id), --user, --group or --site
names another. Sign in with the files scope: o365 login --scopes basic,onedrive_all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&fl.drive, "drive", "", "drive id (default: the default drive of you, --user, --group or --site)")
	pf.StringVar(&fl.user, "user", "", "another user's OneDrive (UPN or id)")
	pf.StringVar(&fl.group, "group", "", "a group's document library (group id)")
	pf.StringVar(&fl.site, "site", "", "a site's default document library (site id)")
	cmd.AddCommand(a.driveLsCommand(fl), a.driveGetCommand(fl), a.drivePutCommand(fl), a.driveMvCommand(fl, false),
		a.driveMvCommand(fl, true), a.driveRmCommand(fl), a.driveMkdirCommand(fl), a.driveShareCommand(fl),
		a.driveVersionsCommand(fl), a.driveSearchCommand(fl))
	return cmd
}

// drive resolves the selected drive.
func (a *app) drive(ctx context.Context, fl *driveFlags) (*drive.Drive, error) {
	n := 0
	for _, s := range []string{fl.user, fl.group, fl.site} {
		if s != "" {
			n++
		}
	}
	if n > 1 {
		return nil, usagef("give at most one of --user, --group and --site")
	}
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	res := graph.Me
	switch {
	case fl.user != "":
		res = graph.User(fl.user)
	case fl.group != "":
		res = graph.Group(fl.group)
	case fl.site != "":
		res = graph.Site(fl.site)
	}
	st := drive.New(c, res)
	if fl.drive != "" {
		return st.DriveByID(fl.drive), nil
	}
	d, err := st.DefaultDrive(ctx)
	if err != nil {
		return nil, driveHint(err)
	}
	return d, nil
}

// driveHint adds what to do to a permission error.
func driveHint(err error) error {
	if errors.Is(err, graph.ErrForbidden) {
		return fmt.Errorf("%w (files need the Files.ReadWrite.All scope: o365 login --scopes basic,onedrive_all)", err)
	}
	return err
}

// driveItem reads the item at p ("" or "/": the root).
func driveItem(ctx context.Context, d *drive.Drive, p string) (*drive.Item, error) {
	it, err := d.ItemByPath(ctx, p)
	if err != nil {
		if errors.Is(err, graph.ErrNotFound) {
			return nil, fmt.Errorf("%s: no such file or folder: %w", displayPath(p), err)
		}
		return nil, driveHint(err)
	}
	return it, nil
}

func displayPath(p string) string { return "/" + strings.Trim(p, "/") }

func (a *app) driveLsCommand(fl *driveFlags) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "ls [PATH]",
		Short: "List a folder (every page)",
		Long: `List the children of the folder at PATH (the root when omitted); a file lists itself.

  o365 drive ls
  o365 drive ls "Documents/Q3 reports" -o text
  o365 drive ls --site contoso.sharepoint.com,1a2b,3c4d Shared`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			p := ""
			if len(args) == 1 {
				p = args[0]
			}
			it, err := driveItem(ctx, d, p)
			if err != nil {
				return err
			}
			out := []*drive.Item{}
			if it.IsFile() {
				out = append(out, it)
				return a.print(out, driveItemColumns...)
			}
			for c, err := range it.Children(ctx, &graph.ListOptions{Limit: limit}) {
				if err != nil {
					return driveHint(err)
				}
				out = append(out, c)
			}
			return a.print(out, driveItemColumns...)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many items (0: all)")
	return cmd
}

func (a *app) driveGetCommand(fl *driveFlags) *cobra.Command {
	var (
		resume   bool
		parallel int
		format   string
	)
	cmd := &cobra.Command{
		Use:   "get PATH [LOCAL]",
		Short: "Download a file or a folder",
		Long: `Download the file at PATH to LOCAL (default: its name in the current directory), or a
folder and everything below it into the directory LOCAL. The file is written next to
LOCAL with the suffix .o365part and renamed when complete and its hash verified; --resume
continues such a partial file.

  o365 drive get Documents/big.iso
  o365 drive get Documents/big.iso /tmp/big.iso --resume --parallel 4
  o365 drive get Documents/report.docx report.pdf --format pdf
  o365 drive get Photos ./photos`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if parallel < 0 || parallel > 16 {
				return usagef("--parallel must be between 0 and 16")
			}
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			it, err := driveItem(ctx, d, args[0])
			if err != nil {
				return err
			}
			local := it.Name
			if len(args) == 2 {
				local = args[1]
			}
			if it.Root != nil && len(args) == 1 {
				local = "."
			}
			if fi, err := os.Stat(local); err == nil && fi.IsDir() && it.IsFile() {
				local = filepath.Join(local, it.Name)
			}
			o := &drive.DownloadOptions{Resume: resume, Workers: parallel, Format: format}
			if it.IsFolder() {
				if err := it.DownloadFolder(ctx, local, o); err != nil {
					return driveHint(err)
				}
				a.note("downloaded %s to %s", displayPath(args[0]), local)
				return a.print(it, driveItemColumns...)
			}
			update, done := a.progress(it.Name, it.Size)
			o.Progress = func(written, total int64) { update(written, total) }
			if resume {
				if fi, err := os.Stat(local + drive.PartialSuffix); err == nil {
					base := fi.Size()
					o.Progress = func(written, total int64) { update(base+written, total) }
				}
			}
			_, err = it.DownloadFile(ctx, local, o)
			done()
			if err != nil {
				return driveHint(err)
			}
			return a.print(it, driveItemColumns...)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&resume, "resume", false, "continue a partial download (LOCAL.o365part)")
	f.IntVar(&parallel, "parallel", 0, "fetch ranges with this many connections")
	f.StringVar(&format, "format", "", "convert on the service: pdf, html, jpg, glb")
	return cmd
}

// splitRemote splits "a/b/c.txt" into "a/b" and "c.txt".
func splitRemote(p string) (dir, name string) {
	p = strings.Trim(p, "/")
	dir, name = path.Split(p)
	return strings.Trim(dir, "/"), name
}

func (a *app) drivePutCommand(fl *driveFlags) *cobra.Command {
	var (
		resume      bool
		chunkMiB    float64
		conflict    string
		description string
	)
	cmd := &cobra.Command{
		Use:   "put LOCAL [PATH]",
		Short: "Upload a file",
		Long: `Upload the local file LOCAL to PATH: a folder (the file keeps its name) or the new
file's path; the root when omitted. Files over 4 MiB go through an upload session in
chunks (--chunk-size, a multiple of 0.3125 MiB, default 10). With --resume the session is
saved next to LOCAL (LOCAL.o365upload) so that an upload cut short, even by the end of
the process, continues where the service stands.

  o365 drive put big.iso Backups/ --resume
  o365 drive put notes.txt "Documents/notes 2026.txt" --conflict rename`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cb := drive.ConflictBehavior(conflict)
			switch cb {
			case drive.ConflictFail, drive.ConflictReplace, drive.ConflictRename:
			default:
				return usagef("--conflict must be fail, replace or rename")
			}
			chunk := int64(chunkMiB * (1 << 20))
			if chunk <= 0 || chunk%drive.ChunkMultiple != 0 || chunk > drive.MaxChunkSize {
				return usagef("--chunk-size must be a multiple of 0.3125 MiB (320 KiB), at most 59.6875")
			}
			fi, err := os.Stat(args[0])
			if err != nil {
				return err
			}
			if fi.IsDir() {
				return usagef("%s is a directory: upload files one at a time", args[0])
			}
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			remote := ""
			if len(args) == 2 {
				remote = args[1]
			}
			parent, name, err := putTarget(ctx, d, remote, filepath.Base(args[0]))
			if err != nil {
				return err
			}
			update, done := a.progress(name, fi.Size())
			o := &drive.UploadOptions{Conflict: cb, ChunkSize: chunk, Description: description, Progress: update}
			if resume {
				o.SessionFile = drive.SessionFileFor(args[0])
			}
			it, err := parent.UploadFile(ctx, args[0], name, o)
			done()
			if err != nil {
				if resume {
					var ue *graph.UploadError
					if errors.As(err, &ue) && ue.Session != nil {
						a.note("upload stopped; run the same command again to resume")
					}
				}
				return driveHint(err)
			}
			return a.print(it, driveItemColumns...)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&resume, "resume", false, "save the upload session next to LOCAL and resume it")
	f.Float64Var(&chunkMiB, "chunk-size", 10, "chunk size in MiB (a multiple of 0.3125)")
	f.StringVar(&conflict, "conflict", "replace", "when the name is taken: fail, replace or rename")
	f.StringVar(&description, "description", "", "the file's description")
	return cmd
}

// putTarget resolves where an upload or a move goes: an existing folder at remote (the
// item keeps name), or remote's parent folder and remote's last segment.
func putTarget(ctx context.Context, d *drive.Drive, remote, name string) (*drive.Item, string, error) {
	if strings.Trim(remote, "/") == "" {
		root, err := d.Root(ctx)
		return root, name, driveHint(err)
	}
	if it, err := d.ItemByPath(ctx, remote); err == nil {
		if it.IsFolder() {
			return it, name, nil
		}
	} else if !errors.Is(err, graph.ErrNotFound) {
		return nil, "", driveHint(err)
	} else if strings.HasSuffix(remote, "/") {
		return nil, "", fmt.Errorf("%s: no such folder: %w", displayPath(remote), err)
	}
	dir, base := splitRemote(remote)
	parent, err := driveItem(ctx, d, dir)
	if err != nil {
		return nil, "", err
	}
	if !parent.IsFolder() {
		return nil, "", fmt.Errorf("%s is not a folder", displayPath(dir))
	}
	return parent, base, nil
}

func (a *app) driveMvCommand(fl *driveFlags, isCopy bool) *cobra.Command {
	var noWait bool
	use, short, long := "mv SRC DEST", "Move or rename a file or folder",
		`Move SRC into the folder DEST, or to the path DEST (renaming it).

  o365 drive mv notes.txt Archive/
  o365 drive mv "Documents/old name.docx" "Documents/new name.docx"`
	if isCopy {
		use, short, long = "cp SRC DEST", "Copy a file or folder",
			`Copy SRC into the folder DEST, or to the path DEST; the service copies in the background
and the command waits for the new item (--no-wait prints the monitor instead).

  o365 drive cp report.docx Archive/
  o365 drive cp Photos "Photos backup"`
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Long: long,
		Args: exactArgs(strings.Fields(use)[0]+" needs SRC and DEST", 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			src, err := driveItem(ctx, d, args[0])
			if err != nil {
				return err
			}
			if src.Root != nil {
				return usagef("cannot move or copy the root")
			}
			parent, name, err := putTarget(ctx, d, args[1], src.Name)
			if err != nil {
				return err
			}
			if !isCopy {
				newName := ""
				if name != src.Name {
					newName = name
				}
				if err := src.Move(ctx, parent, newName); err != nil {
					return driveHint(err)
				}
				return a.print(src, driveItemColumns...)
			}
			op, err := src.Copy(ctx, parent, name, "")
			if err != nil {
				return driveHint(err)
			}
			if noWait {
				st, err := op.Status(ctx)
				if err != nil {
					return err
				}
				return a.print(st)
			}
			op.PollInterval = 500 * time.Millisecond
			it, err := op.Wait(ctx)
			if err != nil {
				return driveHint(err)
			}
			return a.print(it, driveItemColumns...)
		},
	}
	if isCopy {
		cmd.Flags().BoolVar(&noWait, "no-wait", false, "print the copy's status instead of waiting")
	}
	return cmd
}

func (a *app) driveRmCommand(fl *driveFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "rm PATH...",
		Short: "Delete files or folders (to the recycle bin)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			type removed struct {
				Path string `json:"path"`
				ID   string `json:"id"`
			}
			out := []removed{}
			for _, p := range args {
				if strings.Trim(p, "/") == "" {
					return usagef("refusing to delete the root")
				}
				it, err := driveItem(ctx, d, p)
				if err != nil {
					return err
				}
				if err := it.Delete(ctx); err != nil {
					return driveHint(err)
				}
				out = append(out, removed{displayPath(p), it.ID})
			}
			return a.print(out, output.Column{Header: "deleted", Path: "path"}, output.Column{Header: "id", Path: "id"})
		},
	}
}

func (a *app) driveMkdirCommand(fl *driveFlags) *cobra.Command {
	var parents bool
	cmd := &cobra.Command{
		Use:   "mkdir PATH",
		Short: "Create a folder",
		Long: `Create the folder PATH; with -p, create missing parents too and accept an existing folder.

  o365 drive mkdir "Projects/2026/Q3" -p`,
		Args: exactArgs("mkdir needs a PATH", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			segs := strings.FieldsFunc(args[0], func(r rune) bool { return r == '/' })
			if len(segs) == 0 {
				return usagef("mkdir needs a folder name")
			}
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			cur, err := d.Root(ctx)
			if err != nil {
				return driveHint(err)
			}
			for i, s := range segs {
				last := i == len(segs)-1
				if !last || parents {
					if next, err := cur.ItemByPath(ctx, s); err == nil {
						if !next.IsFolder() {
							return fmt.Errorf("%s is a file", displayPath(strings.Join(segs[:i+1], "/")))
						}
						cur = next
						continue
					} else if !errors.Is(err, graph.ErrNotFound) {
						return driveHint(err)
					} else if !parents {
						return fmt.Errorf("%s: no such folder (use -p): %w", displayPath(strings.Join(segs[:i+1], "/")), err)
					}
				}
				next, err := cur.CreateFolder(ctx, s, drive.ConflictFail)
				if err != nil {
					return driveHint(err)
				}
				cur = next
			}
			return a.print(cur, driveItemColumns...)
		},
	}
	cmd.Flags().BoolVarP(&parents, "parents", "p", false, "create missing parents; an existing folder is fine")
	return cmd
}

func (a *app) driveShareCommand(fl *driveFlags) *cobra.Command {
	var (
		linkType, scope, password, expires, role, message string
		invite                                            []string
		list                                              bool
	)
	cmd := &cobra.Command{
		Use:   "share PATH",
		Short: "Make a sharing link, invite people, or list permissions",
		Long: `Make a sharing link for PATH (default: a view link), or with --invite share it with people,
or with --list show its permissions.

  o365 drive share report.docx --type edit --scope organization
  o365 drive share report.docx --scope anonymous --expires 2026-12-31
  o365 drive share report.docx --invite megan@contoso.com,alex@contoso.com --role write
  o365 drive share report.docx --list`,
		Args: exactArgs("share needs a PATH", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lt := drive.LinkType(linkType)
			switch lt {
			case drive.LinkView, drive.LinkEdit, drive.LinkEmbed:
			default:
				return usagef("--type must be view, edit or embed")
			}
			ls := drive.LinkScope(scope)
			switch ls {
			case "", drive.ScopeAnonymous, drive.ScopeOrganization, drive.ScopeUsers:
			default:
				return usagef("--scope must be anonymous, organization or users")
			}
			var exp time.Time
			if expires != "" {
				t, err := parseWhen(expires, time.Local)
				if err != nil {
					return usageError{err}
				}
				exp = t
			}
			r := drive.Role(role)
			if r != drive.RoleRead && r != drive.RoleWrite {
				return usagef("--role must be read or write")
			}
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			it, err := driveItem(ctx, d, args[0])
			if err != nil {
				return err
			}
			switch {
			case list:
				out := []*drive.Permission{}
				for p, err := range it.Permissions(ctx, nil) {
					if err != nil {
						return driveHint(err)
					}
					out = append(out, p)
				}
				return a.print(out, drivePermissionColumns...)
			case len(invite) > 0:
				ps, err := it.Invite(ctx, drive.Invitation{Recipients: splitList(invite), Roles: []drive.Role{r}, RequireSignIn: true, SendInvitation: message != "", Message: message, Expiration: exp, Password: password})
				if err != nil {
					return driveHint(err)
				}
				return a.print(ps, drivePermissionColumns...)
			}
			p, err := it.CreateLink(ctx, drive.LinkOptions{Type: lt, Scope: ls, Password: password, Expiration: exp})
			if err != nil {
				return driveHint(err)
			}
			return a.print(p, drivePermissionColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&linkType, "type", "view", "link type: view, edit or embed")
	f.StringVar(&scope, "scope", "", "link scope: anonymous, organization or users (default: the tenant's)")
	f.StringVar(&password, "password", "", "password for the link (OneDrive personal)")
	f.StringVar(&expires, "expires", "", "expiry (2026-12-31 or RFC 3339)")
	f.StringSliceVar(&invite, "invite", nil, "share with these people (emails, comma-separated or repeated)")
	f.StringVar(&role, "role", "read", "role for --invite: read or write")
	f.StringVar(&message, "message", "", "invitation message (sends an email)")
	f.BoolVar(&list, "list", false, "list the item's permissions")
	return cmd
}

func (a *app) driveVersionsCommand(fl *driveFlags) *cobra.Command {
	var restore, download, to string
	cmd := &cobra.Command{
		Use:   "versions PATH",
		Short: "List, download or restore a file's versions",
		Long: `List the versions of the file at PATH (every page), restore one, or download one.

  o365 drive versions report.docx
  o365 drive versions report.docx --restore 2.0
  o365 drive versions report.docx --download 1.0 --to report-v1.docx`,
		Args: exactArgs("versions needs a PATH", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			it, err := driveItem(ctx, d, args[0])
			if err != nil {
				return err
			}
			switch {
			case restore != "":
				v, err := it.Version(ctx, restore)
				if err != nil {
					return driveHint(err)
				}
				if err := v.Restore(ctx); err != nil {
					return driveHint(err)
				}
				return a.print(v, driveVersionColumns...)
			case download != "":
				v, err := it.Version(ctx, download)
				if err != nil {
					return driveHint(err)
				}
				if to == "" {
					to = it.Name + "." + download
				}
				f, err := os.Create(to)
				if err != nil {
					return err
				}
				_, err = v.Download(ctx, f)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					return driveHint(err)
				}
				return a.print(v, driveVersionColumns...)
			}
			out := []*drive.Version{}
			for v, err := range it.Versions(ctx, nil) {
				if err != nil {
					return driveHint(err)
				}
				out = append(out, v)
			}
			return a.print(out, driveVersionColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&restore, "restore", "", "make this version the current one")
	f.StringVar(&download, "download", "", "download this version")
	f.StringVar(&to, "to", "", "where --download writes (default NAME.VERSION)")
	return cmd
}

func (a *app) driveSearchCommand(fl *driveFlags) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "search TEXT",
		Short: "Search the drive by name and content",
		Args:  exactArgs("search needs the TEXT", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, err := a.drive(ctx, fl)
			if err != nil {
				return err
			}
			out := []*drive.Item{}
			for it, err := range d.Search(ctx, args[0], &graph.ListOptions{Limit: limit}) {
				if err != nil {
					return driveHint(err)
				}
				out = append(out, it)
			}
			return a.print(out, driveItemColumns...)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many items (0: all)")
	return cmd
}
