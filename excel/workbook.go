package excel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/o365go/o365/graph"
)

// Source is a workbook file: a client and the Graph path of the drive item
// ("/drives/{drive-id}/items/{item-id}"). A *drive.Item satisfies it; Item makes one
// from a client and a path.
type Source interface {
	Client() *graph.Client
	ItemPath() string
}

type itemSource struct {
	c    *graph.Client
	path string
}

func (s itemSource) Client() *graph.Client { return s.c }
func (s itemSource) ItemPath() string      { return s.path }

// Item returns a Source for the drive item at itemPath, a Graph path relative to the
// service URL with its segments escaped: "/drives/{drive-id}/items/{item-id}" or
// "/me/drive/items/{item-id}".
func Item(c *graph.Client, itemPath string) Source { return itemSource{c: c, path: itemPath} }

// SessionMode says how a Workbook talks to Excel's calculation service.
type SessionMode int

// Session modes.
const (
	// Persistent: a session whose changes are saved to the file (the default).
	Persistent SessionMode = iota
	// NonPersistent: a session whose changes are thrown away when it ends; for
	// what-if calculations that must not touch the file.
	NonPersistent
	// NoSession: every call stands alone and its changes are saved. Slower: the
	// service opens the file for each call.
	NoSession
)

// DefaultRefreshAfter is how long a session may sit idle before the next call refreshes
// it first. The service ends idle sessions after about 5 to 7 minutes (the figure depends
// on the kind of session and is not promised), so 4 minutes stays clear of both.
const DefaultRefreshAfter = 4 * time.Minute

// Option configures Open.
type Option func(*Workbook)

// WithSession picks the session mode (default Persistent).
func WithSession(m SessionMode) Option { return func(wb *Workbook) { wb.mode = m } }

// WithRefreshAfter sets how long the session may sit idle before the next call refreshes
// it first (default DefaultRefreshAfter).
func WithRefreshAfter(d time.Duration) Option { return func(wb *Workbook) { wb.refreshAfter = d } }

// WithClock replaces the clock that ages the session and the sleep that waits between
// polls of a long-running operation (tests make time pass without waiting).
func WithClock(now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(wb *Workbook) {
		if now != nil {
			wb.now = now
		}
		if sleep != nil {
			wb.sleep = sleep
		}
	}
}

// WithPollInterval sets the first wait between polls of a long-running operation when
// the service sends no Retry-After (default 250 ms, doubling to at most 30 s: a short
// operation is seen done quickly, a long one is not polled more than needed).
func WithPollInterval(d time.Duration) Option { return func(wb *Workbook) { wb.poll = d } }

const defaultPoll = 250 * time.Millisecond

// Session is a workbook session (microsoft.graph.workbookSessionInfo).
type Session struct {
	ID             string `json:"id,omitempty"`
	PersistChanges bool   `json:"persistChanges"`
}

// Workbook is an open workbook: the handle every worksheet, range, table and name call
// goes through. It holds the session, sends its id in workbook-session-id with every
// call, refreshes it when it has been idle long enough to be near expiry (on the next
// call: there is no background goroutine), makes a new one and retries the call once
// when the service says it expired, and ends it on Close. A Workbook is safe for
// concurrent use, although Excel runs one workbook's calls one at a time anyway.
type Workbook struct {
	c            *graph.Client
	base         string // "{item path}/workbook"
	mode         SessionMode
	refreshAfter time.Duration
	poll         time.Duration
	now          func() time.Time
	sleep        func(ctx context.Context, d time.Duration) error

	mu       sync.Mutex
	session  Session
	lastUsed time.Time
	closed   bool
}

// Open opens the workbook of an .xlsx drive item: it makes the session the options ask
// for (a persistent one by default) and returns the handle. Excel's service works only
// with .xlsx files in OneDrive for work or school and SharePoint; other files fail with
// the service's error. Call Close when done.
func Open(ctx context.Context, src Source, opts ...Option) (*Workbook, error) {
	if src == nil || isNilPointer(src) || src.Client() == nil {
		return nil, ErrNoSource
	}
	item := strings.TrimRight(src.ItemPath(), "/")
	if item == "" || strings.ContainsAny(item, "?#") {
		return nil, fmt.Errorf("%w: bad item path %q", ErrNoSource, item)
	}
	if !strings.HasPrefix(item, "/") {
		item = "/" + item
	}
	wb := &Workbook{c: src.Client(), base: item + "/workbook", now: time.Now, sleep: sleepCtx, poll: defaultPoll}
	for _, o := range opts {
		o(wb)
	}
	if wb.refreshAfter <= 0 {
		wb.refreshAfter = DefaultRefreshAfter
	}
	if wb.poll <= 0 {
		wb.poll = defaultPoll
	}
	if wb.mode == NoSession {
		return wb, nil
	}
	s, err := wb.createSession(ctx)
	if err != nil {
		return nil, err
	}
	wb.session, wb.lastUsed = s, wb.now()
	return wb, nil
}

