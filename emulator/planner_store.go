package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Microsoft Planner (planner-overview.md): plans contained by Microsoft 365
// groups, their details, buckets, tasks and task details. Five
// collections: plans partitioned by group id; plan details, buckets, tasks
// and task details partitioned by plan id, tasks grouped by bucket, so a
// plan's or a bucket's tasks are one view.
//
// Planner's own rules, as the service applies them:
//   - every PATCH and DELETE needs If-Match with the object's current ETag:
//     none is 428, another is 412; each write gives a new ETag, in
//     Planner's W/"JzEt...=" form;
//   - PATCH answers 204 unless Prefer: return=representation asks for the
//     object (200);
//   - only members and owners of a plan's group see or change the plan and
//     what is in it (403 otherwise); app-only callers see every plan;
//   - order hints sent as "<previous> <next>!" are replaced by a short
//     hint the service computes that sorts between the two;
//   - plans are created with a container; the retired owner property is
//     rejected.

// plannerState is the emulator's Planner data. The zero value is ready:
// the collections are made on first use.
type plannerState struct {
	once        sync.Once
	plans       *collection
	planDetails *collection
	buckets     *collection
	tasks       *collection
	taskDetails *collection
	// boards are the tasks' board formats, by task id and kind.
	boards *collection

	// mu serialises writes (read, check the ETag, put).
	mu sync.Mutex
	// etagSeq numbers ETags, so every write gives a new one.
	etagSeq atomic.Uint64
}

func (p *plannerState) init() {
	p.once.Do(func() {
		p.plans = newCollection("plannerPlans", nil)
		p.planDetails = newCollection("plannerPlanDetails", nil)
		p.buckets = newCollection("plannerBuckets", func(a, b *entity) int {
			return strings.Compare(str(a.doc["orderHint"]), str(b.doc["orderHint"]))
		})
		p.tasks = newCollection("plannerTasks", nil)
		p.tasks.groupOf = func(e *entity) string { return str(e.doc["bucketId"]) }
		p.taskDetails = newCollection("plannerTaskDetails", nil)
		p.boards = newCollection("plannerTaskBoardFormats", nil)
	})
}

var (
	plannerPlanProps        = todoSet("id title createdDateTime createdBy owner container buckets details tasks")
	plannerPlanDetailsProps = todoSet("id sharedWith categoryDescriptions")
	plannerBucketProps      = todoSet("id name planId orderHint tasks")
	plannerTaskProps        = todoSet("id planId bucketId title orderHint assigneePriority percentComplete priority startDateTime createdDateTime " +
		"dueDateTime hasDescription previewType completedDateTime completedBy referenceCount checklistItemCount activeChecklistItemCount " +
		"conversationThreadId createdBy appliedCategories assignments details assignedToTaskBoardFormat bucketTaskBoardFormat progressTaskBoardFormat")
	plannerTaskDetailsProps = todoSet("id description previewType references checklist")
	plannerTaskWritable     = todoSet("title bucketId orderHint assigneePriority percentComplete priority startDateTime dueDateTime " +
		"conversationThreadId appliedCategories assignments previewType")

	plannerPlanOrder    = []string{"@odata.etag", "createdBy", "createdDateTime", "owner", "title", "container", "id"}
	plannerBucketOrder  = []string{"@odata.etag", "name", "planId", "orderHint", "id"}
	plannerTaskOrder    = []string{"@odata.etag", "planId", "bucketId", "title", "orderHint", "assigneePriority", "percentComplete", "startDateTime", "createdDateTime", "dueDateTime", "hasDescription", "previewType", "completedDateTime", "completedBy", "referenceCount", "checklistItemCount", "activeChecklistItemCount", "conversationThreadId", "priority", "id", "createdBy", "appliedCategories", "assignments"}
	plannerDetailsOrder = []string{"@odata.etag", "description", "previewType", "sharedWith", "categoryDescriptions", "id", "references", "checklist"}

	plannerPreviewTypes = todoSet("automatic noPreview checklist description reference")
	plannerRefTypes     = todoSet("PowerPoint Excel Word Pdf OneNote OneNoteSection OneNotePage Project Visio Other")
	plannerGUID         = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	plannerCategory     = regexp.MustCompile(`^category([1-9]|1[0-9]|2[0-5])$`)
)

