// Package query is the emulator's one OData engine: it parses the system
// query options a Graph request carries ($filter, $orderby, $select,
// $search, $expand) and evaluates them against items held as
// map[string]any, the shape encoding/json gives.
//
// Parse once, evaluate many: ParseFilter compiles an expression into a small
// tree that Match walks, so filtering 100k items costs one parse and about a
// microsecond per item.
//
// Errors are *Error values whose text is what the emulator puts in a 400
// BadRequest body ("Invalid filter clause: ..."). No input makes a parser
// panic or recurse without bound; fuzz tests hold every parser to that.
//
// # Semantics
//
// Property paths use "/" (from/emailAddress/address) and match keys
// without regard to case, as Graph does; a missing property is null. Type
// casts in a path (microsoft.graph.user) are accepted and ignored.
//
// String comparisons are case-insensitive: eq, ne, in, contains,
// startswith and endswith, because Exchange and Entra ID compare most
// string properties that way (subject eq 'LUNCH' finds "Lunch"). Ordering
// of strings is case-insensitive too, with the exact bytes as a tie-breaker
// so that sorting is total and stable across runs.
//
// Two values that are date-times, or strings that both parse as ISO 8601,
// compare as instants, whatever their offsets and fraction digits. Numbers
// arrive as float64, json.Number or Go integers and compare as numbers.
// Enum members (microsoft.graph.importance'high') compare as their member
// name; GUID literals are written bare and compare with strings.
//
// null equals only null; gt, ge, lt and le with a null are false. In
// $orderby, null sorts first in ascending order and last in descending
// order, as in Graph and SQL.
//
// $search follows Graph's message search: a term matches at the start of a
// word, case-insensitively ("piz" finds "Pizza party"), in the default
// fields the caller names (from, subject and body for messages) or, with
// property:term, in that property (Outlook names such as to, cc and
// participants included). AND, OR, NOT and parentheses combine terms.
package query
