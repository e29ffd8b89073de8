package auth

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
)

// OpenBrowser opens u in the system browser (xdg-open, open or rundll32). It is the default
// opener of LoopbackLogin; pass another function to print the URL, use a headless browser in
// tests, and so on.
func OpenBrowser(_ context.Context, u string) error {
	if p, err := url.Parse(u); err != nil || (p.Scheme != "https" && p.Scheme != "http") {
		return fmt.Errorf("auth: refusing to open %q in a browser", u)
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	case "darwin":
		cmd = exec.Command("open", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap; the browser may outlive us
	return nil
}
