package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/o365go/o365/internal/graphspec"
	"github.com/o365go/o365/internal/quickxor"
)

const driveScopes = "Files.ReadWrite.All Sites.ReadWrite.All User.Read"

// noRedirect is a client that shows 302 answers instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// raw sends a request with a body of bytes, without following redirects.
func raw(t testing.TB, s *Server, method, path, token string, body []byte, hdr ...string) *result {
	t.Helper()
	u := path
	if !strings.HasPrefix(path, "http") {
		u = s.URL() + path
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := &result{status: resp.StatusCode, header: resp.Header, body: b}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(b, &r.json)
	}
	return r
}

func driveServer(t *testing.T, seed string) (*Server, *Clock, string) {
	t.Helper()
	clk := NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	s := Start(t, func(o *Options) { o.Seed = seed; o.Now = clk.Now })
	return s, clk, tokenFor(t, s, s.DefaultUser().UPN, driveScopes)
}

func want(t *testing.T, r *result, status int, what string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, r.status, status, r.body)
	}
}

func TestDrivePathSplitting(t *testing.T) {
	tests := []struct {
		path string
		segs []string
		rel  string
	}{
		{"/v1.0/me/drive/root:/a/b.txt:/content", []string{"me", "drive", "items", "", "content"}, "/a/b.txt"},
		{"/v1.0/me/drive/root:/a%20b/c%23d%25e.txt:", []string{"me", "drive", "items", ""}, "/a b/c#d%e.txt"},
		{"/v1.0/me/drive/root:/Docs/%C3%A9t%C3%A9%20(1).txt", []string{"me", "drive", "items", ""}, "/Docs/été (1).txt"},
		{"/v1.0/drives/b!x/items/01AB:/pic.png:/content", []string{"drives", "b!x", "items", "", "content"}, "/pic.png"},
		{"/v1.0/drives/b!x/root%3A/a%3A/children", []string{"drives", "b!x", "items", "", "children"}, "/a"},
		{"/v1.0/me/drive/root/search(q='a%2Fb%20c')", []string{"me", "drive", "root", "search(q='{q}')"}, ""},
		{"/v1.0/me/drive/root/delta(token='abc')", []string{"me", "drive", "root", "delta(token='{token}')"}, ""},
		{"/v1.0/me/drive/root/delta()", []string{"me", "drive", "root", "delta"}, ""},
		{"/v1.0/me/drive/items/01X/workbook/worksheets('Sheet1')", []string{"me", "drive", "items", "01X", "workbook", "worksheets", "Sheet1"}, ""},
		{"/v1.0/me/messages", []string{"me", "messages"}, ""},
	}
	for _, tt := range tests {
		_, segs, ok := splitGraphPath(tt.path)
		if !ok || len(segs) != len(tt.segs) {
			t.Errorf("%s: segs %q", tt.path, segs)
			continue
		}
		for i := range segs {
			if tt.segs[i] == "" {
				_, rel, isRef := decodeItemRef(segs[i])
				if !isRef || rel != tt.rel {
					t.Errorf("%s: ref %q decodes to %q, want %q", tt.path, segs[i], rel, tt.rel)
				}
				continue
			}
			if segs[i] != tt.segs[i] {
				t.Errorf("%s: segment %d = %q, want %q", tt.path, i, segs[i], tt.segs[i])
			}
		}
	}
	if q, ok := functionArg("/v1.0/me/drive/root/search(q='it''s%20here')", "search", "q"); !ok || q != "it's here" {
		t.Errorf("functionArg = %q %v", q, ok)
	}
}

// TestDriveRoutesAreGraphPaths checks every drive route, and the path
// forms the router rewrites, against the Graph path list.
func TestDriveRoutesAreGraphPaths(t *testing.T) {
	s := Start(t)
	n := 0
	for _, r := range s.router.routes {
		p := strings.Join(r.pattern, "/")
		if !strings.Contains(p, "drive") || strings.Contains(p, "workbook") {
			continue
		}
		n++
		path := "/v1.0/" + strings.ReplaceAll(p, "{user}", "AdeleV@contoso.onmicrosoft.com")
		if _, ok := graphspec.Match(r.method, path); !ok {
			t.Errorf("%s %s is not a Graph path", r.method, path)
		}
	}
	if n < 100 {
		t.Fatalf("only %d drive routes", n)
	}
	for _, p := range []string{
		"GET /v1.0/me/drive/root:/Docs/a b.txt:", "PUT /v1.0/me/drive/root:/a/b.txt:/content",
		"POST /v1.0/me/drive/root:/big.bin:/createUploadSession", "GET /v1.0/drives/b!x/items/01AB:/x.png:/content",
		"GET /v1.0/sites/s1/drive/root:/a:/children", "GET /v1.0/me/drive/root/search(q='x')", "GET /v1.0/me/drive/root/delta(token='t')",
	} {
		m, path, _ := strings.Cut(p, " ")
		if _, ok := graphspec.Match(m, path); !ok {
			t.Errorf("%s is not a Graph path", p)
		}
		_, segs, _ := splitGraphPath(path)
		segs = append([]string{"users", "u"}, segs[1:]...)
		if strings.HasPrefix(path, "/v1.0/drives") || strings.HasPrefix(path, "/v1.0/sites") {
			_, segs, _ = splitGraphPath(path)
		}
		if res := s.router.match(m, segs); res.route == nil {
			t.Errorf("%s: no route for %q", p, segs)
		}
	}
}

