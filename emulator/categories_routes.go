package emulator

import (
	"net/http"
	"strings"
	"sync"
)

// Outlook master categories (outlookuser-list-mastercategories.md,
// outlookuser-post-mastercategories.md, outlookcategory-get.md,
// outlookcategory-update.md, outlookcategory-delete.md): the user's
// category list, created on first use with Outlook's six default
// categories. MailboxSettings.Read to read, MailboxSettings.ReadWrite to
// write, for one's own mailbox only (delegated) or any (application).
// displayName is unique (case-insensitively: a duplicate answers 409) and
// cannot change after creation; color is "none" or preset0..preset24.

// categoriesState is the server's master category lists. Its zero value
// is ready.
type categoriesState struct {
	mu     sync.Mutex
	byUser map[string][]map[string]any
}

// defaultCategories are the categories a new Outlook mailbox has.
var defaultCategories = [][2]string{
	{"Red category", "preset0"}, {"Orange category", "preset1"}, {"Yellow category", "preset3"},
	{"Green category", "preset4"}, {"Blue category", "preset7"}, {"Purple category", "preset8"},
}

var categoryKeyOrder = []string{"id", "displayName", "color"}

// of returns the user's categories, creating the defaults. Caller holds
// st.mu.
func (st *categoriesState) of(userID string) []map[string]any {
	if st.byUser == nil {
		st.byUser = map[string][]map[string]any{}
	}
	list, ok := st.byUser[userID]
	if !ok {
		for _, d := range defaultCategories {
			list = append(list, map[string]any{"id": deterministicID("category", userID+"/"+d[0]), "displayName": d[0], "color": d[1]})
		}
		st.byUser[userID] = list
	}
	return list
}

func validCategoryColor(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	if s == "none" {
		return true
	}
	n, ok := strings.CutPrefix(s, "preset")
	if !ok || n == "" || len(n) > 2 || (len(n) == 2 && n[0] == '0') {
		return false
	}
	x := 0
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
		x = x*10 + int(r-'0')
	}
	return x <= 24
}

func errBadColor() *graphError {
	return errorf(http.StatusBadRequest, "ErrorInvalidArgument", "The color must be 'none' or one of 'preset0' to 'preset24'.")
}

// registerCategories adds the master category routes.
func (s *Server) registerCategories(rt *router) {
	p := "users/{user}/outlook/masterCategories"
	rt.add(http.MethodGet, p, permSettingsRead, true, s.listCategories)
	rt.add(http.MethodPost, p, permSettingsWrite, true, s.createCategory)
	rt.add(http.MethodGet, p+"/{outlookCategory}", permSettingsRead, true, s.categoryRoute)
	rt.add(http.MethodPatch, p+"/{outlookCategory}", permSettingsWrite, true, s.categoryRoute)
	rt.add(http.MethodDelete, p+"/{outlookCategory}", permSettingsWrite, true, s.categoryRoute)
}

func (c *call) categoriesContext(userID string) string {
	return c.base() + "/$metadata#users('" + userID + "')/outlook/masterCategories"
}

func (s *Server) listCategories(c *call) {
	mb, gerr := s.settingsMailbox(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	st := &s.categories
	st.mu.Lock()
	var items [][]byte
	for _, cat := range st.of(mb.userID) {
		items = append(items, encodeObject(cat, categoryKeyOrder))
	}
	st.mu.Unlock()
	body := []byte(`{"@odata.context":`)
	body = appendJSONStr(body, c.categoriesContext(mb.userID))
	body = append(body, `,"value":`...)
	body = append(body, joinArray(items)...)
	body = append(body, '}')
	c.writeRaw(http.StatusOK, body)
}

func (s *Server) createCategory(c *call) {
	mb, gerr := s.settingsMailbox(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 16)
	if !ok {
		return
	}
	cat := map[string]any{"id": newUUID(), "color": "none"}
	for k, v := range in {
		switch k {
		case "id":
		case "displayName":
			name, ok := v.(string)
			if !ok || strings.TrimSpace(name) == "" {
				c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidArgument", "The displayName of a category must be a non-empty string."))
				return
			}
			cat[k] = name
		case "color":
			if !validCategoryColor(v) {
				c.writeError(errBadColor())
				return
			}
			cat[k] = v
		default:
			if !strings.HasPrefix(k, "@") {
				c.writeError(errUnknownProperty(k, "microsoft.graph.outlookCategory"))
				return
			}
		}
	}
	if _, ok := cat["displayName"]; !ok {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidArgument", "The displayName of a category must be a non-empty string."))
		return
	}
	st := &s.categories
	st.mu.Lock()
	for _, x := range st.of(mb.userID) {
		if strings.EqualFold(str(x["displayName"]), str(cat["displayName"])) {
			st.mu.Unlock()
			c.writeError(errorf(http.StatusConflict, "ErrorAlreadyExists", "A category with the specified name already exists."))
			return
		}
	}
	st.byUser[mb.userID] = append(st.byUser[mb.userID], cat)
	raw := encodeObject(cat, categoryKeyOrder)
	st.mu.Unlock()
	c.writeEntity(http.StatusCreated, c.categoriesContext(mb.userID)+"/$entity", raw)
}

// categoryRoute serves GET, PATCH and DELETE of one category.
func (s *Server) categoryRoute(c *call) {
	mb, gerr := s.settingsMailbox(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var in map[string]any
	if c.r.Method == http.MethodPatch {
		var ok bool
		if in, ok = c.readObject(1 << 16); !ok {
			return
		}
	}
	st := &s.categories
	st.mu.Lock()
	list := st.of(mb.userID)
	i := -1
	for j, x := range list {
		if str(x["id"]) == c.params["outlookCategory"] {
			i = j
		}
	}
	if i < 0 {
		st.mu.Unlock()
		c.writeError(errItemNotFound())
		return
	}
	cat := list[i]
	switch c.r.Method {
	case http.MethodDelete:
		st.byUser[mb.userID] = append(list[:i:i], list[i+1:]...)
		st.mu.Unlock()
		c.setCommonHeaders()
		c.w.WriteHeader(http.StatusNoContent)
		return
	case http.MethodPatch:
		for k, v := range in {
			switch k {
			case "color":
				if !validCategoryColor(v) {
					st.mu.Unlock()
					c.writeError(errBadColor())
					return
				}
			case "displayName":
				if v != cat["displayName"] {
					st.mu.Unlock()
					c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidArgument", "The displayName of a category cannot be changed."))
					return
				}
			case "id":
			default:
				if !strings.HasPrefix(k, "@") {
					st.mu.Unlock()
					c.writeError(errUnknownProperty(k, "microsoft.graph.outlookCategory"))
					return
				}
			}
		}
		if v, ok := in["color"]; ok {
			cat = map[string]any{"id": cat["id"], "displayName": cat["displayName"], "color": v}
			list[i] = cat
		}
	}
	raw := encodeObject(cat, categoryKeyOrder)
	st.mu.Unlock()
	c.writeEntity(http.StatusOK, c.categoriesContext(mb.userID)+"/$entity", raw)
}
