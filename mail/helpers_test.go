package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
)

// addUser adds a second user to the tenant and returns their UPN.
func addUser(srv *emulator.Server, name string) string {
	upn := name + "@" + strings.SplitN(srv.DefaultUser().UPN, "@", 2)[1]
	srv.AddUser(emulator.User{UPN: upn, DisplayName: name})
	return upn
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func firstInbox(t *testing.T, ctx context.Context, mb *mail.Mailbox) *mail.Message {
	t.Helper()
	for m, err := range mb.Inbox().Messages(ctx, &graph.ListOptions{Limit: 1}) {
		ok(t, err)
		return m
	}
	t.Fatal("empty inbox")
	return nil
}
