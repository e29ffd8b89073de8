package query

import (
	"slices"
	"strings"
)

// OrderKey is one key of an $orderby clause.
type OrderKey struct {
	Path []string // property path, e.g. ["from", "emailAddress", "address"]
	Desc bool     // descending; ascending otherwise
}

// OrderBy is a parsed $orderby clause, most significant key first.
type OrderBy []OrderKey

// ParseOrderBy parses an $orderby value such as
// "receivedDateTime desc,from/emailAddress/address". An empty value gives
// no keys.
func ParseOrderBy(expr string) (OrderBy, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	var o OrderBy
	pos := 0
	for item := range strings.SplitSeq(expr, ",") {
		start := pos
		pos += len(item) + 1
		fields := strings.Fields(item)
		if len(fields) == 0 {
			return nil, errorf("$orderby", expr, start, "empty sort key")
		}
		if len(fields) > 2 {
			return nil, errorf("$orderby", expr, start, "expected 'property [asc|desc]', found '%s'", strings.TrimSpace(item))
		}
		if !validPath(fields[0]) {
			return nil, errorf("$orderby", expr, start, "invalid property '%s'", fields[0])
		}
		k := OrderKey{Path: strings.Split(fields[0], "/")}
		if len(fields) == 2 {
			switch strings.ToLower(fields[1]) {
			case "asc":
			case "desc":
				k.Desc = true
			default:
				return nil, errorf("$orderby", expr, start, "unknown sort direction '%s'", fields[1])
			}
		}
		o = append(o, k)
	}
	return o, nil
}

// Compare orders a before b (-1), after b (1) or as equal (0), key by key.
// null sorts first in ascending order and last in descending order, as in
// Graph and SQL; values of different types sort by type (null, booleans,
// numbers, strings and date-times, then others), so the order is total.
func (o OrderBy) Compare(a, b map[string]any) int {
	for _, k := range o {
		c := compareSort(lookup(a, k.Path), lookup(b, k.Path))
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// Sort sorts items stably by o.
func (o OrderBy) Sort(items []map[string]any) {
	if len(o) == 0 {
		return
	}
	slices.SortStableFunc(items, o.Compare)
}

// compareSort is compare made total: incomparable values order by kind,
// and strings equal under case folding order by their bytes.
func compareSort(a, b value) int {
	if c, ok := compare(a, b); ok {
		if c == 0 && a.k == kStr && b.k == kStr {
			return strings.Compare(a.s, b.s)
		}
		return c
	}
	ka, kb := sortKind(a.k), sortKind(b.k)
	switch {
	case ka < kb:
		return -1
	case ka > kb:
		return 1
	}
	return 0
}

func sortKind(k kind) int {
	if k == kTime {
		return int(kStr)
	}
	return int(k)
}
