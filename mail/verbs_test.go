package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
)

func TestSaveSendsOnlyChanged(t *testing.T) {
	rec := new(o365test.Recorder)
	acct, _ := o365test.Start(t, o365test.Record(rec))
	ctx := context.Background()
	mb := acct.Mailbox()

	m := mb.NewMessage()
	m.Subject = "Plan"
	m.Body = graph.HTML("<p>Draft</p>")
	ok(t, m.ToRecipients.Add("Ann <ann@example.com>", "bob@example.com"))
	m.Importance = mail.ImportanceHigh
	m.IsReadReceiptRequested = true
	m.Categories = []string{"Red"}
	m.SetHeader("x-custom-id", "42")
	ok(t, m.Save(ctx))
	reqs := rec.Take().Only("POST", "/messages")
	if len(reqs) != 1 {
		t.Fatalf("create: %d POSTs", len(reqs))
	}
	var keys []string
	for k := range reqs[0].Body {
		keys = append(keys, k)
	}
	want := []string{"body", "categories", "importance", "internetMessageHeaders", "isReadReceiptRequested", "subject", "toRecipients"}
	if diff := cmp.Diff(want, sorted(keys)); diff != "" {
		t.Errorf("create body keys (-want +got):\n%s", diff)
	}
	if m.ID == "" || !m.IsDraft || m.ETag == "" {
		t.Fatalf("saved draft: %+v", m)
	}

	// Read it back: a bound message with a snapshot.
	d := must[*mail.Message](t)(mb.Message(ctx, m.ID))
	rec.Take()
	if d.Changed() {
		t.Error("fresh message reports a change")
	}
	ok(t, d.Save(ctx)) // nothing changed: nothing sent
	if got := rec.Take(); len(got) != 0 {
		t.Errorf("Save without changes sent %v", got)
	}

	tests := []struct {
		name string
		edit func(m *mail.Message)
		want map[string]any
	}{
		{"subject", func(m *mail.Message) { m.Subject = "Plan B" }, map[string]any{"subject": "Plan B"}},
		{"empty subject", func(m *mail.Message) { m.Subject = "" }, map[string]any{"subject": ""}},
		{"false", func(m *mail.Message) { m.IsReadReceiptRequested = false }, map[string]any{"isReadReceiptRequested": false}},
		{"true", func(m *mail.Message) { m.IsDeliveryReceiptRequested = true }, map[string]any{"isDeliveryReceiptRequested": true}},
		{"clear to", func(m *mail.Message) { m.ToRecipients = nil }, map[string]any{"toRecipients": []any{}}},
		{"add cc", func(m *mail.Message) { _ = m.CcRecipients.Add("cat@example.com") },
			map[string]any{"ccRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "cat@example.com"}}}}},
		{"in place", func(m *mail.Message) { m.CcRecipients[0].EmailAddress.Name = "Cat" },
			map[string]any{"ccRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "cat@example.com", "name": "Cat"}}}}},
		{"clear categories", func(m *mail.Message) { m.Categories = nil }, map[string]any{"categories": []any{}}},
		{"body", func(m *mail.Message) { m.Body = graph.Text("plain") }, map[string]any{"body": map[string]any{"contentType": "text", "content": "plain"}}},
		{"importance and read", func(m *mail.Message) { m.Importance = mail.ImportanceLow; m.IsRead = false },
			map[string]any{"importance": "low", "isRead": false}},
		{"clear flag", func(m *mail.Message) { m.Flag.Clear() }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.edit(d)
			ok(t, d.Save(ctx))
			patches := rec.Take().Only("PATCH", "")
			if tt.want == nil {
				if len(patches) != 0 {
					t.Errorf("unchanged flag sent %v", patches[0].Body)
				}
				return
			}
			if len(patches) != 1 {
				t.Fatalf("%d PATCHes", len(patches))
			}
			if diff := cmp.Diff(tt.want, patches[0].Body); diff != "" {
				t.Errorf("PATCH body (-want +got):\n%s", diff)
			}
			if d.Changed() {
				t.Error("message still reports a change after Save")
			}
		})
	}
	// The service holds the result of every edit.
	back := must[*mail.Message](t)(mb.Message(ctx, m.ID))
	if back.Subject != "" || len(back.ToRecipients) != 0 || back.CcRecipients.String() != "Cat <cat@example.com>" || back.Body.Content != "plain" ||
		back.Importance != mail.ImportanceLow || back.IsReadReceiptRequested || !back.IsDeliveryReceiptRequested || len(back.Categories) != 0 {
		t.Errorf("service state: %+v", back)
	}

	// A flag with dates.
	due := time.Date(2030, 5, 1, 17, 0, 0, 0, time.UTC)
	back.Flag.SetFlagged(due.Add(-48*time.Hour), due)
	ok(t, back.Save(ctx))
	p := rec.Take().Only("PATCH", "")
	if len(p) != 1 || len(p[0].Body) != 1 || p[0].Body["flag"] == nil {
		t.Fatalf("flag PATCH: %v", p)
	}
	if !back.Flag.IsFlagged() || back.Flag.DueDateTime == nil {
		t.Errorf("flag after save: %+v", back.Flag)
	}
	back.Flag.Complete(due)
	ok(t, back.Save(ctx))
	if !back.Flag.IsCompleted() {
		t.Errorf("completed flag: %+v", back.Flag)
	}
	back.Flag.Clear()
	ok(t, back.Save(ctx))
	if back.Flag.FlagStatus != mail.FlagNotFlagged {
		t.Errorf("cleared flag: %+v", back.Flag)
	}

	// Read-only properties are never sent.
	back.BodyPreview, back.WebLink, back.ConversationID = "x", "y", "z"
	back.ReceivedDateTime = time.Now()
	rec.Take()
	ok(t, back.Save(ctx))
	if got := rec.Take(); len(got) != 0 {
		t.Errorf("read-only edits sent %v", got)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestMessageVerbs(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	ok(t, srv.SeedMessages(srv.DefaultUser().UPN, 3))
	mb := acct.Mailbox()
	m := firstInbox(t, ctx, mb)

	ok(t, m.MarkUnread(ctx))
	ok(t, m.Refresh(ctx))
	if m.IsRead {
		t.Error("MarkUnread: still read")
	}
	ok(t, m.MarkRead(ctx))
	ok(t, m.Refresh(ctx))
	if !m.IsRead || m.Changed() {
		t.Errorf("MarkRead: read=%v changed=%v", m.IsRead, m.Changed())
	}

	// Move changes the id unless immutable ids are asked for.
	old := m.ID
	ok(t, m.Move(ctx, mb.Archive()))
	if m.ID == old || m.ID == "" {
		t.Errorf("moved id %q (was %q)", m.ID, old)
	}
	if _, err := mb.Message(ctx, old); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("old id after move: %v", err)
	}
	imm := must[*mail.Message](t)(mb.Message(ctx, m.ID, graph.ImmutableIDs()))
	id := imm.ID
	ok(t, imm.Move(ctx, mb.Inbox(), graph.ImmutableIDs()))
	if imm.ID != id {
		t.Errorf("immutable id changed on move: %q -> %q", id, imm.ID)
	}

	cp := must[*mail.Message](t)(imm.Copy(ctx, mb.Drafts()))
	if cp.ID == imm.ID || cp.Subject != imm.Subject || cp.Mailbox() != mb {
		t.Errorf("copy: %+v", cp)
	}
	ok(t, cp.Delete(ctx))
	if err := cp.Refresh(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleted message: %v", err)
	}
	if err := imm.Move(ctx, mb.Folder("nosuchfolder")); !errors.Is(err, graph.ErrNotFound) && !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("move to a missing folder: %v", err)
	}

	// Unbound and unsaved models fail clearly.
	var loose mail.Message
	if err := loose.MarkRead(ctx); !errors.Is(err, mail.ErrUnbound) {
		t.Errorf("unbound: %v", err)
	}
	if err := mb.NewMessage().Delete(ctx); !errors.Is(err, mail.ErrNotSaved) {
		t.Errorf("unsaved: %v", err)
	}

	// Headers need $select.
	hs := must[[]mail.InternetMessageHeader](t)(imm.Headers(ctx))
	if len(hs) == 0 || imm.Header("subject") == "" && imm.Header("message-id") == "" {
		t.Errorf("headers: %v", hs)
	}

	// Delayed delivery and categories.
	at := time.Date(2031, 1, 2, 3, 4, 5, 0, time.UTC)
	n := mb.NewMessage()
	n.DelayDelivery(at)
	n.AddCategory("Blue", "blue", "Green")
	if got, ok := n.DeferredSendTime(); !ok || !got.Equal(at) {
		t.Errorf("deferred send time %v %v", got, ok)
	}
	if len(n.Categories) != 2 {
		t.Errorf("categories %v", n.Categories)
	}
	n.Subject = "later"
	ok(t, n.Save(ctx))
	back := must[*mail.Message](t)(mb.Message(ctx, n.ID, mail.ExpandExtendedProperties(mail.DeferredSendTimeID)))
	if got, ok := back.DeferredSendTime(); !ok || !got.Equal(at) {
		t.Errorf("deferred send time read back: %v %v (%v)", got, ok, back.SingleValueExtendedProperties)
	}
	if strings.TrimSpace(back.Subject) != "later" {
		t.Errorf("subject %q", back.Subject)
	}
}

func TestSaveIfMatch(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	ok(t, srv.SeedMessages(srv.DefaultUser().UPN, 1))
	mb := acct.Mailbox()
	a := firstInbox(t, ctx, mb)
	b := must[*mail.Message](t)(mb.Message(ctx, a.ID))
	ok(t, a.MarkUnread(ctx)) // takes the new ETag
	a.Categories = []string{"First"}
	ok(t, a.Save(ctx, mail.CallOptions(graph.IfMatch(a.ETag))))
	b.Categories = []string{"Second"}
	err := b.Save(ctx, mail.CallOptions(graph.IfMatch(b.ETag)))
	if !errors.Is(err, graph.ErrPreconditionFailed) {
		t.Fatalf("stale ETag: %v, want graph.ErrPreconditionFailed", err)
	}
	if !b.Changed() {
		t.Error("a failed Save lost the change")
	}
	ok(t, b.Refresh(ctx))
	if len(b.Categories) != 1 || b.Categories[0] != "First" {
		t.Errorf("after refresh: %v", b.Categories)
	}
}
