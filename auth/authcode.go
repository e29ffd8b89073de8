package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Flow is the state of one authorization code sign-in between AuthCodeURL and
// ExchangeRedirect. Web apps keep it server-side (it holds the PKCE verifier) between the
// redirect to Microsoft and the callback. String redacts the verifier and state.
type Flow struct {
	AuthURL     string   `json:"auth_url"`
	State       string   `json:"state"`
	Verifier    string   `json:"code_verifier"`
	RedirectURL string   `json:"redirect_uri"`
	Scopes      []string `json:"scopes"`
}

// String describes the flow without its secrets.
func (f Flow) String() string {
	return fmt.Sprintf("auth.Flow{RedirectURL:%s Scopes:%v State:%s Verifier:%s}", f.RedirectURL, f.Scopes, redact(f.State), redact(f.Verifier))
}

// GoString makes %#v redact too.
func (f Flow) GoString() string { return f.String() }

// DefaultRedirectURL is the native-client redirect URI python-o365 uses for the console flow:
// the browser ends on a blank Microsoft page whose URL the user copies.
func (a *App) DefaultRedirectURL() string {
	return a.authority + "/common/oauth2/nativeclient"
}

func randomState() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// AuthCodeURL starts an authorization code sign-in with PKCE (S256) and a random state. scopes
// are helpers or raw scopes (DelegatedScopes); opts are extra query parameters such as
// oauth2.SetAuthURLParam("login_hint", "adele@contoso.com") or ("prompt", "select_account").
func (a *App) AuthCodeURL(scopes []string, redirectURL string, opts ...oauth2.AuthCodeOption) (string, *Flow, error) {
	if redirectURL == "" {
		redirectURL = a.DefaultRedirectURL()
	}
	if _, err := url.Parse(redirectURL); err != nil {
		return "", nil, fmt.Errorf("auth: invalid redirect URL: %w", err)
	}
	state, err := randomState()
	if err != nil {
		return "", nil, err
	}
	sc := DelegatedScopes(a.cfg.ScopePrefix, scopes...)
	f := &Flow{State: state, Verifier: oauth2.GenerateVerifier(), RedirectURL: redirectURL, Scopes: sc}
	opts = append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(f.Verifier), oauth2.SetAuthURLParam("response_mode", "query")}, opts...)
	f.AuthURL = a.oauth2Config(withOpenID(sc), redirectURL).AuthCodeURL(state, opts...)
	return f.AuthURL, f, nil
}

// ExchangeRedirect completes a sign-in: it reads the code from the URL the browser was
// redirected to (a full URL or just its query), checks the state against flow (ErrStateMismatch
// otherwise, without redeeming the code) and redeems the code with the PKCE verifier. An error
// in the redirect comes back as *Error.
func (a *App) ExchangeRedirect(ctx context.Context, flow *Flow, redirectedURL string) (*Token, error) {
	if flow == nil || flow.State == "" || flow.Verifier == "" {
		return nil, errors.New("auth: ExchangeRedirect needs the Flow returned by AuthCodeURL")
	}
	q, err := redirectParams(redirectedURL)
	if err != nil {
		return nil, err
	}
	return a.redeem(ctx, flow, q)
}

func redirectParams(s string) (url.Values, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("auth: empty redirect URL")
	}
	var raw string
	if u, err := url.Parse(s); err == nil && (u.RawQuery != "" || u.Fragment != "") {
		raw = u.RawQuery
		if raw == "" {
			raw = u.Fragment // response_mode=fragment
		}
	} else {
		raw = strings.TrimPrefix(s, "?")
	}
	q, err := url.ParseQuery(raw)
	if err != nil || (q.Get("code") == "" && q.Get("error") == "") {
		return nil, errors.New("auth: the redirect URL has neither a code nor an error; paste the whole URL of the page the browser ended on")
	}
	return q, nil
}

func (a *App) redeem(ctx context.Context, flow *Flow, q url.Values) (*Token, error) {
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(flow.State)) != 1 {
		return nil, ErrStateMismatch
	}
	if e := q.Get("error"); e != "" {
		return nil, &Error{Code: e, Description: q.Get("error_description"), SubError: q.Get("suberror"), ErrorURI: q.Get("error_uri"), Op: "authorize"}
	}
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {q.Get("code")},
		"redirect_uri":  {flow.RedirectURL},
		"code_verifier": {flow.Verifier},
		"scope":         {strings.Join(withOpenID(flow.Scopes), " ")},
	}
	return a.exchange(ctx, form, flow.Scopes, !a.Confidential())
}

