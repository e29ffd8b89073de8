package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// jsonContentType is the Content-Type Graph puts on JSON answers.
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// errorContentType is the Content-Type of Graph error bodies.
const errorContentType = "application/json"

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// graphError is a Graph error answer.
type graphError struct {
	status  int
	code    string
	message string
	inner   string // nested innerError.code, when Graph nests one
	header  http.Header
}

func (e *graphError) Error() string { return strconv.Itoa(e.status) + " " + e.code + ": " + e.message }

func errorf(status int, code, message string) *graphError {
	return &graphError{status: status, code: code, message: message}
}

// Common errors.
func errBadRequest(msg string) *graphError { return errorf(http.StatusBadRequest, "BadRequest", msg) }

func errSegment(seg string) *graphError {
	return errBadRequest("Resource not found for the segment '" + seg + "'.")
}

// setRetryAt notes in the log entry when the answer allows a retry.
func (c *call) setRetryAt(at time.Time) {
	if c.entry != nil {
		c.entry.RetryAt = at
	}
}

// setCommonHeaders sets the headers every Graph answer carries.
func (c *call) setCommonHeaders() {
	h := c.w.Header()
	h.Set("request-id", c.requestID)
	h.Set("client-request-id", c.clientRequestID)
	h.Set("Date", c.now.UTC().Format(http.TimeFormat))
	h.Set("x-ms-ags-diagnostic", `{"ServerInfo":{"DataCenter":"Emulator","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"emulator"}}`)
	h.Set("Strict-Transport-Security", "max-age=31536000")
	h.Set("Cache-Control", "no-cache")
}

// writeError writes a Graph error body.
func (c *call) writeError(e *graphError) {
	c.setCommonHeaders()
	h := c.w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("Content-Type", errorContentType)
	h.Del("OData-Version")
	type innerCode struct {
		Code            string `json:"code,omitempty"`
		Date            string `json:"date"`
		RequestID       string `json:"request-id"`
		ClientRequestID string `json:"client-request-id"`
	}
	body := struct {
		Error struct {
			Code       string    `json:"code"`
			Message    string    `json:"message"`
			InnerError innerCode `json:"innerError"`
		} `json:"error"`
	}{}
	body.Error.Code = e.code
	body.Error.Message = e.message
	body.Error.InnerError = innerCode{
		Code:            e.inner,
		Date:            c.now.UTC().Format("2006-01-02T15:04:05"),
		RequestID:       c.requestID,
		ClientRequestID: c.clientRequestID,
	}
	b, _ := json.Marshal(body)
	c.w.WriteHeader(e.status)
	_, _ = c.w.Write(b)
}

// writeJSON writes a 2xx JSON answer from a pre-encoded body.
func (c *call) writeRaw(status int, body []byte) {
	c.setCommonHeaders()
	h := c.w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("OData-Version", "4.0")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(status)
	_, _ = c.w.Write(body)
}

// writeValue JSON-encodes v as a 2xx answer.
func (c *call) writeValue(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.writeError(errorf(http.StatusInternalServerError, "generalException", "An internal error occurred."))
		return
	}
	c.writeRaw(status, b)
}

// writeText writes a text/plain answer (such as /$count).
func (c *call) writeText(status int, s string) {
	c.setCommonHeaders()
	h := c.w.Header()
	h.Set("Content-Type", "text/plain")
	h.Set("OData-Version", "4.0")
	c.w.WriteHeader(status)
	_, _ = c.w.Write([]byte(s))
}

// retryAfterValue formats a Retry-After header value in the given form and
// returns the instant from which a client honouring it may come back.
func retryAfterValue(form RetryAfterForm, d time.Duration, now time.Time) (value string, ok bool, at time.Time) {
	switch form {
	case RetryAfterNone:
		return "", false, now
	case RetryAfterFractional:
		d = d.Round(time.Millisecond)
		return strconv.FormatFloat(d.Seconds(), 'f', -1, 64), true, now.Add(d)
	case RetryAfterDate:
		// HTTP dates have one-second resolution: round up so a client
		// honouring the date never comes back early.
		t := now.Add(d).UTC()
		if t.Truncate(time.Second) != t {
			t = t.Truncate(time.Second).Add(time.Second)
		}
		return t.Format(http.TimeFormat), true, t
	default:
		secs := int64((d + time.Second - 1) / time.Second)
		return strconv.FormatInt(secs, 10), true, now.Add(time.Duration(secs) * time.Second)
	}
}
