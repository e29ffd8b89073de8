package graphspec

import (
	"bufio"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
)

//go:embed testdata/examples/*.jsonl
var examplesFS embed.FS

// Example is one documented HTTP request and, when the page showed one, its
// response. Field meanings are those of testdata/examples/MANIFEST.json.
type Example struct {
	Source       string `json:"source"`        // docs file, e.g. api-reference/v1.0/api/user-get.md
	SourceRepo   string `json:"source_repo"`   // docs repository
	SourceCommit string `json:"source_commit"` // docs commit
	Index        int    `json:"index"`         // position of the example on its page
	Line         int    `json:"line"`          // line of the request block, 0 when unknown
	Area         string `json:"area"`          // mail, calendar, drive, ...
	Split        string `json:"split"`
	Name         string `json:"name"`
	Heading      string `json:"heading"`

	Method  string `json:"method"`
	Path    string `json:"path"`    // as printed, host removed, query kept
	Host    string `json:"host"`    // set when the request is not to Graph (upload URLs, identity)
	Version string `json:"version"` // "v1.0", "beta" or ""

	RequestHeaders     map[string]string `json:"request_headers"`
	RequestBody        any               `json:"request_body"`        // decoded JSON, or the raw text
	RequestBodyFormat  string            `json:"request_body_format"` // none, json, json-lenient, invalid-json, text
	RequestBodyLenient any               `json:"request_body_lenient"`

	ResponseStatus      int               `json:"response_status"` // 0 when the page showed none
	ResponseHeaders     map[string]string `json:"response_headers"`
	ResponseBody        any               `json:"response_body"`
	ResponseBodyFormat  string            `json:"response_body_format"`
	ResponseBodyLenient any               `json:"response_body_lenient"`
	ResponseTruncated   bool              `json:"response_truncated"` // the docs say the response is shortened
	ResponseODataType   string            `json:"response_odata_type"`

	Paired  bool     `json:"paired"`   // a response followed the request
	ParseOK bool     `json:"parse_ok"` // every JSON-looking body parsed strictly
	Tags    []string `json:"tags"`     // delta, nextLink, deltaLink, upload-session, error, prefer, beta-url

	OpenAPIPath     string `json:"openapi_path"`      // matching template, "" when none
	OpenAPIMatch    string `json:"openapi_match"`     // "exact", "alias" or ""
	OpenAPIMethodOK bool   `json:"openapi_method_ok"` // the template allows Method
}

// Areas returns the areas that have examples, sorted.
func Areas() []string {
	entries, err := examplesFS.ReadDir("testdata/examples")
	if err != nil {
		return nil
	}
	var areas []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".jsonl"); ok {
			areas = append(areas, name)
		}
	}
	slices.Sort(areas)
	return areas
}

// Examples returns the documented examples of one area ("mail",
// "calendar", "drive", ...), in file order, or nil for an unknown area.
// Each call decodes afresh, so callers may modify what they get.
func Examples(area string) []Example {
	if strings.ContainsAny(area, `/\.`) {
		return nil
	}
	ex, err := decode(path.Join("testdata/examples", area+".jsonl"))
	if err != nil {
		return nil
	}
	return ex
}

// AllExamples returns the examples of every area, area by area.
func AllExamples() []Example {
	var all []Example
	for _, a := range Areas() {
		all = append(all, Examples(a)...)
	}
	return all
}

func decode(name string) ([]Example, error) {
	f, err := examplesFS.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var e Example
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("graphspec: %s:%d: %w", name, n, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}
