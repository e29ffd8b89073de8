// Package xlsx reads and writes the parts of an Office Open XML
// spreadsheet (.xlsx) the emulator's workbook engine keeps: sheets and
// their visibility, cell values and formulas, shared strings, number
// formats, fonts, fills and alignment, column widths and row heights,
// merged cells, defined names and tables. It uses only the standard
// library (archive/zip and encoding/xml) and the emulator's formula
// package (to expand shared formulas).
package xlsx
