package identity_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/o365go/o365/emulator/internal/identity"
	"golang.org/x/oauth2/clientcredentials"
)

// A server mounts the provider, a client gets an app-only token with the
// client credentials grant, and the Graph side checks it with Verify.
func Example() {
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p, err := identity.New(identity.Config{
		TenantID: "11111111-2222-4333-8444-555555555555",
		Now:      func() time.Time { return clock },
	})
	if err != nil {
		panic(err)
	}
	p.RegisterApp(identity.App{ClientID: "daemon", Name: "Daemon", Secret: "s3cret", Roles: []string{"Mail.Read"}})
	srv := httptest.NewServer(p)
	defer srv.Close()

	cc := clientcredentials.Config{
		ClientID:     "daemon",
		ClientSecret: "s3cret",
		TokenURL:     srv.URL + "/11111111-2222-4333-8444-555555555555/oauth2/v2.0/token",
		Scopes:       []string{"https://graph.microsoft.com/.default"},
	}
	tok, err := cc.Token(context.Background())
	if err != nil {
		panic(err)
	}
	c, err := p.Verify("Bearer " + tok.AccessToken)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.ClientID, c.AppOnly, c.Roles, c.ExpiresAt.UTC().Format(time.RFC3339))
	// Output: daemon true [Mail.Read] 2026-01-02T04:04:05Z
}
