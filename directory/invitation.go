package directory

import (
	"context"
	"errors"

	"github.com/o365go/o365/graph"
)

// Invitation invites an external user as a guest (POST /invitations). Set
// InvitedUserEmailAddress and InviteRedirectURL; the answer fills InviteRedeemURL,
// Status and InvitedUser.
type Invitation struct {
	ID                      string                  `json:"id,omitzero"`
	InvitedUserDisplayName  string                  `json:"invitedUserDisplayName,omitzero"`
	InvitedUserEmailAddress string                  `json:"invitedUserEmailAddress"`
	InvitedUserType         string                  `json:"invitedUserType,omitzero"`
	InviteRedirectURL       string                  `json:"inviteRedirectUrl"`
	InviteRedeemURL         string                  `json:"inviteRedeemUrl,omitzero"`
	SendInvitationMessage   bool                    `json:"sendInvitationMessage"`
	InvitedUserMessageInfo  *InvitedUserMessageInfo `json:"invitedUserMessageInfo,omitzero"`
	ResetRedemption         bool                    `json:"resetRedemption,omitzero"`
	Status                  string                  `json:"status,omitzero"`
	InvitedUser             *User                   `json:"invitedUser,omitzero"`
}

// InvitedUserMessageInfo customizes the invitation e-mail.
type InvitedUserMessageInfo struct {
	CCRecipients          []graph.Recipient `json:"ccRecipients,omitzero"`
	CustomizedMessageBody string            `json:"customizedMessageBody,omitzero"`
	MessageLanguage       string            `json:"messageLanguage,omitzero"`
}

// Invite invites a guest user and returns the invitation with its redeem URL; the
// guest is in the directory at once (InvitedUser.ID). Needs User.Invite.All.
func (d *Directory) Invite(ctx context.Context, inv *Invitation) (*Invitation, error) {
	if inv == nil || inv.InvitedUserEmailAddress == "" || inv.InviteRedirectURL == "" {
		return nil, errors.New("directory: an invitation needs InvitedUserEmailAddress and InviteRedirectURL")
	}
	var out Invitation
	if err := d.c.Post(ctx, "/invitations", inv, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
