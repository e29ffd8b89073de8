//go:build unix

package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"time"

	"github.com/o365go/o365/emulator"
)

// runServer starts an emulator with n messages in the default user's inbox (each Graph
// response delayed by latency), prints a serverInfo line and serves until stdin closes
// (the orchestrator ended the run).
func runServer(ctx context.Context, n int, latency time.Duration) error {
	srv, err := emulator.New(emulator.Options{AutoApprove: true})
	if err != nil {
		return err
	}
	defer srv.Close()
	if latency > 0 {
		if _, err := srv.Faults().Add(emulator.Fault{Name: "latency", Kind: emulator.FaultLatency, Latency: latency, Path: `^/v1\.0/`}); err != nil {
			return err
		}
	}
	t0 := time.Now()
	if err := srv.SeedMessages(srv.DefaultUser().UPN, n); err != nil {
		return err
	}
	info := serverInfo{
		URL:      srv.URL(),
		Tenant:   srv.TenantID(),
		ClientID: srv.PublicClientID(),
		UPN:      srv.DefaultUser().UPN,
		PID:      os.Getpid(),
		SeedSecs: sinceSecs(t0),
	}
	if err := json.NewEncoder(os.Stdout).Encode(info); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return nil
}
