package graph_test

import (
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/o365go/o365/graph"
)

func ExampleRecipients() {
	var to graph.Recipients
	if err := to.Add("Adele Vance <adele@contoso.com>", "alex@contoso.com, megan@contoso.com"); err != nil {
		log.Fatal(err)
	}
	to.AddRecipient(graph.NewRecipient("lee@contoso.com", "Lee Gu"))
	to.Remove("ALEX@contoso.com")
	fmt.Println(to)
	fmt.Println(to.Contains("Megan@Contoso.com"), to.Addresses())

	msg := struct {
		Body         graph.ItemBody   `json:"body"`
		ToRecipients graph.Recipients `json:"toRecipients"`
	}{graph.Text("Hi"), to[:1]}
	b, _ := json.Marshal(msg)
	fmt.Println(string(b))
	// Output:
	// Adele Vance <adele@contoso.com>, megan@contoso.com, Lee Gu <lee@contoso.com>
	// true [adele@contoso.com megan@contoso.com lee@contoso.com]
	// {"body":{"contentType":"text","content":"Hi"},"toRecipients":[{"emailAddress":{"name":"Adele Vance","address":"adele@contoso.com"}}]}
}

func ExampleZones() {
	// One Zones (usually client.Zones()) for a whole calendar view: each zone is read once.
	var zones graph.Zones
	for _, d := range []graph.DateTimeTimeZone{
		{DateTime: "2026-03-15T09:00:00.0000000", TimeZone: "W. Europe Standard Time"},
		{DateTime: "2026-03-15T17:30:00.0000000", TimeZone: "Europe/Berlin"},
		{DateTime: "2026-03-16T08:00:00.0000000", TimeZone: "Tokyo Standard Time"},
	} {
		t, err := zones.Time(d)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.UTC().Format(time.RFC3339))
	}
	// Output:
	// 2026-03-15T08:00:00Z
	// 2026-03-15T16:30:00Z
	// 2026-03-15T23:00:00Z
}
