package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/cmd/o365/internal/config"
)

// statusInfo is what login and status print.
type statusInfo struct {
	Profile      string    `json:"profile"`
	SignedIn     bool      `json:"signedIn"`
	Account      string    `json:"account,omitempty"`
	AuthType     string    `json:"authType,omitempty"`
	Tenant       string    `json:"tenant,omitempty"`
	ClientID     string    `json:"clientId,omitempty"`
	Cloud        string    `json:"cloud,omitempty"`
	GraphURL     string    `json:"graphUrl,omitempty"`
	LoginURL     string    `json:"loginUrl,omitempty"`
	Scopes       []string  `json:"scopes,omitempty"`
	TokenExpires time.Time `json:"tokenExpires,omitzero"`
	ConfigFile   string    `json:"configFile,omitempty"`
	TokenFile    string    `json:"tokenFile,omitempty"`
}

func (a *app) loginCommand() *cobra.Command {
	var (
		authType, tenant, clientID, cloud, emulatorURL, cert, username string
		scopes                                                         []string
		timeout                                                        time.Duration
	)
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in and remember the sign-in in the active profile",
		Long: `Sign in to Microsoft 365 and save the profile (tenant, app, cloud) and the tokens, so
later commands run without signing in again.

Flows (--auth):
  device       device code (default): open a URL on any device and enter a code
  browser      the system browser, redirected back to a listener on this machine
  secret       app-only, with the client secret from $O365_CLIENT_SECRET (never saved)
  certificate  app-only, with a PEM certificate and key (--certificate FILE)
  password     legacy username/password (no MFA); password from $O365_PASSWORD or a prompt

Scopes (--scopes) are Graph permissions ("Mail.Read") or helper names ("basic", "mailbox",
"message_all", "users", ...); the default is basic, users, message_all, message_all_shared,
mailbox_settings and offline_access.

Against the local emulator (see "o365 emulator"):
  o365 --profile emu login --emulator http://127.0.0.1:8365 --tenant TENANT --client-id ID`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := a.currentProfile()
			f := cmd.Flags()
			if f.Changed("auth") {
				p.AuthType = authType
			}
			if p.AuthType == "" {
				p.AuthType = config.AuthDevice
			}
			if !slices.Contains(config.AuthTypes, p.AuthType) {
				return usagef("unknown --auth %q (want %s)", p.AuthType, strings.Join(config.AuthTypes, ", "))
			}
			if f.Changed("tenant") {
				p.Tenant = tenant
			}
			if f.Changed("client-id") {
				p.ClientID = clientID
			}
			if f.Changed("cloud") {
				p.Cloud = cloud
			}
			if f.Changed("emulator") {
				p.BaseURL, p.LoginURL = emulatorURL, emulatorURL
			}
			if f.Changed("certificate") {
				p.CertificateFile = cert
			}
			if f.Changed("scopes") {
				p.Scopes = splitList(scopes)
			}
			if p.ClientID == "" {
				return usagef("--client-id is required (the application id of an app registered in Entra ID; for the emulator, the one 'o365 emulator' prints)")
			}
			proto, err := protocol(p)
			if err != nil {
				return usageError{err}
			}
			ap, err := a.newApp(p, proto, true)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			sc := p.Scopes
			if len(sc) == 0 && !isAppOnly(p) {
				sc = defaultScopes()
			}
			sc = auth.ExpandScopes(sc...)
			tok, err := a.signIn(ctx, ap, p, username, sc)
			if err != nil {
				return err
			}
			sess, err := ap.NewSession(ctx, tok)
			if err != nil {
				return err
			}
			p.Username = sess.Account()
			if err := a.saveProfile(p); err != nil {
				return err
			}
			if p.Username != "" {
				a.note("Signed in as %s (profile %q).", p.Username, a.profileName)
			} else {
				a.note("Signed in as the application %s (profile %q).", p.ClientID, a.profileName)
			}
			return a.print(a.statusOf(p, proto.ServiceURL(), tok))
		},
	}
	f := cmd.Flags()
	f.StringVar(&authType, "auth", "", "sign-in flow: "+strings.Join(config.AuthTypes, ", ")+" (default device)")
	f.StringVar(&tenant, "tenant", "", "tenant id or domain, or common, organizations, consumers (default common)")
	f.StringVar(&clientID, "client-id", "", "application (client) id of the app registration")
	f.StringSliceVar(&scopes, "scopes", nil, "scopes or scope helper names, comma-separated")
	f.StringVar(&cloud, "cloud", "", "national cloud: global, usgovl4, usgovl5, china")
	f.StringVar(&emulatorURL, "emulator", "", "base URL of a local emulator, e.g. http://127.0.0.1:8365 (Graph and sign-in)")
	f.StringVar(&cert, "certificate", "", "PEM file with the certificate and private key (--auth certificate)")
	f.StringVar(&username, "username", "", "user name (--auth password)")
	f.DurationVar(&timeout, "timeout", 15*time.Minute, "give up waiting for the sign-in after this long")
	return cmd
}

