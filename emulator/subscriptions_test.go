package emulator

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o365go/o365/internal/graphspec"
)

func init() {
	fidelitySkip["/subscriptions"] = "replayed by TestSubscriptionFidelity (needs a receiver)"
}

// testReceiver is a webhook endpoint on loopback: it answers the
// validation handshake and records what it is sent.
type testReceiver struct {
	srv    *httptest.Server
	notes  chan map[string]any // each change or lifecycle notification
	mu     sync.Mutex
	fail   int           // deliveries still to fail with 503
	block  chan struct{} // while non-nil and open, deliveries and handshakes wait on it
	echo   func(token string) string
	tokens []string
	posts  int
}

func newReceiver(t *testing.T) *testReceiver {
	r := &testReceiver{notes: make(chan map[string]any, 100)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		r.release()
		r.srv.Close()
	})
	return r
}

func (r *testReceiver) release() {
	r.mu.Lock()
	if r.block != nil {
		close(r.block)
		r.block = nil
	}
	r.mu.Unlock()
}

func (r *testReceiver) serve(w http.ResponseWriter, req *http.Request) {
	// Read the body first: the server notices a client that went away (and
	// cancels req.Context()) only once the body is consumed.
	data, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	block := r.block
	r.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-req.Context().Done():
			return
		}
	}
	if tok := req.URL.Query().Get("validationToken"); tok != "" {
		r.mu.Lock()
		r.tokens = append(r.tokens, tok)
		echo := r.echo
		r.mu.Unlock()
		if echo != nil {
			tok = echo(tok)
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, tok)
		return
	}
	r.mu.Lock()
	r.posts++
	fail := r.fail > 0
	if fail {
		r.fail--
	}
	r.mu.Unlock()
	if fail {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var body struct {
		Value []map[string]any `json:"value"`
	}
	if err := json.Unmarshal(data, &body); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	for _, v := range body.Value {
		r.notes <- v
	}
}

func (r *testReceiver) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case n := <-r.notes:
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("no notification arrived")
		return nil
	}
}

