package emulator

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestExcelWorkbookSeg(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"range(address='A1:B2')", "range(address='{address}')", true},
		{"range(address='''My Sheet''!A1')", "range(address='{address}')", true},
		{"cell(row=1,column=2)", "cell(row={row},column={column})", true},
		{"cell(column=2, row=1)", "cell(row={row},column={column})", true},
		{"resizedRange(deltaRows=1, deltaColumns=1)", "resizedRange(deltaRows={deltaRows},deltaColumns={deltaColumns})", true},
		{"usedRange(valuesOnly=true)", "usedRange(valuesOnly={valuesOnly})", true},
		{"itemAt(index=3)", "itemAt(index={index})", true},
		{"usedRange()", "", false},
		{"worksheets('Sheet1')", "", false},
		{"cell(row=1)", "", false},
		{"search(q='x')", "", false},
		{"range", "", false},
	}
	for _, tc := range tests {
		got, ok := workbookSeg(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s -> %q %v, want %q %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestExcelParseWorkbookPath(t *testing.T) {
	segs, ok := parseWorkbookPath("/v1.0/me/drive/items/X/workbook/worksheets('It''s')/range(address='%27%27It%27%27%27%27s%27%27!A1:B2')/format/font")
	if !ok {
		t.Fatal("not parsed")
	}
	want := []wbSeg{
		{name: "worksheets"}, {name: "it's", key: "It's"},
		{name: "range", args: map[string]string{"address": "'It''s'!A1:B2"}, call: true},
		{name: "format", key: "format"}, {name: "font", key: "font"},
	}
	if diff := cmp.Diff(want, segs, cmp.AllowUnexported(wbSeg{})); diff != "" {
		t.Fatal(diff)
	}
	if _, ok := parseWorkbookPath("/v1.0/me/drive/items/X"); ok {
		t.Fatal("a path without workbook parsed")
	}
}

func FuzzExcelWorkbookPath(f *testing.F) {
	for _, s := range []string{"/v1.0/me/drive/items/X/workbook/worksheets('a')/range(address='A1')", "workbook/x(a=',b)", "workbook/%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		segs, _ := parseWorkbookPath(s)
		for _, sg := range segs {
			_ = sg.name
		}
		workbookSeg(s)
	})
}
