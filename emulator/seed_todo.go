package emulator

import (
	"fmt"
	"time"
)

// seedTodo gives the demo tenant's default user To Do lists: the default
// "Tasks" list with more tasks than one page holds, and two more lists,
// one with checklist items. The minimal seed has none: the default list
// is made on first use.
func (s *Server) seedTodo(kind string) {
	if kind != "demo" {
		return
	}
	u := s.DefaultUser()
	now := s.now().UTC().Truncate(time.Hour)
	def := s.todoDefaultList(u.ID)
	titles := []string{
		"Book flights to Seattle", "Send the Q3 report to Miriam", "Renew parking permit", "Review store layout plan",
		"Call the window cleaners", "Order new price labels", "Prepare the weekly team meeting", "Update the holiday rota",
		"Reply to the supplier survey", "Plan the spring window display", "Check the returns backlog", "Schedule fire drill",
		"Submit expense report", "Read the new retail policy", "Buy a birthday card for Alex", "Archive last year's invoices",
		"Fix the shared calendar permissions", "Ask IT about the new tablets", "Write the store newsletter", "Count the stockroom inventory",
		"Confirm the training room booking", "Sign the cleaning contract", "Print the loyalty flyers", "Water the office plants",
	}
	for i, title := range titles {
		in := map[string]any{"title": title}
		switch i % 4 {
		case 0:
			in["importance"] = "high"
			in["dueDateTime"] = todoDateTimeTimeZone(now.AddDate(0, 0, i+1))
		case 1:
			in["status"] = "inProgress"
			in["categories"] = []any{"Retail"}
		case 2:
			in["status"] = "completed"
		case 3:
			in["isReminderOn"] = true
			in["reminderDateTime"] = todoDateTimeTimeZone(now.AddDate(0, 0, i).Add(9 * time.Hour))
			in["dueDateTime"] = todoDateTimeTimeZone(now.AddDate(0, 0, i))
		}
		s.seedTodoTask(u.ID, def.id, in, now.Add(-time.Duration(len(titles)-i)*time.Hour))
	}
	groceries := todoEntity(u.ID, todoID("AAMkADIyAAAhrb"), map[string]any{"displayName": "Groceries", "isOwner": true, "isShared": false, "wellknownListName": "none"}, todoListOrder, true)
	falcon := todoEntity(u.ID, todoID("AAMkADIyAAAhrb"), map[string]any{"displayName": "Project Falcon", "isOwner": true, "isShared": true, "wellknownListName": "none"}, todoListOrder, true)
	s.todo.lists.put(groceries, falcon)
	for _, t := range []string{"Milk", "Coffee beans", "Apples"} {
		s.seedTodoTask(u.ID, groceries.id, map[string]any{"title": t}, now)
	}
	launch := s.seedTodoTask(u.ID, falcon.id, map[string]any{
		"title": "Launch plan", "importance": "high",
		"body":        map[string]any{"content": "Agree the launch date with marketing.", "contentType": "text"},
		"dueDateTime": todoDateTimeTimeZone(now.AddDate(0, 0, 14)),
	}, now)
	for i, name := range []string{"Create draft", "Review with the team", "Final sign-off from the team"} {
		doc := map[string]any{"displayName": name, "createdDateTime": todoTime(now), "isChecked": i == 0, todoTaskKey: launch.id}
		if i == 0 {
			doc["checkedDateTime"] = todoTime(now)
		}
		s.todo.items.put(todoEntity(u.ID, fmt.Sprintf("51d8a471-2e9d-4f53-9937-c33a8742d2%02d", i), doc, checklistItemOrder, false))
	}
	s.seedTodoTask(u.ID, falcon.id, map[string]any{
		"title": "Weekly status mail", "dueDateTime": todoDateTimeTimeZone(now.AddDate(0, 0, 3)),
		"recurrence": map[string]any{
			"pattern": map[string]any{"type": "weekly", "interval": 1, "daysOfWeek": []any{"friday"}, "firstDayOfWeek": "sunday"},
			"range":   map[string]any{"type": "noEnd", "startDate": now.AddDate(0, 0, 3).Format("2006-01-02")},
		},
	}, now)
}

// seedTodoTask stores a task made from in at created.
func (s *Server) seedTodoTask(userID, listID string, in map[string]any, created time.Time) *entity {
	ts := todoTime(created)
	doc := map[string]any{
		"importance": "normal", "isReminderOn": false, "status": "notStarted", "title": "",
		"createdDateTime": ts, "lastModifiedDateTime": ts, "hasAttachments": false, "categories": []any{},
		"body": map[string]any{"content": "", "contentType": "text"}, todoListKey: listID,
	}
	_ = applyTaskChanges(doc, in, created, true)
	e := todoEntity(userID, todoID("AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A"), doc, todoTaskOrder, true)
	s.todo.tasks.put(e)
	return e
}
