package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// document is decoded JSON (maps, slices, json.Number, string, bool, nil) plus the order
// in which object keys first appeared, so rendering can keep the source order.
type document struct {
	value any
	rank  map[string]int
}

var errTrailing = errors.New("output: trailing data after JSON value")

func decode(raw []byte) (*document, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("output: decoding JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errTrailing
	}
	return &document{value: v, rank: keyOrder(raw)}, nil
}

// keyOrder walks the token stream and numbers object keys in first-seen order.
func keyOrder(raw []byte) map[string]int {
	rank := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	type frame struct{ object, wantKey bool }
	var stack []frame
	// valueDone records that the enclosing object (if any) now expects a key again.
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return rank
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				stack[n-1].wantKey = false
				if _, ok := rank[t]; !ok {
					rank[t] = len(rank)
				}
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// keys returns m's keys in document order; keys the document never had (made by a
// query) come last, sorted.
func (d *document) keys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		ri, oki := d.rank[ks[i]]
		rj, okj := d.rank[ks[j]]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return ks[i] < ks[j]
	})
	return ks
}

// toPlain converts json.Number to float64, the only number type JMESPath knows.
func toPlain(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return x.String()
		}
		return f
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = toPlain(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toPlain(e)
		}
		return out
	}
	return v
}

// fromPlain normalises a JMESPath result (which may hold float64, int or typed slices)
// back to the document's shapes.
func fromPlain(v any) any {
	switch x := v.(type) {
	case float64:
		return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
	case int:
		return json.Number(strconv.Itoa(x))
	case map[string]any:
		for k, e := range x {
			x[k] = fromPlain(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = fromPlain(e)
		}
		return x
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	}
	return v
}

// scalarString renders a scalar for a table cell or a text line; objects and arrays
// become compact JSON.
func (d *document) scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	var b strings.Builder
	d.writeJSON(&b, v, "", "")
	return b.String()
}

// cellString is scalarString for people (text and Markdown): a list of scalars reads
// better as "a, b" than as ["a","b"].
func (d *document) cellString(v any) string {
	if list, ok := v.([]any); ok {
		parts := make([]string, 0, len(list))
		for _, e := range list {
			switch e.(type) {
			case map[string]any, []any:
				return d.scalarString(v)
			}
			parts = append(parts, d.scalarString(e))
		}
		return strings.Join(parts, ", ")
	}
	return d.scalarString(v)
}

// writeJSON encodes v with keys in document order. indent "" means compact.
func (d *document) writeJSON(w io.Writer, v any, prefix, indent string) {
	switch x := v.(type) {
	case nil:
		io.WriteString(w, "null")
	case bool:
		io.WriteString(w, strconv.FormatBool(x))
	case json.Number:
		io.WriteString(w, x.String())
	case string:
		io.WriteString(w, quote(x))
	case []any:
		if len(x) == 0 {
			io.WriteString(w, "[]")
			return
		}
		io.WriteString(w, "[")
		inner := prefix + indent
		for i, e := range x {
			if i > 0 {
				io.WriteString(w, ",")
			}
			if indent != "" {
				io.WriteString(w, "\n"+inner)
			}
			d.writeJSON(w, e, inner, indent)
		}
		if indent != "" {
			io.WriteString(w, "\n"+prefix)
		}
		io.WriteString(w, "]")
	case map[string]any:
		if len(x) == 0 {
			io.WriteString(w, "{}")
			return
		}
		io.WriteString(w, "{")
		inner := prefix + indent
		for i, k := range d.keys(x) {
			if i > 0 {
				io.WriteString(w, ",")
			}
			if indent != "" {
				io.WriteString(w, "\n"+inner)
			}
			io.WriteString(w, quote(k))
			io.WriteString(w, ":")
			if indent != "" {
				io.WriteString(w, " ")
			}
			d.writeJSON(w, x[k], inner, indent)
		}
		if indent != "" {
			io.WriteString(w, "\n"+prefix)
		}
		io.WriteString(w, "}")
	default:
		// Not produced by decode or fromPlain; encode it the standard way.
		b, err := json.Marshal(x)
		if err != nil {
			b = []byte("null")
		}
		w.Write(b)
	}
}

func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}
