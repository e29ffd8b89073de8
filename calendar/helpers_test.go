package calendar_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/graph"
)

// addUser adds a user to the tenant and returns their UPN.
func addUser(srv *emulator.Server, name string) string {
	upn := name + "@" + strings.SplitN(srv.DefaultUser().UPN, "@", 2)[1]
	srv.AddUser(emulator.User{UPN: upn, DisplayName: name})
	return upn
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// skipMissing skips the test when err says the emulator does not serve a route yet
// (a 400/404/405 for an unknown segment), and fails it on any other error.
func skipMissing(t *testing.T, err error, what string) {
	t.Helper()
	if err == nil {
		return
	}
	var ge *graph.Error
	if errors.As(err, &ge) && (ge.StatusCode == http.StatusMethodNotAllowed ||
		ge.StatusCode == http.StatusNotFound && strings.Contains(ge.Code, "Request") ||
		ge.StatusCode == http.StatusBadRequest && (strings.Contains(ge.Message, "Resource not found for the segment") ||
			strings.Contains(ge.Message, "Could not find a property named"))) {
		t.Skip("emulator: " + what)
	}
	t.Fatal(err)
}
