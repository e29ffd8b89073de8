package odata_test

import (
	"fmt"
	"time"

	"github.com/o365go/o365/odata"
)

func Example() {
	q := odata.New().
		Filter(odata.Attr("subject").Contains("george").And(odata.Attr("is_read").Eq(false))).
		OrderBy("receivedDateTime", odata.Desc).
		Select("id", "subject").
		Top(50)
	fmt.Println(q)
	fmt.Println(q.Encode())
	// Output:
	// $filter=contains(subject,'george') and isRead eq false&$orderby=receivedDateTime desc&$select=id,subject&$top=50
	// $filter=contains(subject,'george')%20and%20isRead%20eq%20false&$orderby=receivedDateTime%20desc&$select=id,subject&$top=50
}

func ExampleAnd() {
	unread := odata.Attr("isRead").Eq(false)
	important := odata.Attr("importance").Eq("high")
	flagged := odata.Attr("flag/flag_status").Eq("flagged")
	// The Go tree, not the order of words, decides the grouping.
	fmt.Println(odata.And(unread, important.Or(flagged)))
	fmt.Println(odata.Not(unread))
	// Output:
	// isRead eq false and (importance eq 'high' or flag/flagStatus eq 'flagged')
	// not (isRead eq false)
}

func ExampleAttribute_Any() {
	red := odata.Attr("categories").Any("c", func(c odata.Attribute) odata.Expr {
		return c.Eq("Red")
	})
	toBob := odata.Attr("to_recipients").Any("r", func(r odata.Attribute) odata.Expr {
		return r.Attr("email_address/address").Eq("bob@contoso.com")
	})
	fmt.Println(red)
	fmt.Println(toBob)
	// Output:
	// categories/any(c:c eq 'Red')
	// toRecipients/any(r:r/emailAddress/address eq 'bob@contoso.com')
}

func ExampleLiteral() {
	for _, v := range []any{
		"it's",
		time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600)),
		true,
		uint8(7),
		2.5,
		odata.GUID("7d5b6d2c-9d7b-4c8a-9d55-0a8f2f1c6b1e"),
		odata.Enum("importance", "high"),
		nil,
	} {
		s, _ := odata.Literal(v)
		fmt.Println(s)
	}
	// Output:
	// 'it''s'
	// 2024-01-02T02:04:05Z
	// true
	// 7
	// 2.5
	// 7d5b6d2c-9d7b-4c8a-9d55-0a8f2f1c6b1e
	// microsoft.graph.importance'high'
	// null
}

func ExampleQuery_On() {
	q := odata.New().On("subject").Contains("x").And().On("is_read").Eq(false)
	fmt.Println(q.FilterString())
	// Output:
	// contains(subject,'x') and isRead eq false
}

func ExampleQuery_ExpandWith() {
	q := odata.New().ExpandWith("children", odata.New().Select("id", "name").Top(5))
	fmt.Println(q)
	// Output:
	// $expand=children($select=id,name;$top=5)
}

func ExampleQuery_Search() {
	q := odata.New().Search(`say "hi"`)
	fmt.Println(q)
	fmt.Println(q.Encode())
	// Output:
	// $search="say \"hi\""
	// $search=%22say%20%5C%22hi%5C%22%22
}

func ExampleQuery_Err() {
	q := odata.New().Filter(odata.Attr("subject) or (true").Eq("x"))
	fmt.Println(q.Err())
	fmt.Println(q.FilterString())
	// Output:
	// odata: invalid attribute name "subject) or (true"
	// #invalid# eq 'x'
}
