package identity

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2/clientcredentials"
)

func TestVerify(t *testing.T) {
	e := newEnv(t)
	cc := clientcredentials.Config{ClientID: confID, ClientSecret: confSecret, TokenURL: e.endpoint(testTenant, "token"), Scopes: []string{graphDefaultScope}}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	good := tok.AccessToken
	if _, err := e.p.Verify("Bearer " + good); err != nil {
		t.Fatalf("with Bearer prefix: %v", err)
	}
	now := e.clock.Now()
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"aud": GraphAudience, "iss": e.srv.URL + "/" + testTenant + "/v2.0", "tid": testTenant,
			"appid": confID, "roles": []string{"Mail.Read"}, "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	}
	signed := func(m jwt.MapClaims, mutate ...func(jwt.MapClaims)) string {
		for _, f := range mutate {
			f(m)
		}
		s, err := e.p.sign(m)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"Mail.Read"`, `"Mail.ReadWrite"`, 1))) + "." + parts[2]
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, base()).SignedString(jwt.UnsafeAllowNoneSignatureType)
	// Algorithm confusion: HS256 keyed with the public key's bytes.
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, base()).SignedString(testKey().PublicKey.N.Bytes())
	foreign := jwt.NewWithClaims(jwt.SigningMethodRS256, base())
	foreign.Header["kid"] = e.p.kid
	foreignSigned, _ := foreign.SignedString(otherKey())

	cases := []struct {
		name    string
		token   string
		expired bool
		msg     string
	}{
		{"empty", "", false, msgEmpty},
		{"bearer only", "Bearer ", false, msgEmpty},
		{"no dots", "abcdef", false, msgNoDots},
		{"too many parts", "a.b.c.d", false, msgMalformed},
		{"garbage", "a.b.c", false, msgMalformed},
		{"tampered", tampered, false, msgValidation},
		{"alg none", none, false, msgValidation},
		{"hs256", hs, false, msgValidation},
		{"other key", foreignSigned, false, msgValidation},
		{"wrong audience", signed(base(), func(m jwt.MapClaims) { m["aud"] = "https://outlook.office.com" }), false, msgAudience},
		{"wrong tenant", signed(base(), func(m jwt.MapClaims) { m["tid"] = "99999999-2222-4333-8444-555555555555" }), false, msgIssuer},
		{"wrong issuer", signed(base(), func(m jwt.MapClaims) { m["iss"] = "https://sts.example/" }), false, msgIssuer},
		{"no exp", signed(base(), func(m jwt.MapClaims) { delete(m, "exp") }), false, msgValidation},
		{"not yet valid", signed(base(), func(m jwt.MapClaims) { m["nbf"] = now.Add(time.Minute).Unix() }), false, msgNotYet},
		{"no client", signed(base(), func(m jwt.MapClaims) { delete(m, "appid") }), false, msgValidation},
		{"expired", signed(base(), func(m jwt.MapClaims) { m["exp"] = now.Unix() }), true, msgExpired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.p.Verify(c.token)
			if got != nil || err == nil {
				t.Fatalf("accepted: %+v", got)
			}
			var te *TokenError
			if !errors.As(err, &te) || te.Message != c.msg || te.Expired != c.expired {
				t.Fatalf("err = %v, want %q (expired %v)", err, c.msg, c.expired)
			}
			if errors.Is(err, ErrTokenExpired) != c.expired || errors.Is(err, ErrTokenInvalid) == c.expired {
				t.Fatalf("errors.Is wrong for %v", err)
			}
		})
	}
	// The Graph application id is an accepted audience.
	if _, err := e.p.Verify(signed(base(), func(m jwt.MapClaims) { m["aud"] = GraphAppID })); err != nil {
		t.Errorf("aud %s: %v", GraphAppID, err)
	}
}
