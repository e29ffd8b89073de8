package emulator

import (
	"net/http"
	"strings"

	"github.com/o365go/o365/emulator/internal/query"
)

// To Do routes (todo-list-lists.md, todotasklist-*.md, todotask-*.md,
// checklistitem-*.md, todotasklist-delta.md, todotask-delta.md).

var (
	// permTasksRead reads To Do: Tasks.Read or Tasks.ReadWrite delegated,
	// Tasks.Read.All or Tasks.ReadWrite.All app-only.
	permTasksRead = &permission{
		delegated: []string{"Tasks.Read", "Tasks.ReadWrite"},
		app:       []string{"Tasks.Read.All", "Tasks.ReadWrite.All"},
		outlook:   true,
	}
	// permTasksWrite writes To Do (and reads list deltas, which Graph
	// grants only with Tasks.ReadWrite delegated).
	permTasksWrite = &permission{
		delegated: []string{"Tasks.ReadWrite"},
		app:       []string{"Tasks.ReadWrite.All"},
		outlook:   true,
	}
)

// todoPageSize is the default page size of To Do listings. Graph pages
// To Do collections server-side; the emulator pages at 10 by default so
// that clients must follow @odata.nextLink.
const todoPageSize = 10

// registerTodo adds the To Do routes. Delta routes come before the {list}
// and {task} captures, so the literal segment wins.
func (s *Server) registerTodo(rt *router) {
	l := "users/{user}/todo/lists"
	rt.add(http.MethodGet, l+"/delta", permTasksWrite, true, s.todoListDelta)
	rt.add(http.MethodGet, l, permTasksRead, true, s.todoListLists)
	rt.add(http.MethodPost, l, permTasksWrite, true, s.todoCreateList)
	rt.add(http.MethodGet, l+"/{list}/tasks/delta", permTasksRead, true, s.todoTaskDelta)
	rt.add(http.MethodGet, l+"/{list}", permTasksRead, true, s.todoGetList)
	rt.add(http.MethodPatch, l+"/{list}", permTasksWrite, true, s.todoPatchList)
	rt.add(http.MethodDelete, l+"/{list}", permTasksWrite, true, s.todoDeleteList)
	t := l + "/{list}/tasks"
	rt.add(http.MethodGet, t, permTasksRead, true, s.todoListTasks)
	rt.add(http.MethodPost, t, permTasksWrite, true, s.todoCreateTask)
	rt.add(http.MethodGet, t+"/{task}", permTasksRead, true, s.todoGetTask)
	rt.add(http.MethodPatch, t+"/{task}", permTasksWrite, true, s.todoPatchTask)
	rt.add(http.MethodDelete, t+"/{task}", permTasksWrite, true, s.todoDeleteTask)
	ci := t + "/{task}/checklistItems"
	rt.add(http.MethodGet, ci, permTasksRead, true, s.todoListItems)
	rt.add(http.MethodPost, ci, permTasksWrite, true, s.todoCreateItem)
	rt.add(http.MethodGet, ci+"/{item}", permTasksRead, true, s.todoGetItem)
	rt.add(http.MethodPatch, ci+"/{item}", permTasksWrite, true, s.todoPatchItem)
	rt.add(http.MethodDelete, ci+"/{item}", permTasksWrite, true, s.todoDeleteItem)
}

func (c *call) todoContext(userID string, rest string) string {
	return c.base() + "/$metadata#users('" + userID + "')/todo/lists" + rest
}

// Lists.

func (s *Server) todoListSpec(c *call, userID string) *listSpec {
	return &listSpec{
		coll: s.todo.lists, part: userID, context: c.todoContext(userID, ""),
		entityType: "microsoft.graph.todoTaskList", props: lowerSet(todoListProps),
		defaultTop: todoPageSize, maxTop: 1000,
	}
}

func lowerSet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[lower(k)] = true
	}
	return out
}

func (s *Server) todoListLists(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	s.todoListSpec(c, userID).serveList(c, false)
}

