package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/o365go/o365/emulator"
)

const (
	adele  = "AdeleV@contoso.onmicrosoft.com"
	megan  = "MeganB@contoso.onmicrosoft.com"
	shared = "SalesTeam@contoso.onmicrosoft.com"
)

// mailArgs prefixes a mail subcommand with the signed-in test profile.
func mailArgs(args ...string) []string {
	return append([]string{"--profile", "emu", "mail"}, args...)
}

// deterministic returns n bytes that are the same on every run and not all alike.
func deterministic(n int) []byte {
	b := make([]byte, n)
	var x uint32 = 2463534242
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func TestMailFolderCommands(t *testing.T) {
	h := newHarness(t)
	h.login()
	m := func(args ...string) run { h.t.Helper(); return h.mustRun(mailArgs(args...)...) }

	names := decodeJSON[[]string](t, m("folder", "list", "--query", "[].displayName").stdout)
	for _, want := range []string{"Inbox", "Sent Items", "Drafts", "Deleted Items"} {
		if !strings.Contains(strings.Join(names, "|"), want) {
			t.Errorf("folder list lacks %q: %v", want, names)
		}
	}
	text := m("folder", "list", "-o", "text").stdout
	if first := strings.SplitN(text, "\n", 2)[0]; !strings.HasPrefix(first, "name") || !strings.Contains(first, "unread") || !strings.Contains(first, "id") {
		t.Errorf("folder list -o text header: %q", first)
	}

	projects := decodeJSON[map[string]any](t, m("folder", "create", "Projects").stdout)
	if projects["displayName"] != "Projects" || projects["id"] == "" {
		t.Fatalf("folder create = %v", projects)
	}
	m("folder", "create", "2026", "--parent", "projects") // by display name, any case
	m("folder", "create", "Old", "--parent", "inbox")     // under a well-known folder
	paths := decodeJSON[[]string](t, m("folder", "list", "--recursive", "--query", "[].path").stdout)
	for _, want := range []string{"Projects", "Projects/2026", "Inbox/Old"} {
		if !strings.Contains("|"+strings.Join(paths, "|")+"|", "|"+want+"|") {
			t.Errorf("folder list --recursive lacks %q: %v", want, paths)
		}
	}
	children := decodeJSON[[]string](t, m("folder", "list", "--parent", "Projects", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"2026"}, children); diff != "" {
		t.Errorf("folder list --parent (-want +got):\n%s", diff)
	}
	if got := m("folder", "rename", "Projects/2026", "2027", "--query", "displayName").stdout; got != "\"2027\"\n" {
		t.Errorf("folder rename = %q", got)
	}
	m("folder", "move", "Inbox/Old", "Projects") // by path, then by name
	children = decodeJSON[[]string](t, m("folder", "list", "--parent", "Projects", "--query", "sort([].displayName)").stdout)
	if diff := cmp.Diff([]string{"2027", "Old"}, children); diff != "" {
		t.Errorf("after move (-want +got):\n%s", diff)
	}
	m("folder", "delete", "Projects/Old")
	children = decodeJSON[[]string](t, m("folder", "list", "--parent", projects["id"].(string), "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"2027"}, children); diff != "" {
		t.Errorf("after delete, by id (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{mailArgs("folder", "rename", "Nowhere", "x"), ExitError, "no folder named"},
		{mailArgs("folder", "delete", "AQMkAGnotafolderidatall000000000000000000000000"), ExitError, "404"},
		{mailArgs("folder", "create"), ExitUsage, "NAME"},
		{mailArgs("folder", "delete", "Inbox"), ExitUsage, "well-known"},
		{mailArgs("folder", "list", "--bogus"), ExitUsage, "unknown flag"},
	} {
		r := h.run(tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("o365 %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.stderr)
		}
	}
}

func TestMailListFormats(t *testing.T) {
	h := newHarness(t)
	h.login()
	csv := h.mustRun(mailArgs("list", "--top", "3", "-o", "csv")...).stdout
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 4 || lines[0] != "received,from,subject,read,id" {
		t.Errorf("mail list -o csv:\n%s", csv)
	}
	md := h.mustRun(mailArgs("list", "--top", "2", "-o", "md")...).stdout
	if lines := strings.Split(strings.TrimSpace(md), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[0], "| received | from | subject | read | id |") || !strings.HasPrefix(lines[1], "| --- |") {
		t.Errorf("mail list -o md:\n%s", md)
	}
	if out := h.mustRun(mailArgs("list", "--top", "2", "-o", "none")...).stdout; out != "" {
		t.Errorf("-o none printed %q", out)
	}
	if out := h.mustRun(mailArgs("list", "--top", "2", "--query", "length(@)")...).stdout; out != "2\n" {
		t.Errorf("--query length(@) = %q", out)
	}
	// A shared mailbox Adele is delegated on, and one she is not.
	ids := decodeJSON[[]string](t, h.mustRun(mailArgs("list", "--mailbox", shared, "--top", "5", "--query", "[].id")...).stdout)
	if len(ids) != 5 {
		t.Errorf("shared mailbox list: %v", ids)
	}
	r := h.run(mailArgs("list", "--mailbox", megan, "-o", "text")...)
	if r.code != ExitError || !strings.Contains(r.stderr, "403") || !strings.Contains(r.stderr, "Mail.Read.Shared") {
		t.Errorf("undelegated mailbox: exit %d, %q", r.code, r.stderr)
	}
	// --folder by display name, any case.
	if n := h.mustRun(mailArgs("list", "--folder", "sent items", "--top", "0", "--query", "length(@)")...).stdout; n != "40\n" {
		t.Errorf("--folder 'sent items' listed %q messages, want 40", n)
	}
	if r := h.run(mailArgs("list", "--folder", "Nowhere")...); r.code != ExitError || !strings.Contains(r.stderr, "no folder named") {
		t.Errorf("--folder Nowhere: exit %d %q", r.code, r.stderr)
	}
	if r := h.run(mailArgs("list", "--top", "-1")...); r.code != ExitUsage {
		t.Errorf("--top -1: exit %d", r.code)
	}
}

func TestMailSendAndReadBack(t *testing.T) {
	h := newHarness(t)
	h.login()
	dir := t.TempDir()
	big := deterministic(4 << 20)
	bigPath := filepath.Join(dir, "figures.bin")
	if err := os.WriteFile(bigPath, big, 0o600); err != nil {
		t.Fatal(err)
	}
	notePath := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(notePath, []byte("small one"), 0o600); err != nil {
		t.Fatal(err)
	}
	bodyPath := filepath.Join(dir, "body.html")
	if err := os.WriteFile(bodyPath, []byte("<p>The figures, <b>as promised</b>.</p>"), 0o600); err != nil {
		t.Fatal(err)
	}
	sentBefore := h.srv.MailboxMessageCount(adele, "sentitems")
	r := h.mustRun(mailArgs("send", "--to", megan, "--cc", "AlexW@contoso.onmicrosoft.com,DiegoS@contoso.onmicrosoft.com",
		"--subject", "Q4 figures", "--body-file", bodyPath, "--attach", bigPath, "--attach", notePath, "--importance", "high")...)
	res := decodeJSON[actionResult](t, r.stdout)
	if res.Action != "sent" || len(res.Cc) != 2 || len(res.Attachments) != 2 || res.Attachments[0].Size != 4<<20 {
		t.Errorf("send result = %+v", res)
	}
	if r.stderr != "" {
		t.Errorf("no progress bar when stderr is not a terminal, got %q", r.stderr)
	}
	if got := h.srv.MailboxMessageCount(adele, "sentitems"); got != sentBefore+1 {
		t.Errorf("sent items: %d, want %d", got, sentBefore+1)
	}

	// Megan received it intact: read it back through the CLI, as a delegate.
	if err := h.srv.GrantMailboxAccess(megan, adele); err != nil {
		t.Fatal(err)
	}
	mm := func(args ...string) run {
		h.t.Helper()
		return h.mustRun(mailArgs(append(args, "--mailbox", megan)...)...)
	}
	found := decodeJSON[[]map[string]any](t, mm("search", "figures", "--top", "5").stdout)
	if len(found) != 1 || found[0]["subject"] != "Q4 figures" || found[0]["importance"] != "high" {
		t.Fatalf("search in the recipient's mailbox: %v", found)
	}
	id := found[0]["id"].(string)
	if got, ok := h.srv.AttachmentBytes(megan, id, "figures.bin"); !ok || !bytes.Equal(got, big) {
		t.Errorf("emulator holds %d bytes of figures.bin (found %v), want the 4 MiB sent", len(got), ok)
	}
	atts := decodeJSON[[]map[string]any](t, mm("attachment", "list", id).stdout)
	if len(atts) != 2 {
		t.Fatalf("attachment list = %v", atts)
	}
	out := filepath.Join(dir, "got.bin")
	saved := decodeJSON[savedFile](t, mm("attachment", "get", id, "figures.bin", "--out", out).stdout)
	got, err := os.ReadFile(out)
	if err != nil || sha256.Sum256(got) != sha256.Sum256(big) || saved.Size != int64(len(big)) {
		t.Errorf("attachment get: %d bytes saved (reported %d), err %v", len(got), saved.Size, err)
	}
	if out := mm("attachment", "get", id, "note.txt").stdout; out != "small one" {
		t.Errorf("attachment get to stdout = %q", out)
	}

	// read: headers and a plain-text body; --html; MIME.
	text := mm("read", id, "-o", "text").stdout
	for _, want := range []string{"From:        Adele Vance <" + adele + ">", "To:          ", megan, "Subject:     Q4 figures", "Importance:  high", "figures.bin (4.2 MB)", "The figures, as promised."} {
		if !strings.Contains(text, want) {
			t.Errorf("read -o text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "<b>") {
		t.Errorf("read -o text shows HTML:\n%s", text)
	}
	if html := mm("read", id, "--html", "-o", "text").stdout; !strings.Contains(html, "<b>as promised</b>") {
		t.Errorf("read --html:\n%s", html)
	}
	if subj := mm("read", id, "--query", "subject").stdout; subj != "\"Q4 figures\"\n" {
		t.Errorf("read --query subject = %q", subj)
	}
	if read := mm("read", id, "--query", "isRead").stdout; read != "false\n" {
		t.Errorf("read without --mark-read changed isRead: %q", read)
	}
	mm("read", id, "--mark-read", "-o", "none")
	if read := mm("read", id, "--query", "isRead").stdout; read != "true\n" {
		t.Errorf("after --mark-read isRead = %q", read)
	}
	if mime := mm("read", id, "--mime").stdout; !strings.Contains(mime, "Subject: Q4 figures") {
		t.Errorf("read --mime:\n%.500s", mime)
	}
	eml := filepath.Join(dir, "m.eml")
	mm("read", id, "--eml", eml, "-o", "none")
	if b, err := os.ReadFile(eml); err != nil || !bytes.Contains(b, []byte("Subject: Q4 figures")) {
		t.Errorf("--eml file: %v %.200s", err, b)
	}

	// --no-save keeps Sent Items as it was; a text body stays text.
	sentBefore = h.srv.MailboxMessageCount(adele, "sentitems")
	noCopy := decodeJSON[actionResult](t, h.mustRun(mailArgs("send", "--bcc", megan, "--subject", "No copy", "--body", "plain a < b", "--no-save")...).stdout)
	if diff := cmp.Diff([]string{megan}, noCopy.Bcc); diff != "" || len(noCopy.To) != 0 {
		t.Errorf("--bcc only: %+v %s", noCopy, diff)
	}
	if got := h.srv.MailboxMessageCount(adele, "sentitems"); got != sentBefore {
		t.Errorf("--no-save: sent items went from %d to %d", sentBefore, got)
	}
	ct := decodeJSON[[]string](t, mm("search", "\"No copy\"", "--query", "[].body.contentType").stdout)
	if len(ct) != 1 || !strings.EqualFold(ct[0], "text") {
		t.Errorf("plain body content type: %v", ct)
	}

	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{mailArgs("send", "--subject", "x"), ExitUsage, "at least one recipient"},
		{mailArgs("send", "--to", megan, "--importance", "urgent"), ExitUsage, "--importance"},
		{mailArgs("send", "--to", megan, "--attach", filepath.Join(dir, "missing.pdf")), ExitUsage, "missing.pdf"},
		{mailArgs("send", "--to", megan, "--body", "x", "--body-file", bodyPath), ExitUsage, "exclusive"},
		{mailArgs("send", "--to", "not an address"), ExitUsage, "--to"},
		{mailArgs("read"), ExitUsage, "message ID"},
		{mailArgs("read", "AAMkAGdoesnotexist0000000000"), ExitError, "404"},
		{mailArgs("attachment", "get", id, "nope.bin", "--mailbox", megan), ExitError, "no attachment"},
		{mailArgs("send", "--mailbox", megan, "--to", adele, "--subject", "as Megan"), ExitError, "403"},
	} {
		r := h.run(tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("o365 %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.stderr)
		}
	}
}

func TestMailSendProgressBar(t *testing.T) {
	h := newHarness(t)
	h.login()
	p := filepath.Join(t.TempDir(), "video.bin")
	if err := os.WriteFile(p, deterministic(3_500_000), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut syncBuffer
	code := Main(context.Background(), mailArgs("send", "--to", adele, "--subject", "bar", "--attach", p), Env{
		Stdout: &out, Stderr: &errOut, StderrTerminal: true,
		Getenv: func(k string) string { return h.env[k] },
	})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if s := errOut.String(); !strings.Contains(s, "video.bin") || !strings.Contains(s, "100%") {
		t.Errorf("no progress bar on a terminal stderr: %q", s)
	}
}

func TestMailReplyForwardMoveDelete(t *testing.T) {
	h := newHarness(t)
	h.login()
	m := func(args ...string) run { h.t.Helper(); return h.mustRun(mailArgs(args...)...) }
	ids := decodeJSON[[]string](t, m("list", "--top", "4", "--query", "[].id").stdout)
	if len(ids) != 4 {
		t.Fatalf("ids = %v", ids)
	}
	sent := h.srv.MailboxMessageCount(adele, "sentitems")
	if res := decodeJSON[actionResult](t, m("reply", ids[0], "--comment", "Thanks!").stdout); res.Action != "replied" || res.ID != ids[0] {
		t.Errorf("reply = %+v", res)
	}
	if res := decodeJSON[actionResult](t, m("reply", ids[1], "--all", "-c", "Thanks, all").stdout); res.Action != "replied to all" {
		t.Errorf("reply --all = %+v", res)
	}
	if res := decodeJSON[actionResult](t, m("forward", ids[2], "--to", megan, "--comment", "FYI").stdout); res.Action != "forwarded" || len(res.To) != 1 {
		t.Errorf("forward = %+v", res)
	}
	if got := h.srv.MailboxMessageCount(adele, "sentitems"); got != sent+3 {
		t.Errorf("sent items after reply, reply-all and forward: %d, want %d", got, sent+3)
	}
	fw := decodeJSON[[]string](t, m("search", "FYI", "--mailbox", shared, "--top", "0", "--query", "[].subject").stdout)
	_ = fw // the shared mailbox is not a recipient; the search only has to work there

	archived := h.srv.MailboxMessageCount(adele, "archive")
	moved := decodeJSON[actionResult](t, m("move", ids[3], "Archive").stdout)
	if moved.Action != "moved" || moved.ID == "" {
		t.Errorf("move = %+v", moved)
	}
	if got := h.srv.MailboxMessageCount(adele, "archive"); got != archived+1 {
		t.Errorf("archive holds %d, want %d", got, archived+1)
	}
	del := decodeJSON[[]actionResult](t, m("delete", moved.ID, ids[0]).stdout)
	if len(del) != 2 || del[0].Action != "deleted" || del[1].ID != ids[0] {
		t.Errorf("delete = %+v", del)
	}
	if got := h.srv.MailboxMessageCount(adele, "archive"); got != archived {
		t.Errorf("archive holds %d after delete, want %d", got, archived)
	}
	if r := h.run(mailArgs("read", ids[0])...); r.code != ExitError || !strings.Contains(r.stderr, "404") {
		t.Errorf("read after delete: exit %d %q", r.code, r.stderr)
	}

	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{mailArgs("reply"), ExitUsage, "message ID"},
		{mailArgs("forward", ids[0]), ExitUsage, "--to"},
		{mailArgs("move", ids[0]), ExitUsage, "FOLDER"},
		{mailArgs("move", ids[0], "No Such Folder"), ExitError, "no folder named"},
		{mailArgs("reply", "AAMkAGdoesnotexist0000000000", "-c", "x"), ExitError, "404"},
		{mailArgs("delete"), ExitUsage, "message ID"},
		{mailArgs("search"), ExitUsage, "QUERY"},
		{mailArgs("reply", ids[0], "--mailbox", megan, "-c", "x"), ExitError, "delegation"},
	} {
		r := h.run(tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("o365 %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.stderr)
		}
	}
}

func TestMailAutoReplyAndRules(t *testing.T) {
	h := newHarness(t)
	h.login()
	m := func(args ...string) run { h.t.Helper(); return h.mustRun(mailArgs(args...)...) }

	on := decodeJSON[map[string]any](t, m("autoreply", "on", "--message", "Away until Monday").stdout)
	if on["status"] != "alwaysEnabled" || on["internalReplyMessage"] != "Away until Monday" || on["externalReplyMessage"] != "Away until Monday" || on["externalAudience"] != "all" {
		t.Errorf("autoreply on = %v", on)
	}
	m("autoreply", "on", "--message", "Holiday", "--external-message", "Out of office", "--audience", "contactsOnly",
		"--start", "2026-12-20 18:00", "--end", "2027-01-04T08:00:00Z")
	show := decodeJSON[map[string]any](t, m("autoreply", "show").stdout)
	if show["status"] != "scheduled" || show["externalReplyMessage"] != "Out of office" || show["externalAudience"] != "contactsOnly" || show["scheduledStartDateTime"] == nil {
		t.Errorf("autoreply show after scheduling = %v", show)
	}
	if text := m("autoreply", "show", "-o", "text").stdout; !strings.Contains(text, "status:") || !strings.Contains(text, "scheduled") {
		t.Errorf("autoreply show -o text:\n%s", text)
	}
	if got := m("autoreply", "off", "--query", "status").stdout; got != "\"disabled\"\n" {
		t.Errorf("autoreply off = %q", got)
	}

	m("folder", "create", "Invoices")
	rule := decodeJSON[map[string]any](t, m("rule", "add", "--name", "Invoices", "--from", "billing@fabrikam.com", "--subject-contains", "invoice,bill",
		"--move-to", "Invoices", "--mark-read", "--stop").stdout)
	if rule["id"] == "" || rule["displayName"] != "Invoices" || rule["isEnabled"] != true {
		t.Fatalf("rule add = %v", rule)
	}
	acts := rule["actions"].(map[string]any)
	if acts["markAsRead"] != true || acts["stopProcessingRules"] != true || acts["moveToFolder"] == "" || acts["moveToFolder"] == "Invoices" {
		t.Errorf("rule actions = %v", acts)
	}
	m("rule", "add", "--name", "Urgent", "--subject-contains", "urgent", "--importance", "high", "--category", "Red")
	names := decodeJSON[[]string](t, m("rule", "list", "--query", "[].displayName").stdout)
	if diff := cmp.Diff([]string{"Invoices", "Urgent"}, names); diff != "" {
		t.Errorf("rule list (-want +got):\n%s", diff)
	}
	if text := m("rule", "list", "-o", "text").stdout; !strings.HasPrefix(text, "seq") {
		t.Errorf("rule list -o text:\n%s", text)
	}
	m("rule", "delete", "invoices") // by name
	urgent := decodeJSON[[]string](t, m("rule", "list", "--query", "[].id").stdout)
	if len(urgent) != 1 {
		t.Fatalf("rules after delete by name: %v", urgent)
	}
	m("rule", "delete", urgent[0]) // by id
	if got := m("rule", "list").stdout; got != "[]\n" {
		t.Errorf("rule list after deleting both = %q", got)
	}

	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{mailArgs("autoreply", "on"), ExitUsage, "--message"},
		{mailArgs("autoreply", "on", "-m", "x", "--audience", "friends"), ExitUsage, "--audience"},
		{mailArgs("autoreply", "on", "-m", "x", "--start", "2026-12-01 09:00"), ExitUsage, "both --start and --end"},
		{mailArgs("autoreply", "on", "-m", "x", "--start", "soon", "--end", "later"), ExitUsage, "--start"},
		{mailArgs("autoreply", "on", "-m", "x", "--start", "2026-12-02 09:00", "--end", "2026-12-01 09:00"), ExitUsage, "after --start"},
		{mailArgs("autoreply", "show", "--mailbox", megan), ExitError, "403"},
		{mailArgs("rule", "add", "--name", "x", "--from", "a@b.com"), ExitUsage, "needs an action"},
		{mailArgs("rule", "add", "--mark-read"), ExitUsage, "--name"},
		{mailArgs("rule", "add", "--name", "x", "--move-to", "Nowhere"), ExitError, "no folder named"},
		{mailArgs("rule", "delete", "AQMkADnosuchrule000000"), ExitError, "404"},
	} {
		r := h.run(tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("o365 %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.stderr)
		}
	}
}

func TestMailAttachmentAdd(t *testing.T) {
	h := newHarness(t)
	h.login()
	dir := t.TempDir()
	big := deterministic(3_200_000)
	bigPath, smallPath := filepath.Join(dir, "deck.pptx"), filepath.Join(dir, "agenda.txt")
	if err := os.WriteFile(bigPath, big, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(smallPath, []byte("1. budget"), 0o600); err != nil {
		t.Fatal(err)
	}
	draft := strings.Trim(h.mustRun(mailArgs("list", "--folder", "drafts", "--top", "1", "--query", "[0].id", "-o", "text")...).stdout, "\n")
	added := decodeJSON[[]map[string]any](t, h.mustRun(mailArgs("attachment", "add", draft, bigPath, smallPath)...).stdout)
	if len(added) != 2 || added[0]["name"] != "deck.pptx" || added[1]["name"] != "agenda.txt" {
		t.Errorf("attachment add = %v", added)
	}
	if got, ok := h.srv.AttachmentBytes(adele, draft, "deck.pptx"); !ok || !bytes.Equal(got, big) {
		t.Errorf("the draft holds %d bytes of deck.pptx (found %v)", len(got), ok)
	}
	names := decodeJSON[[]string](t, h.mustRun(mailArgs("attachment", "list", draft, "--query", "[].name")...).stdout)
	if !strings.Contains(strings.Join(names, ","), "deck.pptx") || !strings.Contains(strings.Join(names, ","), "agenda.txt") {
		t.Errorf("attachment list after add: %v", names)
	}
	if out := h.mustRun(mailArgs("attachment", "list", draft, "-o", "text")...).stdout; !strings.HasPrefix(out, "name") || !strings.Contains(out, "3200000") {
		t.Errorf("attachment list -o text:\n%s", out)
	}
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{mailArgs("attachment", "add", draft), ExitUsage, "FILE"},
		{mailArgs("attachment", "add", draft, filepath.Join(dir, "none.pdf")), ExitUsage, "none.pdf"},
		{mailArgs("attachment", "add", "AAMkAGdoesnotexist0000000000", smallPath), ExitError, "404"},
		{mailArgs("attachment", "list"), ExitUsage, "MESSAGE-ID"},
		{mailArgs("attachment", "get", draft), ExitUsage, "ATTACHMENT"},
	} {
		r := h.run(tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("o365 %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.stderr)
		}
	}
}

func TestMailAppOnly(t *testing.T) {
	h := newHarness(t)
	id, secret := h.srv.ConfidentialClient()
	h.env["O365_CLIENT_SECRET"] = secret
	h.mustRun("--profile", "app", "login", "--auth", "secret", "--emulator", h.srv.URL(), "--tenant", h.srv.TenantID(), "--client-id", id)
	// An app has no "me": it names the mailbox.
	if r := h.run("--profile", "app", "mail", "list"); r.code != ExitError || !strings.Contains(r.stderr, "/me") {
		t.Errorf("app-only mail list without --mailbox: exit %d, %q", r.code, r.stderr)
	}
	subjects := decodeJSON[[]string](t, h.mustRun("--profile", "app", "mail", "--mailbox", adele, "list", "--top", "2", "--query", "[].subject").stdout)
	if len(subjects) != 2 {
		t.Errorf("app-only --mailbox list: %v", subjects)
	}
	found := decodeJSON[[]string](t, h.mustRun("--profile", "app", "mail", "search", "inventory", "--mailbox", adele, "--folder", "inbox", "--top", "3", "--query", "[].subject").stdout)
	if len(found) == 0 {
		t.Error("app-only search in Adele's inbox found nothing")
	}
}

func TestMailSendAsSharedAndThrottled(t *testing.T) {
	h := newHarness(t)
	h.login()
	// Without Send As the shared mailbox refuses; with it the mail goes out as the mailbox.
	args := mailArgs("send", "--mailbox", shared, "--to", megan, "--subject", "Offer", "--body", "Our offer.")
	if r := h.run(args...); r.code != ExitError || !strings.Contains(r.stderr, "403") {
		t.Errorf("send as a shared mailbox without Send As: exit %d, %q", r.code, r.stderr)
	}
	if err := h.srv.GrantSendAs(shared, adele); err != nil {
		t.Fatal(err)
	}
	h.mustRun(args...)
	if err := h.srv.GrantMailboxAccess(megan, adele); err != nil {
		t.Fatal(err)
	}
	from := decodeJSON[[]string](t, h.mustRun(mailArgs("search", "Offer", "--mailbox", megan, "--query", "[].from.emailAddress.address")...).stdout)
	if len(from) != 1 || !strings.EqualFold(from[0], shared) {
		t.Errorf("sent from %q, want the shared mailbox %s", from, shared)
	}

	// A throttled sendMail waits for Retry-After and succeeds.
	if _, err := h.srv.Faults().Add(emulator.Fault{Method: "POST", Path: `/sendMail$`, Status: 429, RetryAfter: 10 * time.Millisecond, RetryAfterForm: emulator.RetryAfterFractional, Count: 1}); err != nil {
		t.Fatal(err)
	}
	h.srv.ResetLog()
	h.mustRun(mailArgs("send", "--to", megan, "--subject", "After a 429", "--body", "x")...)
	var statuses []int
	for _, r := range h.srv.Requests() {
		if strings.HasSuffix(r.Path, "/sendMail") {
			statuses = append(statuses, r.Status)
		}
	}
	if diff := cmp.Diff([]int{429, 202}, statuses); diff != "" {
		t.Errorf("sendMail statuses (-want +got):\n%s", diff)
	}
}
