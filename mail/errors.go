package mail

import (
	"errors"
	"fmt"
	"strings"

	"github.com/o365go/o365/graph"
)

// Errors of this package. Service failures are *graph.Error values: match them with
// errors.Is(err, graph.ErrNotFound), graph.ErrForbidden and the other sentinels.
var (
	// ErrEmptyID is returned when a call needs an id and was given "".
	ErrEmptyID = errors.New("mail: empty id")
	// ErrNotSaved is returned by calls on a message or attachment that exists only
	// locally (no id yet): Save it first, or use Send.
	ErrNotSaved = errors.New("mail: the message has not been saved")
	// ErrNotDraft is returned by Send on a message that was already sent or received.
	ErrNotDraft = errors.New("mail: only a draft or a new message can be sent")
	// ErrUnbound is returned by calls on a model that was not read through a Mailbox
	// (for example one decoded from JSON by the caller): get it with Mailbox.Message.
	ErrUnbound = errors.New("mail: the model is not bound to a mailbox")
	// ErrAttachmentTooLarge is returned for an attachment over MaxAttachmentSize, the
	// largest Outlook accepts.
	ErrAttachmentTooLarge = errors.New("mail: attachment larger than 150 MB, the largest Outlook accepts")
	// ErrFolderNotFound matches (errors.Is) the error of FolderByName when no folder has
	// the name; it also matches graph.ErrNotFound.
	ErrFolderNotFound = errors.New("mail: folder not found")
	// ErrAmbiguousFolder is returned by FolderByName when several folders have the name.
	ErrAmbiguousFolder = errors.New("mail: several folders have this name")
	// ErrSyncStateExpired matches the error of a delta round whose deltaLink the service
	// no longer knows (410 Gone); the error also matches graph.ErrGone. Start over with
	// Resync (a delta without a link). It is graph.ErrSyncStateExpired.
	ErrSyncStateExpired = graph.ErrSyncStateExpired
)

// notFoundError is ErrFolderNotFound that also matches graph.ErrNotFound.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }
func (e *notFoundError) Is(t error) bool {
	return t == ErrFolderNotFound || t == graph.ErrNotFound
}

// wrap adds what to do to a service error when the mailbox is another user's: the
// usual causes are a missing delegation or a missing .Shared scope.
func (mb *Mailbox) wrap(err error) error {
	if err == nil {
		return nil
	}
	var ge *graph.Error
	if !errors.As(err, &ge) || !strings.HasPrefix(string(mb.res), "users/") {
		return err
	}
	code := strings.ToLower(ge.Code)
	if ge.StatusCode == 403 && (strings.Contains(code, "denied") || code == "") ||
		ge.StatusCode == 404 && (code == "erroraccessdenied" || code == "mailboxnotenabledforrestapi" || code == "errorinvaliduser") {
		return fmt.Errorf("mail: %s: %w (for a shared mailbox or another user's, the signed-in user must be granted access to it (delegation) and the app needs Mail.Read.Shared / Mail.ReadWrite.Shared / Mail.Send.Shared; app-only tokens need the Mail.* application roles)", mb.res, err)
	}
	return err
}