// fastDelivery makes retries immediate so tests do not wait.
func fastDelivery(s *Server) {
	s.SetNotificationDelivery(NotificationDelivery{RetryBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
}

func subBody(resource, notifyURL, changeType string, exp time.Time, extra string) string {
	return fmt.Sprintf(`{"changeType":%q,"notificationUrl":%q,"resource":%q,"expirationDateTime":%q,"clientState":"secretClientValue"%s}`,
		changeType, notifyURL, resource, exp.UTC().Format(time.RFC3339Nano), extra)
}

const subScopes = "Mail.ReadWrite Mail.Send Calendars.ReadWrite Contacts.ReadWrite Tasks.ReadWrite User.Read"

func TestSubscriptionCreateValidation(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, subScopes+" Chat.Read Presence.Read.All Files.ReadWrite")
	r := newReceiver(t)
	now := s.Now()
	hour := now.Add(time.Hour)
	cases := []struct {
		name, body string
		status     int
		code, msg  string
	}{
		{"unknown resource", subBody("me/unknownThings", r.srv.URL, "created", hour, ""), 400, "InvalidRequest", "is not supported"},
		{"empty resource", subBody("", r.srv.URL, "created", hour, ""), 400, "InvalidRequest", "is not supported"},
		{"bad changeType", subBody("me/messages", r.srv.URL, "created,moved", hour, ""), 400, "InvalidRequest", "changeType"},
		{"drive root created", subBody("me/drive/root", r.srv.URL, "created", hour, ""), 400, "InvalidRequest", ""},
		{"mail expiry too long", subBody("me/messages", r.srv.URL, "created", now.Add(10081*time.Minute), ""), 400, "InvalidRequest", "10080 minutes"},
		{"chat expiry too long", subBody("chats/19:abc@thread.v2/messages", r.srv.URL, "created", now.Add(61*time.Minute), ""), 400, "InvalidRequest", "60 minutes"},
		{"presence expiry too long", subBody("communications/presences/"+adele.ID, r.srv.URL, "updated", now.Add(61*time.Minute), ""), 400, "InvalidRequest", "60 minutes"},
		{"todo expiry too long", subBody("me/todo/lists/x/tasks", r.srv.URL, "created", now.Add(4231*time.Minute), ""), 400, "InvalidRequest", "4230 minutes"},
		{"expiry in the past", subBody("me/messages", r.srv.URL, "created", now.Add(-time.Minute), ""), 400, "InvalidRequest", "future"},
		{"bad expiry", strings.Replace(subBody("me/messages", r.srv.URL, "created", hour, ""), hour.UTC().Format(time.RFC3339Nano), "tomorrow", 1), 400, "InvalidRequest", "payload"},
		{"http not loopback", subBody("me/messages", "http://example.com/hook", "created", hour, ""), 400, "InvalidRequest", "https"},
		{"https is never contacted", subBody("me/messages", "https://webhook.azurewebsites.net/api", "created", hour, ""), 400, "InvalidRequest", "validation request failed"},
		{"not a URL", subBody("me/messages", "hook", "created", hour, ""), 400, "InvalidRequest", "not a valid"},
		{"lifecycle not https", subBody("me/messages", r.srv.URL, "created", hour, `,"lifecycleNotificationUrl":"http://example.com/x"`), 400, "InvalidRequest", "https"},
		{"clientState too long", strings.Replace(subBody("me/messages", r.srv.URL, "created", hour, ""), "secretClientValue", strings.Repeat("x", 129), 1), 400, "InvalidRequest", "128"},
		{"rich without certificate", subBody("me/messages", r.srv.URL, "created", hour, `,"includeResourceData":true`), 400, "InvalidRequest", "encryptionCertificate"},
		{"rich without certificate id", subBody("me/messages", r.srv.URL, "created", hour, `,"includeResourceData":true,"encryptionCertificate":"MIIB"`), 400, "InvalidRequest", "encryptionCertificateId"},
		{"rich not for mail", subBody("me/messages", r.srv.URL, "created", hour, `,"includeResourceData":true,"encryptionCertificate":"MIIB","encryptionCertificateId":"c"`), 400, "InvalidRequest", "not supported for the resource"},
		{"rich bad certificate", subBody("communications/presences/"+adele.ID, r.srv.URL, "updated", now.Add(30*time.Minute), `,"includeResourceData":true,"encryptionCertificate":"MIIB","encryptionCertificateId":"c"`), 400, "InvalidRequest", "not a valid"},
		{"bad TLS version", subBody("me/messages", r.srv.URL, "created", hour, `,"latestSupportedTlsVersion":"v9"`), 400, "InvalidRequest", "latestSupportedTlsVersion"},
		{"missing fields", `{"resource":"me/messages"}`, 400, "InvalidRequest", "required"},
		{"not JSON", `{`, 400, "InvalidRequest", "payload"},
		{"unknown user", subBody("users/nobody@contoso.com/messages", r.srv.URL, "created", hour, ""), 404, "ErrorInvalidUser", ""},
		{"another user's mailbox", subBody("users/MeganB@contoso.onmicrosoft.com/messages", r.srv.URL, "created", hour, ""), 403, "ErrorAccessDenied", ""},
		{"unknown folder", subBody("me/mailFolders('nope')/messages", r.srv.URL, "created", hour, ""), 404, "ErrorItemNotFound", ""},
		{"no permission", subBody("teams/T/channels/C/messages", r.srv.URL, "created", now.Add(30*time.Minute), ""), 403, "ExtensionError", "ChannelMessage.Read.All"},
		{"bad content type", subBody("me/messages", r.srv.URL, "created", hour, `,"notificationContentType":"text/xml"`), 400, "InvalidRequest", "application/json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, s, "POST", "/v1.0/subscriptions", tok, tc.body)
			if res.status != tc.status || res.errCode() != tc.code || !strings.Contains(res.errMessage(), tc.msg) {
				t.Fatalf("status %d %s %q, want %d %s containing %q", res.status, res.errCode(), res.errMessage(), tc.status, tc.code, tc.msg)
			}
		})
	}
	if n := len(do(t, s, "GET", "/v1.0/subscriptions", tok, "").values()); n != 0 {
		t.Fatalf("%d subscriptions after failed creations", n)
	}
}

