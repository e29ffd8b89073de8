package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/o365go/o365/auth"
	"github.com/o365go/o365/cmd/o365/internal/config"
	"github.com/o365go/o365/cmd/o365/internal/output"
	"github.com/o365go/o365/graph"
)

// Exit codes.
const (
	ExitOK    = 0 // success
	ExitError = 1 // the command failed (network, Graph, sign-in, ...)
	ExitUsage = 2 // the command line was wrong (unknown command or flag, bad argument)
)

// Env is the world a command runs in. Tests build one around buffers; OSEnv is the real one.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// StdoutTerminal picks text output by default (JSON otherwise).
	StdoutTerminal bool
	// StderrTerminal shows progress bars (uploads) on stderr; without it there are none.
	StderrTerminal bool
	// ReadPassword reads a secret without echo; nil means no interactive prompt.
	ReadPassword func(prompt string) (string, error)
	// Getenv reads the environment (O365_CLIENT_SECRET, O365_PASSWORD, O365_CONFIG).
	Getenv func(string) string
	// Sleep replaces the waits of sign-in flows (device code polling); nil sleeps for real.
	// Tests pass a function that moves the emulator's clock instead.
	Sleep func(ctx context.Context, d time.Duration) error
	// OpenBrowser opens a URL for browser sign-in; nil prints the URL only.
	OpenBrowser func(ctx context.Context, url string) error
}

// OSEnv returns the process's own environment.
func OSEnv() Env {
	env := Env{
		Stdin:          os.Stdin,
		Stdout:         os.Stdout,
		Stderr:         os.Stderr,
		StdoutTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		StderrTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:         os.Getenv,
		OpenBrowser:    auth.OpenBrowser,
	}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		env.ReadPassword = func(prompt string) (string, error) {
			fmt.Fprint(os.Stderr, prompt)
			b, err := term.ReadPassword(int(os.Stdin.Fd()))
			fmt.Fprintln(os.Stderr)
			return string(b), err
		}
	}
	return env
}

// usageError marks a mistake on the command line (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// app holds the state of one invocation: the environment, the global flags and what
// they resolve to.
type app struct {
	env Env

	// Global flags.
	outputFlag string
	query      string
	profile    string
	verbose    bool
	// mailboxFlag is --mailbox of the mail commands.
	mailboxFlag string

	// Resolved in the root's PersistentPreRunE.
	format      output.Format
	configPath  string
	cfg         *config.File
	profileName string
	logger      *slog.Logger
	version     string // Graph API version for this invocation ("" is v1.0)
}

// Main runs one invocation of the CLI and returns its exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	a := &app{env: env, logger: slog.New(slog.DiscardHandler)}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	return a.reportError(err)
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "o365",
		Short: "Microsoft 365 from the command line, through Microsoft Graph",
		Long: `o365 works with Microsoft 365 (mail, users, ...) through Microsoft Graph, and runs a
local Graph emulator for trying things out without a Microsoft account.

Start with "o365 demo": a guided tour on the embedded emulator.

Output is JSON when stdout is not a terminal and text when it is; choose with -o and
reshape any result with --query, a JMESPath expression applied to the JSON form.

Environment: O365_PROFILE (profile), O365_CONFIG (config file), O365_TOKEN_FILE (token
store, default next to the config), O365_CLIENT_SECRET (--auth secret), O365_PASSWORD
(--auth password).

Exit codes: 0 success, 1 failure, 2 wrong usage.`,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error { return a.setup(cmd) },
		Args:              cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	pf := root.PersistentFlags()
	pf.StringVarP(&a.outputFlag, "output", "o", "", "output format: json, text, csv, md or none (default: text on a terminal, json otherwise)")
	pf.StringVar(&a.query, "query", "", "JMESPath query applied to the JSON result before formatting")
	pf.StringVar(&a.profile, "profile", "", "named profile from the config file (default: the config's default, else \"default\")")
	pf.BoolVarP(&a.verbose, "verbose", "v", false, "log requests and retry decisions to stderr (tokens redacted)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })

	root.AddCommand(
		a.loginCommand(),
		a.logoutCommand(),
		a.statusCommand(),
		a.whoamiCommand(),
		a.requestCommand(),
		a.emulatorCommand(),
		a.demoCommand(),
		a.mailCommand(),
		a.usersCommand(), a.groupsCommand(),
		a.calendarCommand(),
		a.todoCommand(),
		a.sitesCommand(),
		a.teamsCommand(),
		a.plannerCommand(),
		a.driveCommand(),
		a.excelCommand(),
		a.contactsCommand(),
		a.categoriesCommand(),
		a.subscriptionsCommand(), a.webhookCommand(),
		a.configCommand(),
	)
	return root
}

