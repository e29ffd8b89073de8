package graph

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/o365go/o365/odata"
)

// CallOption adjusts one request: headers, Prefer values, query parameters. Options apply in
// order, after the Request's own fields.
type CallOption func(*Request)

// Header sets a request header (replacing any value of the same key).
func Header(key, value string) CallOption {
	return func(r *Request) { r.header().Set(key, value) }
}

// IfMatch sends If-Match: etag, so the call fails with ErrPreconditionFailed when the item
// changed since it was read (Planner requires it on updates).
func IfMatch(etag string) CallOption { return Header("If-Match", etag) }

// Prefer adds a Prefer value; several values are joined with ", ". A value naming a
// preference the client sets by default (WithPrefer) replaces the default for this call.
func Prefer(value string) CallOption {
	return func(r *Request) {
		value = strings.TrimSpace(value)
		if value == "" {
			return
		}
		h := r.header()
		if old := h.Get("Prefer"); old != "" {
			value = old + ", " + value
		}
		h.Set("Prefer", value)
	}
}

// ImmutableIDs asks Outlook for ids that do not change when an item moves between folders
// (Prefer: IdType="ImmutableId").
func ImmutableIDs() CallOption { return Prefer(`IdType="ImmutableId"`) }

// Timezone asks Outlook to express dateTimeTimeZone values in the named zone (Windows or
// IANA name), e.g. Timezone("Europe/Paris") sends Prefer: outlook.timezone="Europe/Paris".
func Timezone(name string) CallOption {
	return Prefer("outlook.timezone=" + strconv.Quote(name))
}

// BodyContentType asks Outlook for message and event bodies as "text" or "html"
// (Prefer: outlook.body-content-type="text").
func BodyContentType(t string) CallOption {
	return Prefer("outlook.body-content-type=" + strconv.Quote(t))
}

// ReturnMinimal asks for an empty 204 answer instead of the updated object
// (Prefer: return=minimal).
func ReturnMinimal() CallOption { return Prefer("return=minimal") }

// ConsistencyEventual sends ConsistencyLevel: eventual, which directory objects (users,
// groups) need for $count, $search and advanced $filter queries.
func ConsistencyEventual() CallOption { return Header("ConsistencyLevel", "eventual") }

// Params sets query parameters (replacing parameters of the same name).
func Params(v url.Values) CallOption {
	return func(r *Request) {
		if len(v) == 0 {
			return
		}
		if r.Query == nil {
			r.Query = url.Values{}
		}
		for k, vs := range v {
			r.Query[k] = append([]string(nil), vs...)
		}
	}
}

// Query merges q's query options ($filter, $select, ...) into the request, replacing
// options of the same name. A query that failed to build fails the call with its error.
func Query(q *odata.Query) CallOption {
	return func(r *Request) {
		if q == nil {
			return
		}
		if err := q.Err(); err != nil {
			if r.optErr == nil {
				r.optErr = fmt.Errorf("graph: query: %w", err)
			}
			return
		}
		Params(q.Values())(r)
	}
}

// mergePrefer joins default and request Prefer values. A request value with the same
// preference name as a default replaces it.
func mergePrefer(defaults []string, request []string) string {
	var req []string
	for _, v := range request {
		req = append(req, splitPrefer(v)...)
	}
	if len(defaults) == 0 && len(req) == 0 {
		return ""
	}
	names := make(map[string]bool, len(req))
	for _, v := range req {
		names[preferName(v)] = true
	}
	out := make([]string, 0, len(defaults)+len(req))
	for _, d := range defaults {
		for _, v := range splitPrefer(d) {
			if !names[preferName(v)] {
				out = append(out, v)
			}
		}
	}
	seen := map[string]bool{}
	for _, v := range req {
		if !seen[strings.ToLower(v)] {
			seen[strings.ToLower(v)] = true
			out = append(out, v)
		}
	}
	return strings.Join(out, ", ")
}

// splitPrefer splits a Prefer header value at commas outside quotes.
func splitPrefer(v string) []string {
	var out []string
	inQuote := false
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				if s := strings.TrimSpace(v[start:i]); s != "" {
					out = append(out, s)
				}
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(v[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func preferName(v string) string {
	name, _, _ := strings.Cut(v, "=")
	name, _, _ = strings.Cut(name, ";")
	return strings.ToLower(strings.TrimSpace(name))
}