func TestSubscriptionResources(t *testing.T) {
	s := Start(t)
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, subScopes+" Chat.Read ChannelMessage.Read.All Presence.Read.All")
	app := appToken(t, s)
	r := newReceiver(t)
	exp := s.Now().Add(50 * time.Minute)
	for _, tc := range []struct {
		tok, resource, changeType, topic string
	}{
		{tok, "me/mailFolders('Inbox')/messages", "created", "users/" + adele.ID + "/mailfolders/" + s.ensureMailbox(adele.ID).folderByKey("inbox").id + "/messages"},
		{tok, "/me/messages", "created,updated,deleted", "users/" + adele.ID + "/messages"},
		{tok, "/me/mailfolders('inbox')/messages?$filter=isRead eq false", "created", "users/" + adele.ID + "/mailfolders/" + s.ensureMailbox(adele.ID).folderByKey("inbox").id + "/messages"},
		{app, "users/" + adele.UPN + "/events", "created", "users/" + adele.ID + "/events"},
		{tok, "me/contacts", "updated", "users/" + adele.ID + "/contacts"},
		{tok, "me/todo/lists/L1/tasks", "created", "users/" + adele.ID + "/todo/lists/L1/tasks"},
		{tok, "/teams/T1/channels/19:c@thread.tacv2/messages", "created", "teams/T1/channels/19:c@thread.tacv2/messages"},
		{tok, "/chats/19:abc@thread.v2/messages", "created", "chats/19:abc@thread.v2/messages"},
		{tok, "communications/presences/" + adele.UPN, "updated", "communications/presences/" + adele.ID},
		{tok, "/communications/presences?$filter=id in ('" + adele.ID + "')", "updated", "communications/presences/" + adele.ID},
	} {
		res := do(t, s, "POST", "/v1.0/subscriptions", tc.tok, subBody(tc.resource, r.srv.URL, tc.changeType, exp, ""))
		if res.status != 201 {
			t.Fatalf("%s: %d %s", tc.resource, res.status, res.body)
		}
		s.subs.mu.Lock()
		got := s.subs.subs[res.json["id"].(string)].topics
		s.subs.mu.Unlock()
		if len(got) != 1 || got[0] != tc.topic {
			t.Errorf("%s: topics %v, want %s", tc.resource, got, tc.topic)
		}
		if res.json["resource"] != tc.resource {
			t.Errorf("resource echoed as %v", res.json["resource"])
		}
	}
}

func TestSubscriptionHandshake(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, subScopes)
	s.SetNotificationDelivery(NotificationDelivery{HandshakeTimeout: 200 * time.Millisecond})
	exp := s.Now().Add(time.Hour)

	ok := newReceiver(t)
	res := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/messages", ok.srv.URL+"/hook?x=1", "created", exp, ""))
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	if len(ok.tokens) != 1 || !strings.HasPrefix(ok.tokens[0], "Validation: Testing client application reachability") {
		t.Fatalf("validation tokens %q", ok.tokens)
	}

	wrong := newReceiver(t)
	wrong.echo = func(string) string { return "something else" }
	res = do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/messages", wrong.srv.URL, "created", exp, ""))
	if res.status != 400 || !strings.Contains(res.errMessage(), "must respond with 200 OK") {
		t.Fatalf("wrong token: %d %s", res.status, res.body)
	}

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	res = do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/messages", down.URL, "created", exp, ""))
	if res.status != 400 || res.errCode() != "InvalidRequest" {
		t.Fatalf("receiver down: %d %s", res.status, res.body)
	}

	slow := newReceiver(t)
	slow.block = make(chan struct{})
	res = do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/messages", slow.srv.URL, "created", exp, ""))
	if res.status != 400 || res.errMessage() != "Subscription validation request timed out." {
		t.Fatalf("slow receiver: %d %s", res.status, res.body)
	}

	// The lifecycle URL is validated too.
	res = do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/messages", ok.srv.URL, "created", exp, `,"lifecycleNotificationUrl":"`+down.URL+`"`))
	if res.status != 400 {
		t.Fatalf("lifecycle receiver down: %d %s", res.status, res.body)
	}
}

