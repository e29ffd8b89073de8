package quickxor_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/o365go/o365/internal/quickxor"
)

// The hash of a stream, as Graph reports it in file.hashes.quickXorHash.
func Example() {
	h := quickxor.New()
	_, _ = io.Copy(h, strings.NewReader("The contents of the file goes here."))
	fmt.Println(base64.StdEncoding.EncodeToString(h.Sum(nil)))
	// Output:
	// ReSWVXEBRVw+tb7EXyMlJRtIB58=
}
