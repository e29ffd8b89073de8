package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/odata"
)

// actionResult is what the commands that change a message print.
type actionResult struct {
	Action  string   `json:"action"`
	ID      string   `json:"id,omitempty"`
	Subject string   `json:"subject,omitempty"`
	Folder  string   `json:"folder,omitempty"`
	To      []string `json:"to,omitempty"`
	Cc      []string `json:"cc,omitempty"`
	Bcc     []string `json:"bcc,omitempty"`
	// Attachments are the names and sizes of what was attached.
	Attachments []attachmentInfo `json:"attachments,omitempty"`
}

// attachmentInfo is an attachment's name and size.
type attachmentInfo struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// message gets one message of the mailbox; sel, when given, limits the properties read.
func message(ctx context.Context, mb *mail.Mailbox, id string, sel ...string) (*mail.Message, error) {
	if strings.TrimSpace(id) == "" {
		return nil, usagef("empty message id")
	}
	var opts []graph.CallOption
	if len(sel) > 0 {
		opts = append(opts, graph.Query(odata.New().Select(sel...)))
	}
	return mb.Message(ctx, id, opts...)
}

func (a *app) mailReadCommand() *cobra.Command {
	var (
		asHTML, asMIME, markRead bool
		eml                      string
	)
	cmd := &cobra.Command{
		Use:   "read ID",
		Short: "Show a message: headers and plain-text body",
		Long: `Show one message. In text output (the default on a terminal) it reads like a mail:
headers, then the body as plain text (Graph converts HTML); --html shows the HTML as it
is. JSON, CSV and Markdown output, and --query, get the message's properties.

--mime writes the message's MIME form (RFC 822) to stdout; --eml FILE saves it.

  o365 mail read AAMkAG... -o text
  o365 mail read AAMkAG... --query "body.content" -o text
  o365 mail read AAMkAG... --eml message.eml`,
		Args: exactArgs("read needs the message ID (see o365 mail list)", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if asMIME && eml != "" {
				return usagef("--mime and --eml are exclusive")
			}
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			if asMIME || eml != "" {
				m, err := message(ctx, mb, args[0], "id")
				if err != nil {
					return err
				}
				if asMIME {
					_, err := m.SaveEML(ctx, a.env.Stdout)
					return err
				}
				f, err := os.OpenFile(eml, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
				if err != nil {
					return err
				}
				n, err := m.SaveEML(ctx, f)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					return err
				}
				a.note("Saved %s (%s) to %s", m.ID, humanBytes(n), eml)
				return a.print(savedFile{ID: m.ID, File: eml, Size: n})
			}
			var opts []graph.CallOption
			if !asHTML {
				opts = append(opts, graph.BodyContentType("text"))
			}
			m, err := mb.Message(ctx, args[0], opts...)
			if err != nil {
				return err
			}
			if markRead && !m.IsRead {
				if err := m.MarkRead(ctx); err != nil {
					return err
				}
			}
			if m.HasAttachments {
				if err := m.LoadAttachments(ctx); err != nil {
					return err
				}
			}
			if a.format != output.Text || a.query != "" {
				return a.print(m)
			}
			return writeMessageText(a.env.Stdout, m)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asHTML, "html", false, "the body as HTML, as stored, rather than as plain text")
	f.BoolVar(&asMIME, "mime", false, "write the message's MIME form (RFC 822) to stdout")
	f.StringVar(&eml, "eml", "", "save the message's MIME form to this .eml file")
	f.BoolVar(&markRead, "mark-read", false, "mark the message as read, as a mail client does on opening it")
	return cmd
}

// savedFile is what commands that save to a file print.
type savedFile struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	File string `json:"file"`
	Size int64  `json:"size"`
}

