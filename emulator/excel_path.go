package emulator

import (
	"net/url"
	"strings"
)

// Workbook functions take named arguments in the path
// (range(address='A1:B2'), cell(row=1,column=2)), whose values may hold
// any character. workbookSeg, called by splitGraphPath for each segment,
// turns such a call into the one literal segment of its route
// ("range(address='{address}')"); the handler reads the values back from
// the request path with parseWorkbookPath.

// workbookSignatures are the workbook functions with arguments, by
// lower-cased name: each signature lists the argument names in the order
// of the route, and whether the value is quoted.
var workbookSignatures = map[string][][]wbArgSpec{
	"range":               {{{"address", true}}},
	"cell":                {{{"row", false}, {"column", false}}},
	"row":                 {{{"row", false}}},
	"column":              {{{"column", false}}},
	"usedrange":           {{{"valuesOnly", false}}},
	"offsetrange":         {{{"rowOffset", false}, {"columnOffset", false}}},
	"resizedrange":        {{{"deltaRows", false}, {"deltaColumns", false}}},
	"intersection":        {{{"anotherRange", true}}},
	"boundingrect":        {{{"anotherRange", true}}},
	"columnsafter":        {{{"count", false}}},
	"columnsbefore":       {{{"count", false}}},
	"rowsabove":           {{{"count", false}}},
	"rowsbelow":           {{{"count", false}}},
	"itemat":              {{{"index", false}}},
	"sessioninforesource": {{{"key", true}}},
}

type wbArgSpec struct {
	name   string
	quoted bool
}

// workbookSeg returns the route segment of a workbook function call with
// named arguments, or false when s is not one.
func workbookSeg(s string) (string, bool) {
	name, args, ok := parseCallSeg(s)
	if !ok || len(args) == 0 {
		return "", false
	}
	for _, sig := range workbookSignatures[strings.ToLower(name)] {
		if len(sig) != len(args) {
			continue
		}
		parts := make([]string, len(sig))
		match := true
		for i, a := range sig {
			if _, found := args[strings.ToLower(a.name)]; !found {
				match = false
				break
			}
			if a.quoted {
				parts[i] = a.name + "='{" + a.name + "}'"
			} else {
				parts[i] = a.name + "={" + a.name + "}"
			}
		}
		if match {
			return name + "(" + strings.Join(parts, ",") + ")", true
		}
	}
	return "", false
}

// parseCallSeg splits an unescaped segment name(a=1,b='x') into its name
// and lower-cased argument names with their values (quotes removed,
// doubled quotes undone). ok is false when s is not a call with named
// arguments only.
func parseCallSeg(s string) (name string, args map[string]string, ok bool) {
	i := strings.IndexByte(s, '(')
	if i <= 0 || !strings.HasSuffix(s, ")") {
		return "", nil, false
	}
	name = s[:i]
	inner := strings.TrimSpace(s[i+1 : len(s)-1])
	args = map[string]string{}
	if inner == "" {
		return name, args, true
	}
	for _, a := range splitCallArgs(inner) {
		k, v, found := strings.Cut(a, "=")
		k = strings.TrimSpace(k)
		if !found || k == "" || strings.ContainsAny(k, "' ") {
			return "", nil, false
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = strings.ReplaceAll(v[1:len(v)-1], "''", "'")
		}
		args[strings.ToLower(k)] = v
	}
	return name, args, true
}

// splitCallArgs splits on commas outside quotes.
func splitCallArgs(s string) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// wbSeg is one segment of a workbook path below "workbook".
type wbSeg struct {
	name string            // lower-cased; for key syntax the collection name
	key  string            // the key of key syntax or the next segment's id
	args map[string]string // named arguments of a function call
	call bool              // written as a call
}

// parseWorkbookPath returns the segments of the request path below
// "/workbook", with key syntax (worksheets('Sheet1')) read as a key.
func parseWorkbookPath(escaped string) ([]wbSeg, bool) {
	raw := strings.Split(strings.TrimSuffix(escaped, "/"), "/")
	k := -1
	for i, r := range raw {
		if strings.EqualFold(r, "workbook") {
			k = i
			break
		}
	}
	if k < 0 {
		return nil, false
	}
	var out []wbSeg
	for _, r := range raw[k+1:] {
		s, err := url.PathUnescape(r)
		if err != nil {
			s = r
		}
		if name, args, ok := parseCallSeg(s); ok {
			out = append(out, wbSeg{name: strings.ToLower(name), args: args, call: true})
			continue
		}
		if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
			key := strings.TrimSpace(s[i+1 : len(s)-1])
			if len(key) >= 2 && key[0] == '\'' && key[len(key)-1] == '\'' {
				key = strings.ReplaceAll(key[1:len(key)-1], "''", "'")
			}
			out = append(out, wbSeg{name: strings.ToLower(s[:i])}, wbSeg{name: strings.ToLower(key), key: key})
			continue
		}
		out = append(out, wbSeg{name: strings.ToLower(s), key: s})
	}
	return out, true
}
