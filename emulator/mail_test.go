package emulator

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const fullMail = "Mail.ReadWrite Mail.Send MailboxSettings.ReadWrite User.Read"

// mailServer starts an emulator with Adele (default) and Bob, and tokens
// for both.
func mailServer(t *testing.T, opts ...func(*Options)) (s *Server, adele, bob User, ta, tb string) {
	t.Helper()
	s = Start(t, opts...)
	adele = s.DefaultUser()
	bob = s.AddUser(User{UPN: "BobK@contoso.onmicrosoft.com", DisplayName: "Bob Kelly"})
	return s, adele, bob, tokenFor(t, s, adele.UPN, fullMail), tokenFor(t, s, bob.UPN, fullMail)
}

func mustStatus(t *testing.T, r *result, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %.400s", r.status, want, r.body)
	}
}

func TestMailFolderWrites(t *testing.T) {
	s, _, _, tok, _ := mailServer(t)
	r := do(t, s, "POST", "/v1.0/me/mailFolders", tok, `{"displayName":"Projects"}`)
	mustStatus(t, r, 201)
	pid := r.json["id"].(string)
	child := do(t, s, "POST", "/v1.0/me/mailFolders/"+pid+"/childFolders", tok, `{"displayName":"Falcon"}`)
	mustStatus(t, child, 201)
	cid := child.json["id"].(string)
	if got := do(t, s, "GET", "/v1.0/me/mailFolders/"+pid, tok, "").json["childFolderCount"]; got != 1.0 {
		t.Errorf("childFolderCount = %v", got)
	}
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"duplicate", "POST", "/v1.0/me/mailFolders", `{"displayName":"projects"}`, 409, "ErrorFolderExists"},
		{"empty name", "POST", "/v1.0/me/mailFolders", `{"displayName":""}`, 400, "ErrorInvalidParameter"},
		{"unknown property", "POST", "/v1.0/me/mailFolders", `{"displayName":"x","colour":"red"}`, 400, "RequestBodyRead"},
		{"rename", "PATCH", "/v1.0/me/mailFolders/" + pid, `{"displayName":"Projects 2026"}`, 200, ""},
		{"rename to sibling", "PATCH", "/v1.0/me/mailFolders/" + pid, `{"displayName":"Inbox"}`, 409, "ErrorFolderExists"},
		{"read-only", "PATCH", "/v1.0/me/mailFolders/" + pid, `{"totalItemCount":3}`, 400, "ErrorInvalidPropertySet"},
		{"get child", "GET", "/v1.0/me/mailFolders/" + pid + "/childFolders/" + cid, "", 200, ""},
		{"move into own child", "POST", "/v1.0/me/mailFolders/" + pid + "/move", `{"destinationId":"` + cid + `"}`, 400, "ErrorMoveCopyFailed"},
		{"move", "POST", "/v1.0/me/mailFolders/" + cid + "/move", `{"destinationId":"archive"}`, 201, ""},
		{"copy", "POST", "/v1.0/me/mailFolders/" + pid + "/copy", `{"destinationId":"deleteditems"}`, 201, ""},
		{"copy to missing", "POST", "/v1.0/me/mailFolders/" + pid + "/copy", `{"destinationId":"AAMkAnothere"}`, 404, "ErrorItemNotFound"},
		{"delete well-known", "DELETE", "/v1.0/me/mailFolders/inbox", "", 403, "ErrorDeleteDistinguishedFolder"},
		{"delete", "DELETE", "/v1.0/me/mailFolders/" + pid, "", 204, ""},
		{"deleted", "GET", "/v1.0/me/mailFolders/" + pid, "", 404, "ErrorItemNotFound"},
		{"hidden well-known", "GET", "/v1.0/me/mailFolders/recoverableitemsdeletions", "", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, tc.method, tc.path, tok, tc.body)
			mustStatus(t, r, tc.status)
			if r.errCode() != tc.code {
				t.Errorf("code %q, want %q", r.errCode(), tc.code)
			}
		})
	}
	if got := do(t, s, "GET", "/v1.0/me/mailFolders/archive", tok, "").json["childFolderCount"]; got != 1.0 {
		t.Errorf("archive childFolderCount after move = %v", got)
	}
	if n := len(do(t, s, "GET", "/v1.0/me/mailFolders?$top=50", tok, "").values()); n != 8 {
		t.Errorf("%d visible top-level folders, want 8", n)
	}
}

