package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuthChecks(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Seed = "demo"; o.Now = clk.Now })
	adele := s.DefaultUser()
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	full := tokenFor(t, s, adele.UPN, "User.Read User.ReadBasic.All Mail.Read")
	userRead := tokenFor(t, s, adele.UPN, "User.Read")
	mailOnly := tokenFor(t, s, adele.UPN, "Mail.ReadBasic")
	shared := tokenFor(t, s, adele.UPN, "Mail.Read Mail.Read.Shared")
	app := appToken(t, s)
	if err := s.GrantMailboxAccess(megan.UPN, adele.UPN); err != nil {
		t.Fatal(err)
	}
	s.SetAccessTokenLifetime(time.Minute)
	short := tokenFor(t, s, adele.UPN, "User.Read")
	clk.Advance(2 * time.Minute)

	tests := []struct {
		name, path, token string
		status            int
		code, message     string
	}{
		{"no token", "/v1.0/me", "", 401, "InvalidAuthenticationToken", "Access token is empty."},
		{"garbage token", "/v1.0/me", "abc.def.ghi", 401, "InvalidAuthenticationToken", ""},
		{"expired token", "/v1.0/me", short, 401, "InvalidAuthenticationToken", ""},
		{"me", "/v1.0/me", userRead, 200, "", ""},
		{"me beta", "/beta/me", userRead, 200, "", ""},
		{"me by key syntax of users", "/v1.0/users('" + adele.UPN + "')", userRead, 200, "", ""},
		{"me without user scope", "/v1.0/me", mailOnly, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."},
		{"me app-only", "/v1.0/me", app, 400, "BadRequest", "/me request is only valid with delegated authentication flow."},
		{"users with User.Read", "/v1.0/users", userRead, 403, "Authorization_RequestDenied", ""},
		{"users", "/v1.0/users", full, 200, "", ""},
		{"users app-only", "/v1.0/users", app, 200, "", ""},
		{"other user with User.Read", "/v1.0/users/" + megan.UPN, userRead, 403, "Authorization_RequestDenied", ""},
		{"other user", "/v1.0/users/" + megan.ID, full, 200, "", ""},
		{"unknown user", "/v1.0/users/nobody@contoso.onmicrosoft.com", full, 404, "Request_ResourceNotFound", ""},
		{"messages without mail scope", "/v1.0/me/messages", userRead, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."},
		{"messages", "/v1.0/me/messages", mailOnly, 200, "", ""},
		{"messages app-only via me", "/v1.0/me/messages", app, 400, "BadRequest", "/me request is only valid with delegated authentication flow."},
		{"messages app-only", "/v1.0/users/" + adele.UPN + "/messages", app, 200, "", ""},
		{"messages at the root", "/v1.0/messages", app, 400, "BadRequest", "Resource not found for the segment 'messages'."},
		{"unknown segment", "/v1.0/me/foo", full, 400, "BadRequest", "Resource not found for the segment 'foo'."},
		{"other mailbox, not delegated", "/v1.0/users/" + megan.UPN + "/messages", full, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."},
		{"other mailbox, scope but no grant", "/v1.0/users/PattiF@contoso.onmicrosoft.com/messages", shared, 403, "ErrorAccessDenied", ""},
		{"other mailbox, delegated", "/v1.0/users/" + megan.UPN + "/messages", shared, 200, "", ""},
		{"unknown mailbox app-only", "/v1.0/users/nobody@contoso.onmicrosoft.com/messages", app, 404, "ErrorInvalidUser", ""},
		{"messages count", "/v1.0/me/messages/$count", full, 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, "GET", tc.path, tc.token, "")
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.code != "" && r.errCode() != tc.code {
				t.Errorf("code %q, want %q", r.errCode(), tc.code)
			}
			if tc.message != "" && r.errMessage() != tc.message {
				t.Errorf("message %q, want %q", r.errMessage(), tc.message)
			}
			if r.status == 401 && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer ") {
				t.Errorf("401 without WWW-Authenticate: %v", r.header)
			}
		})
	}
}

