package excel_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/o365go/o365/excel"
	"github.com/o365go/o365/graph"
)

const expiredSession = `{"error":{"code":"notFound","message":"The session is not found.","innerError":{"code":"invalidSessionReCreatable","message":"The session specified in the request does not exist or is invalid due to a transient error."}}}`

func paths(reqs []seen) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Method+" "+r.Path+" ["+r.Session+"]")
	}
	return out
}

func TestOpenModes(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		mode    excel.SessionMode
		persist string // createSession body; "" when none is made
		session string
	}{
		{"persistent", excel.Persistent, `{"persistChanges":true}`, "sess-1"},
		{"non-persistent", excel.NonPersistent, `{"persistChanges":false}`, "sess-1"},
		{"no session", excel.NoSession, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			fixtures(f)
			wb := f.open(excel.WithSession(tc.mode))
			if wb.Mode() != tc.mode || wb.Session().ID != tc.session {
				t.Errorf("mode %v session %+v", wb.Mode(), wb.Session())
			}
			if _, err := wb.Sheet("Sheet1").Get(ctx); err != nil {
				t.Fatal(err)
			}
			if err := wb.Close(ctx); err != nil {
				t.Fatal(err)
			}
			all := f.all()
			if tc.persist == "" {
				if err := wb.Refresh(ctx); !errors.Is(err, excel.ErrClosed) {
					t.Errorf("Refresh after Close without a session: %v", err)
				}
				if diff := cmp.Diff([]string{"GET /worksheets/Sheet1 []"}, paths(all)); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
				return
			}
			want := []string{"POST /createSession []", "GET /worksheets/Sheet1 [sess-1]", "POST /closeSession [sess-1]"}
			if diff := cmp.Diff(want, paths(all)); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if !jsonEq(t, tc.persist, all[0].Body) || all[0].Prefer != "respond-async" {
				t.Errorf("createSession body %s prefer %q", all[0].Body, all[0].Prefer)
			}
		})
	}
}

func TestOpenBadSource(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	for _, src := range []excel.Source{nil, excel.Item(nil, itemPath), excel.Item(f.client(), ""), excel.Item(f.client(), "/me/drive/items/x?y")} {
		if _, err := excel.Open(ctx, src); !errors.Is(err, excel.ErrNoSource) {
			t.Errorf("Open(%v) = %v", src, err)
		}
	}
	// The service refuses the session (not a workbook, no access...).
	f.reset("POST /createSession")
	f.on("POST /createSession", 400, `{"error":{"code":"badRequest","message":"Could not obtain a WAC access token.","innerError":{"code":"badRequestUncategorized"}}}`)
	if _, err := excel.Open(ctx, excel.Item(f.client(), itemPath)); !errors.Is(err, graph.ErrBadRequest) {
		t.Errorf("Open refused: %v", err)
	}
	// A 504 is asked again once, as the documentation says.
	f.reset("POST /createSession")
	f.on("POST /createSession", 504, `{"error":{"code":"gatewayTimeout","message":"x"}}`)
	f.on("POST /createSession", 201, `{"id":"sess-9","persistChanges":true}`)
	wb, err := excel.Open(ctx, excel.Item(f.client(), itemPath))
	if err != nil || wb.Session().ID != "sess-9" {
		t.Errorf("after a 504: %v %+v", err, wb)
	}
	// No id in the answer.
	f.reset("POST /createSession")
	f.on("POST /createSession", 201, `{}`)
	if _, err := excel.Open(ctx, excel.Item(f.client(), itemPath)); err == nil {
		t.Error("a session without an id was accepted")
	}
}

