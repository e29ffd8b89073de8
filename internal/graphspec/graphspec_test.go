package graphspec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		method, path string
		want         string
		ok           bool
	}{
		{"GET", "/me", "/me", true},
		{"GET", "/v1.0/me/messages", "/me/messages", true},
		{"get", "/beta/me/messages?$top=5&$filter=isRead eq false", "/me/messages", true},
		{"GET", "https://graph.microsoft.com/v1.0/users/a@b.com/messages/AAMk=", "/users/{user-id}/messages/{message-id}", true},
		{"GET", "http://127.0.0.1:8080/v1.0/me/mailFolders/inbox/messages", "/me/mailFolders/{mailFolder-id}/messages", true},
		{"GET", "/me/mailFolders('Inbox')/messages", "/me/mailFolders/{mailFolder-id}/messages", true},
		{"GET", "/ME/MailFolders/Inbox/Messages", "/me/mailFolders/{mailFolder-id}/messages", true},
		{"POST", "/me/sendMail", "/me/sendMail", true},
		{"POST", "/$batch", "/$batch", true},
		{"GET", "/me/messages/delta", "/me/messages/delta()", true},
		{"GET", "/me/messages/delta()", "/me/messages/delta()", true},
		{"GET", "/me/messages/microsoft.graph.delta()", "/me/messages/delta()", true},
		{"GET", "/me/mailFolders/inbox/messages/delta?$deltatoken=x", "/me/mailFolders/{mailFolder-id}/messages/delta()", true},
		{"GET", "/me/messages/{id}/attachments/{id}/$value", "/me/messages/{message-id}/attachments/{attachment-id}/$value", true},
		{"GET", "/me/mailboxSettings/workingHours", "/me/mailboxSettings/workingHours", true},
		{"GET", "/users/x/mailboxSettings/workingHours", "/users/{user-id}/mailboxSettings/workingHours", true},
		// Drive aliases.
		{"GET", "/me/drive", "/me/drive", true},
		{"GET", "/me/drive/root", "/drives/{drive-id}/items/{driveItem-id}", true},
		{"GET", "/me/drive/root/children", "/drives/{drive-id}/items/{driveItem-id}/children", true},
		{"GET", "/me/drive/root:/Docs/report.xlsx:/content", "/drives/{drive-id}/items/{driveItem-id}/content", true},
		{"PUT", "/me/drive/root:/a b/c.txt:/content", "/drives/{drive-id}/items/{driveItem-id}/content", true},
		{"GET", "/me/drive/root:/Docs/report.xlsx", "/drives/{drive-id}/items/{driveItem-id}", true},
		{"GET", "/me/drive/root:/Docs%2Fx:", "/drives/{drive-id}/items/{driveItem-id}", true},
		{"PUT", "/drives/b!x/items/01AB:/pic.png:/content", "/drives/{drive-id}/items/{driveItem-id}/content", true},
		{"GET", "/drives/b!x/root:/a:/children", "/drives/{drive-id}/items/{driveItem-id}/children", true},
		{"GET", "/drives/b!x/root", "/drives/{drive-id}/root", true},
		{"GET", "/users/u/drive/items/1/children", "/drives/{drive-id}/items/{driveItem-id}/children", true},
		{"GET", "/groups/g/drive/root/children", "/drives/{drive-id}/items/{driveItem-id}/children", true},
		{"GET", "/sites/s/drive/items/1", "/drives/{drive-id}/items/{driveItem-id}", true},
		{"GET", "/drive/items/1/workbook/comments", "/drives/{drive-id}/items/{driveItem-id}/workbook/comments", true},
		{"GET", "/me/drive/recent", "/drives/{drive-id}/recent()", true},
		{"GET", "/me/drive/special/approot", "/drives/{drive-id}/special/{driveItem-id}", true},
		{"GET", "/sites/contoso.sharepoint.com:/sites/team", "/sites/{site-id}", true},
		// Functions with arguments.
		{"GET", "/me/drive/items/1/workbook/worksheets/Sheet1/range(address='A1:B2')",
			"/drives/{drive-id}/items/{driveItem-id}/workbook/worksheets/{workbookWorksheet-id}/range(address='{address}')", true},
		{"GET", "/me/drive/items/1/workbook/worksheets('Sheet1')/range(address='Sheet1!A1:B2')",
			"/drives/{drive-id}/items/{driveItem-id}/workbook/worksheets/{workbookWorksheet-id}/range(address='{address}')", true},
		{"PATCH", "/me/drive/items/1/workbook/worksheets/Sheet1/range(address='A1:B2')",
			"/drives/{drive-id}/items/{driveItem-id}/workbook/worksheets/{workbookWorksheet-id}/range(address='{address}')", true},
		{"GET", "/me/drive/items/1/workbook/names/n/range/cell(row=5,column=6)",
			"/drives/{drive-id}/items/{driveItem-id}/workbook/names/{workbookNamedItem-id}/range()/cell(row={row},column={column})", true},
		{"GET", "/me/drive/items/1/workbook/names/n/range/cell(column=6, row=5)",
			"/drives/{drive-id}/items/{driveItem-id}/workbook/names/{workbookNamedItem-id}/range()/cell(row={row},column={column})", true},
		{"GET", "/sites/s/getByPath(path='/a/b')", "/sites/{site-id}/getByPath(path='{path}')", true},
		// Not Graph, or not with that method.
		{"GET", "/me/nonsense", "", false},
		{"GET", "/me/messages/1/bogus", "", false},
		{"GET", "/messages", "", false},
		{"GET", "", "", false},
		{"GET", "/", "", false},
		{"GET", "https://example.com", "", false},
		{"GET", "/v1.0", "", false},
		{"GET", "/me/sendMail", "/me/sendMail", false},
		{"DELETE", "/me", "/me", false},
		{"PUT", "/me/messages", "/me/messages", false},
		{"", "/me/messages", "/me/messages", false},
		{"GET", "/me/drive/items/1/workbook/names/n/range/cell(row=5)", "", false},
		{"GET", "/me/messages/delta(x=1)", "", false},
	}
	for _, tt := range tests {
		got, ok := Match(tt.method, tt.path)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Match(%q, %q) = %q, %v; want %q, %v", tt.method, tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

// TestMatchExamples checks every documented example that the manifest
// says is in the OpenAPI list (directly or through the drive aliases).
func TestMatchExamples(t *testing.T) {
	n := 0
	for _, ex := range AllExamples() {
		if ex.Host != "" || ex.Path == "" || ex.OpenAPIMatch == "" || !ex.OpenAPIMethodOK {
			continue
		}
		n++
		got, ok := Match(ex.Method, ex.Path)
		if !ok {
			t.Errorf("%s:%d: Match(%s %s) = %q, false; manifest says %s", ex.Source, ex.Line, ex.Method, ex.Path, got, ex.OpenAPIPath)
			continue
		}
		if got != ex.OpenAPIPath {
			t.Errorf("%s:%d: Match(%s %s) = %q; manifest says %s", ex.Source, ex.Line, ex.Method, ex.Path, got, ex.OpenAPIPath)
		}
	}
	if n < 600 {
		t.Errorf("checked %d examples, want at least 600", n)
	}
}

func TestExamples(t *testing.T) {
	areas := Areas()
	if diff := cmp.Diff([]string{"calendar", "contacts", "drive", "excel", "groups", "mail", "outlook", "planner",
		"presence", "sites", "subscriptions", "teams", "todo", "users"}, areas); diff != "" {
		t.Errorf("Areas() (-want +got):\n%s", diff)
	}
	mail := Examples("mail")
	if len(mail) != 70 {
		t.Errorf("len(Examples(mail)) = %d, want 70", len(mail))
	}
	for _, ex := range mail {
		if ex.Area != "mail" {
			t.Errorf("mail example has area %q", ex.Area)
		}
	}
	first := mail[0]
	if first.Method != "POST" || first.ResponseStatus != 201 || !first.ParseOK ||
		first.OpenAPIPath != "/me/messages/{message-id}/attachments/createUploadSession" {
		t.Errorf("first mail example = %+v", first)
	}
	body, ok := first.ResponseBody.(map[string]any)
	if !ok || body["nextExpectedRanges"] == nil {
		t.Errorf("response body = %#v", first.ResponseBody)
	}
	if got := len(AllExamples()); got != 700 {
		t.Errorf("len(AllExamples()) = %d, want 700", got)
	}
	for _, bad := range []string{"", "nope", "../examples/mail", "mail.jsonl"} {
		if ex := Examples(bad); ex != nil {
			t.Errorf("Examples(%q) = %d examples, want nil", bad, len(ex))
		}
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"/me/drive/root:/a:/content", "/me/mailFolders('x')/messages", "(", "'", "/a(b='/c')/d", "root:", "/v1.0/", "://", "/me/drive/items/x:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		Match("GET", path)
	})
}

// TestMatchTemplates checks that every row of the list matches itself.
func TestMatchTemplates(t *testing.T) {
	rows := 0
	for _, data := range []string{pathsTSV, extraTSV} {
		for _, line := range strings.Split(data, "\n") {
			method, path, ok := strings.Cut(line, "\t")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			rows++
			if got, ok := Match(method, path); !ok || got != path {
				t.Errorf("Match(%s, %s) = %q, %v", method, path, got, ok)
			}
		}
	}
	if rows < 8000 {
		t.Errorf("%d rows, want more than 8000", rows)
	}
}
