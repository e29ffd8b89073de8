package graph

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Cloud names a Microsoft cloud. Each cloud has its own Graph and login hosts.
type Cloud string

// The clouds Graph runs in.
const (
	CloudGlobal  Cloud = "global"  // graph.microsoft.com
	CloudUSGovL4 Cloud = "usgovl4" // US Government L4 (GCC High): graph.microsoft.us
	CloudUSGovL5 Cloud = "usgovl5" // US Government L5 (DoD): dod-graph.microsoft.us
	CloudChina   Cloud = "china"   // operated by 21Vianet: microsoftgraph.chinacloudapi.cn
)

// GraphURL returns the cloud's Graph root without a version, e.g. "https://graph.microsoft.com".
// An unknown or empty Cloud means CloudGlobal.
func (c Cloud) GraphURL() string {
	switch c {
	case CloudUSGovL4:
		return "https://graph.microsoft.us"
	case CloudUSGovL5:
		return "https://dod-graph.microsoft.us"
	case CloudChina:
		return "https://microsoftgraph.chinacloudapi.cn"
	default:
		return "https://graph.microsoft.com"
	}
}

// LoginURL returns the cloud's identity platform root, e.g. "https://login.microsoftonline.com".
// An unknown or empty Cloud means CloudGlobal.
func (c Cloud) LoginURL() string {
	switch c {
	case CloudUSGovL4, CloudUSGovL5:
		return "https://login.microsoftonline.us"
	case CloudChina:
		return "https://login.chinacloudapi.cn"
	default:
		return "https://login.microsoftonline.com"
	}
}

func (c Cloud) known() bool {
	switch c {
	case "", CloudGlobal, CloudUSGovL4, CloudUSGovL5, CloudChina:
		return true
	}
	return false
}

// Protocol says where Graph and the identity platform are: the cloud, the API version and,
// for the emulator or a proxy, explicit base URLs. The zero Protocol is Graph v1.0 in the
// global cloud.
type Protocol struct {
	Cloud    Cloud  // default CloudGlobal
	Version  string // "v1.0" (default) or "beta"
	BaseURL  string // optional override of Cloud.GraphURL() (emulator); plain http allowed only for loopback hosts
	LoginURL string // optional override of Cloud.LoginURL() (emulator)
}

// Version names.
const (
	V1   = "v1.0"
	Beta = "beta"
)

func (p Protocol) version() string {
	if p.Version == "" {
		return V1
	}
	return p.Version
}

// ServiceURL returns the root every relative request path is joined to, e.g.
// "https://graph.microsoft.com/v1.0". It never ends with a slash.
func (p Protocol) ServiceURL() string {
	base := p.BaseURL
	if base == "" {
		base = p.Cloud.GraphURL()
	}
	return strings.TrimRight(base, "/") + "/" + p.version()
}

// Authority returns the identity platform root (no tenant), e.g. "https://login.microsoftonline.com".
func (p Protocol) Authority() string {
	if p.LoginURL != "" {
		return strings.TrimRight(p.LoginURL, "/")
	}
	return p.Cloud.LoginURL()
}

// ScopePrefix returns the resource prefix of Graph scopes in this cloud, e.g.
// "https://graph.microsoft.com/". It is the cloud's even when BaseURL points elsewhere,
// because tokens are issued for the real resource.
func (p Protocol) ScopePrefix() string {
	return p.Cloud.GraphURL() + "/"
}

// Validate reports a Protocol that cannot work: an unknown cloud or version, or a base URL
// that is not https (plain http is accepted only for loopback hosts, so a token never crosses
// a network in clear text).
func (p Protocol) Validate() error {
	if !p.Cloud.known() {
		return fmt.Errorf("graph: unknown cloud %q (want %q, %q, %q or %q)", p.Cloud, CloudGlobal, CloudUSGovL4, CloudUSGovL5, CloudChina)
	}
	switch p.Version {
	case "", V1, Beta:
	default:
		return fmt.Errorf("graph: unknown API version %q (want %q or %q)", p.Version, V1, Beta)
	}
	if p.BaseURL != "" {
		if err := checkBaseURL("BaseURL", p.BaseURL); err != nil {
			return err
		}
	}
	if p.LoginURL != "" {
		if err := checkBaseURL("LoginURL", p.LoginURL); err != nil {
			return err
		}
	}
	return nil
}

func checkBaseURL(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("graph: Protocol.%s: %w", field, err)
	}
	if u.Host == "" {
		return fmt.Errorf("graph: Protocol.%s %q has no host", field, raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("graph: Protocol.%s %q must not have a query, fragment or user info", field, raw)
	}
	return checkScheme(u, "Protocol."+field)
}

// checkScheme accepts https anywhere and http on loopback hosts only.
func checkScheme(u *url.URL, what string) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("graph: %s: plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost), not %q; use https", what, u.Hostname())
	default:
		return fmt.Errorf("graph: %s: unsupported scheme %q (want https)", what, u.Scheme)
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
