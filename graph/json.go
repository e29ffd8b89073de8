package graph

import (
	"encoding/json"
	"io"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// All JSON of the package goes through the functions in this file, so that the codec is
// chosen in one place.
//
// Decoding uses json v2 (github.com/go-json-experiment/json, the encoding/json/v2 design):
// it decodes full Graph messages about 2.7 times faster than encoding/json and streams
// from the reader (BenchmarkListPages). Its options are set to decode like encoding/json
// (names matched case-insensitively, duplicate names and invalid UTF-8 accepted), so
// models written for encoding/json, and their UnmarshalJSON methods, behave the same.
//
// Encoding uses encoding/json: request bodies are small, and models rely on its omitempty
// rules (v2 would send false and 0 that v1 omits).

// rawJSON is an undecoded JSON value.
type rawJSON = json.RawMessage

// decodeOptions makes json v2 decode like encoding/json. It is never modified.
var decodeOptions = jsonv2.JoinOptions(
	jsonv2.MatchCaseInsensitiveNames(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

func unmarshalJSON(data []byte, v any) error { return jsonv2.Unmarshal(data, v, decodeOptions) }

func marshalJSON(v any) ([]byte, error) { return json.Marshal(v) }

// decodeJSON decodes the JSON value that is all of r into v, streaming.
func decodeJSON(r io.Reader, v any) error { return jsonv2.UnmarshalRead(r, v, decodeOptions) }

// decodePage decodes a collection page from r into v (a *pageWire[T]) as it streams in,
// never holding the whole body.
func decodePage(r io.Reader, v any) error { return jsonv2.UnmarshalRead(r, v, decodeOptions) }
