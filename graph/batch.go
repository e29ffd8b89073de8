package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxBatchSize is the number of requests Graph accepts in one $batch call.
const MaxBatchSize = 20

// BatchRequest is one request of a $batch. URL is relative to the service URL ("/me/messages/{id}")
// or an absolute URL on the service host (the service root is stripped). ID must be unique
// in the call (compared case-insensitively); an empty ID becomes the request's 1-based index.
// Body is JSON-encoded like Request.Body ([]byte and io.Reader bodies go as base64 unless
// their Content-Type header is JSON). DependsOn names requests that must finish first; they
// are kept in the same batch.
type BatchRequest struct {
	ID        string
	Method    string
	URL       string
	Header    http.Header
	Body      any
	DependsOn []string
}

// BatchResponse is the answer to one BatchRequest. Body is the item's body as Graph sent
// it: a JSON value, or a JSON string holding base64 for non-JSON content. Err is a *Error
// (with the item's method and URL) when Status >= 400, or another error when the request
// got no answer.
type BatchResponse struct {
	ID     string
	Status int
	Header http.Header
	Body   json.RawMessage
	Err    error
}

type batchWireItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	DependsOn []string          `json:"dependsOn,omitempty"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
}

type batchWireRequest struct {
	Requests []batchWireItem `json:"requests"`
}

type batchWireResponse struct {
	Responses []struct {
		ID      string            `json:"id"`
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"responses"`
}

