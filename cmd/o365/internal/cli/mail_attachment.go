package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/mail"
)

// attachmentColumns are the columns of `mail attachment list`.
var attachmentColumns = []output.Column{
	{Header: "name", Path: "name"},
	{Header: "size", Path: "size"},
	{Header: "type", Path: "contentType"},
	{Header: "inline", Path: "isInline"},
	{Header: "id", Path: "id"},
}

func (a *app) mailAttachmentCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "attachment",
		Aliases: []string{"attachments", "att"},
		Short:   "List, save and add message attachments",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.attachmentListCommand(), a.attachmentGetCommand(), a.attachmentAddCommand())
	return cmd
}

func (a *app) attachmentListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list MESSAGE-ID",
		Short: "List a message's attachments (without their content)",
		Args:  exactArgs("attachment list needs the MESSAGE-ID", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			m, err := message(ctx, mb, args[0], "id")
			if err != nil {
				return err
			}
			out := []*mail.Attachment{}
			for at, err := range m.ListAttachments(ctx) {
				if err != nil {
					return err
				}
				out = append(out, at)
			}
			return a.print(out, attachmentColumns...)
		},
	}
}

func (a *app) attachmentGetCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "get MESSAGE-ID ATTACHMENT",
		Short: "Save an attachment to a file or stdout",
		Long: `Save an attachment, given by id or name, to --out FILE (streamed: any size), or write it
to stdout when there is no --out (use -o none to keep stdout for the content only when
--out is set; without --out the content is all stdout gets). An attached message (an item
attachment) is saved in its MIME form, as an .eml.

  o365 mail attachment get AAMkAG... report.pdf --out report.pdf
  o365 mail attachment get AAMkAG... AAMkAG...= > figures.xlsx`,
		Args: exactArgs("attachment get needs the MESSAGE-ID and the ATTACHMENT (id or name)", 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			m, err := message(ctx, mb, args[0], "id")
			if err != nil {
				return err
			}
			var found *mail.Attachment
			for at, err := range m.ListAttachments(ctx) {
				if err != nil {
					return err
				}
				if at.ID == args[1] {
					found = at
					break
				}
				if found == nil && at.Name == args[1] {
					found = at
				}
			}
			if found == nil {
				return fmt.Errorf("message %s has no attachment %q (see o365 mail attachment list)", m.ID, args[1])
			}
			if out == "" || out == "-" {
				_, err := found.Save(ctx, a.env.Stdout)
				return err
			}
			f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return err
			}
			n, err := found.Save(ctx, f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(out)
				return err
			}
			return a.print(savedFile{ID: found.ID, Name: found.Name, File: out, Size: n})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "save to this file (default: stdout)")
	return cmd
}

func (a *app) attachmentAddCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "add MESSAGE-ID FILE...",
		Short: "Add files to a draft, any size (3 MB or more through an upload session)",
		Long: `Add files to a draft message (see o365 mail list --folder drafts). Files of 3 MB or more go
through an upload session, with a progress bar on stderr when it is a terminal.

  o365 mail attachment add AAMkAG... slides.pptx recording.mp4`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usagef("attachment add needs the MESSAGE-ID and at least one FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			m, err := message(ctx, mb, args[0], "id", "subject", "isDraft")
			if err != nil {
				return err
			}
			var pending []*mail.Attachment
			for _, p := range args[1:] {
				at, err := m.Attachments.AddFile(p)
				if err != nil {
					return usagef("%v", err)
				}
				pending = append(pending, at)
			}
			prog := a.uploadProgress()
			defer prog.finish()
			if err := m.Save(ctx, mail.Progress(prog.update)); err != nil {
				return err
			}
			prog.finish()
			res := []*mail.Attachment{}
			res = append(res, pending...)
			return a.print(res, attachmentColumns...)
		},
	}
}
