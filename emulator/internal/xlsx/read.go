package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/o365go/o365/emulator/internal/formula"
)

// ErrNotWorkbook is returned for content that is not a readable .xlsx.
var ErrNotWorkbook = errors.New("xlsx: not a spreadsheet")

// maxPart bounds the decompressed size of one part, against zip bombs.
const maxPart = 64 << 20

type rels struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
		Type   string `xml:"Type,attr"`
	} `xml:"Relationship"`
}

type xWorkbook struct {
	Sheets []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		RID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
	Names []struct {
		Name    string `xml:"name,attr"`
		Local   *int   `xml:"localSheetId,attr"`
		Hidden  bool   `xml:"hidden,attr"`
		Comment string `xml:"comment,attr"`
		Value   string `xml:",chardata"`
	} `xml:"definedNames>definedName"`
}

type xText struct {
	T string `xml:"t"`
	R []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (t xText) text() string {
	if len(t.R) == 0 {
		return t.T
	}
	var b strings.Builder
	b.WriteString(t.T)
	for _, r := range t.R {
		b.WriteString(r.T)
	}
	return b.String()
}

type xColor struct {
	RGB string `xml:"rgb,attr"`
}

type xBorderSide struct {
	Style string  `xml:"style,attr"`
	Color *xColor `xml:"color"`
}

type xStyles struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Fonts []struct {
		B *struct{} `xml:"b"`
		I *struct{} `xml:"i"`
		U *struct {
			Val string `xml:"val,attr"`
		} `xml:"u"`
		Sz struct {
			Val float64 `xml:"val,attr"`
		} `xml:"sz"`
		Color *xColor `xml:"color"`
		Name  struct {
			Val string `xml:"val,attr"`
		} `xml:"name"`
	} `xml:"fonts>font"`
	Fills []struct {
		Pattern struct {
			Type string  `xml:"patternType,attr"`
			Fg   *xColor `xml:"fgColor"`
		} `xml:"patternFill"`
	} `xml:"fills>fill"`
	Borders []struct {
		Left   xBorderSide `xml:"left"`
		Right  xBorderSide `xml:"right"`
		Top    xBorderSide `xml:"top"`
		Bottom xBorderSide `xml:"bottom"`
	} `xml:"borders>border"`
	Xfs []struct {
		NumFmt int `xml:"numFmtId,attr"`
		Font   int `xml:"fontId,attr"`
		Fill   int `xml:"fillId,attr"`
		Border int `xml:"borderId,attr"`
		Align  *struct {
			H    string `xml:"horizontal,attr"`
			V    string `xml:"vertical,attr"`
			Wrap bool   `xml:"wrapText,attr"`
		} `xml:"alignment"`
	} `xml:"cellXfs>xf"`
}

