package auth_test

import (
	"fmt"

	"github.com/o365go/o365/auth"
)

func ExampleResolveScopes() {
	for _, s := range auth.ResolveScopes("https://graph.microsoft.com/", "message_all", "Calendars.Read", "offline_access") {
		fmt.Println(s)
	}
	// Output:
	// https://graph.microsoft.com/Mail.ReadWrite
	// https://graph.microsoft.com/Mail.Send
	// https://graph.microsoft.com/Calendars.Read
	// offline_access
}

func ExampleAppScopes() {
	scopes, _ := auth.AppScopes("https://graph.microsoft.com/")
	fmt.Println(scopes)
	_, err := auth.AppScopes("https://graph.microsoft.com/", "Mail.Read")
	fmt.Println(err != nil)
	// Output:
	// [https://graph.microsoft.com/.default]
	// true
}