func (s *Server) todoGetList(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	e, gerr := s.todoList(c, userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.todoListSpec(c, userID).serveEntity(c, e, c.todoContext(userID, "/$entity"))
}

// listName validates a list's displayName.
func listName(v any) (string, *graphError) {
	name, ok := v.(string)
	if !ok || strings.TrimSpace(name) == "" {
		return "", errorf(http.StatusBadRequest, "invalidRequest", "The displayName of a list must not be empty.")
	}
	return name, nil
}

func checkListBody(in map[string]any) *graphError {
	for k := range in {
		switch {
		case strings.HasPrefix(k, "@odata."), k == "displayName":
		case todoListProps[k]:
			return errorf(http.StatusBadRequest, "invalidRequest", "The property '"+k+"' is read-only and cannot be set.")
		default:
			return errUnknownProperty(k, "microsoft.graph.todoTaskList")
		}
	}
	return nil
}

func (s *Server) todoCreateList(c *call) {
	userID, in, ok := s.todoStart(c, 1<<20)
	if !ok {
		return
	}
	if gerr := checkListBody(in); gerr != nil {
		c.writeError(gerr)
		return
	}
	name, gerr := listName(in["displayName"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	doc := map[string]any{"displayName": name, "isOwner": true, "isShared": false, "wellknownListName": "none"}
	e := todoEntity(userID, todoID("AAMkADIyAAAhrb"), doc, todoListOrder, true)
	s.todo.lists.put(e)
	c.w.Header().Set("Location", c.base()+"/users('"+userID+"')/todo/lists('"+e.id+"')")
	c.w.Header().Set("ETag", e.etag)
	c.writeEntity(http.StatusCreated, c.todoContext(userID, "/$entity"), e.raw)
}

func (s *Server) todoPatchList(c *call) {
	userID, in, ok := s.todoStart(c, 1<<20)
	if !ok {
		return
	}
	if gerr := checkListBody(in); gerr != nil {
		c.writeError(gerr)
		return
	}
	e, ok := s.todoLock(c, func() (*entity, *graphError) { return s.todoList(c, userID) }, true)
	if !ok {
		return
	}
	var name string
	if v, ok := in["displayName"]; ok {
		var gerr *graphError
		if name, gerr = listName(v); gerr != nil {
			s.todo.mu.Unlock()
			c.writeError(gerr)
			return
		}
	}
	doc := todoCloneDoc(e.doc)
	if name != "" {
		doc["displayName"] = name
	}
	ne := todoEntity(userID, e.id, doc, todoListOrder, true)
	s.todo.lists.put(ne)
	s.todo.mu.Unlock()
	c.w.Header().Set("ETag", ne.etag)
	c.writeEntity(http.StatusOK, c.todoContext(userID, "/$entity"), ne.raw)
}

func (s *Server) todoDeleteList(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	e, ok := s.todoLock(c, func() (*entity, *graphError) { return s.todoList(c, userID) }, true)
	if !ok {
		return
	}
	defer s.todo.mu.Unlock()
	if str(e.doc["wellknownListName"]) == "defaultList" {
		c.writeError(errorf(http.StatusBadRequest, "invalidRequest", "The default list cannot be deleted."))
		return
	}
	for _, t := range s.todo.tasks.view(userID, e.id) {
		s.todoRemoveTask(userID, t.id)
	}
	s.todo.lists.remove(e.id)
	c.w.WriteHeader(http.StatusNoContent)
}

// todoRemoveTask removes a task and its checklist items.
func (s *Server) todoRemoveTask(userID, taskID string) {
	s.publishTask(userID, "", taskID, "deleted") // never blocks: fine under s.todo.mu
	for _, it := range s.todo.items.view(userID, taskID) {
		s.todo.items.remove(it.id)
	}
	s.todo.tasks.remove(taskID)
}

// Tasks.

func (s *Server) todoTaskSpec(c *call, userID, listID string) *listSpec {
	return &listSpec{
		coll: s.todo.tasks, part: userID, group: listID,
		context:    c.todoContext(userID, "('"+listID+"')/tasks"),
		entityType: "microsoft.graph.todoTask", props: lowerSet(todoTaskProps),
		defaultTop: todoPageSize, maxTop: 1000,
		search:     []string{"title"},
		expandable: map[string]bool{"checklistitems": true},
		expand: func(c *call, e *entity, it query.ExpandItem) ([]byte, *graphError) {
			var parts [][]byte
			for _, ci := range s.todo.items.view(userID, e.id) {
				parts = append(parts, ci.raw)
			}
			return joinArray(parts), nil
		},
	}
}

func (s *Server) todoListTasks(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	l, gerr := s.todoList(c, userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.todoTaskSpec(c, userID, l.id).serveList(c, false)
}

func (s *Server) todoGetTask(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	l, t, gerr := s.todoTask(c, userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	s.todoTaskSpec(c, userID, l.id).serveEntity(c, t, c.todoContext(userID, "('"+l.id+"')/tasks/$entity"))
}

func (s *Server) todoCreateTask(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	l, gerr := s.todoList(c, userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	now := todoTime(c.now)
	doc := map[string]any{
		"importance": "normal", "isReminderOn": false, "status": "notStarted", "title": "",
		"createdDateTime": now, "lastModifiedDateTime": now, "hasAttachments": false, "categories": []any{},
		"body": map[string]any{"content": "", "contentType": "text"}, todoListKey: l.id,
	}
	if gerr := applyTaskChanges(doc, in, c.now, true); gerr != nil {
		c.writeError(gerr)
		return
	}
	e := todoEntity(userID, todoID("AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A"), doc, todoTaskOrder, true)
	s.todo.mu.Lock() // the list may have been deleted meanwhile
	if _, gerr := s.todoList(c, userID); gerr != nil {
		s.todo.mu.Unlock()
		c.writeError(gerr)
		return
	}
	s.todo.tasks.put(e)
	s.todo.mu.Unlock()
	s.publishTask(userID, l.id, e.id, "created")
	c.w.Header().Set("Location", c.base()+"/users('"+userID+"')/todo/lists('"+l.id+"')/tasks('"+e.id+"')")
	c.w.Header().Set("ETag", e.etag)
	c.writeEntity(http.StatusCreated, c.todoContext(userID, "('"+l.id+"')/tasks/$entity"), e.raw)
}

func (s *Server) todoPatchTask(c *call) {
	userID, in, ok := s.todoStart(c, 4<<20)
	if !ok {
		return
	}
	var l *entity
	t, ok := s.todoLock(c, func() (t *entity, gerr *graphError) { l, t, gerr = s.todoTask(c, userID); return }, true)
	if !ok {
		return
	}
	doc := todoCloneDoc(t.doc)
	if gerr := applyTaskChanges(doc, in, c.now, false); gerr != nil {
		s.todo.mu.Unlock()
		c.writeError(gerr)
		return
	}
	doc["lastModifiedDateTime"] = todoTime(c.now)
	ne := todoEntity(userID, t.id, doc, todoTaskOrder, true)
	s.todo.tasks.put(ne)
	s.todo.mu.Unlock()
	s.publishTask(userID, l.id, ne.id, "updated")
	c.w.Header().Set("ETag", ne.etag)
	c.writeEntity(http.StatusOK, c.todoContext(userID, "('"+l.id+"')/tasks/$entity"), ne.raw)
}

func (s *Server) todoDeleteTask(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	t, ok := s.todoLock(c, func() (*entity, *graphError) { _, t, gerr := s.todoTask(c, userID); return t, gerr }, true)
	if !ok {
		return
	}
	defer s.todo.mu.Unlock()
	s.todoRemoveTask(userID, t.id)
	c.w.WriteHeader(http.StatusNoContent)
}

// Checklist items.

func (s *Server) todoItemContext(c *call, userID, listID, taskID string) string {
	return c.todoContext(userID, "('"+listID+"')/tasks('"+taskID+"')/checklistItems")
}

func (s *Server) todoListItems(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	l, t, gerr := s.todoTask(c, userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	sp := &listSpec{
		coll: s.todo.items, part: userID, group: t.id, context: s.todoItemContext(c, userID, l.id, t.id),
		entityType: "microsoft.graph.checklistItem", props: lowerSet(checklistProps),
		defaultTop: 100, maxTop: 1000,
	}
	sp.serveList(c, false)
}

func (s *Server) todoGetItem(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	t, it, gerr := s.todoItem(c, userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	sp := &listSpec{coll: s.todo.items, entityType: "microsoft.graph.checklistItem", props: lowerSet(checklistProps)}
	sp.serveEntity(c, it, s.todoItemContext(c, userID, str(t.doc[todoListKey]), t.id)+"/$entity")
}

// applyItemChanges validates a checklist item body and applies it.
func applyItemChanges(doc, in map[string]any, c *call) *graphError {
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@odata."):
			continue
		case checklistWrite[k]:
		case checklistProps[k]:
			return errorf(http.StatusBadRequest, "invalidRequest", "The property '"+k+"' is read-only and cannot be set.")
		default:
			return errUnknownProperty(k, "microsoft.graph.checklistItem")
		}
		switch k {
		case "displayName":
			name, ok := v.(string)
			if !ok || strings.TrimSpace(name) == "" {
				return errorf(http.StatusBadRequest, "invalidRequest", "The displayName of a checklist item must not be empty.")
			}
			doc[k] = name
		case "isChecked":
			b, ok := v.(bool)
			if !ok {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'isChecked'.")
			}
			doc[k] = b
			if b {
				if _, given := in["checkedDateTime"]; !given {
					doc["checkedDateTime"] = todoTime(c.now)
				}
			} else {
				delete(doc, "checkedDateTime")
			}
		case "checkedDateTime":
			if v == nil {
				delete(doc, k)
				continue
			}
			if _, ok := v.(string); !ok {
				return errorf(http.StatusBadRequest, "invalidRequest", "Invalid value for property 'checkedDateTime'.")
			}
			doc[k] = v
		}
	}
	return nil
}

func (s *Server) todoCreateItem(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	l, t, gerr := s.todoTask(c, userID)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	if _, ok := in["displayName"]; !ok {
		c.writeError(errorf(http.StatusBadRequest, "invalidRequest", "The displayName of a checklist item must not be empty."))
		return
	}
	doc := map[string]any{"createdDateTime": todoTime(c.now), "isChecked": false, todoTaskKey: t.id}
	if gerr := applyItemChanges(doc, in, c); gerr != nil {
		c.writeError(gerr)
		return
	}
	e := todoEntity(userID, newUUID(), doc, checklistItemOrder, false)
	s.todo.mu.Lock() // the task may have been deleted meanwhile
	if _, _, gerr := s.todoTask(c, userID); gerr != nil {
		s.todo.mu.Unlock()
		c.writeError(gerr)
		return
	}
	s.todo.items.put(e)
	s.todo.mu.Unlock()
	c.w.Header().Set("Location", s.todoItemContext(c, userID, l.id, t.id)+"('"+e.id+"')")
	c.writeEntity(http.StatusCreated, s.todoItemContext(c, userID, l.id, t.id)+"/$entity", e.raw)
}

func (s *Server) todoPatchItem(c *call) {
	userID, in, ok := s.todoStart(c, 1<<20)
	if !ok {
		return
	}
	var t *entity
	it, ok := s.todoLock(c, func() (it *entity, gerr *graphError) { t, it, gerr = s.todoItem(c, userID); return }, false)
	if !ok {
		return
	}
	doc := todoCloneDoc(it.doc)
	if gerr := applyItemChanges(doc, in, c); gerr != nil {
		s.todo.mu.Unlock()
		c.writeError(gerr)
		return
	}
	ne := todoEntity(userID, it.id, doc, checklistItemOrder, false)
	s.todo.items.put(ne)
	s.todo.mu.Unlock()
	c.writeEntity(http.StatusOK, s.todoItemContext(c, userID, str(t.doc[todoListKey]), t.id)+"/$entity", ne.raw)
}

func (s *Server) todoDeleteItem(c *call) {
	userID, _, ok := s.todoStart(c, 0)
	if !ok {
		return
	}
	it, ok := s.todoLock(c, func() (*entity, *graphError) { _, it, gerr := s.todoItem(c, userID); return it, gerr }, false)
	if !ok {
		return
	}
	defer s.todo.mu.Unlock()
	s.todo.items.remove(it.id)
	c.w.WriteHeader(http.StatusNoContent)
}
