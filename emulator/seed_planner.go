package emulator

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// seedPlannerTitles are the demo plan's tasks.
var seedPlannerTitles = []string{
	"Measure the shop floor", "Order new shelving", "Choose the paint colours", "Book the electrician",
	"Plan the opening weekend", "Update the window display", "Print the new price labels", "Train staff on the new tills",
	"Move the fitting rooms", "Install the self-checkout", "Photograph the new layout", "Write the press release",
	"Check the fire exits", "Renew the signage permit", "Recycle the old fixtures", "Set up the loyalty kiosk",
	"Schedule the deep clean", "Test the card readers", "Arrange the stock count", "Brief the security team",
	"Order the opening flowers", "Invite local press", "Update the store hours online", "Refresh the staff rota",
	"Fit the new lighting", "Replace the entrance mat", "Collect customer feedback", "Review the budget",
	"Archive the old planograms", "Celebrate with the team",
}

// seedPlanner adds the demo plan: "Store Refresh" in the Retail group
// (Adele and Isaiah are members), with plan details, three buckets and
// thirty tasks, about half of them assigned to Adele, some with details.
func (s *Server) seedPlanner(kind string) {
	if kind != "demo" {
		return
	}
	var group string
	for _, g := range s.dir.groups.snapshot() {
		if docString(g.doc, "displayName") == "Retail" {
			group = g.id
		}
	}
	adele, ok1 := s.lookupUser("AdeleV@contoso.onmicrosoft.com")
	isaiah, ok2 := s.lookupUser("IsaiahL@contoso.onmicrosoft.com")
	if group == "" || !ok1 || !ok2 {
		return
	}
	p := &s.planner
	p.init()
	created := seedBase.Add(-30 * 24 * time.Hour)
	byAdele := map[string]any{"user": map[string]any{"id": adele.ID}}
	planID := plannerSeedID("plan", "Store Refresh")
	s.newPlan(group, planID, "Store Refresh", map[string]any{"user": byAdele["user"],
		"application": map[string]any{"id": "de8bc8b5-d9f9-48b1-a8ad-b748da725064"}}, created)
	det, _ := p.planDetails.get(planID)
	doc := plannerClone(det.doc)
	doc["sharedWith"] = map[string]any{adele.ID: true, isaiah.ID: true}
	doc["categoryDescriptions"] = map[string]any{"category1": "Urgent", "category2": "In store", "category3": "Online",
		"category4": nil, "category5": "Needs budget", "category6": nil}
	p.planDetails.put(p.entity(planID, planID, "PlanDetails", doc, plannerDetailsOrder))

	var buckets []string
	hint := ""
	for _, name := range []string{"To do", "In progress", "Done"} {
		hint = hintBetween(hint, "")
		id := plannerSeedID("bucket", name)
		p.buckets.put(p.entity(planID, id, "Bucket", map[string]any{"name": name, "planId": planID, "orderHint": hint}, plannerBucketOrder))
		buckets = append(buckets, id)
	}

	taskHint, adeleHint, isaiahHint := "", "", ""
	for i, title := range seedPlannerTitles {
		id := plannerSeedID("task", title)
		b := i % 3
		at := created.Add(time.Duration(i) * time.Hour)
		taskHint = hintBetween(taskHint, "")
		d := map[string]any{
			"planId": planID, "bucketId": buckets[b], "title": title, "orderHint": taskHint, "assigneePriority": "",
			"percentComplete": []int{0, 50, 100}[b], "startDateTime": nil, "createdDateTime": plannerTime(at),
			"dueDateTime": nil, "hasDescription": false, "previewType": "automatic", "completedDateTime": nil,
			"completedBy": nil, "referenceCount": 0, "checklistItemCount": 0, "activeChecklistItemCount": 0,
			"conversationThreadId": nil, "priority": []int{1, 3, 5, 9}[i%4], "createdBy": byAdele,
			"appliedCategories": map[string]any{}, "assignments": map[string]any{},
		}
		if b == 2 {
			d["completedDateTime"] = plannerTime(at.Add(48 * time.Hour))
			d["completedBy"] = byAdele
		}
		if i%4 != 3 {
			d["dueDateTime"] = plannerTime(seedBase.Add(time.Duration(i-10) * 24 * time.Hour).Truncate(24 * time.Hour))
		}
		if i%5 == 0 {
			d["appliedCategories"] = map[string]any{"category1": true}
		} else if i%5 == 2 {
			d["appliedCategories"] = map[string]any{"category2": true, "category5": true}
		}
		as := map[string]any{}
		if i%2 == 0 {
			adeleHint = hintBetween(adeleHint, "")
			as[adele.ID] = map[string]any{"@odata.type": "#microsoft.graph.plannerAssignment", "assignedBy": byAdele,
				"assignedDateTime": plannerTime(at), "orderHint": adeleHint}
		}
		if i%3 == 1 {
			isaiahHint = hintBetween(isaiahHint, "")
			as[isaiah.ID] = map[string]any{"@odata.type": "#microsoft.graph.plannerAssignment", "assignedBy": byAdele,
				"assignedDateTime": plannerTime(at), "orderHint": isaiahHint}
		}
		d["assignments"] = as

		details := map[string]any{"description": "", "previewType": "automatic", "references": map[string]any{}, "checklist": map[string]any{}}
		if i%3 == 0 {
			details["description"] = "Notes for “" + title + "”: see the refresh checklist in the Retail team."
			d["hasDescription"] = true
		}
		if i%4 == 0 {
			list := map[string]any{}
			ch := ""
			for j, step := range []string{"Get quotes", "Agree with the store manager", "Confirm the date"} {
				ch = hintBetween(ch, "")
				list[deterministicID("checklist", fmt.Sprintf("%s/%d", title, j))] = map[string]any{
					"@odata.type": "#microsoft.graph.plannerChecklistItem", "isChecked": j < i%3, "title": step,
					"orderHint": ch, "lastModifiedBy": byAdele, "lastModifiedDateTime": plannerTime(at)}
			}
			details["checklist"] = list
			d["checklistItemCount"] = 3
			d["activeChecklistItemCount"] = 3 - min(i%3, 3)
		}
		if i%6 == 0 {
			u := "https://contoso.sharepoint.com/sites/retail/Shared Documents/refresh-" + fmt.Sprint(i) + ".docx"
			details["references"] = map[string]any{encodeReferenceKey(u): map[string]any{
				"@odata.type": "#microsoft.graph.plannerExternalReference", "alias": "Refresh plan " + fmt.Sprint(i),
				"type": "Word", "previewPriority": hintBetween("", ""), "lastModifiedBy": byAdele, "lastModifiedDateTime": plannerTime(at)}}
			d["referenceCount"] = 1
		}
		p.tasks.put(p.entity(planID, id, "Task", d, plannerTaskOrder))
		p.taskDetails.put(p.entity(planID, id, "TaskDetails", details, plannerDetailsOrder))
	}
}

// encodeReferenceKey writes a URL as a references key: percent-encoded,
// with ".", ":", "@" and "#" encoded too.
func encodeReferenceKey(u string) string {
	k := url.PathEscape(u)
	k = strings.NewReplacer(".", "%2E", ":", "%3A", "@", "%40", "#", "%23").Replace(k)
	return k
}
