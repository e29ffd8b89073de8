package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/o365go/o365/cmd/o365/internal/config"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/internal/graphspec"
)

// harness runs the CLI against an in-process emulator with a private config directory.
type harness struct {
	t     *testing.T
	srv   *emulator.Server
	clock *skewClock
	env   map[string]string
	dir   string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	// Nothing may touch the real user's config or tokens.
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	clock := &skewClock{}
	srv := emulator.Start(t, func(o *emulator.Options) {
		o.Seed = "demo"
		o.Now = clock.Now
	})
	t.Cleanup(func() { checkGraphPaths(t, srv) })
	return &harness{t: t, srv: srv, clock: clock, env: map[string]string{}, dir: dir}
}

// checkGraphPaths fails the test if the CLI sent a Graph request that is not a Microsoft
// Graph v1.0 path, so what works against the emulator works against Graph.
func checkGraphPaths(t *testing.T, srv *emulator.Server) {
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/v1.0/") || r.Fault != "" {
			continue
		}
		if _, ok := graphspec.Match(r.Method, r.Path); !ok {
			t.Errorf("%s %s is not a Microsoft Graph v1.0 path", r.Method, r.Path)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a command running on another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type run struct {
	stdout, stderr string
	code           int
}

func (h *harness) runCtx(ctx context.Context, stdin string, args ...string) run {
	h.t.Helper()
	var out, errOut syncBuffer
	code := Main(ctx, args, Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return h.env[k] },
		Sleep:  h.clock.FastForward,
	})
	return run{out.String(), errOut.String(), code}
}

func (h *harness) run(args ...string) run {
	h.t.Helper()
	// A bound, so a mistake shows as a failure rather than a hung test.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return h.runCtx(ctx, "", args...)
}

