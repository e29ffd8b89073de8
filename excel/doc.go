// Package excel works with Excel workbooks stored in OneDrive for work or school and
// SharePoint, through Microsoft Graph: sessions, worksheets, ranges with typed values,
// formulas and formats, tables with their columns, rows and filters, defined names,
// worksheet functions and recalculation.
//
// Open a workbook from a drive item (a *drive.Item, or Item(client, path)); it keeps a
// workbook session, refreshing it when it has been idle long enough to be near expiry and
// making a new one when the service says it expired. Close ends it:
//
//	wb, err := excel.Open(ctx, item) // persistent session; excel.WithSession(excel.NonPersistent) for what-if work
//	if err != nil {
//		return err
//	}
//	defer wb.Close(ctx)
//	ws, err := wb.Worksheet(ctx, "Budget")
//	r, err := ws.Range("A1:C3").Get(ctx)
//	for _, row := range r.Values { ... } // excel.Value: number, string, bool, error or empty
//	_, err = ws.AppendRows(ctx, excel.MustValues([]any{"Travel", 1200.5}))
//	total, err := ws.Range("B10").Get(ctx) // recalculated
//
// Cell values are Values (a [][]Value grid) that keep Excel's types and convert to and
// from Go values without loss: numbers keep their exact digits through a JSON round trip.
//
// Calls that Excel runs as long-running operations (202 Accepted with a Location:
// session creation, adding table rows) are polled to completion; a failed operation is
// an *OperationError matching ErrOperationFailed.
//
// Coming from python-o365: WorkBook → Workbook, WorkSheet → Worksheet, Range → Range,
// RangeFormat → RangeFormat (+ Font, Fill, Border), NamedRange → NamedItem, Table →
// Table, TableColumn → TableColumn, TableRow → TableRow, WorkbookApplication →
// Application; docs/excel.md has the full table.
package excel
