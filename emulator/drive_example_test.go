package emulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/o365go/o365/emulator"
)

// A file goes into a user's OneDrive by path and comes back through the
// pre-authenticated download URL Graph redirects to.
func Example_drive() {
	srv, err := emulator.New(emulator.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	id, secret := srv.ConfidentialClient()
	resp, err := http.PostForm(srv.URL()+"/"+srv.TenantID()+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret},
		"scope": {"https://graph.microsoft.com/.default"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	call := func(method, path, body string) *http.Response {
		req, _ := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		return resp
	}
	user := srv.DefaultUser().UPN
	resp = call("PUT", "/v1.0/users/"+user+"/drive/root:/Reports/Q3%20notes.txt:/content", "Sales up 4%.")
	var item struct {
		Name string `json:"name"`
		Size int    `json:"size"`
		ID   string `json:"id"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&item)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, item.Name, item.Size)

	resp = call("GET", "/v1.0/users/"+user+"/drive/items/"+item.ID+"/content", "") // follows the 302
	content, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(content))
	// Output:
	// 201 Q3 notes.txt 12
	// 200 Sales up 4%.
}
