package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
)

// excelSheetColumns are the columns of `excel sheets`.
var excelSheetColumns = []output.Column{
	{Header: "name", Path: "name"},
	{Header: "position", Path: "position"},
	{Header: "visibility", Path: "visibility"},
	{Header: "id", Path: "id"},
}

// excelTableColumns are the columns of `excel table` without a table name.
var excelTableColumns = []output.Column{
	{Header: "name", Path: "name"},
	{Header: "headers", Path: "showHeaders"},
	{Header: "totals", Path: "showTotals"},
	{Header: "style", Path: "style"},
	{Header: "id", Path: "id"},
}

// excelFlags are the flags every excel command shares.
type excelFlags struct {
	drive, user string
	sheet       string
	noSession   bool
}

func (a *app) excelCommand() *cobra.Command {
	fl := &excelFlags{}
	cmd := &cobra.Command{
		Use:   "excel",
		Short: "Excel workbooks in OneDrive and SharePoint: sheets, ranges, tables",
		Long: `Read and write Excel workbooks (.xlsx) stored in OneDrive for work or school and
SharePoint, through Excel's calculation service: formulas recalculate as in Excel.

WORKBOOK is a path from the drive's root ("Documents/Budget.xlsx") or a drive item id
(write "id:ITEM" or "path:NAME" when the form is ambiguous). The drive is your OneDrive
unless --drive (a drive id) or --user names another.

Cell values typed on the command line or read from CSV are read as Excel would read
them typed: numbers, TRUE/FALSE, #N/A-style errors, text, and "=..." formulas. --json
takes a JSON array of rows ([["Travel", 1200.5]]), keeping the JSON types.

Sign in with the files scope: o365 login --scopes basic,onedrive_all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&fl.drive, "drive", "", "drive id (default: your OneDrive, or --user's)")
	pf.StringVar(&fl.user, "user", "", "another user's OneDrive (UPN or id)")
	pf.StringVar(&fl.sheet, "sheet", "", "worksheet name or id (default: the first sheet)")
	pf.BoolVar(&fl.noSession, "no-session", false, "send each call without a workbook session")
	cmd.AddCommand(a.excelSheetsCommand(fl), a.excelGetCommand(fl), a.excelSetCommand(fl), a.excelAppendCommand(fl), a.excelTableCommand(fl))
	return cmd
}

// excelHint adds what to do to a permission error.
func excelHint(err error) error {
	if errors.Is(err, graph.ErrForbidden) {
		return fmt.Errorf("%w (workbooks need the Files.ReadWrite scope: o365 login --scopes basic,onedrive_all)", err)
	}
	return err
}

// openWorkbook resolves WORKBOOK to a drive item and opens it.
func (a *app) openWorkbook(ctx context.Context, fl *excelFlags, spec string) (*excel.Workbook, error) {
	_, c, err := a.session(ctx)
	if err != nil {
		return nil, err
	}
	res := graph.Me
	if fl.user != "" {
		res = graph.User(fl.user)
	}
	st := drive.New(c, res)
	var d *drive.Drive
	if fl.drive != "" {
		d = st.DriveByID(fl.drive)
	} else if d, err = st.DefaultDrive(ctx); err != nil {
		return nil, excelHint(err)
	}
	var it *drive.Item
	id, isID := strings.CutPrefix(spec, "id:")
	p, isPath := strings.CutPrefix(spec, "path:")
	switch {
	case isID:
		it, err = d.Item(ctx, id)
	case isPath:
		it, err = d.ItemByPath(ctx, p)
	case strings.ContainsAny(spec, "/.") || strings.Contains(spec, " "):
		it, err = d.ItemByPath(ctx, spec)
	default:
		it, err = d.Item(ctx, spec)
	}
	if err != nil {
		if errors.Is(err, graph.ErrNotFound) {
			return nil, fmt.Errorf("%s: no such workbook: %w", spec, err)
		}
		return nil, excelHint(err)
	}
	if it.Folder != nil {
		return nil, fmt.Errorf("%s is a folder, not a workbook", spec)
	}
	mode := excel.Persistent
	if fl.noSession {
		mode = excel.NoSession
	}
	// A session that takes long to open is polled from 100 ms on: a command should not
	// wait longer than the service needs.
	wb, err := excel.Open(ctx, it, excel.WithSession(mode), excel.WithPollInterval(100*time.Millisecond))
	return wb, excelHint(err)
}

// withWorkbook opens the workbook, runs f and closes the session.
func (a *app) withWorkbook(ctx context.Context, fl *excelFlags, spec string, f func(wb *excel.Workbook) error) error {
	wb, err := a.openWorkbook(ctx, fl, spec)
	if err != nil {
		return err
	}
	err = excelHint(f(wb))
	if cerr := wb.Close(context.WithoutCancel(ctx)); err == nil {
		err = cerr
	}
	return err
}

// sheet returns the worksheet --sheet names (or the address's sheet), else the first one.
func sheet(ctx context.Context, wb *excel.Workbook, fl *excelFlags, addrSheet string) (*excel.Worksheet, error) {
	name := fl.sheet
	if addrSheet != "" {
		if name != "" && !strings.EqualFold(name, addrSheet) {
			return nil, usagef("--sheet %q and the range's sheet %q differ", name, addrSheet)
		}
		name = addrSheet
	}
	if name != "" {
		ws, err := wb.Worksheet(ctx, name)
		if errors.Is(err, graph.ErrNotFound) {
			return nil, fmt.Errorf("no worksheet %q: %w", name, err)
		}
		return ws, err
	}
	var first *excel.Worksheet
	for ws, err := range wb.Worksheets(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if first == nil || ws.Position < first.Position {
			first = ws
		}
	}
	if first == nil {
		return nil, errors.New("the workbook has no worksheet")
	}
	return first, nil
}

func (a *app) excelSheetsCommand(fl *excelFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "sheets WORKBOOK",
		Short: "List the worksheets",
		Long: `List the worksheets of WORKBOOK in order.

  o365 excel sheets Documents/Budget.xlsx -o text`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			out := []*excel.Worksheet{}
			err := a.withWorkbook(ctx, fl, args[0], func(wb *excel.Workbook) error {
				for ws, err := range wb.Worksheets(ctx, nil) {
					if err != nil {
						return err
					}
					out = append(out, ws)
				}
				return nil
			})
			if err != nil {
				return err
			}
			return a.print(out, excelSheetColumns...)
		},
	}
}

func (a *app) excelGetCommand(fl *excelFlags) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "get WORKBOOK",
		Short: "Print a range (default: the sheet's used range)",
		Long: `Print the values of a range: --range in A1 notation ("B2:D10", "Budget!A:C"), or the
sheet's used range. CSV, text and Markdown output show the grid as Excel does (numbers
unformatted, TRUE/FALSE, error codes); JSON shows the whole range: address, values with
their types, text, formulas and number formats.

  o365 excel get Documents/Budget.xlsx --range A1:C5 -o csv
  o365 excel get Documents/Budget.xlsx --sheet Summary --query "values[-1]"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addrSheet, local := excel.SplitAddress(addr)
			if addr != "" {
				if _, err := excel.ParseAddress(local); err != nil {
					return usagef("bad --range %q: use A1 notation such as B2:D10", addr)
				}
			}
			ctx := cmd.Context()
			var r *excel.Range
			err := a.withWorkbook(ctx, fl, args[0], func(wb *excel.Workbook) error {
				ws, err := sheet(ctx, wb, fl, addrSheet)
				if err != nil {
					return err
				}
				if local == "" {
					r, err = ws.UsedRange(ctx, false)
				} else {
					r, err = ws.Range(local).Get(ctx)
				}
				return err
			})
			if err != nil {
				return err
			}
			return a.printRange(r)
		},
	}
	cmd.Flags().StringVar(&addr, "range", "", "the range in A1 notation (default: the used range)")
	return cmd
}

