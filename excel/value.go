package excel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a cell value, as Excel keeps it.
type Kind uint8

// Kinds of cell values.
const (
	// KindEmpty is an empty cell. It is sent as "" (which clears a cell) and is what the
	// zero Value holds.
	KindEmpty Kind = iota
	// KindNumber is a number (Excel keeps every number, dates too, as a float64).
	KindNumber
	// KindString is text.
	KindString
	// KindBool is TRUE or FALSE.
	KindBool
	// KindError is an Excel error such as #DIV/0! or #N/A.
	KindError
	// KindNull is JSON null. In a write it leaves the cell as it is (Graph's rule for
	// null in values, formulas and numberFormat); the service does not send it in reads.
	KindNull
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindEmpty:
		return "Empty"
	case KindNumber:
		return "Number"
	case KindString:
		return "String"
	case KindBool:
		return "Boolean"
	case KindError:
		return "Error"
	case KindNull:
		return "Null"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one cell's value with its Excel type: a number, a string, a boolean, an error
// or empty. The zero Value is empty. Values round-trip through JSON without loss: a
// number keeps the exact digits the service sent, so reading and writing a range back
// never reformats it.
type Value struct {
	kind Kind
	num  float64
	lit  string // number: the JSON literal as received (kept for an exact round trip); string/error: the text
	b    bool
}

// Empty returns the empty value (sent as "", which clears a cell).
func Empty() Value { return Value{} }

// Null returns the value that leaves a cell unchanged in a write (JSON null).
func Null() Value { return Value{kind: KindNull} }

// Number returns a number. NaN and infinities have no JSON form: marshalling them fails.
func Number(f float64) Value { return Value{kind: KindNumber, num: f} }

// Int returns an integer as a number. Excel keeps numbers as float64, so integers beyond
// 2^53 lose precision exactly as they would in Excel.
func Int(i int64) Value { return Value{kind: KindNumber, num: float64(i)} }

// String returns a text value. Excel reads text written through values as if it were
// typed: "=A1*2" becomes a formula and "12" a number. Start the text with an apostrophe
// ("'12") to keep it text.
func String(s string) Value { return Value{kind: KindString, lit: s} }

// Bool returns TRUE or FALSE.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// ErrorValue returns an Excel error value such as "#N/A" or "#DIV/0!".
func ErrorValue(code string) Value { return Value{kind: KindError, lit: code} }

// excelEpoch is day 0 of Excel's 1900 date system as Excel counts it (1899-12-30, which
// absorbs Excel's fictitious 1900-02-29 for every date after February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// Date returns t as an Excel date serial number (days since 1899-12-30, the fraction
// being the time of day), reading t's wall clock: Excel dates have no zone. Give the cell
// a date number format ("yyyy-mm-dd") to show it as a date.
func Date(t time.Time) Value {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	d := wall.Sub(excelEpoch)
	days := math.Floor(d.Hours() / 24)
	rest := d - time.Duration(days)*24*time.Hour
	return Number(days + float64(rest)/float64(24*time.Hour))
}

// Kind returns the value's type.
func (v Value) Kind() Kind { return v.kind }

// IsEmpty reports whether the cell is empty.
func (v Value) IsEmpty() bool { return v.kind == KindEmpty }

// Float returns a number's value.
func (v Value) Float() (float64, bool) { return v.num, v.kind == KindNumber }

// Int64 returns a number that is a whole number within int64's range.
func (v Value) Int64() (int64, bool) {
	if v.kind != KindNumber || v.num != math.Trunc(v.num) || math.Abs(v.num) > 1<<63-1 {
		return 0, false
	}
	return int64(v.num), true
}

// Text returns a string's text.
func (v Value) Text() (string, bool) { return v.lit, v.kind == KindString }

// Boolean returns a boolean's value.
func (v Value) Boolean() (bool, bool) { return v.b, v.kind == KindBool }

// ErrorCode returns an error value's code, such as "#DIV/0!".
func (v Value) ErrorCode() (string, bool) { return v.lit, v.kind == KindError }

// Time reads a number as an Excel date serial number and returns it as a wall-clock time
// in UTC, to the millisecond (Excel's own precision).
func (v Value) Time() (time.Time, bool) {
	if v.kind != KindNumber || math.IsNaN(v.num) || math.IsInf(v.num, 0) || v.num < -1e7 || v.num > 1e7 {
		return time.Time{}, false
	}
	days := math.Floor(v.num)
	ms := math.Round((v.num - days) * 24 * 60 * 60 * 1000)
	return excelEpoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), true
}

