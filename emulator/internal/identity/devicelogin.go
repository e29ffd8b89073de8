package identity

import (
	"net/http"
	"strings"
)

// serveDeviceLogin is GET and POST /devicelogin: the user enters the code,
// then signs in and consents, which approves (or declines) the device
// code.
func (p *Provider) serveDeviceLogin(w http.ResponseWriter, r *http.Request) {
	const action = "/devicelogin"
	switch r.Method {
	case http.MethodGet:
		render(w, http.StatusOK, "code", pageData{Title: "Enter code", Action: action})
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		render(w, http.StatusBadRequest, "code", pageData{Title: "Enter code", Action: action, Error: "The request could not be read. Try again."})
		return
	}
	f := r.PostForm
	userCode := normalizeUserCode(f.Get("otc"))
	now := p.now()
	p.mu.Lock()
	var app *App
	var scopes []string
	if d := p.pendingDevice(userCode, now); d != nil {
		app = p.apps[d.clientID]
		scopes = d.scopes
	}
	p.mu.Unlock()
	if app == nil {
		render(w, http.StatusBadRequest, "code", pageData{Title: "Enter code", Action: action,
			Error: "That code didn't work. Check the code and try again."})
		return
	}
	signIn := func(status int, username, msg string) {
		name := app.Name
		if name == "" {
			name = app.ClientID
		}
		render(w, status, "signin", pageData{
			Title:    "Sign in to your account",
			Heading:  "Permissions requested",
			AppName:  name,
			Scopes:   scopeLines(scopes),
			Action:   action,
			Hidden:   []field{{"otc", userCode}},
			Username: username,
			Users:    p.userUPNs(),
			Error:    msg,
		})
	}
	switch f.Get("action") {
	case "":
		signIn(http.StatusOK, "", "")
	case "cancel":
		if err := p.DeclineDeviceCode(userCode); err != nil {
			render(w, http.StatusBadRequest, "code", pageData{Title: "Enter code", Action: action, Error: "That code didn't work. Check the code and try again."})
			return
		}
		render(w, http.StatusOK, "message", pageData{Title: "Sign in canceled", Heading: "Sign in canceled",
			Message: "You have declined to sign in to the application on your device. You may now close this window."})
	case "accept":
		u := p.checkPassword(f.Get("username"), f.Get("password"))
		if u == nil {
			signIn(http.StatusBadRequest, f.Get("username"), "Your account or password is incorrect. (AADSTS50126)")
			return
		}
		if err := p.ApproveDeviceCode(userCode, u.UPN); err != nil {
			render(w, http.StatusBadRequest, "code", pageData{Title: "Enter code", Action: action, Error: "That code didn't work. Check the code and try again."})
			return
		}
		name := app.Name
		if strings.TrimSpace(name) == "" {
			name = app.ClientID
		}
		render(w, http.StatusOK, "message", pageData{Title: "Signed in", Heading: name,
			Message: "You have signed in to the " + name + " application on your device. You may now close this window."})
	default:
		signIn(http.StatusBadRequest, f.Get("username"), "Choose Accept or Cancel.")
	}
}
