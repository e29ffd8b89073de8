package formula

import (
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a Value.
type Kind uint8

// The kinds of values a cell or a formula can have.
const (
	Empty Kind = iota
	Number
	String
	Boolean
	Error
)

// Error values of Excel.
const (
	ErrDiv0  = "#DIV/0!"
	ErrValue = "#VALUE!"
	ErrName  = "#NAME?"
	ErrRef   = "#REF!"
	ErrNum   = "#NUM!"
	ErrNA    = "#N/A"
	ErrNull  = "#NULL!"
)

// IsErrorCode reports whether s is one of Excel's error values.
func IsErrorCode(s string) bool {
	switch s {
	case ErrDiv0, ErrValue, ErrName, ErrRef, ErrNum, ErrNA, ErrNull:
		return true
	}
	return false
}

// Value is a cell value or the result of a formula.
type Value struct {
	Kind Kind
	Num  float64
	// Str is the text of a String and the code of an Error.
	Str  string
	Bool bool
}

// NumberValue, StringValue, BoolValue and ErrorValue build values.
func NumberValue(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ErrorValue(ErrNum)
	}
	return Value{Kind: Number, Num: f}
}

// StringValue returns a text value.
func StringValue(s string) Value { return Value{Kind: String, Str: s} }

// BoolValue returns a logical value.
func BoolValue(b bool) Value { return Value{Kind: Boolean, Bool: b} }

// ErrorValue returns an error value such as ErrDiv0.
func ErrorValue(code string) Value { return Value{Kind: Error, Str: code} }

// IsError reports whether v is an error value.
func (v Value) IsError() bool { return v.Kind == Error }

// Text returns v as Excel displays it with the General format.
func (v Value) Text() string {
	switch v.Kind {
	case Number:
		return FormatNumber(v.Num)
	case String, Error:
		return v.Str
	case Boolean:
		if v.Bool {
			return "TRUE"
		}
		return "FALSE"
	}
	return ""
}

// FormatNumber formats f as the General number format does (at most 15
// significant digits).
func FormatNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	s := strconv.FormatFloat(f, 'g', 15, 64)
	g, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	a := math.Abs(g)
	if a >= 1e-9 && a < 1e15 {
		return strconv.FormatFloat(g, 'f', -1, 64)
	}
	return strings.ToUpper(strconv.FormatFloat(g, 'E', -1, 64))
}

// toNumber coerces v as arithmetic does.
func toNumber(v Value) Value {
	switch v.Kind {
	case Number, Error:
		return v
	case Empty:
		return NumberValue(0)
	case Boolean:
		if v.Bool {
			return NumberValue(1)
		}
		return NumberValue(0)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64)
	if err != nil || strings.TrimSpace(v.Str) == "" {
		return ErrorValue(ErrValue)
	}
	return NumberValue(f)
}

// toBool coerces v as logical functions do.
func toBool(v Value) Value {
	switch v.Kind {
	case Boolean, Error:
		return v
	case Empty:
		return BoolValue(false)
	case Number:
		return BoolValue(v.Num != 0)
	}
	switch strings.ToUpper(v.Str) {
	case "TRUE":
		return BoolValue(true)
	case "FALSE":
		return BoolValue(false)
	}
	return ErrorValue(ErrValue)
}

// compare orders a and b as Excel's comparison operators do: numbers
// before text before logicals, text case-insensitively; empty is 0, ""
// or FALSE depending on the other side.
func compare(a, b Value) int {
	if a.Kind == Empty {
		a = emptyAs(b)
	}
	if b.Kind == Empty {
		b = emptyAs(a)
	}
	rank := func(v Value) int {
		switch v.Kind {
		case Number:
			return 0
		case String:
			return 1
		}
		return 2
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	switch a.Kind {
	case Number:
		switch {
		case a.Num < b.Num:
			return -1
		case a.Num > b.Num:
			return 1
		}
		return 0
	case String:
		return strings.Compare(strings.ToLower(a.Str), strings.ToLower(b.Str))
	}
	switch {
	case a.Bool == b.Bool:
		return 0
	case !a.Bool:
		return -1
	}
	return 1
}

func emptyAs(other Value) Value {
	switch other.Kind {
	case String:
		return StringValue("")
	case Boolean:
		return BoolValue(false)
	}
	return NumberValue(0)
}
