package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/o365go/o365/emulator/internal/formula"
	"github.com/o365go/o365/emulator/internal/xlsx"
)

// ---- worksheets ----

func visibilityName(state string) string {
	switch state {
	case xlsx.Hidden:
		return "Hidden"
	case xlsx.VeryHidden:
		return "VeryHidden"
	}
	return "Visible"
}

func (x *wbCall) sheetJSON(sh *xlsx.Sheet) map[string]any {
	return map[string]any{
		"@odata.type": "#microsoft.graph.workbookWorksheet",
		"id":          x.b.sheetIDs[sh],
		"name":        sh.Name,
		"position":    x.b.sheetIndex(sh),
		"visibility":  visibilityName(sh.State),
	}
}

func (x *wbCall) listWorksheets() (wbResult, *graphError) {
	return okFn(func() any {
		out := []any{}
		for _, sh := range x.b.wb.Sheets {
			out = append(out, x.sheetJSON(sh))
		}
		return map[string]any{"value": out}
	}), nil
}

// validSheetName applies Excel's rules: 1-31 characters, none of
// : \ / ? * [ ], not starting or ending with an apostrophe.
func validSheetName(n string) bool {
	return n != "" && len([]rune(n)) <= 31 && !strings.ContainsAny(n, `:\/?*[]`) &&
		!strings.HasPrefix(n, "'") && !strings.HasSuffix(n, "'") && !strings.EqualFold(n, "History")
}

func (x *wbCall) addWorksheet() (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	name, _ := body["name"].(string)
	if name == "" {
		for i := len(x.b.wb.Sheets) + 1; ; i++ {
			name = "Sheet" + strconv.Itoa(i)
			if x.b.sheetByName(name) == nil {
				break
			}
		}
	}
	if !validSheetName(name) {
		return nil, errWbArg("The worksheet name is invalid.")
	}
	if x.b.sheetByName(name) != nil {
		return nil, errorf(http.StatusConflict, "ItemAlreadyExists", "The resource you are trying to create already exists.")
	}
	sh := xlsx.NewSheet(name)
	x.b.wb.Sheets = append(x.b.wb.Sheets, sh)
	x.b.assignSheetID(sh)
	x.dirty = true
	// worksheetcollection-add.md answers 200; a POST to the collection
	// creates (201).
	status := http.StatusOK
	if x.r.URL.Path[len(x.r.URL.Path)-len("/worksheets"):] == "/worksheets" {
		status = http.StatusCreated
	}
	return func() (int, any) { return status, x.sheetJSON(sh) }, nil
}

func (x *wbCall) worksheet(sh *xlsx.Sheet, rest []wbSeg) (wbResult, *graphError) {
	m := x.r.Method
	if len(rest) == 0 {
		switch m {
		case http.MethodGet:
			return okFn(func() any { return x.sheetJSON(sh) }), nil
		case http.MethodDelete:
			visible := 0
			for _, o := range x.b.wb.Sheets {
				if o.State == xlsx.Visible {
					visible++
				}
			}
			if len(x.b.wb.Sheets) == 1 || sh.State == xlsx.Visible && visible == 1 {
				return nil, errorf(http.StatusBadRequest, "InvalidOperation", "A workbook must contain at least one visible worksheet.")
			}
			x.b.wb.Sheets = slices.DeleteFunc(x.b.wb.Sheets, func(o *xlsx.Sheet) bool { return o == sh })
			delete(x.b.sheetIDs, sh)
			x.b.wb.Names = slices.DeleteFunc(x.b.wb.Names, func(n *xlsx.Name) bool { return strings.EqualFold(n.Sheet, sh.Name) })
			x.b.dropSheet(sh.Name)
			x.dirty = true
			return okEmpty(), nil
		}
		return x.patchWorksheet(sh)
	}
	switch rest[0].name {
	case "tables":
		return x.tables(sh, rest[1:])
	case "names":
		if len(rest) == 1 && m == http.MethodGet {
			return okFn(func() any { return map[string]any{"value": x.namesJSON(sh)} }), nil
		}
		if len(rest) == 2 && (rest[1].name == "add" || rest[1].name == "addformulalocal") {
			return x.addName(sh, rest[1].name == "addformulalocal")
		}
		if len(rest) >= 2 {
			n := x.b.name(rest[1].key, sh)
			if n == nil {
				return nil, errWbNotFound()
			}
			return x.namedItem(n, rest[2:])
		}
		return nil, errSegment(rest[0].name)
	case "range", "usedrange", "cell":
		rg, gerr := x.sheetRange(sh, rest[0])
		if gerr != nil {
			return nil, gerr
		}
		return x.rangeOps(rg, rest[1:])
	}
	return nil, errSegment(rest[0].name)
}

