package emulator

import (
	"net/http"
	"strings"
	"time"
)

// Mailbox settings (user-get-mailboxsettings.md,
// user-update-mailboxsettings.md): GET and PATCH /mailboxSettings and GET
// of its properties (/mailboxSettings/automaticRepliesSetting, ...).
// MailboxSettings.Read or .ReadWrite, delegated for one's own mailbox
// only (there is no shared variant: another user's settings answer 403),
// or the application roles. PATCH answers 200 with the updated
// properties, as the docs show.
//
// Automatic replies fire on delivery: status alwaysEnabled, or scheduled
// with the delivery inside [scheduledStartDateTime,
// scheduledEndDateTime); internal senders (tenant users) get
// internalReplyMessage, others externalReplyMessage when
// externalAudience is "all" (contactsOnly is treated as none: the
// emulator has no contacts). Each sender is answered once until the
// settings change; automatic replies never answer automatic replies.

var (
	settingsKeyOrder = []string{"archiveFolder", "timeZone", "automaticRepliesSetting", "language", "workingHours",
		"dateFormat", "timeFormat", "delegateMeetingMessageDeliveryOptions", "userPurpose"}
	settingsWritable = setOf("archiveFolder timeZone automaticRepliesSetting language workingHours dateFormat timeFormat delegateMeetingMessageDeliveryOptions")
)