func TestDriveItemsCRUD(t *testing.T) {
	s, _, tok := driveServer(t, "")
	d := do(t, s, "GET", "/v1.0/me/drive", tok, "")
	want(t, d, 200, "get drive")
	if d.json["driveType"] != "business" || d.json["quota"] == nil || d.json["owner"] == nil {
		t.Fatalf("drive: %s", d.body)
	}
	driveID := d.json["id"].(string)
	root := do(t, s, "GET", "/v1.0/me/drive/root", tok, "")
	want(t, root, 200, "root")
	if root.json["root"] == nil || root.json["folder"] == nil {
		t.Fatalf("root: %s", root.body)
	}
	rootID := root.json["id"].(string)

	// Folders: create, conflict, rename.
	f := do(t, s, "POST", "/v1.0/me/drive/root/children", tok, `{"name":"Docs","folder":{},"@microsoft.graph.conflictBehavior":"fail"}`)
	want(t, f, 201, "create folder")
	folderID := f.json["id"].(string)
	want(t, do(t, s, "POST", "/v1.0/me/drive/root/children", tok, `{"name":"docs","folder":{},"@microsoft.graph.conflictBehavior":"fail"}`), 409, "conflict")
	if r := do(t, s, "POST", "/v1.0/me/drive/root/children", tok, `{"name":"Docs","folder":{},"@microsoft.graph.conflictBehavior":"rename"}`); r.status != 201 || r.json["name"] != "Docs 1" {
		t.Fatalf("rename: %d %s", r.status, r.body)
	}
	want(t, do(t, s, "POST", "/v1.0/me/drive/root/children", tok, `{"name":"a:b","folder":{}}`), 400, "bad name")
	want(t, do(t, s, "POST", "/v1.0/me/drive/root/children", tok, `{"name":"x"}`), 400, "no facet")

	// Files by path, with awkward names.
	names := []string{"plain.txt", "a b.txt", "hash#1.txt", "100%.txt", "été ünï.txt", "paren (1).txt"}
	for _, n := range names {
		p := "/v1.0/me/drive/root:/Docs/" + url.PathEscape(n) + ":/content"
		r := raw(t, s, "PUT", p, tok, []byte("hello "+n), "Content-Type", "text/plain")
		want(t, r, 201, "put "+n)
		if r.json["name"] != n || r.json["size"].(float64) != float64(len("hello "+n)) {
			t.Fatalf("put %s: %s", n, r.body)
		}
		pr := r.json["parentReference"].(map[string]any)
		if pr["id"] != folderID || pr["path"] != "/drives/"+driveID+"/root:/Docs" || pr["driveId"] != driveID {
			t.Fatalf("parentReference: %v", pr)
		}
		sum := quickxor.Sum([]byte("hello " + n))
		if h := r.json["file"].(map[string]any)["hashes"].(map[string]any)["quickXorHash"]; h != base64.StdEncoding.EncodeToString(sum[:]) {
			t.Fatalf("hash %v", h)
		}
		g := raw(t, s, "GET", "/v1.0/me/drive/root:/Docs/"+url.PathEscape(n)+":", tok, nil)
		want(t, g, 200, "get by path "+n)
		if g.json["id"] != r.json["id"] {
			t.Fatalf("by path: %s", g.body)
		}
		g2 := raw(t, s, "GET", "/v1.0/drives/"+driveID+"/items/"+folderID+":/"+url.PathEscape(n), tok, nil)
		want(t, g2, 200, "get relative "+n)
	}
	// Replace by path: 200, cTag changes; fail behaviour: 409.
	first := raw(t, s, "GET", "/v1.0/me/drive/root:/Docs/plain.txt", tok, nil)
	up := raw(t, s, "PUT", "/v1.0/me/drive/root:/Docs/plain.txt:/content", tok, []byte("v2"))
	want(t, up, 200, "replace")
	if up.json["cTag"] == first.json["cTag"] || up.json["eTag"] == first.json["eTag"] {
		t.Fatal("tags did not change")
	}
	want(t, raw(t, s, "PUT", "/v1.0/me/drive/root:/Docs/plain.txt:/content?@microsoft.graph.conflictBehavior=fail", tok, []byte("v3")), 409, "fail behaviour")
	// Deep path creates folders.
	want(t, raw(t, s, "PUT", "/v1.0/me/drive/root:/New/Deep/x.txt:/content", tok, []byte("x")), 201, "deep put")
	want(t, raw(t, s, "GET", "/v1.0/me/drive/root:/New/Deep", tok, nil), 200, "created folder")
	want(t, raw(t, s, "GET", "/v1.0/me/drive/root:/Nope/x.txt:", tok, nil), 404, "missing path")
	want(t, raw(t, s, "GET", "/v1.0/me/drive/items/01NOPE", tok, nil), 404, "missing id")
	want(t, raw(t, s, "GET", "/v1.0/drives/b!nope/root", tok, nil), 404, "missing drive")
	want(t, raw(t, s, "GET", "/v1.0/users/nobody@contoso.onmicrosoft.com/drive", tok, nil), 404, "missing user")

	// A child by id below its parent; not below another item.
	anyChild := raw(t, s, "GET", "/v1.0/me/drive/root:/Docs/plain.txt", tok, nil).json["id"].(string)
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+folderID+"/children/"+anyChild, tok, ""), 200, "child")
	want(t, do(t, s, "GET", "/v1.0/me/drive/root/children/"+anyChild, tok, ""), 404, "not a child")

	// Folder size and childCount.
	docs := raw(t, s, "GET", "/v1.0/me/drive/items/"+folderID+"?$expand=children", tok, nil)
	want(t, docs, 200, "expand")
	if docs.json["folder"].(map[string]any)["childCount"].(float64) != float64(len(names)) || len(docs.json["children"].([]any)) != len(names) {
		t.Fatalf("children: %s", docs.body)
	}

	// Listing: $top paging, $select, $filter, $orderby.
	page := do(t, s, "GET", "/v1.0/me/drive/items/"+folderID+"/children?$top=4&$select=name,size", tok, "")
	want(t, page, 200, "list")
	if len(page.values()) != 4 || page.json["@odata.nextLink"] == nil || page.values()[0]["eTag"] != nil {
		t.Fatalf("page: %s", page.body)
	}
	next := do(t, s, "GET", page.json["@odata.nextLink"].(string), tok, "")
	if len(next.values()) != 2 || next.json["@odata.nextLink"] != nil {
		t.Fatalf("next: %s", next.body)
	}
	flt := do(t, s, "GET", "/v1.0/me/drive/root:/Docs:/children?$filter="+url.QueryEscape("startswith(name,'hash')"), tok, "")
	if len(flt.values()) != 1 {
		t.Fatalf("filter: %s", flt.body)
	}
	ord := do(t, s, "GET", "/v1.0/me/drive/items/"+folderID+"/children?$orderby=name%20desc", tok, "")
	if ord.values()[0]["name"] != "été ünï.txt" {
		t.Fatalf("orderby: %v", ord.values()[0]["name"])
	}
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+folderID+"/children?$filter=bogus(", tok, ""), 400, "bad filter")

	// PATCH: rename, move, If-Match.
	item := raw(t, s, "GET", "/v1.0/me/drive/root:/Docs/a%20b.txt", tok, nil)
	id := item.json["id"].(string)
	want(t, do(t, s, "PATCH", "/v1.0/me/drive/items/"+id, tok, `{"name":"renamed.txt"}`, "If-Match", `"{00000000-0000-0000-0000-000000000000},1"`), 412, "patch if-match")
	ren := do(t, s, "PATCH", "/v1.0/me/drive/items/"+id, tok, `{"name":"renamed.txt","description":"d"}`, "If-Match", item.json["eTag"].(string))
	want(t, ren, 200, "rename")
	if ren.json["name"] != "renamed.txt" || ren.json["description"] != "d" || ren.json["cTag"] != item.json["cTag"] {
		t.Fatalf("rename: %s", ren.body)
	}
	mv := do(t, s, "PATCH", "/v1.0/me/drive/items/"+id, tok, `{"parentReference":{"id":"`+rootID+`"}}`)
	want(t, mv, 200, "move")
	if mv.json["parentReference"].(map[string]any)["path"] != "/drives/"+driveID+"/root:" {
		t.Fatalf("move: %s", mv.body)
	}
	want(t, do(t, s, "PATCH", "/v1.0/me/drive/items/"+folderID, tok, `{"parentReference":{"id":"`+folderID+`"}}`), 400, "move into self")
	want(t, do(t, s, "PATCH", "/v1.0/me/drive/items/"+id, tok, `{"size":3}`), 400, "read-only")
	want(t, do(t, s, "PATCH", "/v1.0/me/drive/root", tok, `{"name":"x"}`), 403, "rename root")

	// DELETE with If-Match.
	want(t, do(t, s, "DELETE", "/v1.0/me/drive/items/"+id, tok, "", "If-Match", `"{X},9"`), 412, "delete if-match")
	want(t, do(t, s, "DELETE", "/v1.0/me/drive/items/"+id, tok, ""), 204, "delete")
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+id, tok, ""), 404, "deleted")
	want(t, do(t, s, "DELETE", "/v1.0/me/drive/root", tok, ""), 403, "delete root")

	// Drives collections and aliases.
	if r := do(t, s, "GET", "/v1.0/me/drives", tok, ""); r.status != 200 || len(r.values()) != 1 {
		t.Fatalf("drives: %d %s", r.status, r.body)
	}
	want(t, do(t, s, "GET", "/v1.0/drives/"+driveID, tok, ""), 200, "drive by id")
	want(t, do(t, s, "GET", "/v1.0/users/"+s.DefaultUser().UPN+"/drive/root/children", tok, ""), 200, "user alias")

	// Permissions: a token without drive scopes is refused.
	other := tokenFor(t, s, s.DefaultUser().UPN, "User.Read")
	want(t, do(t, s, "GET", "/v1.0/me/drive/root", other, ""), 403, "no scope")
	ro := tokenFor(t, s, s.DefaultUser().UPN, "Files.Read")
	want(t, do(t, s, "POST", "/v1.0/me/drive/root/children", ro, `{"name":"z","folder":{}}`), 403, "read-only scope")
}