func (x *wbCall) patchWorksheet(sh *xlsx.Sheet) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	if v, found := body["name"]; found {
		name, isStr := v.(string)
		if !isStr || !validSheetName(name) {
			return nil, errWbArg("The worksheet name is invalid.")
		}
		if o := x.b.sheetByName(name); o != nil && o != sh {
			return nil, errorf(http.StatusConflict, "ItemAlreadyExists", "The resource you are trying to create already exists.")
		}
		old := sh.Name
		sh.Name = name
		for _, n := range x.b.wb.Names {
			if strings.EqualFold(n.Sheet, old) {
				n.Sheet = name
			}
		}
		x.b.renameSheet(old, name)
	}
	if v, found := body["visibility"]; found {
		vis, _ := v.(string)
		switch vis {
		case "Visible":
			sh.State = xlsx.Visible
		case "Hidden", "VeryHidden":
			visible := 0
			for _, o := range x.b.wb.Sheets {
				if o.State == xlsx.Visible && o != sh {
					visible++
				}
			}
			if visible == 0 {
				return nil, errorf(http.StatusBadRequest, "InvalidOperation", "A workbook must contain at least one visible worksheet.")
			}
			sh.State = xlsx.Hidden
			if vis == "VeryHidden" {
				sh.State = xlsx.VeryHidden
			}
		default:
			return nil, errWbArg("visibility must be Visible, Hidden or VeryHidden.")
		}
	}
	if pos, found, gerr := jsonInt(body, "position"); gerr != nil {
		return nil, gerr
	} else if found {
		if pos < 0 || pos >= len(x.b.wb.Sheets) {
			return nil, errWbArg("The position is out of range.")
		}
		i := x.b.sheetIndex(sh)
		x.b.wb.Sheets = slices.Delete(x.b.wb.Sheets, i, i+1)
		x.b.wb.Sheets = slices.Insert(x.b.wb.Sheets, pos, sh)
	}
	x.dirty = true
	return okFn(func() any { return x.sheetJSON(sh) }), nil
}

// absolute writes a range with absolute references, as names store them.
func absolute(r formula.Ref) string {
	abs := func(row, col int) string { return "$" + formula.ColumnName(col) + "$" + strconv.Itoa(row+1) }
	a := abs(r.Row1, r.Col1)
	if r.Rows() > 1 || r.Cols() > 1 {
		a += ":" + abs(r.Row2, r.Col2)
	}
	if r.Sheet != "" {
		a = formula.QuoteSheet(r.Sheet) + "!" + a
	}
	return a
}

// ---- names ----

func (x *wbCall) nameJSON(n *xlsx.Name) map[string]any {
	scope := "Workbook"
	if n.Sheet != "" {
		scope = n.Sheet
	}
	typ, value := "String", any(n.RefersTo)
	if _, err := formula.ParseAddress(n.RefersTo); err == nil {
		typ = "Range"
	} else if f, err := strconv.ParseFloat(n.RefersTo, 64); err == nil {
		typ, value = "Double", f
	} else if b, err := strconv.ParseBool(strings.ToLower(n.RefersTo)); err == nil {
		typ, value = "Boolean", b
	} else if formula.IsErrorCode(n.RefersTo) {
		typ = "Error"
	} else if v, ok := x.formulaNameValue(n); ok {
		// A formula name shows its result as text
		// (nameditem-addformulalocal.md answers "type": "String",
		// "value": "0").
		value = v
	}
	return map[string]any{
		"@odata.context": x.base() + "/$metadata#workbookNamedItem",
		"@odata.type":    "#microsoft.graph.workbookNamedItem",
		"@odata.id":      strings.TrimPrefix(x.prefix, "/"+x.version) + "/names(%27" + url.PathEscape(n.Name) + "%27)",
		"name":           n.Name,
		"comment":        n.Comment,
		"scope":          scope,
		"type":           typ,
		"value":          value,
		"visible":        !n.Hidden,
	}
}

func (x *wbCall) namesJSON(sh *xlsx.Sheet) []any {
	out := []any{}
	for _, n := range x.b.wb.Names {
		if strings.HasPrefix(n.Name, "_xlnm.") {
			continue // Excel's built-in names (print areas, filters)
		}
		if sh == nil && n.Sheet == "" || sh != nil && strings.EqualFold(n.Sheet, sh.Name) {
			out = append(out, x.nameJSON(n))
		}
	}
	return out
}

