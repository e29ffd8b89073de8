package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/teams"
)

// teamColumns are the columns of `teams list`.
var teamColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "description", Path: "description"},
	{Header: "archived", Path: "isArchived"},
	{Header: "id", Path: "id"},
}

// channelColumns are the columns of `teams channels`.
var channelColumns = []output.Column{
	{Header: "name", Path: "displayName"},
	{Header: "type", Path: "membershipType"},
	{Header: "description", Path: "description"},
	{Header: "id", Path: "id"},
}

// teamsMessageColumns are the columns of sent and listed messages.
var teamsMessageColumns = []output.Column{
	{Header: "sent", Path: "createdDateTime"},
	{Header: "from", Path: "from.user.displayName"},
	{Header: "importance", Path: "importance"},
	{Header: "body", Path: "body.content"},
	{Header: "id", Path: "id"},
}

// chatColumns are the columns of `teams chats`.
var chatColumns = []output.Column{
	{Header: "type", Path: "chatType"},
	{Header: "topic", Path: "topic"},
	{Header: "members", Path: "memberNames"},
	{Header: "updated", Path: "lastUpdatedDateTime"},
	{Header: "id", Path: "id"},
}

// presenceColumns are the columns of `teams presence`.
var presenceColumns = []output.Column{
	{Header: "availability", Path: "availability"},
	{Header: "activity", Path: "activity"},
	{Header: "id", Path: "id"},
}

func (a *app) teamsCommand() *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "teams",
		Short: "Microsoft Teams: teams, channels, messages, chats and presence",
		Long: `Work with Microsoft Teams: the teams you joined and their channels, send channel and chat
messages (with mentions), list chats and their messages, read and set presence.

TEAM and CHANNEL are display names (exact, any case) or ids. The default sign-in asks for
the scopes a user can consent to (Team.ReadBasic.All, Channel.ReadBasic.All,
ChannelMessage.Send, Chat.ReadWrite, Presence.Read.All, Presence.ReadWrite); reading
channel messages needs ChannelMessage.Read.All and creating channels Channel.Create,
which an administrator grants: o365 login --scopes ...,ChannelMessage.Read.All.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&user, "user", "", "another user's Teams (UPN or id; app-only profiles); default your own")
	h := func(ctx context.Context) (*teams.Teams, error) {
		_, c, err := a.session(ctx)
		if err != nil {
			return nil, err
		}
		res := graph.Me
		if user != "" {
			res = graph.User(user)
		}
		return teams.New(c, res), nil
	}
	cmd.AddCommand(a.teamsListCommand(h), a.teamsChannelsCommand(h), a.teamsSendCommand(h), a.teamsChatsCommand(h), a.teamsPresenceCommand(h))
	return cmd
}

type teamsHandle func(ctx context.Context) (*teams.Teams, error)

// teamsHint adds what to do to a permission error.
func teamsHint(err error) error {
	if errors.Is(err, graph.ErrForbidden) {
		return fmt.Errorf("%w (sign in with the Teams scopes: o365 login; channel messages need ChannelMessage.Read.All, granted by an administrator)", err)
	}
	return err
}

// resolveTeam finds a joined team by display name or id.
func resolveTeam(ctx context.Context, tm *teams.Teams, spec string) (*teams.Team, error) {
	team, err := tm.TeamByName(ctx, spec)
	if errors.Is(err, teams.ErrNotFound) && !strings.Contains(spec, " ") && len(spec) >= 30 {
		if byID, err2 := tm.GetTeam(ctx, spec); err2 == nil {
			return byID, nil
		}
	}
	return team, teamsHint(err)
}

// resolveChannel finds a channel of the team by display name or id.
func resolveChannel(ctx context.Context, team *teams.Team, spec string) (*teams.Channel, error) {
	if strings.HasPrefix(spec, "19:") {
		ch, err := team.GetChannel(ctx, spec)
		return ch, teamsHint(err)
	}
	ch, err := team.ChannelByName(ctx, spec)
	return ch, teamsHint(err)
}

func (a *app) teamsListCommand(h teamsHandle) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the teams you joined",
		Long: `List the teams you are a member of (every page).

  o365 teams list -o text
  o365 teams list --query "[].displayName"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			tm, err := h(ctx)
			if err != nil {
				return err
			}
			out := []*teams.Team{}
			for t, err := range tm.JoinedTeams(ctx, nil) {
				if err != nil {
					return teamsHint(err)
				}
				out = append(out, t)
			}
			return a.print(out, teamColumns...)
		},
	}
}

