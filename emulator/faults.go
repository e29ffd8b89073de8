package emulator

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/o365go/o365/emulator/internal/identity"
)

// FaultKind is what an injected fault does.
type FaultKind int

const (
	// FaultStatus answers with Status (default 429) and a Graph error body.
	FaultStatus FaultKind = iota
	// FaultDrop closes the connection without answering.
	FaultDrop
	// FaultTruncate serves the request but sends only half of the body
	// while announcing the full Content-Length, then closes.
	FaultTruncate
	// FaultLatency delays the request by Latency, then serves it.
	FaultLatency
)

// String names the kind as ParseFault reads it.
func (k FaultKind) String() string {
	switch k {
	case FaultDrop:
		return "drop"
	case FaultTruncate:
		return "truncate"
	case FaultLatency:
		return "latency"
	default:
		return "status"
	}
}

// RetryAfterForm is how a Retry-After header is written.
type RetryAfterForm int

const (
	// RetryAfterSeconds writes whole seconds, rounded up ("3").
	RetryAfterSeconds RetryAfterForm = iota
	// RetryAfterFractional writes seconds with a fraction ("2.128").
	RetryAfterFractional
	// RetryAfterDate writes an HTTP date.
	RetryAfterDate
	// RetryAfterNone omits the header, as some services do.
	RetryAfterNone
)

// Fault is a rule that makes matching requests fail. Rules are checked in
// the order they were added; the first that fires wins.
type Fault struct {
	// Name labels the fault in the request log (default: the kind).
	Name string
	// Method matches the HTTP method; "" matches any.
	Method string
	// Path is a regular expression matched against the URL path
	// ("/v1.0/me/messages", "/token$"); "" matches any. Inside $batch the
	// item's path is used, with the version prefix.
	Path string
	// Kind is what the fault does.
	Kind FaultKind
	// Status is the status of a FaultStatus answer; default 429.
	Status int
	// Code and Message override the error body's code and message.
	Code, Message string
	// RetryAfter is the wait announced on 429 and 503 answers (default
	// 1s); RetryAfterForm how it is written.
	RetryAfter     time.Duration
	RetryAfterForm RetryAfterForm
	// Latency is the delay of a FaultLatency rule.
	Latency time.Duration
	// Nth makes the rule fire from the nth matching request on (1-based);
	// 0 means from the first.
	Nth int
	// Count is how many times the rule fires; 0 means without limit.
	Count int
	// Probability fires the rule on that fraction of matching requests
	// (seeded, so runs repeat); 0 means always.
	Probability float64
}

// FaultRule is an installed Fault.
type FaultRule struct {
	f       Fault
	re      *regexp.Regexp
	parent  *Faults
	matched int
	fired   int
}

// Fired returns how many times the rule has fired.
func (r *FaultRule) Fired() int {
	r.parent.mu.Lock()
	defer r.parent.mu.Unlock()
	return r.fired
}

// Remove uninstalls the rule.
func (r *FaultRule) Remove() {
	r.parent.mu.Lock()
	defer r.parent.mu.Unlock()
	for i, x := range r.parent.rules {
		if x == r {
			r.parent.rules = append(r.parent.rules[:i:i], r.parent.rules[i+1:]...)
			return
		}
	}
}

// Faults is the fault-injection control of a Server.
type Faults struct {
	mu    sync.Mutex
	rng   *rand.Rand
	rules []*FaultRule
}

