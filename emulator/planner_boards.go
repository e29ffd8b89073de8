package emulator

import (
	"strings"
)

// Task board formats (plannerassignedtotaskboardtaskformat-*.md,
// plannerbuckettaskboardtaskformat-*.md, plannerprogresstaskboardtaskformat-*.md):
// the order of a task in the board views grouped by assignee, by bucket
// and by progress. Each has its own ETag; they are made on first use from
// the task's hints and deleted with the task.

var plannerBoardKinds = []string{"assignedToTaskBoardFormat", "bucketTaskBoardFormat", "progressTaskBoardFormat"}

var plannerBoardOrder = []string{"@odata.etag", "unassignedOrderHint", "orderHintsByAssignee", "orderHint", "id"}

func boardKey(taskID, kind string) string { return taskID + "/" + kind }

// removeTask removes a task with its details and board formats.
func (p *plannerState) removeTask(id string) {
	for _, kind := range plannerBoardKinds {
		p.boards.remove(boardKey(id, kind))
	}
	p.taskDetails.remove(id)
	p.tasks.remove(id)
}

// boardEntity encodes a board format of a task with a new ETag.
func (p *plannerState) boardEntity(planID, taskID, kind string, doc map[string]any) *entity {
	e := &entity{id: boardKey(taskID, kind), part: planID, doc: doc, etag: p.etag("Task")}
	doc["@odata.etag"] = e.etag
	doc["id"] = taskID
	e.raw = encodeObject(doc, plannerBoardOrder)
	return e
}

// plannerBoard returns a task's board format, making it on first use.
// p.mu must be held.
func (s *Server) plannerBoard(c *call, kind string) (*entity, *graphError) {
	p := &s.planner
	_, task, gerr := s.plannerInPlan(c, p.tasks, c.params["plannerTask-id"])
	if gerr != nil {
		return nil, gerr
	}
	if e, ok := p.boards.get(boardKey(task.id, kind)); ok {
		return e, nil
	}
	doc := map[string]any{}
	hint := str(task.doc["orderHint"])
	switch kind {
	case "assignedToTaskBoardFormat":
		byUser := map[string]any{}
		if as, ok := task.doc["assignments"].(map[string]any); ok {
			for uid, a := range as {
				if am, ok := a.(map[string]any); ok {
					byUser[uid] = str(am["orderHint"])
				}
			}
		}
		doc["unassignedOrderHint"] = hint
		doc["orderHintsByAssignee"] = byUser
	default:
		doc["orderHint"] = hint
	}
	e := p.boardEntity(task.part, task.id, kind, doc)
	p.boards.put(e)
	return e, nil
}

func (s *Server) plannerGetBoard(c *call, kind string) {
	s.planner.mu.Lock()
	e, gerr := s.plannerBoard(c, kind)
	s.planner.mu.Unlock()
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	sp := &listSpec{coll: s.planner.boards, entityType: "microsoft.graph.planner" + strings.ToUpper(kind[:1]) + kind[1:],
		props: setOf("id orderHint unassignedOrderHint orderHintsByAssignee")}
	sp.serveEntity(c, e, c.plannerContext("planner/tasks('"+c.params["plannerTask-id"]+"')/"+kind+"/$entity"))
}

func (s *Server) plannerPatchBoard(c *call, kind string) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	writable := todoSet("orderHint")
	if kind == "assignedToTaskBoardFormat" {
		writable = todoSet("unassignedOrderHint orderHintsByAssignee")
	}
	typ := "planner" + strings.ToUpper(kind[:1]) + kind[1:]
	if gerr := checkKeys(in, writable, todoSet("id orderHint unassignedOrderHint orderHintsByAssignee"), typ); gerr != nil {
		c.writeError(gerr)
		return
	}
	p := &s.planner
	p.mu.Lock()
	e, gerr := s.plannerBoard(c, kind)
	if gerr == nil {
		gerr = c.plannerIfMatch(e)
	}
	var doc map[string]any
	if gerr == nil {
		doc = plannerClone(e.doc)
		gerr = s.applyBoard(doc, in, e.part, kind)
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	ne := p.boardEntity(e.part, str(e.doc["id"]), kind, doc)
	p.boards.put(ne)
	p.mu.Unlock()
	c.plannerWritten(c.plannerContext("planner/tasks('"+str(e.doc["id"])+"')/"+kind+"/$entity"), ne)
}

// boardHints returns the hints of the same board of the plan's other
// tasks (for one assignee's column when userID is set).
func (s *Server) boardHints(planID, kind, taskID, prop, userID string) []string {
	var out []string
	for _, b := range s.planner.boards.view(planID, "") {
		if !strings.HasSuffix(b.id, "/"+kind) || str(b.doc["id"]) == taskID {
			continue
		}
		if userID != "" {
			if m, ok := b.doc["orderHintsByAssignee"].(map[string]any); ok {
				if h := str(m[userID]); h != "" {
					out = append(out, h)
				}
			}
			continue
		}
		if h := str(b.doc[prop]); h != "" {
			out = append(out, h)
		}
	}
	return out
}

func (s *Server) applyBoard(doc, in map[string]any, planID, kind string) *graphError {
	taskID := str(doc["id"])
	hint := func(v any, siblings []string) (string, *graphError) {
		h, _ := v.(string)
		r, ok := resolveHint(h, siblings)
		if !ok || h == "" {
			return "", errPlannerBad("The order hint value is not valid.")
		}
		return r, nil
	}
	for k, v := range in {
		switch k {
		case "orderHint", "unassignedOrderHint":
			h, gerr := hint(v, s.boardHints(planID, kind, taskID, k, ""))
			if gerr != nil {
				return gerr
			}
			doc[k] = h
		case "orderHintsByAssignee":
			m, ok := v.(map[string]any)
			if !ok {
				return errPlannerBad("Invalid value for property 'orderHintsByAssignee'.")
			}
			cur, _ := doc[k].(map[string]any)
			if cur == nil {
				cur = map[string]any{}
			}
			for uid, hv := range m {
				if strings.HasPrefix(uid, "@odata.") {
					continue
				}
				if hv == nil {
					delete(cur, uid)
					continue
				}
				h, gerr := hint(hv, s.boardHints(planID, kind, taskID, "", uid))
				if gerr != nil {
					return gerr
				}
				cur[uid] = h
			}
			doc[k] = cur
		}
	}
	return nil
}
