// Package odata builds the OData system query options that Microsoft Graph
// accepts: $filter, $search, $orderby, $select, $expand, $top, $skip and
// $count.
//
// Filters are typed expressions, never concatenated strings. Attribute names
// in snake_case or camelCase both become Graph's camelCase
// (is_read → isRead, from/email_address/address → from/emailAddress/address),
// and every value is written as a typed OData literal: strings quoted with
// embedded quotes doubled, time.Time as a bare UTC ISO 8601 instant, GUIDs
// bare, enums as strings or as microsoft.graph.type'value', nil as null.
//
//	q := odata.New().
//		Filter(odata.Attr("subject").Contains("george").And(odata.Attr("is_read").Eq(false))).
//		OrderBy("receivedDateTime", odata.Desc).
//		Select("id", "subject").
//		Top(50)
//
// The builder parenthesises by operator precedence, so the string it
// produces means what the Go expression means:
// odata.And(a.Or(b), c) renders as "(a or b) and c".
//
// A seed-like chain, in the manner of python-o365, builds the same filters
// left to right:
//
//	odata.New().On("subject").Contains("x").And().On("is_read").Eq(false)
//
// # Immutable queries
//
// Every method of *Query returns a new *Query and leaves its receiver
// untouched, so a base query can be shared between goroutines and refined
// freely. A nil *Query is valid and means "no options".
//
// # Mistakes fail closed
//
// A malformed attribute name, lambda variable, GUID or an unsupported value
// type cannot be reported where it is written, because builder methods
// return expressions, not errors. Such a mistake is recorded and returned
// by Query.Err, and the offending piece is rendered as "#invalid#", which no
// OData parser accepts: the request fails with 400 instead of silently
// asking for something else. Check Query.Err before sending a query whose
// names come from user input.
package odata