// An idle session is refreshed before the next call; one that the service says expired
// is replaced and the call retried once.
func TestSessionRefreshAndRecreate(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	clk := newClock()
	wb, err := excel.Open(ctx, excel.Item(f.client(), itemPath), excel.WithClock(clk.Now, clk.Sleep))
	if err != nil {
		t.Fatal(err)
	}
	get := func() {
		t.Helper()
		if _, err := wb.Sheet("Sheet1").Get(ctx); err != nil {
			t.Fatal(err)
		}
	}
	get()
	clk.Advance(3 * time.Minute) // under the 4-minute refresh mark
	get()
	clk.Advance(4 * time.Minute) // idle long enough: refresh first
	get()
	want := []string{"POST /createSession []", "GET /worksheets/Sheet1 [sess-1]", "GET /worksheets/Sheet1 [sess-1]",
		"POST /refreshSession [sess-1]", "GET /worksheets/Sheet1 [sess-1]"}
	if diff := cmp.Diff(want, paths(f.all())); diff != "" {
		t.Errorf("refresh (-want +got):\n%s", diff)
	}

	// The service ends the session: the call gets a new one and is sent again, once.
	f.clear()
	f.reset("GET /worksheets/Sheet1")
	f.on("GET /worksheets/Sheet1", 404, expiredSession)
	f.on("GET /worksheets/Sheet1", 200, `{"id":"{S1}","name":"Sheet1"}`)
	f.reset("POST /createSession")
	f.on("POST /createSession", 201, `{"id":"sess-2","persistChanges":true}`)
	get()
	want = []string{"GET /worksheets/Sheet1 [sess-1]", "POST /createSession []", "GET /worksheets/Sheet1 [sess-2]"}
	if diff := cmp.Diff(want, paths(f.all())); diff != "" {
		t.Errorf("recreate (-want +got):\n%s", diff)
	}
	if wb.Session().ID != "sess-2" {
		t.Errorf("session %+v", wb.Session())
	}

	// Expired again right after: the error is returned, not retried forever.
	f.clear()
	f.reset("GET /worksheets/Sheet1")
	f.on("GET /worksheets/Sheet1", 404, expiredSession)
	if _, err := wb.Sheet("Sheet1").Get(ctx); err == nil {
		t.Error("a call failing twice with an expired session succeeded")
	}
	if n := len(f.all()); n != 3 {
		t.Errorf("%d requests, want 3 (call, createSession, call): %v", n, paths(f.all()))
	}

	// A refresh that finds the session gone makes a new one too.
	f.clear()
	f.reset("GET /worksheets/Sheet1")
	f.on("GET /worksheets/Sheet1", 200, `{"id":"{S1}","name":"Sheet1"}`)
	f.reset("POST /refreshSession")
	f.on("POST /refreshSession", 404, expiredSession)
	f.reset("POST /createSession")
	f.on("POST /createSession", 201, `{"id":"sess-4","persistChanges":true}`)
	clk.Advance(10 * time.Minute)
	get()
	want = []string{"POST /refreshSession [sess-2]", "POST /createSession []", "GET /worksheets/Sheet1 [sess-4]"}
	if got := paths(f.all()); !cmp.Equal(want, got) {
		t.Errorf("refresh of an expired session: %v", paths(f.all()))
	}

	// Refresh by hand.
	f.clear()
	f.reset("POST /refreshSession")
	f.on("POST /refreshSession", 204, "")
	if err := wb.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := paths(f.all()); len(got) != 1 || got[0] != "POST /refreshSession [sess-4]" {
		t.Errorf("Refresh: %v", got)
	}
}

// A non-persistent session's changes die with it: its expiry is an error, not a silent
// new session.
func TestNonPersistentExpiry(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	wb := f.open(excel.WithSession(excel.NonPersistent))
	f.reset("GET /worksheets/Sheet1")
	f.on("GET /worksheets/Sheet1", 404, expiredSession)
	_, err := wb.Sheet("Sheet1").Get(ctx)
	if !errors.Is(err, excel.ErrSessionExpired) || !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	if _, err := wb.Sheet("Sheet1").Get(ctx); !errors.Is(err, excel.ErrSessionExpired) {
		t.Errorf("next call: %v", err)
	}
	for _, r := range f.all()[1:] {
		if r.Path == "/createSession" {
			t.Error("a non-persistent session was replaced silently")
		}
	}
}

