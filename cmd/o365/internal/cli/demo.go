package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

func (a *app) demoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "A guided tour of the library on the embedded emulator (no account needed)",
		Long: `Start the emulator in this process, with the Contoso demo tenant, and walk through the
library step by step: sign in with a device code, who am I, the tenant's users with an
OData query, a $batch, the newest messages of the inbox, and a throttled request that
waits and succeeds, a message with a 3.5 MB attachment sent to a colleague, who signs in
and reads it back, a meeting the colleague accepts, a 12 MiB file uploaded to OneDrive in
chunks, shared and downloaded with its hash checked, a row appended to an Excel table, and
a Teams channel message seen arriving at a webhook. Each step shows the Go code behind
it. Nothing leaves this machine.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), a.env.Stdout)
		},
	}
}

// demoUser is the part of a directory user the demo shows.
type demoUser struct {
	DisplayName string `json:"displayName"`
	Mail        string `json:"mail"`
	JobTitle    string `json:"jobTitle"`
	Department  string `json:"department"`
}

// tour writes the demo's steps.
type tour struct {
	w    io.Writer
	step int
}

func (t *tour) title(s string) {
	t.step++
	fmt.Fprintf(t.w, "\n%d. %s\n", t.step, s)
}

// code prints a Go snippet, indented.
func (t *tour) code(src string) {
	fmt.Fprintln(t.w)
	for line := range strings.SplitSeq(strings.Trim(src, "\n"), "\n") {
		fmt.Fprintln(t.w, "       "+strings.ReplaceAll(line, "\t", "    "))
	}
	fmt.Fprintln(t.w)
}

func (t *tour) say(format string, args ...any) {
	fmt.Fprintf(t.w, "   "+format+"\n", args...)
}

// retryLog prints the client's retry decisions, the way -v shows them.
type retryLog struct {
	t *tour
}

func (h retryLog) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }
func (h retryLog) Handle(_ context.Context, r slog.Record) error {
	if !strings.HasPrefix(r.Message, "graph: retrying") {
		return nil
	}
	var parts []string
	r.Attrs(func(at slog.Attr) bool {
		switch at.Key {
		case "status", "reason", "wait", "attempt":
			parts = append(parts, at.Key+"="+at.Value.String())
		}
		return true
	})
	h.t.say("  log: %s %s", r.Message, strings.Join(parts, " "))
	return nil
}
func (h retryLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h retryLog) WithGroup(string) slog.Handler      { return h }

// runDemo is `o365 demo`.
func runDemo(ctx context.Context, w io.Writer) error {
	t := &tour{w: w}
	clock := &skewClock{}
	srv, err := emulator.New(emulator.Options{Seed: "demo", Now: clock.Now})
	if err != nil {
		return err
	}
	defer srv.Close()
	upn := srv.DefaultUser().UPN

	fmt.Fprintln(w, "o365 for Go: a guided tour on the local emulator")
	fmt.Fprintln(w, "=================================================")
	fmt.Fprintf(w, "\nThe emulator (Microsoft Graph and sign-in, in this process) is at %s,\nwith the Contoso demo tenant. Every step below is a real HTTP call to it.\n", srv.URL())
	fmt.Fprintf(w, "\n       srv, err := emulator.New(emulator.Options{Seed: \"demo\"}) // or emulator.Start(t) in a test\n")

	// 1. Sign in.
	t.title("Sign in with a device code")
	t.code(`acct, err := o365.NewAccount(
	o365.Credentials{ClientID: clientID, Tenant: tenantID},
	o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
	o365.WithAuthFlow(o365.DeviceFlow),
)
err = acct.Authenticate(ctx, "basic", "users", "message_all") // scope helpers or raw scopes`)
	prompt := func(_ context.Context, dc auth.DeviceCode) error {
		t.say("%s", dc.Message)
		t.say("(the emulator plays the user: srv.ApproveDeviceCode(%q, %q))", dc.UserCode, upn)
		return srv.ApproveDeviceCode(dc.UserCode, upn)
	}
	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithAuthFlow(o365.DeviceFlow),
		o365.WithDeviceCodePrompt(prompt),
		o365.WithTokenStore(auth.NewMemoryStore()), // the demo leaves no tokens behind
		o365.WithLogger(slog.New(retryLog{t})),
		// Skip the 5 s device-code polling interval by moving the emulator's clock; the
		// Graph client keeps real time, so the throttling step below really waits.
		o365.WithClock(time.Now, clock.FastForward),
		o365.WithClientOptions(graph.WithClock(time.Now, sleep)),
	)
	if err != nil {
		return err
	}
	if err := acct.Authenticate(ctx, "basic", "users", "message_all"); err != nil {
		return fmt.Errorf("demo: sign-in: %w", err)
	}
	t.say("-> signed in as %s; tokens refresh by themselves from now on", acct.Username())

	// 2. Who am I.
	t.title("Who am I")
	t.code(`me, err := acct.CurrentUser(ctx) // GET /me`)
	me, err := acct.CurrentUser(ctx)
	if err != nil {
		return err
	}
	t.say("-> %s <%s>, %s, office %s", me.DisplayName, me.UserPrincipalName, me.JobTitle, me.OfficeLocation)

	// 3. Users with a query.
	t.title("The tenant's users, with an OData query")
	t.code(`q := odata.New().
	Filter(odata.Attr("department").Eq("Marketing").Or(odata.Attr("display_name").StartsWith("D"))).
	Select("displayName", "mail", "jobTitle", "department").
	OrderBy("displayName", odata.Asc).
	Count() // $filter with $orderby is an "advanced query" in the directory:
opts := &graph.ListOptions{Query: q} // it needs $count=true and ConsistencyLevel: eventual
for u, err := range graph.List[User](ctx, acct.Client(), "/users", opts, graph.ConsistencyEventual()) {
	...
}`)
	q := odata.New().
		Filter(odata.Attr("department").Eq("Marketing").Or(odata.Attr("display_name").StartsWith("D"))).
		Select("displayName", "mail", "jobTitle", "department").
		OrderBy("displayName", odata.Asc).
		Count()
	t.say("GET /users?%s", q.String())
	for u, err := range graph.List[demoUser](ctx, acct.Client(), "/users", &graph.ListOptions{Query: q}, graph.ConsistencyEventual()) {
		if err != nil {
			return err
		}
		t.say("-> %-16s %-36s %-20s %s", u.DisplayName, u.Mail, u.JobTitle, u.Department)
	}

	// 4. Batch.
	t.title("Several requests in one round trip ($batch)")
	t.code(`resps, err := acct.Client().Batch(ctx, []graph.BatchRequest{
	{ID: "me", Method: "GET", URL: "/me?$select=displayName"},
	{ID: "megan", Method: "GET", URL: "/users/MeganB@contoso.onmicrosoft.com?$select=displayName,jobTitle"},
	{ID: "inbox", Method: "GET", URL: "/me/mailFolders/inbox?$select=displayName,totalItemCount,unreadItemCount"},
	{ID: "nobody", Method: "GET", URL: "/users/nobody@contoso.onmicrosoft.com"},
}) // one POST /$batch; each answer has its own status, failures as *graph.Error`)
	resps, err := acct.Client().Batch(ctx, []graph.BatchRequest{
		{ID: "me", Method: http.MethodGet, URL: "/me?$select=displayName"},
		{ID: "megan", Method: http.MethodGet, URL: "/users/MeganB@contoso.onmicrosoft.com?$select=displayName,jobTitle"},
		{ID: "inbox", Method: http.MethodGet, URL: "/me/mailFolders/inbox?$select=displayName,totalItemCount,unreadItemCount"},
		{ID: "nobody", Method: http.MethodGet, URL: "/users/nobody@contoso.onmicrosoft.com"},
	})
	if err != nil {
		return err
	}
	for _, r := range resps {
		if r.Err != nil {
			var ge *graph.Error
			if errors.As(r.Err, &ge) {
				t.say("-> %-7s %d %s (errors.Is(err, graph.ErrNotFound) = %v)", r.ID, r.Status, ge.Code, errors.Is(r.Err, graph.ErrNotFound))
				continue
			}
			t.say("-> %-7s %v", r.ID, r.Err)
			continue
		}
		t.say("-> %-7s %d %s", r.ID, r.Status, compact(r.Body))
	}

	// 5. Inbox.
	t.title("The newest messages of the inbox")
	t.code(`q := odata.New().Select("receivedDateTime", "from", "subject", "isRead").OrderBy("receivedDateTime", odata.Desc)
for m, err := range acct.Mailbox().Inbox().Messages(ctx, &graph.ListOptions{Limit: 5, Query: q}) {
	fmt.Println(m.ReceivedDateTime, m.From.Address(), m.Subject) // m is a *mail.Message
}`)
	mq := odata.New().Select("receivedDateTime", "from", "subject", "isRead").OrderBy("receivedDateTime", odata.Desc)
	for m, err := range acct.Mailbox().Inbox().Messages(ctx, &graph.ListOptions{Limit: 5, PageSize: 5, Query: mq}) {
		if err != nil {
			return err
		}
		unread := " "
		if !m.IsRead {
			unread = "*"
		}
		t.say("->%s %s  %-32s %s", unread, m.ReceivedDateTime.Format("2006-01-02 15:04"), m.From.Address(), m.Subject)
	}

	// 6. Throttling.
	t.title("A throttled request that waits and succeeds")
	t.code(`srv.Faults().Add(emulator.Fault{Method: "GET", Path: "/v1.0/me$", Status: 429, RetryAfter: time.Second, Count: 1})
me, err := acct.CurrentUser(ctx) // 429 Retry-After: 1 -> the client waits 1 s, retries, succeeds`)
	if _, err := srv.Faults().Add(emulator.Fault{Name: "demo-429", Method: http.MethodGet, Path: `/v1\.0/me$`, Status: http.StatusTooManyRequests, RetryAfter: time.Second, Count: 1}); err != nil {
		return err
	}
	srv.ResetLog()
	start := time.Now()
	if _, err := acct.CurrentUser(ctx); err != nil {
		return err
	}
	waited := time.Since(start)
	var statuses []string
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/me") {
			statuses = append(statuses, fmt.Sprint(r.Status))
		}
	}
	t.say("-> GET /me answered %s; succeeded after %.1f s, without any code of yours", strings.Join(statuses, ", then "), waited.Seconds())

	if err := demoMail(ctx, t, srv, acct, clock); err != nil {
		return err
	}
	if err := demoCalendar(ctx, t, srv, acct, clock); err != nil {
		return err
	}
	if err := demoDrive(ctx, t, srv, acct, clock); err != nil {
		return err
	}
	if err := demoExcel(ctx, t, srv, acct, clock); err != nil {
		return err
	}
	if err := demoNotify(ctx, t, srv, acct, clock); err != nil {
		return err
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Done. Next:")
	fmt.Fprintln(w, "  - the library: go doc github.com/o365go/o365, and docs/ in the repository (auth.md for app registration)")
	fmt.Fprintln(w, "  - keep an emulator running for your own code and tests: o365 emulator --seed demo")
	fmt.Fprintln(w, "  - sign in to your tenant: o365 login --client-id YOUR_APP_ID --tenant YOUR_TENANT; then o365 whoami, o365 mail list")
	fmt.Fprintln(w, "  - send mail from the shell: o365 mail send --to someone@contoso.com --subject Hi --body-file note.html --attach big.pdf")
	return nil
}

// compact shortens a JSON body for one line of the demo, without its OData annotations.
func compact(b []byte) string {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return string(b)
	}
	for k := range m {
		if strings.HasPrefix(k, "@odata.") {
			delete(m, k)
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return string(b)
	}
	s := string(out)
	if utf8.RuneCountInString(s) > 100 {
		s = string([]rune(s)[:99]) + "…"
	}
	return s
}