// isNilPointer reports a typed nil (a nil *drive.Item), whose methods may not be callable.
func isNilPointer(v any) bool {
	r := reflect.ValueOf(v)
	return r.Kind() == reflect.Pointer && r.IsNil()
}

// OpenItem opens the workbook at itemPath (see Item).
func OpenItem(ctx context.Context, c *graph.Client, itemPath string, opts ...Option) (*Workbook, error) {
	return Open(ctx, Item(c, itemPath), opts...)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Client returns the client the workbook's calls go through.
func (wb *Workbook) Client() *graph.Client { return wb.c }

// Path returns the workbook's Graph path, "{item path}/workbook".
func (wb *Workbook) Path() string { return wb.base }

// Session returns the current session (ID "" without one).
func (wb *Workbook) Session() Session {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	return wb.session
}

// Mode returns the session mode.
func (wb *Workbook) Mode() SessionMode { return wb.mode }

// createSession asks for a session (POST createSession), following the long-running
// operation pattern when the service answers 202, and asking again once after a 504 as
// the documentation advises.
func (wb *Workbook) createSession(ctx context.Context) (Session, error) {
	var s Session
	body := map[string]bool{"persistChanges": wb.mode == Persistent}
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		err = wb.send(ctx, call{method: http.MethodPost, path: wb.base + "/createSession", body: body, out: &s, async: true})
		var ge *graph.Error
		if err == nil || !errors.As(err, &ge) || ge.StatusCode != http.StatusGatewayTimeout {
			break
		}
	}
	if err != nil {
		return Session{}, err
	}
	if s.ID == "" {
		return Session{}, errors.New("excel: createSession answered without a session id")
	}
	return s, nil
}

// Refresh keeps the session alive (POST refreshSession). Calls do it by themselves when
// the session has been idle for the WithRefreshAfter duration; call it to keep an idle
// session open longer. Without a session it does nothing.
func (wb *Workbook) Refresh(ctx context.Context) error {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	if wb.closed {
		return ErrClosed
	}
	if wb.session.ID == "" {
		return nil
	}
	return wb.refreshLocked(ctx)
}

// refreshLocked refreshes the session, making a new one when the service says it is
// gone. wb.mu is held.
func (wb *Workbook) refreshLocked(ctx context.Context) error {
	err := wb.send(ctx, call{method: http.MethodPost, path: wb.base + "/refreshSession", body: struct{}{}, session: wb.session.ID})
	if err == nil {
		wb.lastUsed = wb.now()
		return nil
	}
	if !sessionExpired(err) {
		return err
	}
	return wb.recreateLocked(ctx, err)
}

// recreateLocked replaces an expired session. A non-persistent session's changes died
// with it, so it is not silently replaced: the caller gets ErrSessionExpired. wb.mu is
// held.
func (wb *Workbook) recreateLocked(ctx context.Context, cause error) error {
	if wb.mode == NonPersistent {
		wb.session = Session{}
		return &sessionError{cause: cause}
	}
	s, err := wb.createSession(ctx)
	if err != nil {
		return fmt.Errorf("excel: making a new session after the old one expired: %w", err)
	}
	wb.session, wb.lastUsed = s, wb.now()
	return nil
}

// sessionFor returns the session id to send, refreshing an idle session first.
func (wb *Workbook) sessionFor(ctx context.Context) (string, error) {
	if wb.mode == NoSession {
		return "", nil
	}
	wb.mu.Lock()
	defer wb.mu.Unlock()
	if wb.closed {
		return "", ErrClosed
	}
	if wb.session.ID == "" {
		if wb.mode == NonPersistent {
			return "", &sessionError{}
		}
		if err := wb.recreateLocked(ctx, nil); err != nil {
			return "", err
		}
		return wb.session.ID, nil
	}
	if wb.now().Sub(wb.lastUsed) >= wb.refreshAfter {
		if err := wb.refreshLocked(ctx); err != nil {
			return "", err
		}
	}
	return wb.session.ID, nil
}

