// Package groups is Microsoft 365 and security groups for o365 for Go: listing and
// reading groups, their members and owners (direct and transitive, every page
// followed), adding and removing members and owners, and creating, updating and
// deleting groups.
//
//	gs := acct.Groups()
//	for g, err := range gs.List(ctx, nil) { ... }
//	grp, err := gs.Get(ctx, id, nil)
//	for m, err := range grp.TransitiveMembers(ctx, nil) { ... } // users and nested groups
//	err = grp.AddMember(ctx, userID) // errors.Is(err, groups.ErrAlreadyMember) when it is one
//
// Members, owners and memberOf are directory objects (directory.Object): users,
// groups, devices, service principals; Object.IsUser, IsGroup and Object.User tell
// and decode them.
//
// Queries on groups follow the directory rules: $search, $count, ne, not, endswith
// and $orderby with $filter are advanced queries, and List, Count and the member
// listings add ConsistencyLevel: eventual and $count when the query needs them.
//
// Groups read from the service are bound to the handle: Save PATCHes only what
// changed. Permissions: Group.Read.All (or GroupMember.Read.All for memberships) to
// read, GroupMember.ReadWrite.All to change members and owners, Group.ReadWrite.All
// to create, update and delete.
package groups