func TestDriveContentDownloadAndRange(t *testing.T) {
	s, clk, tok := driveServer(t, "")
	body := []byte("0123456789abcdefghij")
	put := raw(t, s, "PUT", "/v1.0/me/drive/root:/r.txt:/content", tok, body)
	want(t, put, 201, "put")
	id := put.json["id"].(string)
	if dl, _ := put.json["@microsoft.graph.downloadUrl"].(string); !strings.Contains(dl, "tempauth=") {
		t.Fatalf("downloadUrl: %v", put.json["@microsoft.graph.downloadUrl"])
	}
	g := raw(t, s, "GET", "/v1.0/me/drive/items/"+id+"/content", tok, nil)
	want(t, g, 302, "content")
	loc := g.header.Get("Location")
	full := raw(t, s, "GET", loc, "", nil)
	want(t, full, 200, "download")
	if !bytes.Equal(full.body, body) {
		t.Fatalf("download: %q", full.body)
	}
	etag := full.header.Get("ETag")
	sig := loc[strings.Index(loc, "tempauth=")+len("tempauth="):]
	for _, e := range s.Requests() {
		if strings.Contains(e.Query, sig) {
			t.Fatalf("the request log holds a download URL's tempauth: %s", e.Path)
		}
	}
	tests := []struct {
		rng    string
		status int
		body   string
		cr     string
	}{
		{"bytes=0-3", 206, "0123", "bytes 0-3/20"},
		{"bytes=10-", 206, "abcdefghij", "bytes 10-19/20"},
		{"bytes=-2", 206, "ij", "bytes 18-19/20"},
		{"bytes=15-100", 206, "fghij", "bytes 15-19/20"},
		{"bytes=20-", 416, "", "bytes */20"},
		{"bytes=30-40", 416, "", "bytes */20"},
	}
	for _, tt := range tests {
		r := raw(t, s, "GET", loc, "", nil, "Range", tt.rng)
		if r.status != tt.status || r.header.Get("Content-Range") != tt.cr || (tt.status == 206 && string(r.body) != tt.body) {
			t.Errorf("Range %s: %d %q %q", tt.rng, r.status, r.header.Get("Content-Range"), r.body)
		}
	}
	want(t, raw(t, s, "GET", loc, "", nil, "If-None-Match", etag), 304, "if-none-match")
	want(t, raw(t, s, "HEAD", loc, "", nil), 200, "head")
	// PDF conversion.
	p := raw(t, s, "GET", "/v1.0/me/drive/items/"+id+"/content?format=pdf", tok, nil)
	want(t, p, 302, "pdf")
	pdf := raw(t, s, "GET", p.header.Get("Location"), "", nil)
	if pdf.status != 200 || !bytes.HasPrefix(pdf.body, []byte("%PDF-1.4")) || !bytes.Contains(pdf.body, []byte("(0123456789abcdefghij) Tj")) ||
		!bytes.HasSuffix(pdf.body, []byte("%%EOF\n")) || pdf.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("pdf: %d %q", pdf.status, pdf.body)
	}
	// A tampered URL and an expired one are refused.
	want(t, raw(t, s, "GET", strings.Replace(loc, "tempauth=v1.", "tempauth=v1.1", 1), "", nil), 401, "tampered")
	clk.Advance(2 * time.Hour)
	want(t, raw(t, s, "GET", loc, "", nil), 401, "expired")
	tok = tokenFor(t, s, s.DefaultUser().UPN, driveScopes)
	want(t, raw(t, s, "GET", "/v1.0/me/drive/items/"+id+"/content?format=html", tok, nil), 400, "bad format")
	want(t, raw(t, s, "GET", "/v1.0/me/drive/root/content", tok, nil), 404, "folder content")
	// Simple upload limit: refused from the Content-Length alone.
	req, _ := http.NewRequest("PUT", s.URL()+"/v1.0/me/drive/root:/big.bin:/content", io.LimitReader(zeros{}, simpleUploadLimit+1))
	req.ContentLength = simpleUploadLimit + 1
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Fatalf("limit: %d", resp.StatusCode)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// session creates an upload session and returns its URL.
func session(t *testing.T, s *Server, tok, path, body string) string {
	t.Helper()
	r := do(t, s, "POST", path, tok, body)
	want(t, r, 200, "createUploadSession")
	u, _ := r.json["uploadUrl"].(string)
	if u == "" || r.json["expirationDateTime"] == nil {
		t.Fatalf("session: %s", r.body)
	}
	return u
}