// validName applies Excel's rules for defined names.
func validName(n string) bool {
	if n == "" || len(n) > 255 || strings.EqualFold(n, "R") || strings.EqualFold(n, "C") {
		return false
	}
	for i, r := range n {
		if !(r == '_' || r == '\\' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127 ||
			i > 0 && (r >= '0' && r <= '9' || r == '.')) {
			return false
		}
	}
	if _, err := formula.ParseAddress(n); err == nil {
		return false
	}
	return !strings.EqualFold(n, "TRUE") && !strings.EqualFold(n, "FALSE")
}

// addName serves names/add and names/addFormulaLocal, of the workbook
// (sheet nil) or of a sheet (a name local to it).
func (x *wbCall) addName(sheet *xlsx.Sheet, formulaLocal bool) (wbResult, *graphError) {
	var in struct {
		Name      string `json:"name"`
		Reference any    `json:"reference"`
		Formula   any    `json:"formula"`
		Comment   string `json:"comment"`
	}
	if gerr := x.decodeInto(&in); gerr != nil {
		return nil, gerr
	}
	if !validName(in.Name) {
		return nil, errWbArg("The name is invalid.")
	}
	if x.b.name(in.Name, sheet) != nil || sheet == nil && x.b.nameTaken(in.Name) {
		return nil, errorf(http.StatusConflict, "ItemAlreadyExists", "The resource you are trying to create already exists.")
	}
	if t, _ := x.b.table(in.Name); t != nil {
		return nil, errorf(http.StatusConflict, "ItemAlreadyExists", "The resource you are trying to create already exists.")
	}
	scope := ""
	if sheet != nil {
		scope = sheet.Name
	}
	if formulaLocal {
		f, isStr := in.Formula.(string)
		f = strings.TrimPrefix(strings.TrimSpace(f), "=")
		if !isStr || f == "" {
			return nil, errWbArg("The argument 'formula' is missing or invalid.")
		}
		if _, err := formula.Parse(f); err != nil {
			return nil, errWbArg("The formula '=" + f + "' is invalid.")
		}
		if r, err := formula.ParseAddress(f); err == nil {
			if r.Sheet == "" && sheet != nil {
				r.Sheet = sheet.Name
			}
			if r.Sheet == "" || x.b.sheetByName(r.Sheet) == nil {
				return nil, errWbArg("The reference must name an existing worksheet.")
			}
			f = absolute(r)
		}
		n := &xlsx.Name{Name: in.Name, RefersTo: f, Comment: in.Comment, Sheet: scope}
		x.b.wb.Names = append(x.b.wb.Names, n)
		x.dirty = true
		return okFn(func() any { return x.nameJSON(n) }), nil
	}
	var ref string
	switch v := in.Reference.(type) {
	case string:
		ref = strings.TrimPrefix(v, "=")
		if r, err := formula.ParseAddress(ref); err == nil {
			if r.Sheet == "" && sheet != nil {
				r.Sheet = sheet.Name
			}
			if r.Sheet == "" || x.b.sheetByName(r.Sheet) == nil {
				return nil, errWbArg("The reference must name an existing worksheet.")
			}
			ref = absolute(r)
		}
	case float64:
		ref = formula.FormatNumber(v)
	case bool:
		ref = strings.ToUpper(strconv.FormatBool(v))
	default:
		return nil, errWbArg("The argument 'reference' is missing or invalid.")
	}
	n := &xlsx.Name{Name: in.Name, RefersTo: ref, Comment: in.Comment, Sheet: scope}
	x.b.wb.Names = append(x.b.wb.Names, n)
	x.dirty = true
	return okFn(func() any { return x.nameJSON(n) }), nil
}

func (x *wbCall) namedItem(n *xlsx.Name, rest []wbSeg) (wbResult, *graphError) {
	if len(rest) == 0 {
		switch x.r.Method {
		case http.MethodGet:
			return okFn(func() any { return x.nameJSON(n) }), nil
		case http.MethodDelete:
			x.b.wb.Names = slices.DeleteFunc(x.b.wb.Names, func(o *xlsx.Name) bool { return o == n })
			x.dirty = true
			return okEmpty(), nil
		}
		body, gerr := x.body()
		if gerr != nil {
			return nil, gerr
		}
		if v, found := body["comment"]; found {
			n.Comment, _ = v.(string)
		}
		if v, found := body["visible"]; found {
			b, isBool := v.(bool)
			if !isBool {
				return nil, errWbArg("visible must be a boolean.")
			}
			n.Hidden = !b
		}
		x.dirty = true
		return okFn(func() any { return x.nameJSON(n) }), nil
	}
	if rest[0].name != "range" {
		return nil, errSegment(rest[0].name)
	}
	r, err := formula.ParseAddress(n.RefersTo)
	if err != nil {
		return nil, errWbArg("The named item is not a range.")
	}
	sh := x.b.sheetByName(r.Sheet)
	if sh == nil {
		return nil, errWbArg("The named item refers to a missing worksheet.")
	}
	r.Sheet = sh.Name
	return x.rangeOps(wbRange{sh, r}, rest[1:])
}

