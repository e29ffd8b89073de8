package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Microsoft To Do (todo-overview.md): task lists, tasks and checklist
// items per user. Each user gets the default list "Tasks"
// (wellknownListName defaultList) the first time To Do is used; it cannot
// be deleted. Lists, tasks and checklist items live in three collections
// partitioned by user; tasks are grouped by list and checklist items by
// task, so listings page over one group and deltas follow its changes.
// Due and start dates are days, answered in UTC (todoDateValue), as the
// service does.

// todoState is the emulator's To Do data. The zero value is ready: the
// collections are made on first use.
type todoState struct {
	once  sync.Once
	lists *collection
	tasks *collection
	items *collection

	// mu serialises writes (read-modify-put of one entity, default list
	// creation) and guards rounds.
	mu sync.Mutex
	// rounds are computed delta rounds by id, so their pages are served
	// from one consistent result.
	rounds     map[string]*todoRound
	roundOrder []string
}

// Hidden keys of the stored documents: the containing list of a task and
// the containing task of a checklist item. They are never encoded.
const (
	todoListKey = " list"
	todoTaskKey = " task"
)

func (t *todoState) init() {
	t.once.Do(func() {
		t.lists = newCollection("todoTaskLists", nil)
		t.tasks = newCollection("todoTasks", nil)
		t.tasks.groupOf = func(e *entity) string { return str(e.doc[todoListKey]) }
		t.items = newCollection("checklistItems", nil)
		t.items.groupOf = func(e *entity) string { return str(e.doc[todoTaskKey]) }
		t.rounds = map[string]*todoRound{}
	})
}

var (
	todoListProps = todoSet("id displayName isOwner isShared wellknownListName extensions tasks")
	todoTaskProps = todoSet("id title body importance status isReminderOn reminderDateTime dueDateTime startDateTime completedDateTime " +
		"recurrence categories createdDateTime lastModifiedDateTime bodyLastModifiedDateTime hasAttachments " +
		"checklistItems linkedResources attachments attachmentSessions extensions")
	todoTaskWritable = todoSet("title body importance status isReminderOn reminderDateTime dueDateTime startDateTime completedDateTime recurrence categories")
	checklistProps   = todoSet("id displayName isChecked checkedDateTime createdDateTime")
	checklistWrite   = todoSet("displayName isChecked checkedDateTime")

	todoListOrder      = []string{"@odata.etag", "displayName", "isOwner", "isShared", "wellknownListName", "id"}
	todoTaskOrder      = []string{"@odata.etag", "importance", "isReminderOn", "status", "title", "createdDateTime", "lastModifiedDateTime", "hasAttachments", "categories", "id", "body"}
	checklistItemOrder = []string{"displayName", "createdDateTime", "checkedDateTime", "isChecked", "id"}
)

// todoSet is a set of exact property names: To Do bodies are matched
// case-sensitively, as the service's JSON reader does.
func todoSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}

// todoEtag returns a fresh weak etag in Outlook's form.
func todoEtag() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return `W/"` + base64.StdEncoding.EncodeToString(b[:]) + `"`
}

// todoID returns an Outlook-looking To Do id.
func todoID(prefix string) string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return prefix + base64.URLEncoding.EncodeToString(b[:])
}

// todoEntity encodes doc as the stored entity of the user, with a new
// etag when withEtag is set.
func todoEntity(userID, id string, doc map[string]any, order []string, withEtag bool) *entity {
	e := &entity{id: id, part: userID, doc: doc}
	if withEtag {
		e.etag = todoEtag()
		doc["@odata.etag"] = e.etag
	}
	doc["id"] = id
	e.raw = encodeObject(doc, order, todoListKey, todoTaskKey)
	return e
}

// todoTime formats t as Graph writes To Do timestamps.
func todoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// todoDateTimeTimeZone formats t as a dateTimeTimeZone in UTC.
func todoDateTimeTimeZone(t time.Time) map[string]any {
	return map[string]any{"dateTime": t.UTC().Format("2006-01-02T15:04:05.0000000"), "timeZone": "UTC"}
}

