package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestDevicePollIntervalOption(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		set  time.Duration
		want int
	}{{0, 5}, {time.Second, 1}, {3 * time.Second, 3}} {
		srv := Start(t, func(o *Options) { o.DevicePollInterval = tc.set })
		form := url.Values{"client_id": {srv.PublicClientID()}, "scope": {"https://graph.microsoft.com/User.Read offline_access"}}
		resp, err := http.PostForm(srv.URL()+"/"+srv.TenantID()+"/oauth2/v2.0/devicecode", form)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Interval int `json:"interval"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("devicecode: status %d, err %v", resp.StatusCode, err)
		}
		if body.Interval != tc.want {
			t.Errorf("DevicePollInterval %v: interval = %d, want %d", tc.set, body.Interval, tc.want)
		}
	}
}
