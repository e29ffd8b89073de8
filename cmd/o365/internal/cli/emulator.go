package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/config"
	"github.com/o365go/o365/emulator"
)

// DefaultEmulatorAddr is where `o365 emulator` listens unless told otherwise: a fixed port,
// so a profile pointing at it keeps working across restarts.
const DefaultEmulatorAddr = "127.0.0.1:8365"

// emulatorFlags are the fault and throttling switches of `o365 emulator`.
type emulatorFlags struct {
	addr          string
	seed          string
	throttle      string
	latency       time.Duration
	faults        []string
	tokenLifetime time.Duration
	noAutoApprove bool
	messages      int
}

func (a *app) emulatorCommand() *cobra.Command {
	var ef emulatorFlags
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run a local Microsoft Graph and sign-in emulator",
		Long: `Run the emulator: Microsoft Graph (/v1.0, /beta) and the Microsoft identity platform on
one loopback port, with a seeded tenant. Nothing leaves this machine.

Then point the CLI (or your program, with graph.Protocol{BaseURL, LoginURL}) at it:

  o365 emulator --seed demo &
  o365 --profile emu login --emulator http://127.0.0.1:8365 --tenant TENANT --client-id ID
  o365 --profile emu whoami

or let the emulator set the profile up (it writes the URLs, tenant and client id):

  o365 --profile emu emulator &
  o365 --profile emu login

Device codes are approved for the default user at once (--auto-approve=false to approve
them on the emulator's sign-in page instead). --throttle and --latency make it behave like
a busy service; --token-lifetime makes tokens expire soon to exercise refreshes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := emulator.Options{
				Addr:                ef.addr,
				Seed:                ef.seed,
				AccessTokenLifetime: ef.tokenLifetime,
				AutoApprove:         !ef.noAutoApprove,
				Logger:              a.logger,
			}
			srv, err := emulator.New(opts)
			if err != nil {
				return err
			}
			defer srv.Close()
			if err := applyEmulatorFaults(srv, ef); err != nil {
				return err
			}
			if ef.messages > 0 {
				if err := srv.SeedMessages(srv.DefaultUser().UPN, ef.messages); err != nil {
					return err
				}
			}
			saved := ""
			if cmd.Flags().Changed("profile") || a.profile != "" {
				// o365 --profile emu emulator: point that profile at this emulator, so
				// "o365 --profile emu login" needs no other flag.
				p := a.currentProfile()
				p.BaseURL, p.LoginURL = srv.URL(), srv.URL()
				p.Tenant, p.ClientID, p.AuthType = srv.TenantID(), srv.PublicClientID(), config.AuthDevice
				p.Username, p.Cloud = "", "" // tokens of an earlier emulator are void
				if err := a.saveProfile(p); err != nil {
					return err
				}
				saved = a.profileName
			}
			printEmulatorBanner(a.env.Stdout, srv, ef, saved)
			<-cmd.Context().Done()
			fmt.Fprintln(a.env.Stderr, "Stopping the emulator.")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&ef.addr, "addr", DefaultEmulatorAddr, "listen address (loopback only)")
	f.StringVar(&ef.seed, "seed", "demo", `initial data: "demo" (a small tenant with a full mailbox) or "" (minimal)`)
	f.StringVar(&ef.throttle, "throttle", "", `per-mailbox throttling: "outlook" (4 concurrent, 10,000 per 10 min) or "N/WINDOW", e.g. "20/10s"`)
	f.DurationVar(&ef.latency, "latency", 0, "delay every Graph response by this much")
	f.StringArrayVar(&ef.faults, "fault", nil, `inject a fault (repeatable), e.g. "429,path=/me/messages,retry-after=2s,count=3" or "503,p=0.1"`)
	f.DurationVar(&ef.tokenLifetime, "token-lifetime", time.Hour, "lifetime of access tokens")
	f.BoolVar(&ef.noAutoApprove, "no-auto-approve", false, "do not approve device codes and sign-ins automatically")
	f.IntVar(&ef.messages, "messages", 0, "add this many generated messages to the default user's inbox (benchmarks)")
	return cmd
}

// printEmulatorBanner says where the emulator is and how to use it.
func printEmulatorBanner(w io.Writer, srv *emulator.Server, ef emulatorFlags, profile string) {
	confID, confSecret := srv.ConfidentialClient()
	u := srv.DefaultUser()
	fmt.Fprintf(w, "o365 emulator listening on %s\n", srv.URL())
	fmt.Fprintf(w, "  Graph:                %s/v1.0 (and /beta)\n", srv.URL())
	fmt.Fprintf(w, "  Tenant:               %s\n", srv.TenantID())
	fmt.Fprintf(w, "  Public client id:     %s (device code, browser)\n", srv.PublicClientID())
	fmt.Fprintf(w, "  Confidential client:  %s, secret %s (app-only)\n", confID, confSecret)
	if !ef.noAutoApprove {
		fmt.Fprintf(w, "  Signs in as:          %s (auto-approve)\n", u.UPN)
	}
	fmt.Fprintf(w, "\nPoint the CLI at it:\n")
	if profile != "" {
		fmt.Fprintf(w, "  (profile %q now points at this emulator)\n", profile)
		fmt.Fprintf(w, "  o365 --profile %s login\n", profile)
		fmt.Fprintf(w, "  o365 --profile %s whoami\n", profile)
	} else {
		fmt.Fprintf(w, "  o365 --profile emu login --emulator %s --tenant %s --client-id %s\n", srv.URL(), srv.TenantID(), srv.PublicClientID())
		fmt.Fprintf(w, "  o365 --profile emu whoami\n")
	}
	fmt.Fprintf(w, "  O365_CLIENT_SECRET='%s' o365 --profile emu-app login --auth secret --emulator %s --tenant %s --client-id %s\n", confSecret, srv.URL(), srv.TenantID(), confID)
	fmt.Fprintf(w, "\nPress Ctrl+C to stop.\n")
}