// ---- tables ----

func (x *wbCall) tableJSON(t *xlsx.Table) map[string]any {
	return map[string]any{
		"@odata.type":          "#microsoft.graph.workbookTable",
		"id":                   strconv.Itoa(t.ID),
		"name":                 t.Name,
		"showHeaders":          t.HeaderRow,
		"showTotals":           t.TotalsRow,
		"style":                t.Style,
		"highlightFirstColumn": t.FirstCol,
		"highlightLastColumn":  t.LastCol,
		"showBandedColumns":    t.BandedCols,
		"showBandedRows":       t.BandedRows,
		"showFilterButton":     t.AutoFilter,
		"legacyId":             strconv.Itoa(t.ID),
	}
}

// tables serves .../tables (of the workbook, or of sheet when set).
func (x *wbCall) tables(sheet *xlsx.Sheet, rest []wbSeg) (wbResult, *graphError) {
	m := x.r.Method
	if len(rest) == 0 || rest[0].name == "add" && len(rest) == 1 {
		if m == http.MethodGet {
			return okFn(func() any {
				out := []any{}
				for _, sh := range x.b.wb.Sheets {
					if sheet != nil && sh != sheet {
						continue
					}
					for _, t := range sh.Tables {
						out = append(out, x.tableJSON(t))
					}
				}
				return map[string]any{"value": out}
			}), nil
		}
		return x.addTable(sheet)
	}
	t, sh := x.b.table(rest[0].key)
	if t == nil || sheet != nil && sh != sheet {
		return nil, errWbNotFound()
	}
	rest = rest[1:]
	if len(rest) == 0 {
		switch m {
		case http.MethodGet:
			return okFn(func() any { return x.tableJSON(t) }), nil
		case http.MethodDelete:
			all := tableRef(t, sh)
			for p := range sh.Cells {
				if all.Contains(p.Row, p.Col) {
					delete(sh.Cells, p)
				}
			}
			x.removeTable(t, sh)
			return okEmpty(), nil
		}
		return x.patchTable(t, sh)
	}
	all, hdr, bf, bl, tot := tableParts(t, sh)
	part := func(r1, r2 int) (wbRange, *graphError) {
		if r1 < 0 || r2 < r1 {
			return wbRange{}, errWbNotFound()
		}
		r := all
		r.Row1, r.Row2 = r1, r2
		return wbRange{sh, r}, nil
	}
	switch rest[0].name {
	case "range":
		return x.rangeOps(wbRange{sh, all}, rest[1:])
	case "headerrowrange":
		rg, gerr := part(hdr, hdr)
		if gerr != nil {
			return nil, gerr
		}
		return x.rangeOps(rg, rest[1:])
	case "databodyrange":
		rg, gerr := part(bf, bl)
		if gerr != nil {
			return nil, gerr
		}
		return x.rangeOps(rg, rest[1:])
	case "totalrowrange":
		rg, gerr := part(tot, tot)
		if gerr != nil {
			return nil, gerr
		}
		return x.rangeOps(rg, rest[1:])
	case "converttorange":
		x.removeTable(t, sh)
		return okFn(func() any { return x.rangeJSON(wbRange{sh, all}) }), nil
	case "clearfilters":
		delete(x.b.filters, t)
		x.applyFilters(t, sh)
		return okEmpty(), nil
	case "reapplyfilters":
		x.applyFilters(t, sh)
		return okEmpty(), nil
	case "worksheet":
		if len(rest) != 1 {
			return nil, errSegment(rest[1].name)
		}
		return okFn(func() any { return x.sheetJSON(sh) }), nil
	case "columns":
		return x.tableColumns(t, sh, rest[1:])
	case "rows":
		return x.tableRows(t, sh, rest[1:])
	}
	return nil, errSegment(rest[0].name)
}

func (x *wbCall) removeTable(t *xlsx.Table, sh *xlsx.Sheet) {
	sh.Tables = slices.DeleteFunc(sh.Tables, func(o *xlsx.Table) bool { return o == t })
	delete(x.b.filters, t)
	x.applyFilters(t, sh)
	x.dirty = true
}

