package emulator

import (
	"net/http"
	"strings"
)

// permission lists the delegated scopes and the application roles of
// which a route needs any one (each list is ordered least to most
// privileged, as the Graph permission tables are).
type permission struct {
	delegated []string
	app       []string
	// outlook selects the Exchange error shape (ErrorAccessDenied) over
	// the directory one (Authorization_RequestDenied).
	outlook bool
	// shared is what a delegated caller needs on top of a grant to use
	// another user's mailbox with this route; nil denies it.
	shared *permission
}

var (
	permMe = &permission{
		delegated: []string{"User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permUsers = &permission{
		delegated: []string{"User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"},
		app:       []string{"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
	}
	permMailRead = &permission{
		delegated: []string{"Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite", "Mail.Read.Shared", "Mail.ReadWrite.Shared"},
		app:       []string{"Mail.ReadBasic.All", "Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"},
		outlook:   true,
		shared:    permMailReadShared,
	}
	// permMailReadShared is what a delegated caller needs in another
	// user's mailbox (besides the owner's grant).
	permMailReadShared = &permission{
		delegated: []string{"Mail.Read.Shared", "Mail.ReadWrite.Shared"},
		outlook:   true,
	}
	permMailWrite = &permission{
		delegated: []string{"Mail.ReadWrite", "Mail.ReadWrite.Shared"},
		app:       []string{"Mail.ReadWrite"},
		outlook:   true,
		shared:    &permission{delegated: []string{"Mail.ReadWrite.Shared"}, outlook: true},
	}
	permMailSend = &permission{
		delegated: []string{"Mail.Send", "Mail.Send.Shared"},
		app:       []string{"Mail.Send"},
		outlook:   true,
		shared:    &permission{delegated: []string{"Mail.Send.Shared"}, outlook: true},
	}
	permSettingsRead = &permission{
		delegated: []string{"MailboxSettings.Read", "MailboxSettings.ReadWrite"},
		app:       []string{"MailboxSettings.Read", "MailboxSettings.ReadWrite"},
		outlook:   true,
	}
	permSettingsWrite = &permission{
		delegated: []string{"MailboxSettings.ReadWrite"},
		app:       []string{"MailboxSettings.ReadWrite"},
		outlook:   true,
	}
)

// has reports whether the token grants any of the permission's entries.
func (c *call) has(p *permission) bool {
	list, granted := p.delegated, c.claims.Scopes
	if c.claims.AppOnly {
		list, granted = p.app, c.claims.Roles
	}
	for _, want := range list {
		for _, g := range granted {
			if strings.EqualFold(want, g) {
				return true
			}
		}
	}
	return false
}

// authorize checks a route's permission.
func (c *call) authorize(p *permission) *graphError {
	if p == nil || c.has(p) {
		return nil
	}
	return denied(p)
}

func denied(p *permission) *graphError {
	if p.outlook {
		return errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
	}
	return errorf(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
}
