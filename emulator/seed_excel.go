package emulator

import (
	"github.com/o365go/o365/emulator/internal/xlsx"
)

// seedExcel puts Documents/Budget.xlsx in Adele's OneDrive (demo seed): a
// "Budget" sheet with a header row, expense rows, a SUM total, a named
// range and a table, and a second "Notes" sheet. The file is built by
// the engine's own writer, so it is deterministic.
func (s *Server) seedExcel(kind string) {
	if kind != "demo" {
		return
	}
	data, err := xlsx.Write(budgetWorkbook())
	if err != nil {
		return
	}
	_, _, _ = s.seedDriveFile("user", s.DefaultUser().ID, "Documents/Budget.xlsx", data)
}

// budgetWorkbook is the seeded budget.
func budgetWorkbook() *xlsx.Workbook {
	budget := xlsx.NewSheet("Budget")
	set := func(sh *xlsx.Sheet, row, col int, v any, f string) *xlsx.Cell {
		c := &xlsx.Cell{Value: v, Formula: f}
		sh.Cells[xlsx.Pos{Row: row, Col: col}] = c
		return c
	}
	header := []string{"Category", "Month", "Amount"}
	for i, h := range header {
		set(budget, 0, i, h, "").Style.Font.Bold = true
	}
	rows := []struct {
		cat, month string
		amount     float64
	}{
		{"Rent", "January", 1200},
		{"Groceries", "January", 345.5},
		{"Utilities", "January", 180.25},
		{"Travel", "February", 620},
		{"Rent", "February", 1200},
	}
	for i, r := range rows {
		set(budget, i+1, 0, r.cat, "")
		set(budget, i+1, 1, r.month, "")
		set(budget, i+1, 2, r.amount, "").Style.NumFmt = "#,##0.00"
	}
	total := 0.0
	for _, r := range rows {
		total += r.amount
	}
	set(budget, 7, 0, "Total", "").Style.Font.Bold = true
	c := set(budget, 7, 2, total, "SUM(C2:C6)")
	c.Style.NumFmt, c.Style.Font.Bold = "#,##0.00", true
	budget.ColWidths[0] = 90
	budget.Tables = []*xlsx.Table{{ID: 1, Name: "Expenses", Ref: "A1:C6", HeaderRow: true, Style: "TableStyleMedium2",
		Columns: header, BandedRows: true, AutoFilter: true}}

	notes := xlsx.NewSheet("Notes")
	set(notes, 0, 0, "Budget figures are in USD.", "")
	set(notes, 1, 0, "Grand total", "")
	set(notes, 1, 1, total, "Budget!C8")
	return &xlsx.Workbook{
		Sheets: []*xlsx.Sheet{budget, notes},
		Names:  []*xlsx.Name{{Name: "BudgetTotal", RefersTo: "Budget!$C$8", Comment: "Sum of all expenses"}},
	}
}
