package mail_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
)

func TestMIME(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	bob := addUser(srv, "bob")
	ok(t, srv.SeedMessages(srv.DefaultUser().UPN, 1))
	mb := acct.Mailbox()
	m := firstInbox(t, ctx, mb)

	var eml bytes.Buffer
	must[int64](t)(m.SaveEML(ctx, &eml))
	if !strings.Contains(eml.String(), "Subject: ") || !strings.Contains(eml.String(), "From: ") {
		t.Errorf("EML lacks headers:\n%.300s", eml.String())
	}

	raw := "From: " + srv.DefaultUser().UPN + "\r\nTo: " + bob + "\r\nSubject: From MIME\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello in MIME.\r\n"
	ok(t, mb.SendMIME(ctx, strings.NewReader(raw)))
	if n := srv.MailboxMessageCount(bob, "inbox"); n != 1 {
		t.Errorf("bob's inbox after SendMIME: %d", n)
	}
	d := must[*mail.Message](t)(mb.CreateFromMIME(ctx, strings.NewReader(strings.Replace(raw, "From MIME", "Draft MIME", 1))))
	if d.Subject != "Draft MIME" || !d.IsDraft || !strings.Contains(d.BodyText(), "Hello in MIME.") {
		t.Errorf("draft from MIME: %q draft=%v body=%q", d.Subject, d.IsDraft, d.BodyText())
	}
	if err := mb.SendMIME(ctx, bytes.NewReader(make([]byte, mail.MaxMIMESize+1))); err == nil {
		t.Error("oversized MIME accepted")
	}
	if _, err := (&mail.Message{}).MIME(ctx); !errors.Is(err, mail.ErrUnbound) {
		t.Errorf("unbound MIME: %v", err)
	}
}

func TestSettings(t *testing.T) {
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	ctx := context.Background()
	mb := acct.Mailbox()

	s := must[*mail.MailboxSettings](t)(mb.Settings(ctx))
	if s.TimeZone == "" || s.AutomaticRepliesSetting == nil || s.WorkingHours == nil {
		t.Fatalf("settings: %+v", s)
	}
	rec.Take()
	ok(t, mb.UpdateSettings(ctx, s)) // nothing changed
	if got := rec.Take(); len(got) != 0 {
		t.Errorf("unchanged settings sent %v", got)
	}
	s.TimeZone = "Pacific Standard Time"
	s.DateFormat = "yyyy-MM-dd"
	ok(t, mb.UpdateSettings(ctx, s))
	p := rec.Take().Only("PATCH", "/mailboxSettings")
	if len(p) != 1 || len(p[0].Body) != 2 || p[0].Body["timeZone"] != "Pacific Standard Time" {
		t.Errorf("PATCH: %+v", p)
	}
	back := must[*mail.MailboxSettings](t)(mb.Settings(ctx))
	if back.TimeZone != "Pacific Standard Time" || back.DateFormat != "yyyy-MM-dd" || back.WorkingHours == nil {
		t.Errorf("after update: %+v", back)
	}

	loc, _ := time.LoadLocation("Europe/Paris")
	start := time.Date(2030, 7, 1, 9, 0, 0, 0, loc)
	end := start.Add(14 * 24 * time.Hour)
	ok(t, mb.SetAutoReply(ctx, mail.AutoReply{Start: start, End: end, Internal: "On leave", External: "Away", Audience: mail.AudienceContactsOnly}))
	back = must[*mail.MailboxSettings](t)(mb.Settings(ctx))
	ar := must[mail.AutoReply](t)(back.AutomaticRepliesSetting.AutoReply())
	if ar.Status != mail.AutoReplyScheduled || !ar.Start.Equal(start) || !ar.End.Equal(end) || ar.Internal != "On leave" ||
		ar.External != "Away" || ar.Audience != mail.AudienceContactsOnly {
		t.Errorf("auto reply: %+v", ar)
	}
	ok(t, mb.SetAutoReply(ctx, mail.AutoReply{Internal: "Out"}))
	back = must[*mail.MailboxSettings](t)(mb.Settings(ctx))
	if back.AutomaticRepliesSetting.Status != mail.AutoReplyAlwaysEnabled || back.AutomaticRepliesSetting.ExternalReplyMessage != "Out" {
		t.Errorf("always: %+v", back.AutomaticRepliesSetting)
	}
	if err := mb.SetAutoReply(ctx, mail.AutoReply{Status: mail.AutoReplyScheduled, Start: end, End: start}); err == nil {
		t.Error("end before start accepted")
	}
	ok(t, mb.DisableAutoReply(ctx))
	back = must[*mail.MailboxSettings](t)(mb.Settings(ctx))
	if back.AutomaticRepliesSetting.Status != mail.AutoReplyDisabled {
		t.Errorf("disabled: %+v", back.AutomaticRepliesSetting)
	}
}