func (a *app) teamsChannelsCommand(h teamsHandle) *cobra.Command {
	var create, description string
	var limit int
	cmd := &cobra.Command{
		Use:   "channels TEAM [CHANNEL]",
		Short: "List a team's channels, a channel's messages, or create a channel",
		Long: `List the channels of TEAM; with CHANNEL, list its messages (newest first, every page up
to --limit); with --create, create a standard channel.

  o365 teams channels "All Company" -o text
  o365 teams channels Retail --create Promotions --description "Weekly offers"
  o365 teams channels "All Company" General --limit 10`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usagef("--limit must not be negative")
			}
			if create != "" && len(args) == 2 {
				return usagef("--create takes only TEAM")
			}
			ctx := cmd.Context()
			tm, err := h(ctx)
			if err != nil {
				return err
			}
			team, err := resolveTeam(ctx, tm, args[0])
			if err != nil {
				return err
			}
			if create != "" {
				ch, err := team.CreateChannel(ctx, create, description)
				if err != nil {
					return teamsHint(err)
				}
				return a.print(ch, channelColumns...)
			}
			if len(args) == 2 {
				ch, err := resolveChannel(ctx, team, args[1])
				if err != nil {
					return err
				}
				out := []*teams.Message{}
				for m, err := range ch.Messages(ctx, &graph.ListOptions{Limit: limit}) {
					if err != nil {
						return teamsHint(err)
					}
					out = append(out, m)
				}
				return a.print(out, teamsMessageColumns...)
			}
			out := []*teams.Channel{}
			for ch, err := range team.Channels(ctx, nil) {
				if err != nil {
					return teamsHint(err)
				}
				out = append(out, ch)
			}
			return a.print(out, channelColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&create, "create", "", "create a standard channel with this name")
	f.StringVar(&description, "description", "", "the new channel's description")
	f.IntVar(&limit, "limit", 0, "at most this many messages (0: all)")
	return cmd
}

