package mail

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/internal/graphspec"
)

// v1Properties are the properties of microsoft.graph.message and its outlookItem and
// entity bases in the Graph v1.0 CSDL (v1.0-cleanMetadata.xml), navigation properties
// included.
var v1Properties = []string{
	// entity, outlookItem
	"id", "categories", "changeKey", "createdDateTime", "lastModifiedDateTime",
	// message
	"bccRecipients", "body", "bodyPreview", "ccRecipients", "conversationId",
	"conversationIndex", "flag", "from", "hasAttachments", "importance",
	"inferenceClassification", "internetMessageHeaders", "internetMessageId",
	"isDeliveryReceiptRequested", "isDraft", "isRead", "isReadReceiptRequested",
	"parentFolderId", "receivedDateTime", "replyTo", "sender", "sentDateTime", "subject",
	"toRecipients", "uniqueBody", "webLink",
	// navigation
	"attachments", "extensions", "multiValueExtendedProperties", "singleValueExtendedProperties",
}

func jsonNames(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		names[name] = true
	}
	return names
}

func TestMessageHasEveryV1Property(t *testing.T) {
	names := jsonNames(reflect.TypeFor[Message]())
	for _, p := range v1Properties {
		if !names[p] {
			t.Errorf("Message has no field for the v1.0 property %q", p)
		}
	}
}

func fullMessage() Message {
	ts := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return tm
	}
	adele := graph.Recipient{EmailAddress: graph.EmailAddress{Name: "Adele Vance", Address: "adele@contoso.com"}}
	alex := graph.Recipient{EmailAddress: graph.EmailAddress{Name: "Alex Wilber", Address: "alex@contoso.com"}}
	return Message{
		ETag:                       `W/"CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW/bKJ"`,
		ODataType:                  "#microsoft.graph.message",
		ID:                         "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAYbvZDAAA=",
		CreatedDateTime:            ts("2024-03-01T09:00:00Z"),
		LastModifiedDateTime:       ts("2024-03-01T09:05:00.1234567Z"),
		ChangeKey:                  "CQAAABYAAAC4ofQHEIqCSbQPot83AFcbAAAW/bKJ",
		Categories:                 []string{"Red category", "Project X"},
		ReceivedDateTime:           ts("2024-03-01T09:00:00Z"),
		SentDateTime:               ts("2024-03-01T08:59:58Z"),
		HasAttachments:             true,
		InternetMessageID:          "<CY4PR1001MB2127@CY4PR1001MB2127.namprd10.prod.outlook.com>",
		Subject:                    "Quarterly report",
		BodyPreview:                "Hi Adele, the report is attached.",
		Importance:                 ImportanceHigh,
		ParentFolderID:             "AQMkAGVmMDEzMTM4AAAAAAEMAAAA",
		ConversationID:             "AAQkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OAAQAO6hkp",
		ConversationIndex:          "AQHWN2wDk3oRZXJQYU6rVtU3JlKjoQ==",
		IsDeliveryReceiptRequested: true,
		IsReadReceiptRequested:     true,
		IsRead:                     true,
		IsDraft:                    true,
		WebLink:                    "https://outlook.office365.com/owa/?ItemID=AAMk&exvsurl=1&viewmodel=ReadMessageItem",
		InferenceClassification:    InferenceFocused,
		Body:                       graph.ItemBody{ContentType: graph.BodyHTML, Content: "<html><body><p>Hi Adele</p></body></html>"},
		UniqueBody:                 graph.ItemBody{ContentType: graph.BodyText, Content: "Hi Adele"},
		Sender:                     alex,
		From:                       alex,
		ToRecipients:               []graph.Recipient{adele},
		CcRecipients:               []graph.Recipient{alex},
		BccRecipients:              []graph.Recipient{adele},
		ReplyTo:                    []graph.Recipient{alex},
		Flag: FollowupFlag{
			FlagStatus:    FlagFlagged,
			StartDateTime: &graph.DateTimeTimeZone{DateTime: "2024-03-02T09:00:00.0000000", TimeZone: "UTC"},
			DueDateTime:   &graph.DateTimeTimeZone{DateTime: "2024-03-04T09:00:00.0000000", TimeZone: "Pacific Standard Time"},
		},
		InternetMessageHeaders: []InternetMessageHeader{{Name: "X-Custom", Value: "1"}},
		Attachments: Attachments{{
			ODataType: "#microsoft.graph.fileAttachment", ID: "AAMkAGI=", Name: "report.txt",
			ContentType: "text/plain", Size: 5, ContentBytes: []byte("hello"),
			LastModifiedDateTime: ts("2024-03-01T09:00:00Z"),
		}},
		Extensions:                    []map[string]any{{"@odata.type": "#microsoft.graph.openTypeExtension", "extensionName": "Com.Contoso.Ref", "id": "Com.Contoso.Ref", "companyName": "Contoso"}},
		SingleValueExtendedProperties: []SingleValueExtendedProperty{{ID: "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color", Value: "Green"}},
		MultiValueExtendedProperties:  []MultiValueExtendedProperty{{ID: "StringArray {66f5a359-4659-4830-9070-00050ec6ac6e} Name Palette", Value: []string{"Green", "Red"}}},
	}
}

