package contacts_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/contacts"
	"github.com/o365go/o365/internal/graphspec"
)

// normalise drops what a Contact does not keep by design: nulls and empty
// values (omitted), @odata annotations, and writes a bare-day birthday as
// the instant Graph means.
func normalise(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch x := v.(type) {
		case nil:
			continue
		case string:
			if x == "" {
				continue
			}
			if k == "birthday" && len(x) == 10 {
				v = x + "T00:00:00Z"
			}
		case []any:
			if len(x) == 0 {
				continue
			}
		case map[string]any:
			if len(x) == 0 {
				continue
			}
		}
		if len(k) > 0 && k[0] == '@' {
			continue
		}
		out[k] = v
	}
	return out
}

// The documented contact and contact folder responses decode into the
// models and encode back without loss.
func TestModelsRoundTripDocs(t *testing.T) {
	n := 0
	for _, ex := range graphspec.Examples("contacts") {
		doc, _ := ex.ResponseBody.(map[string]any)
		if doc == nil || ex.ResponseStatus != 200 {
			continue
		}
		items := []any{doc}
		if vs, ok := doc["value"].([]any); ok {
			items = vs
		}
		for _, it := range items {
			m, _ := it.(map[string]any)
			if _, isPerson := m["scoredEmailAddresses"]; isPerson || m == nil {
				continue // people (/me/people) are not contacts
			}
			if b, _ := m["birthday"].(string); b == "datetime-value" {
				continue // a placeholder, not a value
			}
			in, _ := json.Marshal(m)
			var out []byte
			if _, ok := m["givenName"]; ok || m["emailAddresses"] != nil {
				var c contacts.Contact
				if err := json.Unmarshal(in, &c); err != nil {
					t.Fatalf("%s: %v", ex.Source, err)
				}
				out, _ = json.Marshal(c)
			} else {
				var f contacts.ContactFolder
				if err := json.Unmarshal(in, &f); err != nil {
					t.Fatalf("%s: %v", ex.Source, err)
				}
				out, _ = json.Marshal(f)
			}
			var back map[string]any
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(normalise(m), normalise(back)); diff != "" {
				t.Errorf("%s:%d round trip (-docs +model):\n%s", ex.Source, ex.Line, diff)
			}
			n++
		}
	}
	if n < 4 {
		t.Fatalf("only %d documented items checked", n)
	}
}

func TestDate(t *testing.T) {
	for in, want := range map[string]string{`"1974-07-22"`: "1974-07-22", `"2016-10-19T10:37:00Z"`: "2016-10-19", `null`: "", `""`: ""} {
		var d contacts.Date
		if err := json.Unmarshal([]byte(in), &d); err != nil || d.String() != want {
			t.Errorf("%s: %q %v", in, d.String(), err)
		}
	}
	var d contacts.Date
	if err := json.Unmarshal([]byte(`"tomorrow"`), &d); err == nil {
		t.Error("bad date accepted")
	}
	if err := json.Unmarshal([]byte(`12`), &d); err == nil {
		t.Error("number accepted")
	}
	b, _ := json.Marshal(contacts.Date{})
	if string(b) != "null" {
		t.Errorf("zero date: %s", b)
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{`"1974-07-22"`, `null`, `"2016-10-19T10:37:00Z"`, `"x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d contacts.Date
		if json.Unmarshal([]byte(s), &d) != nil {
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var again contacts.Date
		if err := json.Unmarshal(b, &again); err != nil || !again.Equal(d.Time) {
			t.Fatalf("%s -> %s -> %v %v", s, b, again, err)
		}
	})
}
