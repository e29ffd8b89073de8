package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// JSON batching (concepts/json-batching.md): up to 20 requests in one POST,
// each run through the same handler as a top-level request, with the outer
// request's token.

const maxBatchRequests = 20

// batchItem is one request of a $batch body.
type batchItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
	DependsOn []string          `json:"dependsOn,omitempty"`
	// AtomicityGroup is accepted and ignored, as Graph does.
	AtomicityGroup string `json:"atomicityGroup,omitempty"`
}

// batchResponse is one answer of a $batch response.
type batchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

func errBatch(msg string) *graphError { return errBadRequest(msg) }

// header returns an item header case-insensitively.
func (it *batchItem) header(name string) string {
	for k, v := range it.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// parseBatch parses and validates a $batch body, returning the items in
// an execution order that respects dependsOn.
func parseBatch(data []byte) (items []batchItem, order []int, _ *graphError) {
	var body struct {
		Requests []batchItem `json:"requests"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&body); err != nil {
		return nil, nil, errBatch("Invalid batch payload format.")
	}
	if dec.More() {
		return nil, nil, errBatch("Invalid batch payload format.")
	}
	if len(body.Requests) == 0 {
		return nil, nil, errBatch("Invalid batch payload format: the batch must contain at least one request.")
	}
	if len(body.Requests) > maxBatchRequests {
		return nil, nil, errBatch("Number of requests in the batch exceeds the limit of " + strconv.Itoa(maxBatchRequests) + ".")
	}
	index := map[string]int{}
	for i := range body.Requests {
		it := &body.Requests[i]
		if strings.TrimSpace(it.ID) == "" {
			return nil, nil, errBatch("Invalid batch payload format: every request needs an id.")
		}
		lid := lower(it.ID)
		if _, dup := index[lid]; dup {
			return nil, nil, errBatch("Batch request ids must be unique; '" + it.ID + "' is duplicated.")
		}
		index[lid] = i
		switch strings.ToUpper(it.Method) {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead:
			it.Method = strings.ToUpper(it.Method)
		default:
			return nil, nil, errBatch("Invalid method '" + it.Method + "' in batch request '" + it.ID + "'.")
		}
		if it.URL == "" || strings.Contains(it.URL, "://") || strings.HasPrefix(it.URL, "//") {
			return nil, nil, errBatch("Invalid URL in batch request '" + it.ID + "': it must be relative to the service root.")
		}
		p, _, _ := strings.Cut(strings.TrimPrefix(it.URL, "/"), "?")
		if first, _, _ := strings.Cut(p, "/"); strings.EqualFold(first, "$batch") {
			return nil, nil, errBatch("Nested batch requests are not supported.")
		}
		if len(it.Body) > 0 && !bytes.Equal(bytes.TrimSpace(it.Body), []byte("null")) && it.header("Content-Type") == "" {
			return nil, nil, errBatch("Content-Type header must be specified for a request with a body (request '" + it.ID + "').")
		}
	}
	// Order: request order, but never before a dependency.
	deps := make([][]int, len(body.Requests))
	for i, it := range body.Requests {
		for _, d := range it.DependsOn {
			j, ok := index[lower(d)]
			if !ok || j == i {
				return nil, nil, errBatch("Request '" + it.ID + "' depends on an unknown request '" + d + "'.")
			}
			deps[i] = append(deps[i], j)
		}
	}
	done := make([]bool, len(body.Requests))
	for len(order) < len(body.Requests) {
		progressed := false
		for i := range body.Requests {
			if done[i] {
				continue
			}
			ready := true
			for _, j := range deps[i] {
				if !done[j] {
					ready = false
					break
				}
			}
			if ready {
				done[i] = true
				order = append(order, i)
				progressed = true
				break
			}
		}
		if !progressed {
			return nil, nil, errBatch("The dependsOn of the batch requests form a cycle.")
		}
	}
	return body.Requests, order, nil
}

// registerBatch adds POST /$batch.
func (s *Server) registerBatch(rt *router) {
	rt.add(http.MethodPost, "$batch", nil, false, s.serveBatch)
}

func (s *Server) serveBatch(c *call) {
	if ct := c.r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			c.writeError(errBatch("Invalid batch payload format: Content-Type must be application/json."))
			return
		}
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, c.r.Body, 4<<20))
	if err != nil {
		c.writeError(errorf(http.StatusRequestEntityTooLarge, "BadRequest", "The batch payload is too large."))
		return
	}
	items, order, gerr := parseBatch(data)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	status := make(map[string]int, len(items))
	out := make([]batchResponse, 0, len(items))
	for _, i := range order {
		it := &items[i]
		failed := false
		for _, d := range it.DependsOn {
			if st := status[lower(d)]; st >= 400 {
				failed = true
			}
		}
		var resp batchResponse
		if failed {
			resp = batchResponse{ID: it.ID, Status: http.StatusFailedDependency,
				Headers: map[string]string{"Content-Type": errorContentType},
				Body:    c.itemErrorBody(errorf(http.StatusFailedDependency, "FailedDependency", "The request could not be run because a request it depends on failed."))}
			s.reqlog.add(LoggedRequest{Time: s.now(), Method: it.Method, Path: "/" + c.version + "/" + strings.TrimPrefix(strings.SplitN(it.URL, "?", 2)[0], "/"),
				Status: http.StatusFailedDependency, Authorization: true, BatchID: it.ID, ClientID: c.claims.ClientID})
		} else {
			resp = s.runBatchItem(c, it)
		}
		status[lower(it.ID)] = resp.Status
		out = append(out, resp)
	}
	if !s.opts.KeepBatchOrder {
		s.mu.Lock()
		if s.batchRand == nil {
			s.batchRand = rand.New(rand.NewPCG(s.opts.RandSeed, 0x2545f4914f6cdd1d))
		}
		s.batchRand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		s.mu.Unlock()
	}
	c.writeValue(http.StatusOK, struct {
		Responses []batchResponse `json:"responses"`
	}{out})
}

// itemErrorBody encodes a Graph error for a batch item.
func (c *call) itemErrorBody(e *graphError) json.RawMessage {
	rec := &recorder{header: http.Header{}}
	ic := &call{w: rec, r: c.r, now: c.now, requestID: newUUID(), clientRequestID: c.clientRequestID, version: c.version}
	ic.writeError(e)
	return rec.body.Bytes()
}

// runBatchItem runs one item through the Graph handler.
func (s *Server) runBatchItem(c *call, it *batchItem) batchResponse {
	target := "/" + c.version + "/" + strings.TrimPrefix(it.URL, "/")
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return batchResponse{ID: it.ID, Status: http.StatusBadRequest, Headers: map[string]string{"Content-Type": errorContentType},
			Body: c.itemErrorBody(errBadRequest("Invalid request URL '" + it.URL + "'."))}
	}
	var body []byte
	if len(it.Body) > 0 && !bytes.Equal(bytes.TrimSpace(it.Body), []byte("null")) {
		body = it.Body
		mt, _, _ := mime.ParseMediaType(it.header("Content-Type"))
		if !strings.HasSuffix(mt, "json") {
			// Non-JSON bodies travel as base64 (or plain) strings.
			var str string
			if json.Unmarshal(it.Body, &str) == nil {
				if dec, err := base64.StdEncoding.DecodeString(str); err == nil {
					body = dec
				} else {
					body = []byte(str)
				}
			}
		}
	}
	req, err := http.NewRequestWithContext(c.r.Context(), it.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return batchResponse{ID: it.ID, Status: http.StatusBadRequest, Headers: map[string]string{"Content-Type": errorContentType},
			Body: c.itemErrorBody(errBadRequest("Invalid request URL '" + it.URL + "'."))}
	}
	req.Host = c.r.Host
	req.RemoteAddr = c.r.RemoteAddr
	for k, v := range it.Headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Authorization", c.r.Header.Get("Authorization"))
	if req.Header.Get("client-request-id") == "" {
		req.Header.Set("client-request-id", c.clientRequestID)
	}
	entry := &LoggedRequest{
		Time: s.now(), Method: it.Method, Path: u.Path, Query: redactQuery(u.RawQuery),
		ClientRequestID: req.Header.Get("client-request-id"), Authorization: true, BatchID: it.ID,
	}
	rec := &recorder{header: http.Header{}}
	if ft := s.faults.pick(it.Method, u.Path, true); ft != nil {
		entry.Fault = faultName(ft)
		if ft.Kind == FaultLatency {
			sleepCtx(c.r, ft.Latency)
			s.serveGraph(rec, req, entry)
		} else {
			ic := &call{w: rec, r: req, now: s.now(), requestID: newUUID(), clientRequestID: entry.ClientRequestID, version: c.version, entry: entry}
			ic.writeError(ic.faultError(ft))
		}
	} else {
		s.serveGraph(rec, req, entry)
	}
	entry.Status = rec.code()
	s.reqlog.add(*entry)

	resp := batchResponse{ID: it.ID, Status: rec.code(), Headers: map[string]string{}}
	for k, v := range rec.header {
		switch http.CanonicalHeaderKey(k) {
		case "Date", "Content-Length", "Strict-Transport-Security", "X-Ms-Ags-Diagnostic":
			continue
		}
		if len(v) > 0 {
			resp.Headers[k] = v[0]
		}
	}
	b := rec.body.Bytes()
	if len(b) > 0 {
		ct, _, _ := mime.ParseMediaType(rec.header.Get("Content-Type"))
		switch {
		case strings.HasSuffix(ct, "json") && json.Valid(b):
			resp.Body = json.RawMessage(bytes.Clone(b))
		case strings.HasPrefix(ct, "text/"):
			resp.Body, _ = json.Marshal(string(b))
		default:
			resp.Body, _ = json.Marshal(base64.StdEncoding.EncodeToString(b))
		}
	}
	return resp
}
