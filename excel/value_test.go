package excel_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/excel"
)

// Numbers stay numbers, with the exact digits the service sent; strings, booleans,
// empty cells and nulls keep their kinds.
func TestValuesJSONRoundTrip(t *testing.T) {
	for _, in := range []string{
		`[[1,2.5,-3,0]]`,
		`[[0.1,0.30000000000000004,1e21,1E-7,123456789012345678901234567890]]`,
		`[[1.50,1.0,2e0,-0.0]]`,
		`[["text","=A1*2","#DIV/0!","",null]]`,
		`[[true,false]]`,
		`[]`,
	} {
		var v excel.Values
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("round trip %s -> %s", in, out)
		}
	}
	var v excel.Values
	if err := json.Unmarshal([]byte(`[[1,"a",true,"",null]]`), &v); err != nil {
		t.Fatal(err)
	}
	kinds := []excel.Kind{}
	for _, x := range v[0] {
		kinds = append(kinds, x.Kind())
	}
	if diff := cmp.Diff([]excel.Kind{excel.KindNumber, excel.KindString, excel.KindBool, excel.KindEmpty, excel.KindNull}, kinds); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`[[[1]]]`, `[[{"a":1}]]`, `[[nul]]`, `[[1x]]`, `[["unterminated]]`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

// Values built in Go marshal without float formatting surprises.
func TestValuesFromGo(t *testing.T) {
	v, err := excel.NewValues(
		[]any{1, int64(-7), uint8(3), 0.1, float32(0.5), 1e21, 1.0, "x", true, nil},
		[]any{json.Number("1.50"), excel.ErrorCode("#N/A"), excel.Number(2.25), excel.Null(), time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)},
	)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	want := `[[1,-7,3,0.1,0.5,1e+21,1,"x",true,""],[1.50,"#N/A",2.25,null,45292.5]]`
	if string(b) != want {
		t.Errorf("marshal\n got %s\nwant %s", b, want)
	}
	if diff := cmp.Diff([][]any{{1.0, "x"}, {true, nil}, {excel.ErrorCode("#N/A"), nil}},
		excel.MustValues([]any{1, "x"}, []any{true, nil}, []any{excel.ErrorCode("#N/A"), excel.Null()}).Interface()); diff != "" {
		t.Errorf("Interface (-want +got):\n%s", diff)
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), struct{}{}, []int{1}, json.Number("x")} {
		if _, err := excel.ValueOf(bad); !errors.Is(err, excel.ErrNotRepresentable) {
			t.Errorf("ValueOf(%v) = %v", bad, err)
		}
	}
	if _, err := json.Marshal(excel.Values{{excel.Number(math.NaN())}}); err == nil {
		t.Error("NaN marshalled")
	}
	if _, err := excel.Row(1, make(chan int)); err == nil {
		t.Error("Row accepted a channel")
	}
}

func TestValueAccessors(t *testing.T) {
	n := excel.Number(42)
	if f, ok := n.Float(); !ok || f != 42 {
		t.Error("Float")
	}
	if i, ok := n.Int64(); !ok || i != 42 {
		t.Error("Int64")
	}
	if _, ok := excel.Number(4.5).Int64(); ok {
		t.Error("Int64 of 4.5")
	}
	if s, ok := excel.String("a").Text(); !ok || s != "a" {
		t.Error("Text")
	}
	if b, ok := excel.Bool(true).Boolean(); !ok || !b {
		t.Error("Boolean")
	}
	if c, ok := excel.ErrorValue("#REF!").ErrorCode(); !ok || c != "#REF!" {
		t.Error("ErrorCode")
	}
	if _, ok := excel.String("1").Float(); ok {
		t.Error("Float of a string")
	}
	for _, tc := range []struct {
		v    excel.Value
		want string
	}{
		{excel.Number(0.1), "0.1"}, {excel.Number(1e21), "1e+21"}, {excel.Number(1234567), "1234567"}, {excel.Number(-2.5), "-2.5"},
		{excel.Bool(false), "FALSE"}, {excel.Empty(), ""}, {excel.Null(), ""}, {excel.ErrorValue("#N/A"), "#N/A"}, {excel.String("s"), "s"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%v.String() = %q, want %q", tc.v.Kind(), got, tc.want)
		}
	}
	if excel.Kind(99).String() == "" || excel.KindError.String() != "Error" {
		t.Error("Kind.String")
	}
	// Dates: serial numbers as Excel counts them, back to the same wall time.
	for _, tm := range []time.Time{
		time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 13, 45, 30, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.FixedZone("X", 3600)),
	} {
		d := excel.Date(tm)
		back, ok := d.Time()
		wall := time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), 0, time.UTC)
		if !ok || !back.Equal(wall) {
			t.Errorf("Date(%v) = %v -> %v", tm, d, back)
		}
	}
	if f, _ := excel.Date(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).Float(); f != 45292 {
		t.Errorf("2024-01-01 = %v, want 45292", f)
	}
	if _, ok := excel.String("x").Time(); ok {
		t.Error("Time of a string")
	}
}

