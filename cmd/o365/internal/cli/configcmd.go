package cli

import (
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/cmd/o365/internal/config"
	"github.com/o365go/o365/cmd/o365/internal/output"
)

// profileKeys are the settings `o365 config set` changes, with a setter each.
var profileKeys = map[string]func(p *config.Profile, v string) error{
	"tenant":          func(p *config.Profile, v string) error { p.Tenant = v; return nil },
	"clientId":        func(p *config.Profile, v string) error { p.ClientID = v; return nil },
	"cloud":           func(p *config.Profile, v string) error { p.Cloud = v; return nil },
	"baseUrl":         func(p *config.Profile, v string) error { p.BaseURL = v; return nil },
	"loginUrl":        func(p *config.Profile, v string) error { p.LoginURL = v; return nil },
	"certificateFile": func(p *config.Profile, v string) error { p.CertificateFile = v; return nil },
	"scopes":          func(p *config.Profile, v string) error { p.Scopes = splitList([]string{v}); return nil },
	"authType": func(p *config.Profile, v string) error {
		if v != "" && !slices.Contains(config.AuthTypes, v) {
			return usagef("unknown authType %q (want %s)", v, strings.Join(config.AuthTypes, ", "))
		}
		p.AuthType = v
		return nil
	},
	"output": func(p *config.Profile, v string) error {
		if v != "" {
			if _, err := output.ParseFormat(v); err != nil {
				return usageError{err}
			}
		}
		p.Output = v
		return nil
	},
}

func profileKeyNames() string {
	var ks []string
	for k := range profileKeys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

func (a *app) configCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show or change the configuration (profiles, default output)",
		Long: `The configuration is one JSON file in the user config directory
(os.UserConfigDir()/o365/config.json, or $O365_CONFIG) holding named profiles. "o365 login"
creates and updates profiles; these commands show and adjust them. The file never holds
tokens or secrets.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:   "show",
			Short: "Print the whole configuration",
			Args:  cobra.NoArgs,
			RunE: func(*cobra.Command, []string) error {
				return a.print(map[string]any{"path": a.configPath, "defaultProfile": a.cfg.Name(""), "profiles": a.cfg.Profiles})
			},
		},
		&cobra.Command{
			Use:   "set KEY VALUE",
			Short: "Set a setting of the active profile (" + profileKeyNames() + ")",
			Args: func(_ *cobra.Command, args []string) error {
				if len(args) != 2 {
					return usagef("config set needs KEY and VALUE")
				}
				return nil
			},
			RunE: func(_ *cobra.Command, args []string) error {
				set, ok := profileKeys[args[0]]
				if !ok {
					return usagef("unknown key %q (want one of %s)", args[0], profileKeyNames())
				}
				p := a.currentProfile()
				if err := set(&p, args[1]); err != nil {
					return err
				}
				return a.saveProfile(p)
			},
		},
		&cobra.Command{
			Use:   "use PROFILE",
			Short: "Make PROFILE the default profile",
			Args: func(_ *cobra.Command, args []string) error {
				if len(args) != 1 {
					return usagef("config use needs a profile name")
				}
				if err := config.ValidName(args[0]); err != nil {
					return usageError{err}
				}
				return nil
			},
			RunE: func(_ *cobra.Command, args []string) error {
				a.cfg.Default = args[0]
				return a.cfg.Save(a.configPath)
			},
		},
		&cobra.Command{
			Use:   "delete PROFILE",
			Short: "Remove a profile (run logout first to forget its tokens)",
			Args: func(_ *cobra.Command, args []string) error {
				if len(args) != 1 {
					return usagef("config delete needs a profile name")
				}
				return nil
			},
			RunE: func(_ *cobra.Command, args []string) error {
				if a.cfg.Profile(args[0]) == nil {
					return usagef("no profile %q", args[0])
				}
				delete(a.cfg.Profiles, args[0])
				if a.cfg.Default == args[0] {
					a.cfg.Default = ""
				}
				return a.cfg.Save(a.configPath)
			},
		},
	)
	return cmd
}
