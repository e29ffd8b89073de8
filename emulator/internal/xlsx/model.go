package xlsx

// Workbook is a spreadsheet.
type Workbook struct {
	Sheets []*Sheet
	Names  []*Name
}

// Name is a defined name.
type Name struct {
	Name string
	// RefersTo is the formula without "=" ("Sheet1!$A$1:$B$2").
	RefersTo string
	Comment  string
	// Sheet is the sheet the name is local to; "" is workbook scope.
	Sheet  string
	Hidden bool
}

// Visibility of a sheet.
const (
	Visible    = "visible"
	Hidden     = "hidden"
	VeryHidden = "veryHidden"
)

// Sheet is a worksheet.
type Sheet struct {
	Name string
	// State is Visible, Hidden or VeryHidden.
	State string
	Cells map[Pos]*Cell
	// ColWidths and RowHeights are in points, by zero-based index.
	ColWidths  map[int]float64
	RowHeights map[int]float64
	// HiddenCols and HiddenRows are the hidden columns and rows, by
	// zero-based index (nil when none).
	HiddenCols map[int]bool
	HiddenRows map[int]bool
	// Merges are merged areas as A1 ranges ("A1:B2").
	Merges []string
	Tables []*Table
}

// NewSheet returns an empty visible sheet.
func NewSheet(name string) *Sheet {
	return &Sheet{Name: name, State: Visible, Cells: map[Pos]*Cell{}, ColWidths: map[int]float64{}, RowHeights: map[int]float64{}}
}

// Pos is a zero-based cell position.
type Pos struct{ Row, Col int }

// Cell is one cell. Value is nil (empty), float64, string, bool or
// ErrorValue; for a formula cell it is the last computed result.
type Cell struct {
	Value   any
	Formula string // without "="
	Style   Style
}

// ErrorValue is a cell holding an error such as "#DIV/0!".
type ErrorValue string

// Style is the formatting of a cell.
type Style struct {
	NumFmt string // "" is General
	Font   Font
	// Fill is the solid fill colour ("#FFFF00"), "" for none.
	Fill    string
	HAlign  string // Excel's names: "General", "Left", "Center", ...
	VAlign  string
	Wrap    bool
	Borders [4]Border // left, top, right, bottom
}

// Font of a cell; the zero value is the default font.
type Font struct {
	Name      string
	Size      float64
	Bold      bool
	Italic    bool
	Underline string // "", "Single", "Double"
	Color     string // "#RRGGBB"
}

// Border is one side of a cell's border; Style "" is none.
type Border struct {
	Style  string // Excel's names: "Continuous", "Dash", ...
	Color  string
	Weight string // "Hairline", "Thin", "Medium", "Thick"
}

// Table is a table (ListObject) on a sheet.
type Table struct {
	ID   int
	Name string
	// Ref is the table's area including header and totals rows ("A1:C5").
	Ref        string
	HeaderRow  bool
	TotalsRow  bool
	Style      string
	Columns    []string
	BandedRows bool
	BandedCols bool
	FirstCol   bool
	LastCol    bool
	AutoFilter bool
}
