// Command o365 is a command-line client for Microsoft 365 through Microsoft Graph, and a
// local Graph emulator.
//
//	o365 demo                              # a guided tour on the embedded emulator
//	o365 login                             # device code sign-in (default)
//	o365 whoami -o text
//	o365 mail list --top 10 --query "[].subject"
//	o365 mail send --to megan@contoso.com --subject Report --body-file report.html --attach deck.pptx
//	o365 mail read AAMkAG... -o text
//	o365 request GET /me/messages --header "Prefer: outlook.body-content-type=text"
//	o365 emulator --addr 127.0.0.1:8365 --seed demo
//
// Output is JSON when stdout is not a terminal and text when it is; choose with
// -o json|text|csv|md|none, and reshape with --query (JMESPath). Profiles and defaults are
// in os.UserConfigDir()/o365/config.json. Run `o365 help` for everything.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/o365go/o365/cmd/o365/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
