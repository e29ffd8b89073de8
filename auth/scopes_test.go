package auth

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScopeHelpersMatchPython(t *testing.T) {
	// python-o365's DEFAULT_SCOPES, verbatim.
	python := map[string][]string{
		"basic": {"User.Read"}, "mailbox": {"Mail.Read"}, "mailbox_shared": {"Mail.Read.Shared"},
		"mailbox_settings": {"MailboxSettings.ReadWrite"}, "message_send": {"Mail.Send"},
		"message_send_shared": {"Mail.Send.Shared"}, "message_all": {"Mail.ReadWrite", "Mail.Send"},
		"message_all_shared": {"Mail.ReadWrite.Shared", "Mail.Send.Shared"}, "address_book": {"Contacts.Read"},
		"address_book_shared": {"Contacts.Read.Shared"}, "address_book_all": {"Contacts.ReadWrite"},
		"address_book_all_shared": {"Contacts.ReadWrite.Shared"}, "users": {"User.ReadBasic.All"},
		"onedrive": {"Files.Read.All"}, "onedrive_all": {"Files.ReadWrite.All"}, "sharepoint": {"Sites.Read.All"},
		"sharepoint_all": {"Sites.ReadWrite.All"}, "settings_all": {"MailboxSettings.ReadWrite"},
		"tasks": {"Tasks.Read"}, "tasks_all": {"Tasks.ReadWrite"}, "presence": {"Presence.Read"},
		"calendar": {"Calendars.Read"}, "calendar_shared": {"Calendars.Read.Shared"},
		"calendar_all": {"Calendars.ReadWrite"}, "calendar_shared_all": {"Calendars.ReadWrite.Shared"},
	}
	h := ScopeHelpers()
	for name, want := range python {
		if d := cmp.Diff(want, h[name]); d != "" {
			t.Errorf("%s (-python +ours):\n%s", name, d)
		}
	}
	for _, name := range []string{"groups", "directory", "planner", "teams", "subscriptions", "categories"} {
		if len(h[name]) == 0 {
			t.Errorf("helper %q missing", name)
		}
	}
	h["basic"][0] = "changed"
	if ScopeHelpers()["basic"][0] != "User.Read" {
		t.Error("ScopeHelpers exposes its table")
	}
	if len(ScopeHelperNames()) != len(h) {
		t.Error("ScopeHelperNames")
	}
}

func TestResolveScopes(t *testing.T) {
	const g = "https://graph.microsoft.com/"
	tests := []struct {
		name   string
		prefix string
		in     []string
		want   []string
	}{
		{"helper", g, []string{"message_all"}, []string{g + "Mail.ReadWrite", g + "Mail.Send"}},
		{"raw", g, []string{"Mail.Read"}, []string{g + "Mail.Read"}},
		{"mixed and deduplicated", g, []string{"mailbox", "Mail.Read", "mail.read", "basic"}, []string{g + "Mail.Read", g + "User.Read"}},
		{"already absolute", g, []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "api://x/y"}, []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "api://x/y"}},
		{"reserved", g, []string{"openid", "profile", "offline_access", "email"}, []string{"openid", "profile", "offline_access", "email"}},
		{"national cloud", "https://microsoftgraph.chinacloudapi.cn", []string{"basic"}, []string{"https://microsoftgraph.chinacloudapi.cn/User.Read"}},
		{"empty prefix is global", "", []string{"basic"}, []string{g + "User.Read"}},
		{"blanks dropped", g, []string{"", " "}, nil},
		{"default", g, []string{".default"}, []string{g + ".default"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, ResolveScopes(tt.prefix, tt.in...)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestDelegatedScopes(t *testing.T) {
	const g = "https://graph.microsoft.com/"
	tests := []struct {
		in   []string
		want []string
	}{
		{nil, []string{g + "User.Read", "offline_access"}},
		{[]string{"mailbox"}, []string{g + "Mail.Read", "offline_access"}},
		{[]string{"offline_access", "mailbox"}, []string{"offline_access", g + "Mail.Read"}},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, DelegatedScopes(g, tt.in...)); d != "" {
			t.Errorf("%v (-want +got):\n%s", tt.in, d)
		}
	}
}

func TestAppScopes(t *testing.T) {
	const g = "https://graph.microsoft.com/"
	tests := []struct {
		in      []string
		want    []string
		wantErr bool
	}{
		{nil, []string{g + ".default"}, false},
		{[]string{".default"}, []string{g + ".default"}, false},
		{[]string{g + ".default"}, []string{g + ".default"}, false},
		{[]string{"api://my-api/.default"}, []string{"api://my-api/.default"}, false},
		{[]string{"Mail.Read"}, nil, true},
		{[]string{"mailbox"}, nil, true},
		{[]string{".default", "User.Read"}, nil, true},
	}
	for _, tt := range tests {
		got, err := AppScopes(g, tt.in...)
		if (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, ErrInvalidScope)) {
			t.Errorf("%v: err = %v", tt.in, err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%v (-want +got):\n%s", tt.in, d)
		}
	}
}
