package formula

import (
	"testing"
	"time"
)

// clockGrid is a test workbook with a clock.
type clockGrid struct {
	*grid
	now time.Time
}

func (c clockGrid) Now() time.Time { return c.now }

func TestLookupFunctions(t *testing.T) {
	g := newGrid(map[string]map[string]string{
		"Sheet1": {
			"A1": "Fruit", "B1": "Price", "C1": "Qty",
			"A2": "apple", "B2": "1.5", "C2": "10",
			"A3": "banana", "B3": "0.5", "C3": "25",
			"A4": "cherry", "B4": "4", "C4": "5",
			"A5": "date", "B5": "3", "C5": "",
			"E1": "10", "E2": "20", "E3": "30",
		},
	})
	ctx := clockGrid{g, time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)}
	tests := []struct{ src, want string }{
		{`=VLOOKUP("banana",A2:C5,2,FALSE)`, "0.5"},
		{`=VLOOKUP("BANANA",A2:C5,3,0)`, "25"},
		{`=VLOOKUP("b*",A2:C5,3,FALSE)`, "25"},
		{`=VLOOKUP("?herry",A2:C5,2,FALSE)`, "4"},
		{`=VLOOKUP("kiwi",A2:C5,2,FALSE)`, "#N/A"},
		{`=VLOOKUP("apple",A2:C5,4,FALSE)`, "#REF!"},
		{`=VLOOKUP("apple",A2:C5,0,FALSE)`, "#VALUE!"},
		{`=VLOOKUP(25,E1:E3,1)`, "20"},
		{`=VLOOKUP(5,E1:E3,1,TRUE)`, "#N/A"},
		{`=VLOOKUP(99,E1:E3,1)`, "30"},
		{`=HLOOKUP("Qty",A1:C5,3,FALSE)`, "25"},
		{`=HLOOKUP("Nope",A1:C5,3,FALSE)`, "#N/A"},
		{`=MATCH("cherry",A1:A5,0)`, "4"},
		{`=MATCH(25,E1:E3)`, "2"},
		{`=MATCH(25,E1:E3,-1)`, "#N/A"},
		{`=MATCH("Qty",A1:C1,0)`, "3"},
		{`=MATCH(1,A1:C5,0)`, "#N/A"},
		{`=INDEX(A1:C5,3,2)`, "0.5"},
		{`=INDEX(A1:C5,9,1)`, "#REF!"},
		{`=INDEX(E1:E3,2)`, "20"},
		{`=INDEX(A1:C1,2)`, "Price"},
		{`=INDEX(A2:C5,MATCH("date",A2:A5,0),2)`, "3"},
		{`=COUNTIF(B2:B5,">1")`, "3"},
		{`=COUNTIF(A:A,"*a*")`, "3"},
		{`=COUNTIF(C2:C5,"")`, "1"},
		{`=COUNTIF(C2:C5,"<>10")`, "3"},
		{`=COUNTIF(B2:B5,4)`, "1"},
		{`=SUMIF(B2:B5,">=1.5")`, "8.5"},
		{`=SUMIF(A2:A5,"<c",C2:C5)`, "35"},
		{`=SUMIF(A2:A5,"kiwi",C2:C5)`, "0"},
		{`=AVERAGEIF(B2:B5,">1")`, "2.83333333333333"},
		{`=AVERAGEIF(A2:A5,"*e*",C2:C5)`, "7.5"},
		{`=AVERAGEIF(A2:A5,"kiwi",C2:C5)`, "#DIV/0!"},
		{`=COUNTIF(A2:A5)`, "#VALUE!"},
		{`=TODAY()`, "46083"},
		{`=NOW()`, "46083.75"},
		{`=TODAY(1)`, "#VALUE!"},
	}
	for _, tt := range tests {
		f, err := Parse(tt.src[1:])
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got := f.Eval(ctx).Text(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.src, got, tt.want)
		}
	}
	// Without a clock TODAY has no answer.
	f, _ := Parse("TODAY()")
	if got := f.Eval(g).Text(); got != ErrNA {
		t.Errorf("TODAY() without a clock = %s", got)
	}
}

func TestFromR1C1(t *testing.T) {
	tests := []struct {
		src      string
		row, col int
		want     string
		ok       bool
	}{
		{"=R2C3", 0, 4, "=$C$2", true},
		{"=R[-1]C*2", 1, 4, "=E1*2", true},
		{"=RC[-1]+R[1]C[1]", 4, 4, "=D5+F6", true},
		{"=SUM(R2C[-3]:R6C[-3])", 0, 5, "=SUM(C$2:C$6)", true},
		{"=ROUND(RC[-1],0)", 0, 1, "=ROUND(A1,0)", true},
		{`="R1C1"&R1C1`, 0, 0, `="R1C1"&$A$1`, true},
		{"='R1C1 sheet'!R1C1", 0, 0, "='R1C1 sheet'!$A$1", true},
		{"=Sheet2!R[1]C", 0, 0, "=Sheet2!A2", true},
		{"=RCX+1", 0, 0, "=RCX+1", true},
		{"plain", 0, 0, "plain", true},
		{"=R[-1]C", 0, 0, "", false},
		{"=RC[-1]", 0, 0, "", false},
	}
	for _, tt := range tests {
		got, ok := FromR1C1(tt.src, tt.row, tt.col)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("FromR1C1(%q, %d, %d) = %q, %v; want %q, %v", tt.src, tt.row, tt.col, got, ok, tt.want, tt.ok)
		}
		if ok && tt.src != "plain" {
			if back := ToR1C1(got, tt.row, tt.col); tt.src != "=RCX+1" && back != tt.src {
				t.Errorf("ToR1C1(%q) = %q, want %q", got, back, tt.src)
			}
		}
	}
}

func TestWildcard(t *testing.T) {
	tests := []struct {
		pat, s string
		want   bool
	}{
		{"a*", "Apple", true}, {"*le", "apple", true}, {"a?ple", "apple", true}, {"a?ple", "aple", false},
		{"*", "", true}, {"~*", "*", true}, {"~*", "x", false}, {"a*b*c", "aXXbYYc", true}, {"a*b*c", "aXXbYY", false},
	}
	for _, tt := range tests {
		if got := newWildcard(tt.pat).match(tt.s); got != tt.want {
			t.Errorf("%q ~ %q = %v", tt.pat, tt.s, got)
		}
	}
}
