// Package quickxor computes OneDrive's QuickXorHash, the content hash that
// OneDrive for Business and SharePoint report as file.hashes.quickXorHash
// (base64, standard encoding, of the 20-byte sum).
//
// The hash is a 160-bit register: byte k of the input is XORed in at bit
// offset 11·k mod 160 (wrapping around the register), and the input length,
// as a little-endian int64, is XORed into the last 8 bytes at the end.
package quickxor
