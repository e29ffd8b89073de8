package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// builtinFormats are the number formats every reader knows by id.
var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
	11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "m/d/yyyy", 15: "d-mmm-yy", 16: "d-mmm",
	17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
	22: "m/d/yyyy h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
	40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

// pointsPerChar converts column widths between Graph's points and the
// file's character units (Calibri 11: 7 pixels a character).
const pointsPerChar = 5.25

// defaultColumnPoints is the width of a column without a custom width
// (8.43 characters).
const defaultColumnPoints = 8.43 * pointsPerChar

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func attr(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", "\n", "&#10;", "\r", "&#13;", "\t", "&#9;").Replace(s)
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// styleTable collects the distinct styles of a workbook.
type styleTable struct {
	xfs     []Style
	index   map[Style]int
	fonts   []Font
	fills   []string
	borders [][4]Border
	numFmts map[string]int
}

func newStyleTable() *styleTable {
	return &styleTable{
		xfs:     []Style{{}},
		index:   map[Style]int{{}: 0},
		fonts:   []Font{{}},
		fills:   []string{"", "gray125"},
		borders: [][4]Border{{}},
		numFmts: map[string]int{},
	}
}

func (t *styleTable) id(s Style) int {
	if i, ok := t.index[s]; ok {
		return i
	}
	t.index[s] = len(t.xfs)
	t.xfs = append(t.xfs, s)
	return len(t.xfs) - 1
}

func (t *styleTable) numFmtID(code string) int {
	if code == "" || code == "General" {
		return 0
	}
	for id, c := range builtinFormats {
		if c == code {
			return id
		}
	}
	if id, ok := t.numFmts[code]; ok {
		return id
	}
	id := 164 + len(t.numFmts)
	t.numFmts[code] = id
	return id
}

func (t *styleTable) fontID(f Font) int {
	if i := slices.Index(t.fonts, f); i >= 0 {
		return i
	}
	t.fonts = append(t.fonts, f)
	return len(t.fonts) - 1
}

func (t *styleTable) fillID(c string) int {
	if c == "" {
		return 0
	}
	if i := slices.Index(t.fills, c); i >= 0 {
		return i
	}
	t.fills = append(t.fills, c)
	return len(t.fills) - 1
}

func (t *styleTable) borderID(b [4]Border) int {
	if i := slices.Index(t.borders, b); i >= 0 {
		return i
	}
	t.borders = append(t.borders, b)
	return len(t.borders) - 1
}

func argb(c string) string {
	c = strings.TrimPrefix(c, "#")
	if len(c) == 6 {
		return "FF" + strings.ToUpper(c)
	}
	return strings.ToUpper(c)
}

func (t *styleTable) xml() string {
	type xf struct{ numFmt, font, fill, border int }
	rows := make([]xf, len(t.xfs))
	for i, s := range t.xfs {
		rows[i] = xf{t.numFmtID(s.NumFmt), t.fontID(s.Font), t.fillID(s.Fill), t.borderID(s.Borders)}
	}
	var b strings.Builder
	b.WriteString(xml.Header + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	if len(t.numFmts) > 0 {
		codes := make([]string, 0, len(t.numFmts))
		for c := range t.numFmts {
			codes = append(codes, c)
		}
		slices.SortFunc(codes, func(a, b string) int { return t.numFmts[a] - t.numFmts[b] })
		fmt.Fprintf(&b, `<numFmts count="%d">`, len(codes))
		for _, c := range codes {
			fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="%s"/>`, t.numFmts[c], attr(c))
		}
		b.WriteString(`</numFmts>`)
	}
	fmt.Fprintf(&b, `<fonts count="%d">`, len(t.fonts))
	for _, f := range t.fonts {
		b.WriteString(`<font>`)
		if f.Bold {
			b.WriteString(`<b/>`)
		}
		if f.Italic {
			b.WriteString(`<i/>`)
		}
		switch f.Underline {
		case "Single":
			b.WriteString(`<u/>`)
		case "Double":
			b.WriteString(`<u val="double"/>`)
		}
		size := f.Size
		if size == 0 {
			size = 11
		}
		fmt.Fprintf(&b, `<sz val="%s"/>`, num(size))
		if f.Color != "" {
			fmt.Fprintf(&b, `<color rgb="%s"/>`, attr(argb(f.Color)))
		}
		name := f.Name
		if name == "" {
			name = "Calibri"
		}
		fmt.Fprintf(&b, `<name val="%s"/></font>`, attr(name))
	}
	fmt.Fprintf(&b, `</fonts><fills count="%d">`, len(t.fills))
	for i, f := range t.fills {
		switch i {
		case 0:
			b.WriteString(`<fill><patternFill patternType="none"/></fill>`)
		case 1:
			b.WriteString(`<fill><patternFill patternType="gray125"/></fill>`)
		default:
			fmt.Fprintf(&b, `<fill><patternFill patternType="solid"><fgColor rgb="%s"/><bgColor indexed="64"/></patternFill></fill>`, attr(argb(f)))
		}
	}
	fmt.Fprintf(&b, `</fills><borders count="%d">`, len(t.borders))
	for _, bs := range t.borders {
		b.WriteString(`<border>`)
		for i, side := range []string{"left", "right", "top", "bottom"} {
			bd := bs[[]int{0, 2, 1, 3}[i]]
			st := borderStyleToFile(bd)
			if st == "" {
				fmt.Fprintf(&b, `<%s/>`, side)
				continue
			}
			fmt.Fprintf(&b, `<%s style="%s">`, side, st)
			if bd.Color != "" {
				fmt.Fprintf(&b, `<color rgb="%s"/>`, attr(argb(bd.Color)))
			}
			fmt.Fprintf(&b, `</%s>`, side)
		}
		b.WriteString(`<diagonal/></border>`)
	}
	b.WriteString(`</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`)
	fmt.Fprintf(&b, `<cellXfs count="%d">`, len(rows))
	for i, x := range rows {
		s := t.xfs[i]
		fmt.Fprintf(&b, `<xf numFmtId="%d" fontId="%d" fillId="%d" borderId="%d" xfId="0"`, x.numFmt, x.font, x.fill, x.border)
		if x.numFmt != 0 {
			b.WriteString(` applyNumberFormat="1"`)
		}
		if x.font != 0 {
			b.WriteString(` applyFont="1"`)
		}
		if x.fill != 0 {
			b.WriteString(` applyFill="1"`)
		}
		if x.border != 0 {
			b.WriteString(` applyBorder="1"`)
		}
		if s.HAlign != "" || s.VAlign != "" || s.Wrap {
			b.WriteString(` applyAlignment="1"><alignment`)
			if s.HAlign != "" {
				fmt.Fprintf(&b, ` horizontal="%s"`, attr(alignToFile(s.HAlign)))
			}
			if s.VAlign != "" {
				fmt.Fprintf(&b, ` vertical="%s"`, attr(alignToFile(s.VAlign)))
			}
			if s.Wrap {
				b.WriteString(` wrapText="1"`)
			}
			b.WriteString(`/></xf>`)
			continue
		}
		b.WriteString(`/>`)
	}
	b.WriteString(`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`)
	return b.String()
}

// alignToFile turns Graph's alignment names ("Center", "CenterAcrossSelection")
// into the file's ("center", "centerContinuous").
func alignToFile(a string) string {
	switch a {
	case "CenterAcrossSelection":
		return "centerContinuous"
	}
	if a == "" {
		return ""
	}
	return strings.ToLower(a[:1]) + a[1:]
}

func alignFromFile(a string) string {
	switch a {
	case "":
		return ""
	case "centerContinuous":
		return "CenterAcrossSelection"
	}
	return strings.ToUpper(a[:1]) + a[1:]
}

func borderStyleToFile(b Border) string {
	switch b.Style {
	case "", "None":
		return ""
	case "Dash":
		return "dashed"
	case "DashDot":
		return "dashDot"
	case "DashDotDot":
		return "dashDotDot"
	case "Dot":
		return "dotted"
	case "Double":
		return "double"
	case "SlantDashDot":
		return "slantDashDot"
	}
	switch b.Weight {
	case "Hairline":
		return "hair"
	case "Medium":
		return "medium"
	case "Thick":
		return "thick"
	}
	return "thin"
}

func borderFromFile(s string) (style, weight string) {
	switch s {
	case "":
		return "", ""
	case "dashed":
		return "Dash", "Thin"
	case "dashDot":
		return "DashDot", "Thin"
	case "dashDotDot":
		return "DashDotDot", "Thin"
	case "dotted":
		return "Dot", "Thin"
	case "double":
		return "Double", "Thick"
	case "slantDashDot":
		return "SlantDashDot", "Medium"
	case "hair":
		return "Continuous", "Hairline"
	case "medium":
		return "Continuous", "Medium"
	case "thick":
		return "Continuous", "Thick"
	}
	return "Continuous", "Thin"
}

// Write encodes wb as an .xlsx file.
func Write(wb *Workbook) ([]byte, error) {
	if wb == nil || len(wb.Sheets) == 0 {
		return nil, fmt.Errorf("xlsx: a workbook needs at least one sheet")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, content string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(content))
		return err
	}
	styles := newStyleTable()
	var sst []string
	sstIndex := map[string]int{}
	shared := func(s string) int {
		if i, ok := sstIndex[s]; ok {
			return i
		}
		sstIndex[s] = len(sst)
		sst = append(sst, s)
		return len(sst) - 1
	}
	tableN := 0
	var ct strings.Builder
	ct.WriteString(xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
	var wbRels strings.Builder
	wbRels.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	var sheetsXML strings.Builder
	for i, sh := range wb.Sheets {
		n := i + 1
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		state := ""
		if sh.State == Hidden || sh.State == VeryHidden {
			state = ` state="` + sh.State + `"`
		}
		fmt.Fprintf(&sheetsXML, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, attr(sh.Name), n, state, n)

		var sx strings.Builder
		sx.WriteString(xml.Header + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
		if len(sh.ColWidths) > 0 || len(sh.HiddenCols) > 0 {
			colSet := map[int]bool{}
			for c := range sh.ColWidths {
				colSet[c] = true
			}
			for c, h := range sh.HiddenCols {
				if h {
					colSet[c] = true
				}
			}
			sx.WriteString(`<cols>`)
			for _, c := range sortedKeys(colSet) {
				attrs := ""
				if w, ok := sh.ColWidths[c]; ok {
					attrs += fmt.Sprintf(` width="%s" customWidth="1"`, num(math.Round(w/pointsPerChar*1e4)/1e4))
				} else {
					attrs += ` width="` + num(math.Round(defaultColumnPoints/pointsPerChar*1e4)/1e4) + `"`
				}
				if sh.HiddenCols[c] {
					attrs += ` hidden="1"`
				}
				fmt.Fprintf(&sx, `<col min="%d" max="%d"%s/>`, c+1, c+1, attrs)
			}
			sx.WriteString(`</cols>`)
		}
		sx.WriteString(`<sheetData>`)
		byRow := map[int][]int{}
		for p := range sh.Cells {
			byRow[p.Row] = append(byRow[p.Row], p.Col)
		}
		for r := range sh.RowHeights {
			if _, ok := byRow[r]; !ok {
				byRow[r] = nil
			}
		}
		for r, h := range sh.HiddenRows {
			if _, ok := byRow[r]; !ok && h {
				byRow[r] = nil
			}
		}
		for _, r := range sortedKeys(byRow) {
			cols := byRow[r]
			slices.Sort(cols)
			hidden := ""
			if sh.HiddenRows[r] {
				hidden = ` hidden="1"`
			}
			if h, ok := sh.RowHeights[r]; ok {
				fmt.Fprintf(&sx, `<row r="%d" ht="%s" customHeight="1"%s>`, r+1, num(h), hidden)
			} else {
				fmt.Fprintf(&sx, `<row r="%d"%s>`, r+1, hidden)
			}
			for _, c := range cols {
				cell := sh.Cells[Pos{r, c}]
				ref := cellName(r, c)
				s := ""
				if id := styles.id(cell.Style); id != 0 {
					s = fmt.Sprintf(` s="%d"`, id)
				}
				f := ""
				if cell.Formula != "" {
					f = `<f>` + esc(cell.Formula) + `</f>`
				}
				switch v := cell.Value.(type) {
				case nil:
					if f != "" {
						fmt.Fprintf(&sx, `<c r="%s"%s>%s</c>`, ref, s, f)
					} else {
						fmt.Fprintf(&sx, `<c r="%s"%s/>`, ref, s)
					}
				case float64:
					fmt.Fprintf(&sx, `<c r="%s"%s>%s<v>%s</v></c>`, ref, s, f, num(v))
				case bool:
					b := "0"
					if v {
						b = "1"
					}
					fmt.Fprintf(&sx, `<c r="%s"%s t="b">%s<v>%s</v></c>`, ref, s, f, b)
				case ErrorValue:
					fmt.Fprintf(&sx, `<c r="%s"%s t="e">%s<v>%s</v></c>`, ref, s, f, esc(string(v)))
				case string:
					if f != "" {
						fmt.Fprintf(&sx, `<c r="%s"%s t="str">%s<v>%s</v></c>`, ref, s, f, esc(v))
					} else {
						fmt.Fprintf(&sx, `<c r="%s"%s t="s"><v>%d</v></c>`, ref, s, shared(v))
					}
				default:
					return nil, fmt.Errorf("xlsx: cell %s has a value of type %T", ref, v)
				}
			}
			sx.WriteString(`</row>`)
		}
		sx.WriteString(`</sheetData>`)
		if len(sh.Merges) > 0 {
			fmt.Fprintf(&sx, `<mergeCells count="%d">`, len(sh.Merges))
			for _, m := range sh.Merges {
				fmt.Fprintf(&sx, `<mergeCell ref="%s"/>`, attr(m))
			}
			sx.WriteString(`</mergeCells>`)
		}
		if len(sh.Tables) > 0 {
			var rels strings.Builder
			rels.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
			fmt.Fprintf(&sx, `<tableParts count="%d">`, len(sh.Tables))
			for j, t := range sh.Tables {
				tableN++
				fmt.Fprintf(&ct, `<Override PartName="/xl/tables/table%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>`, tableN)
				fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table%d.xml"/>`, j+1, tableN)
				fmt.Fprintf(&sx, `<tablePart r:id="rId%d"/>`, j+1)
				if err := put(fmt.Sprintf("xl/tables/table%d.xml", tableN), tableXML(t)); err != nil {
					return nil, err
				}
			}
			sx.WriteString(`</tableParts>`)
			rels.WriteString(`</Relationships>`)
			if err := put(fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", n), rels.String()); err != nil {
				return nil, err
			}
		}
		sx.WriteString(`</worksheet>`)
		if err := put(fmt.Sprintf("xl/worksheets/sheet%d.xml", n), sx.String()); err != nil {
			return nil, err
		}
	}
	ct.WriteString(`</Types>`)
	n := len(wb.Sheets)
	fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, n+1)
	fmt.Fprintf(&wbRels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, n+2)
	wbRels.WriteString(`</Relationships>`)

	var wx strings.Builder
	wx.WriteString(xml.Header + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	wx.WriteString(sheetsXML.String())
	wx.WriteString(`</sheets>`)
	if len(wb.Names) > 0 {
		wx.WriteString(`<definedNames>`)
		for _, nm := range wb.Names {
			extra := ""
			if nm.Sheet != "" {
				for i, sh := range wb.Sheets {
					if sh.Name == nm.Sheet {
						extra += fmt.Sprintf(` localSheetId="%d"`, i)
					}
				}
			}
			if nm.Hidden {
				extra += ` hidden="1"`
			}
			if nm.Comment != "" {
				extra += ` comment="` + attr(nm.Comment) + `"`
			}
			fmt.Fprintf(&wx, `<definedName name="%s"%s>%s</definedName>`, attr(nm.Name), extra, esc(nm.RefersTo))
		}
		wx.WriteString(`</definedNames>`)
	}
	wx.WriteString(`<calcPr calcId="191029"/></workbook>`)

	var sx strings.Builder
	fmt.Fprintf(&sx, xml.Header+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
	for _, s := range sst {
		sp := ""
		if strings.TrimSpace(s) != s {
			sp = ` xml:space="preserve"`
		}
		fmt.Fprintf(&sx, `<si><t%s>%s</t></si>`, sp, esc(s))
	}
	sx.WriteString(`</sst>`)

	parts := []struct{ name, content string }{
		{"[Content_Types].xml", ct.String()},
		{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", wx.String()},
		{"xl/_rels/workbook.xml.rels", wbRels.String()},
		{"xl/styles.xml", styles.xml()},
		{"xl/sharedStrings.xml", sx.String()},
	}
	for _, p := range parts {
		if err := put(p.name, p.content); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func tableXML(t *Table) string {
	var b strings.Builder
	hdr := ""
	if !t.HeaderRow {
		hdr = ` headerRowCount="0"`
	}
	tot := ""
	if t.TotalsRow {
		tot = ` totalsRowCount="1"`
	} else {
		tot = ` totalsRowShown="0"`
	}
	fmt.Fprintf(&b, xml.Header+`<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="%d" name="%s" displayName="%s" ref="%s"%s%s>`,
		t.ID, attr(t.Name), attr(t.Name), attr(t.Ref), hdr, tot)
	if t.HeaderRow && t.AutoFilter {
		fmt.Fprintf(&b, `<autoFilter ref="%s"/>`, attr(t.Ref))
	}
	fmt.Fprintf(&b, `<tableColumns count="%d">`, len(t.Columns))
	for i, c := range t.Columns {
		fmt.Fprintf(&b, `<tableColumn id="%d" name="%s"/>`, i+1, attr(c))
	}
	b.WriteString(`</tableColumns>`)
	style := t.Style
	if style == "" {
		style = "TableStyleMedium2"
	}
	fmt.Fprintf(&b, `<tableStyleInfo name="%s" showFirstColumn="%s" showLastColumn="%s" showRowStripes="%s" showColumnStripes="%s"/></table>`,
		attr(style), b01(t.FirstCol), b01(t.LastCol), b01(t.BandedRows), b01(t.BandedCols))
	return b.String()
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func cellName(row, col int) string {
	var b []byte
	for c := col; c >= 0; c = c/26 - 1 {
		b = append([]byte{byte('A' + c%26)}, b...)
	}
	return string(b) + strconv.Itoa(row+1)
}