func (x *wbCall) addTable(sheet *xlsx.Sheet) (wbResult, *graphError) {
	var in struct {
		Address    string `json:"address"`
		HasHeaders *bool  `json:"hasHeaders"`
	}
	if gerr := x.decodeInto(&in); gerr != nil {
		return nil, gerr
	}
	r, err := formula.ParseAddress(in.Address)
	if err != nil || in.HasHeaders == nil || r.WholeColumns || r.WholeRows {
		return nil, errWbArg("The argument 'address' or 'hasHeaders' is missing or invalid.")
	}
	sh := sheet
	if r.Sheet != "" {
		sh = x.b.sheetByName(r.Sheet)
	}
	if sh == nil {
		if len(x.b.wb.Sheets) == 0 {
			return nil, errWbArg("")
		}
		return nil, errWbArg("The address must name an existing worksheet.")
	}
	r.Sheet = sh.Name
	if *in.HasHeaders && r.Rows() == 1 {
		r.Row2++ // a table has at least one body row
	}
	if !*in.HasHeaders {
		// A header row is inserted above the data, in the table's columns.
		if r.Row2+1 >= formula.MaxRows {
			return nil, errWbArg("")
		}
		x.b.shift(sh, true, r.Row1, 1, r.Col1, r.Col2, nil)
		r.Row2++
	}
	for _, o := range sh.Tables {
		if ref := tableRef(o, sh); overlaps(ref, r) {
			return nil, errWbArg("A table can't overlap another table.")
		}
	}
	x.b.nextTable++
	t := &xlsx.Table{ID: x.b.nextTable, Name: "Table" + strconv.Itoa(x.b.nextTable), Ref: r.String()[len(formula.QuoteSheet(sh.Name))+1:],
		HeaderRow: true, Style: "TableStyleMedium2", BandedRows: true, AutoFilter: true}
	for x.b.nameTaken(t.Name) {
		x.b.nextTable++
		t.Name = "Table" + strconv.Itoa(x.b.nextTable)
	}
	seen := map[string]bool{}
	for c := r.Col1; c <= r.Col2; c++ {
		name := ""
		if *in.HasHeaders {
			if cell := sh.Cells[xlsx.Pos{Row: r.Row1, Col: c}]; cell != nil {
				name = cellValue(cell).Text()
			}
		}
		if name == "" || seen[strings.ToLower(name)] {
			base := "Column" + strconv.Itoa(c-r.Col1+1)
			name = base
			for i := 2; seen[strings.ToLower(name)]; i++ {
				name = base + strconv.Itoa(i)
			}
		}
		seen[strings.ToLower(name)] = true
		t.Columns = append(t.Columns, name)
		x.setCell(sh, r.Row1, c, name, "")
	}
	sh.Tables = append(sh.Tables, t)
	x.dirty = true
	// tablecollection-add.md answers 200, worksheet-post-tables.md 201.
	status := http.StatusOK
	if sheet != nil {
		status = http.StatusCreated
	}
	return func() (int, any) { return status, x.tableJSON(t) }, nil
}

func overlaps(a, b formula.Ref) bool {
	return a.Row1 <= b.Row2 && b.Row1 <= a.Row2 && a.Col1 <= b.Col2 && b.Col1 <= a.Col2
}

// setCell writes a value or a formula to a cell, creating it.
func (x *wbCall) setCell(sh *xlsx.Sheet, row, col int, value any, formulaText string) {
	p := xlsx.Pos{Row: row, Col: col}
	c := sh.Cells[p]
	if c == nil {
		if value == nil && formulaText == "" {
			return
		}
		c = &xlsx.Cell{}
		sh.Cells[p] = c
	}
	c.Value, c.Formula = value, formulaText
	if c.Value == nil && c.Formula == "" && c.Style == (xlsx.Style{}) {
		delete(sh.Cells, p)
	}
}

