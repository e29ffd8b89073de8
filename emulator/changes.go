package emulator

// change is one created, updated or deleted resource, published by the area that
// changed it so that change notifications (subscriptions) can be delivered.
//
// Topics name the collections the item belongs to, in a canonical form that the
// subscriptions code also derives from a subscription's resource: lower-case
// segments, ids as stored (not lower-cased), no version prefix, no leading slash,
// "me" already resolved to the user id. Examples:
//
//	users/{user-id}/messages                       every message of a mailbox
//	users/{user-id}/mailfolders/{folder-id}/messages
//	users/{user-id}/events
//	users/{user-id}/contacts
//	users/{user-id}/todo/lists/{list-id}/tasks
//	drives/{drive-id}/root                         any item of a drive
//	sites/{site-id}/lists/{list-id}                list items
//	teams/{team-id}/channels/{channel-id}/messages
//	chats/{chat-id}/messages
//	communications/presences/{user-id}
//	planner/plans/{plan-id}/tasks
type change struct {
	Topics []string
	// Type is "created", "updated" or "deleted".
	Type string
	// Resource is the changed item's path as notifications carry it, e.g.
	// "Users/{user-id}/Messages/{id}" or "teams('{id}')/channels('{id}')/messages('{id}')".
	Resource string
	// ID is the changed item's id (resourceData.id).
	ID string
	// ODataType is resourceData's @odata.type, e.g. "#Microsoft.Graph.Message".
	ODataType string
	// Data, when set, is the item's encoded JSON, for subscriptions with
	// includeResourceData (rich notifications).
	Data []byte
	// ETag, when set, is resourceData's @odata.etag.
	ETag string
}

// publish hands a change to the subscriptions that cover one of its topics.
// It never blocks the caller: deliveries happen in the background.
func (s *Server) publish(ch change) {
	s.deliverChange(ch) // subscriptions_delivery.go
}