// printRange writes a range: the grid in CSV, text and Markdown, the range object in JSON
// or when --query reshapes it.
func (a *app) printRange(r *excel.Range) error {
	if a.query != "" || a.format == output.JSON || a.format == output.None {
		return a.print(r)
	}
	grid := r.Values.Strings()
	switch a.format {
	case output.CSV:
		cw := csv.NewWriter(a.env.Stdout)
		if err := cw.WriteAll(grid); err != nil {
			return err
		}
		return cw.Error()
	case output.Markdown:
		return writeMarkdownGrid(a.env.Stdout, r.ColumnIndex, grid)
	}
	return writeTextGrid(a.env.Stdout, r.RowIndex, r.ColumnIndex, grid)
}

// writeTextGrid aligns the cells under column letters, rows numbered as in Excel.
func writeTextGrid(w io.Writer, row0, col0 int, grid [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	cols := 0
	for _, r := range grid {
		cols = max(cols, len(r))
	}
	head := []string{""}
	for j := range cols {
		head = append(head, excel.ColumnName(col0+j+1))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for i, r := range grid {
		cells := append([]string{fmt.Sprint(row0 + i + 1)}, r...)
		for k := range cells {
			cells[k] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(cells[k])
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

func writeMarkdownGrid(w io.Writer, col0 int, grid [][]string) error {
	cols := 0
	for _, r := range grid {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return nil
	}
	esc := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")
	var b strings.Builder
	b.WriteString("|")
	for j := range cols {
		b.WriteString(" " + excel.ColumnName(col0+j+1) + " |")
	}
	b.WriteString("\n|")
	for range cols {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range grid {
		b.WriteString("|")
		for j := range cols {
			cell := ""
			if j < len(r) {
				cell = esc.Replace(r[j])
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// valueFlags are the ways of giving cell values: arguments (one row), --json or --csv.
type valueFlags struct {
	json, csv string
}

func (v *valueFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&v.json, "json", "", `rows as a JSON array of arrays ([["a", 1]]); "-" reads stdin, "@FILE" a file`)
	cmd.Flags().StringVar(&v.csv, "csv", "", `rows from a CSV file ("-": stdin)`)
}

// read returns the values: the positional cells as one row, or the --json or --csv rows.
func (v *valueFlags) read(a *app, cells []string) (excel.Values, error) {
	n := 0
	for _, set := range []bool{len(cells) > 0, v.json != "", v.csv != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, usagef("give the values once: as arguments (one row), with --json or with --csv")
	}
	switch {
	case len(cells) > 0:
		row := make([]excel.Value, len(cells))
		for i, c := range cells {
			row[i] = excel.ParseValue(c)
		}
		return excel.Values{row}, nil
	case v.json != "":
		b, err := a.readSource(v.json, true)
		if err != nil {
			return nil, err
		}
		var vals excel.Values
		if err := json.Unmarshal(b, &vals); err != nil {
			return nil, usagef("--json: want an array of rows such as [[\"a\", 1]]: %v", err)
		}
		return checkRows(vals)
	}
	b, err := a.readSource(v.csv, false)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(string(b)))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, usagef("--csv: %v", err)
	}
	vals := make(excel.Values, len(recs))
	for i, rec := range recs {
		vals[i] = make([]excel.Value, len(rec))
		for j, c := range rec {
			vals[i][j] = excel.ParseValue(c)
		}
	}
	return checkRows(vals)
}

func checkRows(v excel.Values) (excel.Values, error) {
	if len(v) == 0 || len(v[0]) == 0 {
		return nil, usagef("no values")
	}
	if !v.Rectangular() {
		return nil, usagef("the rows have different numbers of cells")
	}
	return v, nil
}

// readSource reads "-" (stdin), "@FILE" (with at) or, for CSV, a file name; a --json
// value without @ is the JSON itself.
func (a *app) readSource(s string, jsonText bool) ([]byte, error) {
	switch {
	case s == "-":
		return io.ReadAll(io.LimitReader(a.env.Stdin, 64<<20))
	case jsonText && !strings.HasPrefix(s, "@"):
		return []byte(s), nil
	}
	b, err := os.ReadFile(strings.TrimPrefix(s, "@"))
	if err != nil {
		return nil, usagef("%v", err)
	}
	return b, nil
}

func (a *app) excelSetCommand(fl *excelFlags) *cobra.Command {
	var (
		addr string
		vf   valueFlags
	)
	cmd := &cobra.Command{
		Use:   "set WORKBOOK --range A1:C2 [VALUE...]",
		Short: "Write values (or formulas) to a range",
		Long: `Write cell values to --range: the VALUE arguments as one row, or the rows of --json
or --csv. With a single cell in --range, the range grows to the values' size; otherwise
the values must have its shape. "=..." values are formulas. Prints the range written,
recalculated.

  o365 excel set Documents/Budget.xlsx --range B2 1200.5
  o365 excel set Documents/Budget.xlsx --range A10:B10 Total "=SUM(B2:B9)"
  o365 excel set Documents/Budget.xlsx --range A2 --csv rows.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if addr == "" {
				return usagef("--range is required")
			}
			addrSheet, local := excel.SplitAddress(addr)
			b, err := excel.ParseAddress(local)
			if err != nil {
				return usagef("bad --range %q: use A1 notation such as B2:D10", addr)
			}
			vals, err := vf.read(a, args[1:])
			if err != nil {
				return err
			}
			rows, cols := vals.Size()
			if b.Rows() == 1 && b.Cols() == 1 {
				b.Row2, b.Col2 = b.Row1+rows-1, b.Col1+cols-1
				if b.Row2 > excel.MaxRows || b.Col2 > excel.MaxColumns {
					return usagef("the values do not fit on the sheet from %s", local)
				}
			} else if (b.Rows() != 0 && b.Rows() != rows) || (b.Cols() != 0 && b.Cols() != cols) {
				return usagef("%d×%d values for %s (%d×%d): give a range of their size, or its first cell", rows, cols, local, b.Rows(), b.Cols())
			}
			ctx := cmd.Context()
			var r *excel.Range
			err = a.withWorkbook(ctx, fl, args[0], func(wb *excel.Workbook) error {
				ws, err := sheet(ctx, wb, fl, addrSheet)
				if err != nil {
					return err
				}
				r, err = ws.UpdateCells(ctx, b.String(), vals)
				return err
			})
			if err != nil {
				return err
			}
			return a.printRange(r)
		},
	}
	cmd.Flags().StringVar(&addr, "range", "", "the range (or its first cell) in A1 notation")
	vf.add(cmd)
	return cmd
}

func (a *app) excelAppendCommand(fl *excelFlags) *cobra.Command {
	var (
		table string
		vf    valueFlags
	)
	cmd := &cobra.Command{
		Use:   "append WORKBOOK [VALUE...]",
		Short: "Append rows below a sheet's data, or to a table",
		Long: `Append rows: the VALUE arguments as one row, or the rows of --json or --csv. With
--table they are added to the table (which grows, and its formulas and totals with it);
otherwise they go below the sheet's used range, from its first column. Prints the rows
written.

  o365 excel append Documents/Budget.xlsx Travel 1200.5
  o365 excel append Documents/Budget.xlsx --table Expenses --json '[["Food", 300]]'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			vals, err := vf.read(a, args[1:])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			var out any
			err = a.withWorkbook(ctx, fl, args[0], func(wb *excel.Workbook) error {
				if table != "" {
					t, err := wb.Table(ctx, table)
					if errors.Is(err, graph.ErrNotFound) {
						return fmt.Errorf("no table %q: %w", table, err)
					}
					if err != nil {
						return err
					}
					row, err := t.AddRows(ctx, vals)
					out = row
					return err
				}
				ws, err := sheet(ctx, wb, fl, "")
				if err != nil {
					return err
				}
				r, err := ws.AppendRows(ctx, vals)
				out = r
				return err
			})
			if err != nil {
				return err
			}
			if r, ok := out.(*excel.Range); ok {
				return a.printRange(r)
			}
			return a.print(out)
		},
	}
	cmd.Flags().StringVar(&table, "table", "", "append to this table (name or id) instead of below the sheet's data")
	vf.add(cmd)
	return cmd
}

func (a *app) excelTableCommand(fl *excelFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "table WORKBOOK [TABLE]",
		Short: "List the tables, or print one",
		Long: `Without TABLE, list the workbook's tables (or --sheet's). With TABLE (a name or id),
print its range: header row, data rows and total row.

  o365 excel table Documents/Budget.xlsx -o text
  o365 excel table Documents/Budget.xlsx Expenses -o csv`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if len(args) == 2 {
				var r *excel.Range
				err := a.withWorkbook(ctx, fl, args[0], func(wb *excel.Workbook) error {
					t, err := wb.Table(ctx, args[1])
					if errors.Is(err, graph.ErrNotFound) {
						return fmt.Errorf("no table %q: %w", args[1], err)
					}
					if err != nil {
						return err
					}
					r, err = t.Range(ctx)
					return err
				})
				if err != nil {
					return err
				}
				return a.printRange(r)
			}
			out := []*excel.Table{}
			err := a.withWorkbook(ctx, fl, args[0], func(wb *excel.Workbook) error {
				seq := wb.Tables(ctx, nil)
				if fl.sheet != "" {
					seq = wb.Sheet(fl.sheet).Tables(ctx, nil)
				}
				for t, err := range seq {
					if err != nil {
						return err
					}
					out = append(out, t)
				}
				return nil
			})
			if err != nil {
				return err
			}
			return a.print(out, excelTableColumns...)
		},
	}
}