func (x *wbCall) patchTable(t *xlsx.Table, sh *xlsx.Sheet) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	boolField := func(name string, dst *bool) *graphError {
		if v, found := body[name]; found {
			b, isBool := v.(bool)
			if !isBool {
				return errWbArg(name + " must be a boolean.")
			}
			*dst = b
		}
		return nil
	}
	if v, found := body["name"]; found {
		name, _ := v.(string)
		if !validName(name) {
			return nil, errWbArg("The table name is invalid.")
		}
		if o, _ := x.b.table(name); o != nil && o != t || x.b.name(name, nil) != nil {
			return nil, errorf(http.StatusConflict, "ItemAlreadyExists", "The resource you are trying to create already exists.")
		}
		t.Name = name
	}
	if v, found := body["style"]; found {
		t.Style, _ = v.(string)
	}
	wasTotals := t.TotalsRow
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"showHeaders", &t.HeaderRow}, {"showTotals", &t.TotalsRow}, {"highlightFirstColumn", &t.FirstCol},
		{"highlightLastColumn", &t.LastCol}, {"showBandedRows", &t.BandedRows}, {"showBandedColumns", &t.BandedCols},
		{"showFilterButton", &t.AutoFilter}} {
		if gerr := boolField(f.name, f.dst); gerr != nil {
			return nil, gerr
		}
	}
	if t.TotalsRow != wasTotals {
		r := tableRef(t, sh)
		if t.TotalsRow {
			x.b.shift(sh, true, r.Row2+1, 1, r.Col1, r.Col2, t)
			r.Row2++
			x.setCell(sh, r.Row2, r.Col1, "Total", "")
		} else {
			for c := r.Col1; c <= r.Col2; c++ {
				delete(sh.Cells, xlsx.Pos{Row: r.Row2, Col: c})
			}
			x.b.shift(sh, true, r.Row2+1, -1, r.Col1, r.Col2, t)
			r.Row2--
		}
		t.Ref = localRef(r)
	}
	x.dirty = true
	return okFn(func() any { return x.tableJSON(t) }), nil
}

// localRef is a range's address without its sheet.
func localRef(r formula.Ref) string {
	r.Sheet = ""
	return r.String()
}

// column resolves a table column by id (1-based) or name.
func tableColumn(t *xlsx.Table, key string) int {
	if n, err := strconv.Atoi(key); err == nil && n >= 1 && n <= len(t.Columns) {
		return n - 1
	}
	for i, c := range t.Columns {
		if strings.EqualFold(c, key) {
			return i
		}
	}
	return -1
}

func (x *wbCall) columnJSON(t *xlsx.Table, sh *xlsx.Sheet, i int) map[string]any {
	all := tableRef(t, sh)
	col := all
	col.Col1, col.Col2 = all.Col1+i, all.Col1+i
	return map[string]any{
		"@odata.type": "#microsoft.graph.workbookTableColumn",
		"id":          strconv.Itoa(i + 1),
		"index":       i,
		"name":        t.Columns[i],
		"values":      x.values(wbRange{sh, col}),
	}
}

// page applies $top and $skip to a listing.
func (x *wbCall) page(items []any) (any, *graphError) {
	q := x.r.URL.Query()
	skip, top := 0, -1
	if v := q.Get("$skip"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errBadRequest("Invalid value for $skip.")
		}
		skip = n
	}
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errBadRequest("Invalid value for $top.")
		}
		top = n
	}
	skip = min(skip, len(items))
	items = items[skip:]
	out := map[string]any{}
	if top >= 0 && top < len(items) {
		items = items[:top]
		next := x.r.URL.Query()
		next.Set("$skip", strconv.Itoa(skip+top))
		next.Set("$top", strconv.Itoa(top))
		out["@odata.nextLink"] = x.base() + strings.TrimPrefix(x.r.URL.Path, "/"+x.version) + "?" + next.Encode()
	}
	out["value"] = items
	return out, nil
}

