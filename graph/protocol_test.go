package graph

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProtocolURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p                          Protocol
		service, authority, prefix string
	}{
		{Protocol{}, "https://graph.microsoft.com/v1.0", "https://login.microsoftonline.com", "https://graph.microsoft.com/"},
		{Protocol{Version: Beta}, "https://graph.microsoft.com/beta", "https://login.microsoftonline.com", "https://graph.microsoft.com/"},
		{Protocol{Cloud: CloudUSGovL4}, "https://graph.microsoft.us/v1.0", "https://login.microsoftonline.us", "https://graph.microsoft.us/"},
		{Protocol{Cloud: CloudUSGovL5}, "https://dod-graph.microsoft.us/v1.0", "https://login.microsoftonline.us", "https://dod-graph.microsoft.us/"},
		{Protocol{Cloud: CloudChina}, "https://microsoftgraph.chinacloudapi.cn/v1.0", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/"},
		{Protocol{BaseURL: "http://127.0.0.1:8080/", LoginURL: "http://127.0.0.1:8080"}, "http://127.0.0.1:8080/v1.0", "http://127.0.0.1:8080", "https://graph.microsoft.com/"},
	}
	for _, tt := range tests {
		got := []string{tt.p.ServiceURL(), tt.p.Authority(), tt.p.ScopePrefix()}
		want := []string{tt.service, tt.authority, tt.prefix}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.p, diff)
		}
	}
}

func TestProtocolValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p       Protocol
		wantErr string
	}{
		{Protocol{}, ""},
		{Protocol{BaseURL: "http://127.0.0.1:1234"}, ""},
		{Protocol{BaseURL: "http://127.3.4.5:1234"}, ""},
		{Protocol{BaseURL: "http://[::1]:1234"}, ""},
		{Protocol{BaseURL: "http://localhost:1234"}, ""},
		{Protocol{BaseURL: "https://graph.example.com"}, ""},
		{Protocol{BaseURL: "http://graph.example.com"}, "loopback"},
		{Protocol{BaseURL: "http://10.0.0.1"}, "loopback"},
		{Protocol{LoginURL: "http://login.example.com"}, "loopback"},
		{Protocol{BaseURL: "ftp://127.0.0.1"}, "scheme"},
		{Protocol{BaseURL: "https://"}, "no host"},
		{Protocol{BaseURL: "https://a.example.com?x=1"}, "query"},
		{Protocol{Version: "v2.0"}, "version"},
		{Protocol{Cloud: "mars"}, "cloud"},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", tt.p, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%+v: error %v, want one mentioning %q", tt.p, err, tt.wantErr)
		}
	}
	if _, err := NewClient(nil, WithProtocol(Protocol{BaseURL: "http://example.com"})); err == nil {
		t.Error("NewClient accepted plain http to a non-loopback host")
	}
}

func TestResource(t *testing.T) {
	t.Parallel()
	got := []string{
		Me.Path("messages"),
		User("adele@contoso.com").Path("mailFolders", "inbox", "messages"),
		User("a/b?c").String(),
		Group("g1").Path(),
		Site("contoso.sharepoint.com,1,2").Path("lists"),
		Resource("").Path("users"),
		Me.Path("messages", "AAMk/+=="),
	}
	want := []string{
		"/me/messages",
		"/users/adele@contoso.com/mailFolders/inbox/messages",
		"users/a%2Fb%3Fc",
		"/groups/g1",
		"/sites/contoso.sharepoint.com,1,2/lists",
		"/users",
		"/me/messages/AAMk%2F+==",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
