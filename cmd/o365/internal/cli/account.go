package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/cmd/o365/internal/config"
	"github.com/o365go/o365/graph"
)

// defaultScopes are asked for at delegated sign-in when neither --scopes nor the profile
// names any: every permission a user can consent to alone that the commands use (mail with
// shared mailboxes, automatic replies and rules; calendars; contacts; To Do; users;
// SharePoint sites and lists).
// Groups need Group.Read.All, which an administrator must grant: `--scopes ...,groups`.
// offline_access keeps the sign-in alive.
func defaultScopes() []string {
	return []string{"basic", "users", "message_all", "message_all_shared", "mailbox_settings",
		"calendar_all", "calendar_shared_all", "address_book_all", "tasks_all", "onedrive_all", "sharepoint_all", auth.ScopeOfflineAccess,
		// Teams: what a user may consent to (reading channel messages and creating
		// channels need an administrator: ChannelMessage.Read.All, Channel.Create).
		"Team.ReadBasic.All", "Channel.ReadBasic.All", "ChannelMessage.Send", "Chat.ReadWrite",
		"Presence.Read.All", "Presence.ReadWrite", "TeamsAppInstallation.ReadForUser"}
}

// userAgent names the CLI to Graph (Graph asks callers to identify themselves).
const userAgent = "o365-cli"

// currentProfile returns a copy of the active profile (the zero profile when it does not
// exist yet).
func (a *app) currentProfile() config.Profile {
	if p := a.cfg.Profile(a.profileName); p != nil {
		return *p
	}
	return config.Profile{}
}

// saveProfile stores p under the active profile name.
func (a *app) saveProfile(p config.Profile) error {
	a.cfg.Set(a.profileName, &p)
	return a.cfg.Save(a.configPath)
}

// protocol turns a profile into a graph.Protocol.
func protocol(p config.Profile) (graph.Protocol, error) {
	proto := graph.Protocol{Cloud: graph.Cloud(p.Cloud), BaseURL: p.BaseURL, LoginURL: p.LoginURL}
	if err := proto.Validate(); err != nil {
		return graph.Protocol{}, err
	}
	return proto, nil
}

// isAppOnly reports whether the profile signs in as the app itself.
func isAppOnly(p config.Profile) bool {
	return p.AuthType == config.AuthSecret || p.AuthType == config.AuthCertificate
}

// newApp builds the auth.App of a profile, with the CLI's file token store. Credentials of
// confidential apps come from the environment (O365_CLIENT_SECRET) or the certificate file
// named in the profile; they are never written to the config. Outside login (signIn false)
// a missing secret is not an error: the stored app-only token serves until it expires.
func (a *app) newApp(p config.Profile, proto graph.Protocol, signIn bool) (*auth.App, error) {
	if p.ClientID == "" {
		return nil, fmt.Errorf("profile %q has no client id: run 'o365 login --client-id ID --tenant TENANT'", a.profileName)
	}
	store, err := auth.NewFileStore(a.env.Getenv("O365_TOKEN_FILE"))
	if err != nil {
		return nil, err
	}
	cfg := auth.Config{
		ClientID:    p.ClientID,
		Tenant:      p.Tenant,
		Authority:   proto.Authority(),
		ScopePrefix: proto.ScopePrefix(),
		Store:       store,
		Logger:      a.logger,
		Sleep:       a.env.Sleep,
	}
	switch p.AuthType {
	case config.AuthSecret:
		cfg.ClientSecret = a.env.Getenv("O365_CLIENT_SECRET")
		if cfg.ClientSecret == "" && signIn {
			return nil, errors.New("secret sign-in needs the client secret in the O365_CLIENT_SECRET environment variable")
		}
	case config.AuthCertificate:
		if p.CertificateFile == "" {
			return nil, errors.New("certificate sign-in needs --certificate FILE (a PEM file with the certificate and its private key)")
		}
		pem, err := os.ReadFile(p.CertificateFile)
		if err != nil {
			return nil, fmt.Errorf("reading the certificate: %w", err)
		}
		cert, err := auth.ParseCertificate(pem)
		if err != nil {
			return nil, err
		}
		cfg.Certificate = cert
	}
	return auth.NewApp(cfg)
}

// errNotSignedIn says what to do when a command needs a sign-in.
type errNotSignedIn struct{ profile string }

func (e errNotSignedIn) Error() string {
	if e.profile == config.DefaultProfile {
		return "not signed in: run 'o365 login'"
	}
	return fmt.Sprintf("not signed in with profile %q: run 'o365 --profile %s login'", e.profile, e.profile)
}

// session returns the signed-in identity of the active profile and a Graph client using it.
func (a *app) session(ctx context.Context) (*auth.Session, *graph.Client, error) {
	p := a.currentProfile()
	if p.ClientID == "" || (!isAppOnly(p) && p.Username == "") {
		return nil, nil, errNotSignedIn{a.profileName}
	}
	proto, err := protocol(p)
	if err != nil {
		return nil, nil, err
	}
	proto.Version = a.version
	ap, err := a.newApp(p, proto, false)
	if err != nil {
		return nil, nil, err
	}
	sess := ap.Session(p.Username)
	if !sess.Authenticated(ctx) {
		if p.AuthType == config.AuthSecret && a.env.Getenv("O365_CLIENT_SECRET") == "" {
			return nil, nil, fmt.Errorf("the app-only token of profile %q expired: set O365_CLIENT_SECRET so a new one can be requested", a.profileName)
		}
		return nil, nil, errNotSignedIn{a.profileName}
	}
	c, err := a.graphClient(sess, proto)
	if err != nil {
		return nil, nil, err
	}
	return sess, c, nil
}

func (a *app) graphClient(ts graph.TokenSource, proto graph.Protocol) (*graph.Client, error) {
	return graph.NewClient(ts, graph.WithProtocol(proto), graph.WithLogger(a.logger), graph.WithUserAgent(userAgent))
}

// splitList splits comma- or space-separated values (the --scopes flag).
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for f := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			out = append(out, f)
		}
	}
	return out
}
