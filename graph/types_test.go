package graph

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// roundTrip encodes v with encoding/json, decodes into a fresh T and compares.
func roundTrip[T any](t *testing.T, v T) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	var back T
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("unmarshal %T from %s: %v", v, b, err)
	}
	if diff := cmp.Diff(v, back); diff != "" {
		t.Errorf("%T round trip through %s (-want +got):\n%s", v, b, diff)
	}
	return b
}

func TestModelsRoundTrip(t *testing.T) {
	roundTrip(t, EmailAddress{Name: "Ada Lovelace", Address: "ada@example.com"})
	roundTrip(t, EmailAddress{})
	roundTrip(t, NewRecipient("ada@example.com", "Ada"))
	roundTrip(t, []Recipient{NewRecipient("a@example.com", ""), NewRecipient("b@example.com", "B")})
	roundTrip(t, HTMLBody("<p>hi</p>"))
	roundTrip(t, TextBody(""))
	roundTrip(t, IdentitySet{User: &Identity{ID: "u1", DisplayName: "Ada", Email: "ada@example.com"}, Application: &Identity{ID: "app", DisplayName: "Contoso"}})
	roundTrip(t, IdentitySet{Device: &Identity{ID: "d1"}})
	roundTrip(t, IdentitySet{})
	roundTrip(t, Identity{ODataType: "#microsoft.graph.teamworkUserIdentity", ID: "u", UserIdentityType: "aadUser", TenantID: "t"})
	roundTrip(t, DateTimeTimeZone{DateTime: "2019-03-15T12:00:00.0000000", TimeZone: "Pacific Standard Time"})
	roundTrip(t, UploadSession{URL: "https://up.example/s?token=x", NextExpectedRanges: []string{"0-"}})
}

func TestModelsDecodeGraphJSON(t *testing.T) {
	type message struct {
		From         Recipient        `json:"from"`
		ToRecipients []Recipient      `json:"toRecipients"`
		Body         ItemBody         `json:"body"`
		Start        DateTimeTimeZone `json:"start"`
		CreatedBy    IdentitySet      `json:"createdBy"`
	}
	const doc = `{
		"from": {"emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.com"}},
		"toRecipients": [{"emailAddress": {"name": "Alex", "address": "alexw@contoso.com"}}],
		"body": {"contentType": "html", "content": "<html>hi</html>"},
		"start": {"dateTime": "2017-04-15T12:00:00.0000000", "timeZone": "Pacific Standard Time"},
		"createdBy": {"user": {"id": "efee1b77", "displayName": "Ryan Gregg", "email": "ryan@contoso.com"}, "application": null}
	}`
	var got message
	if err := json.Unmarshal([]byte(doc), &got); err != nil {
		t.Fatal(err)
	}
	want := message{
		From:         NewRecipient("MeganB@contoso.com", "Megan Bowen"),
		ToRecipients: []Recipient{NewRecipient("alexw@contoso.com", "Alex")},
		Body:         ItemBody{ContentType: BodyHTML, Content: "<html>hi</html>"},
		Start:        DateTimeTimeZone{"2017-04-15T12:00:00.0000000", "Pacific Standard Time"},
		CreatedBy:    IdentitySet{User: &Identity{ID: "efee1b77", DisplayName: "Ryan Gregg", Email: "ryan@contoso.com"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got.CreatedBy.String() != "Ryan Gregg" {
		t.Errorf("IdentitySet.String() = %q", got.CreatedBy.String())
	}
}

func TestRecipientHelpers(t *testing.T) {
	tests := []struct {
		in   string
		want Recipient
		str  string
	}{
		{"ada@example.com", NewRecipient("ada@example.com", ""), "ada@example.com"},
		{"Ada Lovelace <ada@example.com>", NewRecipient("ada@example.com", "Ada Lovelace"), `"Ada Lovelace" <ada@example.com>`},
		{`"Lovelace, Ada" <ada@example.com>`, NewRecipient("ada@example.com", "Lovelace, Ada"), `"Lovelace, Ada" <ada@example.com>`},
		{"  ada@example.com ", NewRecipient("ada@example.com", ""), "ada@example.com"},
	}
	for _, tt := range tests {
		got, err := ParseRecipient(tt.in)
		if err != nil {
			t.Errorf("ParseRecipient(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseRecipient(%q) (-want +got):\n%s", tt.in, diff)
		}
		if got.String() != tt.str {
			t.Errorf("String() = %q, want %q", got.String(), tt.str)
		}
		if got.Address() != tt.want.EmailAddress.Address {
			t.Errorf("Address() = %q", got.Address())
		}
	}
	for _, bad := range []string{"", "not an address", "a@b.c, d@e.f"} {
		if r, err := ParseRecipient(bad); err == nil {
			t.Errorf("ParseRecipient(%q) = %v, want an error", bad, r)
		}
	}
	list, err := ParseRecipients(`Ada <ada@example.com>, bob@example.com`)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Recipient{NewRecipient("ada@example.com", "Ada"), NewRecipient("bob@example.com", "")}, list); diff != "" {
		t.Errorf("ParseRecipients (-want +got):\n%s", diff)
	}
	if list, err := ParseRecipients("  "); err != nil || list != nil {
		t.Errorf("ParseRecipients(blank) = %v, %v", list, err)
	}
	if diff := cmp.Diff([]Recipient{NewRecipient("a@x.com", ""), NewRecipient("b@x.com", "")}, Recipients("a@x.com", "b@x.com")); diff != "" {
		t.Errorf("Recipients (-want +got):\n%s", diff)
	}
}

func FuzzParseRecipient(f *testing.F) {
	for _, s := range []string{"ada@example.com", "Ada <ada@example.com>", `"a, b" <c@d.e>`, "<>", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRecipient(s)
		if err != nil {
			return
		}
		// What parses must print as something that parses back to the same recipient.
		back, err := ParseRecipient(r.String())
		if err != nil {
			t.Fatalf("ParseRecipient(%q) = %+v, whose String %q does not parse: %v", s, r, r.String(), err)
		}
		if diff := cmp.Diff(r, back); diff != "" {
			t.Fatalf("re-parse of %q (-first +second):\n%s", r.String(), diff)
		}
	})
}
