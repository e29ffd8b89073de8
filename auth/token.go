package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Token is what a flow obtains and a TokenStore keeps for one identity. Its String, GoString
// and LogValue methods redact the secrets, so printing or logging a Token is safe.
type Token struct {
	AccessToken   string    `json:"access_token,omitempty"`
	RefreshToken  string    `json:"refresh_token,omitempty"`
	IDToken       string    `json:"id_token,omitempty"`
	TokenType     string    `json:"token_type,omitempty"`
	Expiry        time.Time `json:"expiry,omitzero"`
	Scopes        []string  `json:"scopes,omitempty"`
	Username      string    `json:"username,omitempty"`        // preferred_username of the ID token; "" for app-only tokens
	HomeAccountID string    `json:"home_account_id,omitempty"` // "{oid}.{tid}", as MSAL names accounts
}

// Key names one identity in a TokenStore. Account is the username ("" for app-only tokens of
// the client credentials flow). Stores compare keys case-insensitively.
type Key struct {
	Tenant   string `json:"tenant"`
	ClientID string `json:"client_id"`
	Account  string `json:"account,omitempty"`
}

// String returns "tenant/client/account".
func (k Key) String() string { return k.Tenant + "/" + k.ClientID + "/" + k.Account }

func (k Key) matches(o Key) bool {
	return strings.EqualFold(k.Tenant, o.Tenant) && strings.EqualFold(k.ClientID, o.ClientID) &&
		strings.EqualFold(k.Account, o.Account)
}

// Clone returns a deep copy (nil for nil).
func (t *Token) Clone() *Token {
	if t == nil {
		return nil
	}
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	return &c
}

// Valid reports whether the access token is present and will not expire within skew of now.
// A zero Expiry means "unknown" and counts as valid.
func (t *Token) Valid(now time.Time, skew time.Duration) bool {
	if t == nil || t.AccessToken == "" {
		return false
	}
	return t.Expiry.IsZero() || now.Add(skew).Before(t.Expiry)
}

// String describes the token without its secrets.
func (t Token) String() string {
	var b strings.Builder
	b.WriteString("auth.Token{")
	fmt.Fprintf(&b, "AccessToken:%s RefreshToken:%s IDToken:%s", redact(t.AccessToken), redact(t.RefreshToken), redact(t.IDToken))
	if t.TokenType != "" {
		fmt.Fprintf(&b, " TokenType:%s", t.TokenType)
	}
	if !t.Expiry.IsZero() {
		fmt.Fprintf(&b, " Expiry:%s", t.Expiry.UTC().Format(time.RFC3339))
	}
	if len(t.Scopes) > 0 {
		fmt.Fprintf(&b, " Scopes:%v", t.Scopes)
	}
	if t.Username != "" {
		fmt.Fprintf(&b, " Username:%s", t.Username)
	}
	b.WriteString("}")
	return b.String()
}

// GoString makes %#v redact too.
func (t Token) GoString() string { return t.String() }

// LogValue makes slog print the token without its secrets.
func (t Token) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("access_token", redact(t.AccessToken)),
		slog.String("refresh_token", redact(t.RefreshToken)),
	}
	if !t.Expiry.IsZero() {
		attrs = append(attrs, slog.Time("expiry", t.Expiry))
	}
	if t.Username != "" {
		attrs = append(attrs, slog.String("username", t.Username))
	}
	return slog.GroupValue(attrs...)
}

func redact(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}

// OAuth2 converts the token for use with golang.org/x/oauth2.
func (t *Token) OAuth2() *oauth2.Token {
	if t == nil {
		return nil
	}
	o := &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, RefreshToken: t.RefreshToken, Expiry: t.Expiry}
	if t.IDToken != "" {
		o = o.WithExtra(map[string]any{"id_token": t.IDToken})
	}
	return o
}

// FromOAuth2Token converts an x/oauth2 token, picking up "id_token" and "scope" extras; the
// username is read from the ID token.
func FromOAuth2Token(o *oauth2.Token) *Token {
	if o == nil {
		return nil
	}
	t := &Token{AccessToken: o.AccessToken, TokenType: o.TokenType, RefreshToken: o.RefreshToken, Expiry: o.Expiry}
	if s, ok := o.Extra("id_token").(string); ok {
		t.IDToken = s
	}
	if s, ok := o.Extra("scope").(string); ok {
		t.Scopes = strings.Fields(s)
	}
	t.fillIdentity()
	return t
}

// idClaims are the ID token claims we use. The ID token comes straight from the token endpoint
// over TLS, so (per OpenID Connect Core 3.1.3.7) its signature need not be checked to read them.
type idClaims struct {
	PreferredUsername string `json:"preferred_username"`
	UPN               string `json:"upn"`
	Email             string `json:"email"`
	OID               string `json:"oid"`
	TID               string `json:"tid"`
	Sub               string `json:"sub"`
}

func parseIDToken(s string) (idClaims, bool) {
	var c idClaims
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return c, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return c, false
	}
	if json.Unmarshal(raw, &c) != nil {
		return c, false
	}
	return c, true
}

// fillIdentity sets Username and HomeAccountID from the ID token when they are empty.
func (t *Token) fillIdentity() {
	if t.IDToken == "" {
		return
	}
	c, ok := parseIDToken(t.IDToken)
	if !ok {
		return
	}
	if t.Username == "" {
		for _, v := range []string{c.PreferredUsername, c.UPN, c.Email, c.OID, c.Sub} {
			if v != "" {
				t.Username = v
				break
			}
		}
	}
	if t.HomeAccountID == "" && c.OID != "" && c.TID != "" {
		t.HomeAccountID = c.OID + "." + c.TID
	}
}

// AccessTokenSource is the token-supplier interface of package graph (graph.TokenSource),
// restated so auth does not import graph. *Session implements it.
type AccessTokenSource interface {
	AccessToken(ctx context.Context, force bool) (string, error)
}

// OAuth2TokenSource adapts a Session to golang.org/x/oauth2 (for example to build an
// oauth2.Transport). The context is used for every refresh.
func OAuth2TokenSource(ctx context.Context, s *Session) oauth2.TokenSource {
	return oauth2Source{ctx: ctx, s: s}
}

type oauth2Source struct {
	ctx context.Context
	s   *Session
}

// Token implements oauth2.TokenSource.
func (o oauth2Source) Token() (*oauth2.Token, error) {
	t, err := o.s.Token(o.ctx)
	if err != nil {
		return nil, err
	}
	ot := t.OAuth2()
	ot.RefreshToken = "" // the Session refreshes; x/oauth2 must not
	return ot, nil
}

// FromOAuth2 adapts an x/oauth2 TokenSource to AccessTokenSource (and so to graph.TokenSource).
// force cannot make an x/oauth2 source refresh; it is passed on as a plain Token call.
func FromOAuth2(ts oauth2.TokenSource) AccessTokenSource { return oauth2Adapter{ts} }

type oauth2Adapter struct{ ts oauth2.TokenSource }

// AccessToken implements AccessTokenSource.
func (a oauth2Adapter) AccessToken(ctx context.Context, _ bool) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	t, err := a.ts.Token()
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}