// writeMessageText prints a message for people: headers, a blank line, the body.
func writeMessageText(w io.Writer, m *mail.Message) error {
	bw := bufio.NewWriter(w)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(bw, "%-12s %s\n", k+":", v)
		}
	}
	line("From", recipientString(m.From))
	if m.Sender.EmailAddress.Address != "" && !strings.EqualFold(m.Sender.EmailAddress.Address, m.From.EmailAddress.Address) {
		line("Sender", recipientString(m.Sender))
	}
	line("To", m.ToRecipients.String())
	line("Cc", m.CcRecipients.String())
	line("Bcc", m.BccRecipients.String())
	if !m.ReceivedDateTime.IsZero() {
		line("Date", m.ReceivedDateTime.Local().Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	}
	line("Subject", m.Subject)
	if m.Importance != "" && m.Importance != mail.ImportanceNormal {
		line("Importance", string(m.Importance))
	}
	var atts []string
	for _, at := range m.Attachments {
		atts = append(atts, fmt.Sprintf("%s (%s)", at.Name, humanBytes(at.Size)))
	}
	line("Attachments", strings.Join(atts, ", "))
	line("Id", m.ID)
	fmt.Fprintln(bw)
	body := strings.ReplaceAll(m.Body.Content, "\r\n", "\n")
	bw.WriteString(body)
	if !strings.HasSuffix(body, "\n") {
		bw.WriteString("\n")
	}
	return bw.Flush()
}

func recipientString(r graph.Recipient) string {
	e := r.EmailAddress
	switch {
	case e.Name != "" && e.Address != "" && e.Name != e.Address:
		return fmt.Sprintf("%s <%s>", e.Name, e.Address)
	case e.Address != "":
		return e.Address
	}
	return e.Name
}

