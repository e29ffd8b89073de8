package excel_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
)

func rangeJSON(addr string) string {
	return fmt.Sprintf(`{"address":%q,"addressLocal":"A1:B2","cellCount":4,"columnCount":2,"rowCount":2,"columnIndex":0,"rowIndex":0,
	"values":[["Item",5],[true,""]],"valueTypes":[["String","Double"],["Boolean","Empty"]],"text":[["Item","5"],["TRUE",""]],
	"formulas":[["Item",5],[true,""]],"formulasLocal":[["Item",5],[true,""]],"formulasR1C1":[["Item",5],[true,""]],
	"numberFormat":[["General","General"],["General","General"]]}`, addr)
}

// fixtures scripts the reads the calls below start from.
func fixtures(f *fakeGraph) {
	f.on("GET /worksheets/Sheet1", 200, `{"id":"{S1}","name":"Sheet1","position":0,"visibility":"Visible"}`)
	f.on("GET /tables/Table1", 200, `{"id":"7","name":"Table1","showHeaders":true,"showTotals":false,"style":"TableStyleMedium2"}`)
	f.on("GET /tables/7/columns/Amount", 200, `{"id":"2","index":1,"name":"Amount","values":[["Amount"],[10]]}`)
	f.on("GET /tables/7/rows/itemAt(index=0)", 200, `{"index":0,"values":[["a",1]]}`)
	f.on("GET /names/Total", 200, `{"name":"Total","type":"Range","value":"=Sheet1!$B$4","visible":true,"scope":"Workbook"}`)
	f.on("GET /worksheets/Sheet1/range(address='A1:B2')", 200, rangeJSON("Sheet1!A1:B2"))
	f.on("GET /worksheets/Sheet1/range(address='A1:B2')/format", 200,
		`{"columnWidth":48,"horizontalAlignment":"General","rowHeight":15,"verticalAlignment":"Bottom","wrapText":false}`)
	f.on("GET /worksheets/Sheet1/range(address='A1:B2')/format/font", 200,
		`{"bold":false,"color":"#000000","italic":false,"name":"Calibri","size":11,"underline":"None"}`)
	f.on("GET /worksheets/Sheet1/range(address='A1:B2')/format/fill", 200, `{"color":"#FFFFFF"}`)
}

func loadRange(ctx context.Context, wb *excel.Workbook) (*excel.Range, error) {
	return wb.Sheet("Sheet1").Range("A1:B2").Get(ctx)
}

func loadFormat(ctx context.Context, wb *excel.Workbook) (*excel.RangeFormat, error) {
	r, err := loadRange(ctx, wb)
	if err != nil {
		return nil, err
	}
	return r.Format(ctx)
}

func loadTable(ctx context.Context, wb *excel.Workbook) (*excel.Table, error) {
	return wb.Table(ctx, "Table1")
}

func loadColumn(ctx context.Context, wb *excel.Workbook) (*excel.TableColumn, error) {
	t, err := loadTable(ctx, wb)
	if err != nil {
		return nil, err
	}
	return t.Column(ctx, "Amount")
}

