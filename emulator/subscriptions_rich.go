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
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
)

// Rich notifications (webhooks-with-resource-data.md): the changed item
// travels in the notification, encrypted for the subscriber. A random
// 32-byte key encrypts the item's JSON with AES-256-CBC (PKCS#7 padding,
// IV = the key's first 16 bytes); dataSignature is base64 HMAC-SHA256 of
// the encrypted bytes under that key; dataKey is the key encrypted with
// RSA-OAEP (SHA-1) for the subscription's encryptionCertificate.

// richKey is what a rich subscription encrypts with.
type richKey struct {
	pub        *rsa.PublicKey
	thumbprint string // SHA-1 of the certificate, upper-case hex
}

// encryptedContent is a rich notification's encryptedContent.
type encryptedContent struct {
	Data                            string `json:"data"`
	DataSignature                   string `json:"dataSignature"`
	DataKey                         string `json:"dataKey"`
	EncryptionCertificateID         string `json:"encryptionCertificateId"`
	EncryptionCertificateThumbprint string `json:"encryptionCertificateThumbprint"`
}

// parseEncryptionCertificate reads a base64 DER certificate with an RSA key.
func parseEncryptionCertificate(b64 string) (*richKey, *graphError) {
	bad := errorf(http.StatusBadRequest, "InvalidRequest", "The encryptionCertificate is not a valid base64-encoded X.509 certificate with an RSA public key.")
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return nil, bad
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, bad
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, bad
	}
	sum := sha1.Sum(der)
	return &richKey{pub: pub, thumbprint: strings.ToUpper(hex.EncodeToString(sum[:]))}, nil
}

// supportsResourceData reports whether rich notifications are emulated for
// the resource: Teams messages and presence, whose publishers supply the
// item.
func (k resourceKind) supportsResourceData() bool { return k == kindTeamsMessage || k == kindPresence }

// encrypt seals data for the key.
func (k *richKey) encrypt(data []byte, certID string) (*encryptedContent, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(data)%aes.BlockSize
	plain := make([]byte, len(data)+pad)
	copy(plain, data)
	for i := len(data); i < len(plain); i++ {
		plain[i] = byte(pad)
	}
	sealed := make([]byte, len(plain))
	cipher.NewCBCEncrypter(block, key[:aes.BlockSize]).CryptBlocks(sealed, plain)
	mac := hmac.New(sha256.New, key)
	mac.Write(sealed)
	dataKey, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, k.pub, key, nil)
	if err != nil {
		return nil, err
	}
	return &encryptedContent{
		Data:                            base64.StdEncoding.EncodeToString(sealed),
		DataSignature:                   base64.StdEncoding.EncodeToString(mac.Sum(nil)),
		DataKey:                         base64.StdEncoding.EncodeToString(dataKey),
		EncryptionCertificateID:         certID,
		EncryptionCertificateThumbprint: k.thumbprint,
	}, nil
}
