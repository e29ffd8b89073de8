package excel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/o365go/o365"
	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/drive"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/o365test"
)

// Open a workbook from OneDrive, read a range with its types, write a value and read
// the recalculated total. Against Microsoft 365, acct comes from o365.NewAccount with
// your app's client id and Authenticate; here it is signed in to a local emulator whose
// demo tenant has Documents/Budget.xlsx in Adele's OneDrive.
func Example() {
	ctx := context.Background()
	item, srv := exampleBudget()
	defer srv.Close()

	wb, err := excel.Open(ctx, item) // a persistent workbook session
	if err != nil {
		log.Fatal(err)
	}
	defer wb.Close(ctx)

	ws, err := wb.Worksheet(ctx, "Budget")
	if err != nil {
		log.Fatal(err)
	}
	r, err := ws.Range("A1:C3").Get(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, row := range r.Values {
		fmt.Printf("%-10s %-8s %v (%v)\n", row[0], row[1], row[2], row[2].Kind())
	}

	if err := ws.Range("C2").SetValues(ctx, excel.MustValues([]any{1000})); err != nil {
		log.Fatal(err)
	}
	total, err := ws.Range("C8").Get(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(total.Formulas[0][0], "=", total.Values[0][0])
	// Output:
	// Category   Month    Amount (String)
	// Rent       January  1200 (Number)
	// Groceries  January  345.5 (Number)
	// =SUM(C2:C6) = 3345.75
}

// Tables: rows on every page, appending, filtering.
func ExampleTable_AddRows() {
	ctx := context.Background()
	item, srv := exampleBudget()
	defer srv.Close()
	wb, err := excel.Open(ctx, item)
	if err != nil {
		log.Fatal(err)
	}
	defer wb.Close(ctx)

	tbl, err := wb.Table(ctx, "Expenses")
	if err != nil {
		log.Fatal(err)
	}
	row, err := tbl.AddRows(ctx, excel.MustValues([]any{"Books", "March", 42.5}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("added row", row.Index)
	n := 0
	for r, err := range tbl.Rows(ctx, &graph.ListOptions{PageSize: 2}) { // every page
		if err != nil {
			log.Fatal(err)
		}
		n++
		_ = r
	}
	fmt.Println(n, "rows")
	// Output:
	// added row 5
	// 6 rows
}

// Cell values keep Excel's types through JSON: numbers stay numbers with their digits.
func ExampleValues() {
	var v excel.Values
	if err := json.Unmarshal([]byte(`[["Rent", 1200.50, true, "", null]]`), &v); err != nil {
		log.Fatal(err)
	}
	var kinds []string
	for _, c := range v[0] {
		kinds = append(kinds, fmt.Sprintf("%s:%q", c.Kind(), c))
	}
	fmt.Println(strings.Join(kinds, " "))
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
	// Output:
	// String:"Rent" Number:"1200.5" Boolean:"TRUE" Empty:"" Null:""
	// [["Rent",1200.50,true,"",null]]
}

// Excel's worksheet functions, computed by the service.
func ExampleWorkbook_InvokeFunction() {
	ctx := context.Background()
	item, srv := exampleBudget()
	defer srv.Close()
	wb, err := excel.Open(ctx, item, excel.WithSession(excel.NoSession))
	if err != nil {
		log.Fatal(err)
	}
	v, err := wb.InvokeFunction(ctx, "sum", excel.A("values", []any{excel.Ref("Budget!C2:C6"), 4.25}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
	_, err = wb.InvokeFunction(ctx, "sum", excel.A("values", []any{"not a number"}))
	fmt.Println(errors.Is(err, excel.ErrFunction), err)
	// Output:
	// 3550
	// true excel: function sum returned #VALUE!
}

// exampleBudget starts a demo emulator and returns Adele's Documents/Budget.xlsx.
func exampleBudget() (*drive.Item, *emulator.Server) {
	srv, err := emulator.New(emulator.Options{Seed: "demo", AutoApprove: true})
	if err != nil {
		log.Fatal(err)
	}
	acct, err := o365.NewAccount(
		o365.Credentials{ClientID: srv.PublicClientID(), Tenant: srv.TenantID()},
		o365.WithProtocol(graph.Protocol{BaseURL: srv.URL(), LoginURL: srv.URL()}),
		o365.WithTokenStore(auth.NewMemoryStore()),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if err := o365test.SignIn(ctx, acct, o365test.DefaultScopes()...); err != nil {
		log.Fatal(err)
	}
	d, err := acct.Storage().DefaultDrive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	item, err := d.ItemByPath(ctx, "Documents/Budget.xlsx")
	if err != nil {
		log.Fatal(err)
	}
	return item, srv
}