// settingsMailbox resolves {user} for the settings and rules routes.
func (s *Server) settingsMailbox(c *call) (*mailbox, *graphError) {
	key := c.params["user"]
	u, ok := s.lookupUser(key)
	if !ok {
		if !c.claims.AppOnly {
			return nil, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
		return nil, errorf(http.StatusNotFound, "ErrorInvalidUser", "The requested user '"+key+"' is invalid.")
	}
	if !c.claims.AppOnly && u.ID != c.claims.ObjectID {
		return nil, errorf(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
	}
	return s.ensureMailbox(u.ID), nil
}

// settingsOf returns the mailbox settings, creating the defaults. Caller
// holds s.mu.
func (s *Server) settingsOf(mb *mailbox) map[string]any {
	if mb.settings != nil {
		return mb.settings
	}
	purpose := "user"
	if s.sharedMailboxes[mb.userID] {
		purpose = "shared"
	}
	day := seedBase.Truncate(24 * time.Hour)
	archive := ""
	if f := mb.folderByKey("archive"); f != nil {
		archive = f.id
	}
	mb.settings = map[string]any{
		"archiveFolder": archive,
		"timeZone":      "UTC",
		"automaticRepliesSetting": map[string]any{
			"status": "disabled", "externalAudience": "all",
			"scheduledStartDateTime": map[string]any{"dateTime": day.Format("2006-01-02T15:04:05.0000000"), "timeZone": "UTC"},
			"scheduledEndDateTime":   map[string]any{"dateTime": day.Add(24 * time.Hour).Format("2006-01-02T15:04:05.0000000"), "timeZone": "UTC"},
			"internalReplyMessage":   "", "externalReplyMessage": "",
		},
		"language": map[string]any{"locale": "en-US", "displayName": "English (United States)"},
		"workingHours": map[string]any{
			"daysOfWeek": []any{"monday", "tuesday", "wednesday", "thursday", "friday"},
			"startTime":  "08:00:00.0000000", "endTime": "17:00:00.0000000",
			"timeZone": map[string]any{"name": "UTC"},
		},
		"dateFormat": "M/d/yyyy", "timeFormat": "h:mm tt",
		"delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly",
		"userPurpose":                           purpose,
	}
	return mb.settings
}

func (c *call) settingsContext(userID string) string {
	return c.base() + "/$metadata#users('" + userID + "')/mailboxSettings"
}

// getSettings serves GET /mailboxSettings and its property paths.
func (s *Server) getSettings(prop string) func(c *call) {
	return func(c *call) {
		mb, gerr := s.settingsMailbox(c)
		if gerr != nil {
			c.writeError(gerr)
			return
		}
		s.mu.Lock()
		st := s.settingsOf(mb)
		var raw []byte
		ctx := c.settingsContext(mb.userID)
		switch v := st[prop].(type) {
		case nil:
			raw = encodeObject(st, settingsKeyOrder)
		case map[string]any:
			raw = encodeJSON(v)
			ctx += "/" + prop
		default:
			raw = encodeJSON(map[string]any{"value": v})
			ctx += "/" + prop
		}
		s.mu.Unlock()
		c.writeEntity(http.StatusOK, ctx, raw)
	}
}

var settingsEnums = map[string]map[string]bool{
	"status":                                setOf("disabled alwaysEnabled scheduled"),
	"externalAudience":                      setOf("none contactsOnly all"),
	"delegateMeetingMessageDeliveryOptions": setOf("sendToDelegateAndInformationToPrincipal sendToDelegateAndPrincipal sendToDelegateOnly"),
}

// patchSettings serves PATCH /mailboxSettings.
func (s *Server) patchSettings(c *call) {
	mb, gerr := s.settingsMailbox(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	for k, v := range in {
		if strings.HasPrefix(k, "@") {
			continue
		}
		if !settingsWritable[lower(k)] {
			if lower(k) == "userpurpose" {
				return400(c, "The property 'userPurpose' is read-only and cannot be set.")
				return
			}
			c.writeError(errUnknownProperty(k, "microsoft.graph.mailboxSettings"))
			return
		}
		if m, ok := v.(map[string]any); ok {
			for kk, vv := range m {
				if allowed, ok := settingsEnums[kk]; ok && !allowed[lower(str(vv))] {
					return400(c, "Invalid value '"+str(vv)+"' for '"+kk+"'.")
					return
				}
			}
		} else if allowed, ok := settingsEnums[k]; ok && !allowed[lower(str(v))] {
			return400(c, "Invalid value '"+str(v)+"' for '"+k+"'.")
			return
		}
	}
	s.mu.Lock()
	st := s.settingsOf(mb)
	out := map[string]any{}
	var order []string
	for _, k := range settingsKeyOrder {
		v, ok := in[k]
		if !ok {
			for kk, vv := range in {
				if strings.EqualFold(kk, k) {
					v, ok = vv, true
				}
			}
		}
		if !ok {
			continue
		}
		if patch, isMap := v.(map[string]any); isMap {
			cur, _ := st[k].(map[string]any)
			merged := cloneDoc(cur)
			for kk, vv := range patch {
				if enum, ok := settingsEnums[kk]; ok {
					for name := range enum {
						if strings.EqualFold(name, str(vv)) {
							vv = canonicalEnum(kk, str(vv))
						}
					}
				}
				merged[kk] = vv
			}
			v = merged
		}
		st[k] = v
		out[k] = v
		order = append(order, k)
	}
	if _, ok := out["automaticRepliesSetting"]; ok {
		mb.autoReplied = nil
	}
	raw := encodeObject(out, order)
	s.mu.Unlock()
	c.writeEntity(http.StatusOK, c.settingsContext(mb.userID), raw)
}

func return400(c *call, msg string) {
	c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", msg))
}

// canonicalEnum returns the Graph spelling of an enum member.
func canonicalEnum(prop, v string) string {
	for _, m := range strings.Fields(map[string]string{
		"status":                                "disabled alwaysEnabled scheduled",
		"externalAudience":                      "none contactsOnly all",
		"delegateMeetingMessageDeliveryOptions": "sendToDelegateAndInformationToPrincipal sendToDelegateAndPrincipal sendToDelegateOnly",
	}[prop]) {
		if strings.EqualFold(m, v) {
			return m
		}
	}
	return v
}

// dateTimeTZ reads a dateTimeTimeZone value (IANA or UTC zones; other
// names are read as UTC).
func dateTimeTZ(v any) (time.Time, bool) {
	m, _ := v.(map[string]any)
	loc := time.UTC
	if z := str(m["timeZone"]); z != "" && !strings.EqualFold(z, "UTC") {
		if l, err := time.LoadLocation(z); err == nil {
			loc = l
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, str(m["dateTime"]), loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// autoReply sends u's automatic reply to the sender of a delivered
// message when u's settings say so.
func (s *Server) autoReply(u User, mb *mailbox, sent map[string]any, now time.Time, depth int) {
	fromName, fromAddr := addressOf(sent["from"])
	if fromAddr == "" || strings.EqualFold(fromAddr, u.Mail) {
		return
	}
	_, internal := s.userByAddress(fromAddr)
	s.mu.Lock()
	ar, _ := s.settingsOf(mb)["automaticRepliesSetting"].(map[string]any)
	status := lower(str(ar["status"]))
	on := status == "alwaysenabled"
	if status == "scheduled" {
		start, ok1 := dateTimeTZ(ar["scheduledStartDateTime"])
		end, ok2 := dateTimeTZ(ar["scheduledEndDateTime"])
		on = ok1 && ok2 && !now.Before(start) && now.Before(end)
	}
	text := str(ar["internalReplyMessage"])
	if !internal {
		text = str(ar["externalReplyMessage"])
		on = on && lower(str(ar["externalAudience"])) == "all"
	}
	if on {
		if mb.autoReplied == nil {
			mb.autoReplied = map[string]bool{}
		}
		if mb.autoReplied[lower(fromAddr)] {
			on = false
		}
		mb.autoReplied[lower(fromAddr)] = true
	}
	s.mu.Unlock()
	if !on {
		return
	}
	s.mu.Lock()
	drafts := mb.folderByKey("drafts")
	s.mu.Unlock()
	doc := newMessageDoc(drafts.id, now)
	doc["subject"] = "Automatic reply: " + str(sent["subject"])
	doc["body"] = map[string]any{"contentType": "html", "content": text}
	doc["toRecipients"] = []any{recipient(fromName, fromAddr)}
	doc["from"] = recipient(u.DisplayName, u.Mail)
	doc["sender"] = recipient(u.DisplayName, u.Mail)
	doc["conversationId"] = sent["conversationId"]
	doc["internetMessageHeaders"] = []any{map[string]any{"name": "Auto-Submitted", "value": "auto-replied"}}
	s.submit(mb, doc, nil, false, now, depth+1)
}