// Interface returns the value as a plain Go value: float64, string, bool, nil (empty or
// null), or ErrorCode for an error.
func (v Value) Interface() any {
	switch v.kind {
	case KindNumber:
		return v.num
	case KindString:
		return v.lit
	case KindBool:
		return v.b
	case KindError:
		return ErrorCode(v.lit)
	}
	return nil
}

// ErrorCode is an Excel error value in Interface's result and ValueOf's argument.
type ErrorCode string

// String returns the value as Excel shows it unformatted: numbers in the shortest form
// that reads back as the same float64 (0.1, not 0.1000000000000000055), TRUE/FALSE,
// error codes, "" for empty and null.
func (v Value) String() string {
	switch v.kind {
	case KindNumber:
		return formatNumber(v.num)
	case KindString, KindError:
		return v.lit
	case KindBool:
		if v.b {
			return "TRUE"
		}
		return "FALSE"
	}
	return ""
}

func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ErrNotRepresentable is returned by ValueOf for Go values that have no cell form.
var ErrNotRepresentable = errors.New("excel: value has no cell form")

// ValueOf converts a Go value to a cell value: integers and floats become numbers, string
// text, bool a boolean, nil empty, time.Time a date serial number (see Date), ErrorCode an
// error, json.Number a number with its digits kept; a Value is returned as is. Anything
// else, and NaN or infinite floats, give ErrNotRepresentable.
func ValueOf(x any) (Value, error) {
	switch t := x.(type) {
	case nil:
		return Empty(), nil
	case Value:
		return t, nil
	case *Value:
		if t == nil {
			return Empty(), nil
		}
		return *t, nil
	case string:
		return String(t), nil
	case bool:
		return Bool(t), nil
	case ErrorCode:
		return ErrorValue(string(t)), nil
	case int:
		return Int(int64(t)), nil
	case int8:
		return Int(int64(t)), nil
	case int16:
		return Int(int64(t)), nil
	case int32:
		return Int(int64(t)), nil
	case int64:
		return Int(t), nil
	case uint:
		return Number(float64(t)), nil
	case uint8:
		return Number(float64(t)), nil
	case uint16:
		return Number(float64(t)), nil
	case uint32:
		return Number(float64(t)), nil
	case uint64:
		return Number(float64(t)), nil
	case float32:
		return checkFinite(float64(t))
	case float64:
		return checkFinite(t)
	case json.Number:
		f, err := t.Float64()
		if err != nil {
			return Value{}, fmt.Errorf("%w: %q", ErrNotRepresentable, string(t))
		}
		return Value{kind: KindNumber, num: f, lit: string(t)}, nil
	case time.Time:
		return Date(t), nil
	}
	return Value{}, fmt.Errorf("%w: %T", ErrNotRepresentable, x)
}

func checkFinite(f float64) (Value, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Value{}, fmt.Errorf("%w: %v", ErrNotRepresentable, f)
	}
	return Number(f), nil
}

// MarshalJSON writes the value as Graph expects it in values and formulas: a number, a
// string, a boolean, "" for empty, null for KindNull, the code string for an error.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case KindNumber:
		if v.lit != "" {
			return []byte(v.lit), nil
		}
		if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
			return nil, fmt.Errorf("%w: %v", ErrNotRepresentable, v.num)
		}
		return json.Marshal(v.num)
	case KindString, KindError:
		return json.Marshal(v.lit)
	case KindBool:
		return json.Marshal(v.b)
	case KindNull:
		return []byte("null"), nil
	}
	return []byte(`""`), nil
}

