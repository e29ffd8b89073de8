package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/mail"
	"github.com/o365go/o365/odata"
)

// demoAttachmentSize is over Graph's 3 MB limit for attachments sent inline, so the
// demo's attachment goes through an upload session.
const demoAttachmentSize = 3_500_000

// demoRecipient is the colleague the demo writes to.
const demoRecipient = "MeganB@contoso.onmicrosoft.com"

// demoMail is the demo's mail part: Adele sends Megan a message with a 3.5 MB
// attachment, then Megan signs in and reads it back.
func demoMail(ctx context.Context, t *tour, srv *emulator.Server, acct *o365.Account, clock *skewClock) error {
	data := demoBytes(demoAttachmentSize)
	sum := sha256.Sum256(data)

	t.title("Send a message with a 3.5 MB attachment (an upload session, with progress)")
	t.code(`msg := acct.Mailbox().NewMessage()
msg.Subject = "Store layouts for December"
msg.Body = graph.HTML("<p>Hi Megan, the new layouts are attached.</p>")
err := msg.ToRecipients.Add("Megan Bowen <MeganB@contoso.onmicrosoft.com>")
msg.Attachments.AddReader("layouts.pdf", bytes.NewReader(data), int64(len(data))) // or AddFile(path)
err = msg.Send(ctx, mail.Progress(func(name string, sent, total int64) {
	fmt.Printf("upload %s: %d of %d bytes\n", name, sent, total)
}), mail.UploadOptions(graph.ChunkSize(1280<<10))) // 3 MB or more: draft, upload session in chunks, send`)
	msg := acct.Mailbox().NewMessage()
	msg.Subject = "Store layouts for December"
	msg.Body = graph.HTML("<p>Hi Megan, the new layouts are attached.</p>")
	if err := msg.ToRecipients.Add("Megan Bowen <" + demoRecipient + ">"); err != nil {
		return err
	}
	msg.Attachments.AddReader("layouts.pdf", bytes.NewReader(data), int64(len(data)))
	progress := func(name string, sent, total int64) {
		t.say("   upload %s: %s of %s (%d%%)", name, humanBytes(sent), humanBytes(total), sent*100/max(total, 1))
	}
	srv.ResetLog()
	if err := msg.Send(ctx, mail.Progress(progress), mail.UploadOptions(graph.ChunkSize(1280<<10))); err != nil {
		return fmt.Errorf("demo: send: %w", err)
	}
	puts, withToken := 0, 0
	for _, r := range srv.Requests() {
		if r.Method == "PUT" {
			puts++
			if r.Authorization {
				withToken++
			}
		}
	}
	if withToken == 0 {
		t.say("-> sent to %s: %d chunks PUT to the pre-authorised upload URL, without the access token", demoRecipient, puts)
	} else {
		t.say("-> sent to %s: %d chunks, %d of them with the access token", demoRecipient, puts, withToken)
	}

	t.title("The colleague signs in and reads it back")
	t.code(`megan, err := o365.NewAccount(creds, o365.WithProtocol(proto), o365.WithAuthFlow(o365.DeviceFlow))
err = megan.Authenticate(ctx, "basic", "message_all")
q := odata.New().Filter(odata.Attr("subject").Eq("Store layouts for December"))
for m, err := range megan.Mailbox().Inbox().Messages(ctx, &graph.ListOptions{Limit: 1, Query: q}) {
	for a, err := range m.ListAttachments(ctx) {
		h := sha256.New()
		n, err := a.Save(ctx, h) // streamed: GET .../attachments/{id}/$value
		...
	}
}`)
	prompt := func(_ context.Context, dc auth.DeviceCode) error {
		t.say("(device code %s, approved by the emulator for %s)", dc.UserCode, demoRecipient)
		return srv.ApproveDeviceCode(dc.UserCode, demoRecipient)
	}
	megan, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithAuthFlow(o365.DeviceFlow),
		o365.WithDeviceCodePrompt(prompt),
		o365.WithTokenStore(auth.NewMemoryStore()),
		o365.WithClock(time.Now, clock.FastForward),
	)
	if err != nil {
		return err
	}
	if err := megan.Authenticate(ctx, "basic", "message_all"); err != nil {
		return fmt.Errorf("demo: sign-in as %s: %w", demoRecipient, err)
	}
	t.say("-> signed in as %s", megan.Username())
	q := odata.New().Filter(odata.Attr("subject").Eq(msg.Subject))
	found := false
	for m, err := range megan.Mailbox().Inbox().Messages(ctx, &graph.ListOptions{Limit: 1, PageSize: 1, Query: q}) {
		if err != nil {
			return err
		}
		found = true
		t.say("-> %s  from %s: %q", m.ReceivedDateTime.Format("2006-01-02 15:04"), m.From.EmailAddress.Address, m.Subject)
		for a, err := range m.ListAttachments(ctx) {
			if err != nil {
				return err
			}
			h := sha256.New()
			n, err := a.Save(ctx, h)
			if err != nil {
				return err
			}
			t.say("-> attachment %s, %s (%d bytes)", a.Name, humanBytes(n), n)
			t.say("-> SHA-256 %s %s", short(h), matchWord(h, sum))
		}
	}
	if !found {
		return fmt.Errorf("demo: the message did not reach %s", demoRecipient)
	}
	return nil
}

// demoBytes returns n deterministic bytes (xorshift), the same on every run.
func demoBytes(n int) []byte {
	b := make([]byte, n)
	var x uint64 = 0x9E3779B97F4A7C15
	for i := 0; i < n; i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(x >> (8 * j))
		}
	}
	return b
}

func short(h hash.Hash) string {
	s := hex.EncodeToString(h.Sum(nil))
	return s[:16] + "…"
}

func matchWord(h hash.Hash, want [32]byte) string {
	if bytes.Equal(h.Sum(nil), want[:]) {
		return "matches the bytes sent"
	}
	return "DIFFERS from the bytes sent"
}
