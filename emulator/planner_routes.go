package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Planner routes (planner-overview.md; plannerplan-*.md, plannerbucket-*.md,
// plannertask-*.md, plannerplandetails-*.md, plannertaskdetails-*.md,
// planneruser-list-tasks.md, plannergroup-list-plans.md,
// planner-post-plans.md, planner-post-buckets.md, planner-post-tasks.md).

var (
	// permPlannerRead reads Planner: Tasks.Read or Group.Read.All (or
	// their write forms) delegated; Tasks.Read.All app-only.
	permPlannerRead = &permission{
		delegated: []string{"Tasks.Read", "Tasks.ReadWrite", "Group.Read.All", "Group.ReadWrite.All"},
		app:       []string{"Tasks.Read.All", "Tasks.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All"},
	}
	// permPlannerWrite writes Planner.
	permPlannerWrite = &permission{
		delegated: []string{"Tasks.ReadWrite", "Group.ReadWrite.All"},
		app:       []string{"Tasks.ReadWrite.All", "Group.ReadWrite.All"},
	}
)

// plannerPageSize is the default page size of Planner listings, small so
// that clients must follow @odata.nextLink.
const plannerPageSize = 10

// registerPlanner adds the Planner routes.
func (s *Server) registerPlanner(rt *router) {
	s.planner.init()
	rt.add(http.MethodGet, "users/{user}/planner/tasks", permPlannerRead, false, s.plannerUserTasks)
	rt.add(http.MethodGet, "users/{user}/planner/plans", permPlannerRead, false, s.plannerUserPlans)
	rt.add(http.MethodGet, "groups/{group-id}/planner/plans", permPlannerRead, false, s.plannerGroupPlans)
	p := "planner/plans"
	rt.add(http.MethodGet, p, permPlannerRead, false, func(c *call) { s.plannerVisible(c, s.planner.plans, "plannerPlan", plannerPlanProps) })
	rt.add(http.MethodGet, "planner/buckets", permPlannerRead, false, func(c *call) { s.plannerVisible(c, s.planner.buckets, "plannerBucket", plannerBucketProps) })
	rt.add(http.MethodGet, "planner/tasks", permPlannerRead, false, func(c *call) { s.plannerVisible(c, s.planner.tasks, "plannerTask", plannerTaskProps) })
	rt.add(http.MethodPost, p, permPlannerWrite, false, s.plannerCreatePlan)
	rt.add(http.MethodGet, p+"/{plannerPlan-id}", permPlannerRead, false, s.plannerGetPlan)
	rt.add(http.MethodPatch, p+"/{plannerPlan-id}", permPlannerWrite, false, s.plannerPatchPlan)
	rt.add(http.MethodDelete, p+"/{plannerPlan-id}", permPlannerWrite, false, s.plannerDeletePlan)
	rt.add(http.MethodGet, p+"/{plannerPlan-id}/details", permPlannerRead, false, s.plannerGetPlanDetails)
	rt.add(http.MethodPatch, p+"/{plannerPlan-id}/details", permPlannerWrite, false, s.plannerPatchPlanDetails)
	rt.add(http.MethodGet, p+"/{plannerPlan-id}/buckets", permPlannerRead, false, s.plannerPlanBuckets)
	rt.add(http.MethodGet, p+"/{plannerPlan-id}/tasks", permPlannerRead, false, s.plannerPlanTasks)
	b := "planner/buckets"
	rt.add(http.MethodPost, b, permPlannerWrite, false, s.plannerCreateBucket)
	rt.add(http.MethodGet, b+"/{plannerBucket-id}", permPlannerRead, false, s.plannerGetBucket)
	rt.add(http.MethodPatch, b+"/{plannerBucket-id}", permPlannerWrite, false, s.plannerPatchBucket)
	rt.add(http.MethodDelete, b+"/{plannerBucket-id}", permPlannerWrite, false, s.plannerDeleteBucket)
	rt.add(http.MethodGet, b+"/{plannerBucket-id}/tasks", permPlannerRead, false, s.plannerBucketTasks)
	t := "planner/tasks"
	rt.add(http.MethodPost, t, permPlannerWrite, false, s.plannerCreateTask)
	rt.add(http.MethodGet, t+"/{plannerTask-id}", permPlannerRead, false, s.plannerGetTask)
	rt.add(http.MethodPatch, t+"/{plannerTask-id}", permPlannerWrite, false, s.plannerPatchTask)
	rt.add(http.MethodDelete, t+"/{plannerTask-id}", permPlannerWrite, false, s.plannerDeleteTask)
	rt.add(http.MethodGet, t+"/{plannerTask-id}/details", permPlannerRead, false, s.plannerGetTaskDetails)
	rt.add(http.MethodPatch, t+"/{plannerTask-id}/details", permPlannerWrite, false, s.plannerPatchTaskDetails)
	for _, kind := range plannerBoardKinds {
		rt.add(http.MethodGet, t+"/{plannerTask-id}/"+kind, permPlannerRead, false, func(c *call) { s.plannerGetBoard(c, kind) })
		rt.add(http.MethodPatch, t+"/{plannerTask-id}/"+kind, permPlannerWrite, false, func(c *call) { s.plannerPatchBoard(c, kind) })
	}
}

func (c *call) plannerContext(rest string) string { return c.base() + "/$metadata#" + rest }

func plannerSpec(coll *collection, part, group, context, typ string, props map[string]bool) *listSpec {
	return &listSpec{
		coll: coll, part: part, group: group, context: context,
		entityType: "microsoft.graph." + typ, props: lowerSet(props),
		defaultTop: plannerPageSize, maxTop: 1000,
	}
}

// transient returns a collection holding copies of es (for listings that
// cut across the stored partitions: a user's tasks and plans).
func transient(name string, es []*entity) *collection {
	tc := newCollection(name, nil)
	cp := make([]*entity, len(es))
	for i, e := range es {
		cp[i] = &entity{id: e.id, raw: e.raw, doc: e.doc, etag: e.etag}
	}
	tc.put(cp...)
	return tc
}

// plannerWritten answers a PATCH: 204, or the object with Prefer:
// return=representation.
func (c *call) plannerWritten(ctx string, e *entity) {
	c.w.Header().Set("ETag", e.etag)
	if strings.EqualFold(preference(c.r, "return"), "representation") {
		c.w.Header().Set("Preference-Applied", "return=representation")
		c.writeEntity(http.StatusOK, ctx, e.raw)
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// plannerCreated answers a POST with the new object.
func (c *call) plannerCreated(ctx string, e *entity) {
	c.w.Header().Set("ETag", e.etag)
	c.writeEntity(http.StatusCreated, ctx, e.raw)
}

// plannerPublish tells subscriptions about a task change.
func (s *Server) plannerPublish(typ string, e *entity) {
	s.publish(change{
		Topics:    []string{"planner/plans/" + e.part + "/tasks"},
		Type:      typ,
		Resource:  "planner/tasks/" + e.id,
		ID:        e.id,
		ODataType: "#microsoft.graph.plannerTask",
		Data:      e.raw,
		ETag:      e.etag,
	})
}

// checkKeys rejects unknown and read-only properties of a body.
func checkKeys(in map[string]any, writable, known map[string]bool, typ string) *graphError {
	for k := range in {
		switch {
		case strings.HasPrefix(k, "@odata."), writable[k]:
		case known[k]:
			return errPlannerBad("The property '" + k + "' is read-only and cannot be set.")
		default:
			return errUnknownProperty(k, "microsoft.graph."+typ)
		}
	}
	return nil
}

// Users' tasks and plans.

func (s *Server) plannerUser(c *call) (User, *graphError) {
	u, ok := s.lookupUser(c.params["user"])
	if !ok {
		return User{}, errPlannerNotFound()
	}
	if !c.claims.AppOnly && u.ID != c.claims.ObjectID {
		return User{}, errPlannerForbidden()
	}
	return u, nil
}

func (s *Server) plannerUserTasks(c *call) {
	u, gerr := s.plannerUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var mine []*entity
	for _, e := range s.planner.tasks.snapshot() {
		if a, ok := e.doc["assignments"].(map[string]any); ok && a[u.ID] != nil {
			if plan, ok := s.planner.plans.get(e.part); ok && s.plannerUserSees(u.ID, plan.part) {
				mine = append(mine, e)
			}
		}
	}
	ctx := c.plannerContext("users('" + u.ID + "')/planner/tasks")
	plannerSpec(transient("plannerTasks", mine), "", "", ctx, "plannerTask", plannerTaskProps).serveList(c, false)
}

// plannerUserSees reports whether a user is a member or owner of a group.
func (s *Server) plannerUserSees(userID, groupID string) bool {
	return slices.Contains(s.memberIDs(groupID, false), userID) || slices.Contains(s.memberIDs(groupID, true), userID)
}

func (s *Server) plannerUserPlans(c *call) {
	u, gerr := s.plannerUser(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	var plans []*entity
	for _, e := range s.planner.plans.snapshot() {
		if s.plannerUserSees(u.ID, e.part) {
			plans = append(plans, e)
		}
	}
	ctx := c.plannerContext("users('" + u.ID + "')/planner/plans")
	plannerSpec(transient("plannerPlans", plans), "", "", ctx, "plannerPlan", plannerPlanProps).serveList(c, false)
}

func (s *Server) plannerGroupPlans(c *call) {
	g, ok := s.groupOr404(c)
	if !ok {
		return
	}
	if !s.plannerCanAccess(c, g.id) {
		c.writeError(errPlannerForbidden())
		return
	}
	ctx := c.plannerContext("groups('" + g.id + "')/planner/plans")
	plannerSpec(s.planner.plans, g.id, "", ctx, "plannerPlan", plannerPlanProps).serveList(c, false)
}

// plannerVisible lists the plans, buckets or tasks of every plan the caller
// may see (GET /planner/plans, /planner/buckets, /planner/tasks), with
// $filter (e.g. planId eq '...') and paging.
func (s *Server) plannerVisible(c *call, coll *collection, typ string, props map[string]bool) {
	var es []*entity
	for _, e := range coll.snapshot() {
		group := e.part
		if coll != s.planner.plans {
			plan, ok := s.planner.plans.get(e.part)
			if !ok {
				continue
			}
			group = plan.part
		}
		if _, ok := s.dir.groups.get(group); ok && s.plannerCanAccess(c, group) {
			es = append(es, e)
		}
	}
	name := map[string]string{"plannerPlan": "plans", "plannerBucket": "buckets", "plannerTask": "tasks"}[typ]
	plannerSpec(transient(typ, es), "", "", c.plannerContext("planner/"+name), typ, props).serveList(c, false)
}

// Plans.

// planContainerGroup reads the group id of a plan's container: its url
// (".../groups/{id}") or containerId with type group.
func planContainerGroup(v any) (string, *graphError) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", errPlannerBad("The container of a plan is required: {\"url\": \"https://graph.microsoft.com/v1.0/groups/{id}\"}.")
	}
	if typ := str(m["type"]); typ != "" && typ != "group" {
		return "", errPlannerBad("The container type '" + typ + "' is not supported.")
	}
	if raw := str(m["url"]); raw != "" {
		u, err := url.Parse(raw)
		if err == nil {
			segs := strings.Split(strings.Trim(u.Path, "/"), "/")
			if n := len(segs); n >= 2 && strings.EqualFold(segs[n-2], "groups") && segs[n-1] != "" {
				return lower(segs[n-1]), nil
			}
		}
		return "", errPlannerBad("The container url must name a group: https://graph.microsoft.com/v1.0/groups/{id}.")
	}
	if id := str(m["containerId"]); id != "" && str(m["type"]) == "group" {
		return lower(id), nil
	}
	return "", errPlannerBad("The container of a plan needs a url, or a containerId with type group.")
}

func (s *Server) plannerCreatePlan(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	if _, given := in["owner"]; given {
		c.writeError(errPlannerBad("The 'owner' property is no longer supported for creating plans. Use the 'container' property to specify the group that contains the plan."))
		return
	}
	if gerr := checkKeys(in, todoSet("title container"), plannerPlanProps, "plannerPlan"); gerr != nil {
		c.writeError(gerr)
		return
	}
	title, _ := in["title"].(string)
	if strings.TrimSpace(title) == "" {
		c.writeError(errPlannerBad("The title of a plan must not be empty."))
		return
	}
	gid, gerr := planContainerGroup(in["container"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	g, ok := s.dir.groups.get(gid)
	if !ok {
		c.writeError(errPlannerNotFound())
		return
	}
	if !slices.Contains(anyStrings(g.doc["groupTypes"]), "Unified") {
		c.writeError(errPlannerBad("Plans can only be contained by Microsoft 365 groups."))
		return
	}
	if !s.plannerCanAccess(c, gid) {
		c.writeError(errPlannerForbidden())
		return
	}
	by := plannerIdentity(c)
	if !c.claims.AppOnly {
		// Plans record the application they were made with too.
		by["application"] = map[string]any{"id": c.claims.ClientID}
	}
	e := s.newPlan(gid, plannerID(), title, by, c.now)
	c.plannerCreated(c.plannerContext("planner/plans/$entity"), e)
}

// anyStrings reads a decoded JSON array of strings.
func anyStrings(v any) []string {
	var out []string
	switch a := v.(type) {
	case []any:
		for _, x := range a {
			out = append(out, str(x))
		}
	case []string:
		out = a
	}
	return out
}

// newPlan stores a plan and its details.
func (s *Server) newPlan(groupID, id, title string, by map[string]any, now time.Time) *entity {
	p := &s.planner
	p.init()
	doc := map[string]any{
		"createdBy": by, "createdDateTime": plannerTime(now), "owner": groupID, "title": title,
		"container": map[string]any{
			"@odata.type": "#microsoft.graph.plannerPlanContainer",
			"containerId": groupID, "type": "group", "url": "https://graph.microsoft.com/v1.0/groups/" + groupID,
		},
	}
	e := p.entity(groupID, id, "Plan", doc, plannerPlanOrder)
	cats := map[string]any{}
	for i := 1; i <= 6; i++ {
		cats["category"+string(rune('0'+i))] = nil
	}
	det := p.entity(id, id, "PlanDetails", map[string]any{"sharedWith": map[string]any{}, "categoryDescriptions": cats}, plannerDetailsOrder)
	p.mu.Lock()
	p.plans.put(e)
	p.planDetails.put(det)
	p.mu.Unlock()
	return e
}

func (s *Server) plannerGetPlan(c *call) {
	e, gerr := s.plannerPlan(c, c.params["plannerPlan-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	plannerSpec(s.planner.plans, "", "", "", "plannerPlan", plannerPlanProps).serveEntity(c, e, c.plannerContext("planner/plans/$entity"))
}

func (s *Server) plannerPatchPlan(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	if gerr := checkKeys(in, todoSet("title"), plannerPlanProps, "plannerPlan"); gerr != nil {
		c.writeError(gerr)
		return
	}
	p := &s.planner
	p.mu.Lock()
	e, gerr := s.plannerPlan(c, c.params["plannerPlan-id"])
	if gerr == nil {
		gerr = c.plannerIfMatch(e)
	}
	if gerr == nil {
		if v, given := in["title"]; given {
			if t, _ := v.(string); strings.TrimSpace(t) == "" {
				gerr = errPlannerBad("The title of a plan must not be empty.")
			}
		}
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	doc := plannerClone(e.doc)
	if v, given := in["title"]; given {
		doc["title"] = v
	}
	ne := p.entity(e.part, e.id, "Plan", doc, plannerPlanOrder)
	p.plans.put(ne)
	p.mu.Unlock()
	c.plannerWritten(c.plannerContext("planner/plans/$entity"), ne)
}

func (s *Server) plannerDeletePlan(c *call) {
	p := &s.planner
	p.mu.Lock()
	e, gerr := s.plannerPlan(c, c.params["plannerPlan-id"])
	if gerr == nil {
		gerr = c.plannerIfMatch(e)
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	var removed []*entity
	for _, t := range p.tasks.view(e.id, "") {
		p.removeTask(t.id)
		removed = append(removed, t)
	}
	for _, b := range p.buckets.view(e.id, "") {
		p.buckets.remove(b.id)
	}
	p.planDetails.remove(e.id)
	p.plans.remove(e.id)
	p.mu.Unlock()
	for _, t := range removed {
		s.plannerPublish("deleted", t)
	}
	c.w.WriteHeader(http.StatusNoContent)
}

// Plan details.

func (s *Server) plannerGetPlanDetails(c *call) {
	plan, gerr := s.plannerPlan(c, c.params["plannerPlan-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	d, ok := s.planner.planDetails.get(plan.id)
	if !ok {
		c.writeError(errPlannerNotFound())
		return
	}
	plannerSpec(s.planner.planDetails, "", "", "", "plannerPlanDetails", plannerPlanDetailsProps).
		serveEntity(c, d, c.plannerContext("planner/plans('"+plan.id+"')/details/$entity"))
}

func (s *Server) plannerPatchPlanDetails(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	if gerr := checkKeys(in, todoSet("sharedWith categoryDescriptions"), plannerPlanDetailsProps, "plannerPlanDetails"); gerr != nil {
		c.writeError(gerr)
		return
	}
	p := &s.planner
	p.mu.Lock()
	plan, gerr := s.plannerPlan(c, c.params["plannerPlan-id"])
	var d *entity
	if gerr == nil {
		var ok bool
		if d, ok = p.planDetails.get(plan.id); !ok {
			gerr = errPlannerNotFound()
		}
	}
	if gerr == nil {
		gerr = c.plannerIfMatch(d)
	}
	doc := map[string]any{}
	if gerr == nil {
		doc = plannerClone(d.doc)
		gerr = applyPlanDetails(doc, in, s)
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	ne := p.entity(d.part, d.id, "PlanDetails", doc, plannerDetailsOrder)
	p.planDetails.put(ne)
	p.mu.Unlock()
	c.plannerWritten(c.plannerContext("planner/plans('"+plan.id+"')/details/$entity"), ne)
}

func applyPlanDetails(doc, in map[string]any, s *Server) *graphError {
	if v, given := in["sharedWith"]; given {
		m, ok := v.(map[string]any)
		if !ok {
			return errPlannerBad("Invalid value for property 'sharedWith'.")
		}
		shared, _ := doc["sharedWith"].(map[string]any)
		if shared == nil {
			shared = map[string]any{}
		}
		for k, x := range m {
			if strings.HasPrefix(k, "@odata.") {
				continue
			}
			b, ok := x.(bool)
			if !ok {
				return errPlannerBad("Invalid value for 'sharedWith/" + k + "': a boolean is expected.")
			}
			if b {
				shared[k] = true
			} else {
				delete(shared, k)
			}
		}
		doc["sharedWith"] = shared
	}
	if v, given := in["categoryDescriptions"]; given {
		m, ok := v.(map[string]any)
		if !ok {
			return errPlannerBad("Invalid value for property 'categoryDescriptions'.")
		}
		cats, _ := doc["categoryDescriptions"].(map[string]any)
		if cats == nil {
			cats = map[string]any{}
		}
		for k, x := range m {
			if strings.HasPrefix(k, "@odata.") {
				continue
			}
			if !plannerCategory.MatchString(k) {
				return errUnknownProperty(k, "microsoft.graph.plannerCategoryDescriptions")
			}
			switch x := x.(type) {
			case nil:
				cats[k] = nil
			case string:
				cats[k] = x
			default:
				return errPlannerBad("Invalid value for 'categoryDescriptions/" + k + "': a string is expected.")
			}
		}
		doc["categoryDescriptions"] = cats
	}
	return nil
}

// Buckets.

func (s *Server) plannerPlanBuckets(c *call) {
	plan, gerr := s.plannerPlan(c, c.params["plannerPlan-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	ctx := c.plannerContext("planner/plans('" + plan.id + "')/buckets")
	plannerSpec(s.planner.buckets, plan.id, "", ctx, "plannerBucket", plannerBucketProps).serveList(c, false)
}

func (s *Server) plannerPlanTasks(c *call) {
	plan, gerr := s.plannerPlan(c, c.params["plannerPlan-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	ctx := c.plannerContext("planner/plans('" + plan.id + "')/tasks")
	plannerSpec(s.planner.tasks, plan.id, "", ctx, "plannerTask", plannerTaskProps).serveList(c, false)
}

// hintsOf returns the property of the entities.
func hintsOf(es []*entity, prop string) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		if h := str(e.doc[prop]); h != "" {
			out = append(out, h)
		}
	}
	return out
}

func (s *Server) plannerCreateBucket(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	if gerr := checkKeys(in, todoSet("name planId orderHint"), plannerBucketProps, "plannerBucket"); gerr != nil {
		c.writeError(gerr)
		return
	}
	name, _ := in["name"].(string)
	if strings.TrimSpace(name) == "" {
		c.writeError(errPlannerBad("The name of a bucket must not be empty."))
		return
	}
	planID, _ := in["planId"].(string)
	if planID == "" {
		c.writeError(errPlannerBad("The planId of a bucket is required."))
		return
	}
	p := &s.planner
	p.mu.Lock()
	plan, gerr := s.plannerPlan(c, planID)
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	siblings := hintsOf(p.buckets.view(plan.id, ""), "orderHint")
	hint := hintBetween(lastHint(siblings), "")
	if v, given := in["orderHint"]; given {
		h, _ := v.(string)
		var ok bool
		if hint, ok = resolveHint(h, siblings); !ok {
			p.mu.Unlock()
			c.writeError(errPlannerBad("The orderHint value is not valid."))
			return
		}
	}
	e := p.entity(plan.id, plannerID(), "Bucket", map[string]any{"name": name, "planId": plan.id, "orderHint": hint}, plannerBucketOrder)
	p.buckets.put(e)
	p.mu.Unlock()
	c.plannerCreated(c.plannerContext("planner/buckets/$entity"), e)
}

func (s *Server) plannerGetBucket(c *call) {
	_, e, gerr := s.plannerInPlan(c, s.planner.buckets, c.params["plannerBucket-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	plannerSpec(s.planner.buckets, "", "", "", "plannerBucket", plannerBucketProps).serveEntity(c, e, c.plannerContext("planner/buckets/$entity"))
}

func (s *Server) plannerPatchBucket(c *call) {
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	if gerr := checkKeys(in, todoSet("name orderHint"), plannerBucketProps, "plannerBucket"); gerr != nil {
		c.writeError(gerr)
		return
	}
	p := &s.planner
	p.mu.Lock()
	plan, e, gerr := s.plannerInPlan(c, p.buckets, c.params["plannerBucket-id"])
	if gerr == nil {
		gerr = c.plannerIfMatch(e)
	}
	var doc map[string]any
	if gerr == nil {
		doc = plannerClone(e.doc)
		if v, given := in["name"]; given {
			if n, _ := v.(string); strings.TrimSpace(n) == "" {
				gerr = errPlannerBad("The name of a bucket must not be empty.")
			} else {
				doc["name"] = n
			}
		}
	}
	if v, given := in["orderHint"]; given && gerr == nil {
		h, _ := v.(string)
		var siblings []string
		for _, b := range p.buckets.view(plan.id, "") {
			if b.id != e.id {
				siblings = append(siblings, str(b.doc["orderHint"]))
			}
		}
		if hint, ok := resolveHint(h, siblings); ok {
			doc["orderHint"] = hint
		} else {
			gerr = errPlannerBad("The orderHint value is not valid.")
		}
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	ne := p.entity(e.part, e.id, "Bucket", doc, plannerBucketOrder)
	p.buckets.put(ne)
	p.mu.Unlock()
	c.plannerWritten(c.plannerContext("planner/buckets/$entity"), ne)
}

func (s *Server) plannerDeleteBucket(c *call) {
	p := &s.planner
	p.mu.Lock()
	_, e, gerr := s.plannerInPlan(c, p.buckets, c.params["plannerBucket-id"])
	if gerr == nil {
		gerr = c.plannerIfMatch(e)
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	// Deleting a bucket deletes its tasks.
	var removed []*entity
	for _, t := range p.tasks.view(e.part, e.id) {
		p.removeTask(t.id)
		removed = append(removed, t)
	}
	p.buckets.remove(e.id)
	p.mu.Unlock()
	for _, t := range removed {
		s.plannerPublish("deleted", t)
	}
	c.w.WriteHeader(http.StatusNoContent)
}

func (s *Server) plannerBucketTasks(c *call) {
	_, e, gerr := s.plannerInPlan(c, s.planner.buckets, c.params["plannerBucket-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	ctx := c.plannerContext("planner/buckets('" + e.id + "')/tasks")
	plannerSpec(s.planner.tasks, e.part, e.id, ctx, "plannerTask", plannerTaskProps).serveList(c, false)
}

// Tasks.

func (s *Server) plannerCreateTask(c *call) {
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	w := maps2(plannerTaskWritable, "planId")
	if gerr := checkKeys(in, w, plannerTaskProps, "plannerTask"); gerr != nil {
		c.writeError(gerr)
		return
	}
	planID, _ := in["planId"].(string)
	if planID == "" {
		c.writeError(errPlannerBad("The planId of a task is required."))
		return
	}
	if t, _ := in["title"].(string); strings.TrimSpace(t) == "" {
		c.writeError(errPlannerBad("The title of a task must not be empty."))
		return
	}
	p := &s.planner
	p.mu.Lock()
	plan, gerr := s.plannerPlan(c, planID)
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	siblings := hintsOf(p.tasks.view(plan.id, ""), "orderHint")
	first := ""
	if len(siblings) > 0 {
		first = slices.Min(siblings)
	}
	doc := map[string]any{
		"planId": plan.id, "bucketId": nil, "title": "", "orderHint": hintBetween("", first), "assigneePriority": "",
		"percentComplete": 0, "startDateTime": nil, "createdDateTime": plannerTime(c.now), "dueDateTime": nil,
		"hasDescription": false, "previewType": "automatic", "completedDateTime": nil, "completedBy": nil,
		"referenceCount": 0, "checklistItemCount": 0, "activeChecklistItemCount": 0, "conversationThreadId": nil,
		"priority": 5, "createdBy": plannerIdentity(c), "appliedCategories": map[string]any{}, "assignments": map[string]any{},
	}
	if gerr := s.applyPlannerTask(c, doc, in, plan.id); gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	id := plannerID()
	e := p.entity(plan.id, id, "Task", doc, plannerTaskOrder)
	det := p.entity(plan.id, id, "TaskDetails", map[string]any{
		"description": "", "previewType": "automatic", "references": map[string]any{}, "checklist": map[string]any{},
	}, plannerDetailsOrder)
	p.tasks.put(e)
	p.taskDetails.put(det)
	p.mu.Unlock()
	s.plannerPublish("created", e)
	c.plannerCreated(c.plannerContext("planner/tasks/$entity"), e)
}

// maps2 returns a copy of m with the extra keys.
func maps2(m map[string]bool, extra ...string) map[string]bool {
	out := make(map[string]bool, len(m)+len(extra))
	for k, v := range m {
		out[k] = v
	}
	for _, k := range extra {
		out[k] = true
	}
	return out
}

// plannerInt reads a whole number of a JSON body.
func plannerInt(v any) (int, bool) {
	f, ok := v.(float64)
	if !ok || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// plannerDateTime reads a dateTimeOffset (nil clears it).
func plannerDateTime(v any) (any, bool) {
	if v == nil {
		return nil, true
	}
	sv, ok := v.(string)
	if !ok {
		return nil, false
	}
	t, err := time.Parse(time.RFC3339Nano, sv)
	if err != nil {
		return nil, false
	}
	return plannerTime(t), true
}

// applyPlannerTask validates a task body and applies it to doc.
func (s *Server) applyPlannerTask(c *call, doc, in map[string]any, planID string) *graphError {
	p := &s.planner
	for k, v := range in {
		switch k {
		case "title":
			t, ok := v.(string)
			if !ok || strings.TrimSpace(t) == "" {
				return errPlannerBad("The title of a task must not be empty.")
			}
			if len([]rune(t)) > 255 {
				return errPlannerBad("The title of a task must not be longer than 255 characters.")
			}
			doc[k] = t
		case "bucketId":
			switch b := v.(type) {
			case nil:
				doc[k] = nil
			case string:
				be, ok := p.buckets.get(b)
				if !ok || be.part != planID {
					return errPlannerBad("The bucket '" + b + "' is not in the plan of the task.")
				}
				doc[k] = b
			default:
				return errPlannerBad("Invalid value for property 'bucketId'.")
			}
		case "orderHint", "assigneePriority":
			h, ok := v.(string)
			if !ok {
				return errPlannerBad("Invalid value for property '" + k + "'.")
			}
			var siblings []string
			if k == "orderHint" {
				for _, t := range p.tasks.view(planID, "") {
					if t.id != str(doc["id"]) {
						siblings = append(siblings, str(t.doc["orderHint"]))
					}
				}
			}
			hint, ok := resolveHint(h, siblings)
			if !ok {
				return errPlannerBad("The " + k + " value is not valid.")
			}
			doc[k] = hint
		case "percentComplete":
			n, ok := plannerInt(v)
			if !ok || n < 0 || n > 100 {
				return errPlannerBad("The percentComplete of a task must be a whole number from 0 to 100.")
			}
			doc[k] = n
			if n == 100 {
				if doc["completedDateTime"] == nil {
					doc["completedDateTime"] = plannerTime(c.now)
					doc["completedBy"] = plannerIdentity(c)
				}
			} else {
				doc["completedDateTime"], doc["completedBy"] = nil, nil
			}
		case "priority":
			n, ok := plannerInt(v)
			if !ok || n < 0 || n > 10 {
				return errPlannerBad("The priority of a task must be a whole number from 0 to 10.")
			}
			doc[k] = n
		case "startDateTime", "dueDateTime":
			t, ok := plannerDateTime(v)
			if !ok {
				return errPlannerBad("Invalid value for property '" + k + "': an ISO 8601 date and time with an offset is expected.")
			}
			doc[k] = t
		case "conversationThreadId":
			if v != nil {
				if _, ok := v.(string); !ok {
					return errPlannerBad("Invalid value for property 'conversationThreadId'.")
				}
			}
			doc[k] = v
		case "previewType":
			pt, _ := v.(string)
			if !plannerPreviewTypes[pt] {
				return errPlannerBad("Invalid value for property 'previewType'.")
			}
			doc[k] = pt
		case "appliedCategories":
			m, ok := v.(map[string]any)
			if !ok {
				return errPlannerBad("Invalid value for property 'appliedCategories'.")
			}
			cats, _ := doc[k].(map[string]any)
			if cats == nil {
				cats = map[string]any{}
			}
			for ck, cv := range m {
				if strings.HasPrefix(ck, "@odata.") {
					continue
				}
				if !plannerCategory.MatchString(ck) {
					return errUnknownProperty(ck, "microsoft.graph.plannerAppliedCategories")
				}
				b, ok := cv.(bool)
				if !ok {
					return errPlannerBad("Invalid value for 'appliedCategories/" + ck + "': a boolean is expected.")
				}
				if b {
					cats[ck] = true
				} else {
					delete(cats, ck)
				}
			}
			doc[k] = cats
		case "assignments":
			if gerr := s.applyAssignments(c, doc, v, planID); gerr != nil {
				return gerr
			}
		}
	}
	return nil
}

// applyAssignments applies an assignments body: user id → assignment (new
// or a new orderHint) or null (unassign).
func (s *Server) applyAssignments(c *call, doc map[string]any, v any, planID string) *graphError {
	m, ok := v.(map[string]any)
	if !ok {
		return errPlannerBad("Invalid value for property 'assignments'.")
	}
	as, _ := doc["assignments"].(map[string]any)
	if as == nil {
		as = map[string]any{}
	}
	for uid, av := range m {
		if strings.HasPrefix(uid, "@odata.") {
			continue
		}
		if av == nil {
			delete(as, uid)
			continue
		}
		am, ok := av.(map[string]any)
		if !ok {
			return errPlannerBad("Invalid value for 'assignments/" + uid + "'.")
		}
		if !strings.HasSuffix(lower(str(am["@odata.type"])), "microsoft.graph.plannerassignment") {
			return errPlannerBad("The assignment of '" + uid + "' needs \"@odata.type\": \"#microsoft.graph.plannerAssignment\".")
		}
		u, ok := s.lookupUser(uid)
		if !ok || u.ID != lower(uid) && u.ID != uid {
			return errPlannerBad("The user '" + uid + "' to assign is not a user of the tenant (assignments are keyed by user id).")
		}
		for k := range am {
			if k != "orderHint" && !strings.HasPrefix(k, "@odata.") {
				if k == "assignedBy" || k == "assignedDateTime" {
					return errPlannerBad("The property '" + k + "' is read-only and cannot be set.")
				}
				return errUnknownProperty(k, "microsoft.graph.plannerAssignment")
			}
		}
		var siblings []string
		for _, t := range s.planner.tasks.view(planID, "") {
			if ta, ok := t.doc["assignments"].(map[string]any); ok && t.id != str(doc["id"]) {
				if x, ok := ta[u.ID].(map[string]any); ok {
					siblings = append(siblings, str(x["orderHint"]))
				}
			}
		}
		cur, exists := as[u.ID].(map[string]any)
		if !exists {
			cur = map[string]any{
				"@odata.type": "#microsoft.graph.plannerAssignment", "assignedBy": plannerIdentity(c),
				"assignedDateTime": plannerTime(c.now), "orderHint": hintBetween(lastHint(siblings), ""),
			}
		}
		if h, given := am["orderHint"]; given {
			hs, _ := h.(string)
			hint, ok := resolveHint(hs, siblings)
			if !ok {
				return errPlannerBad("The orderHint of the assignment is not valid.")
			}
			cur["orderHint"] = hint
		}
		as[u.ID] = cur
	}
	doc["assignments"] = as
	return nil
}

func (s *Server) plannerGetTask(c *call) {
	_, e, gerr := s.plannerInPlan(c, s.planner.tasks, c.params["plannerTask-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	plannerSpec(s.planner.tasks, "", "", "", "plannerTask", plannerTaskProps).serveEntity(c, e, c.plannerContext("planner/tasks/$entity"))
}

func (s *Server) plannerPatchTask(c *call) {
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	if gerr := checkKeys(in, plannerTaskWritable, plannerTaskProps, "plannerTask"); gerr != nil {
		c.writeError(gerr)
		return
	}
	p := &s.planner
	p.mu.Lock()
	plan, e, gerr := s.plannerInPlan(c, p.tasks, c.params["plannerTask-id"])
	if gerr == nil {
		gerr = c.plannerIfMatch(e)
	}
	var doc map[string]any
	if gerr == nil {
		doc = plannerClone(e.doc)
		gerr = s.applyPlannerTask(c, doc, in, plan.id)
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	ne := p.entity(e.part, e.id, "Task", doc, plannerTaskOrder)
	p.tasks.put(ne)
	p.mu.Unlock()
	s.plannerPublish("updated", ne)
	c.plannerWritten(c.plannerContext("planner/tasks/$entity"), ne)
}

func (s *Server) plannerDeleteTask(c *call) {
	p := &s.planner
	p.mu.Lock()
	_, e, gerr := s.plannerInPlan(c, p.tasks, c.params["plannerTask-id"])
	if gerr == nil {
		gerr = c.plannerIfMatch(e)
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	p.removeTask(e.id)
	p.mu.Unlock()
	s.plannerPublish("deleted", e)
	c.w.WriteHeader(http.StatusNoContent)
}

// Task details.

func (s *Server) plannerGetTaskDetails(c *call) {
	_, d, gerr := s.plannerInPlan(c, s.planner.taskDetails, c.params["plannerTask-id"])
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	plannerSpec(s.planner.taskDetails, "", "", "", "plannerTaskDetails", plannerTaskDetailsProps).
		serveEntity(c, d, c.plannerContext("planner/tasks('"+d.id+"')/details/$entity"))
}

func (s *Server) plannerPatchTaskDetails(c *call) {
	in, ok := c.readObject(4 << 20)
	if !ok {
		return
	}
	if gerr := checkKeys(in, todoSet("description previewType references checklist"), plannerTaskDetailsProps, "plannerTaskDetails"); gerr != nil {
		c.writeError(gerr)
		return
	}
	p := &s.planner
	p.mu.Lock()
	_, d, gerr := s.plannerInPlan(c, p.taskDetails, c.params["plannerTask-id"])
	if gerr == nil {
		gerr = c.plannerIfMatch(d)
	}
	var doc map[string]any
	if gerr == nil {
		doc = plannerClone(d.doc)
		gerr = applyTaskDetails(c, doc, in)
	}
	task, ok := p.tasks.get(c.params["plannerTask-id"])
	if gerr == nil && !ok {
		gerr = errPlannerNotFound()
	}
	if gerr != nil {
		p.mu.Unlock()
		c.writeError(gerr)
		return
	}
	ne := p.entity(d.part, d.id, "TaskDetails", doc, plannerDetailsOrder)
	p.taskDetails.put(ne)
	// The task reflects its details: description, counts.
	td := plannerClone(task.doc)
	checklist, _ := doc["checklist"].(map[string]any)
	active := 0
	for _, it := range checklist {
		if m, ok := it.(map[string]any); ok && !boolOf(m["isChecked"]) {
			active++
		}
	}
	refs, _ := doc["references"].(map[string]any)
	counts := map[string]any{
		"hasDescription": str(doc["description"]) != "", "checklistItemCount": len(checklist),
		"activeChecklistItemCount": active, "referenceCount": len(refs),
	}
	changed := false
	for k, v := range counts {
		if td[k] != v && !(isNumber(td[k]) && isNumber(v) && numberOf(td[k]) == numberOf(v)) {
			td[k] = v
			changed = true
		}
	}
	var nt *entity
	if changed {
		nt = p.entity(task.part, task.id, "Task", td, plannerTaskOrder)
		p.tasks.put(nt)
	}
	p.mu.Unlock()
	if nt != nil {
		s.plannerPublish("updated", nt)
	}
	c.plannerWritten(c.plannerContext("planner/tasks('"+d.id+"')/details/$entity"), ne)
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, float64:
		return true
	}
	return false
}

func numberOf(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

// applyTaskDetails validates a task details body and applies it.
func applyTaskDetails(c *call, doc, in map[string]any) *graphError {
	for k, v := range in {
		switch k {
		case "description":
			switch d := v.(type) {
			case nil:
				doc[k] = ""
			case string:
				doc[k] = d
			default:
				return errPlannerBad("Invalid value for property 'description'.")
			}
		case "previewType":
			pt, _ := v.(string)
			if !plannerPreviewTypes[pt] {
				return errPlannerBad("Invalid value for property 'previewType'.")
			}
			doc[k] = pt
		case "checklist":
			if gerr := applyChecklist(c, doc, v); gerr != nil {
				return gerr
			}
		case "references":
			if gerr := applyReferences(c, doc, v); gerr != nil {
				return gerr
			}
		}
	}
	return nil
}

func requireType(m map[string]any, typ, key string) *graphError {
	t := lower(strings.TrimPrefix(str(m["@odata.type"]), "#"))
	if t != lower("microsoft.graph."+typ) {
		return errPlannerBad("The value of '" + key + "' needs \"@odata.type\": \"#microsoft.graph." + typ + "\".")
	}
	return nil
}

func applyChecklist(c *call, doc map[string]any, v any) *graphError {
	m, ok := v.(map[string]any)
	if !ok {
		return errPlannerBad("Invalid value for property 'checklist'.")
	}
	list, _ := doc["checklist"].(map[string]any)
	if list == nil {
		list = map[string]any{}
	}
	for id, iv := range m {
		if strings.HasPrefix(id, "@odata.") {
			continue
		}
		if !plannerGUID.MatchString(id) {
			return errPlannerBad("The checklist item id '" + id + "' is not valid: checklist items are keyed by a new GUID.")
		}
		if iv == nil {
			delete(list, id)
			continue
		}
		im, ok := iv.(map[string]any)
		if !ok {
			return errPlannerBad("Invalid value for 'checklist/" + id + "'.")
		}
		if gerr := requireType(im, "plannerChecklistItem", "checklist/"+id); gerr != nil {
			return gerr
		}
		cur, exists := list[id].(map[string]any)
		if !exists {
			if t, _ := im["title"].(string); strings.TrimSpace(t) == "" {
				return errPlannerBad("A new checklist item needs a title.")
			}
			var siblings []string
			for _, x := range list {
				if xm, ok := x.(map[string]any); ok {
					siblings = append(siblings, str(xm["orderHint"]))
				}
			}
			cur = map[string]any{"@odata.type": "#microsoft.graph.plannerChecklistItem", "isChecked": false, "title": "",
				"orderHint": hintBetween(lastHint(siblings), "")}
		}
		for k, x := range im {
			switch k {
			case "title":
				t, ok := x.(string)
				if !ok || strings.TrimSpace(t) == "" {
					return errPlannerBad("The title of a checklist item must not be empty.")
				}
				cur[k] = t
			case "isChecked":
				b, ok := x.(bool)
				if !ok {
					return errPlannerBad("Invalid value for 'checklist/" + id + "/isChecked'.")
				}
				cur[k] = b
			case "orderHint":
				var siblings []string
				for xid, y := range list {
					if ym, ok := y.(map[string]any); ok && xid != id {
						siblings = append(siblings, str(ym["orderHint"]))
					}
				}
				h, _ := x.(string)
				hint, ok := resolveHint(h, siblings)
				if !ok {
					return errPlannerBad("The orderHint of the checklist item is not valid.")
				}
				cur[k] = hint
			case "lastModifiedBy", "lastModifiedDateTime":
				return errPlannerBad("The property '" + k + "' is read-only and cannot be set.")
			default:
				if !strings.HasPrefix(k, "@odata.") {
					return errUnknownProperty(k, "microsoft.graph.plannerChecklistItem")
				}
			}
		}
		cur["lastModifiedBy"] = plannerIdentity(c)
		cur["lastModifiedDateTime"] = plannerTime(c.now)
		list[id] = cur
	}
	doc["checklist"] = list
	return nil
}

// validReferenceKey reports whether a references key is an encoded URL:
// the characters Planner's keys cannot hold (".", ":", "@", "#") must be
// percent-encoded, and the decoded value must be an http(s) URL.
func validReferenceKey(k string) bool {
	if strings.ContainsAny(k, ".:@#") {
		return false
	}
	dec, err := url.PathUnescape(k)
	if err != nil {
		return false
	}
	u, err := url.Parse(dec)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func applyReferences(c *call, doc map[string]any, v any) *graphError {
	m, ok := v.(map[string]any)
	if !ok {
		return errPlannerBad("Invalid value for property 'references'.")
	}
	refs, _ := doc["references"].(map[string]any)
	if refs == nil {
		refs = map[string]any{}
	}
	for key, rv := range m {
		if strings.HasPrefix(key, "@odata.") {
			continue
		}
		if !validReferenceKey(key) {
			return errPlannerBad("The reference key '" + key + "' is not valid: references are keyed by their URL with '%', '.', ':', '@' and '#' percent-encoded.")
		}
		if rv == nil {
			delete(refs, key)
			continue
		}
		rm, ok := rv.(map[string]any)
		if !ok {
			return errPlannerBad("Invalid value for 'references/" + key + "'.")
		}
		if gerr := requireType(rm, "plannerExternalReference", "references/"+key); gerr != nil {
			return gerr
		}
		var siblings []string
		for xk, x := range refs {
			if xm, ok := x.(map[string]any); ok && xk != key {
				siblings = append(siblings, str(xm["previewPriority"]))
			}
		}
		cur, exists := refs[key].(map[string]any)
		if !exists {
			cur = map[string]any{"@odata.type": "#microsoft.graph.plannerExternalReference", "alias": "", "type": "Other",
				"previewPriority": hintBetween(lastHint(siblings), "")}
		}
		for k, x := range rm {
			switch k {
			case "alias":
				a, ok := x.(string)
				if !ok && x != nil {
					return errPlannerBad("Invalid value for 'references/" + key + "/alias'.")
				}
				cur[k] = a
			case "type":
				t, _ := x.(string)
				if !plannerRefTypes[t] {
					return errPlannerBad("Invalid value for 'references/" + key + "/type'.")
				}
				cur[k] = t
			case "previewPriority":
				h, _ := x.(string)
				hint, ok := resolveHint(h, siblings)
				if !ok {
					return errPlannerBad("The previewPriority of the reference is not valid.")
				}
				cur[k] = hint
			case "lastModifiedBy", "lastModifiedDateTime":
				return errPlannerBad("The property '" + k + "' is read-only and cannot be set.")
			default:
				if !strings.HasPrefix(k, "@odata.") {
					return errUnknownProperty(k, "microsoft.graph.plannerExternalReference")
				}
			}
		}
		cur["lastModifiedBy"] = plannerIdentity(c)
		cur["lastModifiedDateTime"] = plannerTime(c.now)
		refs[key] = cur
	}
	doc["references"] = refs
	return nil
}