func TestSubscriptionCRUD(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, subScopes)
	r := newReceiver(t)
	exp := s.Now().Add(time.Hour).Truncate(time.Second)
	var ids []string
	for range 3 {
		res := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/messages", r.srv.URL, "created", exp, ""))
		if res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		if res.json["applicationId"] != s.PublicClientID() || res.json["creatorId"] != adele.ID || res.json["latestSupportedTlsVersion"] != "v1_2" {
			t.Errorf("created: %s", res.body)
		}
		ids = append(ids, res.json["id"].(string))
	}
	sort.Strings(ids)

	// Every page.
	var got []string
	next := "/v1.0/subscriptions?$top=2"
	pages := 0
	for next != "" {
		res := do(t, s, "GET", next, tok, "")
		if res.status != 200 {
			t.Fatalf("list: %d %s", res.status, res.body)
		}
		for _, v := range res.values() {
			got = append(got, v["id"].(string))
		}
		next, _ = res.json["@odata.nextLink"].(string)
		pages++
	}
	if pages != 2 || strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Fatalf("%d pages: %v, want %v", pages, got, ids)
	}
	if res := do(t, s, "GET", "/v1.0/subscriptions?$skiptoken=bogus", tok, ""); res.status != 400 {
		t.Fatalf("bad skiptoken: %d", res.status)
	}

	id := ids[0]
	res := do(t, s, "GET", "/v1.0/subscriptions/"+id, tok, "")
	if res.status != 200 || res.json["clientState"] != "secretClientValue" || res.json["expirationDateTime"] != exp.UTC().Format("2006-01-02T15:04:05.0000000Z") {
		t.Fatalf("get: %d %s", res.status, res.body)
	}

	// Renew.
	newExp := s.Now().Add(3 * 24 * time.Hour).UTC().Format(time.RFC3339)
	res = do(t, s, "PATCH", "/v1.0/subscriptions/"+id, tok, `{"expirationDateTime":"`+newExp+`"}`)
	if res.status != 200 || !strings.HasPrefix(res.json["expirationDateTime"].(string), newExp[:19]) {
		t.Fatalf("renew: %d %s", res.status, res.body)
	}
	for _, tc := range []struct{ body, msg string }{
		{`{"expirationDateTime":"` + s.Now().Add(8*24*time.Hour).UTC().Format(time.RFC3339) + `"}`, "10080 minutes"},
		{`{"resource":"me/events"}`, "Only expirationDateTime"},
		{`{"notificationUrl":"http://example.com/x"}`, "https"},
	} {
		if res := do(t, s, "PATCH", "/v1.0/subscriptions/"+id, tok, tc.body); res.status != 400 || !strings.Contains(res.errMessage(), tc.msg) {
			t.Errorf("PATCH %s: %d %s", tc.body, res.status, res.body)
		}
	}
	// A new notificationUrl is validated.
	r2 := newReceiver(t)
	if res := do(t, s, "PATCH", "/v1.0/subscriptions/"+id, tok, `{"notificationUrl":"`+r2.srv.URL+`"}`); res.status != 200 || len(r2.tokens) != 1 {
		t.Fatalf("new url: %d %s", res.status, res.body)
	}

	if res := do(t, s, "POST", "/v1.0/subscriptions/"+id+"/reauthorize", tok, ""); res.status != 204 {
		t.Fatalf("reauthorize: %d %s", res.status, res.body)
	}

	// Another app, or another user, sees none of them.
	app := appToken(t, s)
	if res := do(t, s, "GET", "/v1.0/subscriptions/"+id, app, ""); res.status != 404 {
		t.Fatalf("other app get: %d", res.status)
	}
	if n := len(do(t, s, "GET", "/v1.0/subscriptions", app, "").values()); n != 0 {
		t.Fatalf("other app lists %d", n)
	}
	megan := tokenFor(t, s, "MeganB@contoso.onmicrosoft.com", subScopes)
	if res := do(t, s, "DELETE", "/v1.0/subscriptions/"+id, megan, ""); res.status != 404 {
		t.Fatalf("other user delete: %d", res.status)
	}

	if res := do(t, s, "DELETE", "/v1.0/subscriptions/"+id, tok, ""); res.status != 204 {
		t.Fatalf("delete: %d %s", res.status, res.body)
	}
	for _, m := range []string{"GET", "DELETE", "PATCH"} {
		if res := do(t, s, m, "/v1.0/subscriptions/"+id, tok, `{}`); res.status != 404 || res.errCode() != "ResourceNotFound" {
			t.Errorf("%s after delete: %d %s", m, res.status, res.body)
		}
	}
}

// TestSubscriptionMailDelivery: mail sent to a user shows up as a change
// notification at the user's receiver.
func TestSubscriptionMailDelivery(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, subScopes)
	megan, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	meganTok := tokenFor(t, s, megan.UPN, subScopes)
	r := newReceiver(t)
	res := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/mailFolders('Inbox')/messages", r.srv.URL, "created", s.Now().Add(time.Hour), ""))
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	subID := res.json["id"].(string)
	send := do(t, s, "POST", "/v1.0/me/sendMail", meganTok,
		`{"message":{"subject":"Lunch?","body":{"contentType":"Text","content":"Noon"},"toRecipients":[{"emailAddress":{"address":"`+adele.Mail+`"}}]}}`)
	if send.status != 202 {
		t.Fatalf("sendMail: %d %s", send.status, send.body)
	}
	n := r.next(t)
	if n["subscriptionId"] != subID || n["clientState"] != "secretClientValue" || n["changeType"] != "created" || n["tenantId"] != s.TenantID() {
		t.Fatalf("notification %v", n)
	}
	rd := n["resourceData"].(map[string]any)
	if rd["@odata.type"] != "#Microsoft.Graph.Message" || rd["@odata.id"] != n["resource"] || rd["@odata.etag"] == nil {
		t.Fatalf("resourceData %v", rd)
	}
	got := do(t, s, "GET", "/v1.0/"+n["resource"].(string), tok, "")
	if got.status != 200 || got.json["subject"] != "Lunch?" {
		t.Fatalf("GET %s: %d %.200s", n["resource"], got.status, got.body)
	}
	// Megan's sent copy is not in Adele's inbox: nothing else arrives for it,
	// and updates are not subscribed.
	do(t, s, "PATCH", "/v1.0/me/messages/"+rd["id"].(string), tok, `{"isRead":true}`)
	select {
	case n := <-r.notes:
		t.Fatalf("unexpected notification %v", n)
	default:
	}
}

