package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Hidden rows and columns are written as Excel does (hidden="1" on <row> and
// <col>) and read back, with or without a custom width or height.
func TestRoundTripHidden(t *testing.T) {
	sh := NewSheet("S")
	sh.Cells[Pos{Row: 0, Col: 0}] = &Cell{Value: 1.0}
	sh.ColWidths[2] = 42
	sh.RowHeights[4] = 30
	sh.HiddenCols = map[int]bool{1: true, 2: true}
	sh.HiddenRows = map[int]bool{0: true, 4: true, 9: true}
	data, err := Write(&Workbook{Sheets: []*Sheet{sh}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	g := got.Sheets[0]
	if diff := cmp.Diff(sh.HiddenCols, g.HiddenCols); diff != "" {
		t.Errorf("hidden columns: %s", diff)
	}
	if diff := cmp.Diff(sh.HiddenRows, g.HiddenRows); diff != "" {
		t.Errorf("hidden rows: %s", diff)
	}
	if diff := cmp.Diff(map[int]float64{2: 42}, g.ColWidths, cmp.Comparer(func(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 })); diff != "" {
		t.Errorf("widths: %s", diff)
	}
	if diff := cmp.Diff(map[int]float64{4: 30}, g.RowHeights); diff != "" {
		t.Errorf("heights: %s", diff)
	}
	if !strings.Contains(string(readPart(t, data, "xl/worksheets/sheet1.xml")), `<row r="10" hidden="1">`) {
		t.Error("empty hidden row not written")
	}
}

func readPart(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
