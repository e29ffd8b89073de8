package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/o365go/o365/emulator"
)

// parseThrottle reads --throttle: "outlook" or "N/WINDOW".
func parseThrottle(s string) (emulator.Throttling, error) {
	if strings.EqualFold(s, "outlook") {
		return emulator.OutlookThrottling(), nil
	}
	n, w, ok := strings.Cut(s, "/")
	max, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || max <= 0 {
		return emulator.Throttling{}, usagef(`bad --throttle %q (want "outlook" or "N/WINDOW", e.g. "20/10s")`, s)
	}
	win, err := time.ParseDuration(strings.TrimSpace(w))
	if err != nil || win <= 0 {
		return emulator.Throttling{}, usagef(`bad --throttle window %q (a duration such as 10s)`, w)
	}
	return emulator.Throttling{Enabled: true, Window: win, MaxRequests: max}, nil
}

// applyEmulatorFaults turns the fault and throttling flags into emulator settings.
func applyEmulatorFaults(srv *emulator.Server, ef emulatorFlags) error {
	if ef.throttle != "" {
		t, err := parseThrottle(ef.throttle)
		if err != nil {
			return err
		}
		srv.SetThrottling(t)
	}
	if ef.latency > 0 {
		if _, err := srv.Faults().Add(emulator.Fault{Name: "latency", Kind: emulator.FaultLatency, Latency: ef.latency, Path: `^/(v1\.0|beta)/`}); err != nil {
			return err
		}
	}
	for _, spec := range ef.faults {
		f, err := emulator.ParseFault(spec)
		if err != nil {
			return usageError{fmt.Errorf("--fault %q: %w", spec, err)}
		}
		if _, err := srv.Faults().Add(f); err != nil {
			return usageError{fmt.Errorf("--fault %q: %w", spec, err)}
		}
	}
	return nil
}
