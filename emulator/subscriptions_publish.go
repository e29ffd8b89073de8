package emulator

// Publishing helpers for the Outlook and To Do areas: each builds the
// change of one item (topics as changes.go describes, the resource path
// notifications carry) and publishes it. They return at once when no
// subscription exists, so seeding and bulk writes pay nothing.

// publishMessage publishes a change of a stored message (call it after the
// put for created and updated, before the removal for deleted).
func (s *Server) publishMessage(userID, id, typ string) {
	if s.subs.count.Load() == 0 {
		return
	}
	topics := []string{"users/" + userID + "/messages"}
	etag := ""
	if e, ok := s.store.messages.get(id); ok {
		if f := folderOf(e); f != "" {
			topics = append(topics, "users/"+userID+"/mailfolders/"+f+"/messages")
		}
		etag = e.etag
	}
	s.publish(change{
		Topics: topics, Type: typ, Resource: "Users/" + userID + "/Messages/" + id, ID: id,
		ODataType: "#Microsoft.Graph.Message", ETag: etag,
	})
}

// publishEvent publishes a change of a user's event.
func (s *Server) publishEvent(userID, id, typ string) {
	if s.subs.count.Load() == 0 {
		return
	}
	s.publish(change{
		Topics: []string{"users/" + userID + "/events"}, Type: typ,
		Resource: "Users/" + userID + "/Events/" + id, ID: id, ODataType: "#Microsoft.Graph.Event",
	})
}

// publishContact publishes a change of a user's contact.
func (s *Server) publishContact(userID, id, typ string) {
	if s.subs.count.Load() == 0 {
		return
	}
	s.publish(change{
		Topics: []string{"users/" + userID + "/contacts"}, Type: typ,
		Resource: "Users/" + userID + "/Contacts/" + id, ID: id, ODataType: "#Microsoft.Graph.Contact",
	})
}

// publishTask publishes a change of a To Do task; listID "" looks the
// task's list up (before its removal).
func (s *Server) publishTask(userID, listID, id, typ string) {
	if s.subs.count.Load() == 0 {
		return
	}
	if listID == "" {
		s.todo.init()
		if e, ok := s.todo.tasks.get(id); ok {
			listID = str(e.doc[todoListKey])
		}
	}
	s.publish(change{
		Topics: []string{"users/" + userID + "/todo/lists/" + listID + "/tasks"}, Type: typ,
		Resource: "Users/" + userID + "/todo/lists/" + listID + "/tasks/" + id, ID: id,
		ODataType: "#Microsoft.Graph.todoTask",
	})
}

// publishContactRemoved publishes the deletion of a stored contact (call it
// before the removal).
func (s *Server) publishContactRemoved(id string) {
	if s.subs.count.Load() == 0 {
		return
	}
	if e, ok := s.contacts.collection().get(id); ok {
		s.publishContact(e.part, id, "deleted")
	}
}
