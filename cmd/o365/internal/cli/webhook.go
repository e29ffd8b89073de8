package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/subscriptions"
)

// notificationColumns are the columns of `webhook listen` in text, CSV and Markdown.
var notificationColumns = []output.Column{
	{Header: "change", Path: "changeType"},
	{Header: "lifecycle", Path: "lifecycleEvent"},
	{Header: "resource", Path: "resource"},
	{Header: "subscription", Path: "subscriptionId"},
}

func (a *app) webhookCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "webhook",
		Short: "Receive change notifications",
		Long: `Run a webhook receiver for Microsoft Graph change notifications.

"o365 webhook listen" answers Graph's validation request and prints each notification as
it arrives, in the chosen output format.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.webhookListenCommand())
	return cmd
}

func (a *app) webhookListenCommand() *cobra.Command {
	var (
		addr, publicURL, clientState, subscribe, change, expires string
		count                                                    int
	)
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive notifications and print them as they arrive",
		Long: `Start a webhook receiver on --addr and print every change and lifecycle notification as it
arrives, until interrupted (or after --count notifications).

The receiver answers Graph's validation request at once and checks clientState:
notifications with another one are dropped with a warning on stderr. With --subscribe
RESOURCE it creates a subscription pointing at itself (and at --public-url when Graph
reaches it through a tunnel), and deletes it on exit.

  o365 webhook listen --addr 127.0.0.1:8080 --client-state "$SECRET"
  o365 webhook listen --subscribe "me/mailFolders('Inbox')/messages" -o json
  o365 webhook listen --subscribe me/events --change created,updated,deleted --public-url https://abc.example.net`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if count < 0 {
				return usagef("--count must not be negative")
			}
			types, err := parseChangeTypes(change)
			if err != nil {
				return err
			}
			exp, err := parseExpiry(expires, time.Now())
			if err != nil {
				return err
			}
			if subscribe != "" && clientState == "" {
				clientState = randomClientState()
			}
			return a.listen(cmd.Context(), listenOptions{
				addr: addr, publicURL: publicURL, clientState: clientState, subscribe: subscribe,
				change: types, expires: exp, count: count,
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "listen address (host:port; port 0 picks a free one)")
	f.StringVar(&publicURL, "public-url", "", "the URL Graph reaches the receiver at (a tunnel); default http://ADDR/")
	f.StringVar(&clientState, "client-state", "", "the clientState notifications must carry; with --subscribe, default a random one")
	f.StringVar(&subscribe, "subscribe", "", "create a subscription to RESOURCE pointing at this receiver, deleted on exit")
	f.StringVar(&change, "change", "created", "with --subscribe: change types, comma-separated")
	f.StringVar(&expires, "expires", "", "with --subscribe: expiry (a duration or an RFC 3339 time); default the resource's maximum")
	f.IntVar(&count, "count", 0, "exit after this many notifications (0: run until interrupted)")
	return cmd
}

type listenOptions struct {
	addr, publicURL, clientState, subscribe string
	change                                  subscriptions.ChangeType
	expires                                 time.Time
	count                                   int
}

// listen runs the receiver until ctx ends or count notifications have been printed.
func (a *app) listen(ctx context.Context, o listenOptions) error {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	rcv := subscriptions.NewReceiver(subscriptions.ReceiverOptions{
		ClientState: o.clientState,
		OnError:     func(err error) { a.note("warning: %v", err) },
	})
	srv := &http.Server{Handler: rcv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	url := o.publicURL
	if url == "" {
		url = "http://" + ln.Addr().String() + "/"
	}
	a.note("listening on %s", url)
	if o.publicURL == "" {
		a.note("(Microsoft Graph delivers only to public https URLs: put a tunnel or TLS proxy in front and pass --public-url; the emulator delivers to http on loopback)")
	}

	if o.subscribe != "" {
		subs, err := a.subscriptions(ctx)
		if err != nil {
			return err
		}
		sub, err := subs.Create(ctx, &subscriptions.Subscription{
			Resource: o.subscribe, ChangeType: o.change, NotificationURL: url, LifecycleNotificationURL: url,
			ExpirationDateTime: o.expires, ClientState: o.clientState,
		})
		if err != nil {
			return subscriptionHint(err)
		}
		a.note("subscribed to %s (subscription %s, expires %s)", sub.Resource, sub.ID, sub.ExpirationDateTime.Format(time.RFC3339))
		defer func() {
			// Delete on exit, even when ctx is already done (Ctrl-C).
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := subs.Delete(dctx, sub.ID); err != nil {
				a.note("warning: deleting subscription %s: %v", sub.ID, err)
				return
			}
			a.note("deleted subscription %s", sub.ID)
		}()
	}

	n := 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-served:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return fmt.Errorf("webhook: %w", err)
		case note := <-rcv.Notifications():
			if o.clientState != "" {
				// The receiver has checked it; the secret stays out of the output.
				shown := *note
				shown.ClientState = ""
				note = &shown
			}
			if err := a.print(note, notificationColumns...); err != nil {
				return err
			}
			n++
			if o.count > 0 && n >= o.count {
				return nil
			}
		}
	}
}
