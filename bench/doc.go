//go:build unix

// Command bench measures what listing a large mailbox costs a program that uses this
// library: it lists 10,000 and 100,000 full Graph messages from the emulator through the
// public API, in pages of 999, and reports throughput, CPU and allocations per message and
// peak memory.
//
//	go run ./bench -n 10000,100000
//	go run ./bench -n 100000 -runs 5 -page 999
//	go run ./bench -url http://127.0.0.1:8365 -tenant T -client-id C -n 10000   # an emulator you started
//
// To measure the client alone, the emulator runs in a separate process (this program
// started again with -role server) and every measurement runs in a fresh client process
// (-role client): the client's CPU time (getrusage user+sys) and maximum RSS are then its
// own, with nothing of the server's work and nothing left over from an earlier size. The
// server's CPU is read from /proc for reference.
//
// See BENCHMARKS.md at the root of the repository for results.
package main
