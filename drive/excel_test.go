package drive_test

import (
	"context"
	"testing"

	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/o365test"
)

// The excel package opens a workbook through a *drive.Item (its Client and ItemPath).
func TestItemOpensWorkbook(t *testing.T) {
	acct, _ := o365test.Start(t, demoSeed)
	ctx := context.Background()
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	it, err := d.ItemByPath(ctx, "Documents/Budget.xlsx")
	if err != nil {
		t.Skip("no seeded workbook in this emulator: ", err)
	}
	var _ excel.Source = it
	wb, err := excel.Open(ctx, it)
	if err != nil {
		t.Fatal(err)
	}
	if err := wb.Close(ctx); err != nil {
		t.Fatal(err)
	}
}
