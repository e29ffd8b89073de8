// Package directory is the Microsoft Entra ID (Azure AD) directory of o365 for Go:
// users, their managers, reports, group memberships and photos, guest invitations,
// and creating, updating and deleting users.
//
// A Directory is a handle (no I/O to make one), usually from the account:
//
//	dir := acct.Directory()
//	me, err := dir.Me(ctx)
//	for u, err := range dir.Users(ctx, &graph.ListOptions{Query: odata.New().
//		Filter(odata.Attr("department").Eq("Marketing"))}) {
//		...
//	}
//
// Advanced queries. Graph evaluates $search, $count, ne, not, endswith and
// $orderby combined with $filter on directory objects only with the header
// ConsistencyLevel: eventual and $count=true; Users, Search and Count add both when
// the query needs them, so a query that works in Graph Explorer works here.
//
// Users read from the service are bound to the directory: u.Save(ctx) PATCHes only
// the properties that changed since the read (a field set to "" or nil is sent as
// null, to clear it), u.Delete(ctx), u.Manager(ctx), u.DirectReports(ctx, nil),
// u.MemberOf(ctx, nil), u.Photo(ctx) and u.SetPhoto(ctx, ...).
//
// Permissions: reading others needs User.ReadBasic.All or User.Read.All; writing
// users needs User.ReadWrite.All (a user may update their own profile with
// User.ReadWrite); invitations need User.Invite.All; memberOf needs
// GroupMember.Read.All or Directory.Read.All.
package directory
