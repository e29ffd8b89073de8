package emulator

import (
	"net/http"
	"strings"
)

// registerMailWrites adds the mail routes beyond the read-only listing of
// messages.go: folder and message writes, sending, attachments and
// upload sessions, MIME, delta, mailbox settings and inbox rules. It runs
// before registerMessages so that literal segments (delta, $count) win
// over {message} captures.
func (s *Server) registerMailWrites(rt *router) {
	u := "users/{user}/"
	// Folders.
	rt.add(http.MethodGet, u+"mailFolders/delta", permMailRead, true, s.serveDelta(true))
	rt.add(http.MethodPost, u+"mailFolders", permMailWrite, true, s.createFolder)
	for _, f := range []string{u + "mailFolders/{folder}", u + "mailFolders/{folder}/childFolders/{child}"} {
		if f != u+"mailFolders/{folder}" {
			rt.add(http.MethodGet, f, permMailRead, true, s.getFolderRoute)
		}
		rt.add(http.MethodPatch, f, permMailWrite, true, s.patchFolder)
		rt.add(http.MethodDelete, f, permMailWrite, true, s.deleteFolder)
		rt.add(http.MethodPost, f+"/move", permMailWrite, true, s.moveFolder)
		rt.add(http.MethodPost, f+"/copy", permMailWrite, true, s.copyFolder)
	}
	rt.add(http.MethodPost, u+"mailFolders/{folder}/childFolders", permMailWrite, true, s.createFolder)
	rt.add(http.MethodGet, u+"mailFolders/{folder}/messages/delta", permMailRead, true, s.serveDelta(false))
	rt.add(http.MethodPost, u+"mailFolders/{folder}/messages", permMailWrite, true, s.createMessage)
	rt.add(http.MethodPost, u+"messages", permMailWrite, true, s.createMessage)
	rt.add(http.MethodPost, u+"sendMail", permMailSend, true, s.sendMail)
	rt.add(http.MethodPost, u+"translateExchangeIds", permMailRead, true, s.translateExchangeIds)

	// Messages, in a folder or not.
	for _, m := range []string{u + "messages/{message}", u + "mailFolders/{folder}/messages/{message}"} {
		rt.add(http.MethodPatch, m, permMailWrite, true, s.patchMessage)
		rt.add(http.MethodDelete, m, permMailWrite, true, s.deleteMessage)
		rt.add(http.MethodPost, m+"/permanentDelete", permMailWrite, true, s.deleteMessage)
		rt.add(http.MethodPost, m+"/move", permMailWrite, true, s.moveOrCopy(false))
		rt.add(http.MethodPost, m+"/copy", permMailWrite, true, s.moveOrCopy(true))
		rt.add(http.MethodPost, m+"/send", permMailSend, true, s.sendDraft)
		rt.add(http.MethodPost, m+"/createReply", permMailWrite, true, s.replyAction(kindReply, false))
		rt.add(http.MethodPost, m+"/createReplyAll", permMailWrite, true, s.replyAction(kindReplyAll, false))
		rt.add(http.MethodPost, m+"/createForward", permMailWrite, true, s.replyAction(kindForward, false))
		rt.add(http.MethodPost, m+"/reply", permMailSend, true, s.replyAction(kindReply, true))
		rt.add(http.MethodPost, m+"/replyAll", permMailSend, true, s.replyAction(kindReplyAll, true))
		rt.add(http.MethodPost, m+"/forward", permMailSend, true, s.replyAction(kindForward, true))
		rt.add(http.MethodGet, m+"/$value", permMailRead, true, s.messageValue)
		rt.add(http.MethodGet, m+"/attachments", permMailRead, true, s.listAttachments(false))
		rt.add(http.MethodGet, m+"/attachments/$count", permMailRead, true, s.listAttachments(true))
		rt.add(http.MethodPost, m+"/attachments", permMailWrite, true, s.addAttachment)
		rt.add(http.MethodPost, m+"/attachments/createUploadSession", permMailWrite, true, s.createUploadSession)
		rt.add(http.MethodGet, m+"/attachments/{attachment}", permMailRead, true, s.getAttachment)
		rt.add(http.MethodDelete, m+"/attachments/{attachment}", permMailWrite, true, s.deleteAttachment)
		rt.add(http.MethodGet, m+"/attachments/{attachment}/$value", permMailRead, true, s.attachmentValue)
	}

	// Mailbox settings and inbox rules.
	rt.add(http.MethodGet, u+"mailboxSettings", permSettingsRead, true, s.getSettings(""))
	rt.add(http.MethodPatch, u+"mailboxSettings", permSettingsWrite, true, s.patchSettings)
	for _, p := range []string{"automaticRepliesSetting", "workingHours", "timeZone", "language", "dateFormat", "timeFormat",
		"userPurpose", "delegateMeetingMessageDeliveryOptions", "archiveFolder"} {
		rt.add(http.MethodGet, u+"mailboxSettings/"+p, permSettingsRead, true, s.getSettings(p))
	}
	rt.add(http.MethodGet, u+"mailFolders/{folder}/messageRules", permSettingsRead, true, s.listRules)
	rt.add(http.MethodPost, u+"mailFolders/{folder}/messageRules", permSettingsWrite, true, s.createRule)
	rt.add(http.MethodGet, u+"mailFolders/{folder}/messageRules/{rule}", permSettingsRead, true, s.ruleRoute)
	rt.add(http.MethodPatch, u+"mailFolders/{folder}/messageRules/{rule}", permSettingsWrite, true, s.ruleRoute)
	rt.add(http.MethodDelete, u+"mailFolders/{folder}/messageRules/{rule}", permSettingsWrite, true, s.ruleRoute)
}