// TestSubscriptionAreas: events, contacts and To Do tasks publish their
// changes.
func TestSubscriptionAreas(t *testing.T) {
	s := Start(t)
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, subScopes)
	r := newReceiver(t)
	exp := s.Now().Add(time.Hour)
	list := do(t, s, "POST", "/v1.0/me/todo/lists", tok, `{"displayName":"Errands"}`)
	listID := list.json["id"].(string)
	for _, res := range []string{"me/events", "me/contacts", "me/todo/lists/" + listID + "/tasks", "me/messages"} {
		if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody(res, r.srv.URL, "created,updated,deleted", exp, "")); c.status != 201 {
			t.Fatalf("%s: %d %s", res, c.status, c.body)
		}
	}
	check := func(typ, odataType string) string {
		t.Helper()
		n := r.next(t)
		rd := n["resourceData"].(map[string]any)
		if n["changeType"] != typ || rd["@odata.type"] != odataType {
			t.Fatalf("got %v %v, want %s %s", n["changeType"], rd["@odata.type"], typ, odataType)
		}
		return rd["id"].(string)
	}
	ev := do(t, s, "POST", "/v1.0/me/events", tok, `{"subject":"Sync","start":{"dateTime":"2026-12-01T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-01T11:00:00","timeZone":"UTC"}}`)
	id := check("created", "#Microsoft.Graph.Event")
	if id != ev.json["id"] {
		t.Fatalf("event id %s", id)
	}
	do(t, s, "PATCH", "/v1.0/me/events/"+id, tok, `{"subject":"Sync 2"}`)
	check("updated", "#Microsoft.Graph.Event")
	do(t, s, "DELETE", "/v1.0/me/events/"+id, tok, "")
	check("deleted", "#Microsoft.Graph.Event")

	ct := do(t, s, "POST", "/v1.0/me/contacts", tok, `{"givenName":"Pavel"}`)
	cid := check("created", "#Microsoft.Graph.Contact")
	if cid != ct.json["id"] {
		t.Fatal("contact id")
	}
	do(t, s, "PATCH", "/v1.0/me/contacts/"+cid, tok, `{"surname":"Bansky"}`)
	check("updated", "#Microsoft.Graph.Contact")
	do(t, s, "DELETE", "/v1.0/me/contacts/"+cid, tok, "")
	check("deleted", "#Microsoft.Graph.Contact")

	do(t, s, "POST", "/v1.0/me/todo/lists/"+listID+"/tasks", tok, `{"title":"Milk"}`)
	tid := check("created", "#Microsoft.Graph.todoTask")
	do(t, s, "PATCH", "/v1.0/me/todo/lists/"+listID+"/tasks/"+tid, tok, `{"status":"completed"}`)
	check("updated", "#Microsoft.Graph.todoTask")
	do(t, s, "DELETE", "/v1.0/me/todo/lists/"+listID+"/tasks/"+tid, tok, "")
	check("deleted", "#Microsoft.Graph.todoTask")

	msg := do(t, s, "POST", "/v1.0/me/messages", tok, `{"subject":"Draft"}`)
	mid := check("created", "#Microsoft.Graph.Message")
	if mid != msg.json["id"] {
		t.Fatal("message id")
	}
	do(t, s, "PATCH", "/v1.0/me/messages/"+mid, tok, `{"subject":"Draft 2"}`)
	check("updated", "#Microsoft.Graph.Message")
	do(t, s, "DELETE", "/v1.0/me/messages/"+mid, tok, "")
	check("deleted", "#Microsoft.Graph.Message")
}

