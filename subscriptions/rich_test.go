package subscriptions_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/o365test"
	"github.com/o365go/o365/subscriptions"
)

func selfSigned(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "webhook"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return key, base64.StdEncoding.EncodeToString(der)
}

// TestRichNotification: with IncludeResourceData the changed item arrives encrypted
// and Decrypt opens it; a wrong key or tampered data fails clearly.
func TestRichNotification(t *testing.T) {
	ctx := context.Background()
	acct, srv := o365test.Start(t, o365test.WithScopes(append(o365test.DefaultScopes(), "Presence.ReadWrite")...))
	me := srv.DefaultUser()
	rcv, url := receiver(t, subscriptions.ReceiverOptions{ClientState: secret})
	key, cert := selfSigned(t)
	sub, err := acct.Subscriptions().Create(ctx, &subscriptions.Subscription{
		Resource: "communications/presences/" + me.ID, ChangeType: subscriptions.Updated,
		NotificationURL: url, ClientState: secret, ExpirationDateTime: srv.Now().Add(50 * time.Minute),
		IncludeResourceData: true, EncryptionCertificate: cert, EncryptionCertificateID: "cert-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sub.IncludeResourceData || sub.EncryptionCertificateID != "cert-1" {
		t.Fatalf("created %+v", sub)
	}
	if err := acct.Client().Post(ctx, "/me/presence/setUserPreferredPresence",
		map[string]any{"availability": "Busy", "activity": "Busy", "expirationDuration": "PT1H"}, nil); err != nil {
		t.Fatal(err)
	}
	n := next(t, rcv)
	if n.EncryptedContent == nil || n.EncryptedContent.EncryptionCertificateID != "cert-1" {
		t.Fatalf("notification %+v", n)
	}
	var presence struct {
		ID           string `json:"id"`
		Availability string `json:"availability"`
	}
	if err := n.DecryptInto(key, &presence); err != nil || presence.ID != me.ID || presence.Availability == "" {
		t.Fatalf("decrypted %+v: %v", presence, err)
	}

	wrongKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	if _, err := n.Decrypt(wrongKey); !errors.Is(err, subscriptions.ErrDecrypt) {
		t.Errorf("wrong key: %v", err)
	}
	tampered := *n
	ec := *n.EncryptedContent
	ec.Data = strings.Repeat("A", len(ec.Data)-4) + "AA=="
	tampered.EncryptedContent = &ec
	if _, err := tampered.Decrypt(key); !errors.Is(err, subscriptions.ErrDecrypt) {
		t.Errorf("tampered: %v", err)
	}
	if _, err := (&subscriptions.Notification{}).Decrypt(key); !errors.Is(err, subscriptions.ErrNoEncryptedContent) {
		t.Errorf("plain notification: %v", err)
	}
}
