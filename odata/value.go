package odata

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// GUID is a value of type Edm.Guid, such as a directory object id. OData
// writes GUIDs bare (id eq 7d5b6d2c-...), so Literal checks the format
// before it writes one.
type GUID string

// EnumValue is a member of a Graph enumeration written in the qualified form
// microsoft.graph.importance'high'. Graph also accepts enum members as plain
// strings (importance eq 'high'), which is what a typed string enum such as
// mail.Importance produces; use Enum where the qualified form is required.
type EnumValue struct {
	Type  string // qualified type name, e.g. "microsoft.graph.importance"
	Value string // member name, e.g. "high"
}

// Enum returns the enumeration member value of type typ. A typ without a
// namespace is taken to be in microsoft.graph.
func Enum(typ, value string) EnumValue {
	if typ != "" && !strings.Contains(typ, ".") {
		typ = "microsoft.graph." + typ
	}
	return EnumValue{Type: typ, Value: value}
}

// Literal returns v written as an OData literal:
//
//	nil, nil pointer           null
//	string (and string kinds)  'it''s'
//	bool                       true, false
//	integers                   42, -7
//	floats                     1.5, 1e+21, NaN, INF, -INF
//	time.Time                  2024-01-02T03:04:05Z (UTC; a fraction only when not zero)
//	GUID                       7d5b6d2c-9d7b-4c8a-9d55-0a8f2f1c6b1e
//	EnumValue                  microsoft.graph.importance'high'
//
// Named types whose underlying kind is one of the above (typed string enums,
// for example) are written as that kind. Other types are an error.
func Literal(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case string:
		return quote(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case float64:
		return formatFloat(x, 64), nil
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), nil
	case *time.Time:
		if x == nil {
			return "null", nil
		}
		return x.UTC().Format(time.RFC3339Nano), nil
	case GUID:
		if !validGUID(string(x)) {
			return "", fmt.Errorf("odata: invalid GUID %q", string(x))
		}
		return string(x), nil
	case EnumValue:
		if !validQualifiedName(x.Type) {
			return "", fmt.Errorf("odata: invalid enum type %q", x.Type)
		}
		return x.Type + quote(x.Value), nil
	}
	return reflectLiteral(reflect.ValueOf(v))
}

func reflectLiteral(rv reflect.Value) (string, error) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "null", nil
		}
		return Literal(rv.Elem().Interface())
	case reflect.String:
		return quote(rv.String()), nil
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10), nil
	case reflect.Float32:
		return formatFloat(rv.Float(), 32), nil
	case reflect.Float64:
		return formatFloat(rv.Float(), 64), nil
	}
	return "", fmt.Errorf("odata: unsupported value type %s", rv.Type())
}

// quote writes s as an OData string literal: single quotes, with each
// embedded single quote doubled. No other character needs escaping inside
// the literal; URL encoding is Encode's job.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	}
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e21) {
		return strconv.FormatFloat(f, 'f', -1, bits)
	}
	return strconv.FormatFloat(f, 'e', -1, bits)
}

// validGUID checks the 8-4-4-4-12 hexadecimal form.
func validGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func validQualifiedName(s string) bool {
	return s != "" && s[0] != '@' && s[0] != '$' && validSegment(s)
}