// setup resolves the global flags: the config file, the profile, the output format and the
// logger. It runs before every command.
func (a *app) setup(cmd *cobra.Command) error {
	path := a.env.Getenv("O365_CONFIG")
	if path == "" {
		p, err := config.DefaultPath()
		if err != nil {
			return err
		}
		path = p
	}
	a.configPath = path
	cfg, err := config.Load(path)
	if err != nil {
		return err
	}
	a.cfg = cfg
	if a.profile == "" {
		a.profile = a.env.Getenv("O365_PROFILE")
	}
	a.profileName = cfg.Name(a.profile)
	if err := config.ValidName(a.profileName); err != nil {
		return usageError{err}
	}

	switch {
	case a.outputFlag != "":
		f, err := output.ParseFormat(a.outputFlag)
		if err != nil {
			return usageError{err}
		}
		a.format = f
	case cfg.Profile(a.profileName) != nil && cfg.Profile(a.profileName).Output != "":
		f, err := output.ParseFormat(cfg.Profile(a.profileName).Output)
		if err != nil {
			return fmt.Errorf("profile %q: %w", a.profileName, err)
		}
		a.format = f
	default:
		a.format = output.Default(a.env.StdoutTerminal)
	}
	if err := output.ValidateQuery(a.query); err != nil {
		return usageError{err}
	}
	if a.verbose {
		a.logger = slog.New(slog.NewTextHandler(a.env.Stderr, &slog.HandlerOptions{
			Level:       slog.LevelDebug,
			ReplaceAttr: redactAttr,
		}))
	}
	return nil
}

// print renders a command's result with the global output options.
func (a *app) print(v any, cols ...output.Column) error {
	return output.Write(a.env.Stdout, v, output.Options{Format: a.format, Query: a.query, Columns: cols})
}

// note writes a human message (progress, hints) to stderr, so stdout stays parseable.
func (a *app) note(format string, args ...any) {
	fmt.Fprintf(a.env.Stderr, format+"\n", args...)
}

// sensitive attribute keys: their values never reach the log.
var sensitive = []string{"authorization", "token", "secret", "password", "assertion", "code", "cookie"}

// redactAttr hides values of sensitive attributes, as a last line of defence: the library
// already logs no secrets.
func redactAttr(_ []string, at slog.Attr) slog.Attr {
	k := strings.ToLower(at.Key)
	for _, s := range sensitive {
		if strings.Contains(k, s) && k != "status_code" {
			return slog.String(at.Key, "[redacted]")
		}
	}
	return at
}

// reportError prints err to stderr (as a JSON object when the output is JSON) and returns
// the exit code.
func (a *app) reportError(err error) int {
	code := ExitError
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		code = ExitUsage
	}
	if a.format == output.JSON {
		body := map[string]any{"message": err.Error()}
		var ge *graph.Error
		if errors.As(err, &ge) {
			body["status"] = ge.StatusCode
			body["code"] = ge.Code
			if ge.RequestID != "" {
				body["requestId"] = ge.RequestID
			}
		}
		var ae *auth.Error
		if errors.As(err, &ae) {
			body["code"] = ae.Code
		}
		b, _ := json.MarshalIndent(map[string]any{"error": body}, "", "  ")
		fmt.Fprintln(a.env.Stderr, string(b))
	} else {
		fmt.Fprintln(a.env.Stderr, "Error:", err)
	}
	if code == ExitUsage {
		fmt.Fprintln(a.env.Stderr, "Run 'o365 --help' for usage.")
	}
	return code
}

// isCobraUsage recognises cobra's own argument errors, which it returns as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
