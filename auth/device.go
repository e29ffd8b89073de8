package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"golang.org/x/oauth2"
)

// DeviceCode is what the user needs to finish a device code sign-in on another device.
type DeviceCode struct {
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string // rarely sent by the identity platform
	Message                 string // ready to show, e.g. "To sign in, open https://microsoft.com/devicelogin and enter the code ABCD-EFGH."
	Expiry                  time.Time
	Interval                time.Duration
}

// PrintDeviceCode returns a prompt that writes the device code message to w (os.Stderr is the
// usual choice).
func PrintDeviceCode(w io.Writer) func(context.Context, DeviceCode) error {
	return func(_ context.Context, dc DeviceCode) error {
		_, err := fmt.Fprintln(w, dc.Message)
		return err
	}
}

// DeviceLogin signs a user in with the device authorization grant (RFC 8628): it asks for a
// code, calls prompt so the user can be told where to enter it, then polls the token endpoint
// every interval (5 s unless told otherwise; +5 s after slow_down) until the user signs in,
// declines (ErrAuthorizationDeclined), the code expires (ErrDeviceCodeExpired) or ctx ends.
// The app must allow public client flows in Entra ID; a client secret or certificate is never
// sent (the identity platform refuses them in this flow).
func (a *App) DeviceLogin(ctx context.Context, prompt func(context.Context, DeviceCode) error, scopes ...string) (*Token, error) {
	if prompt == nil {
		return nil, errors.New("auth: DeviceLogin needs a prompt to show the code")
	}
	sc := DelegatedScopes(a.cfg.ScopePrefix, scopes...)
	cfg := a.oauth2Config(withOpenID(sc), "")
	octx := context.WithValue(ctx, oauth2.HTTPClient, a.cfg.HTTPClient)
	start := a.cfg.Now()
	da, err := cfg.DeviceAuth(octx)
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil {
			return nil, parseError(re.Response.StatusCode, re.Body, "devicecode")
		}
		return nil, fmt.Errorf("auth: devicecode: %w", redactURLError(err))
	}
	interval := time.Duration(da.Interval) * time.Second
	if interval <= 0 {
		interval = 5 * time.Second
	}
	// x/oauth2 computed Expiry with the wall clock; re-base it on ours.
	expiry := time.Time{}
	if !da.Expiry.IsZero() {
		expiry = start.Add(time.Until(da.Expiry).Round(time.Second))
	}
	dc := DeviceCode{
		UserCode:                da.UserCode,
		VerificationURI:         da.VerificationURI,
		VerificationURIComplete: da.VerificationURIComplete,
		Expiry:                  expiry,
		Interval:                interval,
		Message:                 fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", da.VerificationURI, da.UserCode),
	}
	if err := prompt(ctx, dc); err != nil {
		return nil, err
	}
	form := url.Values{
		"grant_type":  {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {da.DeviceCode},
	}
	for {
		if !expiry.IsZero() && !a.cfg.Now().Before(expiry) {
			return nil, &Error{Code: "expired_token", Op: "device_code", Description: "the device code expired before the user signed in"}
		}
		if err := a.cfg.Sleep(ctx, interval); err != nil {
			return nil, err
		}
		tok, err := a.exchange(ctx, cloneValues(form), sc, true)
		if err == nil {
			return tok, nil
		}
		var ae *Error
		if !errors.As(err, &ae) {
			return nil, err
		}
		switch ae.Code {
		case "authorization_pending":
		case "slow_down":
			interval += 5 * time.Second
		case "bad_verification_code":
			return nil, fmt.Errorf("auth: the device code was not recognised: %w", ae)
		default: // authorization_declined, access_denied, expired_token, invalid_grant, ...
			return nil, ae
		}
	}
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, s := range v {
		c[k] = append([]string(nil), s...)
	}
	return c
}