func fragment(t *testing.T, s *Server, u string, data []byte, first, total int64, hdr ...string) *result {
	t.Helper()
	h := append([]string{"Content-Range", fmt.Sprintf("bytes %d-%d/%d", first, first+int64(len(data))-1, total)}, hdr...)
	return raw(t, s, "PUT", u, "", data, h...)
}

func TestDriveUploadSession(t *testing.T) {
	s, clk, tok := driveServer(t, "")
	const unit = 320 << 10
	data := make([]byte, 2*unit+1000)
	for i := range data {
		data[i] = byte(i * 7)
	}
	total := int64(len(data))
	u := session(t, s, tok, "/v1.0/me/drive/root:/Up/big.bin:/createUploadSession", `{"item":{"@microsoft.graph.conflictBehavior":"fail","name":"big.bin"}}`)

	// With a token: 401.
	want(t, raw(t, s, "PUT", u, tok, data[:unit], "Content-Range", fmt.Sprintf("bytes 0-%d/%d", unit-1, total)), 401, "authorization sent")
	// Not a multiple of 320 KiB.
	want(t, fragment(t, s, u, data[:1000], 0, total), 400, "fragment size")
	// Out of order: 416.
	r := fragment(t, s, u, data[unit:2*unit], unit, total)
	want(t, r, 416, "out of order")
	// Missing Content-Range.
	want(t, raw(t, s, "PUT", u, "", data[:unit]), 400, "no content-range")
	r = fragment(t, s, u, data[:unit], 0, total)
	want(t, r, 202, "first")
	if fmt.Sprint(r.json["nextExpectedRanges"]) != fmt.Sprintf("[%d-]", unit) {
		t.Fatalf("ranges: %s", r.body)
	}
	// Overlap: 416; different total: 400.
	want(t, fragment(t, s, u, data[:unit], 0, total), 416, "overlap")
	want(t, fragment(t, s, u, data[unit:2*unit], unit, total+1), 400, "total mismatch")
	st := raw(t, s, "GET", u, "", nil)
	want(t, st, 200, "status")
	if fmt.Sprint(st.json["nextExpectedRanges"]) != fmt.Sprintf("[%d-]", unit) {
		t.Fatalf("status: %s", st.body)
	}
	want(t, fragment(t, s, u, data[unit:2*unit], unit, total), 202, "second")
	// Someone creates the name meanwhile: conflictBehavior fail answers 409 at the end.
	want(t, raw(t, s, "PUT", "/v1.0/me/drive/root:/Up/big.bin:/content", tok, []byte("x")), 201, "racing file")
	want(t, fragment(t, s, u, data[2*unit:], 2*unit, total), 409, "conflict at completion")

	// A clean session: 201 with the item and its hash.
	u = session(t, s, tok, "/v1.0/me/drive/root:/Up/ok.bin:/createUploadSession", `{"item":{"@microsoft.graph.conflictBehavior":"replace","description":"hi"}}`)
	want(t, fragment(t, s, u, data[:2*unit], 0, total), 202, "two units")
	done := fragment(t, s, u, data[2*unit:], 2*unit, total)
	want(t, done, 201, "done")
	sum := quickxor.Sum(data)
	if done.json["size"].(float64) != float64(total) || done.json["description"] != "hi" ||
		done.json["file"].(map[string]any)["hashes"].(map[string]any)["quickXorHash"] != base64.StdEncoding.EncodeToString(sum[:]) {
		t.Fatalf("item: %.500s", done.body)
	}
	want(t, raw(t, s, "GET", u, "", nil), 404, "completed session")
	name, content, _, gerr := s.driveFile(done.json["parentReference"].(map[string]any)["driveId"].(string), done.json["id"].(string))
	if gerr != nil || name != "ok.bin" || !bytes.Equal(content, data) {
		t.Fatalf("stored: %v %s", gerr, name)
	}
	// Replacing the same file answers 200.
	u = session(t, s, tok, "/v1.0/me/drive/items/"+done.json["id"].(string)+"/createUploadSession", ``)
	want(t, fragment(t, s, u, []byte("small"), 0, 5), 200, "replace by id")

	// Cancel.
	u = session(t, s, tok, "/v1.0/me/drive/root:/Up/c.bin:/createUploadSession", `{}`)
	want(t, raw(t, s, "DELETE", u, "", nil), 204, "cancel")
	want(t, fragment(t, s, u, []byte("x"), 0, 1), 404, "after cancel")

	// Expiry on the server clock.
	u = session(t, s, tok, "/v1.0/me/drive/root:/Up/e.bin:/createUploadSession", `{}`)
	want(t, fragment(t, s, u, data[:unit], 0, total), 202, "before expiry")
	clk.Advance(driveUploadTTL + time.Minute)
	r = fragment(t, s, u, data[unit:2*unit], unit, total)
	want(t, r, 404, "expired")
	if r.errCode() != "itemNotFound" {
		t.Fatalf("expired code %s", r.errCode())
	}

	// deferCommit: the last byte answers 202; POST commits.
	u = session(t, s, tok, "/v1.0/me/drive/root:/Up/d.bin:/createUploadSession", `{"deferCommit":true}`)
	want(t, raw(t, s, "POST", u, "", nil), 400, "commit early")
	want(t, fragment(t, s, u, []byte("deferred"), 0, 8), 202, "deferred last")
	want(t, raw(t, s, "GET", "/v1.0/me/drive/root:/Up/d.bin", tok, nil), 404, "not yet")
	c := raw(t, s, "POST", u, "", []byte{})
	want(t, c, 201, "commit")
	if c.json["name"] != "d.bin" {
		t.Fatalf("commit: %s", c.body)
	}
	// If-Match on a session for an existing item.
	want(t, do(t, s, "POST", "/v1.0/me/drive/root:/Up/d.bin:/createUploadSession", tok, `{}`, "If-Match", `"{X},1"`), 412, "session if-match")
	// Quota.
	want(t, do(t, s, "POST", "/v1.0/me/drive/root:/Up/q.bin:/createUploadSession", tok, `{"item":{"fileSize":1e15}}`), 507, "quota")
}

