// Package formula parses A1 addresses and evaluates the subset of Excel
// formulas the emulator's workbook engine supports: numbers, strings,
// booleans, cell and range references (also on other sheets), the
// operators + - * / ^ & = <> < <= > >= and unary minus and percent, and
// the functions SUM, AVERAGE, MIN, MAX, COUNT, COUNTA, IF, ROUND, ABS,
// CONCATENATE, CONCAT, LEN, UPPER, LOWER, AND, OR and NOT.
//
// Evaluation errors are values (#DIV/0!, #VALUE!, #NAME?, #REF!), as in
// Excel; parse errors are Go errors. Nothing here panics on bad input.
package formula
