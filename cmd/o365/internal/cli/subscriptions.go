package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/subscriptions"
)

// subscriptionColumns are the columns of `subscriptions list|create|renew` in text, CSV and
// Markdown.
var subscriptionColumns = []output.Column{
	{Header: "resource", Path: "resource"},
	{Header: "changes", Path: "changeType"},
	{Header: "expires", Path: "expirationDateTime"},
	{Header: "url", Path: "notificationUrl"},
	{Header: "id", Path: "id"},
}

func (a *app) subscriptionsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "subscriptions",
		Short: "Change-notification subscriptions (webhooks)",
		Long: `Manage Microsoft Graph change-notification subscriptions: list them (every page), create,
renew and delete them.

Creating one makes Graph send a validation request to the notification URL first, which
must answer within 10 seconds: run "o365 webhook listen" there (or let
"o365 webhook listen --subscribe RESOURCE" create the subscription for you). Graph
requires https; the emulator also delivers to http on loopback.

Subscribing needs the read permission of the resource watched (Mail.Read for messages,
Calendars.Read for events, ...), so sign in with the matching scopes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.subscriptionsListCommand(), a.subscriptionsCreateCommand(), a.subscriptionsRenewCommand(), a.subscriptionsDeleteCommand())
	return cmd
}

// subscriptions returns the subscriptions handle of the signed-in profile.
func (a *app) subscriptions(ctx context.Context) (*subscriptions.Subscriptions, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	return subscriptions.New(c), nil
}

// parseExpiry reads --expires: a duration from now ("45m", "48h") or an RFC 3339 time; ""
// means the longest the resource allows.
func parseExpiry(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(v); err == nil {
		if d <= 0 {
			return time.Time{}, usagef("--expires must be in the future")
		}
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, usagef("--expires %q: want a duration (45m, 48h) or an RFC 3339 time", v)
	}
	return t, nil
}

// parseChangeTypes reads --change: created, updated, deleted, comma-separated.
func parseChangeTypes(v string) (subscriptions.ChangeType, error) {
	var out []subscriptions.ChangeType
	for _, p := range strings.Split(v, ",") {
		switch t := subscriptions.ChangeType(strings.ToLower(strings.TrimSpace(p))); t {
		case subscriptions.Created, subscriptions.Updated, subscriptions.Deleted:
			out = append(out, t)
		default:
			return "", usagef("--change %q: want created, updated or deleted, comma-separated", p)
		}
	}
	return subscriptions.Join(out...), nil
}

// randomClientState is a fresh clientState secret.
func randomClientState() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// subscriptionHint adds what to do to a permission error.
func subscriptionHint(err error) error {
	if errors.Is(err, graph.ErrForbidden) {
		return fmt.Errorf("%w (subscribing needs the read permission of the watched resource: sign in with its scopes, e.g. o365 login --scopes basic,message_all)", err)
	}
	return err
}

func (a *app) subscriptionsListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the app's active subscriptions (every page)",
		Long: `List the active subscriptions of the signed-in app (with a delegated profile, those it made
for you), following every page.

  o365 subscriptions list -o text
  o365 subscriptions list --query "[].id"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			subs, err := a.subscriptions(ctx)
			if err != nil {
				return err
			}
			out := []*subscriptions.Subscription{}
			for s, err := range subs.List(ctx, nil) {
				if err != nil {
					return err
				}
				out = append(out, s)
			}
			return a.print(out, subscriptionColumns...)
		},
	}
}

func (a *app) subscriptionsCreateCommand() *cobra.Command {
	var url, lifecycle, change, expires, clientState string
	cmd := &cobra.Command{
		Use:   "create RESOURCE --url URL",
		Short: "Create a subscription",
		Long: `Create a subscription to RESOURCE (e.g. "me/mailFolders('Inbox')/messages", "me/events",
"/teams/{id}/channels/{id}/messages") delivering to --url, which must answer Graph's
validation request (run "o365 webhook listen" there). Without --expires the subscription
lasts as long as the resource allows; without --client-state a random one is made and
printed with the subscription: give it to "o365 webhook listen --client-state".

  o365 subscriptions create "me/mailFolders('Inbox')/messages" --url https://example.com/hook
  o365 subscriptions create me/events --url https://example.com/hook --change created,updated,deleted --expires 24h`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if url == "" {
				return usagef("--url is required")
			}
			types, err := parseChangeTypes(change)
			if err != nil {
				return err
			}
			exp, err := parseExpiry(expires, time.Now())
			if err != nil {
				return err
			}
			if clientState == "" {
				clientState = randomClientState()
			}
			ctx := cmd.Context()
			subs, err := a.subscriptions(ctx)
			if err != nil {
				return err
			}
			sub, err := subs.Create(ctx, &subscriptions.Subscription{
				Resource: args[0], ChangeType: types, NotificationURL: url, LifecycleNotificationURL: lifecycle,
				ExpirationDateTime: exp, ClientState: clientState,
			})
			if err != nil {
				return subscriptionHint(err)
			}
			return a.print(sub, subscriptionColumns...)
		},
	}
	f := cmd.Flags()
	f.StringVar(&url, "url", "", "notification URL (https; http on loopback for the emulator)")
	f.StringVar(&lifecycle, "lifecycle-url", "", "lifecycle notification URL (reauthorizationRequired, subscriptionRemoved, missed)")
	f.StringVar(&change, "change", "created", "change types: created, updated, deleted, comma-separated")
	f.StringVar(&expires, "expires", "", "expiry: a duration from now (45m, 48h) or an RFC 3339 time; default the resource's maximum")
	f.StringVar(&clientState, "client-state", "", "secret echoed in every notification; default a random one")
	return cmd
}

func (a *app) subscriptionsRenewCommand() *cobra.Command {
	var expires string
	cmd := &cobra.Command{
		Use:   "renew ID",
		Short: "Renew a subscription",
		Long: `Move a subscription's expiry: --expires is a duration from now or an RFC 3339 time; without
it, the longest its resource allows.

  o365 subscriptions renew 7f105c7d-2dc5-4530-97cd-4e7ae6534c07 --expires 48h`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			exp, err := parseExpiry(expires, time.Now())
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			subs, err := a.subscriptions(ctx)
			if err != nil {
				return err
			}
			if exp.IsZero() {
				cur, err := subs.Get(ctx, args[0])
				if err != nil {
					return err
				}
				exp = time.Now().Add(subscriptions.MaxExpiry(cur.Resource) - time.Minute)
			}
			sub, err := subs.Renew(ctx, args[0], exp)
			if err != nil {
				return err
			}
			return a.print(sub, subscriptionColumns...)
		},
	}
	cmd.Flags().StringVar(&expires, "expires", "", "new expiry: a duration from now (45m, 48h) or an RFC 3339 time")
	return cmd
}

func (a *app) subscriptionsDeleteCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete subscriptions",
		Long: `Delete subscriptions by id; their notifications stop.

  o365 subscriptions delete 7f105c7d-2dc5-4530-97cd-4e7ae6534c07`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			subs, err := a.subscriptions(ctx)
			if err != nil {
				return err
			}
			for _, id := range args {
				if err := subs.Delete(ctx, id); err != nil {
					return err
				}
				a.note("deleted subscription %s", id)
			}
			return nil
		},
	}
}