func (x *wbCall) tableColumns(t *xlsx.Table, sh *xlsx.Sheet, rest []wbSeg) (wbResult, *graphError) {
	m := x.r.Method
	if len(rest) == 0 || rest[0].name == "add" && len(rest) == 1 {
		if m == http.MethodGet {
			items := []any{}
			for i := range t.Columns {
				items = append(items, x.columnJSON(t, sh, i))
			}
			out, gerr := x.page(items)
			if gerr != nil {
				return nil, gerr
			}
			return ok(out), nil
		}
		return x.addTableColumn(t, sh)
	}
	i := tableColumn(t, rest[0].key)
	if rest[0].name == "itemat" && rest[0].call {
		n, gerr := intArg(rest[0].args, "index", -1)
		if gerr != nil {
			return nil, gerr
		}
		i = -1
		if n >= 0 && n < len(t.Columns) {
			i = n
		}
	}
	if i < 0 {
		return nil, errWbNotFound()
	}
	rest = rest[1:]
	all, hdr, bf, bl, tot := tableParts(t, sh)
	col := all
	col.Col1, col.Col2 = all.Col1+i, all.Col1+i
	if len(rest) == 0 {
		switch m {
		case http.MethodGet:
			return okFn(func() any { return x.columnJSON(t, sh, i) }), nil
		case http.MethodDelete:
			if len(t.Columns) == 1 {
				return nil, errorf(http.StatusBadRequest, "InvalidOperation", "A table must have at least one column.")
			}
			x.b.shift(sh, false, col.Col1, -1, all.Row1, all.Row2, t)
			t.Columns = slices.Delete(t.Columns, i, i+1)
			all.Col2--
			t.Ref = localRef(all)
			delete(x.b.filters, t)
			x.applyFilters(t, sh)
			x.dirty = true
			return okEmpty(), nil
		}
		body, gerr := x.body()
		if gerr != nil {
			return nil, gerr
		}
		if v, found := body["name"]; found {
			name, _ := v.(string)
			if name == "" || slices.ContainsFunc(t.Columns, func(c string) bool { return strings.EqualFold(c, name) && c != t.Columns[i] }) {
				return nil, errWbArg("The column name is invalid or already used.")
			}
			t.Columns[i] = name
			if hdr >= 0 {
				x.setCell(sh, hdr, col.Col1, name, "")
			}
		}
		if v, found := body["values"]; found {
			if gerr := x.writeGrid(wbRange{sh, col}, v, false); gerr != nil {
				return nil, gerr
			}
		}
		x.dirty = true
		return okFn(func() any { return x.columnJSON(t, sh, i) }), nil
	}
	part := func(r1, r2 int) (wbRange, *graphError) {
		if r1 < 0 || r2 < r1 {
			return wbRange{}, errWbNotFound()
		}
		r := col
		r.Row1, r.Row2 = r1, r2
		return wbRange{sh, r}, nil
	}
	var rg wbRange
	var gerr *graphError
	switch rest[0].name {
	case "range":
		rg = wbRange{sh, col}
	case "headerrowrange":
		rg, gerr = part(hdr, hdr)
	case "databodyrange":
		rg, gerr = part(bf, bl)
	case "totalrowrange":
		rg, gerr = part(tot, tot)
	case "filter":
		if len(rest) == 1 && m == http.MethodGet {
			return okFn(func() any { return x.filterJSON(t, i) }), nil
		}
		if len(rest) != 2 {
			return nil, errSegment("filter")
		}
		switch rest[1].name {
		case "apply":
			body, gerr := x.body()
			if gerr != nil {
				return nil, gerr
			}
			crit, isObj := body["criteria"].(map[string]any)
			if !isObj {
				return nil, errWbArg("The argument 'criteria' is missing or invalid.")
			}
			if gerr := checkCriteria(crit); gerr != nil {
				return nil, gerr
			}
			if x.b.filters[t] == nil {
				x.b.filters[t] = map[int]any{}
			}
			x.b.filters[t][i] = crit
		case "clear":
			delete(x.b.filters[t], i)
		default:
			return nil, errSegment(rest[1].name)
		}
		x.applyFilters(t, sh)
		return okEmpty(), nil
	default:
		return nil, errSegment(rest[0].name)
	}
	if gerr != nil {
		return nil, gerr
	}
	return x.rangeOps(rg, rest[1:])
}

func (x *wbCall) addTableColumn(t *xlsx.Table, sh *xlsx.Sheet) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	all, hdr, _, _, _ := tableParts(t, sh)
	idx, found, gerr := jsonInt(body, "index")
	if gerr != nil {
		return nil, gerr
	}
	if !found {
		idx = len(t.Columns)
	}
	if idx < 0 || idx > len(t.Columns) || all.Col2+1 >= formula.MaxCols {
		return nil, errWbArg("The index is out of range.")
	}
	vals, hasVals := body["values"].([]any)
	if hasVals && len(vals) > 0 {
		if _, gerr := checkGrid(vals, all.Rows(), 1); gerr != nil {
			return nil, gerr
		}
	}
	col := all.Col1 + idx
	x.b.shift(sh, false, col, 1, all.Row1, all.Row2, t)
	all.Col2++
	name, _ := body["name"].(string)
	if name == "" && hasVals && len(vals) > 0 && t.HeaderRow {
		if row, isRow := vals[0].([]any); isRow && len(row) == 1 {
			if s, isStr := row[0].(string); isStr {
				name = s
			}
		}
	}
	if name == "" || slices.ContainsFunc(t.Columns, func(c string) bool { return strings.EqualFold(c, name) }) {
		for n := len(t.Columns) + 1; ; n++ {
			name = "Column" + strconv.Itoa(n)
			if !slices.ContainsFunc(t.Columns, func(c string) bool { return strings.EqualFold(c, name) }) {
				break
			}
		}
	}
	t.Columns = slices.Insert(t.Columns, idx, name)
	t.Ref = localRef(all)
	r := all
	r.Col1, r.Col2 = col, col
	if hasVals && len(vals) > 0 {
		if gerr := x.writeGrid(wbRange{sh, r}, vals, false); gerr != nil {
			return nil, gerr
		}
	}
	if hdr >= 0 {
		x.setCell(sh, hdr, col, name, "")
	}
	delete(x.b.filters, t)
	x.dirty = true
	return okFn(func() any { return x.columnJSON(t, sh, idx) }), nil
}

