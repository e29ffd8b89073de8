package odata

import (
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type importance string

type level int

func TestFilterRendering(t *testing.T) {
	a, b, c := Attr("a").Eq(1), Attr("b").Eq(2), Attr("c").Eq(3)
	tests := []struct {
		name string
		e    Expr
		want string
	}{
		{"eq string", Attr("subject").Eq("hi"), "subject eq 'hi'"},
		{"ne", Attr("subject").Ne("hi"), "subject ne 'hi'"},
		{"gt", Attr("size").Gt(10), "size gt 10"},
		{"ge", Attr("size").Ge(int64(10)), "size ge 10"},
		{"lt", Attr("size").Lt(uint16(10)), "size lt 10"},
		{"le", Attr("size").Le(1.25), "size le 1.25"},
		{"null", Attr("x").IsNull(), "x eq null"},
		{"not null", Attr("x").NotNull(), "x ne null"},
		{"startswith", Attr("displayName").StartsWith("J"), "startswith(displayName,'J')"},
		{"endswith", Attr("mail").EndsWith("@contoso.com"), "endswith(mail,'@contoso.com')"},
		{"contains quote", Attr("subject").Contains("it's"), "contains(subject,'it''s')"},
		{"in", Attr("importance").In("high", "normal"), "importance in ('high','normal')"},
		{"in empty", Attr("importance").In(), "importance in ()"},
		{"and", And(a, b), "a eq 1 and b eq 2"},
		{"and flat", And(And(a, b), c), "a eq 1 and b eq 2 and c eq 3"},
		{"and right assoc", And(a, And(b, c)), "a eq 1 and b eq 2 and c eq 3"},
		{"or in and", And(Or(a, b), c), "(a eq 1 or b eq 2) and c eq 3"},
		{"or in and right", a.And(b.Or(c)), "a eq 1 and (b eq 2 or c eq 3)"},
		{"and in or", Or(And(a, b), c), "a eq 1 and b eq 2 or c eq 3"},
		{"not cmp", Not(a), "not (a eq 1)"},
		{"not func", Not(Attr("s").Contains("x")), "not contains(s,'x')"},
		{"not and", Not(And(a, b)), "not (a eq 1 and b eq 2)"},
		{"not not", Not(Not(a)), "not (not (a eq 1))"},
		{"not in and", And(Not(a), b), "not (a eq 1) and b eq 2"},
		{"raw grouped", And(Raw("x eq 1 or y eq 2"), a), "(x eq 1 or y eq 2) and a eq 1"},
		{"raw alone", Raw("x eq 1"), "x eq 1"},
		{"zero skipped", And(Expr{}, a, Expr{}), "a eq 1"},
		{"all zero", Or(Expr{}, Expr{}), ""},
		{"any", Attr("categories").Any("c", func(c Attribute) Expr { return c.Eq("Red") }), "categories/any(c:c eq 'Red')"},
		{"any nested or", Attr("categories").Any("c", func(c Attribute) Expr { return c.Eq("Red").Or(c.Eq("Blue")) }),
			"categories/any(c:c eq 'Red' or c eq 'Blue')"},
		{"any empty", Attr("attachments").Any("a", nil), "attachments/any()"},
		{"all", Attr("to_recipients").All("r", func(r Attribute) Expr {
			return r.Attr("email_address/address").EndsWith("@contoso.com")
		}), "toRecipients/all(r:endswith(r/emailAddress/address,'@contoso.com'))"},
		{"nested lambda", Attr("a").Any("x", func(x Attribute) Expr {
			return x.Attr("b").Any("y", func(y Attribute) Expr { return y.Eq(1) })
		}), "a/any(x:x/b/any(y:y eq 1))"},
		{"lambda in and", And(Attr("c").Any("v", func(v Attribute) Expr { return v.Eq("x") }), a), "c/any(v:v eq 'x') and a eq 1"},
		{"time", Attr("receivedDateTime").Ge(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), "receivedDateTime ge 2024-01-02T03:04:05Z"},
		{"time frac", Attr("t").Lt(time.Date(2024, 1, 2, 3, 4, 5, 120000000, time.UTC)), "t lt 2024-01-02T03:04:05.12Z"},
		{"bool", Attr("is_read").Eq(true), "isRead eq true"},
		{"guid", Attr("id").Eq(GUID("7D5B6D2C-9d7b-4c8a-9d55-0a8f2f1c6b1e")), "id eq 7D5B6D2C-9d7b-4c8a-9d55-0a8f2f1c6b1e"},
		{"enum typed", Attr("importance").Eq(importance("high")), "importance eq 'high'"},
		{"enum qualified", Attr("importance").Eq(Enum("importance", "high")), "importance eq microsoft.graph.importance'high'"},
		{"named int", Attr("level").Eq(level(3)), "level eq 3"},
		{"pointer", Attr("p").Eq(new(int)), "p eq 0"},
		{"nil pointer", Attr("p").Eq((*string)(nil)), "p eq null"},
		{"annotation", Attr("@odata.type").Eq("#microsoft.graph.user"), "@odata.type eq '#microsoft.graph.user'"},
		{"count segment", Attr("members/$count").Gt(0), "members/$count gt 0"},
		{"cast segment", Attr("microsoft.graph.user/display_name").Eq("x"), "microsoft.graph.user/displayName eq 'x'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.e.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			if diff := cmp.Diff(tt.want, tt.e.String()); diff != "" {
				t.Errorf("filter (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPropertyNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"is_read", "isRead"},
		{"isRead", "isRead"},
		{"received_date_time", "receivedDateTime"},
		{"from/email_address/address", "from/emailAddress/address"},
		{"@odata.type", "@odata.type"},
		{"@odata.next_link", "@odata.next_link"},
		{"id", "id"},
		{"_private", "_private"},
		{"x_", "x_"},
		{"a__b", "aB"},
		{"field_2", "field2"},
	}
	for _, tt := range tests {
		got, err := propertyPath(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("propertyPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "a b", "a/", "/a", "a)", "a'", "a eq 1 or b", "@", "$", "a..b", ".a", "a.", "a-b", "é"} {
		if _, err := propertyPath(bad); err == nil {
			t.Errorf("propertyPath(%q) accepted an invalid name", bad)
		}
	}
}

func TestLiteral(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{"", "''"},
		{"''", "''''''"},
		{int8(-8), "-8"},
		{int16(16), "16"},
		{int32(32), "32"},
		{uint(1), "1"},
		{uint32(32), "32"},
		{uint64(math.MaxUint64), "18446744073709551615"},
		{int64(math.MinInt64), "-9223372036854775808"},
		{float32(0.1), "0.1"},
		{0.0, "0"},
		{1e21, "1e+21"},
		{1e-7, "1e-07"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "INF"},
		{math.Inf(-1), "-INF"},
		{false, "false"},
		{time.Time{}, "0001-01-01T00:00:00Z"},
		{Enum("microsoft.graph.sensitivity", "o'k"), "microsoft.graph.sensitivity'o''k'"},
	}
	for _, tt := range tests {
		got, err := Literal(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Literal(%#v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []any{
		struct{}{}, []string{"a"}, map[string]int{}, GUID("not-a-guid"),
		GUID("7d5b6d2c-9d7b-4c8a-9d55-0a8f2f1c6b1) or (1"), Enum("", "x"), Enum("a b", "x"),
	} {
		if got, err := Literal(bad); err == nil {
			t.Errorf("Literal(%#v) = %q, want an error", bad, got)
		}
	}
}

func TestFailClosed(t *testing.T) {
	tests := []struct {
		name string
		q    *Query
		want string
	}{
		{"attr", New().Filter(Attr("a b").Eq(1)), "$filter=#invalid# eq 1"},
		{"value", New().Filter(Attr("a").Eq(struct{}{})), "$filter=a eq #invalid#"},
		{"in value", New().Filter(Attr("a").In(1, []int{2})), "$filter=a in (1,#invalid#)"},
		{"lambda var", New().Filter(Attr("c").Any("x)", func(c Attribute) Expr { return c.Eq(1) })), "$filter=c/any(#invalid#:#invalid# eq 1)"},
		{"all empty", New().Filter(Attr("c").All("x", nil)), "$filter=c/all(x:#invalid#)"},
		{"orderby", New().OrderBy("a,b", Desc), "$orderby=#invalid# desc"},
		{"select", New().Select("id", "x)"), "$select=id,#invalid#"},
		{"expand", New().Expand("a;b"), "$expand=#invalid#"},
		{"expand nested", New().ExpandWith("a", New().Select("b c")), "$expand=a($select=#invalid#)"},
		{"search prop", New().SearchProperty("a b", "x"), "$search=#invalid#"},
		{"top", New().Top(-1), "$top=-1"},
		{"skip", New().Skip(-1), "$skip=-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.q.Err() == nil {
				t.Error("Err() = nil, want an error")
			}
			if diff := cmp.Diff(tt.want, tt.q.String()); diff != "" {
				t.Errorf("String() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQueryOptions(t *testing.T) {
	q := New().
		Filter(Attr("is_read").Eq(false)).
		Search("pizza").
		OrderBy("received_date_time", Desc).
		OrderBy("subject", Asc).
		Select("id", "subject", "*").
		Expand("attachments").
		ExpandWith("children", New().Select("id", "name").Filter(Attr("size").Gt(0)).OrderBy("name", Asc).Top(5).Count().
			ExpandWith("thumbnails", New().Select("small"))).
		Top(50).
		Skip(10).
		Count()
	if err := q.Err(); err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"$filter":  {"isRead eq false"},
		"$search":  {`"pizza"`},
		"$orderby": {"receivedDateTime desc,subject"},
		"$select":  {"id,subject,*"},
		"$expand":  {"attachments,children($filter=size gt 0;$orderby=name;$select=id,name;$expand=thumbnails($select=small);$top=5;$count=true)"},
		"$top":     {"50"},
		"$skip":    {"10"},
		"$count":   {"true"},
	}
	if diff := cmp.Diff(want, q.Values()); diff != "" {
		t.Errorf("Values() (-want +got):\n%s", diff)
	}
	enc := q.Encode()
	wantEnc := "$filter=isRead%20eq%20false&$search=%22pizza%22&$orderby=receivedDateTime%20desc,subject&$select=id,subject,*" +
		"&$expand=attachments,children($filter%3Dsize%20gt%200%3B$orderby%3Dname%3B$select%3Did,name%3B$expand%3Dthumbnails($select%3Dsmall)%3B$top%3D5%3B$count%3Dtrue)" +
		"&$top=50&$skip=10&$count=true"
	if diff := cmp.Diff(wantEnc, enc); diff != "" {
		t.Errorf("Encode() (-want +got):\n%s", diff)
	}
	// The encoded form must decode, with net/url, to exactly Values().
	parsed, err := url.ParseQuery(enc)
	if err != nil {
		t.Fatalf("url.ParseQuery(Encode()): %v", err)
	}
	if diff := cmp.Diff(want, parsed); diff != "" {
		t.Errorf("ParseQuery(Encode()) (-want +got):\n%s", diff)
	}
}

func TestNilAndEmpty(t *testing.T) {
	var q *Query
	if v := q.Values(); v == nil || len(v) != 0 {
		t.Errorf("nil Values() = %#v, want empty non-nil", v)
	}
	if q.Encode() != "" || q.String() != "" || q.FilterString() != "" || q.Err() != nil {
		t.Error("nil query is not empty")
	}
	if got := q.Top(3).String(); got != "$top=3" {
		t.Errorf("nil.Top(3) = %q", got)
	}
	if got := q.On("a").Eq(1).String(); got != "$filter=a eq 1" {
		t.Errorf("nil.On = %q", got)
	}
	if New().Clone().String() != "" || q.Clone() == nil {
		t.Error("Clone of empty query is not empty")
	}
	if got := New().Expand().String(); got != "" {
		t.Errorf("Expand() = %q", got)
	}
}

func TestImmutable(t *testing.T) {
	base := New().Select("id").Filter(Attr("a").Eq(1))
	x := base.Select("x").Filter(Attr("b").Eq(2)).Top(1)
	y := base.Select("y").Or().Filter(Attr("c").Eq(3))
	if got, want := base.String(), "$filter=a eq 1&$select=id"; got != want {
		t.Errorf("base = %q, want %q", got, want)
	}
	if got, want := x.String(), "$filter=a eq 1 and b eq 2&$select=id,x&$top=1"; got != want {
		t.Errorf("x = %q, want %q", got, want)
	}
	if got, want := y.String(), "$filter=a eq 1 or c eq 3&$select=id,y"; got != want {
		t.Errorf("y = %q, want %q", got, want)
	}
	bad := New().Select("a b")
	good := bad.Clone()
	_ = bad.Select("c d")
	if n := len(good.errs); n != 1 {
		t.Errorf("clone has %d errors, want 1", n)
	}
}

func TestChain(t *testing.T) {
	tests := []struct {
		name string
		q    *Query
		want string
	}{
		{"and", New().On("subject").Contains("x").And().On("is_read").Eq(false), "contains(subject,'x') and isRead eq false"},
		{"default and", New().On("a").Eq(1).On("b").Ne(2), "a eq 1 and b ne 2"},
		{"left to right", New().On("a").Eq(1).Or().On("b").Gt(2).And().On("c").Lt(3), "(a eq 1 or b gt 2) and c lt 3"},
		{"or after and", New().On("a").Ge(1).And().On("b").Le(2).Or().On("c").Eq(3), "a ge 1 and b le 2 or c eq 3"},
		{"not", New().Not().On("subject").StartsWith("Re:").And().Not().On("a").EndsWith("z"), "not startswith(subject,'Re:') and not endswith(a,'z')"},
		{"in", New().On("importance").In("high", "low"), "importance in ('high','low')"},
		{"lambdas", New().On("categories").Any("c", func(c Attribute) Expr { return c.Eq("Red") }).
			Or().On("categories").All("c", func(c Attribute) Expr { return c.Ne("Blue") }),
			"categories/any(c:c eq 'Red') or categories/all(c:c ne 'Blue')"},
		{"mixed", New().Filter(Or(Attr("a").Eq(1), Attr("b").Eq(2))).On("c").Eq(3), "(a eq 1 or b eq 2) and c eq 3"},
	}
	for _, tt := range tests {
		if got := tt.q.FilterString(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		q    *Query
		want string
	}{
		{New().Search("pizza"), `"pizza"`},
		{New().Search(`a "b" c\d`), `"a \"b\" c\\d"`},
		{New().SearchProperty("subject", "report"), `"subject:report"`},
		{New().SearchProperty("display_name", "wa").SearchProperty("mail", "wa"), `"displayName:wa" AND "mail:wa"`},
	}
	for _, tt := range tests {
		if got := tt.q.Values().Get("$search"); got != tt.want {
			t.Errorf("$search = %s, want %s", got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	in := "a b+c&d=e;f#g%h'i(j)k,l:m/n@o$p*q\"r\x00é"
	got := escape(in)
	want := "a%20b%2Bc%26d%3De%3Bf%23g%25h'i(j)k,l:m/n@o$p*q%22r%00%C3%A9"
	if got != want {
		t.Errorf("escape = %q, want %q", got, want)
	}
	if dec, err := url.QueryUnescape(got); err != nil || dec != in {
		t.Errorf("QueryUnescape(escape(s)) = %q, %v", dec, err)
	}
}

// token is one lexical unit of a $filter expression as an OData parser
// sees it: the fuzz tests compare token structure, not text.
type token struct {
	Kind string // "name", "string", "punct"
	Text string // decoded value for strings
}

// tokenize splits a $filter expression. It is deliberately independent of
// the builder: a string literal runs from ' to the next ' not followed by
// another '.
func tokenize(t *testing.T, s string) []token {
	t.Helper()
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case c == '\'':
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteByte(s[i])
				i++
			}
			if !closed {
				t.Fatalf("unterminated string literal in %q", s)
			}
			toks = append(toks, token{"string", b.String()})
		case strings.IndexByte("(),:", c) >= 0:
			toks = append(toks, token{"punct", string(c)})
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" '(),:", s[j]) < 0 {
				j++
			}
			toks = append(toks, token{"name", s[i:j]})
			i = j
		}
	}
	return toks
}

// shape replaces the decoded string values with a placeholder.
func shape(toks []token) []token {
	out := make([]token, len(toks))
	for i, tk := range toks {
		if tk.Kind == "string" {
			tk.Text = "…"
		}
		out[i] = tk
	}
	return out
}

func strings2(toks []token) []string {
	var out []string
	for _, tk := range toks {
		if tk.Kind == "string" {
			out = append(out, tk.Text)
		}
	}
	return out
}

func buildWith(a, b string) *Query {
	return New().Filter(And(
		Attr("subject").Eq(a),
		Not(Attr("body/content").Contains(b)),
		Attr("categories").Any("c", func(c Attribute) Expr { return c.In(a, b) }),
	).Or(Attr("from/email_address/address").StartsWith(a + b)))
}

// FuzzStringLiteral proves that no string value breaks out of its literal:
// whatever the values, the filter has the same tokens as with harmless
// values, each literal decodes to the value that was given, and the
// encoded query decodes back to the same filter.
func FuzzStringLiteral(f *testing.F) {
	for _, s := range []string{"", "'", "''", "' or 1 eq 1 or '", "a'b", "x) or (true", "%27", "&$top=1", ";", "\x00", "é'", "\\'"} {
		f.Add(s, "plain")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		q := buildWith(a, b)
		filter := q.FilterString()
		want := shape(tokenize(t, buildWith("x", "y").FilterString()))
		got := tokenize(t, filter)
		if diff := cmp.Diff(want, shape(got)); diff != "" {
			t.Fatalf("token structure changed for %q, %q (-want +got):\n%s", a, b, diff)
		}
		if diff := cmp.Diff([]string{a, b, a, b, a + b}, strings2(got)); diff != "" {
			t.Fatalf("literals do not decode to the values (-want +got):\n%s", diff)
		}
		v, err := url.ParseQuery(q.Encode())
		if err != nil {
			t.Fatalf("ParseQuery(Encode()): %v", err)
		}
		if v.Get("$filter") != filter || len(v) != 1 {
			t.Fatalf("Encode round trip: got %q, want %q", v, filter)
		}
	})
}

// FuzzSearchTerm checks that a term stays one quoted string: the only
// unescaped double quotes are the outer ones and unescaping gives the term.
func FuzzSearchTerm(f *testing.F) {
	for _, s := range []string{"", `"`, `\`, `\"`, `a" OR "b`, "pizza"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, term string) {
		s := New().Search(term).Values().Get("$search")
		if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
			t.Fatalf("not quoted: %s", s)
		}
		var b strings.Builder
		body := s[1 : len(s)-1]
		for i := 0; i < len(body); i++ {
			switch body[i] {
			case '\\':
				i++
				if i == len(body) {
					t.Fatalf("dangling escape in %s", s)
				}
				b.WriteByte(body[i])
			case '"':
				t.Fatalf("unescaped quote in %s", s)
			default:
				b.WriteByte(body[i])
			}
		}
		if b.String() != term {
			t.Fatalf("unquoted %q, want %q", b.String(), term)
		}
	})
}

// FuzzAttr checks that any attribute name either is rejected or renders as
// a single name token.
func FuzzAttr(f *testing.F) {
	for _, s := range []string{"is_read", "from/email_address/address", "@odata.type", "a b", "a)", "a/$count"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		e := Attr(name).Eq(1)
		toks := tokenize(t, e.String())
		if len(toks) != 3 || toks[0].Kind != "name" {
			t.Fatalf("Attr(%q) gave tokens %v", name, toks)
		}
		if e.Err() == nil && toks[0].Text == invalidToken {
			t.Fatalf("Attr(%q) rendered invalid without an error", name)
		}
	})
}