// TestSubscriptionRetries: a receiver that fails, is slow, or is down and
// comes back still gets every notification.
func TestSubscriptionRetries(t *testing.T) {
	s := Start(t)
	s.SetNotificationDelivery(NotificationDelivery{RetryBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Timeout: 100 * time.Millisecond})
	tok := tokenFor(t, s, s.DefaultUser().UPN, subScopes)

	t.Run("failing", func(t *testing.T) {
		r := newReceiver(t)
		if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", r.srv.URL, "created", s.Now().Add(time.Hour), "")); c.status != 201 {
			t.Fatalf("%d %s", c.status, c.body)
		}
		r.mu.Lock()
		r.fail = 3
		r.mu.Unlock()
		do(t, s, "POST", "/v1.0/me/contacts", tok, `{"givenName":"Retry"}`)
		r.next(t)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.posts != 4 {
			t.Fatalf("%d deliveries, want 4 (3 failed, 1 accepted)", r.posts)
		}
	})
	t.Run("slow", func(t *testing.T) {
		r := newReceiver(t)
		if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/events", r.srv.URL, "created", s.Now().Add(time.Hour), "")); c.status != 201 {
			t.Fatalf("%d %s", c.status, c.body)
		}
		before := s.NotificationAttempts()
		r.mu.Lock()
		r.block = make(chan struct{})
		r.mu.Unlock()
		do(t, s, "POST", "/v1.0/me/events", tok, `{"subject":"Slow","start":{"dateTime":"2026-12-01T10:00:00","timeZone":"UTC"},"end":{"dateTime":"2026-12-01T11:00:00","timeZone":"UTC"}}`)
		for s.NotificationAttempts()-before < 2 { // at least one timed out
			runtime.Gosched()
			time.Sleep(time.Millisecond)
		}
		r.release()
		if n := r.next(t); n["changeType"] != "created" {
			t.Fatalf("%v", n)
		}
	})
	t.Run("down then back", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		r := &testReceiver{notes: make(chan map[string]any, 10)}
		hs := &http.Server{Handler: http.HandlerFunc(r.serve)}
		go func() { _ = hs.Serve(ln) }()
		if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", "http://"+addr+"/hook", "created", s.Now().Add(time.Hour), "")); c.status != 201 {
			t.Fatalf("%d %s", c.status, c.body)
		}
		_ = hs.Close() // down
		before := s.NotificationAttempts()
		do(t, s, "POST", "/v1.0/me/contacts", tok, `{"givenName":"Down"}`)
		for s.NotificationAttempts()-before < 2 {
			time.Sleep(time.Millisecond)
		}
		ln2, err := net.Listen("tcp", addr) // back
		if err != nil {
			t.Skipf("cannot listen on %s again: %v", addr, err)
		}
		hs2 := &http.Server{Handler: http.HandlerFunc(r.serve)}
		go func() { _ = hs2.Serve(ln2) }()
		defer hs2.Close()
		if n := r.next(t); n["changeType"] != "created" {
			t.Fatalf("%v", n)
		}
	})
}

// TestSubscriptionBatching: notifications queued while the receiver is
// busy go out together in one POST.
func TestSubscriptionBatching(t *testing.T) {
	s := Start(t)
	fastDelivery(s)
	tok := tokenFor(t, s, s.DefaultUser().UPN, subScopes)
	r := newReceiver(t)
	if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", r.srv.URL, "created", s.Now().Add(time.Hour), "")); c.status != 201 {
		t.Fatalf("%d %s", c.status, c.body)
	}
	r.mu.Lock()
	r.block = make(chan struct{})
	r.mu.Unlock()
	for i := range 5 {
		do(t, s, "POST", "/v1.0/me/contacts", tok, fmt.Sprintf(`{"givenName":"N%d"}`, i))
	}
	r.release()
	for range 5 {
		r.next(t)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.posts > 2 {
		t.Fatalf("%d POSTs for 5 notifications", r.posts)
	}
}

// TestSubscriptionLifecycle: reauthorizationRequired before expiry,
// subscriptionRemoved at expiry, missed after deliveries are given up, on
// the server clock.
func TestSubscriptionLifecycle(t *testing.T) {
	clock := NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Now = clock.Now; o.AccessTokenLifetime = 30 * 24 * time.Hour })
	fastDelivery(s)
	tok := tokenFor(t, s, s.DefaultUser().UPN, subScopes)
	r := newReceiver(t)
	life := newReceiver(t)
	c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", r.srv.URL, "created", clock.Now().Add(time.Hour), `,"lifecycleNotificationUrl":"`+life.srv.URL+`"`))
	if c.status != 201 {
		t.Fatalf("%d %s", c.status, c.body)
	}
	id := c.json["id"].(string)

	clock.Advance(50 * time.Minute)
	s.CheckSubscriptions()
	n := life.next(t)
	if n["lifecycleEvent"] != "reauthorizationRequired" || n["subscriptionId"] != id || n["clientState"] != "secretClientValue" {
		t.Fatalf("lifecycle %v", n)
	}
	s.CheckSubscriptions() // only once
	if res := do(t, s, "POST", "/v1.0/subscriptions/"+id+"/reauthorize", tok, ""); res.status != 204 {
		t.Fatalf("reauthorize %d", res.status)
	}

	// Deliveries failing for longer than RetryFor are dropped: missed.
	r.mu.Lock()
	r.fail = 1 << 30
	r.mu.Unlock()
	before := s.NotificationAttempts()
	do(t, s, "POST", "/v1.0/me/contacts", tok, `{"givenName":"Lost"}`)
	for s.NotificationAttempts()-before < 1 {
		time.Sleep(time.Millisecond)
	}
	clock.Advance(5 * time.Hour) // past RetryFor (4h) and past the expiry
	n = life.next(t)
	if n["lifecycleEvent"] != "missed" && n["lifecycleEvent"] != "subscriptionRemoved" {
		t.Fatalf("lifecycle %v", n)
	}
	s.CheckSubscriptions()
	events := map[any]bool{n["lifecycleEvent"]: true}
	for !events["missed"] || !events["subscriptionRemoved"] {
		events[life.next(t)["lifecycleEvent"]] = true
	}
	if res := do(t, s, "GET", "/v1.0/subscriptions/"+id, tok, ""); res.status != 404 {
		t.Fatalf("expired subscription: %d", res.status)
	}
}