func TestClose(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	wb := f.open()
	if err := wb.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := wb.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := wb.Sheet("Sheet1").Get(ctx); !errors.Is(err, excel.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	if err := wb.Refresh(ctx); !errors.Is(err, excel.ErrClosed) {
		t.Errorf("Refresh after Close: %v", err)
	}
	// A session the service already ended closes quietly; another failure is returned.
	wb = f.open()
	f.reset("POST /closeSession")
	f.on("POST /closeSession", 404, expiredSession)
	if err := wb.Close(ctx); err != nil {
		t.Errorf("Close of an expired session: %v", err)
	}
	wb = f.open()
	f.reset("POST /closeSession")
	f.on("POST /closeSession", 403, `{"error":{"code":"accessDenied","message":"no"}}`)
	if err := wb.Close(ctx); !errors.Is(err, graph.ErrForbidden) {
		t.Errorf("Close refused: %v", err)
	}
}

// Session creation answered 202: the operation is polled (honouring Retry-After) and the
// session read from its resourceLocation.
func TestLongRunningCreateSession(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	f.reset("POST /createSession")
	f.on("POST /createSession", 202, `{}`, "Location", "{base}/v1.0"+itemPath+"/workbook/operations/op-1", "Retry-After", "3")
	f.on("GET /operations/op-1", 200, `{"id":"op-1","status":"notStarted"}`)
	f.on("GET /operations/op-1", 200, `{"id":"op-1","status":"running"}`, "Retry-After", "7")
	f.on("GET /operations/op-1", 200, `{"id":"op-1","status":"running"}`)
	f.on("GET /operations/op-1", 200, `{"id":"op-1","status":"succeeded","resourceLocation":"{base}/v1.0`+itemPath+`/workbook/sessionInfoResource(key='k1')"}`)
	f.on("GET /sessionInfoResource(key='k1')", 200, `{"id":"sess-lro","persistChanges":true}`)
	clk := newClock()
	wb, err := excel.Open(ctx, excel.Item(f.client(), itemPath), excel.WithClock(clk.Now, clk.Sleep), excel.WithPollInterval(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if wb.Session().ID != "sess-lro" {
		t.Errorf("session %+v", wb.Session())
	}
	// 3 s (Retry-After of the 202), 2 s (default), 7 s (Retry-After), 4 s (doubled).
	if diff := cmp.Diff([]time.Duration{3 * time.Second, 2 * time.Second, 7 * time.Second, 4 * time.Second}, clk.waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	for _, r := range f.all() {
		if strings.HasPrefix(r.Path, "/operations/") && r.Session != "" {
			t.Error("the status poll carried the session header")
		}
	}
}

func TestLongRunningFailure(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	f.reset("POST /createSession")
	f.on("POST /createSession", 202, ``, "Location", "{base}/v1.0"+itemPath+"/workbook/operations/op-2")
	f.on("GET /operations/op-2", 200, `{"id":"op-2","status":"failed","error":{"code":"internalServerError","message":"An internal server error occurred while processing the request.",
		"innerError":{"code":"internalServerErrorUncategorized","message":"An unspecified error has occurred.","innerError":{"code":"GenericFileOpenError","message":"The workbook cannot be opened."}}}}`)
	clk := newClock()
	_, err := excel.Open(ctx, excel.Item(f.client(), itemPath), excel.WithClock(clk.Now, clk.Sleep))
	var oe *excel.OperationError
	if !errors.Is(err, excel.ErrOperationFailed) || !errors.As(err, &oe) {
		t.Fatalf("err = %v", err)
	}
	if !oe.HasCode("GenericFileOpenError") || oe.OperationID != "op-2" {
		t.Errorf("operation error %+v", oe)
	}
	want := "excel: operation op-2 failed: internalServerError/internalServerErrorUncategorized/GenericFileOpenError: The workbook cannot be opened."
	if err.Error() != want {
		t.Errorf("Error() = %q", err.Error())
	}
	// The poll itself failing is that error.
	f.reset("GET /operations/op-2")
	f.on("GET /operations/op-2", 404, `{"error":{"code":"itemNotFound","message":"gone"}}`)
	if _, err := excel.Open(ctx, excel.Item(f.client(), itemPath), excel.WithClock(clk.Now, clk.Sleep)); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("poll failure: %v", err)
	}
	// A cancelled context stops the polling.
	f.reset("GET /operations/op-2")
	f.on("GET /operations/op-2", 200, `{"id":"op-2","status":"running"}`)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := excel.Open(cctx, excel.Item(f.client(), itemPath), excel.WithClock(clk.Now, clk.Sleep)); err == nil {
		t.Error("cancelled Open succeeded")
	}
}

// Table rows added as a long-running operation: the rows come from the operation's
// resourceLocation, read with the session.
func TestLongRunningAddRows(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	fixtures(f)
	wb := f.open()
	tbl, err := wb.Table(ctx, "Table1")
	if err != nil {
		t.Fatal(err)
	}
	f.on("POST /tables/7/rows/add", 202, ``, "Location", "{base}/v1.0"+itemPath+"/workbook/operations/op-3")
	f.on("GET /operations/op-3", 200, `{"id":"op-3","status":"succeeded","resourceLocation":"{base}/v1.0`+itemPath+`/workbook/tableRowOperationResult(key='op-3')"}`)
	f.on("GET /tableRowOperationResult(key='op-3')", 200, `{"index":6,"values":[["east","pear",4]]}`)
	row, err := tbl.AddRows(ctx, excel.MustValues([]any{"east", "pear", 4}))
	if err != nil {
		t.Fatal(err)
	}
	if row.Index != 6 || row.Values[0][2].String() != "4" {
		t.Errorf("row %+v", row)
	}
	reqs := f.requests()
	if reqs[len(reqs)-3].Prefer != "respond-async" || reqs[len(reqs)-1].Session != "sess-1" {
		t.Errorf("requests %+v", reqs)
	}
}

// Calls that find the session expired at the same time make one new session between them.
func TestSessionRecreatedOnceUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	f := newFake(t)
	wb := f.open()
	f.reset("POST /createSession")
	f.on("POST /createSession", 201, `{"id":"sess-2","persistChanges":true}`)
	f.fallback = func(s seen) *reply {
		if s.Session == "sess-1" {
			return &reply{Status: 404, Body: expiredSession}
		}
		return &reply{Status: 200, Body: `{"id":"{S1}","name":"Sheet1"}`}
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := wb.Sheet("Sheet1").Get(ctx)
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	n := 0
	for _, r := range f.all() {
		if r.Path == "/createSession" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d createSession calls, want 2 (Open and one replacement)", n)
	}
}
