package drive

import (
	"errors"
	"fmt"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound), graph.ErrConflict and the other sentinels.
var (
	// ErrUnbound is returned by calls on a model that was not read through a Storage (for
	// example one decoded from JSON by the caller).
	ErrUnbound = errors.New("drive: the item is not bound to a drive")
	// ErrEmptyID is returned when a call needs an id or a name and was given "".
	ErrEmptyID = errors.New("drive: empty id")
	// ErrBadPath is returned for a path that cannot name a drive item ("..", a segment with
	// a control character).
	ErrBadPath = errors.New("drive: bad item path")
	// ErrNotFolder is returned when a call needs a folder and was given a file.
	ErrNotFolder = errors.New("drive: not a folder")
	// ErrNotFile is returned when a call needs a file and was given a folder.
	ErrNotFile = errors.New("drive: not a file")
	// ErrHashMismatch matches (errors.Is) a *HashMismatchError: the content the service
	// reports is not what was sent, or what was received is not what it reports.
	ErrHashMismatch = errors.New("drive: content hash mismatch")
	// ErrCopyFailed matches the error of a copy whose monitor reports failure.
	ErrCopyFailed = errors.New("drive: copy failed")
	// ErrBadChunkSize is returned for an upload chunk size that is not a positive multiple
	// of 320 KiB below 60 MiB.
	ErrBadChunkSize = errors.New("drive: bad upload chunk size")
)

// HashMismatchError tells which hash disagreed. It matches ErrHashMismatch.
type HashMismatchError struct {
	Op       string // "upload" or "download"
	Name     string // the item's name
	Hash     string // "quickXorHash", "sha256Hash" or "sha1Hash"
	Expected string // what the service reports
	Actual   string // what was computed over the bytes sent or received
}

// Error names the item, the hash and both values.
func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("drive: %s of %q: %s mismatch: the service reports %s, the bytes give %s", e.Op, e.Name, e.Hash, e.Expected, e.Actual)
}

// Is makes errors.Is(err, ErrHashMismatch) true.
func (e *HashMismatchError) Is(t error) bool { return t == ErrHashMismatch }
