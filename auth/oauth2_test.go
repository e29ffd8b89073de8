package auth

import (
	"context"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestOAuth2Adapters(t *testing.T) {
	ctx := context.Background()
	f := newFakeIdP(t)
	c := newClock()
	a, _ := newTestApp(t, f, c, nil)
	s := signIn(t, a)
	ot, err := OAuth2TokenSource(ctx, s).Token()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := s.Token(ctx)
	if ot.AccessToken != want.AccessToken || ot.RefreshToken != "" || !ot.Expiry.Equal(want.Expiry) {
		t.Errorf("oauth2 token %+v", ot)
	}
	if ot.Extra("id_token") != want.IDToken {
		t.Error("id_token extra missing")
	}
	back := FromOAuth2Token(ot)
	if back.Username != testUser || back.AccessToken != want.AccessToken {
		t.Errorf("round trip %v", back)
	}
	static := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "static", Expiry: time.Now().Add(time.Hour)})
	at, err := FromOAuth2(static).AccessToken(ctx, true)
	if err != nil || at != "static" {
		t.Errorf("FromOAuth2: %q %v", at, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := FromOAuth2(static).AccessToken(cctx, false); err == nil {
		t.Error("canceled context ignored")
	}
}
