// Package subscriptions is Microsoft Graph change notifications: subscriptions (create,
// list, get, renew, reauthorize, delete), a webhook Receiver that answers the validation
// handshake and hands notifications to the caller, and a Renewer that keeps subscriptions
// alive before they expire.
//
// Get a handle from the account (acct.Subscriptions()) or with New. Subscriptions are
// tenant-wide objects of the calling app (/subscriptions), whatever resource they watch:
//
//	rcv := subscriptions.NewReceiver(subscriptions.ReceiverOptions{ClientState: secret})
//	go http.ListenAndServe(addr, rcv) // behind https in production
//	sub, err := acct.Subscriptions().Create(ctx, &subscriptions.Subscription{
//		Resource:        "me/mailFolders('Inbox')/messages",
//		ChangeType:      subscriptions.Created,
//		NotificationURL: "https://example.com/hook",
//		ClientState:     secret,
//	}) // Graph validates the URL first: rcv answers the handshake
//	for n := range rcv.Notifications() {
//		fmt.Println(n.ChangeType, n.Resource)
//	}
//
// Graph wants an answer within 3 seconds, so the Receiver answers 202 at once and queues
// the notifications (a full queue drops them and reports it through OnError rather than
// growing). Notifications whose clientState does not match are dropped and reported.
//
// Rich notifications (IncludeResourceData with an encryption certificate) carry the
// changed item encrypted: Notification.Decrypt opens it with the certificate's private key.
//
// Subscriptions expire (MaxExpiry gives the documented maximum per resource); a Renewer
// renews them before they do, on a clock tests can replace.
//
// Coming from python-o365: Subscriptions → Subscriptions; create_subscription → Create,
// list_subscriptions → List (every page), get_subscription → Get, renew_subscription →
// Renew, update_subscription → Renew / SetNotificationURL, delete_subscription → Delete.
// docs/subscriptions.md has the full table.
package subscriptions