// signIn runs the profile's flow.
func (a *app) signIn(ctx context.Context, ap *auth.App, p config.Profile, username string, scopes []string) (*auth.Token, error) {
	switch p.AuthType {
	case config.AuthDevice:
		return ap.DeviceLogin(ctx, auth.PrintDeviceCode(a.env.Stderr), scopes...)
	case config.AuthBrowser:
		opts := auth.LoopbackOptions{Out: a.env.Stderr, OpenBrowser: a.env.OpenBrowser}
		if opts.OpenBrowser == nil {
			opts.OpenBrowser = func(_ context.Context, u string) error {
				return errors.New("no browser here")
			}
		}
		return ap.LoopbackLogin(ctx, opts, scopes...)
	case config.AuthSecret, config.AuthCertificate:
		return ap.ClientCredentials(ctx, scopes...)
	case config.AuthPassword:
		if username == "" {
			username = p.Username
		}
		if username == "" {
			return nil, usagef("--auth password needs --username")
		}
		pw := a.env.Getenv("O365_PASSWORD")
		if pw == "" && a.env.ReadPassword != nil {
			var err error
			if pw, err = a.env.ReadPassword("Password for " + username + ": "); err != nil {
				return nil, err
			}
		}
		if pw == "" {
			return nil, errors.New("--auth password needs the password in $O365_PASSWORD or a terminal to prompt on")
		}
		return ap.PasswordLogin(ctx, username, pw, scopes...)
	}
	return nil, usagef("unknown --auth %q", p.AuthType)
}

// statusOf describes a profile and its token (tok may be nil).
func (a *app) statusOf(p config.Profile, graphURL string, tok *auth.Token) statusInfo {
	s := statusInfo{
		Profile:    a.profileName,
		AuthType:   p.AuthType,
		Tenant:     p.Tenant,
		ClientID:   p.ClientID,
		Cloud:      p.Cloud,
		GraphURL:   graphURL,
		LoginURL:   p.LoginURL,
		ConfigFile: a.configPath,
	}
	if tok != nil {
		s.SignedIn = true
		s.Account = tok.Username
		s.Scopes = tok.Scopes
		s.TokenExpires = tok.Expiry.UTC().Truncate(time.Second)
	}
	if path, err := auth.DefaultTokenPath(); err == nil {
		if v := a.env.Getenv("O365_TOKEN_FILE"); v != "" {
			path = v
		}
		s.TokenFile = path
	}
	return s
}

func (a *app) statusCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the active profile and whether it is signed in (no network)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := a.currentProfile()
			proto, err := protocol(p)
			if err != nil {
				return err
			}
			var tok *auth.Token
			if p.ClientID != "" && (p.Username != "" || isAppOnly(p)) {
				if ap, err := a.newApp(p, proto, false); err == nil {
					if t, err := ap.Session(p.Username).Stored(cmd.Context()); err == nil {
						tok = t
					}
				}
			}
			return a.print(a.statusOf(p, proto.ServiceURL(), tok))
		},
	}
}

func (a *app) logoutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the active profile's sign-in (its tokens); the profile itself is kept",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := a.currentProfile()
			if p.ClientID == "" || (p.Username == "" && !isAppOnly(p)) {
				a.note("Not signed in (profile %q).", a.profileName)
				return nil
			}
			proto, err := protocol(p)
			if err != nil {
				return err
			}
			store, err := auth.NewFileStore(a.env.Getenv("O365_TOKEN_FILE"))
			if err != nil {
				return err
			}
			// Build the key the way the App does, without needing the app's credentials.
			ap, err := auth.NewApp(auth.Config{ClientID: p.ClientID, Tenant: p.Tenant, Authority: proto.Authority(), Store: store})
			if err != nil {
				return err
			}
			if err := ap.Session(p.Username).Delete(cmd.Context()); err != nil && !errors.Is(err, auth.ErrNoToken) {
				return err
			}
			who := p.Username
			if who == "" {
				who = "the application " + p.ClientID
			}
			p.Username = ""
			if err := a.saveProfile(p); err != nil {
				return err
			}
			a.note("Signed out %s (profile %q).", who, a.profileName)
			return nil
		},
	}
}

func (a *app) whoamiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "Show the signed-in user (GET /me)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p := a.currentProfile()
			if isAppOnly(p) {
				return fmt.Errorf("profile %q signs in as the application %s: there is no signed-in user (try 'o365 status')", a.profileName, p.ClientID)
			}
			_, c, err := a.session(cmd.Context())
			if err != nil {
				return err
			}
			var me []byte
			if err := c.Get(cmd.Context(), "/me", &me); err != nil {
				return err
			}
			return a.print(me)
		},
	}
}
