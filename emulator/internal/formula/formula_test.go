package formula

import (
	"strings"
	"testing"
)

// grid is a test workbook: sheet -> "A1" -> formula or literal.
type grid struct {
	cur   string
	cells map[string]map[[2]int]string
	names map[string]Ref
	memo  map[string]Value
	depth int
}

func newGrid(sheets map[string]map[string]string) *grid {
	g := &grid{cur: "Sheet1", cells: map[string]map[[2]int]string{}, names: map[string]Ref{}, memo: map[string]Value{}}
	for sh, cells := range sheets {
		g.cells[strings.ToLower(sh)] = map[[2]int]string{}
		for a, v := range cells {
			r, err := ParseAddress(a)
			if err != nil {
				panic(a)
			}
			g.cells[strings.ToLower(sh)][[2]int{r.Row1, r.Col1}] = v
		}
	}
	return g
}

func (g *grid) Sheet() string { return g.cur }
func (g *grid) SheetExists(n string) bool {
	_, ok := g.cells[strings.ToLower(n)]
	return ok
}
func (g *grid) Bounds(n string) (int, int) {
	r, c := -1, -1
	for p := range g.cells[strings.ToLower(n)] {
		r, c = max(r, p[0]), max(c, p[1])
	}
	return r, c
}
func (g *grid) Name(n string) (Ref, bool) {
	r, ok := g.names[strings.ToUpper(n)]
	return r, ok
}
func (g *grid) Cell(sheet string, row, col int) Value {
	src, ok := g.cells[strings.ToLower(sheet)][[2]int{row, col}]
	if !ok {
		return Value{}
	}
	if strings.HasPrefix(src, "=") {
		if g.depth > 50 {
			return ErrorValue(ErrRef)
		}
		f, err := Parse(src)
		if err != nil {
			return ErrorValue(ErrName)
		}
		prev := g.cur
		g.cur = sheet
		g.depth++
		v := f.Eval(g)
		g.depth--
		g.cur = prev
		return v
	}
	if src == "TRUE" || src == "FALSE" {
		return BoolValue(src == "TRUE")
	}
	if v := toNumber(StringValue(src)); v.Kind == Number {
		return v
	}
	return StringValue(src)
}

func TestFormulaEval(t *testing.T) {
	g := newGrid(map[string]map[string]string{
		"Sheet1":   {"A1": "1", "A2": "2", "A3": "3", "B1": "hello", "B2": "TRUE", "C1": "0", "D1": "=A1+A2"},
		"My Sheet": {"A1": "10", "B2": "x"},
	})
	g.names["TOTALS"] = Ref{Sheet: "Sheet1", Row1: 0, Col1: 0, Row2: 2, Col2: 0}
	tests := []struct {
		src  string
		want string
	}{
		{"=1+2*3", "7"},
		{"=(1+2)*3", "9"},
		{"=2^3^2", "64"},
		{"=-2^2", "4"},
		{"=10/4", "2.5"},
		{"=1/0", "#DIV/0!"},
		{"=5%", "0.05"},
		{`="a"&"b"&1`, "ab1"},
		{"=1<2", "TRUE"},
		{"=\"B\">\"a\"", "TRUE"},
		{"=1=1.0", "TRUE"},
		{"=2<>2", "FALSE"},
		{"=SUM(A1:A3)", "6"},
		{"=SUM(A:A)", "6"},
		{"=SUM(1:1)", "4"},
		{"=SUM(A1:A3,10)", "16"},
		{"=SUM(A1:B3)", "6"},
		{"=AVERAGE(A1:A3)", "2"},
		{"=AVERAGE(B1)", "#DIV/0!"},
		{"=MIN(A1:A3)", "1"},
		{"=MAX(A1:A3,7)", "7"},
		{"=COUNT(A1:B3)", "3"},
		{"=COUNTA(A1:B3)", "5"},
		{"=IF(A1>0,\"pos\",\"neg\")", "pos"},
		{"=IF(C1,1,2)", "2"},
		{"=IF(FALSE,1)", "FALSE"},
		{"=ROUND(2.5,0)", "3"},
		{"=ROUND(-2.5,0)", "-3"},
		{"=ROUND(1.005,2)", "1.01"},
		{"=ROUND(1234,-2)", "1200"},
		{"=ABS(-4)", "4"},
		{"=CONCATENATE(\"a\",1,TRUE)", "a1TRUE"},
		{"=CONCAT(A1:A3)", "123"},
		{"=LEN(\"héllo\")", "5"},
		{"=UPPER(B1)", "HELLO"},
		{"=LOWER(\"ABC\")", "abc"},
		{"=AND(TRUE,A1)", "TRUE"},
		{"=AND(TRUE,C1)", "FALSE"},
		{"=OR(FALSE,C1)", "FALSE"},
		{"=OR(B2)", "TRUE"},
		{"=NOT(TRUE)", "FALSE"},
		{"=AND(B1)", "#VALUE!"},
		{"='My Sheet'!A1*2", "20"},
		{"=SUM('My Sheet'!A1:B2)", "10"},
		{"=Missing!A1", "#REF!"},
		{"=NOSUCH(1)", "#NAME?"},
		{"=unknownName", "#NAME?"},
		{"=SUM(Totals)", "6"},
		{"=B1+1", "#VALUE!"},
		{"=\"3\"+1", "4"},
		{"=D1*2", "6"},
		{"=A1:A3", "#VALUE!"},
		{"=#DIV/0!", "#DIV/0!"},
		{"=SUM(1/0,1)", "#DIV/0!"},
		{"=$A$1+A$2", "3"},
		{"=0^0", "#NUM!"},
		{"=1E+3", "1000"},
	}
	for _, tc := range tests {
		f, err := Parse(tc.src)
		if err != nil {
			t.Errorf("%s: parse: %v", tc.src, err)
			continue
		}
		if got := f.Eval(g).Text(); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.src, got, tc.want)
		}
	}
}