func TestExpiredTokenMessage(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Now = clk.Now })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	if r := do(t, s, "GET", "/v1.0/me", tok, ""); r.status != 200 {
		t.Fatalf("fresh token: %d %s", r.status, r.body)
	}
	clk.Advance(61 * time.Minute)
	r := do(t, s, "GET", "/v1.0/me", tok, "")
	if r.status != 401 || r.errCode() != "InvalidAuthenticationToken" {
		t.Fatalf("expired token: %d %s", r.status, r.body)
	}
	if !strings.Contains(strings.ToLower(r.errMessage()), "expired") {
		t.Errorf("message %q does not say the token expired", r.errMessage())
	}
}

func TestMethodNotAllowed(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	r := do(t, s, "DELETE", "/v1.0/me", tok, "")
	if r.status != http.StatusMethodNotAllowed {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
}

func TestResponseShape(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Now = clk.Now })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")

	r := do(t, s, "GET", "/v1.0/me", tok, "", "client-request-id", "11111111-2222-3333-4444-555555555555")
	if got := r.header.Get("client-request-id"); got != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("client-request-id %q not echoed", got)
	}
	if len(r.header.Get("request-id")) != 36 {
		t.Errorf("request-id %q", r.header.Get("request-id"))
	}
	if got, want := r.header.Get("Content-Type"), jsonContentType; got != want {
		t.Errorf("Content-Type %q, want %q", got, want)
	}
	if r.header.Get("OData-Version") != "4.0" {
		t.Errorf("OData-Version %q", r.header.Get("OData-Version"))
	}
	if got, want := r.header.Get("Date"), clk.Now().Format(http.TimeFormat); got != want {
		t.Errorf("Date %q, want %q", got, want)
	}
	if got, want := r.json["@odata.context"], s.URL()+"/v1.0/$metadata#users/$entity"; got != want {
		t.Errorf("@odata.context %q, want %q", got, want)
	}
	var keys []string
	for k := range r.json {
		keys = append(keys, k)
	}
	for _, k := range []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"} {
		if _, ok := r.json[k]; !ok {
			t.Errorf("default property %s missing", k)
		}
	}
	if len(keys) != 12 {
		t.Errorf("got %d properties, want the 11 default ones and the context: %v", len(keys), keys)
	}

	// A generated client-request-id when none is sent; error body shape.
	e := do(t, s, "GET", "/v1.0/nothing", tok, "")
	if e.header.Get("client-request-id") == "" {
		t.Error("no client-request-id generated")
	}
	shape := map[string]any{}
	for k, v := range e.json {
		shape[k] = v
	}
	inner := e.json["error"].(map[string]any)["innerError"].(map[string]any)
	want := map[string]any{
		"error": map[string]any{
			"code":    "BadRequest",
			"message": "Resource not found for the segment 'nothing'.",
			"innerError": map[string]any{
				"date":              clk.Now().Format("2006-01-02T15:04:05"),
				"request-id":        e.header.Get("request-id"),
				"client-request-id": e.header.Get("client-request-id"),
			},
		},
	}
	if diff := cmp.Diff(want, shape); diff != "" {
		t.Errorf("error body (-want +got):\n%s", diff)
	}
	_ = inner
}

func TestDemoSharedMailbox(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	tok := tokenFor(t, s, s.DefaultUser().UPN, "Mail.Read Mail.Read.Shared")
	r := do(t, s, "GET", "/v1.0/users/SalesTeam@contoso.onmicrosoft.com/mailFolders/inbox/messages?$top=50", tok, "")
	if r.status != 200 || len(r.values()) != 30 {
		t.Errorf("shared mailbox: %d, %d messages", r.status, len(r.values()))
	}
	megan := tokenFor(t, s, "MeganB@contoso.onmicrosoft.com", "Mail.Read Mail.Read.Shared")
	if r := do(t, s, "GET", "/v1.0/users/SalesTeam@contoso.onmicrosoft.com/messages", megan, ""); r.status != 403 {
		t.Errorf("not delegated: %d", r.status)
	}
}
