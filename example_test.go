package o365_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
)

// The examples run against the emulator; against Microsoft 365 leave out WithProtocol and use
// your app registration's client id and tenant.

// An app-only (daemon) account: client credentials, acting on a user's mailbox.
func Example() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	clientID, secret := srv.ConfidentialClient()
	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: clientID, ClientSecret: secret, Tenant: srv.TenantID()},
		o365.WithAuthFlow(o365.CredentialsFlow),
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()),
		o365.WithMainResource(graph.User("AdeleV@contoso.onmicrosoft.com")),
	)
	if err != nil {
		log.Fatal(err)
	}
	if err := acct.Authenticate(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("authenticated:", acct.IsAuthenticated(ctx))

	_, err = acct.CurrentUser(ctx)
	fmt.Println("me works:", err == nil)
	// Output:
	// authenticated: true
	// me works: false
}

// Sign in with a device code: the prompt shows where to enter the code (here the emulator
// approves it, as the user would in a browser).
func ExampleAccount_Authenticate_deviceCode() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithAuthFlow(o365.DeviceFlow),
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()),
		o365.WithDeviceCodePrompt(func(ctx context.Context, dc auth.DeviceCode) error {
			// Usually: fmt.Println(dc.Message)
			return srv.ApproveDeviceCode(dc.UserCode, "AdeleV@contoso.onmicrosoft.com")
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	if err := acct.Authenticate(ctx, "basic", "message_all"); err != nil {
		log.Fatal(err)
	}
	me, err := acct.CurrentUser(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(acct.Username())
	fmt.Println(me.DisplayName)
	// Output:
	// AdeleV@contoso.onmicrosoft.com
	// Adele Vance
}

// A web app: send the user to the authorization URL, keep the flow, and finish with the URL
// Microsoft redirected the browser to.
func ExampleAccount_AuthorizationURL() {
	srv, err := emulator.New(emulator.Options{AutoApprove: true})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()),
	)
	if err != nil {
		log.Fatal(err)
	}
	authURL, flow, err := acct.AuthorizationURL([]string{"basic", "mailbox"}, "http://localhost")
	if err != nil {
		log.Fatal(err)
	}

	// In a real web app the browser goes to authURL and comes back to your redirect handler;
	// here the emulator approves at once and we read where it redirects.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	redirected := resp.Header.Get("Location")

	if err := acct.RequestToken(ctx, redirected, flow); err != nil {
		log.Fatal(err)
	}
	fmt.Println(acct.Username())
	// Output:
	// AdeleV@contoso.onmicrosoft.com
}
