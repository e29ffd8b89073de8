package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// tokenFor gets an access token with the password grant from the public
// client (delegated) for the given scopes.
func tokenFor(t testing.TB, s *Server, upn, scopes string) string {
	t.Helper()
	u, ok := s.lookupUser(upn)
	if !ok {
		t.Fatalf("no user %s", upn)
	}
	form := url.Values{
		"grant_type": {"password"},
		"client_id":  {s.PublicClientID()},
		"username":   {u.UPN},
		"password":   {u.Password},
		"scope":      {scopes},
	}
	return postToken(t, s, form)
}

// appToken gets an app-only token for the confidential client.
func appToken(t testing.TB, s *Server) string {
	t.Helper()
	id, secret := s.ConfidentialClient()
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {id},
		"client_secret": {secret},
		"scope":         {"https://graph.microsoft.com/.default"},
	}
	return postToken(t, s, form)
}

func postToken(t testing.TB, s *Server, form url.Values) string {
	t.Helper()
	resp, err := http.PostForm(s.URL()+"/"+s.TenantID()+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Desc        string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" {
		t.Fatalf("token: status %d %s %s %v", resp.StatusCode, tr.Error, tr.Desc, err)
	}
	return tr.AccessToken
}

// result is a decoded answer.
type result struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

func (r *result) errCode() string {
	e, _ := r.json["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (r *result) errMessage() string {
	e, _ := r.json["error"].(map[string]any)
	c, _ := e["message"].(string)
	return c
}

func (r *result) values() []map[string]any {
	vs, _ := r.json["value"].([]any)
	out := make([]map[string]any, 0, len(vs))
	for _, v := range vs {
		m, _ := v.(map[string]any)
		out = append(out, m)
	}
	return out
}

// do sends a request; path is relative to URL() (e.g. "/v1.0/me") or absolute.
func do(t testing.TB, s *Server, method, path, token string, body string, hdr ...string) *result {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = s.URL() + path
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	r := &result{status: resp.StatusCode, header: resp.Header, body: b}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &r.json); err != nil {
			t.Fatalf("%s %s: invalid JSON %v: %.300s", method, path, err, b)
		}
	}
	return r
}