func (a *app) mailSearchCommand() *cobra.Command {
	var (
		folder string
		top    int
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search messages ($search over subject, body and sender)",
		Long: `Search the mailbox with Graph's $search (KQL): words, "exact phrases", and properties
such as from:, subject:, to:, hasAttachments:true, received>=2026-11-01. Results are
sorted by date, newest first.

  o365 mail search budget --top 10 -o text
  o365 mail search 'from:megan subject:"quarterly report"'
  o365 mail search invoice --folder archive`,
		Args: exactArgs("search needs a QUERY (quote it when it has spaces)", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if top < 0 {
				return usagef("--top must be >= 0")
			}
			if strings.TrimSpace(args[0]) == "" {
				return usagef("empty search query")
			}
			q := odata.New().Search(args[0])
			if err := q.Err(); err != nil {
				return usageError{err}
			}
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			pageSize := 25
			if top > 0 {
				pageSize = min(top, 250)
			}
			lo := &graph.ListOptions{Limit: top, PageSize: pageSize, Query: q}
			seq := mb.Messages(ctx, lo)
			if folder != "" {
				f, err := resolveFolder(ctx, mb, folder)
				if err != nil {
					return err
				}
				seq = f.Messages(ctx, lo)
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
	cmd.Flags().IntVar(&top, "top", 25, "at most this many messages (0: all)")
	cmd.Flags().StringVar(&folder, "folder", "", "search this folder only (default: the whole mailbox)")
	return cmd
}

func (a *app) mailSendCommand() *cobra.Command {
	var (
		to, cc, bcc, attach []string
		subject, importance string
		noSave              bool
		body                bodyFlags
	)
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send a message, with attachments of any size",
		Long: `Send a new message. Recipients are repeatable and comma-separated ("Name <addr>" works).
The body is HTML or text, detected from the content (or the file's extension); --html or
--text decide instead. Attachments can be of any size up to 150 MB each: those of 3 MB or
more go through an upload session, with a progress bar on stderr when it is a terminal.

  o365 mail send --to megan@contoso.com --subject Hello --body "See you at 10."
  o365 mail send --to "Megan Bowen <megan@contoso.com>,alex@contoso.com" --cc diego@contoso.com \
      --subject Report --body-file report.html --attach figures.xlsx --attach video.mp4
  o365 mail send --mailbox sales@contoso.com --to client@fabrikam.com --subject Offer --body-file offer.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var msgTo, msgCc, msgBcc graph.Recipients
			if err := addRecipients(&msgTo, "to", to); err != nil {
				return err
			}
			if err := addRecipients(&msgCc, "cc", cc); err != nil {
				return err
			}
			if err := addRecipients(&msgBcc, "bcc", bcc); err != nil {
				return err
			}
			if len(msgTo)+len(msgCc)+len(msgBcc) == 0 {
				return usagef("send needs at least one recipient: --to, --cc or --bcc")
			}
			imp, err := parseImportance(importance)
			if err != nil {
				return err
			}
			body.stdin = a.env.Stdin
			itemBody, _, err := body.read()
			if err != nil {
				return err
			}
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			m := mb.NewMessage()
			m.Subject = subject
			m.Body = itemBody
			if m.Body.ContentType == "" {
				m.Body = graph.Text("")
			}
			m.ToRecipients, m.CcRecipients, m.BccRecipients = msgTo, msgCc, msgBcc
			m.Importance = imp
			var infos []attachmentInfo
			for _, p := range attach {
				at, err := m.Attachments.AddFile(p)
				if err != nil {
					return usagef("--attach: %v", err)
				}
				infos = append(infos, attachmentInfo{Name: at.Name, Size: at.Size})
			}
			prog := a.uploadProgress()
			defer prog.finish()
			if err := m.Send(ctx, mail.SaveToSentItems(!noSave), mail.Progress(prog.update)); err != nil {
				return err
			}
			prog.finish()
			return a.print(actionResult{Action: "sent", Subject: subject, To: msgTo.Addresses(), Cc: msgCc.Addresses(), Bcc: msgBcc.Addresses(), Attachments: infos})
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&to, "to", nil, "recipient (repeatable, or comma-separated)")
	f.StringArrayVar(&cc, "cc", nil, "copy recipient (repeatable, or comma-separated)")
	f.StringArrayVar(&bcc, "bcc", nil, "blind copy recipient (repeatable, or comma-separated)")
	f.StringVarP(&subject, "subject", "s", "", "subject")
	f.StringVar(&body.text, "body", "", "body text (HTML or plain text)")
	f.StringVar(&body.file, "body-file", "", "read the body from this file, or stdin with - (.html/.htm: HTML, .txt: text, else detected)")
	f.BoolVar(&body.forceHTML, "html", false, "the body is HTML")
	f.BoolVar(&body.plain, "text", false, "the body is plain text")
	f.StringArrayVarP(&attach, "attach", "a", nil, "attach this file (repeatable; any size up to 150 MB)")
	f.StringVar(&importance, "importance", "", "low, normal or high")
	f.BoolVar(&noSave, "no-save", false, "do not keep a copy in Sent Items")
	return cmd
}

func parseImportance(s string) (mail.Importance, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "low":
		return mail.ImportanceLow, nil
	case "normal":
		return mail.ImportanceNormal, nil
	case "high":
		return mail.ImportanceHigh, nil
	}
	return "", usagef("--importance must be low, normal or high, not %q", s)
}

// uploads shows one progress bar per attachment being uploaded (on a terminal only).
type uploads struct {
	a    *app
	mu   sync.Mutex
	bars map[string]func(sent, total int64)
	done []func()
}

func (a *app) uploadProgress() *uploads {
	return &uploads{a: a, bars: map[string]func(int64, int64){}}
}

func (u *uploads) update(name string, sent, total int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	bar, ok := u.bars[name]
	if !ok {
		var done func()
		bar, done = u.a.progress(name, total)
		u.bars[name] = bar
		u.done = append(u.done, done)
	}
	bar(sent, total)
}

// finish ends every bar; it may be called more than once.
func (u *uploads) finish() {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, d := range u.done {
		d()
	}
	u.done = nil
}

func (a *app) mailReplyCommand() *cobra.Command {
	var (
		comment string
		all     bool
	)
	cmd := &cobra.Command{
		Use:   "reply ID",
		Short: "Reply to a message (--all: to everyone)",
		Long: `Reply to the sender of a message, or with --all to the sender and every recipient; the
comment goes above the quoted message.

  o365 mail reply AAMkAG... --comment "Thanks, I'll be there."
  o365 mail reply AAMkAG... --all --comment "Agreed."`,
		Args: exactArgs("reply needs the message ID", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			m, err := message(ctx, mb, args[0], "id", "subject")
			if err != nil {
				return err
			}
			action := "replied"
			if all {
				action = "replied to all"
				err = m.ReplyAllWith(ctx, comment)
			} else {
				err = m.ReplyWith(ctx, comment)
			}
			if err != nil {
				return err
			}
			return a.print(actionResult{Action: action, ID: m.ID, Subject: m.Subject})
		},
	}
	cmd.Flags().StringVarP(&comment, "comment", "c", "", "the reply's text, above the quoted message")
	cmd.Flags().BoolVar(&all, "all", false, "reply to the sender and every recipient")
	return cmd
}

func (a *app) mailForwardCommand() *cobra.Command {
	var (
		comment string
		to      []string
	)
	cmd := &cobra.Command{
		Use:   "forward ID",
		Short: "Forward a message",
		Long: `Forward a message, with a comment above it.

  o365 mail forward AAMkAG... --to diego@contoso.com,lee@contoso.com --comment "FYI"`,
		Args: exactArgs("forward needs the message ID", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var rs graph.Recipients
			if err := addRecipients(&rs, "to", to); err != nil {
				return err
			}
			if len(rs) == 0 {
				return usagef("forward needs --to")
			}
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			m, err := message(ctx, mb, args[0], "id", "subject")
			if err != nil {
				return err
			}
			if err := m.ForwardTo(ctx, comment, rs.Addresses()...); err != nil {
				return err
			}
			return a.print(actionResult{Action: "forwarded", ID: m.ID, Subject: m.Subject, To: rs.Addresses()})
		},
	}
	cmd.Flags().StringVarP(&comment, "comment", "c", "", "text above the forwarded message")
	cmd.Flags().StringArrayVar(&to, "to", nil, "recipient (repeatable, or comma-separated)")
	return cmd
}

func (a *app) mailMoveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "move ID FOLDER",
		Short: "Move a message to another folder",
		Long: `Move a message to a folder given by well-known name (archive, deleteditems, junkemail,
inbox, ...), display name, path ("Inbox/Projects") or id. Outlook gives the moved message
a new id, which is printed.

  o365 mail move AAMkAG... archive
  o365 mail move AAMkAG... "Inbox/Projects"`,
		Args: exactArgs("move needs the message ID and the FOLDER", 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			dest, err := resolveFolder(ctx, mb, args[1])
			if err != nil {
				return err
			}
			m, err := message(ctx, mb, args[0], "id", "subject")
			if err != nil {
				return err
			}
			if err := m.Move(ctx, dest); err != nil {
				return err
			}
			return a.print(actionResult{Action: "moved", ID: m.ID, Subject: m.Subject, Folder: m.ParentFolderID})
		},
	}
}

func (a *app) mailDeleteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete messages (Outlook keeps them in Recoverable Items for a while)",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("delete needs at least one message ID")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			out := []actionResult{}
			for _, id := range args {
				m, err := message(ctx, mb, id, "id", "subject")
				if err != nil {
					return err
				}
				if err := m.Delete(ctx); err != nil {
					return err
				}
				out = append(out, actionResult{Action: "deleted", ID: m.ID, Subject: m.Subject})
			}
			return a.print(out, actionColumns...)
		},
	}
}

// actionColumns are the columns of a list of actionResult.
var actionColumns = []output.Column{
	{Header: "action", Path: "action"},
	{Header: "subject", Path: "subject"},
	{Header: "id", Path: "id"},
}