func drain[T any](seq func(func(*T, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

const (
	wsJSON    = `{"id":"{S2}","name":"Budget","position":1,"visibility":"Visible"}`
	tableJSON = `{"id":"8","name":"Table2","showHeaders":true,"showTotals":false,"style":"TableStyleLight1"}`
	colJSON   = `{"id":"3","index":2,"name":"Qty","values":[["Qty"],[1]]}`
	rowJSON   = `{"index":3,"values":[["b",2]]}`
	nameJSON  = `{"name":"Rate","type":"Double","value":0.05,"visible":true,"scope":"Workbook","comment":"c"}`
	sheetR    = "/worksheets/Sheet1/range(address='A1:B2')"
	fmtR      = sheetR + "/format"
)

type callCase struct {
	name   string
	route  string // METHOD /path of the call under test
	status int
	resp   string
	body   string // the request body it must send ("" for none)
	run    func(ctx context.Context, wb *excel.Workbook) error
}

func callCases() []callCase {
	return []callCase{
		// Worksheets.
		{"Worksheets", "GET /worksheets", 200, `{"value":[` + wsJSON + `]}`, "", func(ctx context.Context, wb *excel.Workbook) error {
			return drain(wb.Worksheets(ctx, nil))
		}},
		{"Worksheet", "GET /worksheets/Budget", 200, wsJSON, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Worksheet(ctx, "Budget")
			return err
		}},
		{"AddWorksheet", "POST /worksheets/add", 201, wsJSON, `{"name":"Budget"}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.AddWorksheet(ctx, "Budget")
			return err
		}},
		{"DeleteWorksheet", "DELETE /worksheets/Budget", 204, "", "", func(ctx context.Context, wb *excel.Workbook) error {
			return wb.DeleteWorksheet(ctx, "Budget")
		}},
		{"Worksheet.Rename", "PATCH /worksheets/{S1}", 200, wsJSON, `{"name":"Budget"}`, func(ctx context.Context, wb *excel.Workbook) error {
			ws, err := wb.Worksheet(ctx, "Sheet1")
			if err != nil {
				return err
			}
			return ws.Rename(ctx, "Budget")
		}},
		{"Worksheet.Move", "PATCH /worksheets/{S1}", 200, wsJSON, `{"position":1}`, func(ctx context.Context, wb *excel.Workbook) error {
			ws, err := wb.Worksheet(ctx, "Sheet1")
			if err != nil {
				return err
			}
			return ws.Move(ctx, 1)
		}},
		{"Worksheet.SetVisibility", "PATCH /worksheets/{S1}", 200, wsJSON, `{"visibility":"Hidden"}`, func(ctx context.Context, wb *excel.Workbook) error {
			ws, err := wb.Worksheet(ctx, "Sheet1")
			if err != nil {
				return err
			}
			return ws.SetVisibility(ctx, excel.Hidden)
		}},
		{"Worksheet.Save", "PATCH /worksheets/{S1}", 200, wsJSON, `{"visibility":"VeryHidden"}`, func(ctx context.Context, wb *excel.Workbook) error {
			ws, err := wb.Worksheet(ctx, "Sheet1")
			if err != nil {
				return err
			}
			ws.Visibility = excel.VeryHidden
			ws.Position = 3
			ws.Position = 0 // back to what it was: not a change
			return ws.Save(ctx)
		}},
		{"Worksheet.Get", "GET /worksheets/Sheet1", 200, wsJSON, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").Get(ctx)
			return err
		}},
		{"Worksheet.Delete", "DELETE /worksheets/Sheet1", 204, "", "", func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Delete(ctx)
		}},
		{"Worksheet.Cell", "GET /worksheets/Sheet1/cell(row=2,column=1)", 200, rangeJSON("Sheet1!B3"), "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").Cell(ctx, 2, 1)
			return err
		}},
		{"Worksheet.UsedRange", "GET /worksheets/Sheet1/usedRange", 200, rangeJSON("Sheet1!A1:B2"), "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").UsedRange(ctx, false)
			return err
		}},
		{"Worksheet.UsedRange(valuesOnly)", "GET /worksheets/Sheet1/usedRange(valuesOnly=true)", 200, rangeJSON("Sheet1!A1:B2"), "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").UsedRange(ctx, true)
			return err
		}},
		{"Worksheet.UpdateCells", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"values":[["x",1],[2.5,true]]}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").UpdateCells(ctx, "Sheet1!A1:B2", excel.MustValues([]any{"x", 1}, []any{2.5, true}))
			return err
		}},
		{"Worksheet.Tables", "GET /worksheets/Sheet1/tables", 200, `{"value":[` + tableJSON + `]}`, "", func(ctx context.Context, wb *excel.Workbook) error {
			return drain(wb.Sheet("Sheet1").Tables(ctx, nil))
		}},
		{"Worksheet.AddTable", "POST /worksheets/Sheet1/tables/add", 201, tableJSON, `{"address":"A1:D8","hasHeaders":false}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").AddTable(ctx, "A1:D8", false)
			return err
		}},
		{"Worksheet.Names", "GET /worksheets/Sheet1/names", 200, `{"value":[{"name":"myrange","scope":"worksheet"}]}`, "", func(ctx context.Context, wb *excel.Workbook) error {
			return drain(wb.Sheet("Sheet1").Names(ctx, nil))
		}},
		{"Worksheet.AddName", "POST /worksheets/Sheet1/names/add", 200, nameJSON, `{"name":"Rate","reference":"=Sheet1!$B$1"}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").AddName(ctx, "Rate", "=Sheet1!$B$1", "")
			return err
		}},
		{"Worksheet.AddNameFormula", "POST /worksheets/Sheet1/names/addFormulaLocal", 200, nameJSON, `{"name":"Rate","formula":"=1/20","comment":"c"}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").AddNameFormula(ctx, "Rate", "=1/20", "c")
			return err
		}},
		{"Worksheet.NamedItem", "GET /worksheets/Sheet1/names/Rate", 200, nameJSON, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Sheet("Sheet1").NamedItem(ctx, "Rate")
			return err
		}},

		// Ranges.
		{"Range.Get", "GET " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := loadRange(ctx, wb)
			return err
		}},
		{"Workbook.Range", "GET /worksheets/Q1 Budget/range(address='C3')", 200, rangeJSON("'Q1 Budget'!C3"), "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Range("'Q1 Budget'!C3").Get(ctx)
			return err
		}},
		{"Range.Cell", "GET " + sheetR + "/cell(row=1,column=1)", 200, rangeJSON("Sheet1!B2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.Cell(ctx, 1, 1) })},
		{"Range.Row", "GET " + sheetR + "/row(row=1)", 200, rangeJSON("Sheet1!A2:B2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.Row(ctx, 1) })},
		{"Range.Column", "GET " + sheetR + "/column(column=0)", 200, rangeJSON("Sheet1!A1:A2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.Column(ctx, 0) })},
		{"Range.RowsAbove", "GET " + sheetR + "/rowsAbove(count=2)", 200, rangeJSON("Sheet1!A1:B1"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.RowsAbove(ctx, 2) })},
		{"Range.RowsBelow", "GET " + sheetR + "/rowsBelow", 200, rangeJSON("Sheet1!A3:B3"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.RowsBelow(ctx, 0) })},
		{"Range.ColumnsBefore", "GET " + sheetR + "/columnsBefore(count=1)", 200, rangeJSON("Sheet1!A1:A2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.ColumnsBefore(ctx, 1) })},
		{"Range.ColumnsAfter", "GET " + sheetR + "/columnsAfter(count=2)", 200, rangeJSON("Sheet1!C1:D2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.ColumnsAfter(ctx, 2) })},
		{"Range.EntireRow", "GET " + sheetR + "/entireRow", 200, rangeJSON("Sheet1!1:2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.EntireRow(ctx) })},
		{"Range.EntireColumn", "GET " + sheetR + "/entireColumn", 200, rangeJSON("Sheet1!A:B"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.EntireColumn(ctx) })},
		{"Range.LastCell", "GET " + sheetR + "/lastCell", 200, rangeJSON("Sheet1!B2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.LastCell(ctx) })},
		{"Range.LastRow", "GET " + sheetR + "/lastRow", 200, rangeJSON("Sheet1!A2:B2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.LastRow(ctx) })},
		{"Range.LastColumn", "GET " + sheetR + "/lastColumn", 200, rangeJSON("Sheet1!B1:B2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.LastColumn(ctx) })},
		{"Range.Offset", "GET " + sheetR + "/offsetRange(rowOffset=2,columnOffset=-1)", 200, rangeJSON("Sheet1!A3:B4"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.Offset(ctx, 2, -1) })},
		{"Range.Resize", "GET " + sheetR + "/resizedRange(deltaRows=1,deltaColumns=0)", 200, rangeJSON("Sheet1!A1:B3"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.Resize(ctx, 1, 0) })},
		{"Range.Intersection", "GET " + sheetR + "/intersection(anotherRange='B2:C3')", 200, rangeJSON("Sheet1!B2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.Intersection(ctx, "B2:C3") })},
		{"Range.BoundingRect", "GET " + sheetR + "/boundingRect(anotherRange='C3')", 200, rangeJSON("Sheet1!A1:C3"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.BoundingRect(ctx, "C3") })},
		{"Range.UsedRange", "GET " + sheetR + "/usedRange(valuesOnly=true)", 200, rangeJSON("Sheet1!A1:B2"), "", nav(func(ctx context.Context, r *excel.Range) (*excel.Range, error) { return r.UsedRange(ctx, true) })},
		{"Range.Worksheet", "GET " + sheetR + "/worksheet", 200, wsJSON, "", func(ctx context.Context, wb *excel.Workbook) error {
			r, err := loadRange(ctx, wb)
			if err != nil {
				return err
			}
			_, err = r.Worksheet(ctx)
			return err
		}},
		{"Range.Clear", "POST " + sheetR + "/clear", 200, "", `{"applyTo":"Contents"}`, act(func(ctx context.Context, r *excel.Range) error { return r.Clear(ctx, excel.ClearContents) })},
		{"Range.Delete", "POST " + sheetR + "/delete", 200, "", `{"shift":"Up"}`, act(func(ctx context.Context, r *excel.Range) error { return r.Delete(ctx, excel.ShiftUp) })},
		{"Range.Insert", "POST " + sheetR + "/insert", 200, rangeJSON("Sheet1!A1:B2"), `{"shift":"Down"}`, act(func(ctx context.Context, r *excel.Range) error {
			_, err := r.Insert(ctx, excel.ShiftDown)
			return err
		})},
		{"Range.Merge", "POST " + sheetR + "/merge", 200, "", `{"across":true}`, act(func(ctx context.Context, r *excel.Range) error { return r.Merge(ctx, true) })},
		{"Range.Unmerge", "POST " + sheetR + "/unmerge", 200, "", `{}`, act(func(ctx context.Context, r *excel.Range) error { return r.Unmerge(ctx) })},
		{"Range.Save", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"values":[["Item",6],[true,""]]}`, act(func(ctx context.Context, r *excel.Range) error {
			r.Values[0][1] = excel.Number(6)
			return r.Save(ctx)
		})},
		{"Range.SetValues", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"values":[[1,2],[3,null]]}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Range("A1:B2").SetValues(ctx, excel.Values{{excel.Int(1), excel.Int(2)}, {excel.Int(3), excel.Null()}})
		}},
		{"Range.SetFormulas", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"formulas":[["=1","=A1*2"],[null,"=SUM(A1:B1)"]]}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Range("A1:B2").SetFormulas(ctx, excel.Values{{excel.String("=1"), excel.String("=A1*2")}, {excel.Null(), excel.String("=SUM(A1:B1)")}})
		}},
		{"Range.SetFormulasLocal", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"formulasLocal":[["=1","=2"],["=3","=4"]]}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Range("A1:B2").SetFormulasLocal(ctx, excel.MustValues([]any{"=1", "=2"}, []any{"=3", "=4"}))
		}},
		{"Range.SetFormulasR1C1", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"formulasR1C1":[["=R1C1","=RC[-1]"],["=1","=2"]]}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Range("A1:B2").SetFormulasR1C1(ctx, excel.MustValues([]any{"=R1C1", "=RC[-1]"}, []any{"=1", "=2"}))
		}},
		{"Range.SetNumberFormat", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"numberFormat":[["0.00","m-ddd"],["General","@"]]}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Range("A1:B2").SetNumberFormat(ctx, [][]string{{"0.00", "m-ddd"}, {"General", "@"}})
		}},
		{"Range.SetColumnHidden", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"columnHidden":true}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Range("A1:B2").SetColumnHidden(ctx, true)
		}},
		{"Range.SetRowHidden", "PATCH " + sheetR, 200, rangeJSON("Sheet1!A1:B2"), `{"rowHidden":false}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Sheet("Sheet1").Range("A1:B2").SetRowHidden(ctx, false)
		}},

		// Formats.
		{"Range.Format", "GET " + fmtR, 200, `{"columnWidth":48}`, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := loadFormat(ctx, wb)
			return err
		}},
		{"RangeFormat.Save", "PATCH " + fmtR, 200, `{"columnWidth":120,"wrapText":true}`, `{"columnWidth":120,"horizontalAlignment":"Center","wrapText":true}`, fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			f.ColumnWidth, f.HorizontalAlignment, f.WrapText = 120, excel.AlignCenter, true
			return f.Save(ctx)
		})},
		{"RangeFormat.AutofitColumns", "POST " + fmtR + "/autofitColumns", 200, "", `{}`, fmtAct(func(ctx context.Context, f *excel.RangeFormat) error { return f.AutofitColumns(ctx) })},
		{"RangeFormat.AutofitRows", "POST " + fmtR + "/autofitRows", 200, "", `{}`, fmtAct(func(ctx context.Context, f *excel.RangeFormat) error { return f.AutofitRows(ctx) })},
		{"RangeFormat.Font", "GET " + fmtR + "/font", 200, `{"bold":true}`, "", fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			_, err := f.Font(ctx)
			return err
		})},
		{"Font.Save", "PATCH " + fmtR + "/font", 200, `{"bold":true,"size":14}`, `{"bold":true,"size":14}`, fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			fo, err := f.Font(ctx)
			if err != nil {
				return err
			}
			fo.Bold, fo.Size = true, 14
			return fo.Save(ctx)
		})},
		{"RangeFormat.Fill", "GET " + fmtR + "/fill", 200, `{"color":"#FFFF00"}`, "", fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			_, err := f.Fill(ctx)
			return err
		})},
		{"Fill.SetColor", "PATCH " + fmtR + "/fill", 200, `{"color":"#FFFF00"}`, `{"color":"#FFFF00"}`, fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			fi, err := f.Fill(ctx)
			if err != nil {
				return err
			}
			return fi.SetColor(ctx, "#FFFF00")
		})},
		{"Fill.Clear", "POST " + fmtR + "/fill/clear", 204, "", `{}`, fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			fi, err := f.Fill(ctx)
			if err != nil {
				return err
			}
			return fi.Clear(ctx)
		})},
		{"RangeFormat.Borders", "GET " + fmtR + "/borders", 200, `{"value":[{"id":"EdgeTop","sideIndex":"EdgeTop","style":"Continuous","weight":"Thin","color":"#000000"}]}`, "", fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			_, err := f.Borders(ctx)
			return err
		})},
		{"RangeFormat.Border", "GET " + fmtR + "/borders/EdgeBottom", 200, `{"id":"EdgeBottom","sideIndex":"EdgeBottom","style":"None"}`, "", fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
			_, err := f.Border(ctx, excel.EdgeBottom)
			return err
		})},
		{"RangeFormat.SetBorder", "PATCH " + fmtR + "/borders/EdgeBottom", 200, `{"id":"EdgeBottom","sideIndex":"EdgeBottom","style":"Double","weight":"Thick","color":"#FF0000"}`,
			`{"style":"Double","weight":"Thick","color":"#FF0000"}`, fmtAct(func(ctx context.Context, f *excel.RangeFormat) error {
				_, err := f.SetBorder(ctx, excel.EdgeBottom, excel.Border{Style: excel.BorderDouble, Weight: excel.WeightThick, Color: "#FF0000"})
				return err
			})},

		// Tables.
		{"Tables", "GET /tables", 200, `{"value":[` + tableJSON + `]}`, "", func(ctx context.Context, wb *excel.Workbook) error { return drain(wb.Tables(ctx, nil)) }},
		{"Table", "GET /tables/Table1", 200, tableJSON, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := loadTable(ctx, wb)
			return err
		}},
		{"AddTable", "POST /tables/add", 201, tableJSON, `{"address":"Sheet1!A1:D5","hasHeaders":true}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.AddTable(ctx, "Sheet1!A1:D5", true)
			return err
		}},
		{"Table.Get", "GET /tables/7", 200, tableJSON, "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.Get(ctx)
			return err
		})},
		{"Table.Save", "PATCH /tables/7", 200, tableJSON, `{"name":"Sales","showTotals":true}`, tblAct(func(ctx context.Context, t *excel.Table) error {
			t.Name, t.ShowTotals = "Sales", true
			return t.Save(ctx)
		})},
		{"Table.Delete", "DELETE /tables/7", 204, "", "", tblAct(func(ctx context.Context, t *excel.Table) error { return t.Delete(ctx) })},
		{"Table.ConvertToRange", "POST /tables/7/convertToRange", 200, rangeJSON("Sheet1!A1:B2"), `{}`, tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.ConvertToRange(ctx)
			return err
		})},
		{"Table.Range", "GET /tables/7/range", 200, rangeJSON("Sheet1!A1:B3"), "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.Range(ctx)
			return err
		})},
		{"Table.HeaderRowRange", "GET /tables/7/headerRowRange", 200, rangeJSON("Sheet1!A1:B1"), "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.HeaderRowRange(ctx)
			return err
		})},
		{"Table.DataBodyRange", "GET /tables/7/dataBodyRange", 200, rangeJSON("Sheet1!A2:B3"), "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.DataBodyRange(ctx)
			return err
		})},
		{"Table.TotalRowRange", "GET /tables/7/totalRowRange", 200, rangeJSON("Sheet1!A4:B4"), "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.TotalRowRange(ctx)
			return err
		})},
		{"Table.ClearFilters", "POST /tables/7/clearFilters", 204, "", `{}`, tblAct(func(ctx context.Context, t *excel.Table) error { return t.ClearFilters(ctx) })},
		{"Table.ReapplyFilters", "POST /tables/7/reapplyFilters", 204, "", `{}`, tblAct(func(ctx context.Context, t *excel.Table) error { return t.ReapplyFilters(ctx) })},
		{"Table.Worksheet", "GET /tables/7/worksheet", 200, wsJSON, "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.Worksheet(ctx)
			return err
		})},
		{"Table.Columns", "GET /tables/7/columns", 200, `{"value":[` + colJSON + `]}`, "", tblAct(func(ctx context.Context, t *excel.Table) error { return drain(t.Columns(ctx, nil)) })},
		{"Table.Column", "GET /tables/7/columns/Amount", 200, colJSON, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := loadColumn(ctx, wb)
			return err
		}},
		{"Table.ColumnAt", "GET /tables/7/columns/itemAt(index=2)", 200, colJSON, "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.ColumnAt(ctx, 2)
			return err
		})},
		{"Table.AddColumn", "POST /tables/7/columns/add", 200, colJSON, `{"name":"Qty","index":2,"values":[["Qty"],[1]]}`, tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.AddColumn(ctx, "Qty", 2, excel.MustValues([]any{"Qty"}, []any{1}))
			return err
		})},
		{"Table.DeleteColumn", "DELETE /tables/7/columns/Qty", 204, "", "", tblAct(func(ctx context.Context, t *excel.Table) error { return t.DeleteColumn(ctx, "Qty") })},
		{"Table.Rows", "GET /tables/7/rows", 200, `{"value":[` + rowJSON + `]}`, "", tblAct(func(ctx context.Context, t *excel.Table) error { return drain(t.Rows(ctx, nil)) })},
		{"Table.RowAt", "GET /tables/7/rows/itemAt(index=0)", 200, rowJSON, "", tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.RowAt(ctx, 0)
			return err
		})},
		{"Table.AddRows", "POST /tables/7/rows/add", 200, rowJSON, `{"values":[["c",3],["d",4]]}`, tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.AddRows(ctx, excel.MustValues([]any{"c", 3}, []any{"d", 4}))
			return err
		})},
		{"Table.InsertRows", "POST /tables/7/rows/add", 200, rowJSON, `{"index":5,"values":[[1,2]]}`, tblAct(func(ctx context.Context, t *excel.Table) error {
			_, err := t.InsertRows(ctx, 5, excel.MustValues([]any{1, 2}))
			return err
		})},
		{"Table.DeleteRow", "DELETE /tables/7/rows/3", 204, "", "", tblAct(func(ctx context.Context, t *excel.Table) error { return t.DeleteRow(ctx, 3) })},
		{"TableRow.Update", "PATCH /tables/7/rows/0", 200, `{"index":0,"values":[["z",9]]}`, `{"values":[["z",9]]}`, rowAct(func(ctx context.Context, r *excel.TableRow) error {
			return r.Update(ctx, excel.MustValues([]any{"z", 9}))
		})},
		{"TableRow.Delete", "DELETE /tables/7/rows/0", 204, "", "", rowAct(func(ctx context.Context, r *excel.TableRow) error { return r.Delete(ctx) })},
		{"TableRow.Range", "GET /tables/7/rows/0/range", 200, rangeJSON("Sheet1!A2:B2"), "", rowAct(func(ctx context.Context, r *excel.TableRow) error {
			_, err := r.Range(ctx)
			return err
		})},
		{"TableColumn.Delete", "DELETE /tables/7/columns/2", 204, "", "", colAct(func(ctx context.Context, c *excel.TableColumn) error { return c.Delete(ctx) })},
		{"TableColumn.SetValues", "PATCH /tables/7/columns/2", 200, colJSON, `{"values":[["Amount"],[11]]}`, colAct(func(ctx context.Context, c *excel.TableColumn) error {
			return c.SetValues(ctx, excel.MustValues([]any{"Amount"}, []any{11}))
		})},
		{"TableColumn.Range", "GET /tables/7/columns/2/range", 200, rangeJSON("Sheet1!B1:B3"), "", colAct(func(ctx context.Context, c *excel.TableColumn) error {
			_, err := c.Range(ctx)
			return err
		})},
		{"TableColumn.HeaderRowRange", "GET /tables/7/columns/2/headerRowRange", 200, rangeJSON("Sheet1!B1"), "", colAct(func(ctx context.Context, c *excel.TableColumn) error {
			_, err := c.HeaderRowRange(ctx)
			return err
		})},
		{"TableColumn.DataBodyRange", "GET /tables/7/columns/2/dataBodyRange", 200, rangeJSON("Sheet1!B2:B3"), "", colAct(func(ctx context.Context, c *excel.TableColumn) error {
			_, err := c.DataBodyRange(ctx)
			return err
		})},
		{"TableColumn.TotalRowRange", "GET /tables/7/columns/2/totalRowRange", 200, rangeJSON("Sheet1!B4"), "", colAct(func(ctx context.Context, c *excel.TableColumn) error {
			_, err := c.TotalRowRange(ctx)
			return err
		})},
		{"TableColumn.Filter", "GET /tables/7/columns/2/filter", 200, `{"criteria":{"filterOn":"Values","values":["10"]}}`, "", colAct(func(ctx context.Context, c *excel.TableColumn) error {
			_, err := c.Filter(ctx)
			return err
		})},
		{"TableColumn.ApplyFilter", "POST /tables/7/columns/2/filter/apply", 204, "", `{"criteria":{"filterOn":"Custom","criterion1":">5","criterion2":"<50","operator":"And"}}`, colAct(func(ctx context.Context, c *excel.TableColumn) error {
			return c.ApplyFilter(ctx, excel.FilterCriteria{FilterOn: excel.FilterCustom, Criterion1: ">5", Criterion2: "<50", Operator: "And"})
		})},
		{"TableColumn.ApplyValuesFilter", "POST /tables/7/columns/2/filter/apply", 204, "", `{"criteria":{"filterOn":"Values","values":["10","11"]}}`, colAct(func(ctx context.Context, c *excel.TableColumn) error {
			return c.ApplyValuesFilter(ctx, "10", "11")
		})},
		{"TableColumn.ClearFilter", "POST /tables/7/columns/2/filter/clear", 204, "", `{}`, colAct(func(ctx context.Context, c *excel.TableColumn) error { return c.ClearFilter(ctx) })},

		// Names.
		{"Names", "GET /names", 200, `{"value":[` + nameJSON + `]}`, "", func(ctx context.Context, wb *excel.Workbook) error { return drain(wb.Names(ctx, nil)) }},
		{"NamedItem", "GET /names/Total", 200, nameJSON, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.NamedItem(ctx, "Total")
			return err
		}},
		{"AddName", "POST /names/add", 200, nameJSON, `{"name":"test5","reference":"=Sheet1!$F$15:$N$27","comment":"Comment for the named item"}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.AddName(ctx, "test5", "=Sheet1!$F$15:$N$27", "Comment for the named item")
			return err
		}},
		{"AddNameFormula", "POST /names/addFormulaLocal", 200, nameJSON, `{"name":"test7","formula":"=SUM(Sheet2!$A$1+Sheet2!$A$2)","comment":"Comment for the named item"}`, func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.AddNameFormula(ctx, "test7", "=SUM(Sheet2!$A$1+Sheet2!$A$2)", "Comment for the named item")
			return err
		}},
		{"NamedItem.Range", "GET /names/Total/range", 200, rangeJSON("Sheet1!B4"), "", nameAct(func(ctx context.Context, n *excel.NamedItem) error {
			_, err := n.Range(ctx)
			return err
		})},
		{"NamedItem.Save", "PATCH /names/Total", 200, nameJSON, `{"comment":"grand total","visible":false}`, nameAct(func(ctx context.Context, n *excel.NamedItem) error {
			n.Comment, n.Visible = "grand total", false
			return n.Save(ctx)
		})},
		{"NamedItem.Delete", "DELETE /names/Total", 204, "", "", nameAct(func(ctx context.Context, n *excel.NamedItem) error { return n.Delete(ctx) })},

		// Application and functions.
		{"Application", "GET /application", 200, `{"calculationMode":"Automatic"}`, "", func(ctx context.Context, wb *excel.Workbook) error {
			_, err := wb.Application(ctx)
			return err
		}},
		{"Calculate", "POST /application/calculate", 204, "", `{"calculationType":"Full"}`, func(ctx context.Context, wb *excel.Workbook) error {
			return wb.Calculate(ctx, excel.CalculateFull)
		}},
		{"InvokeFunction", "POST /functions/vlookup", 200, `{"error":null,"value":5}`,
			`{"lookupValue":"pear","tableArray":{"Address":"Sheet1!B2:C7"},"colIndexNum":2,"rangeLookup":false}`, func(ctx context.Context, wb *excel.Workbook) error {
				v, err := wb.InvokeFunction(ctx, "vlookup", excel.A("lookupValue", "pear"), excel.A("tableArray", excel.Ref("Sheet1!B2:C7")),
					excel.A("colIndexNum", 2), excel.A("rangeLookup", false))
				if err == nil && v.String() != "5" {
					return fmt.Errorf("vlookup = %v", v)
				}
				return err
			}},
	}
}

