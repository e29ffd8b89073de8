package mail_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

func TestSendNew(t *testing.T) {
	rec := new(o365test.Recorder)
	acct, srv := o365test.Start(t, o365test.Record(rec))
	ctx := context.Background()
	me := srv.DefaultUser().UPN
	bob := addUser(srv, "bob")
	mb := acct.Mailbox()

	m := mb.NewMessage()
	m.Subject = "Lunch?"
	m.Body = graph.HTML("<p>At <b>noon</b><br>in the lobby</p>")
	ok(t, m.ToRecipients.Add(bob, "Out Side <out@example.org>"))
	m.Attachments.AddBytes("menu.txt", []byte("soup"))
	ok(t, m.Send(ctx))
	send := rec.Take().Only("POST", "/sendMail")
	if len(send) != 1 {
		t.Fatalf("sendMail calls: %d", len(send))
	}
	msg := send[0].Body["message"].(map[string]any)
	if atts, _ := msg["attachments"].([]any); len(atts) != 1 {
		t.Errorf("small attachment not inline in sendMail: %v", msg["attachments"])
	}
	if _, set := send[0].Body["saveToSentItems"]; set {
		t.Error("saveToSentItems sent without being asked")
	}
	if n := srv.MailboxMessageCount(bob, "inbox"); n != 1 {
		t.Errorf("bob's inbox: %d", n)
	}
	if n := srv.MailboxMessageCount(me, "sentitems"); n != 1 {
		t.Errorf("sent items: %d", n)
	}
	if out := srv.Outbound(); len(out) != 1 || out[0].Subject != "Lunch?" || len(out[0].Attachments) != 1 {
		t.Errorf("outbound: %+v", out)
	}

	// saveToSentItems=false.
	m2 := mb.NewMessage()
	m2.Subject = "no copy"
	ok(t, m2.ToRecipients.Add(bob))
	ok(t, m2.Send(ctx, mail.SaveToSentItems(false)))
	if n := srv.MailboxMessageCount(me, "sentitems"); n != 1 {
		t.Errorf("sent items after saveToSentItems=false: %d", n)
	}
	if err := m2.Send(ctx); err == nil {
		t.Error("sending a sent message twice went through")
	}

	// A saved draft is sent with its send action.
	d := mb.Drafts().NewMessage()
	d.Subject = "draft"
	ok(t, d.ToRecipients.Add(bob))
	ok(t, d.Save(ctx))
	d.Subject = "draft, edited"
	rec.Take()
	ok(t, d.Send(ctx))
	reqs := rec.Take()
	if len(reqs.Only("PATCH", "")) != 1 || len(reqs.Only("POST", "/send")) != 1 || len(reqs.Only("POST", "/sendMail")) != 0 {
		t.Errorf("draft send requests: %+v", reqs)
	}
	if n := srv.MailboxMessageCount(bob, "inbox"); n != 3 {
		t.Errorf("bob's inbox: %d, want 3", n)
	}

	// A received message cannot be sent.
	ok(t, srv.SeedMessages(me, 1))
	recv := firstInbox(t, ctx, mb)
	if err := recv.Send(ctx); !errors.Is(err, mail.ErrNotDraft) {
		t.Errorf("sending a received message: %v", err)
	}
}