// teamsSendCommand sends channel messages, replies and chat messages.
func (a *app) teamsSendCommand(h teamsHandle) *cobra.Command {
	var (
		chat, replyTo, subject, importance string
		html                               bool
		mentions                           []string
	)
	cmd := &cobra.Command{
		Use:   "send [TEAM CHANNEL] TEXT",
		Short: "Send a channel or chat message",
		Long: `Send TEXT to CHANNEL of TEAM, as a reply with --reply-to, or to a chat with --chat
(a chat id, or a colleague's UPN for your one-on-one chat with them).

--mention USER (UPN or id, repeatable) mentions people: each "@1", "@2", ... in TEXT
becomes the mention of the first, second, ... user; mentions not placed in TEXT are put
before it. --html sends TEXT as HTML; by default it is plain text.

  o365 teams send "All Company" General "Hello team"
  o365 teams send Retail "Store Operations" "@1 can you cover Saturday?" --mention MeganB@contoso.onmicrosoft.com
  o365 teams send --chat MeganB@contoso.onmicrosoft.com "Lunch?"
  o365 teams send "All Company" General "Agreed" --reply-to 1794666600000`,
		Args: cobra.RangeArgs(1, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := args[len(args)-1]
			switch {
			case chat != "" && len(args) != 1:
				return usagef("--chat takes only TEXT")
			case chat == "" && len(args) != 3:
				return usagef("give TEAM CHANNEL TEXT, or --chat CHAT TEXT")
			case strings.TrimSpace(text) == "":
				return usagef("empty message")
			case chat != "" && replyTo != "":
				return usagef("--reply-to is for channel messages")
			}
			imp := teams.Importance(importance)
			switch imp {
			case "", teams.Normal, teams.High:
			case teams.Urgent:
				if chat == "" {
					return usagef("--importance urgent is for chat messages")
				}
			default:
				return usagef("--importance must be normal, high or urgent")
			}
			ctx := cmd.Context()
			tm, err := h(ctx)
			if err != nil {
				return err
			}
			nm, err := a.composeTeamsMessage(ctx, tm, text, html, mentions)
			if err != nil {
				return err
			}
			nm.Subject, nm.Importance = subject, imp
			var sent *teams.Message
			if chat != "" {
				c := tm.Chat(chat)
				if !strings.HasPrefix(chat, "19:") {
					if c, err = tm.CreateOneOnOneChat(ctx, chat); err != nil {
						return teamsHint(err)
					}
				}
				sent, err = c.Send(ctx, nm)
			} else {
				team, err := resolveTeam(ctx, tm, args[0])
				if err != nil {
					return err
				}
				ch, err := resolveChannel(ctx, team, args[1])
				if err != nil {
					return err
				}
				if replyTo != "" {
					root, err := ch.Message(ctx, replyTo)
					if err != nil {
						return teamsHint(err)
					}
					sent, err = root.Reply(ctx, nm)
					if err != nil {
						return teamsHint(err)
					}
				} else {
					sent, err = ch.Send(ctx, nm)
					if err != nil {
						return teamsHint(err)
					}
				}
			}
			if err != nil {
				return teamsHint(err)
			}
			return a.print(sent, teamsMessageColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&chat, "chat", "", "send to this chat (id, or a UPN for your one-on-one chat)")
	f.StringVar(&replyTo, "reply-to", "", "reply to this channel message id")
	f.StringVar(&subject, "subject", "", "the message's subject")
	f.StringVar(&importance, "importance", "", "normal, high or urgent (chats only)")
	f.BoolVar(&html, "html", false, "TEXT is HTML")
	f.StringArrayVar(&mentions, "mention", nil, "mention this user (UPN or id); @1, @2... in TEXT place them")
	return cmd
}

// composeTeamsMessage builds the message, resolving mentioned users to ids and names.
func (a *app) composeTeamsMessage(ctx context.Context, tm *teams.Teams, text string, html bool, mentions []string) (*teams.NewMessage, error) {
	if len(mentions) == 0 {
		if html {
			return teams.HTML(text), nil
		}
		return teams.Text(text), nil
	}
	type person struct {
		ID          string `json:"id"`
		DisplayName string `json:"displayName"`
	}
	people := make([]person, len(mentions))
	for i, m := range mentions {
		if err := tm.Client().Get(ctx, graph.User(m).Path()+"?$select=id,displayName", &people[i]); err != nil {
			return nil, fmt.Errorf("--mention %s: %w", m, err)
		}
	}
	c := teams.Compose()
	placed := map[int]bool{}
	for i := range people {
		if !strings.Contains(text, fmt.Sprintf("@%d", i+1)) {
			c.Mention(people[i].ID, people[i].DisplayName).Text(" ")
			placed[i] = true
		}
	}
	add := c.Text
	if html {
		add = c.HTML
	}
	rest := text
	for len(rest) > 0 {
		i := strings.IndexByte(rest, '@')
		if i < 0 {
			add(rest)
			break
		}
		add(rest[:i])
		rest = rest[i:]
		n, width := 0, 1
		for width < len(rest) && rest[width] >= '0' && rest[width] <= '9' && width < 4 {
			n = n*10 + int(rest[width]-'0')
			width++
		}
		if n >= 1 && n <= len(people) && !placed[n-1] {
			c.Mention(people[n-1].ID, people[n-1].DisplayName)
			placed[n-1] = true
			rest = rest[width:]
			continue
		}
		add("@")
		rest = rest[1:]
	}
	return c.Message(), nil
}

// chatRow is a chat as `teams chats` prints it: the chat and its members' names.
type chatRow struct {
	*teams.Chat
	MemberNames string `json:"memberNames"`
}

func (a *app) teamsChatsCommand(h teamsHandle) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "chats [CHAT]",
		Short: "List your chats, or a chat's messages",
		Long: `List your chats with their members (most recently active first, every page); with CHAT
(an id, or a colleague's UPN for your one-on-one chat), list its messages, newest first.

  o365 teams chats -o text
  o365 teams chats MeganB@contoso.onmicrosoft.com --limit 20`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usagef("--limit must not be negative")
			}
			ctx := cmd.Context()
			tm, err := h(ctx)
			if err != nil {
				return err
			}
			if len(args) == 1 {
				c := tm.Chat(args[0])
				if !strings.HasPrefix(args[0], "19:") {
					if c, err = tm.CreateOneOnOneChat(ctx, args[0]); err != nil {
						return teamsHint(err)
					}
				}
				out := []*teams.Message{}
				for m, err := range c.Messages(ctx, &graph.ListOptions{Limit: limit}) {
					if err != nil {
						return teamsHint(err)
					}
					out = append(out, m)
				}
				return a.print(out, teamsMessageColumns...)
			}
			out := []chatRow{}
			for c, err := range tm.Chats(ctx, &graph.ListOptions{Limit: limit}) {
				if err != nil {
					return teamsHint(err)
				}
				names := make([]string, len(c.Members))
				for i, m := range c.Members {
					names[i] = m.DisplayName
				}
				out = append(out, chatRow{Chat: c, MemberNames: strings.Join(names, ", ")})
			}
			return a.print(out, chatColumns...)
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many (0: all)")
	return cmd
}

