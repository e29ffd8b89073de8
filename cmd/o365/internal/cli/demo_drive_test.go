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

// The demo's OneDrive step on its own (TestDemo runs the whole tour).
func TestDemoDriveStep(t *testing.T) {
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
	if err := demoDrive(ctx, tr, srv, acct, clock); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"1. Upload 12 MiB to OneDrive in chunks, share it, download it verified",
		"uploading  12.0 / 12.0 MiB [====================] 100%",
		`-> "Q4 report (final).bin", 12.0 MiB, quickXorHash `,
		"-> sharing link (view, organization): https://",
		"-> downloaded 12.0 MiB; its hash matches the service's",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	puts := 0
	for _, r := range srv.Requests() {
		if r.Method == "PUT" {
			puts++
		}
	}
	if puts != 3 {
		t.Errorf("%d chunk PUTs, want 3 (5 MiB chunks)", puts)
	}
}
