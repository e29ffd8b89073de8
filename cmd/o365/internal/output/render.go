package output

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// maxTextCell bounds a table cell in text mode so one long body does not push every
// other column off the screen. CSV and Markdown are for machines and files: never cut.
const maxTextCell = 60

func (d *document) writeJSONTo(w io.Writer, v any) error {
	bw := bufio.NewWriter(w)
	d.writeJSON(bw, v, "", "  ")
	bw.WriteString("\n")
	return bw.Flush()
}

// table is a list of objects laid out as rows.
type table struct {
	headers []string
	rows    [][]string
}

// shape classifies v for the table formats.
type shape int

const (
	shapeNil shape = iota
	shapeScalar
	shapeObject
	shapeScalarList
	shapeTable
)

// unwrap returns the items of a Graph collection ({"@odata.context": ..., "value": [...]}),
// so `o365 request GET /users -o text` prints the users, not the envelope.
func unwrap(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	items, ok := m["value"].([]any)
	if !ok {
		return v
	}
	for k := range m {
		if k != "value" && !strings.HasPrefix(k, "@") {
			return v
		}
	}
	return items
}

func classify(v any) shape {
	switch x := v.(type) {
	case nil:
		return shapeNil
	case map[string]any:
		return shapeObject
	case []any:
		objects := 0
		for _, e := range x {
			switch e.(type) {
			case map[string]any:
				objects++
			case nil:
			default:
				return shapeScalarList
			}
		}
		if objects == 0 {
			return shapeScalarList
		}
		return shapeTable
	}
	return shapeScalar
}

func hidden(key string) bool { return strings.HasPrefix(key, "@odata.") }

// visibleKeys lists an object's keys in document order without OData annotations.
func (d *document) visibleKeys(m map[string]any) []string {
	var out []string
	for _, k := range d.keys(m) {
		if !hidden(k) {
			out = append(out, k)
		}
	}
	return out
}

// lookup follows a dotted path through nested objects.
func lookup(v any, path string) any {
	for part := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

func (d *document) buildTable(items []any, cols []Column, cell func(any) string) table {
	var t table
	if len(cols) > 0 {
		for _, c := range cols {
			t.headers = append(t.headers, c.Header)
		}
		for _, it := range items {
			row := make([]string, len(cols))
			for i, c := range cols {
				row[i] = cell(lookup(it, c.Path))
			}
			t.rows = append(t.rows, row)
		}
		return t
	}
	// The union of the items' keys, in document order.
	union := map[string]any{}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			for k := range m {
				union[k] = nil
			}
		}
	}
	t.headers = d.visibleKeys(union)
	for _, it := range items {
		m, _ := it.(map[string]any)
		row := make([]string, len(t.headers))
		for i, h := range t.headers {
			row[i] = cell(m[h])
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// oneLine makes a cell printable on one line.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n\t") {
		s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	}
	return s
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func (d *document) writeText(w io.Writer, v any, cols []Column) error {
	v = unwrap(v)
	bw := bufio.NewWriter(w)
	switch classify(v) {
	case shapeNil:
	case shapeScalar:
		bw.WriteString(d.scalarString(v) + "\n")
	case shapeScalarList:
		for _, e := range v.([]any) {
			bw.WriteString(oneLine(d.scalarString(e)) + "\n")
		}
	case shapeObject:
		m := v.(map[string]any)
		tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
		for _, k := range d.visibleKeys(m) {
			io.WriteString(tw, k+":\t"+oneLine(d.cellString(m[k]))+"\n")
		}
		tw.Flush()
	case shapeTable:
		t := d.buildTable(v.([]any), cols, d.cellString)
		tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
		io.WriteString(tw, strings.Join(t.headers, "\t")+"\n")
		for _, row := range t.rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = oneLine(c)
				// Ids are there to be copied into the next command: never cut them.
				if t.headers[i] != "id" {
					cells[i] = truncate(cells[i], maxTextCell)
				}
			}
			io.WriteString(tw, strings.Join(cells, "\t")+"\n")
		}
		tw.Flush()
	}
	return bw.Flush()
}

func (d *document) writeCSV(w io.Writer, v any, cols []Column) error {
	v = unwrap(v)
	cw := csv.NewWriter(w)
	switch classify(v) {
	case shapeNil:
	case shapeScalar:
		cw.Write([]string{d.scalarString(v)})
	case shapeScalarList:
		for _, e := range v.([]any) {
			cw.Write([]string{d.scalarString(e)})
		}
	case shapeObject:
		m := v.(map[string]any)
		keys := d.visibleKeys(m)
		row := make([]string, len(keys))
		for i, k := range keys {
			row[i] = d.scalarString(m[k])
		}
		cw.Write(keys)
		cw.Write(row)
	case shapeTable:
		t := d.buildTable(v.([]any), cols, d.scalarString)
		cw.Write(t.headers)
		cw.WriteAll(t.rows)
	}
	cw.Flush()
	return cw.Error()
}

// mdCell escapes a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

func writeMDRow(w *bufio.Writer, cells []string) {
	w.WriteString("|")
	for _, c := range cells {
		w.WriteString(" " + mdCell(c) + " |")
	}
	w.WriteString("\n")
}

func (d *document) writeMarkdown(w io.Writer, v any, cols []Column) error {
	v = unwrap(v)
	bw := bufio.NewWriter(w)
	switch classify(v) {
	case shapeNil:
	case shapeScalar:
		bw.WriteString(d.scalarString(v) + "\n")
	case shapeScalarList:
		for _, e := range v.([]any) {
			bw.WriteString("- " + oneLine(d.scalarString(e)) + "\n")
		}
	case shapeObject:
		m := v.(map[string]any)
		writeMDRow(bw, []string{"Property", "Value"})
		bw.WriteString("| --- | --- |\n")
		for _, k := range d.visibleKeys(m) {
			writeMDRow(bw, []string{k, d.cellString(m[k])})
		}
	case shapeTable:
		t := d.buildTable(v.([]any), cols, d.cellString)
		writeMDRow(bw, t.headers)
		bw.WriteString("|" + strings.Repeat(" --- |", len(t.headers)) + "\n")
		for _, row := range t.rows {
			writeMDRow(bw, row)
		}
	}
	return bw.Flush()
}