func (x *wbCall) rowJSON(sh *xlsx.Sheet, all formula.Ref, bf, i int) map[string]any {
	r := all
	r.Row1, r.Row2 = bf+i, bf+i
	return map[string]any{"@odata.type": "#microsoft.graph.workbookTableRow", "index": i, "values": x.values(wbRange{sh, r})}
}

func (x *wbCall) tableRows(t *xlsx.Table, sh *xlsx.Sheet, rest []wbSeg) (wbResult, *graphError) {
	m := x.r.Method
	all, _, bf, bl, _ := tableParts(t, sh)
	n := bl - bf + 1
	if len(rest) == 0 || rest[0].name == "add" && len(rest) == 1 {
		if m == http.MethodGet {
			items := []any{}
			for i := 0; i < n; i++ {
				items = append(items, x.rowJSON(sh, all, bf, i))
			}
			out, gerr := x.page(items)
			if gerr != nil {
				return nil, gerr
			}
			return ok(out), nil
		}
		return x.addTableRows(t, sh)
	}
	var i int
	if rest[0].name == "itemat" && rest[0].call {
		v, gerr := intArg(rest[0].args, "index", -1)
		if gerr != nil {
			return nil, gerr
		}
		i = v
	} else {
		v, err := strconv.Atoi(rest[0].key)
		if err != nil {
			return nil, errWbNotFound()
		}
		i = v
	}
	if i < 0 || i >= n {
		return nil, errWbNotFound()
	}
	row := all
	row.Row1, row.Row2 = bf+i, bf+i
	if len(rest) > 1 {
		if rest[1].name != "range" {
			return nil, errSegment(rest[1].name)
		}
		return x.rangeOps(wbRange{sh, row}, rest[2:])
	}
	switch m {
	case http.MethodGet:
		return okFn(func() any { return x.rowJSON(sh, all, bf, i) }), nil
	case http.MethodDelete:
		x.b.shift(sh, true, row.Row1, -1, all.Col1, all.Col2, t)
		all.Row2--
		t.Ref = localRef(all)
		x.dirty = true
		return okEmpty(), nil
	}
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	if v, found := body["values"]; found {
		if gerr := x.writeGrid(wbRange{sh, row}, v, false); gerr != nil {
			return nil, gerr
		}
	}
	x.dirty = true
	return okFn(func() any { return x.rowJSON(sh, all, bf, i) }), nil
}

func (x *wbCall) addTableRows(t *xlsx.Table, sh *xlsx.Sheet) (wbResult, *graphError) {
	body, gerr := x.body()
	if gerr != nil {
		return nil, gerr
	}
	all, _, bf, bl, _ := tableParts(t, sh)
	n := bl - bf + 1
	vals, isArr := body["values"].([]any)
	if !isArr || len(vals) == 0 {
		return nil, errWbArg("The argument 'values' is missing or invalid.")
	}
	idx, found, gerr := jsonInt(body, "index")
	if gerr != nil {
		return nil, gerr
	}
	if !found {
		idx = n
	}
	if idx < 0 || idx > n || all.Row2+len(vals) >= formula.MaxRows {
		return nil, errWbArg("The index is out of range.")
	}
	if _, gerr := checkGrid(vals, len(vals), all.Cols()); gerr != nil {
		return nil, gerr
	}
	at := bf + idx
	// An empty body row of a new table is filled, not pushed down.
	empty := n == 1 && idx <= 1 && x.rowEmpty(sh, bf, all.Col1, all.Col2)
	if empty {
		at = bf
	}
	grow := len(vals)
	if empty {
		grow--
	}
	if grow > 0 {
		x.b.shift(sh, true, at+boolInt(empty), grow, all.Col1, all.Col2, t)
	}
	all.Row2 += grow
	t.Ref = localRef(all)
	r := all
	r.Row1, r.Row2 = at, at+len(vals)-1
	if gerr := x.writeGrid(wbRange{sh, r}, vals, false); gerr != nil {
		return nil, gerr
	}
	x.dirty = true
	return okFn(func() any {
		return map[string]any{"@odata.type": "#microsoft.graph.workbookTableRow", "index": at - bf, "values": x.values(wbRange{sh, r})}
	}), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (x *wbCall) rowEmpty(sh *xlsx.Sheet, row, c1, c2 int) bool {
	for c := c1; c <= c2; c++ {
		if cell := sh.Cells[xlsx.Pos{Row: row, Col: c}]; cell != nil && (cell.Value != nil || cell.Formula != "") {
			return false
		}
	}
	return true
}