func TestReplyForward(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	me := srv.DefaultUser().UPN
	bob := addUser(srv, "bob")
	mb := acct.Mailbox()

	// Bob writes to me (through the emulator: the sender is a tenant user).
	first := mb.NewMessage()
	first.Subject = "Question"
	ok(t, first.ToRecipients.Add(me))
	ok(t, first.Send(ctx))
	in := firstInbox(t, ctx, mb)
	if in.Subject != "Question" {
		t.Fatalf("inbox: %q", in.Subject)
	}

	r := must[*mail.Message](t)(in.Reply(ctx))
	if !r.IsDraft || !strings.HasPrefix(strings.ToUpper(r.Subject), "RE:") || len(r.ToRecipients) != 1 {
		t.Errorf("reply draft: %q to %v draft=%v", r.Subject, r.ToRecipients, r.IsDraft)
	}
	r.Body = graph.HTML("<p>Answer</p>" + r.Body.Content)
	ok(t, r.Send(ctx))

	ra := must[*mail.Message](t)(in.ReplyAll(ctx))
	if !strings.HasPrefix(strings.ToUpper(ra.Subject), "RE:") {
		t.Errorf("reply-all draft: %q", ra.Subject)
	}
	ok(t, ra.Delete(ctx))

	fw := must[*mail.Message](t)(in.Forward(ctx))
	if !strings.HasPrefix(strings.ToUpper(fw.Subject), "FW") {
		t.Errorf("forward draft: %q", fw.Subject)
	}
	ok(t, fw.ToRecipients.Add(bob))
	ok(t, fw.Send(ctx))

	before := srv.MailboxMessageCount(bob, "inbox")
	ok(t, in.ReplyWith(ctx, "Thanks!"))
	ok(t, in.ReplyAllWith(ctx, "Thanks, all!"))
	ok(t, in.ForwardTo(ctx, "FYI", "Bob <"+bob+">"))
	if got := srv.MailboxMessageCount(bob, "inbox"); got != before+1 {
		t.Errorf("bob's inbox after forward: %d, want %d", got, before+1)
	}
	if err := in.ForwardTo(ctx, "FYI"); err == nil {
		t.Error("forward without recipients went through")
	}
	if err := in.ForwardTo(ctx, "FYI", "not an address <"); err == nil {
		t.Error("forward to a bad address went through")
	}
	gone := *in
	ok(t, in.Delete(ctx))
	if _, err := gone.Reply(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("reply to a deleted message: %v", err)
	}
}

func TestSharedMailboxSend(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	me := srv.DefaultUser().UPN
	shared := addUser(srv, "support")
	bob := addUser(srv, "bob")
	mb := acct.Mailbox(graph.User(shared))

	m := mb.NewMessage()
	m.Subject = "From support"
	ok(t, m.ToRecipients.Add("x@example.org"))
	err := m.Send(ctx)
	if !errors.Is(err, graph.ErrForbidden) && !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("send as a mailbox without a grant: %v", err)
	}
	if !strings.Contains(err.Error(), "Shared") {
		t.Errorf("error does not say what to do: %v", err)
	}

	// Send as.
	ok(t, srv.GrantMailboxAccess(shared, me))
	ok(t, srv.GrantSendAs(shared, me))
	ok(t, m.Send(ctx))
	out := srv.Outbound()
	if len(out) != 1 || !strings.EqualFold(out[0].From, shared) {
		t.Errorf("send as: %+v", out)
	}

	// On behalf of: from the shared mailbox, sender me, through my own mailbox.
	ok(t, srv.GrantSendOnBehalf(bob, me))
	ob := acct.Mailbox().NewMessage()
	ob.Subject = "on behalf"
	ob.From = graph.NewRecipient(bob, "Bob")
	ob.Sender = graph.NewRecipient(me, "")
	ok(t, ob.ToRecipients.Add("y@example.org"))
	ok(t, ob.Send(ctx))
	out = srv.Outbound()
	if len(out) != 2 || !strings.EqualFold(out[1].From, bob) || !strings.EqualFold(out[1].Sender, me) {
		t.Errorf("on behalf: %+v", out[len(out)-1])
	}
}

