// Package teams is Microsoft Teams through Microsoft Graph: the teams a user joined, their
// channels, channel messages and replies, chats and chat messages, installed apps, and
// presence.
//
// Get a handle from the account (acct.Teams(), or acct.Teams(graph.User(upn)) with an
// app-only token) or with New. Handles do no I/O until a call:
//
//	tm := acct.Teams()
//	for team, err := range tm.JoinedTeams(ctx, nil) { ... } // every page
//	team, err := tm.TeamByName(ctx, "Retail")
//	ch, err := team.ChannelByName(ctx, "General") // exact name, any case; clear errors
//	msg, err := ch.Send(ctx, teams.Compose().Text("Hi ").Mention(megan.ID, "Megan Bowen").Message())
//	reply, err := msg.Reply(ctx, teams.Text("Thanks!"))
//
// Listings (channels, messages, replies, chats, chat messages, apps) follow every
// @odata.nextLink: python-o365 read only the first page of several of them.
//
// Presence: Presence and UserPresence read one user's, Presences many at once;
// SetPresence and SetPreferredPresence take an expiration as a time.Duration and send it as
// an ISO 8601 duration in expirationDuration (python-o365 misspelled the key, so its
// expirations were never applied).
//
// Coming from python-o365: Teams → Teams, Team → Team, Channel → Channel, ChannelMessage and
// ChatMessage → Message, Chat → Chat, ConversationMember → Member, App → AppInstallation,
// Presence → Presence; docs/teams.md has the full table.
package teams