func TestRules(t *testing.T) {
	rec := new(o365test.Recorder)
	acct, srv := o365test.Start(t, o365test.Record(rec))
	ctx := context.Background()
	mb := acct.Mailbox()
	bob := addUser(srv, "bob")

	r := &mail.MessageRule{
		DisplayName: "Invoices", Sequence: 1, IsEnabled: true,
		Conditions: &mail.MessageRulePredicates{SubjectContains: []string{"invoice"}},
		Actions:    &mail.MessageRuleActions{MarkAsRead: true, AssignCategories: []string{"Finance"}, StopProcessingRules: true},
	}
	ok(t, mb.CreateRule(ctx, r))
	if r.ID == "" {
		t.Fatal("no rule id")
	}
	var got []*mail.MessageRule
	for x, err := range mb.Rules(ctx) {
		ok(t, err)
		got = append(got, x)
	}
	if len(got) != 1 || got[0].DisplayName != "Invoices" || !got[0].Actions.MarkAsRead {
		t.Fatalf("rules: %+v", got)
	}
	rule := got[0]
	rec.Take()
	ok(t, mb.UpdateRule(ctx, rule)) // nothing changed
	rule.IsEnabled = false
	rule.DisplayName = "Invoices (off)"
	ok(t, mb.UpdateRule(ctx, rule))
	p := rec.Take().Only("PATCH", "")
	want := map[string]any{"isEnabled": false, "displayName": "Invoices (off)"}
	if len(p) != 1 || cmp.Diff(want, p[0].Body) != "" {
		t.Errorf("rule PATCH: %+v", p)
	}
	one := must[*mail.MessageRule](t)(mb.Rule(ctx, r.ID))
	if one.IsEnabled || one.DisplayName != "Invoices (off)" {
		t.Errorf("after update: %+v", one)
	}

	// The rule runs on delivery once enabled again.
	one.IsEnabled = true
	ok(t, mb.UpdateRule(ctx, one))
	b := acct.Mailbox().NewMessage()
	b.Subject = "Invoice 42"
	ok(t, b.ToRecipients.Add(srv.DefaultUser().UPN, bob))
	ok(t, b.Send(ctx))
	for m, err := range mb.Inbox().Messages(ctx, nil) {
		ok(t, err)
		if m.Subject == "Invoice 42" && (!m.IsRead || len(m.Categories) != 1) {
			t.Errorf("rule did not apply: read=%v categories=%v", m.IsRead, m.Categories)
		}
	}

	ok(t, mb.DeleteRule(ctx, r.ID))
	if _, err := mb.Rule(ctx, r.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleted rule: %v", err)
	}
	if err := mb.DeleteRule(ctx, ""); !errors.Is(err, mail.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
}

func TestDelta(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	me := srv.DefaultUser().UPN
	ok(t, srv.SeedMessages(me, 12))
	mb := acct.Mailbox()

	d := mb.Inbox().Delta("", &graph.ListOptions{PageSize: 5})
	var ids []string
	for ch, err := range d.Changes(ctx) {
		ok(t, err)
		if ch.Removed || ch.Item == nil || ch.Item.Mailbox() != mb {
			t.Errorf("initial round change: %+v", ch)
		}
		ids = append(ids, ch.ID)
	}
	if len(ids) != 12 || d.DeltaLink() == "" {
		t.Fatalf("initial round: %d items, deltaLink %q", len(ids), d.DeltaLink())
	}
	link := d.DeltaLink()

	// Change one, delete one, add one.
	m := must[*mail.Message](t)(mb.Message(ctx, ids[0]))
	ok(t, m.MarkUnread(ctx))
	ok(t, must[*mail.Message](t)(mb.Message(ctx, ids[1])).Delete(ctx))
	ok(t, srv.SeedMessages(me, 1))

	d2 := mb.Inbox().Delta(link, nil)
	changed, removed := 0, 0
	for ch, err := range d2.Changes(ctx) {
		ok(t, err)
		if ch.Removed {
			removed++
			if ch.ID != ids[1] {
				t.Errorf("removed %q, want %q", ch.ID, ids[1])
			}
		} else {
			changed++
		}
	}
	if changed != 2 || removed != 1 || d2.DeltaLink() == "" {
		t.Errorf("second round: %d changed, %d removed, link %q", changed, removed, d2.DeltaLink())
	}

	// Stopping early resumes where it stopped.
	d3 := mb.Inbox().Delta("", &graph.ListOptions{PageSize: 4})
	seen := map[string]bool{}
	for ch, err := range d3.Changes(ctx) {
		ok(t, err)
		seen[ch.ID] = true
		if len(seen) == 6 {
			break
		}
	}
	if d3.NextLink() == "" || d3.DeltaLink() != "" {
		t.Errorf("after break: next %q delta %q", d3.NextLink(), d3.DeltaLink())
	}
	for ch, err := range d3.Changes(ctx) {
		ok(t, err)
		seen[ch.ID] = true
	}
	if len(seen) != 12 || d3.DeltaLink() == "" {
		t.Errorf("resumed round saw %d messages", len(seen))
	}

	// An expired sync state.
	srv.ExpireDeltaTokens()
	expired := 0
	for _, err := range mb.Inbox().Delta(d2.DeltaLink(), nil).Changes(ctx) {
		expired++
		var ge *graph.Error
		if !errors.Is(err, mail.ErrSyncStateExpired) || !errors.Is(err, graph.ErrGone) || !errors.As(err, &ge) {
			t.Errorf("expired token: %v", err)
		}
	}
	if expired != 1 {
		t.Errorf("expired token: %d yields, want one error", expired)
	}
	n := 0
	for _, err := range mb.Inbox().Resync(nil).Changes(ctx) {
		ok(t, err)
		n++
	}
	if n != 12 {
		t.Errorf("resync: %d", n)
	}

	// Folder delta.
	fd := mb.FolderDelta("")
	folders := 0
	for ch, err := range fd.Changes(ctx) {
		ok(t, err)
		if ch.Item != nil && ch.Item.DisplayName != "" {
			folders++
		}
	}
	if folders < 5 || fd.DeltaLink() == "" {
		t.Fatalf("folder delta: %d folders", folders)
	}
	nf := must[*mail.MailFolder](t)(mb.CreateFolder(ctx, "New one"))
	fd2 := mb.FolderDelta(fd.DeltaLink())
	found := false
	for ch, err := range fd2.Changes(ctx) {
		ok(t, err)
		found = found || ch.ID == nf.ID
	}
	if !found {
		t.Error("folder delta missed the new folder")
	}
}

func TestErrorPaths(t *testing.T) {
	ctx := context.Background()
	t.Run("app-only with me", func(t *testing.T) {
		acct, srv := o365test.Start(t, o365test.AppOnly(), o365test.NoSpecCheck())
		_, err := mail.New(acct.Client(), graph.Me).Inbox().Get(ctx)
		if err == nil || !strings.Contains(err.Error(), "graph.User") {
			t.Errorf("app-only with me: %v", err)
		}
		// App-only through the user works.
		ok(t, srv.SeedMessages(srv.DefaultUser().UPN, 1))
		if _, err := acct.Mailbox(graph.User(srv.DefaultUser().UPN)).Inbox().Get(ctx); err != nil {
			t.Errorf("app-only with the user: %v", err)
		}
	})
	t.Run("shared mailbox not delegated", func(t *testing.T) {
		acct, srv := o365test.Start(t)
		other := addUser(srv, "other")
		_, err := acct.Mailbox(graph.User(other)).Settings(ctx)
		if !errors.Is(err, graph.ErrForbidden) && !errors.Is(err, graph.ErrNotFound) {
			t.Fatalf("not delegated: %v", err)
		}
		if !strings.Contains(err.Error(), "Mail.Read.Shared") {
			t.Errorf("error does not name the scope: %v", err)
		}
		for _, err := range acct.Mailbox(graph.User(other)).Rules(ctx) {
			if !errors.Is(err, graph.ErrForbidden) && !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("rules: %v", err)
			}
		}
	})
	t.Run("throttled", func(t *testing.T) {
		acct, srv := o365test.Start(t)
		ok(t, srv.SeedMessages(srv.DefaultUser().UPN, 2))
		rule, err := srv.Faults().Add(emulator.Fault{Path: "/messages$", Status: 429, RetryAfter: 20 * time.Millisecond,
			RetryAfterForm: emulator.RetryAfterFractional, Count: 2})
		ok(t, err)
		n := 0
		for _, err := range acct.Mailbox().Messages(ctx, nil) {
			ok(t, err)
			n++
		}
		if n != 2 || rule.Fired() != 2 {
			t.Errorf("throttled listing: %d messages, fault fired %d", n, rule.Fired())
		}
		if early := srv.EarlyRetries(); len(early) != 0 {
			t.Errorf("retried before Retry-After: %v", early)
		}
		// Beyond the retry budget the error is ErrThrottled.
		_, _ = srv.Faults().Add(emulator.Fault{Path: "/mailboxSettings$", Status: 429, RetryAfter: 20 * time.Millisecond,
			RetryAfterForm: emulator.RetryAfterFractional})
		mb := acct.Mailbox()
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if _, err := mb.Settings(cctx); !errors.Is(err, graph.ErrThrottled) && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("always throttled: %v", err)
		}
	})
	t.Run("per-mailbox throttling", func(t *testing.T) {
		// A fake clock shared by the emulator and the client: waiting out Retry-After
		// advances it, so the window admits the retry without real sleeping.
		clk := emulator.NewClock(time.Now())
		sleep := func(ctx context.Context, d time.Duration) error { clk.Advance(d); return ctx.Err() }
		acct, srv := o365test.Start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Now = clk.Now }),
			o365test.WithAccountOptions(o365.WithClientOptions(graph.WithClock(clk.Now, sleep))))
		ok(t, srv.SeedMessages(srv.DefaultUser().UPN, 30))
		srv.SetThrottling(emulator.Throttling{Enabled: true, Window: time.Minute, MaxRequests: 3})
		srv.ResetLog()
		n := 0
		for _, err := range acct.Mailbox().Inbox().Messages(ctx, &graph.ListOptions{PageSize: 5, NoPrefetch: true}) {
			ok(t, err)
			n++
		}
		throttled := 0
		for _, r := range srv.Requests() {
			if r.Status == 429 {
				throttled++
			}
		}
		if n != 30 || throttled == 0 {
			t.Errorf("listed %d messages through %d throttled answers", n, throttled)
		}
		if early := srv.EarlyRetries(); len(early) != 0 {
			t.Errorf("retried before Retry-After: %v", early)
		}
	})
}