// Batch sends reqs through Graph's $batch endpoint, MaxBatchSize requests per call, and
// returns one BatchResponse per request, in request order. A request and every request it
// depends on (directly or not) travel in the same batch; an error is returned, before
// anything is sent, when such a group exceeds MaxBatchSize, an id is duplicated, or a
// dependency names an unknown id or forms a cycle.
//
// Each $batch call goes through the client's retry loop (5xx answers are retried only when
// every request in it is idempotent). Items answered 429 are sent again (with the items
// that failed with 424 because they depended on them) after the largest Retry-After among
// them, within the client's RetryPolicy. A failed item does not fail the call: look at each
// BatchResponse's Err. The returned error is for failures of the call itself; the
// responses gathered until then are returned with it.
func (c *Client) Batch(ctx context.Context, reqs []BatchRequest) ([]BatchResponse, error) {
	items, groups, err := c.planBatch(reqs)
	if err != nil {
		return nil, err
	}
	out := make([]BatchResponse, len(reqs))
	for i := range out {
		out[i] = BatchResponse{ID: items[i].ID, Err: errors.New("graph: $batch: request not sent")}
	}
	for _, g := range groups {
		if err := c.runBatch(ctx, reqs, items, g, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// planBatch validates reqs, converts them to wire items and groups their indexes into
// batches.
func (c *Client) planBatch(reqs []BatchRequest) ([]batchWireItem, [][]int, error) {
	items := make([]batchWireItem, len(reqs))
	index := make(map[string]int, len(reqs))
	for i, r := range reqs {
		id := r.ID
		if id == "" {
			id = strconv.Itoa(i + 1)
		}
		key := strings.ToLower(id)
		if j, dup := index[key]; dup {
			return nil, nil, fmt.Errorf("graph: $batch: requests %d and %d have the same id %q", j, i, id)
		}
		index[key] = i
		it, err := c.batchItem(id, r)
		if err != nil {
			return nil, nil, fmt.Errorf("graph: $batch: request %q: %w", id, err)
		}
		items[i] = it
	}
	// Union the requests linked by dependsOn.
	parent := make([]int, len(reqs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	deps := make([][]int, len(reqs))
	for i, r := range reqs {
		for _, d := range r.DependsOn {
			j, ok := index[strings.ToLower(d)]
			if !ok {
				return nil, nil, fmt.Errorf("graph: $batch: request %q depends on unknown id %q", items[i].ID, d)
			}
			if j == i {
				return nil, nil, fmt.Errorf("graph: $batch: request %q depends on itself", items[i].ID)
			}
			deps[i] = append(deps[i], j)
			parent[find(i)] = find(j)
		}
	}
	if err := checkCycles(deps, items); err != nil {
		return nil, nil, err
	}
	members := map[int][]int{}
	var roots []int
	for i := range reqs {
		r := find(i)
		if _, seen := members[r]; !seen {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	var groups [][]int
	var cur []int
	for _, r := range roots {
		m := members[r]
		if len(m) > MaxBatchSize {
			return nil, nil, fmt.Errorf("graph: $batch: request %q and the %d requests linked to it by dependsOn cannot fit in one batch of %d", items[m[0]].ID, len(m)-1, MaxBatchSize)
		}
		if len(cur)+len(m) > MaxBatchSize {
			groups = append(groups, cur)
			cur = nil
		}
		cur = append(cur, m...)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	for _, g := range groups {
		sortInts(g)
	}
	return items, groups, nil
}

func sortInts(s []int) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func checkCycles(deps [][]int, items []batchWireItem) error {
	state := make([]byte, len(deps)) // 0 new, 1 visiting, 2 done
	var visit func(int) error
	visit = func(i int) error {
		switch state[i] {
		case 1:
			return fmt.Errorf("graph: $batch: dependsOn cycle through request %q", items[i].ID)
		case 2:
			return nil
		}
		state[i] = 1
		for _, j := range deps[i] {
			if err := visit(j); err != nil {
				return err
			}
		}
		state[i] = 2
		return nil
	}
	for i := range deps {
		if err := visit(i); err != nil {
			return err
		}
	}
	return nil
}

// batchItem converts one request to its wire form.
func (c *Client) batchItem(id string, r BatchRequest) (batchWireItem, error) {
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	rel, err := c.relativeURL(r.URL)
	if err != nil {
		return batchWireItem{}, err
	}
	it := batchWireItem{ID: id, Method: method, URL: rel, DependsOn: r.DependsOn}
	headers := map[string]string{}
	for k, v := range r.Header {
		if strings.EqualFold(k, "Authorization") {
			continue // the batch call carries the token
		}
		headers[http.CanonicalHeaderKey(k)] = strings.Join(v, ", ")
	}
	if r.Body != nil {
		ct := headers["Content-Type"]
		var data []byte
		var isRaw bool
		switch v := r.Body.(type) {
		case json.RawMessage:
			data = v
			if ct == "" {
				ct = "application/json"
			}
		case []byte:
			data, isRaw = v, true
		case io.Reader:
			if data, err = io.ReadAll(v); err != nil {
				return batchWireItem{}, fmt.Errorf("reading the body: %w", err)
			}
			isRaw = true
		default:
			if data, err = marshalJSON(v); err != nil {
				return batchWireItem{}, fmt.Errorf("encoding the body: %w", err)
			}
			if ct == "" {
				ct = "application/json"
			}
		}
		if isRaw {
			if ct == "" {
				ct = "application/octet-stream"
			}
			if !isJSONType(ct) {
				// Graph takes non-JSON bodies base64-encoded in a JSON string.
				data, _ = marshalJSON(base64.StdEncoding.EncodeToString(data))
			}
		}
		headers["Content-Type"] = ct
		it.Body = data
	}
	if len(headers) > 0 {
		it.Headers = headers
	}
	return it, nil
}

func isJSONType(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// relativeURL strips the service root from u, as $batch items need.
func (c *Client) relativeURL(u string) (string, error) {
	if u == "" {
		return "", errors.New("empty URL")
	}
	if !isAbsolute(u) {
		if !strings.HasPrefix(u, "/") {
			u = "/" + u
		}
		return u, nil
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return "", cleanErr(err)
	}
	root := c.service.EscapedPath()
	rest, ok := strings.CutPrefix(parsed.EscapedPath(), root)
	if !sameOrigin(parsed, c.service) || !ok || (rest != "" && rest[0] != '/') {
		return "", fmt.Errorf("URL %s is not under the service URL %s", redactURL(parsed), c.service)
	}
	if rest == "" {
		rest = "/"
	}
	if parsed.RawQuery != "" {
		rest += "?" + parsed.RawQuery
	}
	return rest, nil
}

// runBatch sends the requests of one group, retrying items answered 429, and fills out.
func (c *Client) runBatch(ctx context.Context, reqs []BatchRequest, items []batchWireItem, group []int, out []BatchResponse) error {
	todo := group
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		inTodo := make(map[string]bool, len(todo))
		for _, i := range todo {
			inTodo[strings.ToLower(items[i].ID)] = true
		}
		wire := batchWireRequest{Requests: make([]batchWireItem, 0, len(todo))}
		idempotent := true
		for _, i := range todo {
			it := items[i]
			if attempt > 0 && len(it.DependsOn) > 0 {
				// Dependencies that already succeeded are not sent again.
				var keep []string
				for _, d := range it.DependsOn {
					if inTodo[strings.ToLower(d)] {
						keep = append(keep, d)
					}
				}
				it.DependsOn = keep
			}
			idempotent = idempotent && c.retry.idempotent(it.Method)
			wire.Requests = append(wire.Requests, it)
		}
		var resp batchWireResponse
		req := &Request{Method: http.MethodPost, Path: "/$batch", Body: wire, idempotent: idempotent}
		if err := c.Do(ctx, req, &resp); err != nil {
			return err
		}
		byID := make(map[string]int, len(resp.Responses))
		for k, r := range resp.Responses {
			byID[strings.ToLower(r.ID)] = k
		}
		var throttled []int
		var maxRA time.Duration
		hasRA := false
		for _, i := range todo {
			k, ok := byID[strings.ToLower(items[i].ID)]
			if !ok {
				out[i] = BatchResponse{ID: items[i].ID, Err: fmt.Errorf("graph: $batch: no response for request %q", items[i].ID)}
				continue
			}
			r := resp.Responses[k]
			br := BatchResponse{ID: items[i].ID, Status: r.Status, Body: r.Body}
			if len(r.Headers) > 0 {
				br.Header = make(http.Header, len(r.Headers))
				for hk, hv := range r.Headers {
					br.Header.Set(hk, hv)
				}
			}
			if r.Status >= 400 {
				e := c.batchError(items[i], reqs[i], br)
				br.Err = e
				if r.Status == http.StatusTooManyRequests {
					throttled = append(throttled, i)
					if br.Header.Get("Retry-After") != "" {
						hasRA = true
						maxRA = max(maxRA, e.RetryAfter)
					}
				}
			}
			out[i] = br
		}
		if len(throttled) == 0 {
			return nil
		}
		if hasRA {
			c.closeGate(maxRA)
		}
		wait := maxRA
		if !hasRA {
			wait = c.retry.backoff(attempt+1, nil)
		}
		if attempt >= c.retry.MaxRetries || waited+wait > c.retry.MaxWait {
			return nil // the 429s stay in out as item errors
		}
		todo = withDependents(throttled, group, items, out)
		if err := sleepCtx(ctx, c.clock, wait); err != nil {
			return fmt.Errorf("graph: $batch: waiting to retry throttled requests: %w", err)
		}
		waited += wait
	}
}

// withDependents returns the throttled requests plus those of group that failed with 424
// because they depended (directly or not) on one of them, in request order.
func withDependents(throttled, group []int, items []batchWireItem, out []BatchResponse) []int {
	retry := map[string]bool{}
	for _, i := range throttled {
		retry[strings.ToLower(items[i].ID)] = true
	}
	for changed := true; changed; {
		changed = false
		for _, i := range group {
			id := strings.ToLower(items[i].ID)
			if retry[id] || out[i].Status != http.StatusFailedDependency {
				continue
			}
			for _, d := range items[i].DependsOn {
				if retry[strings.ToLower(d)] {
					retry[id] = true
					changed = true
					break
				}
			}
		}
	}
	var todo []int
	for _, i := range group {
		if retry[strings.ToLower(items[i].ID)] {
			todo = append(todo, i)
		}
	}
	return todo
}

// batchError builds the *Error of a failed item, with the item's method and URL.
func (c *Client) batchError(it batchWireItem, req BatchRequest, br BatchResponse) *Error {
	e := &Error{
		StatusCode:      br.Status,
		Method:          it.Method,
		RequestID:       br.Header.Get("request-id"),
		ClientRequestID: br.Header.Get("client-request-id"),
	}
	if u, err := url.Parse(c.service.String() + it.URL); err == nil {
		e.Path = displayPath(u, c.service)
		e.URL = redactURL(u)
	} else {
		e.Path = it.URL
	}
	if ra, ok := parseRetryAfter(br.Header.Get("Retry-After"), c.clock.Now()); ok {
		e.RetryAfter = ra
	}
	if d, err := http.ParseTime(br.Header.Get("Date")); err == nil {
		e.Date = d
	}
	decodeErrorBody(e, br.Body, "application/json", nil)
	if e.Code == "" && e.Snippet != "" {
		// A body that is a JSON string (base64 or text) is not an error object.
		var s string
		if unmarshalJSON(br.Body, &s) == nil {
			e.Snippet = snippet([]byte(s))
		}
	}
	e.Hint = hintFor(e)
	_ = req
	return e
}