// mustRun fails the test unless the command exits 0.
func (h *harness) mustRun(args ...string) run {
	h.t.Helper()
	r := h.run(args...)
	if r.code != 0 {
		h.t.Fatalf("o365 %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// login signs in the "emu" profile with the device code flow.
func (h *harness) login() run {
	h.t.Helper()
	return h.mustRun("--profile", "emu", "login", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", h.srv.PublicClientID())
}

// loginScopes signs in with only the given scopes (comma-separated helpers or names).
func (h *harness) loginScopes(scopes string) run {
	h.t.Helper()
	return h.mustRun("--profile", "emu", "login", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(),
		"--client-id", h.srv.PublicClientID(), "--scopes", scopes)
}

func decodeJSON[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}

func TestLoginDeviceCodeAndStatus(t *testing.T) {
	h := newHarness(t)
	r := h.login()
	if !strings.Contains(r.stderr, "To sign in, use a web browser") || !strings.Contains(r.stderr, "Signed in as AdeleV@contoso.onmicrosoft.com") {
		t.Errorf("login stderr lacks the device code message or the result:\n%s", r.stderr)
	}
	st := decodeJSON[statusInfo](t, r.stdout)
	if !st.SignedIn || st.Account != "AdeleV@contoso.onmicrosoft.com" || st.Profile != "emu" || st.AuthType != "device" {
		t.Errorf("login status = %+v", st)
	}
	// The device code flow was used, with the public client.
	var grants []string
	for _, lr := range h.srv.Requests() {
		if lr.GrantType != "" {
			grants = append(grants, lr.GrantType)
		}
	}
	if !strings.Contains(strings.Join(grants, " "), "device_code") {
		t.Errorf("no device_code grant in the emulator log: %v", grants)
	}

	// The profile is saved, without secrets, in the config dir.
	cfg, err := config.Load(filepath.Join(h.dir, "o365", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Profile("emu")
	if p == nil || p.Username != "AdeleV@contoso.onmicrosoft.com" || p.BaseURL != h.srv.URL() || p.ClientID != h.srv.PublicClientID() {
		t.Fatalf("saved profile = %+v", p)
	}
	if _, err := os.Stat(filepath.Join(h.dir, "o365", "tokens.json")); err != nil {
		t.Errorf("token file: %v", err)
	}
	raw, _ := os.ReadFile(filepath.Join(h.dir, "o365", "config.json"))
	if strings.Contains(string(raw), "eyJ") {
		t.Error("config file holds a token")
	}

	st = decodeJSON[statusInfo](t, h.mustRun("--profile", "emu", "status").stdout)
	if !st.SignedIn || st.Account != "AdeleV@contoso.onmicrosoft.com" || st.TokenExpires.IsZero() {
		t.Errorf("status = %+v", st)
	}

	// logout forgets the tokens; commands then say how to sign in.
	h.mustRun("--profile", "emu", "logout")
	st = decodeJSON[statusInfo](t, h.mustRun("--profile", "emu", "status").stdout)
	if st.SignedIn {
		t.Errorf("status after logout = %+v", st)
	}
	r = h.run("--profile", "emu", "whoami")
	if r.code != ExitError || !strings.Contains(r.stderr, "o365 --profile emu login") {
		t.Errorf("whoami after logout: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestWhoamiFormats(t *testing.T) {
	h := newHarness(t)
	h.login()
	me := decodeJSON[map[string]any](t, h.mustRun("--profile", "emu", "whoami").stdout)
	if me["displayName"] != "Adele Vance" || me["userPrincipalName"] != "AdeleV@contoso.onmicrosoft.com" {
		t.Errorf("whoami json = %v", me)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--query", "displayName"}, "\"Adele Vance\"\n"},
		{[]string{"-o", "text", "--query", "displayName"}, "Adele Vance\n"},
		{[]string{"-o", "csv", "--query", "{name: displayName, upn: userPrincipalName}"}, "name,upn\nAdele Vance,AdeleV@contoso.onmicrosoft.com\n"},
		{[]string{"-o", "md", "--query", "{name: displayName}"}, "| Property | Value |\n| --- | --- |\n| name | Adele Vance |\n"},
		{[]string{"-o", "none"}, ""},
	}
	for _, tt := range tests {
		args := append([]string{"--profile", "emu", "whoami"}, tt.args...)
		if diff := cmp.Diff(tt.want, h.mustRun(args...).stdout); diff != "" {
			t.Errorf("o365 %s (-want +got):\n%s", strings.Join(args, " "), diff)
		}
	}
	text := h.mustRun("--profile", "emu", "whoami", "-o", "text").stdout
	if !strings.Contains(text, "displayName:") || !strings.Contains(text, "Adele Vance") || strings.Contains(text, "@odata.context") {
		t.Errorf("whoami -o text:\n%s", text)
	}
}

func TestDefaultProfileAndOutputFromConfig(t *testing.T) {
	h := newHarness(t)
	h.login()
	path := filepath.Join(h.dir, "o365", "config.json")
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Default = "emu"
	cfg.Profiles["emu"].Output = "csv"
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	out := h.mustRun("whoami", "--query", "[displayName]").stdout
	if out != "Adele Vance\n" {
		t.Errorf("default profile with csv output: %q", out)
	}
	// The flag still wins over the profile.
	if out := h.mustRun("whoami", "-o", "json", "--query", "displayName").stdout; out != "\"Adele Vance\"\n" {
		t.Errorf("-o json over the profile's csv: %q", out)
	}
}

func TestRequest(t *testing.T) {
	h := newHarness(t)
	h.login()
	p := []string{"--profile", "emu"}
	r := h.mustRun(append(p, "request", "GET", "/users?$filter=department eq 'Marketing'&$select=displayName,mail&$orderby=displayName&$count=true", "--header", "ConsistencyLevel: eventual", "-o", "csv", "--query", "value[].{displayName: displayName, mail: mail}")...)
	if diff := cmp.Diff("displayName,mail\nAlex Wilber,AlexW@contoso.onmicrosoft.com\nMegan Bowen,MeganB@contoso.onmicrosoft.com\n", r.stdout); diff != "" {
		t.Errorf("request -o csv (-want +got):\n%s", diff)
	}
	r = h.mustRun(append(p, "request", "get", "/me", "--header", "Prefer: outlook.timezone=\"UTC\"", "--query", "mail")...)
	if r.stdout != "\"AdeleV@contoso.onmicrosoft.com\"\n" {
		t.Errorf("request GET /me --query mail = %q", r.stdout)
	}
	// The full Graph envelope in JSON, the items in text.
	body := decodeJSON[map[string]any](t, h.mustRun(append(p, "request", "GET", "/me/mailFolders/inbox/messages?$top=2&$select=subject")...).stdout)
	if _, ok := body["@odata.nextLink"]; !ok {
		t.Errorf("JSON output lost the envelope: %v", body)
	}
	text := h.mustRun(append(p, "request", "GET", "/me/mailFolders/inbox/messages?$top=2&$select=subject", "-o", "text")...).stdout
	if lines := strings.Split(strings.TrimSpace(text), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "id") {
		t.Errorf("text output of a collection:\n%s", text)
	}
	// --all follows every nextLink.
	subjects := decodeJSON[[]string](t, h.mustRun(append(p, "request", "GET", "/me/mailFolders/inbox/messages?$top=50&$select=subject", "--all", "--query", "[].subject")...).stdout)
	if len(subjects) != 180 {
		t.Errorf("--all listed %d messages, want the inbox's 180", len(subjects))
	}
	if r := h.run(append(p, "request", "POST", "/me/messages", "--all")...); r.code != ExitUsage {
		t.Errorf("--all with POST: exit %d", r.code)
	}
	// Body from stdin.
	var out, errOut syncBuffer
	code := Main(context.Background(), append(p, "request", "POST", "/$batch", "--body", "@-", "--query", "responses[0].status"), Env{
		Stdin:  strings.NewReader(`{"requests":[{"id":"1","method":"GET","url":"/me?$select=id"}]}`),
		Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return h.env[k] },
	})
	if code != 0 || out.String() != "200\n" {
		t.Errorf("POST /$batch --body @-: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

func TestErrors(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown command", []string{"frobnicate"}, ExitUsage, "unknown command"},
		{"unknown flag", []string{"whoami", "--frob"}, ExitUsage, "unknown flag"},
		{"bad output", []string{"-o", "yaml", "status"}, ExitUsage, "unknown output format"},
		{"bad query", []string{"--query", "[?", "status"}, ExitUsage, "invalid --query"},
		{"request arity", []string{"request", "GET"}, ExitUsage, "METHOD and PATH"},
		{"bad profile name", []string{"--profile", "../x", "status"}, ExitUsage, "invalid profile name"},
		{"not signed in", []string{"whoami"}, ExitError, "not signed in: run 'o365 login'"},
		{"login without client id", []string{"login"}, ExitUsage, "--client-id is required"},
		{"bad auth", []string{"login", "--auth", "magic", "--client-id", "x"}, ExitUsage, "unknown --auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.run(tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout should be empty on error, got %q", r.stdout)
			}
		})
	}

	h.login()
	p := []string{"--profile", "emu"}
	// A Graph error: JSON on stderr when the output is JSON, text otherwise; exit 1.
	r := h.run(append(p, "request", "GET", "/users/nobody@contoso.onmicrosoft.com")...)
	if r.code != ExitError {
		t.Fatalf("exit %d", r.code)
	}
	e := decodeJSON[map[string]map[string]any](t, r.stderr)["error"]
	if e["status"] != float64(404) || e["code"] == "" || !strings.Contains(e["message"].(string), "404") {
		t.Errorf("JSON error = %v", e)
	}
	r = h.run(append(p, "-o", "text", "request", "GET", "/users/nobody@contoso.onmicrosoft.com")...)
	if r.code != ExitError || !strings.HasPrefix(r.stderr, "Error: graph: GET /users/nobody") {
		t.Errorf("text error: exit %d, %q", r.code, r.stderr)
	}
	r = h.run(append(p, "request", "POST", "/me/messages", "--body", "{not json")...)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "not valid JSON") {
		t.Errorf("bad body: exit %d, %q", r.code, r.stderr)
	}
}

func TestVerboseRedactsTokens(t *testing.T) {
	h := newHarness(t)
	h.login()
	if _, err := h.srv.Faults().Add(emulator.Fault{Method: "GET", Path: `/v1\.0/me$`, Status: 429, RetryAfter: time.Millisecond, Count: 1}); err != nil {
		t.Fatal(err)
	}
	r := h.mustRun("--profile", "emu", "-v", "request", "GET", "/me")
	if !strings.Contains(r.stderr, "retrying") || !strings.Contains(r.stderr, "status=429") {
		t.Errorf("verbose log lacks the retry decision:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "eyJ") || strings.Contains(strings.ToLower(r.stderr), "bearer ") {
		t.Errorf("verbose log leaks a token:\n%s", r.stderr)
	}
}

func TestMailList(t *testing.T) {
	h := newHarness(t)
	h.login()
	p := []string{"--profile", "emu", "mail", "list"}
	msgs := decodeJSON[[]map[string]any](t, h.mustRun(append(p, "--top", "3")...).stdout)
	if len(msgs) != 3 {
		t.Fatalf("got %d messages, want 3", len(msgs))
	}
	for _, k := range []string{"id", "subject", "from", "body", "receivedDateTime", "toRecipients"} {
		if _, ok := msgs[0][k]; !ok {
			t.Errorf("message lacks %q: %v", k, msgs[0])
		}
	}
	if a, b := msgs[0]["receivedDateTime"].(string), msgs[2]["receivedDateTime"].(string); a < b {
		t.Errorf("not newest first: %s before %s", a, b)
	}
	text := h.mustRun(append(p, "--top", "2", "-o", "text")...).stdout
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "received") || !strings.Contains(lines[0], "subject") {
		t.Errorf("mail list -o text:\n%s", text)
	}
	unread := decodeJSON[[]bool](t, h.mustRun(append(p, "--top", "0", "--filter", "isRead eq false", "--query", "[].isRead")...).stdout)
	if len(unread) == 0 {
		t.Error("no unread messages in the demo inbox")
	}
	for _, r := range unread {
		if r {
			t.Fatal("--filter isRead eq false returned a read message")
		}
	}
	sent := decodeJSON[[]string](t, h.mustRun(append(p, "--folder", "sentitems", "--top", "5", "--select", "subject", "--query", "[].subject")...).stdout)
	if len(sent) != 5 {
		t.Errorf("sentitems: %v", sent)
	}
	found := decodeJSON[[]string](t, h.mustRun(append(p, "--search", "inventory", "--top", "0", "--query", "[].subject")...).stdout)
	if len(found) == 0 {
		t.Error("--search inventory found nothing")
	}
	all := decodeJSON[[]any](t, h.mustRun(append(p, "--folder", "all", "--top", "0", "--select", "id")...).stdout)
	if len(all) < 240 {
		t.Errorf("--folder all listed %d messages, want every folder's", len(all))
	}
}

func TestAppOnlyLogin(t *testing.T) {
	h := newHarness(t)
	id, secret := h.srv.ConfidentialClient()
	args := []string{"--profile", "app", "login", "--auth", "secret", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", id}
	if r := h.run(args...); r.code != ExitError || !strings.Contains(r.stderr, "O365_CLIENT_SECRET") {
		t.Errorf("secret login without the variable: exit %d, %q", r.code, r.stderr)
	}
	h.env["O365_CLIENT_SECRET"] = secret
	st := decodeJSON[statusInfo](t, h.mustRun(args...).stdout)
	if !st.SignedIn || st.Account != "" || st.AuthType != "secret" {
		t.Errorf("app-only status = %+v", st)
	}
	raw, _ := os.ReadFile(filepath.Join(h.dir, "o365", "config.json"))
	if strings.Contains(string(raw), secret) {
		t.Error("the client secret was written to the config file")
	}
	out := h.mustRun("--profile", "app", "request", "GET", "/users/MeganB@contoso.onmicrosoft.com", "--query", "jobTitle").stdout
	if out != "\"Marketing Manager\"\n" {
		t.Errorf("app-only request = %q", out)
	}
	// The stored app-only token serves later commands without the secret.
	delete(h.env, "O365_CLIENT_SECRET")
	if out := h.mustRun("--profile", "app", "request", "GET", "/users/AlexW@contoso.onmicrosoft.com", "--query", "jobTitle").stdout; out != "\"Marketing Assistant\"\n" {
		t.Errorf("app-only request without the secret = %q", out)
	}
	if r := h.run("--profile", "app", "whoami"); r.code != ExitError || !strings.Contains(r.stderr, "application") {
		t.Errorf("app-only whoami: exit %d, %q", r.code, r.stderr)
	}
}

func TestEmulatorCommand(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"emulator", "--addr", "127.0.0.1:0", "--latency", "1ms", "--throttle", "100/10s", "--fault", "503,path=/nothing,count=1"}, Env{Stdout: &out, Stderr: &errOut})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl+C") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	banner := out.String()
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"o365 emulator listening on http://127.0.0.1:", "Tenant:", "Public client id:", "o365 --profile emu login --emulator http://127.0.0.1:", h.srv.PublicClientID()} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if r := h.run("emulator", "--throttle", "lots"); r.code != ExitUsage {
		t.Errorf("bad --throttle: exit %d %q", r.code, r.stderr)
	}
	if r := h.run("emulator", "--addr", "127.0.0.1:0", "--fault", "kind=explode"); r.code != ExitUsage {
		t.Errorf("bad --fault: exit %d %q", r.code, r.stderr)
	}
}

func TestDemo(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut syncBuffer
	code := Main(context.Background(), []string{"demo"}, Env{Stdout: &out, Stderr: &errOut})
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"1. Sign in with a device code",
		"o365.NewAccount(",
		"To sign in, use a web browser to open the page http://127.0.0.1:",
		"srv.ApproveDeviceCode(",
		"-> signed in as AdeleV@contoso.onmicrosoft.com",
		"2. Who am I",
		"acct.CurrentUser(ctx)",
		"-> Adele Vance <AdeleV@contoso.onmicrosoft.com>, Retail Manager",
		"3. The tenant's users, with an OData query",
		"GET /users?$filter=department eq 'Marketing' or startswith(displayName,'D')",
		"-> Alex Wilber", "-> Diego Siciliani", "-> Megan Bowen",
		"4. Several requests in one round trip ($batch)",
		"-> me      200", "-> megan   200", "-> inbox   200", "-> nobody  404",
		"graph.ErrNotFound) = true",
		"5. The newest messages of the inbox",
		"acct.Mailbox().Inbox().Messages(",
		"6. A throttled request that waits and succeeds",
		"status=429",
		"-> GET /me answered 429, then 200",
		"7. Send a message with a 3.5 MB attachment (an upload session, with progress)",
		"msg.Attachments.AddReader(\"layouts.pdf\"",
		"mail.Progress(",
		"upload layouts.pdf: 1.3 MB of 3.5 MB (37%)",
		"upload layouts.pdf: 3.5 MB of 3.5 MB (100%)",
		"-> sent to MeganB@contoso.onmicrosoft.com: 3 chunks PUT to the pre-authorised upload URL, without the access token",
		"8. The colleague signs in and reads it back",
		"megan.Mailbox().Inbox().Messages(",
		"-> signed in as MeganB@contoso.onmicrosoft.com",
		"from AdeleV@contoso.onmicrosoft.com: \"Store layouts for December\"",
		"-> attachment layouts.pdf, 3.5 MB (3500000 bytes)",
		"matches the bytes sent",
		"Done. Next:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if n := strings.Count(got, "\n   ->") - strings.Count(got, "\n   -> signed"); n < 5+3+4+1+1 {
		t.Errorf("demo printed %d result lines:\n%s", n, got)
	}
	if t.Failed() {
		t.Log(got)
	}
}

func TestConfigCommand(t *testing.T) {
	h := newHarness(t)
	h.mustRun("--profile", "work", "config", "set", "tenant", "contoso.onmicrosoft.com")
	h.mustRun("--profile", "work", "config", "set", "output", "csv")
	h.mustRun("config", "use", "work")
	show := decodeJSON[map[string]any](t, h.mustRun("-o", "json", "config", "show").stdout)
	if show["defaultProfile"] != "work" {
		t.Errorf("config show = %v", show)
	}
	if out := h.mustRun("config", "show", "--query", "profiles.work.tenant").stdout; out != "contoso.onmicrosoft.com\n" {
		t.Errorf("the default profile's csv output and --query: %q", out)
	}
	for _, args := range [][]string{{"config", "set", "output", "yaml"}, {"config", "set", "colour", "red"}, {"config", "set", "tenant"}, {"config", "use", "../x"}, {"config", "delete", "nope"}} {
		if r := h.run(args...); r.code != ExitUsage {
			t.Errorf("o365 %s: exit %d, want %d (%s)", strings.Join(args, " "), r.code, ExitUsage, r.stderr)
		}
	}
	h.mustRun("config", "delete", "work")
	if out := h.mustRun("-o", "json", "config", "show", "--query", "defaultProfile").stdout; out != "\"default\"\n" {
		t.Errorf("after delete: %q", out)
	}
}

func TestEmulatorWritesProfile(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"--profile", "local", "emulator", "--addr", "127.0.0.1:0"}, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl+C") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("emulator: exit %d: %s", code, errOut.String())
		}
	}()
	if !strings.Contains(out.String(), "o365 --profile local login\n") {
		t.Fatalf("banner:\n%s", out.String())
	}
	// The profile now holds everything "o365 --profile local login" needs.
	cfg, err := config.Load(filepath.Join(h.dir, "o365", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Profile("local")
	if p == nil || !strings.HasPrefix(p.BaseURL, "http://127.0.0.1:") || p.LoginURL != p.BaseURL || p.Tenant != h.srv.TenantID() || p.ClientID != h.srv.PublicClientID() || p.AuthType != "device" {
		t.Errorf("profile = %+v", p)
	}
}
