package mail_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/odata"
)

func collect(t *testing.T, seq func(func(*mail.Message, error) bool)) []*mail.Message {
	t.Helper()
	var out []*mail.Message
	for m, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestWellKnownFolders(t *testing.T) {
	mb := mail.New(nil, "")
	if mb.Resource() != graph.Me {
		t.Errorf("empty resource = %q, want me", mb.Resource())
	}
	tests := []struct {
		f    *mail.Folder
		want string
	}{
		{mb.Inbox(), "inbox"}, {mb.JunkEmail(), "junkemail"}, {mb.DeletedItems(), "deleteditems"},
		{mb.Drafts(), "drafts"}, {mb.SentItems(), "sentitems"}, {mb.Outbox(), "outbox"},
		{mb.Archive(), "archive"}, {mb.Clutter(), "clutter"}, {mb.Conflicts(), "conflicts"},
		{mb.ConversationHistory(), "conversationhistory"}, {mb.LocalFailures(), "localfailures"},
		{mb.RecoverableItemsDeletions(), "recoverableitemsdeletions"}, {mb.Scheduled(), "scheduled"},
		{mb.SearchFolders(), "searchfolders"}, {mb.ServerFailures(), "serverfailures"},
		{mb.SyncIssues(), "syncissues"}, {mb.Folder("AAMkAD=="), "AAMkAD=="},
	}
	for _, tt := range tests {
		if tt.f.ID() != tt.want || tt.f.Mailbox() != mb {
			t.Errorf("folder %q: got id %q", tt.want, tt.f.ID())
		}
	}
}

func TestListAndGet(t *testing.T) {
	acct, srv := o365test.Start(t)
	ctx := context.Background()
	if err := srv.SeedMessages(srv.DefaultUser().UPN, 25); err != nil {
		t.Fatal(err)
	}
	if err := srv.SeedMessagesIn(srv.DefaultUser().UPN, "sentitems", 4); err != nil {
		t.Fatal(err)
	}
	mb := acct.Mailbox()

	inbox := collect(t, mb.Inbox().Messages(ctx, &graph.ListOptions{PageSize: 10}))
	if len(inbox) != 25 {
		t.Fatalf("inbox: %d messages, want 25", len(inbox))
	}
	for i, m := range inbox {
		if m.ID == "" || m.Subject == "" || m.From.EmailAddress.Address == "" || m.Body.Content == "" || m.ReceivedDateTime.IsZero() || len(m.ToRecipients) == 0 {
			t.Errorf("message %d is not full: %+v", i, m)
		}
		if i > 0 && m.ReceivedDateTime.After(inbox[i-1].ReceivedDateTime) {
			t.Errorf("message %d is newer than the one before: not newest first", i)
		}
	}
	if got := collect(t, mb.Inbox().Messages(ctx, &graph.ListOptions{Limit: 7, PageSize: 3})); len(got) != 7 {
		t.Errorf("Limit 7: got %d", len(got))
	}
	if got := collect(t, mb.SentItems().Messages(ctx, nil)); len(got) != 4 {
		t.Errorf("sentitems: got %d, want 4", len(got))
	}
	if got := collect(t, mb.Messages(ctx, &graph.ListOptions{PageSize: 50})); len(got) != 29 {
		t.Errorf("all folders: got %d, want 29", len(got))
	}

	// $select: only what was asked (and the id) comes back.
	sel := collect(t, mb.Inbox().Messages(ctx, &graph.ListOptions{Limit: 2, Query: odata.New().Select("subject")}))
	if len(sel) != 2 || sel[0].Subject == "" || sel[0].Body.Content != "" || sel[0].ID == "" {
		t.Errorf("$select=subject gave %+v", sel[0])
	}

	// Get one message: the same as listed.
	got, err := mb.Message(ctx, inbox[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(inbox[3], got, cmpopts.IgnoreUnexported(mail.Message{})); diff != "" {
		t.Errorf("Message(id) differs from the listed message (-listed +got):\n%s", diff)
	}
	if got.ETag == "" || got.ChangeKey == "" || got.ParentFolderID == "" {
		t.Errorf("message lacks etag, change key or parent folder: %+v", got)
	}
}

func TestErrors(t *testing.T) {
	acct, _ := o365test.Start(t)
	ctx := context.Background()
	mb := acct.Mailbox()
	if _, err := mb.Message(ctx, "AAMkAGnothere="); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing message: %v, want graph.ErrNotFound", err)
	}
	if _, err := mb.Message(ctx, ""); !errors.Is(err, mail.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
	for _, err := range mb.Folder("").Messages(ctx, nil) {
		if !errors.Is(err, mail.ErrEmptyID) {
			t.Errorf("empty folder id: %v", err)
		}
	}
	for _, err := range mb.Folder("nosuchfolder").Messages(ctx, nil) {
		if !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("unknown folder: %v, want graph.ErrNotFound", err)
		}
	}
}

func TestSharedMailbox(t *testing.T) {
	acct, srv := o365test.Start(t, o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" }))
	ctx := context.Background()
	const megan = "MeganB@contoso.onmicrosoft.com"
	if err := srv.SeedMessages(megan, 3); err != nil {
		t.Fatal(err)
	}
	shared := acct.Mailbox(graph.User(megan))
	for _, err := range shared.Inbox().Messages(ctx, nil) {
		if !errors.Is(err, graph.ErrForbidden) && !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("another user's mailbox without a grant: %v, want forbidden or not found", err)
		}
	}
	if err := srv.GrantMailboxAccess(megan, srv.DefaultUser().UPN); err != nil {
		t.Fatal(err)
	}
	if got := collect(t, shared.Inbox().Messages(ctx, nil)); len(got) != 3 {
		t.Errorf("shared inbox: %d messages, want 3", len(got))
	}
}
