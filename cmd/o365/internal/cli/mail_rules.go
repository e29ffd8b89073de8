package cli

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/odata"
)

func (a *app) mailAutoReplyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "autoreply",
		Aliases: []string{"oof"},
		Short:   "Show or switch automatic replies (out of office)",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.autoReplyShowCommand(), a.autoReplyOnCommand(), a.autoReplyOffCommand())
	return cmd
}

func (a *app) autoReplyShowCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "show",
		Short: "Show the automatic-replies setting",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			return a.showAutoReply(ctx, mb)
		},
	}
}

// showAutoReply prints the mailbox's automatic-replies setting.
func (a *app) showAutoReply(ctx context.Context, mb *mail.Mailbox) error {
	s, err := mb.Settings(ctx)
	if err != nil {
		return err
	}
	ar := s.AutomaticRepliesSetting
	if ar == nil {
		ar = &mail.AutomaticRepliesSetting{Status: mail.AutoReplyDisabled}
	}
	return a.print(ar)
}

func (a *app) autoReplyOnCommand() *cobra.Command {
	var internal, external, audience, start, end string
	cmd := &cobra.Command{
		Use:   "on",
		Short: "Switch automatic replies on, now or between --start and --end",
		Long: `Switch automatic replies on: always, or scheduled between --start and --end. Times are
RFC 3339 (2026-12-01T09:00:00+01:00) or a wall time in local time ("2026-12-01 09:00").
--external-message (default: the same as --message) goes to senders outside the
organisation, as --audience says: all (default), contactsOnly or none. Messages may be HTML.

  o365 mail autoreply on --message "I am away, back on Monday."
  o365 mail autoreply on --message "On holiday" --start "2026-12-20 18:00" --end "2027-01-04 08:00" --audience contactsOnly`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if strings.TrimSpace(internal) == "" {
				return usagef("autoreply on needs --message")
			}
			ar := mail.AutoReply{Internal: internal, External: external}
			switch strings.ToLower(audience) {
			case "", "all":
				ar.Audience = mail.AudienceAll
			case "contactsonly", "contacts":
				ar.Audience = mail.AudienceContactsOnly
			case "none":
				ar.Audience = mail.AudienceNone
			default:
				return usagef("--audience must be none, contactsOnly or all, not %q", audience)
			}
			if (start == "") != (end == "") {
				return usagef("a scheduled reply needs both --start and --end")
			}
			if start != "" {
				var err error
				if ar.Start, err = parseWhen(start, time.Local); err != nil {
					return usagef("--start: %v", err)
				}
				if ar.End, err = parseWhen(end, time.Local); err != nil {
					return usagef("--end: %v", err)
				}
				if !ar.End.After(ar.Start) {
					return usagef("--end must be after --start")
				}
				ar.Status = mail.AutoReplyScheduled
			} else {
				ar.Status = mail.AutoReplyAlwaysEnabled
			}
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			if err := mb.SetAutoReply(ctx, ar); err != nil {
				return err
			}
			return a.showAutoReply(ctx, mb)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&internal, "message", "m", "", "the reply to senders in the organisation (HTML allowed)")
	f.StringVar(&external, "external-message", "", "the reply to outside senders (default: --message)")
	f.StringVar(&audience, "audience", "all", "outside senders who get a reply: none, contactsOnly or all")
	f.StringVar(&start, "start", "", "scheduled from (RFC 3339 or \"2026-12-01 09:00\" local time)")
	f.StringVar(&end, "end", "", "scheduled until")
	return cmd
}

func (a *app) autoReplyOffCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "off",
		Short: "Switch automatic replies off",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			if err := mb.DisableAutoReply(ctx); err != nil {
				return err
			}
			return a.showAutoReply(ctx, mb)
		},
	}
}

// ruleColumns are the columns of `mail rule list`.
var ruleColumns = []output.Column{
	{Header: "seq", Path: "sequence"},
	{Header: "name", Path: "displayName"},
	{Header: "enabled", Path: "isEnabled"},
	{Header: "id", Path: "id"},
}

func (a *app) mailRuleCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "rule",
		Aliases: []string{"rules"},
		Short:   "List, add and delete inbox rules",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.ruleListCommand(), a.ruleAddCommand(), a.ruleDeleteCommand())
	return cmd
}

func (a *app) ruleListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the inbox rules, in the order they run",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			out := []*mail.MessageRule{}
			for r, err := range mb.Rules(ctx) {
				if err != nil {
					return err
				}
				out = append(out, r)
			}
			return a.print(out, ruleColumns...)
		},
	}
}

