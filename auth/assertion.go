package auth

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"time"
)

// ClientAssertionType is the client_assertion_type of a JWT client assertion.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionLifetime: how long a client assertion is valid (Entra accepts up to 10 minutes
// beyond nbf; we stay within it).
const assertionLifetime = 5 * time.Minute

// Certificate is an app credential made of an X.509 certificate (uploaded to the app
// registration) and its RSA private key. It signs client assertions (RS256 JWTs).
type Certificate struct {
	Chain []*x509.Certificate // leaf first
	Key   crypto.Signer       // *rsa.PrivateKey, or any signer with an RSA public key (HSM, KMS)
}

// ParseCertificate reads a PEM bundle holding a certificate and an unencrypted private key
// (PKCS #8 "PRIVATE KEY" or PKCS #1 "RSA PRIVATE KEY"), in any order; keyPEM may be passed
// separately or left empty when certPEM holds both.
func ParseCertificate(certPEM []byte, keyPEM ...[]byte) (*Certificate, error) {
	c := &Certificate{}
	all := append([][]byte{certPEM}, keyPEM...)
	for _, data := range all {
		for {
			var block *pem.Block
			block, data = pem.Decode(data)
			if block == nil {
				break
			}
			switch block.Type {
			case "CERTIFICATE":
				cert, err := x509.ParseCertificate(block.Bytes)
				if err != nil {
					return nil, fmt.Errorf("auth: certificate: %w", err)
				}
				c.Chain = append(c.Chain, cert)
			case "PRIVATE KEY":
				k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
				if err != nil {
					return nil, fmt.Errorf("auth: private key: %w", err)
				}
				s, ok := k.(crypto.Signer)
				if !ok {
					return nil, errors.New("auth: private key cannot sign")
				}
				c.Key = s
			case "RSA PRIVATE KEY":
				k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
				if err != nil {
					return nil, fmt.Errorf("auth: private key: %w", err)
				}
				c.Key = k
			case "ENCRYPTED PRIVATE KEY":
				return nil, errors.New("auth: encrypted private keys are not supported; decrypt it first (openssl pkcs8)")
			}
		}
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Certificate) validate() error {
	if c == nil || len(c.Chain) == 0 || c.Chain[0] == nil {
		return errors.New("auth: certificate credential has no certificate")
	}
	if c.Key == nil {
		return errors.New("auth: certificate credential has no private key")
	}
	pub, ok := c.Key.Public().(*rsa.PublicKey)
	if !ok {
		return errors.New("auth: certificate credential needs an RSA key (Entra ID signs client assertions with RS256)")
	}
	certPub, ok := c.Chain[0].PublicKey.(*rsa.PublicKey)
	if !ok || !certPub.Equal(pub) {
		return errors.New("auth: the private key does not match the certificate")
	}
	return nil
}

// Thumbprint returns the SHA-256 thumbprint of the leaf certificate (the x5t#S256 header),
// base64url encoded.
func (c *Certificate) Thumbprint() string {
	sum := sha256.Sum256(c.Chain[0].Raw)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// Assertion returns a signed client assertion: an RS256 JWT with x5t#S256 and x5t (SHA-1, still
// required by some Entra ID deployments) headers and iss = sub = clientID, aud = tokenURL, a
// random jti, nbf = iat = now and exp = now + 5 minutes.
func (c *Certificate) Assertion(clientID, tokenURL string, now time.Time) (string, error) {
	if err := c.validate(); err != nil {
		return "", err
	}
	sha1sum := sha1.Sum(c.Chain[0].Raw)
	header := map[string]string{
		"alg":      "RS256",
		"typ":      "JWT",
		"x5t#S256": c.Thumbprint(),
		"x5t":      base64.RawURLEncoding.EncodeToString(sha1sum[:]),
	}
	jti, err := randomID()
	if err != nil {
		return "", err
	}
	claims := map[string]any{
		"aud": tokenURL,
		"iss": clientID,
		"sub": clientID,
		"jti": jti,
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(assertionLifetime).Unix(),
	}
	hb, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	cb, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb)
	digest := sha256.Sum256([]byte(signing))
	sig, err := c.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("auth: signing the client assertion: %w", err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// randomID returns a random UUID (version 4) string.
func randomID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
