package emulator

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"testing"
	"time"
)

// selfSigned makes an RSA certificate for rich notifications.
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

// TestSubscriptionRichNotifications: with includeResourceData the changed
// item arrives encrypted for the subscriber's certificate, as documented.
func TestSubscriptionRichNotifications(t *testing.T) {
	s := Start(t)
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "Presence.Read.All Presence.ReadWrite User.Read")
	r := newReceiver(t)
	key, cert := selfSigned(t)
	c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("communications/presences/"+adele.ID, r.srv.URL, "updated", s.Now().Add(50*time.Minute),
		`,"includeResourceData":true,"encryptionCertificate":"`+cert+`","encryptionCertificateId":"my-cert"`))
	if c.status != 201 || c.json["includeResourceData"] != true || c.json["encryptionCertificateId"] != "my-cert" {
		t.Fatalf("create: %d %s", c.status, c.body)
	}
	if res := do(t, s, "POST", "/v1.0/me/presence/setUserPreferredPresence", tok, `{"availability":"Busy","activity":"Busy","expirationDuration":"PT1H"}`); res.status/100 != 2 {
		t.Fatalf("set presence: %d %s", res.status, res.body)
	}
	n := r.next(t)
	ecRaw, _ := json.Marshal(n["encryptedContent"])
	var ec encryptedContent
	if err := json.Unmarshal(ecRaw, &ec); err != nil || ec.EncryptionCertificateID != "my-cert" || len(ec.EncryptionCertificateThumbprint) != 40 {
		t.Fatalf("encryptedContent %s %v", ecRaw, err)
	}
	dataKey, _ := base64.StdEncoding.DecodeString(ec.DataKey)
	sym, err := rsa.DecryptOAEP(sha1.New(), nil, key, dataKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := base64.StdEncoding.DecodeString(ec.Data)
	mac := hmac.New(sha256.New, sym)
	mac.Write(sealed)
	if base64.StdEncoding.EncodeToString(mac.Sum(nil)) != ec.DataSignature {
		t.Fatal("dataSignature does not match")
	}
	block, _ := aes.NewCipher(sym)
	plain := make([]byte, len(sealed))
	cipher.NewCBCDecrypter(block, sym[:16]).CryptBlocks(plain, sealed)
	plain = plain[:len(plain)-int(plain[len(plain)-1])]
	var presence map[string]any
	if err := json.Unmarshal(plain, &presence); err != nil || presence["id"] != adele.ID {
		t.Fatalf("decrypted %s: %v", plain, err)
	}
}