func TestDraftWriteSendDeliver(t *testing.T) {
	s, adele, bob, ta, tb := mailServer(t)
	d := do(t, s, "POST", "/v1.0/me/messages", ta, `{"subject":"Lunch?","body":{"contentType":"HTML","content":"<p>Noon at <b>Contoso</b> café</p>"},
		"toRecipients":[{"emailAddress":{"address":"`+bob.UPN+`"}}],"ccRecipients":[{"emailAddress":{"address":"partner@fabrikam.com"}}],"id":"ignored"}`)
	mustStatus(t, d, 201)
	if d.json["isDraft"] != true || d.json["id"] == "ignored" || d.json["bodyPreview"] != "Noon at Contoso café" {
		t.Fatalf("draft: %s", d.body)
	}
	id, etag := d.json["id"].(string), d.json["@odata.etag"].(string)
	p := do(t, s, "PATCH", "/v1.0/me/messages/"+id, ta, `{"subject":"Lunch tomorrow?","importance":"high"}`, "If-Match", etag)
	mustStatus(t, p, 200)
	if p.json["@odata.etag"] == etag || p.json["subject"] != "Lunch tomorrow?" {
		t.Fatalf("etag not changed or subject not set: %s", p.body)
	}
	for _, tc := range []struct {
		name, body, ifMatch string
		status              int
		code                string
	}{
		{"stale etag", `{"isRead":false}`, etag, 412, "ErrorIrresolvableConflict"},
		{"read-only", `{"createdDateTime":"2020-01-01T00:00:00Z"}`, "", 400, "ErrorInvalidPropertySet"},
		{"unknown", `{"colour":"red"}`, "", 400, "RequestBodyRead"},
		{"bad importance", `{"importance":"urgent"}`, "", 400, "BadRequest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h []string
			if tc.ifMatch != "" {
				h = []string{"If-Match", tc.ifMatch}
			}
			r := do(t, s, "PATCH", "/v1.0/me/messages/"+id, ta, tc.body, h...)
			mustStatus(t, r, tc.status)
			if r.errCode() != tc.code {
				t.Errorf("code %q, want %q", r.errCode(), tc.code)
			}
		})
	}
	content := []byte("hello attachment")
	a := do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments", ta,
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.txt","contentBytes":"`+base64.StdEncoding.EncodeToString(content)+`"}`)
	mustStatus(t, a, 201)
	big := base64.StdEncoding.EncodeToString(make([]byte, 3<<20+1))
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments", ta,
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"big.bin","contentBytes":"`+big+`"}`), 413)
	if got := do(t, s, "GET", "/v1.0/me/messages/"+id, ta, "").json["hasAttachments"]; got != true {
		t.Errorf("hasAttachments = %v", got)
	}
	// Sending without Mail.Send is forbidden.
	noSend := tokenFor(t, s, adele.UPN, "Mail.ReadWrite")
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+id+"/send", noSend, ""), 403)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+id+"/send", ta, ""), 202)
	mustStatus(t, do(t, s, "GET", "/v1.0/me/messages/"+id, ta, ""), 404)

	inbox := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages", tb, "").values()
	if len(inbox) != 1 || inbox[0]["subject"] != "Lunch tomorrow?" || inbox[0]["isRead"] != false {
		t.Fatalf("Bob's inbox: %v", inbox)
	}
	if _, addr := addressOf(inbox[0]["from"]); addr != adele.Mail {
		t.Errorf("from %s", addr)
	}
	got := do(t, s, "GET", "/v1.0/me/messages/"+inbox[0]["id"].(string)+"/attachments/"+"x", tb, "")
	mustStatus(t, got, 404)
	atts := do(t, s, "GET", "/v1.0/me/messages/"+inbox[0]["id"].(string)+"/attachments", tb, "").values()
	if len(atts) != 1 || atts[0]["contentBytes"] != base64.StdEncoding.EncodeToString(content) {
		t.Fatalf("delivered attachments: %v", atts)
	}
	raw := do(t, s, "GET", "/v1.0/me/messages/"+inbox[0]["id"].(string)+"/attachments/"+atts[0]["id"].(string)+"/$value", tb, "")
	if !bytes.Equal(raw.body, content) {
		t.Errorf("$value = %q", raw.body)
	}
	hdrs := do(t, s, "GET", "/v1.0/me/messages/"+inbox[0]["id"].(string)+"?$select=internetMessageHeaders", tb, "")
	if !strings.Contains(string(hdrs.body), `"Message-ID"`) {
		t.Errorf("no internet message headers: %s", hdrs.body)
	}
	if n := s.MailboxMessageCount(adele.UPN, "sentitems"); n != 1 {
		t.Errorf("sent items: %d", n)
	}
	if n := s.MailboxMessageCount(adele.UPN, "drafts"); n != 0 {
		t.Errorf("drafts: %d", n)
	}
	out := s.Outbound()
	if len(out) != 1 || !cmp.Equal(out[0].Outside, []string{"partner@fabrikam.com"}) || out[0].Attachments[0] != "a.txt" {
		t.Errorf("outbound: %+v", out)
	}
}

func TestMoveCopyIDs(t *testing.T) {
	s, adele, _, ta, _ := mailServer(t)
	if err := s.SeedMessages(adele.UPN, 3); err != nil {
		t.Fatal(err)
	}
	msgs := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages", ta, "").values()
	id := msgs[0]["id"].(string)
	m := do(t, s, "POST", "/v1.0/me/messages/"+id+"/move", ta, `{"destinationId":"archive"}`)
	mustStatus(t, m, 201)
	moved := m.json["id"].(string)
	if moved == id {
		t.Fatal("id unchanged by a move without immutable ids")
	}
	mustStatus(t, do(t, s, "GET", "/v1.0/me/messages/"+id, ta, ""), 404)
	im := do(t, s, "POST", "/v1.0/me/messages/"+moved+"/move", ta, `{"destinationId":"inbox"}`, "Prefer", `IdType="ImmutableId"`)
	mustStatus(t, im, 201)
	if im.json["id"] != moved || im.header.Get("Preference-Applied") != `IdType="ImmutableId"` {
		t.Fatalf("immutable move: id %v, Preference-Applied %q", im.json["id"], im.header.Get("Preference-Applied"))
	}
	cp := do(t, s, "POST", "/v1.0/me/messages/"+moved+"/copy", ta, `{"destinationId":"drafts"}`)
	mustStatus(t, cp, 201)
	if cp.json["id"] == moved {
		t.Error("copy kept the id")
	}
	if n := s.MailboxMessageCount(adele.UPN, "inbox"); n != 3 {
		t.Errorf("inbox count %d", n)
	}
	f := do(t, s, "GET", "/v1.0/me/mailFolders/inbox", ta, "")
	if f.json["totalItemCount"] != 3.0 {
		t.Errorf("totalItemCount %v", f.json["totalItemCount"])
	}
	mustStatus(t, do(t, s, "DELETE", "/v1.0/me/messages/"+moved, ta, ""), 204)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+cp.json["id"].(string)+"/permanentDelete", ta, ""), 204)
	if n := s.MailboxMessageCount(adele.UPN, "inbox"); n != 2 {
		t.Errorf("inbox count after delete %d", n)
	}
}

func TestSendMailAndReplies(t *testing.T) {
	s, adele, bob, ta, tb := mailServer(t)
	r := do(t, s, "POST", "/v1.0/me/sendMail", ta, `{"message":{"subject":"Budget","body":{"contentType":"Text","content":"Numbers attached."},
		"toRecipients":[{"emailAddress":{"address":"`+bob.UPN+`"}}]},"saveToSentItems":false}`)
	mustStatus(t, r, 202)
	if n := s.MailboxMessageCount(adele.UPN, "sentitems"); n != 0 {
		t.Errorf("saveToSentItems false, sent items %d", n)
	}
	mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", ta, `{"message":{"subject":"x"}}`), 400)
	inbox := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages", tb, "").values()
	if len(inbox) != 1 {
		t.Fatalf("Bob's inbox: %d", len(inbox))
	}
	mid := inbox[0]["id"].(string)
	cr := do(t, s, "POST", "/v1.0/me/messages/"+mid+"/createReply", tb, `{"comment":"Looks good"}`)
	mustStatus(t, cr, 201)
	if cr.json["subject"] != "RE: Budget" || cr.json["isDraft"] != true || !strings.Contains(cr.json["body"].(map[string]any)["content"].(string), "Looks good") {
		t.Fatalf("createReply: %s", cr.body)
	}
	if to := recipientsOf(cr.json["toRecipients"]); len(to) != 1 || !strings.EqualFold(to[0].addr, adele.Mail) {
		t.Errorf("reply to %v", to)
	}
	fw := do(t, s, "POST", "/v1.0/me/messages/"+mid+"/createForward", tb, `{"toRecipients":[{"emailAddress":{"address":"x@fabrikam.com"}}]}`)
	mustStatus(t, fw, 201)
	if fw.json["subject"] != "FW: Budget" {
		t.Errorf("forward subject %v", fw.json["subject"])
	}
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+mid+"/reply", tb, `{"comment":"Thanks!"}`), 202)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+mid+"/forward", tb, `{"comment":"fyi"}`), 400)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+mid+"/forward", tb, `{"comment":"fyi","toRecipients":[{"emailAddress":{"address":"x@fabrikam.com"}}]}`), 202)
	got := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages", ta, "").values()
	if len(got) != 1 || got[0]["subject"] != "RE: Budget" {
		t.Fatalf("Adele's inbox: %v", got)
	}

	// MIME: sendMail with a base64 message, then $value of the delivered copy.
	mimeMsg := "From: Adele <" + adele.Mail + ">\r\nTo: Bob <" + bob.UPN + ">\r\nSubject: =?utf-8?q?MIME_caf=C3=A9?=\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody text\r\n" +
		"--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte{1, 2, 3, 4}) + "\r\n--b1--\r\n"
	req := do(t, s, "POST", "/v1.0/me/sendMail", ta, base64.StdEncoding.EncodeToString([]byte(mimeMsg)), "Content-Type", "text/plain")
	mustStatus(t, req, 202)
	var mimeID string
	for _, m := range do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages", tb, "").values() {
		if m["subject"] == "MIME café" {
			mimeID = m["id"].(string)
		}
	}
	if mimeID == "" {
		t.Fatal("MIME message not delivered")
	}
	v := do(t, s, "GET", "/v1.0/me/messages/"+mimeID+"/$value", tb, "")
	mustStatus(t, v, 200)
	for _, want := range []string{"From: ", "To: ", "Subject: ", "Date: ", "Message-ID: ", "MIME-Version: 1.0", "multipart/mixed", `filename=data.bin`, "AQIDBA=="} {
		if !strings.Contains(string(v.body), want) {
			t.Errorf("$value lacks %q:\n%s", want, v.body)
		}
	}
	if p, err := parseMIME(v.body); err != nil || len(p.attachments) != 1 || !bytes.Equal(p.attachments[0].data, []byte{1, 2, 3, 4}) {
		t.Errorf("$value does not round-trip: %v", err)
	}
}

func TestSharedMailboxSend(t *testing.T) {
	s, adele, bob, _, _ := mailServer(t)
	shared := s.AddUser(User{UPN: "Sales@contoso.onmicrosoft.com", DisplayName: "Sales"})
	tok := tokenFor(t, s, adele.UPN, "Mail.ReadWrite Mail.Send Mail.Send.Shared Mail.ReadWrite.Shared")
	body := `{"message":{"subject":"From sales","from":{"emailAddress":{"address":"` + shared.UPN + `"}},"toRecipients":[{"emailAddress":{"address":"` + bob.UPN + `"}}]}}`
	r := do(t, s, "POST", "/v1.0/me/sendMail", tok, body)
	mustStatus(t, r, 403)
	if r.errCode() != "ErrorSendAsDenied" {
		t.Errorf("code %s", r.errCode())
	}
	mustStatus(t, do(t, s, "GET", "/v1.0/users/"+shared.UPN+"/messages", tok, ""), 403)
	if err := s.GrantSendOnBehalf(shared.UPN, adele.UPN); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", tok, body), 202)
	tb := tokenFor(t, s, bob.UPN, "Mail.Read")
	got := do(t, s, "GET", "/v1.0/me/messages", tb, "").values()
	_, from := addressOf(got[0]["from"])
	_, sender := addressOf(got[0]["sender"])
	if from != shared.Mail || sender != adele.Mail {
		t.Errorf("on behalf: from %s sender %s", from, sender)
	}
	if err := s.GrantSendAs(shared.UPN, adele.UPN); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantMailboxAccess(shared.UPN, adele.UPN); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+shared.UPN+"/sendMail", tok,
		`{"message":{"subject":"As sales","toRecipients":[{"emailAddress":{"address":"`+bob.UPN+`"}}]}}`), 202)
	if n := s.MailboxMessageCount(shared.UPN, "sentitems"); n != 1 {
		t.Errorf("shared sent items %d", n)
	}
	app := appToken(t, s)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", app, body), 400)
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+adele.UPN+"/sendMail", app,
		`{"message":{"subject":"app","toRecipients":[{"emailAddress":{"address":"`+bob.UPN+`"}}]}}`), 202)
}

// putChunk PUTs a chunk to an upload URL without Authorization.
func putChunk(url string, data []byte, first, total int64, hdr ...string) (*http.Response, []byte, error) {
	req, _ := http.NewRequest("PUT", url, bytes.NewReader(data))
	req.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", first, first+int64(len(data))-1, total))
	req.Header.Set("Content-Type", "application/octet-stream")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestUploadSession(t *testing.T) {
	clk := NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	s, adele, _, ta, _ := mailServer(t, func(o *Options) { o.Now = clk.Now })
	d := do(t, s, "POST", "/v1.0/me/messages", ta, `{"subject":"big"}`)
	id := d.json["id"].(string)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments/createUploadSession", ta,
		`{"AttachmentItem":{"attachmentType":"file","name":"small.bin","size":1000}}`), 400)
	const size = 20 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7 >> 3)
	}
	us := do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments/createUploadSession", ta,
		fmt.Sprintf(`{"AttachmentItem":{"attachmentType":"file","name":"big.bin","size":%d}}`, size))
	mustStatus(t, us, 201)
	url := us.json["uploadUrl"].(string)
	if !strings.Contains(url, "/api/v2.0/Users('") || !strings.Contains(url, "AttachmentSessions('") || us.json["nextExpectedRanges"].([]any)[0] != "0-" {
		t.Fatalf("session: %s", us.body)
	}
	const chunk = 4 << 20
	// With Authorization: refused.
	resp, _, err := putChunk(url, data[:chunk], 0, size, "Authorization", "Bearer "+ta)
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("PUT with Authorization: %v %v", resp, err)
	}
	resp, b, err := putChunk(url, data[:chunk], 0, size)
	if err != nil || resp.StatusCode != 200 || !strings.Contains(string(b), `"NextExpectedRanges":["4194304"]`) || !strings.Contains(string(b), `"ExpirationDateTime"`) {
		t.Fatalf("first chunk: %v %s %v", resp, b, err)
	}
	// The connection drops on the next PUT: nothing of it counts.
	if _, err := s.Faults().Add(Fault{Method: "PUT", Path: "/api/v2.0/", Kind: FaultDrop, Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := putChunk(url, data[chunk:2*chunk], chunk, size); err == nil {
		t.Fatal("dropped PUT succeeded")
	}
	st := do(t, s, "GET", url, "", "")
	if !strings.Contains(string(st.body), `"NextExpectedRanges":["4194304"]`) {
		t.Fatalf("status after drop: %s", st.body)
	}
	resp, _, _ = putChunk(url, data[:chunk], 0, size)
	if resp.StatusCode != 416 {
		t.Errorf("overlap: %d", resp.StatusCode)
	}
	resp, _, _ = putChunk(url, data[2*chunk:3*chunk], 2*chunk, size)
	if resp.StatusCode != 400 {
		t.Errorf("gap: %d", resp.StatusCode)
	}
	resp, _, _ = putChunk(url, data[chunk:2*chunk], chunk, size+1)
	if resp.StatusCode != 400 {
		t.Errorf("wrong total: %d", resp.StatusCode)
	}
	for off := int64(chunk); off < size; off += chunk {
		end := min(off+chunk, size)
		resp, b, err := putChunk(url, data[off:end], off, size)
		if err != nil {
			t.Fatal(err)
		}
		if end < size && resp.StatusCode != 200 {
			t.Fatalf("chunk at %d: %d %s", off, resp.StatusCode, b)
		}
		if end == size && (resp.StatusCode != 201 || len(b) != 0 || !strings.Contains(resp.Header.Get("Location"), "/Attachments('")) {
			t.Fatalf("last chunk: %d %q %q", resp.StatusCode, resp.Header.Get("Location"), b)
		}
	}
	got, ok := s.AttachmentBytes(adele.UPN, id, "big.bin")
	if !ok || !bytes.Equal(got, data) {
		t.Fatal("uploaded bytes differ")
	}
	// A finished session is gone; an expired one too.
	mustStatus(t, do(t, s, "GET", url, "", ""), 404)
	us = do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments/createUploadSession", ta,
		fmt.Sprintf(`{"AttachmentItem":{"attachmentType":"file","name":"late.bin","size":%d}}`, size))
	clk.Advance(20 * time.Minute)
	resp, _, _ = putChunk(us.json["uploadUrl"].(string), data[:chunk], 0, size)
	if resp.StatusCode != 404 {
		t.Errorf("expired session: %d", resp.StatusCode)
	}
	us = do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments/createUploadSession", ta,
		fmt.Sprintf(`{"AttachmentItem":{"attachmentType":"file","name":"cancel.bin","size":%d}}`, size))
	mustStatus(t, us, 201)
	mustStatus(t, do(t, s, "DELETE", us.json["uploadUrl"].(string), "", ""), 204)
}

func TestMessageDelta(t *testing.T) {
	s, adele, bob, ta, _ := mailServer(t)
	if err := s.SeedMessages(adele.UPN, 5); err != nil {
		t.Fatal(err)
	}
	var ids []string
	link := "/v1.0/me/mailFolders/inbox/messages/delta?$select=subject,isRead"
	var delta string
	for link != "" {
		r := do(t, s, "GET", link, ta, "", "Prefer", "odata.maxpagesize=2")
		mustStatus(t, r, 200)
		for _, v := range r.values() {
			ids = append(ids, v["id"].(string))
			if _, ok := v["body"]; ok {
				t.Fatal("$select not kept across pages")
			}
		}
		link, _ = r.json["@odata.nextLink"].(string)
		delta, _ = r.json["@odata.deltaLink"].(string)
	}
	if len(ids) != 5 || delta == "" {
		t.Fatalf("first round: %d items, deltaLink %q", len(ids), delta)
	}
	// Changes: one read, one moved out, one deleted, one new.
	mustStatus(t, do(t, s, "PATCH", "/v1.0/me/messages/"+ids[0], ta, `{"isRead":true}`), 200)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+ids[1]+"/move", ta, `{"destinationId":"archive"}`, "Prefer", `IdType="ImmutableId"`), 201)
	mustStatus(t, do(t, s, "DELETE", "/v1.0/me/messages/"+ids[2], ta, ""), 204)
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+bob.UPN+"/sendMail", tokenFor(t, s, bob.UPN, "Mail.Send"),
		`{"message":{"subject":"new","toRecipients":[{"emailAddress":{"address":"`+adele.UPN+`"}}]}}`), 202)
	r := do(t, s, "GET", delta, ta, "")
	mustStatus(t, r, 200)
	changed, removed := 0, map[string]bool{}
	for _, v := range r.values() {
		if _, ok := v["@removed"]; ok {
			removed[v["id"].(string)] = true
		} else {
			changed++
		}
	}
	if changed != 2 || !removed[ids[1]] || !removed[ids[2]] || len(removed) != 2 {
		t.Fatalf("second round: %s", r.body)
	}
	s.ExpireDeltaTokens()
	g := do(t, s, "GET", r.json["@odata.deltaLink"].(string), ta, "")
	mustStatus(t, g, 410)
	if g.errCode() != "SyncStateNotFound" {
		t.Errorf("code %s", g.errCode())
	}
	// Folder delta.
	f := do(t, s, "GET", "/v1.0/me/mailFolders/delta", ta, "", "Prefer", "odata.maxpagesize=50")
	mustStatus(t, f, 200)
	fl := f.json["@odata.deltaLink"].(string)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/mailFolders", ta, `{"displayName":"New"}`), 201)
	f2 := do(t, s, "GET", fl, ta, "")
	if vs := f2.values(); len(vs) != 1 || vs[0]["displayName"] != "New" {
		t.Errorf("folder delta: %s", f2.body)
	}
}

func TestMailboxSettingsAndAutoReply(t *testing.T) {
	s, adele, bob, ta, tb := mailServer(t)
	g := do(t, s, "GET", "/v1.0/me/mailboxSettings", ta, "")
	mustStatus(t, g, 200)
	for _, k := range []string{"automaticRepliesSetting", "timeZone", "workingHours", "language", "dateFormat", "timeFormat", "userPurpose"} {
		if _, ok := g.json[k]; !ok {
			t.Errorf("mailboxSettings lacks %s", k)
		}
	}
	mustStatus(t, do(t, s, "GET", "/v1.0/users/"+bob.UPN+"/mailboxSettings", ta, ""), 403)
	mustStatus(t, do(t, s, "GET", "/v1.0/me/mailboxSettings", tokenFor(t, s, adele.UPN, "Mail.Read"), ""), 403)
	mustStatus(t, do(t, s, "PATCH", "/v1.0/me/mailboxSettings", ta, `{"automaticRepliesSetting":{"status":"sometimes"}}`), 400)
	p := do(t, s, "PATCH", "/v1.0/me/mailboxSettings", ta, `{"automaticRepliesSetting":{"status":"alwaysEnabled","internalReplyMessage":"Out until Monday","externalAudience":"all","externalReplyMessage":"Away"}}`)
	mustStatus(t, p, 200)
	ar := do(t, s, "GET", "/v1.0/me/mailboxSettings/automaticRepliesSetting", ta, "")
	if ar.json["status"] != "alwaysEnabled" || ar.json["externalAudience"] != "all" {
		t.Fatalf("automaticRepliesSetting: %s", ar.body)
	}
	tz := do(t, s, "GET", "/v1.0/me/mailboxSettings/timeZone", ta, "")
	if tz.json["value"] != "UTC" {
		t.Errorf("timeZone: %s", tz.body)
	}
	for i := 0; i < 2; i++ {
		mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", tb, `{"message":{"subject":"Ping","toRecipients":[{"emailAddress":{"address":"`+adele.UPN+`"}}]}}`), 202)
	}
	replies := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages", tb, "").values()
	if len(replies) != 1 || replies[0]["subject"] != "Automatic reply: Ping" {
		t.Fatalf("auto replies in Bob's inbox: %v", replies)
	}
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+adele.UPN+"/sendMail", appToken(t, s), `{"message":{"subject":"x","toRecipients":[{"emailAddress":{"address":"`+adele.UPN+`"}}]}}`), 202)
}

func TestInboxRules(t *testing.T) {
	s, adele, bob, ta, tb := mailServer(t)
	r := do(t, s, "POST", "/v1.0/me/mailFolders/inbox/messageRules", ta, `{"displayName":"Invoices","sequence":1,"isEnabled":true,
		"conditions":{"subjectContains":["invoice"]},"actions":{"moveToFolder":"archive","markAsRead":true,"assignCategories":["Finance"],"stopProcessingRules":true}}`)
	mustStatus(t, r, 201)
	rid := r.json["id"].(string)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/mailFolders/inbox/messageRules", ta, `{"displayName":"Bad","conditions":{"colour":["x"]}}`), 400)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/mailFolders/drafts/messageRules", ta, `{"displayName":"x"}`), 400)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/mailFolders/inbox/messageRules", ta, `{"displayName":"Spam","sequence":2,"conditions":{"senderContains":["bob"]},"actions":{"delete":true}}`), 201)
	for _, subj := range []string{"Invoice 42", "Hello"} {
		mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", tb, `{"message":{"subject":"`+subj+`","toRecipients":[{"emailAddress":{"address":"`+adele.UPN+`"}}]}}`), 202)
	}
	arch := do(t, s, "GET", "/v1.0/me/mailFolders/archive/messages", ta, "").values()
	if len(arch) != 1 || arch[0]["isRead"] != true || arch[0]["categories"].([]any)[0] != "Finance" {
		t.Fatalf("archive: %v", arch)
	}
	if n := s.MailboxMessageCount(adele.UPN, "deleteditems"); n != 1 {
		t.Errorf("deleted items %d", n)
	}
	mustStatus(t, do(t, s, "PATCH", "/v1.0/me/mailFolders/inbox/messageRules/"+rid, ta, `{"isEnabled":false}`), 200)
	list := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messageRules", ta, "").values()
	if len(list) != 2 || list[0]["isEnabled"] != false {
		t.Errorf("rules: %v", list)
	}
	mustStatus(t, do(t, s, "DELETE", "/v1.0/me/mailFolders/inbox/messageRules/"+rid, ta, ""), 204)
	mustStatus(t, do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messageRules/"+rid, ta, ""), 404)
	mustStatus(t, do(t, s, "GET", "/v1.0/users/"+bob.UPN+"/mailFolders/inbox/messageRules", ta, ""), 403)
}

func TestMailSearchAndThrottle(t *testing.T) {
	s, adele, _, ta, _ := mailServer(t)
	if err := s.SeedMessages(adele.UPN, 30); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages", ta, `{"subject":"Zebra crossing plan","body":{"contentType":"text","content":"unique-word-xyzzy"}}`), 201)
	r := do(t, s, "GET", `/v1.0/me/messages?$search=%22xyzzy%22`, ta, "")
	mustStatus(t, r, 200)
	if len(r.values()) != 1 {
		t.Errorf("$search over body: %d hits", len(r.values()))
	}
	mustStatus(t, do(t, s, "GET", `/v1.0/me/messages?$search=%22zebra%22&$orderby=subject`, ta, ""), 400)
	s.SetThrottling(Throttling{Enabled: true, Window: time.Hour, MaxRequests: 1})
	mustStatus(t, do(t, s, "GET", "/v1.0/me/mailboxSettings", ta, ""), 200)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", ta, `{}`), 429)
}

func FuzzParseMIME(f *testing.F) {
	f.Add([]byte("From: a@b.c\r\nTo: d@e.f\r\nSubject: hi\r\n\r\nbody"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n--x\r\nContent-Disposition: attachment; filename=a\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--x--\r\n"))
	f.Add([]byte("Subject: =?utf-8?b?w6k=?=\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseMIME(data)
		if err == nil && p.doc == nil {
			t.Fatal("nil document without error")
		}
		_, _ = parseMIMEBase64(data)
	})
}

func TestAttachmentKindsAndBatch(t *testing.T) {
	s, _, bob, ta, _ := mailServer(t)
	d := do(t, s, "POST", "/v1.0/me/mailFolders/drafts/messages", ta, `{"subject":"kinds","toRecipients":[{"emailAddress":{"address":"`+bob.UPN+`"}}],
		"attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"logo.png","contentId":"logo","isInline":true,"contentBytes":"iVBORw0KGgo="}]}`)
	mustStatus(t, d, 201)
	id := d.json["id"].(string)
	if d.json["hasAttachments"] != false {
		t.Errorf("only an inline attachment: hasAttachments %v", d.json["hasAttachments"])
	}
	item := do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments", ta, `{"@odata.type":"#microsoft.graph.itemAttachment","name":"Forwarded",
		"item":{"@odata.type":"microsoft.graph.message","subject":"Inner","body":{"contentType":"text","content":"inner body"}}}`)
	mustStatus(t, item, 201)
	ref := do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments", ta, `{"@odata.type":"#microsoft.graph.referenceAttachment","name":"Spec","sourceUrl":"https://contoso.sharepoint.com/spec.docx"}`)
	mustStatus(t, ref, 201)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages/"+id+"/attachments", ta, `{"@odata.type":"#microsoft.graph.fileAttachment","name":"x","contentBytes":"!!"}`), 400)
	list := do(t, s, "GET", "/v1.0/me/messages/"+id+"/attachments", ta, "").values()
	var types []string
	for _, a := range list {
		types = append(types, a["@odata.type"].(string))
	}
	if diff := cmp.Diff([]string{"#microsoft.graph.fileAttachment", "#microsoft.graph.itemAttachment", "#microsoft.graph.referenceAttachment"}, types); diff != "" {
		t.Errorf("attachment types (-want +got):\n%s", diff)
	}
	withItem := do(t, s, "GET", "/v1.0/me/messages/"+id+"/attachments/"+item.json["id"].(string)+"?$expand=microsoft.graph.itemAttachment/item", ta, "")
	if inner, _ := withItem.json["item"].(map[string]any); inner["subject"] != "Inner" {
		t.Errorf("expanded item: %s", withItem.body)
	}
	eml := do(t, s, "GET", "/v1.0/me/messages/"+id+"/attachments/"+item.json["id"].(string)+"/$value", ta, "")
	if !strings.Contains(string(eml.body), "Subject: Inner") {
		t.Errorf("item $value: %s", eml.body)
	}
	cnt := do(t, s, "GET", "/v1.0/me/messages/"+id+"/attachments/$count", ta, "")
	if string(cnt.body) != "3" {
		t.Errorf("$count %s", cnt.body)
	}
	exp := do(t, s, "GET", "/v1.0/me/messages/"+id+"?$expand=attachments", ta, "")
	if a, _ := exp.json["attachments"].([]any); len(a) != 3 {
		t.Errorf("$expand=attachments: %d", len(a))
	}
	mustStatus(t, do(t, s, "DELETE", "/v1.0/me/messages/"+id+"/attachments/"+ref.json["id"].(string), ta, ""), 204)

	// Writes through $batch, and delta() spelled as a function.
	b := do(t, s, "POST", "/v1.0/$batch", ta, `{"requests":[
		{"id":"1","method":"POST","url":"/me/mailFolders","headers":{"Content-Type":"application/json"},"body":{"displayName":"Batched"}},
		{"id":"2","method":"PATCH","url":"/me/messages/`+id+`","headers":{"Content-Type":"application/json"},"body":{"subject":"kinds 2"}}]}`)
	mustStatus(t, b, 200)
	for _, r := range b.json["responses"].([]any) {
		if st := r.(map[string]any)["status"].(float64); st != 201 && st != 200 {
			t.Errorf("batch item: %v", r)
		}
	}
	mustStatus(t, do(t, s, "GET", "/v1.0/me/mailFolders('Inbox')/messages/delta()", ta, ""), 200)
}

func TestThrottledUploadAndAccess(t *testing.T) {
	s, adele, bob, ta, _ := mailServer(t)
	d := do(t, s, "POST", "/v1.0/me/messages", ta, `{"subject":"t"}`)
	us := do(t, s, "POST", "/v1.0/me/messages/"+d.json["id"].(string)+"/attachments/createUploadSession", ta,
		`{"AttachmentItem":{"attachmentType":"file","name":"t.bin","size":3500000}}`)
	mustStatus(t, us, 201)
	s.SetThrottling(Throttling{Enabled: true, Window: time.Hour, MaxRequests: 1})
	resp, _, err := putChunk(us.json["uploadUrl"].(string), make([]byte, 1<<20), 0, 3500000)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("first PUT: %v %v", resp, err)
	}
	resp, _, err = putChunk(us.json["uploadUrl"].(string), make([]byte, 1<<20), 1<<20, 3500000)
	if err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("throttled PUT: %v %v", resp, err)
	}
	s.SetThrottling(Throttling{})
	// Another user's mailbox without a grant, and without the shared scope.
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+bob.UPN+"/messages", ta, `{"subject":"x"}`), 403)
	if err := s.GrantMailboxAccess(bob.UPN, adele.UPN); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+bob.UPN+"/messages", ta, `{"subject":"x"}`), 403)
	shared := tokenFor(t, s, adele.UPN, "Mail.ReadWrite.Shared")
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+bob.UPN+"/messages", shared, `{"subject":"x"}`), 201)
	app := appToken(t, s)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/messages", app, `{"subject":"x"}`), 400)
	mustStatus(t, do(t, s, "POST", "/v1.0/users/"+bob.UPN+"/mailFolders", app, `{"displayName":"App folder"}`), 201)
	mustStatus(t, do(t, s, "PATCH", "/v1.0/users/"+bob.UPN+"/mailboxSettings", app, `{"timeZone":"Pacific Standard Time"}`), 200)
}

func TestAutoReplyScheduleAndLoops(t *testing.T) {
	clk := NewClock(time.Date(2026, 12, 1, 23, 50, 0, 0, time.UTC))
	s, adele, bob, ta, tb := mailServer(t, func(o *Options) { o.Now = clk.Now })
	mustStatus(t, do(t, s, "PATCH", "/v1.0/me/mailboxSettings", ta, `{"automaticRepliesSetting":{"status":"scheduled",
		"scheduledStartDateTime":{"dateTime":"2026-12-02T00:00:00","timeZone":"UTC"},
		"scheduledEndDateTime":{"dateTime":"2026-12-03T00:00:00","timeZone":"UTC"},"internalReplyMessage":"Away today"}}`), 200)
	mustStatus(t, do(t, s, "PATCH", "/v1.0/me/mailboxSettings", tb, `{"automaticRepliesSetting":{"status":"alwaysEnabled","internalReplyMessage":"Bob is away"}}`), 200)
	send := func(subject string) {
		t.Helper()
		mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", tb, `{"message":{"subject":"`+subject+`","toRecipients":[{"emailAddress":{"address":"`+adele.UPN+`"}}]}}`), 202)
	}
	send("before the schedule")
	if n := s.MailboxMessageCount(bob.UPN, "inbox"); n != 0 {
		t.Fatalf("auto-reply outside the schedule: %d", n)
	}
	clk.Advance(20 * time.Minute)
	send("during the schedule")
	// Adele answers once; Bob's own automatic reply does not answer hers.
	if n := s.MailboxMessageCount(bob.UPN, "inbox"); n != 1 {
		t.Fatalf("Bob's inbox: %d messages, want Adele's one automatic reply", n)
	}
	if n := s.MailboxMessageCount(adele.UPN, "inbox"); n != 2 {
		t.Fatalf("Adele's inbox: %d, want Bob's two messages", n)
	}
}

func TestDeltaFilter(t *testing.T) {
	s, adele, _, ta, _ := mailServer(t)
	if err := s.SeedMessages(adele.UPN, 20); err != nil {
		t.Fatal(err)
	}
	all := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages?$top=20&$select=receivedDateTime", ta, "").values()
	cut := all[5]["receivedDateTime"].(string)
	r := do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages/delta?$filter=receivedDateTime+ge+"+cut, ta, "", "Prefer", "odata.maxpagesize=100")
	mustStatus(t, r, 200)
	if n := len(r.values()); n != 6 {
		t.Errorf("filtered delta: %d items, want 6", n)
	}
	mustStatus(t, do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages/delta?$filter=subject+eq+'x'", ta, ""), 400)
	mustStatus(t, do(t, s, "GET", "/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken=garbage", ta, ""), 410)
}

func TestExtendedProperties(t *testing.T) {
	s, _, _, ta, _ := mailServer(t)
	const pid = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color"
	d := do(t, s, "POST", "/v1.0/me/messages", ta, `{"subject":"x","singleValueExtendedProperties":[{"id":"`+pid+`","value":"Green"}]}`)
	mustStatus(t, d, 201)
	id := d.json["id"].(string)
	mustStatus(t, do(t, s, "PATCH", "/v1.0/me/messages/"+id, ta, `{"singleValueExtendedProperties":[{"id":"`+pid+`","value":"Blue"}]}`), 200)
	r := do(t, s, "GET", "/v1.0/me/messages/"+id+"?$expand=singleValueExtendedProperties($filter=id%20eq%20'"+strings.ReplaceAll(pid, " ", "%20")+"')", ta, "")
	mustStatus(t, r, 200)
	list, _ := r.json["singleValueExtendedProperties"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["value"] != "Blue" {
		t.Errorf("extended properties: %s", r.body)
	}
}

func TestReplyAllAndTranslate(t *testing.T) {
	s, adele, bob, ta, tb := mailServer(t)
	mustStatus(t, do(t, s, "POST", "/v1.0/me/sendMail", ta, `{"message":{"subject":"Plan","toRecipients":[{"emailAddress":{"address":"`+bob.UPN+`"}},
		{"emailAddress":{"address":"carol@fabrikam.com"}}],"ccRecipients":[{"emailAddress":{"address":"dan@fabrikam.com"}}]}}`), 202)
	got := do(t, s, "GET", "/v1.0/me/messages", tb, "").values()
	ra := do(t, s, "POST", "/v1.0/me/messages/"+got[0]["id"].(string)+"/createReplyAll", tb, "")
	mustStatus(t, ra, 201)
	var to, cc []string
	for _, p := range recipientsOf(ra.json["toRecipients"]) {
		to = append(to, lower(p.addr))
	}
	for _, p := range recipientsOf(ra.json["ccRecipients"]) {
		cc = append(cc, lower(p.addr))
	}
	if diff := cmp.Diff([]string{lower(adele.Mail), "carol@fabrikam.com"}, to); diff != "" {
		t.Errorf("replyAll to (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"dan@fabrikam.com"}, cc); diff != "" {
		t.Errorf("replyAll cc (-want +got):\n%s", diff)
	}
	id := ra.json["id"].(string)
	tr := do(t, s, "POST", "/v1.0/me/translateExchangeIds", tb, `{"inputIds":["`+id+`","AAMkAnone"],"sourceIdType":"restId","targetIdType":"restImmutableEntryId"}`)
	mustStatus(t, tr, 200)
	vs := tr.values()
	if vs[0]["targetId"] != id || vs[1]["errorDetails"] == nil {
		t.Errorf("translateExchangeIds: %s", tr.body)
	}
}