func nav(f func(ctx context.Context, r *excel.Range) (*excel.Range, error)) func(ctx context.Context, wb *excel.Workbook) error {
	return func(ctx context.Context, wb *excel.Workbook) error {
		r, err := loadRange(ctx, wb)
		if err != nil {
			return err
		}
		got, err := f(ctx, r)
		if err == nil && got.Address == "" {
			return errors.New("navigation result without an address")
		}
		return err
	}
}

func act(f func(ctx context.Context, r *excel.Range) error) func(ctx context.Context, wb *excel.Workbook) error {
	return func(ctx context.Context, wb *excel.Workbook) error {
		r, err := loadRange(ctx, wb)
		if err != nil {
			return err
		}
		return f(ctx, r)
	}
}

func fmtAct(f func(ctx context.Context, fm *excel.RangeFormat) error) func(ctx context.Context, wb *excel.Workbook) error {
	return func(ctx context.Context, wb *excel.Workbook) error {
		fm, err := loadFormat(ctx, wb)
		if err != nil {
			return err
		}
		return f(ctx, fm)
	}
}

func tblAct(f func(ctx context.Context, t *excel.Table) error) func(ctx context.Context, wb *excel.Workbook) error {
	return func(ctx context.Context, wb *excel.Workbook) error {
		t, err := loadTable(ctx, wb)
		if err != nil {
			return err
		}
		return f(ctx, t)
	}
}

