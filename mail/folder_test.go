package mail_test

import (
	"context"
	"errors"
	"testing"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/o365test"
)

func TestFolders(t *testing.T) {
	acct, _ := o365test.Start(t)
	ctx := context.Background()
	mb := acct.Mailbox()

	proj := must[*mail.MailFolder](t)(mb.CreateFolder(ctx, "Projects"))
	if proj.ID == "" || proj.DisplayName != "Projects" {
		t.Fatalf("created %+v", proj)
	}
	y24 := must[*mail.MailFolder](t)(proj.Folder().CreateChild(ctx, "2024"))
	inboxChild := must[*mail.MailFolder](t)(mb.Inbox().CreateChild(ctx, "2024"))
	if y24.ParentFolderID != proj.ID {
		t.Errorf("child parent = %q, want %q", y24.ParentFolderID, proj.ID)
	}
	if _, err := proj.Folder().CreateChild(ctx, "2024"); !errors.Is(err, graph.ErrConflict) {
		t.Errorf("duplicate child: %v, want graph.ErrConflict", err)
	}

	got := must[*mail.MailFolder](t)(proj.Folder().Get(ctx))
	if got.ChildFolderCount != 1 || got.DisplayName != "Projects" {
		t.Errorf("Get: %+v", got)
	}
	var names []string
	for f, err := range proj.Folder().ChildFolders(ctx, nil) {
		ok(t, err)
		names = append(names, f.DisplayName)
	}
	if len(names) != 1 || names[0] != "2024" {
		t.Errorf("children %v", names)
	}

	// FolderByName: unique, ambiguous, by path, missing.
	if f, err := mb.FolderByName(ctx, "projects"); err != nil || f.ID != proj.ID {
		t.Errorf("FolderByName(projects) = %v, %v", f, err)
	}
	if _, err := mb.FolderByName(ctx, "2024"); !errors.Is(err, mail.ErrAmbiguousFolder) {
		t.Errorf("ambiguous: %v", err)
	}
	if f, err := mb.FolderByName(ctx, "Inbox/2024"); err != nil || f.ID != inboxChild.ID {
		t.Errorf("by path: %v, %v", f, err)
	}
	_, err := mb.FolderByName(ctx, "Nope")
	if !errors.Is(err, mail.ErrFolderNotFound) || !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}

	// Rename, parent, move, copy, delete.
	ren := must[*mail.MailFolder](t)(y24.Folder().Rename(ctx, "Year 2024"))
	if ren.DisplayName != "Year 2024" {
		t.Errorf("renamed: %+v", ren)
	}
	parent := must[*mail.Folder](t)(y24.Folder().Parent(ctx))
	if parent.ID() != proj.ID {
		t.Errorf("parent %q, want %q", parent.ID(), proj.ID)
	}
	moved := must[*mail.MailFolder](t)(y24.Folder().Move(ctx, mb.Archive()))
	archive := must[*mail.MailFolder](t)(mb.Archive().Get(ctx))
	if moved.ParentFolderID != archive.ID {
		t.Errorf("moved parent %q, want archive %q", moved.ParentFolderID, archive.ID)
	}
	cp := must[*mail.MailFolder](t)(proj.Folder().Copy(ctx, mb.Inbox()))
	if cp.ID == proj.ID || cp.DisplayName != "Projects" {
		t.Errorf("copy %+v", cp)
	}
	ok(t, proj.Folder().Delete(ctx))
	if _, err := proj.Folder().Get(ctx); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleted folder: %v", err)
	}
	if _, err := mb.Folder("").Get(ctx); !errors.Is(err, mail.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
	var top int
	for _, err := range mb.Folders(ctx, nil) {
		ok(t, err)
		top++
	}
	if top < 5 {
		t.Errorf("top-level folders: %d", top)
	}
}
