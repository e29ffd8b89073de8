package identity

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// deviceState is where a device code stands.
type deviceState int

const (
	devicePending deviceState = iota
	deviceApproved
	deviceDeclined
)

// deviceGrant is an issued device code.
type deviceGrant struct {
	clientID string
	userCode string
	scopes   []string
	expires  time.Time
	interval time.Duration // grows by 5s on each slow_down (RFC 8628 §3.5)
	lastPoll time.Time     // creation, then each poll
	state    deviceState
	userID   string
}

// deviceResponse is the devicecode endpoint's answer.
type deviceResponse struct {
	UserCode        string `json:"user_code"`
	DeviceCode      string `json:"device_code"`
	VerificationURI string `json:"verification_uri"`
	ExpiresIn       int64  `json:"expires_in"`
	Interval        int64  `json:"interval"`
	Message         string `json:"message"`
}

// Errors of the device code control methods.
var (
	ErrUnknownUserCode = errors.New("identity: unknown or expired user code")
	ErrUnknownUser     = errors.New("identity: unknown user")
)

// userCodeAlphabet avoids letters and digits that read alike.
const userCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newUserCode returns a 9-character code like the service's.
func newUserCode() string {
	var b [9]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = userCodeAlphabet[int(b[i])%len(userCodeAlphabet)]
	}
	return string(b[:])
}

// normalizeUserCode lets users type the code with spaces, dashes or lower
// case.
func normalizeUserCode(s string) string {
	s = strings.ToUpper(s)
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

// serveDeviceCode is POST /{tenant}/oauth2/v2.0/devicecode.
func (p *Provider) serveDeviceCode(w http.ResponseWriter, r *http.Request, tenant string) {
	form, e := parsePost(w, r)
	if e == nil {
		e = p.deviceCode(w, r, tenant, form)
	}
	if e != nil {
		p.writeError(w, r, e)
	}
}

func (p *Provider) deviceCode(w http.ResponseWriter, r *http.Request, tenant string, form url.Values) *oauthError {
	cc := readClient(r, form)
	if cc.id == "" {
		return errMissingParam("client_id")
	}
	app := p.app(cc.id)
	if app == nil {
		return errUnknownApp(cc.id, p.tenantName(tenant))
	}
	s := strings.TrimSpace(form.Get("scope"))
	if s == "" {
		return errMissingParam("scope")
	}
	rs, bad := parseScopes(s)
	if bad != "" {
		return errInvalidScope(bad)
	}
	scopes, ok := resolveDelegated(app, rs)
	if !ok {
		return errConsent(app)
	}
	now := p.now()
	d := &deviceGrant{
		clientID: app.ClientID,
		scopes:   scopes,
		expires:  now.Add(p.cfg.DeviceCodeLifetime),
		interval: p.cfg.DevicePollInterval,
		lastPoll: now,
	}
	dc := "DAQABAAEAAA" + randomToken(64)
	p.mu.Lock()
	p.pruneDevices(now)
	for {
		d.userCode = newUserCode()
		if _, taken := p.userCodes[d.userCode]; !taken {
			break
		}
	}
	if u, _, _ := p.autoApproveUserLocked(); u != nil {
		d.state, d.userID = deviceApproved, u.ID
	}
	p.devices[dc] = d
	p.userCodes[d.userCode] = dc
	p.mu.Unlock()

	uri := p.issuerBase(r) + "/devicelogin"
	writeJSON(w, http.StatusOK, deviceResponse{
		UserCode:        d.userCode,
		DeviceCode:      dc,
		VerificationURI: uri,
		ExpiresIn:       int64(p.cfg.DeviceCodeLifetime / time.Second),
		Interval:        ceilSeconds(d.interval),
		Message:         fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", uri, d.userCode),
	})
	return nil
}

// ceilSeconds rounds d up to whole seconds, at least one, since clients
// read interval as an integer.
func ceilSeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// pruneDevices forgets codes expired for more than a day; p.mu is held.
func (p *Provider) pruneDevices(now time.Time) {
	for dc, d := range p.devices {
		if now.Sub(d.expires) > 24*time.Hour {
			delete(p.devices, dc)
			delete(p.userCodes, d.userCode)
		}
	}
}

// grantDevice is the device_code grant: one poll.
func (p *Provider) grantDevice(w http.ResponseWriter, r *http.Request, form url.Values, app *App) *oauthError {
	dc := form.Get("device_code")
	if dc == "" {
		dc = form.Get("code") // older MSAL versions
	}
	if dc == "" {
		return errMissingParam("device_code")
	}
	now := p.now()
	p.mu.Lock()
	d := p.devices[dc]
	var e *oauthError
	switch {
	case d == nil || d.clientID != app.ClientID:
		e = errDeviceBadCode()
	case !now.Before(d.expires):
		e = errDeviceExpired()
	case d.state == deviceDeclined:
		e = errDeviceDeclined()
	case now.Sub(d.lastPoll) < d.interval:
		d.lastPoll = now
		d.interval += 5 * time.Second
		e = errDeviceSlowDown()
	case d.state == devicePending:
		d.lastPoll = now
		e = errDevicePending()
	default:
		// Approved: the code is spent.
		delete(p.devices, dc)
		delete(p.userCodes, d.userCode)
	}
	p.mu.Unlock()
	if e != nil {
		return e
	}
	u := p.userByID(d.userID)
	if u == nil {
		return errDeviceBadCode()
	}
	return p.issue(w, r, form, grant{app: app, user: u, scopes: d.scopes}, "")
}

// pendingDevice returns the pending, unexpired grant for a user code;
// p.mu is held.
func (p *Provider) pendingDevice(userCode string, now time.Time) *deviceGrant {
	dc, ok := p.userCodes[normalizeUserCode(userCode)]
	if !ok {
		return nil
	}
	d := p.devices[dc]
	if d == nil || d.state != devicePending || !now.Before(d.expires) {
		return nil
	}
	return d
}

// ApproveDeviceCode approves a pending device code as the user upn, as if
// the user had entered the code at /devicelogin and signed in. The next
// poll after the interval gets the tokens.
func (p *Provider) ApproveDeviceCode(userCode, upn string) error {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[strings.ToLower(strings.TrimSpace(upn))]
	if u == nil {
		return ErrUnknownUser
	}
	d := p.pendingDevice(userCode, now)
	if d == nil {
		return ErrUnknownUserCode
	}
	d.state, d.userID = deviceApproved, u.ID
	return nil
}

// DeclineDeviceCode declines a pending device code; polls then get
// authorization_declined.
func (p *Provider) DeclineDeviceCode(userCode string) error {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.pendingDevice(userCode, now)
	if d == nil {
		return ErrUnknownUserCode
	}
	d.state = deviceDeclined
	return nil
}

// PendingDeviceCodes returns the user codes waiting for approval, sorted.
func (p *Provider) PendingDeviceCodes() []string {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for uc := range p.userCodes {
		if p.pendingDevice(uc, now) != nil {
			out = append(out, uc)
		}
	}
	slices.Sort(out)
	return out
}
