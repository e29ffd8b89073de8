package identity

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
)

// pageData feeds the HTML templates; html/template escapes every field.
type pageData struct {
	Title     string
	Heading   string
	AppName   string
	Publisher string
	Scopes    []scopeLine
	Action    string
	Hidden    []field
	Username  string
	Users     []string // UPNs offered as suggestions; never passwords
	Error     string
	Message   string
	Details   []string
	Target    string  // form_post destination
	Fields    []field // form_post values
}

type scopeLine struct{ Name, Description string }

type field struct{ Name, Value string }

var pages = template.Must(template.New("pages").Parse(`
{{define "head"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f2f2f2;font:15px/1.45 "Segoe UI",system-ui,-apple-system,sans-serif;color:#1b1b1b}
main{width:100%;max-width:440px;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.brand{font-size:13px;color:#5e5e5e;letter-spacing:.02em;margin-bottom:16px}
h1{font-size:24px;font-weight:600;margin:0 0 12px}
p{margin:0 0 12px}
label{display:block;font-size:13px;color:#5e5e5e;margin:12px 0 2px}
input[type=text],input[type=email],input[type=password]{width:100%;padding:6px 0;border:0;border-bottom:1px solid #666;font:inherit;outline:none}
input:focus{border-bottom-color:#0067b8}
ul.scopes{list-style:none;padding:0;margin:8px 0 16px;border-top:1px solid #e5e5e5}
ul.scopes li{padding:8px 0;border-bottom:1px solid #e5e5e5}
ul.scopes small{display:block;color:#5e5e5e;font-family:ui-monospace,monospace;font-size:12px}
.error{color:#e81123;margin:8px 0}
.details{font-family:ui-monospace,monospace;font-size:12px;color:#5e5e5e;word-break:break-all}
.buttons{display:flex;flex-direction:row-reverse;gap:8px;margin-top:24px}
.note{margin-top:16px;font-size:13px;color:#5e5e5e}
button{min-width:108px;padding:6px 12px;font:inherit;border:1px solid #8c8c8c;background:#ccc;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
</style>
</head>
<body>
<main>
<div class="brand">o365 emulator &middot; Microsoft identity platform</div>
{{end}}
{{define "foot"}}</main>
</body>
</html>
{{end}}
{{define "signin"}}{{template "head" .}}<h1>{{.Heading}}</h1>
{{if .AppName}}<p><strong>{{.AppName}}</strong>{{if .Publisher}} ({{.Publisher}}){{end}} would like to:</p>{{end}}
{{if .Scopes}}<ul class="scopes">{{range .Scopes}}<li>{{.Description}}<small>{{.Name}}</small></li>{{end}}</ul>{{end}}
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<label for="username">Email, phone, or Skype</label>
<input type="email" id="username" name="username" value="{{.Username}}" autocomplete="username" list="users" autofocus>
{{if .Users}}<datalist id="users">{{range .Users}}<option value="{{.}}">{{end}}</datalist>{{end}}
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<p class="note">Accepting these permissions means that you allow this app to use your data as specified in its terms of service and privacy statement.</p>
<div class="buttons">
<button type="submit" name="action" value="accept" class="primary">Accept</button>
<button type="submit" name="action" value="cancel">Cancel</button>
</div>
</form>
{{template "foot"}}{{end}}
{{define "code"}}{{template "head" .}}<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<label for="otc">Code</label>
<input type="text" id="otc" name="otc" autocomplete="off" autofocus>
<div class="buttons"><button type="submit" class="primary">Next</button></div>
</form>
{{template "foot"}}{{end}}
{{define "message"}}{{template "head" .}}<h1>{{.Heading}}</h1>
<p>{{.Message}}</p>
{{if .Details}}<div class="details">{{range .Details}}<div>{{.}}</div>{{end}}</div>{{end}}
{{template "foot"}}{{end}}
{{define "formpost"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{{.Target}}">
{{range .Fields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript>
</form>
</body></html>
{{end}}
`))

// render writes an HTML page; status is the HTTP status.
func render(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, d); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if name == "formpost" {
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'")
	} else {
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderErrorPage shows an error that must not be sent to a redirect URI
// (unknown tenant, unknown app, bad redirect URI).
func (p *Provider) renderErrorPage(w http.ResponseWriter, r *http.Request, e *oauthError) {
	_, trace, corr, ts := p.describe(r, e)
	render(w, http.StatusBadRequest, "message", pageData{
		Title:   "Sign in to your account",
		Heading: "Sorry, but we're having trouble signing you in.",
		Message: "AADSTS" + strconv.Itoa(e.aadsts) + ": " + e.msg,
		Details: []string{"Request Id: " + trace, "Correlation Id: " + corr, "Timestamp: " + ts},
	})
}

// scopeLines lists scopes for the consent page.
func scopeLines(scopes []string) []scopeLine {
	out := make([]scopeLine, 0, len(scopes))
	for _, s := range scopes {
		out = append(out, scopeLine{Name: s, Description: describeScope(s)})
	}
	return out
}
