package emulator

import (
	"net/http"
	"strings"
)

// Resource parsing: a subscription's resource ("me/mailFolders('Inbox')/messages",
// "/teams/{id}/channels/{id}/messages", ...) becomes the canonical topics of
// changes.go and the resource kind that bounds its expiry.

var (
	permSubMail     = &permission{delegated: []string{"Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"}, app: []string{"Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"}}
	permSubCalendar = &permission{delegated: []string{"Calendars.Read", "Calendars.ReadWrite"}, app: []string{"Calendars.Read", "Calendars.ReadWrite"}}
	permSubContacts = &permission{delegated: []string{"Contacts.Read", "Contacts.ReadWrite"}, app: []string{"Contacts.Read", "Contacts.ReadWrite"}}
	permSubTasks    = &permission{delegated: []string{"Tasks.Read", "Tasks.ReadWrite"}, app: []string{"Tasks.Read.All", "Tasks.ReadWrite.All"}}
	permSubFiles    = &permission{delegated: []string{"Files.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All"}, app: []string{"Files.ReadWrite.All", "Sites.ReadWrite.All"}}
	permSubLists    = &permission{delegated: []string{"Sites.ReadWrite.All"}, app: []string{"Sites.ReadWrite.All"}}
	permSubChannel  = &permission{delegated: []string{"ChannelMessage.Read.All", "Group.Read.All", "Group.ReadWrite.All"}, app: []string{"ChannelMessage.Read.Group", "ChannelMessage.Read.All"}}
	permSubChat     = &permission{delegated: []string{"Chat.Read", "Chat.ReadWrite"}, app: []string{"Chat.Read.All", "Chat.ReadWrite.All"}}
	permSubPresence = &permission{delegated: []string{"Presence.Read", "Presence.Read.All", "Presence.ReadWrite"}, app: []string{"Presence.Read.All"}}
	permSubPlanner  = &permission{delegated: []string{"Tasks.Read", "Tasks.ReadWrite", "Group.Read.All", "Group.ReadWrite.All"}, app: []string{"Tasks.Read.All", "Tasks.ReadWrite.All", "Group.Read.All"}}
)

// parsedResource is what a subscription resource watches.
type parsedResource struct {
	topics []string
	kind   resourceKind
	perm   *permission
}

func errResourceNotSupported(res string) *graphError {
	return errorf(http.StatusBadRequest, "InvalidRequest", "The resource '"+res+"' is not supported for change notifications.")
}