func TestDriveDelta(t *testing.T) {
	s, _, tok := driveServer(t, "")
	for i := range 5 {
		want(t, raw(t, s, "PUT", fmt.Sprintf("/v1.0/me/drive/root:/D/f%d.txt:/content", i), tok, []byte("x")), 201, "put")
	}
	// Initial sync in pages.
	var items []map[string]any
	link := "/v1.0/me/drive/root/delta?$top=3"
	var deltaLink string
	for link != "" {
		r := do(t, s, "GET", link, tok, "")
		want(t, r, 200, "delta page")
		items = append(items, r.values()...)
		link, _ = r.json["@odata.nextLink"].(string)
		deltaLink, _ = r.json["@odata.deltaLink"].(string)
	}
	if len(items) != 7 || deltaLink == "" { // root, D, 5 files
		t.Fatalf("initial: %d items, link %q", len(items), deltaLink)
	}
	if items[0]["root"] == nil || items[1]["name"] != "D" {
		t.Fatalf("order: %v %v", items[0]["name"], items[1]["name"])
	}
	// Changes: an update, a new file, a deletion.
	want(t, raw(t, s, "PUT", "/v1.0/me/drive/root:/D/f0.txt:/content", tok, []byte("changed")), 200, "update")
	want(t, raw(t, s, "PUT", "/v1.0/me/drive/root:/D/new.txt:/content", tok, []byte("n")), 201, "new")
	gone := raw(t, s, "GET", "/v1.0/me/drive/root:/D/f1.txt", tok, nil)
	want(t, do(t, s, "DELETE", "/v1.0/me/drive/items/"+gone.json["id"].(string), tok, ""), 204, "delete")
	r, vals := deltaAll(t, s, tok, deltaLink)
	got := map[string]bool{}
	for _, v := range vals {
		if v["deleted"] != nil {
			if v["id"] != gone.json["id"] || v["deleted"].(map[string]any)["state"] != "deleted" {
				t.Fatalf("deleted entry: %v", v)
			}
			got["-deleted"] = true
			continue
		}
		got[v["name"].(string)] = true
	}
	for _, n := range []string{"root", "D", "f0.txt", "new.txt", "-deleted"} {
		if !got[n] {
			t.Errorf("delta misses %s: %s", n, r.body)
		}
	}
	if got["f2.txt"] {
		t.Error("unchanged file reported")
	}
	// No change since: empty.
	again, _ := deltaAll(t, s, tok, r.json["@odata.deltaLink"].(string))
	if len(again.values()) != 0 {
		t.Fatalf("no-change delta: %s", again.body)
	}
	// token=latest and the function form.
	lt := do(t, s, "GET", "/v1.0/me/drive/root/delta?token=latest", tok, "")
	if len(lt.values()) != 0 || lt.json["@odata.deltaLink"] == nil {
		t.Fatalf("latest: %s", lt.body)
	}
	tokv, _ := url.Parse(lt.json["@odata.deltaLink"].(string))
	fn := do(t, s, "GET", "/v1.0/me/drive/root/delta(token='"+tokv.Query().Get("token")+"')", tok, "")
	want(t, fn, 200, "function form")
	// Unknown and expired tokens: 410 with a Location.
	bad := do(t, s, "GET", "/v1.0/me/drive/root/delta?token=bogus", tok, "")
	want(t, bad, 410, "bad token")
	if bad.errCode() != "resyncRequired" || !strings.HasSuffix(bad.header.Get("Location"), "/root/delta") {
		t.Fatalf("resync: %s %v", bad.body, bad.header)
	}
	s.ExpireDriveDeltaTokens()
	want(t, do(t, s, "GET", r.json["@odata.deltaLink"].(string), tok, ""), 410, "expired token")
	// Delta of a folder.
	sub := do(t, s, "GET", "/v1.0/me/drive/root:/D:/delta", tok, "")
	want(t, sub, 200, "folder delta")
	if len(sub.values()) != 6 {
		t.Fatalf("folder delta: %d", len(sub.values()))
	}
}

// deltaAll follows a delta's pages; it returns the last page and every item.
func deltaAll(t *testing.T, s *Server, tok, link string) (*result, []map[string]any) {
	t.Helper()
	var all []map[string]any
	for {
		r := do(t, s, "GET", link, tok, "")
		want(t, r, 200, "delta")
		all = append(all, r.values()...)
		next, _ := r.json["@odata.nextLink"].(string)
		if next == "" {
			return r, all
		}
		link = next
	}
}