// defaultList returns the user's default list, creating it (and so the
// user's To Do) on first use.
func (s *Server) todoDefaultList(userID string) *entity {
	t := &s.todo
	t.init()
	for _, e := range t.lists.view(userID, "") {
		if str(e.doc["wellknownListName"]) == "defaultList" {
			return e
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.lists.view(userID, "") {
		if str(e.doc["wellknownListName"]) == "defaultList" {
			return e
		}
	}
	doc := map[string]any{"displayName": "Tasks", "isOwner": true, "isShared": false, "wellknownListName": "defaultList"}
	e := todoEntity(userID, todoID("AAMkADIyAAAAAB"), doc, todoListOrder, true)
	t.lists.put(e)
	return e
}

// todoUser resolves the route's user: a delegated caller may only use
// their own To Do (Graph has no shared To Do access); an app-only caller
// any user's.
func (s *Server) todoUser(c *call) (User, *graphError) {
	key := c.params["user"]
	u, ok := s.lookupUser(key)
	if !ok {
		if !c.claims.AppOnly {
			return User{}, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
		return User{}, errorf(http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+key+"' is invalid.")
	}
	if !c.claims.AppOnly && u.ID != c.claims.ObjectID {
		return User{}, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
	}
	s.todoDefaultList(u.ID)
	return u, nil
}

// todoStart begins a To Do handler: it resolves the route's user and,
// when limit > 0, reads the JSON object body of at most limit bytes. On
// failure it has answered the request and reports false.
func (s *Server) todoStart(c *call, limit int64) (userID string, in map[string]any, ok bool) {
	u, gerr := s.todoUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return "", nil, false
	}
	if limit > 0 {
		if in, ok = c.readObject(limit); !ok {
			return "", nil, false
		}
	}
	return u.ID, in, true
}

// todoLock takes s.todo.mu, finds the entity a write targets and, when
// ifMatch is set, checks If-Match against it. It returns with the lock
// held only when ok; on failure it has answered and released the lock.
func (s *Server) todoLock(c *call, find func() (*entity, *graphError), ifMatch bool) (*entity, bool) {
	s.todo.mu.Lock()
	e, gerr := find()
	if gerr != nil {
		s.todo.mu.Unlock()
		c.writeError(gerr)
		return nil, false
	}
	if ifMatch && !c.checkIfMatch(e) {
		s.todo.mu.Unlock()
		return nil, false
	}
	return e, true
}

// todoList resolves {list} of the route for the user.
func (s *Server) todoList(c *call, userID string) (*entity, *graphError) {
	e, ok := s.todo.lists.get(c.params["list"])
	if !ok || e.part != userID {
		return nil, errItemNotFound()
	}
	return e, nil
}

// todoTask resolves {list}/tasks/{task} of the route.
func (s *Server) todoTask(c *call, userID string) (list, task *entity, gerr *graphError) {
	list, gerr = s.todoList(c, userID)
	if gerr != nil {
		return nil, nil, gerr
	}
	e, ok := s.todo.tasks.get(c.params["task"])
	if !ok || e.part != userID || str(e.doc[todoListKey]) != list.id {
		return nil, nil, errItemNotFound()
	}
	return list, e, nil
}

// todoItem resolves .../checklistItems/{item} of the route.
func (s *Server) todoItem(c *call, userID string) (task, item *entity, gerr *graphError) {
	_, task, gerr = s.todoTask(c, userID)
	if gerr != nil {
		return nil, nil, gerr
	}
	e, ok := s.todo.items.get(c.params["item"])
	if !ok || e.part != userID || str(e.doc[todoTaskKey]) != task.id {
		return nil, nil, errItemNotFound()
	}
	return task, e, nil
}

// todoCloneDoc copies a stored document for a write.
func todoCloneDoc(doc map[string]any) map[string]any { return maps.Clone(doc) }

// validDateTimeTimeZone reports whether v is a dateTimeTimeZone object
// with a parseable dateTime.
func validDateTimeTimeZone(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	dt := str(m["dateTime"])
	if dt == "" {
		return false
	}
	dt = strings.TrimSuffix(dt, "Z")
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if _, err := time.Parse(layout, dt); err == nil {
			return true
		}
	}
	return false
}

// applyTaskChanges validates a task body and applies it to doc (a copy).
func applyTaskChanges(doc, in map[string]any, now time.Time, creating bool) *graphError {
	const typ = "microsoft.graph.todoTask"
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@odata."):
			continue
		case k == "linkedResources" && creating:
			continue
		case todoTaskWritable[k]:
		case todoTaskProps[k]:
			return errorf(http.StatusBadRequest, "invalidRequest", "The property '"+k+"' is read-only and cannot be set.")
		default:
			return errUnknownProperty(k, typ)
		}
		switch k {
		case "title":
			if _, ok := v.(string); !ok && v != nil {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'title'.")
			}
			doc[k] = str(v)
		case "importance":
			s := str(v)
			if !todoSet("low normal high")[s] {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value '"+s+"' for property 'importance'.")
			}
			doc[k] = s
		case "status":
			s := str(v)
			if !todoSet("notStarted inProgress completed waitingOnOthers deferred")[s] {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value '"+s+"' for property 'status'.")
			}
			doc[k] = s
		case "isReminderOn":
			b, ok := v.(bool)
			if !ok {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'isReminderOn'.")
			}
			doc[k] = b
		case "body":
			m, ok := v.(map[string]any)
			if !ok {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'body'.")
			}
			ct := str(m["contentType"])
			if ct == "" {
				ct = "text"
			}
			if !setOf("text html")[lower(ct)] {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value '"+ct+"' for property 'contentType'.")
			}
			doc[k] = map[string]any{"content": str(m["content"]), "contentType": lower(ct)}
			doc["bodyLastModifiedDateTime"] = todoTime(now)
		case "categories":
			if v == nil {
				doc[k] = []any{}
				continue
			}
			arr, ok := v.([]any)
			if !ok {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'categories'.")
			}
			for _, c := range arr {
				if _, ok := c.(string); !ok {
					return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'categories'.")
				}
			}
			doc[k] = arr
		case "recurrence":
			if v == nil {
				delete(doc, k)
				continue
			}
			m, ok := v.(map[string]any)
			if !ok {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'recurrence'.")
			}
			if _, ok := m["pattern"].(map[string]any); !ok {
				return errorf(http.StatusBadRequest, "invalidRequest", "A recurrence needs a pattern.")
			}
			doc[k] = m
		default: // the dateTimeTimeZone properties
			if v == nil {
				delete(doc, k)
				continue
			}
			if !validDateTimeTimeZone(v) {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property '"+k+"': a dateTimeTimeZone is expected.")
			}
			doc[k] = todoDateValue(k, v.(map[string]any))
		}
	}
	// Completing stamps completedDateTime (unless given); reopening clears it.
	if st, ok := in["status"]; ok {
		if str(st) == "completed" {
			if _, given := in["completedDateTime"]; !given || in["completedDateTime"] == nil {
				y, m, d := now.UTC().Date()
				doc["completedDateTime"] = todoDateTimeTimeZone(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
			}
		} else {
			delete(doc, "completedDateTime")
		}
	}
	if _, ok := doc["recurrence"]; ok {
		if _, due := doc["dueDateTime"]; !due {
			return errorf(http.StatusBadRequest, "invalidRequest", "A recurring task needs a dueDateTime.")
		}
	}
	return nil
}

// todoDateValue stores a task date as To Do does: due and start dates are
// days (midnight of the given date in the given zone), completion dates
// are days in UTC, and all three are answered in UTC; reminders keep their
// time, also answered in UTC. A zone the emulator cannot resolve is kept
// as given.
func todoDateValue(prop string, m map[string]any) any {
	zone := str(m["timeZone"])
	if zone == "" {
		zone = "UTC"
	}
	loc, ok := loadZone(zone)
	if !ok {
		return m
	}
	t, ok := parseLocalDateTime(str(m["dateTime"]), loc)
	if !ok {
		return m
	}
	switch prop {
	case "dueDateTime", "startDateTime":
		y, mo, d := t.In(loc).Date()
		t = time.Date(y, mo, d, 0, 0, 0, 0, loc)
	case "completedDateTime":
		y, mo, d := t.UTC().Date()
		t = time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	}
	return todoDateTimeTimeZone(t)
}
