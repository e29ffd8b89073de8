package subscriptions

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNoEncryptedContent is returned by Decrypt for a notification without resource data.
var ErrNoEncryptedContent = errors.New("subscriptions: the notification carries no encrypted content")

// ErrDecrypt matches the errors of Decrypt for content that does not decrypt or whose
// signature does not match (a wrong key, or tampered data).
var ErrDecrypt = errors.New("subscriptions: cannot decrypt the notification's resource data")

// EncryptedContent is the resource data of a rich notification, encrypted for the
// subscription's encryptionCertificate.
type EncryptedContent struct {
	// Data is the base64 AES-256-CBC encryption of the item's JSON.
	Data string `json:"data"`
	// DataSignature is the base64 HMAC-SHA256 of the encrypted data.
	DataSignature string `json:"dataSignature"`
	// DataKey is the base64 symmetric key, encrypted with RSA-OAEP for the certificate.
	DataKey                         string `json:"dataKey"`
	EncryptionCertificateID         string `json:"encryptionCertificateId"`
	EncryptionCertificateThumbprint string `json:"encryptionCertificateThumbprint"`
}

// Decrypt returns the changed item's JSON of a rich notification, decrypting it with the
// private key of the subscription's encryptionCertificate (pick the key by
// n.EncryptedContent.EncryptionCertificateID when you rotate certificates). The
// signature is checked before decrypting.
func (n *Notification) Decrypt(key *rsa.PrivateKey) ([]byte, error) {
	if n == nil || n.EncryptedContent == nil {
		return nil, ErrNoEncryptedContent
	}
	if key == nil {
		return nil, fmt.Errorf("%w: no private key", ErrDecrypt)
	}
	ec := n.EncryptedContent
	wrapped, err := base64.StdEncoding.DecodeString(ec.DataKey)
	if err != nil {
		return nil, fmt.Errorf("%w: dataKey is not base64", ErrDecrypt)
	}
	sym, err := rsa.DecryptOAEP(sha1.New(), nil, key, wrapped, nil)
	if err != nil || len(sym) != 32 {
		return nil, fmt.Errorf("%w: the key does not open dataKey", ErrDecrypt)
	}
	sealed, err := base64.StdEncoding.DecodeString(ec.Data)
	if err != nil || len(sealed) == 0 || len(sealed)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: malformed data", ErrDecrypt)
	}
	sig, err := base64.StdEncoding.DecodeString(ec.DataSignature)
	if err != nil {
		return nil, fmt.Errorf("%w: dataSignature is not base64", ErrDecrypt)
	}
	mac := hmac.New(sha256.New, sym)
	mac.Write(sealed)
	if !hmac.Equal(mac.Sum(nil), sig) {
		return nil, fmt.Errorf("%w: dataSignature does not match", ErrDecrypt)
	}
	block, err := aes.NewCipher(sym)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	plain := make([]byte, len(sealed))
	cipher.NewCBCDecrypter(block, sym[:aes.BlockSize]).CryptBlocks(plain, sealed)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > aes.BlockSize || pad > len(plain) {
		return nil, fmt.Errorf("%w: bad padding", ErrDecrypt)
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, fmt.Errorf("%w: bad padding", ErrDecrypt)
		}
	}
	return plain[:len(plain)-pad], nil
}

// DecryptInto decrypts a rich notification's resource data into v (a *teams.Message,
// *teams.Presence, a map, ...).
func (n *Notification) DecryptInto(key *rsa.PrivateKey, v any) error {
	data, err := n.Decrypt(key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	return nil
}