// parseSubscriptionResource maps a resource to its topics. It checks that
// users, folders and sites exist and that the caller may watch them.
func (s *Server) parseSubscriptionResource(c *call, res string) (parsedResource, *graphError) {
	raw := strings.TrimSpace(res)
	path, query, _ := strings.Cut(strings.TrimPrefix(raw, "/"), "?")
	if path == "" {
		return parsedResource{}, errResourceNotSupported(res)
	}
	_, segs, ok := splitGraphPath("/v1.0/" + path)
	if !ok || len(segs) == 0 {
		return parsedResource{}, errResourceNotSupported(res)
	}
	if strings.EqualFold(segs[0], "drive") { // "/drive" is the signed-in user's drive
		segs = append([]string{"me"}, segs...)
	}
	if strings.EqualFold(segs[0], "me") {
		if c.claims.AppOnly {
			return parsedResource{}, errBadRequest("/me request is only valid with delegated authentication flow.")
		}
		segs = append([]string{"users", c.claims.ObjectID}, segs[1:]...)
	}
	ls := lowerSegs(segs)
	is := func(pattern ...string) bool {
		if len(pattern) != len(ls) {
			return false
		}
		for i, p := range pattern {
			if p != "*" && p != ls[i] {
				return false
			}
		}
		return true
	}
	switch {
	case len(ls) >= 3 && ls[0] == "users":
		u, gerr := s.subscriptionUser(c, segs[1])
		if gerr != nil {
			return parsedResource{}, gerr
		}
		base := "users/" + u.ID
		switch {
		case is("users", "*", "messages"):
			return parsedResource{topics: []string{base + "/messages"}, kind: kindOutlook, perm: permSubMail}, nil
		case is("users", "*", "mailfolders", "*", "messages"):
			mb := s.ensureMailbox(u.ID)
			s.mu.Lock()
			f := mb.folderByKey(segs[3])
			s.mu.Unlock()
			if f == nil {
				return parsedResource{}, errItemNotFound()
			}
			return parsedResource{topics: []string{base + "/mailfolders/" + f.id + "/messages"}, kind: kindOutlook, perm: permSubMail}, nil
		case is("users", "*", "events"), is("users", "*", "calendar", "events"):
			return parsedResource{topics: []string{base + "/events"}, kind: kindOutlook, perm: permSubCalendar}, nil
		case is("users", "*", "contacts"):
			return parsedResource{topics: []string{base + "/contacts"}, kind: kindOutlook, perm: permSubContacts}, nil
		case is("users", "*", "todo", "lists", "*", "tasks"):
			return parsedResource{topics: []string{base + "/todo/lists/" + segs[4] + "/tasks"}, kind: kindTodo, perm: permSubTasks}, nil
		case is("users", "*", "drive", "root"):
			id := s.ensureDrive("user", u.ID, "OneDrive")
			if id == "" {
				return parsedResource{}, errResourceNotSupported(res)
			}
			return parsedResource{topics: []string{"drives/" + id + "/root"}, kind: kindDrive, perm: permSubFiles}, nil
		}
	case is("drives", "*", "root"):
		return parsedResource{topics: []string{"drives/" + segs[1] + "/root"}, kind: kindDrive, perm: permSubFiles}, nil
	case is("sites", "*", "drive", "root"), is("groups", "*", "drive", "root"):
		// The topic names the drive by id, whichever way the resource names
		// its owner.
		var ds []*drive
		if ls[0] == "sites" || (s.dir != nil && s.dir.groups != nil) {
			ds = s.ownerDrives(strings.TrimSuffix(ls[0], "s"), segs[1])
		}
		if len(ds) == 0 {
			return parsedResource{}, errorf(http.StatusNotFound, "itemNotFound", "The requested drive was not found.")
		}
		return parsedResource{topics: []string{"drives/" + ds[0].id + "/root"}, kind: kindDrive, perm: permSubFiles}, nil
	case is("sites", "*", "lists", "*"):
		// Topics use the canonical site id and the list id (sites_api.go),
		// whichever id form, host:path or list name the resource uses.
		if !s.siteExists(segs[1]) {
			return parsedResource{}, errorf(http.StatusNotFound, "itemNotFound", "The requested site was not found.")
		}
		site, list, ok := s.siteList(segs[1], segs[3])
		if !ok {
			return parsedResource{}, errorf(http.StatusNotFound, "itemNotFound", "The requested list was not found.")
		}
		return parsedResource{topics: []string{"sites/" + site + "/lists/" + list}, kind: kindList, perm: permSubLists}, nil
	case is("teams", "*", "channels", "*", "messages"):
		return parsedResource{topics: []string{"teams/" + segs[1] + "/channels/" + segs[3] + "/messages"}, kind: kindTeamsMessage, perm: permSubChannel}, nil
	case is("chats", "*", "messages"):
		return parsedResource{topics: []string{"chats/" + segs[1] + "/messages"}, kind: kindTeamsMessage, perm: permSubChat}, nil
	case is("communications", "presences", "*"):
		return parsedResource{topics: []string{"communications/presences/" + s.presenceID(segs[2])}, kind: kindPresence, perm: permSubPresence}, nil
	case is("communications", "presences"):
		ids := presenceFilterIDs(query)
		if len(ids) == 0 {
			return parsedResource{}, errResourceNotSupported(res)
		}
		topics := make([]string, len(ids))
		for i, id := range ids {
			topics[i] = "communications/presences/" + s.presenceID(id)
		}
		return parsedResource{topics: topics, kind: kindPresence, perm: permSubPresence}, nil
	case is("planner", "plans", "*", "tasks"):
		return parsedResource{topics: []string{"planner/plans/" + segs[2] + "/tasks"}, kind: kindPlanner, perm: permSubPlanner}, nil
	}
	return parsedResource{}, errResourceNotSupported(res)
}

// subscriptionUser resolves the user of a users/{id}/... resource; a
// delegated caller may watch only their own data.
func (s *Server) subscriptionUser(c *call, key string) (User, *graphError) {
	u, ok := s.lookupUser(key)
	if !ok {
		return User{}, errorf(http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+key+"' is invalid.")
	}
	if !c.claims.AppOnly && u.ID != c.claims.ObjectID {
		return User{}, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
	}
	return u, nil
}

// presenceID is a presence's id: the user's id when key names a user.
func (s *Server) presenceID(key string) string {
	if u, ok := s.lookupUser(key); ok {
		return u.ID
	}
	return key
}

// presenceFilterIDs reads the ids of "$filter=id in ('a','b')".
func presenceFilterIDs(query string) []string {
	q := query
	if i := strings.Index(strings.ToLower(q), " in "); i >= 0 {
		q = q[i+4:]
	} else if i := strings.Index(strings.ToLower(q), "%20in%20"); i >= 0 {
		q = q[i+8:]
	}
	var ids []string
	for {
		i := strings.IndexByte(q, '\'')
		if i < 0 {
			break
		}
		j := strings.IndexByte(q[i+1:], '\'')
		if j < 0 {
			break
		}
		ids = append(ids, q[i+1:i+1+j])
		q = q[i+j+2:]
	}
	return ids
}
