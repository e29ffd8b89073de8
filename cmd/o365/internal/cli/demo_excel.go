package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/excel"
)

// demoExcel is the demo's Excel part: open the seeded Documents/Budget.xlsx, append an
// expense to its Expenses table, and have Excel sum the table's Amount column again.
func demoExcel(ctx context.Context, t *tour, _ *emulator.Server, acct *o365.Account, _ *skewClock) error {
	t.title("Append a row to an Excel table and read the recalculated SUM")
	t.code(`item, err := d.ItemByPath(ctx, "Documents/Budget.xlsx")
wb, err := excel.Open(ctx, item)                     // a workbook session, closed by wb.Close
defer wb.Close(ctx)
tbl, err := wb.Table(ctx, "Expenses")
_, err = tbl.AddRows(ctx, excel.MustValues([]any{"Travel", "March", 480.5}))
col, err := tbl.Column(ctx, "Amount")
body, err := col.DataBodyRange(ctx)                  // the column's cells, the new row included
sum, err := wb.InvokeFunction(ctx, "sum", excel.A("values", []any{excel.Ref(body.Address)}))`)
	// The drive step before this one signed in with onedrive_all: no new consent here.
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		return fmt.Errorf("demo: default drive: %w", err)
	}
	item, err := d.ItemByPath(ctx, "Documents/Budget.xlsx")
	if err != nil {
		return fmt.Errorf("demo: Budget.xlsx: %w", err)
	}
	wb, err := excel.Open(ctx, item, excel.WithPollInterval(50*time.Millisecond))
	if err != nil {
		return fmt.Errorf("demo: open workbook: %w", err)
	}
	defer wb.Close(context.WithoutCancel(ctx))
	tbl, err := wb.Table(ctx, "Expenses")
	if err != nil {
		return fmt.Errorf("demo: table: %w", err)
	}
	sum := func() (excel.Value, string, error) {
		col, err := tbl.Column(ctx, "Amount")
		if err != nil {
			return excel.Value{}, "", err
		}
		body, err := col.DataBodyRange(ctx)
		if err != nil {
			return excel.Value{}, "", err
		}
		v, err := wb.InvokeFunction(ctx, "sum", excel.A("values", []any{excel.Ref(body.Address)}))
		return v, body.Address, err
	}
	before, _, err := sum()
	if err != nil {
		return fmt.Errorf("demo: sum: %w", err)
	}
	row, err := tbl.AddRows(ctx, excel.MustValues([]any{"Travel", "March", 480.5}))
	if err != nil {
		return fmt.Errorf("demo: add row: %w", err)
	}
	after, addr, err := sum()
	if err != nil {
		return fmt.Errorf("demo: sum: %w", err)
	}
	t.say("-> Expenses row %d added: %s", row.Index, rowText(row.Values))
	t.say("-> SUM(%s) = %s (a %s; it was %s)", addr, after, after.Kind(), before)
	return nil
}

// rowText shows the first row of a grid as Excel would print it.
func rowText(v excel.Values) string {
	if len(v) == 0 {
		return "[]"
	}
	return fmt.Sprintf("%q", v.Strings()[0])
}