func colAct(f func(ctx context.Context, c *excel.TableColumn) error) func(ctx context.Context, wb *excel.Workbook) error {
	return func(ctx context.Context, wb *excel.Workbook) error {
		c, err := loadColumn(ctx, wb)
		if err != nil {
			return err
		}
		return f(ctx, c)
	}
}

func rowAct(f func(ctx context.Context, r *excel.TableRow) error) func(ctx context.Context, wb *excel.Workbook) error {
	return func(ctx context.Context, wb *excel.Workbook) error {
		t, err := loadTable(ctx, wb)
		if err != nil {
			return err
		}
		r, err := t.RowAt(ctx, 0)
		if err != nil {
			return err
		}
		return f(ctx, r)
	}
}

func nameAct(f func(ctx context.Context, n *excel.NamedItem) error) func(ctx context.Context, wb *excel.Workbook) error {
	return func(ctx context.Context, wb *excel.Workbook) error {
		n, err := wb.NamedItem(ctx, "Total")
		if err != nil {
			return err
		}
		return f(ctx, n)
	}
}

// Every call sends the documented method, path and body, with the session, and decodes
// the documented answer; the same call fails with the service's error when the service
// refuses it.
func TestCalls(t *testing.T) {
	for _, tc := range callCases() {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFake(t)
			fixtures(f)
			wb := f.open()
			f.reset(tc.route)
			f.on(tc.route, tc.status, tc.resp)
			f.clear()
			if err := tc.run(ctx, wb); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			reqs := f.requests()
			if len(reqs) == 0 {
				t.Fatal("no request")
			}
			last := reqs[len(reqs)-1]
			if got := last.Method + " " + last.Path; got != tc.route {
				t.Errorf("request %s, want %s", got, tc.route)
			}
			if !jsonEq(t, tc.body, last.Body) {
				t.Errorf("body %s, want %s", last.Body, tc.body)
			}
			for _, r := range reqs {
				if r.Session != "sess-1" {
					t.Errorf("%s %s without the session header (%q)", r.Method, r.Path, r.Session)
				}
			}

			// Failure: the service refuses the call.
			f.reset(tc.route)
			f.on(tc.route, 400, `{"error":{"code":"invalidArgument","message":"The argument is invalid or missing or has an incorrect format.","innerError":{"code":"invalidArgument"}}}`)
			err := tc.run(ctx, wb)
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.StatusCode != 400 || ge.Code != "invalidArgument" {
				t.Errorf("refused: err = %v", err)
			}
		})
	}
}