func TestDriveSharingVersionsThumbnails(t *testing.T) {
	s, _, tok := driveServer(t, "demo")
	megan := tokenFor(t, s, "MeganB@contoso.onmicrosoft.com", driveScopes)
	// Seeded share: Adele's Q4 Plan in Megan's sharedWithMe.
	sw := do(t, s, "GET", "/v1.0/me/drive/sharedWithMe", megan, "")
	want(t, sw, 200, "sharedWithMe")
	if len(sw.values()) != 1 || sw.values()[0]["name"] != "Q4 Plan.txt" || sw.values()[0]["remoteItem"] == nil {
		t.Fatalf("sharedWithMe: %s", sw.body)
	}
	remote := sw.values()[0]["remoteItem"].(map[string]any)
	rp := remote["parentReference"].(map[string]any)
	want(t, do(t, s, "GET", "/v1.0/drives/"+rp["driveId"].(string)+"/items/"+remote["id"].(string), megan, ""), 200, "read shared item")
	// Megan cannot read Adele's other files.
	wel := raw(t, s, "GET", "/v1.0/me/drive/root:/Documents/Welcome.txt", tok, nil)
	want(t, wel, 200, "welcome")
	want(t, do(t, s, "GET", "/v1.0/drives/"+rp["driveId"].(string)+"/items/"+wel.json["id"].(string), megan, ""), 404, "not shared")

	// Versions of the seeded notes.
	notes := raw(t, s, "GET", "/v1.0/me/drive/root:/Documents/Notes/Meeting%20notes.txt", tok, nil)
	id := notes.json["id"].(string)
	vs := do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/versions", tok, "")
	if len(vs.values()) != 2 || vs.values()[0]["id"] != "2.0" {
		t.Fatalf("versions: %s", vs.body)
	}
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/versions/1.0", tok, ""), 200, "version")
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/versions/9.0", tok, ""), 404, "no version")
	vc := raw(t, s, "GET", "/v1.0/me/drive/items/"+id+"/versions/1.0/content", tok, nil)
	want(t, vc, 302, "version content")
	old := raw(t, s, "GET", vc.header.Get("Location"), "", nil)
	if !strings.HasSuffix(string(old.body), "display\n") {
		t.Fatalf("v1: %q", old.body)
	}
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+id+"/versions/1.0/restoreVersion", tok, ""), 204, "restore")
	if vs := do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/versions", tok, ""); len(vs.values()) != 3 {
		t.Fatalf("after restore: %s", vs.body)
	}

	// Links: 201, then the same link with 200.
	l1 := do(t, s, "POST", "/v1.0/me/drive/items/"+id+"/createLink", tok, `{"type":"view","scope":"organization"}`)
	want(t, l1, 201, "createLink")
	l2 := do(t, s, "POST", "/v1.0/me/drive/items/"+id+"/createLink", tok, `{"type":"view","scope":"organization"}`)
	want(t, l2, 200, "same link")
	if l1.json["id"] != l2.json["id"] || l1.json["link"].(map[string]any)["webUrl"] == "" {
		t.Fatal("link not reused")
	}
	pw := do(t, s, "POST", "/v1.0/me/drive/items/"+id+"/createLink", tok, `{"type":"edit","scope":"anonymous","password":"s3cret!","expirationDateTime":"2027-01-01T00:00:00Z"}`)
	want(t, pw, 201, "password link")
	if pw.json["hasPassword"] != true || strings.Contains(string(pw.body), "s3cret") || pw.json["roles"].([]any)[0] != "write" {
		t.Fatalf("password link: %s", pw.body)
	}
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+id+"/createLink", tok, `{"type":"bogus"}`), 400, "bad type")
	// retainInheritedPermissions false: the item stops inheriting (Megan's
	// share of the parent folder no longer applies), the owner keeps access.
	q4 := raw(t, s, "GET", "/v1.0/me/drive/root:/Documents/Q4%20Plan.txt", tok, nil).json["id"].(string)
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+q4+"/invite", tok, `{"recipients":[{"email":"AlexW@contoso.onmicrosoft.com"}],"roles":["read"]}`), 200, "invite alex")
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+q4+"/permissions", tok, ""), 200, "q4 permissions")
	docsID := raw(t, s, "GET", "/v1.0/me/drive/root:/Documents", tok, nil).json["id"].(string)
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+docsID+"/invite", tok, `{"recipients":[{"email":"NestorW@contoso.onmicrosoft.com"}],"roles":["read"]}`), 200, "invite nestor")
	nestor := tokenFor(t, s, "NestorW@contoso.onmicrosoft.com", driveScopes)
	drv := wel.json["parentReference"].(map[string]any)["driveId"].(string)
	want(t, do(t, s, "GET", "/v1.0/drives/"+drv+"/items/"+q4, nestor, ""), 200, "inherited share")
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+q4+"/createLink", tok, `{"type":"view","scope":"organization","retainInheritedPermissions":false}`), 201, "break inheritance")
	want(t, do(t, s, "GET", "/v1.0/drives/"+drv+"/items/"+q4, nestor, ""), 404, "inheritance broken")
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+q4, tok, ""), 200, "owner keeps access")
	for _, p := range do(t, s, "GET", "/v1.0/me/drive/items/"+q4+"/permissions", tok, "").values() {
		if p["inheritedFrom"] != nil {
			t.Fatalf("inherited permission after breaking inheritance: %v", p)
		}
	}
	// Invite Megan; she sees it too.
	inv := do(t, s, "POST", "/v1.0/me/drive/items/"+id+"/invite", tok, `{"recipients":[{"email":"MeganB@contoso.onmicrosoft.com"}],"roles":["read"],"requireSignIn":true,"sendInvitation":false,"message":"fyi"}`)
	want(t, inv, 200, "invite")
	if len(inv.values()) != 1 || inv.values()[0]["grantedToV2"] == nil {
		t.Fatalf("invite: %s", inv.body)
	}
	if sw := do(t, s, "GET", "/v1.0/me/drive/sharedWithMe", megan, ""); len(sw.values()) != 2 {
		t.Fatalf("sharedWithMe after invite: %s", sw.body)
	}
	want(t, do(t, s, "PATCH", "/v1.0/drives/"+rp["driveId"].(string)+"/items/"+id, megan, `{"name":"x.txt"}`), 403, "read-only share")
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+id+"/invite", tok, `{"recipients":[],"roles":["read"]}`), 400, "no recipients")
	// Permissions: list (owner inherited), get, patch, delete.
	ps := do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/permissions", tok, "")
	want(t, ps, 200, "permissions")
	var inherited, invited string
	for _, p := range ps.values() {
		if p["inheritedFrom"] != nil && p["roles"].([]any)[0] == "owner" {
			inherited = p["id"].(string)
		}
		if p["grantedToV2"] != nil && p["inheritedFrom"] == nil && p["link"] == nil {
			invited = p["id"].(string)
		}
	}
	if inherited == "" || invited == "" {
		t.Fatalf("permissions: %s", ps.body)
	}
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/permissions/"+invited, tok, ""), 200, "get permission")
	pp := do(t, s, "PATCH", "/v1.0/me/drive/items/"+id+"/permissions/"+invited, tok, `{"roles":["write"]}`)
	if pp.status != 200 || pp.json["roles"].([]any)[0] != "write" {
		t.Fatalf("patch permission: %s", pp.body)
	}
	want(t, do(t, s, "DELETE", "/v1.0/me/drive/items/"+id+"/permissions/"+inherited, tok, ""), 400, "delete inherited")
	want(t, do(t, s, "DELETE", "/v1.0/me/drive/items/"+id+"/permissions/"+invited, tok, ""), 204, "delete permission")
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/permissions/"+invited, tok, ""), 404, "deleted permission")

	// Images: facets and thumbnails.
	jpg := raw(t, s, "GET", "/v1.0/me/drive/root:/Pictures/team-offsite.jpg", tok, nil)
	img, _ := jpg.json["image"].(map[string]any)
	photo, _ := jpg.json["photo"].(map[string]any)
	if img["width"].(float64) != 320 || img["height"].(float64) != 240 || photo["cameraMake"] != "Contoso Optics" ||
		photo["cameraModel"] != "CX-100" || photo["iso"].(float64) != 200 || photo["fNumber"].(float64) != 2.8 || photo["takenDateTime"] == nil {
		t.Fatalf("facets: %v %v", img, photo)
	}
	th := do(t, s, "GET", "/v1.0/me/drive/items/"+jpg.json["id"].(string)+"/thumbnails", tok, "")
	want(t, th, 200, "thumbnails")
	small := th.values()[0]["small"].(map[string]any)
	if small["width"].(float64) != 96 || small["height"].(float64) != 72 {
		t.Fatalf("small: %v", small)
	}
	pic := raw(t, s, "GET", small["url"].(string), "", nil)
	want(t, pic, 200, "thumbnail content")
	cfg, err := png.DecodeConfig(bytes.NewReader(pic.body))
	if err != nil || cfg.Width != 96 || cfg.Height != 72 {
		t.Fatalf("thumbnail png: %v %v", cfg, err)
	}
	want(t, do(t, s, "GET", "/v1.0/me/drive/items/"+jpg.json["id"].(string)+"/thumbnails/0", tok, ""), 200, "thumbnail set")
	if th := do(t, s, "GET", "/v1.0/me/drive/items/"+id+"/thumbnails", tok, ""); len(th.values()) != 0 {
		t.Fatalf("text thumbnails: %s", th.body)
	}
	pngItem := raw(t, s, "GET", "/v1.0/me/drive/root:/Pictures/contoso-logo.png", tok, nil)
	if pngItem.json["image"].(map[string]any)["width"].(float64) != 128 || pngItem.json["photo"] != nil {
		t.Fatalf("png: %s", pngItem.body)
	}
}

