// Package output renders command results for the o365 CLI as JSON, aligned text, CSV,
// Markdown or nothing, after an optional JMESPath query.
//
// Every result goes the same way: it is encoded to JSON, the --query expression (if any)
// is applied to that JSON form, and the outcome is rendered in the chosen format. So a
// query written against `-o json` output works unchanged with `-o text` or `-o csv`.
//
// Objects keep the key order of the JSON they came from, so tables show columns in the
// order Graph (or the model) lists them rather than alphabetically.
package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	jmespath "github.com/jmespath-community/go-jmespath"
)

// Format is an output format.
type Format string

// The output formats.
const (
	JSON     Format = "json" // indented JSON, everything
	Text     Format = "text" // key: value for an object, an aligned table for a list
	CSV      Format = "csv"  // RFC 4180, a header row then one row per item
	Markdown Format = "md"   // a Markdown table
	None     Format = "none" // nothing at all
)

// Formats lists the formats in the order help text shows them.
var Formats = []Format{JSON, Text, CSV, Markdown, None}

// ParseFormat checks a user-supplied format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case JSON, Text, CSV, Markdown, None:
		return f, nil
	case "markdown":
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown output format %q (want json, text, csv, md or none)", s)
}

// Default returns the format to use when none is chosen: text for a person at a terminal,
// JSON for a script or a pipe.
func Default(stdoutIsTerminal bool) Format {
	if stdoutIsTerminal {
		return Text
	}
	return JSON
}

// Column is one column of a table: a header and a dotted path into each item, e.g.
// {Header: "from", Path: "from.emailAddress.address"}.
type Column struct {
	Header string
	Path   string
}

// Options control one rendering.
type Options struct {
	Format Format
	// Query is a JMESPath expression applied to the JSON form of the value.
	Query string
	// Columns, when set, choose the columns of text, CSV and Markdown tables for lists.
	// They are ignored when Query is set (the query decides the shape) and by JSON,
	// which always shows every property.
	Columns []Column
}

// ValidateQuery reports a JMESPath syntax error before any work is done.
func ValidateQuery(q string) error {
	if q == "" {
		return nil
	}
	if _, err := jmespath.Compile(q); err != nil {
		return fmt.Errorf("invalid --query: %w", err)
	}
	return nil
}

// Write renders v. v is any value encoding/json accepts; json.RawMessage and []byte
// holding JSON are used as they are.
func Write(w io.Writer, v any, o Options) error {
	if o.Format == None {
		return nil
	}
	raw, err := toJSON(v)
	if err != nil {
		return err
	}
	doc, err := decode(raw)
	if err != nil {
		return err
	}
	data := doc.value
	cols := o.Columns
	if o.Query != "" {
		res, err := jmespath.Search(o.Query, toPlain(data))
		if err != nil {
			return fmt.Errorf("--query: %w", err)
		}
		data = fromPlain(res)
		cols = nil
	}
	switch o.Format {
	case "", JSON:
		return doc.writeJSONTo(w, data)
	case Text:
		return doc.writeText(w, data, cols)
	case CSV:
		return doc.writeCSV(w, data, cols)
	case Markdown:
		return doc.writeMarkdown(w, data, cols)
	}
	return fmt.Errorf("unknown output format %q", o.Format)
}

func toJSON(v any) ([]byte, error) {
	switch x := v.(type) {
	case json.RawMessage:
		return x, nil
	case []byte:
		return x, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	return buf.Bytes(), nil
}
