package cli

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/subscriptions"
)

func subsArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "subscriptions"}, args...)
}

func TestSubscriptionsCommands(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,message_all")
	hook := httptest.NewServer(subscriptions.NewReceiver(subscriptions.ReceiverOptions{ClientState: "cli-secret"}))
	defer hook.Close()

	created := decodeJSON[map[string]any](t, h.mustRun(subsArgs("create", "me/mailFolders('Inbox')/messages", "--url", hook.URL,
		"--change", "created,updated", "--expires", "2h", "--client-state", "cli-secret")...).stdout)
	id, _ := created["id"].(string)
	if id == "" || created["changeType"] != "created,updated" || created["clientState"] != "cli-secret" {
		t.Fatalf("create = %v", created)
	}
	// A random clientState when none is given.
	other := decodeJSON[map[string]any](t, h.mustRun(subsArgs("create", "me/messages", "--url", hook.URL)...).stdout)
	if cs, _ := other["clientState"].(string); len(cs) < 20 {
		t.Fatalf("random clientState %q", cs)
	}
	ids := decodeJSON[[]string](t, h.mustRun(subsArgs("list", "--query", "[].id")...).stdout)
	if len(ids) != 2 {
		t.Fatalf("list = %v", ids)
	}
	text := h.mustRun(subsArgs("list", "-o", "text")...).stdout
	if first := strings.SplitN(text, "\n", 2)[0]; !strings.HasPrefix(first, "resource") || !strings.Contains(first, "expires") {
		t.Errorf("list -o text header: %q", first)
	}
	renewed := decodeJSON[map[string]any](t, h.mustRun(subsArgs("renew", id, "--expires", "48h")...).stdout)
	exp, err := time.Parse(time.RFC3339, renewed["expirationDateTime"].(string))
	if err != nil || time.Until(exp) < 47*time.Hour {
		t.Fatalf("renew = %v %v", renewed["expirationDateTime"], err)
	}
	h.mustRun(subsArgs("renew", id)...) // the resource's maximum
	if r := h.mustRun(subsArgs("delete", id, other["id"].(string))...); !strings.Contains(r.stderr, "deleted subscription "+id) {
		t.Errorf("delete stderr %q", r.stderr)
	}
	if n := decodeJSON[int](t, h.mustRun(subsArgs("list", "--query", "length(@)")...).stdout); n != 0 {
		t.Fatalf("%d left after delete", n)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{subsArgs("create", "me/messages"), ExitUsage, "--url"},
		{subsArgs("create", "me/messages", "--url", hook.URL, "--change", "moved"), ExitUsage, "--change"},
		{subsArgs("create", "me/messages", "--url", hook.URL, "--expires", "soon"), ExitUsage, "--expires"},
		{subsArgs("create", "me/messages", "--url", hook.URL, "--expires", "-5m"), ExitUsage, "future"},
		{subsArgs("create", "me/nothing", "--url", hook.URL), ExitError, "not supported"},
		{subsArgs("create", "me/messages", "--url", hook.URL, "--expires", "240h"), ExitError, "10080 minutes"},
		{subsArgs("create", "me/events", "--url", hook.URL), ExitError, "scopes"},
		{subsArgs("delete", id), ExitError, "404"},
		{subsArgs("delete"), ExitUsage, ""},
	} {
		if r := h.run(tc.args...); r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d %q, want %d containing %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
}

// TestWebhookListen: `webhook listen --subscribe` creates a subscription pointing at
// itself, prints the notification of a message arriving, and deletes the subscription
// on exit.
func TestWebhookListen(t *testing.T) {
	h := newHarness(t)
	h.loginScopes("basic,message_all")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan run, 1)
	go func() {
		done <- h.runCtx(ctx, "", "--profile", "emu", "-o", "json", "webhook", "listen", "--addr", "127.0.0.1:0",
			"--subscribe", "me/mailFolders('Inbox')/messages", "--count", "1")
	}()
	// Wait for the subscription, then mail ourselves.
	for {
		if n := decodeJSON[int](t, h.mustRun(subsArgs("list", "--query", "length(@)")...).stdout); n == 1 {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("listen ended early: %d %s", r.code, r.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	me := h.srv.DefaultUser().UPN
	h.mustRun(mailArgs("send", "--to", me, "--subject", "Ping")...)
	r := <-done
	if r.code != 0 {
		t.Fatalf("listen: exit %d\n%s", r.code, r.stderr)
	}
	n := decodeJSON[map[string]any](t, r.stdout)
	if n["changeType"] != "created" || !strings.Contains(n["resource"].(string), "Messages") {
		t.Fatalf("notification %v", n)
	}
	if _, ok := n["clientState"]; ok {
		t.Errorf("the checked clientState (a secret) is printed: %v", n)
	}
	if !strings.Contains(r.stderr, "listening on http://127.0.0.1:") || !strings.Contains(r.stderr, "deleted subscription") {
		t.Errorf("stderr %q", r.stderr)
	}
	if n := decodeJSON[int](t, h.mustRun(subsArgs("list", "--query", "length(@)")...).stdout); n != 0 {
		t.Fatalf("%d subscriptions left after listen", n)
	}

	// Ending by interruption deletes the subscription too.
	ctx2, cancel2 := context.WithCancel(context.Background())
	done2 := make(chan run, 1)
	go func() {
		done2 <- h.runCtx(ctx2, "", "--profile", "emu", "webhook", "listen", "--addr", "127.0.0.1:0", "--subscribe", "me/messages")
	}()
	for decodeJSON[int](t, h.mustRun(subsArgs("list", "--query", "length(@)")...).stdout) != 1 {
		time.Sleep(10 * time.Millisecond)
	}
	cancel2()
	if r := <-done2; r.code != 0 || !strings.Contains(r.stderr, "deleted subscription") {
		t.Fatalf("interrupted: %d %s", r.code, r.stderr)
	}

	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--profile", "emu", "webhook", "listen", "--addr", "not an address"}, ExitError},
		{[]string{"--profile", "emu", "webhook", "listen", "--count", "-1"}, ExitUsage},
		{[]string{"--profile", "emu", "webhook", "listen", "--addr", "127.0.0.1:0", "--subscribe", "me/nothing"}, ExitError},
	} {
		if r := h.run(tc.args...); r.code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, r.code, tc.code, r.stderr)
		}
	}
}

func TestDemoNotifyStep(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut syncBuffer
	if code := Main(context.Background(), []string{"demo"}, Env{Stdout: &out, Stderr: &errOut}); code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		". Change notifications: a webhook sees a Teams message arrive",
		"acct.Subscriptions().Create(ctx",
		"validated; subscription",
		"-> posted message",
		"-> notification: created teams('",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
}
