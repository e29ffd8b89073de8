// Package cli implements the o365 command line: the cobra command tree, global flags,
// profiles, output and exit codes. [Main] runs one invocation against an [Env], which
// tests replace to capture output and isolate the configuration.
package cli
