//go:build !linux

package redisstore

import "os/exec"

// killWithParent is a no-op where the kernel offers no parent-death signal; TestMain still
// stops the server on a normal exit.
func killWithParent(*exec.Cmd) {}