// ConsoleLogin is python-o365's console flow: it prints the sign-in URL to out, reads the URL
// the browser was redirected to from in (one line) and redeems it. redirectURL "" means
// DefaultRedirectURL. If ctx ends first, the read is abandoned (a goroutine stays blocked on in
// until it yields a line or EOF).
func (a *App) ConsoleLogin(ctx context.Context, in io.Reader, out io.Writer, redirectURL string, scopes ...string) (*Token, error) {
	authURL, flow, err := a.AuthCodeURL(scopes, redirectURL)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "Visit the following URL to sign in:\n\n%s\n\nThen paste the full URL your browser was redirected to and press Enter:\n", authURL)
	type line struct {
		s   string
		err error
	}
	ch := make(chan line, 1)
	go func() {
		s, err := bufio.NewReader(in).ReadString('\n')
		if err == io.EOF && s != "" {
			err = nil
		}
		ch <- line{s, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case l := <-ch:
		if l.err != nil {
			return nil, fmt.Errorf("auth: reading the redirect URL: %w", l.err)
		}
		return a.ExchangeRedirect(ctx, flow, l.s)
	}
}

// LoopbackOptions configures LoopbackLogin.
type LoopbackOptions struct {
	// OpenBrowser opens the sign-in URL; default OpenBrowser (the system browser).
	OpenBrowser func(ctx context.Context, url string) error
	// Out, if set, gets the URL when the browser cannot be opened, so the user can open it.
	Out io.Writer
	// Addr is the listening address, default "127.0.0.1:0" (a random port on loopback).
	Addr string
	// Host is the host of the redirect URI, default "localhost" (Entra ID ignores the port of
	// localhost redirect URIs, so registering "http://localhost" is enough).
	Host string
	// AuthOptions are extra authorize parameters (login_hint, prompt, ...).
	AuthOptions []oauth2.AuthCodeOption
}

const (
	pageDone   = `<!doctype html><html><head><meta charset="utf-8"><title>Signed in</title></head><body style="font-family:sans-serif;margin:3em"><h1>Signed in</h1><p>You may close this window and return to the application.</p></body></html>`
	pageFailed = `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in failed</title></head><body style="font-family:sans-serif;margin:3em"><h1>Sign-in failed</h1><p>%s</p><p>You may close this window.</p></body></html>`
)

// LoopbackLogin signs a user in with a redirect to a listener on loopback (RFC 8252): it
// listens on a random port, opens the browser on the sign-in URL, waits for the redirect
// (answering with a small "you may close this window" page), checks the state and redeems the
// code. Requests with a wrong state are answered 400 and ignored. It waits until ctx ends; use
// context.WithTimeout to bound it.
func (a *App) LoopbackLogin(ctx context.Context, opts LoopbackOptions, scopes ...string) (*Token, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Host == "" {
		opts.Host = "localhost"
	}
	if opts.OpenBrowser == nil {
		opts.OpenBrowser = OpenBrowser
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("auth: loopback listener: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	redirect := "http://" + net.JoinHostPort(opts.Host, fmt.Sprint(port))
	authURL, flow, err := a.AuthCodeURL(scopes, redirect, opts.AuthOptions...)
	if err != nil {
		ln.Close()
		return nil, err
	}

	result := make(chan url.Values, 1)
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(flow.State)) != 1 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, pageFailed, "This sign-in response does not belong to the waiting application (state mismatch).")
			return
		}
		if e := q.Get("error"); e != "" {
			w.WriteHeader(http.StatusOK)
			fmt.Fprintf(w, pageFailed, html.EscapeString(e+": "+firstLine(q.Get("error_description"))))
		} else {
			io.WriteString(w, pageDone)
		}
		once.Do(func() { result <- q })
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	if err := opts.OpenBrowser(ctx, authURL); err != nil {
		if opts.Out == nil {
			return nil, fmt.Errorf("auth: opening the browser: %w", err)
		}
		fmt.Fprintf(opts.Out, "Open this URL in your browser to sign in:\n\n%s\n\n", authURL)
	}
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("auth: waiting for the browser sign-in: %w", ctx.Err())
	case q := <-result:
		return a.redeem(ctx, flow, q)
	}
}
