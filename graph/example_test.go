package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/o365go/o365/graph"
	"github.com/o365go/o365/odata"
)

// staticToken is the simplest TokenSource. Real programs use an *auth.Session.
type staticToken string

func (s staticToken) AccessToken(ctx context.Context, force bool) (string, error) {
	return string(s), nil
}

// fakeGraph stands in for Graph (or the emulator) in these examples.
func fakeGraph() *httptest.Server {
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("GET /v1.0/me", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"displayName":"Adele Vance","mail":"adele@contoso.com"}`)
	})
	mux.HandleFunc("GET /v1.0/me/messages", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "" {
			fmt.Fprintf(w, `{"@odata.nextLink":"%s/v1.0/me/messages?page=2","value":[{"subject":"Lunch?"},{"subject":"Report"}]}`, srv.URL)
			return
		}
		fmt.Fprint(w, `{"value":[{"subject":"Re: Lunch?"}]}`)
	})
	mux.HandleFunc("GET /v1.0/me/messages/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "8f1c1f7e")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store."}}`)
	})
	mux.HandleFunc("POST /v1.0/$batch", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Requests []struct{ ID, URL string } }
		_ = json.NewDecoder(r.Body).Decode(&in)
		var out []string
		for _, it := range in.Requests {
			if strings.HasPrefix(it.URL, "/users/") {
				out = append(out, fmt.Sprintf(`{"id":%q,"status":200,"body":{"displayName":%q}}`, it.ID, strings.TrimPrefix(it.URL, "/users/")))
			} else {
				out = append(out, fmt.Sprintf(`{"id":%q,"status":404,"body":{"error":{"code":"Request_ResourceNotFound","message":"Resource not found."}}}`, it.ID))
			}
		}
		fmt.Fprintf(w, `{"responses":[%s]}`, strings.Join(out, ","))
	})
	srv = httptest.NewServer(mux)
	return srv
}

func ExampleNewClient() {
	srv := fakeGraph()
	defer srv.Close()

	c, err := graph.NewClient(staticToken("token"),
		graph.WithProtocol(graph.Protocol{BaseURL: srv.URL}), // the emulator; omit for Graph itself
		graph.WithUserAgent("example/1.0"),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	var me struct {
		DisplayName string `json:"displayName"`
		Mail        string `json:"mail"`
	}
	if err := c.Get(ctx, graph.Me.Path(), &me); err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.DisplayName, me.Mail)

	err = c.Get(ctx, graph.Me.Path("messages", "AAMkAGI2THVSAAA1234567890abcdefghijklmnop"), nil)
	fmt.Println(errors.Is(err, graph.ErrNotFound))
	fmt.Println(err)
	// Output:
	// Adele Vance adele@contoso.com
	// true
	// graph: GET /me/messages/AAMkAGI2…: 404 ErrorItemNotFound: The specified object was not found in the store. (request-id 8f1c1f7e)
}

func ExampleList() {
	srv := fakeGraph()
	defer srv.Close()
	c, err := graph.NewClient(staticToken("token"), graph.WithProtocol(graph.Protocol{BaseURL: srv.URL}))
	if err != nil {
		log.Fatal(err)
	}

	type message struct {
		Subject string `json:"subject"`
	}
	opts := &graph.ListOptions{PageSize: 2, Query: odata.New().Select("subject")}
	for m, err := range graph.List[message](context.Background(), c, graph.Me.Path("messages"), opts, graph.Timezone("UTC")) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Subject)
	}
	// Output:
	// Lunch?
	// Report
	// Re: Lunch?
}

func ExampleClient_Batch() {
	srv := fakeGraph()
	defer srv.Close()
	c, err := graph.NewClient(staticToken("token"), graph.WithProtocol(graph.Protocol{BaseURL: srv.URL}))
	if err != nil {
		log.Fatal(err)
	}

	reqs := []graph.BatchRequest{
		{ID: "1", Method: "GET", URL: graph.User("adele@contoso.com").Path()},
		{ID: "2", Method: "GET", URL: "/groups/nope"},
		{ID: "3", Method: "GET", URL: graph.User("alex@contoso.com").Path()},
	}
	resps, err := c.Batch(context.Background(), reqs)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range resps {
		if r.Err != nil {
			fmt.Println(r.ID, errors.Is(r.Err, graph.ErrNotFound), r.Err)
			continue
		}
		fmt.Println(r.ID, r.Status, string(r.Body))
	}
	// Output:
	// 1 200 {"displayName":"adele@contoso.com"}
	// 2 true graph: GET /groups/nope: 404 Request_ResourceNotFound: Resource not found.
	// 3 200 {"displayName":"alex@contoso.com"}
}
