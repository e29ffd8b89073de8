//go:build unix && !linux

package main

import "syscall"

// maxRSSMB converts ru_maxrss (bytes on the BSDs and macOS) to MB.
func maxRSSMB(ru syscall.Rusage) float64 { return float64(ru.Maxrss) / (1 << 20) }
