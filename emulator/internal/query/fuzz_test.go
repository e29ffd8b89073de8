package query

import (
	"strings"
	"testing"

	"github.com/o365go/o365/odata"
)

var fuzzItem = map[string]any{
	"subject":    "Hello 'world'",
	"size":       12.0,
	"isRead":     true,
	"when":       "2024-01-01T00:00:00Z",
	"categories": []any{"Red", map[string]any{"x": 1.0}, nil},
	"from":       map[string]any{"emailAddress": map[string]any{"address": "a@b.c"}},
	"nested":     []any{[]any{"deep"}},
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"subject eq 'x'", "not (a eq 1) and b ne null or c in ('x',2,true)",
		"categories/any(c:c eq 'Red')", "categories/any(c:c/x gt 0)", "nested/any(n:n/any(m:m eq 'deep'))",
		"a/all(x:x/any(y:y eq x))", "contains(subject,'''')", "startswith(from/emailAddress/address,'A')",
		"when ge 2024-01-01T00:00:00.1234567+05:30", "id eq 7d5b6d2c-9d7b-4c8a-9d55-0a8f2f1c6b1e",
		"importance eq microsoft.graph.importance'high'", "size lt -INF or size eq NaN", "substring(subject,1,99) eq 'x'",
		"length(categories) eq 3", "year(when) eq 2024", "((a))", "a eq 1e400", "'", "(", "a/", "any(", "-",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := ParseFilter(s)
		if err != nil {
			if flt != nil {
				t.Fatal("filter and error")
			}
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			if !strings.HasPrefix(err.Error(), "Invalid filter clause: ") {
				t.Fatalf("error text %q", err)
			}
			return
		}
		if _, err := flt.Match(fuzzItem); err != nil {
			t.Fatal(err)
		}
		if _, err := flt.Match(nil); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseOrderBy(f *testing.F) {
	for _, s := range []string{"a", "a desc,b/c asc", "", ",", "a b c", "@odata.etag", "$count"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOrderBy(s)
		if err != nil {
			return
		}
		for _, k := range o {
			if len(k.Path) == 0 {
				t.Fatal("empty path")
			}
		}
		if c := o.Compare(fuzzItem, fuzzItem); c != 0 {
			t.Fatalf("Compare(x, x) = %d", c)
		}
		o.Compare(fuzzItem, nil)
	})
}

func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{`"pizza"`, `"subject:a AND (b OR NOT c)"`, `"a" OR "mail:b"`, `subject:"x y"`, `"\"q\""`, `"\\"`, `(`, `"`, `NOT NOT a`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseSearch(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Invalid search request: ") {
				t.Fatalf("error text %q", err)
			}
			return
		}
		q.Match(fuzzItem)
		q.Match(fuzzItem, "from", "subject", "body")
	})
}

func FuzzParseExpand(f *testing.F) {
	for _, s := range []string{"a", "a,b($select=x;$top=1)", "children($expand=c($filter=x eq ')'))", "a(", "a($levels=max)", "*", "a($search=\"x\")"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseExpand(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Invalid expand clause: ") {
				t.Fatalf("error text %q", err)
			}
			return
		}
		var walk func(Expand)
		walk = func(e Expand) {
			for _, it := range e {
				if it.Name == "" {
					t.Fatal("empty name")
				}
				if _, err := it.Filter.Match(fuzzItem); err != nil {
					t.Fatal(err)
				}
				walk(it.Expand)
			}
		}
		walk(e)
	})
}

func FuzzParseSelect(f *testing.F) {
	for _, s := range []string{"id,subject", "*", "a/b", ",", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := ParseSelect(s)
		if err != nil {
			return
		}
		Project(fuzzItem, fields, "keep")
	})
}

// FuzzBuilderRoundTrip checks the client builder against this engine: any
// string value written by package odata parses back to exactly that value,
// so the filter matches an item holding it and not one holding another.
func FuzzBuilderRoundTrip(f *testing.F) {
	for _, s := range []string{"", "'", "''", "it's", "' or 1 eq 1 or '", "x) or (true", "\x00", "é", "a\\b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := odata.And(
			odata.Attr("subject").Eq(s),
			odata.Attr("from/email_address/address").StartsWith(s),
			odata.Attr("categories").Any("c", func(c odata.Attribute) odata.Expr { return c.In(s, 1) }),
			odata.Not(odata.Attr("subject").Ne(s)),
		)
		flt, err := ParseFilter(e.String())
		if err != nil {
			t.Fatalf("engine rejects %q: %v", e.String(), err)
		}
		hit := map[string]any{
			"subject":    s,
			"from":       map[string]any{"emailAddress": map[string]any{"address": s + "tail"}},
			"categories": []any{"other", s},
		}
		if ok, _ := flt.Match(hit); !ok {
			t.Fatalf("%q does not match its own value", e.String())
		}
		miss := map[string]any{
			"subject":    s + "x",
			"from":       hit["from"],
			"categories": hit["categories"],
		}
		if ok, _ := flt.Match(miss); ok {
			t.Fatalf("%q matches another value", e.String())
		}
	})
}