// plannerETag returns a new ETag of the kind ("Plan", "Bucket", "Task",
// ...) in the service's form: W/"base64('1-Kind @@@...X')".
func (p *plannerState) etag(kind string) string {
	n := p.etagSeq.Add(1)
	var digits [16]byte
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = byte('@' + n%32)
		n /= 32
	}
	if len(kind) < 6 {
		kind += strings.Repeat(" ", 6-len(kind))
	}
	return `W/"` + base64.StdEncoding.EncodeToString([]byte("'1-"+kind+string(digits[:])+"'")) + `"`
}

// plannerID returns a random Planner-looking id (28 URL-safe characters).
func plannerID() string {
	var b [21]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// plannerSeedID derives a Planner-looking id from a name, for seeds.
func plannerSeedID(kind, name string) string {
	h := sha256.Sum256([]byte("planner\x00" + kind + "\x00" + name))
	return base64.RawURLEncoding.EncodeToString(h[:21])
}

// plannerTime formats t as Planner writes timestamps.
func plannerTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// plannerEntity encodes doc as a stored entity with a new ETag.
func (p *plannerState) entity(part, id, kind string, doc map[string]any, order []string) *entity {
	e := &entity{id: id, part: part, doc: doc, etag: p.etag(kind)}
	doc["@odata.etag"] = e.etag
	doc["id"] = id
	e.raw = encodeObject(doc, order)
	return e
}

// plannerIdentity is the identitySet of the caller.
func plannerIdentity(c *call) map[string]any {
	if c.claims.AppOnly {
		return map[string]any{"application": map[string]any{"id": c.claims.ClientID}}
	}
	return map[string]any{"user": map[string]any{"id": c.claims.ObjectID}}
}

// Errors of Planner: an empty code and a message, as the service answers.
func errPlannerNotFound() *graphError {
	return errorf(http.StatusNotFound, "", "The requested item is not found.")
}

func errPlannerForbidden() *graphError {
	return errorf(http.StatusForbidden, "", "You do not have the required permissions to access this item.")
}

func errPlannerBad(msg string) *graphError { return errorf(http.StatusBadRequest, "", msg) }

// plannerIfMatch applies Planner's concurrency rule to a write on e: an
// If-Match is required (428) and must carry e's current ETag (412).
func (c *call) plannerIfMatch(e *entity) *graphError {
	im := strings.TrimSpace(c.r.Header.Get("If-Match"))
	if im == "" {
		return errorf(http.StatusPreconditionRequired, "", "The If-Match header must be specified for this kind of request.")
	}
	for _, t := range strings.Split(im, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == e.etag || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(e.etag, "W/") {
			return nil
		}
	}
	return errorf(http.StatusPreconditionFailed, "", "The If-Match header contains an invalid value.")
}

// plannerCanAccess reports whether the caller may see and change what a
// group's plans hold: app-only callers always; users when they are members
// or owners of the group.
func (s *Server) plannerCanAccess(c *call, groupID string) bool {
	if c.claims.AppOnly {
		return true
	}
	me := c.claims.ObjectID
	return slices.Contains(s.memberIDs(groupID, false), me) || slices.Contains(s.memberIDs(groupID, true), me)
}

// plannerPlan resolves a plan id the caller may use.
func (s *Server) plannerPlan(c *call, id string) (*entity, *graphError) {
	p := &s.planner
	p.init()
	e, ok := p.plans.get(id)
	if !ok {
		return nil, errPlannerNotFound()
	}
	if _, ok := s.dir.groups.get(e.part); !ok {
		return nil, errPlannerNotFound() // the group was deleted, and its plans with it
	}
	if !s.plannerCanAccess(c, e.part) {
		return nil, errPlannerForbidden()
	}
	return e, nil
}

// plannerInPlan resolves an entity of a per-plan collection (bucket, task,
// details) and checks the caller may use its plan.
func (s *Server) plannerInPlan(c *call, coll *collection, id string) (*entity, *entity, *graphError) {
	e, ok := coll.get(id)
	if !ok {
		return nil, nil, errPlannerNotFound()
	}
	plan, gerr := s.plannerPlan(c, e.part)
	if gerr != nil {
		return nil, nil, gerr
	}
	return plan, e, nil
}

// plannerClone deep-copies a stored document for a write (maps of maps:
// assignments, checklists, references).
func plannerClone(doc map[string]any) map[string]any {
	out := maps.Clone(doc)
	for k, v := range out {
		if m, ok := v.(map[string]any); ok {
			out[k] = plannerClone(m)
		}
	}
	return out
}

// Order hints (planner-order-hint-format.md). Hints are strings of the
// characters 32 to 126 compared by ordinal. A client asks for a place by
// sending "<previous hint> <next hint>!" (either may be empty, so " !"
// means "first"); the service stores a short hint that sorts between them.

const (
	hintLow  = '!' // lowest character the emulator writes
	hintHigh = '~' // highest
)

// validHint reports whether every character of h is between 32 and 126.
func validHint(h string) bool {
	for i := 0; i < len(h); i++ {
		if h[i] < ' ' || h[i] > '~' {
			return false
		}
	}
	return true
}

// hintBetween returns a short hint that sorts after prev and before next
// ("" next: no upper bound). When prev does not sort before next, or
// nothing sorts between them (next is prev+" "), the result sorts after
// prev.
func hintBetween(prev, next string) string {
	if next != "" && prev >= next {
		next = ""
	}
	var out []byte
	bounded := next != ""
	for i := 0; ; i++ {
		if bounded && i > len(prev) && i < len(next) && strings.Trim(next[i:], " ") == "" {
			// out is prev padded with spaces, and next only adds spaces:
			// out is the one hint between them.
			return string(out)
		}
		lo := int(hintLow) - 1
		if i < len(prev) {
			lo = int(prev[i])
		}
		hi := int(hintHigh) + 1
		if bounded && i < len(next) {
			hi = int(next[i])
		}
		if lo == hi {
			out = append(out, byte(lo))
			continue
		}
		if mid := (lo + hi) / 2; mid > lo && mid < hi && mid >= hintLow && mid <= hintHigh {
			return string(append(out, byte(mid)))
		}
		// No room at this position: keep prev's character; everything
		// after it sorts before next already.
		if lo < ' ' {
			lo = ' '
		}
		out = append(out, byte(lo))
		bounded = false
		if i >= len(prev) {
			// prev is exhausted: lo was the padding ' ', and any
			// character after it sorts above prev.
			return string(append(out, byte((int(hintLow)+int(hintHigh))/2)))
		}
	}
}

// resolveHint turns a hint a client sent into the stored hint: a
// "<previous> <next>!" request is computed against the siblings' hints
// (the split of the value whose halves are known hints wins); any other
// value is kept as sent. ok is false for a value with characters outside
// 32-126.
func resolveHint(v string, siblings []string) (string, bool) {
	if !validHint(v) {
		return "", false
	}
	body, composed := strings.CutSuffix(v, "!")
	if !composed || !strings.Contains(body, " ") {
		return v, true
	}
	known := map[string]bool{"": true}
	for _, s := range siblings {
		known[s] = true
	}
	var fallback [2]string
	found := false
	for i := 0; i < len(body); i++ {
		if body[i] != ' ' {
			continue
		}
		prev, next := body[:i], body[i+1:]
		if known[prev] && known[next] {
			return placeHint(prev, next, siblings), true
		}
		if !found {
			fallback, found = [2]string{prev, next}, true
		}
	}
	return placeHint(fallback[0], fallback[1], siblings), true
}

// placeHint computes the hint for "<prev> <next>!". An empty next means
// right after prev (before the sibling that follows it); both empty mean
// first.
func placeHint(prev, next string, siblings []string) string {
	if next == "" {
		for _, s := range siblings {
			if s > prev && (next == "" || s < next) {
				next = s
			}
		}
	}
	return hintBetween(prev, next)
}

// lastHint returns the highest of the hints, "" when there are none.
func lastHint(hints []string) string {
	if len(hints) == 0 {
		return ""
	}
	return slices.Max(hints)
}
