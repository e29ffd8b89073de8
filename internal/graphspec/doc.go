// Package graphspec holds Microsoft Graph reference material for tests: the
// v1.0 paths and methods from the OpenAPI description, and the HTTP examples
// from the Graph documentation, both embedded from testdata.
//
// Match answers "is this a real Graph request?", which lets tests fail when
// the library or the emulator uses a URL Graph does not serve. Examples
// gives the documented request/response pairs for fidelity tests.
//
// It is test support: only tests import it.
package graphspec