func TestAttachments(t *testing.T) {
	rec := new(o365test.Recorder)
	acct, srv := o365test.Start(t, o365test.Record(rec))
	ctx := context.Background()
	mb := acct.Mailbox()
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.txt")
	ok(t, os.WriteFile(path, []byte("file content"), 0o600))

	d := mb.NewMessage()
	d.Subject = "with attachments"
	d.Body = graph.HTML(`<p>Logo: <img src="cid:logo1"></p>`)
	must[*mail.Attachment](t)(d.Attachments.AddFile(path))
	d.Attachments.AddBytes("data.csv", []byte("a,b\n1,2\n"))
	d.Attachments.AddInline("logo.png", []byte("\x89PNG fake"), "logo1")
	d.Attachments.AddReader("stream.bin", strings.NewReader("streamed"), 8)
	if _, err := d.Attachments.AddFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("AddFile of a missing file succeeded")
	}
	ok(t, d.Save(ctx))
	creates := rec.Take().Only("POST", "/messages")
	if len(creates) != 1 || len(creates[0].Body["attachments"].([]any)) != 4 {
		t.Fatalf("small attachments not in the create request: %+v", creates)
	}
	if len(d.Attachments) != 4 || d.Attachments[0].ID == "" || d.Attachments[0].Pending() {
		t.Fatalf("attachments after save: %+v", d.Attachments)
	}

	var names []string
	var inline *mail.Attachment
	for a, err := range d.ListAttachments(ctx) {
		ok(t, err)
		names = append(names, a.Name)
		if a.IsInline {
			inline = a
		}
	}
	if strings.Join(sorted(names), ",") != "data.csv,logo.png,notes.txt,stream.bin" {
		t.Errorf("listed %v", names)
	}
	if inline == nil || inline.Name != "logo.png" {
		t.Fatalf("inline attachment: %+v", inline)
	}
	full := must[*mail.Attachment](t)(d.Attachment(ctx, inline.ID))
	if full.ContentID != "logo1" || string(full.ContentBytes) != "\x89PNG fake" {
		t.Errorf("inline: cid %q bytes %q", full.ContentID, full.ContentBytes)
	}
	var buf bytes.Buffer
	for _, a := range d.Attachments {
		if a.Name == "notes.txt" {
			buf.Reset()
			must[int64](t)(a.Save(ctx, &buf))
			if buf.String() != "file content" {
				t.Errorf("saved %q", buf.String())
			}
			ok(t, a.Delete(ctx))
			if _, err := d.Attachment(ctx, a.ID); !errors.Is(err, graph.ErrNotFound) {
				t.Errorf("deleted attachment: %v", err)
			}
		}
	}

	// Adding to a saved draft: Save uploads only the new one.
	d.Attachments.AddBytes("late.txt", []byte("late"))
	rec.Take()
	ok(t, d.Save(ctx))
	reqs := rec.Take()
	if len(reqs) != 1 || !strings.HasSuffix(reqs[0].Path, "/attachments") {
		t.Errorf("late attachment requests: %+v", reqs)
	}

	// Item attachment: a message inside a message.
	inner := mb.NewMessage()
	inner.Subject = "the attached one"
	inner.Body = graph.Text("inner body")
	d.Attachments.AddItem("attached.eml", inner)
	ok(t, d.Save(ctx))
	var item *mail.Attachment
	for a, err := range d.ListAttachments(ctx) {
		ok(t, err)
		if a.IsItem() {
			item = a
		}
	}
	if item == nil {
		t.Fatal("no item attachment listed")
	}
	im := must[*mail.Message](t)(item.Message(ctx))
	if im.Subject != "the attached one" {
		t.Errorf("item message subject %q", im.Subject)
	}
	buf.Reset()
	must[int64](t)(item.SaveEML(ctx, &buf))
	if !strings.Contains(buf.String(), "the attached one") {
		t.Errorf("item EML: %q", buf.String())
	}

	// Reference attachments (links) are read like the others.
	ok(t, acct.Client().Post(ctx, graph.Me.Path("messages", d.ID, "attachments"), map[string]any{
		"@odata.type": "#microsoft.graph.referenceAttachment", "name": "Spec.docx",
		"sourceUrl": "https://contoso.sharepoint.com/Shared%20Documents/Spec.docx"}, nil))
	refs := 0
	for a, err := range d.ListAttachments(ctx) {
		ok(t, err)
		if a.IsReference() {
			refs++
			if a.Name != "Spec.docx" || a.IsFile() {
				t.Errorf("reference attachment: %+v", a)
			}
		}
	}
	if refs != 1 {
		t.Errorf("%d reference attachments", refs)
	}

	// $expand=attachments: the attachments are bound to the message.
	x := must[*mail.Message](t)(mb.Message(ctx, d.ID, graph.Query(odata.New().Expand("attachments"))))
	for _, a := range x.Attachments {
		if a.Name == "data.csv" {
			buf.Reset()
			must[int64](t)(a.Save(ctx, &buf))
			if buf.String() != "a,b\n1,2\n" {
				t.Errorf("expanded attachment content %q", buf.String())
			}
			ok(t, a.Delete(ctx))
		}
	}
	_ = srv
}

