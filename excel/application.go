package excel

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// CalculationMode is the workbook's calculation mode.
type CalculationMode string

// Calculation modes.
const (
	CalculationAutomatic             CalculationMode = "Automatic"
	CalculationAutomaticExceptTables CalculationMode = "AutomaticExceptTables"
	CalculationManual                CalculationMode = "Manual"
)

// CalculationType says how much Calculate recalculates.
type CalculationType string

// Calculation types.
const (
	// Recalculate recalculates the formulas marked dirty.
	Recalculate CalculationType = "Recalculate"
	// CalculateFull recalculates every formula.
	CalculateFull CalculationType = "Full"
	// CalculateFullRebuild rebuilds the dependencies and recalculates everything.
	CalculateFullRebuild CalculationType = "FullRebuild"
)

// Application is the workbook's Excel application (microsoft.graph.workbookApplication).
type Application struct {
	CalculationMode CalculationMode `json:"calculationMode,omitempty"`
}

// Application reads the calculation mode (GET /workbook/application).
func (wb *Workbook) Application(ctx context.Context) (*Application, error) {
	var a Application
	if err := wb.get(ctx, "/application", &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Calculate recalculates the workbook (POST /workbook/application/calculate), within the
// session: with a session the results are those of its changes.
func (wb *Workbook) Calculate(ctx context.Context, t CalculationType) error {
	if t == "" {
		t = Recalculate
	}
	return wb.post(ctx, "/application/calculate", map[string]any{"calculationType": t}, nil)
}

// Arg is one named argument of a workbook function, as Graph's function reference names
// them (vlookup takes lookupValue, tableArray, colIndexNum and rangeLookup).
type Arg struct {
	Name  string
	Value any
}

// A returns an argument.
func A(name string, value any) Arg { return Arg{Name: name, Value: value} }

// Ref returns a range reference argument, {"Address": "Sheet1!B2:C7"}.
func Ref(address string) any { return map[string]string{"Address": address} }

// InvokeFunction calls one of Excel's worksheet functions (POST
// /workbook/functions/{name}) and returns its value. An Excel error value in the answer
// (#N/A, #VALUE!) is a *FunctionError matching ErrFunction.
//
//	v, err := wb.InvokeFunction(ctx, "pmt", excel.A("rate", 0.035/12), excel.A("nper", 120), excel.A("pv", -10000))
func (wb *Workbook) InvokeFunction(ctx context.Context, name string, args ...Arg) (Value, error) {
	if name == "" || strings.ContainsAny(name, "/?#") {
		return Value{}, fmt.Errorf("%w: function name %q", ErrEmptyName, name)
	}
	body := map[string]any{}
	for _, a := range args {
		if a.Name == "" {
			return Value{}, fmt.Errorf("excel: function %s: an argument has no name", name)
		}
		if v, ok := a.Value.(Value); ok {
			body[a.Name] = v
			continue
		}
		body[a.Name] = a.Value
	}
	var res struct {
		Error *string         `json:"error"`
		Value json.RawMessage `json:"value"`
	}
	if err := wb.post(ctx, "/functions/"+seg(name), body, &res); err != nil {
		return Value{}, err
	}
	if res.Error != nil && *res.Error != "" {
		return Value{}, &FunctionError{Function: name, Code: *res.Error}
	}
	if len(res.Value) == 0 {
		return Empty(), nil
	}
	var v Value
	if err := json.Unmarshal(res.Value, &v); err != nil {
		return Value{}, fmt.Errorf("excel: function %s: %w", name, err)
	}
	if v.Kind() == KindNull {
		v = Empty()
	}
	if s, ok := v.Text(); ok && isErrorCode(s) {
		return Value{}, &FunctionError{Function: name, Code: s}
	}
	return v, nil
}