func (a *app) ruleAddCommand() *cobra.Command {
	var (
		name, moveTo, copyTo, importance                 string
		from, subject, body, sender, categories, forward []string
		seq                                              int
		markRead, stop, del, hasAttachments, disabled    bool
	)
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Add an inbox rule",
		Long: `Add an inbox rule: conditions (all must hold) and actions. Folders are given by
well-known name, display name, path or id.

  o365 mail rule add --name Invoices --from billing@fabrikam.com --move-to Invoices --mark-read --stop
  o365 mail rule add --name Urgent --subject-contains urgent --importance high --category Red`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if strings.TrimSpace(name) == "" {
				return usagef("rule add needs --name")
			}
			cond := &mail.MessageRulePredicates{
				SubjectContains: splitList2(subject),
				BodyContains:    splitList2(body),
				SenderContains:  splitList2(sender),
				HasAttachments:  hasAttachments,
			}
			if err := addRecipients(&cond.FromAddresses, "from", from); err != nil {
				return err
			}
			act := &mail.MessageRuleActions{
				MarkAsRead:          markRead,
				StopProcessingRules: stop,
				Delete:              del,
				AssignCategories:    splitList2(categories),
			}
			if err := addRecipients(&act.ForwardTo, "forward-to", forward); err != nil {
				return err
			}
			imp, err := parseImportance(importance)
			if err != nil {
				return err
			}
			act.MarkImportance = imp
			if moveTo == "" && copyTo == "" && !markRead && !del && !stop && len(act.AssignCategories) == 0 && len(act.ForwardTo) == 0 && imp == "" {
				return usagef("rule add needs an action: --move-to, --copy-to, --mark-read, --delete, --category, --forward-to, --importance or --stop")
			}
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			if act.MoveToFolder, err = folderID(ctx, mb, moveTo); err != nil {
				return err
			}
			if act.CopyToFolder, err = folderID(ctx, mb, copyTo); err != nil {
				return err
			}
			r := &mail.MessageRule{DisplayName: name, Sequence: seq, IsEnabled: !disabled, Actions: act}
			if !emptyPredicates(cond) {
				r.Conditions = cond
			}
			if err := mb.CreateRule(ctx, r); err != nil {
				return err
			}
			return a.print(r)
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "name", "", "the rule's name")
	f.IntVar(&seq, "sequence", 0, "the rule's place in the order (default: after the others)")
	f.StringArrayVar(&from, "from", nil, "condition: sent from this address (repeatable, comma-separated)")
	f.StringArrayVar(&sender, "sender-contains", nil, "condition: the sender contains this text")
	f.StringArrayVar(&subject, "subject-contains", nil, "condition: the subject contains this text (repeatable)")
	f.StringArrayVar(&body, "body-contains", nil, "condition: the body contains this text (repeatable)")
	f.BoolVar(&hasAttachments, "has-attachments", false, "condition: the message has attachments")
	f.StringVar(&moveTo, "move-to", "", "action: move to this folder")
	f.StringVar(&copyTo, "copy-to", "", "action: copy to this folder")
	f.BoolVar(&markRead, "mark-read", false, "action: mark as read")
	f.BoolVar(&del, "delete", false, "action: move to Deleted Items")
	f.StringArrayVar(&categories, "category", nil, "action: assign this category (repeatable)")
	f.StringArrayVar(&forward, "forward-to", nil, "action: forward to this address (repeatable)")
	f.StringVar(&importance, "importance", "", "action: set importance low, normal or high")
	f.BoolVar(&stop, "stop", false, "action: stop processing more rules")
	f.BoolVar(&disabled, "disabled", false, "create the rule switched off")
	return cmd
}

// splitList2 splits comma-separated values of repeatable flags, keeping spaces inside
// values ("quarterly report").
func splitList2(vals []string) []string {
	var out []string
	for _, v := range vals {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func emptyPredicates(p *mail.MessageRulePredicates) bool {
	return len(p.SubjectContains) == 0 && len(p.BodyContains) == 0 && len(p.SenderContains) == 0 && len(p.FromAddresses) == 0 && !p.HasAttachments
}

// folderID resolves a folder to its id (rules need ids, not well-known names); "" stays "".
func folderID(ctx context.Context, mb *mail.Mailbox, spec string) (string, error) {
	if spec == "" {
		return "", nil
	}
	f, err := resolveFolder(ctx, mb, spec)
	if err != nil {
		return "", err
	}
	mf, err := f.Get(ctx, graph.Query(odata.New().Select("id")))
	if err != nil {
		return "", err
	}
	return mf.ID, nil
}

func (a *app) ruleDeleteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "delete RULE",
		Short: "Delete an inbox rule (by id or name)",
		Args:  exactArgs("rule delete needs the RULE's id or name", 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			mb, err := a.mailbox(ctx)
			if err != nil {
				return err
			}
			id := args[0]
			var byName []*mail.MessageRule
			for r, err := range mb.Rules(ctx) {
				if err != nil {
					return err
				}
				if r.ID == id {
					byName = []*mail.MessageRule{r}
					break
				}
				if strings.EqualFold(r.DisplayName, id) {
					byName = append(byName, r)
				}
			}
			switch len(byName) {
			case 0:
				// Let Graph say it does not exist (404, exit 1).
			case 1:
				id = byName[0].ID
			default:
				return usagef("%d rules are named %q: give the id (o365 mail rule list)", len(byName), id)
			}
			if err := mb.DeleteRule(ctx, id); err != nil {
				return err
			}
			return a.print(actionResult{Action: "deleted", ID: id})
		},
	}
}