// translateExchangeIds serves POST /translateExchangeIds
// (user-translateexchangeids.md). The emulator's REST ids and immutable
// ids are the same strings (a move without immutable ids gives a new
// one), so REST and immutable forms translate to themselves; EWS forms
// are the URL-safe/standard base64 variants of them.
func (s *Server) translateExchangeIds(c *call) {
	mb, gerr := s.mailboxFor(c)
	if gerr != nil {
		c.writeError(gerr)
		return
	}
	in, ok := c.readObject(1 << 20)
	if !ok {
		return
	}
	kinds := setOf("entryId ewsId immutableEntryId restId restImmutableEntryId")
	src, dst := str(in["sourceIdType"]), str(in["targetIdType"])
	if !kinds[lower(src)] || !kinds[lower(dst)] {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "sourceIdType and targetIdType must be one of entryId, ewsId, immutableEntryId, restId, restImmutableEntryId."))
		return
	}
	ids := stringsOf(in["inputIds"])
	if len(ids) == 0 || len(ids) > 1000 {
		c.writeError(errorf(http.StatusBadRequest, "ErrorInvalidParameter", "inputIds must hold 1 to 1000 ids."))
		return
	}
	toREST := strings.NewReplacer("+", "-", "/", "_")
	fromREST := strings.NewReplacer("-", "+", "_", "/")
	var out []any
	for _, id := range ids {
		rest := id
		if !strings.HasPrefix(lower(src), "rest") {
			rest = toREST.Replace(id)
		}
		target := rest
		if !strings.HasPrefix(lower(dst), "rest") {
			target = fromREST.Replace(rest)
		}
		if e, ok := s.store.messages.get(rest); !ok || e.part != mb.userID {
			out = append(out, map[string]any{"sourceId": id, "errorDetails": map[string]any{"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}})
			continue
		}
		out = append(out, map[string]any{"sourceId": id, "targetId": target})
	}
	c.writeValue(http.StatusOK, map[string]any{"@odata.context": c.base() + "/$metadata#Collection(microsoft.graph.convertIdResult)", "value": out})
}
