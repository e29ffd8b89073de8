package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseError(t *testing.T) {
	body := `{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-01-01 00:00:00Z","error_codes":[70008],"timestamp":"2026-01-01 00:00:00Z","trace_id":"t1","correlation_id":"c1","error_uri":"https://login.microsoftonline.com/error?code=70008","suberror":"bad_token"}`
	e := parseError(400, []byte(body), "refresh_token")
	if e.Code != "invalid_grant" || e.AADSTS() != 70008 || e.SubError != "bad_token" || e.TraceID != "t1" || e.CorrelationID != "c1" || e.StatusCode != 400 {
		t.Errorf("decoded %+v", e)
	}
	want := "auth: refresh_token: invalid_grant: AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. (suberror bad_token)"
	if e.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", e.Error(), want)
	}
	html := parseError(502, []byte("<html><body>Bad gateway\n\x00from proxy</body></html>"), "refresh_token")
	if html.Code != "" || !strings.Contains(html.Error(), "HTTP 502") || !strings.Contains(html.Error(), "Bad gateway") {
		t.Errorf("non-JSON: %v", html)
	}
	var nilErr *Error
	_ = nilErr.Error()
	if nilErr.Is(ErrInvalidGrant) || nilErr.AADSTS() != 0 {
		t.Error("nil *Error")
	}
}

func TestErrorSentinels(t *testing.T) {
	tests := []struct {
		e    *Error
		is   []error
		isnt []error
	}{
		{&Error{Code: "invalid_grant", Codes: []int{70008}, Op: "refresh_token"}, []error{ErrInvalidGrant, ErrLoginRequired}, []error{ErrConsentRequired, ErrInteractionRequired}},
		{&Error{Code: "invalid_grant", Codes: []int{700082}, Op: "authorization_code"}, []error{ErrInvalidGrant, ErrLoginRequired}, nil},
		{&Error{Code: "invalid_grant", Codes: []int{50076}}, []error{ErrInteractionRequired, ErrLoginRequired, ErrInvalidGrant}, []error{ErrConsentRequired}},
		{&Error{Code: "interaction_required", Codes: []int{50079}}, []error{ErrInteractionRequired, ErrLoginRequired}, []error{ErrInvalidGrant}},
		{&Error{Code: "invalid_grant", Codes: []int{65001}}, []error{ErrConsentRequired, ErrLoginRequired}, nil},
		{&Error{Code: "consent_required", Description: "AADSTS65001: x"}, []error{ErrConsentRequired, ErrLoginRequired}, nil},
		{&Error{Code: "invalid_client", Codes: []int{7000215}}, []error{ErrInvalidClient}, []error{ErrLoginRequired}},
		{&Error{Code: "authorization_declined"}, []error{ErrAuthorizationDeclined}, nil},
		{&Error{Code: "expired_token"}, []error{ErrDeviceCodeExpired}, nil},
		{&Error{Code: "invalid_scope"}, []error{ErrInvalidScope}, nil},
		{&Error{Code: "invalid_grant", Codes: []int{50126}, Op: "password"}, []error{ErrInvalidGrant}, []error{ErrLoginRequired}},
	}
	for _, tt := range tests {
		wrapped := fmt.Errorf("wrapped: %w", tt.e)
		for _, s := range tt.is {
			if !errors.Is(wrapped, s) {
				t.Errorf("%v is not %v", tt.e, s)
			}
		}
		for _, s := range tt.isnt {
			if errors.Is(wrapped, s) {
				t.Errorf("%v is %v", tt.e, s)
			}
		}
	}
}

func FuzzParseError(f *testing.F) {
	f.Add([]byte(`{"error":"invalid_grant","error_codes":[70008],"error_description":"AADSTS70008: x"}`))
	f.Add([]byte(`<html>`))
	f.Add([]byte(`{"error":"x","error_description":"AADSTS"}`))
	f.Add([]byte(`{"error":"x","error_description":"AADSTS99999999999999999999999"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := parseError(400, b, "op")
		s := e.Error()
		if !strings.HasPrefix(s, "auth: op: ") {
			t.Fatalf("Error() = %q", s)
		}
		_ = e.AADSTS()
		for _, target := range []error{ErrInvalidGrant, ErrLoginRequired, ErrConsentRequired} {
			_ = errors.Is(e, target)
		}
	})
}

func FuzzRedirectParams(f *testing.F) {
	f.Add("http://localhost/?code=a&state=b")
	f.Add("code=a&state=b")
	f.Add("https://x/#code=a&state=b")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, s string) {
		q, err := redirectParams(s)
		if err == nil && q.Get("code") == "" && q.Get("error") == "" {
			t.Fatalf("accepted %q without code or error", s)
		}
	})
}

func FuzzDecodeDocument(f *testing.F) {
	f.Add([]byte(`{"version":1,"entries":[{"tenant":"t","client_id":"c","account":"a","token":{"access_token":"x"}}]}`))
	f.Add([]byte(``))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"entries":[{"token":null}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeDocument(b)
		if err != nil {
			if strings.Contains(err.Error(), string(b)) && len(b) > 8 {
				t.Fatalf("error echoes the content: %v", err)
			}
			return
		}
		k := Key{Tenant: "t", ClientID: "c", Account: "a"}
		_, _ = d.get(k)
		d.put(k, &Token{AccessToken: "y"})
		if got, ok := d.get(k); !ok || got.AccessToken != "y" {
			t.Fatal("put/get")
		}
		if _, err := d.encode(); err != nil {
			t.Fatal(err)
		}
		_ = d.accounts("t", "c")
		d.delete(k)
	})
}