// TestSubscriptionExpiredOnRead: an expired subscription is gone from GET
// and list even before the sweep runs.
func TestSubscriptionExpiredOnRead(t *testing.T) {
	clock := NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Now = clock.Now; o.AccessTokenLifetime = 30 * 24 * time.Hour })
	tok := tokenFor(t, s, s.DefaultUser().UPN, subScopes)
	r := newReceiver(t)
	c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", r.srv.URL, "created", clock.Now().Add(time.Hour), ""))
	clock.Advance(time.Hour)
	if res := do(t, s, "GET", "/v1.0/subscriptions/"+c.json["id"].(string), tok, ""); res.status != 404 {
		t.Fatalf("GET: %d", res.status)
	}
	if n := len(do(t, s, "GET", "/v1.0/subscriptions", tok, "").values()); n != 0 {
		t.Fatalf("list: %d", n)
	}
}

// TestSubscriptionNoGoroutineLeak: Close stops the delivery goroutine and
// any delivery in flight.
func TestSubscriptionNoGoroutineLeak(t *testing.T) {
	r := newReceiver(t)
	base := runtime.NumGoroutine()
	s, err := New(Options{AutoApprove: true, SigningKey: mustKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	tok := tokenFor(t, s, s.DefaultUser().UPN, subScopes)
	if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", r.srv.URL, "created", s.Now().Add(time.Hour), "")); c.status != 201 {
		t.Fatalf("%d %s", c.status, c.body)
	}
	r.mu.Lock()
	r.block = make(chan struct{}) // a delivery is in flight at Close
	r.mu.Unlock()
	do(t, s, "POST", "/v1.0/me/contacts", tok, `{"givenName":"Leak"}`)
	for s.NotificationAttempts() == 0 && inflight(s) == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after Close, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

func inflight(s *Server) int {
	s.subs.mu.Lock()
	defer s.subs.mu.Unlock()
	n := 0
	for _, b := range s.subs.boxes {
		if b.inflight {
			n++
		}
	}
	return n
}

func mustKey(t *testing.T) *rsa.PrivateKey {
	k, err := testSigningKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSubscriptionFidelity replays the documented subscription examples
// against a loopback receiver and compares status and shape.
func TestSubscriptionFidelity(t *testing.T) {
	s := Start(t)
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, subScopes)
	r := newReceiver(t)
	skip := map[string]string{
		"universal-print-webhook-notifications.md": "print resources are not emulated",
		"webhooks-with-resource-data.md":           "rich notifications (includeResourceData) are not emulated",
	}
	replayed := 0
	for _, ex := range graphspec.Examples("subscriptions") {
		name := fmt.Sprintf("%s:%d", ex.Source, ex.Line)
		if why, ok := skip[ex.Source[strings.LastIndex(ex.Source, "/")+1:]]; ok {
			t.Logf("skipped %s: %s", name, why)
			continue
		}
		t.Run(name, func(t *testing.T) {
			// A fresh subscription for the routes that need one.
			fresh := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/messages", r.srv.URL, "created,updated", s.Now().Add(time.Hour), ""))
			if fresh.status != 201 {
				t.Fatalf("create: %d %s", fresh.status, fresh.body)
			}
			path := strings.Replace(ex.Path, "{id}", fresh.json["id"].(string), 1)
			body := ""
			if m, ok := ex.RequestBody.(map[string]any); ok {
				if _, ok := m["notificationUrl"]; ok {
					m["notificationUrl"] = r.srv.URL + "/api/send/myNotifyClient"
				}
				if _, ok := m["expirationDateTime"]; ok {
					m["expirationDateTime"] = s.Now().Add(2 * time.Hour).UTC().Format("2006-01-02T15:04:05.0000000Z")
				}
				body = mustJSON(m)
			}
			res := do(t, s, ex.Method, path, tok, body)
			want := ex.ResponseStatus
			if want == 0 {
				want = map[string]int{"POST": 201, "PATCH": 200, "DELETE": 204}[ex.Method]
			}
			if res.status != want {
				t.Fatalf("%s %s: %d, documented %d: %s", ex.Method, path, res.status, want, res.body)
			}
			if docObj, ok := ex.ResponseBody.(map[string]any); ok && ex.ResponseStatus != 0 {
				var problems []string
				compareShape("", docObj, res.json, &problems)
				if len(problems) > 0 {
					t.Errorf("shape differs:\n  %s", strings.Join(problems, "\n  "))
				}
			}
			if ex.Method == "DELETE" {
				// The example's body is a notification: it decodes into what the
				// emulator sends.
				if docObj, ok := ex.ResponseBody.(map[string]any); ok {
					b, _ := json.Marshal(docObj["value"].([]any)[0])
					var n changeNotification
					if err := json.Unmarshal(b, &n); err != nil || n.ResourceData.ODataType == "" || n.SubscriptionID == "" {
						t.Errorf("documented notification: %v %+v", err, n)
					}
				}
			}
		})
		replayed++
	}
	if replayed < 5 {
		t.Errorf("only %d documented examples replayed", replayed)
	}
}

// TestSubscriptionOtherAreas: drive items and presence publish to the
// topics their subscriptions watch; drive changes arrive as "updated".
func TestSubscriptionOtherAreas(t *testing.T) {
	s := Start(t, func(o *Options) { o.Seed = "demo" })
	adele := s.DefaultUser()
	tok := tokenFor(t, s, adele.UPN, "Files.ReadWrite Presence.Read.All Presence.ReadWrite User.Read")
	r := newReceiver(t)
	for _, res := range []string{"me/drive/root", "communications/presences/" + adele.ID} {
		if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody(res, r.srv.URL, "updated", s.Now().Add(50*time.Minute), "")); c.status != 201 {
			t.Fatalf("%s: %d %s", res, c.status, c.body)
		}
	}
	if c := do(t, s, "POST", "/v1.0/me/drive/root/children", tok, `{"name":"Plans","folder":{}}`); c.status != 201 {
		t.Fatalf("create folder: %d %s", c.status, c.body)
	}
	n := r.next(t)
	if n["changeType"] != "updated" || n["resourceData"].(map[string]any)["@odata.type"] != "#Microsoft.Graph.DriveItem" {
		t.Fatalf("drive notification %v", n)
	}
	if c := do(t, s, "POST", "/v1.0/me/presence/setUserPreferredPresence", tok, `{"availability":"DoNotDisturb","activity":"DoNotDisturb","expirationDuration":"PT1H"}`); c.status/100 != 2 {
		t.Fatalf("set presence: %d %s", c.status, c.body)
	}
	n = r.next(t)
	if n["changeType"] != "updated" || !strings.Contains(strings.ToLower(n["resourceData"].(map[string]any)["@odata.type"].(string)), "presence") {
		t.Fatalf("presence notification %v", n)
	}
}

// TestSubscriptionQueueBound: a receiver that cannot keep up does not make
// the queue grow without bound; the overflow is reported once as missed.
func TestSubscriptionQueueBound(t *testing.T) {
	s := Start(t)
	tok := tokenFor(t, s, s.DefaultUser().UPN, subScopes)
	r := newReceiver(t)
	life := newReceiver(t)
	if c := do(t, s, "POST", "/v1.0/subscriptions", tok, subBody("me/contacts", r.srv.URL, "created", s.Now().Add(time.Hour), `,"lifecycleNotificationUrl":"`+life.srv.URL+`"`)); c.status != 201 {
		t.Fatalf("%d %s", c.status, c.body)
	}
	r.mu.Lock()
	r.block = make(chan struct{})
	r.mu.Unlock()
	uid := s.DefaultUser().ID
	for i := range maxOutbox + 200 {
		s.publish(change{Topics: []string{"users/" + uid + "/contacts"}, Type: "created", Resource: fmt.Sprint("Users/", uid, "/Contacts/", i), ID: fmt.Sprint(i)})
	}
	s.subs.mu.Lock()
	queued := 0
	for _, b := range s.subs.boxes {
		if !b.lifecycle {
			queued = len(b.items)
		}
	}
	s.subs.mu.Unlock()
	if queued > maxOutbox {
		t.Fatalf("%d queued", queued)
	}
	if n := life.next(t); n["lifecycleEvent"] != "missed" {
		t.Fatalf("lifecycle %v", n)
	}
	select {
	case n := <-life.notes:
		t.Fatalf("a second lifecycle notification: %v", n)
	case <-time.After(50 * time.Millisecond):
	}
}