// UnmarshalJSON reads a number, string, boolean or null. "" reads as empty; a string
// stays a string even when it looks like an error code: Range.Get uses valueTypes to tell
// an error from text. Arrays and objects are an error.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("excel: empty JSON value")
	}
	switch b[0] {
	case 'n':
		if string(b) != "null" {
			return fmt.Errorf("excel: bad JSON value %.20q", b)
		}
		*v = Null()
	case 't', 'f':
		var x bool
		if err := json.Unmarshal(b, &x); err != nil {
			return err
		}
		*v = Bool(x)
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			*v = Empty()
		} else {
			*v = String(s)
		}
	case '[', '{':
		return fmt.Errorf("excel: a cell value is a number, string, boolean or null, not %.20s", b)
	default:
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			var ne *strconv.NumError
			if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
				return fmt.Errorf("excel: bad JSON number %.30q", b)
			}
		}
		*v = Value{kind: KindNumber, num: f, lit: string(b)}
	}
	return nil
}

// Values is a 2-D grid of cell values, rows first, as Graph's values and formulas
// properties carry them.
type Values [][]Value

// NewValues converts rows of Go values (see ValueOf) to Values.
func NewValues(rows ...[]any) (Values, error) {
	out := make(Values, len(rows))
	for i, row := range rows {
		out[i] = make([]Value, len(row))
		for j, x := range row {
			v, err := ValueOf(x)
			if err != nil {
				return nil, fmt.Errorf("row %d, column %d: %w", i+1, j+1, err)
			}
			out[i][j] = v
		}
	}
	return out, nil
}

// Row converts one row of Go values to a one-row grid (see ValueOf).
func Row(cells ...any) (Values, error) { return NewValues(cells) }

// MustValues is NewValues for literal grids in code; it panics on a value that has no
// cell form, which is a programming error there.
func MustValues(rows ...[]any) Values {
	v, err := NewValues(rows...)
	if err != nil {
		panic(err)
	}
	return v
}

// Size returns the number of rows and the widest row's number of columns.
func (vs Values) Size() (rows, cols int) {
	for _, r := range vs {
		cols = max(cols, len(r))
	}
	return len(vs), cols
}

// Rectangular reports whether every row has the same number of cells.
func (vs Values) Rectangular() bool {
	for _, r := range vs {
		if len(r) != len(vs[0]) {
			return false
		}
	}
	return true
}

// Strings returns the grid as text (see Value.String), for CSV and display.
func (vs Values) Strings() [][]string {
	out := make([][]string, len(vs))
	for i, r := range vs {
		out[i] = make([]string, len(r))
		for j, v := range r {
			out[i][j] = v.String()
		}
	}
	return out
}

// Interface returns the grid as plain Go values (see Value.Interface).
func (vs Values) Interface() [][]any {
	out := make([][]any, len(vs))
	for i, r := range vs {
		out[i] = make([]any, len(r))
		for j, v := range r {
			out[i][j] = v.Interface()
		}
	}
	return out
}

// Clone returns a deep copy.
func (vs Values) Clone() Values {
	if vs == nil {
		return nil
	}
	out := make(Values, len(vs))
	for i, r := range vs {
		out[i] = append([]Value(nil), r...)
	}
	return out
}

// ParseValue reads text as a user would type it into a cell: "" is empty, TRUE/FALSE
// (any case) a boolean, a number in Go or JSON syntax a number (digits kept), #N/A and
// the other Excel error codes an error, anything else a string. The CLI reads arguments
// and CSV cells with it.
func ParseValue(s string) Value {
	switch {
	case s == "":
		return Empty()
	case strings.EqualFold(s, "true"):
		return Bool(true)
	case strings.EqualFold(s, "false"):
		return Bool(false)
	}
	if isErrorCode(s) {
		return ErrorValue(s)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && json.Valid([]byte(s)) {
		return Value{kind: KindNumber, num: f, lit: s}
	}
	return String(s)
}

// errorCodes are the error values Excel shows.
var errorCodes = []string{"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!"}

func isErrorCode(s string) bool {
	for _, c := range errorCodes {
		if strings.EqualFold(s, c) {
			return true
		}
	}
	return false
}
