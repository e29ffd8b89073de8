package o365test_test

import (
	"context"
	"errors"
	"testing"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
)

func TestStartDelegated(t *testing.T) {
	acct, srv := o365test.Start(t)
	u, err := acct.CurrentUser(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.UserPrincipalName != srv.DefaultUser().UPN {
		t.Errorf("signed in as %q, want %q", u.UserPrincipalName, srv.DefaultUser().UPN)
	}
	if acct.Username() != srv.DefaultUser().UPN {
		t.Errorf("Username() = %q", acct.Username())
	}
}

func TestStartAppOnly(t *testing.T) {
	acct, srv := o365test.Start(t, o365test.AppOnly())
	ctx := context.Background()
	if _, err := acct.CurrentUser(ctx); !errors.Is(err, o365.ErrAppOnly) {
		t.Fatalf("err = %v", err)
	}
	var u struct {
		UserPrincipalName string `json:"userPrincipalName"`
	}
	if err := acct.Client().Get(ctx, "/users/"+srv.DefaultUser().UPN, &u); err != nil {
		t.Fatal(err)
	}
	if u.UserPrincipalName != srv.DefaultUser().UPN {
		t.Errorf("got %q", u.UserPrincipalName)
	}
}

func TestStartDeviceCode(t *testing.T) {
	if testing.Short() {
		t.Skip("waits one device-code poll interval")
	}
	acct, srv := o365test.Start(t, o365test.DeviceCode(), o365test.WithScopes("basic"))
	if acct.Username() != srv.DefaultUser().UPN {
		t.Errorf("Username() = %q", acct.Username())
	}
}

// fakeT records failures so the spec check itself can be tested.
type fakeT struct {
	testing.TB
	failed []string
	clean  []func()
}

func (f *fakeT) Errorf(format string, args ...any) { f.failed = append(f.failed, format) }
func (f *fakeT) Cleanup(fn func())                 { f.clean = append(f.clean, fn) }

func TestSpecCheck(t *testing.T) {
	ft := &fakeT{TB: t}
	acct, _ := o365test.Start(ft)
	_ = acct.Client().Get(context.Background(), "/me/notAGraphPath", nil)
	for i := len(ft.clean) - 1; i >= 0; i-- {
		ft.clean[i]()
	}
	if len(ft.failed) != 1 {
		t.Errorf("spec check reported %d failures, want 1", len(ft.failed))
	}
}

func TestOptions(t *testing.T) {
	ctx := context.Background()
	var added emulator.User
	acct, srv := o365test.Start(t,
		o365test.BeforeSignIn(func(srv *emulator.Server) {
			added = srv.AddUser(emulator.User{UPN: "grady@contoso.onmicrosoft.com", DisplayName: "Grady"})
			srv.SetAutoApprove(true, added.UPN)
		}),
		o365test.WithScopes("basic"),
		o365test.NoSpecCheck())
	if acct.Username() != added.UPN {
		t.Errorf("signed in as %q, want %q", acct.Username(), added.UPN)
	}
	_ = acct.Client().Get(ctx, "/me/notAGraphPath", nil) // allowed by NoSpecCheck

	out, _ := o365test.Start(t, o365test.SignedOut())
	if out.IsAuthenticated(ctx) {
		t.Error("SignedOut account is authenticated")
	}
	if err := o365test.SignIn(ctx, out, "basic"); err != nil {
		t.Fatal(err)
	}
	if !out.IsAuthenticated(ctx) {
		t.Error("not authenticated after SignIn")
	}
	_ = srv
}

func TestNew(t *testing.T) {
	for _, scopes := range [][]string{nil, {"basic"}} {
		acct, srv, err := o365test.New(emulator.Options{}, scopes...)
		if err != nil {
			t.Fatal(err)
		}
		if !acct.IsAuthenticated(context.Background()) || acct.Username() != srv.DefaultUser().UPN {
			t.Errorf("scopes %v: signed in as %q", scopes, acct.Username())
		}
		// Without scopes New asks for DefaultScopes, mail among them.
		err = acct.Client().Get(context.Background(), "/me/mailFolders", nil)
		if (err == nil) != (scopes == nil) {
			t.Errorf("scopes %v: reading mail folders: %v", scopes, err)
		}
		srv.Close()
	}
}