func TestParseValue(t *testing.T) {
	for in, want := range map[string]excel.Value{
		"": excel.Empty(), "TRUE": excel.Bool(true), "false": excel.Bool(false), "#n/a": excel.ErrorValue("#n/a"),
		"12": excel.Number(12), "1.50": excel.Number(1.5), "-3e2": excel.Number(-300), "Travel": excel.String("Travel"),
		"0x10": excel.String("0x10"), "Inf": excel.String("Inf"), "=SUM(A1:A3)": excel.String("=SUM(A1:A3)"), " 1": excel.String(" 1"),
	} {
		got := excel.ParseValue(in)
		if got.Kind() != want.Kind() || got.String() != want.String() {
			t.Errorf("ParseValue(%q) = %v %q, want %v %q", in, got.Kind(), got, want.Kind(), want)
		}
	}
	b, _ := json.Marshal(excel.Values{{excel.ParseValue("1.50")}})
	if string(b) != `[[1.50]]` {
		t.Errorf("digits of a typed number: %s", b)
	}
}

// A cell holding an error comes back as an error value, not as text, thanks to
// valueTypes; the range round-trips through JSON.
func TestRangeDecodesErrors(t *testing.T) {
	in := `{"address":"Sheet1!A1:B1","values":[["#DIV/0!","#DIV/0!"]],"valueTypes":[["Error","String"]],"text":[["#DIV/0!","#DIV/0!"]]}`
	var r excel.Range
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	if r.Values[0][0].Kind() != excel.KindError || r.Values[0][1].Kind() != excel.KindString {
		t.Errorf("kinds %v %v", r.Values[0][0].Kind(), r.Values[0][1].Kind())
	}
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	var back excel.Range
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Values[0][0].Kind() != excel.KindError || back.Address != r.Address {
		t.Errorf("round trip: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"values":[[[1]]]}`), &r); err == nil {
		t.Error("a nested array decoded as a cell")
	}
}

// Every model decodes the documented examples and round-trips through JSON.
func TestModelsRoundTrip(t *testing.T) {
	check := func(name, in string, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(in), v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var a, b map[string]any
		_ = json.Unmarshal([]byte(in), &a)
		_ = json.Unmarshal(out, &b)
		for k, want := range a {
			if !cmp.Equal(want, b[k]) {
				t.Errorf("%s.%s: %v -> %v", name, k, want, b[k])
			}
		}
	}
	check("worksheet", `{"id":"{00000000-0001-0000-0000-000000000000}","position":2,"name":"Budget","visibility":"Hidden"}`, &excel.Worksheet{})
	check("table", `{"id":"99","name":"name-value","showHeaders":true,"showTotals":true,"style":"style-value","highlightFirstColumn":true,"showBandedRows":true,"showFilterButton":true,"legacyId":"1"}`, &excel.Table{})
	check("column", `{"id":"99","name":"name-value","index":99,"values":[["h"],[1]]}`, &excel.TableColumn{})
	check("row", `{"index":99,"values":[[1,2,3]]}`, &excel.TableRow{})
	check("name", `{"name":"test5","comment":"Comment for the named item","scope":"Workbook","type":"Range","value":"=Sheet1!$F$15:$N$27","visible":true}`, &excel.NamedItem{})
	check("format", `{"columnWidth":99,"horizontalAlignment":"Center","rowHeight":99,"verticalAlignment":"Top","wrapText":true}`, &excel.RangeFormat{})
	check("font", `{"bold":true,"color":"#FF0000","italic":true,"name":"Calibri","size":99,"underline":"Single"}`, &excel.Font{})
	check("fill", `{"color":"#FFA500"}`, &excel.Fill{})
	check("border", `{"id":"EdgeTop","color":"#000000","style":"Continuous","sideIndex":"EdgeTop","weight":"Thin"}`, &excel.Border{})
	check("filter", `{"criteria":{"criterion1":">5","criterion2":"<9","color":"#FF0000","operator":"And","icon":{"set":"ThreeArrows","index":1},"dynamicCriteria":"Today","filterOn":"Custom","values":["a"]}}`, &excel.Filter{})
	check("application", `{"calculationMode":"Automatic"}`, &excel.Application{})
	check("session", `{"id":"id-value","persistChanges":true}`, &excel.Session{})
	check("operation", `{"id":"operation-id","status":"succeeded","resourceLocation":"https://graph.microsoft.com/v1.0/me/drive/items/x/workbook/sessionInfoResource(key='k')"}`, &excel.Operation{})
	check("range", rangeJSON("Sheet1!A1:B2"), &excel.Range{})
}

func FuzzValueJSON(f *testing.F) {
	for _, s := range []string{`1`, `"a"`, `true`, `null`, `""`, `1e400`, `-0`, `[1]`, `{}`, `"#N/A"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v excel.Value
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%q decoded but does not marshal: %v", s, err)
		}
		var back excel.Value
		if err := json.Unmarshal(b, &back); err != nil || back.Kind() != v.Kind() || back.String() != v.String() {
			t.Fatalf("%q -> %s -> %v", s, b, back)
		}
	})
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"A1", "Sheet1!$A$1:$B$2", "'It''s'!C3", "A:C", "2:4", "XFD1048576", "A0", "!", "'", "a1:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := excel.ParseAddress(s)
		if err != nil {
			return
		}
		again, err := excel.ParseAddress(b.String())
		if err != nil || again != b {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, b, b.String(), again, err)
		}
		sheet, local := excel.SplitAddress(s)
		if s2, l2 := excel.SplitAddress(excel.JoinAddress(sheet, local)); sheet != "" && (s2 != sheet || l2 != local) {
			t.Fatalf("split/join %q: %q %q -> %q %q", s, sheet, local, s2, l2)
		}
	})
}

func TestAddresses(t *testing.T) {
	for in, want := range map[string][2]string{
		"A1": {"", "A1"}, "Sheet1!A1:B2": {"Sheet1", "A1:B2"}, "'Q1 Budget'!C3": {"Q1 Budget", "C3"},
		"'It''s'!A1": {"It's", "A1"}, "'a!b'!A1": {"a!b", "A1"}, "'unterminated": {"", "'unterminated"},
	} {
		s, l := excel.SplitAddress(in)
		if s != want[0] || l != want[1] {
			t.Errorf("SplitAddress(%q) = %q, %q", in, s, l)
		}
	}
	for _, tc := range [][3]string{{"Sheet1", "A1", "Sheet1!A1"}, {"Q1 Budget", "A1", "'Q1 Budget'!A1"}, {"It's", "B2", "'It''s'!B2"}, {"2024", "A1", "'2024'!A1"}, {"", "A1", "A1"}} {
		if got := excel.JoinAddress(tc[0], tc[1]); got != tc[2] {
			t.Errorf("JoinAddress(%q, %q) = %q", tc[0], tc[1], got)
		}
	}
	for in, want := range map[string]excel.Bounds{
		"B3": {Row1: 3, Col1: 2, Row2: 3, Col2: 2}, "Sheet1!$A$1:$C$2": {Row1: 1, Col1: 1, Row2: 2, Col2: 3},
		"C2:A1": {Row1: 1, Col1: 1, Row2: 2, Col2: 3}, "A:C": {Col1: 1, Col2: 3}, "2:4": {Row1: 2, Row2: 4},
		"xfd1048576": {Row1: 1048576, Col1: 16384, Row2: 1048576, Col2: 16384},
	} {
		got, err := excel.ParseAddress(in)
		if err != nil || got != want {
			t.Errorf("ParseAddress(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "A", "1", "A0", "A1:B", "XFE1", "A1048577", "A1,B2", "A-1", "1A", "A1:2"} {
		if _, err := excel.ParseAddress(bad); !errors.Is(err, excel.ErrBadAddress) {
			t.Errorf("ParseAddress(%q) = %v", bad, err)
		}
	}
	b := excel.Bounds{Row1: 2, Col1: 1, Row2: 4, Col2: 3}
	if b.String() != "A2:C4" || b.Rows() != 3 || b.Cols() != 3 {
		t.Errorf("bounds %v %d %d", b, b.Rows(), b.Cols())
	}
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 28: "AB", 702: "ZZ", 703: "AAA", 16384: "XFD", 0: "", 16385: ""} {
		if got := excel.ColumnName(n); got != want {
			t.Errorf("ColumnName(%d) = %q", n, got)
		}
	}
	if excel.CellAddress(2, 3) != "C2" {
		t.Error("CellAddress")
	}
}
