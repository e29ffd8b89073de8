package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sample() *Workbook {
	s1 := NewSheet("Budget")
	s1.Cells[Pos{0, 0}] = &Cell{Value: "Name", Style: Style{Font: Font{Bold: true, Color: "#FF0000", Size: 14, Name: "Arial", Underline: "Single"}}}
	s1.Cells[Pos{0, 1}] = &Cell{Value: "  padded & <escaped>  "}
	s1.Cells[Pos{1, 0}] = &Cell{Value: 1.5, Style: Style{NumFmt: "0.00", Fill: "#FFFF00", HAlign: "Center", VAlign: "Top", Wrap: true}}
	s1.Cells[Pos{1, 1}] = &Cell{Value: 3.0, Formula: "A2*2", Style: Style{NumFmt: "m-ddd"}}
	s1.Cells[Pos{2, 0}] = &Cell{Value: true}
	s1.Cells[Pos{2, 1}] = &Cell{Value: ErrorValue("#DIV/0!"), Formula: "1/0"}
	s1.Cells[Pos{2, 2}] = &Cell{Value: "text result", Formula: "\"text \"&\"result\""}
	s1.Cells[Pos{3, 3}] = &Cell{Style: Style{Borders: [4]Border{{Style: "Continuous", Weight: "Thin", Color: "#0000FF"}, {}, {}, {Style: "Dash", Weight: "Thin"}}}}
	s1.Cells[Pos{1048575, 16383}] = &Cell{Value: "corner"}
	s1.ColWidths[0] = 63
	s1.RowHeights[1] = 30
	s1.Merges = []string{"E1:F2"}
	s1.Tables = []*Table{{ID: 1, Name: "Items", Ref: "A1:B3", HeaderRow: true, Style: "TableStyleLight9", Columns: []string{"Name", "Value"}, BandedRows: true, AutoFilter: true}}
	s2 := NewSheet("Hidden 'one'")
	s2.State = Hidden
	s2.Tables = []*Table{{ID: 2, Name: "T2", Ref: "A1:A3", TotalsRow: true, Columns: []string{"Column1"}, Style: "TableStyleMedium2"}}
	return &Workbook{Sheets: []*Sheet{s1, s2}, Names: []*Name{
		{Name: "Total", RefersTo: "Budget!$B$2", Comment: "the total"},
		{Name: "Local", RefersTo: "'Hidden ''one'''!$A$1", Sheet: "Hidden 'one'", Hidden: true},
	}}
}

func TestRoundTrip(t *testing.T) {
	wb := sample()
	data, err := Write(wb)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wb, got); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
	// Writing again is byte-identical: the writer is deterministic.
	again, err := Write(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("second write differs")
	}
}

func TestReadRejectsNonWorkbooks(t *testing.T) {
	var empty bytes.Buffer
	zw := zip.NewWriter(&empty)
	_ = zw.Close()
	var noSheets bytes.Buffer
	zw = zip.NewWriter(&noSheets)
	w, _ := zw.Create("xl/workbook.xml")
	_, _ = w.Write([]byte(`<workbook><sheets/></workbook>`))
	_ = zw.Close()
	var badCell bytes.Buffer
	zw = zip.NewWriter(&badCell)
	w, _ = zw.Create("xl/workbook.xml")
	_, _ = w.Write([]byte(`<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>`))
	w, _ = zw.Create("xl/worksheets/sheet1.xml")
	_, _ = w.Write([]byte(`<worksheet><sheetData><row r="1"><c r="ZZZZ1"><v>1</v></c></row></sheetData></worksheet>`))
	_ = zw.Close()
	for name, data := range map[string][]byte{
		"nil": nil, "text": []byte("hello"), "empty zip": empty.Bytes(), "no sheets": noSheets.Bytes(), "bad cell": badCell.Bytes(),
	} {
		if _, err := Read(data); !errors.Is(err, ErrNotWorkbook) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := Write(&Workbook{}); err == nil {
		t.Error("wrote a workbook without sheets")
	}
}

func FuzzRead(f *testing.F) {
	data, err := Write(sample())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		wb, err := Read(b)
		if err == nil {
			if _, err := Write(wb); err != nil && len(wb.Sheets) > 0 {
				t.Fatalf("read but cannot write: %v", err)
			}
		}
	})
}

// TestReadExcelStyleFile reads parts written the way Excel writes them:
// absolute relationship targets, rich-text and inline strings, cells
// without references, a shared formula, a built-in date format and
// built-in names.
func TestReadExcelStyleFile(t *testing.T) {
	parts := map[string]string{
		"[Content_Types].xml": `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>
<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Data!$A$1:$B$3</definedName><definedName name="Rate">0.2</definedName></definedNames></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/sharedStrings.xml": `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Date</t></si><si><r><t>Am</t></r><r><rPr><b/></rPr><t>ount</t></r></si></sst>`,
		"xl/styles.xml": `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders><border/></borders>
<cellXfs><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
		"xl/worksheets/sheet1.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="inlineStr"><is><t>Note</t></is></c></row>
<row r="2"><c r="A2" s="1"><v>45292</v></c><c r="B2"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>90584</v></c><c r="C2" t="str"><f>"x"&amp;"y"</f><v>xy</v></c></row>
<row r="3"><c r="A3" s="1"><v>45293</v></c><c r="B3"><f t="shared" si="0"/><v>90586</v></c><c r="C3" t="b"><v>1</v></c></row>
</sheetData></worksheet>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range parts {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte(content))
	}
	_ = zw.Close()
	wb, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	sh := wb.Sheets[0]
	got := map[string]any{}
	for p, c := range sh.Cells {
		got[cellName(p.Row, p.Col)] = [3]any{c.Value, c.Formula, c.Style.NumFmt}
	}
	want := map[string]any{
		"A1": [3]any{"Date", "", ""}, "B1": [3]any{"Amount", "", ""}, "C1": [3]any{"Note", "", ""},
		"A2": [3]any{45292.0, "", "m/d/yyyy"}, "B2": [3]any{90584.0, "A2*2", ""}, "C2": [3]any{"xy", `"x"&"y"`, ""},
		"A3": [3]any{45293.0, "", "m/d/yyyy"}, "B3": [3]any{90586.0, "A3*2", ""}, "C3": [3]any{true, "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
	if len(wb.Names) != 2 || wb.Names[0].Sheet != "Data" || !wb.Names[0].Hidden || wb.Names[1].RefersTo != "0.2" {
		t.Fatalf("names: %+v %+v", wb.Names[0], wb.Names[1])
	}
}
