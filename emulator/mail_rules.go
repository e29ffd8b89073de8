package emulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Inbox rules (mailfolder-list-messagerules.md,
// mailfolder-post-messagerules.md, messagerule-update.md,
// messagerule-delete.md). Rules live on the Inbox only and need
// MailboxSettings.Read (list, get) or MailboxSettings.ReadWrite. They run
// on delivery, enabled ones in sequence order: every set condition must
// hold (each list condition matches when any entry does) and no
// exception may hold. Supported conditions: fromAddresses,
// senderContains, subjectContains, bodyContains, bodyOrSubjectContains,
// recipientContains, sentToAddresses, sentToMe, sentOnlyToMe, sentCcMe,
// importance, hasAttachments. Actions: moveToFolder, copyToFolder,
// delete (to Deleted Items), permanentDelete, markAsRead, markImportance,
// assignCategories, forwardTo, redirectTo, stopProcessingRules.

var (
	ruleProps      = setOf("id displayName sequence isEnabled hasError isReadOnly conditions actions exceptions")
	ruleWritable   = setOf("displayName sequence isEnabled conditions actions exceptions")
	ruleKeyOrder   = []string{"id", "displayName", "sequence", "isEnabled", "hasError", "isReadOnly", "conditions", "actions", "exceptions"}
	ruleConditions = setOf("bodyContains bodyOrSubjectContains categories fromAddresses hasAttachments headerContains importance isApprovalRequest isAutomaticForward isAutomaticReply isEncrypted isMeetingRequest isMeetingResponse isNonDeliveryReport isPermissionControlled isReadReceipt isSigned isVoicemail messageActionFlag notSentToMe recipientContains senderContains sensitivity sentCcMe sentOnlyToMe sentToAddresses sentToMe sentToOrCcMe subjectContains withinSizeRange")
	ruleActions    = setOf("assignCategories copyToFolder delete forwardAsAttachmentTo forwardTo markAsRead markImportance moveToFolder permanentDelete redirectTo stopProcessingRules")
)

// inboxOnly checks the route's folder is the Inbox.
func (s *Server) inboxOnly(c *call, mb *mailbox) bool {
	s.mu.Lock()
	f := mb.folderByKey(c.params["folder"])
	s.mu.Unlock()
	if f == nil {
		c.writeError(errItemNotFound())
		return false
	}
	if f.wellKnown != "inbox" {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidRequest", "Message rules are supported on the Inbox folder only."))
		return false
	}
	return true
}

func (c *call) rulesContext(userID string) string {
	return c.base() + "/$metadata#users('" + userID + "')/mailFolders('inbox')/messageRules"
}

func (s *Server) rulesMailbox(c *call) (*mailbox, bool) {
	mb, gerr := s.settingsMailbox(c)
	if gerr != nil {
		c.writeError(gerr)
		return nil, false
	}
	return mb, s.inboxOnly(c, mb)
}

// listRules serves GET .../messageRules.
func (s *Server) listRules(c *call) {
	mb, ok := s.rulesMailbox(c)
	if !ok {
		return
	}
	s.mu.Lock()
	var items [][]byte
	for _, r := range sortedRules(mb.rules) {
		items = append(items, encodeObject(r, ruleKeyOrder))
	}
	s.mu.Unlock()
	body := []byte(`{"@odata.context":`)
	body = appendJSONStr(body, c.rulesContext(mb.userID))
	body = append(body, `,"value":`...)
	body = append(body, joinArray(items)...)
	body = append(body, '}')
	c.writeRaw(http.StatusOK, body)
}

func sortedRules(rules []map[string]any) []map[string]any {
	out := slices.Clone(rules)
	slices.SortStableFunc(out, func(a, b map[string]any) int {
		x, _ := a["sequence"].(float64)
		y, _ := b["sequence"].(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	return out
}

// validateRule applies a request body to a rule.
func validateRule(rule, in map[string]any) *graphError {
	for k, v := range in {
		switch {
		case strings.HasPrefix(k, "@"):
			continue
		case !ruleProps[lower(k)]:
			return errUnknownProperty(k, "microsoft.graph.messageRule")
		case !ruleWritable[lower(k)]:
			continue // read-only: ignored
		}
		switch k {
		case "displayName":
			if strings.TrimSpace(str(v)) == "" {
				return errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The displayName of a rule must not be empty.")
			}
		case "sequence":
			if n, ok := v.(float64); !ok || n < 1 {
				return errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The sequence of a rule must be a positive number.")
			}
		case "isEnabled":
			if _, ok := v.(bool); !ok {
				return errBadRequest("isEnabled must be a boolean.")
			}
		case "conditions", "exceptions", "actions":
			m, ok := v.(map[string]any)
			if !ok && v != nil {
				return errBadRequest("The value of '" + k + "' must be an object.")
			}
			known := ruleConditions
			typ := "microsoft.graph.messageRulePredicates"
			if k == "actions" {
				known, typ = ruleActions, "microsoft.graph.messageRuleActions"
			}
			for kk := range m {
				if !known[lower(kk)] {
					return errUnknownProperty(kk, typ)
				}
			}
		}
		rule[k] = v
	}
	if str(rule["displayName"]) == "" {
		return errorf(http.StatusBadRequest, "ErrorInvalidParameter", "The displayName of a rule must not be empty.")
	}
	return nil
}

// createRule serves POST .../messageRules (201).
func (s *Server) createRule(c *call) {
	mb, ok := s.rulesMailbox(c)
	if !ok {
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	rule := map[string]any{"id": randomID("AQAAA")[:16] + "=", "isEnabled": true, "hasError": false, "isReadOnly": false,
		"conditions": map[string]any{}, "actions": map[string]any{}}
	if gerr := validateRule(rule, in); gerr != nil {
		c.writeError(gerr)
		return
	}
	s.mu.Lock()
	if _, ok := rule["sequence"]; !ok {
		rule["sequence"] = float64(len(mb.rules) + 1)
	}
	mb.rules = append(mb.rules, rule)
	raw := encodeObject(rule, ruleKeyOrder)
	s.mu.Unlock()
	c.writeEntity(http.StatusCreated, c.rulesContext(mb.userID)+"/$entity", raw)
}

// ruleByID finds a rule by id. Caller holds s.mu.
func (mb *mailbox) ruleByID(id string) (int, map[string]any) {
	for i, r := range mb.rules {
		if str(r["id"]) == id {
			return i, r
		}
	}
	return -1, nil
}

// ruleRoute serves GET, PATCH and DELETE of one rule.
func (s *Server) ruleRoute(c *call) {
	mb, ok := s.rulesMailbox(c)
	if !ok {
		return
	}
	var in map[string]any
	if c.r.Method == http.MethodPatch {
		data, gerr := readBody(c, 1<<20)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		if in, gerr = decodeObject(data); gerr != nil {
			c.writeError(gerr)
			return
		}
	}
	s.mu.Lock()
	i, r := mb.ruleByID(c.params["rule"])
	if r == nil {
		s.mu.Unlock()
		c.writeError(errItemNotFound())
		return
	}
	switch c.r.Method {
	case http.MethodDelete:
		mb.rules = slices.Delete(slices.Clone(mb.rules), i, i+1)
		s.mu.Unlock()
		c.setCommonHeaders()
		c.w.WriteHeader(http.StatusNoContent)
		return
	case http.MethodPatch:
		nr := cloneDoc(r)
		if gerr := validateRule(nr, in); gerr != nil {
			s.mu.Unlock()
			c.writeError(gerr)
			return
		}
		rules := slices.Clone(mb.rules)
		rules[i] = nr
		mb.rules = rules
		r = nr
	}
	raw := encodeObject(r, ruleKeyOrder)
	s.mu.Unlock()
	c.writeEntity(http.StatusOK, c.rulesContext(mb.userID)+"/$entity", raw)
}

// stringsOf returns a JSON string list.
func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func containsAny(hay string, needles []string) bool {
	lh := lower(hay)
	for _, n := range needles {
		if n != "" && strings.Contains(lh, lower(n)) {
			return true
		}
	}
	return false
}

// rulePredicates reports whether a message matches a predicates object
// (an empty one matches everything).
func rulePredicates(p map[string]any, doc map[string]any, hasAtt bool, owner string) bool {
	if len(p) == 0 {
		return true
	}
	fromName, fromAddr := addressOf(doc["from"])
	body, _ := doc["body"].(map[string]any)
	content := str(body["content"])
	subject := str(doc["subject"])
	to := recipientsOf(doc["toRecipients"])
	cc := recipientsOf(doc["ccRecipients"])
	all := append(append([]person(nil), to...), cc...)
	for k, v := range p {
		ok := true
		switch k {
		case "fromAddresses":
			ok = false
			for _, p := range recipientsOf(v) {
				if strings.EqualFold(p.addr, fromAddr) {
					ok = true
				}
			}
		case "senderContains":
			ok = containsAny(fromName+" "+fromAddr, stringsOf(v))
		case "subjectContains":
			ok = containsAny(subject, stringsOf(v))
		case "bodyContains":
			ok = containsAny(content, stringsOf(v))
		case "bodyOrSubjectContains":
			ok = containsAny(subject, stringsOf(v)) || containsAny(content, stringsOf(v))
		case "recipientContains":
			ok = false
			for _, r := range all {
				if containsAny(r.name+" "+r.addr, stringsOf(v)) {
					ok = true
				}
			}
		case "sentToAddresses":
			ok = false
			for _, want := range recipientsOf(v) {
				if containsAddr(to, want.addr) {
					ok = true
				}
			}
		case "sentToMe":
			ok = !boolOf(v) || containsAddr(to, owner)
		case "sentOnlyToMe":
			ok = !boolOf(v) || len(to) == 1 && containsAddr(to, owner) && len(cc) == 0
		case "sentCcMe":
			ok = !boolOf(v) || containsAddr(cc, owner)
		case "notSentToMe":
			ok = !boolOf(v) || !containsAddr(to, owner)
		case "importance":
			ok = strings.EqualFold(str(v), str(doc["importance"]))
		case "hasAttachments":
			ok = boolOf(v) == hasAtt
		}
		if !ok {
			return false
		}
	}
	return true
}

// applyRules runs the recipient's inbox rules on a message being
// delivered (doc is modified in place). It reports whether the message
// was deleted permanently.
func (s *Server) applyRules(mb *mailbox, doc map[string]any, atts []*attachment, now time.Time, depth int) bool {
	s.mu.Lock()
	rules := sortedRules(mb.rules)
	s.mu.Unlock()
	if len(rules) == 0 {
		return false
	}
	owner := s.ownerPerson(mb.userID)
	hasAtt := false
	for _, a := range atts {
		hasAtt = hasAtt || !a.inline
	}
	for _, r := range rules {
		if !boolOf(r["isEnabled"]) {
			continue
		}
		cond, _ := r["conditions"].(map[string]any)
		exc, _ := r["exceptions"].(map[string]any)
		if !rulePredicates(cond, doc, hasAtt, owner.addr) || len(exc) > 0 && rulePredicates(exc, doc, hasAtt, owner.addr) {
			continue
		}
		act, _ := r["actions"].(map[string]any)
		if boolOf(act["permanentDelete"]) {
			return true
		}
		if boolOf(act["markAsRead"]) {
			doc["isRead"] = true
		}
		if imp := lower(str(act["markImportance"])); imp == "low" || imp == "normal" || imp == "high" {
			doc["importance"] = imp
		}
		if cats := stringsOf(act["assignCategories"]); len(cats) > 0 {
			merged := stringsOf(doc["categories"])
			for _, c := range cats {
				if !slices.Contains(merged, c) {
					merged = append(merged, c)
				}
			}
			list := make([]any, len(merged))
			for i, c := range merged {
				list[i] = c
			}
			doc["categories"] = list
		}
		if id := str(act["copyToFolder"]); id != "" {
			s.mu.Lock()
			f := mb.folderByKey(id)
			s.mu.Unlock()
			if f != nil {
				cp := cloneDoc(doc)
				cp["id"] = randomID("AAMkA")
				cp["parentFolderId"] = f.id
				s.storeNewMessage(mb, cp, shareAttachments(atts), now)
			}
		}
		if id := str(act["moveToFolder"]); id != "" {
			s.mu.Lock()
			f := mb.folderByKey(id)
			s.mu.Unlock()
			if f != nil {
				doc["parentFolderId"] = f.id
			}
		}
		if boolOf(act["delete"]) {
			s.mu.Lock()
			doc["parentFolderId"] = mb.folderByKey("deleteditems").id
			s.mu.Unlock()
		}
		for _, field := range []string{"forwardTo", "redirectTo", "forwardAsAttachmentTo"} {
			to := recipientsOf(act[field])
			if len(to) == 0 {
				continue
			}
			fw := cloneDoc(doc)
			fw["id"] = randomID("AAMkA")
			fw["toRecipients"] = recipientList(to)
			fw["ccRecipients"] = []any{}
			fw["bccRecipients"] = []any{}
			if field != "redirectTo" {
				fw["subject"] = "FW: " + str(doc["subject"])
				fw["from"] = recipient(owner.name, owner.addr)
				fw["sender"] = recipient(owner.name, owner.addr)
			}
			fw["internetMessageHeaders"] = nil
			delete(fw, "internetMessageHeaders")
			s.submit(mb, fw, shareAttachments(atts), false, now, depth+1)
		}
		if boolOf(act["stopProcessingRules"]) {
			break
		}
	}
	return false
}
