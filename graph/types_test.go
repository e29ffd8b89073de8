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
	roundTrip(t, HTML("<p>hi</p>"))
	roundTrip(t, Text(""))
	roundTrip(t, Recipients{NewRecipient("a@example.com", ""), NewRecipient("b@example.com", "B")})
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
		{"Ada Lovelace <ada@example.com>", NewRecipient("ada@example.com", "Ada Lovelace"), `Ada Lovelace <ada@example.com>`},
		{`"Ada  Lovelace" <ada@example.com>`, NewRecipient("ada@example.com", "Ada  Lovelace"), `"Ada  Lovelace" <ada@example.com>`},
		{`"A \"B\" C" <ada@example.com>`, NewRecipient("ada@example.com", `A "B" C`), `"A \"B\" C" <ada@example.com>`},
		{"Zoë Ñ <zoe@example.com>", NewRecipient("zoe@example.com", "Zoë Ñ"), `Zoë Ñ <zoe@example.com>`},
		{"O'Brien <ob@example.com>", NewRecipient("ob@example.com", "O'Brien"), `O'Brien <ob@example.com>`},
		{"A. B <ab@example.com>", NewRecipient("ab@example.com", "A. B"), `"A. B" <ab@example.com>`},
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
	if diff := cmp.Diff(Recipients{NewRecipient("ada@example.com", "Ada"), NewRecipient("bob@example.com", "")}, list); diff != "" {
		t.Errorf("ParseRecipients (-want +got):\n%s", diff)
	}
	if list, err := ParseRecipients("  "); err != nil || list != nil {
		t.Errorf("ParseRecipients(blank) = %v, %v", list, err)
	}
}

func TestBodyHelpers(t *testing.T) {
	tests := []struct {
		got, want ItemBody
	}{
		{HTML("<p>hi</p>"), ItemBody{ContentType: BodyHTML, Content: "<p>hi</p>"}},
		{Text("hi"), ItemBody{ContentType: BodyText, Content: "hi"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	b, err := json.Marshal(HTML("<b>x</b>"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"contentType":"html","content":"\u003cb\u003ex\u003c/b\u003e"}`; string(b) != want {
		t.Errorf("HTML JSON = %s, want %s", b, want)
	}
}

func TestRecipients(t *testing.T) {
	var rs Recipients
	if err := rs.Add("Ada Lovelace <ada@example.com>", "  ", "bob@example.com, \"Lovelace, Ada\" <ada2@example.com>"); err != nil {
		t.Fatal(err)
	}
	rs.AddRecipient(NewRecipient("dan@example.com", "Dan"), NewRecipient("bob@example.com", ""))
	want := Recipients{
		NewRecipient("ada@example.com", "Ada Lovelace"),
		NewRecipient("bob@example.com", ""),
		NewRecipient("ada2@example.com", "Lovelace, Ada"),
		NewRecipient("dan@example.com", "Dan"),
		NewRecipient("bob@example.com", ""),
	}
	if diff := cmp.Diff(want, rs); diff != "" {
		t.Fatalf("after Add (-want +got):\n%s", diff)
	}
	if got, want := rs.String(), `Ada Lovelace <ada@example.com>, bob@example.com, "Lovelace, Ada" <ada2@example.com>, Dan <dan@example.com>, bob@example.com`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	back, err := ParseRecipients(rs.String())
	if err != nil || !cmp.Equal(back, rs) {
		t.Errorf("ParseRecipients(String()) = %v, %v; want %v", back, err, rs)
	}

	// A bad argument adds nothing.
	if err := rs.Add("eve@example.com", "not an address"); err == nil {
		t.Error("Add with a bad address: no error")
	}
	if rs.Contains("eve@example.com") || len(rs) != 5 {
		t.Errorf("a failed Add changed the list: %v", rs)
	}

	tests := []struct {
		addr string
		want bool
	}{
		{"ada@example.com", true},
		{"ADA@Example.com", true},
		{" dan@example.com ", true},
		{"carol@example.com", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := rs.Contains(tt.addr); got != tt.want {
			t.Errorf("Contains(%q) = %v, want %v", tt.addr, got, tt.want)
		}
	}

	rs.Remove("BOB@example.com", "nobody@example.com", "Ada@Example.COM")
	if diff := cmp.Diff([]string{"ada2@example.com", "dan@example.com"}, rs.Addresses()); diff != "" {
		t.Errorf("after Remove (-want +got):\n%s", diff)
	}
	if got := (Recipients{}).Addresses(); len(got) != 0 {
		t.Errorf("empty Addresses() = %v", got)
	}
	if got := (Recipients(nil)).String(); got != "" {
		t.Errorf("nil String() = %q", got)
	}

	// JSON: a plain array, and the type converts to and from []Recipient.
	b, err := json.Marshal(rs)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{"emailAddress":{"name":"Lovelace, Ada","address":"ada2@example.com"}},{"emailAddress":{"name":"Dan","address":"dan@example.com"}}]`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var plain []Recipient
	if err := json.Unmarshal(b, &plain); err != nil || !cmp.Equal(Recipients(plain), rs) {
		t.Errorf("decode as []Recipient = %v, %v", plain, err)
	}
	plain = rs // assignable both ways: no conversion needed in models
	rs = plain
	_ = rs
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
