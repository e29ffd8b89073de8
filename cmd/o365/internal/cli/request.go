package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/o365go/o365/graph"
)

func (a *app) requestCommand() *cobra.Command {
	var (
		body, contentType string
		headers           []string
		beta, all         bool
	)
	cmd := &cobra.Command{
		Use:   "request METHOD PATH",
		Short: "Send any Graph request (the escape hatch)",
		Long: `Send one request to Microsoft Graph with the active profile's sign-in, retries and
throttling included, and print the response.

PATH is relative to the Graph service URL ("/me/messages?$top=5") or an absolute URL of the
same service (an @odata.nextLink). JSON responses go through -o and --query like any other
command; other responses are written to stdout as they are.

  o365 request GET /me
  o365 request GET '/users?$filter=startswith(displayName,''A'')&$select=displayName,mail'
  o365 request PATCH /me/messages/ID --body '{"isRead":true}'
  o365 request POST /me/sendMail --body @mail.json
  o365 request GET /me/messages --header 'Prefer: outlook.body-content-type="text"'
  o365 request GET '/users?$select=displayName' --all --query '[].displayName'

--all follows @odata.nextLink to the last page and prints the items of every page as one
JSON array.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("request needs METHOD and PATH, e.g. o365 request GET /me")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			method := strings.ToUpper(args[0])
			if !validMethod(method) {
				return usagef("invalid method %q", args[0])
			}
			req := &graph.Request{Method: method, Header: http.Header{}}
			path, rawQuery, _ := strings.Cut(args[1], "?")
			req.Path = path
			if rawQuery != "" {
				q, err := url.ParseQuery(rawQuery)
				if err != nil {
					return usagef("bad query string in PATH: %v", err)
				}
				req.Query = q
			}
			for _, h := range headers {
				k, v, ok := strings.Cut(h, ":")
				if !ok || strings.TrimSpace(k) == "" {
					return usagef("bad --header %q (want 'Name: value')", h)
				}
				req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
			if body != "" {
				b, err := a.readBody(body)
				if err != nil {
					return err
				}
				if contentType == "" {
					contentType = "application/json"
				}
				if isJSON(contentType) && !json.Valid(b) {
					return usagef("--body is not valid JSON (set --content-type for other bodies)")
				}
				req.Body, req.ContentType = b, contentType
			}
			if beta {
				a.version = graph.Beta
			}
			_, c, err := a.session(cmd.Context())
			if err != nil {
				return err
			}
			if all {
				if method != http.MethodGet || body != "" {
					return usagef("--all works with GET only")
				}
				var items []json.RawMessage
				var opts []graph.CallOption
				for k, vs := range req.Header {
					for _, v := range vs {
						opts = append(opts, graph.Header(k, v))
					}
				}
				if len(req.Query) > 0 {
					opts = append(opts, graph.Params(req.Query))
				}
				for it, err := range graph.List[json.RawMessage](cmd.Context(), c, req.Path, nil, opts...) {
					if err != nil {
						return err
					}
					items = append(items, *it)
				}
				if items == nil {
					items = []json.RawMessage{}
				}
				return a.print(items)
			}
			resp, err := c.Send(cmd.Context(), req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			data, err := io.ReadAll(resp.Body)
			if err != nil {
				return fmt.Errorf("reading the response: %w", err)
			}
			if len(data) == 0 {
				return nil
			}
			if isJSON(resp.Header.Get("Content-Type")) && json.Valid(data) {
				return a.print(json.RawMessage(data))
			}
			if a.query != "" {
				return fmt.Errorf("--query needs a JSON response; this one is %s", resp.Header.Get("Content-Type"))
			}
			_, err = a.env.Stdout.Write(data)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&body, "body", "", "request body: JSON text, @FILE, or @- for stdin")
	f.StringVar(&contentType, "content-type", "", "body content type (default application/json)")
	f.StringArrayVar(&headers, "header", nil, "extra header 'Name: value' (repeatable)")
	f.BoolVar(&beta, "beta", false, "use the beta API instead of v1.0")
	f.BoolVar(&all, "all", false, "GET every page (follow @odata.nextLink) and print all items as one array")
	return cmd
}

// readBody reads --body: literal text, @file or @- (stdin).
func (a *app) readBody(spec string) ([]byte, error) {
	name, ok := strings.CutPrefix(spec, "@")
	if !ok {
		return []byte(spec), nil
	}
	if name == "-" {
		return io.ReadAll(a.env.Stdin)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("--body: %w", err)
	}
	return b, nil
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func validMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete, http.MethodHead:
		return true
	}
	return false
}
