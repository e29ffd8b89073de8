package query

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

type kind uint8

const (
	kNull kind = iota
	kBool
	kNum
	kStr
	kTime // a date-time literal; item values are strings and parsed on demand
	kList
	kObj
)

// value is what expressions evaluate to. It is passed by value so that
// evaluation does not allocate.
type value struct {
	k kind
	b bool
	n float64
	s string
	t time.Time
	l []any
	o map[string]any
}

var null = value{}

func boolVal(b bool) value { return value{k: kBool, b: b} }

// fromAny converts a decoded JSON value (or a Go value an emulator stored)
// into a value.
func fromAny(v any) value {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return value{k: kStr, s: x}
	case bool:
		return value{k: kBool, b: x}
	case float64:
		return value{k: kNum, n: x}
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return value{k: kStr, s: string(x)}
		}
		return value{k: kNum, n: f}
	case int:
		return value{k: kNum, n: float64(x)}
	case int64:
		return value{k: kNum, n: float64(x)}
	case int32:
		return value{k: kNum, n: float64(x)}
	case float32:
		return value{k: kNum, n: float64(x)}
	case uint64:
		return value{k: kNum, n: float64(x)}
	case []any:
		return value{k: kList, l: x}
	case map[string]any:
		return value{k: kObj, o: x}
	case []map[string]any:
		l := make([]any, len(x))
		for i, m := range x {
			l[i] = m
		}
		return value{k: kList, l: l}
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return value{k: kList, l: l}
	case time.Time:
		return value{k: kTime, t: x, s: x.UTC().Format(time.RFC3339Nano)}
	}
	return null
}

// get returns the property name of obj: the exact key first, then a key
// equal under case folding, as Graph's property names are
// case-insensitive in queries.
func get(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// walk follows path segments from v. Casts (segments with a dot that are
// not annotations) are skipped; $count gives a collection's length.
func walk(v value, path []string) value {
	for _, seg := range path {
		switch {
		case seg == "":
			return null
		case seg == "$count":
			switch v.k {
			case kList:
				v = value{k: kNum, n: float64(len(v.l))}
			default:
				return null
			}
		case seg[0] != '@' && strings.Contains(seg, "."):
			// A type cast: the emulator's items carry no type hierarchy to
			// check against, so the cast is a no-op.
		case v.k == kObj:
			x, ok := get(v.o, seg)
			if !ok {
				return null
			}
			v = fromAny(x)
		default:
			return null
		}
	}
	return v
}

// lookup returns the value at path in item, null when it is missing.
func lookup(item map[string]any, path []string) value {
	return walk(value{k: kObj, o: item}, path)
}

// parseTime accepts the ISO 8601 forms Graph uses: with an offset or Z
// (any number of fraction digits), without a zone (dateTimeTimeZone's
// dateTime, read as UTC), and a bare date.
func parseTime(s string) (time.Time, bool) {
	if !looksLikeTime(s) {
		return time.Time{}, false
	}
	if len(s) == 10 {
		t, err := time.Parse(time.DateOnly, s)
		return t, err == nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// looksLikeTime is a cheap test before parsing: YYYY-MM-DD then nothing or T.
func looksLikeTime(s string) bool {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' || (len(s) > 10 && s[10] != 'T' && s[10] != 't') {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// asTime returns v as an instant when it is a date-time literal or a
// string that parses as one.
func asTime(v value) (time.Time, bool) {
	switch v.k {
	case kTime:
		return v.t, true
	case kStr:
		return parseTime(v.s)
	}
	return time.Time{}, false
}

// compare orders a and b and reports whether they are comparable at all.
// Strings compare case-insensitively; two date-times (or strings that both
// parse as date-times) compare as instants.
func compare(a, b value) (int, bool) {
	if a.k == kTime || b.k == kTime || (a.k == kStr && b.k == kStr && looksLikeTime(a.s) && looksLikeTime(b.s)) {
		if a.k == kStr && b.k == kStr && len(a.s) == len(b.s) && strings.HasSuffix(a.s, "Z") && strings.HasSuffix(b.s, "Z") {
			// Same UTC layout: byte order is time order.
			return strings.Compare(a.s, b.s), true
		}
		ta, okA := asTime(a)
		tb, okB := asTime(b)
		if okA && okB {
			return ta.Compare(tb), true
		}
		if a.k == kTime || b.k == kTime {
			return 0, false
		}
	}
	if a.k != b.k {
		return 0, false
	}
	switch a.k {
	case kNull:
		return 0, true
	case kBool:
		switch {
		case a.b == b.b:
			return 0, true
		case !a.b:
			return -1, true
		}
		return 1, true
	case kNum:
		switch {
		case a.n < b.n:
			return -1, true
		case a.n > b.n:
			return 1, true
		case a.n == b.n:
			return 0, true
		}
		// NaN: equal to itself only, ordered first, so that sorting is total.
		switch {
		case math.IsNaN(a.n) && math.IsNaN(b.n):
			return 0, true
		case math.IsNaN(a.n):
			return -1, true
		}
		return 1, true
	case kStr:
		return compareFold(a.s, b.s), true
	}
	return 0, false
}

// equal is OData eq: null equals only null; strings are compared without
// regard to case.
func equal(a, b value) bool {
	if a.k == kNull || b.k == kNull {
		return a.k == b.k
	}
	if a.k == kStr && b.k == kStr && !(looksLikeTime(a.s) && looksLikeTime(b.s)) {
		return strings.EqualFold(a.s, b.s)
	}
	c, ok := compare(a, b)
	return ok && c == 0
}

// compareFold compares strings under simple case folding.
func compareFold(a, b string) int {
	for a != "" && b != "" {
		var ra, rb rune
		if a[0] < utf8.RuneSelf {
			ra, a = rune(a[0]), a[1:]
		} else {
			r, n := utf8.DecodeRuneInString(a)
			ra, a = r, a[n:]
		}
		if b[0] < utf8.RuneSelf {
			rb, b = rune(b[0]), b[1:]
		} else {
			r, n := utf8.DecodeRuneInString(b)
			rb, b = r, b[n:]
		}
		if ra == rb {
			continue
		}
		la, lb := unicode.ToLower(ra), unicode.ToLower(rb)
		if la != lb {
			if la < lb {
				return -1
			}
			return 1
		}
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// indexFold returns the byte index of the first occurrence of sub in s
// under case folding, or -1.
func indexFold(s, sub string) int {
	if sub == "" {
		return 0
	}
	if isASCII(s) && isASCII(sub) {
		n := len(sub)
		for i := 0; i+n <= len(s); i++ {
			if strings.EqualFold(s[i:i+n], sub) {
				return i
			}
		}
		return -1
	}
	return strings.Index(strings.ToLower(s), strings.ToLower(sub))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) || !isASCII(s) && strings.HasPrefix(strings.ToLower(s), strings.ToLower(p))
}

func hasSuffixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[len(s)-len(p):], p) || !isASCII(s) && strings.HasSuffix(strings.ToLower(s), strings.ToLower(p))
}

// text renders a scalar as the string a function such as contains sees.
func text(v value) (string, bool) {
	switch v.k {
	case kStr:
		return v.s, true
	case kTime:
		return v.s, true
	}
	return "", false
}
