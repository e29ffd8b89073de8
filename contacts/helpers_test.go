package contacts_test

import (
	"testing"

	"github.com/o365go/o365"
	"github.com/o365go/o365/emulator"
	"github.com/o365go/o365/o365test"
)

// start is o365test.Start with the demo seed.
func start(t *testing.T, opts ...o365test.Option) (*o365.Account, *emulator.Server) {
	t.Helper()
	demo := o365test.WithEmulatorOptions(func(o *emulator.Options) { o.Seed = "demo" })
	return o365test.Start(t, append([]o365test.Option{demo}, opts...)...)
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
