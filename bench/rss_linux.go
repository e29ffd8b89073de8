//go:build linux

package main

import "syscall"

// maxRSSMB converts ru_maxrss (KiB on Linux) to MB.
func maxRSSMB(ru syscall.Rusage) float64 { return float64(ru.Maxrss) / 1024 }