// renew replaces the session that failed with id old, unless another call already did.
func (wb *Workbook) renew(ctx context.Context, old string, cause error) (string, error) {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	if wb.closed {
		return "", ErrClosed
	}
	if wb.session.ID != old && wb.session.ID != "" {
		return wb.session.ID, nil
	}
	if err := wb.recreateLocked(ctx, cause); err != nil {
		return "", err
	}
	return wb.session.ID, nil
}

func (wb *Workbook) touch() {
	wb.mu.Lock()
	wb.lastUsed = wb.now()
	wb.mu.Unlock()
}

// Close ends the session (POST closeSession); the workbook's calls fail with ErrClosed
// afterwards. Closing twice, or a workbook without a session, is not an error; nor is a
// session the service had already ended.
func (wb *Workbook) Close(ctx context.Context) error {
	wb.mu.Lock()
	defer wb.mu.Unlock()
	if wb.closed {
		return nil
	}
	wb.closed = true
	id := wb.session.ID
	wb.session = Session{}
	if id == "" {
		return nil
	}
	err := wb.send(ctx, call{method: http.MethodPost, path: wb.base + "/closeSession", body: struct{}{}, session: id})
	if err != nil && (sessionExpired(err) || errors.Is(err, graph.ErrNotFound)) {
		return nil
	}
	return err
}

// call is one request of the workbook.
type call struct {
	method  string
	path    string // full path, from wb.base
	body    any
	out     any
	session string
	async   bool // ask for the long-running pattern (Prefer: respond-async)
	opts    []graph.CallOption
}

// do sends a workbook call with the session, retrying it once with a new session when
// the service says the session expired.
func (wb *Workbook) do(ctx context.Context, method, rel string, body, out any, opts ...graph.CallOption) error {
	return wb.doCall(ctx, call{method: method, path: wb.base + rel, body: body, out: out, opts: opts})
}

func (wb *Workbook) doCall(ctx context.Context, c call) error {
	sid, err := wb.sessionFor(ctx)
	if err != nil {
		return err
	}
	c.session = sid
	err = wb.send(ctx, c)
	if err != nil && sid != "" && sessionExpired(err) {
		if sid, err = wb.renew(ctx, sid, err); err != nil {
			return err
		}
		c.session = sid
		err = wb.send(ctx, c)
	}
	if err == nil && sid != "" {
		wb.touch()
	}
	return err
}

func (wb *Workbook) get(ctx context.Context, rel string, out any) error {
	return wb.do(ctx, http.MethodGet, rel, nil, out)
}

func (wb *Workbook) post(ctx context.Context, rel string, body, out any) error {
	if body == nil {
		body = struct{}{}
	}
	return wb.do(ctx, http.MethodPost, rel, body, out)
}

func (wb *Workbook) patch(ctx context.Context, rel string, body, out any) error {
	return wb.do(ctx, http.MethodPatch, rel, body, out)
}

func (wb *Workbook) del(ctx context.Context, rel string) error {
	return wb.do(ctx, http.MethodDelete, rel, nil, nil)
}

// send performs one request. A 202 with a Location is a long-running operation: send
// polls it to the end and decodes the result into c.out.
func (wb *Workbook) send(ctx context.Context, c call) error {
	req := &graph.Request{Method: c.method, Path: c.path, Body: c.body, Header: http.Header{}}
	if c.session != "" {
		req.Header.Set("workbook-session-id", c.session)
	}
	opts := c.opts
	if c.async {
		opts = append(append([]graph.CallOption(nil), opts...), graph.Prefer("respond-async"))
	}
	resp, err := wb.c.Send(ctx, req, opts...)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusAccepted && resp.Header.Get("Location") != "" {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return wb.await(ctx, resp.Header.Get("Location"), retryAfter(resp.Header, wb.now()), c.session, c.out)
	}
	return decodeBody(resp, c.out)
}

func decodeBody(resp *http.Response, out any) error {
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("excel: %s %s: reading response: %w", resp.Request.Method, resp.Request.URL.Path, err)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("excel: %s %s: decoding response: %w", resp.Request.Method, resp.Request.URL.Path, err)
	}
	return nil
}
