package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
)

// The demo's Excel step on its own (TestDemo runs the whole tour).
func TestDemoExcelStep(t *testing.T) {
	ctx := context.Background()
	clock := &skewClock{}
	srv := emulator.Start(t, func(o *emulator.Options) { o.Seed = "demo"; o.Now = clock.Now; o.AutoApprove = false })
	upn := srv.DefaultUser().UPN
	var out bytes.Buffer
	tr := &tour{w: &out}
	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithAuthFlow(o365.DeviceFlow),
		o365.WithDeviceCodePrompt(func(_ context.Context, dc auth.DeviceCode) error { return srv.ApproveDeviceCode(dc.UserCode, upn) }),
		o365.WithTokenStore(auth.NewMemoryStore()),
		o365.WithClock(time.Now, clock.FastForward),
	)
	if err != nil {
		t.Fatal(err)
	}
	// In the tour the drive step before this one signs in with these scopes.
	if err := acct.Authenticate(ctx, "basic", "onedrive_all"); err != nil {
		t.Fatal(err)
	}
	if err := demoExcel(ctx, tr, srv, acct, clock); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"1. Append a row to an Excel table and read the recalculated SUM",
		`excel.Open(ctx, item)`,
		`-> Expenses row 5 added: ["Travel" "March" "480.5"]`,
		"-> SUM(Budget!C2:C7) = 4026.25 (a Number; it was 3545.75)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}