func TestFormulaParseErrors(t *testing.T) {
	for _, src := range []string{"=1+", "=(1", "=SUM(1", "=\"abc", "=1 2", "=@", "=#BOGUS", "=Sheet1!", "='x", "=" + strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500)} {
		if _, err := Parse(src); err == nil {
			t.Errorf("%q parsed", src)
		}
	}
}

func TestFormulaCycleIsAnError(t *testing.T) {
	g := newGrid(map[string]map[string]string{"Sheet1": {"A1": "=B1+1", "B1": "=A1+1"}})
	if v := g.Cell("Sheet1", 0, 0); v.Kind != Error {
		t.Fatalf("cycle gave %v", v)
	}
}

func TestAddress(t *testing.T) {
	tests := []struct {
		in, out string
		rows    int
		cols    int
	}{
		{"A1", "A1", 1, 1},
		{"$B$2", "B2", 1, 1},
		{"A1:C5", "A1:C5", 5, 3},
		{"C5:A1", "A1:C5", 5, 3},
		{"A:A", "A:A", MaxRows, 1},
		{"B:D", "B:D", MaxRows, 3},
		{"1:3", "1:3", 3, MaxCols},
		{"Sheet1!A1:B2", "Sheet1!A1:B2", 2, 2},
		{"'My Sheet'!A1:B2", "'My Sheet'!A1:B2", 2, 2},
		{"'It''s'!A1", "'It''s'!A1", 1, 1},
		{"XFD1048576", "XFD1048576", 1, 1},
		{"aa10", "AA10", 1, 1},
	}
	for _, tc := range tests {
		r, err := ParseAddress(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if r.String() != tc.out || r.Rows() != tc.rows || r.Cols() != tc.cols {
			t.Errorf("%s -> %s (%dx%d), want %s (%dx%d)", tc.in, r, r.Rows(), r.Cols(), tc.out, tc.rows, tc.cols)
		}
	}
	for _, bad := range []string{"", "A", "A0", "1", "XFE1", "A1048577", "A1:", ":B2", "'Sheet!A1", "!A1", "A1:B", "A:1", "A-1"} {
		if _, err := ParseAddress(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if ColumnName(0) != "A" || ColumnName(25) != "Z" || ColumnName(26) != "AA" || ColumnName(16383) != "XFD" {
		t.Fatal("column names")
	}
}

func TestToR1C1(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=SUM(A1:A3)", "=SUM(R[-1]C[-1]:R[1]C[-1])"},
		{"=$A$1+B2", "=R1C1+RC"},
		{"=Sheet2!C3*2", "=Sheet2!R[1]C[1]*2"},
		{"=\"A1\"", "=\"A1\""},
	}
	for _, tc := range tests {
		if got := ToR1C1(tc.in, 1, 1); got != tc.want {
			t.Errorf("%s -> %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for f, want := range map[float64]string{0: "0", 1: "1", -2.5: "-2.5", 0.1 + 0.2: "0.3", 1e20: "1E+20", 123456789012: "123456789012"} {
		if got := FormatNumber(f); got != want {
			t.Errorf("%v -> %s, want %s", f, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"=SUM(A1:B2)", "='My Sheet'!A1*2", "=IF(A1>0,\"x\",#N/A)", "=1:3", "=-2^2%", "=A:A"} {
		f.Add(s)
	}
	g := newGrid(map[string]map[string]string{"Sheet1": {"A1": "1"}})
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := Parse(s)
		if err == nil {
			fm.Eval(g)
		}
		ToR1C1(s, 3, 3)
	})
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"A1", "'a''b'!A1:B2", "A:C", "1:3", "Sheet1!$A$1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseAddress(s)
		if err != nil {
			return
		}
		if r.Row1 < 0 || r.Row2 >= MaxRows || r.Col1 < 0 || r.Col2 >= MaxCols || r.Row1 > r.Row2 || r.Col1 > r.Col2 {
			t.Fatalf("%q -> bad bounds %+v", s, r)
		}
		back, err := ParseAddress(r.String())
		if err != nil || back != r {
			t.Fatalf("%q -> %q -> %+v (%v)", s, r.String(), back, err)
		}
	})
}

func TestRewriteRefs(t *testing.T) {
	rename := func(r Ref) (Ref, bool) {
		if strings.EqualFold(r.Sheet, "Old") {
			r.Sheet = "New Name"
		}
		return r, true
	}
	shiftDown := func(r Ref) (Ref, bool) { return Shift(r, true, 2, 2, 0, MaxCols-1) }
	deleteRow := func(r Ref) (Ref, bool) { return Shift(r, true, 2, -1, 0, MaxCols-1) }
	tests := []struct {
		in   string
		f    func(Ref) (Ref, bool)
		want string
	}{
		{"=Old!A1+old!$B$2+A1", rename, "='New Name'!A1+'New Name'!$B$2+A1"},
		{"=SUM(Old!A:A)", rename, "=SUM('New Name'!A:A)"},
		{"=\"Old!A1\"", rename, "=\"Old!A1\""},
		{"=SUM(A1:A5)+B3+$C$2", shiftDown, "=SUM(A1:A7)+B5+$C$2"},
		{"=A3+SUM(A1:A5)+A2", deleteRow, "=#REF!+SUM(A1:A4)+A2"},
		{"=SUM(3:4)", deleteRow, "=SUM(3:3)"},
		{"=bad(", rename, "=bad("},
	}
	for _, tc := range tests {
		if got := RewriteRefs(tc.in, tc.f); got != tc.want {
			t.Errorf("%s -> %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		in     string
		dr, dc int
		want   string
	}{
		{"A2*2", 1, 0, "A3*2"},
		{"=SUM($A$1:B2)+C$3+$D4", 2, 1, "=SUM($A$1:C4)+D$3+$D6"},
		{"Sheet2!A1+\"A1\"", 0, 2, "Sheet2!C1+\"A1\""},
		{"A1", -1, 0, "#REF!"},
		{"SUM(A:A)", 0, 1, "SUM(B:B)"},
	}
	for _, tc := range tests {
		if got := Translate(tc.in, tc.dr, tc.dc); got != tc.want {
			t.Errorf("%s %+d %+d -> %s, want %s", tc.in, tc.dr, tc.dc, got, tc.want)
		}
	}
}