func TestMessageRoundTrip(t *testing.T) {
	for _, m := range []Message{fullMessage(), {}, {ID: "x", IsRead: false, Subject: ""}} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var got Message
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(m, got, cmpopts.IgnoreUnexported(Message{}, Attachment{})); diff != "" {
			t.Errorf("round trip changed the message (-want +got):\n%s", diff)
		}
	}
	// Every property of the full message is in its JSON.
	b, _ := json.Marshal(fullMessage())
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for _, p := range v1Properties {
		if _, ok := keys[p]; !ok {
			t.Errorf("encoded full message lacks %q", p)
		}
	}
	// The zero message encodes to its booleans only: no empty values invented.
	want := `{"hasAttachments":false,"isDeliveryReceiptRequested":false,"isReadReceiptRequested":false,"isRead":false,"isDraft":false}`
	if b, _ := json.Marshal(Message{}); string(b) != want {
		t.Errorf("zero Message encodes to %s, want %s", b, want)
	}
}

// rawJSON re-encodes a decoded example body.
func rawJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// documentedMessages returns every message object in the documented mail examples:
// responses typed microsoft.graph.message (single or in "value"), and the message bodies
// of requests that create or update one.
func documentedMessages(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	out := map[string]json.RawMessage{}
	add := func(name string, raw json.RawMessage) {
		var probe map[string]json.RawMessage
		if json.Unmarshal(raw, &probe) != nil {
			return
		}
		var typ string
		_ = json.Unmarshal(probe["@odata.type"], &typ)
		if typ != "" && !strings.EqualFold(typ, "#microsoft.graph.message") {
			return // eventMessage and other subtypes carry more properties
		}
		out[name] = raw
	}
	for n, e := range graphspec.Examples("mail") {
		name := fmt.Sprintf("%s#%d", e.Name, n)
		reqBody, respBody := rawJSON(t, e.RequestBody), rawJSON(t, e.ResponseBody)
		// Bodies of sendMail, reply, forward and createReply carry a message.
		if e.RequestBodyFormat == "json" {
			var withMessage struct {
				Message json.RawMessage `json:"message"`
			}
			if json.Unmarshal(reqBody, &withMessage) == nil && len(withMessage.Message) > 0 && withMessage.Message[0] == '{' {
				add(name+"/request/message", withMessage.Message)
			}
		}
		if !strings.EqualFold(e.ResponseODataType, "microsoft.graph.message") {
			continue
		}
		if e.ResponseBodyFormat == "json" {
			var env struct {
				Value []json.RawMessage `json:"value"`
			}
			if json.Unmarshal(respBody, &env) == nil && env.Value != nil {
				for i, v := range env.Value {
					add(fmt.Sprintf("%s/response/value/%d", name, i), v)
				}
			} else {
				add(name+"/response", respBody)
			}
		}
		// POST .../messages creates a message; PATCH .../messages/{id} updates one.
		path, _, _ := strings.Cut(e.Path, "?")
		if e.RequestBodyFormat == "json" && (e.Method == "POST" && strings.HasSuffix(path, "/messages") || e.Method == "PATCH") {
			add(name+"/request", reqBody)
		}
	}
	return out
}

// envelope annotations belong to the response, not to the message.
var envelope = map[string]bool{"@odata.context": true, "@odata.id": true, "@odata.editLink": true}

// normalize drops what the model encodes by omission (null, false, "", empty arrays and
// objects) and writes times in one form, so that two JSON texts holding the same
// information compare equal.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if envelope[k] {
				continue
			}
			if n := normalize(e); n != nil {
				out[k] = n
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case []any:
		var out []any
		for _, e := range x {
			out = append(out, normalize(e))
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case string:
		if x == "" {
			return nil
		}
		if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return tm.UTC().Format(time.RFC3339Nano)
		}
		return x
	case bool:
		if !x {
			return nil
		}
	}
	return v
}

func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out[prefix+k] = true
			keyPaths(e, prefix+k+".", out)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, prefix+"[].", out)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// TestDocumentedExamples decodes every documented message, re-encodes it and checks that
// nothing was lost: same key paths, same values (after normalize), and no property the
// model does not know (DisallowUnknownFields).
func TestDocumentedExamples(t *testing.T) {
	msgs := documentedMessages(t)
	if len(msgs) < 8 {
		t.Fatalf("found %d documented messages, want at least 8: has the example set changed?", len(msgs))
	}
	for name, raw := range msgs {
		t.Run(name, func(t *testing.T) {
			if bytes.Contains(raw, []byte(`"datetime-value"`)) {
				// Old reference pages show templates ("subject-value", "datetime-value"),
				// not messages: a time property holding "datetime-value" is not Graph data.
				t.Skip("template, not an example")
			}
			var orig map[string]any
			if err := json.Unmarshal(raw, &orig); err != nil {
				t.Fatal(err)
			}
			for k := range envelope {
				delete(orig, k)
			}
			clean, _ := json.Marshal(orig)
			dec := json.NewDecoder(bytes.NewReader(clean))
			dec.DisallowUnknownFields()
			var m Message
			if err := dec.Decode(&m); err != nil {
				t.Fatalf("decode: %v\n%s", err, raw)
			}
			again, err := json.Marshal(&m)
			if err != nil {
				t.Fatal(err)
			}
			var back any
			if err := json.Unmarshal(again, &back); err != nil {
				t.Fatal(err)
			}
			want, got := normalize(orig), normalize(back)
			wk, gk := map[string]bool{}, map[string]bool{}
			keyPaths(want, "", wk)
			keyPaths(got, "", gk)
			if diff := cmp.Diff(sortedKeys(wk), sortedKeys(gk)); diff != "" {
				t.Errorf("key sets differ (-documented +re-encoded):\n%s", diff)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("values differ (-documented +re-encoded):\n%s", diff)
			}
		})
	}
}
