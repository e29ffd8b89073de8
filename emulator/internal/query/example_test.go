package query_test

import (
	"encoding/json"
	"fmt"

	"github.com/o365go/o365/emulator/internal/query"
)

func Example() {
	var items []map[string]any
	_ = json.Unmarshal([]byte(`[
		{"id": "1", "subject": "Lunch", "isRead": false, "receivedDateTime": "2024-03-01T12:00:00Z", "categories": ["Red"]},
		{"id": "2", "subject": "Report", "isRead": false, "receivedDateTime": "2024-03-02T09:00:00Z", "categories": []},
		{"id": "3", "subject": "Re: Lunch", "isRead": true, "receivedDateTime": "2024-03-03T08:00:00Z", "categories": ["Red"]}
	]`), &items)

	// Parse once per request, then evaluate for every item.
	f, err := query.ParseFilter("isRead eq false or categories/any(c:c eq 'red')")
	if err != nil {
		fmt.Println(err) // 400 BadRequest in the emulator
		return
	}
	o, _ := query.ParseOrderBy("receivedDateTime desc")
	sel, _ := query.ParseSelect("subject")

	var hits []map[string]any
	for _, it := range items {
		if ok, _ := f.Match(it); ok {
			hits = append(hits, it)
		}
	}
	o.Sort(hits) // sort before projecting: the keys may not be selected
	for _, it := range hits {
		p := query.Project(it, sel)
		fmt.Println(p["id"], p["subject"], len(p))
	}

	_, err = query.ParseFilter("subject eq")
	fmt.Println(err)
	// Output:
	// 3 Re: Lunch 2
	// 2 Report 2
	// 1 Lunch 2
	// Invalid filter clause: expected a value after 'eq' at position 10 in 'subject eq'.
}
