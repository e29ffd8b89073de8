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