func TestDriveCopySpecialSearchRecent(t *testing.T) {
	s, _, tok := driveServer(t, "demo")
	docs := raw(t, s, "GET", "/v1.0/me/drive/root:/Documents", tok, nil)
	cp := do(t, s, "POST", "/v1.0/me/drive/items/"+docs.json["id"].(string)+"/copy", tok, `{"name":"Documents copy"}`)
	want(t, cp, 202, "copy")
	mon := cp.header.Get("Location")
	m1 := raw(t, s, "GET", mon, "", nil)
	if m1.status != 202 || m1.json["status"] != "inProgress" || m1.json["percentageComplete"] == nil {
		t.Fatalf("monitor 1: %d %s", m1.status, m1.body)
	}
	m2 := raw(t, s, "GET", mon, "", nil)
	if m2.status != 200 || m2.json["status"] != "completed" || m2.json["resourceId"] == nil {
		t.Fatalf("monitor 2: %s", m2.body)
	}
	cpy := do(t, s, "GET", "/v1.0/me/drive/items/"+m2.json["resourceId"].(string)+"?$expand=children", tok, "")
	if cpy.json["name"] != "Documents copy" || float64(len(cpy.json["children"].([]any))) != docs.json["folder"].(map[string]any)["childCount"] || cpy.json["size"] != docs.json["size"] {
		t.Fatalf("copy: %v %v %v", cpy.json["name"], len(cpy.json["children"].([]any)), cpy.json["size"])
	}
	want(t, raw(t, s, "GET", "/v1.0/me/drive/root:/Documents%20copy/Notes/Meeting%20notes.txt", tok, nil), 200, "deep copy")
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+docs.json["id"].(string)+"/copy", tok, `{"name":"Documents copy"}`), 409, "copy conflict")
	want(t, do(t, s, "POST", "/v1.0/me/drive/items/"+docs.json["id"].(string)+"/copy", tok, `{"parentReference":{"id":"`+docs.json["id"].(string)+`"}}`), 400, "copy into self")
	want(t, raw(t, s, "GET", s.URL()+"/_api/v2.0/monitor/NOPE", "", nil), 404, "no monitor")

	// Special folders.
	sp := do(t, s, "GET", "/v1.0/me/drive/special/photos", tok, "")
	if sp.status != 200 || sp.json["name"] != "Pictures" || sp.json["specialFolder"] == nil {
		t.Fatalf("special: %s", sp.body)
	}
	for _, n := range []string{"documents", "approot", "cameraroll", "music", "recordings"} {
		want(t, do(t, s, "GET", "/v1.0/me/drive/special/"+n, tok, ""), 200, "special "+n)
	}
	want(t, do(t, s, "GET", "/v1.0/me/drive/special/bogus", tok, ""), 400, "bad special")

	// Search and recent.
	sr := do(t, s, "GET", "/v1.0/me/drive/root/search(q='signage')", tok, "")
	want(t, sr, 200, "search")
	if len(sr.values()) != 2 { // the notes and their copy
		t.Fatalf("search: %s", sr.body)
	}
	want(t, do(t, s, "GET", "/v1.0/me/drive/search(q='welcome')", tok, ""), 200, "drive search")
	rc := do(t, s, "GET", "/v1.0/me/drive/recent", tok, "")
	if rc.status != 200 || len(rc.values()) == 0 || rc.values()[0]["remoteItem"] == nil {
		t.Fatalf("recent: %s", rc.body)
	}
}

