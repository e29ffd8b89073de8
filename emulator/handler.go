package emulator

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/o365go/o365/emulator/internal/identity"
)

// call is one Graph request being served.
type call struct {
	s               *Server
	w               http.ResponseWriter
	r               *http.Request
	now             time.Time
	version         string // "v1.0" or "beta"
	params          map[string]string
	perm            *permission // the route's permission
	claims          *identity.Claims
	requestID       string
	clientRequestID string
	entry           *LoggedRequest
}

// base is the service root of the request, e.g. "http://127.0.0.1:1234/v1.0".
func (c *call) base() string { return baseURL(c.r) + "/" + c.version }

// ServeHTTP serves the identity platform and Graph.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	entry := s.newEntry(r)
	sw := &statusWriter{ResponseWriter: w}
	logged := false
	logEntry := func() {
		if logged {
			return
		}
		logged = true
		if sw.status == 0 && !sw.hijacked {
			sw.status = http.StatusOK
		}
		entry.Status = sw.status
		s.reqlog.add(*entry)
		s.logger.Debug("emulator", "method", entry.Method, "path", entry.Path, "status", entry.Status)
	}
	// Log when the status is written, before the body: a client that has
	// read the answer always finds its request in the log.
	sw.onHeader = logEntry
	defer func() {
		// A bug must not take the server down or hang the client: answer
		// 500 as Graph's generalException.
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger.Error("emulator: handler panic", "method", r.Method, "path", r.URL.Path, "panic", v)
			if sw.status == 0 && !sw.hijacked {
				c := &call{w: sw, r: r, now: s.now(), requestID: newUUID(), clientRequestID: newUUID(), version: "v1.0"}
				c.writeError(errorf(http.StatusInternalServerError, "generalException", "An internal server error occurred."))
			}
		}
		logEntry()
	}()
	serve := func(w http.ResponseWriter) {
		if s.idp.Handles(r.URL.Path) {
			s.idp.ServeHTTP(w, r)
			return
		}
		if isOutlookUpload(r.URL.Path) {
			s.serveOutlookUpload(w, r, entry)
			return
		}
		if isDriveHost(r.URL.Path) { // drive_content.go
			s.serveDriveHost(w, r, entry)
			return
		}
		s.serveGraph(w, r, entry)
	}
	if s.faults.apply(sw, r, entry, s.now, serve, logEntry, s.idp.Verify) {
		return
	}
	serve(sw)
}

// newEntry starts the log entry of a request, noting the grant type of
// token requests (the form is parsed here; the provider reuses it).
func (s *Server) newEntry(r *http.Request) *LoggedRequest {
	e := &LoggedRequest{
		Time:            s.now(),
		Method:          r.Method,
		Path:            r.URL.Path,
		Query:           redactQuery(r.URL.RawQuery),
		ClientRequestID: r.Header.Get("client-request-id"),
		Authorization:   r.Header.Get("Authorization") != "",
	}
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") &&
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
		if err := r.ParseForm(); err == nil {
			e.GrantType = r.PostForm.Get("grant_type")
		}
	}
	return e
}

// serveGraph serves one Graph request (top level or a $batch item).
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request, entry *LoggedRequest) {
	c := &call{
		s:               s,
		w:               w,
		r:               r,
		now:             s.now(),
		requestID:       newUUID(),
		clientRequestID: r.Header.Get("client-request-id"),
		entry:           entry,
	}
	if c.clientRequestID == "" {
		c.clientRequestID = newUUID()
	}
	version, segs, ok := splitGraphPath(r.URL.EscapedPath())
	if !ok {
		c.version = "v1.0"
		c.writeError(errorf(http.StatusNotFound, "NotFound", "The requested resource was not found."))
		return
	}
	c.version = version
	if len(segs) == 0 {
		c.writeError(errorf(http.StatusBadRequest, "BadRequest", "Invalid request."))
		return
	}
	if e := c.authenticate(); e != nil {
		c.writeError(e)
		return
	}
	entry.ClientID = c.claims.ClientID
	if strings.EqualFold(segs[0], "me") {
		if c.claims.AppOnly {
			c.writeError(errBadRequest("/me request is only valid with delegated authentication flow."))
			return
		}
		segs = append([]string{"users", c.claims.ObjectID}, segs[1:]...)
	}
	m := s.router.match(r.Method, segs)
	if m.route == nil {
		if m.methodNotAllowed {
			c.writeError(errMethodNotAllowed())
			return
		}
		c.writeError(errSegment(m.badSegment))
		return
	}
	c.params = m.params
	c.perm = m.route.perm
	if e := c.authorize(m.route.perm); e != nil {
		c.writeError(e)
		return
	}
	if m.route.mailbox {
		release, e := s.throttl.acquire(c, c.params["user"])
		if e != nil {
			c.writeError(e)
			return
		}
		defer release()
	}
	m.route.handle(c)
}

// authenticate checks the bearer token.
func (c *call) authenticate() *graphError {
	h := c.r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(h, " ")
	if h == "" || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return c.unauthenticated("Access token is empty.")
	}
	claims, err := c.s.idp.Verify(strings.TrimSpace(tok))
	if err != nil {
		msg := "Access token validation failure. Invalid audience."
		var te *identity.TokenError
		switch {
		case errors.As(err, &te) && te.Message != "":
			msg = te.Message
		case errors.Is(err, identity.ErrTokenExpired):
			msg = "Lifetime validation failed, the token is expired."
		}
		return c.unauthenticated(msg)
	}
	if claims.TenantID != "" && !strings.EqualFold(claims.TenantID, c.s.tenant) {
		return c.unauthenticated("Access token validation failure. Invalid audience.")
	}
	c.claims = claims
	return nil
}

func (c *call) unauthenticated(msg string) *graphError {
	e := errorf(http.StatusUnauthorized, "InvalidAuthenticationToken", msg)
	e.header = http.Header{"Www-Authenticate": {`Bearer realm="", authorization_uri="` +
		baseURL(c.r) + `/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`}}
	return e
}

// redactQuery removes secret-looking parameters from a logged query.
func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return "(unparsable)"
	}
	changed := false
	for k := range v {
		switch lower(k) {
		case "code", "access_token", "refresh_token", "id_token", "client_secret", "password",
			"client_assertion", "device_code", "authtoken", "code_verifier", "assertion", "tempauth":
			v[k] = []string{"REDACTED"}
			changed = true
		}
	}
	if !changed {
		return raw
	}
	return v.Encode()
}

// statusWriter records the status and passes hijacking and flushing on.
type statusWriter struct {
	http.ResponseWriter
	status   int
	hijacked bool
	// onHeader runs once, when the status is first written.
	onHeader func()
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		if w.onHeader != nil {
			w.onHeader()
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		w.hijacked = true
		return h.Hijack()
	}
	return nil, nil, errors.New("emulator: connection cannot be hijacked")
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