func newFaults(seed uint64) *Faults {
	return &Faults{rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

// Add installs a rule.
func (f *Faults) Add(ft Fault) (*FaultRule, error) {
	r := &FaultRule{f: ft, parent: f}
	if ft.Path != "" {
		re, err := regexp.Compile(ft.Path)
		if err != nil {
			return nil, fmt.Errorf("emulator: fault path: %w", err)
		}
		r.re = re
	}
	if ft.Kind == FaultStatus && ft.Status == 0 {
		r.f.Status = http.StatusTooManyRequests
	}
	if ft.Kind < FaultStatus || ft.Kind > FaultLatency {
		return nil, fmt.Errorf("emulator: unknown fault kind %d", ft.Kind)
	}
	if ft.Probability < 0 || ft.Probability > 1 {
		return nil, fmt.Errorf("emulator: fault probability %v out of [0,1]", ft.Probability)
	}
	f.mu.Lock()
	f.rules = append(f.rules, r)
	f.mu.Unlock()
	return r, nil
}

// Clear removes every rule.
func (f *Faults) Clear() {
	f.mu.Lock()
	f.rules = nil
	f.mu.Unlock()
}

// pick returns the rule that fires for a request, if any. inBatch limits
// the kinds to those a $batch item can have.
func (f *Faults) pick(method, path string, inBatch bool) *Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.rules {
		if r.f.Method != "" && !strings.EqualFold(r.f.Method, method) {
			continue
		}
		if r.re != nil && !r.re.MatchString(path) {
			continue
		}
		if inBatch && (r.f.Kind == FaultDrop || r.f.Kind == FaultTruncate) {
			continue
		}
		r.matched++
		if r.f.Nth > 0 && r.matched < r.f.Nth {
			continue
		}
		if r.f.Count > 0 && r.fired >= r.f.Count {
			continue
		}
		if r.f.Probability > 0 && r.f.Probability < 1 && f.rng.Float64() >= r.f.Probability {
			continue
		}
		r.fired++
		ft := r.f
		return &ft
	}
	return nil
}

// faultError is the Graph error of a FaultStatus rule.
func (c *call) faultError(ft *Fault) *graphError {
	code, msg, inner := ft.Code, ft.Message, ""
	switch ft.Status {
	case http.StatusTooManyRequests:
		code, msg, inner = orDefault(code, "TooManyRequests"), orDefault(msg, "Please retry again later."), "429"
	case http.StatusServiceUnavailable:
		code, msg = orDefault(code, "serviceNotAvailable"), orDefault(msg, "The service is temporarily unavailable. Please retry later.")
	case http.StatusGatewayTimeout:
		code, msg = orDefault(code, "GatewayTimeout"), orDefault(msg, "The gateway did not receive a response from the service in time.")
	default:
		code, msg = orDefault(code, "generalException"), orDefault(msg, http.StatusText(ft.Status))
	}
	e := errorf(ft.Status, code, msg)
	e.inner = inner
	wait := ft.RetryAfter
	if ft.Status == http.StatusTooManyRequests || ft.Status == http.StatusServiceUnavailable || wait > 0 {
		if wait <= 0 {
			wait = time.Second
		}
		if v, ok, at := retryAfterValue(ft.RetryAfterForm, wait, c.now); ok {
			e.header = http.Header{"Retry-After": {v}}
			c.setRetryAt(at)
		}
	}
	return e
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func faultName(ft *Fault) string {
	if ft.Name != "" {
		return ft.Name
	}
	if ft.Kind == FaultStatus {
		return strconv.Itoa(ft.Status)
	}
	return ft.Kind.String()
}

// apply runs the first firing fault for a top-level request. It reports
// whether the fault fully answered the request.
// logEntry logs the request before a dropped connection is closed, so a
// client that sees the drop also finds it in the log.
func (f *Faults) apply(w *statusWriter, r *http.Request, entry *LoggedRequest, now func() time.Time, serve func(w http.ResponseWriter), logEntry func(), verify func(string) (*identity.Claims, error)) bool {
	ft := f.pick(r.Method, r.URL.Path, false)
	if ft == nil {
		return false
	}
	entry.Fault = faultName(ft)
	if _, tok, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && verify != nil {
		if claims, err := verify(strings.TrimSpace(tok)); err == nil {
			entry.ClientID = claims.ClientID
		}
	}
	switch ft.Kind {
	case FaultLatency:
		sleepCtx(r, ft.Latency)
		return false
	case FaultDrop:
		if conn, _, err := w.Hijack(); err == nil {
			logEntry()
			_ = conn.Close()
			return true
		}
		w.WriteHeader(http.StatusBadGateway)
		return true
	case FaultTruncate:
		rec := &recorder{header: http.Header{}}
		serve(rec)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		body := rec.body.Bytes()
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.code())
		_, _ = w.Write(body[:len(body)/2])
		w.Flush()
		// Returning with fewer bytes than Content-Length makes net/http
		// close the connection: the client sees an unexpected EOF.
		return true
	default:
		c := &call{w: w, r: r, now: now(), requestID: newUUID(), clientRequestID: r.Header.Get("client-request-id"), version: "v1.0", entry: entry}
		if c.clientRequestID == "" {
			c.clientRequestID = newUUID()
		}
		c.writeError(c.faultError(ft))
		return true
	}
}

func sleepCtx(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// recorder is a minimal in-memory ResponseWriter ($batch items and
// truncated answers).
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// ParseFault reads a fault from its flag form: comma-separated items,
// either key=value or a bare kind or status. Keys: kind (status, drop,
// truncate, latency), status, method, path, retry-after (a duration),
// retry-form (seconds, fractional, date, none), latency, nth, count, p
// (probability), code, message, name. Examples:
//
//	429,path=/me/messages,retry-after=2s,count=3
//	503,method=GET,p=0.1,retry-form=date
//	drop,path=/users,nth=2,count=1
//	latency=150ms,path=/v1.0/
func ParseFault(spec string) (Fault, error) {
	var f Fault
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, hasValue := strings.Cut(item, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if !hasValue {
			switch {
			case k == "drop":
				f.Kind = FaultDrop
			case k == "truncate":
				f.Kind = FaultTruncate
			case k == "status":
				f.Kind = FaultStatus
			default:
				n, err := strconv.Atoi(k)
				if err != nil || n < 100 || n > 599 {
					return Fault{}, fmt.Errorf("emulator: fault %q: unknown item %q", spec, item)
				}
				f.Kind, f.Status = FaultStatus, n
			}
			continue
		}
		var err error
		switch k {
		case "kind":
			switch strings.ToLower(v) {
			case "status":
				f.Kind = FaultStatus
			case "drop":
				f.Kind = FaultDrop
			case "truncate":
				f.Kind = FaultTruncate
			case "latency":
				f.Kind = FaultLatency
			default:
				err = fmt.Errorf("unknown kind %q", v)
			}
		case "status":
			f.Status, err = strconv.Atoi(v)
			if err == nil && (f.Status < 100 || f.Status > 599) {
				err = fmt.Errorf("status %d out of range", f.Status)
			}
		case "method":
			f.Method = strings.ToUpper(v)
		case "path":
			f.Path = v
		case "retry-after":
			f.RetryAfter, err = parseDurationOrSeconds(v)
		case "retry-form":
			switch strings.ToLower(v) {
			case "seconds":
				f.RetryAfterForm = RetryAfterSeconds
			case "fractional":
				f.RetryAfterForm = RetryAfterFractional
			case "date":
				f.RetryAfterForm = RetryAfterDate
			case "none":
				f.RetryAfterForm = RetryAfterNone
			default:
				err = fmt.Errorf("unknown retry-form %q", v)
			}
		case "latency":
			f.Kind = FaultLatency
			f.Latency, err = parseDurationOrSeconds(v)
		case "nth":
			f.Nth, err = strconv.Atoi(v)
		case "count":
			f.Count, err = strconv.Atoi(v)
		case "p", "probability":
			f.Probability, err = strconv.ParseFloat(v, 64)
			if err == nil && (f.Probability < 0 || f.Probability > 1) {
				err = fmt.Errorf("probability %v out of [0,1]", f.Probability)
			}
		case "code":
			f.Code = v
		case "message":
			f.Message = v
		case "name":
			f.Name = v
		default:
			err = fmt.Errorf("unknown key %q", k)
		}
		if err != nil {
			return Fault{}, fmt.Errorf("emulator: fault %q: %w", spec, err)
		}
	}
	if f.Path != "" {
		if _, err := regexp.Compile(f.Path); err != nil {
			return Fault{}, fmt.Errorf("emulator: fault %q: path: %w", spec, err)
		}
	}
	return f, nil
}

// parseDurationOrSeconds accepts "2s", "150ms" or a number of seconds.
func parseDurationOrSeconds(v string) (time.Duration, error) {
	if d, err := time.ParseDuration(v); err == nil {
		if d < 0 {
			return 0, fmt.Errorf("negative duration %q", v)
		}
		return d, nil
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs < 0 || secs > 1e6 {
		return 0, fmt.Errorf("bad duration %q", v)
	}
	return time.Duration(secs * float64(time.Second)), nil
}