func TestDriveOwners(t *testing.T) {
	s, _, tok := driveServer(t, "demo")
	app := appToken(t, s)
	u := s.DefaultUser()
	want(t, do(t, s, "GET", "/v1.0/users/"+u.ID+"/drive", app, ""), 200, "app user drive")
	want(t, do(t, s, "GET", "/v1.0/me/drive", app, ""), 400, "app me")
	gs := do(t, s, "GET", "/v1.0/groups", tokenFor(t, s, u.UPN, "Group.Read.All"), "")
	gid := gs.values()[0]["id"].(string)
	g := do(t, s, "GET", "/v1.0/groups/"+gid+"/drive", tok, "")
	if g.status != 200 || g.json["driveType"] != "documentLibrary" {
		t.Fatalf("group drive: %s", g.body)
	}
	want(t, raw(t, s, "PUT", "/v1.0/groups/"+gid+"/drive/root:/g.txt:/content", tok, []byte("g")), 201, "group put")
	want(t, do(t, s, "GET", "/v1.0/groups/"+gid+"/drives", tok, ""), 200, "group drives")
	want(t, do(t, s, "GET", "/v1.0/groups/nope/drive", tok, ""), 404, "no group")
	want(t, do(t, s, "GET", "/v1.0/sites/nope/drive", tok, ""), 404, "no site")
	// A site's library is one drive whichever form names the site.
	site := do(t, s, "GET", "/v1.0/sites/root", tok, "")
	want(t, site, 200, "root site")
	sd1 := do(t, s, "GET", "/v1.0/sites/root/drive", tok, "")
	sd2 := do(t, s, "GET", "/v1.0/sites/"+site.json["id"].(string)+"/drive", tok, "")
	want(t, sd1, 200, "site drive")
	if sd1.json["id"] != sd2.json["id"] || sd1.json["driveType"] != "documentLibrary" {
		t.Fatalf("site drives: %s / %s", sd1.body, sd2.body)
	}
	want(t, raw(t, s, "PUT", "/v1.0/sites/root/drive/root:/s.txt:/content", tok, []byte("s")), 201, "site put")
	// Another user's drive without sharing: the drive, but not its items.
	meg, _ := s.lookupUser("MeganB@contoso.onmicrosoft.com")
	want(t, do(t, s, "GET", "/v1.0/users/"+meg.ID+"/drive/root:/Documents", tok, ""), 404, "other's item")
}

func TestDriveAPI(t *testing.T) {
	s, _, tok := driveServer(t, "")
	u := s.DefaultUser()
	driveID, itemID, err := s.seedDriveFile("user", u.ID, "Documents/Budget.xlsx", []byte("PK fake"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ensureDrive("user", u.ID, "OneDrive"); got != driveID {
		t.Fatalf("ensureDrive = %q, want %q", got, driveID)
	}
	name, content, etag, gerr := s.driveFile(driveID, itemID)
	if gerr != nil || name != "Budget.xlsx" || string(content) != "PK fake" || etag == "" {
		t.Fatalf("driveFile: %v %q %q %q", gerr, name, content, etag)
	}
	if gerr := s.writeDriveFile(driveID, itemID, []byte("PK new")); gerr != nil {
		t.Fatal(gerr)
	}
	_, content, etag2, _ := s.driveFile(driveID, itemID)
	if string(content) != "PK new" || etag2 == etag {
		t.Fatal("writeDriveFile did not write a new version")
	}
	if vs := do(t, s, "GET", "/v1.0/me/drive/items/"+itemID+"/versions", tok, ""); len(vs.values()) != 2 {
		t.Fatalf("versions: %s", vs.body)
	}
	r := raw(t, s, "GET", "/v1.0/me/drive/root:/Documents/Budget.xlsx", tok, nil)
	if r.json["file"].(map[string]any)["mimeType"] != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("mime: %s", r.body)
	}
	// A path reference resolves too (the workbook routes by path).
	if n, _, _, gerr := s.driveFile(driveID, encodeItemRef("root", "/Documents/Budget.xlsx")); gerr != nil || n != "Budget.xlsx" {
		t.Fatalf("by ref: %v", gerr)
	}
	if _, _, _, gerr := s.driveFile(driveID, "01NOPE"); gerr == nil || gerr.status != 404 {
		t.Fatal("missing file")
	}
	if gerr := s.writeDriveFile("b!nope", itemID, nil); gerr == nil {
		t.Fatal("missing drive")
	}
	if _, _, err := s.seedDriveFile("user", "nobody", "a.txt", nil); err == nil {
		t.Fatal("seed for a missing user")
	}
	if s.ensureDrive("user", "nobody", "OneDrive") != "" {
		t.Fatal("ensureDrive for a missing user")
	}
	gd := s.ensureDrive("group", "g-1", "Documents")
	if gd == "" || gd != s.ensureDrive("group", "g-1", "Documents") {
		t.Fatal("ensureDrive group")
	}
}

func TestDriveEXIFParserIsSafe(t *testing.T) {
	good := seedJPEG(16, 8, time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC))
	tags, ok := jpegEXIF(good)
	if !ok || tags.make != "Contoso Optics" || tags.taken != "2025:05:01 10:00:00" {
		t.Fatalf("exif: %+v %v", tags, ok)
	}
	// Every truncation and a few corruptions must not panic.
	for i := 0; i < len(good); i += 7 {
		imageFacets(good[:i])
		bad := append([]byte(nil), good...)
		bad[i] ^= 0xFF
		imageFacets(bad)
	}
}

// FuzzDrivePath holds the path splitting to never panicking and to
// round-tripping path references.
func FuzzDrivePath(f *testing.F) {
	for _, s := range []string{"/v1.0/me/drive/root:/a/b:/content", "/v1.0/drives/x/items/y:/z", "/v1.0/me/drive", "/v1.0/drives/x",
		"/v1.0/me/drive/root:", "/v1.0/me/drive/items", "/v1.0/me/drive/root/search(q='x", "/v1.0/me/drive/root/delta(token=)",
		"/v1.0/drives/x/items/%3A%3A%3A", "/v1.0/me/drive/root%3A%2F%3A/x", "/v1.0/me/drive/search()"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		_, segs, _ := splitGraphPath(p)
		for _, s := range segs {
			if base, rel, ok := decodeItemRef(s); ok && encodeItemRef(base, rel) != s {
				t.Fatalf("ref %q does not round-trip", s)
			}
		}
		functionArg(p, "search", "q")
		functionArg(p, "delta", "token")
	})
}
