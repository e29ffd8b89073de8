package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/o365go/o365/emulator"
)

// An app-only client lists the users of the demo tenant: a token from the
// emulated identity platform, then a Graph query with $select and $top.
func Example() {
	srv, err := emulator.New(emulator.Options{Seed: "demo"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	id, secret := srv.ConfidentialClient()
	resp, err := http.PostForm(srv.URL()+"/"+srv.TenantID()+"/oauth2/v2.0/token", url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {id},
		"client_secret": {secret},
		"scope":         {"https://graph.microsoft.com/.default"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil {
		fmt.Println(err)
		return
	}

	req, _ := http.NewRequest("GET", srv.URL()+"/v1.0/users?$select=displayName,jobTitle&$top=3", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var page struct {
		Value []struct {
			DisplayName string `json:"displayName"`
			JobTitle    string `json:"jobTitle"`
		} `json:"value"`
		NextLink string `json:"@odata.nextLink"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range page.Value {
		fmt.Printf("%s (%s)\n", u.DisplayName, u.JobTitle)
	}
	fmt.Println("more pages:", page.NextLink != "")
	// Output:
	// Adele Vance (Retail Manager)
	// Miriam Graham (Director)
	// Patti Fernandez (President)
	// more pages: true
}