// TestLargeAttachmentResumes sends a 20 MB attachment while the emulator drops the
// connection of one upload chunk: the upload resumes and the bytes arrive intact.
func TestLargeAttachmentResumes(t *testing.T) {
	rec := new(o365test.Recorder)
	acct, srv := o365test.Start(t, o365test.Record(rec))
	ctx := context.Background()
	bob := addUser(srv, "bob")
	data := make([]byte, 20<<20)
	_, _ = rand.Read(data)
	path := filepath.Join(t.TempDir(), "big.bin")
	ok(t, os.WriteFile(path, data, 0o600))
	rule, err := srv.Faults().Add(emulator.Fault{Method: "PUT", Path: "/api/v2.0/", Kind: emulator.FaultDrop, Nth: 2, Count: 1})
	ok(t, err)

	mb := acct.Mailbox()
	m := mb.NewMessage()
	m.Subject = "big"
	ok(t, m.ToRecipients.Add(bob))
	m.Attachments.AddBytes("small.txt", []byte("small"))
	must[*mail.Attachment](t)(m.Attachments.AddFile(path))
	var last, calls int64
	progress := mail.Progress(func(name string, sent, total int64) {
		if name == "big.bin" {
			if sent < last || total != int64(len(data)) {
				t.Errorf("progress %d/%d after %d", sent, total, last)
			}
			last = sent
			calls++
		}
	})
	ok(t, m.Save(ctx, progress))
	if rule.Fired() != 1 {
		t.Errorf("fault fired %d times", rule.Fired())
	}
	if last != int64(len(data)) || calls < 2 {
		t.Errorf("progress ended at %d after %d calls", last, calls)
	}
	got, found := srv.AttachmentBytes(srv.DefaultUser().UPN, m.ID, "big.bin")
	if !found || sha256.Sum256(got) != sha256.Sum256(data) {
		t.Fatalf("uploaded bytes differ (found %v, %d bytes)", found, len(got))
	}
	reqs := rec.Take()
	if len(reqs.Only("POST", "/createUploadSession")) != 1 || len(reqs.Only("PUT", "")) < 6 {
		t.Errorf("requests: %d sessions, %d PUTs", len(reqs.Only("POST", "/createUploadSession")), len(reqs.Only("PUT", "")))
	}
	ok(t, m.Send(ctx))
	if n := srv.MailboxMessageCount(bob, "inbox"); n != 1 {
		t.Errorf("bob's inbox: %d", n)
	}

	// A new message with a large attachment, sent in one call, goes through a draft.
	m2 := mb.NewMessage()
	m2.Subject = "big, one call"
	ok(t, m2.ToRecipients.Add(bob))
	m2.Attachments.AddReader("stream.bin", bytes.NewBuffer(data[:4<<20]), 4<<20)
	ok(t, m2.Send(ctx))
	if n := srv.MailboxMessageCount(bob, "inbox"); n != 2 {
		t.Errorf("bob's inbox: %d", n)
	}
	if len(rec.Take().Only("POST", "/sendMail")) != 0 {
		t.Error("a large attachment went through sendMail")
	}

	// Over the limit: a clear error before anything is sent.
	tooBig := filepath.Join(t.TempDir(), "huge.bin")
	f, err := os.Create(tooBig)
	ok(t, err)
	ok(t, f.Truncate(mail.MaxAttachmentSize+1))
	f.Close()
	if _, err := m2.Attachments.AddFile(tooBig); !errors.Is(err, mail.ErrAttachmentTooLarge) {
		t.Errorf("151 MB file: %v", err)
	}
}