type xSheet struct {
	Cols []struct {
		Min    int     `xml:"min,attr"`
		Max    int     `xml:"max,attr"`
		Width  float64 `xml:"width,attr"`
		Custom bool    `xml:"customWidth,attr"`
		Hidden bool    `xml:"hidden,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		R      int     `xml:"r,attr"`
		Ht     float64 `xml:"ht,attr"`
		Custom bool    `xml:"customHeight,attr"`
		Hidden bool    `xml:"hidden,attr"`
		Cells  []struct {
			R string `xml:"r,attr"`
			T string `xml:"t,attr"`
			S int    `xml:"s,attr"`
			F *struct {
				Text string `xml:",chardata"`
				T    string `xml:"t,attr"`
				SI   *int   `xml:"si,attr"`
			} `xml:"f"`
			V  *string `xml:"v"`
			Is *xText  `xml:"is"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
	Merges []struct {
		Ref string `xml:"ref,attr"`
	} `xml:"mergeCells>mergeCell"`
	Tables []struct {
		RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"tableParts>tablePart"`
}

type xTable struct {
	ID          int       `xml:"id,attr"`
	Name        string    `xml:"name,attr"`
	DisplayName string    `xml:"displayName,attr"`
	Ref         string    `xml:"ref,attr"`
	HeaderCount *int      `xml:"headerRowCount,attr"`
	TotalsCount int       `xml:"totalsRowCount,attr"`
	AutoFilter  *struct{} `xml:"autoFilter"`
	Columns     []struct {
		Name string `xml:"name,attr"`
	} `xml:"tableColumns>tableColumn"`
	Style *struct {
		Name   string `xml:"name,attr"`
		First  bool   `xml:"showFirstColumn,attr"`
		Last   bool   `xml:"showLastColumn,attr"`
		RowStr bool   `xml:"showRowStripes,attr"`
		ColStr bool   `xml:"showColumnStripes,attr"`
	} `xml:"tableStyleInfo"`
}

type archive struct {
	files map[string]*zip.File
}

func (a *archive) read(name string, v any) error {
	f := a.files[strings.TrimPrefix(name, "/")]
	if f == nil {
		return fmt.Errorf("%w: missing part %s", ErrNotWorkbook, name)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxPart+1))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	if len(data) > maxPart {
		return fmt.Errorf("%w: part %s too large", ErrNotWorkbook, name)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrNotWorkbook, name, err)
	}
	return nil
}

func (a *archive) has(name string) bool { return a.files[strings.TrimPrefix(name, "/")] != nil }

// relsOf reads the relationships of a part, by id.
func (a *archive) relsOf(part string) map[string]string {
	dir, file := path.Split(part)
	var r rels
	out := map[string]string{}
	if err := a.read(dir+"_rels/"+file+".rels", &r); err != nil {
		return out
	}
	for _, x := range r.Rel {
		t := x.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Clean(dir + t)
		}
		out[x.ID] = t
	}
	return out
}

// Read decodes an .xlsx file.
func Read(data []byte) (*Workbook, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotWorkbook, err)
	}
	a := &archive{files: map[string]*zip.File{}}
	for _, f := range zr.File {
		a.files[f.Name] = f
	}
	wbPart := "xl/workbook.xml"
	if r := a.relsOf(""); len(r) > 0 {
		for _, t := range r {
			if strings.HasSuffix(t, "workbook.xml") {
				wbPart = t
			}
		}
	}
	var xw xWorkbook
	if err := a.read(wbPart, &xw); err != nil {
		return nil, err
	}
	if len(xw.Sheets) == 0 {
		return nil, fmt.Errorf("%w: no sheets", ErrNotWorkbook)
	}
	wbRels := a.relsOf(wbPart)
	dir := path.Dir(wbPart) + "/"
	var sst []string
	var xs xStyles
	for _, t := range wbRels {
		switch {
		case strings.HasSuffix(t, "sharedStrings.xml"):
			var s struct {
				SI []xText `xml:"si"`
			}
			if err := a.read(t, &s); err != nil {
				return nil, err
			}
			for _, si := range s.SI {
				sst = append(sst, si.text())
			}
		case strings.HasSuffix(t, "styles.xml"):
			if err := a.read(t, &xs); err != nil {
				return nil, err
			}
		}
	}
	styles := decodeStyles(&xs)
	wb := &Workbook{}
	for _, s := range xw.Sheets {
		part := wbRels[s.RID]
		if part == "" {
			part = dir + "worksheets/sheet" + strconv.Itoa(len(wb.Sheets)+1) + ".xml"
		}
		sh := NewSheet(s.Name)
		if s.State == Hidden || s.State == VeryHidden {
			sh.State = s.State
		}
		if !a.has(part) {
			// Chart sheets and other non-worksheets are skipped.
			continue
		}
		if err := readSheet(a, part, sh, sst, styles); err != nil {
			return nil, err
		}
		wb.Sheets = append(wb.Sheets, sh)
	}
	if len(wb.Sheets) == 0 {
		return nil, fmt.Errorf("%w: no worksheets", ErrNotWorkbook)
	}
	for _, n := range xw.Names {
		nm := &Name{Name: n.Name, RefersTo: strings.TrimPrefix(n.Value, "="), Comment: n.Comment, Hidden: n.Hidden}
		if n.Local != nil && *n.Local >= 0 && *n.Local < len(xw.Sheets) {
			nm.Sheet = xw.Sheets[*n.Local].Name
		}
		wb.Names = append(wb.Names, nm)
	}
	return wb, nil
}

func decodeStyles(xs *xStyles) []Style {
	fmts := map[int]string{}
	for id, c := range builtinFormats {
		fmts[id] = c
	}
	for _, f := range xs.NumFmts {
		fmts[f.ID] = f.Code
	}
	color := func(c *xColor) string {
		if c == nil || len(c.RGB) < 6 {
			return ""
		}
		return "#" + strings.ToUpper(c.RGB[len(c.RGB)-6:])
	}
	out := make([]Style, len(xs.Xfs))
	for i, x := range xs.Xfs {
		var s Style
		if f := fmts[x.NumFmt]; f != "General" {
			s.NumFmt = f
		}
		if x.Font > 0 && x.Font < len(xs.Fonts) {
			f := xs.Fonts[x.Font]
			s.Font = Font{Bold: f.B != nil, Italic: f.I != nil, Color: color(f.Color)}
			if f.Name.Val != "Calibri" {
				s.Font.Name = f.Name.Val
			}
			if f.Sz.Val != 11 {
				s.Font.Size = f.Sz.Val
			}
			if f.U != nil {
				s.Font.Underline = "Single"
				if f.U.Val == "double" {
					s.Font.Underline = "Double"
				}
			}
		}
		if x.Fill > 1 && x.Fill < len(xs.Fills) {
			if p := xs.Fills[x.Fill].Pattern; p.Type == "solid" {
				s.Fill = color(p.Fg)
			}
		}
		if x.Border > 0 && x.Border < len(xs.Borders) {
			b := xs.Borders[x.Border]
			for j, side := range []xBorderSide{b.Left, b.Top, b.Right, b.Bottom} {
				st, w := borderFromFile(side.Style)
				if st != "" {
					s.Borders[j] = Border{Style: st, Weight: w, Color: color(side.Color)}
				}
			}
		}
		if x.Align != nil {
			s.HAlign, s.VAlign, s.Wrap = alignFromFile(x.Align.H), alignFromFile(x.Align.V), x.Align.Wrap
		}
		out[i] = s
	}
	return out
}

func readSheet(a *archive, part string, sh *Sheet, sst []string, styles []Style) error {
	var xs xSheet
	if err := a.read(part, &xs); err != nil {
		return err
	}
	for _, c := range xs.Cols {
		if c.Min < 1 || c.Max < c.Min || c.Max > 16384 {
			continue
		}
		for i := c.Min; i <= c.Max; i++ {
			if c.Custom {
				sh.ColWidths[i-1] = c.Width * pointsPerChar
			}
			if c.Hidden {
				if sh.HiddenCols == nil {
					sh.HiddenCols = map[int]bool{}
				}
				sh.HiddenCols[i-1] = true
			}
		}
	}
	masters := map[int]sharedMaster{}
	var dependents []sharedDependent
	nextRow := 0
	for _, r := range xs.Rows {
		row := r.R - 1
		if r.R == 0 {
			row = nextRow
		}
		if row < 0 || row >= 1048576 {
			return fmt.Errorf("%w: bad row %d", ErrNotWorkbook, r.R)
		}
		nextRow = row + 1
		if r.Custom && r.Ht > 0 {
			sh.RowHeights[row] = r.Ht
		}
		if r.Hidden {
			if sh.HiddenRows == nil {
				sh.HiddenRows = map[int]bool{}
			}
			sh.HiddenRows[row] = true
		}
		nextCol := 0
		for _, c := range r.Cells {
			col := nextCol
			if c.R != "" {
				rr, cc, ok := parseCellName(c.R)
				if !ok {
					return fmt.Errorf("%w: bad cell reference", ErrNotWorkbook)
				}
				row, col = rr, cc
			}
			nextCol = col + 1
			cell := &Cell{}
			if c.S > 0 && c.S < len(styles) {
				cell.Style = styles[c.S]
			}
			if c.F != nil && c.F.Text != "" {
				cell.Formula = c.F.Text
				if c.F.T == "shared" && c.F.SI != nil {
					masters[*c.F.SI] = sharedMaster{row, col, c.F.Text}
				}
			} else if c.F != nil && c.F.T == "shared" && c.F.SI != nil {
				dependents = append(dependents, sharedDependent{row, col, *c.F.SI})
			}
			v := ""
			if c.V != nil {
				v = *c.V
			}
			switch c.T {
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || i < 0 || i >= len(sst) {
					return fmt.Errorf("%w: bad shared string index", ErrNotWorkbook)
				}
				cell.Value = sst[i]
			case "inlineStr":
				if c.Is != nil {
					cell.Value = c.Is.text()
				}
			case "str":
				cell.Value = v
			case "b":
				cell.Value = strings.TrimSpace(v) == "1"
			case "e":
				cell.Value = ErrorValue(v)
			default:
				if c.V != nil && strings.TrimSpace(v) != "" {
					f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
					if err != nil {
						return fmt.Errorf("%w: bad number", ErrNotWorkbook)
					}
					cell.Value = f
				}
			}
			if cell.Value == nil && cell.Formula == "" && cell.Style == (Style{}) {
				continue
			}
			sh.Cells[Pos{row, col}] = cell
		}
	}
	// A shared formula is written once; the other cells of its range hold
	// only its index and are the master formula moved to them.
	for _, d := range dependents {
		m, ok := masters[d.si]
		if c := sh.Cells[Pos{d.row, d.col}]; ok && c != nil {
			c.Formula = formula.Translate(m.text, d.row-m.row, d.col-m.col)
		}
	}
	for _, m := range xs.Merges {
		sh.Merges = append(sh.Merges, m.Ref)
	}
	if len(xs.Tables) > 0 {
		rs := a.relsOf(part)
		for _, tp := range xs.Tables {
			target := rs[tp.RID]
			if target == "" {
				continue
			}
			var xt xTable
			if err := a.read(target, &xt); err != nil {
				return err
			}
			name := xt.DisplayName
			if name == "" {
				name = xt.Name
			}
			t := &Table{ID: xt.ID, Name: name, Ref: xt.Ref, HeaderRow: xt.HeaderCount == nil || *xt.HeaderCount > 0,
				TotalsRow: xt.TotalsCount > 0, AutoFilter: xt.AutoFilter != nil}
			for _, c := range xt.Columns {
				t.Columns = append(t.Columns, c.Name)
			}
			if xt.Style != nil {
				t.Style, t.FirstCol, t.LastCol, t.BandedRows, t.BandedCols = xt.Style.Name, xt.Style.First, xt.Style.Last, xt.Style.RowStr, xt.Style.ColStr
			}
			sh.Tables = append(sh.Tables, t)
		}
	}
	return nil
}

type sharedMaster struct {
	row, col int
	text     string
}

type sharedDependent struct{ row, col, si int }

// parseCellName parses "B3" into zero-based row and column.
func parseCellName(s string) (row, col int, ok bool) {
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		c := s[i]
		if c >= 'a' {
			c -= 32
		}
		col = col*26 + int(c-'A'+1)
		i++
	}
	if i == 0 || i > 3 || col > 16384 {
		return 0, 0, false
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil || n < 1 || n > 1048576 {
		return 0, 0, false
	}
	return n - 1, col - 1, true
}
