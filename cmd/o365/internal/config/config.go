// Package config reads and writes the o365 CLI's configuration file: named profiles, each
// saying which tenant, app, cloud (or emulator) and sign-in flow to use.
//
// The file lives at os.UserConfigDir()/o365/config.json (on Linux
// $XDG_CONFIG_HOME/o365/config.json, else ~/.config/o365/config.json). It holds no
// secrets: tokens go to the token store, client secrets and passwords come from the
// environment at sign-in.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// DefaultProfile is the profile used when none is named.
const DefaultProfile = "default"

// Auth types a profile can sign in with.
const (
	AuthDevice      = "device"
	AuthBrowser     = "browser"
	AuthSecret      = "secret"
	AuthCertificate = "certificate"
	AuthPassword    = "password"
)

// AuthTypes lists the auth types in help order.
var AuthTypes = []string{AuthDevice, AuthBrowser, AuthSecret, AuthCertificate, AuthPassword}

// Profile is one named connection.
type Profile struct {
	// Tenant is "common", "organizations", "consumers", a domain or a tenant id.
	Tenant string `json:"tenant,omitempty"`
	// ClientID is the app registration used to sign in.
	ClientID string `json:"clientId,omitempty"`
	// Cloud is "global" (default), "usgovl4", "usgovl5" or "china".
	Cloud string `json:"cloud,omitempty"`
	// BaseURL and LoginURL override the cloud's Graph and login hosts (the emulator).
	BaseURL  string `json:"baseUrl,omitempty"`
	LoginURL string `json:"loginUrl,omitempty"`
	// AuthType is one of AuthTypes; empty means device code.
	AuthType string `json:"authType,omitempty"`
	// Scopes requested at sign-in (delegated flows); empty means the CLI's defaults.
	Scopes []string `json:"scopes,omitempty"`
	// Output is the default output format for this profile.
	Output string `json:"output,omitempty"`
	// Username is the account signed in last, the key of its tokens in the token store.
	Username string `json:"username,omitempty"`
	// CertificateFile is the PEM file (certificate and key) for certificate sign-in.
	CertificateFile string `json:"certificateFile,omitempty"`
}

// File is the whole configuration.
type File struct {
	// Default names the profile used when --profile is not given.
	Default  string              `json:"defaultProfile,omitempty"`
	Profiles map[string]*Profile `json:"profiles,omitempty"`
}

// DefaultPath returns os.UserConfigDir()/o365/config.json.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config: no user config directory: %w", err)
	}
	return filepath.Join(dir, "o365", "config.json"), nil
}

// Load reads the file at path. A missing file is an empty configuration.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return &f, nil
}

// Save writes the file atomically (a temporary file renamed over the old one) with mode
// 0600, creating the directory (0700) when needed.
func (f *File) Save(path string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	b = append(b, '\n')
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".config-*.json")
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("config: %w", err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("config: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidName reports whether name can name a profile.
func ValidName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("invalid profile name %q (letters, digits, '.', '_' and '-', at most 64)", name)
	}
	return nil
}

// Name resolves the profile to use: the explicit name, else the file's default, else
// DefaultProfile.
func (f *File) Name(explicit string) string {
	switch {
	case explicit != "":
		return explicit
	case f.Default != "":
		return f.Default
	}
	return DefaultProfile
}

// Profile returns the named profile, or nil when it does not exist.
func (f *File) Profile(name string) *Profile {
	return f.Profiles[name]
}

// Set stores p under name.
func (f *File) Set(name string, p *Profile) {
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	f.Profiles[name] = p
}

// Names lists the profile names, sorted.
func (f *File) Names() []string {
	out := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