func (a *app) teamsPresenceCommand(h teamsHandle) *cobra.Command {
	var (
		set, activity, session string
		expires                time.Duration
		clear, preferred       bool
	)
	cmd := &cobra.Command{
		Use:   "presence [USER...]",
		Short: "Read or set presence",
		Long: `Show your presence, or that of USERs (UPNs or ids, read in one request). --set sets it:
an application session (--session, expiring after --expires, 5m to 4h, default 5m) or,
with --preferred, your preferred presence (default expiry: a day for Busy and
DoNotDisturb, a week otherwise). --clear ends the session or the preferred presence.

  o365 teams presence
  o365 teams presence MeganB@contoso.onmicrosoft.com AlexW@contoso.onmicrosoft.com -o text
  o365 teams presence --set DoNotDisturb --activity Presenting --expires 1h --session 1d8a7b2e-3c4f-4e5a-8b9c-0d1e2f3a4b5c
  o365 teams presence --set Offline --activity OffWork --preferred --expires 8h
  o365 teams presence --clear --preferred`,
		RunE: func(cmd *cobra.Command, args []string) error {
			writing := set != "" || clear
			switch {
			case writing && len(args) > 0:
				return usagef("--set and --clear work on your own presence (or --user's)")
			case set != "" && clear:
				return usagef("--set and --clear exclude each other")
			case expires < 0:
				return usagef("--expires must not be negative")
			case writing && !preferred && session == "":
				return usagef("--session is needed to set or clear an application session (or use --preferred)")
			case set != "" && activity == "":
				activity = set
			}
			ctx := cmd.Context()
			tm, err := h(ctx)
			if err != nil {
				return err
			}
			av, ac := teams.Availability(set), teams.Activity(activity)
			switch {
			case set != "" && preferred:
				err = tm.SetPreferredPresence(ctx, av, ac, expires)
			case set != "":
				err = tm.SetPresence(ctx, session, av, ac, expires)
			case clear && preferred:
				err = tm.ClearPreferredPresence(ctx)
			case clear:
				err = tm.ClearPresence(ctx, session)
			}
			if err != nil {
				return teamsHint(err)
			}
			if len(args) == 0 {
				p, err := tm.Presence(ctx)
				if err != nil {
					return teamsHint(err)
				}
				return a.print(p, presenceColumns...)
			}
			ids := make([]string, len(args))
			for i, u := range args {
				var who struct {
					ID string `json:"id"`
				}
				if err := tm.Client().Get(ctx, graph.User(u).Path()+"?$select=id", &who); err != nil {
					return fmt.Errorf("%s: %w", u, err)
				}
				ids[i] = who.ID
			}
			ps, err := tm.Presences(ctx, ids)
			if err != nil {
				return teamsHint(err)
			}
			return a.print(ps, presenceColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&set, "set", "", "set this availability (Available, Busy, DoNotDisturb, BeRightBack, Away, Offline)")
	f.StringVar(&activity, "activity", "", "the activity to set (default: the availability), e.g. InACall, Presenting, OffWork")
	f.StringVar(&session, "session", "", "the application's presence session id")
	f.DurationVar(&expires, "expires", 0, "when the presence expires (e.g. 30m, 2h; 0: Graph's default)")
	f.BoolVar(&clear, "clear", false, "clear the session (or with --preferred, the preferred presence)")
	f.BoolVar(&preferred, "preferred", false, "set or clear the preferred presence instead of a session")
	return cmd
}
